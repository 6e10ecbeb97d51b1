//! Findings and the formats they are printed in. One file per format; all take the sorted findings.

mod causes;
mod finding;
mod fingerprint;
mod github;
mod gitlab;
mod human;
mod json;
mod junit;
mod sarif;
mod xml;

pub use causes::one_per_node;
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
    /// Findings a `--baseline` suppressed; `None` (and absent from JSON) without a baseline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<usize>,
    /// Files found but not read as manifests, by role (`helm template`, `kustomize input`, ...); absent from
    /// JSON when every file was read. `argovet inspect` lists them.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", rename = "notRead")]
    pub not_read: BTreeMap<String, usize>,
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
        )?;
        if !self.not_read.is_empty() {
            let n: usize = self.not_read.values().sum();
            let roles: Vec<String> = self.not_read.iter().map(|(role, k)| format!("{k} {role}")).collect();
            write!(f, "; {n} file{} not read as manifests ({})", plural(n), roles.join(", "))?;
        }
        match self.suppressed {
            Some(n) => write!(f, "; {n} suppressed by the baseline"),
            None => Ok(()),
        }
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
        Format::Human => human::render(report, true),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Junit => junit::render(report),
        Format::Github => github::render(report, true),
        Format::Gitlab => gitlab::render(report),
    }
}

/// Renders `report` for `--quiet`: the human and GitHub formats print the findings without their summary line;
/// the machine formats (JSON, SARIF, JUnit, GitLab) are unchanged, since their summary is part of the data.
pub fn render_quiet(format: Format, report: &Report<'_>) -> String {
    match format {
        Format::Human => human::render(report, false),
        Format::Github => github::render(report, false),
        other => render(other, report),
    }
}

impl Report<'_> {
    /// Where `f`'s span ends: the 1-based line of its last character, and the column just after that character
    /// (SARIF's exclusive end column). A span that ends with a line break therefore ends on the line the break
    /// belongs to, not at column 1 of the next. The start position when the text is unknown or the span is empty.
    pub fn end_of(&self, f: &Finding) -> (u32, u32) {
        let s = &f.span;
        match self.sources.get(&f.file) {
            Some(src) if s.len > 0 && s.line > 0 && s.offset + s.len <= src.text.len() => {
                let mut last = s.offset + s.len - 1;
                while !src.text.is_char_boundary(last) {
                    last -= 1;
                }
                let end = src.lines.span_of_offset(&src.text, last, 0);
                (end.line, end.column + 1)
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

/// The lines that follow a finding's message in the text formats: `help: <fix>` when the fix is known, and
/// `in Application `A` generated by ApplicationSet `S` from <element>` for generated Applications.
pub fn notes(f: &Finding) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(help) = &f.help {
        notes.push(format!("help: {help}"));
    }
    if let Some(g) = &f.generated {
        notes.push(format!(
            "in Application `{}` generated by ApplicationSet `{}` from {}",
            g.application, g.appset, g.element
        ));
    }
    notes
}

/// The message followed by its [`notes`], one per line.
pub fn message_with_notes(f: &Finding) -> String {
    let mut s = f.message.clone();
    for note in notes(f) {
        s.push('\n');
        s.push_str(&note);
    }
    s
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TEXT: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: envs\nspec:\n  enabled: on\n";

    /// Findings the fixture tree cannot produce yet: an info, a finding on a generated Application with policy
    /// metadata, a policy rule argovet does not define, and a file whose text is unknown.
    fn findings() -> Vec<Finding> {
        let file: Arc<str> = "appsets/envs.yaml".into();
        let mut info = Finding::new(
            "yaml-ambiguous-value",
            Severity::Info,
            file.clone(),
            Span { offset: 94, len: 2, line: 6, column: 12 },
            "`on` is read by Kubernetes (YAML 1.1) as true",
        )
        .with_help("quote it (\"on\")");
        info.kind = Some("ApplicationSet".into());
        info.name = Some("envs".into());
        let mut policy = Finding::new(
            "policy/deny_default_project",
            Severity::Error,
            file.clone(),
            Span { offset: 72, len: 4, line: 4, column: 9 },
            "Application `envs-dev` uses the `default` project",
        );
        policy.kind = Some("Application".into());
        policy.name = Some("envs-dev".into());
        policy.generated = Some(Generated {
            appset: "envs".into(),
            application: "envs-dev".into(),
            element: "generators[0].list.elements[0]".into(),
            ..Generated::default()
        });
        policy.metadata = Some(json!({ "title": "No default project", "custom": { "team": "platform" } }));
        let unread = Finding::new(
            "file-unreadable",
            Severity::Warning,
            "secret/locked.yaml".into(),
            Span { offset: 0, len: 0, line: 1, column: 1 },
            "cannot read: permission denied",
        );
        let mut all = vec![info, policy, unread];
        sort_findings(&mut all);
        all
    }

    fn render_all() -> Vec<(Format, String)> {
        let findings = findings();
        let mut summary = Summary { files: 1, documents: 2, ..Summary::default() };
        summary.count(&findings);
        let mut sources = Sources::new();
        let file = Arc::new(SourceFile::new("appsets/envs.yaml", TEXT.to_string()));
        sources.insert(file.path.clone(), file);
        let report = Report { findings: &findings, summary: &summary, sources: &sources, color: false };
        [Format::Human, Format::Json, Format::Sarif, Format::Junit, Format::Github, Format::Gitlab]
            .into_iter()
            .map(|f| (f, render(f, &report).replace(env!("CARGO_PKG_VERSION"), "[version]")))
            .collect()
    }

    #[test]
    fn quiet_drops_the_summary_line_of_the_text_formats_only() {
        let findings = findings();
        let mut summary = Summary { files: 1, documents: 2, ..Summary::default() };
        summary.count(&findings);
        let sources = Sources::new();
        let report = Report { findings: &findings, summary: &summary, sources: &sources, color: false };
        let line = summary.to_string();
        for format in [Format::Human, Format::Github] {
            let (loud, quiet) = (render(format, &report), render_quiet(format, &report));
            assert!(loud.contains(&line) && !quiet.contains(&line), "{format:?}");
            assert!(quiet.contains("policy/deny_default_project"), "{format:?} keeps the findings");
        }
        for format in [Format::Json, Format::Sarif, Format::Junit, Format::Gitlab] {
            assert_eq!(render(format, &report), render_quiet(format, &report), "{format:?}");
        }
    }

    #[test]
    fn every_format_renders_infos_generated_applications_policies_and_unread_files() {
        for (format, out) in render_all() {
            let name = format!("{format:?}").to_lowercase();
            insta::assert_snapshot!(format!("synthetic_{name}"), out);
        }
    }

    #[test]
    fn the_end_of_a_span_is_computed_from_the_text() {
        let findings = findings();
        let mut sources = Sources::new();
        let file = Arc::new(SourceFile::new("appsets/envs.yaml", TEXT.to_string()));
        sources.insert(file.path.clone(), file);
        let summary = Summary::default();
        let report = Report { findings: &findings, summary: &summary, sources: &sources, color: false };
        let info = findings.iter().find(|f| f.rule == "yaml-ambiguous-value").expect("info finding");
        assert_eq!(report.end_of(info), (6, 14));
        assert_eq!(report.line_text(info), Some("  enabled: on"));
        let unread = findings.iter().find(|f| f.rule == "file-unreadable").expect("unread finding");
        assert_eq!(report.end_of(unread), (1, 1));
        // `metadata:\n  name: envs\n` (lines 3-4, with its final line break) ends on line 4, after the break.
        let mut block = info.clone();
        block.span = Span { offset: 54, len: 23, line: 3, column: 1 };
        assert_eq!(report.end_of(&block), (4, 14));
        // A span ending in a multi-byte character ends after that character.
        let text = "a: é\n";
        let mut sources = Sources::new();
        let file = Arc::new(SourceFile::new("u.yaml", text.to_string()));
        sources.insert(file.path.clone(), file);
        let mut u = info.clone();
        u.file = "u.yaml".into();
        u.span = Span { offset: 3, len: 2, line: 1, column: 4 };
        let report = Report { findings: &[], summary: &summary, sources: &sources, color: false };
        assert_eq!(report.end_of(&u), (1, 5));
        assert_eq!(report.line_text(unread), None);
    }

    #[test]
    fn relative_paths_drop_dot_slash_and_keep_foreign_absolute_paths() {
        assert_eq!(relative_path("./a/b.yaml"), "a/b.yaml");
        assert_eq!(relative_path(".//a.yaml"), "a.yaml");
        assert_eq!(relative_path("a/b.yaml"), "a/b.yaml");
        assert_eq!(relative_path("/nonexistent-root/a.yaml"), "/nonexistent-root/a.yaml");
        let cwd = std::env::current_dir().expect("cwd");
        let inside = format!("{}/tests/x.yaml", cwd.display());
        assert_eq!(relative_path(&inside), "tests/x.yaml");
        assert!(is_absolute("C:/x.yaml") && is_absolute("/x") && !is_absolute("x/y"));
    }

    #[test]
    fn summary_line_uses_singular_for_one() {
        let s = Summary {
            files: 1,
            documents: 1,
            errors: 1,
            warnings: 2,
            infos: 0,
            suppressed: None,
            not_read: BTreeMap::new(),
        };
        assert_eq!(s.to_string(), "1 error, 2 warnings, 0 info in 1 document (1 file)");
        let s = Summary { suppressed: Some(3), ..s };
        assert_eq!(s.to_string(), "1 error, 2 warnings, 0 info in 1 document (1 file); 3 suppressed by the baseline");
        let json = serde_json::to_value(&s).expect("serialises");
        assert_eq!(json["suppressed"], 3);
        let json = serde_json::to_value(Summary::default()).expect("serialises");
        assert!(json.get("suppressed").is_none(), "absent without a baseline");
    }
}
