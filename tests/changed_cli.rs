//! `check --changed-since REV` and project context for file lists, on scratch git repositories with commits.

use serde_json::Value;
use std::path::Path;

mod common;
use common::{argovet_in as argovet, write};

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=argovet", "-c", "user.email=argovet@example.com", "-c", "init.defaultBranch=main"])
        .args(["-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", message]);
}

/// An Application using the `default` project (`policy/argocd/app-default-project`).
fn app(name: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/org/{name}.git
    path: deploy
    targetRevision: v1.0.0
  destination:
    server: https://kubernetes.default.svc
    namespace: {name}
"
    )
}

/// Files reported on, from the JSON output.
fn reported(out: &[u8]) -> Vec<String> {
    let v: Value = serde_json::from_slice(out).expect("JSON output");
    let mut files: Vec<String> =
        v["findings"].as_array().unwrap().iter().map(|f| f["file"].as_str().unwrap().to_string()).collect();
    files.dedup();
    files
}

fn summary(out: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(out).expect("JSON output");
    v["summary"].clone()
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "."]);
    // These tests follow findings across files; the best-practice warnings give every file one.
    write(dir.path(), ".argovet.yaml", "select: [best-practice]\n");
    dir
}

#[test]
fn changed_since_checks_committed_staged_unstaged_and_untracked_changes_since_the_merge_base() {
    let dir = repo();
    let d = dir.path();
    write(d, "apps/old.yaml", app("old"));
    write(d, "apps/staged.yaml", app("staged"));
    write(d, "apps/unstaged.yaml", app("unstaged"));
    write(d, ".gitignore", "ignored/\n");
    commit_all(d, "base");
    git(d, &["branch", "feature"]);
    // `main` moves on after the branch was cut: a two-dot diff would count old.yaml as changed.
    write(d, "apps/old.yaml", app("old").replace("v1.0.0", "v1.0.1"));
    commit_all(d, "main moves on");
    git(d, &["checkout", "-q", "feature"]);
    write(d, "apps/committed.yaml", app("committed"));
    commit_all(d, "feature work");
    write(d, "apps/staged.yaml", app("staged").replace("v1.0.0", "v2.0.0"));
    git(d, &["add", "apps/staged.yaml"]);
    write(d, "apps/unstaged.yaml", app("unstaged").replace("v1.0.0", "v2.0.0"));
    write(d, "apps/untracked.yaml", app("untracked"));
    write(d, "ignored/x.yaml", app("ignored"));
    write(d, "notes.txt", "not YAML\n");

    let out = argovet(d)
        .args(["check", "--changed-since", "main", "--format", "json", "--fail-on", "warning"])
        .assert()
        .code(1);
    let files = reported(&out.get_output().stdout);
    assert_eq!(
        files,
        ["apps/committed.yaml", "apps/staged.yaml", "apps/unstaged.yaml", "apps/untracked.yaml"],
        "old.yaml changed only on main; ignored/ and non-YAML files are not checked"
    );
    assert_eq!(summary(&out.get_output().stdout)["files"], 4);

    // Any revspec; HEAD = only uncommitted work. Paths narrow the set further.
    let out = argovet(d)
        .args(["check", "--changed-since", "HEAD", "--format", "json", "--fail-on", "warning"])
        .assert()
        .code(1);
    assert_eq!(reported(&out.get_output().stdout), ["apps/staged.yaml", "apps/unstaged.yaml", "apps/untracked.yaml"]);
    let out = argovet(d)
        .args(["check", "--changed-since", "HEAD~1", "--format", "json", "--fail-on", "warning", "apps/committed.yaml"])
        .assert();
    assert_eq!(reported(&out.code(1).get_output().stdout), ["apps/committed.yaml"]);

    // From a subdirectory, files are named relative to it.
    let out = argovet(&d.join("apps"))
        .args(["check", "--changed-since", "HEAD", "--format", "json", "--fail-on", "warning"])
        .assert()
        .code(1);
    assert_eq!(reported(&out.get_output().stdout), ["staged.yaml", "unstaged.yaml", "untracked.yaml"]);
}

#[test]
fn nothing_changed_is_a_passing_run_over_no_files() {
    let dir = repo();
    let d = dir.path();
    write(d, "apps/a.yaml", app("a"));
    commit_all(d, "base");
    let out = argovet(d).args(["check", "--changed-since", "HEAD", "--format", "json"]).assert().success();
    assert_eq!(summary(&out.get_output().stdout)["files"], 0);
}

const APPSET: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  goTemplate: true
  generators:
  - git:
      repoURL: https://github.com/org/gitops.git
      revision: HEAD
      directories:
      - path: apps/*
      - path: apps/legacy
        exclude: true
  template:
    metadata:
      name: '{{.path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/org/gitops.git
        targetRevision: HEAD
        path: '{{.path.path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{.path.basename}}'
";

#[test]
fn applicationsets_whose_git_generators_read_changed_paths_are_checked_too() {
    let dir = repo();
    let d = dir.path();
    git(d, &["remote", "add", "origin", "git@github.com:org/gitops.git"]);
    write(d, "appsets/apps.yaml", APPSET);
    write(d, "apps/web/values.txt", "replicas: 1\n");
    write(d, "apps/legacy/values.txt", "replicas: 1\n");
    write(d, "other/readme.txt", "hello\n");
    commit_all(d, "base");

    let checked = |file: &str| {
        write(d, file, "changed\n");
        let out = argovet(d).args(["check", "--changed-since", "HEAD", "--format", "json"]).output().unwrap();
        git(d, &["checkout", "-q", "--", "."]);
        summary(&out.stdout)["files"].as_u64().unwrap()
    };
    assert_eq!(checked("apps/web/values.txt"), 1, "apps/web is read by the directories generator");
    assert_eq!(checked("apps/legacy/values.txt"), 0, "apps/legacy is excluded");
    assert_eq!(checked("other/readme.txt"), 0, "other/ is read by nobody");

    // A generator reading another repository does not pull the set in.
    write(
        d,
        "appsets/apps.yaml",
        APPSET.replace("org/gitops.git\n      revision", "org/elsewhere.git\n      revision"),
    );
    commit_all(d, "elsewhere");
    assert_eq!(checked("apps/web/values.txt"), 0);
}

#[test]
fn unknown_revisions_missing_repositories_and_shallow_clones_are_usage_errors() {
    let dir = repo();
    let d = dir.path();
    write(d, "a.yaml", app("a"));
    commit_all(d, "one");
    write(d, "b.yaml", app("b"));
    commit_all(d, "two");
    let out = argovet(d).args(["check", "--changed-since", "no-such-branch"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("--changed-since no-such-branch: no such revision") && err.contains("git fetch"), "{err}");

    let plain = tempfile::tempdir().unwrap();
    write(plain.path(), "a.yaml", app("a"));
    let out = argovet(plain.path()).args(["check", "--changed-since", "main"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("needs a git repository"), "{err}");

    let shallow = tempfile::tempdir().unwrap();
    let url = format!("file://{}", d.display());
    git(shallow.path(), &["clone", "-q", "--depth", "1", &url, "clone"]);
    let clone = shallow.path().join("clone");
    let out = argovet(&clone).args(["check", "--changed-since", "HEAD~1"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("shallow clone") && err.contains("fetch-depth: 0"), "{err}");
}

const PROJECT: &str = "apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: payments
  namespace: argocd
spec:
  sourceRepos:
  - https://github.com/org/payments
  destinations:
  - server: '*'
    namespace: '*'
";

#[test]
fn named_files_are_checked_with_the_projects_context_and_only_they_are_reported() {
    let dir = repo();
    let d = dir.path();
    write(d, "projects/payments.yaml", PROJECT);
    write(d, "apps/web.yaml", app("web").replace("project: default", "project: payments"));
    commit_all(d, "base");

    // The AppProject in another file denies the repository; the project's own wildcard finding is not shown.
    let out = argovet(d).args(["check", "--format", "json", "apps/web.yaml"]).assert().code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, ["policy/argocd/project-denies-app"]);
    assert_eq!(reported(&out.get_output().stdout), ["apps/web.yaml"]);
    assert_eq!(v["summary"]["files"], 1);

    // The whole tree reports the project too; --no-context checks the file alone.
    let out = argovet(d).args(["check", "--format", "json", "."]).assert().code(1);
    assert_eq!(reported(&out.get_output().stdout), ["apps/web.yaml", "projects/payments.yaml"]);
    let out = argovet(d).args(["check", "--format", "json", "--no-context", "apps/web.yaml"]).assert().success();
    assert_eq!(reported(&out.get_output().stdout), Vec::<String>::new());

    // Without git, `.argovet.yaml` marks the project; its excludes keep files out of the context.
    let plain = tempfile::tempdir().unwrap();
    let p = plain.path();
    write(p, ".argovet.yaml", "exclude: [vendor/]\n");
    write(p, "projects/payments.yaml", PROJECT);
    write(p, "apps/web.yaml", app("web").replace("project: default", "project: payments"));
    argovet(p).args(["check", "apps/web.yaml"]).assert().code(1);
    write(p, ".argovet.yaml", "exclude: [projects/]\n");
    argovet(p).args(["check", "apps/web.yaml"]).assert().success();
}

#[test]
fn changed_files_get_context_from_unchanged_ones() {
    let dir = repo();
    let d = dir.path();
    write(d, "projects/payments.yaml", PROJECT);
    commit_all(d, "base");
    write(d, "apps/web.yaml", app("web").replace("project: default", "project: payments"));
    let out = argovet(d).args(["check", "--changed-since", "HEAD", "--format", "json"]).assert().code(1);
    let v: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "policy/argocd/project-denies-app");
    assert_eq!(reported(&out.get_output().stdout), ["apps/web.yaml"]);
}

#[test]
fn named_applications_see_the_hpas_and_scaled_workloads_of_the_project() {
    let dir = repo();
    let d = dir.path();
    let app = app("web")
        .replace("path: deploy", "path: apps/web")
        .replace("  destination:", "  syncPolicy:\n    automated:\n      selfHeal: true\n  destination:");
    write(d, "argocd/web.yaml", &app);
    write(
        d,
        "apps/web/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n",
    );
    write(
        d,
        "apps/web/hpa.yaml",
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n",
    );
    write(
        d,
        "apps/other/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  replicas: 2\n",
    );
    let rules = |extra: &[&str]| -> Vec<String> {
        let out = argovet(d).args(["check", "--format", "json"]).args(extra).arg("argocd/web.yaml").output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap().to_string()).collect()
    };
    assert!(rules(&[]).contains(&"policy/argocd/selfheal-hpa-replicas".to_string()), "{:?}", rules(&[]));
    assert!(!rules(&["--no-context"]).contains(&"policy/argocd/selfheal-hpa-replicas".to_string()));
}

#[cfg(unix)]
#[test]
fn changed_symlinks_leaving_the_repository_are_not_read() {
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.yaml", "token: SECRET-VALUE-1234\n");
    let dir = repo();
    let d = dir.path();
    write(d, "apps/a.yaml", app("a"));
    commit_all(d, "base");
    std::os::unix::fs::symlink(outside.path().join("secret.yaml"), d.join("apps/leak.yaml")).unwrap();
    write(d, "apps/b.yaml", app("b"));
    let out = argovet(d).args(["check", "--changed-since", "HEAD", "--format", "json", "."]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("SECRET-VALUE-1234"), "{text}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let leak: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"].as_str().unwrap().ends_with("leak.yaml"))
        .collect();
    assert_eq!(leak.len(), 1, "{text}");
    assert_eq!(leak[0]["severity"], "warning");
    assert!(leak[0]["message"].as_str().unwrap().contains("not followed"), "{text}");
    assert!(reported(&out.stdout).iter().any(|f| f.ends_with("b.yaml")), "{text}");
}
