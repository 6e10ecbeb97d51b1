//! The compiled policy set: Rego sources parsed and analysed once, cloned into one warm regorus engine
//! per worker thread, and evaluated with conftest's conventions.

use super::PolicyError;
use super::metadata::{Annotation, annotations};
use crate::report::Severity;
use regorus::unstable::{Rule, RuleHead};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// A `.rego` file's name and text.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// Shown in errors and in `policy test` output.
    pub path: String,
    /// The Rego text.
    pub text: String,
}

/// The kind of result a conftest rule produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// `deny*`, `violation*`: failures.
    Deny,
    /// `warn*`: warnings.
    Warn,
}

/// One `deny`/`violation`/`warn` rule (all definitions of one name in one package).
#[derive(Debug, Clone)]
pub struct PolicyRule {
    /// The rule name, e.g. `deny_latest`.
    pub name: String,
    /// The query that evaluates it, e.g. `data.main.deny_latest`.
    pub query: String,
    /// Failure or warning.
    pub kind: RuleKind,
    /// Severity of its findings (error for deny, warning for warn, unless metadata says otherwise).
    pub severity: Severity,
    /// Documents' `kind`s it reads; `None` = every document.
    pub kinds: Option<Vec<String>>,
    /// The rule id of its findings.
    pub id: String,
    /// Evaluated once over all documents (`custom.combine` in its metadata).
    pub combine: bool,
    /// Its annotation, when it has one.
    pub annotation: Option<Annotation>,
    /// The file defining it.
    pub file: String,
}

/// A package that defines conftest rules.
#[derive(Debug, Clone)]
pub struct Namespace {
    /// The package path without `data.`, e.g. `main` or `argovet.argocd.default_project`.
    pub name: String,
    /// Its `deny`/`violation`/`warn` rules, sorted by name.
    pub rules: Vec<PolicyRule>,
    /// Whether it defines `exception`.
    pub has_exception: bool,
}

/// A `test_*` rule, for `policy test`.
#[derive(Debug, Clone)]
pub struct TestRule {
    /// The package, without `data.`.
    pub package: String,
    /// The rule name.
    pub name: String,
    /// How many definitions it has.
    pub definitions: usize,
    /// The file defining it.
    pub file: String,
}

/// How rule ids are formed.
#[derive(Debug, Clone, Copy)]
pub enum IdScheme {
    /// User policies: `policy/<package>/<custom.id or rule name>`.
    Package,
    /// Built-in packs (packages `argovet.<pack>.<rule>`): `policy/<pack>/<custom.id or rule name>`.
    Builtin,
}

static NEXT_SET_ID: AtomicU64 = AtomicU64::new(1);

/// How long one evaluation may run before it is stopped.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(5);

/// The per-document rules of the selected packages, gathered into one generated rule per document
/// kind, so that a document costs one evaluation instead of one per rule: the rules share the
/// helper rules they read (computed once per evaluation), and regorus's set-up per evaluation is
/// paid once.
#[derive(Debug, Clone, Default)]
pub struct Batches {
    /// The packages (indexes into [`PolicySet::namespaces`]) the batches cover.
    pub namespaces: Vec<usize>,
    /// Each batch: the query evaluating it and its rules, `(namespace, rule)` in evaluation order.
    pub batches: Vec<(String, Vec<RuleRef>)>,
    /// The batch for a document of this kind.
    pub by_kind: std::collections::HashMap<String, usize>,
    /// The batch for a document of any other kind (the rules that declare no kinds).
    pub any: Option<usize>,
    /// Rules of the covered packages left out because they were disabled when the batches were
    /// planned: a selection that wants one of them evaluates rule by rule.
    pub left_out: Vec<RuleRef>,
}

/// A rule of a set: (index in [`PolicySet::namespaces`], index in that namespace's rules).
pub type RuleRef = (usize, usize);

/// The package of the generated batch rules.
const BATCH_PACKAGE: &str = "argovet_internal_batch";

impl Batches {
    /// Plans the batches for the per-document rules of `selected` and writes their module.
    fn plan(namespaces: &[Namespace], selected: &[usize], enabled: &dyn Fn(&str) -> bool) -> (Batches, String) {
        let (rules, left_out): (Vec<RuleRef>, Vec<RuleRef>) = selected
            .iter()
            .flat_map(|&n| (0..namespaces[n].rules.len()).map(move |r| (n, r)))
            .filter(|&(n, r)| !namespaces[n].rules[r].combine)
            .partition(|&(n, r)| enabled(&namespaces[n].rules[r].id));
        let rule = |&(n, r): &(usize, usize)| &namespaces[n].rules[r];
        let mut kinds: Vec<&str> =
            rules.iter().filter_map(|k| rule(k).kinds.as_ref()).flatten().map(String::as_str).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut b = Batches { namespaces: selected.to_vec(), left_out, ..Batches::default() };
        let mut module = format!("package {BATCH_PACKAGE}\n");
        let mut add = |members: Vec<(usize, usize)>, b: &mut Batches| -> Option<usize> {
            if members.is_empty() {
                return None;
            }
            if let Some(i) = b.batches.iter().position(|(_, m)| *m == members) {
                return Some(i);
            }
            let i = b.batches.len();
            // `[v | v := rule]`: `[value]`, or `[]` when the rule is undefined for this input.
            let items: Vec<String> = members.iter().map(|k| format!("[v | v := {}]", rule(k).query)).collect();
            module.push_str(&format!("b{i} := [{}]\n", items.join(", ")));
            b.batches.push((format!("data.{BATCH_PACKAGE}.b{i}"), members));
            Some(i)
        };
        let for_kind = |k: Option<&str>| -> Vec<(usize, usize)> {
            rules
                .iter()
                .copied()
                .filter(|m| rule(m).kinds.as_ref().is_none_or(|ks| k.is_some_and(|k| ks.iter().any(|x| x == k))))
                .collect()
        };
        for k in kinds {
            if let Some(i) = add(for_kind(Some(k)), &mut b) {
                b.by_kind.insert(k.to_string(), i);
            }
        }
        b.any = add(for_kind(None), &mut b);
        (b, module)
    }

    /// The batch for a document of `kind`.
    pub fn for_kind(&self, kind: Option<&str>) -> Option<usize> {
        kind.and_then(|k| self.by_kind.get(k).copied()).or(self.any)
    }
}

/// Policies compiled once per process; evaluation clones a warm engine per thread.
pub struct PolicySet {
    id: u64,
    prototype: Mutex<Engine>,
    /// Per-document rules gathered per kind ([`PolicySet::compile_batched`]); `None` = rule by rule.
    pub batches: Option<Batches>,
    /// Packages with conftest rules, sorted by name.
    pub namespaces: Vec<Namespace>,
    /// `test_*` rules, sorted by package and name.
    pub tests: Vec<TestRule>,
    /// Every package, sorted.
    pub packages: Vec<String>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet").field("namespaces", &self.namespaces).finish_non_exhaustive()
    }
}

thread_local! {
    static WARM: RefCell<Vec<(u64, Engine)>> = const { RefCell::new(Vec::new()) };
}

/// Builtins that would reach the network, the environment or the clock of the machine running argovet.
const UNAVAILABLE: &[(&str, &str)] = &[
    ("http.send", "policies run offline: put the data the policy needs in a data file (`--data`)"),
    ("opa.runtime", "policies cannot read argovet's environment: pass values as data (`--data`)"),
    ("net.lookup_ip_addr", "policies run offline: put the addresses in a data file (`--data`)"),
];

fn is_rule_name(name: &str, base: &str) -> bool {
    let Some(rest) = name.strip_prefix(base) else {
        return false;
    };
    rest.is_empty()
        || rest.strip_prefix('_').is_some_and(|r| {
            r.split('_').all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
        })
}

/// conftest's classification of a rule name.
pub fn rule_kind(name: &str) -> Option<RuleKind> {
    if is_rule_name(name, "deny") || is_rule_name(name, "violation") {
        Some(RuleKind::Deny)
    } else if is_rule_name(name, "warn") {
        Some(RuleKind::Warn)
    } else {
        None
    }
}

/// Finds uses of unavailable builtins outside comments and strings: `(line, builtin, why)`.
fn unavailable_builtins(text: &str) -> Option<(usize, &'static str, &'static str)> {
    for (n, line) in text.lines().enumerate() {
        let mut code = String::new();
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if !in_str && c == '#' {
                break;
            }
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                code.push(c);
            }
            prev = c;
        }
        for &(name, why) in UNAVAILABLE {
            if let Some(pos) = code.find(name) {
                let before = code[..pos].chars().next_back();
                if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                    return Some((n + 1, name, why));
                }
            }
        }
    }
    None
}

/// Rego v1 is tried first (conftest's default); a file that does not parse as v1 is tried as v0
/// (`deny[msg] { ... }`). The reported error is the v1 one unless the file looks like v0.
fn add_source(engine: &mut Engine, src: &PolicySource) -> Result<(), PolicyError> {
    if let Some((line, name, why)) = unavailable_builtins(&src.text) {
        return Err(PolicyError::Unavailable { file: src.path.clone(), line, builtin: name.to_string(), why });
    }
    engine.set_rego_v0(false);
    let v1 = engine.add_policy(src.path.clone(), src.text.clone());
    let Err(v1_err) = v1 else {
        return Ok(());
    };
    engine.set_rego_v0(true);
    let v0 = engine.add_policy(src.path.clone(), src.text.clone());
    engine.set_rego_v0(false);
    match v0 {
        Ok(_) => Ok(()),
        Err(v0_err) => {
            let looks_v1 = src.text.contains("import rego.v1")
                || src.text.split_whitespace().any(|w| w == "if" || w == "contains");
            let e = if looks_v1 { v1_err } else { v0_err };
            Err(PolicyError::Parse { file: src.path.clone(), message: e.to_string() })
        }
    }
}

impl PolicySet {
    /// Parses and analyses `sources` with `data` merged under `data.`, once.
    pub fn compile(
        sources: &[PolicySource],
        data: Option<serde_json::Value>,
        scheme: IdScheme,
    ) -> Result<PolicySet, PolicyError> {
        Self::compile_batched(sources, data, scheme, &|_| Vec::new(), &|_| true)
    }

    /// [`PolicySet::compile`], with the per-document rules of the packages `select` picks (those
    /// whose id is `enabled`) gathered into [`Batches`]. If the generated module cannot be added (a
    /// package name Rego cannot spell in a reference), the set evaluates rule by rule.
    pub fn compile_batched(
        sources: &[PolicySource],
        data: Option<serde_json::Value>,
        scheme: IdScheme,
        select: &dyn Fn(&[Namespace]) -> Vec<usize>,
        enabled: &dyn Fn(&str) -> bool,
    ) -> Result<PolicySet, PolicyError> {
        let mut engine = Engine::new();
        engine.set_strict_builtin_errors(false);
        // `print()` writes to stderr, like conftest's PRNT lines, without disturbing the report on stdout.
        engine.set_gather_prints(false);
        engine.set_execution_timer_config(ExecutionTimerConfig {
            limit: DEFAULT_TIME_LIMIT,
            check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN),
        });
        super::guard::install(&mut engine)?;
        super::fast::install(&mut engine)?;
        let mut notes: BTreeMap<String, Vec<Annotation>> = BTreeMap::new();
        for src in sources {
            add_source(&mut engine, src)?;
            let a = annotations(&src.text).map_err(|message| PolicyError::Parse { file: src.path.clone(), message })?;
            notes.insert(src.path.clone(), a);
        }
        if let Some(d) = data {
            engine
                .add_data(Value::from(d))
                .map_err(|e| PolicyError::Data { file: "data".into(), message: e.to_string() })?;
        }

        super::guard::check_recursion(engine.get_modules())?;
        let mut namespaces: BTreeMap<String, Namespace> = BTreeMap::new();
        let mut tests: BTreeMap<(String, String), TestRule> = BTreeMap::new();
        let mut packages = Vec::new();
        for module in engine.get_modules().clone().iter() {
            let file = module.package.span.source.get_path().clone();
            let Ok(package) = regorus::utils::get_path_string(&module.package.refr, None) else {
                continue;
            };
            packages.push(package.clone());
            let file_notes = notes.get(&file).map(Vec::as_slice).unwrap_or(&[]);
            let pkg_note = file_notes.iter().find(|a| a.package);
            let ns = namespaces.entry(package.clone()).or_insert_with(|| Namespace {
                name: package.clone(),
                rules: Vec::new(),
                has_exception: false,
            });
            for rule in &module.policy {
                let (refr, line) = match rule.as_ref() {
                    Rule::Spec { head: RuleHead::Compr { refr, .. } | RuleHead::Set { refr, .. }, span, .. } => {
                        (refr, span.line)
                    }
                    Rule::Default { refr, span, .. } => (refr, span.line),
                    Rule::Spec { head: RuleHead::Func { .. }, .. } => continue,
                };
                let Ok(name) = regorus::utils::get_path_string(refr, None) else {
                    continue;
                };
                if name == "exception" {
                    ns.has_exception = true;
                    continue;
                }
                if name.starts_with("test_") {
                    let t = tests.entry((package.clone(), name.clone())).or_insert_with(|| TestRule {
                        package: package.clone(),
                        name: name.clone(),
                        definitions: 0,
                        file: file.clone(),
                    });
                    t.definitions += 1;
                    continue;
                }
                let Some(kind) = rule_kind(&name) else {
                    continue;
                };
                let note = file_notes.iter().find(|a| !a.package && a.line == line).cloned();
                if let Some(existing) = ns.rules.iter_mut().find(|r| r.name == name) {
                    if existing.annotation.is_none() && note.is_some() {
                        existing.annotation = note;
                    }
                    continue;
                }
                ns.rules.push(PolicyRule {
                    query: format!("data.{package}.{name}"),
                    name,
                    kind,
                    severity: Severity::Error,
                    kinds: None,
                    id: String::new(),
                    combine: false,
                    annotation: note,
                    file: file.clone(),
                });
            }
            // Package-level metadata fills in what rule-level metadata leaves open.
            for r in &mut ns.rules {
                let a = r.annotation.as_ref();
                r.kinds = a.and_then(|a| a.kinds.clone()).or_else(|| pkg_note.and_then(|p| p.kinds.clone()));
                r.combine = a.is_some_and(|a| a.combine) || pkg_note.is_some_and(|p| p.combine);
                let sev = a.and_then(|a| a.severity.clone()).or_else(|| pkg_note.and_then(|p| p.severity.clone()));
                r.severity = match (sev.as_deref().and_then(Severity::parse), r.kind) {
                    (Some(s), _) => s,
                    (None, RuleKind::Deny) => Severity::Error,
                    (None, RuleKind::Warn) => Severity::Warning,
                };
                let id = a.and_then(|a| a.id.clone()).or_else(|| pkg_note.and_then(|p| p.id.clone()));
                r.id = match scheme {
                    IdScheme::Package => format!("policy/{package}/{}", id.unwrap_or_else(|| r.name.clone())),
                    IdScheme::Builtin => {
                        let pack = package.split('.').nth(1).unwrap_or("argovet");
                        format!("policy/{pack}/{}", id.unwrap_or_else(|| r.name.clone()))
                    }
                };
            }
        }
        packages.sort();
        packages.dedup();
        let mut namespaces: Vec<Namespace> =
            namespaces.into_values().filter(|n| !n.rules.is_empty() || n.has_exception).collect();
        for n in &mut namespaces {
            n.rules.sort_by(|a, b| a.name.cmp(&b.name));
        }
        let selected = select(&namespaces);
        let mut batches = None;
        if !selected.is_empty() && !packages.iter().any(|p| p == BATCH_PACKAGE) {
            let (plan, module) = Batches::plan(&namespaces, &selected, enabled);
            if !plan.batches.is_empty() {
                let mut with_batches = engine.clone();
                with_batches.set_rego_v0(false);
                if with_batches.add_policy(format!("<{BATCH_PACKAGE}>"), module).is_ok() {
                    engine = with_batches;
                    batches = Some(plan);
                }
            }
        }
        // Analyse once, so every thread's clone starts prepared.
        engine.set_input(Value::new_object());
        engine
            .eval_query("true".to_string(), false)
            .map_err(|e| PolicyError::Parse { file: "policies".into(), message: e.to_string() })?;
        Ok(PolicySet {
            id: NEXT_SET_ID.fetch_add(1, Ordering::Relaxed),
            prototype: Mutex::new(engine),
            batches,
            namespaces,
            tests: tests.into_values().collect(),
            packages,
        })
    }

    /// Sets how long one evaluation may run (default [`DEFAULT_TIME_LIMIT`]); call before evaluating.
    pub fn set_time_limit(&self, limit: Duration) {
        let config = ExecutionTimerConfig { limit, check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN) };
        match self.prototype.lock() {
            Ok(mut e) => e.set_execution_timer_config(config),
            Err(poisoned) => poisoned.into_inner().set_execution_timer_config(config),
        }
    }

    /// Runs `f` with this thread's warm engine for this set (cloned from the prototype on first use).
    pub fn with_engine<R>(&self, f: impl FnOnce(&mut Engine) -> R) -> R {
        WARM.with(|warm| {
            let mut warm = warm.borrow_mut();
            let pos = match warm.iter().position(|(id, _)| *id == self.id) {
                Some(p) => p,
                None => {
                    let engine = match self.prototype.lock() {
                        Ok(e) => e.clone(),
                        Err(poisoned) => poisoned.into_inner().clone(),
                    };
                    // Sets dropped on other threads leave their clones here; keep only the newest few.
                    if warm.len() >= 8 {
                        warm.remove(0);
                    }
                    warm.push((self.id, engine));
                    warm.len() - 1
                }
            };
            f(&mut warm[pos].1)
        })
    }
}

impl Drop for PolicySet {
    fn drop(&mut self) {
        let id = self.id;
        // Only this thread's copy can be released here; other threads' copies go with their thread.
        let _ = WARM.try_with(|w| {
            if let Ok(mut w) = w.try_borrow_mut() {
                w.retain(|(i, _)| *i != id);
            }
        });
    }
}

/// Turns a regorus error into one line, saying when a limit stopped the policy.
pub fn describe_eval_error(e: &anyhow::Error) -> String {
    let text = format!("{e:#}");
    if text.contains("execution exceeded time limit") {
        format!("stopped: the policy ran past the time limit (unbounded iteration or a huge comprehension?) ({text})")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_conftest_rule_names() {
        for n in ["deny", "deny_foo", "deny_foo_bar1", "violation", "violation_x"] {
            assert_eq!(rule_kind(n), Some(RuleKind::Deny), "{n}");
        }
        for n in ["warn", "warn_latest"] {
            assert_eq!(rule_kind(n), Some(RuleKind::Warn), "{n}");
        }
        for n in ["denyx", "deny_", "deny__x", "allow", "warning", "exception", "test_deny"] {
            assert_eq!(rule_kind(n), None, "{n}");
        }
    }

    #[test]
    fn finds_unavailable_builtins_outside_comments_and_strings() {
        assert_eq!(unavailable_builtins("x := http.send({})").map(|u| (u.0, u.1)), Some((1, "http.send")));
        assert!(unavailable_builtins("# http.send is not used\nx := \"http.send\"").is_none());
        assert_eq!(unavailable_builtins("a := 1\nr := opa.runtime()").map(|u| u.0), Some(2));
    }
}
