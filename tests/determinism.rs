//! The same input gives byte-identical output on one thread and on many, and on repeated runs, in
//! every output format and every subcommand that uses worker threads.

mod common;

use common::{argovet, root, run, write};
use std::path::Path;

const FORMATS: [&str; 6] = ["human", "json", "sarif", "junit", "github", "gitlab"];

/// Runs `check` over `paths` in `dir` with `-j jobs`; returns (exit code, stdout).
fn check(dir: &Path, paths: &[&str], format: &str, jobs: &str) -> (i32, String) {
    let r = run(argovet(dir).arg("check").args(paths).args(["--format", format, "--color", "never", "-j", jobs]));
    assert!(r.code == 0 || r.code == 1, "{format} -j{jobs}: exit {} {}", r.code, r.stderr);
    (r.code, r.stdout)
}

fn assert_same_everywhere(dir: &Path, paths: &[&str]) {
    for format in FORMATS {
        let one = check(dir, paths, format, "1");
        let many = check(dir, paths, format, "8");
        assert!(!one.1.is_empty(), "{format}: no output");
        assert_eq!(one, many, "{format}: -j1 and -j8 differ");
        if format == "json" {
            assert_eq!(many, check(dir, paths, format, "8"), "{format}: two -j8 runs differ");
        }
    }
}

#[test]
fn check_over_the_examples_is_identical_on_one_and_eight_threads_in_every_format() {
    assert_same_everywhere(root(), &["examples"]);
}

const APP: &str = "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: NAME
  namespace: argocd
  labels:
    team: LABEL
spec:
  project: default
  revisionHistoryLimit: ten
  source:
    repoURL: https://github.com/example/apps.git
    targetRevision: HEAD
    path: apps/NAME
  destination:
    DEST
  syncPolicy:
    syncOptions:
    - SYNCOPT
";

const SET: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: NAME
  namespace: argocd
spec:
  generators:
  - list:
      elements:
      - env: dev
        ns: dev
      - env: staging
        ns: Staging_NS
      - env: prod
  template:
    metadata:
      name: 'NAME-{{env}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/apps.git
        targetRevision: HEAD
        path: 'apps/{{env}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{ns}}'
";

const CM: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: NS
data:
  resource.customizations.health.example.com_Widget: |
    hs = {}
    if obj.status ~= nil then
      hs.status = \"Healthy\"
    return hs
  resource.customizations.health.example.com_gadget: |
    return {status = \"Ready\"}
";

/// A repository of 200 files with findings from every engine: YAML loader, lint, schema,
/// policies, ApplicationSet expansion (findings on generated Applications too) and health checks.
fn corpus(dir: &Path) {
    // Every policy runs, the opt-in best-practice ones too: more rules, more chances to differ by thread.
    write(dir, ".argovet.yaml", "select: [best-practice]\n");
    for i in 0..50 {
        let name = format!("app-{i:02}");
        let dest = match i % 3 {
            0 => "server: https://kubernetes.default.svc\n    name: in-cluster\n    namespace: web",
            1 => "server: https://kubernetes.default.svc\n    namespace: Web_NS",
            _ => "name: in-cluster\n    namespace: web",
        };
        let label = if i % 2 == 0 { "yes" } else { "web" };
        let opt = if i % 4 == 0 { "CreateNamespace=maybe" } else { "ServerSideApply=true" };
        let text = APP.replace("NAME", &name).replace("LABEL", label).replace("DEST", dest).replace("SYNCOPT", opt);
        write(dir, &format!("apps/team-{}/{name}.yaml", i % 5), text);
    }
    for i in 0..40 {
        write(
            dir,
            &format!("manifests/deploy-{i:02}.yaml"),
            format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\nspec:\n  replicas: {}\n  selector:\n    \
                 matchLabels: {{app: d{i}}}\n  template:\n    metadata:\n      labels: {{app: d{i}}}\n    spec:\n      \
                 containers:\n      - name: c\n        image: nginx:latest\n        bogus: {i}\n",
                if i % 2 == 0 { "three" } else { "3" }
            ),
        );
    }
    for i in 0..40 {
        write(
            dir,
            &format!("config/cm-{i:02}.yaml"),
            format!(
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  a: x\n  a: y\n  enabled: on\n---\n\
                 apiVersion: v1\nkind: Secret\nmetadata:\n  name: s{i}\nstringData:\n  password: hunter{i}\n"
            ),
        );
    }
    for i in 0..30 {
        write(dir, &format!("appsets/set-{i:02}.yaml"), SET.replace("NAME", &format!("set-{i:02}")));
    }
    for i in 0..15 {
        write(dir, &format!("clusters/c{i:02}/argocd-cm.yaml"), CM.replace("NS", &format!("argocd-{i}")));
    }
    for i in 0..20 {
        write(
            dir,
            &format!("projects/p{i:02}.yaml"),
            format!(
                "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: p{i}\n  namespace: argocd\nspec:\n  \
                 sourceRepos: ['*']\n  destinations:\n  - server: '*'\n    namespace: '*'\n  syncWindows:\n  - kind: \
                 allow\n    schedule: '61 * * * *'\n    duration: 1x\n"
            ),
        );
    }
    for i in 0..5 {
        write(dir, &format!("broken/b{i}.yaml"), format!("a: [1, 2\nb: {{{{ x{i} }}}}\n"));
    }
}

#[test]
fn check_over_a_generated_corpus_is_identical_on_one_and_eight_threads_in_every_format() {
    let d = tempfile::tempdir().expect("tmp");
    corpus(d.path());
    // The corpus really exercises every engine.
    let (_, out) = check(d.path(), &["."], "json", "8");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    let rules: std::collections::BTreeSet<&str> =
        v["findings"].as_array().expect("findings").iter().filter_map(|f| f["rule"].as_str()).collect();
    for family in ["yaml-", "app-", "schema-", "policy/", "appset-", "health-", "project-", "sync-option"] {
        assert!(rules.iter().any(|r| r.starts_with(family)), "no {family}* finding in {rules:?}");
    }
    let generated = v["findings"].as_array().expect("findings").iter().filter(|f| f.get("generated").is_some()).count();
    assert!(generated > 0, "no finding on a generated Application");
    assert!(v["findings"].as_array().expect("findings").len() > 300);
    assert_same_everywhere(d.path(), &["."]);
}

#[test]
fn appset_generate_is_identical_on_one_and_eight_threads_and_across_runs() {
    let d = tempfile::tempdir().expect("tmp");
    // 1,200 Applications: enough for the renderer to split the work over threads.
    let a: String = (0..40).map(|i| format!("          - a: a{i:02}\n")).collect();
    let b: String = (0..30).map(|i| format!("          - b: b{i:02}\n")).collect();
    write(
        d.path(),
        "set.yaml",
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: grid\n  namespace: argocd\n\
             spec:\n  goTemplate: true\n  generators:\n  - matrix:\n      generators:\n      - list:\n          \
             elements:\n{a}      - list:\n          elements:\n{b}  template:\n    metadata:\n      name: \
             '{{{{.a}}}}-{{{{.b}}}}'\n      labels:\n        pair: '{{{{ printf \"%s/%s\" .a .b | sha1sum | trunc 8 }}}}'\n    \
             spec:\n      project: default\n      source:\n        repoURL: https://github.com/example/apps.git\n        \
             targetRevision: HEAD\n        path: '{{{{.a}}}}/{{{{.b}}}}'\n      destination:\n        server: \
             https://kubernetes.default.svc\n        namespace: '{{{{.b}}}}'\n"
        ),
    );
    for output in ["yaml", "json"] {
        let generate = |threads: &str| {
            let r = run(argovet(d.path())
                .args(["appset", "generate", "set.yaml", "-o", output])
                .env("RAYON_NUM_THREADS", threads));
            assert_eq!(r.code, 0, "{}", r.stderr);
            r.stdout
        };
        let one = generate("1");
        assert_eq!(one.matches("kind: Application\n").count() + one.matches("\"kind\": \"Application\"").count(), 1200);
        assert_eq!(one, generate("8"), "{output}: 1 and 8 threads differ");
        assert_eq!(one, generate("8"), "{output}: two runs differ");
    }
}

#[test]
fn health_test_and_policy_test_are_identical_on_one_and_many_threads_and_across_runs() {
    let health = |jobs: &str| {
        let r = run(argovet(root()).args(["health", "test", "lua", "--coverage", "--verbose", "-j", jobs]));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let one = health("1");
    assert!(one.ends_with(" passed, 0 failed\n"), "{one}");
    assert_eq!(one, health("8"), "health test: -j1 and -j8 differ");
    assert_eq!(one, health("8"), "health test: two runs differ");

    // Failing suites print expected and actual values; those must be stable too.
    let d = tempfile::tempdir().expect("tmp");
    for i in 0..12 {
        let dir = format!("rc/example.com/Kind{i}");
        write(
            d.path(),
            &format!("{dir}/health.lua"),
            "hs = {}\nif obj.status.ready > 2 then hs.status = 'Healthy' else hs.status = 'Progressing' end\n\
             hs.message = 'ready ' .. tostring(obj.status.ready)\nreturn hs\n",
        );
        write(
            d.path(),
            &format!("{dir}/health_test.yaml"),
            "tests:\n- healthStatus: {status: Healthy, message: ready 3}\n  inputPath: testdata/a.yaml\n\
             - healthStatus: {status: Degraded}\n  inputPath: testdata/a.yaml\n",
        );
        write(d.path(), &format!("{dir}/testdata/a.yaml"), "kind: X\nstatus:\n  ready: 3\n");
    }
    let failing = |jobs: &str| {
        let r = run(argovet(d.path()).args(["health", "test", "rc", "-j", jobs]));
        assert_eq!(r.code, 1, "{}", r.stderr);
        r.stdout
    };
    let one = failing("1");
    assert!(one.ends_with("12 passed, 12 failed\n"), "{one}");
    assert_eq!(one, failing("8"), "failing health test: -j1 and -j8 differ");

    let policy = |threads: &str| {
        let r = run(argovet(root()).args(["policy", "test", "policies"]).env("RAYON_NUM_THREADS", threads));
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let one = policy("1");
    assert!(one.ends_with(" passed, 0 failed\n"), "{one}");
    assert_eq!(one, policy("8"), "policy test: 1 and 8 threads differ");
    assert_eq!(one, policy("8"), "policy test: two runs differ");
}

#[test]
fn appset_diff_is_identical_on_one_and_eight_threads_and_across_runs() {
    let d = tempfile::tempdir().expect("tmp");
    let set = |envs: std::ops::Range<usize>, path: &str| {
        let elements: String = envs.map(|i| format!("      - env: e{i:03}\n")).collect();
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: envs\n  namespace: argocd\nspec:\n  \
             generators:\n  - list:\n      elements:\n{elements}  template:\n    metadata:\n      name: 'web-{{{{env}}}}'\n    \
             spec:\n      project: default\n      source:\n        repoURL: https://github.com/example/apps.git\n        \
             targetRevision: HEAD\n        path: '{path}/{{{{env}}}}'\n      destination:\n        server: \
             https://kubernetes.default.svc\n        namespace: '{{{{env}}}}'\n"
        )
    };
    write(d.path(), "argocd/envs.yaml", set(0..600, "web"));
    common::commit(d.path(), "base");
    write(d.path(), "argocd/envs.yaml", set(100..700, "deploy"));
    common::commit(d.path(), "head");
    for output in ["text", "json"] {
        let diff = |threads: &str| {
            let r = run(argovet(d.path())
                .args(["appset", "diff", "--base", "HEAD~1", "-o", output])
                .env("RAYON_NUM_THREADS", threads));
            assert_eq!(r.code, 0, "{}", r.stderr);
            r.stdout
        };
        let one = diff("1");
        assert!(one.contains("web-e650") && one.contains("web-e050"), "{output}");
        assert_eq!(one, diff("8"), "{output}: 1 and 8 threads differ");
        assert_eq!(one, diff("8"), "{output}: two runs differ");
    }
}
