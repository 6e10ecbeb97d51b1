//! Argo CD's RBAC vocabulary and policy-line parsing, shared by the AppProject and argocd-rbac-cm rules.
//!
//! Sources: `util/rbac/rbac.go` (resources, actions, `ProjectScoped`, `loadPolicyLine`),
//! `pkg/apis/application/v1alpha1/types.go` (`validatePolicy`, `isValidAction`, `isValidObject`),
//! `assets/builtin-policy.csv` (built-in roles) and `docs/operator-manual/rbac.md` (which actions apply
//! to which resource).

/// Every RBAC resource Argo CD enforces (`rbac.Resources`).
pub const RESOURCES: [&str; 12] = [
    "clusters",
    "projects",
    "applications",
    "applicationsets",
    "repositories",
    "write-repositories",
    "certificates",
    "accounts",
    "gpgkeys",
    "logs",
    "exec",
    "extensions",
];

/// Resources an AppProject role may grant (`rbac.ProjectScoped`).
pub const PROJECT_RESOURCES: [&str; 6] =
    ["applications", "applicationsets", "logs", "exec", "clusters", "repositories"];

/// Every plain RBAC action (`rbac.Actions`).
pub const ACTIONS: [&str; 9] =
    ["get", "create", "update", "delete", "sync", "rollback", "override", "action", "invoke"];

/// Actions `validatePolicy` accepts in AppProject roles besides the `action/`, `update/`, `delete/` forms.
pub const PROJECT_ACTIONS: [&str; 8] = ["get", "create", "update", "delete", "sync", "override", "rollback", "*"];

/// The roles Argo CD's built-in policy defines.
pub const BUILTIN_ROLES: [&str; 2] = ["role:admin", "role:readonly"];

/// The actions that mean something for `resource` (the table in rbac.md), `None` for an unknown resource.
pub fn actions_for(resource: &str) -> Option<&'static [&'static str]> {
    Some(match resource {
        "applications" => &["get", "create", "update", "delete", "sync", "rollback", "action", "override"],
        "applicationsets" | "clusters" | "projects" | "repositories" | "write-repositories" => {
            &["get", "create", "update", "delete"]
        }
        "accounts" => &["get", "update"],
        "certificates" | "gpgkeys" => &["get", "create", "delete"],
        "logs" => &["get"],
        "exec" => &["create"],
        "extensions" => &["invoke"],
        _ => return None,
    })
}

/// Whether `action` is one AppProject validation accepts (`isValidAction`: the fixed set, or any text
/// containing `action/`, `update/` or `delete/`, since those regexps are unanchored).
pub fn is_project_action(action: &str) -> bool {
    PROJECT_ACTIONS.contains(&action) || ["action/", "update/", "delete/"].iter().any(|p| action.contains(p))
}

/// Whether a policy value is a pattern (glob) rather than a literal name.
pub fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// One field of a policy line: its text and byte range in the (trimmed) line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field, as Go's CSV reader returns it.
    pub text: String,
    /// Byte offset of the field's first character in the line.
    pub start: usize,
    /// Byte length of the field as written.
    pub len: usize,
}

/// Splits one policy line the way Argo CD's `loadPolicyLine` does: Go's `encoding/csv` with
/// `TrimLeadingSpace`, one record. Returns Go's error text on malformed quoting.
pub fn split_csv(line: &str) -> Result<Vec<Field>, &'static str> {
    let mut fields = Vec::new();
    let mut pos = 0;
    loop {
        let rest = &line[pos..];
        let trimmed = rest.trim_start();
        pos += rest.len() - trimmed.len();
        let rest = &line[pos..];
        if !rest.starts_with('"') {
            let end = rest.find(',').unwrap_or(rest.len());
            let text = &rest[..end];
            if text.contains('"') {
                return Err("bare \" in non-quoted-field");
            }
            fields.push(Field { text: text.to_string(), start: pos, len: end });
            if end == rest.len() {
                return Ok(fields);
            }
            pos += end + 1;
            continue;
        }
        let start = pos;
        let mut text = String::new();
        let mut i = pos + 1;
        loop {
            let Some(q) = line[i..].find('"') else {
                return Err("extraneous or missing \" in quoted-field");
            };
            text.push_str(&line[i..i + q]);
            i += q + 1;
            match line[i..].chars().next() {
                Some('"') => {
                    text.push('"');
                    i += 1;
                }
                Some(',') => {
                    fields.push(Field { text, start, len: i - start });
                    pos = i + 1;
                    break;
                }
                None => {
                    fields.push(Field { text, start, len: i - start });
                    return Ok(fields);
                }
                Some(_) => return Err("extraneous or missing \" in quoted-field"),
            }
        }
    }
}

/// The policy lines of a CSV text, as Argo CD reads them: each line trimmed, empty lines and lines
/// starting with `#` skipped.
pub fn policy_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n').map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str) -> Vec<String> {
        split_csv(line).map(|f| f.into_iter().map(|f| f.text).collect()).unwrap_or_default()
    }

    #[test]
    fn splits_like_go_csv_with_trim_leading_space() {
        assert_eq!(
            texts("p, role:a, applications, get, */*, allow"),
            ["p", "role:a", "applications", "get", "*/*", "allow"]
        );
        assert_eq!(texts("g, \"my, group\", role:a"), ["g", "my, group", "role:a"]);
        assert_eq!(texts("g,  \"a\"\"b\" ,x"), Vec::<String>::new());
        assert_eq!(texts("g, \"a\"\"b\",x"), ["g", "a\"b", "x"]);
        assert_eq!(texts("p, a , b"), ["p", "a ", "b"]);
        let f = split_csv("p,  role:a").unwrap_or_default();
        assert_eq!((f[1].start, f[1].len), (4, 6));
    }

    #[test]
    fn reports_go_csv_quote_errors() {
        assert_eq!(split_csv("g, a\"b, c"), Err("bare \" in non-quoted-field"));
        assert_eq!(split_csv("g, \"ab, c"), Err("extraneous or missing \" in quoted-field"));
    }

    #[test]
    fn knows_project_actions_and_resource_actions() {
        assert!(is_project_action("action/apps/Deployment/restart"));
        assert!(is_project_action("*"));
        assert!(!is_project_action("invoke"));
        assert_eq!(actions_for("logs"), Some(&["get"][..]));
        assert_eq!(actions_for("nope"), None);
    }

    #[test]
    fn skips_comments_and_blank_lines() {
        let lines: Vec<&str> = policy_lines("# c\n\n  p, a\n  # d\ng, b\n").collect();
        assert_eq!(lines, ["p, a", "g, b"]);
    }
}
