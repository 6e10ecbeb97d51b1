# METADATA
# title: Application's AppProject does not permit its source or destination
# description: |
#   ## What it does
#   Looks at all documents together. For each Application whose `spec.project` (`default` when
#   empty) names an AppProject defined once in the checked files, it checks what Argo CD checks
#   before every sync (`ValidatePermissions`, `AppProject.IsSourcePermitted` and
#   `isDestinationMatched` in Argo CD's source):
#   - each source `repoURL` against the project's `sourceRepos`. URLs and patterns are normalised
#     as Argo CD does (lower case, surrounding blanks and a trailing `.git` removed, `git@host:org/repo`
#     read as `git@host/org/repo`; a trailing `/` is kept). A pattern is a glob in which `*` stops
#     at `/` (`https://github.com/org/*` does not permit `https://github.com/org/team/repo`), `*`
#     alone permits everything, and `!pattern` refuses what `pattern` matches and permits everything
#     else. The repository is refused when a `!` pattern matches it, or when no pattern permits it.
#     The sources checked are those Argo CD checks: `spec.sources` when it is not empty (in order,
#     up to the first one without `repoURL`, or without `path`, `chart` and `ref`, or a chart
#     without `targetRevision`: Argo CD stops there with another error), else `spec.source`, and
#     for `spec.sourceHydrator` the dry source and a sync source in another repository;
#   - the destination against the project's `destinations`, entry by entry as Argo CD does: an
#     entry permits when its `namespace` glob and its cluster `server` or `name` glob match; an
#     entry with a `!` field refuses when that field is the one that does not match. Argo CD
#     compares the cluster's name and server both, and argovet knows only the one the Application
#     gives: the other is taken as unknown, and a destination is reported only when it is refused
#     whatever that value is.
#
#   Stays quiet when Argo CD would refuse the Application for another reason first (an invalid
#   source or hydrator, a destination with both or neither of `server` and `name`), for a project
#   defined more than once, for an empty `sourceRepos` or `destinations` (Argo CD adds the
#   repositories and clusters whose Secrets name the project, which are rarely in Git), and
#   altogether when the checked files hold an `argocd-cm` with `globalProjects` (a global
#   project adds its repositories and destinations to the projects it selects).
#
#   ## Why is this bad?
#   Argo CD refuses to sync such an Application ("application repo ... is not permitted in
#   project", "application destination server ... do not match any of the allowed destinations in
#   project"). Caught here, the error never reaches the cluster.
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
#   kinds: [Application, AppProject, ConfigMap]
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

# Global projects (argocd-cm `globalProjects`) add permissions argovet does not follow.
global_projects if {
	some doc in input
	doc.contents.kind == "ConfigMap"
	doc.contents.metadata.name == "argocd-cm"
	doc.contents.data.globalProjects
}

# Argo CD's `git.NormalizeGitURL`: lower case, without surrounding blanks; an SSH URL in scp form
# (`git@host:org/repo`) gets its first `:` turned into `/`; without a trailing `.git`; without the
# `ssh://` prefix. (Go's `url.Parse(..).String()` round trip in between leaves ordinary URLs as
# they are.)
normalize(url) := trim_prefix(trim_suffix(scp_to_path(lower(trim_space(url))), ".git"), "ssh://")

ssh_url := `^(ssh://)?([^/:]*?)@[^@]+$`

# (An SSH URL has an `@`: the other URLs skip the regular expression.)
scp_to_path(u) := u if not contains(u, "@")

scp_to_path(u) := u if {
	contains(u, "@")
	not regex.match(ssh_url, u)
}

scp_to_path(u) := u if {
	contains(u, "@")
	startswith(u, "ssh://")
	regex.match(ssh_url, u)
}

scp_to_path(u) := concat("", [substring(u, 0, i), "/", substring(u, i + 1, -1)]) if {
	contains(u, "@")
	not startswith(u, "ssh://")
	regex.match(ssh_url, u)
	i := indexof(u, ":")
	i >= 0
}

scp_to_path(u) := u if {
	contains(u, "@")
	not startswith(u, "ssh://")
	not contains(u, ":")
	regex.match(ssh_url, u)
}

# Each project's `sourceRepos` patterns, normalised once for all its Applications: the
# permitting ones and (without their `!`) the refusing ones. Projects without patterns are left
# out (see the description).
allowed_repos[name] := [normalize(p) | some p in lib.items(project.spec.sourceRepos); is_string(p); not startswith(p, "!")] if {
	some name, project in projects
	count(lib.items(project.spec.sourceRepos)) > 0
}

denied_repos[name] := [normalize(substring(p, 1, -1)) | some p in lib.items(project.spec.sourceRepos); is_string(p); startswith(p, "!")] if {
	some name, project in projects
	count(lib.items(project.spec.sourceRepos)) > 0
}

# A `sourceRepos` glob: `/` separates (`*` and `?` stay within a segment); `*` alone matches all.
repo_glob(pattern, _) if pattern == "*"

repo_glob(pattern, u) if glob.match(pattern, ["/"], u)

# Whether Argo CD refuses the normalised URL `u` in project `name`: a `!` pattern matches it, or
# no pattern permits it (a `!` pattern that does not match permits).
repo_refused(name, u) if {
	some pattern in denied_repos[name]
	repo_glob(pattern, u)
}

repo_refused(name, u) if {
	allowed_repos[name]
	count(denied_repos[name]) == 0
	not repo_allowed(name, u)
}

repo_allowed(name, u) if {
	some pattern in allowed_repos[name]
	repo_glob(pattern, u)
}

# Argo CD's `globMatch(pattern, value, true)` for destinations (no separators): `!p` is the
# opposite of `p`; `*` matches everything. As a boolean (an invalid glob matches nothing).
dest_glob(pattern, value) := false if {
	startswith(pattern, "!")
	glob.match(substring(pattern, 1, -1), null, value)
}

dest_glob(pattern, value) := true if {
	startswith(pattern, "!")
	not glob.match(substring(pattern, 1, -1), null, value)
}

dest_glob(pattern, value) := true if {
	not startswith(pattern, "!")
	pattern == "*"
}

dest_glob(pattern, value) := true if {
	not startswith(pattern, "!")
	pattern != "*"
	glob.match(pattern, null, value)
}

dest_glob(pattern, value) := false if {
	not startswith(pattern, "!")
	pattern != "*"
	not glob.match(pattern, null, value)
}

# The values `dest_glob(pattern, v)` can take for a cluster name or server `v`, "" when unknown
# (a cluster's name and server are never empty).
possible(pattern, value) := {dest_glob(pattern, value)} if value != ""

possible(pattern, "") := {false} if pattern in {"", "!*"}

possible(pattern, "") := {true} if pattern == "*"

possible(pattern, "") := {true, false} if not pattern in {"", "*", "!*"}

# Each project's `destinations`: [name glob, server glob, namespace glob], "" for a missing field.
# (Entries that are not objects of strings are left out: the API server does not store them.)
destination_entries[name] := [entry |
	some e in lib.items(project.spec.destinations)
	is_object(e)
	entry := [object.get(e, "name", ""), object.get(e, "server", ""), object.get(e, "namespace", "")]
	count([f | some f in entry; is_string(f)]) == 3
] if {
	some name, project in projects
	count(lib.items(project.spec.destinations)) > 0
}

# What one entry of `isDestinationMatched` does, given whether the cluster name, the server and
# the namespace matched: "match" (permits), "deny" (refuses) or "none".
outcome(n, s, ns, _) := "match" if matched(n, s, ns)

outcome(n, s, ns, entry) := "deny" if {
	not matched(n, s, ns)
	denies(n, s, ns, entry)
}

outcome(n, s, ns, entry) := "none" if {
	not matched(n, s, ns)
	not denies(n, s, ns, entry)
}

matched(true, _, true) := true

matched(_, true, true) := true

# `(!nameMatched && isDeny(name)) || (!serverMatched && isDeny(server)) && namespaceMatched`
# (Go's `&&` binds tighter than `||`), then `!namespaceMatched && isDeny(namespace) && serverMatched`.
denies(false, _, _, [name, _, _]) if startswith(name, "!")

denies(_, false, true, [_, server, _]) if startswith(server, "!")

denies(_, true, false, [_, _, ns]) if startswith(ns, "!")

# The outcomes an entry can have for the destination, over the possible unknown values.
outcomes(entry, server, dname, ns) := {outcome(n, s, nsm, entry) |
	nsm := dest_glob(entry[2], ns)
	some n in possible(entry[0], dname)
	some s in possible(entry[1], server)
}

# Refused whatever the unknown cluster field: an entry refuses in every case, or none can permit.
# (No assignment from a value that may be undefined inside a function: regorus 0.14's bytecode VM
# lets such an assignment succeed.)
destination_refused(name, server, dname, ns) if {
	name in negated_destinations
	some entry in destination_entries[name]
	outcomes(entry, server, dname, ns) == {"deny"}
}

destination_refused(name, server, dname, ns) if {
	name in negated_destinations
	count([1 | some entry in destination_entries[name]; "match" in outcomes(entry, server, dname, ns)]) == 0
}

# Without `!` fields no entry refuses, and an entry can permit when its namespace glob matches
# and its name or server glob can: the same answer as above, with fewer calls (the common case).
destination_refused(name, server, dname, ns) if {
	destination_entries[name]
	not name in negated_destinations
	not can_permit(name, server, dname, ns)
}

can_permit(name, server, dname, ns) if {
	some [name_glob, _, ns_glob] in destination_entries[name]
	plain_glob(ns_glob, ns)
	cluster_can_match(name_glob, dname)
}

can_permit(name, server, dname, ns) if {
	some [_, server_glob, ns_glob] in destination_entries[name]
	plain_glob(ns_glob, ns)
	cluster_can_match(server_glob, server)
}

plain_glob(pattern, _) if pattern == "*"

plain_glob(pattern, value) if glob.match(pattern, null, value)

# A glob without `!` against a cluster name or server, "" when unknown: any glob but "" may match
# an unknown value.
cluster_can_match(pattern, "") if pattern != ""

cluster_can_match(pattern, value) if {
	value != ""
	plain_glob(pattern, value)
}

# Projects with a `!` in a field of their `destinations`.
negated_destinations contains name if {
	some name, entries in destination_entries
	some entry in entries
	some field in entry
	startswith(field, "!")
}

# The Applications whose project is defined here, and the project's name: one pass over the
# documents for the checks below (in regorus a lookup costs far less than a function call, and a
# pass over every document costs more than a lookup per Application).
checked := [[app, project] |
	not global_projects
	some doc in input
	doc.contents.kind == "Application"
	doc.contents.apiVersion == "argoproj.io/v1alpha1"
	app := doc.contents
	is_object(app.spec)
	is_string(object.get(app.spec, "project", ""))
	project := project_of(app)
	projects[project]
]

project_of(app) := app.spec.project if {
	app.spec.project
	app.spec.project != ""
}

project_of(app) := "default" if object.get(app.spec, "project", "") == ""

# The sources Argo CD checks: [path of the repoURL, repoURL].
sources_checked(app) := [["spec.sourceHydrator.drySource.repoURL", app.spec.sourceHydrator.drySource.repoURL]] if {
	hydrator_valid(app.spec.sourceHydrator)
	object.get(app.spec.sourceHydrator, ["syncSource", "repoURL"], "") in {"", app.spec.sourceHydrator.drySource.repoURL}
}

sources_checked(app) := [
	["spec.sourceHydrator.drySource.repoURL", app.spec.sourceHydrator.drySource.repoURL],
	["spec.sourceHydrator.syncSource.repoURL", app.spec.sourceHydrator.syncSource.repoURL],
] if {
	hydrator_valid(app.spec.sourceHydrator)
	not object.get(app.spec.sourceHydrator, ["syncSource", "repoURL"], "") in {"", app.spec.sourceHydrator.drySource.repoURL}
}

sources_checked(app) := [[sprintf("spec.sources[%d].repoURL", [i]), src.repoURL] |
	some i, src in lib.items(app.spec.sources)
	i < first_invalid(app.spec.sources)
] if {
	not app.spec.sourceHydrator
	has_sources(app)
}

sources_checked(app) := [["spec.source.repoURL", app.spec.source.repoURL]] if {
	not app.spec.sourceHydrator
	not has_sources(app)
	source_valid(app.spec.source, false)
}

# Argo CD's `HasMultipleSources` (without a hydrator): `sources` is not empty.
has_sources(app) if {
	is_array(app.spec.sources)
	count(app.spec.sources) > 0
}

# Whether Argo CD goes on to the destination: every source (or the hydrator) is valid.
sources_valid(app) if hydrator_valid(app.spec.sourceHydrator)

sources_valid(app) if {
	not app.spec.sourceHydrator
	has_sources(app)
	first_invalid(app.spec.sources) == count(lib.items(app.spec.sources))
}

sources_valid(app) if {
	not app.spec.sourceHydrator
	not has_sources(app)
	source_valid(app.spec.source, false)
}

first_invalid(sources) := min(array.concat([i | some i, src in lib.items(sources); not source_valid(src, true)], [count(lib.items(sources))]))

# Argo CD's `validateSourcePermissions` and `validateSourceHydrator`.
source_valid(src, multi) if {
	is_object(src)
	object.get(src, "repoURL", "") != ""
	source_kind(src, multi)
	not chart_without_revision(src)
}

source_kind(src, _) if object.get(src, "path", "") != ""

source_kind(src, _) if object.get(src, "chart", "") != ""

source_kind(src, true) if object.get(src, "ref", "") != ""

chart_without_revision(src) if {
	object.get(src, "chart", "") != ""
	object.get(src, "targetRevision", "") == ""
}

hydrator_valid(h) if {
	is_object(h)
	object.get(h, ["drySource", "repoURL"], "") != ""
	object.get(h, ["syncSource", "targetBranch"], "") != ""
	not hydrate_to_without_branch(h)
}

hydrate_to_without_branch(h) if {
	h.hydrateTo != null
	not h.hydrateTo.targetBranch
}

hydrate_to_without_branch(h) if h.hydrateTo.targetBranch == ""

deny contains result if {
	some [app, project] in checked
	some [path, repo] in sources_checked(app)
	repo_refused(project, normalize(repo))
	result := {
		"msg": sprintf("AppProject %q does not permit repository %q of Application %q: Argo CD will refuse to sync it", [project, repo, app.metadata.name]),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": path,
		"help": sprintf("add the repository to `sourceRepos` of AppProject %q, or use the project that owns it", [project]),
	}
}

deny contains result if {
	some [app, project] in checked
	sources_valid(app)
	dest := object.get(app.spec, "destination", {})
	is_object(dest)
	raw_server := object.get(dest, "server", "")
	dname := object.get(dest, "name", "")
	count([f | some f in [raw_server, dname]; f != ""]) == 1
	ns := object.get(dest, "namespace", "")
	destination_refused(project, trim_right(raw_server, "/"), dname, ns)
	result := {
		"msg": sprintf("AppProject %q does not permit destination %s of Application %q: Argo CD will refuse to sync it", [project, describe(dest), app.metadata.name]),
		"resource": {"kind": "Application", "name": app.metadata.name},
		"path": "spec.destination",
		"help": sprintf("add the cluster and namespace to `destinations` of AppProject %q", [project]),
	}
}

describe(dest) := sprintf("%s/%s", [object.get(dest, "name", object.get(dest, "server", "")), object.get(dest, "namespace", "")])
