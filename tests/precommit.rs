//! The hooks of `.pre-commit-hooks.yaml` run by the real `pre-commit` (from PyPI; `.ci/run` installs it) in
//! scratch git repositories.
//!
//! The default tests run each hook as a `repo: local`, `language: system` hook whose entry is the argovet binary
//! this test run built, with every other field (`entry` arguments, `files`, `types`, `pass_filenames`,
//! `require_serial`) read from `.pre-commit-hooks.yaml`, so the two cannot drift. What they do not exercise is
//! pre-commit building argovet (`language: rust` runs `cargo install` of the repository: a full release build,
//! minutes long: `cargo install` ignores Cargo.lock, so dependencies are resolved and compiled afresh; over 40
//! minutes with one job on a busy 2-core machine from an empty target directory);
//! `try_repo_builds_and_runs_the_published_hook` does, when `ARGOVET_PRECOMMIT_TRY_REPO=1`. `.ci/run` sets it
//! with `CARGO_TARGET_DIR` pointing at the release build it has just made: 145 s on the 2-core machine.
//!
//! The tests are skipped, with a printed reason, only when `pre-commit` is not importable and
//! `ARGOVET_REQUIRE_PRECOMMIT` is unset (`.ci/run` sets it).
#![allow(clippy::print_stdout, clippy::print_stderr)] // tests say on stderr why they are skipped

use serde_yaml::{Mapping, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn precommit_available() -> bool {
    let importable =
        Command::new("python3").args(["-c", "import pre_commit"]).output().is_ok_and(|o| o.status.success());
    if !importable {
        assert!(
            std::env::var_os("ARGOVET_REQUIRE_PRECOMMIT").is_none(),
            "ARGOVET_REQUIRE_PRECOMMIT is set but `python3 -m pre_commit` is not importable; \
             install it with `python3 -m pip install --user pre-commit`"
        );
        eprintln!("skipped: pre-commit is not installed (python3 -m pip install --user pre-commit)");
    }
    importable
}

/// The hooks argovet publishes, as written.
fn published_hooks() -> Vec<Mapping> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let hooks: Vec<Mapping> = serde_yaml::from_str(&text).unwrap();
    assert_eq!(
        hooks.iter().map(|h| h["id"].as_str().unwrap()).collect::<Vec<_>>(),
        ["argovet-check", "argovet-health-test", "argovet-policy-test"]
    );
    hooks
}

/// A `.pre-commit-config.yaml` with the published hooks as local system hooks. `entry` maps a published entry
/// (`argovet check`) to the command to run.
fn local_config(entry: impl Fn(&str) -> String, edit: impl Fn(&mut Mapping)) -> String {
    let hooks: Vec<Value> = published_hooks()
        .into_iter()
        .map(|mut h| {
            let published = h["entry"].as_str().unwrap().to_string();
            h.insert("entry".into(), entry(&published).into());
            h.insert("language".into(), "system".into());
            h.remove("description");
            edit(&mut h);
            Value::Mapping(h)
        })
        .collect();
    let mut repo = Mapping::new();
    repo.insert("repo".into(), "local".into());
    repo.insert("hooks".into(), Value::Sequence(hooks));
    let mut config = Mapping::new();
    config.insert("repos".into(), Value::Sequence(vec![Value::Mapping(repo)]));
    serde_yaml::to_string(&config).unwrap()
}

fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("argovet")
}

/// `entry` with its leading `argovet` replaced by the binary under test.
fn with_binary(published: &str) -> String {
    let rest = published.strip_prefix("argovet").expect("entries start with `argovet`");
    format!("{}{rest}", binary().display())
}

struct Scratch {
    _dir: tempfile::TempDir,
    path: PathBuf,
    home: PathBuf,
}

impl Scratch {
    fn new(config: &str) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("repo");
        let home = dir.path().join("pre-commit-home");
        std::fs::create_dir_all(&path).unwrap();
        let s = Scratch { _dir: dir, path, home };
        s.git(&["init", "-q", "."]);
        s.write(".pre-commit-config.yaml", config);
        s
    }

    fn write(&self, rel: &str, text: &str) {
        let p = self.path.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn cmd(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.path)
            .env("PRE_COMMIT_HOME", &self.home)
            .env("NO_COLOR", "1")
            .env("GIT_AUTHOR_NAME", "argovet")
            .env("GIT_AUTHOR_EMAIL", "argovet@example.com")
            .env("GIT_COMMITTER_NAME", "argovet")
            .env("GIT_COMMITTER_EMAIL", "argovet@example.com");
        c
    }

    fn git(&self, args: &[&str]) -> Output {
        self.cmd("git")
            .args(["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap()
    }

    fn precommit(&self, args: &[&str]) -> Output {
        self.cmd("python3").args(["-m", "pre_commit"]).args(args).output().unwrap()
    }

    /// `git add -A && git commit`, through the installed hook; (success, combined output).
    fn commit(&self, message: &str) -> (bool, String) {
        self.git(&["add", "-A"]);
        let out = self.git(&["commit", "-m", message]);
        (out.status.success(), text(&out))
    }
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
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
  - server: https://kubernetes.default.svc
    namespace: payments
";

fn app(repo: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
spec:
  project: payments
  source:
    repoURL: {repo}
    path: deploy
    targetRevision: v1.2.0
  destination:
    server: https://kubernetes.default.svc
    namespace: payments
"
    )
}

const POLICY: &str = "package argovet.user.names\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"Secret\"\n\tmsg := \"no Secrets\"\n}\n";
const POLICY_TEST: &str = "package argovet.user.names_test\n\nimport rego.v1\n\nimport data.argovet.user.names\n\ntest_denies_secrets if {\n\tcount(names.deny) == 1 with input as {\"kind\": \"Secret\"}\n}\n";

#[test]
fn a_commit_with_a_broken_manifest_is_rejected_and_the_fixed_one_passes() {
    if !precommit_available() {
        return;
    }
    let s = Scratch::new(&local_config(with_binary, |_| {}));
    let install = s.precommit(&["install"]);
    assert!(install.status.success(), "{}", text(&install));

    s.write("projects/payments.yaml", PROJECT);
    s.write("policy/names.rego", POLICY);
    s.write("policy/names_test.rego", POLICY_TEST);
    let (ok, out) = s.commit("project");
    assert!(ok, "a clean commit passes:\n{out}");
    assert!(out.contains("argovet check") && out.contains("argovet policy test"), "{out}");

    // Only the new file is passed to the hook; the AppProject it breaks comes from the repository.
    s.write("apps/web.yaml", &app("https://github.com/org/web.git"));
    let (ok, out) = s.commit("broken app");
    assert!(!ok, "the hook must reject the commit:\n{out}");
    assert!(out.contains("policy/argocd/project-denies-app") && out.contains("apps/web.yaml:9:14"), "{out}");
    assert!(!out.contains("projects/payments.yaml:"), "only the committed file is reported:\n{out}");

    s.write("apps/web.yaml", &app("https://github.com/org/payments"));
    let (ok, out) = s.commit("fixed app");
    assert!(ok, "the fixed commit passes:\n{out}");

    // A failing Rego test fails the policy hook.
    s.write("policy/names_test.rego", &POLICY_TEST.replace("\"Secret\"}", "\"ConfigMap\"}"));
    let (ok, out) = s.commit("broken policy test");
    assert!(!ok && out.contains("test_denies_secrets"), "{out}");
}

#[test]
fn hook_filters_select_the_files_each_hook_reads() {
    if !precommit_available() {
        return;
    }
    // Each hook prints the files pre-commit selects for it (pass_filenames forced on, output always shown).
    let s = Scratch::new(&local_config(
        |_| "printf 'selected:%s\\n'".to_string(),
        |h| {
            h.insert("pass_filenames".into(), true.into());
            h.insert("verbose".into(), true.into());
        },
    ));
    let files = [
        "apps/web.yaml",
        "apps/web.yml",
        "apps/notes.txt",
        "config.json",
        "resource_customizations/example.com/Widget/health.lua",
        "resource_customizations/example.com/Widget/health_test.yaml",
        "resource_customizations/example.com/Widget/testdata/degraded.yaml",
        "resource_customizations/example.com/Widget/actions/restart/action.lua",
        "resource_customizations/example.com/Widget/actions/action_test.yaml",
        "policies/names.rego",
        "policies/names_test.rego",
    ];
    for f in files {
        s.write(f, "a: 1\n");
    }
    s.git(&["add", "-A"]);
    let selected = |hook: &str| -> Vec<String> {
        let out = s.precommit(&["run", hook, "--all-files"]);
        let mut v: Vec<String> =
            text(&out).lines().filter_map(|l| l.strip_prefix("selected:")).map(str::to_string).collect();
        v.sort();
        v
    };
    let yaml: Vec<&str> = files.iter().copied().filter(|f| f.ends_with(".yaml") || f.ends_with(".yml")).collect();
    let mut expected_yaml: Vec<&str> = yaml.clone();
    expected_yaml.push(".pre-commit-config.yaml");
    expected_yaml.sort();
    assert_eq!(selected("argovet-check"), expected_yaml);
    assert_eq!(
        selected("argovet-health-test"),
        [
            "resource_customizations/example.com/Widget/actions/action_test.yaml",
            "resource_customizations/example.com/Widget/actions/restart/action.lua",
            "resource_customizations/example.com/Widget/health.lua",
            "resource_customizations/example.com/Widget/health_test.yaml",
            "resource_customizations/example.com/Widget/testdata/degraded.yaml",
        ]
    );
    assert_eq!(selected("argovet-policy-test"), ["policies/names.rego", "policies/names_test.rego"]);
}

/// The published hooks exactly as users get them: `pre-commit try-repo` clones this checkout and builds argovet
/// with `cargo install` (language: rust). Slow (a release build), so opt-in with `ARGOVET_PRECOMMIT_TRY_REPO=1`;
/// set `CARGO_TARGET_DIR` to reuse compiled dependencies between runs.
#[test]
fn try_repo_builds_and_runs_the_published_hook() {
    if std::env::var_os("ARGOVET_PRECOMMIT_TRY_REPO").is_none() {
        eprintln!("skipped: set ARGOVET_PRECOMMIT_TRY_REPO=1 to build argovet through pre-commit try-repo");
        return;
    }
    if !precommit_available() {
        return;
    }
    let s = Scratch::new("repos: []\n");
    s.write("projects/payments.yaml", PROJECT);
    s.write("apps/web.yaml", &app("https://github.com/org/web.git"));
    s.git(&["add", "-A"]);
    let this_repo = env!("CARGO_MANIFEST_DIR");
    let out = s.precommit(&["try-repo", this_repo, "argovet-check", "--files", "apps/web.yaml"]);
    let out = text(&out);
    assert!(out.contains("policy/argocd/project-denies-app") && out.contains("Failed"), "{out}");
    s.write("apps/web.yaml", &app("https://github.com/org/payments"));
    let out = s.precommit(&["try-repo", this_repo, "argovet-check", "--files", "apps/web.yaml"]);
    assert!(out.status.success(), "{}", text(&out));
}
