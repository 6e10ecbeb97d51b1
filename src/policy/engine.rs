//! The compiled policy set: Rego sources parsed and analysed once, cloned into one warm regorus engine
//! per worker thread, and evaluated with conftest's conventions.

use super::PolicyError;
use super::metadata::{Annotation, annotations};
use crate::report::Severity;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::program::Program;
use regorus::rvm::vm::RegoVM;
use regorus::unstable::{Expr, Rule, RuleHead};
use regorus::utils::limits::ExecutionTimerConfig;
use regorus::{Engine, Value};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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

/// Rules compiled to regorus's bytecode VM ([`PolicySet::use_vm`]).
struct VmProgram {
    program: Arc<Program>,
    /// `data`, as the interpreter sees it.
    data: Value,
}

/// What of a set runs on the VM.
#[derive(Default)]
struct VmPrograms {
    /// The batches: entry point `i` is batch `i`.
    batches: Option<VmProgram>,
    /// A program per combined rule, by query (one program each, so that a rule the VM cannot take
    /// leaves the others on it).
    rules: Vec<(String, VmProgram)>,
}

/// Policies compiled once per process; evaluation clones a warm engine per thread.
pub struct PolicySet {
    id: u64,
    prototype: Mutex<Engine>,
    /// How long one evaluation may run.
    timer: Mutex<ExecutionTimerConfig>,
    /// Per-document rules gathered per kind ([`PolicySet::compile_batched`]); `None` = rule by rule.
    pub batches: Option<Batches>,
    vm: VmPrograms,
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
    static WARM_VM: RefCell<Vec<WarmVm>> = const { RefCell::new(Vec::new()) };
}

/// A thread's VM for program `.0.1` of set `.0.0` (or why it could not be made).
type WarmVm = ((u64, usize), anyhow::Result<RegoVM>);

/// Clones of a set kept per thread; sets dropped on other threads leave their clones behind, so
/// only the newest few are kept.
const WARM_PER_THREAD: usize = 16;

/// The warm per-thread copy for set `id` in `warm`, made by `make` on first use.
fn warm_slot<K: PartialEq, T>(warm: &mut Vec<(K, T)>, id: K, make: impl FnOnce() -> T) -> &mut T {
    let pos = match warm.iter().position(|(i, _)| *i == id) {
        Some(p) => p,
        None => {
            if warm.len() >= WARM_PER_THREAD {
                warm.remove(0);
            }
            warm.push((id, make()));
            warm.len() - 1
        }
    };
    &mut warm[pos].1
}

fn timer_config(limit: Duration) -> ExecutionTimerConfig {
    ExecutionTimerConfig { limit, check_interval: NonZeroU32::new(64).unwrap_or(NonZeroU32::MIN) }
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

/// Adds `src` to `engine`, with the variables that OPA scopes to a comprehension renamed
/// ([`super::scope`]) when regorus would otherwise merge them with a variable of the same name.
fn add_scoped(engine: &mut Engine, src: &PolicySource) -> anyhow::Result<()> {
    // Only a comprehension (`|`) or an `every` body opens a scope of its own.
    let may_need = src.text.contains('|') || src.text.contains("every");
    let before = may_need.then(|| engine.clone());
    engine.add_policy(src.path.clone(), src.text.clone())?;
    let Some(before) = before else { return Ok(()) };
    let renamed = engine.get_modules().last().and_then(|m| super::scope::rewrite_module(m, &src.text));
    if let Some(text) = renamed {
        let original = std::mem::replace(engine, before);
        // Renaming local variables keeps the text valid Rego; should it ever not, the policy is
        // compiled from its own text, as it would be without the renaming.
        if engine.add_policy(src.path.clone(), text).is_err() {
            *engine = original;
        }
    }
    Ok(())
}

/// Rego v1 is tried first (conftest's default); a file that does not parse as v1 is tried as v0
/// (`deny[msg] { ... }`). The reported error is the v1 one unless the file looks like v0.
fn add_source(engine: &mut Engine, src: &PolicySource) -> Result<(), PolicyError> {
    if let Some((line, name, why)) = unavailable_builtins(&src.text) {
        return Err(PolicyError::Unavailable { file: src.path.clone(), line, builtin: name.to_string(), why });
    }
    super::guard::check_nesting(&src.path, &src.text)?;
    engine.set_rego_v0(false);
    let v1 = add_scoped(engine, src);
    let Err(v1_err) = v1 else {
        return Ok(());
    };
    engine.set_rego_v0(true);
    let v0 = add_scoped(engine, src);
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
        // `print()` output is gathered and written to stderr after each evaluation as conftest's
        // `PRNT   <file>:<line>: <text>` lines, without disturbing the report on stdout.
        engine.set_gather_prints(true);
        engine.set_execution_timer_config(timer_config(DEFAULT_TIME_LIMIT));
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
                // conftest refuses `deny[msg] if { ... }` (Rego v1: an object whose values are `true`,
                // not the set of messages the author meant) rather than reading it as no result.
                if let Rule::Spec { head: RuleHead::Compr { refr, assign: None, .. }, span, .. } = rule.as_ref()
                    && let Expr::RefBrack { refr: base, .. } = refr.as_ref()
                    && let Ok(base_name) = regorus::utils::get_path_string(base, None)
                    && rule_kind(&base_name).is_some()
                {
                    return Err(PolicyError::Parse {
                        file: format!("{file}:{}", span.line),
                        message: format!(
                            "rule is using 'if' keyword without 'contains' keyword: `{base_name}[...] if {{ ... }}` \
                             defines an object whose values are `true`, not a set of messages; write \
                             `{base_name} contains msg if {{ ... }}`"
                        ),
                    });
                }
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
            timer: Mutex::new(timer_config(DEFAULT_TIME_LIMIT)),
            batches,
            vm: VmPrograms::default(),
            namespaces,
            tests: tests.into_values().collect(),
            packages,
        })
    }

    /// Sets how long one evaluation may run (default [`DEFAULT_TIME_LIMIT`]); call before evaluating.
    pub fn set_time_limit(&self, limit: Duration) {
        let config = timer_config(limit);
        *self.timer.lock().unwrap_or_else(|p| p.into_inner()) = config;
        self.prototype.lock().unwrap_or_else(|p| p.into_inner()).set_execution_timer_config(config);
    }

    /// Compiles the batches and the combined (`combine`) rules to regorus's bytecode VM (RVM), which
    /// evaluates them several times faster than the tree-walking interpreter. Used for the built-in
    /// packs, whose rules differential tests hold to the interpreter's results; user policies stay
    /// on the interpreter, whose conftest semantics are the ones verified.
    ///
    /// What the VM cannot take stays on the interpreter: a program that does not compile, or one that
    /// reaches a rule the VM is known to get wrong ([`rules_the_vm_gets_wrong`]). Returns how many
    /// programs run on the VM.
    pub fn use_vm(&mut self) -> usize {
        let mut engine = self.prototype.lock().unwrap_or_else(|p| p.into_inner()).clone();
        let refused = rules_the_vm_gets_wrong(&mut engine);
        if let Some(batches) = &self.batches {
            let entries: Vec<&str> = batches.batches.iter().map(|(q, _)| q.as_str()).collect();
            self.vm.batches = compile_for_vm(&mut engine, &entries, &refused);
        }
        let combined: Vec<String> =
            self.namespaces.iter().flat_map(|n| &n.rules).filter(|r| r.combine).map(|r| r.query.clone()).collect();
        for query in combined {
            if let Some(p) = compile_for_vm(&mut engine, &[query.as_str()], &refused) {
                self.vm.rules.push((query, p));
            }
        }
        usize::from(self.vm.batches.is_some()) + self.vm.rules.len()
    }

    /// Whether the batches run on the bytecode VM.
    pub fn batches_on_vm(&self) -> bool {
        self.vm.batches.is_some()
    }

    /// Whether the rule evaluated by `query` runs on the bytecode VM on its own.
    pub fn rule_on_vm(&self, query: &str) -> bool {
        self.vm.rules.iter().any(|(q, _)| q == query)
    }

    /// Runs `f` with this thread's warm engine for this set (cloned from the prototype on first use).
    pub fn with_engine<R>(&self, f: impl FnOnce(&mut Engine) -> R) -> R {
        WARM.with(|warm| {
            let mut warm = warm.borrow_mut();
            let engine =
                warm_slot(&mut warm, self.id, || self.prototype.lock().unwrap_or_else(|p| p.into_inner()).clone());
            let out = f(engine);
            if let Ok(prints) = engine.take_prints()
                && !prints.is_empty()
            {
                let mut stderr = std::io::stderr().lock();
                for line in prints {
                    let _ = writeln!(stderr, "PRNT   {line}");
                }
            }
            out
        })
    }

    /// Evaluates batch `b` on `input` with this thread's VM; `None` when the batches do not run on
    /// the VM. An error (the time limit, a failing builtin) is returned for the caller to retry on the
    /// interpreter, which names the failing rule.
    pub fn eval_batch_on_vm(&self, b: usize, input: &Value) -> Option<anyhow::Result<Value>> {
        let program = self.vm.batches.as_ref()?;
        Some(self.run_vm(0, program, b, input))
    }

    /// Evaluates the rule `query` on `input` with this thread's VM; `None` when it does not run on
    /// the VM.
    pub fn eval_rule_on_vm(&self, query: &str, input: &Value) -> Option<anyhow::Result<Value>> {
        let i = self.vm.rules.iter().position(|(q, _)| q == query)?;
        let program = &self.vm.rules[i].1;
        Some(self.run_vm(i + 1, program, 0, input))
    }

    /// Runs entry point `entry` of `program` (the set's `n`th) with this thread's warm VM for it.
    fn run_vm(&self, n: usize, program: &VmProgram, entry: usize, input: &Value) -> anyhow::Result<Value> {
        WARM_VM.with(|warm| {
            let mut warm = warm.borrow_mut();
            let timer = || *self.timer.lock().unwrap_or_else(|p| p.into_inner());
            let slot = warm_slot(&mut warm, (self.id, n), || program.machine(timer()));
            let machine = slot.as_mut().map_err(|e| anyhow::anyhow!("{e:#}"))?;
            machine.set_input(input.clone());
            let result = machine.execute_entry_point_by_index(entry);
            // Not kept alive by the thread's VM until its next evaluation.
            machine.set_input(Value::Undefined);
            Ok(result?)
        })
    }
}

/// The VM program for `entries`, or `None` when it does not compile, reaches a rule in `refused`, or
/// cannot take the set's data.
fn compile_for_vm(engine: &mut Engine, entries: &[&str], refused: &[String]) -> Option<VmProgram> {
    let policy = engine.compile_with_entrypoint(&regorus::Rc::from(*entries.first()?)).ok()?;
    let mut program = Compiler::compile_from_policy(&policy, entries).ok()?;
    super::fast::install_in_program(Arc::get_mut(&mut program)?);
    let in_order =
        program.entry_points.len() == entries.len() && program.entry_points.keys().zip(entries).all(|(a, b)| a == b);
    let reaches_refused = program.rule_infos.iter().any(|r| {
        refused.iter().any(|p| {
            r.name.strip_prefix(p.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
        })
    });
    if !in_order || reaches_refused {
        return None;
    }
    let vm = VmProgram { program, data: engine.get_data() };
    vm.machine(timer_config(DEFAULT_TIME_LIMIT)).ok()?;
    Some(vm)
}

impl VmProgram {
    /// A VM loaded with the program and `data`.
    fn machine(&self, timer: ExecutionTimerConfig) -> anyhow::Result<RegoVM> {
        let mut m = RegoVM::new();
        m.load_program(self.program.clone());
        m.set_data(self.data.clone())?;
        // The interpreter's limits apply: the time limit, not an instruction count.
        m.set_max_instructions(usize::MAX);
        m.set_strict_builtin_errors(false);
        m.set_execution_timer_config(Some(timer));
        Ok(m)
    }
}

/// The paths (`data.pkg.rule`) of the rules regorus 0.14's bytecode VM evaluates differently from
/// its interpreter (and from OPA): a set rule with a key (`p[k] contains v`), which the VM builds
/// as a flat set; a function with an `else`, whose `else` the VM skips when the body before it is
/// undefined.
fn rules_the_vm_gets_wrong(engine: &mut Engine) -> Vec<String> {
    let mut out = Vec::new();
    for module in engine.get_modules().iter() {
        let Ok(package) = regorus::utils::get_path_string(&module.package.refr, Some("data")) else { continue };
        for rule in &module.policy {
            let refr = match rule.as_ref() {
                Rule::Spec { head: RuleHead::Set { refr, .. }, .. } if has_variable_key(refr) => refr,
                Rule::Spec { head: RuleHead::Func { refr, .. }, bodies, .. } if bodies.iter().any(|b| b.is_else) => {
                    refr
                }
                _ => continue,
            };
            if let Ok(name) = regorus::utils::get_path_string(refr, None) {
                out.push(format!("{package}.{name}"));
            }
        }
    }
    out
}

/// Whether a rule head's reference has a component that is not a string (`p[k]`, `p[1]`).
fn has_variable_key(refr: &Expr) -> bool {
    match refr {
        Expr::RefBrack { refr, index, .. } => !matches!(index.as_ref(), Expr::String { .. }) || has_variable_key(refr),
        Expr::RefDot { refr, .. } => has_variable_key(refr),
        _ => false,
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
        let _ = WARM_VM.try_with(|w| {
            if let Ok(mut w) = w.try_borrow_mut() {
                w.retain(|((i, _), _)| *i != id);
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
