package argovet.argocd.private_key_test

import data.argovet.argocd.private_key as rule

pem := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n"

test_fires_on_a_key_in_string_data if {
	count(rule.warn) == 1 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls"}, "stringData": {"tls.key": pem}}
}

test_fires_on_a_base64_key_in_data if {
	count(rule.warn) == 1 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "tls"}, "data": {"tls.key": base64.encode(pem), "tls.crt": base64.encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")}}
}

test_fires_on_a_key_in_a_config_map if {
	count(rule.warn) == 1 with input as {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n"}}
}

test_quiet_on_certificates_passwords_and_binary_data if {
	count(rule.warn) == 0 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "data": {"tls.crt": base64.encode("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"), "password": base64.encode("your-password-here"), "keystore.jks": "/u3+7QAAAAIAAAAB"}, "stringData": {"user": "admin"}}
}

test_quiet_on_documentation_placeholders if {
	count(rule.warn) == 0 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"sshPrivateKey": "-----BEGIN OPENSSH PRIVATE KEY-----\n...\n-----END OPENSSH PRIVATE KEY-----\n"}}
}

test_fires_on_an_encrypted_legacy_key_with_headers if {
	count(rule.warn) == 1 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"k": "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,3F17F5316E2BAC89\n\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----\n"}}
}

test_quiet_on_sops_and_empty_secrets if {
	count(rule.warn) == 0 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "stringData": {"k": pem}, "sops": {"version": "3"}}
	count(rule.warn) == 0 with input as {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}, "data": null}
}
