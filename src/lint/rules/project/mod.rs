//! AppProject, argocd-rbac-cm and RBAC policy rules.

mod cron;
mod duration;
pub(crate) mod locate;
mod rbac;
mod rbac_cm;

pub mod destination_target;
pub mod rbac_cm_key_ignored;
pub mod rbac_policy_default;
pub mod rbac_policy_invalid;
pub mod rbac_role_undefined;
pub mod role_policy_invalid;
pub mod sync_window_duration;
pub mod sync_window_kind;
pub mod sync_window_schedule;
pub mod sync_window_timezone;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &role_policy_invalid::RolePolicyInvalid,
    &sync_window_schedule::SyncWindowSchedule,
    &sync_window_duration::SyncWindowDuration,
    &sync_window_kind::SyncWindowKind,
    &sync_window_timezone::SyncWindowTimeZone,
    &destination_target::DestinationTarget,
    &rbac_policy_invalid::RbacPolicyInvalid,
    &rbac_role_undefined::RbacRoleUndefined,
    &rbac_policy_default::RbacPolicyDefault,
    &rbac_cm_key_ignored::RbacCmKeyIgnored,
];
