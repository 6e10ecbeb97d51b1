//! The keywords left to the `jsonschema` crate: `unevaluatedProperties`, `unevaluatedItems` and
//! `$dynamicRef`, whose meaning depends on what every other keyword of the schema evaluated.
//!
//! A kind whose schema reaches one of them gets a `jsonschema` validator, compiled once when the
//! schemas load, over a copy of the loaded documents normalised to JSON Schema 2020-12 with the
//! Kubernetes semantics the built-in validator applies (`nullable`, `x-kubernetes-int-or-string`,
//! `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-embedded-resource`, OpenAPI's boolean
//! `exclusiveMinimum`, pruned `null` fields). Each document of such a kind goes through both
//! validators; from the `jsonschema` crate only the errors the built-in one cannot see are kept —
//! the external keywords' own errors, errors reached through `$dynamicRef`, and the verdicts of
//! `anyOf`/`oneOf`/`not`/`if` whose subschemas use an external keyword — at the instance
//! location it reports, so every finding has its exact line and column. Values holding a `{{ }}`
//! string in an ApplicationSet template are left alone, as the built-in validator does.

use super::compile::{CompileError, SchemaDoc, join_uri};
use super::keywords::EXTERNAL;
use super::validate::{Problem, Violation, holds_template};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::{Map, Value, json};
use std::collections::HashSet;

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// The normalised documents, under the URIs the `jsonschema` crate knows them by.
#[derive(Debug)]
pub struct Documents {
    docs: Vec<(String, Value)>,
}

impl Documents {
    /// Normalises every loaded document (once, for every kind that needs the `jsonschema` crate).
    pub fn new(docs: &[SchemaDoc]) -> Documents {
        let docs = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                // Converted CRDs are named `file://…#crd-…`; a fragment is no base URI.
                let uri = if d.id.trim_end_matches('#').contains('#') {
                    format!("https://argovet.invalid/schema/{i}.json")
                } else {
                    d.id.trim_end_matches('#').to_owned()
                };
                let mut value = normalise(&d.value);
                if let Some(obj) = value.as_object_mut() {
                    obj.insert("$schema".into(), json!(DRAFT_2020_12));
                }
                (uri, value)
            })
            .collect();
        Documents { docs }
    }

    fn position(&self, uri: &str) -> Option<usize> {
        self.docs.iter().position(|(u, _)| u == uri)
    }
}

/// A `jsonschema` validator for one kind.
#[derive(Debug)]
pub struct External {
    validator: jsonschema::Validator,
    docs: std::sync::Arc<Documents>,
    /// The kind's root document.
    root: usize,
    /// The schema has ApplicationSet templates (`x-argovet-template`).
    templated: bool,
}

impl External {
    /// Compiles document `root` (with every other document available to `$ref`).
    pub fn build(docs: std::sync::Arc<Documents>, root: usize, name: &str) -> Result<External, CompileError> {
        let err = |message: String| CompileError { source_name: name.to_owned(), pointer: String::new(), message };
        let mut registry = jsonschema::Registry::new().draft(jsonschema::Draft::Draft202012);
        for (uri, value) in &docs.docs {
            registry = registry.add(uri, value.clone()).map_err(|e| err(e.to_string()))?;
        }
        let registry = registry.prepare().map_err(|e| err(e.to_string()))?;
        let uri = &docs.docs[root].0;
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_registry(&registry)
            .should_validate_formats(false)
            .offline()
            .build(&json!({ "$ref": uri }))
            .map_err(|e| err(format!("the jsonschema crate cannot compile it: {e}")))?;
        let templated = contains_key(&docs.docs[root].1, "x-argovet-template");
        Ok(External { validator, docs, root, templated })
    }

    /// The violations the built-in validator (which found `builtin`) could not see.
    pub fn violations(&self, value: &Value, nulls_pruned: bool, builtin: &[Violation]) -> Vec<Violation> {
        let pruned;
        let instance = if nulls_pruned && has_null_field(value) {
            pruned = prune_nulls(value);
            &pruned
        } else {
            value
        };
        let mut out: Vec<Violation> = Vec::new();
        for e in self.validator.iter_errors(instance) {
            let pointer = e.instance_path().as_str().to_owned();
            if self.templated && instance.pointer(&pointer).is_some_and(holds_template) {
                continue;
            }
            let path: Vec<String> = e
                .evaluation_path()
                .segments()
                .map(|s| match s {
                    LocationSegment::Property(p) => p.into_owned(),
                    LocationSegment::Index(i) => i.to_string(),
                })
                .collect();
            let kind = e.kind();
            let unevaluated = matches!(
                kind,
                ValidationErrorKind::UnevaluatedProperties { .. } | ValidationErrorKind::UnevaluatedItems { .. }
            );
            let keywords = keyword_positions(&path);
            let dynamic = keywords.iter().any(|&i| path[i] == "$dynamicRef");
            let verdict = matches!(
                kind,
                ValidationErrorKind::AnyOf { .. }
                    | ValidationErrorKind::OneOfNotValid { .. }
                    | ValidationErrorKind::OneOfMultipleValid { .. }
                    | ValidationErrorKind::Not { .. }
            );
            let keep = unevaluated
                || dynamic
                || (verdict
                    && self.reaches_external(&path)
                    && !builtin.iter().any(|b| b.pointer == pointer || b.pointer.starts_with(&format!("{pointer}/"))))
                || keywords.iter().any(|&i| {
                    matches!(path[i].as_str(), "then" | "else") && {
                        let mut cond = path[..i].to_vec();
                        cond.push("if".into());
                        self.reaches_external(&cond)
                    }
                });
            if !keep {
                continue;
            }
            let known = match kind {
                ValidationErrorKind::UnevaluatedProperties { .. } => {
                    self.declared(&path[..path.len().saturating_sub(1)])
                }
                _ => Vec::new(),
            };
            for v in to_violations(&pointer, kind, &e.to_string(), instance.pointer(&pointer), &known) {
                // A field the built-in validator found wrong is not also "unevaluated": a failed
                // subschema evaluates nothing, so the crate names it again.
                let explained = unevaluated
                    && builtin
                        .iter()
                        .any(|b| b.pointer == v.pointer || b.pointer.starts_with(&format!("{}/", v.pointer)));
                if !explained && !builtin.contains(&v) && !out.contains(&v) {
                    out.push(v);
                }
            }
        }
        out
    }

    /// Whether the subschema at evaluation path `path` (from the `{"$ref": root}` wrapper) uses an
    /// external keyword, following `$ref`s. Unresolvable paths count as yes: better a finding of
    /// the `jsonschema` crate than a silent pass.
    fn reaches_external(&self, path: &[String]) -> bool {
        let Some((doc, ptr)) = self.locate(path) else { return true };
        let mut seen = HashSet::new();
        self.scan(doc, &ptr, &mut seen)
    }

    /// `(document, JSON pointer)` of the subschema at an evaluation path; its first segment is
    /// the wrapper's `$ref` to the kind's root document.
    fn locate(&self, path: &[String]) -> Option<(usize, String)> {
        let (first, rest) = path.split_first()?;
        if first != "$ref" {
            return None;
        }
        let mut doc = self.root;
        let mut ptr = String::new();
        for seg in rest {
            if seg == "$ref" || seg == "$dynamicRef" {
                let target = self.docs.docs[doc].1.pointer(&ptr)?.get(seg.as_str())?.as_str()?;
                (doc, ptr) = self.resolve(doc, target)?;
            } else {
                ptr.push('/');
                ptr.push_str(&seg.replace('~', "~0").replace('/', "~1"));
            }
        }
        Some((doc, ptr))
    }

    /// The property names the schema object at `path` declares, itself and through the
    /// subschemas it applies in place (`allOf`, `anyOf`, `oneOf`, `then`, `else`,
    /// `dependentSchemas`, `$ref`): the fields `unevaluatedProperties` lets through, sorted.
    fn declared(&self, path: &[String]) -> Vec<String> {
        let mut out = std::collections::BTreeSet::new();
        if let Some((doc, ptr)) = self.locate(path) {
            self.collect_declared(doc, &ptr, &mut HashSet::new(), &mut out);
        }
        out.into_iter().collect()
    }

    fn collect_declared(
        &self,
        doc: usize,
        ptr: &str,
        seen: &mut HashSet<(usize, String)>,
        out: &mut std::collections::BTreeSet<String>,
    ) {
        if !seen.insert((doc, ptr.to_owned())) {
            return;
        }
        let Some(Value::Object(o)) = self.docs.docs[doc].1.pointer(ptr) else { return };
        if let Some(Value::Object(props)) = o.get("properties") {
            out.extend(props.keys().cloned());
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for i in 0..o.get(key).and_then(Value::as_array).map_or(0, Vec::len) {
                self.collect_declared(doc, &format!("{ptr}/{key}/{i}"), seen, out);
            }
        }
        for key in ["then", "else"] {
            if o.contains_key(key) {
                self.collect_declared(doc, &format!("{ptr}/{key}"), seen, out);
            }
        }
        if let Some(Value::Object(deps)) = o.get("dependentSchemas") {
            for name in deps.keys() {
                self.collect_declared(
                    doc,
                    &format!("{ptr}/dependentSchemas/{}", name.replace('~', "~0").replace('/', "~1")),
                    seen,
                    out,
                );
            }
        }
        if let Some(r) = o.get("$ref").and_then(Value::as_str)
            && let Some((d, p)) = self.resolve(doc, r)
        {
            self.collect_declared(d, &p, seen, out);
        }
    }

    fn resolve(&self, doc: usize, r: &str) -> Option<(usize, String)> {
        let (file, frag) = r.split_once('#').unwrap_or((r, ""));
        if !frag.is_empty() && !frag.starts_with('/') {
            return None;
        }
        let target = if file.is_empty() { doc } else { self.docs.position(&join_uri(&self.docs.docs[doc].0, file))? };
        Some((target, frag.to_owned()))
    }

    fn scan(&self, doc: usize, ptr: &str, seen: &mut HashSet<(usize, String)>) -> bool {
        if !seen.insert((doc, ptr.to_owned())) {
            return false;
        }
        let Some(v) = self.docs.docs[doc].1.pointer(ptr) else { return true };
        let mut refs = Vec::new();
        let found = scan_value(v, &mut refs);
        found
            || refs.iter().any(|r| match self.resolve(doc, r) {
                Some((d, p)) => self.scan(d, &p, seen),
                None => true,
            })
    }
}

/// Whether `v` holds an external keyword; collects the `$ref`s to follow.
fn scan_value(v: &Value, refs: &mut Vec<String>) -> bool {
    match v {
        Value::Object(o) => {
            if o.keys().any(|k| EXTERNAL.contains(&k.as_str())) {
                return true;
            }
            if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                refs.push(r.to_owned());
            }
            o.values().any(|c| scan_value(c, refs))
        }
        Value::Array(items) => items.iter().any(|c| scan_value(c, refs)),
        _ => false,
    }
}

fn contains_key(v: &Value, key: &str) -> bool {
    match v {
        Value::Object(o) => o.contains_key(key) || o.values().any(|c| contains_key(c, key)),
        Value::Array(items) => items.iter().any(|c| contains_key(c, key)),
        _ => false,
    }
}

/// Indexes of the segments of an evaluation path that are keywords (not property names or
/// list indexes).
fn keyword_positions(path: &[String]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut name_next = false;
    for (i, seg) in path.iter().enumerate() {
        if name_next {
            name_next = false;
            continue;
        }
        if seg.bytes().all(|b| b.is_ascii_digit()) && !seg.is_empty() {
            continue;
        }
        out.push(i);
        name_next = matches!(
            seg.as_str(),
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" | "dependentRequired"
        );
    }
    out
}

/// One `jsonschema` error as violations the message module words like the built-in ones.
fn to_violations(
    pointer: &str,
    kind: &ValidationErrorKind,
    text: &str,
    instance: Option<&Value>,
    known: &[String],
) -> Vec<Violation> {
    let at = |problem| vec![Violation { pointer: pointer.to_owned(), problem }];
    let constraint = |message: String| at(Problem::Constraint { message });
    let child = |key: &str| format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
    match kind {
        ValidationErrorKind::UnevaluatedProperties { unexpected } => unexpected
            .iter()
            .map(|k| Violation {
                pointer: child(k),
                problem: Problem::UnknownField { key: k.clone(), known: known.to_vec() },
            })
            .collect(),
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|k| Violation {
                pointer: child(k),
                problem: Problem::UnknownField { key: k.clone(), known: Vec::new() },
            })
            .collect(),
        ValidationErrorKind::UnevaluatedItems { unexpected } => {
            // The crate names the items by their JSON text; find their indexes.
            let items = instance.and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            let mut used = vec![false; items.len()];
            let mut out = Vec::new();
            for text in unexpected {
                let Ok(item) = serde_json::from_str::<Value>(text) else { continue };
                let Some(i) = (0..items.len()).find(|&i| !used[i] && items[i] == item) else { continue };
                used[i] = true;
                out.push(Violation {
                    pointer: format!("{pointer}/{i}"),
                    problem: Problem::Constraint {
                        message: "is not allowed: no subschema evaluates this item, and the schema's \
                                  `unevaluatedItems` refuses the others"
                            .into(),
                    },
                });
            }
            out.sort_by_key(|v| v.pointer.rsplit('/').next().and_then(|i| i.parse::<usize>().ok()));
            out
        }
        ValidationErrorKind::Required { property } => {
            at(Problem::Required { field: property.as_str().unwrap_or_default().to_owned(), when: None })
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => *t as u8,
                TypeKind::Multiple(set) => set.iter().fold(0u8, |acc, t| acc | t as u8),
            };
            at(Problem::Type { expected })
        }
        ValidationErrorKind::Enum { options } => {
            at(Problem::Enum { allowed: options.as_array().cloned().unwrap_or_default() })
        }
        ValidationErrorKind::Constant { expected_value } => {
            at(Problem::Enum { allowed: vec![expected_value.as_ref().clone()] })
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            constraint("does not match any of the allowed forms".into())
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            constraint("matches more than one of the allowed forms; it must match exactly one".into())
        }
        ValidationErrorKind::Not { .. } => constraint("matches a form that is not allowed here".into()),
        ValidationErrorKind::FalseSchema => constraint("is not allowed here".into()),
        other => {
            let keyword = other.keyword();
            constraint(format!("breaks the schema's `{keyword}` ({text})"))
        }
    }
}

/// Whether some mapping in `v` has a `null` field.
fn has_null_field(v: &Value) -> bool {
    match v {
        Value::Object(o) => o.values().any(|c| c.is_null() || has_null_field(c)),
        Value::Array(items) => items.iter().any(has_null_field),
        _ => false,
    }
}

/// `v` without its `null` fields, as the API server stores it.
fn prune_nulls(v: &Value) -> Value {
    match v {
        Value::Object(o) => {
            Value::Object(o.iter().filter(|(_, c)| !c.is_null()).map(|(k, c)| (k.clone(), prune_nulls(c))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(prune_nulls).collect()),
        other => other.clone(),
    }
}

/// A schema in JSON Schema 2020-12 with the Kubernetes and OpenAPI semantics the built-in
/// validator applies, so both validators judge the same constraints.
pub fn normalise(schema: &Value) -> Value {
    let Value::Object(o) = schema else { return schema.clone() };
    let mut out = Map::new();
    for (k, v) in o {
        let converted = match k.as_str() {
            "$schema" => continue,
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => match v {
                Value::Object(m) => Value::Object(m.iter().map(|(n, s)| (n.clone(), normalise(s))).collect()),
                other => other.clone(),
            },
            "additionalProperties"
            | "not"
            | "if"
            | "then"
            | "else"
            | "contains"
            | "propertyNames"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema" => normalise(v),
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => match v {
                Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
                other => other.clone(),
            },
            "items" => match v {
                // Draft 4-2019 tuple: `prefixItems`, and `additionalItems` becomes `items`.
                Value::Array(items) => {
                    out.insert("prefixItems".into(), Value::Array(items.iter().map(normalise).collect()));
                    match o.get("additionalItems") {
                        Some(a) => normalise(a),
                        None => continue,
                    }
                }
                other => normalise(other),
            },
            "additionalItems" => continue,
            "dependencies" => {
                if let Value::Object(m) = v {
                    for (name, d) in m {
                        let (key, value) = match d {
                            Value::Array(_) => ("dependentRequired", d.clone()),
                            _ => ("dependentSchemas", normalise(d)),
                        };
                        let entry = out.entry(key).or_insert_with(|| json!({}));
                        if let Some(e) = entry.as_object_mut() {
                            e.insert(name.clone(), value);
                        }
                    }
                }
                continue;
            }
            _ => v.clone(),
        };
        out.insert(k.clone(), converted);
    }
    let flag = |k: &str| o.get(k) == Some(&Value::Bool(true));
    for (key, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        match o.get(key) {
            Some(Value::Bool(true)) => match out.remove(bound) {
                Some(b) => {
                    out.insert(key.into(), b);
                }
                None => {
                    out.remove(key);
                }
            },
            Some(Value::Bool(false)) => {
                out.remove(key);
            }
            _ => {}
        }
    }
    if flag("x-kubernetes-int-or-string") {
        out.insert("type".into(), json!(["integer", "string"]));
    }
    if flag("nullable") {
        match out.get_mut("type") {
            Some(Value::String(t)) => {
                let t = t.clone();
                out.insert("type".into(), json!([t, "null"]));
            }
            Some(Value::Array(ts)) if !ts.contains(&json!("null")) => ts.push(json!("null")),
            _ => {}
        }
        if let Some(Value::Array(e)) = out.get_mut("enum")
            && !e.contains(&Value::Null)
        {
            e.push(Value::Null);
        }
    }
    if flag("x-kubernetes-preserve-unknown-fields") && out.get("additionalProperties") == Some(&Value::Bool(false)) {
        out.remove("additionalProperties");
    }
    if flag("x-kubernetes-embedded-resource") {
        let props = out.entry("properties").or_insert_with(|| json!({}));
        if let Some(p) = props.as_object_mut() {
            for (k, t) in [("apiVersion", "string"), ("kind", "string"), ("metadata", "object")] {
                p.entry(k).or_insert_with(|| json!({ "type": t }));
            }
        }
        let req = out.entry("required").or_insert_with(|| json!([]));
        if let Some(r) = req.as_array_mut() {
            for k in ["apiVersion", "kind"] {
                if !r.contains(&json!(k)) {
                    r.push(json!(k));
                }
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_to_2020_12_with_kubernetes_semantics() {
        let got = normalise(&json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "properties": {
                "a": {"type": "string", "nullable": true, "enum": ["x"]},
                "b": {"x-kubernetes-int-or-string": true},
                "c": {"minimum": 1, "exclusiveMinimum": true},
                "d": {"items": [{"type": "string"}], "additionalItems": false},
                "e": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "additionalProperties": false}
            },
            "dependencies": {"a": ["b"], "c": {"required": ["d"]}}
        }));
        assert_eq!(
            got,
            json!({
                "type": "object",
                "properties": {
                    "a": {"type": ["string", "null"], "nullable": true, "enum": ["x", null]},
                    "b": {"x-kubernetes-int-or-string": true, "type": ["integer", "string"]},
                    "c": {"exclusiveMinimum": 1},
                    "d": {"prefixItems": [{"type": "string"}], "items": false},
                    "e": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                },
                "dependentRequired": {"a": ["b"]},
                "dependentSchemas": {"c": {"required": ["d"]}}
            })
        );
    }

    #[test]
    fn finds_keyword_segments_of_an_evaluation_path() {
        let path: Vec<String> =
            ["$ref", "properties", "then", "then", "anyOf", "0", "$dynamicRef"].iter().map(|s| s.to_string()).collect();
        assert_eq!(keyword_positions(&path), [0, 1, 3, 4, 6]);
        assert_eq!(prune_nulls(&json!({"a": null, "b": [null, {"c": null}]})), json!({"b": [null, {}]}));
    }
}
