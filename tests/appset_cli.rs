//! `argovet appset generate` / `appset diff` and ApplicationSet expansion in `check`, end to end.

use assert_cmd::Command;
use std::path::Path;

mod common;
use common::write;

fn argovet() -> Command {
    let mut c = Command::cargo_bin("argovet").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// Commits the working tree of `dir` (initialising the repository on first use).
fn commit(dir: &Path, message: &str) -> String {
    let repo = git2::Repository::open(dir).or_else(|_| git2::Repository::init(dir)).unwrap();
    let mut index = repo.index().unwrap();
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("argovet", "argovet@example.com").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).unwrap().to_string()
}

const LIST: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: guestbook
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - cluster: engineering-dev
        url: https://1.2.3.4
      - cluster: engineering-prod
        url: https://2.4.6.8
  template:
    metadata:
      name: '{{cluster}}-guestbook'
      labels:
        env: '{{cluster}}'
    spec:
      project: my-project
      source:
        repoURL: https://github.com/infra-team/cluster-deployments.git
        targetRevision: HEAD
        path: guestbook/{{cluster}}
      destination:
        server: '{{url}}'
        namespace: guestbook
";

#[test]
fn generate_prints_yaml_applications_in_order() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "set.yaml", LIST);
    let out = argovet().current_dir(d.path()).args(["appset", "generate", "set.yaml"]).assert().success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout));
}

#[test]
fn generate_prints_a_json_array() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "set.yaml", LIST);
    let out = argovet().current_dir(d.path()).args(["appset", "generate", "set.yaml", "-o", "json"]).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    insta::assert_json_snapshot!(v);
}

#[test]
fn generate_reads_cluster_secrets_from_a_directory() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "clusters/staging.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: staging\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n    environment: staging\ndata:\n  name: c3RhZ2luZw==\n  server: aHR0cHM6Ly8xLjIuMy40\n",
    );
    write(
        d.path(),
        "clusters/prod.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: prod\n  labels:\n    argocd.argoproj.io/secret-type: cluster\n    environment: production\nstringData:\n  name: production\n  server: https://2.4.6.8\n  project: prod\n",
    );
    write(
        d.path(),
        "set.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: guestbook\n  namespace: argocd\nspec:\n  generators:\n  - clusters:\n      values:\n        revision: 'rev-{{metadata.labels.environment}}'\n  template:\n    metadata:\n      name: '{{nameNormalized}}-guestbook'\n    spec:\n      project: '{{project}}'\n      source:\n        repoURL: https://github.com/argoproj/argocd-example-apps.git\n        targetRevision: '{{values.revision}}'\n        path: guestbook\n      destination:\n        server: '{{server}}'\n        namespace: guestbook\n",
    );
    let out = argovet()
        .current_dir(d.path())
        .args(["appset", "generate", "set.yaml", "--clusters", "clusters"])
        .assert()
        .success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout));
}

#[test]
fn generate_reads_git_directories_from_a_mapped_repository() {
    let repo = tempfile::tempdir().unwrap();
    write(repo.path(), "apps/web/kustomization.yaml", "resources: []\n");
    write(repo.path(), "apps/api/kustomization.yaml", "resources: []\n");
    write(repo.path(), "apps/.skip/kustomization.yaml", "resources: []\n");
    commit(repo.path(), "apps");
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "set.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: apps\n  namespace: argocd\nspec:\n  generators:\n  - git:\n      repoURL: git@github.com:example/apps.git\n      revision: HEAD\n      directories:\n      - path: apps/*\n  template:\n    metadata:\n      name: '{{path.basename}}'\n    spec:\n      project: default\n      source:\n        repoURL: git@github.com:example/apps.git\n        targetRevision: HEAD\n        path: '{{path}}'\n      destination:\n        server: https://kubernetes.default.svc\n        namespace: '{{path.basename}}'\n",
    );
    let mapping = format!("https://github.com/example/apps={}", repo.path().display());
    let out =
        argovet().current_dir(d.path()).args(["appset", "generate", "set.yaml", "--repo", &mapping]).assert().success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout));
    // Unmapped: nothing generated, and the note says how to map it.
    let out = argovet().current_dir(d.path()).args(["appset", "generate", "set.yaml"]).assert().success();
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("pass --repo git@github.com:example/apps.git=PATH"), "{err}");
}

#[test]
fn generate_fails_with_the_generator_and_element_named() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "set.yaml", LIST.replace("url: https://2.4.6.8", "url: 42"));
    let out = argovet().current_dir(d.path()).args(["appset", "generate", "set.yaml"]).assert().code(1);
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stderr));
}

#[test]
fn generate_usage_errors_exit_2() {
    let d = tempfile::tempdir().unwrap();
    argovet().current_dir(d.path()).args(["appset", "generate", "missing.yaml"]).assert().code(2);
    write(d.path(), "app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
    argovet().current_dir(d.path()).args(["appset", "generate", "app.yaml"]).assert().code(2);
    argovet().current_dir(d.path()).args(["appset", "generate", "app.yaml", "--repo", "nourl"]).assert().code(2);
}

const ROLLING: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - env: dev
      - env: staging
      - env: prod
  strategy:
    type: RollingSync
    rollingSync:
      steps:
      - matchExpressions:
        - key: env
          operator: In
          values: [dev]
      - matchExpressions:
        - key: env
          operator: In
          values: [staging, prod]
  template:
    metadata:
      name: 'web-{{env}}'
      labels:
        env: '{{env}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/apps.git
        targetRevision: HEAD
        path: 'web/{{env}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: web
";

fn scratch_repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "argocd/envs.yaml", ROLLING);
    write(
        d.path(),
        "argocd/tools.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: tools\n  namespace: argocd\nspec:\n  project: default\n  source: {repoURL: 'https://github.com/example/tools.git', path: tools}\n  destination: {server: 'https://kubernetes.default.svc', namespace: tools}\n",
    );
    commit(d.path(), "base");
    // Head: staging removed, prod moves to a new path, a qa environment appears.
    let head = ROLLING
        .replace("      - env: staging\n", "      - env: qa\n")
        .replace("path: 'web/{{env}}'", "path: 'deploy/{{env}}'");
    write(d.path(), "argocd/envs.yaml", &head);
    commit(d.path(), "head");
    d
}

#[test]
fn diff_shows_added_removed_changed_and_rolling_sync_steps() {
    let d = scratch_repo();
    let out = argovet().current_dir(d.path()).args(["appset", "diff", "--base", "HEAD~1"]).assert().success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout));
}

#[test]
fn diff_json_for_ci_bots_and_deletion_gates() {
    let d = scratch_repo();
    let out = argovet()
        .current_dir(d.path())
        .args(["appset", "diff", "argocd", "--base", "HEAD~1", "--head", "HEAD", "-o", "json"])
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["summary"], serde_json::json!({"added": 1, "removed": 1, "changed": 2, "unprotectedDeletions": 1}));
    assert_eq!(v["removed"][0]["name"], "web-staging");
    assert_eq!(v["added"][0]["name"], "web-qa");
    assert_eq!(v["rollingSync"][0]["steps"][1]["applications"], serde_json::json!(["web-prod"]));
    let out = argovet()
        .current_dir(d.path())
        .args(["appset", "diff", "--base", "HEAD~1", "--fail-on-delete"])
        .assert()
        .code(1);
    assert!(
        String::from_utf8_lossy(&out.get_output().stderr)
            .contains("1 Applications would be deleted together with their resources")
    );
    argovet()
        .current_dir(d.path())
        .args(["appset", "diff", "--base", "HEAD~1", "--max-deletions", "1"])
        .assert()
        .success();
    argovet()
        .current_dir(d.path())
        .args(["appset", "diff", "--base", "HEAD~1", "--max-deletions", "0"])
        .assert()
        .code(1);
    // Preserving resources on deletion makes the removal safe.
    let safe = std::fs::read_to_string(d.path().join("argocd/envs.yaml"))
        .unwrap()
        .replace("spec:\n  generators:", "spec:\n  syncPolicy:\n    preserveResourcesOnDeletion: true\n  generators:");
    write(d.path(), "argocd/envs.yaml", &safe);
    commit(d.path(), "preserve");
    argovet().current_dir(d.path()).args(["appset", "diff", "--base", "HEAD~2", "--fail-on-delete"]).assert().success();
    argovet().current_dir(d.path()).args(["appset", "diff", "--base", "no-such-rev"]).assert().code(2);
}

#[test]
fn check_reports_findings_on_generated_applications_at_the_template_line() {
    let d = tempfile::tempdir().unwrap();
    write(
        d.path(),
        "set.yaml",
        LIST.replace(
            "      - cluster: engineering-prod\n        url: https://2.4.6.8\n",
            "      - cluster: engineering-prod\n",
        ),
    );
    let out = argovet().current_dir(d.path()).args(["check", "set.yaml", "--format", "json"]).assert().code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let findings: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap_or("").starts_with("appset-"))
        .cloned()
        .collect();
    insta::assert_json_snapshot!(findings);
}
