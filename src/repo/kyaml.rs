//! Values as Kustomize reads them. `kustomize build` parses with kyaml (go-yaml v3): the YAML 1.1 boolean
//! words (`yes`, `no`, `on`, `off`, `y`, `n` in any case form) stay strings, and it writes them back quoted,
//! so the cluster receives the strings. Numbers are read as Kubernetes reads them: measured with
//! `kubectl kustomize` (kustomize v5.5.0), `0644` becomes 420, `1_000` 1000 and `0x1F` 31.

use crate::yaml::Node;
use serde_json::Value;

/// Whether `text` is a YAML 1.1 boolean word that YAML 1.2 reads as a string.
pub fn is_yaml11_bool_word(text: &str) -> bool {
    matches!(
        text,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF"
    )
}

/// Rewrites, in `value` (whose source map is `node`, over `text`), every plain YAML 1.1 boolean word to
/// the string kustomize passes on. Keys are left as they are (a key `y:` reads `"true"` here, `"y"` in
/// kustomize; keys of that spelling are rare in manifests).
pub fn reread(value: &mut Value, node: &Node, text: &str) {
    match (node, value) {
        (Node::Scalar { span, ambiguous: true, .. }, v @ Value::Bool(_)) => {
            if let Some(word) = text.get(span.offset..span.offset + span.len)
                && is_yaml11_bool_word(word)
            {
                *v = Value::String(word.to_string());
            }
        }
        (Node::Map { entries, .. }, Value::Object(map)) => {
            for e in entries {
                if let Some(v) = map.get_mut(&e.key) {
                    reread(v, &e.value, text);
                }
            }
        }
        (Node::Seq { items, .. }, Value::Array(list)) => {
            for (n, v) in items.iter().zip(list.iter_mut()) {
                reread(v, n, text);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};
    use serde_json::json;

    #[test]
    fn boolean_words_stay_strings_numbers_do_not_change() {
        // Expected values measured with `kubectl kustomize` (kustomize v5.5.0) on the same text.
        let text =
            "data:\n  mode: Off\n  why: y\n  a: yes\n  t: true\n  oct: 0644\n  under: 1_000\nlist: [on, off, 0o644]\n";
        let mut loaded = load(text, &Limits::default());
        let d = &mut loaded.docs[0];
        reread(&mut d.value, d.map.root(), text);
        assert_eq!(
            d.value,
            json!({"data": {"mode": "Off", "why": "y", "a": "yes", "t": true, "oct": 420, "under": 1000},
                   "list": ["on", "off", 420]})
        );
    }
}
