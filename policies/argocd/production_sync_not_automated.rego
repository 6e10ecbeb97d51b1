# METADATA
# title: Production Application without automated sync
# description: |
#   ## What it does
#   Flags Applications that deploy to production (see "Production" in docs/policy.md: destination
#   namespace, cluster name or server, or Application labels, configurable under `production:` in
#   `.argovet.yaml`) and have no `spec.syncPolicy.automated` (or have `automated.enabled: false`).
#
#   ## Why is this bad?
#   Without automated sync, what runs in production drifts from Git until someone presses Sync: a
#   merged fix is not deployed, and Git stops being the record of what runs.
#
#   ## Example
#   ```yaml
#   spec:
#     destination: {name: prod-eu, namespace: payments}
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
#   kinds: [Application]
package argovet.argocd.production_sync_not_automated

import data.argovet.lib

automated if {
	auto := input.spec.syncPolicy.automated
	object.get(auto, "enabled", true) != false
}

warn contains result if {
	# The full path: in regorus a rule read through the `lib` import costs a third more.
	data.argovet.lib.input_is_production
	not automated
	result := {
		"msg": sprintf("production Application %q does not sync automatically", [input.metadata.name]),
		"path": "spec.syncPolicy",
		"help": "add `syncPolicy.automated` (with `selfHeal: true`) so production follows Git",
	}
}
