//! `argovet check --format ...` end to end: a snapshot of every format over `tests/fixtures/formats/`, the SARIF
//! output validated against the SARIF 2.1.0 schema, the JUnit output parsed as XML, the GitHub commands and
//! XML attributes round-tripped back to the findings' messages, and the exit codes.

use assert_cmd::Command;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;
use std::path::{Path, PathBuf};

const FORMATS: [&str; 6] = ["json", "sarif", "junit", "github", "gitlab", "human"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats")
}

/// Runs `argovet ARGS` in the fixture tree with `NO_COLOR=1`; returns (exit code, stdout, stderr).
fn argovet(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("argovet")
        .expect("the argovet binary is built")
        .args(args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .output()
        .expect("argovet runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("output is UTF-8");
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

/// The output of `check --format FORMAT .` over the whole fixture tree (which has errors: exit 1).
fn check(format: &str) -> String {
    let (code, stdout, stderr) = argovet(&["check", "--format", format, "."]);
    assert_eq!(code, 1, "--format {format}: exit code; stderr: {stderr}");
    assert!(stderr.is_empty(), "--format {format} wrote to stderr: {stderr}");
    stdout
}

/// The crate version appears in SARIF; keep it out of the snapshot so a release does not touch it.
fn without_version(s: &str) -> String {
    s.replace(&format!("\"{}\"", env!("CARGO_PKG_VERSION")), "\"[version]\"")
}

#[test]
fn snapshot_json() {
    insta::assert_snapshot!("json", check("json"));
}

#[test]
fn snapshot_sarif() {
    insta::assert_snapshot!("sarif", without_version(&check("sarif")));
}

#[test]
fn snapshot_junit() {
    insta::assert_snapshot!("junit", check("junit"));
}

#[test]
fn snapshot_github() {
    insta::assert_snapshot!("github", check("github"));
}

#[test]
fn snapshot_gitlab() {
    insta::assert_snapshot!("gitlab", check("gitlab"));
}

#[test]
fn snapshot_human() {
    insta::assert_snapshot!("human", check("human"));
}

/// The findings as the JSON format reports them: (file, line, column, rule, severity, message).
fn json_findings() -> Vec<(String, u64, u64, String, String, String)> {
    let json: Value = serde_json::from_str(&check("json")).expect("json output parses");
    let s = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
    let n = |v: &Value, k: &str| v[k].as_u64().unwrap_or_default();
    json["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| (s(f, "file"), n(f, "line"), n(f, "column"), s(f, "rule"), s(f, "severity"), s(f, "message")))
        .collect()
}

#[test]
fn every_format_is_identical_whatever_the_thread_count() {
    for format in FORMATS {
        let (_, one, _) = argovet(&["check", "-j", "1", "--format", format, "."]);
        let (_, two, _) = argovet(&["check", "-j", "2", "--format", format, "."]);
        let (_, three, _) = argovet(&["check", "-j", "3", "--format", format, "."]);
        assert_eq!(one, two, "--format {format}");
        assert_eq!(one, three, "--format {format}");
    }
}

/// The OASIS SARIF 2.1.0 schema, kept in the repository as test data (`tests/data/sarif/NOTICE.md`).
fn sarif_schema_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json")
}

#[test]
fn sarif_is_valid_against_the_sarif_2_1_0_schema() {
    let path = sarif_schema_path();
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("schema readable")).expect("the schema is JSON");
    let validator =
        jsonschema::draft4::options().should_validate_formats(true).build(&schema).expect("schema compiles");
    let sarif: Value = serde_json::from_str(&check("sarif")).expect("SARIF output is JSON");
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));

    // The validator must be able to fail: a result without a message is invalid SARIF.
    let mut broken = sarif.clone();
    if let Some(result) = broken.pointer_mut("/runs/0/results/0").and_then(Value::as_object_mut) {
        result.remove("message");
    }
    assert!(!validator.is_valid(&broken), "a result without a message must be rejected");
}

#[test]
fn sarif_has_what_github_code_scanning_reads() {
    let sarif: Value = serde_json::from_str(&check("sarif")).expect("SARIF output is JSON");
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "argovet");
    assert!(driver["informationUri"].as_str().is_some_and(|u| u.starts_with("https://")));
    let rules = driver["rules"].as_array().expect("rules");
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rules are sorted by id");
    for rule in rules {
        for key in ["shortDescription", "fullDescription", "help", "defaultConfiguration"] {
            assert!(rule.get(key).is_some(), "rule {} lacks {key}", rule["id"]);
        }
        assert!(rule["help"]["markdown"].as_str().is_some_and(|m| m.contains("## What it does")));
    }
    let findings = json_findings();
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    let mut prints = std::collections::BTreeSet::new();
    for (r, (file, line, column, rule, severity, message)) in results.iter().zip(&findings) {
        assert_eq!(r["ruleId"].as_str(), Some(rule.as_str()));
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids[index], rule, "ruleIndex points at the rule");
        let level = match severity.as_str() {
            "info" => "note",
            other => other,
        };
        assert_eq!(r["level"].as_str(), Some(level));
        assert!(r["message"]["text"].as_str().is_some_and(|t| t.starts_with(message.as_str())));
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"].as_str(), Some(file.as_str()));
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"].as_u64(), Some(*line));
        assert_eq!(loc["region"]["startColumn"].as_u64(), Some(*column));
        let end = (loc["region"]["endLine"].as_u64(), loc["region"]["endColumn"].as_u64());
        assert!(end >= (Some(*line), Some(*column)), "region ends after it starts: {r}");
        let print = r["partialFingerprints"]["argovet/v1"].as_str().expect("fingerprint");
        assert!(prints.insert(print.to_string()), "fingerprints are unique: {print}");
    }
}

/// Attributes of one element, unescaped.
fn attributes(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let key: &str = a.key.as_ref();
            let key = key.to_string();
            // Attribute-value normalisation as an XML 1.0 parser does it: a raw line break would become a space.
            (key, a.normalized_value(XmlVersion::Explicit1_0).expect("attribute unescapes").into_owned())
        })
        .collect()
}

#[test]
fn junit_parses_as_xml_and_carries_every_finding() {
    let xml = check("junit");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases) = (Vec::new(), 0usize);
    let mut failures: Vec<(String, String)> = Vec::new();
    let mut totals = None;
    loop {
        match reader.read_event().expect("JUnit output is well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attrs = attributes(&e);
                let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone()).unwrap_or_default();
                let name = e.name();
                let name: &str = name.as_ref();
                match name {
                    "testsuites" => totals = Some((get("tests"), get("failures"))),
                    "testsuite" => suites.push(get("name")),
                    "testcase" => cases += 1,
                    "failure" => failures.push((get("message"), get("type"))),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let findings = json_findings();
    let mut files: Vec<String> = findings.iter().map(|f| f.0.clone()).collect();
    files.push("apps/guestbook.yaml".into());
    files.sort();
    files.dedup();
    assert_eq!(suites, files, "one suite per checked file, sorted");
    let failing: Vec<(String, String)> =
        findings.iter().filter(|f| f.4 != "info").map(|f| (f.5.clone(), f.4.clone())).collect();
    assert_eq!(failures, failing, "failure messages round-trip through XML escaping");
    assert!(failures.iter().any(|(m, _)| m.contains('\n') && m.contains("lines")), "a multi-line message survives");
    assert!(failures.iter().any(|(m, _)| m.contains("<ready> & \"ok\"")), "markup and quotes survive");
    assert_eq!(totals, Some((cases.to_string(), failures.len().to_string())));
}

/// Reverses `@actions/core`'s escaping, as the runner does.
fn unescape_github(s: &str) -> String {
    s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
}

#[test]
fn github_commands_round_trip_to_the_findings() {
    let out = check("github");
    let lines: Vec<&str> = out.lines().collect();
    let findings = json_findings();
    assert_eq!(lines.len(), findings.len() + 1, "one command per finding, then the summary");
    let (_, human, _) = argovet(&["check", "."]);
    let summary = human.lines().last().expect("a summary line");
    assert_eq!(lines[lines.len() - 1], format!("argovet: {summary}"), "the human summary line");
    assert!(summary.contains(&format!("{} errors", findings.iter().filter(|f| f.4 == "error").count())), "{summary}");
    for (line, (file, l, c, rule, severity, message)) in lines.iter().zip(&findings) {
        let level = match severity.as_str() {
            "info" => "notice",
            other => other,
        };
        let rest = line.strip_prefix(&format!("::{level} ")).expect("command names the level");
        let (props, data) = rest.split_once("::").expect("properties end with ::");
        assert!(!data.contains(['\n', '\r']), "one line per command");
        assert!(unescape_github(data).starts_with(message.as_str()), "{line}");
        let props: Vec<(&str, String)> = props
            .split(',')
            .map(|p| p.split_once('=').map(|(k, v)| (k, unescape_github(v))).expect("key=value"))
            .collect();
        let expect = [
            ("file", file.clone()),
            ("line", l.to_string()),
            ("col", c.to_string()),
            ("endLine", l.to_string()),
            ("title", rule.clone()),
        ];
        assert_eq!(props, expect.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>());
    }
}

#[test]
fn gitlab_issues_have_unique_fingerprints_and_documented_severities() {
    let issues: Value = serde_json::from_str(&check("gitlab")).expect("gitlab output is JSON");
    let issues = issues.as_array().expect("a JSON array");
    let findings = json_findings();
    assert_eq!(issues.len(), findings.len());
    let mut prints = std::collections::BTreeSet::new();
    for (issue, (file, line, _, rule, severity, message)) in issues.iter().zip(&findings) {
        assert_eq!(issue["check_name"].as_str(), Some(rule.as_str()));
        assert_eq!(issue["description"].as_str(), Some(message.as_str()));
        assert_eq!(issue["location"]["path"].as_str(), Some(file.as_str()));
        assert_eq!(issue["location"]["lines"]["begin"].as_u64(), Some(*line));
        let expected = match (severity.as_str(), rule.as_str()) {
            ("info", _) => "info",
            ("warning", _) => "minor",
            (_, "yaml-syntax" | "yaml-duplicate-key" | "yaml-unquoted-template") => "critical",
            _ => "major",
        };
        assert_eq!(issue["severity"].as_str(), Some(expected), "{rule}");
        let print = issue["fingerprint"].as_str().expect("fingerprint");
        assert!(print.len() == 32 && print.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(prints.insert(print.to_string()), "fingerprints are unique");
    }
}

#[test]
fn gitlab_fingerprints_do_not_change_when_lines_move() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(fixtures().join("config/argocd-cm.yaml")).expect("fixture");
    let run = |text: &str| {
        std::fs::write(dir.path().join("argocd-cm.yaml"), text).expect("write");
        let out = Command::cargo_bin("argovet")
            .expect("binary")
            .args(["check", "--format", "gitlab", "argocd-cm.yaml"])
            .current_dir(dir.path())
            .output()
            .expect("runs");
        let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
        v.as_array()
            .expect("array")
            .iter()
            .map(|i| (i["fingerprint"].to_string(), i["location"]["lines"]["begin"].as_u64().unwrap_or(0)))
            .collect::<Vec<_>>()
    };
    let before = run(&text);
    let after = run(&format!("# a comment\n# and another\n{text}"));
    assert_eq!(before.len(), 2);
    assert_eq!(before.iter().map(|p| &p.0).collect::<Vec<_>>(), after.iter().map(|p| &p.0).collect::<Vec<_>>());
    assert_eq!(before[0].1 + 2, after[0].1, "the finding did move");
}

#[test]
fn a_clean_file_exits_0_in_every_format() {
    for format in FORMATS {
        let (code, out, err) = argovet(&["check", "--format", format, "apps/guestbook.yaml"]);
        assert_eq!(code, 0, "--format {format}: {out}{err}");
    }
    let (_, out, _) = argovet(&["check", "--format", "gitlab", "apps/guestbook.yaml"]);
    assert_eq!(out, "[]\n");
    let (_, out, _) = argovet(&["check", "apps/guestbook.yaml"]);
    assert_eq!(out, "0 errors, 0 warnings, 0 info in 1 document (1 file)\n");
}

#[test]
fn an_error_finding_exits_1() {
    let (code, _, _) = argovet(&["check", "broken/syntax.yaml"]);
    assert_eq!(code, 1);
}

#[test]
fn warnings_fail_only_with_fail_on_warning() {
    let (code, out, _) = argovet(&["check", "plain/worker.yaml"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("plain/worker.yaml:16:37: warning [yaml-ambiguous-value]"), "{out}");
    let (code, _, _) = argovet(&["check", "--fail-on", "warning", "plain/worker.yaml"]);
    assert_eq!(code, 1);
    let (code, _, _) = argovet(&["check", "--fail-on", "warning", "apps/guestbook.yaml"]);
    assert_eq!(code, 0);
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = argovet(&["check", "--no-such-flag", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("--no-such-flag"), "{err}");
    let (code, _, err) = argovet(&["check", "--format", "xml", "."]);
    assert_eq!(code, 2);
    assert!(err.contains("sarif") && err.contains("gitlab"), "lists the formats: {err}");
    let (code, _, err) = argovet(&["check", "does-not-exist.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("does-not-exist.yaml"), "{err}");
}

#[test]
fn machine_formats_print_paths_relative_to_the_working_directory_when_given_absolute_ones() {
    let absolute = fixtures().join("apps/billing.yaml");
    let absolute = absolute.to_str().expect("UTF-8 path");
    let (_, sarif, _) = argovet(&["check", "--format", "sarif", absolute]);
    let sarif: Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(uri["uri"], "apps/billing.yaml");
    assert_eq!(uri["uriBaseId"], "%SRCROOT%");
    let (_, gitlab, _) = argovet(&["check", "--format", "gitlab", absolute]);
    assert!(gitlab.contains("\"path\": \"apps/billing.yaml\""), "{gitlab}");
    let (_, github, _) = argovet(&["check", "--format", "github", absolute]);
    assert!(github.starts_with("::error file=apps/billing.yaml,line=2,"), "{github}");
    for (format, out) in [("sarif", sarif.to_string()), ("gitlab", gitlab), ("github", github)] {
        assert!(!out.contains(env!("CARGO_MANIFEST_DIR")), "--format {format} leaks an absolute path");
    }
}
