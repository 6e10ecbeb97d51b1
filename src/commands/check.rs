//! `argovet check`: discover, load, run every check, filter, sort, print.

use super::Outcome;
use crate::lint;
use crate::model::{Document, SourceFile};
use crate::report::{self, Finding, Format, Report, Severity, Sources, Summary, sort_findings};
use crate::workspace::{self, Config, ReadLimits};
use crate::yaml::{self, Limits};
use clap::Args;
use miette::{IntoDiagnostic, miette};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `argovet check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default: the current directory).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Configuration file (default: `.argovet.yaml` found upward from the first path).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value = "error")]
    pub fail_on: FailOn,
    /// Worker threads (default: one per core). Output is identical for any value.
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    pub max_file_size: u64,
    /// Refuse YAML nested deeper than this.
    #[arg(long, default_value_t = 256)]
    pub max_depth: usize,
    /// Refuse YAML whose aliases expand to more nodes than this.
    #[arg(long, default_value_t = 100_000)]
    pub max_alias_nodes: usize,
    /// Colour in human output: auto (when stdout is a terminal and NO_COLOR is unset), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Schema validation.
    #[command(flatten)]
    pub schema: crate::schema::SchemaFlags,
    /// Rego policy options.
    #[command(flatten)]
    pub policy: crate::policy::PolicyFlags,
    /// ApplicationSet expansion inputs.
    #[command(flatten)]
    pub appset: super::appset::AppsetFlags,
}

/// `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Fail on errors only.
    Error,
    /// Fail on warnings and errors.
    Warning,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The result of checking a tree, before printing.
pub struct Checked {
    /// Sorted, filtered findings.
    pub findings: Vec<Finding>,
    /// Counts.
    pub summary: Summary,
    /// File texts, for snippets.
    pub sources: Sources,
}

/// Runs `check` and prints the report.
pub fn run(args: CheckArgs) -> miette::Result<Outcome> {
    let checked = match args.jobs {
        Some(n) => {
            rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().into_diagnostic()?.install(|| check(&args))?
        }
        None => check(&args)?,
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout())
        }
    };
    let report = Report { findings: &checked.findings, summary: &checked.summary, sources: &checked.sources, color };
    print!("{}", report::render(args.format, &report));
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    Ok(if checked.findings.iter().any(|f| f.severity >= threshold) { Outcome::Failure } else { Outcome::Success })
}

/// Discovers, loads and checks; no printing.
pub fn check(args: &CheckArgs) -> miette::Result<Checked> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    for p in &paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(miette!("{}: no such file or directory", p.display()));
        }
    }
    let config_path = args.config.clone().or_else(|| Config::find(&paths[0]));
    let config = match &config_path {
        Some(p) => Config::load(p).map_err(|e| miette!("{e}"))?,
        None => Config::default(),
    };
    let root = config.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let discovery = workspace::discover(&paths, &config.exclude, &root).map_err(|e| miette!("{e}"))?;
    let read_limits = ReadLimits { max_file_size: config.max_file_size.unwrap_or(args.max_file_size) };
    let yaml_limits = Limits { max_depth: args.max_depth, max_alias_nodes: args.max_alias_nodes };

    let mut findings = discovery.findings;
    let loaded: Vec<LoadedFile> =
        discovery.files.par_iter().map(|p| load_file(p, &read_limits, &yaml_limits)).collect();
    let mut sources = Sources::new();
    let mut docs = Vec::new();
    for (file, file_docs, file_findings) in loaded {
        if let Some(f) = file {
            sources.insert(f.path.clone(), f);
        }
        docs.extend(file_docs);
        findings.extend(file_findings);
    }

    let validator = crate::schema::Validator::for_check(&args.schema, &config).map_err(|e| miette!("{e}"))?;
    let (generated, appset_findings) = super::appset::expand_in_check(&docs, &args.appset, &config, &paths[0])?;
    findings.extend(appset_findings);
    docs.extend(generated);

    let enabled = |id: &str| config.enabled(id);
    let per_doc: Vec<Finding> = docs
        .par_iter()
        .flat_map_iter(|d| {
            let mut out = Vec::new();
            lint::check_document(d, &enabled, &mut out);
            validator.check(d, &mut out);
            if d.kind == crate::model::DocKind::ArgoCdCm {
                out.extend(crate::health::check_argocd_cm(d));
            }
            out
        })
        .collect();
    findings.extend(per_doc);
    lint::check_all(&docs, &enabled, &mut findings);
    findings.extend(crate::policy::check_documents(&docs, &args.policy, &config)?);

    let findings = finish(findings, &config, &sources);
    let mut summary = Summary { files: sources.len(), documents: docs.len(), ..Summary::default() };
    summary.count(&findings);
    Ok(Checked { findings, summary, sources })
}

/// A file's text (when it could be read), its documents, and the problems met reading and parsing it.
type LoadedFile = (Option<Arc<SourceFile>>, Vec<Document>, Vec<Finding>);

fn load_file(path: &std::path::Path, read: &ReadLimits, limits: &Limits) -> LoadedFile {
    let file = match workspace::read_source(path, read) {
        Ok(f) => Arc::new(f),
        Err(finding) => return (None, Vec::new(), vec![*finding]),
    };
    let loaded = yaml::load(&file.text, limits);
    let findings = loaded
        .issues
        .into_iter()
        .map(|i| {
            let mut f = Finding::new(i.kind.rule_id(), Severity::Error, file.path.clone(), i.span, i.message);
            f.help = i.help;
            f
        })
        .collect();
    let docs = loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)).collect();
    (Some(file), docs, findings)
}

/// Applies configuration (disabled rules, severity overrides) and inline suppressions, then sorts.
pub fn finish(findings: Vec<Finding>, config: &Config, sources: &Sources) -> Vec<Finding> {
    let mut out: Vec<Finding> = findings
        .into_iter()
        .filter(|f| config.enabled(&f.rule) && !suppressed(f, sources))
        .map(|mut f| {
            if let Some(s) = config.severity(&f.rule) {
                f.severity = s;
            }
            f
        })
        .collect();
    sort_findings(&mut out);
    out
}

/// `# argovet:ignore[rule-a, rule-b]` (or a bare `# argovet:ignore`) on the finding's line or the line above.
fn suppressed(f: &Finding, sources: &Sources) -> bool {
    let Some(src) = sources.get(&f.file) else {
        return false;
    };
    let line = f.span.line;
    let on_line = ignore_comment_covers(src.lines.line_text(&src.text, line), &f.rule);
    // The line above counts only when it is a comment line of its own, not another entry's trailing comment.
    let above = line > 1 && {
        let text = src.lines.line_text(&src.text, line - 1);
        text.trim_start().starts_with('#') && ignore_comment_covers(text, &f.rule)
    };
    on_line || above
}

fn ignore_comment_covers(line: &str, rule: &str) -> bool {
    let Some(pos) = line.find("argovet:ignore") else {
        return false;
    };
    if !line[..pos].contains('#') {
        return false;
    }
    let rest = &line[pos + "argovet:ignore".len()..];
    match rest.strip_prefix('[') {
        Some(list) => list.split(']').next().unwrap_or("").split(',').any(|r| r.trim() == rule),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::ignore_comment_covers;

    #[test]
    fn ignore_comments() {
        assert!(ignore_comment_covers("  x: yes # argovet:ignore[yaml-ambiguous-value]", "yaml-ambiguous-value"));
        assert!(ignore_comment_covers("# argovet:ignore[a, yaml-ambiguous-value]", "yaml-ambiguous-value"));
        assert!(!ignore_comment_covers("# argovet:ignore[other]", "yaml-ambiguous-value"));
        assert!(ignore_comment_covers("# argovet:ignore", "anything"));
        assert!(!ignore_comment_covers("x: argovet:ignore", "anything"));
    }
}
