//! Cross-document context: when only some files are checked (a pre-commit hook's file list, `--changed-since`),
//! the rest of the project still supplies the AppProjects, cluster Secrets, `argocd-cm`/`argocd-rbac-cm`,
//! HorizontalPodAutoscalers, Kustomizations and other Argo CD objects that whole-tree checks compare against.

use super::Config;
use std::path::{Component, Path, PathBuf};

/// Where context is read from: the directory of `.argovet.yaml` when one is in use, else the working directory of
/// the git repository containing `start`. `None` outside both.
pub fn project_root(config: &Config, start: &Path) -> Option<PathBuf> {
    if let Some(dir) = &config.dir {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir.as_path() };
        return std::fs::canonicalize(dir).ok();
    }
    let repo = git2::Repository::discover(start).ok()?;
    std::fs::canonicalize(repo.workdir()?).ok()
}

/// Words one of which every context document's text contains (its `kind`, or the ConfigMap names); files with
/// none of them are not parsed for context.
const CONTEXT_WORDS: &[&str] =
    &["Application", "AppProject", "Secret", "argocd-cm", "argocd-rbac-cm", "HorizontalPodAutoscaler", "Kustomization"];

/// Whether a file's text may hold a context document. A cheap, conservative filter: a `true` may be wrong.
pub fn may_hold_context(text: &str) -> bool {
    CONTEXT_WORDS.iter().any(|w| text.contains(w))
}

/// Whether a document of this `kind` (with its classification) is context for whole-tree checks.
pub fn is_context_kind(doc_kind: crate::model::DocKind, kind: Option<&str>) -> bool {
    use crate::model::DocKind;
    match doc_kind {
        DocKind::Application
        | DocKind::ApplicationSet
        | DocKind::AppProject
        | DocKind::ArgoCdCm
        | DocKind::ArgoCdRbacCm
        | DocKind::ClusterSecret => true,
        DocKind::Kubernetes => matches!(kind, Some("HorizontalPodAutoscaler" | "Kustomization")),
        DocKind::Other => false,
    }
}

/// `path` (absolute) as a path relative to the current directory (with `..` when it lies outside), so context and
/// changed files are named the way a user typing paths from here would name them. Unchanged when the current
/// directory is unknown or on another drive.
pub fn relative_to_cwd(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) else {
        return path.to_path_buf();
    };
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (a, b): (Vec<Component<'_>>, Vec<Component<'_>>) = (path.components().collect(), cwd.components().collect());
    if a.first() != b.first() {
        return path;
    }
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &a[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() { PathBuf::from(".") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_filter_keeps_context_kinds_only() {
        assert!(may_hold_context("kind: AppProject\n"));
        assert!(may_hold_context("metadata:\n  name: argocd-cm\n"));
        assert!(!may_hold_context("kind: Deployment\nspec: {}\n"));
    }

    #[test]
    fn paths_are_shown_relative_to_the_current_directory() {
        let cwd = std::fs::canonicalize(std::env::current_dir().expect("cwd")).expect("canonical cwd");
        assert_eq!(relative_to_cwd(&cwd.join("src/lib.rs")), PathBuf::from("src/lib.rs"));
        let parent = cwd.parent().expect("cwd has a parent");
        assert_eq!(
            relative_to_cwd(&parent.join(cwd.file_name().expect("named")).join("Cargo.toml")),
            PathBuf::from("Cargo.toml")
        );
        assert_eq!(relative_to_cwd(&parent.join("x-nonexistent")), PathBuf::from("../x-nonexistent"));
    }
}
