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
