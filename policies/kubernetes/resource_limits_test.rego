package argovet.kubernetes.resource_limits_test

import data.argovet.kubernetes.resource_limits as rule

deployment(container) := {"kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"containers": [container]}}}}

test_fires_on_missing_limits if {
	count(rule.warn) == 2 with input as deployment({"name": "c", "image": "x:1"})
}

test_fires_on_missing_cpu_limit if {
	count(rule.warn) == 1 with input as deployment({"name": "c", "resources": {"limits": {"memory": "1Gi"}}})
}

test_quiet_with_limits if {
	count(rule.warn) == 0 with input as deployment({"name": "c", "resources": {"limits": {"memory": "1Gi", "cpu": "1"}}})
}

test_reads_cron_jobs if {
	count(rule.warn) == 2 with input as {"kind": "CronJob", "metadata": {"name": "j"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}}}
}
