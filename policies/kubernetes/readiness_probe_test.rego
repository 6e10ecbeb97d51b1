package argovet.kubernetes.readiness_probe_test

import data.argovet.kubernetes.readiness_probe as rule

sts(c) := {"kind": "StatefulSet", "metadata": {"name": "s"}, "spec": {"template": {"spec": {"containers": [c]}}}}

test_fires_without_probe if {
	count(rule.warn) == 1 with input as sts({"name": "c"})
}

test_quiet_with_probe if {
	count(rule.warn) == 0 with input as sts({"name": "c", "readinessProbe": {"tcpSocket": {"port": 80}}})
}
