package argovet.argocd.project_denies_app_test

import data.argovet.argocd.project_denies_app as rule

# Expected values follow Argo CD's `AppProject.IsSourcePermitted`, `isDestinationMatched` and
# `argo.ValidatePermissions` (pkg/apis/application/v1alpha1/app_project_types.go, util/argo/argo.go).

project := {"kind": "AppProject", "metadata": {"name": "pay"}, "spec": {
	"sourceRepos": ["https://github.com/org/pay-*"],
	"destinations": [{"server": "https://kubernetes.default.svc", "namespace": "pay-*"}, {"name": "prod-eu", "namespace": "pay"}],
}}

with_spec(p, spec) := json.patch(p, [{"op": "add", "path": sprintf("/spec/%s", [k]), "value": v} | some k, v in spec])

app_spec(spec) := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "a"}, "spec": object.union({"project": "pay"}, spec)}

app(repo, dest) := app_spec({"source": {"repoURL": repo, "path": "."}, "destination": dest})

docs(a) := [{"path": "p.yaml", "contents": project}, {"path": "a.yaml", "contents": a}]

docs_with(p, a) := [{"path": "p.yaml", "contents": p}, {"path": "a.yaml", "contents": a}]

in_cluster := {"server": "https://kubernetes.default.svc", "namespace": "pay-api"}

paths(found) := sort([f.path | some f in found])

# Sources.

test_quiet_when_permitted if {
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api.git", in_cluster))
	count(rule.deny) == 0 with input as docs(app(" https://GitHub.com/org/Pay-API.git", {"name": "prod-eu", "namespace": "pay"}))
}

test_fires_on_repo_outside_source_repos if {
	paths(rule.deny) == ["spec.source.repoURL"] with input as docs(app("https://github.com/org/web.git", in_cluster))
}

test_fires_on_negated_repo if {
	p := with_spec(project, {"sourceRepos": ["https://github.com/org/pay-*", "!https://github.com/org/pay-legacy"]})
	paths(rule.deny) == ["spec.source.repoURL"] with input as docs_with(p, app("https://github.com/org/pay-legacy.git", in_cluster))
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/pay-api.git", in_cluster))
}

# Argo CD keeps a trailing `/`, and `*` stops at `/`.
test_star_stops_at_a_slash if {
	count(rule.deny) == 1 with input as docs(app("https://github.com/org/pay-api/", in_cluster))
	count(rule.deny) == 1 with input as docs(app("https://github.com/org/pay-api/sub", in_cluster))
	p := with_spec(project, {"sourceRepos": ["https://github.com/org/**"]})
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/team/pay", in_cluster))
}

test_star_alone_permits_everything if {
	p := with_spec(project, {"sourceRepos": ["*"]})
	count(rule.deny) == 0 with input as docs_with(p, app("git@gitlab.example.com:a/b/c.git", in_cluster))
	count(rule.deny) == 0 with input as docs_with(p, app("oci://registry.example.com/charts", in_cluster))
}

# A `!` pattern that does not match permits (`IsSourcePermitted` sets `anySourceMatched` for it;
# Argo CD's documentation says otherwise, its code is what runs): a list of `!` patterns alone
# permits everything else, and so does one beside patterns that permit.
test_negated_patterns_permit_the_rest if {
	p := with_spec(project, {"sourceRepos": ["!https://github.com/evil/*"]})
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/web", in_cluster))
	count(rule.deny) == 1 with input as docs_with(p, app("https://github.com/evil/web", in_cluster))
	q := with_spec(project, {"sourceRepos": ["https://github.com/org/pay-*", "!https://github.com/org/pay-legacy"]})
	count(rule.deny) == 0 with input as docs_with(q, app("https://github.com/org/web.git", in_cluster))
}

test_ssh_urls_are_normalised if {
	p := with_spec(project, {"sourceRepos": ["ssh://git@github.com/org/pay-api.git", "git@github.com:infra/*"]})
	count(rule.deny) == 0 with input as docs_with(p, app("git@github.com:org/pay-api.git", in_cluster))
	count(rule.deny) == 0 with input as docs_with(p, app("ssh://git@github.com/infra/base", in_cluster))
	count(rule.deny) == 1 with input as docs_with(p, app("git@github.com:other/pay-api.git", in_cluster))
}

test_fires_on_each_source_outside_source_repos if {
	a := app_spec({"destination": in_cluster, "sources": [
		{"repoURL": "https://github.com/org/pay-ui.git", "path": "ui"},
		{"repoURL": "https://github.com/org/web.git", "chart": "web", "targetRevision": "1.0.0"},
		{"repoURL": "https://github.com/org/values.git", "ref": "values"},
	]})
	paths(rule.deny) == ["spec.sources[1].repoURL", "spec.sources[2].repoURL"] with input as docs(a)
}

# With `sources`, Argo CD ignores `source`.
test_source_is_ignored_beside_sources if {
	a := app_spec({"destination": in_cluster, "source": {"repoURL": "https://github.com/org/web.git", "path": "."}, "sources": [{"repoURL": "https://github.com/org/pay-ui.git", "path": "ui"}]})
	count(rule.deny) == 0 with input as docs(a)
}

# Argo CD stops at an invalid source with its own error: nothing after it is checked.
test_quiet_after_an_invalid_source if {
	a := app_spec({"destination": {"server": "https://kubernetes.default.svc", "namespace": "kube-system"}, "sources": [
		{"repoURL": "https://github.com/org/web.git"},
		{"repoURL": "https://github.com/org/other.git", "path": "."},
	]})
	count(rule.deny) == 0 with input as docs(a)
	chart := app_spec({"destination": in_cluster, "source": {"repoURL": "https://github.com/org/web.git", "chart": "web"}})
	count(rule.deny) == 0 with input as docs(chart)
	no_path := app_spec({"destination": in_cluster, "source": {"repoURL": "https://github.com/org/web.git"}})
	count(rule.deny) == 0 with input as docs(no_path)
}

test_checks_the_source_hydrator if {
	a := app_spec({"destination": in_cluster, "sourceHydrator": {
		"drySource": {"repoURL": "https://github.com/org/web.git", "path": "."},
		"syncSource": {"targetBranch": "env/prod", "path": "out", "repoURL": "https://github.com/org/pay-rendered"},
	}})
	paths(rule.deny) == ["spec.sourceHydrator.drySource.repoURL"] with input as docs(a)
	b := json.patch(a, [{"op": "replace", "path": "/spec/sourceHydrator/drySource/repoURL", "value": "https://github.com/org/pay-api"}, {"op": "replace", "path": "/spec/sourceHydrator/syncSource/repoURL", "value": "https://github.com/org/rendered"}])
	paths(rule.deny) == ["spec.sourceHydrator.syncSource.repoURL"] with input as docs(b)
	no_branch := json.patch(a, [{"op": "remove", "path": "/spec/sourceHydrator/syncSource/targetBranch"}])
	count(rule.deny) == 0 with input as docs(no_branch)
}

# Project-scoped repository and cluster Secrets add to an empty list, and are rarely in Git.
test_quiet_on_empty_lists if {
	p := with_spec(project, {"sourceRepos": [], "destinations": []})
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/web.git", {"server": "https://x", "namespace": "kube-system"}))
}

test_quiet_with_global_projects if {
	cm := {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cm"}, "data": {"globalProjects": "- projectName: base\n  labelSelector: {matchLabels: {base: 'true'}}\n"}}
	count(rule.deny) == 0 with input as array.concat(docs(app("https://github.com/org/web.git", in_cluster)), [{"path": "cm.yaml", "contents": cm}])
	other_cm := json.patch(cm, [{"op": "replace", "path": "/metadata/name", "value": "other"}])
	count(rule.deny) == 1 with input as array.concat(docs(app("https://github.com/org/web.git", in_cluster)), [{"path": "cm.yaml", "contents": other_cm}])
}

test_empty_project_means_default if {
	p := json.patch(project, [{"op": "replace", "path": "/metadata/name", "value": "default"}])
	a := json.patch(app("https://github.com/org/web.git", in_cluster), [{"op": "remove", "path": "/spec/project"}])
	count(rule.deny) == 1 with input as docs_with(p, a)
}

test_quiet_when_project_is_not_in_the_repository if {
	count(rule.deny) == 0 with input as [{"path": "a.yaml", "contents": app("https://x/y", in_cluster)}]
}

test_quiet_when_project_name_is_ambiguous if {
	other := with_spec(project, {"sourceRepos": ["https://x/*"]})
	count(rule.deny) == 0 with input as [
		{"path": "p.yaml", "contents": project},
		{"path": "q.yaml", "contents": other},
		{"path": "a.yaml", "contents": app("https://github.com/org/web.git", in_cluster)},
	]
}

# Destinations.

test_fires_on_namespace_outside_destinations if {
	paths(rule.deny) == ["spec.destination"] with input as docs(app("https://github.com/org/pay-api", {"server": "https://kubernetes.default.svc", "namespace": "kube-system"}))
	# The namespace matches no entry: refused whatever the cluster's server.
	count(rule.deny) == 1 with input as docs(app("https://github.com/org/pay-api", {"name": "staging", "namespace": "kube-system"}))
}

test_server_is_compared_without_trailing_slashes if {
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api", {"server": "https://kubernetes.default.svc/", "namespace": "pay-x"}))
}

# The Application names its cluster; the project lists servers: the server is unknown.
test_quiet_when_the_other_cluster_field_could_match if {
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api", {"name": "in-cluster", "namespace": "pay-x"}))
}

test_fires_when_no_cluster_field_can_match if {
	p := with_spec(project, {"destinations": [{"name": "prod-*", "namespace": "*"}]})
	count(rule.deny) == 1 with input as docs_with(p, app("https://github.com/org/pay-api", {"name": "staging", "namespace": "web"}))
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/pay-api", {"name": "prod-eu", "namespace": "web"}))
	# By server, the cluster's name is unknown: it could be `prod-...`.
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/pay-api", {"server": "https://10.0.0.1", "namespace": "web"}))
}

test_fires_on_a_negated_destination if {
	denying := with_spec(project, {"destinations": [
		{"server": "https://kubernetes.default.svc", "namespace": "pay-*"},
		{"server": "!https://kubernetes.default.svc", "namespace": "pay-secret"},
	]})
	count(rule.deny) == 0 with input as docs_with(denying, app("https://github.com/org/pay-api", in_cluster))
	secret := {"server": "https://kubernetes.default.svc", "namespace": "pay-secret"}
	count(rule.deny) == 1 with input as docs_with(denying, app("https://github.com/org/pay-api", secret))
}

# `namespace: '!kube-system'` alone permits every other namespace.
test_negated_namespace_alone_permits_the_rest if {
	p := with_spec(project, {"destinations": [{"server": "*", "namespace": "!kube-system"}]})
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/pay-api", {"server": "https://a", "namespace": "web"}))
	count(rule.deny) == 1 with input as docs_with(p, app("https://github.com/org/pay-api", {"server": "https://a", "namespace": "kube-system"}))
}

test_negated_name if {
	p := with_spec(project, {"destinations": [{"name": "!prod-*", "namespace": "*"}]})
	count(rule.deny) == 1 with input as docs_with(p, app("https://github.com/org/pay-api", {"name": "prod-eu", "namespace": "web"}))
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/pay-api", {"name": "dev", "namespace": "web"}))
	# By server: the name could be either.
	count(rule.deny) == 0 with input as docs_with(p, app("https://github.com/org/pay-api", {"server": "https://a", "namespace": "web"}))
}

# Argo CD refuses these with another error first.
test_quiet_on_both_or_neither_cluster_field if {
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api", {"server": "https://a", "name": "a", "namespace": "kube-system"}))
	count(rule.deny) == 0 with input as docs(app("https://github.com/org/pay-api", {"namespace": "kube-system"}))
}
