# METADATA
# title: Private key committed to Git
# description: |
#   ## What it does
#   Flags a core `v1` `Secret` or `ConfigMap` holding a PEM private key (`-----BEGIN ... PRIVATE KEY-----`)
#   in `data` (base64, for a Secret), `stringData`, or a ConfigMap's `data`. SOPS-encrypted files (which
#   carry a `sops` key) are not flagged.
#
#   Only keys with key material count: documentation's `-----BEGIN ... PRIVATE KEY-----` around `...` is
#   a placeholder. Unlike `plaintext-secret` (opt-in), this rule is in the default set: key material is
#   never a placeholder.
#
#   ## Why is this bad?
#   Anyone who can read the repository, its forks, CI logs or backups has the key, and it stays in Git
#   history after it is removed: rotate it, then keep it out of Git.
#
#   ## Example
#   ```yaml
#   apiVersion: v1
#   kind: Secret
#   metadata: {name: tls}
#   stringData:
#     tls.key: |
#       -----BEGIN RSA PRIVATE KEY-----
#       MIIEow...
#   ```
#
#   ## Use instead
#   ```yaml
#   apiVersion: external-secrets.io/v1beta1
#   kind: ExternalSecret
#   spec:
#     secretStoreRef: {name: vault, kind: ClusterSecretStore}
#     data:
#       - secretKey: tls.key
#         remoteRef: {key: web/tls, property: key}
#   ```
# custom:
#   id: private-key
#   severity: warning
#   category: security
#   kinds: [Secret, ConfigMap]
package argovet.argocd.private_key

# `-----BEGIN ` in base64, as a value that starts with a PEM block encodes it: only such values are decoded,
# so binary data (keystores, images) never is.
pem_start := "LS0tLS1CRUdJTi"

# A PEM private key with key material: its first line of base64 follows the header (documentation writes
# `...` or `<your key>` there instead, and a placeholder is no leak).
pem_private_key(text) if {
	contains(text, "PRIVATE KEY-----")
	regex.match(`-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----\s*(?:[A-Za-z-]+: [^\n]*\n\s*)*[A-Za-z0-9+/]{40,}`, text)
}

# [field, key] of every value holding a private key.
leaks contains ["data", key] if {
	input.kind == "Secret"
	values := object.get(input, "data", {})
	is_object(values)
	some key, value in values
	is_string(value)
	startswith(trim_space(value), pem_start)
	pem_private_key(base64.decode(trim_space(value)))
}

leaks contains ["stringData", key] if {
	input.kind == "Secret"
	values := object.get(input, "stringData", {})
	is_object(values)
	some key, value in values
	is_string(value)
	pem_private_key(value)
}

leaks contains ["data", key] if {
	input.kind == "ConfigMap"
	values := object.get(input, "data", {})
	is_object(values)
	some key, value in values
	is_string(value)
	pem_private_key(value)
}

warn contains result if {
	input.apiVersion == "v1"
	not input.sops
	some [field, key] in leaks
	result := {
		"msg": sprintf("%s %q holds a private key in `%s` (key %q)", [input.kind, object.get(input, ["metadata", "name"], ""), field, key]),
		"path": field,
		"help": "rotate the key, remove it from Git history, and commit a SealedSecret or an ExternalSecret (or encrypt the file with SOPS) instead",
	}
}
