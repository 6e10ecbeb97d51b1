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
pub mod guard;
pub mod load;
pub mod metadata;
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
    /// Report policy warnings as errors, so that they fail the run.
    #[arg(long)]
    pub fail_on_warn: bool,
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
    if all {
        return (0..set.namespaces.len()).collect();
    }
    let default = ["main".to_string()];
    let patterns: &[String] = if patterns.is_empty() { &default } else { patterns };
    let mut out = Vec::new();
    for pat in patterns {
        let globby = pat.contains(['*', '?', '[']);
        let hits: Vec<usize> = (0..set.namespaces.len())
            .filter(|&i| if globby { glob_match(pat, &set.namespaces[i].name) } else { set.namespaces[i].name == *pat })
            .collect();
        out.extend(hits);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The policy sets a `check` run uses.
pub struct Policies {
    /// The built-in pack(s), if enabled.
    pub builtin: Option<PolicySet>,
    /// `--policy` directories.
    pub user: Option<PolicySet>,
    user_namespaces: Vec<usize>,
    combine: bool,
    fail_on_warn: bool,
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
            Some(builtin::compile(defaults, kubernetes, config.production.as_ref())?)
        } else {
            None
        };
        let mut sources = Vec::new();
        for d in &dirs {
            sources.extend(load::rego_files(d, false)?);
        }
        let (user, user_namespaces) = if sources.is_empty() {
            (None, Vec::new())
        } else {
            let mut data_paths: Vec<PathBuf> = flags.data.clone();
            data_paths.extend(config.data.iter().cloned());
            let data = load::load_data(&data_paths)?;
            let set = PolicySet::compile(&sources, Some(Value::Object(data)), IdScheme::Package)?;
            let ns = select_namespaces(&set, &flags.namespace, flags.all_namespaces);
            (Some(set), ns)
        };
        Ok(Policies { builtin, user, user_namespaces, combine: flags.combine, fail_on_warn: flags.fail_on_warn })
    }

    /// Runs every selected rule over `docs` (in parallel) and returns the findings, unsorted.
    pub fn check(
        &self,
        docs: &[Document],
        enabled: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<Finding>, PolicyError> {
        let builtin_ns: Vec<usize> =
            self.builtin.as_ref().map(|s| (0..s.namespaces.len()).collect()).unwrap_or_default();
        let per_doc: Vec<Vec<Finding>> = docs
            .par_iter()
            .map(|doc| {
                let mut out = Vec::new();
                for (i, json) in inputs(doc) {
                    let kind = json.get("kind").and_then(Value::as_str);
                    let base = i.map(|i| format!("/{i}")).unwrap_or_default();
                    let builtin = self
                        .builtin
                        .as_ref()
                        .map(|set| (set, Selection { namespaces: &builtin_ns, mode: Mode::PerDocument, enabled }));
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
                    // Converted once, shared by both sets (regorus values are reference-counted).
                    let input = to_rego(json);
                    for (set, sel) in runs {
                        for o in eval::evaluate(set, &sel, kind, &input)? {
                            out.push(self.finding(set, doc, &base, o));
                        }
                    }
                }
                Ok(out)
            })
            .collect::<Result<_, PolicyError>>()?;
        let mut findings: Vec<Finding> = per_doc.into_iter().flatten().collect();

        let mut order: Vec<&Document> = docs.iter().collect();
        order.sort_by(|a, b| (&*a.file.path, a.index).cmp(&(&*b.file.path, b.index)));
        // conftest's combined input, `[{"path", "contents"}]`, converted straight from the documents
        // (in parallel, without an intermediate JSON copy) and only when a combined rule runs.
        let mut combined: Option<regorus::Value> = None;
        let mut combined_input = || {
            combined
                .get_or_insert_with(|| {
                    let items: Vec<regorus::Value> = order
                        .par_iter()
                        .map(|d| {
                            let mut item = std::collections::BTreeMap::new();
                            item.insert(regorus::Value::from("path"), regorus::Value::from(&*d.file.path));
                            item.insert(regorus::Value::from("contents"), to_rego(&d.value));
                            regorus::Value::from(item)
                        })
                        .collect();
                    regorus::Value::from(items)
                })
                .clone()
        };
        if let Some(set) = &self.builtin {
            let sel = Selection { namespaces: &builtin_ns, mode: Mode::Combined, enabled };
            if eval::has_rules(set, &sel) {
                for o in eval::evaluate(set, &sel, None, &combined_input())? {
                    findings.push(self.combined_finding(set, &order, o));
                }
            }
        }
        if let Some(set) = &self.user {
            let mode = if self.combine { Mode::All } else { Mode::Combined };
            let sel = Selection { namespaces: &self.user_namespaces, mode, enabled };
            if eval::has_rules(set, &sel) {
                for o in eval::evaluate(set, &sel, None, &combined_input())? {
                    findings.push(self.combined_finding(set, &order, o));
                }
            }
        }
        Ok(findings)
    }

    fn severity(&self, rule: &PolicyRule) -> Severity {
        if self.fail_on_warn && rule.kind == RuleKind::Warn { Severity::Error } else { rule.severity }
    }

    fn finding(&self, set: &PolicySet, doc: &Document, base: &str, o: Outcome) -> Finding {
        let rule = &set.namespaces[o.namespace].rules[o.rule];
        let span = match o.metadata.get("path").and_then(Value::as_str) {
            Some(p) => doc.span(&format!("{base}{}", to_pointer(p))),
            None => doc.span(base),
        };
        self.build(doc, span, rule, o)
    }

    fn combined_finding(&self, set: &PolicySet, order: &[&Document], o: Outcome) -> Finding {
        let rule = &set.namespaces[o.namespace].rules[o.rule];
        let target = locate(order, &o.metadata);
        let doc = target.or_else(|| order.first().copied());
        match doc {
            Some(doc) => {
                let span = match (target, o.metadata.get("path").and_then(Value::as_str)) {
                    (Some(_), Some(p)) => doc.span(&to_pointer(p)),
                    _ => doc.span(""),
                };
                self.build(doc, span, rule, o)
            }
            None => {
                let mut f =
                    Finding::new(rule.id.clone(), self.severity(rule), "Combined".into(), Span::default(), o.message);
                if !o.metadata.is_empty() {
                    f.metadata = Some(Value::Object(o.metadata));
                }
                f
            }
        }
    }

    fn build(&self, doc: &Document, span: Span, rule: &PolicyRule, mut o: Outcome) -> Finding {
        let mut f = doc.finding_at(&rule.id, self.severity(rule), span, o.message);
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
        Value::Null => Vec::new(),
        v => vec![(None, v)],
    }
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

/// The document a combined-input result names with `resource: {kind, name, namespace}` or
/// `file` (+ `document`, its 0-based index in the file).
fn locate<'a>(order: &[&'a Document], meta: &Map<String, Value>) -> Option<&'a Document> {
    if let Some(r) = meta.get("resource").and_then(Value::as_object) {
        let want = |k: &str| r.get(k).and_then(Value::as_str);
        return order.iter().copied().find(|d| {
            want("kind").is_none_or(|k| d.kind_name() == Some(k))
                && want("name").is_none_or(|n| d.name() == Some(n))
                && want("namespace").is_none_or(|n| d.namespace() == Some(n))
        });
    }
    let file = meta.get("file").and_then(Value::as_str)?;
    let index = meta.get("document").and_then(Value::as_u64).unwrap_or(0) as usize;
    order.iter().copied().find(|d| &*d.file.path == file && d.index == index)
}

/// What `argovet check` calls: loads the policies the flags and configuration ask for and runs them
/// over every document.
pub fn check_documents(docs: &[Document], flags: &PolicyFlags, config: &Config) -> miette::Result<Vec<Finding>> {
    let policies = Policies::load(flags, config).map_err(|e| miette::miette!("{e}"))?;
    let enabled = |id: &str| config.enabled(id);
    policies.check(docs, &enabled).map_err(|e| miette::miette!("{e}"))
}

#[cfg(test)]
mod tests;
