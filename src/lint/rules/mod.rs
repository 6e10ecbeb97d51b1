//! One lint rule per file, grouped by the object they check. Each group's `mod.rs` lists its rules.

pub mod api_version_near_miss;
pub mod application;
pub mod appset;
pub mod project;
pub mod yaml_ambiguous_value;

#[cfg(test)]
pub(crate) mod testing;

use crate::lint::Rule;

/// Rules that apply to any document.
pub static GENERAL: &[&dyn Rule] =
    &[&api_version_near_miss::ApiVersionNearMiss, &yaml_ambiguous_value::YamlAmbiguousValue];
