//! Lua scripts embedded in an `argocd-cm` ConfigMap, read the way Argo CD's settings manager reads them
//! (`util/settings/settings.go`), and the choice of script for an object (`util/lua/lua.go`).
//!
//! The `resource.customizations` blob (YAML keyed by `group/Kind`) is read first; split keys
//! `resource.customizations.<type>.<group_Kind>` then override it field by field.

use super::glob;
use crate::model::Document;
use crate::yaml::{self, Limits, Node, ScalarStyle};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The blob key.
pub const BLOB_KEY: &str = "resource.customizations";

/// Customization types Argo CD accepts in split keys.
pub const TYPES: [&str; 6] =
    ["health", "useOpenLibs", "actions", "ignoreDifferences", "ignoreResourceUpdates", "knownTypeFields"];

/// A Lua script found in the ConfigMap, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct CmScript {
    /// The Lua source.
    pub source: String,
    /// JSON pointer of the data key holding it.
    pub pointer: String,
    /// Human name: `resource.customizations.health.cert-manager.io_Certificate`,
    /// `resource.customizations: cert-manager.io/Certificate health.lua`.
    pub origin: String,
    /// File line (1-based) of the script's first line, when it is a block scalar we can map.
    pub first_line: Option<u32>,
}

impl CmScript {
    /// The file line of Lua line `n` (1-based), when known.
    /// Lua reports errors at end of input one line past the last; those map to the last line.
    pub fn file_line(&self, n: u32) -> Option<u32> {
        let last = self.source.lines().count().max(1) as u32;
        self.first_line.map(|f| f + n.clamp(1, last) - 1)
    }
}

/// An action definition (`definitions[]` of the actions YAML).
#[derive(Debug, Clone, PartialEq)]
pub struct CmAction {
    /// Action name.
    pub name: String,
    /// `action.lua`.
    pub script: CmScript,
}

/// The `actions` value of an override.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CmActions {
    /// `discovery.lua`.
    pub discovery: Option<CmScript>,
    /// `definitions`.
    pub definitions: Vec<CmAction>,
    /// `mergeBuiltinActions`.
    pub merge_builtin: bool,
}

/// One `ResourceOverride`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Override {
    /// `health.lua`.
    pub health: Option<CmScript>,
    /// `useOpenLibs`.
    pub use_open_libs: bool,
    /// `actions`.
    pub actions: Option<CmActions>,
    /// JSON pointer of the key that defined it last (for findings).
    pub pointer: String,
}

/// A problem Argo CD would have reading the customizations.
#[derive(Debug, Clone, PartialEq)]
pub struct CmProblem {
    /// Pointer of the offending data key.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// Argo CD refuses every override (`GetResourceOverrides` fails), rather than ignoring one.
    pub fatal: bool,
}

/// Everything Lua-related an `argocd-cm` holds.
#[derive(Debug, Clone, Default)]
pub struct CmOverrides {
    /// Overrides by key (`group/Kind`, `Kind`, or a glob).
    pub overrides: BTreeMap<String, Override>,
    /// Problems found while reading.
    pub problems: Vec<CmProblem>,
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `convertToOverrideKey`: `group_Kind` -> `group/Kind`, `Kind` -> `Kind`, more underscores -> error.
pub fn convert_to_override_key(group_kind: &str) -> Result<String, String> {
    let parts: Vec<&str> = group_kind.split('_').collect();
    match parts.len() {
        2 => Ok(format!("{}/{}", parts[0], parts[1])),
        1 if !group_kind.is_empty() => Ok(group_kind.to_owned()),
        _ => Err(format!(
            "group kind should be in format `resource.customizations.<type>.<group_kind>` or resource.customizations.<type>.<kind>`, got group kind: '{group_kind}'"
        )),
    }
}

/// The key Argo CD looks an object up by: `group/Kind`, or `Kind` for the core group.
pub fn object_key(obj: &Value) -> String {
    let api = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let group = match api.rsplit_once('/') {
        Some((g, _)) => g,
        None => "",
    };
    if group.is_empty() { kind.to_owned() } else { format!("{group}/{kind}") }
}

/// First file line of a block scalar's content, given the node's span.
fn block_first_line(text: &str, node: Option<&Node>) -> Option<u32> {
    match node {
        Some(Node::Scalar { span, style: ScalarStyle::Block, .. }) => {
            let at = text.get(span.offset..).and_then(|s| s.chars().next());
            Some(if matches!(at, Some('|') | Some('>')) { span.line + 1 } else { span.line })
        }
        _ => None,
    }
}

fn escape(s: &str) -> String {
    crate::lint::util::escape_pointer(s)
}

impl CmOverrides {
    /// Reads the customizations of an `argocd-cm` document.
    pub fn from_document(doc: &Document) -> CmOverrides {
        let mut out = CmOverrides::default();
        let Some(Value::Object(data)) = doc.get("/data") else {
            return out;
        };
        if let Some(blob) = data.get(BLOB_KEY) {
            out.read_blob(doc, blob);
        }
        for (k, v) in data {
            if !k.starts_with(BLOB_KEY) {
                continue;
            }
            let parts: Vec<&str> = k.splitn(4, '.').collect();
            if parts.len() < 4 {
                continue;
            }
            let pointer = format!("/data/{}", escape(k));
            let key = match convert_to_override_key(parts[3]) {
                Ok(key) => key,
                Err(message) => {
                    out.problems.push(CmProblem { pointer, message, fatal: true });
                    continue;
                }
            };
            let key = if key == "all" { "*/*".to_owned() } else { key };
            let text = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let first_line = block_first_line(&doc.file.text, doc.node(&pointer));
            let entry = out.overrides.entry(key.clone()).or_default();
            entry.pointer = pointer.clone();
            match parts[2] {
                "health" => {
                    entry.health =
                        Some(CmScript { source: text, pointer: pointer.clone(), origin: k.clone(), first_line });
                }
                "useOpenLibs" => match parse_go_bool(&text) {
                    Some(b) => entry.use_open_libs = b,
                    None => out.problems.push(CmProblem {
                        pointer,
                        message: format!("strconv.ParseBool: parsing \"{text}\": invalid syntax"),
                        fatal: true,
                    }),
                },
                "actions" => match read_actions(&text, &pointer, k, first_line) {
                    Ok(a) => entry.actions = Some(a),
                    Err(message) => out.problems.push(CmProblem { pointer, message, fatal: true }),
                },
                "ignoreDifferences" | "ignoreResourceUpdates" | "knownTypeFields" => {}
                other => out.problems.push(CmProblem {
                    pointer,
                    message: format!("resource customization type {other} not supported"),
                    fatal: true,
                }),
            }
        }
        out
    }

    fn read_blob(&mut self, doc: &Document, blob: &Value) {
        let pointer = format!("/data/{}", escape(BLOB_KEY));
        let Value::String(text) = blob else { return };
        if text.is_empty() {
            return;
        }
        let blob_first = block_first_line(&doc.file.text, doc.node(&pointer));
        let loaded = yaml::load(text, &Limits::default());
        if let Some(issue) = loaded.issues.first() {
            self.problems.push(CmProblem {
                pointer,
                message: format!(
                    "{BLOB_KEY} is not valid YAML: {} (line {} of the value)",
                    issue.message, issue.span.line
                ),
                fatal: true,
            });
            return;
        }
        let Some(inner) = loaded.docs.first() else { return };
        let Value::Object(map) = &inner.value else {
            self.problems.push(CmProblem {
                pointer,
                message: format!("{BLOB_KEY} must be a YAML mapping of group/Kind to customizations"),
                fatal: true,
            });
            return;
        };
        let inner_line = |p: &str| -> Option<u32> {
            let first = blob_first?;
            let inner_first = block_first_line(text, inner.map.node(p))?;
            Some(first + inner_first - 1)
        };
        for (key, value) in map {
            let Value::Object(fields) = value else {
                self.problems.push(CmProblem {
                    pointer: pointer.clone(),
                    message: format!("{BLOB_KEY}: the value of `{key}` must be a mapping"),
                    fatal: true,
                });
                continue;
            };
            let mut ov = Override { pointer: pointer.clone(), ..Override::default() };
            let base = format!("/{}", escape(key));
            if let Some(Value::String(s)) = fields.get("health.lua") {
                ov.health = Some(CmScript {
                    source: s.clone(),
                    pointer: pointer.clone(),
                    origin: format!("{BLOB_KEY}: {key} health.lua"),
                    first_line: inner_line(&format!("{base}/health.lua")),
                });
            }
            match fields.get("health.lua.useOpenLibs") {
                Some(Value::Bool(b)) => ov.use_open_libs = *b,
                None | Some(Value::Null) => {}
                Some(other) => self.problems.push(CmProblem {
                    pointer: pointer.clone(),
                    message: format!("{BLOB_KEY}: `{key}` health.lua.useOpenLibs must be a boolean, got {other}"),
                    fatal: true,
                }),
            }
            if let Some(Value::String(s)) = fields.get("actions") {
                let first = inner_line(&format!("{base}/actions"));
                match read_actions(s, &pointer, &format!("{BLOB_KEY}: {key} actions"), first) {
                    Ok(a) => ov.actions = Some(a),
                    Err(message) => self.problems.push(CmProblem { pointer: pointer.clone(), message, fatal: true }),
                }
            }
            self.overrides.insert(key.clone(), ov);
        }
    }

    /// `GetHealthScript` over the overrides only: the exact key with a script, else a glob key that
    /// matches (Argo CD picks an arbitrary one when several match; argovet the first in key order).
    /// Returns the key used, the script and `useOpenLibs`.
    pub fn health_script<'a>(&'a self, key: &'a str) -> Option<(&'a str, &'a CmScript, bool)> {
        if let Some(ov) = self.overrides.get(key)
            && let Some(s) = &ov.health
            && !s.source.is_empty()
        {
            return Some((key, s, ov.use_open_libs));
        }
        self.overrides.iter().find_map(|(k, ov)| match &ov.health {
            Some(s) if !s.source.is_empty() && glob::argo_match(k, key) => Some((k.as_str(), s, ov.use_open_libs)),
            _ => None,
        })
    }

    /// The override's actions for the exact key (actions have no wildcard lookup).
    pub fn actions(&self, key: &str) -> Option<&CmActions> {
        self.overrides.get(key).and_then(|o| o.actions.as_ref())
    }

    /// Every script, with a short role name (`health`, `discovery`, `action restart`) and its key.
    pub fn scripts(&self) -> Vec<(&str, String, &CmScript)> {
        let mut out = Vec::new();
        for (k, ov) in &self.overrides {
            if let Some(h) = &ov.health {
                out.push((k.as_str(), "health".to_owned(), h));
            }
            if let Some(a) = &ov.actions {
                if let Some(d) = &a.discovery {
                    out.push((k.as_str(), "discovery".to_owned(), d));
                }
                for def in &a.definitions {
                    out.push((k.as_str(), format!("action {}", def.name), &def.script));
                }
            }
        }
        out
    }
}

/// Parses the `actions` YAML: `discovery.lua`, `definitions: [{name, action.lua}]`, `mergeBuiltinActions`.
fn read_actions(text: &str, pointer: &str, origin: &str, first_line: Option<u32>) -> Result<CmActions, String> {
    let loaded = yaml::load(text, &Limits::default());
    if let Some(issue) = loaded.issues.first() {
        return Err(format!("{origin} is not valid YAML: {} (line {} of the value)", issue.message, issue.span.line));
    }
    let Some(doc) = loaded.docs.first() else { return Ok(CmActions::default()) };
    let empty = Map::new();
    let map = match &doc.value {
        Value::Object(m) => m,
        Value::Null => &empty,
        _ => return Err(format!("{origin} must be a YAML mapping with discovery.lua and definitions")),
    };
    let line_of = |p: &str| -> Option<u32> {
        let first = first_line?;
        let inner = block_first_line(text, doc.map.node(p))?;
        Some(first + inner - 1)
    };
    let mut out = CmActions::default();
    if let Some(Value::String(s)) = map.get("discovery.lua") {
        out.discovery = Some(CmScript {
            source: s.clone(),
            pointer: pointer.to_owned(),
            origin: format!("{origin} discovery.lua"),
            first_line: line_of("/discovery.lua"),
        });
    }
    if let Some(Value::Bool(b)) = map.get("mergeBuiltinActions") {
        out.merge_builtin = *b;
    }
    if let Some(Value::Array(defs)) = map.get("definitions") {
        for (i, d) in defs.iter().enumerate() {
            let name = d.get("name").and_then(Value::as_str).unwrap_or("").to_owned();
            let source = d.get("action.lua").and_then(Value::as_str).unwrap_or("").to_owned();
            out.definitions.push(CmAction {
                script: CmScript {
                    source,
                    pointer: pointer.to_owned(),
                    origin: format!("{origin} definitions[{i}] ({name}) action.lua"),
                    first_line: line_of(&format!("/definitions/{i}/action.lua")),
                },
                name,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFile;
    use std::sync::Arc;

    pub(crate) fn doc(text: &str) -> Document {
        let file = Arc::new(SourceFile::new("argocd-cm.yaml", text.to_owned()));
        let mut loaded = yaml::load(&file.text, &Limits::default());
        let d = loaded.docs.remove(0);
        Document::new(file, d.index, d.value, d.map)
    }

    const CM: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
data:
  resource.customizations: |
    example.com/Gadget:
      health.lua: |
        hs = {}
        return hs
  resource.customizations.health.cert-manager.io_Certificate: |
    hs = {status = 'Healthy'}
    return hs
  resource.customizations.useOpenLibs.cert-manager.io_Certificate: \"true\"
  resource.customizations.health.*.crossplane.io_*: |
    return {status = 'Progressing'}
  resource.customizations.actions.apps_Deployment: |
    discovery.lua: |
      return {restart = {}}
    definitions:
    - name: restart
      action.lua: |
        return obj
";

    #[test]
    fn reads_split_keys_and_blob_with_lines() {
        let cm = CmOverrides::from_document(&doc(CM));
        assert!(cm.problems.is_empty(), "{:?}", cm.problems);
        let (key, s, open) = cm.health_script("cert-manager.io/Certificate").unwrap();
        assert_eq!((key, open), ("cert-manager.io/Certificate", true));
        assert_eq!(s.first_line, Some(12));
        let (key, s, _) = cm.health_script("example.com/Gadget").unwrap();
        assert_eq!(key, "example.com/Gadget");
        assert_eq!(s.first_line, Some(9));
        assert_eq!(cm.health_script("pkg.crossplane.io/Provider").unwrap().0, "*.crossplane.io/*");
        let actions = cm.actions("apps/Deployment").unwrap();
        assert_eq!(actions.discovery.as_ref().unwrap().first_line, Some(19));
        assert_eq!(actions.definitions[0].script.first_line, Some(23));
        assert!(cm.health_script("apps/Deployment").is_none());
    }

    #[test]
    fn bad_keys_are_fatal_like_argo_cd() {
        let cm = CmOverrides::from_document(&doc(
            "kind: ConfigMap\napiVersion: v1\nmetadata: {name: argocd-cm}\ndata:\n  resource.customizations.health.a_b_C: x\n  resource.customizations.healthz.a_B: x\n  resource.customizations.useOpenLibs.a_B: yes please\n",
        ));
        let msgs: Vec<_> = cm.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(msgs[0].contains("got group kind: 'a_b_C'"), "{msgs:?}");
        assert_eq!(msgs[1], "resource customization type healthz not supported");
        assert!(msgs[2].starts_with("strconv.ParseBool"));
    }

    #[test]
    fn object_keys() {
        assert_eq!(object_key(&serde_json::json!({"apiVersion": "v1", "kind": "Pod"})), "Pod");
        assert_eq!(object_key(&serde_json::json!({"apiVersion": "apps/v1", "kind": "Deployment"})), "apps/Deployment");
    }
}
