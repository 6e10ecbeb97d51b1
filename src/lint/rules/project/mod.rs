//! AppProject, argocd-rbac-cm and RBAC policy rules.

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[];
