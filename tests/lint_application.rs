//! `argovet check` end to end on a small repository with Application mistakes spread over files.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;

const APP: &str = "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/apps.git
    path: guestbook
    targetRevision: main
  destination:
    server: https://kubernetes.default.svc
    namespace: guestbook
  syncPolicy:
    syncOptions:
      - CreateNamespace=yes
";

const JOB: &str = "apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    argocd.argoproj.io/hook: PreSync
    argocd.argoproj.io/sync-wave: \"first\"
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: example/migrate:1}]
";

/// `(rule, file name, line, column)` of every finding of a JSON report.
fn findings(stdout: &[u8]) -> Vec<(String, String, u64, u64)> {
    let report: Value = serde_json::from_slice(stdout).expect("argovet prints JSON");
    let list = report["findings"].as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                file,
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// `argovet check . --format json --no-default-policies` in `dir`.
fn check_json(dir: &std::path::Path) -> std::process::Output {
    Command::cargo_bin("argovet")
        .expect("binary")
        .current_dir(dir)
        .args(["check", ".", "--format", "json", "--no-default-policies"])
        .output()
        .expect("runs")
}

#[test]
fn reports_application_mistakes_across_files_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::create_dir_all(dir.path().join("apps/legacy")).expect("mkdir");
    fs::write(dir.path().join("apps/guestbook.yaml"), APP).expect("write");
    fs::write(
        dir.path().join("apps/legacy/guestbook.yaml"),
        APP.replace("CreateNamespace=yes", "CreateNamespace=true"),
    )
    .expect("write");
    fs::write(dir.path().join("job.yaml"), JOB).expect("write");
    let out = check_json(dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let got = findings(&out.stdout);
    // Nothing shows that apps/ and apps/legacy/ are applied together: no duplicate.
    let want = [("sync-option-invalid", "guestbook.yaml", 17, 9), ("sync-wave-not-integer", "job.yaml", 7, 35)];
    for w in want {
        assert!(got.iter().any(|g| (g.0.as_str(), g.1.as_str(), g.2, g.3) == w), "missing {w:?} in {got:?}");
    }
    assert_eq!(got.len(), 2, "{got:?}");
    // A root Application deploying apps/ recursively into its own cluster puts both in one Argo CD.
    let root = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: root, namespace: argocd}\nspec:\n  \
                project: default\n  source: {repoURL: 'https://github.com/o/r', path: apps, targetRevision: v1, directory: \
                {recurse: true}}\n  destination: {server: 'https://kubernetes.default.svc', namespace: argocd}\n";
    fs::write(dir.path().join("root.yaml"), root).expect("write");
    let out = check_json(dir.path());
    let got = findings(&out.stdout);
    assert!(got.contains(&("argo-object-duplicate".into(), "guestbook.yaml".into(), 4, 9)), "{got:?}");
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn a_correct_application_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("app.yaml"), APP.replace("CreateNamespace=yes", "CreateNamespace=true")).expect("write");
    Command::cargo_bin("argovet")
        .expect("binary")
        .current_dir(dir.path())
        .args(["check", ".", "--no-default-policies"])
        .assert()
        .success();
}

#[test]
fn explain_prints_the_rule_documentation() {
    let out =
        Command::cargo_bin("argovet").expect("binary").args(["explain", "sync-option-invalid"]).output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for section in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
        assert!(text.contains(section), "{section} missing from:\n{text}");
    }
}
