use super::support::is_set;
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Finds Applications that set both `spec.source` and a non-empty `spec.sources`.
    /// ## Why is this bad?
    /// Argo CD treats an Application with `sources` as a multi-source Application
    /// (`ApplicationSpec.HasMultipleSources`) and ignores `source` entirely: whatever it points at is
    /// never deployed, and nothing tells you so.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   source:
    ///     repoURL: https://github.com/example/apps.git
    ///     path: guestbook
    ///   sources:
    ///     - repoURL: https://charts.example.com
    ///       chart: redis
    ///       targetRevision: 19.0.0
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   sources:
    ///     - repoURL: https://github.com/example/apps.git
    ///       path: guestbook
    ///     - repoURL: https://charts.example.com
    ///       chart: redis
    ///       targetRevision: 19.0.0
    /// ```
    pub struct SourceConflict {
        id: "app-source-and-sources", severity: Error, source: Lint,
        summary: "an Application sets both `source` and `sources`; `source` is ignored",
    }
}

impl Rule for SourceConflict {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Application {
            return;
        }
        let Some(spec) = doc.value.get("spec") else {
            return;
        };
        if is_set(spec.get("source")) && is_set(spec.get("sources")) {
            cx.report_key(doc, "/spec/source", "`source` is ignored because `sources` is also set").help =
                Some("move this source into the `sources` list (or remove `sources` to keep a single source)".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n";

    #[test]
    fn fires_on_both_source_and_sources() {
        let src = format!(
            "{HEAD}  source:\n    repoURL: https://x/y.git\n    path: a\n  sources:\n    - repoURL: https://x/z.git\n      path: b\n"
        );
        let f = run(&SourceConflict, &src);
        assert_eq!(lines(&f), vec![(6, 3, "`source` is ignored because `sources` is also set".into())]);
        assert!(f[0].help.is_some());
    }

    #[test]
    fn quiet_on_one_of_them_or_an_empty_list() {
        let one = format!("{HEAD}  source:\n    repoURL: https://x/y.git\n    path: a\n");
        assert!(run(&SourceConflict, &one).is_empty());
        let empty = format!("{HEAD}  source:\n    repoURL: https://x/y.git\n    path: a\n  sources: []\n");
        assert!(run(&SourceConflict, &empty).is_empty());
        let many = format!("{HEAD}  sources:\n    - repoURL: https://x/z.git\n      path: b\n");
        assert!(run(&SourceConflict, &many).is_empty());
    }
}
