//! Findings and the formats they are printed in. One file per format; all take the sorted findings.

mod finding;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;
mod xml;

pub use finding::{Finding, Generated, Severity, Span, sort_findings};

use crate::model::SourceFile;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Output formats of `argovet check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical diagnostics with source snippets (miette), then a summary line.
    Human,
    /// `{"findings": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0, as GitHub code scanning uploads it.
    Sarif,
    /// JUnit XML: one test suite per file, one test case per finding.
    Junit,
    /// GitHub Actions workflow commands (`::error file=...::message`), shown as annotations.
    Github,
    /// GitLab Code Quality JSON.
    Gitlab,
}

/// Counts shown at the end of every output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Documents checked, generated Applications included.
    pub documents: usize,
    /// Findings by severity.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
}

impl Summary {
    /// Counts the findings' severities.
    pub fn count(&mut self, findings: &[Finding]) {
        for f in findings {
            match f.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

/// `5 errors, 1 warning, 0 info in 12 documents (4 files)`: the last line of the human format.
impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        write!(
            f,
            "{} error{}, {} warning{}, {} info in {} document{} ({} file{})",
            self.errors,
            plural(self.errors),
            self.warnings,
            plural(self.warnings),
            self.infos,
            self.documents,
            plural(self.documents),
            self.files,
            plural(self.files)
        )
    }
}

/// The texts of checked files, by path, so outputs can show snippets.
pub type Sources = BTreeMap<Arc<str>, Arc<SourceFile>>;

/// What every format renders.
pub struct Report<'a> {
    /// Sorted findings.
    pub findings: &'a [Finding],
    /// Counts.
    pub summary: &'a Summary,
    /// File texts for snippets.
    pub sources: &'a Sources,
    /// Whether the human format may use colour.
    pub color: bool,
}

/// Renders `report` in `format`.
pub fn render(format: Format, report: &Report<'_>) -> String {
    match format {
        Format::Human => human::render(report),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
    }
}

impl Report<'_> {
    /// The 1-based line and column just after the end of `f`'s span (SARIF's exclusive end), computed from the
    /// file's text; the start position when the text is unknown or the span is empty.
    pub fn end_of(&self, f: &Finding) -> (u32, u32) {
        let s = &f.span;
        match self.sources.get(&f.file) {
            Some(src) if s.len > 0 && s.line > 0 && s.offset + s.len <= src.text.len() => {
                let end = src.lines.span_of_offset(&src.text, s.offset + s.len, 0);
                (end.line, end.column)
            }
            _ => (s.line, s.column),
        }
    }

    /// The text of `f`'s first line, without its line break, when the file's text is known.
    pub fn line_text(&self, f: &Finding) -> Option<&str> {
        let src = self.sources.get(&f.file)?;
        (f.span.line > 0 && f.span.offset <= src.text.len()).then(|| src.lines.line_text(&src.text, f.span.line))
    }
}

/// `file` as a `/`-separated path relative to the directory argovet runs in, for formats whose consumers
/// resolve paths against the repository root (SARIF, GitHub, GitLab). Relative paths lose a leading `./`;
/// an absolute path under the current directory is made relative; any other absolute path is kept.
pub fn relative_path(file: &str) -> Cow<'_, str> {
    let mut rel = file;
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.trim_start_matches('/');
    }
    if !is_absolute(rel) {
        return Cow::Borrowed(rel);
    }
    if let Ok(cwd) = std::env::current_dir()
        && let Ok(stripped) = std::path::Path::new(rel).strip_prefix(&cwd)
        && let Some(s) = stripped.to_str()
    {
        return Cow::Owned(s.replace('\\', "/"));
    }
    Cow::Borrowed(rel)
}

/// Whether `path` is absolute on Unix (`/x`) or Windows (`C:/x`, `//server/x`).
pub fn is_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    path.starts_with('/')
        || (b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'/' || b[2] == b'\\'))
}
