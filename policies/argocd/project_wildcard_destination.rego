# METADATA
# title: AppProject allows every cluster or every namespace as a destination
# description: |
#   ## What it does
#   Flags AppProject `spec.destinations` entries whose `server`, `name` or `namespace` is `*`.
#
#   ## Why is this bad?
#   Destinations decide where a project's Applications may deploy. A `*` server or cluster name lets
#   them deploy to every cluster Argo CD manages (production included); a `*` namespace lets them
#   write into `kube-system`, `argocd` and every other team's namespace.
#
#   ## Example
#   ```yaml
#   spec:
#     destinations:
#       - server: '*'
#         namespace: '*'
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     destinations:
#       - name: prod-eu
#         namespace: payments-*
#   ```
# custom:
#   id: project-wildcard-destination
#   severity: warning
#   category: best-practice
#   kinds: [AppProject]
package argovet.argocd.project_wildcard_destination

import data.argovet.lib

warn contains result if {
	some i, dest in lib.items(input.spec.destinations)
	some field in ["server", "name", "namespace"]
	dest[field] == "*"
	result := {
		"msg": sprintf("AppProject %q allows every %s as a destination (`%s: '*'`)", [input.metadata.name, noun(field), field]),
		"path": sprintf("spec.destinations[%d].%s", [i, field]),
		"help": "name the clusters and namespaces (globs such as `team-*` are fine) this project may deploy to",
	}
}

noun("namespace") := "namespace"

noun("server") := "cluster"

noun("name") := "cluster"
