//! Fuzzes the YAML loader and its source map: arbitrary bytes (decoded lossily, as a file with
//! invalid UTF-8 never reaches the loader) are loaded under tight limits, then the invariants every
//! engine relies on are checked:
//! - every span (issues, nodes, keys) lies inside the input, on character boundaries, and its
//!   line/column agree with its byte offset;
//! - every pointer of the source map resolves in the document's value, and a node's shape
//!   (mapping/sequence) matches the value's;
//! - `SourceMap::span`/`key_span` never panic on any pointer (existing or not).
#![no_main]

use argovet::report::Span;
use argovet::yaml::{self, Limits, LineIndex, Node};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn check_span(src: &str, lines: &LineIndex, span: &Span, what: &str) {
    assert!(span.offset <= src.len(), "{what}: offset {} past end {}", span.offset, src.len());
    assert!(span.offset + span.len <= src.len(), "{what}: span {span:?} past end {}", src.len());
    assert!(src.is_char_boundary(span.offset), "{what}: offset {span:?} inside a character");
    assert!(src.is_char_boundary(span.offset + span.len), "{what}: end of {span:?} inside a character");
    assert!(span.line >= 1 && span.column >= 1, "{what}: {span:?} not 1-based");
    let at = lines.span_of_offset(src, span.offset, 0);
    assert_eq!((at.line, at.column), (span.line, span.column), "{what}: line/column disagree with offset in {span:?}");
}

fn escape(seg: &str) -> String {
    seg.replace('~', "~0").replace('/', "~1")
}

fn walk(src: &str, lines: &LineIndex, node: &Node, value: &Value, pointer: &str, map: &yaml::SourceMap) {
    check_span(src, lines, node.span(), pointer);
    assert_eq!(map.span(pointer), *node.span(), "{pointer}: lookup finds a different node");
    match node {
        Node::Map { entries, .. } => {
            let obj = value.as_object().unwrap_or_else(|| panic!("{pointer}: map node over {value}"));
            for e in entries {
                check_span(src, lines, &e.key_span, pointer);
                let child = obj.get(&e.key).unwrap_or_else(|| panic!("{pointer}: key {:?} missing in value", e.key));
                let p = format!("{pointer}/{}", escape(&e.key));
                // Duplicate keys: the value holds one of them; only the first entry is reachable by pointer.
                if map.node(&p).is_some_and(|n| std::ptr::eq(n, &e.value)) {
                    walk(src, lines, &e.value, child, &p, map);
                }
            }
        }
        Node::Seq { items, .. } => {
            let arr = value.as_array().unwrap_or_else(|| panic!("{pointer}: seq node over {value}"));
            assert_eq!(arr.len(), items.len(), "{pointer}: sequence length differs from value");
            for (i, (n, v)) in items.iter().zip(arr).enumerate() {
                walk(src, lines, n, v, &format!("{pointer}/{i}"), map);
            }
        }
        Node::Scalar { .. } => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let src = String::from_utf8_lossy(data);
    let limits = Limits { max_depth: 48, max_alias_nodes: 2_000 };
    let loaded = yaml::load(&src, &limits);
    let lines = LineIndex::new(&src);
    for issue in &loaded.issues {
        check_span(&src, &lines, &issue.span, issue.kind.rule_id());
    }
    let mut last = None;
    for doc in &loaded.docs {
        assert!(last.is_none_or(|l| doc.index > l), "document indexes not increasing");
        last = Some(doc.index);
        walk(&src, &lines, doc.map.root(), &doc.value, "", &doc.map);
        for p in ["/a", "/0", "/spec/x/0", "/~1/~0", "//", "/metadata/name"] {
            let _ = doc.map.span(p);
            let _ = doc.map.key_span(p);
        }
    }
});
