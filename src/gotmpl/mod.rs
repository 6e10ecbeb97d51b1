//! A faithful Rust implementation of Go's `text/template` with the sprig function map and Argo CD's
//! extra functions, as Argo CD renders `goTemplate: true` ApplicationSets.
//!
//! ```
//! use argovet::gotmpl::{Options, render};
//! let data = serde_json::json!({"name": "guestbook", "replicas": 1000000});
//! let out = render("{{ .name | upper }}-{{ .replicas }}", &data, &Options::default())?;
//! assert_eq!(out, "GUESTBOOK-1e+06");
//! # Ok::<(), argovet::gotmpl::Error>(())
//! ```
//!
//! The module depends on nothing else in the crate. See `docs/gotmpl.md` for what is supported.

mod argocd;
mod ast;
mod builtins;
mod exec;
mod format;
mod funcs;
mod lexer;
mod parser;
pub(crate) mod sprig;
mod value;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

pub use exec::{MAX_OUTPUT, MAX_STEPS, MAX_TEMPLATE_DEPTH, steps_used};
pub use value::Value;

/// The name Argo CD gives every template it parses.
const TEMPLATE_NAME: &str = "base";

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The template does not parse.
    Parse,
    /// Execution failed (missing key under `missingkey=error`, a function error...).
    Exec,
    /// An unknown `goTemplateOptions` entry.
    Option,
}

/// A template error whose `Display` is Go's text, e.g.
/// `template: base:1:3: executing "base" at <.x>: map has no entry for key "x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Go's message (the same as `Display`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// What a missing map key evaluates to (text/template's `missingkey` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingKey {
    /// `missingkey=default`: the invalid value, printed `<no value>`.
    #[default]
    Default,
    /// `missingkey=invalid`: same behaviour as `Default`.
    Invalid,
    /// `missingkey=zero`: the zero value of the map's element type (`<no value>` for Argo CD's params).
    Zero,
    /// `missingkey=error`: execution stops with `map has no entry for key "x"`.
    Error,
}

/// Execution options, set from Argo CD's `goTemplateOptions`.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The `missingkey` behaviour.
    pub missing_key: MissingKey,
}

impl Options {
    /// Applies one option string like text/template's `Option`: only `missingkey=default|invalid|zero|error`
    /// is known; anything else is an error (Go panics with the same text).
    pub fn apply(&mut self, option: &str) -> Result<(), Error> {
        if option.is_empty() {
            return Err(Error { kind: ErrorKind::Option, message: "empty option string".into() });
        }
        let bad = || Error { kind: ErrorKind::Option, message: format!("unrecognized option: {option}") };
        let Some((key, value)) = option.split_once('=') else { return Err(bad()) };
        if key != "missingkey" {
            return Err(bad());
        }
        self.missing_key = match value {
            "default" => MissingKey::Default,
            "invalid" => MissingKey::Invalid,
            "zero" => MissingKey::Zero,
            "error" => MissingKey::Error,
            _ => return Err(bad()),
        };
        Ok(())
    }
}

/// A parsed template: parse once, execute many times (it is `Send + Sync`).
#[derive(Debug, Clone)]
pub struct Template {
    src: String,
    trees: BTreeMap<String, ast::List>,
}

impl Template {
    /// Parses `src` as the template named `base`, with the full function map.
    pub fn parse(src: &str) -> Result<Template, Error> {
        match parser::parse(TEMPLATE_NAME, src, &funcs::is_func) {
            Ok(p) => Ok(Template { src: src.to_string(), trees: p.trees }),
            Err(e) => Err(Error {
                kind: ErrorKind::Parse,
                message: format!("template: {}:{}: {}", TEMPLATE_NAME, e.line, e.msg),
            }),
        }
    }

    /// Executes the template with `data` as dot. JSON numbers become Go float64 values.
    pub fn execute(&self, data: &serde_json::Value, opts: &Options) -> Result<String, Error> {
        self.execute_value(Value::from_json(data), opts)
    }

    /// Executes the template with an already converted value as dot.
    pub fn execute_value(&self, data: Value, opts: &Options) -> Result<String, Error> {
        let mut ex = exec::Exec::new(&self.trees, &self.src, TEMPLATE_NAME, opts);
        match ex.run(TEMPLATE_NAME, data) {
            Ok(()) => Ok(ex.out),
            Err(message) => Err(Error { kind: ErrorKind::Exec, message }),
        }
    }
}

/// Parses and executes `src` in one go.
pub fn render(src: &str, data: &serde_json::Value, opts: &Options) -> Result<String, Error> {
    Template::parse(src)?.execute(data, opts)
}

#[cfg(test)]
mod api_tests {
    use super::*;

    #[test]
    fn template_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Template>();
    }

    #[test]
    fn rejects_unknown_options() {
        let mut o = Options::default();
        assert!(o.apply("missingkey=error").is_ok());
        assert_eq!(o.missing_key, MissingKey::Error);
        assert_eq!(o.apply("").unwrap_err().to_string(), "empty option string");
        assert_eq!(o.apply("x").unwrap_err().to_string(), "unrecognized option: x");
        assert!(o.apply("missingkey=nope").is_err());
    }
}
