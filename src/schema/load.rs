//! User schema locations (`--schema-location`, `schemas:`): JSON Schema files and CRD YAML, files
//! or directories (walked recursively, in sorted order).

use super::compile::SchemaDoc;
use super::crd;
use crate::yaml::{Limits, load};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A schema for one `apiVersion`/`kind`.
#[derive(Debug, Clone, PartialEq)]
pub struct KindEntry {
    /// `group/version` (`v1` for the core group).
    pub api_version: String,
    /// The kind, as written.
    pub kind: String,
    /// Index of its document in [`Loaded::docs`].
    pub doc: usize,
    /// Converted from a CRD (Kubernetes semantics: `null` fields are pruned).
    pub from_crd: bool,
}

/// Everything read from the locations.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every schema document (JSON Schema files and converted CRDs), `$ref` targets included.
    pub docs: Vec<SchemaDoc>,
    /// The kinds they define, in location order.
    pub kinds: Vec<KindEntry>,
}

/// A location that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("schema location {path}: {message}")]
pub struct LoadError {
    /// The file or directory.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

fn err(path: &Path, message: impl Into<String>) -> LoadError {
    LoadError { path: path.display().to_string(), message: message.into() }
}

/// Reads every location. An explicitly named file must define at least one kind; files found in a
/// directory that define none are kept only as `$ref` targets.
pub fn load_locations(locations: &[PathBuf]) -> Result<Loaded, LoadError> {
    let mut out = Loaded::default();
    for loc in locations {
        let meta = std::fs::metadata(loc).map_err(|e| err(loc, e.to_string()))?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = walkdir::WalkDir::new(loc)
                .follow_links(true)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(|e| e.into_path())
                .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
                .collect();
            files.sort();
            for f in files {
                load_file(&f, false, &mut out)?;
            }
        } else {
            load_file(loc, true, &mut out)?;
        }
    }
    Ok(out)
}

fn file_uri(path: &Path) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file://{}", abs.to_string_lossy().replace('\\', "/"))
}

fn load_file(path: &Path, explicit: bool, out: &mut Loaded) -> Result<(), LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| err(path, e.to_string()))?;
    let before = out.kinds.len();
    let is_json = path.extension().and_then(|e| e.to_str()) == Some("json");
    let values: Vec<Value> = if is_json {
        vec![serde_json::from_str(&text).map_err(|e| err(path, format!("not valid JSON: {e}")))?]
    } else {
        let loaded = load(&text, &Limits::default());
        if let Some(issue) = loaded.issues.first() {
            return Err(err(path, format!("line {}: {}", issue.span.line, issue.message)));
        }
        loaded.docs.into_iter().map(|d| d.value).collect()
    };
    let uri = file_uri(path);
    let shown = path.display().to_string();
    for (i, v) in values.iter().enumerate() {
        if crd::is_crd(v) {
            let converted = crd::convert(v).map_err(|m| err(path, m))?;
            for c in converted {
                let doc = out.docs.len();
                out.docs.push(SchemaDoc {
                    id: format!("{uri}#crd-{i}-{}", c.api_version),
                    name: format!("{shown} ({} {})", c.kind, c.api_version),
                    value: c.schema,
                });
                out.kinds.push(KindEntry { api_version: c.api_version, kind: c.kind, doc, from_crd: true });
            }
        } else if is_json {
            let id = v.get("$id").and_then(Value::as_str).map_or_else(|| uri.clone(), str::to_owned);
            let doc = out.docs.len();
            out.docs.push(SchemaDoc { id, name: shown.clone(), value: v.clone() });
            for (api_version, kind) in kinds_of_schema(v, path) {
                out.kinds.push(KindEntry { api_version, kind, doc, from_crd: false });
            }
        }
    }
    if explicit && out.kinds.len() == before {
        let what = if is_json {
            "cannot tell which kind this JSON Schema is for: give it `x-kubernetes-group-version-kind`, an \
             `apiVersion`/`kind` enum, or a name like `<group>/<kind>_<version>.json`"
        } else {
            "no CustomResourceDefinition with an openAPIV3Schema in this file"
        };
        return Err(err(path, what));
    }
    Ok(())
}

fn api_version(group: &str, version: &str) -> String {
    if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") }
}

fn strings(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Object(o)) => {
            if let Some(c) = o.get("const").and_then(Value::as_str) {
                return vec![c.to_owned()];
            }
            o.get("enum")
                .and_then(Value::as_array)
                .map_or_else(Vec::new, |e| e.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        }
        _ => Vec::new(),
    }
}

/// The `(apiVersion, kind)` pairs a JSON Schema is for: `x-kubernetes-group-version-kind`, else
/// `apiVersion`/`kind` enums, else the file name (`<group>/<kind>_<version>.json` as in the
/// CRDs-catalog, or kubernetes-json-schema's `<kind>-<group>-<version>.json` / `<kind>-<version>.json`).
pub fn kinds_of_schema(v: &Value, path: &Path) -> Vec<(String, String)> {
    if let Some(gvks) = v.get("x-kubernetes-group-version-kind").and_then(Value::as_array) {
        let out: Vec<(String, String)> = gvks
            .iter()
            .filter_map(|g| {
                let version = g.get("version")?.as_str()?;
                let kind = g.get("kind")?.as_str()?;
                let group = g.get("group").and_then(Value::as_str).unwrap_or("");
                Some((api_version(group, version), kind.to_owned()))
            })
            .collect();
        if !out.is_empty() {
            return out;
        }
    }
    let apis = strings(v.pointer("/properties/apiVersion"));
    let kinds = strings(v.pointer("/properties/kind"));
    if !apis.is_empty() && !kinds.is_empty() {
        return apis.iter().flat_map(|a| kinds.iter().map(move |k| (a.clone(), k.clone()))).collect();
    }
    let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { return Vec::new() };
    if let Some((kind, version)) = stem.rsplit_once('_') {
        let group = path.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).unwrap_or("");
        if group.contains('.') && !kind.is_empty() {
            return vec![(api_version(group, version), kind.to_owned())];
        }
    }
    let parts: Vec<&str> = stem.split('-').collect();
    match parts.as_slice() {
        [kind, version] if version.starts_with('v') => vec![(version.to_string(), kind.to_string())],
        [kind, group, version] if version.starts_with('v') => {
            vec![(api_version(group, version), kind.to_string())]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_the_kind_of_a_json_schema() {
        let p = Path::new("x.json");
        let gvk =
            json!({"x-kubernetes-group-version-kind": [{"group": "apps", "version": "v1", "kind": "Deployment"}]});
        assert_eq!(kinds_of_schema(&gvk, p), [("apps/v1".to_owned(), "Deployment".to_owned())]);
        let en = json!({"properties": {"apiVersion": {"enum": ["v1"]}, "kind": {"const": "ConfigMap"}}});
        assert_eq!(kinds_of_schema(&en, p), [("v1".to_owned(), "ConfigMap".to_owned())]);
        let none = json!({});
        assert_eq!(
            kinds_of_schema(&none, Path::new("cat/monitoring.coreos.com/servicemonitor_v1.json")),
            [("monitoring.coreos.com/v1".to_owned(), "servicemonitor".to_owned())]
        );
        assert_eq!(
            kinds_of_schema(&none, Path::new("deployment-apps-v1.json")),
            [("apps/v1".to_owned(), "deployment".to_owned())]
        );
        assert_eq!(kinds_of_schema(&none, Path::new("service-v1.json")), [("v1".to_owned(), "service".to_owned())]);
        assert!(kinds_of_schema(&none, Path::new("_definitions.json")).is_empty());
    }
}
