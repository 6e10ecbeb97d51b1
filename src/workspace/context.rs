//! Cross-document context: when only some files are checked (a pre-commit hook's file list, `--changed-since`),
//! the rest of the project still supplies the AppProjects, cluster Secrets, `argocd-cm`/`argocd-rbac-cm`,
//! HorizontalPodAutoscalers (and the workloads they scale), Kustomizations and other Argo CD objects that
//! whole-tree checks compare against.

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
const CONTEXT_WORDS: &[&str] = &[
    "Application",
    "AppProject",
    "Secret",
    "argocd-cm",
    "argocd-rbac-cm",
    "HorizontalPodAutoscaler",
    "Kustomization",
    "replicas",
];

/// Whether a file's text may hold a context document. A cheap, conservative filter: a `true` may be wrong.
pub fn may_hold_context(text: &str) -> bool {
    CONTEXT_WORDS.iter().any(|w| text.contains(w))
}

/// Whether a document is context for whole-tree checks: Argo CD objects, HorizontalPodAutoscalers,
/// Kustomizations, and workloads that set `spec.replicas` (kept by [`keep_scaled_workloads`] only when an
/// HorizontalPodAutoscaler scales them).
pub fn is_context(doc_kind: crate::model::DocKind, value: &serde_json::Value) -> bool {
    use crate::model::DocKind;
    match doc_kind {
        DocKind::Application
        | DocKind::ApplicationSet
        | DocKind::AppProject
        | DocKind::ArgoCdCm
        | DocKind::ArgoCdRbacCm
        | DocKind::ClusterSecret => true,
        DocKind::Kubernetes => {
            matches!(
                value.get("kind").and_then(serde_json::Value::as_str),
                Some("HorizontalPodAutoscaler" | "Kustomization")
            ) || value.pointer("/spec/replicas").is_some()
        }
        DocKind::Other => false,
    }
}

/// Drops the workloads with `spec.replicas` that no HorizontalPodAutoscaler among `docs` targets
/// (`scaleTargetRef` kind and name): the others are context only for the self-heal/HPA policy.
pub fn keep_scaled_workloads(docs: &mut Vec<crate::model::Document>) {
    use serde_json::Value;
    let kind_of = |v: &Value| v.get("kind").and_then(Value::as_str).map(str::to_string);
    let targets: std::collections::BTreeSet<(String, String)> = docs
        .iter()
        .filter(|d| kind_of(&d.value).as_deref() == Some("HorizontalPodAutoscaler"))
        .filter_map(|d| {
            let t = d.value.pointer("/spec/scaleTargetRef")?;
            Some((kind_of(t)?, t.get("name")?.as_str()?.to_string()))
        })
        .collect();
    docs.retain(|d| {
        let scaled_only = d.kind == crate::model::DocKind::Kubernetes
            && !matches!(kind_of(&d.value).as_deref(), Some("HorizontalPodAutoscaler" | "Kustomization"));
        !scaled_only
            || kind_of(&d.value)
                .zip(d.value.pointer("/metadata/name").and_then(Value::as_str))
                .is_some_and(|(k, n)| targets.contains(&(k, n.to_string())))
    });
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
    fn only_workloads_an_hpa_scales_are_kept() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 3}\n---\n\
                    apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: other}\nspec: {replicas: 2}\n---\n\
                    apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n\
                    spec: {scaleTargetRef: {kind: Deployment, name: web}}\n";
        let file = std::sync::Arc::new(crate::model::SourceFile::new("x.yaml", text.to_string()));
        let mut docs: Vec<crate::model::Document> = crate::yaml::load(text, &crate::yaml::Limits::default())
            .docs
            .into_iter()
            .map(|d| crate::model::Document::new(file.clone(), d.index, d.value, d.map))
            .filter(|d| is_context(d.kind, &d.value))
            .collect();
        assert_eq!(docs.len(), 3);
        keep_scaled_workloads(&mut docs);
        let names: Vec<&str> = docs.iter().filter_map(|d| d.name()).collect();
        assert_eq!(names, ["web", "web"]);
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
