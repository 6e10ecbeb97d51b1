use super::rbac_cm::{defined_roles, policy_rows};
use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Finds `g, <user-or-group>, <role>` lines in `argocd-rbac-cm` whose role has no policy: neither a
    /// built-in role (`role:admin`, `role:readonly`) nor the subject of any `p` or `g` line of the same
    /// ConfigMap (`policy.csv` and every `policy.<name>.csv`).
    /// ## Why is this bad?
    /// Argo CD only logs "user defined roles not found in policies"; the users or groups assigned to the
    /// role get no permissions at all, usually because of a typo (`role:readonyl`) or a missing `role:`
    /// prefix (`admin`).
    /// ## Example
    /// ```yaml
    /// data:
    ///   policy.csv: |
    ///     g, my-org:devs, role:developer
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   policy.csv: |
    ///     p, role:developer, applications, sync, */*, allow
    ///     g, my-org:devs, role:developer
    /// ```
    pub struct RbacRoleUndefined {
        id: "rbac-role-undefined", severity: Warning, source: Lint,
        summary: "a g line assigns a role that no policy line defines",
    }
}

impl Rule for RbacRoleUndefined {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ArgoCdRbacCm {
            return;
        }
        let rows = policy_rows(doc);
        let roles = defined_roles(&rows);
        for row in &rows {
            let (Some("g"), Some(3)) = (row.field(0), row.fields.as_ref().ok().map(Vec::len)) else {
                continue;
            };
            let role = row.field(2).unwrap_or("").trim();
            if role.is_empty() || roles.contains(&role) {
                continue;
            }
            let help = match role_suggestion(role, &roles) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("define it with a line such as `p, {role}, applications, get, */*, allow`"),
            };
            cx.report_span(doc, row.field_span(doc, 2), format!("role `{role}` is not defined by any policy line"))
                .help = Some(help);
        }
    }
}

/// A defined role close to `role`, trying the `role:` prefix first.
pub fn role_suggestion<'r>(role: &str, roles: &[&'r str]) -> Option<&'r str> {
    let prefixed = format!("role:{role}");
    if let Some(r) = roles.iter().find(|r| **r == prefixed) {
        return Some(r);
    }
    suggest(role, roles.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n";

    #[test]
    fn fires_on_typos_and_missing_prefix() {
        let src = format!(
            "{HEAD}  policy.csv: |\n    g, alice, admin\n    g, bob, role:readonyl\n    g, carol, role:auditor\n"
        );
        let f = run(&RbacRoleUndefined, &src);
        assert_eq!(
            lines(&f),
            vec![
                (7, 15, "role `admin` is not defined by any policy line".into()),
                (8, 13, "role `role:readonyl` is not defined by any policy line".into()),
                (9, 15, "role `role:auditor` is not defined by any policy line".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `role:admin`?"));
        assert_eq!(f[1].help.as_deref(), Some("did you mean `role:readonly`?"));
        assert_eq!(
            f[2].help.as_deref(),
            Some("define it with a line such as `p, role:auditor, applications, get, */*, allow`")
        );
    }

    #[test]
    fn quiet_when_roles_are_defined_anywhere_in_the_configmap() {
        let src = format!(
            "{HEAD}  policy.csv: |\n    g, alice, role:admin\n    g, devs, role:dev\n  policy.dev.csv: |\n    p, role:dev, applications, sync, */*, allow\n"
        );
        assert!(run(&RbacRoleUndefined, &src).is_empty());
    }
}
