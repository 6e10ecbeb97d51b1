//! `argovet completions SHELL`: a shell completion script generated from the clap definition, on stdout.

use super::Outcome;
use clap::{Args, CommandFactory};

/// Arguments of `argovet completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for. Install, e.g.: `argovet completions bash > ~/.local/share/bash-completion/completions/argovet`,
    /// `argovet completions zsh > "${fpath[1]}/_argovet"`, `argovet completions fish > ~/.config/fish/completions/argovet.fish`.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the completion script for the requested shell.
pub fn run(args: CompletionsArgs) -> miette::Result<Outcome> {
    let mut cmd = crate::cli::Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "argovet", &mut buf);
    crate::cli::write_stdout(&buf)?;
    Ok(Outcome::Success)
}
