package argovet.kubernetes.run_as_non_root_test

import data.argovet.kubernetes.run_as_non_root as rule

pod(pod_ctx, c_ctx) := {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": pod_ctx, "containers": [{"name": "c", "securityContext": c_ctx}]}}

test_fires_without_run_as_non_root if {
	count(rule.warn) == 1 with input as pod({}, {})
}

test_quiet_with_pod_setting if {
	count(rule.warn) == 0 with input as pod({"runAsNonRoot": true}, {})
}

test_quiet_with_container_setting if {
	count(rule.warn) == 0 with input as pod({}, {"runAsNonRoot": true})
}
