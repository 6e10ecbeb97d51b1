//! AppProject, argocd-rbac-cm and RBAC policy rules.

mod cron;
pub(crate) mod locate;
mod rbac;
mod rbac_cm;

pub mod destination_target;
pub mod rbac_cm_key_ignored;
pub mod rbac_policy_default;
pub mod rbac_policy_invalid;
pub mod rbac_role_undefined;
pub mod role_invalid;
pub mod role_policy_invalid;
pub mod sync_window_duration;
pub mod sync_window_kind;
pub mod sync_window_schedule;
pub mod sync_window_timezone;

use crate::lint::Rule;
use crate::model::{DocKind, Document};
use serde_json::Value;

/// An AppProject's `spec.syncWindows`, with their indexes (nothing for other documents).
fn sync_windows(doc: &Document) -> impl Iterator<Item = (usize, &Value)> {
    let windows = match doc.get("/spec/syncWindows") {
        Some(Value::Array(w)) if doc.kind == DocKind::AppProject => w.as_slice(),
        _ => &[],
    };
    windows.iter().enumerate()
}

/// A sync window's string field: `""` when it is missing or null, `None` when it is not a string
/// (the schema reports the type).
fn window_text<'a>(window: &'a Value, key: &str) -> Option<&'a str> {
    match window.get(key) {
        Some(Value::String(s)) => Some(s),
        None | Some(Value::Null) => Some(""),
        Some(_) => None,
    }
}

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &role_invalid::RoleInvalid,
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

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::lint::Context;
    use crate::lint::rules::testing::docs;

    fn render(src: &str) -> String {
        let docs = docs(src);
        let mut out = Vec::new();
        for doc in &docs {
            for rule in RULES {
                rule.check(doc, &mut Context::new(rule.info(), &mut out));
            }
        }
        crate::report::sort_findings(&mut out);
        out.iter()
            .map(|f| {
                format!(
                    "{}:{} {} [{}] {}\n    help: {}\n",
                    f.span.line,
                    f.span.column,
                    f.severity,
                    f.rule,
                    f.message,
                    f.help.as_deref().unwrap_or("-")
                )
            })
            .collect()
    }

    /// Every rule of the group over a project and an RBAC ConfigMap with one mistake of each kind.
    #[test]
    fn diagnostics_of_a_broken_project_and_rbac_configmap() {
        let src = "\
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-a
spec:
  destinations:
    - namespace: web
  roles:
    - name: deployer
      policies:
        - p, proj:team-a:deployer, applications, sync, team-a/*, allow
        - p, proj:team-a:deploy, apps, get, team-b/*, allow
  syncWindows:
    - kind: block
      schedule: '0 0 22 * * *'
      duration: 1d
      timeZone: europe/berlin
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-rbac-cm
data:
  policy.default: readonly
  policy.matchMode: globs
  policy.csv: |
    # deployers may sync everything
    p, role:deployer, applications, synk, */*, allow

    p, role:deployer , clusters, sync, *, allow
    g, my-org:deployers, role:deployers
    g, my-org:admins
  policy.audit: |
    p, role:audit, logs, get, */*, allow
";
        insta::assert_snapshot!(render(src));
    }
}
