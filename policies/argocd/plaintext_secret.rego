# METADATA
# title: Plaintext Secret committed to Git
# description: |
#   ## What it does
#   Flags core `v1` `Secret` objects that carry a value in `data` or `stringData`: a key whose
#   value is neither empty (`""`) nor null. A Secret whose maps are empty, null or hold only empty
#   values (a placeholder filled in by a controller or by hand) is not flagged.
#   Encrypted or referenced secrets (`SealedSecret`, `ExternalSecret`, SOPS-encrypted files, which
#   carry a `sops` key) are not flagged.
#
#   Opt-in (`--select best-practice`): on public repositories most committed Secrets hold placeholders
#   and examples (`your-password-here`, documentation), which the rule cannot tell from real values
#   (35% of its findings were real on argovet's corpus). `private-key`, in the default set, reports the
#   leak that is never a placeholder.
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
#   severity: warning
#   category: best-practice
#   kinds: [Secret]
package argovet.argocd.plaintext_secret

import data.argovet.lib

# The fields holding at least one value that is neither "" nor null.
filled contains field if {
	some field in ["data", "stringData"]
	some value in lib.items(input[field])
	not value in {"", null}
}

warn contains result if {
	input.apiVersion == "v1"
	not input.sops
	some field in filled
	result := {
		"msg": sprintf("Secret %q has plaintext values in `%s`", [object.get(input, ["metadata", "name"], ""), field]),
		"path": field,
		"help": "commit a SealedSecret or an ExternalSecret (or encrypt the file with SOPS) instead",
	}
}
