//! `argovet health`: run Lua health checks and custom actions the way Argo CD runs them.

use super::Outcome;
use crate::cli::{write_stderr, write_stdout};
use crate::health::argocd_cm::{CmOverrides, object_key};
use crate::health::layout::Tree;
use crate::health::result::{self, HealthStatus};
use crate::health::sandbox::{self, Limits, RunOptions, Script};
use crate::health::suite::{Suite, status_json};
use crate::model::{DocKind, Document, SourceFile};
use crate::yaml;
use clap::{Args, Subcommand};
use miette::{IntoDiagnostic, miette};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `argovet health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: HealthCommand,
}

/// `argovet health` subcommands.
#[derive(Debug, Subcommand)]
pub enum HealthCommand {
    /// Run health_test.yaml / action_test.yaml suites (resource_customizations layout) and argocd-cm tests.
    Test(TestArgs),
    /// Run one health script on objects and print {"status": ..., "message": ...}.
    Run(RunArgs),
    /// Custom actions.
    Action(ActionArgs),
}

/// Sandbox limits shared by every subcommand.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Wall-clock budget per script run, in milliseconds (Argo CD: 1000).
    #[arg(long, default_value_t = 1000)]
    pub timeout_ms: u64,
    /// Memory limit per script run, in MiB.
    #[arg(long, default_value_t = 64)]
    pub memory_mib: usize,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        Limits { timeout: Duration::from_millis(self.timeout_ms.max(1)), memory: self.memory_mib.max(1) << 20 }
    }
}

/// `argovet health test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Directories in the resource_customizations layout, or argocd-cm files (default: `.`).
    pub paths: Vec<PathBuf>,
    /// Report, per script, which lines the tests executed and which they never reached.
    #[arg(long)]
    pub coverage: bool,
    /// Also list passing cases.
    #[arg(short, long)]
    pub verbose: bool,
    /// Worker threads (default: one per core). Output is identical for any value.
    #[arg(short = 'j', long)]
    pub jobs: Option<usize>,
    /// Limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `argovet health run`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["script", "argocd_cm"])))]
pub struct RunArgs {
    /// A health.lua file.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// An argocd-cm ConfigMap: the script is chosen by each object's group/Kind as Argo CD chooses it.
    #[arg(long)]
    pub argocd_cm: Option<PathBuf>,
    /// With --script: run without the open libraries (as an argocd-cm script without useOpenLibs).
    #[arg(long)]
    pub no_open_libs: bool,
    /// YAML file(s) with the object(s) to check; every document is checked.
    #[arg(required = true)]
    pub objects: Vec<PathBuf>,
    /// Limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `argovet health action`.
#[derive(Debug, Args)]
pub struct ActionArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: ActionCommand,
}

/// `argovet health action` subcommands.
#[derive(Debug, Subcommand)]
pub enum ActionCommand {
    /// Run an action.lua on an object and print the resources it returns.
    Run(ActionRunArgs),
    /// Run a discovery.lua on an object and print the actions it offers.
    Discover(DiscoverArgs),
}

/// `argovet health action run`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["script", "argocd_cm"])))]
pub struct ActionRunArgs {
    /// An action.lua file.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// An argocd-cm ConfigMap holding the action (needs --action).
    #[arg(long, requires = "action")]
    pub argocd_cm: Option<PathBuf>,
    /// The action's name.
    #[arg(long)]
    pub action: Option<String>,
    /// An action parameter, NAME=VALUE (repeatable).
    #[arg(long = "param", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// YAML file with the object.
    pub object: PathBuf,
    /// Limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `argovet health action discover`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("source").required(true).args(["script", "argocd_cm"])))]
pub struct DiscoverArgs {
    /// A discovery.lua file.
    #[arg(long)]
    pub script: Option<PathBuf>,
    /// An argocd-cm ConfigMap.
    #[arg(long)]
    pub argocd_cm: Option<PathBuf>,
    /// YAML file with the object.
    pub object: PathBuf,
    /// Limits.
    #[command(flatten)]
    pub limits: LimitArgs,
}

fn parse_param(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got `{s}`")),
    }
}

/// Runs `argovet health`.
pub fn run(args: HealthArgs) -> miette::Result<Outcome> {
    match args.command {
        HealthCommand::Test(a) => match a.jobs {
            Some(n) => rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .stack_size(16 << 20)
                .build()
                .into_diagnostic()?
                .install(|| test(&a)),
            None => {
                rayon::ThreadPoolBuilder::new().stack_size(16 << 20).build().into_diagnostic()?.install(|| test(&a))
            }
        },
        HealthCommand::Run(a) => run_health(&a),
        HealthCommand::Action(ActionArgs { command: ActionCommand::Run(a) }) => run_action(&a),
        HealthCommand::Action(ActionArgs { command: ActionCommand::Discover(a) }) => run_discover(&a),
    }
}

fn read_text(p: &Path) -> Result<String, String> {
    std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
}

fn is_skipped_dir(e: &walkdir::DirEntry) -> bool {
    e.depth() > 0
        && e.file_type().is_dir()
        && e.file_name().to_str().is_some_and(|n| n.starts_with('.') || n == "target" || n == "node_modules")
}

/// Loads the argocd-cm documents of a YAML file.
pub fn argocd_cm_documents(path: &Path, text: String) -> Vec<Document> {
    let file = Arc::new(SourceFile::new(path.to_string_lossy().replace('\\', "/"), text));
    let loaded = yaml::load(&file.text, &yaml::Limits::default());
    loaded
        .docs
        .into_iter()
        .map(|d| Document::new(file.clone(), d.index, d.value, d.map))
        .filter(|d| d.kind == DocKind::ArgoCdCm)
        .collect()
}

/// The test file of an argocd-cm file: `<stem>.health_test.yaml` beside it.
pub fn argocd_cm_tests_path(cm_file: &Path) -> PathBuf {
    let stem = cm_file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    cm_file.with_file_name(format!("{stem}.health_test.yaml"))
}

fn test(args: &TestArgs) -> miette::Result<Outcome> {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let mut files = Vec::new();
    for p in &paths {
        if std::fs::metadata(p).is_err() {
            return Err(miette!("{}: no such file or directory", p.display()));
        }
        // A test file given directly brings its kind directory (scripts, testdata) along.
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let root = match name {
            "health_test.yaml" => p.parent().unwrap_or(Path::new(".")).to_path_buf(),
            "action_test.yaml" => p.parent().and_then(Path::parent).unwrap_or(Path::new(".")).to_path_buf(),
            _ => p.clone(),
        };
        let root = if root.as_os_str().is_empty() { PathBuf::from(".") } else { root };
        for e in walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().filter_entry(|e| !is_skipped_dir(e)) {
            let e = e.into_diagnostic()?;
            if e.file_type().is_file() {
                files.push(e.into_path());
            }
        }
    }
    let tree = Tree::from_files(&files);
    let read = |p: &Path| read_text(p);
    let mut suite = Suite::default();
    suite.add_tree(&tree, &read);
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if !is_yaml || name.ends_with("_test.yaml") || f.components().any(|c| c.as_os_str() == "testdata") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(f) else { continue };
        if !text.contains("argocd-cm") || !text.contains("resource.customizations") {
            continue;
        }
        let tests = argocd_cm_tests_path(f);
        if !tests.exists() {
            continue;
        }
        for doc in argocd_cm_documents(f, text) {
            let cm = CmOverrides::from_document(&doc);
            suite.add_argocd_cm(&doc.file.path, &cm, &tests, &read);
        }
    }
    let report = suite.run(args.coverage, args.limits.limits());
    let mut out = String::new();
    let mut failed = suite.errors.len();
    for e in &suite.errors {
        out.push_str(&format!("FAIL {e}\n"));
    }
    let mut passed = 0;
    for (case, r) in suite.cases.iter().zip(&report.results) {
        if r.passed {
            passed += 1;
            if args.verbose {
                out.push_str(&format!("ok   {}: {}\n", case.file, case.label));
            }
            continue;
        }
        failed += 1;
        out.push_str(&format!("FAIL {}: {}\n", case.file, case.label));
        for d in &r.details {
            out.push_str(&format!("  {d}\n"));
        }
        for p in &r.printed {
            out.push_str(&format!("  print: {p}\n"));
        }
    }
    if args.coverage {
        out.push_str("coverage:\n");
        for c in &report.coverage {
            out.push_str(&format!("  {}\n", c.summary()));
        }
    }
    out.push_str(&format!("{passed} passed, {failed} failed\n"));
    write_stdout(out)?;
    Ok(if failed > 0 { Outcome::Failure } else { Outcome::Success })
}

fn load_objects(paths: &[PathBuf]) -> miette::Result<Vec<(String, Value)>> {
    let mut out = Vec::new();
    for p in paths {
        let text = read_text(p).map_err(|e| miette!("{e}"))?;
        let loaded = yaml::load(&text, &yaml::Limits::default());
        if let Some(i) = loaded.issues.first() {
            return Err(miette!("{}:{}:{}: {}", p.display(), i.span.line, i.span.column, i.message));
        }
        for d in loaded.docs {
            if !d.value.is_null() {
                out.push((p.display().to_string(), d.value));
            }
        }
    }
    if out.is_empty() {
        return Err(miette!(
            "no object found in {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(out)
}

fn compile_file(p: &Path) -> miette::Result<Script> {
    let text = read_text(p).map_err(|e| miette!("{e}"))?;
    Script::compile(p.display().to_string(), &text).map_err(|e| match e.line {
        Some(l) => miette!("{}:{l}: {}", p.display(), e.message),
        None => miette!("{}: {}", p.display(), e.message),
    })
}

fn load_cm(p: &Path) -> miette::Result<CmOverrides> {
    let text = read_text(p).map_err(|e| miette!("{e}"))?;
    let docs = argocd_cm_documents(p, text);
    let Some(doc) = docs.first() else {
        return Err(miette!(
            "{}: no argocd-cm ConfigMap found (apiVersion: v1, kind: ConfigMap, metadata.name: argocd-cm)",
            p.display()
        ));
    };
    let cm = CmOverrides::from_document(doc);
    if let Some(fatal) = cm.problems.iter().find(|p| p.fatal) {
        return Err(miette!("{}: {} (Argo CD would ignore every resource customization)", p.display(), fatal.message));
    }
    Ok(cm)
}

fn run_health(args: &RunArgs) -> miette::Result<Outcome> {
    let objects = load_objects(&args.objects)?;
    let limits = args.limits.limits();
    let mut outcome = Outcome::Success;
    let cm = match &args.argocd_cm {
        Some(p) => Some(load_cm(p)?),
        None => None,
    };
    let file_script = match &args.script {
        Some(p) => Some(compile_file(p)?),
        None => None,
    };
    for (_, obj) in &objects {
        let (script, open_libs) = match (&file_script, &cm) {
            (Some(s), _) => (s.clone(), !args.no_open_libs),
            (None, Some(cm)) => {
                let key = object_key(obj);
                let Some((_, s, open)) = cm.health_script(&key) else {
                    return Err(miette!(
                        "no health customization in the argocd-cm matches {key}: Argo CD would use its built-in checks"
                    ));
                };
                let script =
                    Script::compile(s.origin.clone(), &s.source).map_err(|e| miette!("{}: {}", s.origin, e.message))?;
                (script, open)
            }
            (None, None) => return Err(miette!("give --script FILE or --argocd-cm FILE")),
        };
        let out = sandbox::run(&script, obj, &RunOptions { open_libs, limits, ..RunOptions::default() });
        for p in &out.printed {
            write_stderr(&format!("print: {p}\n"));
        }
        let status = match out.result.map_err(|e| e.to_string()).and_then(|r| result::health_from(&r)) {
            Ok(s) => s,
            Err(e) => {
                outcome = Outcome::Failure;
                write_stderr(&format!("argovet: the script failed: {e}\n"));
                HealthStatus::new("Unknown", e)
            }
        };
        write_stdout(format!("{}\n", status_json(&status)))?;
    }
    Ok(outcome)
}

fn run_action(args: &ActionRunArgs) -> miette::Result<Outcome> {
    let objects = load_objects(std::slice::from_ref(&args.object))?;
    let (_, obj) = &objects[0];
    let script = match (&args.script, &args.argocd_cm) {
        (Some(p), _) => compile_file(p)?,
        (None, Some(p)) => {
            let cm = load_cm(p)?;
            let key = object_key(obj);
            let name = args.action.clone().unwrap_or_default();
            let def = cm
                .actions(&key)
                .and_then(|a| a.definitions.iter().find(|d| d.name == name))
                .ok_or_else(|| miette!("{} defines no action `{name}` for {key}", p.display()))?;
            Script::compile(def.script.origin.clone(), &def.script.source)
                .map_err(|e| miette!("{}: {}", def.script.origin, e.message))?
        }
        (None, None) => return Err(miette!("give --script FILE or --argocd-cm FILE")),
    };
    let params: BTreeMap<String, String> = args.params.iter().cloned().collect();
    let out = sandbox::run(&script, obj, &RunOptions { params, limits: args.limits.limits(), ..RunOptions::default() });
    for p in &out.printed {
        write_stderr(&format!("print: {p}\n"));
    }
    match out.result.map_err(|e| e.to_string()).and_then(|r| result::action_from(&r, obj)) {
        Ok(resources) => {
            write_stdout(format!("{}\n", serde_json::to_string_pretty(&resources).into_diagnostic()?))?;
            Ok(Outcome::Success)
        }
        Err(e) => {
            write_stderr(&format!("argovet: the action failed: {e}\n"));
            Ok(Outcome::Failure)
        }
    }
}

fn run_discover(args: &DiscoverArgs) -> miette::Result<Outcome> {
    let objects = load_objects(std::slice::from_ref(&args.object))?;
    let (_, obj) = &objects[0];
    let script = match (&args.script, &args.argocd_cm) {
        (Some(p), _) => compile_file(p)?,
        (None, Some(p)) => {
            let cm = load_cm(p)?;
            let key = object_key(obj);
            let d = cm
                .actions(&key)
                .and_then(|a| a.discovery.as_ref())
                .ok_or_else(|| miette!("{}: no discovery.lua for {key}", p.display()))?;
            Script::compile(d.origin.clone(), &d.source).map_err(|e| miette!("{}: {}", d.origin, e.message))?
        }
        (None, None) => return Err(miette!("give --script FILE or --argocd-cm FILE")),
    };
    let out = sandbox::run(&script, obj, &RunOptions { limits: args.limits.limits(), ..RunOptions::default() });
    match out.result.map_err(|e| e.to_string()).and_then(|r| result::discovery_from(&[r])) {
        Ok(actions) => {
            write_stdout(format!("{}\n", serde_json::to_string_pretty(&actions).into_diagnostic()?))?;
            Ok(Outcome::Success)
        }
        Err(e) => {
            write_stderr(&format!("argovet: the discovery script failed: {e}\n"));
            Ok(Outcome::Failure)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cm_tests_sit_beside_the_configmap() {
        assert_eq!(
            argocd_cm_tests_path(Path::new("gitops/argocd-cm.yaml")),
            PathBuf::from("gitops/argocd-cm.health_test.yaml")
        );
        assert_eq!(parse_param("replicas=3").unwrap(), ("replicas".to_owned(), "3".to_owned()));
        assert!(parse_param("=3").is_err());
        let _ = crate::health::layout::parse_object("kind: X\n").unwrap();
    }
}
