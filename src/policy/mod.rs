//! Rego policies, with conftest's conventions, on the regorus engine.
//!
//! - [`PolicySet`]: policies parsed and analysed once per process; each worker thread evaluates on its
//!   own warm clone. Rego v1 and pre-v1 syntax; `http.send`, `opa.runtime` and
//!   `net.lookup_ip_addr` are refused with a clear error; an evaluation that runs longer than
//!   [`engine::DEFAULT_TIME_LIMIT`] is stopped.
//! - conftest semantics: namespaces (default `main`), `deny`/`violation`/`warn` and their `_suffix`
//!   forms, string or `{msg, ...}` results, `exception` rules, `--data`, `--combine`, `--fail-on-warn`.
//! - Rules may declare in an OPA `# METADATA` block (`custom:`) the document kinds they read
//!   (`kinds`), their id (`id`), severity (`severity`) and whether they read all documents at once
//!   (`combine`). Rules whose kinds do not match a document are not evaluated for it.
//! - Rule ids: `policy/<package>/<rule name or custom.id>` for user policies,
//!   `policy/<pack>/<custom.id>` for the built-in packs ([`builtin`]).
//! - `policy test`: [`verify`].

pub mod builtin;
pub mod engine;
pub mod eval;
mod fast;
pub mod guard;
pub mod load;
pub mod metadata;
pub mod scope;
pub mod verify;

pub use builtin::{PolicyRuleInfo, builtin_rule_infos};
pub use engine::{IdScheme, PolicyRule, PolicySet, PolicySource, RuleKind};

use crate::model::Document;
use crate::report::{Finding, Severity, Span};
use crate::workspace::Config;
use eval::{Mode, Outcome, Selection};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// Why policies could not be loaded or evaluated.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// A file or directory could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// A policy does not parse or compile.
    #[error("{file}: {message}")]
    Parse {
        /// The policy file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A policy uses a builtin argovet does not provide.
    #[error("{file}:{line}: `{builtin}` is not available in argovet: {why}")]
    Unavailable {
        /// The policy file.
        file: String,
        /// 1-based line.
        line: usize,
        /// The builtin.
        builtin: String,
        /// Why, and what to do instead.
        why: &'static str,
    },
    /// A data file cannot be used.
    #[error("{file}: {message}")]
    Data {
        /// The data file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Evaluation failed or was stopped.
    #[error("evaluating {rule} ({file}): {message}")]
    Eval {
        /// The query.
        rule: String,
        /// The policy file.
        file: String,
        /// What happened.
        message: String,
    },
}

/// Policy flags of `argovet check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PolicyFlags {
    /// Directory (or file) of Rego policies to run, in addition to the built-in pack (repeatable).
    /// `builtin:kubernetes` adds the built-in Kubernetes workload pack.
    #[arg(long = "policy", value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Do not run the built-in Argo CD policy pack.
    #[arg(long)]
    pub no_default_policies: bool,
    /// Policy package to evaluate (repeatable; globs `*`, `?`, `[...]` allowed; default `main`).
    #[arg(long = "namespace", value_name = "NS")]
    pub namespace: Vec<String>,
    /// Evaluate every package of the `--policy` directories.
    #[arg(long)]
    pub all_namespaces: bool,
    /// JSON or YAML data for policies, under `data.` (repeatable; directories nest by sub-directory).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Give `--policy` rules all documents at once, as conftest's `--combine` does.
    #[arg(long)]
    pub combine: bool,
    /// Make policy warnings fail the run (exit 1), as conftest's `--fail-on-warn` does; they stay
    /// warnings in every output format.
    #[arg(long)]
    pub fail_on_warn: bool,
}

/// Whether `--fail-on-warn` makes `f` fail the run: a policy finding of warning severity (after
/// `.argovet.yaml` re-levelling). conftest's `--fail-on-warn` fails the run on warnings without
/// turning them into failures, so the finding keeps its severity in every output format.
pub fn is_policy_warning(f: &Finding) -> bool {
    f.severity == Severity::Warning && f.rule.starts_with("policy/")
}

/// The name of the opt-in Kubernetes workload pack in `--policy`.
pub const KUBERNETES_PACK: &str = "builtin:kubernetes";

fn is_pack_ref(p: &std::path::Path) -> bool {
    p.to_string_lossy().ends_with(KUBERNETES_PACK) && !p.exists()
}

/// conftest's `path.Match` over package names: `*` (not crossing nothing: dots are ordinary),
/// `?`, `[...]` classes.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|&c| c == ']') else {
                    return !n.is_empty() && n[0] == '[' && go(&p[1..], &n[1..]);
                };
                let Some(&c) = n.first() else { return false };
                let class = &p[1..end];
                let (negate, class) = match class.first() {
                    Some('^') | Some('!') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[end + 1..], &n[1..])
            }
            Some(&c) => n.first() == Some(&c) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// Which namespaces of `set` the flags select. As in conftest, a namespace that matches no package
/// selects nothing (it is not an error).
pub fn select_namespaces(set: &PolicySet, patterns: &[String], all: bool) -> Vec<usize> {
    select(&set.namespaces, patterns, all)
}

fn select(namespaces: &[engine::Namespace], patterns: &[String], all: bool) -> Vec<usize> {
    if all {
        return (0..namespaces.len()).collect();
    }
    let default = ["main".to_string()];
    let patterns: &[String] = if patterns.is_empty() { &default } else { patterns };
    let mut out = Vec::new();
    for pat in patterns {
        let globby = pat.contains(['*', '?', '[']);
        let hits: Vec<usize> = (0..namespaces.len())
            .filter(|&i| if globby { glob_match(pat, &namespaces[i].name) } else { namespaces[i].name == *pat })
            .collect();
        out.extend(hits);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The policy sets a `check` run uses.
pub struct Policies {
    /// The built-in pack(s), if enabled (shared: compiled once per process).
    pub builtin: Option<std::sync::Arc<PolicySet>>,
    /// `--policy` directories.
    pub user: Option<PolicySet>,
    user_namespaces: Vec<usize>,
    combine: bool,
}

impl Policies {
    /// Loads and compiles what the flags and `.argovet.yaml` ask for.
    pub fn load(flags: &PolicyFlags, config: &Config) -> Result<Policies, PolicyError> {
        let mut dirs: Vec<PathBuf> = flags.policy.clone();
        dirs.extend(config.policies.iter().cloned());
        let kubernetes = dirs.iter().any(|d| is_pack_ref(d));
        dirs.retain(|d| !is_pack_ref(d));
        let defaults = !flags.no_default_policies && config.default_policies != Some(false);
        let builtin = if defaults || kubernetes {
            // Rules turned off or not selected are left out of the compiled pack altogether.
            let off: Vec<String> =
                builtin::builtin_rule_infos().into_iter().map(|i| i.id).filter(|id| !config.enabled(id)).collect();
            Some(builtin::compiled(defaults, kubernetes, config.production.as_ref(), &off)?)
        } else {
            None
        };
        let mut sources = Vec::new();
        for d in &dirs {
            sources.extend(load::rego_files(d, false)?);
        }
        // As conftest: policy paths without any `.rego` file (tests included) are an error.
        if sources.is_empty() && !dirs.is_empty() {
            let mut any = false;
            for d in &dirs {
                any |= !load::rego_files(d, true)?.is_empty();
            }
            if !any {
                return Err(load::no_policies_error(&dirs));
            }
        }
        let (user, user_namespaces) = if sources.is_empty() {
            (None, Vec::new())
        } else {
            let mut data_paths: Vec<PathBuf> = flags.data.clone();
            data_paths.extend(config.data.iter().cloned());
            let data = load::load_data(&data_paths)?;
            // With `--combine` the rules read all documents at once: nothing to gather per document.
            let per_document = |ns: &[engine::Namespace]| {
                if flags.combine { Vec::new() } else { select(ns, &flags.namespace, flags.all_namespaces) }
            };
            let enabled = |id: &str| config.enabled(id);
            let set = PolicySet::compile_batched(
                &sources,
                Some(Value::Object(data)),
                IdScheme::Package,
                &per_document,
                &enabled,
            )?;
            let ns = select_namespaces(&set, &flags.namespace, flags.all_namespaces);
            (Some(set), ns)
        };
        Ok(Policies { builtin, user, user_namespaces, combine: flags.combine })
    }

    /// Runs every selected rule over `docs` (in parallel) and returns the findings, unsorted.
    ///
    /// Each document is converted to a regorus value once, for its own rules and for the combined
    /// input; rules that read all documents (`combine`) run after the per-document pass, one
    /// package per thread, each on the documents of the kinds its rules declare.
    pub fn check(
        &self,
        docs: &[Document],
        enabled: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Finding>, PolicyError> {
        self.check_with_empty_files(docs, &[], enabled)
    }

    /// [`Policies::check`], with the checked files that hold no document (empty, or only comments
    /// and `---`): conftest reads such a file as one `null` document, so the `--policy` rules get
    /// `input == null` for it (and, with `--combine`, an item `{"path": FILE, "contents": null}`).
    /// The built-in packs, which read Argo CD and Kubernetes resources, do not.
    pub fn check_with_empty_files(
        &self,
        docs: &[Document],
        empty_files: &[std::sync::Arc<crate::model::SourceFile>],
        enabled: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Finding>, PolicyError> {
        let nulls: Vec<Document> =
            if self.user.is_some() { empty_files.iter().map(null_document).collect() } else { Vec::new() };
        let docs: Vec<&Document> = docs.iter().chain(&nulls).collect();
        let docs = &docs[..];
        let builtin_ns: Vec<usize> =
            self.builtin.as_ref().map(|s| (0..s.namespaces.len()).collect()).unwrap_or_default();
        let jobs = self.combined_jobs(&builtin_ns, enabled);
        // Documents the combined jobs read, converted once and shared with the per-document pass
        // (regorus values are reference-counted).
        let items: Vec<Option<regorus::Value>> =
            docs.par_iter().map(|doc| jobs.iter().any(|j| j.takes(doc)).then(|| to_rego(&doc.value))).collect();
        // The combined jobs run beside the per-document pass rather than after it, so that a long
        // cross-document rule does not leave the other threads idle.
        let (per_doc, combined) = rayon::join(
            || self.per_document(docs, &items, &builtin_ns, enabled),
            || self.combined(docs, &items, &jobs, enabled),
        );
        let mut findings = per_doc?;
        findings.extend(combined?);
        Ok(findings)
    }

    /// The per-document rules of both sets over every document (or item of a top-level list).
    fn per_document(
        &self,
        docs: &[&Document],
        items: &[Option<regorus::Value>],
        builtin_ns: &[usize],
        enabled: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Finding>, PolicyError> {
        let per_doc: Vec<Vec<Finding>> = docs
            .par_iter()
            .zip(items.par_iter())
            .map(|(doc, item)| {
                let mut out = Vec::new();
                for (i, json) in inputs(doc) {
                    let kind = json.get("kind").and_then(Value::as_str);
                    let base = i.map(|i| format!("/{i}")).unwrap_or_default();
                    // A `null` input (an empty file) is conftest's, for the `--policy` rules only.
                    let builtin = (!json.is_null())
                        .then_some(self.builtin.as_deref())
                        .flatten()
                        .map(|set| (set, Selection { namespaces: builtin_ns, mode: Mode::PerDocument, enabled }));
                    let user = match (&self.user, self.combine) {
                        (Some(set), false) => Some((
                            set,
                            Selection { namespaces: &self.user_namespaces, mode: Mode::PerDocument, enabled },
                        )),
                        _ => None,
                    };
                    let runs: Vec<_> = [builtin, user]
                        .into_iter()
                        .flatten()
                        .filter(|(set, sel)| eval::has_rules_for(set, sel, kind))
                        .collect();
                    if runs.is_empty() {
                        continue;
                    }
                    // Converted once, shared by both sets (and, for a whole document, with the
                    // combined input).
                    let input = match (i, item) {
                        (None, Some(whole)) => whole.clone(),
                        _ => to_rego(json),
                    };
                    for (set, sel) in runs {
                        for o in eval::evaluate(set, &sel, kind, &input)? {
                            out.push(self.finding(set, doc, &base, o));
                        }
                    }
                }
                Ok(out)
            })
            .collect::<Result<_, PolicyError>>()?;
        Ok(per_doc.into_iter().flatten().collect())
    }

    /// The rules that read all documents at once, one job per package, in parallel.
    fn combined(
        &self,
        docs: &[&Document],
        items: &[Option<regorus::Value>],
        jobs: &[CombinedJob<'_>],
        enabled: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Finding>, PolicyError> {
        if jobs.is_empty() {
            return Ok(Vec::new());
        }
        // conftest's combined input, `[{"path", "contents"}]` sorted by path, holding the documents
        // each package's rules read.
        let mut order: Vec<usize> = (0..docs.len()).collect();
        order.sort_by(|&a, &b| (&*docs[a].file.path, docs[a].index).cmp(&(&*docs[b].file.path, docs[b].index)));
        // The costliest job first: the thread that starts this pass takes it, and the others take
        // the rest when the per-document pass leaves them free. Cost: the documents a job reads,
        // four times as many when it runs on the interpreter rather than the bytecode VM.
        let cost = |job: &CombinedJob<'_>| {
            let weight = if job.on_vm() { 1 } else { 4 };
            weight * docs.iter().filter(|d| job.takes(d)).count()
        };
        let mut by_cost: Vec<usize> = (0..jobs.len()).collect();
        by_cost.sort_by_cached_key(|&j| std::cmp::Reverse(cost(&jobs[j])));
        let mut outcomes: Vec<(usize, Vec<Outcome>)> = by_cost
            .par_iter()
            .map(|&j| (j, &jobs[j]))
            .map(|(j, job)| {
                let input: Vec<regorus::Value> = order
                    .iter()
                    .filter(|&&d| job.takes(docs[d]))
                    .filter_map(|&d| {
                        let contents = items[d].clone()?;
                        let mut item = std::collections::BTreeMap::new();
                        item.insert(regorus::Value::from("path"), regorus::Value::from(&*docs[d].file.path));
                        item.insert(regorus::Value::from("contents"), contents);
                        Some(regorus::Value::from(item))
                    })
                    .collect();
                let sel = Selection { namespaces: std::slice::from_ref(&job.namespace), mode: job.mode, enabled };
                Ok((j, eval::evaluate(job.set, &sel, None, &regorus::Value::from(input))?))
            })
            .collect::<Result<_, PolicyError>>()?;
        outcomes.sort_by_key(|(j, _)| *j);
        let ordered: Vec<&Document> = order.iter().map(|&d| docs[d]).collect();
        let locator = Locator::new(&ordered, outcomes.iter().flat_map(|(_, outs)| outs).map(|o| &o.metadata));
        let mut findings = Vec::new();
        for (job, (_, outs)) in jobs.iter().zip(outcomes) {
            for o in outs {
                findings.push(self.combined_finding(job.set, &locator, o));
            }
        }
        Ok(findings)
    }

    /// The packages with rules to run on the combined input, one job each.
    fn combined_jobs<'s>(
        &'s self,
        builtin_ns: &'s [usize],
        enabled: &(dyn Fn(&str) -> bool + Sync),
    ) -> Vec<CombinedJob<'s>> {
        let mut jobs = Vec::new();
        let user_mode = if self.combine { Mode::All } else { Mode::Combined };
        let sets = [
            (self.builtin.as_deref(), builtin_ns, Mode::Combined),
            (self.user.as_ref(), &self.user_namespaces[..], user_mode),
        ];
        for (set, namespaces, mode) in sets {
            let Some(set) = set else { continue };
            for &namespace in namespaces {
                let sel = Selection { namespaces: std::slice::from_ref(&namespace), mode, enabled };
                if !eval::has_rules(set, &sel) {
                    continue;
                }
                // `--combine` gives every document, as conftest does; rules marked `combine` get the
                // documents of the kinds they declare (all documents when one of them declares none).
                let kinds = match mode {
                    Mode::All => None,
                    _ => eval::selected_kinds(set, &sel),
                };
                let user = self.user.as_ref().is_some_and(|u| std::ptr::eq(u, set));
                jobs.push(CombinedJob { set, namespace, mode, kinds, user });
            }
        }
        jobs
    }
    fn finding(&self, set: &PolicySet, doc: &Document, base: &str, o: Outcome) -> Finding {
        let rule = &set.namespaces[o.namespace].rules[o.rule];
        let span = match o.metadata.get("path").and_then(Value::as_str) {
            Some(p) => doc.span(&format!("{base}{}", to_pointer(p))),
            None => doc.span(base),
        };
        self.build(doc, span, rule, o)
    }

    fn combined_finding(&self, set: &PolicySet, locator: &Locator<'_>, o: Outcome) -> Finding {
        let rule = &set.namespaces[o.namespace].rules[o.rule];
        let target = locator.locate(&o.metadata);
        let doc = target.or_else(|| locator.order.first().copied());
        match doc {
            Some(doc) => {
                let span = match (target, o.metadata.get("path").and_then(Value::as_str)) {
                    (Some(_), Some(p)) => doc.span(&to_pointer(p)),
                    _ => doc.span(""),
                };
                self.build(doc, span, rule, o)
            }
            None => {
                let mut f = Finding::new(rule.id.clone(), rule.severity, "Combined".into(), Span::default(), o.message);
                if !o.metadata.is_empty() {
                    f.metadata = Some(Value::Object(o.metadata));
                }
                f
            }
        }
    }

    fn build(&self, doc: &Document, span: Span, rule: &PolicyRule, mut o: Outcome) -> Finding {
        let mut f = doc.finding_at(&rule.id, rule.severity, span, o.message);
        // A string `help` becomes the finding's fix hint rather than metadata.
        if let Some(help) = o.metadata.get("help").and_then(Value::as_str).map(str::to_owned) {
            o.metadata.remove("help");
            f.help = Some(help);
        }
        if !o.metadata.is_empty() {
            f.metadata = Some(Value::Object(o.metadata));
        }
        f
    }
}

/// A document as a regorus value, read straight from the borrowed JSON (the same conversion as
/// `regorus::Value::from(json.clone())`, without the deep copy).
fn to_rego(json: &Value) -> regorus::Value {
    <regorus::Value as serde::Deserialize>::deserialize(json).unwrap_or(regorus::Value::Undefined)
}

/// conftest's inputs for a document: the document, or each item of a top-level list.
fn inputs(doc: &Document) -> Vec<(Option<usize>, &Value)> {
    match &doc.value {
        Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Some(i), v)).collect(),
        v => vec![(None, v)],
    }
}

/// The `null` document conftest reads from a file without documents, located at the file's start.
fn null_document(file: &std::sync::Arc<crate::model::SourceFile>) -> Document {
    let start = Span { offset: 0, len: 0, line: 1, column: 1 };
    let root = crate::yaml::Node::Scalar { span: start, style: crate::yaml::ScalarStyle::Plain, ambiguous: false };
    Document::new(file.clone(), 0, Value::Null, crate::yaml::SourceMap::new(root))
}

/// `spec.source.repoURL`, `spec.sources[0].chart` or a JSON pointer, as a JSON pointer.
pub fn to_pointer(path: &str) -> String {
    if path.starts_with('/') || path.is_empty() {
        return path.to_string();
    }
    let mut out = String::new();
    for part in path.split('.') {
        let (name, rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            out.push('/');
            out.push_str(&crate::lint::util::escape_pointer(name));
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            out.push('/');
            out.push_str(idx.trim_end_matches(']').trim_matches('"'));
        }
    }
    out
}

/// A package of one set whose rules run on the combined input.
struct CombinedJob<'s> {
    set: &'s PolicySet,
    namespace: usize,
    mode: Mode,
    /// The document kinds its input holds; `None` = every document.
    kinds: Option<Vec<String>>,
    /// Whether it is a package of the `--policy` set (which alone reads `null` documents).
    user: bool,
}

impl CombinedJob<'_> {
    /// Whether its rules run on the bytecode VM.
    fn on_vm(&self) -> bool {
        let mut rules =
            self.set.namespaces[self.namespace].rules.iter().filter(|r| r.combine || self.mode == Mode::All).peekable();
        rules.peek().is_some() && rules.all(|r| self.set.rule_on_vm(&r.query))
    }

    /// Whether the job's combined input holds `doc`.
    fn takes(&self, doc: &Document) -> bool {
        match &self.kinds {
            None => self.user || !doc.value.is_null(),
            Some(kinds) => doc.kind_name().is_some_and(|k| kinds.iter().any(|x| x == k)),
        }
    }
}

/// Finds the document a combined-input result names with `resource: {kind, name, namespace}` or
/// `file` (+ `document`, its 0-based index in the file): the first such document in path order.
/// Indexed, so that many results over many documents stay linear.
struct Locator<'a> {
    /// Documents sorted by path and index.
    order: &'a [&'a Document],
    /// The documents of each `(kind, name)` that a result names.
    by_kind_name: std::collections::HashMap<(&'a str, &'a str), Vec<usize>>,
    /// The document at each `(file, index)` that a result names.
    by_file: std::collections::HashMap<(&'a str, usize), usize>,
}

impl<'a> Locator<'a> {
    /// Indexes the documents the results in `metas` name: one pass over the documents with lookups
    /// in the (usually few) names wanted, rather than an index of every document.
    fn new<'m>(order: &'a [&'a Document], metas: impl Iterator<Item = &'m Map<String, Value>>) -> Locator<'a> {
        let mut kind_names: std::collections::HashSet<(&str, &str)> = Default::default();
        let mut files: std::collections::HashSet<(&str, usize)> = Default::default();
        for meta in metas {
            if let Some(r) = meta.get("resource").and_then(Value::as_object) {
                if let (Some(k), Some(n)) =
                    (r.get("kind").and_then(Value::as_str), r.get("name").and_then(Value::as_str))
                {
                    kind_names.insert((k, n));
                }
            } else if let Some(file) = meta.get("file").and_then(Value::as_str) {
                files.insert((file, Self::document_index(meta)));
            }
        }
        // The documents named, in order (the pass runs on every thread: reading each document's kind
        // and name is most of the work).
        let named: Vec<_> = order
            .par_iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let kind_name = (d.kind_name(), d.name());
                let by_name = match kind_name {
                    (Some(k), Some(n)) if kind_names.contains(&(k, n)) => Some((k, n)),
                    _ => None,
                };
                let by_file = files.contains(&(&*d.file.path, d.index));
                (by_name.is_some() || by_file).then_some((i, by_name, by_file))
            })
            .collect();
        let mut by_kind_name: std::collections::HashMap<(&str, &str), Vec<usize>> = Default::default();
        let mut by_file = std::collections::HashMap::new();
        for (i, name, file) in named {
            if let Some(key) = name {
                by_kind_name.entry(key).or_default().push(i);
            }
            if file {
                by_file.entry((&*order[i].file.path, order[i].index)).or_insert(i);
            }
        }
        Locator { order, by_kind_name, by_file }
    }

    /// The `document` index a result names (0 when it names none).
    fn document_index(meta: &Map<String, Value>) -> usize {
        meta.get("document").and_then(Value::as_u64).unwrap_or(0) as usize
    }

    fn locate(&self, meta: &Map<String, Value>) -> Option<&'a Document> {
        if let Some(r) = meta.get("resource").and_then(Value::as_object) {
            let want = |k: &str| r.get(k).and_then(Value::as_str);
            let matches = |d: &&Document| {
                want("kind").is_none_or(|k| d.kind_name() == Some(k))
                    && want("name").is_none_or(|n| d.name() == Some(n))
                    && want("namespace").is_none_or(|n| d.namespace() == Some(n))
            };
            return match (want("kind"), want("name")) {
                (Some(k), Some(n)) => {
                    self.by_kind_name.get(&(k, n))?.iter().map(|&i| self.order[i]).find(|d| matches(d))
                }
                _ => self.order.iter().copied().find(matches),
            };
        }
        let file = meta.get("file").and_then(Value::as_str)?;
        self.by_file.get(&(file, Self::document_index(meta))).map(|&i| self.order[i])
    }
}

#[cfg(test)]
mod tests;
