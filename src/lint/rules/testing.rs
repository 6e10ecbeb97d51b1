//! Test helpers for rules: load a YAML fixture, run one rule, look at what it reported.

use crate::lint::{Context, Rule};
use crate::model::{Document, SourceFile};
use crate::report::Finding;
use crate::yaml::{Limits, load};
use std::sync::Arc;

/// Loads every document of `src` as if it were the file `test.yaml`.
pub fn docs(src: &str) -> Vec<Document> {
    let file = Arc::new(SourceFile::new("test.yaml", src.to_string()));
    let loaded = load(src, &Limits::default());
    assert!(loaded.issues.is_empty(), "fixture does not load cleanly: {:?}", loaded.issues);
    loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)).collect()
}

/// Runs `rule` (per document, then whole tree) over `src`.
pub fn run(rule: &dyn Rule, src: &str) -> Vec<Finding> {
    let docs = docs(src);
    let mut out = Vec::new();
    for d in &docs {
        rule.check(d, &mut Context::new(rule.info(), &mut out));
    }
    rule.check_all(&docs, &mut Context::new(rule.info(), &mut out));
    out
}

/// `(line, column, message)` of each finding, for compact assertions.
pub fn lines(findings: &[Finding]) -> Vec<(u32, u32, String)> {
    findings.iter().map(|f| (f.span.line, f.span.column, f.message.clone())).collect()
}

/// Runs `rule`'s per-document check on one document.
pub fn run_doc(rule: &dyn Rule, doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    rule.check(doc, &mut Context::new(rule.info(), &mut out));
    out
}
