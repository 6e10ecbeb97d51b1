# Helpers shared by the built-in packs.
package argovet.lib

# What counts as production. `.argovet.yaml` `production:` replaces each list it sets; the
# patterns are regular expressions (label values too), matched anywhere unless anchored.
default_production := {
	"namespaces": ["(^|[-_.])(prod|production|prd)($|[-_.])"],
	"clusters": ["(^|[-_./])(prod|production|prd)($|[-_.:/])"],
	"labels": {"env": "^(prod|production)$", "environment": "^(prod|production)$"},
}

# (Read through its full path: a reference to `data` itself would evaluate every rule of every
# package. Without overrides argovet leaves `data.argovet_config.production` out, which spares
# each document the union.)
production_config := object.union(default_production, data.argovet_config.production) if {
	data.argovet_config.production
} else := default_production

# Whether the input Application deploys to production: by destination namespace, cluster name or
# server, or by one of its labels. A rule on `input` rather than a function, so that the rules of
# one document share one answer (argovet evaluates them together), and written with plain
# references: in regorus every function call costs far more than a lookup. Each body first references
# the field it reads, so that a document without it skips the loop over the patterns (on the
# bytecode VM that loop costs several thousand instructions even when the field is undefined).
input_is_production if {
	input.spec.destination.namespace
	some p in production_config.namespaces
	regex.match(p, input.spec.destination.namespace)
}

input_is_production if {
	input.spec.destination.name
	some p in production_config.clusters
	regex.match(p, input.spec.destination.name)
}

input_is_production if {
	input.spec.destination.server
	some p in production_config.clusters
	regex.match(p, input.spec.destination.server)
}

input_is_production if {
	input.metadata.labels
	some key, pattern in production_config.labels
	regex.match(pattern, input.metadata.labels[key])
}

# The same question about any Application.
is_production(app) if input_is_production with input as app

# `x` when it is a collection, else `[]`: iterate fields of a document through it. OPA's
# `some .. in x` iterates nothing when `x` is null, a number, a string or a boolean; regorus's
# interpreter stops the evaluation with an error instead. (Separate definitions rather than an
# `else` chain: regorus 0.14's bytecode VM skips a function's `else` after an undefined body.)
items(x) := x if is_array(x)

items(x) := x if is_object(x)

items(x) := x if is_set(x)

items(x) := [] if {
	not is_array(x)
	not is_object(x)
	not is_set(x)
}

# Every source of an Application: `[path, source]` pairs, `path` the dotted path for findings.
app_sources(app) := array.concat(
	[["spec.source", app.spec.source] | app.spec.source],
	[[sprintf("spec.sources[%d]", [i]), s] | some i, s in items(object.get(app.spec, "sources", []))],
)

# A Git revision that moves: empty, HEAD, or a name that is neither a commit SHA nor a version tag.
floating_git_revision(rev) if rev == ""

floating_git_revision(rev) if upper(rev) == "HEAD"

floating_git_revision(rev) if {
	rev != ""
	upper(rev) != "HEAD"
	not regex.match(`^[0-9a-f]{7,40}$`, rev)
	not regex.match(`^v?[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z.+-]*)?$`, rev)
}

# A Helm chart version that moves: empty, a wildcard or a range.
floating_chart_version(rev) if rev == ""

floating_chart_version(rev) if regex.match(`[*xX^~<>|]|\s-\s`, rev)

# The pod spec of a workload: `[dotted path, spec]`.
pod_spec(obj) := ["spec", obj.spec] if obj.kind == "Pod"

pod_spec(obj) := ["spec.template.spec", obj.spec.template.spec] if {
	obj.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job"}
}

pod_spec(obj) := ["spec.jobTemplate.spec.template.spec", obj.spec.jobTemplate.spec.template.spec] if {
	obj.kind == "CronJob"
}

# The (non-init) containers of a workload: `[dotted path, container]` pairs.
containers(obj) := [[sprintf("%s.containers[%d]", [path, i]), c] |
	[path, spec] := pod_spec(obj)
	some i, c in items(spec.containers)
]
