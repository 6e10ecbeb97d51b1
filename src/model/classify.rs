//! What a document is, as far as Argo CD is concerned.

use serde_json::Value;

/// The kinds of document argovet treats specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocKind {
    /// `argoproj.io/v1alpha1` `Application`.
    Application,
    /// `argoproj.io/v1alpha1` `ApplicationSet`.
    ApplicationSet,
    /// `argoproj.io/v1alpha1` `AppProject`.
    AppProject,
    /// The `argocd-cm` ConfigMap.
    ArgoCdCm,
    /// The `argocd-rbac-cm` ConfigMap.
    ArgoCdRbacCm,
    /// A Secret labelled `argocd.argoproj.io/secret-type: cluster`.
    ClusterSecret,
    /// Any other object with `apiVersion` and `kind`.
    Kubernetes,
    /// Not a Kubernetes object (no `apiVersion`/`kind`, or not a mapping).
    Other,
}

/// The Argo CD API group and version argovet targets.
pub const ARGO_API_VERSION: &str = "argoproj.io/v1alpha1";

/// Classifies a document by `apiVersion`, `kind`, name and labels.
pub fn classify(value: &Value) -> DocKind {
    let api = value.get("apiVersion").and_then(Value::as_str);
    let kind = value.get("kind").and_then(Value::as_str);
    let (Some(api), Some(kind)) = (api, kind) else {
        return DocKind::Other;
    };
    let name = super::pointer(value, "/metadata/name").and_then(Value::as_str);
    match (api, kind) {
        (ARGO_API_VERSION, "Application") => DocKind::Application,
        (ARGO_API_VERSION, "ApplicationSet") => DocKind::ApplicationSet,
        (ARGO_API_VERSION, "AppProject") => DocKind::AppProject,
        ("v1", "ConfigMap") if name == Some("argocd-cm") => DocKind::ArgoCdCm,
        ("v1", "ConfigMap") if name == Some("argocd-rbac-cm") => DocKind::ArgoCdRbacCm,
        ("v1", "Secret")
            if super::pointer(value, "/metadata/labels/argocd.argoproj.io~1secret-type").and_then(Value::as_str)
                == Some("cluster") =>
        {
            DocKind::ClusterSecret
        }
        _ => DocKind::Kubernetes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classifies_argo_kinds() {
        let app = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Application"});
        assert_eq!(classify(&app), DocKind::Application);
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cm"}});
        assert_eq!(classify(&cm), DocKind::ArgoCdCm);
        let sec = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "c",
            "labels": {"argocd.argoproj.io/secret-type": "cluster"}}});
        assert_eq!(classify(&sec), DocKind::ClusterSecret);
        assert_eq!(classify(&json!({"apiVersion": "argocd.io/v1alpha1", "kind": "Application"})), DocKind::Kubernetes);
        assert_eq!(classify(&json!({"a": 1})), DocKind::Other);
        assert_eq!(classify(&json!([1])), DocKind::Other);
    }
}
