# METADATA
# title: "ApplicationSet without `preserveResourcesOnDeletion: true`"
# description: |
#   ## What it does
#   Flags ApplicationSets whose `spec.syncPolicy.preserveResourcesOnDeletion` is not `true`.
#
#   ## Why is this bad?
#   Deleting an ApplicationSet (or a generator element disappearing: a cluster Secret removed, a
#   directory renamed, a typo in a list) deletes the generated Applications, and with them, through
#   the resources finalizer, every Kubernetes object they deployed. `preserveResourcesOnDeletion`
#   keeps the workloads running when their Applications go away.
#
#   ## Example
#   ```yaml
#   kind: ApplicationSet
#   spec:
#     generators: [...]
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     syncPolicy:
#       preserveResourcesOnDeletion: true
#   ```
# custom:
#   id: appset-preserve-resources
#   severity: warning
#   category: best-practice
#   kinds: [ApplicationSet]
package argovet.argocd.appset_preserve_resources

warn contains result if {
	object.get(input, ["spec", "syncPolicy", "preserveResourcesOnDeletion"], false) != true
	result := {
		"msg": sprintf("ApplicationSet %q deletes the deployed resources when it or an element goes away", [input.metadata.name]),
		"path": path,
		"help": "set `spec.syncPolicy.preserveResourcesOnDeletion: true`",
	}
}

default path := "spec"

path := "spec.syncPolicy" if input.spec.syncPolicy
