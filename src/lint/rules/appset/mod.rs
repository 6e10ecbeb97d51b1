//! ApplicationSet rules.

pub(crate) mod generators;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[];
