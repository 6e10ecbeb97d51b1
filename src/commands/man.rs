//! `argovet man`: the roff manual page generated from the clap definition, on stdout, or written as
//! `argovet.1` plus one `argovet-<subcommand>.1` page per subcommand with `--out-dir`.

use super::Outcome;
use clap::{Args, CommandFactory};
use miette::miette;
use std::path::{Path, PathBuf};

/// Arguments of `argovet man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `argovet.1` and one page per subcommand (`argovet-check.1`, ...) into this directory
    /// instead of printing `argovet.1` to stdout. The directory is created if missing.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Prints or writes the manual pages.
pub fn run(args: ManArgs) -> miette::Result<Outcome> {
    let cmd = crate::cli::Cli::command();
    match args.out_dir {
        None => {
            let page = render(&cmd)?;
            crate::cli::write_stdout(&page)?;
        }
        Some(dir) => write_pages(&cmd, &dir)?,
    }
    Ok(Outcome::Success)
}

fn render(cmd: &clap::Command) -> miette::Result<Vec<u8>> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .source(format!("argovet {}", env!("CARGO_PKG_VERSION")))
        .render(&mut buf)
        .map_err(|e| miette!("cannot render the man page: {e}"))?;
    Ok(buf)
}

/// `argovet.1`, then `argovet-check.1`, `argovet-appset-generate.1`, ... for every (nested) subcommand.
fn write_pages(cmd: &clap::Command, dir: &Path) -> miette::Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| miette!("cannot create {}: {e}", dir.display()))?;
    let mut cmd = cmd.clone();
    cmd.build();
    let mut pages = Vec::new();
    collect(&cmd, "argovet", &mut pages);
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let bytes = render(&page)?;
        std::fs::write(&path, bytes).map_err(|e| miette!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn collect(cmd: &clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
    out.push((name.to_string(), cmd.clone().display_name(name.to_string())));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        collect(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}
