use super::generators::generator_items;
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks every `merge` generator (top-level or nested): it needs a non-empty `mergeKeys` list and at
    /// least two child generators.
    /// ## Why is this bad?
    /// Argo CD's merge generator fails with "no merge keys were specified, Merge requires at least one" or
    /// "found less than two generators, Merge requires two or more"; the ApplicationSet then generates
    /// nothing.
    /// ## Example
    /// ```yaml
    /// generators:
    ///   - merge:
    ///       generators:
    ///         - clusters: {values: {kafka: "true"}}
    ///         - list: {elements: [{server: https://2.4.6.8, values.kafka: "false"}]}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// generators:
    ///   - merge:
    ///       mergeKeys: [server]
    ///       generators:
    ///         - clusters: {values: {kafka: "true"}}
    ///         - list: {elements: [{server: https://2.4.6.8, values.kafka: "false"}]}
    /// ```
    pub struct MergeKeys {
        id: "appset-merge-keys", severity: Error, source: Lint,
        summary: "a merge generator without mergeKeys or with fewer than two generators",
    }
}

impl Rule for MergeKeys {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        // Below level 1 Argo CD drops matrix and merge altogether (`appset-nesting-too-deep` says so).
        for item in generator_items(doc).into_iter().filter(|g| g.level < 2) {
            let Some(merge) = item.fields.get("merge").filter(|m| !m.is_null()) else {
                continue;
            };
            let merge_ptr = format!("{}/merge", item.pointer);
            let keys_empty = match merge.get("mergeKeys") {
                Some(Value::Array(keys)) => keys.is_empty(),
                _ => true,
            };
            if keys_empty {
                let pointer =
                    if merge.get("mergeKeys").is_some() { format!("{merge_ptr}/mergeKeys") } else { merge_ptr.clone() };
                let message = if merge.get("mergeKeys").is_some() {
                    "merge has an empty `mergeKeys`; Argo CD requires at least one merge key"
                } else {
                    "merge has no `mergeKeys`; Argo CD requires at least one merge key"
                };
                cx.report_key(doc, &pointer, message).help = Some(
                    "add `mergeKeys` naming the parameters that pair sets up across generators, e.g. `mergeKeys: [server]`".into(),
                );
            }
            let count = merge.get("generators").and_then(Value::as_array).map_or(0, Vec::len);
            if count < 2 {
                let pointer = if merge.get("generators").is_some() {
                    format!("{merge_ptr}/generators")
                } else {
                    merge_ptr.clone()
                };
                cx.report_key(doc, &pointer, format!("merge has {count} child generator{}; Argo CD requires two or more", if count == 1 { "" } else { "s" }))
                    .help = Some("merge overrides the first generator's parameter sets with later ones: add the generator(s) to merge in, or drop the merge".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators:\n";

    #[test]
    fn fires_on_missing_keys_and_single_generator() {
        let src = format!(
            "{HEAD}    - merge:\n        generators:\n          - clusters: {{}}\n          - list: {{elements: []}}\n    - merge:\n        mergeKeys: []\n        generators:\n          - clusters: {{}}\n"
        );
        let f = run(&MergeKeys, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 7, "merge has no `mergeKeys`; Argo CD requires at least one merge key".into()),
                (11, 9, "merge has an empty `mergeKeys`; Argo CD requires at least one merge key".into()),
                (12, 9, "merge has 1 child generator; Argo CD requires two or more".into()),
            ]
        );
    }

    #[test]
    fn quiet_on_keys_and_two_generators() {
        let src = format!(
            "{HEAD}    - merge:\n        mergeKeys: [server]\n        generators:\n          - clusters: {{}}\n          - list: {{elements: []}}\n"
        );
        assert!(run(&MergeKeys, &src).is_empty());
    }
}
