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

# The source directories of an Application, without leading `./` or trailing `/`.
app_dirs(app) := {dir |
	some [_, src] in lib.app_sources(app)
	dir := trim_suffix(trim_prefix(src.path, "./"), "/")
	not dir in {"", "."}
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
	some d in app.spec.ignoreDifferences
	object.get(d, "group", "") == "apps"
	d.kind == kind
	object.get(d, "name", name) == name
	replicas_path(d)
}

replicas_path(d) if "/spec/replicas" in object.get(d, "jsonPointers", [])

replicas_path(d) if ".spec.replicas" in object.get(d, "jqPathExpressions", [])

# HorizontalPodAutoscalers: [target kind, target name, file, HPA name].
hpa_refs contains [target.kind, target.name, doc.path, doc.contents.metadata.name] if {
	some doc in input
	doc.contents.kind == "HorizontalPodAutoscaler"
	target := doc.contents.spec.scaleTargetRef
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

# Positions of the self-healing Applications, by source directory.
apps_in[dir] contains i if {
	some i in self_healing_apps
	some dir in app_dirs(input[i].contents)
}

# HPA names by [target kind, target name, a source directory of a self-healing Application that
# holds the HPA's file].
hpas_in[key] contains hpa_name if {
	some [kind, name, path, hpa_name] in hpa_refs
	some dir in dir_keys(path)
	apps_in[dir]
	key := [kind, name, dir]
}

# [directory, kind, name, HPA name]: a workload that sets `spec.replicas` and an HPA that scales
# it, both under the source directory of a self-healing Application. Every step is a lookup (no
# pairwise comparison of documents, no group that grows with the repository), so that large
# repositories stay linear.
fights contains [dir, kind, name, hpa_name] if {
	some [path, kind, name] in scaled
	some dir in dir_keys(path)
	some hpa_name in hpas_in[[kind, name, dir]]
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
