# METADATA
# title: Automated sync without a `retry` policy
# description: |
#   ## What it does
#   Flags Applications with `spec.syncPolicy.automated` and no `spec.syncPolicy.retry`.
#
#   ## Why is this bad?
#   Without `retry`, a sync that fails once (a webhook that is not ready yet, a CRD applied in the
#   same wave, an API server hiccup) stays failed: Argo CD does not try the same revision again
#   until the next commit, and the Application sits OutOfSync.
#
#   ## Example
#   ```yaml
#   syncPolicy:
#     automated: {selfHeal: true}
#   ```
#
#   ## Use instead
#   ```yaml
#   syncPolicy:
#     automated: {selfHeal: true}
#     retry:
#       limit: 5
#       backoff: {duration: 10s, factor: 2, maxDuration: 5m}
#   ```
# custom:
#   id: sync-retry-missing
#   severity: warning
#   category: best-practice
#   kinds: [Application]
package argovet.argocd.sync_retry_missing

warn contains result if {
	input.spec.syncPolicy.automated
	not input.spec.syncPolicy.retry
	result := {
		"msg": sprintf("Application %q syncs automatically but has no `retry` policy", [input.metadata.name]),
		"path": "spec.syncPolicy.automated",
		"help": "add `syncPolicy.retry` with a `limit` and a `backoff`",
	}
}
