//! Kubernetes CustomResourceDefinition -> one JSON Schema per served version.
//!
//! Kubernetes prunes fields a structural schema does not declare, so every object that lists
//! `properties` (and does not set `x-kubernetes-preserve-unknown-fields` or `additionalProperties`)
//! becomes closed: `additionalProperties: false`, which is what makes unknown fields findable.
//! `nullable`, `x-kubernetes-int-or-string`, `x-kubernetes-embedded-resource` and
//! `x-kubernetes-preserve-unknown-fields` are kept; the compiler understands them. The root's
//! `metadata` is checked as Kubernetes ObjectMeta; for Argo CD kinds `status` and `operation` are
//! accepted without validation and ApplicationSet templates are marked as templates.

use super::embedded::OBJECT_META_REF;
use crate::model::ARGO_API_VERSION;
use serde_json::{Map, Value, json};

/// One version of a CRD as a JSON Schema.
#[derive(Debug, Clone, PartialEq)]
pub struct CrdSchema {
    /// `group/version`.
    pub api_version: String,
    /// `spec.names.kind`.
    pub kind: String,
    /// The converted schema.
    pub schema: Value,
}

/// Whether a document is a CustomResourceDefinition.
pub fn is_crd(doc: &Value) -> bool {
    doc.get("kind").and_then(Value::as_str) == Some("CustomResourceDefinition")
        && doc.get("apiVersion").and_then(Value::as_str).is_some_and(|a| a.starts_with("apiextensions.k8s.io/"))
}

/// Converts a CRD into a schema per version that has one. Errors name what is missing.
pub fn convert(crd: &Value) -> Result<Vec<CrdSchema>, String> {
    let spec = crd.get("spec").ok_or("the CRD has no `spec`")?;
    let group = spec.get("group").and_then(Value::as_str).ok_or("the CRD has no `spec.group`")?;
    let kind = spec.pointer("/names/kind").and_then(Value::as_str).ok_or("the CRD has no `spec.names.kind`")?;
    let mut out = Vec::new();
    let legacy = spec.pointer("/validation/openAPIV3Schema");
    if let Some(versions) = spec.get("versions").and_then(Value::as_array) {
        for v in versions {
            let Some(name) = v.get("name").and_then(Value::as_str) else { continue };
            let schema = v.pointer("/schema/openAPIV3Schema").or(legacy);
            if let Some(s) = schema {
                let api_version = format!("{group}/{name}");
                out.push(CrdSchema {
                    schema: convert_root(s, &api_version, group, name, kind),
                    api_version,
                    kind: kind.into(),
                });
            }
        }
    } else if let (Some(s), Some(name)) = (legacy, spec.get("version").and_then(Value::as_str)) {
        let api_version = format!("{group}/{name}");
        out.push(CrdSchema {
            schema: convert_root(s, &api_version, group, name, kind),
            api_version,
            kind: kind.into(),
        });
    }
    if out.is_empty() {
        return Err(format!("the CRD for {kind}.{group} has no openAPIV3Schema"));
    }
    Ok(out)
}

fn convert_root(schema: &Value, api_version: &str, group: &str, version: &str, kind: &str) -> Value {
    let mut root = close(schema);
    let argo = api_version == ARGO_API_VERSION;
    if let Some(obj) = root.as_object_mut() {
        obj.insert("type".into(), json!("object"));
        obj.insert(
            "x-kubernetes-group-version-kind".into(),
            json!([{"group": group, "version": version, "kind": kind}]),
        );
        let props = obj.entry("properties").or_insert_with(|| json!({}));
        if let Some(p) = props.as_object_mut() {
            p.insert("apiVersion".into(), json!({"type": "string"}));
            p.insert("kind".into(), json!({"type": "string"}));
            p.insert("metadata".into(), json!({"$ref": OBJECT_META_REF}));
            if argo {
                for k in ["status", "operation"] {
                    if p.contains_key(k) {
                        p.insert(k.into(), json!({}));
                    }
                }
            }
        }
        if obj.get("x-kubernetes-preserve-unknown-fields") != Some(&Value::Bool(true)) {
            obj.insert("additionalProperties".into(), json!(false));
        }
        if argo
            && kind == "ApplicationSet"
            && let Some(spec) = obj.get_mut("properties").and_then(|p| p.get_mut("spec"))
        {
            mark_templates(spec);
        }
    }
    root
}

/// A deep copy with every structural object closed.
fn close(schema: &Value) -> Value {
    match schema {
        Value::Object(o) => {
            let mut out = Map::new();
            for (k, v) in o {
                let converted = match k.as_str() {
                    "properties" | "patternProperties" | "definitions" | "$defs" => match v {
                        Value::Object(props) => {
                            Value::Object(props.iter().map(|(pk, pv)| (pk.clone(), close(pv))).collect())
                        }
                        other => other.clone(),
                    },
                    "items" | "additionalProperties" => close(v),
                    // Value validations (`allOf`, `anyOf`, `oneOf`, `not`, ...) take part in
                    // validation but not in pruning: Kubernetes prunes by the structural schema
                    // alone, and every property a junctor names must also be declared outside it.
                    _ => v.clone(),
                };
                out.insert(k.clone(), converted);
            }
            let has_props = o.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty());
            let preserve = o.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
            if has_props && !preserve && !o.contains_key("additionalProperties") {
                out.insert("additionalProperties".into(), Value::Bool(false));
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// Marks every `template` property holding `metadata` and `spec` (the ApplicationSet's and each
/// generator's) so `{{ }}` strings stand for numbers and booleans below it.
fn mark_templates(v: &mut Value) {
    let Some(obj) = v.as_object_mut() else { return };
    if let Some(t) = obj.get_mut("properties").and_then(|p| p.get_mut("template")).and_then(Value::as_object_mut) {
        let props = t.get("properties");
        if props.is_some_and(|p| p.get("spec").is_some() && p.get("metadata").is_some()) {
            t.insert("x-argovet-template".into(), Value::Bool(true));
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(props)) = obj.get_mut(key) {
            for (_, p) in props.iter_mut() {
                mark_templates(p);
            }
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = obj.get_mut(key) {
            mark_templates(child);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closes_structural_objects_and_keeps_open_ones_open() {
        let crd = json!({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "spec": {"group": "example.com", "names": {"kind": "Widget"}, "versions": [{"name": "v1", "schema": {"openAPIV3Schema": {
                "type": "object", "properties": {"spec": {"type": "object", "properties": {
                    "size": {"type": "integer"},
                    "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true, "properties": {"a": {"type": "string"}}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}}}}]}});
        assert!(is_crd(&crd));
        let out = convert(&crd).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].api_version, "example.com/v1");
        assert_eq!(out[0].kind, "Widget");
        let s = &out[0].schema;
        assert_eq!(s["additionalProperties"], json!(false));
        assert_eq!(s["properties"]["spec"]["additionalProperties"], json!(false));
        assert!(s["properties"]["spec"]["properties"]["free"].get("additionalProperties").is_none());
        assert_eq!(s["properties"]["spec"]["properties"]["labels"]["additionalProperties"], json!({"type": "string"}));
        assert_eq!(s["properties"]["metadata"]["$ref"], json!(OBJECT_META_REF));
    }

    #[test]
    fn rejects_crds_without_schemas() {
        let crd = json!({"spec": {"group": "g", "names": {"kind": "K"}, "versions": [{"name": "v1"}]}});
        assert_eq!(convert(&crd).unwrap_err(), "the CRD for K.g has no openAPIV3Schema");
    }
}
