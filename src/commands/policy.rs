//! `argovet policy test [DIR...]`.

use super::Outcome;
use crate::policy::verify;
use clap::{Args, Subcommand};
use std::path::PathBuf;

/// `argovet policy ...`.
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Run the `test_*` rules of Rego policies (like `conftest verify`); the last line is
    /// `N passed, N failed`, exit 1 when any failed.
    Test(PolicyTestArgs),
}

/// Arguments of `argovet policy test`.
#[derive(Debug, Args)]
pub struct PolicyTestArgs {
    /// Directories (or files) of `.rego` policies and their tests (default: `policy`).
    pub dirs: Vec<PathBuf>,
    /// JSON or YAML data for the policies, under `data.` (repeatable).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
}

/// Runs a `policy` subcommand.
pub fn run(cmd: PolicyCommand) -> miette::Result<Outcome> {
    match cmd {
        PolicyCommand::Test(args) => {
            let dirs = if args.dirs.is_empty() { vec![PathBuf::from("policy")] } else { args.dirs };
            let report = verify::run(&dirs, &args.data).map_err(|e| miette::miette!("{e}"))?;
            crate::cli::write_stdout(report.render())?;
            Ok(if report.failed > 0 { Outcome::Failure } else { Outcome::Success })
        }
    }
}
