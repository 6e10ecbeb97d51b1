# METADATA
# title: RBAC policy grants every action or every object (`*`)
# description: |
#   ## What it does
#   Reads the Casbin lines (`p, subject, resource, action, object, effect`) of AppProject roles
#   (`spec.roles[].policies`) and of the `argocd-rbac-cm` ConfigMap (`policy.csv` and every
#   `policy.<name>.csv` key) and flags `allow` lines whose action is `*` or whose object is `*`
#   or `*/*`.
#
#   ## Why is this bad?
#   A wildcard action includes `delete`, `override` and `exec`; a wildcard object covers every
#   project's Applications. Such grants are usually meant to be narrower and turn a read-only or
#   CI role into an admin.
#
#   ## Example
#   ```yaml
#   data:
#     policy.csv: |
#       p, role:ci, applications, *, */*, allow
#   ```
#
#   ## Use instead
#   ```yaml
#   data:
#     policy.csv: |
#       p, role:ci, applications, sync, payments/*, allow
#       p, role:ci, applications, get, payments/*, allow
#   ```
# custom:
#   id: rbac-wildcard
#   severity: warning
#   category: best-practice
#   kinds: [AppProject, ConfigMap]
package argovet.argocd.rbac_wildcard

import data.argovet.lib

# The policy lines of the document, with the JSON pointer of the string holding them.
policy_texts contains [sprintf("/spec/roles/%d/policies/%d", [i, j]), line] if {
	input.kind == "AppProject"
	some i, role in lib.items(input.spec.roles)
	some j, line in lib.items(role.policies)
}

policy_texts contains [sprintf("/data/%s", [key]), text] if {
	input.kind == "ConfigMap"
	input.metadata.name == "argocd-rbac-cm"
	some key, text in lib.items(input.data)
	regex.match(`^policy(\..+)?\.csv$`, key)
}

# A missing effect means allow.
effect(fields) := fields[5] if count(fields) > 5

effect(fields) := "allow" if count(fields) == 5

wildcard(fields) if fields[3] == "*"

wildcard(fields) if fields[4] in {"*", "*/*"}

warn contains result if {
	some [pointer, text] in policy_texts
	some line in split(text, "\n")
	fields := [trim_space(f) | some f in split(line, ",")]
	fields[0] == "p"
	count(fields) >= 5
	effect(fields) == "allow"
	wildcard(fields)
	result := {
		"msg": sprintf("RBAC policy `%s` grants %s", [trim_space(line), what(fields)]),
		"path": pointer,
		"help": "grant the actions (`get`, `sync`, ...) on the objects (`<project>/<application>`) the role needs",
	}
}

what(fields) := "every action on every object" if {
	fields[3] == "*"
	fields[4] in {"*", "*/*"}
}

what(fields) := "every action" if {
	fields[3] == "*"
	not fields[4] in {"*", "*/*"}
}

what(fields) := "access to every object" if fields[3] != "*"
