# METADATA
# title: Plaintext Secret committed to Git
# description: |
#   ## What it does
#   Flags core `v1` `Secret` objects that carry values in `data` or `stringData`.
#   Encrypted or referenced secrets (`SealedSecret`, `ExternalSecret`, SOPS-encrypted files, which
#   carry a `sops` key) are not flagged.
#
#   ## Why is this bad?
#   `data` is only base64-encoded: anyone who can read the repository, its forks, CI logs or
#   backups can read the secret, and it stays in Git history after it is removed.
#
#   ## Example
#   ```yaml
#   apiVersion: v1
#   kind: Secret
#   stringData:
#     password: hunter2
#   ```
#
#   ## Use instead
#   ```yaml
#   apiVersion: external-secrets.io/v1beta1
#   kind: ExternalSecret
#   spec:
#     secretStoreRef: {name: vault, kind: ClusterSecretStore}
#     data:
#       - secretKey: password
#         remoteRef: {key: payments/db, property: password}
#   ```
# custom:
#   id: plaintext-secret
#   severity: error
#   kinds: [Secret]
package argovet.argocd.plaintext_secret

deny contains result if {
	input.apiVersion == "v1"
	not input.sops
	some field in ["data", "stringData"]
	count(object.get(input, field, {})) > 0
	result := {
		"msg": sprintf("Secret %q has plaintext values in `%s`", [object.get(input, ["metadata", "name"], ""), field]),
		"path": field,
		"help": "commit a SealedSecret or an ExternalSecret (or encrypt the file with SOPS) instead",
	}
}
