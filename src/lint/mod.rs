//! Lint rules: Argo CD correctness checks written in Rust, one rule per file under `rules/`.
//!
//! A rule is declared with [`declare_rule!`]: its doc comment is its documentation (`argovet explain`),
//! its id, default severity and one-line summary sit next to it, and `check`/`check_all` hold the logic.
//! Adding a rule touches its file, one line in its group's `RULES`, and its tests.
//! Rules are grouped (`rules/application/`, `rules/appset/`, `rules/project/`); each group's
//! `mod.rs` has its own `RULES` list.

pub mod builtin;
mod registry;
pub mod rules;
pub mod util;

pub use registry::{all_rule_infos, find_rule_info, lint_rules};

use crate::model::Document;
use crate::report::{Finding, Severity, Span};
use rayon::prelude::*;

/// Where a rule is implemented; shown by `argovet rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleSource {
    /// A Rust lint rule.
    Lint,
    /// Reported by the YAML loader or file discovery.
    Loader,
    /// Reported by JSON Schema validation.
    Schema,
    /// A Rego policy.
    Policy,
    /// Reported by the ApplicationSet engine.
    AppSet,
    /// Reported by the Lua health engine.
    Health,
}

/// A rule's identity and documentation.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// Stable id, kebab-case.
    pub id: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// One line for `argovet rules`.
    pub summary: &'static str,
    /// Markdown documentation for `argovet explain`.
    pub docs: &'static str,
    /// Which engine reports it.
    pub source: RuleSource,
}

impl RuleInfo {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn docs_text(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Declares a rule struct whose doc comment becomes its documentation.
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub struct SyncOptionUnknown {
///         id: "sync-option-unknown", severity: Error, source: Lint,
///         summary: "syncOptions entries Argo CD does not know",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal, severity: $sev:ident, source: $src:ident, summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;

        impl $name {
            /// This rule's identity and documentation.
            pub const INFO: $crate::lint::RuleInfo = $crate::lint::RuleInfo {
                id: $id,
                severity: $crate::report::Severity::$sev,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                source: $crate::lint::RuleSource::$src,
            };
        }
    };
}

/// A lint rule. Both methods default to doing nothing, so a rule implements the one it needs.
pub trait Rule: Send + Sync {
    /// The rule's identity and docs (`&Self::INFO`).
    fn info(&self) -> &'static RuleInfo;

    /// Checks one document.
    fn check(&self, _doc: &Document, _cx: &mut Context<'_>) {}

    /// Checks the whole set of documents at once (duplicates, cross-references).
    fn check_all(&self, _docs: &[Document], _cx: &mut Context<'_>) {}
}

/// What a rule reports into.
pub struct Context<'a> {
    rule: &'static RuleInfo,
    out: &'a mut Vec<Finding>,
}

impl<'a> Context<'a> {
    /// A context for `rule` that appends to `out`.
    pub fn new(rule: &'static RuleInfo, out: &'a mut Vec<Finding>) -> Context<'a> {
        Context { rule, out }
    }

    /// Runs `check` on each of `items` on all threads, and reports their findings in the items' order.
    pub fn each_in_parallel<T: Sync>(&mut self, items: &[T], check: impl Fn(&T, &mut Context<'_>) + Sync) {
        let rule = self.rule;
        self.out.extend(in_parallel(items, |item, out| check(item, &mut Context::new(rule, out))));
    }

    /// Reports at the node `pointer` names (or its nearest existing ancestor).
    pub fn report(&mut self, doc: &Document, pointer: &str, message: impl Into<String>) -> &mut Finding {
        let span = doc.span(pointer);
        self.report_span(doc, span, message)
    }

    /// Reports at the key naming the node at `pointer`.
    pub fn report_key(&mut self, doc: &Document, pointer: &str, message: impl Into<String>) -> &mut Finding {
        let span = doc.key_span(pointer);
        self.report_span(doc, span, message)
    }

    /// Reports at an explicit span of `doc`'s file.
    pub fn report_span(&mut self, doc: &Document, span: Span, message: impl Into<String>) -> &mut Finding {
        let f = doc.finding_at(self.rule.id, self.rule.severity, span, message);
        self.out.push(f);
        let last = self.out.len() - 1;
        &mut self.out[last]
    }
}

/// Runs every enabled rule's per-document check on `doc`.
pub fn check_document(doc: &Document, enabled: &dyn Fn(&str) -> bool, out: &mut Vec<Finding>) {
    for rule in lint_rules() {
        let info = rule.info();
        if enabled(info.id) {
            rule.check(doc, &mut Context::new(info, out));
        }
    }
}

/// Runs every enabled rule's whole-tree check, the rules side by side; the findings come in rule order.
pub fn check_all(docs: &[Document], enabled: &dyn Fn(&str) -> bool, out: &mut Vec<Finding>) {
    let rules: Vec<&'static dyn Rule> = lint_rules().filter(|r| enabled(r.info().id)).collect();
    out.extend(in_parallel(&rules, |rule, found| rule.check_all(docs, &mut Context::new(rule.info(), found))));
}

/// The findings `check` reports for each of `items`, computed on all threads, in the items' order.
fn in_parallel<T: Sync>(items: &[T], check: impl Fn(&T, &mut Vec<Finding>) + Sync) -> Vec<Finding> {
    let found: Vec<Vec<Finding>> = items
        .par_iter()
        .map(|item| {
            let mut out = Vec::new();
            check(item, &mut out);
            out
        })
        .collect();
    found.into_iter().flatten().collect()
}
