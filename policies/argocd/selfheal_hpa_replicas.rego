# METADATA
# title: selfHeal fights an HPA over `spec.replicas`
# description: |
#   ## What it does
#   Looks at all documents together. For each Application with
#   `syncPolicy.automated.selfHeal: true`, it takes the documents under the Application's source
#   `path` in this repository; when a HorizontalPodAutoscaler there scales a Deployment,
#   StatefulSet or ReplicaSet that sets `spec.replicas`, and the Application has no
#   `ignoreDifferences` entry for `/spec/replicas` of that kind (`jsonPointers: [/spec/replicas]`
#   or `jqPathExpressions: [.spec.replicas]`), it reports the Application.
#
#   ## Why is this bad?
#   The HPA changes `spec.replicas`; self-heal sees a difference from Git and puts the committed
#   value back; the HPA scales again. The workload flaps between replica counts and the
#   Application never stays Synced.
#
#   ## Example
#   ```yaml
#   spec:
#     source: {path: apps/web}
#     syncPolicy: {automated: {selfHeal: true}}
#   # apps/web/deployment.yaml sets replicas: 3; apps/web/hpa.yaml scales it
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     ignoreDifferences:
#       - group: apps
#         kind: Deployment
#         jsonPointers: [/spec/replicas]
#   ```
#   (or remove `replicas` from the Deployment and let the HPA own it).
# custom:
#   id: selfheal-hpa-replicas
#   severity: warning
#   combine: true
#   kinds: [Application, HorizontalPodAutoscaler, Deployment, StatefulSet, ReplicaSet]
package argovet.argocd.selfheal_hpa_replicas

import data.argovet.lib

# Positions in `input` of the Applications with automated self-heal (positions, not the objects:
# sets of small values are cheaper to build and look up).
self_healing_apps contains i if {
	some i, doc in input
	doc.contents.kind == "Application"
	doc.contents.spec.syncPolicy.automated.selfHeal == true
}

# [position, source path] of the self-healing Applications (`spec.source` and `spec.sources`),
# read with plain references: in regorus a lookup costs far less than a function call.
source_paths contains [i, path] if {
	some i in self_healing_apps
	path := input[i].contents.spec.source.path
}

source_paths contains [i, path] if {
	some i in self_healing_apps
	sources := input[i].contents.spec.sources
	some src in lib.items(sources)
	path := src.path
}

# Documents whose file lies in `dir` (or below it). This is what `dir_keys` indexes; the rule
# itself only looks directories up.
in_dir(file, dir) if startswith(file, concat("", [dir, "/"]))

in_dir(file, dir) if contains(file, concat("", ["/", dir, "/"]))

# Every `dir` for which `in_dir(file, dir)` holds: each run of whole path segments before the
# file name ("a/b/c.yaml": "a", "a/b", "b").
dir_keys(file) := {concat("/", array.slice(segments, i, j)) |
	segments := split(file, "/")
	count(segments) > 1
	some i in numbers.range(0, count(segments) - 2)
	some j in numbers.range(i + 1, count(segments) - 1)
}

ignores_replicas(app, kind, name) if {
	entries := app.spec.ignoreDifferences
	some d in lib.items(entries)
	object.get(d, "group", "") == "apps"
	d.kind == kind
	object.get(d, "name", name) == name
	replicas_path(d)
}

replicas_path(d) if "/spec/replicas" in object.get(d, "jsonPointers", [])

replicas_path(d) if ".spec.replicas" in object.get(d, "jqPathExpressions", [])

# HorizontalPodAutoscalers: [target kind, target name, file, HPA name].
# (Every value is bound in the body: regorus's interpreter stops with an error, where OPA leaves
# the rule undefined, when a value in the head is undefined.)
hpa_refs contains [kind, name, doc.path, hpa_name] if {
	some doc in input
	doc.contents.kind == "HorizontalPodAutoscaler"
	kind := doc.contents.spec.scaleTargetRef.kind
	name := doc.contents.spec.scaleTargetRef.name
	hpa_name := doc.contents.metadata.name
}

targeted := {[r[0], r[1]] | some r in hpa_refs}

# The `apps` workloads whose replicas an HPA scales (`ignoreDifferences` names them with group `apps`).
workload_kinds := {"Deployment", "StatefulSet", "ReplicaSet"}

# Workloads that set `spec.replicas` and that some HPA targets: [file, kind, name].
scaled contains [doc.path, kind, name] if {
	some doc in input
	doc.contents.spec.replicas
	kind := doc.contents.kind
	kind in workload_kinds
	name := doc.contents.metadata.name
	[kind, name] in targeted
}

# Positions of the self-healing Applications, by source directory (without leading `./` or
# trailing `/`).
apps_in := group({[dir, i] |
	some [i, path] in source_paths
	dir := trim_suffix(trim_prefix(path, "./"), "/")
	not dir in {"", "."}
})

# `{key: {value, ...}}` from a set of `[key, value]` pairs, in one pass over them sorted.
# (`p[key] contains value` says the same, but regorus 0.14's bytecode VM builds it as one flat
# set; this form runs on the VM, and stays linear on the interpreter.)
group(pairs) := {sorted[s][0]: {p[1] | some p in array.slice(sorted, s, ends[j])} | some j, s in starts} if {
	sorted := sort(pairs)
	starts := array.concat([0 | count(sorted) > 0], [k | some k, p in sorted; k > 0; sorted[k - 1][0] != p[0]])
	ends := array.concat(array.slice(starts, 1, count(starts)), [count(sorted)])
}

# `dir_keys` of each file holding an HPA or a scaled workload, once per file (an HPA usually sits
# next to the workload it scales).
file_dirs[path] := dir_keys(path) if {
	some path in {p | some [_, _, p, _] in hpa_refs} | {p | some [p, _, _] in scaled}
}

# [kind, name, directory] of each workload that sets `spec.replicas` and that an HPA targets, for
# each directory holding its file.
scaled_in := {[kind, name, dir] |
	some [path, kind, name] in scaled
	some dir in file_dirs[path]
}

# [directory, kind, name, HPA name]: a workload that sets `spec.replicas` and an HPA that scales
# it, both under the source directory of a self-healing Application. Every step is a lookup (no
# pairwise comparison of documents, no group that grows with the repository), so that large
# repositories stay linear.
fights contains [dir, kind, name, hpa_name] if {
	some [kind, name, path, hpa_name] in hpa_refs
	some dir in file_dirs[path]
	apps_in[dir]
	[kind, name, dir] in scaled_in
}

warn contains result if {
	some [dir, kind, name, hpa_name] in fights
	some i in apps_in[dir]
	app := input[i].contents
	not ignores_replicas(app, kind, name)
	result := {
		"msg": sprintf(
			"Application %q self-heals %s %q, whose replicas HorizontalPodAutoscaler %q changes: they will fight",
			[app.metadata.name, kind, name, hpa_name],
		),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": "spec.syncPolicy.automated.selfHeal",
		"help": sprintf("add `ignoreDifferences: [{group: apps, kind: %s, jsonPointers: [/spec/replicas]}]` or drop `replicas` from the %s", [kind, kind]),
	}
}
