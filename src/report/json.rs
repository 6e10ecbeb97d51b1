//! `--format json`: the stable machine format documented in docs/CLI.md.

use super::Report;
use serde_json::json;

/// `{"findings": [...], "summary": {...}}`, pretty-printed, with a trailing newline.
pub fn render(report: &Report<'_>) -> String {
    let doc = json!({ "findings": report.findings, "summary": report.summary });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
