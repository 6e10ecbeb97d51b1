//! `argovet rules` and `argovet explain ID`.

use super::Outcome;
use crate::lint::all_rule_infos;
use clap::Args;
use std::fmt::Write;

/// Arguments of `argovet rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {}

/// Arguments of `argovet explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The rule id, as printed by `argovet rules` and in every finding.
    pub id: String,
}

/// One line per rule: id, severity, summary.
pub fn run_rules(_args: RulesArgs) -> miette::Result<Outcome> {
    let mut out = String::new();
    for info in all_rule_infos() {
        let _ = writeln!(out, "{:<34} {:<8} {}", info.id, info.severity, info.summary);
    }
    for info in crate::policy::builtin_rule_infos() {
        let opt_in = if info.opt_in() { format!(" [opt-in: --select {}]", info.category) } else { String::new() };
        let _ = writeln!(out, "{:<34} {:<8} {}{opt_in}", info.id, info.severity, info.summary);
    }
    crate::cli::write_stdout(out)?;
    Ok(Outcome::Success)
}

/// The rule's documentation.
pub fn run_explain(args: ExplainArgs) -> miette::Result<Outcome> {
    let all = all_rule_infos();
    match all.iter().find(|i| i.id == args.id) {
        Some(info) => {
            let text =
                format!("# {} ({})\n\n{}\n\n{}\n", info.id, info.severity, info.summary, info.docs_text().trim_end());
            crate::cli::write_stdout(text)?;
            Ok(Outcome::Success)
        }
        None => {
            let policies = crate::policy::builtin_rule_infos();
            if let Some(info) = policies.iter().find(|i| i.id == args.id) {
                let text =
                    format!("# {} ({})\n\n{}\n\n{}\n", info.id, info.severity, info.summary, info.docs.trim_end());
                crate::cli::write_stdout(text)?;
                return Ok(Outcome::Success);
            }
            let ids = all.iter().map(|i| i.id).chain(policies.iter().map(|i| i.id.as_str()));
            let hint = crate::lint::util::did_you_mean(&args.id, ids).map(|s| format!(" ({s})")).unwrap_or_default();
            Err(miette::miette!("no rule named `{}`{hint}; `argovet rules` lists them", args.id))
        }
    }
}
