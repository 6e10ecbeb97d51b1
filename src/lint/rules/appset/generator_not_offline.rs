use super::generators::generator_items;
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Notes generators whose parameters come from a live system at reconcile time: `scmProvider` (the
    /// SCM's API), `pullRequest` (open pull requests), `clusterDecisionResource` (a resource in the
    /// cluster) and `plugin` (an HTTP plugin service). argovet cannot expand them offline, so the
    /// Applications they would produce are not generated or checked.
    /// ## Why is this bad?
    /// It is not a mistake: this is information, so that a clean run is not mistaken for "every generated
    /// Application was checked". Disable the rule in `.argovet.yaml` if the note is noise.
    /// ## Example
    /// ```yaml
    /// generators:
    ///   - pullRequest:
    ///       github: {owner: example, repo: web}
    /// ```
    /// ## Use instead
    /// Nothing to change. To check the template anyway, run `argovet appset generate` with a list
    /// generator that mimics the parameters these generators produce.
    pub struct GeneratorNotOffline {
        id: "appset-generator-not-offline", severity: Info, source: Lint,
        summary: "a generator that needs a live system and cannot be expanded offline",
    }
}

const ONLINE: [(&str, &str); 4] = [
    ("scmProvider", "queries an SCM provider's API"),
    ("pullRequest", "lists open pull requests from an SCM provider"),
    ("clusterDecisionResource", "reads a resource from the cluster"),
    ("plugin", "calls a plugin service over HTTP"),
];

impl Rule for GeneratorNotOffline {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        for item in generator_items(doc) {
            for (key, what) in ONLINE {
                if item.fields.get(key).is_none_or(|v| v.is_null()) {
                    continue;
                }
                cx.report_key(
                    doc,
                    &item.field_pointer(key),
                    format!("the `{key}` generator {what}; argovet cannot expand it offline"),
                )
                .help = Some("Applications from this generator are not generated or checked; test the template with a list generator of sample parameters".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};
    use crate::report::Severity;

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators:\n";

    #[test]
    fn notes_online_generators_at_any_level() {
        let src = format!(
            "{HEAD}    - pullRequest: {{github: {{owner: o, repo: r}}}}\n    - matrix:\n        generators:\n          - scmProvider: {{}}\n          - plugin: {{configMapRef: {{name: p}}}}\n"
        );
        let f = run(&GeneratorNotOffline, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 7, "the `pullRequest` generator lists open pull requests from an SCM provider; argovet cannot expand it offline".into()),
                (9, 13, "the `scmProvider` generator queries an SCM provider's API; argovet cannot expand it offline".into()),
                (10, 13, "the `plugin` generator calls a plugin service over HTTP; argovet cannot expand it offline".into()),
            ]
        );
        assert!(f.iter().all(|f| f.severity == Severity::Info));
    }

    #[test]
    fn quiet_on_offline_generators() {
        let src = format!(
            "{HEAD}    - list: {{elements: []}}\n    - git: {{repoURL: r, revision: HEAD, files: [{{path: a.json}}]}}\n    - clusters: {{}}\n"
        );
        assert!(run(&GeneratorNotOffline, &src).is_empty());
    }
}
