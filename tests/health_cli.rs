//! CLI tests of `argovet health` and of the argocd-cm checks in `argovet check`.

// The hostile-corpus test prints its wall time and peak memory, the figures of the Lua hardening.
#![allow(clippy::print_stderr)]

use assert_cmd::Command;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::{argovet_in as argovet, write};

fn stdout(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const WIDGET: &str = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nstatus:\n  ready: 3\n";

#[test]
fn shipped_library_passes_its_own_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = stdout(argovet(root).args(["health", "test", "lua", "--coverage"]));
    assert_eq!(code, 0, "{out}{err}");
    let last = out.lines().last().unwrap();
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 40 && last.ends_with(" passed, 0 failed"), "{last}");
    assert!(out.contains("lua/argoproj.io/Rollout/health.lua: "), "{out}");
    let (code, out, _) =
        stdout(argovet(root).args(["health", "test", "lua/cert-manager.io/Certificate/health_test.yaml"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with(" passed, 0 failed\n") && !out.starts_with("0 passed"), "{out}");
}

#[test]
fn failures_show_expected_and_actual_and_exit_1() {
    let d = TempDir::new().unwrap();
    write(
        d.path(),
        "rc/example.com/Widget/health.lua",
        "hs = {}\nif obj.status.ready > 2 then\n  hs.status = 'Healthy'\n  hs.message = 'ready: ' .. tostring(obj.status.ready)\nelse\n  hs.status = 'Progressing'\nend\nprint('checked', obj.metadata.name)\nreturn hs\n",
    );
    write(
        d.path(),
        "rc/example.com/Widget/health_test.yaml",
        "tests:\n- healthStatus:\n    status: Healthy\n    message: 'ready: 3'\n  inputPath: testdata/ok.yaml\n- healthStatus:\n    status: Degraded\n    message: broken\n  inputPath: testdata/ok.yaml\n- healthStatus:\n    status: Healthy\n  inputPath: testdata/missing.yaml\n",
    );
    write(d.path(), "rc/example.com/Widget/testdata/ok.yaml", WIDGET);
    let (code, out, _) = stdout(argovet(d.path()).args(["health", "test", "rc", "--coverage"]));
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn run_prints_status_json() {
    let d = TempDir::new().unwrap();
    write(d.path(), "health.lua", "return {status = 'Healthy', message = 'ready ' .. tostring(obj.status.ready)}\n");
    write(d.path(), "obj.yaml", WIDGET);
    let (code, out, _) = stdout(argovet(d.path()).args(["health", "run", "--script", "health.lua", "obj.yaml"]));
    assert_eq!(code, 0);
    assert_eq!(out, "{\"status\": \"Healthy\", \"message\": \"ready 3\"}\n");
}

#[test]
fn run_reports_script_errors_as_unknown() {
    let d = TempDir::new().unwrap();
    write(d.path(), "health.lua", "local x = nil\nreturn {status = x.y}\n");
    write(d.path(), "obj.yaml", WIDGET);
    let (code, out, err) = stdout(argovet(d.path()).args(["health", "run", "--script", "health.lua", "obj.yaml"]));
    assert_eq!(code, 1);
    assert!(out.starts_with("{\"status\": \"Unknown\", \"message\": \"<string>:2: attempt to index"), "{out}");
    assert!(err.contains("the script failed"), "{err}");
}

const CM: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
data:
  resource.customizations.health.example.com_Widget: |
    hs = {status = 'Healthy', message = string.upper('ok')}
    return hs
  resource.customizations.useOpenLibs.example.com_Widget: \"true\"
  resource.customizations.health.example.com_Gadget: |
    return {status = 'Healthy', message = string.upper('ok')}
  resource.customizations.health.*.crossplane.io_*: |
    return {status = 'Progressing', message = 'crossplane'}
  resource.customizations.actions.example.com_Widget: |
    discovery.lua: |
      return {scale = {}}
    definitions:
    - name: scale
      action.lua: |
        obj.spec = obj.spec or {}
        obj.spec.replicas = tonumber(actionParams['replicas'])
        return obj
";

#[test]
fn run_with_argocd_cm_picks_the_script_and_its_libraries() {
    let d = TempDir::new().unwrap();
    write(d.path(), "argocd-cm.yaml", CM);
    write(d.path(), "widget.yaml", WIDGET);
    write(d.path(), "gadget.yaml", WIDGET.replace("Widget", "Gadget"));
    write(d.path(), "provider.yaml", "apiVersion: pkg.crossplane.io/v1\nkind: Provider\nmetadata:\n  name: p\n");
    let run = |obj: &str| stdout(argovet(d.path()).args(["health", "run", "--argocd-cm", "argocd-cm.yaml", obj]));
    assert_eq!(run("widget.yaml").1, "{\"status\": \"Healthy\", \"message\": \"OK\"}\n");
    // Without useOpenLibs Argo CD gives custom scripts no `string` library.
    let (code, out, _) = run("gadget.yaml");
    assert_eq!(code, 1);
    assert!(out.contains("\"Unknown\"") && out.contains("attempt to index global 'string'"), "{out}");
    assert_eq!(run("provider.yaml").1, "{\"status\": \"Progressing\", \"message\": \"crossplane\"}\n");
}

#[test]
fn action_run_returns_the_patched_object() {
    let d = TempDir::new().unwrap();
    write(d.path(), "argocd-cm.yaml", CM);
    write(d.path(), "widget.yaml", WIDGET);
    let (code, out, err) = stdout(argovet(d.path()).args([
        "health",
        "action",
        "run",
        "--argocd-cm",
        "argocd-cm.yaml",
        "--action",
        "scale",
        "--param",
        "replicas=4",
        "widget.yaml",
    ]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["operation"], "patch");
    assert_eq!(v[0]["resource"]["spec"]["replicas"], 4);
    let (code, out, _) = stdout(argovet(d.path()).args([
        "health",
        "action",
        "discover",
        "--argocd-cm",
        "argocd-cm.yaml",
        "widget.yaml",
    ]));
    assert_eq!(code, 0);
    assert!(out.contains("\"name\": \"scale\""), "{out}");
}

#[test]
fn argocd_cm_tests_live_beside_the_configmap() {
    let d = TempDir::new().unwrap();
    write(d.path(), "gitops/argocd-cm.yaml", CM);
    write(d.path(), "gitops/testdata/widget.yaml", WIDGET);
    write(
        d.path(),
        "gitops/argocd-cm.health_test.yaml",
        "tests:\n- inputPath: testdata/widget.yaml\n  healthStatus: {status: Healthy, message: OK}\ndiscoveryTests:\n- inputPath: testdata/widget.yaml\n  result: [{name: scale}]\nactionTests:\n- action: scale\n  inputPath: testdata/widget.yaml\n  parameters: {replicas: \"2\"}\n  expectedOutputPath: testdata/widget-scaled.yaml\n",
    );
    write(d.path(), "gitops/testdata/widget-scaled.yaml", format!("{WIDGET}spec:\n  replicas: 2\n"));
    let (code, out, _) = stdout(argovet(d.path()).args(["health", "test", "gitops"]));
    assert_eq!(code, 0, "{out}");
    assert!(out.ends_with("3 passed, 0 failed\n"), "{out}");
}

#[test]
fn hostile_scripts_fail_cleanly() {
    let d = TempDir::new().unwrap();
    write(d.path(), "obj.yaml", WIDGET);
    // Generous deadlines except for the infinite loop, so a loaded machine cannot turn the memory bomb
    // or the recursion into a timeout.
    for (script, want, timeout) in [
        ("return {status = io.open('/etc/passwd'):read('*a')}", "io.open is not available", "30000"),
        ("os.execute('touch pwned') return {}", "os.execute is not available", "30000"),
        ("local m = require('posix') return {}", "module 'posix' not found", "30000"),
        ("while true do end", "context deadline exceeded", "300"),
        ("local t = {} for i = 1, 1e12 do t[i] = string.rep('x', 1000) .. i end", "not enough memory", "30000"),
        ("local function f() return 1 + f() end return {status = f()}", "stack overflow", "30000"),
    ] {
        write(d.path(), "evil.lua", script);
        let args = ["health", "run", "--script", "evil.lua", "--timeout-ms", timeout, "--memory-mib", "16", "obj.yaml"];
        let (code, out, err) = stdout(argovet(d.path()).args(args));
        assert_eq!(code, 1, "{script}: {out}{err}");
        assert!(out.contains(want), "{script}: {out}");
    }
    assert!(!d.path().join("pwned").exists());
}

#[test]
fn check_reports_lua_syntax_errors_inside_the_block_scalar() {
    let d = TempDir::new().unwrap();
    write(
        d.path(),
        "argocd-cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  resource.customizations.health.cert-manager.io_Certificate: |\n    hs = {}\n    if obj.status ~= nil then\n      hs.status = \"Healthy\"\n    return hs\n  resource.customizations.health.cert-manager.io_issuer: |\n    return {status = \"Ready\"}\n",
    );
    let (code, out, _) = stdout(argovet(d.path()).args(["check", "--format", "json", "."]));
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_owned(), f["line"].as_u64().unwrap()))
        .filter(|(r, _)| r.starts_with("health-"))
        .collect();
    insta::assert_debug_snapshot!(found);
}

#[test]
fn health_rules_are_listed_and_explained() {
    let d = TempDir::new().unwrap();
    let (_, out, _) = stdout(argovet(d.path()).args(["rules"]));
    assert!(out.contains("health-lua-syntax"), "{out}");
    let (code, out, _) = stdout(argovet(d.path()).args(["explain", "health-script-untested"]));
    assert_eq!(code, 0);
    assert!(out.contains("health_test.yaml"));
}

/// The hostile-Lua corpus through `health test`: every case ends, each with its error, and the whole
/// run is bounded by the number of cases times the budget plus the watchdog's margin.
#[test]
fn hostile_corpus_ends_every_script_within_its_budget() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cmd = common::argovet(root);
    cmd.args(["health", "test", "tests/fixtures/health-hostile", "--timeout-ms", "300", "-j", "2"]);
    let run = common::run(&mut cmd);
    eprintln!("hostile corpus: {:?} wall, {} MiB peak RSS", run.elapsed, run.peak_mib());
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let dir = "tests/fixtures/health-hostile/hostile.argovet.dev";
    for kind in ["Backtrack", "BacktrackCaught", "BacktrackGmatch", "BacktrackGsub", "SethookThenLoop", "InfiniteLoop"]
    {
        let want = format!("context deadline exceeded ({dir}/{kind}/health.lua ran longer than 300ms");
        assert!(run.stdout.contains(&want), "{kind}: {}", run.stdout);
    }
    assert!(run.stdout.contains(&format!("{dir}/SpinningAction/actions/spin/action.lua ran longer than 300ms")));
    assert!(run.stdout.contains("newproxy is not available in argovet's Lua sandbox"), "{}", run.stdout);
    assert!(!run.stdout.contains("FinalizerTable/health_test.yaml"), "{}", run.stdout);
    assert!(run.stdout.ends_with("2 passed, 36 failed\n"), "{}", run.stdout);
    // 38 cases, two at a time, none longer than 300 ms + the 200 ms margin: 10 s, and room for a busy machine.
    assert!(run.elapsed < std::time::Duration::from_secs(45), "{:?}", run.elapsed);
}

#[test]
fn recursive_tostring_fails_the_script_instead_of_aborting_argovet() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = "tests/fixtures/health-hostile/hostile.argovet.dev/TostringRecursion/health.lua";
    let obj = "tests/fixtures/health-hostile/hostile.argovet.dev/TostringRecursion/testdata/object.yaml";
    let (code, out, err) = stdout(argovet(root).args(["health", "run", "--script", script, obj]));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(out, "{\"status\": \"Unknown\", \"message\": \"stack overflow\"}\n");
}

#[test]
fn catastrophic_backtracking_stops_at_the_budget_with_the_script_named() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = "tests/fixtures/health-hostile/hostile.argovet.dev/Backtrack/health.lua";
    let obj = "tests/fixtures/health-hostile/hostile.argovet.dev/Backtrack/testdata/object.yaml";
    let mut cmd = common::argovet(root);
    cmd.args(["health", "run", "--script", script, obj]);
    let run = common::run(&mut cmd);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(&format!("context deadline exceeded ({script} ran longer than 1s")), "{}", run.stdout);
    // 1 s budget, 500 ms watchdog margin; LuaJIT's own matcher ran for more than 30 s.
    assert!(run.elapsed < std::time::Duration::from_secs(5), "{:?}", run.elapsed);
}

#[test]
fn argocd_cm_scripts_are_bounded_too() {
    let d = TempDir::new().unwrap();
    let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\n  namespace: argocd\ndata:\n  resource.customizations.useOpenLibs.example.com_Widget: \"true\"\n  resource.customizations.health.example.com_Widget: |\n    string.find(string.rep(\"a\", 40), string.rep(\"a*\", 20) .. \"b\")\n    return {status = \"Healthy\"}\n";
    write(d.path(), "gitops/argocd-cm.yaml", cm);
    write(d.path(), "gitops/testdata/widget.yaml", WIDGET);
    write(
        d.path(),
        "gitops/argocd-cm.health_test.yaml",
        "tests:\n- inputPath: testdata/widget.yaml\n  healthStatus: {status: Healthy}\n",
    );
    let (code, out, _) = stdout(argovet(d.path()).args(["health", "test", "gitops", "--timeout-ms", "300"]));
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("context deadline exceeded (gitops/argocd-cm.yaml: resource.customizations.health.example.com_Widget ran longer than 300ms"),
        "{out}"
    );
}

#[test]
fn input_objects_that_are_lists_fail_and_only_the_first_document_counts() {
    let d = TempDir::new().unwrap();
    write(d.path(), "rc/example.com/Widget/health.lua", "return {status = 'Healthy', message = obj.metadata.name}\n");
    write(
        d.path(),
        "rc/example.com/Widget/health_test.yaml",
        "tests:\n- healthStatus: {status: Healthy, message: first}\n  inputPath: testdata/two.yaml\n- healthStatus: {status: Healthy, message: w}\n  inputPath: testdata/list.yaml\n",
    );
    write(
        d.path(),
        "rc/example.com/Widget/testdata/two.yaml",
        "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: first\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: second\n",
    );
    write(d.path(), "rc/example.com/Widget/testdata/list.yaml", format!("- {}", WIDGET.replace('\n', "\n  ")));
    let (code, out, _) = stdout(argovet(d.path()).args(["health", "test", "rc"]));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("tests[1] testdata/list.yaml\n  cannot read the input object: rc/example.com/Widget/testdata/list.yaml: the document is a list, not an object"), "{out}");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");
}
