use super::rbac_cm::{defined_roles, policy_rows};
use super::rbac_role_undefined::role_suggestion;
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};

declare_rule! {
    /// ## What it does
    /// Checks `policy.default` in `argocd-rbac-cm`: when set, it must name a role, either a built-in one
    /// (`role:readonly`, `role:admin`) or one the ConfigMap's policy lines define.
    /// ## Why is this bad?
    /// Argo CD falls back to this role for every authenticated user (and anonymous users, when enabled).
    /// A name without a policy (`readonly`, `role:read-only`) grants nothing, so users see an empty UI
    /// instead of the read-only access that was meant.
    /// ## Example
    /// ```yaml
    /// data:
    ///   policy.default: readonly
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   policy.default: role:readonly
    /// ```
    pub struct RbacPolicyDefault {
        id: "rbac-policy-default", severity: Error, source: Lint,
        summary: "policy.default names a role that does not exist",
    }
}

impl Rule for RbacPolicyDefault {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ArgoCdRbacCm {
            return;
        }
        let Some(default) = doc.str_at("/data/policy.default") else {
            return;
        };
        let role = default.trim();
        if role.is_empty() {
            return;
        }
        let rows = policy_rows(doc);
        let roles = defined_roles(&rows);
        if roles.contains(&role) {
            return;
        }
        let help = match role_suggestion(role, &roles) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "use `role:readonly`, or define the role with `p, <role>, ...` lines in policy.csv".into(),
        };
        cx.report(
            doc,
            "/data/policy.default",
            format!("policy.default `{default}` is not a role any policy defines"),
        )
        .help = Some(help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n";

    #[test]
    fn fires_on_names_without_a_policy() {
        let f = run(&RbacPolicyDefault, &format!("{HEAD}  policy.default: readonly\n"));
        assert_eq!(lines(&f), vec![(6, 19, "policy.default `readonly` is not a role any policy defines".into())]);
        assert_eq!(f[0].help.as_deref(), Some("did you mean `role:readonly`?"));
        let f = run(&RbacPolicyDefault, &format!("{HEAD}  policy.default: role:viewer\n"));
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn quiet_on_builtin_and_defined_roles() {
        assert!(run(&RbacPolicyDefault, &format!("{HEAD}  policy.default: role:readonly\n")).is_empty());
        assert!(run(&RbacPolicyDefault, &format!("{HEAD}  policy.default: ''\n")).is_empty());
        let src = format!(
            "{HEAD}  policy.default: role:viewer\n  policy.csv: p, role:viewer, applications, get, */*, allow\n"
        );
        assert!(run(&RbacPolicyDefault, &src).is_empty());
    }
}
