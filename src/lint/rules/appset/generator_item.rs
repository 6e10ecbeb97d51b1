use super::generators::{COMBINATION_KEYS, GENERATOR_KEYS, generator_items};
use crate::declare_rule;
use crate::lint::util::did_you_mean;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Checks each item of a `generators` list: a child of a `matrix` or `merge` must hold exactly one
    /// generator; a top-level item must hold at least one; a key that is not a generator (`cluster`,
    /// `lists`, `pullRequests`) is reported with the name it was probably meant to be.
    /// ## Why is this bad?
    /// A matrix or merge child with two generators fails with "found more than one generator in
    /// matrix.Generators", one with none fails with "child generator generated no parameters"; a
    /// top-level item without a known generator makes the set report "contains unrecognized generators".
    /// A misspelt generator key is dropped without a word.
    /// ## Example
    /// ```yaml
    /// - matrix:
    ///     generators:
    ///       - list: {elements: [{env: dev}]}
    ///         cluster: {}
    ///       - git: {}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// - matrix:
    ///     generators:
    ///       - list: {elements: [{env: dev}]}
    ///       - clusters: {}
    /// ```
    pub struct GeneratorItem {
        id: "appset-generator-item", severity: Error, source: Lint,
        summary: "a generators item with no generator, several in a matrix/merge child, or an unknown key",
    }
}

impl Rule for GeneratorItem {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        for item in generator_items(doc) {
            for key in item.fields.keys() {
                if key == "selector" || GENERATOR_KEYS.contains(&key.as_str()) {
                    continue;
                }
                let help = did_you_mean(key, GENERATOR_KEYS)
                    .unwrap_or_else(|| format!("generators are {}", GENERATOR_KEYS.join(", ")));
                cx.report_key(doc, &item.field_pointer(key), format!("`{key}` is not an ApplicationSet generator"))
                    .help = Some(help);
            }
            let mut keys = item.generator_keys();
            let dropped_combination = item.level >= 2 && keys.iter().any(|k| COMBINATION_KEYS.contains(k));
            if item.level >= 2 {
                keys.retain(|k| !COMBINATION_KEYS.contains(k));
            }
            match (item.parent, keys.len()) {
                (Some(parent), 0) if !dropped_combination => {
                    cx.report(doc, &item.pointer, format!("this `{parent}` child holds no generator; Argo CD fails with \"child generator generated no parameters\""))
                        .help = Some(format!("give it one of: {}", GENERATOR_KEYS.join(", ")));
                }
                (Some(parent), n) if n > 1 => {
                    cx.report_key(
                        doc,
                        &item.field_pointer(keys[1]),
                        format!(
                            "this `{parent}` child holds {n} generators ({}); Argo CD requires exactly one",
                            keys.join(", ")
                        ),
                    )
                    .help = Some(format!("move `{}` into its own item of the `{parent}`'s generators", keys[1]));
                }
                (None, 0) => {
                    let null = GENERATOR_KEYS.iter().find(|k| item.fields.get(**k).is_some_and(|v| v.is_null()));
                    match null {
                        Some(key) => {
                            let f = cx.report_key(
                                doc,
                                &item.field_pointer(key),
                                format!("`{key}` is empty (null), so Argo CD ignores this generator"),
                            );
                            f.help = Some(format!(
                                "indent the `{key}` settings under it; a comment line alone does not make them its children"
                            ));
                        }
                        None => {
                            cx.report(doc, &item.pointer, "this generators item holds no generator Argo CD knows")
                                .help = Some(format!("give it one of: {}", GENERATOR_KEYS.join(", ")));
                        }
                    }
                }
                _ => {}
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
    fn fires_on_unknown_keys_and_wrong_generator_counts() {
        let src = format!(
            "{HEAD}    - cluster: {{}}\n    - matrix:\n        generators:\n          - list: {{elements: []}}\n            git: {{}}\n          - selector: {{matchLabels: {{a: b}}}}\n"
        );
        let f = run(&GeneratorItem, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 7, "`cluster` is not an ApplicationSet generator".into()),
                (6, 7, "this generators item holds no generator Argo CD knows".into()),
                (10, 13, "this `matrix` child holds 2 generators (list, git); Argo CD requires exactly one".into()),
                (11, 13, "this `matrix` child holds no generator; Argo CD fails with \"child generator generated no parameters\"".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `clusters`?"));
    }

    #[test]
    fn fires_on_a_generator_left_empty_by_indentation() {
        let src = format!("{HEAD}    - clusterDecisionResource:\n      configMapRef: my-configmap\n");
        let f = run(&GeneratorItem, &src);
        assert_eq!(
            lines(&f),
            vec![
                (7, 7, "`configMapRef` is not an ApplicationSet generator".into()),
                (6, 7, "`clusterDecisionResource` is empty (null), so Argo CD ignores this generator".into()),
            ]
        );
    }

    #[test]
    fn quiet_on_one_generator_per_child_and_several_at_top_level() {
        let src = format!(
            "{HEAD}    - list: {{elements: []}}\n      clusters: {{}}\n    - matrix:\n        generators:\n          - list: {{elements: []}}\n            selector: {{matchLabels: {{a: b}}}}\n          - git: {{}}\n"
        );
        assert!(run(&GeneratorItem, &src).is_empty());
    }
}
