//! The Application template: generator-level templates merged over `spec.template`, the
//! Application built from a rendered template, the resources finalizer, and `templatePatch`.

use serde_json::{Map, Value};

/// The finalizer Argo CD adds unless the template lists finalizers or resources are preserved.
pub const RESOURCES_FINALIZER: &str = "resources-finalizer.argocd.argoproj.io";

/// `mergo.Merge(generatorTemplate, spec.template)`: fields the generator's template sets win;
/// empty ones (absent, `""`, `false`, `0`, empty lists) are taken from `spec.template`; objects
/// (sources, destinations, label maps) merge field by field.
pub fn merge_generator_template(generator: &Value, base: &Value) -> Value {
    let mut out = generator.clone();
    fill(&mut out, base);
    out
}

fn fill(dst: &mut Value, src: &Value) {
    match (dst, src) {
        (Value::Object(d), Value::Object(s)) => {
            for (k, sv) in s {
                match d.get_mut(k) {
                    Some(dv) if !is_empty(dv) => fill(dv, sv),
                    _ => {
                        d.insert(k.clone(), sv.clone());
                    }
                }
            }
        }
        (dst, src) if is_empty(dst) => *dst = src.clone(),
        _ => {}
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(_) => false,
    }
}

/// The fields of an ApplicationSet template that reach the Application (`ApplicationSetTemplate`):
/// `metadata.{name,namespace,labels,annotations,finalizers}` and `spec`; anything else is dropped.
pub fn template_fields(template: &Value) -> Value {
    let mut meta = Map::new();
    if let Some(m) = template.get("metadata").and_then(Value::as_object) {
        for k in ["name", "namespace", "labels", "annotations", "finalizers"] {
            if let Some(v) = m.get(k)
                && !v.is_null()
            {
                meta.insert(k.into(), v.clone());
            }
        }
    }
    let mut out = Map::new();
    out.insert("metadata".into(), Value::Object(meta));
    out.insert("spec".into(), template.get("spec").cloned().unwrap_or(Value::Object(Map::new())));
    Value::Object(out)
}

/// Builds the Application from a rendered template (consumes its contents).
pub fn application(rendered: &mut Value) -> Value {
    let mut meta = Map::new();
    if let Some(m) = rendered.get_mut("metadata").and_then(Value::as_object_mut) {
        for k in ["name", "namespace", "labels", "annotations", "finalizers"] {
            if let Some(v) = m.shift_remove(k) {
                let empty = match &v {
                    Value::Null => true,
                    Value::String(s) => s.is_empty(),
                    Value::Object(o) => o.is_empty(),
                    Value::Array(a) => a.is_empty(),
                    _ => false,
                };
                if !empty {
                    meta.insert(k.into(), v);
                }
            }
        }
    }
    let spec = rendered.get_mut("spec").map(Value::take).unwrap_or(Value::Object(Map::new()));
    let mut app = Map::new();
    app.insert("apiVersion".into(), Value::String(crate::model::ARGO_API_VERSION.into()));
    app.insert("kind".into(), Value::String("Application".into()));
    app.insert("metadata".into(), Value::Object(meta));
    app.insert("spec".into(), spec);
    Value::Object(app)
}

/// Adds the resources finalizer when the template lists none.
pub fn add_resources_finalizer(app: &mut Value) {
    let Some(meta) = app.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    let has = meta.get("finalizers").and_then(Value::as_array).is_some_and(|a| !a.is_empty());
    if !has {
        meta.insert("finalizers".into(), Value::Array(vec![Value::String(RESOURCES_FINALIZER.into())]));
    }
}

/// Sets `metadata.namespace` to the ApplicationSet's namespace (whatever the template said).
pub fn set_namespace(app: &mut Value, namespace: Option<&str>) {
    let Some(meta) = app.get_mut("metadata").and_then(Value::as_object_mut) else {
        return;
    };
    match namespace {
        Some(ns) if !ns.is_empty() => {
            // Keep `name` first for readability: rebuild with namespace right after it.
            let mut out = Map::new();
            let name = meta.shift_remove("name");
            if let Some(n) = name {
                out.insert("name".into(), n);
            }
            meta.shift_remove("namespace");
            out.insert("namespace".into(), Value::String(ns.into()));
            out.extend(std::mem::take(meta));
            *meta = out;
        }
        _ => {
            meta.shift_remove("namespace");
        }
    }
}

/// Applies a rendered `templatePatch` (YAML, or JSON when it starts with `{`) as a strategic merge
/// patch: objects merge, lists are replaced, `null` deletes, `metadata.finalizers` are merged as a
/// set. `spec.project` is restored afterwards, as Argo CD does.
pub fn apply_template_patch(app: &mut Value, patch_text: &str) -> Result<(), String> {
    let patch = if patch_text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(patch_text).map_err(|e| format!("invalid templatePatch: {e}"))?
    } else {
        let loaded = crate::yaml::load(patch_text, &crate::yaml::Limits::default());
        if let Some(i) = loaded.issues.first() {
            return Err(format!("error while converting template to json: line {}: {}", i.span.line, i.message));
        }
        loaded.docs.into_iter().next().map(|d| d.value).unwrap_or(Value::Null)
    };
    if !patch.is_object() {
        return Err(format!("invalid templatePatch {}: it does not render to an object", one_line(patch_text)));
    }
    let project = app.pointer("/spec/project").cloned();
    merge_patch(app, &patch, "");
    if let Some(spec) = app.get_mut("spec").and_then(Value::as_object_mut) {
        match project {
            Some(p) => {
                spec.insert("project".into(), p);
            }
            None => {
                spec.shift_remove("project");
            }
        }
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    let t: String = s.chars().take(80).collect();
    format!("{:?}", t)
}

fn merge_patch(target: &mut Value, patch: &Value, path: &str) {
    let Value::Object(p) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else {
        return;
    };
    for (k, pv) in p {
        let child = format!("{path}/{k}");
        if pv.is_null() {
            t.shift_remove(k);
            continue;
        }
        if child == "/metadata/finalizers"
            && let (Some(Value::Array(existing)), Value::Array(add)) = (t.get_mut(k), pv)
        {
            for item in add {
                if !existing.contains(item) {
                    existing.push(item.clone());
                }
            }
            continue;
        }
        match t.get_mut(k) {
            Some(tv) if pv.is_object() && tv.is_object() => merge_patch(tv, pv, &child),
            _ => {
                let mut v = Value::Null;
                merge_patch(&mut v, pv, &child);
                t.insert(k.clone(), v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn generator_template_wins_and_inherits_empty_fields() {
        let base = json!({"metadata": {"name": "{{name}}", "labels": {"a": "1"}},
            "spec": {"project": "default", "source": {"repoURL": "r", "path": "p"}}});
        let gen_t = json!({"metadata": {"labels": {"b": "2"}}, "spec": {"project": "", "source": {"path": "q"}}});
        assert_eq!(
            merge_generator_template(&gen_t, &base),
            json!({"metadata": {"labels": {"b": "2", "a": "1"}, "name": "{{name}}"},
                "spec": {"project": "default", "source": {"path": "q", "repoURL": "r"}}})
        );
    }

    #[test]
    fn template_patch_merges_objects_replaces_lists_and_keeps_project() {
        let mut app = json!({"metadata": {"name": "a", "finalizers": ["x"]},
            "spec": {"project": "p", "source": {"repoURL": "r", "helm": {"valueFiles": ["a.yaml"]}}}});
        let patch = "metadata:\n  finalizers: [z]\nspec:\n  project: other\n  source:\n    helm:\n      valueFiles: [b.yaml]\n    path: null\n  syncPolicy: {automated: {}}\n";
        apply_template_patch(&mut app, patch).unwrap();
        assert_eq!(
            app,
            json!({"metadata": {"name": "a", "finalizers": ["x", "z"]},
                "spec": {"project": "p", "source": {"repoURL": "r", "helm": {"valueFiles": ["b.yaml"]}},
                    "syncPolicy": {"automated": {}}}})
        );
        assert!(apply_template_patch(&mut app, "- a\n").unwrap_err().contains("does not render to an object"));
    }
}
