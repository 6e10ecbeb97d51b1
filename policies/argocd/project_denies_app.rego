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
#   category: correctness
#   combine: true
#   kinds: [Application, AppProject]
package argovet.argocd.project_denies_app

import data.argovet.lib

# AppProjects by name. A name defined more than once (per-environment copies) is ambiguous and
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

# How Argo CD compares Git URLs: case-insensitive, without a trailing `/` or `.git`.
normalize(url) := trim_suffix(trim_suffix(lower(trim_space(url)), "/"), ".git")

# Each project's `sourceRepos` patterns, normalised once for all its Applications: the
# permitting ones and (without their `!`) the denying ones.
allowed_repos[name] := [normalize(p) | some p in lib.items(project.spec.sourceRepos); not startswith(p, "!")] if {
	some name, project in projects
}

denied_repos[name] := [normalize(substring(p, 1, -1)) | some p in lib.items(project.spec.sourceRepos); startswith(p, "!")] if {
	some name, project in projects
}

# Whether the normalised URL `u` is permitted by project `name`.
repo_permitted(name, u) if {
	some pattern in allowed_repos[name]
	glob.match(pattern, null, u)
	not repo_denied(name, u)
}

repo_denied(name, u) if {
	some pattern in denied_repos[name]
	glob.match(pattern, null, u)
}

# Each project's `destinations`, prepared once for all its Applications: [negated (a field starts
# with `!`), namespace glob, server glob, name glob, server given, name given].
destination_entries[name] := [[negated, ns_glob, server_glob, name_glob, server != "", dname != ""] |
	some entry in lib.items(project.spec.destinations)
	server := object.get(entry, "server", "")
	dname := object.get(entry, "name", "")
	ns := object.get(entry, "namespace", "")
	negated := count([f | some f in [server, dname, ns]; startswith(f, "!")]) > 0
	ns_glob := trim_prefix(ns, "!")
	server_glob := trim_prefix(server, "!")
	name_glob := trim_prefix(dname, "!")
] if {
	some name, project in projects
}

# An entry matches a destination (`server`, `name`, `namespace`, each "" when absent) when its
# namespace glob matches and its server or name glob matches. Entries identifying the cluster the
# other way (name vs server) cannot be compared offline and count as a match.
entry_matches([_, ns_glob, server_glob, _, _, _], server, _, ns) if {
	glob.match(ns_glob, null, ns)
	server_glob != ""
	server != ""
	glob.match(server_glob, null, server)
}

entry_matches([_, ns_glob, _, name_glob, _, _], _, dname, ns) if {
	glob.match(ns_glob, null, ns)
	name_glob != ""
	dname != ""
	glob.match(name_glob, null, dname)
}

entry_matches([_, ns_glob, _, _, server_given, name_given], server, dname, ns) if {
	glob.match(ns_glob, null, ns)
	not comparable(server_given, name_given, server, dname)
}

comparable(true, _, server, _) if server != ""

comparable(_, true, _, dname) if dname != ""

destination_permitted(name, server, dname, ns) if {
	some entry in destination_entries[name]
	entry[0] == false
	entry_matches(entry, server, dname, ns)
	not destination_denied(name, server, dname, ns)
}

destination_denied(name, server, dname, ns) if {
	some entry in destination_entries[name]
	entry[0] == true
	entry_matches(entry, server, dname, ns)
}

# The Applications whose `spec.project` names a project defined here, and the project's name: one
# pass over the documents for the three checks below (in regorus a lookup costs far less than a
# function call, and a pass over every document costs more than a lookup per Application).
checked := [[app, app.spec.project] |
	some doc in input
	doc.contents.kind == "Application"
	doc.contents.apiVersion == "argoproj.io/v1alpha1"
	app := doc.contents
	projects[app.spec.project]
]

deny contains result if {
	some [app, project] in checked
	repo := app.spec.source.repoURL
	not repo_permitted(project, normalize(repo))
	result := repo_finding(app, "spec.source", repo)
}

deny contains result if {
	some [app, project] in checked
	app.spec.sources
	some i, src in lib.items(app.spec.sources)
	repo := src.repoURL
	not repo_permitted(project, normalize(repo))
	result := repo_finding(app, sprintf("spec.sources[%d]", [i]), repo)
}

repo_finding(app, path, repo) := {
	"msg": sprintf("AppProject %q does not permit repository %q of Application %q: Argo CD will refuse to sync it", [app.spec.project, repo, app.metadata.name]),
	"resource": {"kind": "Application", "name": app.metadata.name},
	"path": sprintf("%s.repoURL", [path]),
	"help": sprintf("add the repository to `sourceRepos` of AppProject %q, or use the project that owns it", [app.spec.project]),
}

deny contains result if {
	some [app, project] in checked
	dest := object.get(app.spec, "destination", {})
	not destination_permitted(project, object.get(dest, "server", ""), object.get(dest, "name", ""), object.get(dest, "namespace", ""))
	result := {
		"msg": sprintf("AppProject %q does not permit destination %s of Application %q: Argo CD will refuse to sync it", [project, describe(dest), app.metadata.name]),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": "spec.destination",
		"help": sprintf("add the cluster and namespace to `destinations` of AppProject %q", [project]),
	}
}

describe(dest) := sprintf("%s/%s", [object.get(dest, "name", object.get(dest, "server", "")), object.get(dest, "namespace", "")])
