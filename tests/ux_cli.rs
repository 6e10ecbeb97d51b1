//! Terminal behaviour of `check` (`--quiet`, colour, the progress bar) and the generated shell completions and
//! manual pages.
#![allow(clippy::print_stdout, clippy::print_stderr)] // tests say on stderr why they are skipped

use assert_cmd::Command;
use std::path::Path;

mod common;
use common::write;

fn argovet() -> Command {
    let mut c = Command::cargo_bin("argovet").unwrap();
    c.env_remove("NO_COLOR");
    c
}

const AMBIGUOUS: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  enabled: 'true'\nx: yes\n";

fn stdout(c: &mut Command) -> String {
    String::from_utf8(c.output().unwrap().stdout).unwrap()
}

#[test]
fn quiet_prints_findings_without_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cm.yaml", AMBIGUOUS);
    let quiet = stdout(argovet().current_dir(dir.path()).args(["check", "-q", "--color", "never", "cm.yaml"]));
    insta::assert_snapshot!("quiet_human", quiet);
    let loud = stdout(argovet().current_dir(dir.path()).args(["check", "--color", "never", "cm.yaml"]));
    assert_eq!(loud, format!("{quiet}0 errors, 1 warning, 0 info in 1 document (1 file)\n"));
    let gh = stdout(argovet().current_dir(dir.path()).args(["check", "-q", "--format", "github", "cm.yaml"]));
    assert!(gh.starts_with("::warning file=cm.yaml") && !gh.contains("argovet: 0 errors"), "{gh}");
    // Nothing clean prints nothing.
    write(dir.path(), "ok.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n");
    argovet().current_dir(dir.path()).args(["check", "-q", "ok.yaml"]).assert().success().stdout("").stderr("");
}

#[test]
fn colour_follows_color_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "cm.yaml", AMBIGUOUS);
    let run = |no_color: Option<&str>, color: &str| {
        let mut c = argovet();
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        stdout(c.current_dir(dir.path()).args(["check", "--color", color, "cm.yaml"]))
    };
    assert!(run(Some("1"), "always").contains("\x1b["), "--color always wins over NO_COLOR");
    assert!(!run(None, "never").contains("\x1b["));
    assert!(!run(None, "auto").contains("\x1b["), "stdout is not a terminal here");
    assert!(!run(Some("1"), "auto").contains("\x1b["));
}

fn many_files(dir: &Path, n: usize) {
    for i in 0..n {
        write(dir, &format!("m/cm{i:03}.yaml"), format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{i}\n"));
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path(), 260);
    for format in ["human", "json", "sarif"] {
        argovet().current_dir(dir.path()).args(["check", "--format", format, "m"]).assert().success().stderr("");
    }
}

#[test]
fn a_progress_bar_on_a_terminal_for_long_human_runs_only() {
    // `script` gives the command a pseudo-terminal for stdout and stderr; skip where util-linux is missing.
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    many_files(dir.path(), 260);
    let bin = assert_cmd::cargo::cargo_bin("argovet");
    let on_tty = |args: &str| {
        let out = std::process::Command::new("script")
            .args(["-qec", &format!("{} check --color never {args}", bin.display()), "/dev/null"])
            .current_dir(dir.path())
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let long = on_tty("m");
    assert!(long.contains("\x1b[2K") && long.contains('['), "{long:?}");
    assert!(long.contains("0 errors, 0 warnings, 0 info in 260 documents (260 files)"), "{long:?}");
    assert!(!on_tty("m/cm001.yaml m/cm002.yaml").contains("\x1b[2K"), "short runs");
    assert!(!on_tty("-q m").contains("\x1b[2K"), "--quiet");
    assert!(!on_tty("--format json m").contains("\x1b[2K"), "machine formats");
}

#[test]
fn completions_are_generated_for_every_shell() {
    let bash = stdout(argovet().args(["completions", "bash"]));
    assert!(bash.contains("_argovet") && bash.contains("--changed-since"), "{bash}");
    let check = std::process::Command::new("bash")
        .args(["-n", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(bash.as_bytes())?;
            child.wait()
        })
        .unwrap();
    assert!(check.success(), "bash -n rejects the completion script");
    for (shell, marker) in
        [("zsh", "#compdef argovet"), ("fish", "complete -c argovet"), ("elvish", "argovet"), ("powershell", "argovet")]
    {
        let out = stdout(argovet().args(["completions", shell]));
        assert!(out.contains(marker) && out.contains("changed-since"), "{shell}: {out}");
    }
    argovet().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn the_man_page_is_roff_and_out_dir_writes_one_page_per_subcommand() {
    let page = stdout(argovet().arg("man"));
    assert!(page.contains(".TH argovet 1") && page.contains(".SH NAME") && page.contains(".SH SUBCOMMANDS"), "{page}");
    let dir = tempfile::tempdir().unwrap();
    argovet().args(["man", "--out-dir"]).arg(dir.path().join("man")).assert().success().stdout("");
    let mut pages: Vec<String> = std::fs::read_dir(dir.path().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    pages.sort();
    for expected in ["argovet.1", "argovet-check.1", "argovet-appset-generate.1", "argovet-completions.1"] {
        assert!(pages.iter().any(|p| p == expected), "{expected} missing from {pages:?}");
    }
    let check = std::fs::read_to_string(dir.path().join("man/argovet-check.1")).unwrap();
    assert!(check.contains(".TH argovet-check 1") && check.contains("changed\\-since"), "{check}");
}

/// Runs `args` in `dir` with stdout on a pipe whose reader reads `read` bytes and then closes it; returns the
/// exit code, the bytes read and stderr.
fn with_closed_pipe(dir: &Path, args: &[&str], read: usize) -> (Option<i32>, Vec<u8>, String) {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(common::bin())
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut got = vec![0; read];
    stdout.read_exact(&mut got).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (out.status.code(), got, String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_reader_that_stops_reading_ends_the_output_not_the_run() {
    // 400 files with an error each: the report is far larger than a pipe's buffer (64 KiB), so argovet is
    // still writing when the reader goes away, as with `argovet check | head`.
    let dir = tempfile::tempdir().unwrap();
    for i in 0..400 {
        write(dir.path(), &format!("f{i:03}.yaml"), format!("a: 1\na: {i}\n"));
    }
    for format in ["human", "json", "sarif"] {
        let (code, head, stderr) =
            with_closed_pipe(dir.path(), &["check", "--color", "never", "--format", format, "."], 100);
        assert_eq!(code, Some(1), "{format}: the findings' exit code, not a panic's 101; stderr: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}: a closed pipe is not an error worth reporting");
        assert_eq!(head.len(), 100);
    }
    // The reader closes before the first write (`argovet rules | true`).
    let (code, _, stderr) = with_closed_pipe(dir.path(), &["rules"], 0);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

#[cfg(target_os = "linux")]
#[test]
fn a_write_error_other_than_a_closed_pipe_is_an_io_error() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = std::process::Command::new(common::bin()).arg("rules").stdout(full).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("argovet: error: cannot write to stdout: "), "{stderr}");
}

const SUPPRESSED_APP: &str = "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: web
  namespace: argocd
  annotations:
    argocd.argoproj.io/sync-wave: \"x #argovet:ignore\"
    # argovet:ignore[sync-wave-not-integer]
    argocd.argoproj.io/compare-options: IgnoreExtraneous
  labels:
    team: 'a #argovet:ignore' # argovet:ignore[yaml-ambiguous-value, no-such-rule]
spec:
  project: web # argovet:ignore
  destination:
    server: https://kubernetes.default.svc
    namespace: web
  source:
    repoURL: https://github.com/example/web.git
    targetRevision: v1.0.0
    path: deploy
";

#[test]
fn suppressions_are_comments_and_those_that_silence_nothing_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app.yaml", SUPPRESSED_APP);
    let out = argovet()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--no-default-policies", "app.yaml"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!("{}:{} {} {}", f["line"], f["column"], f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        got,
        [
            // The `#` inside the quoted value is text: the error is reported.
            "7:35 sync-wave-not-integer error",
            // The own-line suppression covers line 9, where there is no such finding.
            "8:22 suppression-unused warning",
            "11:48 suppression-unused warning",
            "11:70 suppression-unknown-rule warning",
            "13:18 suppression-unused warning",
        ],
        "{report:#}"
    );
    assert_eq!(out.status.code(), Some(1));
    let human = stdout(argovet().current_dir(dir.path()).args([
        "check",
        "--color",
        "never",
        "--no-default-policies",
        "app.yaml",
    ]));
    insta::assert_snapshot!("suppressions_human", human);
    // Configuration turns them off and re-levels them like any rule.
    write(dir.path(), ".argovet.yaml", "rules:\n  suppression-unused: off\n  suppression-unknown-rule: error\n");
    let out = argovet()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--no-default-policies", "app.yaml"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<(&str, &str)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(rules, [("sync-wave-not-integer", "error"), ("suppression-unknown-rule", "error")]);
}

#[test]
fn the_suppression_rules_are_listed_and_explained() {
    let rules = stdout(argovet().arg("rules"));
    assert!(rules.lines().any(|l| l.starts_with("suppression-unused ") && l.contains("warning")), "{rules}");
    assert!(rules.lines().any(|l| l.starts_with("suppression-unknown-rule ") && l.contains("warning")), "{rules}");
    let explain = stdout(argovet().args(["explain", "suppression-unused"]));
    assert!(explain.starts_with("# suppression-unused (warning)"), "{explain}");
}
