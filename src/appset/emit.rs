//! A small, deterministic YAML emitter for rendered Applications (block style, keys in value order,
//! strings quoted whenever a Kubernetes YAML reader could take them for something else).

use crate::yaml::resolve_plain;
use serde_json::Value;

/// One document as YAML (no leading `---`), ending with a newline.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

/// Several documents separated by `---`.
pub fn to_yaml_stream<'a>(docs: impl IntoIterator<Item = &'a Value>) -> String {
    let mut out = String::new();
    for (i, d) in docs.into_iter().enumerate() {
        if i > 0 {
            out.push_str("---\n");
        }
        out.push_str(&to_yaml(d));
    }
    out
}

fn indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

fn map(out: &mut String, m: &serde_json::Map<String, Value>, level: usize) {
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str(&string(k));
        out.push(':');
        value_after_key(out, v, level);
    }
}

fn value_after_key(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            map(out, m, level + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            indent(out, level);
            seq(out, a, level);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, a: &[Value], level: usize) {
    for (i, v) in a.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match v {
            Value::Object(m) if !m.is_empty() => map(out, m, level + 2),
            Value::Array(inner) if !inner.is_empty() => seq(out, inner, level + 2),
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Array(_) => "[]".into(),
        Value::Object(_) => "{}".into(),
    }
}

/// A string, plain when that reads back as the same string, else double-quoted (JSON escapes are
/// valid YAML escapes).
pub fn string(s: &str) -> String {
    if plain_ok(s) { s.to_string() } else { serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}")) }
}

fn plain_ok(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s || "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') || s.chars().any(|c| c.is_control()) {
        return false;
    }
    let r = resolve_plain(s);
    r.value.as_str() == Some(s) && !r.ambiguous
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn emits_block_yaml_that_reads_back_identically() {
        let v = json!({"metadata": {"name": "web", "labels": {"x": "yes", "m": "1e3"}},
            "spec": {"list": [{"a": 1, "b": [true, null]}, "{{ x }}", "a: b", ""], "empty": {}, "e2": []}});
        let text = to_yaml(&v);
        assert_eq!(
            text,
            "metadata:\n  name: web\n  labels:\n    x: \"yes\"\n    m: \"1e3\"\nspec:\n  list:\n  - a: 1\n    b:\n    - true\n    - null\n  - \"{{ x }}\"\n  - \"a: b\"\n  - \"\"\n  empty: {}\n  e2: []\n"
        );
        let back = crate::yaml::load(&text, &crate::yaml::Limits::default());
        assert!(back.issues.is_empty());
        assert_eq!(back.docs[0].value, v);
    }
}
