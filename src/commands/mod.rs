//! One module per subcommand: thin glue between the CLI, the workspace and the engines.

pub mod appset;
pub mod check;
pub mod completions;
pub mod health;
pub mod inspect;
pub mod man;
pub mod policy;
pub mod progress;
pub mod rules;
pub mod suppress;

/// Exit code of a command that ran to completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Outcome {
    /// Nothing at the failing severity.
    Success = 0,
    /// Findings at the failing severity, or failed tests.
    Failure = 1,
}

/// `argovet --version`: the crate version and the Argo CD API it targets.
pub const fn version_string() -> &'static str {
    concat!(env!("CARGO_PKG_VERSION"), " (Argo CD API argoproj.io/v1alpha1, Argo CD 3.x)")
}
