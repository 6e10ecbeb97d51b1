//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations on the
//! pull request's diff.
//!
//! One line per finding: `::error file=F,line=L,col=C,endLine=E,title=RULE::MESSAGE`, with `warning` for
//! warnings and `notice` for infos. Property values and the message are escaped exactly as
//! `@actions/core` does (`escapeProperty`: `%` `\r` `\n` `:` `,`; `escapeData`: `%` `\r` `\n`), so any text
//! survives the runner's parser. The fix and, for generated Applications, their origin follow the message after escaped line breaks. A last,
//! plain line repeats the human format's summary; the runner prints it in the log.

use super::{Report, Severity, message_with_notes, relative_path};
use std::fmt::Write;

/// One workflow command per finding, then (with `summary`) the summary line.
pub fn render(report: &Report<'_>, summary: bool) -> String {
    let mut out = String::new();
    for f in report.findings {
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let _ = write!(out, "::{command} file={}", escape_property(&relative_path(&f.file)));
        if f.span.line > 0 {
            let (end_line, _) = report.end_of(f);
            let _ = write!(out, ",line={},col={},endLine={}", f.span.line, f.span.column.max(1), end_line);
        }
        let _ = write!(out, ",title={}::", escape_property(&f.rule));
        out.push_str(&escape_data(&message_with_notes(f)));
        out.push('\n');
    }
    if summary {
        let _ = writeln!(out, "argovet: {}", report.summary);
    }
    out
}

/// `escapeData` of `@actions/core`: the message after `::`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// `escapeProperty` of `@actions/core`: a `key=value` property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(escape_property("100% a:b,c\r\nd"), "100%25 a%3Ab%2Cc%0D%0Ad");
        // `%` first, so an already-escaped sequence in the input is not mistaken for an escape.
        assert_eq!(escape_data("%0A"), "%250A");
    }
}
