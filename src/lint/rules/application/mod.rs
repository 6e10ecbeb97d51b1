//! Application rules, and the rules for Argo CD's annotations and finalizers on any object.

pub mod app_name_invalid;
pub mod destination_invalid;
pub mod finalizer_unknown;
pub mod hook_delete_policy_unknown;
pub mod hook_type_unknown;
pub mod ignore_differences_pointer;
pub mod object_duplicate;
pub mod retry_invalid;
pub mod source_chart_and_path;
pub mod source_conflict;
pub mod source_missing;
pub mod source_ref_invalid;
mod support;
pub mod sync_option_invalid;
pub mod sync_wave_not_integer;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &app_name_invalid::AppNameInvalid,
    &source_conflict::SourceConflict,
    &source_missing::SourceMissing,
    &source_chart_and_path::SourceChartAndPath,
    &source_ref_invalid::SourceRefInvalid,
    &destination_invalid::DestinationInvalid,
    &sync_option_invalid::SyncOptionInvalid,
    &retry_invalid::RetryInvalid,
    &ignore_differences_pointer::IgnoreDifferencesPointer,
    &sync_wave_not_integer::SyncWaveNotInteger,
    &hook_type_unknown::HookTypeUnknown,
    &hook_delete_policy_unknown::HookDeletePolicyUnknown,
    &finalizer_unknown::FinalizerUnknown,
    &object_duplicate::ObjectDuplicate,
];
