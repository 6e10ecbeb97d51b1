//! `argovet inspect`: how argovet reads a repository — roles, units, deploys — so a user can see why a
//! rule compared (or did not compare) two objects, and correct it with `roles:`/`units:` in `.argovet.yaml`.

use super::Outcome;
use super::check::{CheckArgs, check};
use crate::model::Role;
use crate::report::Format;
use clap::Args;
use miette::IntoDiagnostic;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Arguments of `argovet inspect`: those of `check` (the same files are read the same way).
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Print every unit with its files, not only those of more than one file.
    #[arg(long)]
    pub all_units: bool,
    #[command(flatten)]
    check: CheckArgs,
}

/// Runs the model as `check` would and prints it (human, or JSON with `--format json`).
pub fn run(args: InspectArgs) -> miette::Result<Outcome> {
    let checked = match args.check.jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .into_diagnostic()?
            .install(|| check(&args.check))?,
        None => check(&args.check)?,
    };
    let roles: Vec<(&str, Role)> = checked.model.roles().collect();
    let units: Vec<&crate::repo::Unit> =
        checked.units.units.iter().filter(|u| args.all_units || u.files.len() > 1).collect();
    let out = if args.check.format == Format::Json {
        let files: Vec<serde_json::Value> = roles
            .iter()
            .map(|(path, role)| serde_json::json!({"path": path, "role": role.name(), "tool": tool(*role)}))
            .collect();
        let deploys: Vec<serde_json::Value> = checked
            .units
            .deploys
            .iter()
            .map(|d| {
                serde_json::json!({"file": d.file, "application": d.application, "path": d.target,
                    "inCluster": d.in_cluster})
            })
            .collect();
        let units: Vec<serde_json::Value> = units
            .iter()
            .map(|u| serde_json::json!({"evidence": u.evidence, "strong": u.strong, "files": u.files}))
            .collect();
        let doc = serde_json::json!({"files": files, "deploys": deploys, "units": units});
        format!("{}\n", serde_json::to_string_pretty(&doc).into_diagnostic()?)
    } else {
        human(&roles, &checked.units, &units)
    };
    crate::cli::write_stdout(out)?;
    Ok(Outcome::Success)
}

fn tool(role: Role) -> Option<&'static str> {
    match role {
        Role::Template(t) | Role::Fixture(t) => Some(t),
        _ => None,
    }
}

fn human(roles: &[(&str, Role)], all: &crate::repo::Units, units: &[&crate::repo::Unit]) -> String {
    let mut out = String::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, role) in roles {
        *counts.entry(role.name()).or_default() += 1;
    }
    let _ = writeln!(out, "Files by role:");
    for (role, n) in &counts {
        let _ = writeln!(out, "  {role:<22} {n}");
    }
    let special: Vec<&(&str, Role)> = roles.iter().filter(|(_, r)| *r != Role::Manifest).collect();
    if !special.is_empty() {
        let _ = writeln!(out, "\nFiles not read as plain manifests:");
        for (path, role) in special {
            match tool(*role) {
                Some(t) => {
                    let _ = writeln!(out, "  {path}  {} ({t})", role.name());
                }
                None => {
                    let _ = writeln!(out, "  {path}  {}", role.name());
                }
            }
        }
    }
    if !all.deploys.is_empty() {
        let _ = writeln!(out, "\nApplications deploying directories of this repository:");
        for d in &all.deploys {
            let target = if d.target.is_empty() { "." } else { &d.target };
            let place = if d.in_cluster { "into its own cluster" } else { "into another cluster" };
            let _ = writeln!(out, "  {}  {} -> {target}/ ({place})", d.file, d.application);
        }
    }
    let _ = writeln!(out, "\nDeployment units (objects compared with each other):");
    for u in units {
        let strength = if u.strong { "" } else { " [weak: same directory only]" };
        let _ = writeln!(out, "  {}{strength}: {} files", u.evidence, u.files.len());
        for f in u.files.iter().take(8) {
            let _ = writeln!(out, "    {f}");
        }
        if u.files.len() > 8 {
            let _ = writeln!(out, "    ... and {} more", u.files.len() - 8);
        }
    }
    out
}
