use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{ARGO_API_VERSION, DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Finds documents that were meant to be Argo CD objects but whose `apiVersion` or `kind` is
    /// slightly wrong: `argocd.io/v1alpha1`, `argoproj.io/v1beta1`, `kind: Applicationset`.
    /// ## Why is this bad?
    /// Kubernetes refuses an unknown `apiVersion`/`kind` at apply time, or, when another CRD happens to
    /// match, the object is created as something else; either way Argo CD never sees it.
    /// ## Example
    /// ```yaml
    /// apiVersion: argoproj.io/v1beta1
    /// kind: Applicationset
    /// ```
    /// ## Use instead
    /// ```yaml
    /// apiVersion: argoproj.io/v1alpha1
    /// kind: ApplicationSet
    /// ```
    pub struct ApiVersionNearMiss {
        id: "argo-kind-near-miss", severity: Error, source: Lint,
        summary: "apiVersion or kind is a near miss of an Argo CD kind",
    }
}

const ARGO_KINDS: [&str; 3] = ["Application", "ApplicationSet", "AppProject"];

impl Rule for ApiVersionNearMiss {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Kubernetes {
            return;
        }
        let (Some(api), Some(kind)) = (doc.api_version(), doc.kind_name()) else {
            return;
        };
        let group = api.split('/').next().unwrap_or("");
        let api_is_argo_like = group.contains("argo") || group.starts_with("argocd");
        // Both findings need an Argo-like group or Argo CD's own API version: most documents stop here.
        if !api_is_argo_like && api != ARGO_API_VERSION {
            return;
        }
        let kind_fix = suggest(kind, ARGO_KINDS).filter(|k| *k != kind);
        let kind_is_argo = ARGO_KINDS.contains(&kind) || kind_fix.is_some();
        if api != ARGO_API_VERSION && kind_is_argo && api_is_argo_like {
            cx.report(doc, "/apiVersion", format!("`{api}` is not an Argo CD API version")).help =
                Some(format!("Argo CD serves {} only at `{ARGO_API_VERSION}`", kind_fix.unwrap_or(kind)));
        }
        if let Some(fix) = kind_fix {
            cx.report(doc, "/kind", format!("`{kind}` is not an Argo CD kind")).help =
                Some(format!("kinds are case-sensitive: did you mean `{fix}`?"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    #[test]
    fn fires_on_wrong_group_version_and_kind_case() {
        let f = run(&ApiVersionNearMiss, "apiVersion: argocd.io/v1alpha1\nkind: Applicationset\nmetadata: {name: a}\n");
        assert_eq!(
            lines(&f),
            vec![
                (1, 13, "`argocd.io/v1alpha1` is not an Argo CD API version".to_string()),
                (2, 7, "`Applicationset` is not an Argo CD kind".to_string()),
            ]
        );
        assert_eq!(f[1].help.as_deref(), Some("kinds are case-sensitive: did you mean `ApplicationSet`?"));
        let f = run(&ApiVersionNearMiss, "apiVersion: argoproj.io/v1beta1\nkind: Application\n");
        assert_eq!(f.len(), 1);
        assert!(f[0].help.as_deref().unwrap_or("").contains("argoproj.io/v1alpha1"));
    }

    #[test]
    fn quiet_on_correct_and_unrelated_kinds() {
        assert!(run(&ApiVersionNearMiss, "apiVersion: argoproj.io/v1alpha1\nkind: Application\n").is_empty());
        assert!(run(&ApiVersionNearMiss, "apiVersion: apps/v1\nkind: Deployment\n").is_empty());
        assert!(run(&ApiVersionNearMiss, "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\n").is_empty());
        assert!(run(&ApiVersionNearMiss, "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n").is_empty());
    }
}
