# METADATA
# title: Application uses the `default` AppProject
# description: |
#   ## What it does
#   Flags Applications whose `spec.project` is `default`.
#
#   ## Why is this bad?
#   The `default` project allows every source repository, every destination and every cluster-scoped
#   resource unless an administrator has restricted it. An Application in it escapes the guard rails
#   a dedicated project gives (allowed repos, namespaces, resource kinds, sync windows, roles).
#
#   ## Example
#   ```yaml
#   spec:
#     project: default
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     project: payments   # an AppProject that lists the repos and destinations this team may use
#   ```
# custom:
#   id: app-default-project
#   severity: warning
#   category: best-practice
#   kinds: [Application]
package argovet.argocd.app_default_project

warn contains result if {
	input.spec.project == "default"
	result := {
		"msg": sprintf("Application %q uses the `default` project", [input.metadata.name]),
		"path": "spec.project",
		"help": "create an AppProject that restricts source repositories and destinations, and reference it",
	}
}
