package argovet.argocd.appset_preserve_resources_test

import data.argovet.argocd.appset_preserve_resources as rule

appset(spec) := {"kind": "ApplicationSet", "metadata": {"name": "s"}, "spec": spec}

test_fires_without_sync_policy if {
	count(rule.warn) == 1 with input as appset({"generators": []})
}

test_fires_when_false if {
	count(rule.warn) == 1 with input as appset({"syncPolicy": {"preserveResourcesOnDeletion": false}})
}

test_quiet_when_true if {
	count(rule.warn) == 0 with input as appset({"syncPolicy": {"preserveResourcesOnDeletion": true}})
}
