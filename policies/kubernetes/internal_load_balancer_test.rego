package argovet.kubernetes.internal_load_balancer_test

import data.argovet.kubernetes.internal_load_balancer as rule

svc(type, ann) := {"kind": "Service", "metadata": {"name": "s", "annotations": ann}, "spec": {"type": type}}

test_fires_on_public_load_balancer if {
	count(rule.warn) == 1 with input as svc("LoadBalancer", {})
}

test_quiet_on_internal_load_balancers if {
	count(rule.warn) == 0 with input as svc("LoadBalancer", {"networking.gke.io/load-balancer-type": "Internal"})
	count(rule.warn) == 0 with input as svc("LoadBalancer", {"service.beta.kubernetes.io/aws-load-balancer-scheme": "internal"})
}

test_quiet_on_cluster_ip if {
	count(rule.warn) == 0 with input as svc("ClusterIP", {})
}
