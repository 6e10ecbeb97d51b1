//! The repository model end to end: each false-positive class seen on real repositories has a fixture under
//! `tests/fixtures/repo/<class>/` reproducing its layout. The layout stays quiet, and the real mistake placed
//! beside it still fires.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(class: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repo").join(class)
}

/// `argovet check . --format json` in a copy of the fixture (no git repository above it), with the
/// correctness rules only: the built-in policy pack's opinions are not what these fixtures are about.
fn check(class: &str) -> (i32, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture(class), dir.path());
    check_in(dir.path(), &["."])
}

/// `argovet check ARGS --format json -q --no-default-policies` in `dir`: the exit code and the report.
fn check_in(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = common::argovet(dir)
        .arg("check")
        .args(args)
        .args(["--format", "json", "-q", "--no-default-policies"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    });
    (out.status.code().unwrap_or(-1), v)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk");
        let rel = entry.path().strip_prefix(from).expect("below");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// `(rule, file, line, severity)` of every finding.
fn findings(v: &Value) -> Vec<(String, String, u64, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["severity"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn f(rule: &str, file: &str, line: u64, severity: &str) -> (String, String, u64, String) {
    (rule.into(), file.into(), line, severity.into())
}

#[test]
fn environment_directories_never_meet_but_one_argo_cd_does() {
    let (code, v) = check("envdirs");
    // clusters/dev and clusters/prod both define AppProject platform: no finding. The bootstrap Application
    // deploys clusters/prod into its own Argo CD, where a second file defines the project again: an error.
    assert_eq!(findings(&v), vec![f("argo-object-duplicate", "clusters/prod/project.yaml", 4, "error")], "{v:#}");
    assert_eq!(code, 1);
}

#[test]
fn helm_chart_templates_are_not_read_and_the_application_beside_them_is() {
    let (code, v) = check("helm");
    assert_eq!(findings(&v), vec![f("sync-option-invalid", "apps/web.yaml", 16, "error")], "{v:#}");
    assert_eq!(v["summary"]["notRead"], serde_json::json!({"helm chart metadata": 1, "helm template": 2}));
    assert_eq!(code, 1);
}

#[test]
fn templates_of_other_tools_are_not_manifests() {
    let (code, v) = check("templates");
    assert_eq!(findings(&v), vec![f("sync-wave-not-integer", "real.yaml", 7, "error")], "{v:#}");
    assert_eq!(v["summary"]["notRead"]["template"], 4, "{v:#}");
    assert_eq!(code, 1);
}

#[test]
fn test_fixtures_are_partial_and_test_data_is_not_read() {
    let (code, v) = check("fixtures");
    // kuttl assertions name no source or destination on purpose; `testdata/` is broken on purpose. The test
    // step that installs an Application is a manifest, and its sync option is a real mistake.
    assert_eq!(findings(&v), vec![f("sync-option-invalid", "tests/e2e/sync/00-install.yaml", 11, "error")], "{v:#}");
    assert_eq!(v["summary"]["notRead"], serde_json::json!({"test data": 1}));
    assert_eq!(code, 1);
}

#[test]
fn kustomize_patches_inputs_and_yaml_1_2_values() {
    let (code, v) = check("kustomize");
    // No header on the kustomizations; the patch repeats the Application partially (no duplicate, nothing
    // missing); the generator input is not an object; `Off` and `yes` stay strings in the build. The patch's
    // misspelt `syncOption` is still reported.
    assert_eq!(findings(&v), vec![f("schema-unknown-field", "overlays/prod/app-patch.yaml", 9, "error")], "{v:#}");
    assert_eq!(v["summary"]["notRead"], serde_json::json!({"kustomize input": 1}));
    assert_eq!(code, 1);
}

#[test]
fn octal_file_modes_are_what_the_author_meant() {
    let (code, v) = check("octal");
    assert_eq!(findings(&v), vec![f("yaml-ambiguous-value", "configmap.yaml", 5, "error")], "{v:#}");
    assert_eq!(code, 1);
}

#[test]
fn inspect_shows_roles_units_and_deploys() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("envdirs"), dir.path());
    let out = common::argovet(dir.path()).args(["inspect", ".", "--format", "json"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        v["deploys"],
        serde_json::json!([{"file": "bootstrap/prod.yaml", "application": "prod", "path": "clusters/prod", "inCluster": true}])
    );
    let units: Vec<&str> =
        v["units"].as_array().expect("units").iter().filter_map(|u| u["evidence"].as_str()).collect();
    assert!(units.contains(&"app-of-apps tree from bootstrap/prod.yaml"), "{units:?}");
    assert!(!units.iter().any(|u| u.contains("clusters/dev")), "nothing unites dev with anything: {units:?}");
    let human = common::argovet(dir.path()).args(["inspect", "."]).output().expect("runs");
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("bootstrap/prod.yaml  prod -> clusters/prod/ (into its own cluster)"), "{text}");
}

#[test]
fn declared_roles_and_units_in_the_configuration() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("envdirs"), dir.path());
    // Declaring dev and prod one unit makes the two projects meet; declaring prod's copy a template hides it.
    common::write(dir.path(), ".argovet.yaml", "units:\n  - ['clusters/dev/**', 'clusters/prod/project.yaml']\n");
    let (_, v) = check_in(dir.path(), &["."]);
    // prod/project.yaml now meets dev's definition too; it is reported once, naming the first it meets.
    assert_eq!(findings(&v), vec![f("argo-object-duplicate", "clusters/prod/project.yaml", 4, "error")], "{v:#}");
    let message = v["findings"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("already defined at clusters/dev/project.yaml:4"), "{message}");
    common::write(dir.path(), ".argovet.yaml", "roles:\n  'clusters/prod/project-copy.yaml': template\n");
    let (_, v) = check_in(dir.path(), &["."]);
    assert_eq!(findings(&v), vec![], "{v:#}");
    common::write(dir.path(), ".argovet.yaml", "roles:\n  'x/**': nonsense\n");
    let out = common::argovet(dir.path()).args(["check", "."]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role"));
}

#[test]
fn a_template_named_on_the_command_line_is_known_by_its_chart_and_kustomization_without_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("helm"), dir.path());
    let (code, v) = check_in(dir.path(), &["charts/web/templates/deployment.yaml", "--no-context"]);
    assert_eq!(findings(&v), vec![], "{v:#}");
    assert_eq!(v["summary"]["notRead"], serde_json::json!({"helm template": 1}));
    assert_eq!(code, 0);

    // kustomize also takes `Kustomization` without an extension: its patch is partial, not broken.
    let k = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixture("kustomize"), k.path());
    let overlay = k.path().join("overlays/prod");
    std::fs::rename(overlay.join("kustomization.yaml"), overlay.join("Kustomization")).expect("rename");
    let (_, v) = check_in(k.path(), &["."]);
    assert_eq!(findings(&v), vec![f("schema-unknown-field", "overlays/prod/app-patch.yaml", 9, "error")], "{v:#}");
}
