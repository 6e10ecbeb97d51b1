//! `check --write-baseline FILE` and `check --baseline FILE`, end to end.

use serde_json::Value;

mod common;
use common::{argovet_in as argovet, write};

/// An Application with an error (`app-source-missing`: no source) in the `default` project (a warning).
fn broken(name: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: {name}
  namespace: argocd
spec:
  project: default
  destination:
    server: https://kubernetes.default.svc
    namespace: {name}
"
    )
}

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON output")
}

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    // The `default` project warning is a best-practice opinion, selected here.
    write(dir.path(), ".argovet.yaml", "rules: {}\nselect: [best-practice]\n");
    write(dir.path(), "apps/a.yaml", format!("{}---\n{}", broken("a"), broken("b")));
    dir
}

#[test]
fn the_baseline_file_is_stable_json_with_repo_relative_paths_and_object_identities() {
    let dir = project();
    let d = dir.path();
    argovet(d).args(["check", "--write-baseline", "argovet-baseline.json"]).assert().success().stdout("");
    let text = std::fs::read_to_string(d.join("argovet-baseline.json")).unwrap();
    insta::assert_snapshot!("baseline_file", text);
    // Written from a subdirectory, paths are still relative to the project root.
    argovet(&d.join("apps")).args(["check", "--write-baseline", "../again.json", "a.yaml"]).assert().success();
    assert_eq!(std::fs::read_to_string(d.join("again.json")).unwrap(), text);
}

#[test]
fn a_baseline_suppresses_recorded_findings_even_after_lines_move() {
    let dir = project();
    let d = dir.path();
    argovet(d).args(["check", "--write-baseline", "base.json"]).assert().success();
    let before = argovet(d).args(["check", "--format", "json"]).assert().code(1);
    let total = json(&before.get_output().stdout)["findings"].as_array().unwrap().len();
    assert!(total >= 4, "two errors and two warnings expected: {total}");

    // Unrelated edits move every line down; nothing new is reported and the run passes.
    let moved = format!("# a comment\n# another\n{}---\n{}", broken("a"), broken("b"));
    write(d, "apps/a.yaml", &moved);
    let out = argovet(d).args(["check", "--baseline", "base.json", "--format", "json"]).assert().success();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["summary"]["suppressed"], total);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains(&format!("{total} findings suppressed by the baseline base.json")), "{err}");

    // The human summary line says how many were suppressed.
    let out = argovet(d).args(["check", "--baseline", "base.json"]).assert().success();
    insta::assert_snapshot!("baseline_human_all_suppressed", String::from_utf8_lossy(&out.get_output().stdout));

    // A new object with the same problems is new.
    write(d, "apps/a.yaml", format!("{moved}---\n{}", broken("c")));
    let out = argovet(d).args(["check", "--baseline", "base.json", "--format", "json"]).assert().code(1);
    let v = json(&out.get_output().stdout);
    let names: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(!names.is_empty() && names.iter().all(|n| *n == "c"), "{names:?}");
    assert_eq!(v["summary"]["suppressed"], total);
}

#[test]
fn a_count_suppresses_at_most_that_many_identical_findings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".argovet.yaml", "rules: {}\n");
    // `yaml-ambiguous-value` on the same object twice with the same message.
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  a: 'x'\nlist: [yes, yes]\n";
    write(d, "cm.yaml", text);
    let out = argovet(d).args(["check", "--format", "json"]).assert();
    let first = json(&out.get_output().stdout)["findings"].as_array().unwrap().len();
    assert_eq!(first, 2, "{}", String::from_utf8_lossy(&out.get_output().stdout));
    argovet(d).args(["check", "--write-baseline", "b.json"]).assert().success();
    let baseline = json(&std::fs::read(d.join("b.json")).unwrap());
    assert_eq!(baseline["findings"][0]["count"], 2);
    write(d, "cm.yaml", text.replace("[yes, yes]", "[yes, yes, yes]"));
    let out = argovet(d).args(["check", "--baseline", "b.json", "--format", "json"]).assert();
    let v = json(&out.get_output().stdout);
    assert_eq!(v["findings"].as_array().unwrap().len(), 1, "the third occurrence is new");
    assert_eq!(v["summary"]["suppressed"], 2);
}

#[test]
fn an_invalid_or_missing_baseline_is_a_usage_error() {
    let dir = project();
    let d = dir.path();
    write(d, "bad.json", "{\"version\": 1, \"findings\": [{\"rule\": 3}]}");
    let out = argovet(d).args(["check", "--baseline", "bad.json"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.json: not an argovet baseline") && err.contains("--write-baseline"), "{err}");
    write(d, "future.json", "{\"version\": 2, \"findings\": []}");
    argovet(d).args(["check", "--baseline", "future.json"]).assert().code(2);
    argovet(d).args(["check", "--baseline", "missing.json"]).assert().code(2);
    argovet(d).args(["check", "--baseline", "a.json", "--write-baseline", "b.json"]).assert().code(2);
}
