use super::support::{is_set, whole_applications};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Finds Applications with no source at all: no `spec.source`, no (or an empty) `spec.sources`, and no
    /// `spec.sourceHydrator`.
    /// ## Why is this bad?
    /// Argo CD has nothing to render: the Application reports `spec.source.repoURL and either
    /// spec.source.path or spec.source.chart are required` and never syncs.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   project: default
    ///   destination:
    ///     server: https://kubernetes.default.svc
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   project: default
    ///   source:
    ///     repoURL: https://github.com/example/apps.git
    ///     path: guestbook
    ///     targetRevision: HEAD
    ///   destination:
    ///     server: https://kubernetes.default.svc
    /// ```
    pub struct SourceMissing {
        id: "app-source-missing", severity: Error, source: Lint,
        summary: "an Application has neither `source` nor `sources` (nor `sourceHydrator`)",
    }
}

impl Rule for SourceMissing {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_all(&self, docs: &[Document], cx: &mut Context<'_>) {
        // Whole-tree, so that files used as Kustomize patches (partial Applications) are left out.
        cx.each_in_parallel(&whole_applications(docs), |doc, cx| check(doc, cx));
    }
}

/// Checks one complete Application.
fn check(doc: &Document, cx: &mut Context<'_>) {
    let spec = doc.value.get("spec");
    let has = |k: &str| is_set(spec.and_then(|s| s.get(k)));
    if has("source") || has("sources") || has("sourceHydrator") {
        return;
    }
    let misspelt = |k: &str| {
        spec.and_then(|s| s.as_object()).is_some_and(|m| {
            crate::lint::util::has_misspelling_of(m, k, |key| {
                super::destination_invalid::KNOWN_SPEC_FIELDS.contains(&key)
            })
        })
    };
    if misspelt("source") || misspelt("sources") {
        return; // schema-unknown-field reports the misspelt key with the fix
    }
    let (pointer, message) = match spec.and_then(|s| s.get("sources")) {
        Some(_) => ("/spec/sources", "`sources` is empty; the Application has nothing to deploy"),
        None if spec.is_some() => ("/spec", "the Application has no `source` or `sources`; it has nothing to deploy"),
        None => ("/kind", "the Application has no `spec`, so no `source`; it has nothing to deploy"),
    };
    cx.report_key(doc, pointer, message).help = Some(
        "add `spec.source` with `repoURL`, `targetRevision` and `path` (or `chart`), or list several in `spec.sources`"
            .into(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n";

    #[test]
    fn fires_without_any_source() {
        let src = format!("{HEAD}spec:\n  project: default\n");
        let f = run(&SourceMissing, &src);
        assert_eq!(
            lines(&f),
            vec![(5, 1, "the Application has no `source` or `sources`; it has nothing to deploy".into())]
        );
        let src = format!("{HEAD}spec:\n  project: default\n  sources: []\n");
        assert_eq!(
            lines(&run(&SourceMissing, &src)),
            vec![(7, 3, "`sources` is empty; the Application has nothing to deploy".into())]
        );
    }

    #[test]
    fn quiet_with_a_source_sources_or_hydrator() {
        for body in [
            "  source:\n    repoURL: https://x/y.git\n    path: a\n",
            "  sources:\n    - repoURL: https://x/y.git\n      path: a\n",
            "  sourceHydrator:\n    drySource:\n      repoURL: https://x/y.git\n",
        ] {
            assert!(run(&SourceMissing, &format!("{HEAD}spec:\n{body}")).is_empty(), "{body}");
        }
        assert!(run(&SourceMissing, "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nspec: {}\n").is_empty());
    }

    #[test]
    fn quiet_on_kustomize_patches_of_an_application() {
        use crate::lint::rules::application::support::tree;
        let kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [../base]\npatchesStrategicMerge: [app.yaml]\n";
        let patch = format!("{HEAD}spec:\n  syncPolicy: {{automated: {{}}}}\n");
        let docs = tree(&[("prod/kustomization.yaml", kustomization), ("prod/app.yaml", &patch)]);
        let mut out = Vec::new();
        SourceMissing.check_all(&docs, &mut Context::new(&SourceMissing::INFO, &mut out));
        assert!(out.is_empty());
        let docs = tree(&[("prod/app.yaml", &patch)]);
        SourceMissing.check_all(&docs, &mut Context::new(&SourceMissing::INFO, &mut out));
        assert_eq!(out.len(), 1);
    }
}
