//! `--format junit`: JUnit XML, as GitLab (`artifacts:reports:junit`), Jenkins (`junit` step) and Azure
//! Pipelines (`PublishTestResults`, format JUnit) read it.
//!
//! Layout, chosen so each of those shows one row per problem with the problem's text:
//! - `<testsuites name="argovet">` with the totals;
//! - one `<testsuite>` per checked file (name = the file's path), sorted by path;
//! - one `<testcase>` per finding, `name="RULE (LINE:COL)"`, `classname` and `file` = the path, `line`.
//!   Errors and warnings carry `<failure message="MESSAGE" type="error|warning">` whose text repeats the
//!   `file:line:col: severity [rule]` header, the message, the fix and the offending source line. Infos are
//!   passing test cases with the same text in `<system-out>`;
//! - a file without findings has one passing test case named `no findings`, so clean files count as passed.
//!
//! There are no timestamps, host names or durations (`time="0"`), so the output is byte-stable.

use super::{Finding, Report, Severity, message_with_notes, relative_path, xml};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The XML document, with a trailing newline.
pub fn render(report: &Report<'_>) -> String {
    let mut files: BTreeMap<String, Vec<&Finding>> = BTreeMap::new();
    for path in report.sources.keys() {
        files.entry(relative_path(path).into_owned()).or_default();
    }
    for f in report.findings {
        files.entry(relative_path(&f.file).into_owned()).or_default().push(f);
    }
    let failing = |f: &&&Finding| f.severity >= Severity::Warning;
    let tests: usize = files.values().map(|fs| fs.len().max(1)).sum();
    let failures: usize = files.values().map(|fs| fs.iter().filter(failing).count()).sum();

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"argovet\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\" time=\"0\">"
    );
    for (path, findings) in &files {
        let suite_failures = findings.iter().filter(failing).count();
        out.push_str("  <testsuite name=\"");
        xml::attr(&mut out, path);
        let _ = writeln!(
            out,
            "\" tests=\"{}\" failures=\"{suite_failures}\" errors=\"0\" skipped=\"0\" time=\"0\">",
            findings.len().max(1)
        );
        if findings.is_empty() {
            testcase_open(&mut out, "no findings", path, None);
            out.push_str("/>\n");
        }
        for f in findings {
            let name = format!("{} ({}:{})", f.rule, f.span.line, f.span.column);
            testcase_open(&mut out, &name, path, Some(f.span.line));
            out.push_str(">\n");
            let details = details(report, f, path);
            if f.severity >= Severity::Warning {
                out.push_str("      <failure message=\"");
                xml::attr(&mut out, &f.message);
                let _ = write!(out, "\" type=\"{}\">", f.severity);
                xml::text(&mut out, &details);
                out.push_str("</failure>\n");
            } else {
                out.push_str("      <system-out>");
                xml::text(&mut out, &details);
                out.push_str("</system-out>\n");
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// `    <testcase name=".." classname=".." file=".." [line=".."] time="0"` (left open for `>` or `/>`).
fn testcase_open(out: &mut String, name: &str, path: &str, line: Option<u32>) {
    out.push_str("    <testcase name=\"");
    xml::attr(out, name);
    out.push_str("\" classname=\"");
    xml::attr(out, path);
    out.push_str("\" file=\"");
    xml::attr(out, path);
    out.push('"');
    if let Some(line) = line.filter(|&l| l > 0) {
        let _ = write!(out, " line=\"{line}\"");
    }
    out.push_str(" time=\"0\"");
}

/// The text of a failure: header, message, fix, origin, and the source line.
fn details(report: &Report<'_>, f: &Finding, path: &str) -> String {
    let mut s = format!("{path}:{}:{}: {} [{}]\n", f.span.line, f.span.column, f.severity, f.rule);
    s.push_str(&message_with_notes(f));
    s.push('\n');
    if let Some(line) = report.line_text(f) {
        let _ = writeln!(s, "{:>5} | {line}", f.span.line);
    }
    s
}
