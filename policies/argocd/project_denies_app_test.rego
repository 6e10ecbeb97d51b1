package argovet.argocd.project_denies_app_test

import data.argovet.argocd.project_denies_app as rule

project := {"kind": "AppProject", "metadata": {"name": "pay"}, "spec": {
	"sourceRepos": ["https://github.com/org/pay-*", "!https://github.com/org/pay-legacy"],
	"destinations": [{"server": "https://kubernetes.default.svc", "namespace": "pay-*"}, {"name": "prod-eu", "namespace": "pay"}],
}}

app(repo, dest) := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"}, "spec": {
	"project": "pay", "source": {"repoURL": repo}, "destination": dest,
}}

docs(a) := [{"path": "p.yaml", "contents": project}, {"path": "a.yaml", "contents": a}]

in_cluster := {"server": "https://kubernetes.default.svc", "namespace": "pay-api"}

test_quiet_when_permitted if {
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api.git", in_cluster))
	count(rule.deny) == 0 with input as docs(app("https://GitHub.com/org/pay-api/", {"name": "prod-eu", "namespace": "pay"}))
}

test_fires_on_repo_outside_source_repos if {
	count(rule.deny) == 1 with input as docs(app("https://github.com/org/web.git", in_cluster))
}

test_fires_on_negated_repo if {
	count(rule.deny) == 1 with input as docs(app("https://github.com/org/pay-legacy.git", in_cluster))
}

test_fires_on_namespace_outside_destinations if {
	count(rule.deny) == 1 with input as docs(app("https://github.com/org/pay-api", {"server": "https://kubernetes.default.svc", "namespace": "kube-system"}))
}

test_quiet_when_cluster_names_cannot_be_compared if {
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api", {"name": "in-cluster", "namespace": "pay-x"}))
}

test_quiet_when_project_is_not_in_the_repository if {
	count(rule.deny) == 0 with input as [{"path": "a.yaml", "contents": app("https://x/y", {})}]
}

test_quiet_when_project_name_is_ambiguous if {
	other := object.union(project, {"spec": {"sourceRepos": ["https://x/*"]}})
	count(rule.deny) == 0 with input as [
		{"path": "p.yaml", "contents": project},
		{"path": "q.yaml", "contents": other},
		{"path": "a.yaml", "contents": app("https://github.com/org/web.git", in_cluster)},
	]
}

test_fires_on_each_source_outside_source_repos if {
	a := object.union(app("https://github.com/org/pay-api", in_cluster), {"spec": {"sources": [
		{"repoURL": "https://github.com/org/pay-ui.git"},
		{"repoURL": "https://github.com/org/web.git"},
	]}})
	found := rule.deny with input as docs(a)
	[f.path | some f in found] == ["spec.sources[1].repoURL"]
}

test_fires_on_a_negated_destination if {
	denying := object.union(project, {"spec": {"destinations": [
		{"server": "https://kubernetes.default.svc", "namespace": "pay-*"},
		{"server": "!https://kubernetes.default.svc", "namespace": "pay-secret"},
	]}})
	input_docs := [{"path": "p.yaml", "contents": denying}, {"path": "a.yaml", "contents": app("https://github.com/org/pay-api", in_cluster)}]
	count(rule.deny) == 0 with input as input_docs
	secret := {"server": "https://kubernetes.default.svc", "namespace": "pay-secret"}
	secret_docs := [input_docs[0], {"path": "a.yaml", "contents": app("https://github.com/org/pay-api", secret)}]
	count(rule.deny) == 1 with input as secret_docs
}
