# METADATA
# title: "AppProject allows every source repository (`sourceRepos: ['*']`)"
# description: |
#   ## What it does
#   Flags AppProjects whose `spec.sourceRepos` contains `*`.
#
#   ## Why is this bad?
#   A project is the boundary that decides which Git or Helm repositories its Applications may deploy
#   from. `*` lets anyone who can create an Application in the project deploy manifests from any
#   repository Argo CD can reach, including forks and personal repositories.
#
#   ## Example
#   ```yaml
#   kind: AppProject
#   spec:
#     sourceRepos: ['*']
#   ```
#
#   ## Use instead
#   ```yaml
#   spec:
#     sourceRepos:
#       - https://github.com/example-org/payments-deploy.git
#       - https://github.com/example-org/charts/*
#   ```
# custom:
#   id: project-wildcard-source-repos
#   severity: warning
#   category: best-practice
#   kinds: [AppProject]
package argovet.argocd.project_wildcard_source_repos

import data.argovet.lib

warn contains result if {
	some i, repo in lib.items(input.spec.sourceRepos)
	repo == "*"
	result := {
		"msg": sprintf("AppProject %q allows every source repository (`*`)", [input.metadata.name]),
		"path": sprintf("spec.sourceRepos[%d]", [i]),
		"help": "list the repositories (or URL globs such as `https://github.com/org/*`) this project may deploy from",
	}
}
