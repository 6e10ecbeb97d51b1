//! Reading policy directories and data files the way conftest does.

use super::PolicyError;
use super::engine::PolicySource;
use crate::workspace::display_path;
use crate::yaml::{Limits, load};
use serde_json::{Map, Value};
use std::path::Path;

/// Every `.rego` file under `path` (a file or a directory), sorted by path.
pub fn rego_files(path: &Path, include_tests: bool) -> Result<Vec<PolicySource>, PolicyError> {
    let meta =
        std::fs::metadata(path).map_err(|e| PolicyError::Io { path: display_path(path), message: e.to_string() })?;
    let mut files = Vec::new();
    if meta.is_file() {
        files.push(path.to_path_buf());
    } else {
        for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
            let entry = entry.map_err(|e| PolicyError::Io { path: display_path(path), message: e.to_string() })?;
            let p = entry.path();
            if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "rego") {
                files.push(p.to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let shown = display_path(&f);
        if !include_tests && shown.ends_with("_test.rego") {
            continue;
        }
        let text =
            std::fs::read_to_string(&f).map_err(|e| PolicyError::Io { path: shown.clone(), message: e.to_string() })?;
        out.push(PolicySource { path: shown, text });
    }
    Ok(out)
}

/// conftest's "no policies found": `paths` were given but hold no `.rego` file at all (tests
/// included), which is almost always a wrong path.
pub fn no_policies_error(paths: &[impl AsRef<Path>]) -> PolicyError {
    let shown: Vec<String> = paths.iter().map(|p| display_path(p.as_ref())).collect();
    PolicyError::Io {
        path: shown.join(", "),
        message: "no policies found (no `.rego` file in these paths); check the --policy path".into(),
    }
}

/// Parses a JSON or YAML data file into its value (the first document of a YAML file).
pub fn parse_data(path: &str, text: &str) -> Result<Value, PolicyError> {
    if path.ends_with(".json") {
        return serde_json::from_str(text).map_err(|e| PolicyError::Data { file: path.into(), message: e.to_string() });
    }
    let loaded = load(text, &Limits::default());
    if let Some(issue) = loaded.issues.first() {
        return Err(PolicyError::Data {
            file: path.into(),
            message: format!("line {}: {}", issue.span.line, issue.message),
        });
    }
    Ok(loaded.docs.into_iter().next().map(|d| d.value).unwrap_or(Value::Null))
}

/// Merges `value` into `target` at `prefix`; objects merge key by key, anything else must not clash.
pub fn merge_at(
    target: &mut Map<String, Value>,
    prefix: &[String],
    value: Value,
    file: &str,
) -> Result<(), PolicyError> {
    if !value.is_object() && !value.is_null() {
        return Err(PolicyError::Data {
            file: file.into(),
            message: format!("a data file must hold a mapping/object at its top level, not {}", kind_of(&value)),
        });
    }
    let mut wrapped = value;
    for seg in prefix.iter().rev() {
        let mut m = Map::new();
        m.insert(seg.clone(), wrapped);
        wrapped = Value::Object(m);
    }
    let Value::Object(src) = wrapped else {
        return Ok(());
    };
    let mut path = Vec::new();
    merge_maps(target, src, &mut path, file)
}

fn merge_maps(
    dst: &mut Map<String, Value>,
    src: Map<String, Value>,
    path: &mut Vec<String>,
    file: &str,
) -> Result<(), PolicyError> {
    for (k, v) in src {
        path.push(k.clone());
        match (dst.get_mut(&k), v) {
            (Some(Value::Object(d)), Value::Object(s)) => merge_maps(d, s, path, file)?,
            (Some(existing), v) if *existing != v => {
                return Err(PolicyError::Data {
                    file: file.into(),
                    message: format!("`data.{}` is defined twice with different values", path.join(".")),
                });
            }
            (_, v) => {
                dst.insert(k, v);
            }
        }
        path.pop();
    }
    Ok(())
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Loads `--data` paths: a file merges at `data.`; files below a directory land at
/// `data.<relative directories>` (conftest: `--data policy` with `policy/exceptions/x.yaml` gives
/// `data.exceptions`). Only `.json`, `.yaml` and `.yml` files are read.
pub fn load_data(paths: &[impl AsRef<Path>]) -> Result<Map<String, Value>, PolicyError> {
    let mut data = Map::new();
    for path in paths {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)
            .map_err(|e| PolicyError::Io { path: display_path(path), message: e.to_string() })?;
        let mut files = Vec::new();
        if meta.is_file() {
            files.push((path.to_path_buf(), Vec::new()));
        } else {
            for entry in walkdir::WalkDir::new(path).follow_links(true).sort_by_file_name() {
                let entry = entry.map_err(|e| PolicyError::Io { path: display_path(path), message: e.to_string() })?;
                let p = entry.path();
                let ext_ok =
                    p.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e, "json" | "yaml" | "yml"));
                if !entry.file_type().is_file() || !ext_ok {
                    continue;
                }
                let rel = p.strip_prefix(path).unwrap_or(p);
                let dirs: Vec<String> = rel
                    .parent()
                    .map(|d| d.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
                    .unwrap_or_default();
                files.push((p.to_path_buf(), dirs));
            }
        }
        for (file, prefix) in files {
            let shown = display_path(&file);
            let text = std::fs::read_to_string(&file)
                .map_err(|e| PolicyError::Io { path: shown.clone(), message: e.to_string() })?;
            let value = parse_data(&shown, &text)?;
            merge_at(&mut data, &prefix, value, &shown)?;
        }
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merges_objects_and_rejects_clashes() {
        let mut m = Map::new();
        merge_at(&mut m, &["a".into()], json!({"x": {"y": 1}}), "f").unwrap();
        merge_at(&mut m, &["a".into()], json!({"x": {"z": 2}}), "f").unwrap();
        assert_eq!(Value::Object(m.clone()), json!({"a": {"x": {"y": 1, "z": 2}}}));
        let e = merge_at(&mut m, &["a".into()], json!({"x": {"y": 3}}), "f").unwrap_err();
        assert!(e.to_string().contains("data.a.x.y"), "{e}");
        assert!(merge_at(&mut m, &[], json!([1]), "f").is_err());
    }

    #[test]
    fn data_directories_nest_by_relative_directory() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("exceptions")).unwrap();
        std::fs::write(dir.path().join("exceptions/x.yaml"), "images: [nginx]\n").unwrap();
        std::fs::write(dir.path().join("top.json"), "{\"limit\": 3}").unwrap();
        std::fs::write(dir.path().join("ignored.txt"), "nope").unwrap();
        let d = load_data(&[dir.path()]).unwrap();
        assert_eq!(Value::Object(d), json!({"exceptions": {"images": ["nginx"]}, "limit": 3}));
    }
}
