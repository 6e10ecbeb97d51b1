package argovet.argocd.plaintext_secret_test

import data.argovet.argocd.plaintext_secret as rule

secret(fields) := object.union({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}}, fields)

test_fires_on_data if {
	count(rule.warn) == 1 with input as secret({"data": {"password": "aHVudGVyMg=="}})
}

test_fires_on_string_data if {
	count(rule.warn) == 1 with input as secret({"stringData": {"password": "hunter2"}})
}

test_fires_once_per_field if {
	count(rule.warn) == 2 with input as secret({"data": {"a": "eA=="}, "stringData": {"b": "x"}})
}

test_fires_when_one_value_of_several_is_set if {
	count(rule.warn) == 1 with input as secret({"stringData": {"user": "", "password": "hunter2", "token": null}})
}

test_fires_on_a_value_that_is_not_a_string if {
	count(rule.warn) == 1 with input as secret({"stringData": {"port": 5432}})
}

test_quiet_on_secret_without_data if {
	count(rule.warn) == 0 with input as secret({})
}

test_quiet_on_empty_maps if {
	count(rule.warn) == 0 with input as secret({"data": {}, "stringData": {}})
}

test_quiet_on_null_maps if {
	count(rule.warn) == 0 with input as secret({"data": null, "stringData": null})
}

test_quiet_when_every_value_is_empty_or_null if {
	count(rule.warn) == 0 with input as secret({"data": {"password": ""}, "stringData": {"token": null, "user": ""}})
}

test_quiet_on_sops_encrypted_secret if {
	count(rule.warn) == 0 with input as secret({"data": {"p": "ENC[...]"}, "sops": {"version": "3"}})
}

test_quiet_on_sealed_secret if {
	count(rule.warn) == 0 with input as secret({"apiVersion": "bitnami.com/v1alpha1", "data": {"p": "x"}})
}

test_reports_the_field if {
	[r.path | some r in rule.warn] == ["stringData"] with input as secret({"data": {"a": ""}, "stringData": {"b": "x"}})
}
