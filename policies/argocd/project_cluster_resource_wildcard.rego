# METADATA
# title: AppProject allows every cluster-scoped resource
# description: |
#   ## What it does
#   Flags AppProject `spec.clusterResourceWhitelist` entries whose `kind` is `*` (for any `group`).
#
#   ## Why is this bad?
#   Cluster-scoped resources (ClusterRoles, ClusterRoleBindings, CRDs, Namespaces, webhooks) affect
#   the whole cluster. Allowing all of them lets an Application in the project grant itself
#   cluster-admin or replace admission webhooks.
#
#   ## Example
#   ```yaml
#   spec:
#     clusterResourceWhitelist:
#       - group: '*'
#         kind: '*'
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     clusterResourceWhitelist:
#       - group: ''
#         kind: Namespace
#   ```
# custom:
#   id: project-cluster-resource-wildcard
#   severity: warning
#   category: best-practice
#   kinds: [AppProject]
package argovet.argocd.project_cluster_resource_wildcard

import data.argovet.lib

warn contains result if {
	some i, entry in lib.items(input.spec.clusterResourceWhitelist)
	entry.kind == "*"
	result := {
		"msg": sprintf("AppProject %q allows every cluster-scoped resource kind in group %q", [input.metadata.name, object.get(entry, "group", "")]),
		"path": sprintf("spec.clusterResourceWhitelist[%d]", [i]),
		"help": "list the cluster-scoped kinds the project needs (for example `{group: '', kind: Namespace}`)",
	}
}
