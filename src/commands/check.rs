//! `argovet check`: discover, load, run every check, filter, sort, print.

use super::Outcome;
use super::progress::{self, Progress};
use super::suppress;
use crate::baseline::{Baseline, Keyer, ObjectIndex};
use crate::cli::{write_stderr, write_stdout};
use crate::lint;
use crate::model::{DocKind, Document, Placement, ReadAs, Role, SourceFile};
use crate::repo;
use crate::report::{self, Finding, Format, Report, Severity, Sources, Summary, sort_findings};
use crate::workspace::{self, Config, Discovery, ReadLimits, changed, context, git};
use crate::yaml::{self, Limits};
use clap::Args;
use miette::{IntoDiagnostic, miette};
use rayon::prelude::*;
use std::collections::BTreeSet;
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
    /// Colour in human output: auto (when stdout is a terminal and NO_COLOR is unset or empty), always, never.
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
    /// Check only the YAML files changed since REV (any git revision: `origin/main`, a SHA, `HEAD~3`), compared
    /// like `git diff REV...` plus uncommitted work: from the merge base of REV and HEAD to the working tree
    /// (staged, unstaged, untracked), and the ApplicationSets whose git generators read a changed path.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
    /// Check the given files alone: do not read AppProjects, cluster Secrets, argocd-cm and other context
    /// documents from the rest of the project.
    #[arg(long)]
    pub no_context: bool,
    /// Do not report findings recorded in this baseline file (see `--write-baseline`).
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record every current finding in FILE (a baseline for `--baseline`), print nothing else and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Print findings only: no summary line, no progress bar, no notes on stderr.
    #[arg(short, long)]
    pub quiet: bool,
    /// Also run opt-in rules: a category (`best-practice`), a rule id, an id prefix ending in `/`
    /// (`policy/argocd/`), or `all` (repeatable; adds to `select:` of `.argovet.yaml`).
    #[arg(long, value_name = "RULES")]
    pub select: Vec<String>,
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
    /// Colour when stdout is a terminal and `NO_COLOR` is unset or empty.
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
    /// The documents of the checked files, for baselines.
    pub objects: ObjectIndex,
    /// The project root baseline paths are relative to.
    pub root: PathBuf,
    /// Every checked file's role.
    pub model: repo::Model,
    /// The deployment units, and which Application deploys which directory.
    pub units: repo::Units,
}

/// Runs `check` and prints the report.
pub fn run(args: CheckArgs) -> miette::Result<Outcome> {
    let checked = match args.jobs {
        Some(n) => {
            rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build().into_diagnostic()?.install(|| check(&args))?
        }
        None => check(&args)?,
    };
    if let Some(path) = &args.write_baseline {
        let keyer = Keyer { root: &checked.root, objects: &checked.objects };
        let baseline = Baseline::record(&checked.findings, &keyer);
        std::fs::write(path, baseline.to_json()).map_err(|e| {
            miette!(
                "cannot write the baseline {}: {e}; check that its directory exists and is writable",
                path.display()
            )
        })?;
        if !args.quiet {
            write_stderr(&format!(
                "argovet: wrote {} finding{} ({} distinct) to {}\n",
                checked.findings.len(),
                if checked.findings.len() == 1 { "" } else { "s" },
                baseline.findings.len(),
                path.display()
            ));
        }
        return Ok(Outcome::Success);
    }
    let color = use_color(
        args.color,
        std::env::var_os("NO_COLOR").as_deref(),
        std::io::IsTerminal::is_terminal(&std::io::stdout()),
    );
    let report = Report { findings: &checked.findings, summary: &checked.summary, sources: &checked.sources, color };
    if args.quiet {
        write_stdout(report::render_quiet(args.format, &report))?;
    } else {
        write_stdout(report::render(args.format, &report))?;
        if let (Some(n), Some(path)) = (checked.summary.suppressed, &args.baseline)
            && args.format != Format::Human
        {
            write_stderr(&format!(
                "argovet: {n} finding{} suppressed by the baseline {}\n",
                if n == 1 { "" } else { "s" },
                path.display()
            ));
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let fail_on_warn = args.policy.fail_on_warn;
    let fails = |f: &Finding| f.severity >= threshold || (fail_on_warn && crate::policy::is_policy_warning(f));
    Ok(if checked.findings.iter().any(fails) { Outcome::Failure } else { Outcome::Success })
}

/// Whether the human format uses colour: `always` and `never` as said; `auto` when stdout is a terminal and
/// `NO_COLOR` is unset or empty (<https://no-color.org>).
pub fn use_color(choice: ColorChoice, no_color: Option<&std::ffi::OsStr>, stdout_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => no_color.is_none_or(|v| v.is_empty()) && stdout_is_terminal,
    }
}

/// Discovers, loads and checks; no printing.
///
/// With `--changed-since`, or when files (not directories) are named, only those files are reported on, but the
/// context documents of the whole project (see [`workspace::context`]) take part in the cross-document checks.
pub fn check(args: &CheckArgs) -> miette::Result<Checked> {
    let started = std::time::Instant::now();
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    for p in &paths {
        if std::fs::symlink_metadata(p).is_err() {
            return Err(miette!("{}: no such file or directory", p.display()));
        }
    }
    let config_path = args.config.clone().or_else(|| Config::find(&paths[0]));
    let mut config = match &config_path {
        Some(p) => Config::load(p).map_err(|e| miette!("{e}"))?,
        None => Config::default(),
    };
    config.select.extend(args.select.iter().cloned());
    // Asking for the Kubernetes pack selects its rules (all of them best-practice opinions).
    let pack = std::path::Path::new(crate::policy::KUBERNETES_PACK);
    if args.policy.policy.iter().chain(&config.policies).any(|p| p.ends_with(pack) || p.as_os_str() == pack.as_os_str())
    {
        config.select.push("policy/kubernetes/".into());
    }
    let config = config;
    let root = config.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let project = context::project_root(&config, &paths[0]);
    let changes = match &args.changed_since {
        Some(rev) => Some(changed::changed_since(&paths[0], rev).map_err(|e| miette!("{e}"))?),
        None => None,
    };
    let discovery = match &changes {
        Some(c) => changed_files(c, &paths, &config)?,
        None => workspace::discover(&paths, &config.exclude, &root).map_err(|e| miette!("{e}"))?,
    };
    let read_limits = ReadLimits { max_file_size: config.max_file_size.unwrap_or(args.max_file_size) };
    let yaml_limits = Limits { max_depth: args.max_depth, max_alias_nodes: args.max_alias_nodes };
    let with_context =
        !args.no_context && project.is_some() && (changes.is_some() || paths.iter().any(|p| !p.is_dir()));
    let stderr_tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let mut progress =
        Progress::new(progress::wanted(discovery.files.len(), args.format == Format::Human, args.quiet, stderr_tty));

    // Context first: with --changed-since, ApplicationSets reading changed paths join the checked files.
    let mut targets = discovery.files;
    let mut context_docs = Vec::new();
    if with_context && let Some(project) = &project {
        context_docs = load_context(project, &targets, &config, &read_limits, &yaml_limits)?;
        if let Some(c) = &changes {
            let this_repo = repository_urls(c, &args.appset, &config);
            let is_this_repo =
                |url: &str| this_repo.is_empty() || url.contains("{{") || this_repo.contains(&git::normalize_url(url));
            let promoted: BTreeSet<Arc<str>> = context_docs
                .iter()
                .filter(|d| {
                    d.kind == DocKind::ApplicationSet && changed::appset_reads(&d.value, &c.paths, &is_this_repo)
                })
                .map(|d| d.file.path.clone())
                .collect();
            context_docs.retain(|d| !promoted.contains(&d.file.path));
            targets.extend(promoted.iter().map(|p| PathBuf::from(&**p)));
            targets.sort();
            targets.dedup();
        }
    }
    let context_files: BTreeSet<Arc<str>> = context_docs.iter().map(|d| d.file.path.clone()).collect();

    // The repository model: every file's role decides how it is read. `ARGOVET_TIMINGS=1` prints what the
    // model's stages cost (for the figures in docs/repository.md).
    let timings = std::env::var_os("ARGOVET_TIMINGS").is_some();
    let model_started = std::time::Instant::now();
    let target_names: Vec<String> = targets.iter().map(|p| workspace::display_path(p)).collect();
    let structural = workspace::structural_texts(&targets, &discovery.kustomizations, &discovery.walked, &read_limits);
    let scopes: Vec<String> = paths.iter().map(|p| workspace::display_path(p)).collect();
    let mut model = repo::Model::build(&target_names, &structural, &config.declared_roles(), &scopes);
    type WithRole = Vec<(PathBuf, Role)>;
    let (targets, skipped): (WithRole, WithRole) = targets
        .into_iter()
        .zip(&target_names)
        .map(|(p, name)| (p, model.role(name)))
        .partition(|(_, role)| role.read_as() != ReadAs::Skip);

    let model_time = model_started.elapsed();
    progress.stage("reading", targets.len());
    let mut findings = discovery.findings;
    // The policies compile while the files are read: nothing else waits for them until the policy pass.
    let (policies, loaded) = rayon::join(
        || crate::policy::Policies::load(&args.policy, &config),
        || {
            targets
                .par_iter()
                .map(|(p, role)| {
                    let l = load_file(p, *role, &read_limits, &yaml_limits);
                    progress.tick();
                    l
                })
                .collect::<Vec<LoadedFile>>()
        },
    );
    let policies = policies.map_err(|e| miette!("{e}"))?;
    let mut sources = Sources::new();
    let mut docs = Vec::new();
    let mut empty_files = Vec::new();
    let mut not_read: Vec<(String, Role)> =
        skipped.iter().map(|(p, role)| (workspace::display_path(p), *role)).collect();
    for (file, role, file_docs, file_findings) in loaded {
        if let Some(f) = &file {
            if role != model.role(&f.path) {
                model.set_role(&f.path, role);
            }
            if role.read_as() == ReadAs::Skip {
                not_read.push((f.path.to_string(), role));
                continue;
            }
        }
        if let Some(f) = file {
            if role.read_as() == ReadAs::Manifest && file_docs.is_empty() && file_findings.is_empty() {
                empty_files.push(f.clone());
            }
            sources.insert(f.path.clone(), f);
        }
        docs.extend(file_docs);
        findings.extend(file_findings);
    }
    // Partial documents (patches, test assertions) are checked on their own, never compared with others.
    let (mut partial_docs, mut docs): (Vec<Document>, Vec<Document>) = docs.into_iter().partition(Document::partial);
    let checked_docs = docs.len();
    let objects = ObjectIndex::new(&docs);

    // Order: checked documents; context documents other than Applications and ApplicationSets; context
    // Applications; context ApplicationSets (left out of the expansion); then the generated Applications.
    let rank = |d: &Document| match d.kind {
        DocKind::Application => 1,
        DocKind::ApplicationSet => 2,
        _ => 0,
    };
    context_docs.sort_by_key(rank);
    let policy_context = context_docs.iter().filter(|d| rank(d) == 0).count();
    let expandable = checked_docs + context_docs.iter().filter(|d| rank(d) < 2).count();
    docs.extend(context_docs);
    let all_loaded = docs.len();

    let validator = crate::schema::Validator::for_check(&args.schema, &config).map_err(|e| miette!("{e}"))?;
    let (generated, appset_findings) =
        super::appset::expand_in_check(&docs[..expandable], &args.appset, &config, &paths)?;
    findings.extend(appset_findings);
    let generated_count = generated.len();
    docs.extend(generated);

    // Deployment units, now that the generated Applications say what they deploy.
    let units_started = std::time::Instant::now();
    let units = repo::Units::compute(&model, &docs, &local_repositories(&paths), &config.declared_units());
    for d in docs.iter_mut().chain(partial_docs.iter_mut()) {
        if !context_files.contains(&d.file.path) {
            d.placement = units.placement(&d.file.path);
        }
    }
    let units_time = units_started.elapsed();
    findings.extend(crate::appset::check::duplicate_findings(&docs[..expandable], &docs[all_loaded..]));

    progress.stage("checking", checked_docs + generated_count);
    let enabled = |id: &str| config.enabled(id);
    let per_doc: Vec<Finding> = docs[..checked_docs]
        .par_iter()
        .chain(docs[all_loaded..].par_iter())
        .chain(partial_docs.par_iter())
        .flat_map_iter(|d| {
            let mut out = Vec::new();
            lint::check_document(d, &enabled, &mut out);
            validator.check(d, &mut out);
            if d.kind == DocKind::ArgoCdCm {
                out.extend(crate::health::check_argocd_cm(d));
            }
            if d.partial() {
                out.retain(|f| !repo::reports_absence(&f.rule));
            }
            progress.tick();
            out
        })
        .collect();
    findings.extend(per_doc);
    lint::check_all(&docs, &enabled, &mut findings);
    // Policies compare Applications with AppProjects, HPAs and the like, not with other Applications: context
    // Applications and ApplicationSets would only cost per-document evaluations whose findings are dropped.
    docs.drain(checked_docs + policy_context..all_loaded);
    findings.extend(policies.check_with_empty_files(&docs, &empty_files, &enabled).map_err(|e| miette!("{e}"))?);
    progress.finish();
    repo::scope_project_findings(&mut findings, &docs, &units);
    repo::drop_placeholder_findings(&mut findings, &sources);
    if !context_files.is_empty() {
        findings.retain(|f| !context_files.contains(&f.file));
    }

    let findings = crate::appset::fold_generated(findings, &docs, &enabled);
    let mut findings = finish(findings, &config, &sources, &suppress::RuleIds::new(&policies));
    report::one_per_node(&mut findings);
    let baseline_root = project.clone().unwrap_or_else(|| PathBuf::from("."));
    let mut suppressed = None;
    if let Some(path) = &args.baseline {
        let text =
            std::fs::read_to_string(path).map_err(|e| miette!("cannot read the baseline {}: {e}", path.display()))?;
        let baseline = Baseline::parse(&text, &path.display().to_string()).map_err(|e| miette!("{e}"))?;
        let (kept, n) = baseline.suppress(findings, &Keyer { root: &baseline_root, objects: &objects });
        findings = kept;
        suppressed = Some(n);
    }
    if timings {
        crate::cli::write_stderr(&format!(
            "argovet: timings: roles {:.1} ms, units {:.1} ms, check {:.1} ms in all\n",
            model_time.as_secs_f64() * 1e3,
            units_time.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        ));
    }
    let mut summary = Summary {
        files: sources.len(),
        documents: checked_docs + partial_docs.len() + generated_count,
        suppressed,
        ..Summary::default()
    };
    for (_, role) in &not_read {
        *summary.not_read.entry(role.name().to_string()).or_default() += 1;
    }
    summary.count(&findings);
    Ok(Checked { findings, summary, sources, objects, root: baseline_root, model, units })
}

/// The changed files a walk would check, named relative to the current directory, restricted to `paths`.
fn changed_files(changes: &changed::Changes, paths: &[PathBuf], config: &Config) -> miette::Result<Discovery> {
    let scopes: Vec<PathBuf> = paths.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    let root = std::fs::canonicalize(&changes.root).unwrap_or_else(|_| changes.root.clone());
    let mut findings = Vec::new();
    let mut existing: Vec<PathBuf> = Vec::new();
    for p in changes.paths.iter().map(|p| root.join(p)) {
        if !p.is_file() || !scopes.iter().any(|s| p.starts_with(s)) {
            continue;
        }
        // A changed symlink that leaves the repository is never read (see `workspace::discover`).
        match std::fs::canonicalize(&p) {
            Ok(target) if !target.starts_with(&root) => {
                if workspace::has_yaml_extension(&p) {
                    // Named as the link, not its target (`relative_to_cwd` resolves links).
                    let parent = p.parent().map(context::relative_to_cwd).unwrap_or_default();
                    let link = parent.join(p.file_name().unwrap_or_default());
                    findings.push(workspace::outside_link(&link, &target, &root));
                }
            }
            _ => existing.push(p),
        }
    }
    let exclude_root = config.dir.as_ref().and_then(|d| std::fs::canonicalize(d).ok()).unwrap_or_else(|| root.clone());
    let files = workspace::select_files(&existing, &config.exclude, &exclude_root).map_err(|e| miette!("{e}"))?;
    Ok(Discovery {
        files: files.iter().map(|p| context::relative_to_cwd(p)).collect(),
        findings,
        ..Discovery::default()
    })
}

/// The normalised URLs that name the repository `--changed-since` compares: its `origin` remote and every
/// `--repo`/`repos:` mapping to it. Empty when nothing names it (then every git generator is assumed to read it).
fn repository_urls(
    changes: &changed::Changes,
    flags: &super::appset::AppsetFlags,
    config: &Config,
) -> BTreeSet<String> {
    let root = std::fs::canonicalize(&changes.root).ok();
    let same = |p: &std::path::Path| {
        git::open(p).ok().and_then(|r| r.workdir().and_then(|w| std::fs::canonicalize(w).ok())) == root
    };
    let mut urls = BTreeSet::new();
    if let Some((url, _)) = git::origin_url(&changes.root) {
        urls.insert(git::normalize_url(&url));
    }
    let mapped = flags.repos.iter().filter_map(|r| git::parse_repo_flag(r).ok());
    for (url, path) in mapped.chain(config.repos.iter().map(|(u, p)| (u.clone(), p.clone()))) {
        if same(&path) {
            urls.insert(git::normalize_url(&url));
        }
    }
    urls
}

/// The context documents of the project: every file a walk of `project` finds, except `targets`, whose text may
/// hold a context document ([`context::may_hold_context`]); of those, the documents of a context kind. Problems
/// reading or parsing context files are not reported: those files are not being checked.
fn load_context(
    project: &std::path::Path,
    targets: &[PathBuf],
    config: &Config,
    read: &ReadLimits,
    limits: &Limits,
) -> miette::Result<Vec<Document>> {
    let exclude_root =
        config.dir.as_ref().and_then(|d| std::fs::canonicalize(d).ok()).unwrap_or_else(|| project.to_path_buf());
    let walk =
        workspace::discover(&[project.to_path_buf()], &config.exclude, &exclude_root).map_err(|e| miette!("{e}"))?;
    let checked: BTreeSet<PathBuf> = targets.iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
    let docs: Vec<Vec<Document>> = walk
        .files
        .par_iter()
        .filter(|p| !checked.contains(*p) && std::fs::canonicalize(p).is_ok_and(|c| !checked.contains(&c)))
        .map(|p| {
            let Ok(file) = workspace::read_source(&context::relative_to_cwd(p), read) else {
                return Vec::new();
            };
            if !context::may_hold_context(&file.text) {
                return Vec::new();
            }
            let file = Arc::new(file);
            yaml::load(&file.text, limits)
                .docs
                .into_iter()
                .map(|d| Document::new(file.clone(), d.index, d.value, d.map))
                .filter(|d| context::is_context(d.kind, &d.value))
                .collect()
        })
        .collect();
    let mut docs: Vec<Document> = docs.into_iter().flatten().collect();
    context::keep_scaled_workloads(&mut docs);
    Ok(docs)
}

/// A file's text (when it could be read), its role (which its contents may change), its documents, and the
/// problems met reading and parsing it.
type LoadedFile = (Option<Arc<SourceFile>>, Role, Vec<Document>, Vec<Finding>);

fn load_file(path: &std::path::Path, role: Role, read: &ReadLimits, limits: &Limits) -> LoadedFile {
    let file = match workspace::read_source(path, read) {
        Ok(f) => Arc::new(f),
        Err(finding) => return (None, role, Vec::new(), vec![*finding]),
    };
    let mut loaded = yaml::load(&file.text, limits);
    let role = repo::role_from_contents(role, &file.text, &loaded);
    if role.read_as() == ReadAs::Skip {
        return (Some(file), role, Vec::new(), Vec::new());
    }
    if role.read_by_kustomize() {
        for d in loaded.docs.iter_mut().filter(|d| d.yaml11_bools) {
            repo::kyaml::reread(&mut d.value, d.map.root(), &file.text);
        }
    }
    let findings: Vec<Finding> = loaded
        .issues
        .into_iter()
        .map(|i| {
            let mut f = Finding::new(i.kind.rule_id(), Severity::Error, file.path.clone(), i.span, i.message);
            f.help = i.help;
            f
        })
        .collect();
    // Who reads the file decides what a duplicated key does (measured with `kubectl kustomize`, kustomize
    // v5.5.0: "mapping key already defined"; Helm reads values with sigs.k8s.io/yaml as Kubernetes does).
    let duplicate = match role {
        Role::KustomizeResource | Role::KustomizePatch | Role::Kustomization => {
            Some("; `kustomize build` refuses the file (mapping key already defined)")
        }
        Role::HelmValues => Some("; Helm keeps this later value and silently drops the first"),
        _ => None,
    };
    let mut findings = findings;
    if let Some(consequence) = duplicate {
        for f in findings.iter_mut().filter(|f| f.rule == "yaml-duplicate-key") {
            if let Some(at) = f.message.find("; Kubernetes and Argo CD") {
                f.message.truncate(at);
                f.message.push_str(consequence);
            }
        }
    }
    if role.read_as() == ReadAs::Yaml {
        return (Some(file), role, Vec::new(), findings);
    }
    let placement = Arc::new(Placement { role, ..Placement::default() });
    let docs = loaded
        .docs
        .into_iter()
        .map(|d| {
            let mut doc = Document::new(file.clone(), d.index, d.value, d.map);
            doc.placement = placement.clone();
            doc
        })
        .collect();
    (Some(file), role, docs, findings)
}

/// Where the checked repositories are: the git work tree of each PATH (and the PATH itself), and their
/// `origin` URLs with the `--repo`/`repos:` mappings to them (left empty unless every one is known).
fn local_repositories(paths: &[PathBuf]) -> repo::Local {
    let mut roots = Vec::new();
    let mut urls = BTreeSet::new();
    let mut all_known = true;
    for p in paths {
        let dir = if p.is_dir() { p.clone() } else { p.parent().map(PathBuf::from).unwrap_or_default() };
        match git::origin_url(&dir) {
            Some((url, root)) => {
                urls.insert(git::normalize_url(&url));
                roots.push(workspace::display_path(&context::relative_to_cwd(&root)));
            }
            None => {
                all_known = false;
                if let Some(root) = git::open(&dir).ok().and_then(|r| r.workdir().map(PathBuf::from)) {
                    roots.push(workspace::display_path(&context::relative_to_cwd(&root)));
                }
            }
        }
        roots.push(workspace::display_path(&dir));
    }
    let roots = roots.into_iter().map(|r| if r == "." { String::new() } else { r }).collect::<Vec<_>>();
    let mut seen = BTreeSet::new();
    let roots = roots.into_iter().filter(|r| seen.insert(r.clone())).collect();
    repo::Local { roots, urls: if all_known { urls } else { BTreeSet::new() }, normalize: Some(git::normalize_url) }
}

/// Applies configuration (disabled rules, severity overrides) and inline suppressions, then sorts. `rules` says
/// which rule ids a suppression may name and which ran ([`suppress::RuleIds::new`] of the run's policies).
pub fn finish(findings: Vec<Finding>, config: &Config, sources: &Sources, rules: &suppress::RuleIds) -> Vec<Finding> {
    let enabled: Vec<Finding> = findings.into_iter().filter(|f| config.enabled(&f.rule)).collect();
    let mut out: Vec<Finding> = suppress::apply(enabled, sources, rules, config)
        .into_iter()
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

#[cfg(test)]
mod color_tests {
    use super::{ColorChoice, use_color};
    use std::ffi::OsStr;

    #[test]
    fn no_color_counts_only_when_non_empty_and_always_overrides_it() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(use_color(ColorChoice::Auto, None, true));
        assert!(!use_color(ColorChoice::Auto, set, true));
        assert!(use_color(ColorChoice::Auto, empty, true), "an empty NO_COLOR is unset");
        assert!(!use_color(ColorChoice::Auto, None, false), "not a terminal");
        assert!(use_color(ColorChoice::Always, set, false));
        assert!(!use_color(ColorChoice::Never, None, true));
    }
}
