//! The command-line surface: every subcommand and flag, and the mapping of outcomes to exit codes
//! (0 success, 1 findings or failed tests, 2 usage or I/O errors).

use crate::commands;
use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

/// Checks Argo CD GitOps repositories before anything reaches a cluster.
#[derive(Debug, Parser)]
#[command(name = "argovet", version = crate::commands::version_string(), about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint, schema-validate and policy-check every YAML file under PATHs.
    Check(commands::check::CheckArgs),
    /// Show how argovet reads a repository: each file's role, the deployment units, which Application
    /// deploys which directory.
    Inspect(commands::inspect::InspectArgs),
    /// List every rule: id, default severity, summary.
    Rules(commands::rules::RulesArgs),
    /// Print a rule's documentation.
    Explain(commands::rules::ExplainArgs),
    /// Test and run Lua health checks and custom actions as Argo CD runs them.
    Health(commands::health::HealthArgs),
    /// Rego policies: `policy test` runs `test_*` rules.
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
    /// Render ApplicationSets offline: `generate`, `diff`.
    Appset(commands::appset::AppsetArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per subcommand with `--out-dir`.
    Man(commands::man::ManArgs),
}

/// Parses arguments, runs the subcommand, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Inspect(args) => commands::inspect::run(args),
        Command::Rules(args) => commands::rules::run_rules(args),
        Command::Explain(args) => commands::rules::run_explain(args),
        Command::Health(args) => commands::health::run(args),
        Command::Policy(cmd) => commands::policy::run(cmd),
        Command::Appset(args) => commands::appset::run(args),
        Command::Completions(args) => commands::completions::run(args),
        Command::Man(args) => commands::man::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            write_stderr(&format!("argovet: error: {e}\n"));
            ExitCode::from(2)
        }
    }
}

/// Set once a write to stdout met a closed pipe.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `bytes` to stdout and flushes: the one way argovet prints (the `clippy::print_stdout` lint forbids
/// `print!`, whose closed-pipe error is a panic). A reader that stops reading (`argovet check | head`: a broken
/// pipe) ends the output, not the run: later writes are skipped and the command's exit code stands. Any other
/// write error (a full disk) is an I/O error: exit 2.
pub fn write_stdout(bytes: impl AsRef<[u8]>) -> miette::Result<()> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes.as_ref()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(miette::miette!("cannot write to stdout: {e}")),
    }
}

/// Writes `text` to stderr: the one way argovet prints notes and errors (`clippy::print_stderr` forbids
/// `eprint!`). Errors are ignored: a closed or full stderr leaves nowhere to report them.
pub fn write_stderr(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}
