//! Finding the YAML files under the paths a user gives.

use super::display_path;
use crate::report::{Finding, Severity, Span};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The files to check and the problems met while walking.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Loops, unreadable directories, non-regular files.
    pub findings: Vec<Finding>,
    /// Files named `Kustomization` (kustomize's name without an extension) met while walking: not checked,
    /// but the repository model reads them.
    pub kustomizations: Vec<PathBuf>,
    /// The directories walked: every `Chart.yaml` below them is among `files` already.
    pub walked: Vec<PathBuf>,
}

/// Walks `paths`: a file is taken as given; a directory is walked for `.yaml`/`.yml` files,
/// respecting `.gitignore`, `.ignore` and the `exclude` globs (gitignore syntax, relative to `root`).
/// Hidden directories and `.git` are skipped. A path that does not exist is an `Err` (a usage error).
pub fn discover(paths: &[PathBuf], exclude: &[String], root: &Path) -> Result<Discovery, String> {
    let mut out = Discovery::default();
    let excludes = build_excludes(exclude, root)?;
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !meta.is_dir() {
            out.files.push(path.clone());
            continue;
        }
        out.walked.push(path.clone());
        let mut walk = WalkBuilder::new(path);
        walk.follow_links(true).require_git(false).sort_by_file_name(|a, b| a.cmp(b));
        // Symlinks are followed only while they stay inside the repository (or the directory
        // walked, outside a repository): a link to `~/.ssh/...` in a pull request must not be read
        // and shown in a report.
        let boundary = boundary_of(path);
        let leaving: Arc<Mutex<Vec<(PathBuf, PathBuf)>>> = Arc::default();
        if let Some(b) = boundary.clone() {
            let leaving = leaving.clone();
            walk.filter_entry(move |e| {
                if !e.path_is_symlink() {
                    return true;
                }
                match std::fs::canonicalize(e.path()) {
                    Ok(target) if !target.starts_with(&b) => {
                        if let Ok(mut l) = leaving.lock() {
                            l.push((e.path().to_path_buf(), target));
                        }
                        false
                    }
                    // Inside, or broken / a loop: the walker reports those itself.
                    _ => true,
                }
            });
        }
        for entry in walk.build() {
            match entry {
                Ok(e) => {
                    let p = e.path();
                    let is_file = e.file_type().is_some_and(|t| t.is_file());
                    if is_file
                        && p.file_name().is_some_and(|n| n == "Kustomization")
                        && !excluded(&excludes, p, root, false)
                    {
                        out.kustomizations.push(p.to_path_buf());
                    }
                    if !has_yaml_extension(p) || is_config_file(p) {
                        continue;
                    }
                    if excluded(&excludes, p, root, false) {
                        continue;
                    }
                    if is_file {
                        out.files.push(p.to_path_buf());
                    } else if e.file_type().is_some_and(|t| !t.is_dir()) {
                        out.findings.push(unreadable(p, "not a regular file (a FIFO, socket or device); skipped"));
                    }
                }
                Err(err) => {
                    let (p, msg) = describe_walk_error(&err);
                    out.findings.push(unreadable(&p, &msg));
                }
            }
        }
        let leaving = leaving.lock().map(|l| l.clone()).unwrap_or_default();
        for (link, target) in leaving {
            if !(has_yaml_extension(&link) || target.is_dir()) || excluded(&excludes, &link, root, target.is_dir()) {
                continue;
            }
            out.findings.push(outside_link(&link, &target, boundary.as_deref().unwrap_or(path)));
        }
    }
    out.files.sort();
    out.files.dedup();
    Ok(out)
}

/// The warning for a symlink at `link` to `target`, outside `boundary`: not followed.
pub fn outside_link(link: &Path, target: &Path, boundary: &Path) -> Finding {
    let inside = display_path(boundary);
    let mut f = unreadable(link, &format!("symlink to {}, outside {inside}; not followed", target.display()));
    f.severity = Severity::Warning;
    f
}

/// The directory symlinks may not leave when walking `path`: the work tree of the git repository
/// containing it, else `path` itself; canonical. `None` when it cannot be resolved.
fn boundary_of(path: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(path).ok()?;
    let repo_root = git2::Repository::discover(&start).ok().and_then(|r| r.workdir().map(Path::to_path_buf));
    match repo_root.and_then(|r| std::fs::canonicalize(r).ok()) {
        Some(r) if start.starts_with(&r) => Some(r),
        _ => Some(start),
    }
}

/// Of `candidates` (existing files, e.g. the ones a change touched), the ones a walk would have checked: YAML
/// files that are not `.argovet.yaml` and not excluded by the `exclude` globs (relative to `root`). Sorted.
pub fn select_files(candidates: &[PathBuf], exclude: &[String], root: &Path) -> Result<Vec<PathBuf>, String> {
    let excludes = build_excludes(exclude, root)?;
    let mut out: Vec<PathBuf> = candidates
        .iter()
        .filter(|p| has_yaml_extension(p) && !is_config_file(p) && !excluded(&excludes, p, root, false))
        .cloned()
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

fn build_excludes(globs: &[String], root: &Path) -> Result<Option<ignore::overrides::Override>, String> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = OverrideBuilder::new(root);
    for g in globs {
        // Override globs select; a leading `!` ignores. We want every exclude to ignore.
        b.add(&format!("!{g}")).map_err(|e| format!("invalid exclude pattern `{g}`: {e}"))?;
    }
    b.build().map(Some).map_err(|e| format!("invalid exclude patterns: {e}"))
}

fn excluded(ov: &Option<ignore::overrides::Override>, p: &Path, root: &Path, is_dir: bool) -> bool {
    let Some(ov) = ov else { return false };
    let rel = p.strip_prefix(root).unwrap_or(p);
    let mut cur = Some(rel);
    while let Some(c) = cur {
        if c.as_os_str().is_empty() {
            break;
        }
        if ov.matched(c, is_dir || c != rel).is_ignore() {
            return true;
        }
        cur = c.parent();
    }
    false
}

/// `.yaml` or `.yml`, any case.
pub fn has_yaml_extension(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn is_config_file(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n == ".argovet.yaml" || n == ".argovet.yml")
}

fn describe_walk_error(err: &ignore::Error) -> (PathBuf, String) {
    match err {
        ignore::Error::WithPath { path, err } => (path.clone(), describe_walk_error(err).1),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => describe_walk_error(err),
        ignore::Error::Loop { child, ancestor } => {
            (child.clone(), format!("symlink loop: it points back to {}; skipped", display_path(ancestor)))
        }
        ignore::Error::Io(e) => (PathBuf::new(), format!("cannot read: {e}")),
        other => (PathBuf::new(), other.to_string()),
    }
}

fn unreadable(p: &Path, msg: &str) -> Finding {
    Finding::new(
        "file-unreadable",
        Severity::Error,
        display_path(p).into(),
        Span { offset: 0, len: 0, line: 1, column: 1 },
        msg.to_string(),
    )
}
