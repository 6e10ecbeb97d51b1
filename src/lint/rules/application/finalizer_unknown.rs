use super::support::is_templated;
use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks `metadata.finalizers` entries that look like Argo CD's against the finalizers Argo CD
    /// handles (argo-cd `pkg/apis/application/v1alpha1/application_defaults.go`):
    /// `resources-finalizer.argocd.argoproj.io` (Applications, ApplicationSets, AppProjects), its
    /// `/foreground` and `/background` forms, `pre-delete-finalizer.argocd.argoproj.io` and
    /// `post-delete-finalizer.argocd.argoproj.io` (with their `/cleanup` stage) on Applications, and the
    /// hook finalizer `argocd.argoproj.io/hook-finalizer`. Also reports a known Argo CD finalizer on a kind
    /// whose controller never removes it.
    /// ## Why is this bad?
    /// A misspelt finalizer does nothing Argo CD will act on, yet Kubernetes waits for someone to remove
    /// it: deleting the object hangs in `Terminating` forever, and the cascading delete you wanted never
    /// happens. The same goes for an Argo CD finalizer on, say, a Deployment.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   finalizers:
    ///     - resources-finalizer.argoproj.io
    /// ```
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   finalizers:
    ///     - resources-finalizer.argocd.argoproj.io
    /// ```
    pub struct FinalizerUnknown {
        id: "finalizer-unknown", severity: Error, source: Lint,
        summary: "an Argo CD finalizer name Argo CD does not know, or on a kind it never finalizes",
    }
}

/// Which kinds Argo CD removes a finalizer from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Application, ApplicationSet and AppProject.
    ArgoObjects,
    /// Applications only.
    Applications,
    /// Any object (hooks).
    Any,
}

/// The finalizers Argo CD adds and removes (argo-cd `application_defaults.go`, gitops-engine `hook.go`).
const FINALIZER_NAMES: [&str; 8] = [
    "resources-finalizer.argocd.argoproj.io",
    "resources-finalizer.argocd.argoproj.io/foreground",
    "resources-finalizer.argocd.argoproj.io/background",
    "pre-delete-finalizer.argocd.argoproj.io",
    "pre-delete-finalizer.argocd.argoproj.io/cleanup",
    "post-delete-finalizer.argocd.argoproj.io",
    "post-delete-finalizer.argocd.argoproj.io/cleanup",
    "argocd.argoproj.io/hook-finalizer",
];

/// Which kinds Argo CD removes the known finalizer `name` from.
fn owner(name: &str) -> Owner {
    match name {
        "resources-finalizer.argocd.argoproj.io" => Owner::ArgoObjects,
        "argocd.argoproj.io/hook-finalizer" => Owner::Any,
        _ => Owner::Applications,
    }
}

/// Whether a finalizer is meant to be one of Argo CD's.
fn looks_like_argo_cd(f: &str) -> bool {
    let lower = f.to_ascii_lowercase();
    lower.contains("argocd")
        || ["resources-finalizer", "pre-delete-finalizer", "post-delete-finalizer"].iter().any(|p| lower.starts_with(p))
}

fn best_guess(f: &str) -> &'static str {
    if let Some(s) = suggest(f, FINALIZER_NAMES) {
        return s;
    }
    let lower = f.to_ascii_lowercase();
    let prefix = lower.split(['.', '/']).next().unwrap_or("");
    FINALIZER_NAMES.into_iter().find(|n| n.split('.').next() == Some(prefix)).unwrap_or(FINALIZER_NAMES[0])
}

impl Rule for FinalizerUnknown {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind == DocKind::Other {
            return;
        }
        let Some(list) = doc.value.get("metadata").and_then(|m| m.get("finalizers")).and_then(Value::as_array) else {
            return;
        };
        for (i, item) in list.iter().enumerate() {
            let Some(name) = item.as_str() else {
                continue;
            };
            if is_templated(name) {
                continue;
            }
            let pointer = || format!("/metadata/finalizers/{i}");
            match FINALIZER_NAMES.contains(&name).then(|| owner(name)) {
                Some(owner) => {
                    let handled = match owner {
                        Owner::Any => true,
                        Owner::Applications => doc.kind == DocKind::Application,
                        Owner::ArgoObjects => {
                            matches!(doc.kind, DocKind::Application | DocKind::ApplicationSet | DocKind::AppProject)
                        }
                    };
                    if !handled {
                        let kind = doc.kind_name().unwrap_or("object");
                        let who = if owner == Owner::Applications {
                            "Applications"
                        } else {
                            "Applications, ApplicationSets and AppProjects"
                        };
                        cx.report(
                            doc,
                            &pointer(),
                            format!(
                                "Argo CD removes `{name}` only from {who}; on a {kind} nothing removes it and deletion \
                                 hangs"
                            ),
                        )
                        .help = Some("remove this finalizer".into());
                    }
                }
                None if looks_like_argo_cd(name) || suggest(name, FINALIZER_NAMES).is_some() => {
                    let guess = best_guess(name);
                    let help = if name.starts_with("resources-finalizer.argocd.argoproj.io/") {
                        format!(
                            "the propagation forms are `/foreground` and `/background`; did you mean `{guess}`? To delete \
                             the Application but keep its resources, remove the finalizer"
                        )
                    } else {
                        format!("did you mean `{guess}`?")
                    };
                    cx.report(
                        doc,
                        &pointer(),
                        format!("`{name}` is not a finalizer Argo CD knows; nothing will remove it and deletion hangs"),
                    )
                    .help = Some(help);
                }
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const APP: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\n  finalizers:\n";

    #[test]
    fn fires_on_misspelt_argo_cd_finalizers() {
        let src = format!(
            "{APP}    - resources-finalizer.argoproj.io\n    - resources-finalizer.argocd.argoproj.io/orphan\n    - post-delete-finaliser.argocd.argoproj.io\n"
        );
        let f = run(&FinalizerUnknown, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 7, "`resources-finalizer.argoproj.io` is not a finalizer Argo CD knows; nothing will remove it and deletion hangs".into()),
                (7, 7, "`resources-finalizer.argocd.argoproj.io/orphan` is not a finalizer Argo CD knows; nothing will remove it and deletion hangs".into()),
                (8, 7, "`post-delete-finaliser.argocd.argoproj.io` is not a finalizer Argo CD knows; nothing will remove it and deletion hangs".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `resources-finalizer.argocd.argoproj.io`?"));
        assert!(
            f[1].help.as_deref().unwrap_or("").starts_with("the propagation forms are `/foreground` and `/background`")
        );
        assert_eq!(f[2].help.as_deref(), Some("did you mean `post-delete-finalizer.argocd.argoproj.io`?"));
    }

    #[test]
    fn fires_on_argo_cd_finalizer_on_other_kinds() {
        let src = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io\n";
        assert_eq!(
            lines(&run(&FinalizerUnknown, src)),
            vec![(6, 7, "Argo CD removes `resources-finalizer.argocd.argoproj.io` only from Applications, ApplicationSets and AppProjects; on a Deployment nothing removes it and deletion hangs".into())]
        );
        let proj = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: p\n  finalizers:\n    - resources-finalizer.argocd.argoproj.io/background\n";
        assert_eq!(run(&FinalizerUnknown, proj).len(), 1);
    }

    #[test]
    fn quiet_on_known_and_foreign_finalizers() {
        let src = format!(
            "{APP}    - resources-finalizer.argocd.argoproj.io/foreground\n    - post-delete-finalizer.argocd.argoproj.io/cleanup\n    - kubernetes.io/pvc-protection\n    - workflows.argoproj.io/artifact-gc\n"
        );
        assert!(run(&FinalizerUnknown, &src).is_empty());
        let proj = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: p\n  finalizers: [resources-finalizer.argocd.argoproj.io]\n";
        assert!(run(&FinalizerUnknown, proj).is_empty());
    }
}
