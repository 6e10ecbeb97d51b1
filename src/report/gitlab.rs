//! `--format gitlab`: GitLab Code Quality JSON (the CodeClimate subset GitLab reads), for
//! `artifacts:reports:codequality`.
//!
//! A JSON array with one issue per finding: `type`, `check_name` (the rule id), `description` (the message),
//! `content.body` (`help: <fix>` and, for generated Applications, their origin), `fingerprint`, `severity`, `location.path` (relative to the directory
//! argovet ran in, which should be the repository root) and `location.lines.begin`/`end`.
//!
//! Severity mapping: `info` -> `info`; `warning` -> `minor`; `error` -> `major`, except errors reported by the
//! loader (`yaml-syntax`, `yaml-duplicate-key`, `file-unreadable`, ...), which stop the whole file or document
//! from being applied or checked, -> `critical`. `blocker` is not used.

use super::fingerprint::fingerprints;
use super::{Finding, Report, Severity, notes, relative_path};
use crate::lint::{RuleSource, all_rule_infos};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeSet;

/// The issues, pretty-printed, with a trailing newline. No findings: `[]`.
pub fn render(report: &Report<'_>) -> String {
    let prints = fingerprints(report.findings);
    let loader: BTreeSet<&str> =
        all_rule_infos().into_iter().filter(|i| i.source == RuleSource::Loader).map(|i| i.id).collect();
    let issues: Vec<Issue<'_>> = report
        .findings
        .iter()
        .zip(prints)
        .map(|(f, fingerprint)| {
            let (end_line, _) = report.end_of(f);
            let notes = notes(f);
            Issue {
                kind: "issue",
                check_name: &f.rule,
                description: &f.message,
                content: (!notes.is_empty()).then(|| Content { body: notes.join("\n") }),
                fingerprint,
                severity: severity(f, loader.contains(f.rule.as_str())),
                location: IssueLocation {
                    path: relative_path(&f.file),
                    lines: Lines { begin: f.span.line.max(1), end: end_line.max(f.span.line).max(1) },
                },
            }
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

/// One Code Quality issue (field order as GitLab documents them).
#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    check_name: &'a str,
    description: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: IssueLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<Content>,
}

#[derive(Serialize)]
struct Content {
    body: String,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: Cow<'a, str>,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
    end: u32,
}

/// GitLab's severity for a finding (the mapping in the module docs); `from_loader`: its rule is reported by the
/// loader.
fn severity(f: &Finding, from_loader: bool) -> &'static str {
    match f.severity {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error if from_loader => "critical",
        Severity::Error => "major",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Span;

    fn finding(rule: &str, severity: Severity) -> Finding {
        Finding::new(rule, severity, "a.yaml".into(), Span { offset: 0, len: 0, line: 2, column: 1 }, "m")
    }

    #[test]
    fn maps_severities_and_loader_errors_to_critical() {
        assert_eq!(severity(&finding("yaml-ambiguous-value", Severity::Info), false), "info");
        assert_eq!(severity(&finding("yaml-ambiguous-value", Severity::Warning), false), "minor");
        assert_eq!(severity(&finding("argo-kind-near-miss", Severity::Error), false), "major");
        assert_eq!(severity(&finding("yaml-syntax", Severity::Error), true), "critical");
        assert_eq!(severity(&finding("file-too-large", Severity::Warning), true), "minor");
    }

    #[test]
    fn the_loader_rules_are_the_ones_the_docs_list_as_critical() {
        let mut loader: Vec<&str> =
            all_rule_infos().into_iter().filter(|i| i.source == RuleSource::Loader).map(|i| i.id).collect();
        loader.sort_unstable();
        let documented = [
            "file-encoding",
            "file-too-large",
            "file-unreadable",
            "yaml-alias-bomb",
            "yaml-complex-key",
            "yaml-duplicate-key",
            "yaml-syntax",
            "yaml-too-deep",
            "yaml-unquoted-template",
        ];
        assert_eq!(loader, documented, "update the severity table in docs/output-formats.md");
    }
}
