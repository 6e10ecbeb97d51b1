use super::generators::generator_items;
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks that every `matrix` generator (top-level or nested) has exactly two child generators.
    /// ## Why is this bad?
    /// Argo CD's matrix generator combines exactly two parameter sets. With fewer it fails with "found
    /// less than two generators, Matrix support only two", with more "found more than two generators,
    /// Matrix support only two"; the ApplicationSet then generates nothing.
    /// ## Example
    /// ```yaml
    /// generators:
    ///   - matrix:
    ///       generators:
    ///         - clusters: {}
    ///         - git: {repoURL: https://example.com/r.git, revision: HEAD, directories: [{path: apps/*}]}
    ///         - list: {elements: [{env: prod}]}
    /// ```
    /// ## Use instead
    /// Nest a second matrix to combine three generators:
    /// ```yaml
    /// generators:
    ///   - matrix:
    ///       generators:
    ///         - clusters: {}
    ///         - matrix:
    ///             generators:
    ///               - git: {repoURL: https://example.com/r.git, revision: HEAD, directories: [{path: apps/*}]}
    ///               - list: {elements: [{env: prod}]}
    /// ```
    pub struct MatrixChildren {
        id: "appset-matrix-children", severity: Error, source: Lint,
        summary: "a matrix generator without exactly two child generators",
    }
}

impl Rule for MatrixChildren {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        // Below level 1 Argo CD drops matrix and merge altogether (`appset-nesting-too-deep` says so).
        for item in generator_items(doc).into_iter().filter(|g| g.level < 2) {
            let Some(matrix) = item.fields.get("matrix").filter(|m| !m.is_null()) else {
                continue;
            };
            let matrix_ptr = format!("{}/matrix", item.pointer);
            let (count, pointer) = match matrix.get("generators") {
                Some(Value::Array(children)) => (children.len(), format!("{matrix_ptr}/generators")),
                _ => (0, matrix_ptr.clone()),
            };
            let message = match count {
                2 => continue,
                0 => "matrix has no child generators; Argo CD requires exactly two".to_string(),
                1 => "matrix has 1 child generator; Argo CD requires exactly two".to_string(),
                n => format!("matrix has {n} child generators; Argo CD requires exactly two"),
            };
            let help = if count > 2 {
                "combine more than two generators by nesting: make the second child a matrix of the rest"
            } else {
                "add a second child generator, or drop the matrix and use the single generator directly"
            };
            cx.report_key(doc, &pointer, message).help = Some(help.into());
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
    fn fires_on_one_or_three_children_at_any_level() {
        let src = format!(
            "{HEAD}    - matrix:\n        generators:\n          - list: {{elements: []}}\n    - matrix:\n        generators:\n          - list: {{elements: []}}\n          - matrix:\n              generators: [{{list: {{}}}}, {{git: {{}}}}, {{clusters: {{}}}}]\n    - matrix: {{}}\n"
        );
        let f = run(&MatrixChildren, &src);
        assert_eq!(
            lines(&f),
            vec![
                (7, 9, "matrix has 1 child generator; Argo CD requires exactly two".into()),
                (13, 15, "matrix has 3 child generators; Argo CD requires exactly two".into()),
                (14, 7, "matrix has no child generators; Argo CD requires exactly two".into()),
            ]
        );
    }

    #[test]
    fn quiet_on_two_children() {
        let src = format!(
            "{HEAD}    - matrix:\n        generators:\n          - list: {{elements: []}}\n          - clusters: {{}}\n    - list: {{elements: []}}\n"
        );
        assert!(run(&MatrixChildren, &src).is_empty());
    }
}
