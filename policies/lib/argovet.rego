# Helpers shared by the built-in packs.
package argovet.lib

# What counts as production. By default a destination namespace, cluster name or server is
# production when one of its words is a production word (`production_words`) not qualified by the
# word before it (`non-prod`, `pre-prod`, `not-prod` are not production): see below.
# `.argovet.yaml` `production:` replaces, list by list, that default with regular expressions
# (label values are always regular expressions), matched anywhere unless anchored.
default_production := {"labels": {"env": "^(prod|production)$", "environment": "^(prod|production)$"}}

# (Read through its full path: a reference to `data` itself would evaluate every rule of every
# package. Without overrides argovet leaves `data.argovet_config.production` out, which spares
# each document the union.)
production_config := object.union(default_production, data.argovet_config.production) if {
	data.argovet_config.production
} else := default_production

# Words are the runs between `-`, `_`, `.`, `/` and `:`, compared without case. A production word
# is `prod`, `production` or `prd`, optionally followed by digits (`prod2`, `prd01`). A production
# word directly after `non`, `pre` or `not` does not count. Words are compared whole: `nonprod`,
# `preprod`, `products` and `reproduce` are not production words.
production_separators := `[-_./:]`

production_word := `^(prod|production|prd)[0-9]*$`

# A cheap test every production name passes (a production word between separators or the ends),
# so that most names skip the split.
production_hint := `(?i)(^|[-_./:])(prod|production|prd)[0-9]*($|[-_./:])`

not_production_qualifiers := {"non", "pre", "not"}

# Whether `name` names production (see above). Callers test `production_hint` first.
production_name(name) if {
	words := regex.split(production_separators, lower(name))
	some i, word in words
	regex.match(production_word, word)
	not qualified(words, i)
}

qualified(words, i) if {
	i > 0
	words[i - 1] in not_production_qualifiers
}

# Whether the input Application deploys to production: by destination namespace, cluster name or
# server, or by one of its labels. A rule on `input` rather than a function, so that the rules of
# one document share one answer (argovet evaluates them together), and written with plain
# references: in regorus every function call costs far more than a lookup. Each body first references
# the field it reads, so that a document without it skips the rest (on the bytecode VM a loop over
# patterns costs several thousand instructions even when the field is undefined).
input_is_production if {
	input.spec.destination.namespace
	not data.argovet_config.production.namespaces
	regex.match(production_hint, input.spec.destination.namespace)
	production_name(input.spec.destination.namespace)
}

input_is_production if {
	input.spec.destination.namespace
	some p in data.argovet_config.production.namespaces
	regex.match(p, input.spec.destination.namespace)
}

input_is_production if {
	input.spec.destination.name
	not data.argovet_config.production.clusters
	regex.match(production_hint, input.spec.destination.name)
	production_name(input.spec.destination.name)
}

input_is_production if {
	input.spec.destination.name
	some p in data.argovet_config.production.clusters
	regex.match(p, input.spec.destination.name)
}

input_is_production if {
	input.spec.destination.server
	not data.argovet_config.production.clusters
	regex.match(production_hint, input.spec.destination.server)
	production_name(input.spec.destination.server)
}

input_is_production if {
	input.spec.destination.server
	some p in data.argovet_config.production.clusters
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

# An Application source whose `targetRevision` moves: a chart version range for Helm charts
# (`chart:` set), else a Git revision that is neither a commit SHA nor a version tag.
floating_source(src) if {
	src.chart
	floating_chart_version(object.get(src, "targetRevision", ""))
}

floating_source(src) if {
	not src.chart
	floating_git_revision(object.get(src, "targetRevision", ""))
}

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
