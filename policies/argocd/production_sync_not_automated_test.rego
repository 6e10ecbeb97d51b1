package argovet.argocd.production_sync_not_automated_test

import data.argovet.argocd.production_sync_not_automated as rule

app(ns, sync) := {"kind": "Application", "metadata": {"name": "a"}, "spec": {"destination": {"namespace": ns}, "syncPolicy": sync}}

test_fires_on_manual_sync_in_production if {
	count(rule.warn) == 1 with input as app("payments-prod", {})
}

test_fires_when_automation_is_disabled if {
	count(rule.warn) == 1 with input as app("prod", {"automated": {"enabled": false}})
}

test_quiet_when_automated if {
	count(rule.warn) == 0 with input as app("payments-prod", {"automated": {"selfHeal": true}})
}

test_quiet_outside_production if {
	count(rule.warn) == 0 with input as app("payments-dev", {})
}

test_production_by_label if {
	count(rule.warn) == 1 with input as {"kind": "Application", "metadata": {"name": "a", "labels": {"env": "prod"}}, "spec": {"destination": {"namespace": "web"}}}
}

test_production_patterns_are_configurable if {
	count(rule.warn) == 1 with input as app("live", {}) with data.argovet_config.production as {"namespaces": ["^live$"]}
	count(rule.warn) == 0 with input as app("payments-prod", {}) with data.argovet_config.production as {"namespaces": ["^live$"]}
}
