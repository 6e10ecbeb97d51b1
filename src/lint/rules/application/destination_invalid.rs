use super::support::{is_set, whole_applications};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Checks an Application's `spec.destination`: it must be present and name the cluster by exactly one
    /// of `server` (the API server URL) or `name` (the cluster's name in Argo CD).
    /// ## Why is this bad?
    /// Argo CD refuses an Application without a destination cluster (`Destination server missing from app
    /// spec`) and one with both (`application destination can't have both name and server defined`,
    /// `util/argo/argo.go`); either way it never syncs.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   destination:
    ///     server: https://kubernetes.default.svc
    ///     name: in-cluster
    ///     namespace: guestbook
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   destination:
    ///     server: https://kubernetes.default.svc
    ///     namespace: guestbook
    /// ```
    pub struct DestinationInvalid {
        id: "app-destination-invalid", severity: Error, source: Lint,
        summary: "an Application's destination is missing, or sets both or neither of `server` and `name`",
    }
}

const FIX: &str = "set `destination.server` to the cluster's API URL (`https://kubernetes.default.svc` for the \
                   cluster Argo CD runs in) or `destination.name` to its name, not both";

impl Rule for DestinationInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_all(&self, docs: &[Document], cx: &mut Context<'_>) {
        // Whole-tree, so that files used as Kustomize patches (partial Applications) are left out.
        cx.each_in_parallel(&whole_applications(docs), |doc, cx| check(doc, cx));
    }
}

/// `spec` fields of an Application, which are not misspellings of `destination`.
pub(crate) const KNOWN_SPEC_FIELDS: &[&str] = &[
    "source",
    "sources",
    "destination",
    "project",
    "syncPolicy",
    "ignoreDifferences",
    "info",
    "revisionHistoryLimit",
    "sourceHydrator",
];

/// Checks one complete Application.
fn check(doc: &Document, cx: &mut Context<'_>) {
    let Some(spec) = doc.value.get("spec").filter(|s| s.is_object()) else {
        return;
    };
    let Some(dest) = spec.get("destination").filter(|d| !d.is_null()) else {
        if spec.as_object().is_some_and(|m| {
            crate::lint::util::has_misspelling_of(m, "destination", |k| KNOWN_SPEC_FIELDS.contains(&k))
        }) {
            return; // schema-unknown-field reports the misspelt key with the fix
        }
        cx.report_key(doc, "/spec", "the Application has no `destination`; Argo CD cannot tell where to deploy").help =
            Some(format!("add `spec.destination`: {FIX}"));
        return;
    };
    let server = is_set(dest.get("server"));
    let name = is_set(dest.get("name"));
    if server && name {
        cx.report_key(
            doc,
            "/spec/destination/name",
            "`destination` sets both `server` and `name`; Argo CD refuses the Application",
        )
        .help = Some("keep one: remove `name` to target the cluster by URL, or `server` to target it by name".into());
    } else if !server && !name {
        cx.report_key(
            doc,
            "/spec/destination",
            "`destination` has neither `server` nor `name`; Argo CD cannot tell which cluster to deploy to",
        )
        .help = Some(FIX.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  project: default\n";

    #[test]
    fn quiet_when_the_destination_key_is_misspelt() {
        // schema-unknown-field reports `destinaton` with "did you mean `destination`?".
        let src = format!("{HEAD}  destinaton:\n    server: https://kubernetes.default.svc\n");
        assert!(run(&DestinationInvalid, &src).is_empty());
    }

    #[test]
    fn fires_on_missing_both_and_neither() {
        let f = run(&DestinationInvalid, HEAD);
        assert_eq!(
            lines(&f),
            vec![(5, 1, "the Application has no `destination`; Argo CD cannot tell where to deploy".into())]
        );
        let both = format!("{HEAD}  destination:\n    server: https://kubernetes.default.svc\n    name: in-cluster\n");
        assert_eq!(
            lines(&run(&DestinationInvalid, &both)),
            vec![(9, 5, "`destination` sets both `server` and `name`; Argo CD refuses the Application".into())]
        );
        let neither = format!("{HEAD}  destination:\n    namespace: web\n");
        assert_eq!(
            lines(&run(&DestinationInvalid, &neither)),
            vec![(
                7,
                3,
                "`destination` has neither `server` nor `name`; Argo CD cannot tell which cluster to deploy to".into()
            )]
        );
    }

    #[test]
    fn quiet_with_exactly_one_cluster_reference() {
        let server = format!("{HEAD}  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n");
        assert!(run(&DestinationInvalid, &server).is_empty());
        let name = format!("{HEAD}  destination:\n    name: prod\n    server: \"\"\n");
        assert!(run(&DestinationInvalid, &name).is_empty());
    }

    #[test]
    fn quiet_on_kustomize_patches_of_an_application() {
        use crate::lint::rules::application::support::tree;
        let kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\npatches:\n  - path: ./patches/app.yaml\n";
        let patch = format!("{HEAD}  destination:\n    namespace: web-prod\n");
        let docs =
            tree(&[("overlays/prod/kustomization.yaml", kustomization), ("overlays/prod/patches/app.yaml", &patch)]);
        let mut out = Vec::new();
        DestinationInvalid.check_all(&docs, &mut Context::new(&DestinationInvalid::INFO, &mut out));
        assert!(out.is_empty());
        let docs = tree(&[("overlays/prod/patches/app.yaml", &patch)]);
        DestinationInvalid.check_all(&docs, &mut Context::new(&DestinationInvalid::INFO, &mut out));
        assert_eq!(out.len(), 1);
    }
}
