package argovet.argocd.production_sync_not_automated_test

import data.argovet.argocd.production_sync_not_automated as rule

app(ns, sync) := app_with(ns, sync, {"repoURL": "https://g/x.git", "targetRevision": "v1.2.3"})

app_with(ns, sync, source) := {"kind": "Application", "metadata": {"name": "a"}, "spec": {
	"destination": {"namespace": ns},
	"source": source,
	"syncPolicy": sync,
}}

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

test_fires_on_pinned_sources if {
	count(rule.warn) == 1 with input as app_with("prod", {}, {"repoURL": "https://g/x.git", "targetRevision": "4f2a9c1d"})
	count(rule.warn) == 1 with input as app_with("prod", {}, {"repoURL": "https://charts", "chart": "web", "targetRevision": "1.2.0"})
}

# A moving revision is `production-floating-revision`'s: this rule does not ask to automate it.
test_quiet_while_a_source_moves if {
	count(rule.warn) == 0 with input as app_with("prod", {}, {"repoURL": "https://g/x.git", "targetRevision": "main"})
	count(rule.warn) == 0 with input as app_with("prod", {}, {"repoURL": "https://g/x.git"})
	count(rule.warn) == 0 with input as app_with("prod", {}, {"repoURL": "https://charts", "chart": "web", "targetRevision": "1.*"})
	count(rule.warn) == 0 with input as {"kind": "Application", "metadata": {"name": "a"}, "spec": {
		"destination": {"namespace": "prod"},
		"sources": [{"repoURL": "https://g/x.git", "targetRevision": "v1"}, {"repoURL": "https://g/y.git", "targetRevision": "HEAD"}],
	}}
}

test_quiet_on_non_production_names if {
	count(rule.warn) == 0 with input as app("guestbook-non-prod", {})
	count(rule.warn) == 0 with input as app("pre-prod", {})
	count(rule.warn) == 0 with input as app("non-production", {})
}

test_production_patterns_are_configurable if {
	count(rule.warn) == 1 with input as app("live", {}) with data.argovet_config.production as {"namespaces": ["^live$"]}
	count(rule.warn) == 0 with input as app("payments-prod", {}) with data.argovet_config.production as {"namespaces": ["^live$"]}
}
