//! `argovet appset generate` and `argovet appset diff`, and the ApplicationSet inputs of `check`.

use super::Outcome;
use crate::appset::diff::{DiffReport, Rendered};
use crate::appset::emit::to_yaml_stream;
use crate::appset::{self, CheckInputs, Cluster, GeneratorInput, Inputs, RepoSource};
use crate::cli::{write_stderr, write_stdout};
use crate::model::{DocKind, Document, SourceFile, classify};
use crate::report::Finding;
use crate::workspace::git::{self, GitRepos};
use crate::workspace::{Config, display_path};
use crate::yaml::{Limits, load};
use clap::{Args, Subcommand, ValueEnum};
use miette::miette;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// `argovet appset ...`.
#[derive(Debug, Args)]
pub struct AppsetArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: AppsetCommand,
}

/// The `appset` subcommands.
#[derive(Debug, Subcommand)]
pub enum AppsetCommand {
    /// Print the Applications an ApplicationSet generates, in the controller's order.
    Generate(GenerateArgs),
    /// Applications added, removed and changed between two revisions.
    Diff(DiffArgs),
}

/// Inputs for ApplicationSet expansion, shared by `check`, `appset generate` and `appset diff`.
#[derive(Debug, Clone, Default, Args)]
pub struct AppsetFlags {
    /// Cluster Secrets (a YAML file or a directory of them) for clusters generators. Repeatable.
    #[arg(long = "clusters", value_name = "PATH")]
    pub clusters: Vec<PathBuf>,
    /// A local clone standing in for a repoURL of git generators. Repeatable.
    #[arg(long = "repo", value_name = "URL=PATH")]
    pub repos: Vec<String>,
    /// Parameter sets for generators argovet cannot run offline (pullRequest, scmProvider,
    /// clusterDecisionResource, plugin); see docs/appset.md.
    #[arg(long, value_name = "FILE")]
    pub generator_input: Option<PathBuf>,
    /// Most Applications one ApplicationSet may generate (default 100000, or `maxApplications` in
    /// `.argovet.yaml`); larger sets are refused before they are rendered.
    #[arg(long, value_name = "N")]
    pub max_applications: Option<usize>,
    /// Treat missing expansion inputs as errors: repositories not mapped to a local clone, revisions
    /// missing from a shallow or single-branch clone, generators that need a live service.
    #[arg(long)]
    pub strict_inputs: bool,
}

/// The cap on Applications per ApplicationSet: the flag, else `maxApplications`, else the default.
fn max_applications(flags: &AppsetFlags, config: &Config) -> usize {
    flags.max_applications.or(config.max_applications).unwrap_or(appset::DEFAULT_MAX_APPLICATIONS)
}

/// `-o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateOutput {
    /// YAML documents separated by `---`.
    Yaml,
    /// One JSON array of Applications.
    Json,
}

/// `-o` of `appset diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffOutput {
    /// Readable text with unified diffs.
    Text,
    /// One JSON object for CI bots.
    Json,
}

/// Arguments of `appset generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The file holding the ApplicationSet(s).
    pub file: PathBuf,
    /// Expansion inputs.
    #[command(flatten)]
    pub inputs: AppsetFlags,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "yaml")]
    pub output: GenerateOutput,
    /// Configuration file (default: `.argovet.yaml` found upward from FILE).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Arguments of `appset diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Files or directories of the repository to render (default: the whole repository).
    pub paths: Vec<PathBuf>,
    /// The revision to compare against (branch, tag, SHA).
    #[arg(long)]
    pub base: String,
    /// The new revision (default: HEAD).
    #[arg(long)]
    pub head: Option<String>,
    /// Exit 1 when an Application would be deleted and its owner does not preserve resources.
    #[arg(long)]
    pub fail_on_delete: bool,
    /// Exit 1 when more than N Applications would be deleted.
    #[arg(long, value_name = "N")]
    pub max_deletions: Option<usize>,
    /// Expansion inputs.
    #[command(flatten)]
    pub inputs: AppsetFlags,
    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value = "text")]
    pub output: DiffOutput,
    /// Configuration file (default: `.argovet.yaml` found upward from the first path).
    #[arg(long)]
    pub config: Option<PathBuf>,
}

/// Runs an `appset` subcommand.
pub fn run(args: AppsetArgs) -> miette::Result<Outcome> {
    match args.command {
        AppsetCommand::Generate(a) => generate(a),
        AppsetCommand::Diff(a) => diff(a),
    }
}

/// Reads cluster Secrets from files and directories (`.yaml`/`.yml`, recursively).
pub fn load_clusters(paths: &[PathBuf]) -> miette::Result<Vec<Cluster>> {
    let mut out = Vec::new();
    for p in paths {
        let files: Vec<PathBuf> = if p.is_dir() {
            let mut f: Vec<PathBuf> = walkdir::WalkDir::new(p)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|f| f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            f.sort();
            f
        } else if p.is_file() {
            vec![p.clone()]
        } else {
            return Err(miette!("--clusters {}: no such file or directory", p.display()));
        };
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| miette!("{}: {e}", f.display()))?;
            let loaded = load(&text, &Limits::default());
            if let Some(i) = loaded.issues.first() {
                return Err(miette!("{}:{}: {}", f.display(), i.span.line, i.message));
            }
            for d in loaded.docs {
                if classify(&d.value) == DocKind::ClusterSecret {
                    out.push(Cluster::from_secret(&d.value).map_err(|e| miette!("{}: {e}", f.display()))?);
                }
            }
        }
    }
    Ok(out)
}

/// Reads `--generator-input`.
fn load_generator_input(path: Option<&Path>) -> miette::Result<Option<GeneratorInput>> {
    let Some(p) = path else { return Ok(None) };
    let text = std::fs::read_to_string(p).map_err(|e| miette!("--generator-input {}: {e}", p.display()))?;
    let loaded = load(&text, &Limits::default());
    if let Some(i) = loaded.issues.first() {
        return Err(miette!("--generator-input {}:{}: {}", p.display(), i.span.line, i.message));
    }
    let v = loaded.docs.into_iter().next().map(|d| d.value).unwrap_or(Value::Null);
    GeneratorInput::from_value(&v).map(Some).map_err(|e| miette!("{}: {e}", p.display()))
}

/// `--repo` flags first, then `.argovet.yaml` `repos:`, then the `origin` of the repository
/// containing `start`.
fn repo_map(flags: &AppsetFlags, config: &Config, start: &Path) -> miette::Result<GitRepos> {
    repo_map_among(flags, config, start, &[])
}

/// [`repo_map`], then the `origin`s of the repositories containing `others` (each maps only URLs still unmapped).
fn repo_map_among(flags: &AppsetFlags, config: &Config, start: &Path, others: &[PathBuf]) -> miette::Result<GitRepos> {
    let mut repos = GitRepos::new();
    for r in &flags.repos {
        let (url, path) = git::parse_repo_flag(r).map_err(|e| miette!("{e}"))?;
        repos.map(&url, path);
    }
    for (url, path) in &config.repos {
        repos.map(url, path.clone());
    }
    repos.map_origin_of(start);
    for o in others {
        repos.map_origin_of(o);
    }
    Ok(repos)
}

/// The working trees (canonical) of the git repositories holding `paths`, each once, in the order of
/// `paths`. Paths outside any repository are skipped.
fn repository_roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    for p in paths {
        let Ok(repo) = git::open(p) else { continue };
        let Some(root) = repo.workdir().and_then(|w| std::fs::canonicalize(w).ok()) else { continue };
        if !roots.contains(&root) {
            roots.push(root);
        }
    }
    roots
}

fn load_config(explicit: Option<&PathBuf>, start: &Path) -> miette::Result<Config> {
    match explicit.cloned().or_else(|| Config::find(start)) {
        Some(p) => Config::load(&p).map_err(|e| miette!("{e}")),
        None => Ok(Config::default()),
    }
}

/// Loads the `check` inputs, expands every ApplicationSet of `docs` and returns the generated
/// Applications and the engine's findings.
///
/// Each of `paths` stands for its own git repository: an ApplicationSet in a file of that repository reads
/// the repository's `origin` URL from that very clone (explicit `--repo`/`repos:` mappings first, then the
/// origins of the other PATHs' repositories). Files outside every PATH's repository use the first PATH's
/// mapping.
pub fn expand_in_check(
    docs: &[Document],
    flags: &AppsetFlags,
    config: &Config,
    paths: &[PathBuf],
) -> miette::Result<(Vec<Document>, Vec<Finding>)> {
    if !docs.iter().any(|d| d.kind == DocKind::ApplicationSet) {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut cluster_paths = flags.clusters.clone();
    cluster_paths.extend(config.clusters.iter().cloned());
    let clusters = load_clusters(&cluster_paths)?;
    let start = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let roots = repository_roots(paths);
    let repos = repo_map_among(flags, config, &start, &roots)?;
    let mut per_root: Vec<(PathBuf, GitRepos)> = Vec::with_capacity(roots.len());
    for root in &roots {
        per_root.push((root.clone(), repo_map_among(flags, config, root, &roots)?));
    }
    let repo_for = |d: &Document| -> Option<&dyn RepoSource> {
        if per_root.len() < 2 {
            return None;
        }
        let file = std::fs::canonicalize(&*d.file.path).ok()?;
        per_root
            .iter()
            .filter(|(root, _)| file.starts_with(root))
            .max_by_key(|(root, _)| root.as_os_str().len())
            .map(|(_, r)| r as &dyn RepoSource)
    };
    let gi = load_generator_input(flags.generator_input.as_deref())?;
    let inputs = CheckInputs {
        clusters: &clusters,
        clusters_given: !cluster_paths.is_empty(),
        base: Inputs {
            clusters: &[],
            clusters_given: false,
            repos: Some(&repos),
            generator_input: gi.as_ref(),
            max_applications: max_applications(flags, config),
            max_template_steps: appset::DEFAULT_MAX_TEMPLATE_STEPS,
        },
        repo_for: Some(&repo_for),
        strict_inputs: flags.strict_inputs,
        owners: appset::check::Owners {
            style_mismatch: config.enabled("appset-template-style-mismatch"),
            gotemplate_syntax: config.enabled("appset-gotemplate-syntax"),
            undefined_param: config.enabled("appset-undefined-param"),
        },
    };
    Ok(appset::expand_all_for_check(docs, &inputs))
}

fn generate(args: GenerateArgs) -> miette::Result<Outcome> {
    let text = std::fs::read_to_string(&args.file).map_err(|e| miette!("{}: {e}", args.file.display()))?;
    let config = load_config(args.config.as_ref(), &args.file)?;
    let loaded = load(&text, &Limits::default());
    if let Some(i) = loaded.issues.first() {
        write_stderr(&format!(
            "argovet: {}:{}:{}: {}\n",
            display_path(&args.file),
            i.span.line,
            i.span.column,
            i.message
        ));
        return Ok(Outcome::Failure);
    }
    let mut cluster_paths = args.inputs.clusters.clone();
    cluster_paths.extend(config.clusters.iter().cloned());
    let mut clusters = load_clusters(&cluster_paths)?;
    let mut given = !cluster_paths.is_empty();
    for d in &loaded.docs {
        if classify(&d.value) == DocKind::ClusterSecret {
            clusters.push(Cluster::from_secret(&d.value).map_err(|e| miette!("{e}"))?);
            given = true;
        }
    }
    let repos = repo_map(&args.inputs, &config, &args.file)?;
    let gi = load_generator_input(args.inputs.generator_input.as_deref())?;
    let inputs = Inputs {
        clusters: &clusters,
        clusters_given: given,
        repos: Some(&repos as &dyn RepoSource),
        generator_input: gi.as_ref(),
        max_applications: max_applications(&args.inputs, &config),
        max_template_steps: appset::DEFAULT_MAX_TEMPLATE_STEPS,
    };
    let sets: Vec<&Value> =
        loaded.docs.iter().map(|d| &d.value).filter(|v| classify(v) == DocKind::ApplicationSet).collect();
    if sets.is_empty() {
        return Err(miette!("{}: no ApplicationSet (argoproj.io/v1alpha1) in this file", args.file.display()));
    }
    let mut apps = Vec::new();
    let mut failed = false;
    for set in sets {
        let ex = appset::expand(set, &inputs);
        for u in &ex.unavailable {
            // `generate` prints the Applications: a generator left out of an incomplete clone would make the
            // output silently short, so that fails here (in `check` it is a warning); `--strict-inputs` fails
            // on any missing input.
            if args.inputs.strict_inputs || u.incomplete_clone {
                let why = if u.incomplete_clone { "" } else { " (--strict-inputs)" };
                write_stderr(&format!("argovet: error: ApplicationSet {}: {}{why}\n", ex.appset, u.message));
                failed = true;
            } else {
                write_stderr(&format!("argovet: note: ApplicationSet {}: {}\n", ex.appset, u.message));
            }
        }
        for e in &ex.errors {
            write_stderr(&format!("argovet: error: ApplicationSet {}: {}\n", ex.appset, e.message));
            failed = true;
        }
        apps.extend(ex.apps.into_iter().map(|a| a.value));
    }
    if failed {
        return Ok(Outcome::Failure);
    }
    match args.output {
        GenerateOutput::Json => {
            let text = serde_json::to_string_pretty(&apps).map_err(|e| miette!("{e}"))?;
            write_stdout(format!("{text}\n"))?;
        }
        GenerateOutput::Yaml => write_stdout(to_yaml_stream(apps.iter()))?,
    }
    Ok(Outcome::Success)
}

/// What every revision of `appset diff` is rendered with.
struct DiffContext<'a> {
    repo: &'a git2::Repository,
    root: &'a Path,
    prefixes: &'a [String],
    flags: &'a AppsetFlags,
    config: &'a Config,
    clusters: &'a [Cluster],
    gi: Option<&'a GeneratorInput>,
}

/// Renders every ApplicationSet and Application under the context's prefixes at `commit`.
fn render_revision(
    cx: &DiffContext<'_>,
    commit: git2::Oid,
    label: &str,
) -> miette::Result<(Vec<Rendered>, Vec<String>)> {
    let DiffContext { repo, root, prefixes, flags, config, clusters, gi } = *cx;
    let files = git::yaml_files_at(repo, commit, prefixes).map_err(|e| miette!("{label}: {e}"))?;
    let mut repos = repo_map(flags, config, root)?;
    if let Some((url, _)) = git::origin_url(root) {
        repos.pin_head(&url, commit);
    }
    let mut docs = Vec::new();
    for (path, text) in files {
        let file = Arc::new(SourceFile::new(path.as_str(), text));
        for d in load(&file.text, &Limits::default()).docs {
            docs.push(Document::new(file.clone(), d.index, d.value, d.map));
        }
    }
    let mut all_clusters = clusters.to_vec();
    for d in docs.iter().filter(|d| d.kind == DocKind::ClusterSecret) {
        if let Ok(c) = Cluster::from_secret(&d.value) {
            all_clusters.push(c);
        }
    }
    let inputs = Inputs {
        clusters: &all_clusters,
        clusters_given: !all_clusters.is_empty(),
        repos: Some(&repos),
        generator_input: gi,
        max_applications: max_applications(flags, config),
        max_template_steps: appset::DEFAULT_MAX_TEMPLATE_STEPS,
    };
    let mut rendered = Vec::new();
    let mut problems = Vec::new();
    let mut plain: BTreeMap<String, BTreeMap<String, Value>> = BTreeMap::new();
    for d in &docs {
        match d.kind {
            DocKind::ApplicationSet => {
                let ex = appset::expand(&d.value, &inputs);
                for e in &ex.errors {
                    problems.push(format!("{label}: {}: ApplicationSet {}: {}", d.file.path, ex.appset, e.message));
                }
                for u in &ex.unavailable {
                    problems
                        .push(format!("{label}: note: {}: ApplicationSet {}: {}", d.file.path, ex.appset, u.message));
                }
                rendered.push(Rendered {
                    owner: format!("ApplicationSet/{}", ex.appset),
                    appset: Some(d.value.clone()),
                    apps: ex.apps.into_iter().map(|a| (a.name().to_string(), a.value)).collect(),
                });
            }
            DocKind::Application => {
                if let Some(name) = d.name() {
                    plain.entry(d.file.path.to_string()).or_default().insert(name.to_string(), d.value.clone());
                }
            }
            _ => {}
        }
    }
    for (file, apps) in plain {
        rendered.push(Rendered { owner: file, appset: None, apps });
    }
    Ok((rendered, problems))
}

fn diff(args: DiffArgs) -> miette::Result<Outcome> {
    let start = args.paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    for p in &args.paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(miette!("{}: no such file or directory", p.display()));
        }
    }
    let repo = git::open(&start).map_err(|e| miette!("{e}"))?;
    let root =
        repo.workdir().ok_or_else(|| miette!("{}: a bare repository has no paths", start.display()))?.to_path_buf();
    let root_abs = std::fs::canonicalize(&root).map_err(|e| miette!("{}: {e}", root.display()))?;
    let mut prefixes = Vec::new();
    for p in &args.paths {
        let abs = std::fs::canonicalize(p).map_err(|e| miette!("{}: {e}", p.display()))?;
        let rel = abs
            .strip_prefix(&root_abs)
            .map_err(|_| miette!("{}: not inside the repository at {}", p.display(), root.display()))?;
        prefixes.push(display_path(rel));
    }
    let config = load_config(args.config.as_ref(), &start)?;
    let mut cluster_paths = args.inputs.clusters.clone();
    cluster_paths.extend(config.clusters.iter().cloned());
    let clusters = load_clusters(&cluster_paths)?;
    let gi = load_generator_input(args.inputs.generator_input.as_deref())?;
    let base = git::resolve_cli_revision(&repo, &args.base).map_err(|e| miette!("--base: {e}"))?;
    let head_rev = args.head.clone().unwrap_or_else(|| "HEAD".into());
    let head = git::resolve_cli_revision(&repo, &head_rev).map_err(|e| miette!("--head: {e}"))?;
    let cx = DiffContext {
        repo: &repo,
        root: &root,
        prefixes: &prefixes,
        flags: &args.inputs,
        config: &config,
        clusters: &clusters,
        gi: gi.as_ref(),
    };
    let (b, base_problems) = render_revision(&cx, base, "base")?;
    let (h, head_problems) = render_revision(&cx, head, "head")?;
    for p in base_problems.iter().chain(&head_problems) {
        write_stderr(&format!("argovet: {p}\n"));
    }
    let head_failed = head_problems.iter().any(|p| !p.contains(": note: "));
    let report = appset::diff::diff(&b, &h);
    match args.output {
        DiffOutput::Json => {
            let v = serde_json::json!({
                "base": base.to_string(),
                "head": head.to_string(),
                "added": report.added,
                "removed": report.removed,
                "changed": report.changed,
                "rollingSync": report.rolling_sync,
                "summary": {"added": report.added.len(), "removed": report.removed.len(), "changed": report.changed.len(),
                    "unprotectedDeletions": report.unprotected_deletions()},
            });
            let text = serde_json::to_string_pretty(&v).map_err(|e| miette!("{e}"))?;
            write_stdout(format!("{text}\n"))?;
        }
        DiffOutput::Text => write_stdout(text_report(&report, &args.base, &head_rev))?,
    }
    let too_many = args.max_deletions.is_some_and(|n| report.removed.len() > n);
    let unsafe_delete = args.fail_on_delete && report.unprotected_deletions() > 0;
    if too_many {
        write_stderr(&format!(
            "argovet: {} Applications would be deleted, more than --max-deletions {}\n",
            report.removed.len(),
            args.max_deletions.unwrap_or(0)
        ));
    }
    if unsafe_delete {
        write_stderr(&format!(
            "argovet: {} Applications would be deleted together with their resources (--fail-on-delete)\n",
            report.unprotected_deletions()
        ));
    }
    Ok(if too_many || unsafe_delete || head_failed { Outcome::Failure } else { Outcome::Success })
}

/// The human report of `appset diff`.
pub fn text_report(r: &DiffReport, base: &str, head: &str) -> String {
    let mut out = format!("Applications {base}..{head}\n");
    for e in &r.added {
        out.push_str(&format!("+ {} ({})\n", e.name, e.owner));
    }
    for e in &r.removed {
        let what =
            if e.resources_preserved == Some(true) { "resources preserved" } else { "its resources are deleted" };
        out.push_str(&format!("- {} ({}; {what})\n", e.name, e.owner));
    }
    for c in &r.changed {
        out.push_str(&format!("~ {} ({})\n", c.name, c.owner));
        for line in c.diff.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    for rs in &r.rolling_sync {
        out.push_str(&format!("RollingSync steps of ApplicationSet/{}:\n", rs.appset));
        for s in &rs.steps {
            let label = if s.step == 0 {
                "no step (never synced by the strategy)".to_string()
            } else {
                format!("step {}", s.step)
            };
            let apps = if s.applications.is_empty() { "(none)".to_string() } else { s.applications.join(", ") };
            out.push_str(&format!("  {label}: {apps}\n"));
        }
    }
    out.push_str(&format!("{} added, {} removed, {} changed\n", r.added.len(), r.removed.len(), r.changed.len()));
    out
}
