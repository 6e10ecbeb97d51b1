//! Test suites: cases built from a `resource_customizations` tree or an `argocd-cm` with its test file,
//! each script compiled once, cases run in parallel, results in case order.

use super::argocd_cm::{CmOverrides, CmScript, object_key};
use super::coverage::ranges;
use super::layout::{self, KindDir, TestFile, Tree};
use super::result::{self, HealthStatus, ResourceAction};
use super::sandbox::{self, CompileError, Limits, RunOptions, Script};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Reads a file's text; the error is a sentence.
pub type Reader<'a> = &'a (dyn Fn(&Path) -> Result<String, String> + Sync);

/// What a case checks.
#[derive(Debug, Clone)]
pub enum Check {
    /// A `health_test.yaml` entry.
    Health {
        /// The script Argo CD would pick (none: an empty result).
        script: Option<usize>,
        /// `useOpenLibs`.
        open_libs: bool,
        /// Expected verdict.
        expected: HealthStatus,
    },
    /// A `discoveryTests` entry.
    Discovery {
        /// Discovery scripts, in the order Argo CD runs them.
        scripts: Vec<usize>,
        /// Allowed actions.
        expected: Vec<ResourceAction>,
    },
    /// An `actionTests` entry.
    Action {
        /// The action's script, or why there is none.
        script: Result<usize, String>,
        /// `actionParams`.
        params: BTreeMap<String, String>,
        /// Expected objects, or the expected error text.
        expected: Result<Result<Vec<Value>, String>, String>,
        /// Expected error message (empty when objects are expected).
        expected_error: String,
    },
}

/// One test case.
#[derive(Debug, Clone)]
pub struct Case {
    /// The test file, as displayed.
    pub file: String,
    /// Which entry: `tests[0] testdata/a.yaml`.
    pub label: String,
    /// The input object (or why it could not be read).
    pub input: Result<Value, String>,
    /// What to check.
    pub check: Check,
}

/// A compiled script and where it came from.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Display name (path or argocd-cm key).
    pub origin: String,
    /// The script, or its syntax error.
    pub script: Result<Script, CompileError>,
}

/// A set of cases and the scripts they use.
#[derive(Debug, Clone, Default)]
pub struct Suite {
    /// Scripts, each compiled once.
    pub scripts: Vec<Compiled>,
    /// Cases, in discovery order.
    pub cases: Vec<Case>,
    /// Test files that could not be read or parsed, and layout problems (each counts as a failure).
    pub errors: Vec<String>,
    by_origin: HashMap<String, usize>,
}

/// How a case went.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// Passed.
    pub passed: bool,
    /// Failure details (expected vs actual), one line each.
    pub details: Vec<String>,
    /// What the scripts printed.
    pub printed: Vec<String>,
    /// Executed lines per script index.
    pub coverage: Vec<(usize, BTreeSet<u32>)>,
}

/// Line coverage of one script.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptCoverage {
    /// The script.
    pub origin: String,
    /// Lines holding code.
    pub lines: BTreeSet<u32>,
    /// Lines the tests ran.
    pub hit: BTreeSet<u32>,
}

impl ScriptCoverage {
    /// Lines holding code that no test ran.
    pub fn missed(&self) -> BTreeSet<u32> {
        self.lines.difference(&self.hit).copied().collect()
    }

    /// `path: 12/15 lines (80.0%), not run: 7, 9-10`.
    pub fn summary(&self) -> String {
        let total = self.lines.len();
        let hit = self.lines.intersection(&self.hit).count();
        let pct = if total == 0 { 100.0 } else { hit as f64 * 100.0 / total as f64 };
        let missed = self.missed();
        let tail = if missed.is_empty() { String::new() } else { format!(", not run: {}", ranges(&missed)) };
        format!("{}: {hit}/{total} lines ({pct:.1}%){tail}", self.origin)
    }
}

/// Results of a whole run.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// Per case, in case order.
    pub results: Vec<CaseResult>,
    /// Per script, sorted by origin (only when coverage was asked for).
    pub coverage: Vec<ScriptCoverage>,
}

fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

impl Suite {
    fn compile(&mut self, origin: &str, source: Result<String, String>) -> usize {
        if let Some(&i) = self.by_origin.get(origin) {
            return i;
        }
        let script = match source {
            Ok(text) => Script::compile(origin, &text),
            Err(e) => Err(CompileError { origin: origin.to_owned(), line: None, message: e }),
        };
        self.scripts.push(Compiled { origin: origin.to_owned(), script });
        let i = self.scripts.len() - 1;
        self.by_origin.insert(origin.to_owned(), i);
        i
    }

    fn compile_path(&mut self, path: &Path, read: Reader<'_>) -> usize {
        let origin = display(path);
        if let Some(&i) = self.by_origin.get(&origin) {
            return i;
        }
        self.compile(&origin, read(path))
    }

    fn compile_cm(&mut self, file: &str, s: &CmScript) -> usize {
        self.compile(&format!("{file}: {}", s.origin), Ok(s.source.clone()))
    }

    /// Adds every test of a `resource_customizations` tree. Scripts are chosen by each input object's
    /// group/Kind over the whole tree, as Argo CD does over its built-in scripts; when no directory of
    /// the tree has that key, the scripts beside the test file are used.
    pub fn add_tree(&mut self, tree: &Tree, read: Reader<'_>) {
        for d in tree.dirs.values() {
            if d.health.is_some() && d.health_tests.is_none() {
                self.errors.push(format!("{}: health.lua has no health_test.yaml beside it", display(&d.dir)));
            }
            if let Some(t) = &d.health_tests {
                self.add_health_tests(tree, d, t, read);
            }
            if let Some(t) = &d.action_tests {
                self.add_action_tests(tree, d, t, read);
            }
        }
    }

    fn test_file(&mut self, path: &Path, read: Reader<'_>) -> Option<TestFile> {
        let parsed =
            read(path).and_then(|text| layout::parse_test_file(&text).map_err(|e| format!("{}: {e}", display(path))));
        match parsed {
            Ok(t) => Some(t),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    fn add_health_tests(&mut self, tree: &Tree, d: &KindDir, path: &Path, read: Reader<'_>) {
        let Some(tests) = self.test_file(path, read) else { return };
        let base = path.parent().unwrap_or(Path::new(""));
        for (i, t) in tests.health.iter().enumerate() {
            let input = read_object(&base.join(&t.input_path), read);
            let key = input.as_ref().map(object_key).unwrap_or_default();
            let script_dir = tree
                .health_dir(&key)
                .or(if d.health.is_some() && tree.dirs.values().all(|x| x.key != key) { Some(d) } else { None });
            let script = script_dir.and_then(|sd| sd.health.clone()).map(|p| self.compile_path(&p, read));
            self.cases.push(Case {
                file: display(path),
                label: format!("tests[{i}] {}", t.input_path),
                input,
                check: Check::Health { script, open_libs: true, expected: t.expected.clone() },
            });
        }
    }

    fn add_action_tests(&mut self, tree: &Tree, d: &KindDir, path: &Path, read: Reader<'_>) {
        let Some(tests) = self.test_file(path, read) else { return };
        let base = path.parent().unwrap_or(Path::new(""));
        for (i, t) in tests.discovery.iter().enumerate() {
            let input = read_object(&base.join(&t.input_path), read);
            let key = input.as_ref().map(object_key).unwrap_or_default();
            let dir = tree.actions_dir(&key).or(tree.dirs.values().all(|x| x.key != key).then_some(d));
            let scripts =
                dir.and_then(|x| x.discovery.clone()).map(|p| self.compile_path(&p, read)).into_iter().collect();
            self.cases.push(Case {
                file: display(path),
                label: format!("discoveryTests[{i}] {}", t.input_path),
                input,
                check: Check::Discovery { scripts, expected: t.expected.clone() },
            });
        }
        for (i, t) in tests.actions.iter().enumerate() {
            let input = read_object(&base.join(&t.input_path), read);
            let key = input.as_ref().map(object_key).unwrap_or_default();
            let dir = tree.actions_dir(&key).or(tree.dirs.values().all(|x| x.key != key).then_some(d));
            let script = match dir.and_then(|x| x.actions.get(&t.action)) {
                Some(p) => Ok(self.compile_path(p, read)),
                None => {
                    Err(format!("no action `{}` for {key} (expected {key}/actions/{}/action.lua)", t.action, t.action))
                }
            };
            let expected = expected_of(base, &t.expected_error, &t.expected_output_path, read);
            self.cases.push(Case {
                file: display(path),
                label: format!("actionTests[{i}] {} {}", t.action, t.input_path),
                input,
                check: Check::Action {
                    script,
                    params: t.parameters.clone(),
                    expected,
                    expected_error: t.expected_error.clone(),
                },
            });
        }
    }

    /// Adds the tests of an `argocd-cm` (a `<name>.health_test.yaml` file beside it): scripts are picked
    /// from the ConfigMap as Argo CD picks them for each input's group/Kind, with the override's
    /// `useOpenLibs` (the controller's behaviour, not the test harness's).
    pub fn add_argocd_cm(&mut self, cm_file: &str, cm: &CmOverrides, tests_path: &Path, read: Reader<'_>) {
        let Some(tests) = self.test_file(tests_path, read) else { return };
        let base = tests_path.parent().unwrap_or(Path::new(""));
        for (i, t) in tests.health.iter().enumerate() {
            let input = read_object(&base.join(&t.input_path), read);
            let key = input.as_ref().map(object_key).unwrap_or_default();
            let (script, open_libs) = match cm.health_script(&key) {
                Some((_, s, open)) => (Some(self.compile_cm(cm_file, s)), open),
                None => (None, false),
            };
            self.cases.push(Case {
                file: display(tests_path),
                label: format!("tests[{i}] {}", t.input_path),
                input,
                check: Check::Health { script, open_libs, expected: t.expected.clone() },
            });
        }
        for (i, t) in tests.discovery.iter().enumerate() {
            let input = read_object(&base.join(&t.input_path), read);
            let key = input.as_ref().map(object_key).unwrap_or_default();
            let scripts = cm
                .actions(&key)
                .and_then(|a| a.discovery.as_ref())
                .map(|s| self.compile_cm(cm_file, s))
                .into_iter()
                .collect();
            self.cases.push(Case {
                file: display(tests_path),
                label: format!("discoveryTests[{i}] {}", t.input_path),
                input,
                check: Check::Discovery { scripts, expected: t.expected.clone() },
            });
        }
        for (i, t) in tests.actions.iter().enumerate() {
            let input = read_object(&base.join(&t.input_path), read);
            let key = input.as_ref().map(object_key).unwrap_or_default();
            let def = cm.actions(&key).and_then(|a| a.definitions.iter().find(|d| d.name == t.action));
            let script = match def {
                Some(d) => Ok(self.compile_cm(cm_file, &d.script)),
                None => Err(format!("{cm_file} defines no action `{}` for {key}", t.action)),
            };
            let expected = expected_of(base, &t.expected_error, &t.expected_output_path, read);
            self.cases.push(Case {
                file: display(tests_path),
                label: format!("actionTests[{i}] {} {}", t.action, t.input_path),
                input,
                check: Check::Action {
                    script,
                    params: t.parameters.clone(),
                    expected,
                    expected_error: t.expected_error.clone(),
                },
            });
        }
    }

    /// Runs every case in parallel (results in case order, whatever the thread count).
    pub fn run(&self, coverage: bool, limits: Limits) -> RunReport {
        let results: Vec<CaseResult> = self.cases.par_iter().map(|c| self.run_case(c, coverage, limits)).collect();
        let mut cov = Vec::new();
        if coverage {
            let mut hit: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); self.scripts.len()];
            for r in &results {
                for (i, lines) in &r.coverage {
                    hit[*i].extend(lines);
                }
            }
            for (i, c) in self.scripts.iter().enumerate() {
                if let Ok(s) = &c.script {
                    cov.push(ScriptCoverage {
                        origin: c.origin.clone(),
                        lines: (*s.lines).clone(),
                        hit: std::mem::take(&mut hit[i]),
                    });
                }
            }
            cov.sort_by(|a, b| a.origin.cmp(&b.origin));
        }
        RunReport { results, coverage: cov }
    }

    fn script(&self, i: usize) -> Result<&Script, String> {
        match &self.scripts[i].script {
            Ok(s) => Ok(s),
            Err(e) => Err(match e.line {
                Some(l) => format!("{} does not compile: line {l}: {}", e.origin, e.message),
                None => format!("{} does not compile: {}", e.origin, e.message),
            }),
        }
    }

    fn run_case(&self, case: &Case, coverage: bool, limits: Limits) -> CaseResult {
        let mut r = CaseResult { passed: false, details: Vec::new(), printed: Vec::new(), coverage: Vec::new() };
        let obj = match &case.input {
            Ok(v) => v,
            Err(e) => {
                r.details.push(format!("cannot read the input object: {e}"));
                return r;
            }
        };
        let mut exec =
            |i: usize, open_libs: bool, params: &BTreeMap<String, String>| -> Result<sandbox::Returned, String> {
                let script = self.script(i)?;
                let opts = RunOptions { open_libs, params: params.clone(), coverage, limits };
                let out = sandbox::run(script, obj, &opts);
                r.printed.extend(out.printed);
                if coverage {
                    r.coverage.push((i, out.lines));
                }
                out.result.map_err(|e| e.to_string())
            };
        let no_params = BTreeMap::new();
        let mut details = Vec::new();
        let passed = match &case.check {
            Check::Health { script, open_libs, expected } => {
                let actual = match script {
                    None => Ok(HealthStatus::default()),
                    Some(i) => exec(*i, *open_libs, &no_params).and_then(|ret| result::health_from(&ret)),
                };
                match actual {
                    Ok(a) if &a == expected => true,
                    Ok(a) => {
                        details.push(format!("expected: {}", status_json(expected)));
                        details.push(format!("actual:   {}", status_json(&a)));
                        if script.is_none() {
                            details.push(format!("no health script for {}", object_key(obj)));
                        }
                        false
                    }
                    Err(e) => {
                        details.push(format!("expected: {}", status_json(expected)));
                        details.push(format!("actual:   error: {e}"));
                        false
                    }
                }
            }
            Check::Discovery { scripts, expected } => {
                if scripts.is_empty() {
                    details.push("no action discovery script provided".to_owned());
                    false
                } else {
                    let mut returned = Vec::new();
                    let mut err = None;
                    for &i in scripts {
                        match exec(i, false, &no_params) {
                            Ok(v) => returned.push(v),
                            Err(e) => {
                                err = Some(e);
                                break;
                            }
                        }
                    }
                    match err.map_or_else(|| result::discovery_from(&returned), Err) {
                        Err(e) => {
                            details.push(format!("error: {e}"));
                            false
                        }
                        Ok(found) => {
                            let missing: Vec<&ResourceAction> =
                                found.iter().filter(|a| !expected.contains(a)).collect();
                            for a in &missing {
                                details.push(format!("discovered action not in `result`: {}", json(a)));
                            }
                            if !missing.is_empty() {
                                details.push(format!("expected one of: {}", json(expected)));
                            }
                            missing.is_empty()
                        }
                    }
                }
            }
            Check::Action { script, params, expected, expected_error } => match script {
                Err(e) => {
                    details.push(e.clone());
                    false
                }
                Ok(i) => {
                    let out = exec(*i, false, params).and_then(|ret| result::action_from(&ret, obj));
                    check_action(obj, out, expected, expected_error, &mut details)
                }
            },
        };
        r.passed = passed;
        r.details = details;
        r
    }
}

fn read_object(path: &Path, read: Reader<'_>) -> Result<Value, String> {
    let text = read(path)?;
    layout::parse_input_object(&text).map_err(|e| format!("{}: {e}", display(path)))
}

fn expected_of(
    base: &Path,
    expected_error: &str,
    output_path: &str,
    read: Reader<'_>,
) -> Result<Result<Vec<Value>, String>, String> {
    if !expected_error.is_empty() {
        return Ok(Err(expected_error.to_owned()));
    }
    let p = base.join(output_path);
    let text = read(&p)?;
    layout::parse_expected_objects(&text).map(Ok).map_err(|e| format!("{}: {e}", display(&p)))
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// `{"status": "Healthy", "message": "ok"}`.
pub fn status_json(s: &HealthStatus) -> String {
    format!("{{\"status\": {}, \"message\": {}}}", json(&s.status), json(&s.message))
}

fn check_action(
    source: &Value,
    out: Result<Vec<result::ImpactedResource>, String>,
    expected: &Result<Result<Vec<Value>, String>, String>,
    expected_error: &str,
    details: &mut Vec<String>,
) -> bool {
    let expected = match expected {
        Err(e) => {
            details.push(format!("cannot read the expected output: {e}"));
            return false;
        }
        Ok(x) => x,
    };
    let resources = match (out, expected) {
        (Err(actual), Err(want)) => {
            if &actual == want {
                return true;
            }
            details.push(format!("expected error: {want}"));
            details.push(format!("actual error:   {actual}"));
            return false;
        }
        (Ok(_), Err(want)) => {
            details.push(format!("expected error: {want}"));
            details.push("actual:         no error".to_owned());
            return false;
        }
        (Err(actual), Ok(_)) => {
            details.push(format!("error: {actual}"));
            return false;
        }
        (Ok(r), Ok(_)) if !expected_error.is_empty() => r,
        (Ok(r), Ok(_)) => r,
    };
    let Ok(expected_objs) = expected else { return false };
    let mut ok = true;
    for r in resources {
        let mut actual = r.resource.clone();
        let Some(want) = find_expected(expected_objs, &actual, source) else {
            details.push(format!(
                "no expected object matches the {} {} {}/{} the action returned",
                r.operation,
                gvk(&actual),
                meta(&actual, "namespace"),
                meta(&actual, "name")
            ));
            ok = false;
            continue;
        };
        if r.operation == "patch"
            && (gvk(&actual) != gvk(source)
                || meta(&actual, "name") != meta(source, "name")
                || meta(&actual, "namespace") != meta(source, "namespace"))
        {
            details.push(format!(
                "a patch must return the source object, got {} {}",
                gvk(&actual),
                meta(&actual, "name")
            ));
            ok = false;
        }
        if r.operation == "create"
            && matches!(actual.get("kind").and_then(Value::as_str), Some("Job") | Some("Workflow"))
            && let (Some(m), Some(n)) = (
                actual.get_mut("metadata").and_then(Value::as_object_mut),
                want.get("metadata").and_then(|m| m.get("name")),
            )
        {
            m.insert("name".to_owned(), n.clone());
        }
        let mut want = want.clone();
        normalize_for_test(&mut want);
        normalize_for_test(&mut actual);
        let filtered = remove_fields(&want, &actual);
        if !expected_equal(&want, &filtered) {
            ok = false;
            details.push(format!("{} {} differs from the expected output:", gvk(&actual), meta(&actual, "name")));
            diff_lines("", &want, &filtered, details);
        }
    }
    ok
}

fn meta<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get("metadata").and_then(|m| m.get(field)).and_then(Value::as_str).unwrap_or("")
}

fn gvk(v: &Value) -> String {
    format!(
        "{}/{}",
        v.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
        v.get("kind").and_then(Value::as_str).unwrap_or("")
    )
}

fn find_expected<'a>(expected: &'a [Value], actual: &Value, source: &Value) -> Option<&'a Value> {
    let kind = actual.get("kind").and_then(Value::as_str).unwrap_or("");
    let src_kind = source.get("kind").and_then(Value::as_str).unwrap_or("");
    let derived = (kind == "Job" && src_kind == "CronJob")
        || (kind == "Workflow" && (src_kind == "CronWorkflow" || src_kind == "WorkflowTemplate"));
    expected.iter().find(|u| {
        gvk(u) == gvk(actual)
            && meta(u, "namespace") == meta(actual, "namespace")
            && if derived {
                meta(u, "name").starts_with(meta(source, "name"))
            } else {
                meta(u, "name") == meta(actual, "name")
            }
    })
}

/// gitops-engine's two-way diff keeps only the fields the expected object has (`RemoveMapFields`).
fn remove_fields(config: &Value, live: &Value) -> Value {
    match (config, live) {
        (Value::Object(c), Value::Object(l)) => {
            let mut out = serde_json::Map::new();
            for (k, cv) in c {
                if let Some(lv) = l.get(k) {
                    out.insert(k.clone(), if lv.is_null() { Value::Null } else { remove_fields(cv, lv) });
                }
            }
            Value::Object(out)
        }
        (Value::Array(c), Value::Array(l)) => Value::Array(
            l.iter()
                .enumerate()
                .map(|(i, lv)| match c.get(i) {
                    Some(cv) if !lv.is_null() => remove_fields(cv, lv),
                    _ => lv.clone(),
                })
                .collect(),
        ),
        _ => live.clone(),
    }
}

/// The expected object against the filtered actual one: a `null` in the expected object means "absent"
/// (a JSON merge patch deletes with `null`), numbers compare by value.
fn expected_equal(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            w.iter().all(|(k, wv)| match g.get(k) {
                None => wv.is_null(),
                Some(gv) => expected_equal(wv, gv),
            }) && g.keys().all(|k| w.contains_key(k))
        }
        (Value::Array(w), Value::Array(g)) => w.len() == g.len() && w.iter().zip(g).all(|(a, b)| expected_equal(a, b)),
        _ => json_equal(want, got),
    }
}

/// Equality with numbers compared by value (Lua returns floats where the YAML had integers).
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn diff_lines(path: &str, want: &Value, got: &Value, out: &mut Vec<String>) {
    if out.len() > 40 {
        return;
    }
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            let keys: BTreeSet<&String> = w.keys().chain(g.keys()).collect();
            for k in keys {
                let p = format!("{path}.{k}");
                match (w.get(k), g.get(k)) {
                    (Some(a), Some(b)) => diff_lines(&p, a, b, out),
                    (Some(a), None) if !a.is_null() => out.push(format!("  {p}: expected {}, missing", json(a))),
                    (Some(_), None) => {}
                    (None, Some(b)) => out.push(format!("  {p}: not expected, got {}", json(b))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(w), Value::Array(g)) if w.len() == g.len() => {
            for (i, (a, b)) in w.iter().zip(g).enumerate() {
                diff_lines(&format!("{path}[{i}]"), a, b, out);
            }
        }
        _ if json_equal(want, got) => {}
        _ => out.push(format!(
            "  {}: expected {}, got {}",
            if path.is_empty() { "." } else { path },
            json(want),
            json(got)
        )),
    }
}

/// Argo CD's action-test normaliser (`testNormalizer` in `util/lua/custom_actions_test.go`): fields an
/// action fills with the current time are set to fixed values on both sides before comparing.
fn normalize_for_test(obj: &mut Value) {
    let api = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("").to_owned();
    let group = api.rsplit_once('/').map_or("", |(g, _)| g).to_owned();
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("").to_owned();
    let zero = "0001-01-01T00:00:00Z";
    let flux = serde_json::json!({"reconcile.fluxcd.io/requestedAt": "By Argo CD at: 0001-01-01T00:00:00"});
    match (group.as_str(), kind.as_str()) {
        ("batch", "Job") => {
            if let Some(Value::Array(conds)) = obj.pointer_mut("/status/conditions") {
                for c in conds {
                    if c.get("type").and_then(Value::as_str) == Some("FailureTarget") {
                        c["lastTransitionTime"] = Value::from(zero);
                    }
                }
            }
        }
        ("apps", "DaemonSet" | "Deployment" | "StatefulSet") => {
            set(
                obj,
                &["spec", "template", "metadata", "annotations"],
                serde_json::json!({"kubectl.kubernetes.io/restartedAt": zero}),
            );
            if kind == "Deployment" {
                set(obj, &["status"], Value::Null);
                set(obj, &["metadata", "creationTimestamp"], Value::Null);
                set(obj, &["metadata", "generation"], Value::Null);
            }
        }
        ("argoproj.io", "Rollout") => set(obj, &["spec", "restartAt"], Value::Null),
        ("argoproj.io", "Workflow") => {
            set(obj, &["metadata", "resourceVersion"], Value::Null);
            set(obj, &["metadata", "uid"], Value::Null);
            set(obj, &["metadata", "annotations", "workflows.argoproj.io/scheduled-time"], Value::Null);
        }
        ("external-secrets.io", "ExternalSecret" | "PushSecret") => {
            set(obj, &["metadata", "annotations"], serde_json::json!({"force-sync": zero}));
        }
        ("postgresql.cnpg.io", "Cluster") => {
            let mut ann = match obj.pointer("/metadata/annotations") {
                Some(Value::Object(m)) => m.clone(),
                _ => serde_json::Map::new(),
            };
            ann.insert("cnpg.io/reloadedAt".to_owned(), Value::from(zero));
            ann.insert("kubectl.kubernetes.io/restartedAt".to_owned(), Value::from(zero));
            set(obj, &["metadata", "annotations"], Value::Object(ann));
            set(obj, &["status", "targetPrimaryTimestamp"], Value::Null);
        }
        ("helm.toolkit.fluxcd.io", "HelmRelease")
        | ("source.toolkit.fluxcd.io", "Bucket" | "GitRepository" | "HelmChart" | "HelmRepository" | "OCIRepository")
        | ("image.toolkit.fluxcd.io", "ImageRepository" | "ImageUpdateAutomation")
        | ("kustomize.toolkit.fluxcd.io", "Kustomization")
        | ("notification.toolkit.fluxcd.io", "Receiver") => set(obj, &["metadata", "annotations"], flux),
        _ => {}
    }
}

/// `unstructured.SetNestedField`: creates missing maps on the way.
fn set(obj: &mut Value, path: &[&str], value: Value) {
    let mut cur = obj;
    for (i, seg) in path.iter().enumerate() {
        let Value::Object(m) = cur else { return };
        if i == path.len() - 1 {
            m.insert((*seg).to_owned(), value);
            return;
        }
        cur = m.entry((*seg).to_owned()).or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
}
