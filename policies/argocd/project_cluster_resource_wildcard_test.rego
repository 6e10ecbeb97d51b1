package argovet.argocd.project_cluster_resource_wildcard_test

import data.argovet.argocd.project_cluster_resource_wildcard as rule

project(list) := {"kind": "AppProject", "metadata": {"name": "p"}, "spec": {"clusterResourceWhitelist": list}}

test_fires_on_star_kind if {
	count(rule.warn) == 1 with input as project([{"group": "*", "kind": "*"}])
}

test_quiet_on_named_kinds if {
	count(rule.warn) == 0 with input as project([{"group": "", "kind": "Namespace"}])
}
