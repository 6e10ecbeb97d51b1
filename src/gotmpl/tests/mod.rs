//! Table tests of the engine against Go. Each case is a template, optional data (the shared
//! `data.json` otherwise), `goTemplateOptions`, and the output or error text Go printed for it.
//! The expected values were recorded by running the same inputs through Go's text/template with
//! sprig (see each file's header); they are data, not re-derived by this code.

mod argocd;
mod argocd_sources;
mod builtins;
mod conversion;
mod crypto;
mod date;
mod defaults;
mod dicts;
mod encoding;
mod fmt;
mod language;
mod lists;
mod math;
mod nondeterministic;
mod paths;
mod regex;
mod regressions;
mod semver;
mod strings;
mod urls;

use super::{Options, Template};

/// One table entry.
pub(super) struct Case {
    pub t: &'static str,
    pub d: Option<&'static str>,
    pub o: &'static [&'static str],
    pub want: Result<&'static str, &'static str>,
}

const SHARED_DATA: &str = include_str!("data.json");

/// Renders a template against the shared data with the given options.
pub(super) fn run(t: &str, d: Option<&str>, o: &[&str]) -> Result<String, String> {
    let data: serde_json::Value = serde_json::from_str(d.unwrap_or(SHARED_DATA)).map_err(|e| e.to_string())?;
    let mut opts = Options::default();
    for x in o {
        opts.apply(x).map_err(|e| e.to_string())?;
    }
    let tmpl = Template::parse(t).map_err(|e| e.to_string())?;
    tmpl.execute(&data, &opts).map_err(|e| e.to_string())
}

/// Runs every case and fails listing all mismatches.
#[allow(clippy::print_stderr)] // GOTMPL_TRACE=1 names each case before it runs
pub(super) fn check(cases: &[Case]) {
    let mut failures = vec![];
    for c in cases {
        if std::env::var_os("GOTMPL_TRACE").is_some() {
            eprintln!("case {:?}", c.t);
        }
        let got = run(c.t, c.d, c.o);
        let want = c.want.map(str::to_string).map_err(str::to_string);
        if got != want {
            failures.push(format!("template {:?}\n   want {:?}\n    got {:?}", c.t, want, got));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Go:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
