package argovet.argocd.project_wildcard_source_repos_test

import data.argovet.argocd.project_wildcard_source_repos as rule

project(repos) := {"kind": "AppProject", "metadata": {"name": "p"}, "spec": {"sourceRepos": repos}}

test_fires_on_star if {
	count(rule.warn) == 1 with input as project(["https://a.example/x.git", "*"])
}

test_quiet_on_explicit_repos if {
	count(rule.warn) == 0 with input as project(["https://a.example/*"])
}

test_quiet_without_source_repos if {
	count(rule.warn) == 0 with input as {"kind": "AppProject", "metadata": {"name": "p"}, "spec": {}}
}
