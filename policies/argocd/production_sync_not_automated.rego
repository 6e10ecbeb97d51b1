# METADATA
# title: Production Application without automated sync
# description: |
#   ## What it does
#   Flags Applications that deploy to production (see "Production" in docs/policy.md: destination
#   namespace, cluster name or server, or Application labels, configurable under `production:` in
#   `.argovet.yaml`), have no `spec.syncPolicy.automated` (or have `automated.enabled: false`), and
#   whose sources are all pinned (a commit SHA or a version tag; an exact chart version).
#
#   An Application that tracks a moving revision (a branch, `HEAD`, a chart range) is left to
#   `production-floating-revision`: automating it would deploy every push to production unreviewed,
#   the opposite of what that rule asks. Pin first, then automate.
#
#   ## Why is this bad?
#   Without automated sync, what runs in production drifts from Git until someone presses Sync: a
#   merged fix is not deployed, and Git stops being the record of what runs.
#
#   ## Example
#   ```yaml
#   spec:
#     destination: {name: prod-eu, namespace: payments}
#     source: {repoURL: https://github.com/org/payments.git, targetRevision: v2.3.1}
#     syncPolicy: {}
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     syncPolicy:
#       automated: {prune: true, selfHeal: true}
#   ```
# custom:
#   id: production-sync-not-automated
#   severity: warning
#   category: best-practice
#   kinds: [Application]
package argovet.argocd.production_sync_not_automated

import data.argovet.lib

automated if {
	auto := input.spec.syncPolicy.automated
	object.get(auto, "enabled", true) != false
}

# A source moves: `production-floating-revision` speaks instead.
floating if {
	some [_, src] in lib.app_sources(input)
	lib.floating_source(src)
}

warn contains result if {
	# The full path: in regorus a rule read through the `lib` import costs a third more.
	data.argovet.lib.input_is_production
	not automated
	not floating
	result := {
		"msg": sprintf("production Application %q does not sync automatically", [input.metadata.name]),
		"path": "spec.syncPolicy",
		"help": "add `syncPolicy.automated` (with `selfHeal: true`) so production follows Git",
	}
}
