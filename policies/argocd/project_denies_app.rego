# METADATA
# title: Application's AppProject does not permit its source or destination
# description: |
#   ## What it does
#   Looks at all documents together. For each Application whose `spec.project` names an
#   AppProject defined in the checked files, it checks what Argo CD checks before every sync:
#   - each source `repoURL` must match one of the project's `sourceRepos` globs and none of its
#     `!`-negated ones (compared the way Argo CD normalises Git URLs: case-insensitive, without a
#     trailing `.git` or `/`);
#   - the destination must match one of the project's `destinations` (cluster `server` or `name`
#     glob, and `namespace` glob) and none of the `!`-negated ones.
#   A destination given by cluster `name` is only compared with entries that also use `name`
#   (and `server` with `server`): argovet cannot resolve one into the other offline.
#
#   ## Why is this bad?
#   Argo CD refuses to sync such an Application ("application repo ... is not permitted in
#   project", "application destination ... is not permitted in project"). Caught here, the error
#   never reaches the cluster.
#
#   ## Example
#   ```yaml
#   kind: AppProject
#   metadata: {name: payments}
#   spec:
#     sourceRepos: [https://github.com/org/payments-*]
#   ---
#   kind: Application
#   spec:
#     project: payments
#     source: {repoURL: https://github.com/org/web.git}
#   ```
#
#   ## Use instead
#   Add the repository (or destination) to the project, or move the Application to the project
#   that owns it.
# custom:
#   id: project-denies-app
#   severity: error
#   combine: true
#   kinds: [Application, AppProject]
package argovet.argocd.project_denies_app

import data.argovet.lib

# AppProjects by name. A name defined more than once (per-environment copies) is ambiguous and
# left out. Built with a sort and set lookups so that large repositories stay fast.
project_names := sort([name | some doc in input; doc.contents.kind == "AppProject"; name := doc.contents.metadata.name])

ambiguous := {project_names[i] | some i in numbers.range(1, count(project_names) - 1); project_names[i] == project_names[i - 1]}

projects := {name: doc.contents |
	some doc in input
	doc.contents.kind == "AppProject"
	name := doc.contents.metadata.name
	not name in ambiguous
}

normalize(url) := trim_suffix(trim_suffix(lower(trim_space(url)), "/"), ".git")

# Each project's `sourceRepos` patterns, normalised once for all its Applications: the
# permitting ones and (without their `!`) the denying ones.
allowed_repos[name] := [normalize(p) | some p in lib.items(project.spec.sourceRepos); not startswith(p, "!")] if {
	some name, project in projects
}

denied_repos[name] := [normalize(substring(p, 1, -1)) | some p in lib.items(project.spec.sourceRepos); startswith(p, "!")] if {
	some name, project in projects
}

repo_permitted(name, url) if {
	u := normalize(url)
	some pattern in allowed_repos[name]
	glob.match(pattern, null, u)
	not repo_denied(name, u)
}

repo_denied(name, u) if {
	some pattern in denied_repos[name]
	glob.match(pattern, null, u)
}

# Each project's `destinations`, prepared once for all its Applications:
# [negated (any field starts with `!`), namespace glob, {field: cluster glob}, fields given].
destination_entries[name] := [[negated, ns_glob, globs, given] |
	some entry in lib.items(project.spec.destinations)
	negated := count([f | some f in ["server", "name", "namespace"]; startswith(object.get(entry, f, ""), "!")]) > 0
	ns_glob := trim_prefix(object.get(entry, "namespace", ""), "!")
	globs := {f: trim_prefix(object.get(entry, f, ""), "!") | some f in ["server", "name"]}
	given := {f | some f in ["server", "name"]; object.get(entry, f, "") != ""}
] if {
	some name, project in projects
}

# An entry matches when its namespace glob matches and its server or name glob matches.
# Entries identifying the cluster the other way (name vs server) cannot be compared offline and
# count as a match.
cluster_matches(globs, given, dest) if {
	some field in ["server", "name"]
	pattern := globs[field]
	pattern != ""
	value := object.get(dest, field, "")
	value != ""
	glob.match(pattern, null, value)
}

cluster_matches(globs, given, dest) if {
	not comparable(given, dest)
}

comparable(given, dest) if {
	some field in given
	object.get(dest, field, "") != ""
}

destination_permitted(name, dest) if {
	ns := object.get(dest, "namespace", "")
	some [false, ns_glob, globs, given] in destination_entries[name]
	glob.match(ns_glob, null, ns)
	cluster_matches(globs, given, dest)
	not destination_denied(name, dest, ns)
}

destination_denied(name, dest, ns) if {
	some [true, ns_glob, globs, given] in destination_entries[name]
	glob.match(ns_glob, null, ns)
	cluster_matches(globs, given, dest)
}

# Positions in `input` of the Applications.
applications contains i if {
	some i, doc in input
	doc.contents.kind == "Application"
	doc.contents.apiVersion == "argoproj.io/v1alpha1"
}

deny contains result if {
	some i in applications
	app := input[i].contents
	projects[app.spec.project]
	some [path, src] in lib.app_sources(app)
	not repo_permitted(app.spec.project, src.repoURL)
	result := {
		"msg": sprintf("AppProject %q does not permit repository %q of Application %q: Argo CD will refuse to sync it", [app.spec.project, src.repoURL, app.metadata.name]),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": sprintf("%s.repoURL", [path]),
		"help": sprintf("add the repository to `sourceRepos` of AppProject %q, or use the project that owns it", [app.spec.project]),
	}
}

deny contains result if {
	some i in applications
	app := input[i].contents
	projects[app.spec.project]
	dest := object.get(app.spec, "destination", {})
	not destination_permitted(app.spec.project, dest)
	result := {
		"msg": sprintf("AppProject %q does not permit destination %s of Application %q: Argo CD will refuse to sync it", [app.spec.project, describe(dest), app.metadata.name]),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": "spec.destination",
		"help": sprintf("add the cluster and namespace to `destinations` of AppProject %q", [app.spec.project]),
	}
}

describe(dest) := sprintf("%s/%s", [object.get(dest, "name", object.get(dest, "server", "")), object.get(dest, "namespace", "")])
