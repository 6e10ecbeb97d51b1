package argovet.argocd.production_floating_revision_test

import data.argovet.argocd.production_floating_revision as rule

app(ns, source) := {"kind": "Application", "metadata": {"name": "a"}, "spec": {"destination": {"namespace": ns}, "source": source}}

test_fires_on_branch_in_production if {
	count(rule.warn) == 1 with input as app("web-prod", {"repoURL": "https://g/x.git", "targetRevision": "main"})
}

test_fires_on_missing_revision if {
	count(rule.warn) == 1 with input as app("web-prod", {"repoURL": "https://g/x.git"})
}

test_fires_on_chart_range if {
	count(rule.warn) == 1 with input as app("web-prod", {"repoURL": "https://charts", "chart": "web", "targetRevision": "^1.2.0"})
}

test_quiet_on_tags_and_shas if {
	count(rule.warn) == 0 with input as app("web-prod", {"repoURL": "https://g/x.git", "targetRevision": "v1.2.3"})
	count(rule.warn) == 0 with input as app("web-prod", {"repoURL": "https://g/x.git", "targetRevision": "4f2a9c1d"})
	count(rule.warn) == 0 with input as app("web-prod", {"repoURL": "https://charts", "chart": "web", "targetRevision": "1.2.0"})
}

test_quiet_outside_production if {
	count(rule.warn) == 0 with input as app("web-dev", {"repoURL": "https://g/x.git", "targetRevision": "main"})
}

test_checks_every_source if {
	count(rule.warn) == 1 with input as {"kind": "Application", "metadata": {"name": "a"}, "spec": {
		"destination": {"name": "prod"},
		"sources": [{"repoURL": "https://g/x.git", "targetRevision": "v1"}, {"repoURL": "https://g/y.git", "targetRevision": "HEAD"}],
	}}
}

test_quiet_on_non_production_names if {
	count(rule.warn) == 0 with input as app("guestbook-non-prod", {"repoURL": "https://g/x.git", "targetRevision": "main"})
	count(rule.warn) == 0 with input as app("pre-prod", {"repoURL": "https://g/x.git", "targetRevision": "main"})
	count(rule.warn) == 0 with input as app("nonprod", {"repoURL": "https://g/x.git", "targetRevision": "main"})
}

# Whatever the sync policy: a moving revision is reported on manual and automated sync alike.
test_fires_with_and_without_automated_sync if {
	manual := app("web-prod", {"repoURL": "https://g/x.git", "targetRevision": "main"})
	count(rule.warn) == 1 with input as manual
	count(rule.warn) == 1 with input as object.union(manual, {"spec": {"syncPolicy": {"automated": {"selfHeal": true}}}})
}
