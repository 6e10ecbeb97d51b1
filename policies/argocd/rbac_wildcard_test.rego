package argovet.argocd.rbac_wildcard_test

import data.argovet.argocd.rbac_wildcard as rule

rbac_cm(csv) := {"kind": "ConfigMap", "metadata": {"name": "argocd-rbac-cm"}, "data": {"policy.csv": csv}}

test_fires_on_wildcard_action_and_object_in_rbac_cm if {
	count(rule.warn) == 1 with input as rbac_cm("p, role:ci, applications, *, */*, allow\n")
}

test_fires_on_wildcard_in_named_csv_key if {
	count(rule.warn) == 1 with input as {"kind": "ConfigMap", "metadata": {"name": "argocd-rbac-cm"}, "data": {"policy.team.csv": "p, role:x, applications, get, *, allow"}}
}

test_quiet_on_narrow_grants_and_denies if {
	count(rule.warn) == 0 with input as rbac_cm("p, role:ci, applications, sync, pay/*, allow\np, role:x, applications, *, */*, deny\ng, alice, role:ci\n")
}

test_quiet_on_other_config_maps if {
	count(rule.warn) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "other"}, "data": {"policy.csv": "p, r, applications, *, *, allow"}}
}

test_fires_on_project_role if {
	count(rule.warn) == 1 with input as {"kind": "AppProject", "metadata": {"name": "p"}, "spec": {"roles": [{"name": "ci", "policies": ["p, proj:p:ci, applications, *, p/*, allow"]}]}}
}
