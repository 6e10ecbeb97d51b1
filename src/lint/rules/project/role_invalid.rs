use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks the roles of an AppProject the way `ValidateProject` does: a role name of letters, digits,
    /// `-` and `_` that starts and ends with a letter or digit, no role name twice, and group names
    /// (`spec.roles[].groups`) that are not empty, not repeated, quoted when they contain a comma, and
    /// free of `"`, tabs, line breaks and leading or trailing spaces.
    /// ## Why is this bad?
    /// Argo CD refuses to create or update such a project through its API and CLI; applied with
    /// `kubectl`, the role's generated `g, <group>, proj:<project>:<role>` lines are malformed CSV, so
    /// the group gets no access.
    /// ## Example
    /// ```yaml
    /// roles:
    ///   - name: ci bot
    ///     groups: ["my-org:ci, ops"]
    /// ```
    /// ## Use instead
    /// ```yaml
    /// roles:
    ///   - name: ci-bot
    ///     groups: ['"my-org:ci, ops"']
    /// ```
    pub struct RoleInvalid {
        id: "project-role-invalid", severity: Error, source: Lint,
        summary: "an AppProject role name or group Argo CD's ValidateProject rejects",
    }
}

/// `roleNameRegexp`: `^[a-zA-Z0-9]([-_a-zA-Z0-9]*[a-zA-Z0-9])?$`.
fn is_valid_role_name(name: &str) -> bool {
    let edge = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    edge(name.chars().next())
        && edge(name.chars().last())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `validateGroupName`'s verdict, as a message.
fn group_problem(group: &str) -> Option<&'static str> {
    let trimmed = group.trim();
    let inner = if trimmed.len() > 1 && trimmed.starts_with('"') && trimmed.ends_with('"') {
        &trimmed[1..trimmed.len() - 1]
    } else if trimmed.contains(',') {
        return Some("contains a comma and must be quoted");
    } else {
        trimmed
    };
    if inner.is_empty() {
        return Some("is empty");
    }
    if inner.contains(['"', '\n', '\r', '\t']) {
        return Some("contains a quote, tab or line break");
    }
    let chars = group.chars().count();
    if chars > 1 && group.starts_with(char::is_whitespace) {
        return Some("has a leading space");
    }
    if chars > 1 && group.ends_with(char::is_whitespace) {
        return Some("has a trailing space");
    }
    None
}

impl Rule for RoleInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::AppProject {
            return;
        }
        let Some(Value::Array(roles)) = doc.get("/spec/roles") else {
            return;
        };
        let mut names: Vec<&str> = Vec::new();
        for (r, role) in roles.iter().enumerate() {
            let pointer = format!("/spec/roles/{r}");
            let name = role.get("name").and_then(Value::as_str).unwrap_or("");
            if names.contains(&name) {
                cx.report(doc, &format!("{pointer}/name"), format!("role `{name}` is defined twice")).help =
                    Some("merge the two roles' policies and groups into one".into());
            } else if !is_valid_role_name(name) {
                let fixed: String =
                    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '-' }).collect();
                let fixed = fixed.trim_matches(['-', '_']);
                let f = cx.report(doc, &format!("{pointer}/name"), format!("`{name}` is not a valid role name"));
                f.help = Some(if fixed.is_empty() {
                    "use letters, digits, `-` and `_`, starting and ending with a letter or digit".into()
                } else {
                    format!(
                        "use letters, digits, `-` and `_`, starting and ending with a letter or digit, e.g. `{fixed}`"
                    )
                });
            }
            names.push(name);
            let Some(Value::Array(groups)) = role.get("groups") else {
                continue;
            };
            let mut seen: Vec<&str> = Vec::new();
            for (g, group) in groups.iter().enumerate() {
                let Some(group) = group.as_str() else {
                    continue;
                };
                let gp = format!("{pointer}/groups/{g}");
                if seen.contains(&group) {
                    cx.report(doc, &gp, format!("group `{group}` is listed twice in role `{name}`")).help =
                        Some("remove the duplicate".into());
                } else if let Some(problem) = group_problem(group) {
                    let help = if problem.contains("quoted") {
                        format!("write it with double quotes inside the YAML string: '\"{}\"'", group.trim())
                    } else {
                        "group names are matched verbatim against the user's OIDC groups: write the group exactly"
                            .into()
                    };
                    cx.report(doc, &gp, format!("group `{group}` {problem}")).help = Some(help);
                }
                seen.push(group);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  roles:\n";

    #[test]
    fn fires_on_bad_names_duplicates_and_groups() {
        let src = format!(
            "{HEAD}    - name: ci bot\n      groups: ['my-org:ci, ops', ' lead', ok, ok]\n    - name: -admin\n    - name: ci bot\n"
        );
        let f = run(&RoleInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 13, "`ci bot` is not a valid role name".into()),
                (7, 16, "group `my-org:ci, ops` contains a comma and must be quoted".into()),
                (7, 34, "group ` lead` has a leading space".into()),
                (7, 47, "group `ok` is listed twice in role `ci bot`".into()),
                (8, 13, "`-admin` is not a valid role name".into()),
                (9, 13, "role `ci bot` is defined twice".into()),
            ]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("use letters, digits, `-` and `_`, starting and ending with a letter or digit, e.g. `ci-bot`")
        );
        assert_eq!(
            f[1].help.as_deref(),
            Some("write it with double quotes inside the YAML string: '\"my-org:ci, ops\"'")
        );
    }

    #[test]
    fn quiet_on_valid_roles_and_quoted_groups() {
        let src =
            format!("{HEAD}    - name: ci_bot-2\n      groups: ['\"my-org:ci, ops\"', my-org:admins]\n    - name: a\n");
        assert!(run(&RoleInvalid, &src).is_empty());
    }
}
