//! Argo CD's `resource_customizations` layout:
//!
//! ```text
//! <group>/<Kind>/health.lua
//! <group>/<Kind>/health_test.yaml          tests: [{inputPath, healthStatus: {status, message}}]
//! <group>/<Kind>/testdata/*.yaml
//! <group>/<Kind>/actions/discovery.lua
//! <group>/<Kind>/actions/<action>/action.lua
//! <group>/<Kind>/actions/action_test.yaml  discoveryTests: [...], actionTests: [...]
//! ```
//!
//! Wildcard directories use `_` for `*` (`_.crossplane.io/_`). This module only describes and parses;
//! reading the files is the caller's job (the `health test` command reads them).

use super::glob;
use super::result::{HealthStatus, ResourceAction, read_resource_action};
use crate::yaml::{self, IssueKind, Limits};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The scripts and test files of one `<group>/<Kind>` directory.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindDir {
    /// The directory.
    pub dir: PathBuf,
    /// `group/Kind` from the last two path components (`_` kept: it is a glob when present).
    pub key: String,
    /// `health.lua`.
    pub health: Option<PathBuf>,
    /// `health_test.yaml`.
    pub health_tests: Option<PathBuf>,
    /// `actions/discovery.lua`.
    pub discovery: Option<PathBuf>,
    /// `actions/<name>/action.lua`, by name.
    pub actions: BTreeMap<String, PathBuf>,
    /// `actions/action_test.yaml`.
    pub action_tests: Option<PathBuf>,
}

/// Every kind directory found under some roots, indexed by key.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    /// By directory path (deterministic order).
    pub dirs: BTreeMap<PathBuf, KindDir>,
}

fn key_of(dir: &Path) -> String {
    let kind = dir.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match dir.parent().and_then(Path::file_name) {
        Some(g) => format!("{}/{kind}", g.to_string_lossy()),
        None => kind,
    }
}

impl Tree {
    /// Files (relative or absolute paths) sorted into kind directories. Paths not in the layout are ignored.
    pub fn from_files(files: &[PathBuf]) -> Tree {
        let mut tree = Tree::default();
        for f in files {
            let Some(name) = f.file_name().and_then(|n| n.to_str()) else { continue };
            let parent = f.parent().unwrap_or(Path::new(""));
            let parent_name = parent.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let (kind_dir, slot) = match name {
                "health.lua" => (parent.to_path_buf(), 0),
                "health_test.yaml" => (parent.to_path_buf(), 1),
                "discovery.lua" if parent_name == "actions" => {
                    (parent.parent().unwrap_or(Path::new("")).to_path_buf(), 2)
                }
                "action_test.yaml" if parent_name == "actions" => {
                    (parent.parent().unwrap_or(Path::new("")).to_path_buf(), 3)
                }
                "action.lua" => {
                    let actions = parent.parent().unwrap_or(Path::new(""));
                    if actions.file_name().and_then(|n| n.to_str()) != Some("actions") {
                        continue;
                    }
                    (actions.parent().unwrap_or(Path::new("")).to_path_buf(), 4)
                }
                _ => continue,
            };
            let entry = tree.dirs.entry(kind_dir.clone()).or_insert_with(|| KindDir {
                key: key_of(&kind_dir),
                dir: kind_dir.clone(),
                ..KindDir::default()
            });
            match slot {
                0 => entry.health = Some(f.clone()),
                1 => entry.health_tests = Some(f.clone()),
                2 => entry.discovery = Some(f.clone()),
                3 => entry.action_tests = Some(f.clone()),
                _ => {
                    entry.actions.insert(parent_name.to_owned(), f.clone());
                }
            }
        }
        tree
    }

    /// `GetHealthScript` over this tree as the built-in set: the kind directory named after the key with a
    /// `health.lua`, else the first wildcard directory (sorted, `_` = `*`, `*` within one segment).
    pub fn health_dir(&self, key: &str) -> Option<&KindDir> {
        let mut exact = self.dirs.values().filter(|d| d.health.is_some() && d.key == key);
        if let Some(d) = exact.next() {
            return Some(d);
        }
        let mut wild: Vec<&KindDir> =
            self.dirs.values().filter(|d| d.health.is_some() && d.key.contains('_')).collect();
        wild.sort_by(|a, b| a.key.cmp(&b.key));
        wild.into_iter().find(|d| glob::path_match(&d.key.replace('_', "*"), key))
    }

    /// The kind directory whose actions Argo CD would use for `key` (exact key only).
    pub fn actions_dir(&self, key: &str) -> Option<&KindDir> {
        self.dirs.values().find(|d| d.key == key && (d.discovery.is_some() || !d.actions.is_empty()))
    }
}

/// One entry of `health_test.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct HealthTest {
    /// `inputPath`, relative to the test file's directory.
    pub input_path: String,
    /// `healthStatus` (a missing message is empty).
    pub expected: HealthStatus,
}

/// One entry of `discoveryTests`.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveryTest {
    /// `inputPath`.
    pub input_path: String,
    /// `result`: every discovered action must be one of these.
    pub expected: Vec<ResourceAction>,
}

/// One entry of `actionTests`.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionTest {
    /// `action`.
    pub action: String,
    /// `inputPath`.
    pub input_path: String,
    /// `expectedOutputPath` (empty when an error is expected).
    pub expected_output_path: String,
    /// `expectedErrorMessage`.
    pub expected_error: String,
    /// `parameters`.
    pub parameters: BTreeMap<String, String>,
}

/// A parsed test file (`health_test.yaml` and/or `action_test.yaml` fields).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TestFile {
    /// `tests`.
    pub health: Vec<HealthTest>,
    /// `discoveryTests`.
    pub discovery: Vec<DiscoveryTest>,
    /// `actionTests`.
    pub actions: Vec<ActionTest>,
}

/// A field as Go's `encoding/json` finds it: the exact key, else a case-insensitive match
/// (Argo CD's own tree has `inputpath:` entries that Go reads as `inputPath`).
fn field<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let map = v.as_object()?;
    map.get(key).or_else(|| map.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v))
}

fn str_field(v: &Value, key: &str) -> String {
    match field(v, key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn list<'a>(v: &'a Value, key: &str) -> Result<&'a [Value], String> {
    match field(v, key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(format!("`{key}` must be a list")),
    }
}

/// Parses a test file's text (either kind; the fields present decide).
pub fn parse_test_file(text: &str) -> Result<TestFile, String> {
    let loaded = yaml::load(text, &Limits::default());
    if let Some(issue) = loaded.issues.first() {
        return Err(format!("line {}: {}", issue.span.line, issue.message));
    }
    let Some(doc) = loaded.docs.into_iter().next() else { return Ok(TestFile::default()) };
    let v = doc.value;
    if !v.is_object() && !v.is_null() {
        return Err("a test file must be a mapping with `tests`, `discoveryTests` or `actionTests`".to_owned());
    }
    let mut out = TestFile::default();
    for (i, t) in list(&v, "tests")?.iter().enumerate() {
        let hs = field(t, "healthStatus").cloned().unwrap_or(Value::Null);
        if !hs.is_object() && !hs.is_null() {
            return Err(format!("tests[{i}].healthStatus must be a mapping with status and message"));
        }
        out.health.push(HealthTest {
            input_path: str_field(t, "inputPath"),
            expected: HealthStatus::new(str_field(&hs, "status"), str_field(&hs, "message")),
        });
    }
    for (i, t) in list(&v, "discoveryTests")?.iter().enumerate() {
        let mut expected = Vec::new();
        for (j, r) in list(t, "result")?.iter().enumerate() {
            let mut a = ResourceAction::default();
            read_resource_action(r, &mut a).map_err(|e| format!("discoveryTests[{i}].result[{j}]: {e}"))?;
            expected.push(a);
        }
        out.discovery.push(DiscoveryTest { input_path: str_field(t, "inputPath"), expected });
    }
    for t in list(&v, "actionTests")? {
        let mut parameters = BTreeMap::new();
        if let Some(Value::Object(p)) = field(t, "parameters") {
            for (k, v) in p {
                parameters.insert(
                    k.clone(),
                    match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    },
                );
            }
        }
        out.actions.push(ActionTest {
            action: str_field(t, "action"),
            input_path: str_field(t, "inputPath"),
            expected_output_path: str_field(t, "expectedOutputPath"),
            expected_error: str_field(t, "expectedErrorMessage"),
            parameters,
        });
    }
    Ok(out)
}

/// Reads an object file's first YAML document, as Argo CD's test harness does (sigs.k8s.io/yaml, which
/// tolerates duplicate keys: the loader's value is used).
pub fn parse_object(text: &str) -> Result<Value, String> {
    let loaded = yaml::load(text, &Limits::default());
    let fatal = loaded.issues.iter().find(|i| !matches!(i.kind, IssueKind::DuplicateKey | IssueKind::UnquotedTemplate));
    if let Some(issue) = fatal {
        return Err(format!("line {}: {}", issue.span.line, issue.message));
    }
    Ok(loaded.docs.into_iter().next().map_or(Value::Null, |d| d.value))
}

/// Reads a test's input object (`inputPath`) as Argo CD's test harness does (`sigs.k8s.io/yaml`
/// into a `map[string]any`): the first document only (later ones are ignored, as there), an empty file
/// as an empty object, and a list or a scalar as an error.
pub fn parse_input_object(text: &str) -> Result<Value, String> {
    match parse_object(text)? {
        Value::Null => Ok(Value::Object(serde_json::Map::new())),
        v @ Value::Object(_) => Ok(v),
        other => {
            let what = match other {
                Value::Array(_) => "a list",
                Value::String(_) => "a string",
                Value::Bool(_) => "a boolean",
                _ => "a number",
            };
            let go = match other {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Bool(_) => "bool",
                _ => "number",
            };
            Err(format!(
                "the document is {what}, not an object (Argo CD's test harness fails the same way: json: cannot \
                 unmarshal {go} into Go value of type map[string]interface {{}}); an input file holds one \
                 Kubernetes object, and only its first document is read"
            ))
        }
    }
}

/// Reads an expected action output: a list of `{unstructuredObj: ...}` when the text starts with `-`,
/// else one object (Argo CD's `getExpectedObjectList`).
pub fn parse_expected_objects(text: &str) -> Result<Vec<Value>, String> {
    let v = parse_object(text)?;
    if text.starts_with('-') {
        let Value::Array(items) = v else { return Err("expected a list of {unstructuredObj: ...}".to_owned()) };
        return items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item.get("unstructuredObj") {
                Some(o @ Value::Object(_)) => Ok(o.clone()),
                _ => Err(format!("item {i} has no `unstructuredObj` mapping")),
            })
            .collect();
    }
    Ok(vec![v])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_objects_are_read_as_argo_cds_harness_reads_them() {
        let first = parse_input_object("kind: A\n---\nkind: B\n").unwrap();
        assert_eq!(first, serde_json::json!({"kind": "A"}));
        assert_eq!(parse_input_object("").unwrap(), serde_json::json!({}));
        let list = parse_input_object("- kind: A\n- kind: B\n").unwrap_err();
        assert!(list.starts_with("the document is a list, not an object"), "{list}");
        assert!(list.contains("cannot unmarshal array into Go value of type map[string]interface {}"), "{list}");
        assert!(parse_input_object("just text\n").unwrap_err().starts_with("the document is a string"));
    }

    #[test]
    fn sorts_files_into_kind_dirs_and_finds_wildcards() {
        let files: Vec<PathBuf> = [
            "rc/argoproj.io/Rollout/health.lua",
            "rc/argoproj.io/Rollout/health_test.yaml",
            "rc/argoproj.io/Rollout/actions/discovery.lua",
            "rc/argoproj.io/Rollout/actions/restart/action.lua",
            "rc/argoproj.io/Rollout/actions/action_test.yaml",
            "rc/_.crossplane.io/_/health.lua",
            "rc/argoproj.io/Rollout/testdata/x.yaml",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        let tree = Tree::from_files(&files);
        let d = tree.health_dir("argoproj.io/Rollout").unwrap();
        assert_eq!(d.actions.keys().collect::<Vec<_>>(), ["restart"]);
        assert!(d.action_tests.is_some() && d.discovery.is_some());
        assert_eq!(tree.health_dir("pkg.crossplane.io/Provider").unwrap().key, "_.crossplane.io/_");
        assert!(tree.health_dir("apps/Deployment").is_none());
        assert!(tree.actions_dir("argoproj.io/Rollout").is_some());
    }

    #[test]
    fn parses_test_files() {
        let t = parse_test_file(
            "tests:\n- healthStatus:\n    status: Healthy\n  inputPath: testdata/a.yaml\ndiscoveryTests:\n- inputPath: a.yaml\n  result:\n  - name: restart\n    disabled: false\nactionTests:\n- action: scale\n  inputPath: a.yaml\n  expectedErrorMessage: boom\n  parameters:\n    replicas: 3\n",
        )
        .unwrap();
        assert_eq!(t.health[0].expected, HealthStatus::new("Healthy", ""));
        assert_eq!(t.discovery[0].expected[0].name, "restart");
        assert_eq!(t.actions[0].parameters["replicas"], "3");
        assert!(parse_test_file("tests: 3").is_err());
    }

    #[test]
    fn expected_objects_in_both_styles() {
        assert_eq!(parse_expected_objects("kind: A\n").unwrap().len(), 1);
        let list = parse_expected_objects("- k8sOperation: create\n  unstructuredObj:\n    kind: Job\n").unwrap();
        assert_eq!(list[0]["kind"], "Job");
    }
}
