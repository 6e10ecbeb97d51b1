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

// ---- One cause, one finding; the environment is not the manifest's fault (issue 18) ----

/// Runs `git` with a fixed identity, in `dir`.
fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=argovet", "-c", "user.email=argovet@example.com", "-c", "init.defaultBranch=main"])
        .args(["-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// `check --format json` in `dir`: (exit code, findings whose rule starts with `appset-`, summary).
fn check_json(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>, serde_json::Value) {
    let out = argovet().current_dir(dir).arg("check").args(args).args(["--format", "json"]).output().unwrap();
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let findings = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap_or("").starts_with("appset-"))
        .cloned()
        .collect();
    (out.status.code().unwrap_or(-1), findings, v["summary"].clone())
}

fn rules_of(findings: &[serde_json::Value]) -> Vec<(String, String, u64)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// A list set of `n` clusters; the first `with_url` elements have a `url`.
fn clusters_set(n: usize, with_url: usize) -> String {
    let mut elements = String::new();
    for i in 0..n {
        elements.push_str(&format!("      - cluster: c{i}\n"));
        if i < with_url {
            elements.push_str(&format!("        url: https://10.0.0.{i}\n"));
        }
    }
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: fleet
  namespace: argocd
spec:
  generators:
  - list:
      elements:
{elements}  template:
    metadata:
      name: 'web-{{{{cluster}}}}'
    spec:
      project: web
      source:
        repoURL: https://github.com/org/web.git
        targetRevision: v1.0.0
        path: web
      destination:
        server: '{{{{url}}}}'
        namespace: web
"
    )
}

#[test]
fn a_template_line_missing_in_many_applications_is_reported_once_with_the_count() {
    let d = tempfile::tempdir().unwrap();
    // 6 clusters, only the first has a url: 5 Applications keep `{{url}}`.
    write(d.path(), "set.yaml", clusters_set(6, 1));
    let (code, findings, _) = check_json(d.path(), &["set.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), vec![("appset-unreplaced-template".into(), "error".into(), 27)]);
    let f = &findings[0];
    assert_eq!(
        f["message"],
        "`{{url}}` is left unreplaced at /spec/destination/server: the generator element does not produce `url` \
         (in 5 of 6 generated Applications, e.g. web-c1, web-c2, web-c3)"
    );
    assert_eq!(f["generated"]["application"], "web-c1");
    assert_eq!(f["generated"]["applications"], serde_json::json!(["web-c1", "web-c2", "web-c3", "web-c4", "web-c5"]));
    assert_eq!(f["generated"]["total"], 6);
    // Every element with its url: nothing left.
    write(d.path(), "set.yaml", clusters_set(6, 6));
    let (code, findings, _) = check_json(d.path(), &["set.yaml"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

#[test]
fn a_render_error_of_every_element_is_one_error_with_the_count() {
    let d = tempfile::tempdir().unwrap();
    let set = clusters_set(4, 4)
        .replace(
            "spec:\n  generators:",
            "spec:\n  goTemplate: true\n  goTemplateOptions: [\"missingkey=error\"]\n  generators:",
        )
        .replace("'web-{{cluster}}'", "'web-{{ .cluster }}'")
        .replace("'{{url}}'", "'{{ .url }}'")
        .replace("path: web\n", "path: 'web/{{ .tier }}'\n");
    write(d.path(), "set.yaml", set);
    let (code, findings, _) = check_json(d.path(), &["set.yaml"]);
    assert_eq!(code, 1, "the mistake breaks every Application and must still fail the run");
    // At the string Go failed to execute (`path:`), not the template's first line.
    assert_eq!(rules_of(&findings), vec![("appset-render-error".into(), "error".into(), 28)], "{findings:?}");
    assert_eq!(findings[0]["column"], 15);
    let msg = findings[0]["message"].as_str().unwrap();
    assert!(msg.contains("map has no entry for key \"tier\""), "{msg}");
    assert!(
        msg.ends_with(
            "(for 4 of 4 parameter sets: generators[0].list.elements[0], generators[0].list.elements[1], \
             generators[0].list.elements[2], ...)"
        ),
        "{msg}"
    );
}

/// A set whose template has one mistake; `go` selects the engine.
fn one_mistake(go: bool, name: &str) -> String {
    let go_line = if go { "  goTemplate: true\n" } else { "" };
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
  namespace: argocd
spec:
{go_line}  generators:
  - list:
      elements:
      - env: dev
      - env: prod
  template:
    metadata:
      name: '{name}'
    spec:
      project: web
      source:
        repoURL: https://github.com/org/web.git
        targetRevision: v1.0.0
        path: web
      destination:
        server: https://kubernetes.default.svc
        namespace: web
"
    )
}

#[test]
fn one_template_mistake_is_one_finding_from_the_most_specific_rule() {
    let d = tempfile::tempdir().unwrap();
    let line = |go: bool| if go { 15 } else { 14 };
    for (go, name, rule) in [
        // A param no generator produces, in the set's own syntax: appset-undefined-param (not also
        // `<no value>` once per Application).
        (true, "web-{{ .env }}-{{ .Name }}", "appset-undefined-param"),
        // ... nor, in a name, the invalid `web-<no value>` of every Application (app-name-invalid) and the
        // duplicate names they make (appset-render-error).
        (true, "web-{{ .Name }}", "appset-undefined-param"),
        // fasttemplate in a goTemplate set: not also the controller's "function not defined".
        (true, "web-{{env}}", "appset-template-style-mismatch"),
        // goTemplate in a fasttemplate set: not also undefined-param nor the duplicate names it causes.
        (false, "web-{{ .env }}", "appset-template-style-mismatch"),
        // A Go syntax error: appset-gotemplate-syntax, not also the compile error.
        (true, "web-{{ if .env }}", "appset-gotemplate-syntax"),
    ] {
        write(d.path(), "set.yaml", one_mistake(go, name));
        let (code, findings, _) = check_json(d.path(), &["set.yaml"]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(rules_of(&findings), vec![(rule.to_string(), "error".to_string(), line(go))], "{name}");
    }
    // With the owning rule off, the engine reports the consequence again (nothing goes unreported).
    write(d.path(), ".argovet.yaml", "rules:\n  appset-template-style-mismatch: off\n");
    write(d.path(), "set.yaml", one_mistake(true, "web-{{env}}"));
    let (code, findings, _) = check_json(d.path(), &["set.yaml"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), vec![("appset-render-error".into(), "error".into(), 14)], "{findings:?}");
    assert!(findings[0]["message"].as_str().unwrap().contains("function \"env\" not defined"));
}

/// A repository at `dir` with `apps/<name>/` for each of `apps` and an ApplicationSet reading them with a
/// git generator at `revision`, its `origin` set to `url`.
fn git_repo(dir: &Path, url: &str, apps: &[&str], revision: &str) {
    let set = dir.file_name().and_then(|n| n.to_str()).unwrap_or("apps");
    for a in apps {
        write(dir, &format!("apps/{a}/README.txt"), a);
    }
    write(
        dir,
        "argocd/set.yaml",
        format!(
            "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: {set}
  namespace: argocd
spec:
  generators:
  - git:
      repoURL: {url}
      revision: {revision}
      directories:
      - path: apps/*
  template:
    metadata:
      name: '{set}-{{{{path.basename}}}}'
    spec:
      project: web
      source:
        repoURL: {url}
        targetRevision: v1.0.0
        path: '{{{{path}}}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{{{path.basename}}}}'
"
        ),
    );
    git(dir, &["init", "-q"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "init"]);
    git(dir, &["remote", "add", "origin", url]);
}

#[test]
fn a_shallow_detached_ci_checkout_warns_how_to_fetch_instead_of_erroring() {
    let d = tempfile::tempdir().unwrap();
    let url = "https://example.com/org/apps.git";
    let upstream = d.path().join("upstream");
    git_repo(&upstream, url, &["one", "two"], "main");
    // What actions/checkout does on a pull request with the default fetch-depth: 1.
    let ci = d.path().join("ci");
    std::fs::create_dir_all(&ci).unwrap();
    git(&ci, &["init", "-q"]);
    git(&ci, &["remote", "add", "origin", url]);
    let from = format!("file://{}", upstream.display());
    git(&ci, &["fetch", "-q", "--depth=1", &from, "+refs/heads/main:refs/remotes/pull/1/merge"]);
    git(&ci, &["checkout", "-q", "--force", "refs/remotes/pull/1/merge"]);
    let (code, findings, _) = check_json(&ci, &["."]);
    assert_eq!(code, 0, "{findings:?}");
    assert_eq!(rules_of(&findings), vec![("appset-revision-unavailable".into(), "warning".into(), 10)]);
    let msg = findings[0]["message"].as_str().unwrap();
    assert!(msg.contains("unable to resolve git revision \"main\""), "{msg}");
    assert!(msg.contains("git fetch --unshallow") && msg.contains("fetch-depth: 0"), "{msg}");
    // Opt-in strictness.
    let (code, findings, _) = check_json(&ci, &[".", "--strict-inputs"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), vec![("appset-revision-unavailable".into(), "error".into(), 10)]);
    // A single-branch clone (`git clone --depth 1`) of another branch lacks `main` the same way.
    git(&upstream, &["checkout", "-q", "-b", "feature"]);
    git(d.path(), &["clone", "-q", "--depth", "1", "--branch", "feature", &from, "narrow"]);
    git(&d.path().join("narrow"), &["remote", "set-url", "origin", url]);
    let (code, findings, _) = check_json(&d.path().join("narrow"), &["."]);
    assert_eq!((code, rules_of(&findings)), (0, vec![("appset-revision-unavailable".into(), "warning".into(), 10)]));
}

#[test]
fn a_revision_missing_from_a_full_clone_is_still_an_error() {
    let d = tempfile::tempdir().unwrap();
    let url = "https://example.com/org/apps.git";
    let upstream = d.path().join("upstream");
    git_repo(&upstream, url, &["one", "two"], "mian");
    let from = format!("file://{}", upstream.display());
    git(d.path(), &["clone", "-q", &from, "full"]);
    let full = d.path().join("full");
    git(&full, &["remote", "set-url", "origin", url]);
    let (code, findings, _) = check_json(&full, &["."]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), vec![("appset-render-error".into(), "error".into(), 9)], "{findings:?}");
    assert!(findings[0]["message"].as_str().unwrap().contains("unable to resolve git revision \"mian\""));
}

#[test]
fn each_path_is_expanded_against_its_own_repository() {
    let d = tempfile::tempdir().unwrap();
    git_repo(&d.path().join("alpha"), "https://example.com/org/alpha.git", &["a1", "a2"], "HEAD");
    git_repo(&d.path().join("beta"), "https://example.com/org/beta.git", &["b1", "b2", "b3"], "HEAD");
    // Another clone of alpha's URL with one more directory: its own tree counts, not the first PATH's.
    git_repo(&d.path().join("alpha-next"), "https://example.com/org/alpha.git", &["a1", "a2", "a3"], "HEAD");
    let (code, findings, summary) = check_json(d.path(), &["alpha", "beta", "alpha-next"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    // 3 ApplicationSets + 2 + 3 + 3 generated Applications.
    assert_eq!(summary["documents"], 11);
}

#[test]
fn a_folded_finding_keeps_its_baseline_entry_and_fingerprint_when_the_set_grows() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "set.yaml", clusters_set(6, 1));
    argovet().current_dir(d.path()).args(["check", "set.yaml", "--write-baseline", "baseline.json"]).assert().success();
    let fingerprint = |dir: &Path| -> String {
        let out = argovet().current_dir(dir).args(["check", "set.yaml", "--format", "gitlab"]).output().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let f = v.as_array().unwrap().iter().find(|f| f["check_name"] == "appset-unreplaced-template").cloned();
        f.expect("the folded finding")["fingerprint"].as_str().unwrap().to_string()
    };
    let before = fingerprint(d.path());
    // Two more elements without a url: 7 of 8 now.
    write(d.path(), "set.yaml", clusters_set(8, 1));
    let (code, findings, _) = check_json(d.path(), &["set.yaml"]);
    assert_eq!(code, 1);
    assert!(findings[0]["message"].as_str().unwrap().contains("(in 7 of 8 generated Applications"));
    assert_eq!(fingerprint(d.path()), before);
    let (code, findings, _) = check_json(d.path(), &["set.yaml", "--baseline", "baseline.json"]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
    // A new mistake beside it is still reported.
    write(d.path(), "set.yaml", clusters_set(8, 1).replace("namespace: web\n", "namespace: '{{namespace}}'\n"));
    let (code, findings, _) = check_json(d.path(), &["set.yaml", "--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(rules_of(&findings), vec![("appset-undefined-param".into(), "error".into(), 30)], "{findings:?}");
}
