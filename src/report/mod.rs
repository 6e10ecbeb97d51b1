//! Findings and the formats they are printed in. One file per format; all take the sorted findings.

mod finding;
mod human;
mod json;

pub use finding::{Finding, Generated, Severity, Span, sort_findings};

use crate::model::SourceFile;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Output formats of `argovet check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Graphical diagnostics with source snippets (miette), then a summary line.
    Human,
    /// `{"findings": [...], "summary": {...}}`.
    Json,
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
    }
}
