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
///
/// The source map is walked first and alone (no hashing of keys): most documents hold no such word, and
/// then the value is not touched at all.
pub fn reread(value: &mut Value, node: &Node, text: &str) {
    let mut found: Vec<Vec<Step<'_>>> = Vec::new();
    find(node, text, &mut Vec::new(), &mut found);
    for path in found {
        let word = path_word(node, &path, text).unwrap_or_default().to_string();
        let mut pointer = String::new();
        for step in &path {
            pointer.push('/');
            match step {
                Step::Key(k) => pointer.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Step::Index(i) => pointer.push_str(&i.to_string()),
            }
        }
        if let Some(v @ Value::Bool(_)) = value.pointer_mut(&pointer) {
            *v = Value::String(word);
        }
    }
}

/// One step from a node to a child.
#[derive(Debug, Clone, Copy)]
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

/// The paths of the plain boolean words below `node`.
fn find<'n>(node: &'n Node, text: &str, path: &mut Vec<Step<'n>>, out: &mut Vec<Vec<Step<'n>>>) {
    match node {
        Node::Scalar { span, ambiguous: true, .. } => {
            if text.get(span.offset..span.offset + span.len).is_some_and(is_yaml11_bool_word) {
                out.push(path.clone());
            }
        }
        Node::Scalar { .. } => {}
        Node::Map { entries, .. } => {
            for e in entries {
                path.push(Step::Key(&e.key));
                find(&e.value, text, path, out);
                path.pop();
            }
        }
        Node::Seq { items, .. } => {
            for (i, n) in items.iter().enumerate() {
                path.push(Step::Index(i));
                find(n, text, path, out);
                path.pop();
            }
        }
    }
}

/// The text of the scalar at `path` below `node`.
fn path_word<'t>(node: &Node, path: &[Step<'_>], text: &'t str) -> Option<&'t str> {
    let mut n = node;
    for step in path {
        n = match (step, n) {
            (Step::Key(k), Node::Map { entries, .. }) => &entries.iter().rev().find(|e| e.key == *k)?.value,
            (Step::Index(i), Node::Seq { items, .. }) => items.get(*i)?,
            _ => return None,
        };
    }
    match n {
        Node::Scalar { span, .. } => text.get(span.offset..span.offset + span.len),
        _ => None,
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

    #[test]
    fn the_loader_marks_documents_with_boolean_words() {
        let l = load("a: yes\n---\na: 'yes'\nb: true\n---\nc: 0755\n", &Limits::default());
        let marks: Vec<bool> = l.docs.iter().map(|d| d.yaml11_bools).collect();
        assert_eq!(marks, [true, false, false]);
    }

    #[test]
    fn keys_with_slashes_and_tildes_and_nested_lists() {
        let text = "metadata:\n  labels: {app.kubernetes.io/on: yes, a~b: No}\nx: [[n], {k: [off]}]\n";
        let mut loaded = load(text, &Limits::default());
        let d = &mut loaded.docs[0];
        reread(&mut d.value, d.map.root(), text);
        assert_eq!(
            d.value,
            json!({"metadata": {"labels": {"app.kubernetes.io/on": "yes", "a~b": "No"}}, "x": [["n"], {"k": ["off"]}]})
        );
    }
}
