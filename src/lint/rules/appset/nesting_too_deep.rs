use super::generators::{COMBINATION_KEYS, generator_items};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Finds `matrix` or `merge` generators nested more than two levels deep. Argo CD allows a matrix or
    /// merge at the top level and one more inside it; the children of that inner one must be plain
    /// generators (the CRD's `ApplicationSetTerminalGenerator` has no `matrix` or `merge` field).
    /// ## Why is this bad?
    /// The third-level `matrix`/`merge` is silently dropped when Argo CD decodes the nested generator, so
    /// the child generates nothing: the ApplicationSet fails with "child generator generated no
    /// parameters", or, when the item also holds another generator, that one is used alone.
    /// ## Example
    /// ```yaml
    /// - matrix:
    ///     generators:
    ///       - clusters: {}
    ///       - matrix:
    ///           generators:
    ///             - list: {elements: [{a: "1"}]}
    ///             - matrix: {generators: [{list: {elements: []}}, {git: {}}]}
    /// ```
    /// ## Use instead
    /// Flatten the innermost combination into its parent, or split the ApplicationSet so that no
    /// combination is nested more than once.
    pub struct NestingTooDeep {
        id: "appset-nesting-too-deep", severity: Error, source: Lint,
        summary: "matrix/merge nested deeper than Argo CD allows",
    }
}

impl Rule for NestingTooDeep {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        for item in generator_items(doc) {
            // Report only where the limit is first crossed, not again for everything below it.
            if item.level != 2 {
                continue;
            }
            for key in COMBINATION_KEYS {
                if item.fields.get(key).is_none_or(|v| v.is_null()) {
                    continue;
                }
                let parent = item.parent.unwrap_or("matrix");
                cx.report_key(
                    doc,
                    &format!("{}/{key}", item.pointer),
                    format!(
                        "`{key}` inside a nested `{parent}` is ignored: Argo CD allows only two levels of matrix/merge"
                    ),
                )
                .help = Some(format!(
                    "Argo CD drops this `{key}` and the child generates no parameters; move its generators up into the enclosing `{parent}` or split the ApplicationSet"
                ));
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
    fn fires_on_third_level_combination() {
        let src = format!(
            "{HEAD}    - matrix:\n        generators:\n          - clusters: {{}}\n          - merge:\n              mergeKeys: [a]\n              generators:\n                - list: {{elements: []}}\n                - matrix:\n                    generators: [{{list: {{}}}}, {{git: {{}}}}]\n"
        );
        let f = run(&NestingTooDeep, &src);
        assert_eq!(
            lines(&f),
            vec![(
                13,
                19,
                "`matrix` inside a nested `merge` is ignored: Argo CD allows only two levels of matrix/merge".into()
            )]
        );
    }

    #[test]
    fn quiet_on_two_levels() {
        let src = format!(
            "{HEAD}    - matrix:\n        generators:\n          - clusters: {{}}\n          - matrix:\n              generators:\n                - list: {{elements: []}}\n                - git: {{}}\n"
        );
        assert!(run(&NestingTooDeep, &src).is_empty());
    }
}
