//! Application (and argocd annotations on any object) rules.

pub mod sync_option_invalid;
mod support;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[&sync_option_invalid::SyncOptionInvalid];
