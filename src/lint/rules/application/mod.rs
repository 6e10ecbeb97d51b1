//! Application (and argocd annotations on any object) rules.

pub mod destination_invalid;
pub mod hook_delete_policy_unknown;
pub mod hook_type_unknown;
pub mod source_chart_and_path;
pub mod source_conflict;
pub mod source_missing;
pub mod source_ref_invalid;
pub mod sync_option_invalid;
pub mod sync_wave_not_integer;
mod support;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &source_conflict::SourceConflict,
    &source_missing::SourceMissing,
    &source_chart_and_path::SourceChartAndPath,
    &source_ref_invalid::SourceRefInvalid,
    &destination_invalid::DestinationInvalid,
    &sync_option_invalid::SyncOptionInvalid,
    &sync_wave_not_integer::SyncWaveNotInteger,
    &hook_type_unknown::HookTypeUnknown,
    &hook_delete_policy_unknown::HookDeletePolicyUnknown,
];
