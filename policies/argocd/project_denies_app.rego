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

repo_permitted(project, url) if {
	some pattern in project.spec.sourceRepos
	not startswith(pattern, "!")
	glob.match(normalize(pattern), null, normalize(url))
	not repo_denied(project, url)
}

repo_denied(project, url) if {
	some pattern in project.spec.sourceRepos
	startswith(pattern, "!")
	glob.match(normalize(substring(pattern, 1, -1)), null, normalize(url))
}

# An entry matches when its namespace glob matches and its server or name glob matches.
# Entries identifying the cluster the other way (name vs server) cannot be compared offline and
# count as a match.
entry_matches(entry, dest) if {
	glob.match(trim_prefix(object.get(entry, "namespace", ""), "!"), null, object.get(dest, "namespace", ""))
	cluster_matches(entry, dest)
}

cluster_matches(entry, dest) if {
	some field in ["server", "name"]
	pattern := trim_prefix(object.get(entry, field, ""), "!")
	pattern != ""
	value := object.get(dest, field, "")
	value != ""
	glob.match(pattern, null, value)
}

cluster_matches(entry, dest) if {
	not comparable(entry, dest)
}

comparable(entry, dest) if {
	some field in ["server", "name"]
	object.get(entry, field, "") != ""
	object.get(dest, field, "") != ""
}

negated(entry) if startswith(object.get(entry, "server", ""), "!")

negated(entry) if startswith(object.get(entry, "name", ""), "!")

negated(entry) if startswith(object.get(entry, "namespace", ""), "!")

destination_permitted(project, dest) if {
	some entry in project.spec.destinations
	not negated(entry)
	entry_matches(entry, dest)
	not destination_denied(project, dest)
}

destination_denied(project, dest) if {
	some entry in project.spec.destinations
	negated(entry)
	entry_matches(entry, dest)
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
	project := projects[app.spec.project]
	some [path, src] in lib.app_sources(app)
	not repo_permitted(project, src.repoURL)
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
	project := projects[app.spec.project]
	dest := object.get(app.spec, "destination", {})
	not destination_permitted(project, dest)
	result := {
		"msg": sprintf("AppProject %q does not permit destination %s of Application %q: Argo CD will refuse to sync it", [app.spec.project, describe(dest), app.metadata.name]),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": "spec.destination",
		"help": sprintf("add the cluster and namespace to `destinations` of AppProject %q", [app.spec.project]),
	}
}

describe(dest) := sprintf("%s/%s", [object.get(dest, "name", object.get(dest, "server", "")), object.get(dest, "namespace", "")])
