package argovet.argocd.sync_retry_missing_test

import data.argovet.argocd.sync_retry_missing as rule

app(sync) := {"kind": "Application", "metadata": {"name": "a"}, "spec": {"syncPolicy": sync}}

test_fires_without_retry if {
	count(rule.warn) == 1 with input as app({"automated": {"selfHeal": true}})
}

test_fires_on_empty_automated if {
	count(rule.warn) == 1 with input as app({"automated": {}})
}

test_quiet_with_retry if {
	count(rule.warn) == 0 with input as app({"automated": {}, "retry": {"limit": 3}})
}

test_quiet_on_manual_sync if {
	count(rule.warn) == 0 with input as app({})
}
