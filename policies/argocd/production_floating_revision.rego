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
#   This rule and `production-sync-not-automated` lead to the same end state, a pinned revision
#   synced automatically: while a source moves, only this rule speaks (pin first); once every
#   source is pinned, `production-sync-not-automated` asks for automated sync.
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
#   category: best-practice
#   kinds: [Application]
package argovet.argocd.production_floating_revision

import data.argovet.lib

warn contains result if {
	# The full path: in regorus a rule read through the `lib` import costs a third more.
	data.argovet.lib.input_is_production
	some [path, src] in lib.app_sources(input)
	lib.floating_source(src)
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
