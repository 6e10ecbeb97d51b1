//! Helpers shared by the Application rules: Argo CD annotations, comma-separated annotation items with
//! their own spans, the sources of an Application.

use crate::lint::util::escape_pointer;
use crate::model::{DocKind, Document};
use crate::report::Span;
use crate::yaml::Node;
use serde_json::Value;
use std::collections::BTreeSet;

/// An Argo CD annotation found on a document.
pub struct Annotation<'d> {
    /// The annotation's key.
    pub key: &'d str,
    /// The value as Kubernetes reads it (a string unless the YAML is wrong).
    pub value: &'d Value,
}

impl Annotation<'_> {
    /// JSON pointer to the annotation's value (built only when a rule reports).
    pub fn pointer(&self) -> String {
        format!("/metadata/annotations/{}", escape_pointer(self.key))
    }
}

/// The value at `path` (object keys) under `value`. Unlike [`Document::get`] this does not allocate,
/// which matters for rules that run on every document.
pub fn at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, k| v.get(k))
}

/// The annotation `key` of `doc`, if the document is an object and carries it.
pub fn annotation<'d>(doc: &'d Document, key: &'d str) -> Option<Annotation<'d>> {
    if doc.kind == DocKind::Other {
        return None;
    }
    let value = doc.value.get("metadata")?.get("annotations")?.get(key)?;
    Some(Annotation { key, value })
}

/// How a non-string annotation value reads, for messages: `the number 5`, `the boolean true`.
pub fn describe_non_string(value: &Value) -> String {
    match value {
        Value::Null => "empty (null)".to_string(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "a mapping".to_string(),
        Value::String(s) => format!("the text `{s}`"),
    }
}

/// One comma-separated item of an annotation value: trimmed text and its byte range in the value.
pub struct CsvItem<'v> {
    /// The item with surrounding whitespace removed (as Argo CD's `GetAnnotationCSVs` trims it).
    pub text: &'v str,
    /// Byte offset of `text` in the whole value.
    pub offset: usize,
}

/// Splits an annotation value the way Argo CD does: on `,`, trimming each item and dropping empty ones.
pub fn csv_items(value: &str) -> impl Iterator<Item = CsvItem<'_>> {
    let mut start = 0;
    value.split(',').filter_map(move |raw| {
        let raw_start = start;
        start += raw.len() + 1;
        let text = raw.trim();
        if text.is_empty() {
            return None;
        }
        let lead = raw.len() - raw.trim_start().len();
        Some(CsvItem { text, offset: raw_start + lead })
    })
}

/// The span of the part `value[offset..offset + len]` of the string scalar at `pointer`, when the scalar is
/// written on one line without escapes (plain or quoted); otherwise the whole scalar's span.
pub fn part_span(doc: &Document, pointer: &str, value: &str, offset: usize, len: usize) -> Span {
    let whole = doc.span(pointer);
    let Some(Node::Scalar { span, .. }) = doc.node(pointer) else {
        return whole;
    };
    let Some(src) = doc.file.text.get(span.offset..span.offset + span.len) else {
        return whole;
    };
    let inner_start = if src == value {
        span.offset
    } else if src.len() == value.len() + 2 && src.get(1..src.len() - 1) == Some(value) {
        span.offset + 1
    } else {
        return whole;
    };
    doc.file.lines.span_of_offset(&doc.file.text, inner_start + offset, len)
}

/// Whether a string still holds template syntax (a Helm chart or ApplicationSet template seen as YAML);
/// rules leave such values alone since they are not final.
pub fn is_templated(s: &str) -> bool {
    s.contains("{{")
}

/// Where a source sits in an Application spec; displays as its JSON pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceAt {
    /// `spec.source`.
    Single,
    /// `spec.sources[i]`.
    List(usize),
}

impl std::fmt::Display for SourceAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceAt::Single => f.write_str("/spec/source"),
            SourceAt::List(i) => write!(f, "/spec/sources/{i}"),
        }
    }
}

/// Every source of an Application spec: `spec.source` and each of `spec.sources`.
pub fn sources(doc: &Document) -> impl Iterator<Item = (SourceAt, &Value)> {
    let spec = doc.value.get("spec");
    let single = spec.and_then(|s| s.get("source")).filter(|s| s.is_object()).map(|s| (SourceAt::Single, s));
    let list = spec.and_then(|s| s.get("sources")).and_then(Value::as_array).into_iter().flatten();
    single.into_iter().chain(list.enumerate().filter(|(_, s)| s.is_object()).map(|(i, s)| (SourceAt::List(i), s)))
}

/// Whether a JSON value counts as set for Argo CD (Go's zero values — empty string, empty list, null —
/// are the same as absent once unmarshalled).
pub fn is_set(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

/// Resolves `rel` against the directory of `file` (both with `/` separators), folding `.` and `..`.
pub fn resolve(file: &str, rel: &str) -> String {
    crate::repo::paths::join(crate::repo::paths::parent(file), rel)
}

/// `path` with `.` and `..` folded.
pub fn normalize(path: &str) -> String {
    crate::repo::paths::normalize(path)
}

/// Files named as patches by the Kustomizations in the tree.
pub fn kustomize_patch_files(docs: &[Document]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for d in docs {
        if d.kind != DocKind::Kubernetes
            || d.value.get("kind").and_then(Value::as_str) != Some("Kustomization")
            || !d
                .value
                .get("apiVersion")
                .and_then(Value::as_str)
                .is_some_and(|a| a.starts_with("kustomize.config.k8s.io/"))
        {
            continue;
        }
        let file = &*d.file.path;
        let mut add = |rel: &str| {
            if !rel.contains('\n') {
                out.insert(resolve(file, rel));
            }
        };
        for field in ["patches", "patchesJson6902"] {
            for p in d.value.get(field).and_then(Value::as_array).into_iter().flatten() {
                if let Some(rel) = p.get("path").and_then(Value::as_str) {
                    add(rel);
                }
            }
        }
        for p in d.value.get("patchesStrategicMerge").and_then(Value::as_array).into_iter().flatten() {
            if let Some(rel) = p.as_str() {
                add(rel);
            }
        }
    }
    out
}

/// The Applications of the tree that are complete objects, not Kustomize patches: rules that report a
/// missing field use this so that an overlay's partial Application is not mistaken for a broken one.
pub fn whole_applications(docs: &[Document]) -> Vec<&Document> {
    let apps = docs.iter().filter(|d| d.kind == DocKind::Application && !d.partial());
    let patches = kustomize_patch_files(docs);
    if patches.is_empty() {
        return apps.collect();
    }
    apps.filter(|d| !patches.contains(&normalize(&d.file.path))).collect()
}

/// Loads `(path, text)` files into documents, for tests of whole-tree rules.
#[cfg(test)]
pub fn tree(files: &[(&str, &str)]) -> Vec<Document> {
    use crate::model::SourceFile;
    use crate::yaml::{Limits, load};
    use std::sync::Arc;
    let mut out = Vec::new();
    for (path, src) in files {
        let file = Arc::new(SourceFile::new(*path, src.to_string()));
        let loaded = load(src, &Limits::default());
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        out.extend(loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::docs;

    #[test]
    fn splits_csv_like_argo_cd() {
        let items: Vec<(&str, usize)> = csv_items(" a, b ,,c ").map(|i| (i.text, i.offset)).collect();
        assert_eq!(items, vec![("a", 1), ("b", 4), ("c", 8)]);
    }

    #[test]
    fn finds_part_spans_in_plain_and_quoted_scalars() {
        let d = &docs("metadata:\n  annotations:\n    a: x,Prune=false\n    b: \"x, y\"\n")[0];
        let s = part_span(d, "/metadata/annotations/a", "x,Prune=false", 2, 11);
        assert_eq!((s.line, s.column, s.len), (3, 10, 11));
        let s = part_span(d, "/metadata/annotations/b", "x, y", 3, 1);
        assert_eq!((s.line, s.column), (4, 12));
    }

    #[test]
    fn falls_back_to_whole_scalar_for_folded_text() {
        let d = &docs("metadata:\n  annotations:\n    a: >-\n      x,\n      y\n")[0];
        let s = part_span(d, "/metadata/annotations/a", "x, y", 3, 1);
        assert_eq!(s, d.span("/metadata/annotations/a"));
    }

    #[test]
    fn resolves_relative_paths() {
        assert_eq!(resolve("overlays/prod/kustomization.yaml", "./p.yaml"), "overlays/prod/p.yaml");
        assert_eq!(resolve("overlays/prod/kustomization.yaml", "../../base/a.yaml"), "base/a.yaml");
        assert_eq!(resolve("kustomization.yaml", "../x.yaml"), "../x.yaml");
        assert_eq!(normalize("./overlays//prod/p.yaml"), "overlays/prod/p.yaml");
    }
}
