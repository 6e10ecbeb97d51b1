# METADATA
# title: Production Application tracks a moving revision (HEAD, a branch, a chart range)
# description: |
#   ## What it does
#   For Applications that deploy to production, flags sources whose `targetRevision` moves: empty
#   or `HEAD`, a Git branch name (anything that is neither a commit SHA nor a version tag such as
#   `v1.4.2`), or for Helm charts (`chart:` set) an empty version, a wildcard or a range
#   (`1.*`, `^1.2`, `~1.2`, `>=1.0`).
#
#   ## Why is this bad?
#   A moving revision deploys whatever lands on the branch or in the chart repository, with no
#   review of the change to production itself, and a rollback has nothing to go back to.
#
#   ## Example
#   ```yaml
#   spec:
#     destination: {name: prod-eu, namespace: web}
#     source: {repoURL: https://github.com/org/web.git, targetRevision: main}
#   ```
#
#   ## Use instead
#   ```yaml
#     source: {repoURL: https://github.com/org/web.git, targetRevision: v1.8.0}
#   ```
# custom:
#   id: production-floating-revision
#   severity: warning
#   kinds: [Application]
package argovet.argocd.production_floating_revision

import data.argovet.lib

floating(src) if {
	src.chart
	lib.floating_chart_version(object.get(src, "targetRevision", ""))
}

floating(src) if {
	not src.chart
	lib.floating_git_revision(object.get(src, "targetRevision", ""))
}

warn contains result if {
	# The full path: in regorus a rule read through the `lib` import costs a third more.
	data.argovet.lib.input_is_production
	some [path, src] in lib.app_sources(input)
	floating(src)
	rev := object.get(src, "targetRevision", "")
	result := {
		"msg": sprintf("production Application %q tracks the moving revision %q", [input.metadata.name, shown(rev)]),
		"path": field_path(path, src),
		"help": "pin `targetRevision` to a tag or a commit SHA (an exact chart version for Helm charts)",
	}
}

shown(rev) := "HEAD" if rev == ""

shown(rev) := rev if rev != ""

field_path(path, src) := sprintf("%s.targetRevision", [path]) if src.targetRevision

field_path(path, src) := path if not src.targetRevision
