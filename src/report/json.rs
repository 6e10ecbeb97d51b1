//! `--format json`: the stable machine format documented in docs/CLI.md.

use super::{Finding, Report, Summary};
use serde::Serialize;

/// The document, serialised straight from the findings (no intermediate `Value` tree).
#[derive(Serialize)]
struct Doc<'a> {
    findings: &'a [Finding],
    summary: &'a Summary,
}

/// `{"findings": [...], "summary": {...}}`, pretty-printed, with a trailing newline.
pub fn render(report: &Report<'_>) -> String {
    let doc = Doc { findings: report.findings, summary: report.summary };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
