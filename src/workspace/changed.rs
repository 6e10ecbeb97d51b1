//! `check --changed-since REV`: which paths a change touches, and which ApplicationSets read them.
//!
//! The change is what `git diff REV...` plus the uncommitted work shows: from the merge base of REV and HEAD
//! to the working tree, staged, unstaged and untracked (not ignored) files alike. Merge-base semantics make
//! `--changed-since origin/main` on a pull-request branch mean "what this branch changed", whatever landed on
//! `main` since the branch was cut.

use crate::appset::{go_path_match, pathspec_match};
use git2::{DiffOptions, Repository};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The paths a change touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The repository's working directory.
    pub root: PathBuf,
    /// Repository-relative, `/`-separated paths added, modified, deleted, renamed (both names) or untracked.
    pub paths: BTreeSet<String>,
}

/// The changes from the merge base of `rev` and HEAD to the working tree of the repository containing `start`.
/// Errors (not a repository, unknown revision, history missing in a shallow clone) say how to fix them.
pub fn changed_since(start: &Path, rev: &str) -> Result<Changes, String> {
    let repo = Repository::discover(start).map_err(|e| {
        format!(
            "--changed-since needs a git repository, and {} is not inside one ({}); run argovet from a clone, or \
             drop --changed-since to check every file",
            start.display(),
            e.message()
        )
    })?;
    let root = repo
        .workdir()
        .map(Path::to_path_buf)
        .ok_or_else(|| format!("{}: a bare repository has no working tree to check", repo.path().display()))?;
    let shallow_hint = if repo.is_shallow() {
        "; this is a shallow clone: fetch the history (`git fetch --unshallow`, or `fetch-depth: 0` in \
         actions/checkout, `GIT_DEPTH: 0` in GitLab CI)"
    } else {
        ""
    };
    let target = repo
        .revparse_single(rev)
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| {
            format!(
                "--changed-since {rev}: no such revision in {} ({}); fetch it first (e.g. `git fetch origin main`){shallow_hint}",
                root.display(),
                e.message()
            )
        })?
        .id();
    let head = repo
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|e| format!("--changed-since {rev}: cannot resolve HEAD in {} ({}); a repository needs at least one commit to compare with", root.display(), e.message()))?
        .id();
    let base = repo.merge_base(target, head).map_err(|e| {
        format!(
            "--changed-since {rev}: {rev} and HEAD have no common history in {} ({}){shallow_hint}",
            root.display(),
            e.message()
        )
    })?;
    let tree =
        repo.find_commit(base).and_then(|c| c.tree()).map_err(|e| format!("--changed-since {rev}: {}", e.message()))?;
    let mut opts = DiffOptions::new();
    opts.include_untracked(true).recurse_untracked_dirs(true).include_typechange(true).ignore_submodules(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut opts))
        .map_err(|e| format!("--changed-since {rev}: cannot compare with the working tree: {}", e.message()))?;
    let mut paths = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file(), delta.new_file()] {
            if let Some(p) = file.path() {
                paths.insert(p.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(Changes { root, paths })
}

/// Whether any git generator of `appset` (at any depth of `matrix`/`merge`) whose repository `is_this_repo`
/// accepts reads one of `paths`: a changed file inside a directory a `directories` entry selects, or a file a
/// `files` entry selects, with the generator's own matching (Go `path.Match`, git pathspecs; excludes
/// honoured). Template expressions in patterns (`{{.path.path}}/config.json`) match anything.
pub fn appset_reads(appset: &Value, paths: &BTreeSet<String>, is_this_repo: &dyn Fn(&str) -> bool) -> bool {
    appset
        .pointer("/spec/generators")
        .and_then(Value::as_array)
        .is_some_and(|g| generators_read(g, paths, is_this_repo))
}

fn generators_read(generators: &[Value], paths: &BTreeSet<String>, is_this_repo: &dyn Fn(&str) -> bool) -> bool {
    generators.iter().any(|g| {
        let nested = ["matrix", "merge"].iter().any(|k| {
            g.pointer(&format!("/{k}/generators"))
                .and_then(Value::as_array)
                .is_some_and(|inner| generators_read(inner, paths, is_this_repo))
        });
        nested || g.get("git").is_some_and(|git| git_reads(git, paths, is_this_repo))
    })
}

fn git_reads(git: &Value, paths: &BTreeSet<String>, is_this_repo: &dyn Fn(&str) -> bool) -> bool {
    if !is_this_repo(git.get("repoURL").and_then(Value::as_str).unwrap_or("")) {
        return false;
    }
    let dirs = crate::appset::git_path_entries(git, "directories");
    if !dirs.is_empty() {
        let selected = |dir: &str| {
            let m = |p: &str| {
                if p.contains("{{") {
                    pathspec_match(&untemplate(p), dir)
                } else {
                    go_path_match(p, dir).unwrap_or(false)
                }
            };
            dirs.iter().any(|(p, ex)| !ex && m(p)) && !dirs.iter().any(|(p, ex)| *ex && m(p))
        };
        return paths.iter().any(|p| ancestors(p).any(selected));
    }
    let files = crate::appset::git_path_entries(git, "files");
    let m = |pattern: &str, file: &str| pathspec_match(&untemplate(pattern), file);
    paths.iter().any(|p| files.iter().any(|(f, ex)| !ex && m(f, p)) && !files.iter().any(|(f, ex)| *ex && m(f, p)))
}

/// `a/b/c.yaml` -> `a`, `a/b`: the directories a file is in (the repository root excluded, as the generator
/// never lists it).
fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// Replaces every `{{ ... }}` with `*`.
fn untemplate(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        out.push('*');
        rest = match rest[start..].find("}}") {
            Some(end) => &rest[start + end + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(p: &[&str]) -> BTreeSet<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    fn any(_: &str) -> bool {
        true
    }

    fn dirs_set(patterns: Value) -> Value {
        json!({"spec": {"generators": [{"git": {"repoURL": "https://example.com/r.git", "directories": patterns}}]}})
    }

    #[test]
    fn directory_generators_read_files_inside_selected_directories() {
        let set = dirs_set(json!([{"path": "apps/*"}, {"path": "apps/legacy", "exclude": true}]));
        assert!(appset_reads(&set, &paths(&["apps/web/values.yaml"]), &any));
        assert!(appset_reads(&set, &paths(&["apps/web/deep/x.txt"]), &any), "apps/web is an ancestor");
        assert!(!appset_reads(&set, &paths(&["apps/legacy/values.yaml"]), &any), "excluded");
        assert!(!appset_reads(&set, &paths(&["other/web/values.yaml"]), &any));
        assert!(!appset_reads(&set, &paths(&["apps/README.md"]), &any), "`apps` itself is not selected");
    }

    #[test]
    fn file_generators_read_matching_files_and_honour_excludes() {
        let set = json!({"spec": {"generators": [{"matrix": {"generators": [
            {"list": {"elements": []}},
            {"git": {"repoURL": "u", "files": [{"path": "clusters/**/config.json"}, {"path": "clusters/old/*", "exclude": true}]}}
        ]}}]}});
        assert!(appset_reads(&set, &paths(&["clusters/eu/prod/config.json"]), &any));
        assert!(!appset_reads(&set, &paths(&["clusters/old/config.json"]), &any));
        assert!(!appset_reads(&set, &paths(&["clusters/eu/prod/values.yaml"]), &any));
    }

    #[test]
    fn other_repositories_and_templated_patterns() {
        let set = dirs_set(json!([{"path": "apps/*"}]));
        assert!(!appset_reads(&set, &paths(&["apps/web/a.yaml"]), &|_| false));
        let set = json!({"spec": {"generators": [{"git": {"repoURL": "u", "files": [{"path": "{{.path.path}}/config.json"}]}}]}});
        assert!(appset_reads(&set, &paths(&["envs/dev/config.json"]), &any));
        assert!(!appset_reads(&set, &paths(&["envs/dev/other.json"]), &any));
        assert_eq!(untemplate("a/{{ .x }}/b{{y}}"), "a/*/b*");
    }
}
