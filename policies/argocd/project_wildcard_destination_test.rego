package argovet.argocd.project_wildcard_destination_test

import data.argovet.argocd.project_wildcard_destination as rule

project(dests) := {"kind": "AppProject", "metadata": {"name": "p"}, "spec": {"destinations": dests}}

test_fires_on_star_server_and_namespace if {
	count(rule.warn) == 2 with input as project([{"server": "*", "namespace": "*"}])
}

test_fires_on_star_cluster_name if {
	count(rule.warn) == 1 with input as project([{"name": "*", "namespace": "web"}])
}

test_quiet_on_globs if {
	count(rule.warn) == 0 with input as project([{"name": "prod-*", "namespace": "team-*"}])
}
