//! `argovet check` end to end: discovery, hostile files, configuration, suppression, exit codes.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

mod common;
use common::write;

fn argovet() -> Command {
    let mut c = Command::cargo_bin("argovet").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

/// Runs `check --format json` in `dir`; returns (exit code, findings as (file, line, rule)).
fn check_json(dir: &Path, args: &[&str]) -> (i32, Vec<(String, u64, String)>, Value) {
    let out = argovet().current_dir(dir).arg("check").args(["--format", "json"]).args(args).output().expect("run");
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let findings = json["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["file"].as_str().unwrap_or("").to_string(),
                        f["line"].as_u64().unwrap_or(0),
                        f["rule"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out.status.code().unwrap_or(-1), findings, json)
}

const APP: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\n\
spec:\n  project: web\n  source:\n    repoURL: https://github.com/example/apps.git\n    targetRevision: v1.2.0\n    \
path: web\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n";

#[test]
fn alias_bomb_binary_and_non_utf8_files_are_findings_not_crashes() {
    let d = tempfile::tempdir().expect("tmp");
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    write(d.path(), "bomb.yaml", bomb.as_bytes());
    write(d.path(), "binary.yaml", b"\x7fELF\0\0\0\x01\x02");
    write(d.path(), "latin1.yaml", b"name: caf\xe9\n");
    write(d.path(), "deep.yaml", format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes());
    write(d.path(), "ok.yaml", APP.as_bytes());
    let (code, findings, _) = check_json(d.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(
        findings,
        vec![
            ("binary.yaml".into(), 1, "file-encoding".into()),
            ("bomb.yaml".into(), 5, "yaml-alias-bomb".into()),
            ("deep.yaml".into(), 1, "yaml-too-deep".into()),
            ("latin1.yaml".into(), 1, "file-encoding".into()),
        ]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_fifos_and_directories_named_yaml_are_reported() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "apps/app.yaml", APP.as_bytes());
    std::os::unix::fs::symlink("..", d.path().join("apps/loop")).expect("symlink");
    std::fs::create_dir_all(d.path().join("dir.yaml")).expect("mkdir");
    let fifo = d.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    let (code, findings, json) = check_json(d.path(), &["."]);
    assert_eq!(code, 1, "{json}");
    let rules: Vec<_> = findings.iter().map(|f| (f.0.as_str(), f.2.as_str())).collect();
    assert!(rules.contains(&("apps/loop", "file-unreadable")), "{rules:?}");
    if made {
        assert!(rules.contains(&("pipe.yaml", "file-unreadable")), "{rules:?}");
    }
    assert!(!rules.iter().any(|r| r.0 == "dir.yaml"), "a directory named x.yaml is walked, not read: {rules:?}");
    assert_eq!(json["summary"]["documents"], 1);
}

#[cfg(unix)]
#[test]
fn unreadable_files_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "secret.yaml", APP.as_bytes());
    let p = d.path().join("secret.yaml");
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    if std::fs::read(&p).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let (code, findings, _) = check_json(d.path(), &["."]);
    assert_eq!(code, 1);
    assert_eq!(findings, vec![("secret.yaml".into(), 1, "file-unreadable".into())]);
}

#[test]
fn oversized_files_are_skipped_with_a_warning() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "big.yaml", APP.as_bytes());
    let (code, findings, _) = check_json(d.path(), &["--max-file-size", "100", "."]);
    assert_eq!(code, 0, "a warning does not fail the run");
    assert_eq!(findings, vec![("big.yaml".into(), 1, "file-too-large".into())]);
    let (code, _, _) = check_json(d.path(), &["--max-file-size", "100", "--fail-on", "warning", "."]);
    assert_eq!(code, 1);
}

#[test]
fn utf16_and_crlf_files_are_read_with_correct_columns() {
    let d = tempfile::tempdir().expect("tmp");
    let src = "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n  labels:\r\n    on: yes\r\n";
    write(d.path(), "crlf.yaml", src.as_bytes());
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain(src.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    write(d.path(), "utf16.yaml", &utf16);
    let (_, _, json) = check_json(d.path(), &["."]);
    let cols: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| (f["line"].clone(), f["column"].clone()))
        .collect();
    assert_eq!(cols, vec![(6.into(), 9.into()), (6.into(), 9.into())]);
}

#[test]
fn gitignore_and_config_excludes_are_respected_and_config_levels_rules() {
    let d = tempfile::tempdir().expect("tmp");
    let bad = "apiVersion: argoproj.io/v1beta1\nkind: Application\nmetadata:\n  name: x\n";
    write(d.path(), "ignored/app.yaml", bad.as_bytes());
    write(d.path(), "vendor/app.yaml", bad.as_bytes());
    write(d.path(), "apps/app.yaml", bad.as_bytes());
    write(d.path(), ".gitignore", b"ignored/\n");
    write(d.path(), ".argovet.yaml", b"exclude: [vendor/]\nrules:\n  argo-kind-near-miss: warning\n");
    let (code, findings, json) = check_json(d.path(), &["."]);
    assert_eq!(findings, vec![("apps/app.yaml".into(), 1, "argo-kind-near-miss".into())]);
    assert_eq!(json["findings"][0]["severity"], "warning");
    assert_eq!(code, 0);
    write(d.path(), ".argovet.yaml", b"rules:\n  argo-kind-near-miss: off\n");
    let (_, findings, _) = check_json(d.path(), &["apps"]);
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn unknown_config_keys_are_usage_errors() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "app.yaml", APP.as_bytes());
    write(d.path(), ".argovet.yaml", b"rulez: {}\n");
    let out = argovet().current_dir(d.path()).args(["check", "."]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field `rulez`"));
}

#[test]
fn inline_ignore_comments_suppress_findings() {
    let d = tempfile::tempdir().expect("tmp");
    let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    # argovet:ignore[yaml-ambiguous-value]\n    a: yes\n    b: no # argovet:ignore[yaml-ambiguous-value]\n    c: on\n";
    write(d.path(), "cm.yaml", src.as_bytes());
    let (_, findings, _) = check_json(d.path(), &["."]);
    assert_eq!(findings, vec![("cm.yaml".into(), 9, "yaml-ambiguous-value".into())]);
}

#[test]
fn output_is_identical_on_one_and_many_threads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for format in ["json", "human"] {
        let run = |jobs: &str| {
            argovet()
                .current_dir(root)
                .args(["check", "examples", "--format", format, "-j", jobs])
                .output()
                .expect("run")
                .stdout
        };
        assert_eq!(run("1"), run("8"), "format {format}");
    }
}

#[test]
fn examples_show_their_deliberate_mistakes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, findings, _) = check_json(root, &["examples"]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = findings.iter().map(|f| f.2.as_str()).collect();
    assert!(rules.contains(&"yaml-unquoted-template"), "{rules:?}");
    assert!(rules.contains(&"yaml-ambiguous-value"), "{rules:?}");
    assert!(!findings.iter().any(|f| f.0 == "examples/apps/guestbook.yaml"), "the correct example stays clean");
}

#[test]
fn the_check_never_writes_the_users_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = tempfile::tempdir().expect("tmp");
    let copy = |from: &Path, to: &Path| {
        for e in walkdir::WalkDir::new(from) {
            let e = e.expect("walk");
            let rel = e.path().strip_prefix(from).expect("rel");
            if e.file_type().is_dir() {
                std::fs::create_dir_all(to.join(rel)).expect("mkdir");
            } else {
                std::fs::copy(e.path(), to.join(rel)).expect("copy");
            }
        }
    };
    copy(&root.join("examples"), d.path());
    let snapshot = |p: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = walkdir::WalkDir::new(p)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().display().to_string(), std::fs::read(e.path()).expect("read")))
            .collect();
        v.sort();
        v
    };
    let before = snapshot(d.path());
    for format in ["human", "json"] {
        argovet().current_dir(d.path()).args(["check", ".", "--format", format]).output().expect("run");
    }
    assert_eq!(before, snapshot(d.path()));
}

#[test]
fn missing_paths_and_unknown_flags_exit_2() {
    let d = tempfile::tempdir().expect("tmp");
    let out = argovet().current_dir(d.path()).args(["check", "nope"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
    let out = argovet().current_dir(d.path()).args(["check", "--frobnicate"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn rules_and_explain() {
    let out = argovet().arg("rules").output().expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("yaml-unquoted-template"));
    let out = argovet().args(["explain", "yaml-unquoted-template"]).output().expect("run");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("## What it does"));
    let out = argovet().args(["explain", "yaml-unquoted-templat"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `yaml-unquoted-template`?"));
}
