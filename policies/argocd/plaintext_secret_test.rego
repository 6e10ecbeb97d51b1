package argovet.argocd.plaintext_secret_test

import data.argovet.argocd.plaintext_secret as rule

test_fires_on_data if {
	count(rule.deny) == 1 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"password": "aHVudGVyMg=="}}
}

test_fires_on_string_data if {
	count(rule.deny) == 1 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "stringData": {"password": "hunter2"}}
}

test_quiet_on_empty_secret if {
	count(rule.deny) == 0 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}}
}

test_quiet_on_sops_encrypted_secret if {
	count(rule.deny) == 0 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"p": "ENC[...]"}, "sops": {"version": "3"}}
}

test_quiet_on_sealed_secret if {
	count(rule.deny) == 0 with input as {"apiVersion": "bitnami.com/v1alpha1", "kind": "Secret", "metadata": {"name": "db"}, "data": {"p": "x"}}
}
