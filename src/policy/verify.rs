//! `argovet policy test`: runs `test_*` rules the way `conftest verify` / `opa test` do.

use super::PolicyError;
use super::engine::describe_eval_error;
use super::engine::{IdScheme, PolicySet};
use super::load;
use regorus::Value;
use std::fmt::Write;
use std::path::PathBuf;

/// The outcome of one test rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// `data.<package>.<name>`.
    pub name: String,
    /// The file defining it.
    pub file: String,
    /// How many definitions the result counts for.
    pub definitions: usize,
    /// `None` = passed; otherwise why it failed.
    pub failure: Option<String>,
}

/// Every test's result plus the totals.
#[derive(Debug, Clone, Default)]
pub struct TestReport {
    /// One entry per test rule, sorted by package and name.
    pub results: Vec<TestResult>,
    /// Passed definitions.
    pub passed: usize,
    /// Failed definitions.
    pub failed: usize,
}

impl TestReport {
    /// The text `policy test` prints: each failure, then `N passed, N failed`.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for r in &self.results {
            if let Some(why) = &r.failure {
                let _ = writeln!(
                    out,
                    "FAIL - {} - {}{}",
                    r.file,
                    r.name,
                    if why.is_empty() { String::new() } else { format!(": {why}") }
                );
            }
        }
        let _ = writeln!(out, "{} passed, {} failed", self.passed, self.failed);
        out
    }
}

/// Loads every `.rego` file (tests included) and every `.json`/`.yaml` data file given, and runs
/// the tests. A test passes when it is defined and exactly `true`.
pub fn run(dirs: &[PathBuf], data: &[PathBuf]) -> Result<TestReport, PolicyError> {
    let mut sources = Vec::new();
    for d in dirs {
        sources.extend(load::rego_files(d, true)?);
    }
    if sources.is_empty() {
        return Err(load::no_policies_error(dirs));
    }
    let data = load::load_data(data)?;
    let set = PolicySet::compile(&sources, Some(serde_json::Value::Object(data)), IdScheme::Package)?;
    Ok(run_set(&set))
}

/// Runs the tests of a compiled set.
pub fn run_set(set: &PolicySet) -> TestReport {
    let mut report = TestReport::default();
    for t in &set.tests {
        let name = format!("data.{}.{}", t.package, t.name);
        let failure = set.with_engine(|engine| match engine.eval_rule(name.clone()) {
            Ok(Value::Bool(true)) => None,
            Ok(Value::Undefined) => Some(String::new()),
            Ok(other) => Some(format!("result is {}", other.to_json_str().unwrap_or_default().trim())),
            Err(e) => Some(describe_eval_error(&e)),
        });
        if failure.is_some() {
            report.failed += t.definitions;
        } else {
            report.passed += t.definitions;
        }
        report.results.push(TestResult { name, file: t.file.clone(), definitions: t.definitions, failure });
    }
    report
}
