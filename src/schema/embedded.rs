//! The Argo CD schemas shipped in the binary (`schemas/argoproj.io/v1alpha1/*.json`).

use super::compile::SchemaDoc;
use std::sync::OnceLock;

/// Base URI of the embedded schemas.
pub const BASE: &str = "https://argovet.dev/schemas/argoproj.io/v1alpha1/";

/// Kubernetes ObjectMeta, as defined in the embedded Application schema; converted CRDs use it for
/// their `metadata`.
pub const OBJECT_META_REF: &str = "https://argovet.dev/schemas/argoproj.io/v1alpha1/application.json#/$defs/ObjectMeta";

/// `(file name, text)` of each embedded schema.
pub const FILES: [(&str, &str); 3] = [
    ("application.json", include_str!("../../schemas/argoproj.io/v1alpha1/application.json")),
    ("applicationset.json", include_str!("../../schemas/argoproj.io/v1alpha1/applicationset.json")),
    ("appproject.json", include_str!("../../schemas/argoproj.io/v1alpha1/appproject.json")),
];

/// The embedded schemas, parsed once per process.
pub fn docs() -> Result<&'static [SchemaDoc], String> {
    static DOCS: OnceLock<Result<Vec<SchemaDoc>, String>> = OnceLock::new();
    DOCS.get_or_init(|| {
        FILES
            .iter()
            .map(|(name, text)| {
                let value = serde_json::from_str(text).map_err(|e| format!("built-in schema {name}: {e}"))?;
                Ok(SchemaDoc { id: format!("{BASE}{name}"), name: format!("built-in {name}"), value })
            })
            .collect()
    })
    .as_deref()
    .map_err(Clone::clone)
}
