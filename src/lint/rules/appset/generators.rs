//! Walking an ApplicationSet's generator tree: every generator item with its JSON pointer and its
//! nesting level, the way Argo CD's CRD types see it.
//!
//! Level 0 is an item of `spec.generators` (`ApplicationSetGenerator`), level 1 a child of a top-level
//! matrix or merge (`ApplicationSetNestedGenerator`, which may itself be a matrix or merge), level 2 a
//! child of such a nested matrix or merge (`ApplicationSetTerminalGenerator`, which has no `matrix` or
//! `merge` field at all, so Argo CD drops them). Deeper items are walked too, so rules can point at them.

use crate::lint::util::escape_pointer;
use crate::model::Document;
use serde_json::{Map, Value};

/// Every generator field name of `ApplicationSetGenerator`, in Argo CD's field order.
pub const GENERATOR_KEYS: [&str; 9] =
    ["list", "clusters", "git", "scmProvider", "clusterDecisionResource", "pullRequest", "matrix", "merge", "plugin"];

/// The combination generators, whose children are generator items themselves.
pub const COMBINATION_KEYS: [&str; 2] = ["matrix", "merge"];

/// One item of a `generators` list.
#[derive(Debug)]
pub struct GeneratorItem<'a> {
    /// JSON pointer of the item, e.g. `/spec/generators/0/matrix/generators/1`.
    pub pointer: String,
    /// 0 for `spec.generators`, 1 for their matrix/merge children, 2 below that, and so on.
    pub level: usize,
    /// The combination generator this item is a child of (`matrix` or `merge`), if any.
    pub parent: Option<&'static str>,
    /// The item's mapping (empty when the item is not a mapping).
    pub fields: &'a Map<String, Value>,
}

impl GeneratorItem<'_> {
    /// The generator fields the item sets (non-null), in Argo CD's field order.
    pub fn generator_keys(&self) -> Vec<&'static str> {
        GENERATOR_KEYS.iter().copied().filter(|k| self.fields.get(*k).is_some_and(|v| !v.is_null())).collect()
    }

    /// The pointer of one of the item's fields.
    pub fn field_pointer(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape_pointer(key))
    }
}

/// Every generator item of an ApplicationSet, depth first, in document order.
pub fn generator_items(doc: &Document) -> Vec<GeneratorItem<'_>> {
    let mut out = Vec::new();
    if let Some(Value::Array(items)) = doc.get("/spec/generators") {
        walk(items, "/spec/generators", 0, None, &mut out);
    }
    out
}

static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);

fn walk<'a>(
    items: &'a [Value],
    base: &str,
    level: usize,
    parent: Option<&'static str>,
    out: &mut Vec<GeneratorItem<'a>>,
) {
    for (i, item) in items.iter().enumerate() {
        let pointer = format!("{base}/{i}");
        let fields = item.as_object().unwrap_or(&EMPTY);
        out.push(GeneratorItem { pointer: pointer.clone(), level, parent, fields });
        for key in COMBINATION_KEYS {
            if let Some(Value::Array(children)) = fields.get(key).and_then(|c| c.get("generators")) {
                walk(children, &format!("{pointer}/{key}/generators"), level + 1, Some(key), out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::docs;

    #[test]
    fn walks_nested_generators_with_levels() {
        let src = "\
spec:
  generators:
    - list: {elements: []}
    - matrix:
        generators:
          - git: {}
          - merge:
              mergeKeys: [a]
              generators:
                - clusters: {}
";
        let d = docs(src);
        let items = generator_items(&d[0]);
        let got: Vec<(String, usize, Option<&str>)> =
            items.iter().map(|g| (g.pointer.clone(), g.level, g.parent)).collect();
        assert_eq!(
            got,
            vec![
                ("/spec/generators/0".into(), 0, None),
                ("/spec/generators/1".into(), 0, None),
                ("/spec/generators/1/matrix/generators/0".into(), 1, Some("matrix")),
                ("/spec/generators/1/matrix/generators/1".into(), 1, Some("matrix")),
                ("/spec/generators/1/matrix/generators/1/merge/generators/0".into(), 2, Some("merge")),
            ]
        );
        assert_eq!(items[1].generator_keys(), vec!["matrix"]);
    }
}
