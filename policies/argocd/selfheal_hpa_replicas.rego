# METADATA
# title: selfHeal fights an HPA over `spec.replicas`
# description: |
#   ## What it does
#   Looks at all documents together. For each Application with
#   `syncPolicy.automated.selfHeal: true`, it takes the documents under the Application's source
#   `path` in this repository; when a HorizontalPodAutoscaler there scales a Deployment,
#   StatefulSet or ReplicaSet that sets `spec.replicas`, and the Application has no
#   `ignoreDifferences` entry for `/spec/replicas` of that kind (`jsonPointers: [/spec/replicas]`
#   or `jqPathExpressions: [.spec.replicas]`), it reports the Application. An HPA whose
#   `minReplicas` (default 1) and `maxReplicas` both equal the workload's `replicas` never changes
#   them, and is no fight.
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
#   category: suspicious
#   combine: true
#   kinds: [Application, HorizontalPodAutoscaler, Deployment, StatefulSet, ReplicaSet]
package argovet.argocd.selfheal_hpa_replicas

import data.argovet.lib

# [position in `input`, source directory] of the self-healing Applications (`spec.source` and
# `spec.sources`; the directory without a leading `./` or a trailing `/`). Positions, not the
# objects: small values are cheaper to keep and compare. Written for regorus's bytecode VM, on
# which the built-in packs run: plain references (a lookup costs far less than a function call),
# an array rather than a set (nothing to sort), and `sources` referenced before `lib.items` is
# called (a call with an undefined argument still costs a call).
app_dirs := array.concat(
	[[i, dir] |
		some i, doc in input
		doc.contents.kind == "Application"
		doc.contents.spec.syncPolicy.automated.selfHeal == true
		dir := trim_suffix(trim_prefix(doc.contents.spec.source.path, "./"), "/")
		dir != ""
		dir != "."
	],
	[[i, dir] |
		some i, doc in input
		doc.contents.kind == "Application"
		doc.contents.spec.syncPolicy.automated.selfHeal == true
		doc.contents.spec.sources
		some src in lib.items(doc.contents.spec.sources)
		dir := trim_suffix(trim_prefix(src.path, "./"), "/")
		dir != ""
		dir != "."
	],
)

source_dirs := {dir | some [_, dir] in app_dirs}

# How many path segments the source directories have, so that a file is only compared with
# directories of those lengths.
source_dir_lengths := {n | some dir in source_dirs; n := strings.count(dir, "/") + 1}

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

# An HPA with `minReplicas` (default 1) equal to `maxReplicas` keeps its target at that count:
# [kind, name] of the targets of the other HPAs, and the counts each pinning HPA keeps.
unpinned := {[r[0], r[1]] | some r in hpa_ranges; r[2] != r[3]}

pins := group({[[r[0], r[1]], r[2]] | some r in hpa_ranges; r[2] == r[3]})

hpa_ranges contains [kind, name, lo, hi] if {
	some doc in input
	doc.contents.kind == "HorizontalPodAutoscaler"
	kind := doc.contents.spec.scaleTargetRef.kind
	name := doc.contents.spec.scaleTargetRef.name
	lo := object.get(doc.contents.spec, "minReplicas", 1)
	hi := doc.contents.spec.maxReplicas
}

# Whether an HPA targeting the workload can set a count other than its `replicas`: one whose
# range is not a single count, one without `maxReplicas`, or one pinned to another count.
moves(kind, name, _) if [kind, name] in unpinned

moves(kind, name, _) if {
	[kind, name] in targeted
	not [kind, name] in unpinned
	not pins[[kind, name]]
}

moves(kind, name, replicas) if {
	some n in pins[[kind, name]]
	n != replicas
}

# Workloads that set `spec.replicas` and that some HPA targets and can change: [file, kind, name].
scaled contains [doc.path, kind, name] if {
	some doc in input
	doc.contents.spec.replicas
	kind := doc.contents.kind
	kind in workload_kinds
	name := doc.contents.metadata.name
	[kind, name] in targeted
	moves(kind, name, doc.contents.spec.replicas)
}

# The source directories holding each file with an HPA or a scaled workload, once per file (an
# HPA usually sits next to the workload it scales). A file lies in `dir` (or below it) when it
# starts with `dir/` or contains `/dir/`: `dir` is a run of whole segments before the file name
# ("a/b/c.yaml": "a", "a/b", "b"). Argo CD's `path` is relative to the repository, the files are
# named as given on the command line, so a run anywhere in the name counts.
file_dirs[path] := {dir |
	segments := split(path, "/")
	some n in source_dir_lengths
	last := count(segments) - 1 - n
	last >= 0
	some i in numbers.range(0, last)
	dir := concat("/", array.slice(segments, i, i + n))
	dir in source_dirs
} if {
	some path in {p | some [_, _, p, _] in hpa_refs} | {p | some [p, _, _] in scaled}
}

# [kind, name, directory] of each workload that sets `spec.replicas` and that an HPA targets, for
# each source directory holding its file.
scaled_in := {[kind, name, dir] |
	some [path, kind, name] in scaled
	some dir in file_dirs[path]
}

# [directory, [kind, name, HPA name]]: a workload that sets `spec.replicas` and an HPA that scales
# it, both under the source directory of a self-healing Application. Every step is a lookup (no
# pairwise comparison of documents), so that large repositories stay linear; `fights_in` groups
# them by directory for the Applications to look up.
fights contains [dir, [kind, name, hpa_name]] if {
	some [kind, name, path, hpa_name] in hpa_refs
	some dir in file_dirs[path]
	[kind, name, dir] in scaled_in
}

fights_in := group(fights)

# `{key: {value, ...}}` from a set of `[key, value]` pairs, in one pass over them sorted.
# (`p[key] contains value` says the same, but regorus 0.14's bytecode VM builds it as one flat
# set; this form runs on the VM, and stays linear on the interpreter.)
group(pairs) := {sorted[s][0]: {p[1] | some p in array.slice(sorted, s, ends[j])} | some j, s in starts} if {
	sorted := sort(pairs)
	starts := array.concat([0 | count(sorted) > 0], [k | some k, p in sorted; k > 0; sorted[k - 1][0] != p[0]])
	ends := array.concat(array.slice(starts, 1, count(starts)), [count(sorted)])
}

warn contains result if {
	some [i, dir] in app_dirs
	some [kind, name, hpa_name] in fights_in[dir]
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
