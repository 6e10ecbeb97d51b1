package argovet.argocd.selfheal_hpa_replicas_test

import data.argovet.argocd.selfheal_hpa_replicas as rule

app(extra) := object.union({
	"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "web"},
	"spec": {"source": {"path": "apps/web"}, "syncPolicy": {"automated": {"selfHeal": true}}},
}, extra)

deployment(replicas) := {"kind": "Deployment", "metadata": {"name": "web"}, "spec": object.union({"template": {}}, replicas)}

hpa := {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}}}

docs(a, d) := [
	{"path": "argocd/web.yaml", "contents": a},
	{"path": "apps/web/deployment.yaml", "contents": d},
	{"path": "apps/web/hpa.yaml", "contents": hpa},
]

test_fires_when_hpa_scales_deployment_with_replicas if {
	count(rule.warn) == 1 with input as docs(app({}), deployment({"replicas": 3}))
}

test_quiet_with_ignore_differences if {
	ignore := {"spec": {"ignoreDifferences": [{"group": "apps", "kind": "Deployment", "jsonPointers": ["/spec/replicas"]}]}}
	count(rule.warn) == 0 with input as docs(app(ignore), deployment({"replicas": 3}))
}

test_quiet_when_deployment_leaves_replicas_to_hpa if {
	count(rule.warn) == 0 with input as docs(app({}), deployment({}))
}

test_quiet_without_self_heal if {
	count(rule.warn) == 0 with input as docs(app({"spec": {"syncPolicy": {"automated": {"selfHeal": false}}}}), deployment({"replicas": 3}))
}

test_quiet_for_other_directories if {
	count(rule.warn) == 0 with input as docs(app({"spec": {"source": {"path": "apps/api"}}}), deployment({"replicas": 3}))
}

# What "a file lies in the source directory (or below it)" means: the file's name starts with
# `dir/` or contains `/dir/`.
in_dir(file, dir) if startswith(file, concat("", [dir, "/"]))

in_dir(file, dir) if contains(file, concat("", ["/", dir, "/"]))

# An Application deploying `dir`, and a Deployment and its HPA in `file`.
in_file(file, dir) := [
	{"path": "argocd/web.yaml", "contents": app({"spec": {"source": {"path": dir}}})},
	{"path": file, "contents": deployment({"replicas": 3})},
	{"path": file, "contents": hpa},
]

test_fires_exactly_for_the_files_in_the_source_directory if {
	files := ["apps/web/deploy.yaml", "/abs/repo/apps/web/x.yaml", "x/a//b/f.yaml", "f.yaml", "./apps/web/f.yaml"]
	dirs := {"apps", "apps/web", "web", "repo/apps", "/abs", "abs", "abs/repo/apps/web", "a//b", "b", "x/a", "pps", "apps/we", "f.yaml", "x/a//b/f.yaml", "web/x.yaml"}
	fired := {[f, d] | some f in files; some d in dirs; count(rule.warn) == 1 with input as in_file(f, d)}
	expected := {[f, d] | some f in files; some d in dirs; in_dir(f, d)}
	count(expected) == 16
	fired == expected
}

test_fires_for_a_parent_directory if {
	count(rule.warn) == 1 with input as docs(app({"spec": {"source": {"path": "./apps/"}}}), deployment({"replicas": 3}))
}

test_hpa_and_workload_must_share_the_directory if {
	d := deployment({"replicas": 3})
	split_docs := [
		{"path": "argocd/web.yaml", "contents": app({})},
		{"path": "apps/web/deployment.yaml", "contents": d},
		{"path": "apps/other/hpa.yaml", "contents": hpa},
	]
	count(rule.warn) == 0 with input as split_docs
	parent := {"path": "argocd/all.yaml", "contents": app({"metadata": {"name": "all"}, "spec": {"source": {"path": "apps"}}})}
	count(rule.warn) == 1 with input as array.concat(split_docs, [parent])
}

test_one_finding_per_app_workload_and_hpa if {
	many := [
		{"path": "argocd/web.yaml", "contents": app({})},
		{"path": "apps/web/deployment.yaml", "contents": deployment({"replicas": 3})},
		{"path": "apps/web/hpa.yaml", "contents": hpa},
		{"path": "apps/web/hpa2.yaml", "contents": object.union(hpa, {"metadata": {"name": "web-2"}})},
		{"path": "apps/web/api.yaml", "contents": {"kind": "StatefulSet", "metadata": {"name": "api"}, "spec": {"replicas": 1}}},
		{"path": "apps/web/api-hpa.yaml", "contents": {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "api"}, "spec": {"scaleTargetRef": {"kind": "StatefulSet", "name": "api"}}}},
		{"path": "apps/api/other.yaml", "contents": {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "x"}, "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "nope"}}}},
	]
	count(rule.warn) == 3 with input as many
}

test_quiet_for_workloads_outside_the_apps_group if {
	rollout := {"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "metadata": {"name": "web"}, "spec": {"replicas": 3}}
	rollout_hpa := object.union(hpa, {"spec": {"scaleTargetRef": {"kind": "Rollout", "name": "web"}}})
	count(rule.warn) == 0 with input as [
		{"path": "argocd/web.yaml", "contents": app({})},
		{"path": "apps/web/rollout.yaml", "contents": rollout},
		{"path": "apps/web/hpa.yaml", "contents": rollout_hpa},
	]
}

test_group_collects_values_by_key if {
	rule.group({["b", 2], ["a", 1], ["b", 1], ["c", 3], ["a", 1]}) == {"a": {1}, "b": {1, 2}, "c": {3}}
	rule.group(set()) == {}
	rule.group({[["k", 1], "x"], [["k", 1], "y"], [["k", 2], "x"]}) == {["k", 1]: {"x", "y"}, ["k", 2]: {"x"}}
}

test_every_application_of_a_directory_fires if {
	other := object.union(app({}), {"metadata": {"name": "web-eu"}, "spec": {"source": {"path": "./apps/web/"}}})
	quiet := object.union(app({}), {"metadata": {"name": "api"}, "spec": {"source": {"path": "apps/api"}}})
	input_docs := array.concat(docs(app({}), deployment({"replicas": 3})), [
		{"path": "argocd/web-eu.yaml", "contents": other},
		{"path": "argocd/api.yaml", "contents": quiet},
	])
	names := {r.resource.name | some r in rule.warn} with input as input_docs
	names == {"web", "web-eu"}
}

hpa_range(min, max) := {"kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"}, "spec": {
	"scaleTargetRef": {"kind": "Deployment", "name": "web"},
	"minReplicas": min,
	"maxReplicas": max,
}}

with_hpa(a, d, h) := [
	{"path": "argocd/web.yaml", "contents": a},
	{"path": "apps/web/deployment.yaml", "contents": d},
	{"path": "apps/web/hpa.yaml", "contents": h},
]

# minReplicas = maxReplicas = replicas: the HPA never changes the count.
test_quiet_when_the_hpa_is_pinned_to_the_replicas if {
	count(rule.warn) == 0 with input as with_hpa(app({}), deployment({"replicas": 1}), hpa_range(1, 1))
	count(rule.warn) == 0 with input as with_hpa(app({}), deployment({"replicas": 2}), hpa_range(2, 2))
}

test_fires_when_the_hpa_is_pinned_to_another_count if {
	count(rule.warn) == 1 with input as with_hpa(app({}), deployment({"replicas": 3}), hpa_range(2, 2))
}

test_fires_when_the_hpa_has_a_range if {
	count(rule.warn) == 1 with input as with_hpa(app({}), deployment({"replicas": 1}), hpa_range(1, 5))
	# minReplicas defaults to 1.
	h := json.patch(hpa_range(1, 1), [{"op": "remove", "path": "/spec/minReplicas"}])
	count(rule.warn) == 0 with input as with_hpa(app({}), deployment({"replicas": 1}), h)
	count(rule.warn) == 1 with input as with_hpa(app({}), deployment({"replicas": 2}), h)
}

test_fires_when_a_second_hpa_can_move_it if {
	docs := array.concat(with_hpa(app({}), deployment({"replicas": 1}), hpa_range(1, 1)), [{"path": "apps/web/hpa2.yaml", "contents": hpa_range(1, 4)}])
	count(rule.warn) >= 1 with input as docs
}
