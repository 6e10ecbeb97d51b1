use super::locate::Locator;
use super::rbac::{ACTIONS, PROJECT_ACTIONS, PROJECT_RESOURCES, actions_for, is_project_action};
use crate::declare_rule;
use crate::lint::util::{did_you_mean, suggest};
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use crate::report::{Severity, Span};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks each line of `spec.roles[].policies` in an AppProject the way Argo CD's `validatePolicy`
    /// does: six comma-separated fields `p, proj:<project>:<role>, <resource>, <action>,
    /// <project>/<object>, allow|deny`; the subject naming this project and this role; a resource a
    /// project role can grant (`applications`, `applicationsets`, `clusters`, `repositories`, `logs`,
    /// `exec`); an action Argo CD knows (`get`, `create`, `update`, `delete`, `sync`, `override`,
    /// `rollback`, `action/...`, `update/...`, `delete/...`, `*`); an object inside this project; an
    /// effect of `allow` or `deny`. The same line twice in one role is reported too.
    /// ## Why is this bad?
    /// Argo CD refuses to create or update a project with such a policy ("invalid policy rule"); through
    /// `kubectl apply` or GitOps the project is stored anyway, and the line never matches a request, so the
    /// role silently lacks the permission.
    /// ## Example
    /// ```yaml
    /// kind: AppProject
    /// metadata: {name: team-a}
    /// spec:
    ///   roles:
    ///     - name: ci
    ///       policies:
    ///         - p, proj:team-b:ci, applications, synch, team-a/*, allow
    /// ```
    /// ## Use instead
    /// ```yaml
    ///         - p, proj:team-a:ci, applications, sync, team-a/*, allow
    /// ```
    pub struct RolePolicyInvalid {
        id: "project-role-policy-invalid", severity: Error, source: Lint,
        summary: "an AppProject role policy line Argo CD's validatePolicy rejects",
    }
}

impl Rule for RolePolicyInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::AppProject {
            return;
        }
        let project = doc.name().unwrap_or("");
        let Some(Value::Array(roles)) = doc.get("/spec/roles") else {
            return;
        };
        for (r, role) in roles.iter().enumerate() {
            let role_name = role.get("name").and_then(Value::as_str).unwrap_or("");
            let Some(Value::Array(policies)) = role.get("policies") else {
                continue;
            };
            let mut seen: Vec<&str> = Vec::new();
            for (i, policy) in policies.iter().enumerate() {
                let Some(policy) = policy.as_str() else {
                    continue;
                };
                let pointer = format!("/spec/roles/{r}/policies/{i}");
                if seen.contains(&policy) {
                    cx.report(doc, &pointer, format!("role `{role_name}` lists this policy twice")).help =
                        Some("remove the duplicate: Argo CD rejects a project whose role repeats a policy".into());
                    continue;
                }
                seen.push(policy);
                check_policy(doc, cx, &pointer, policy, project, role_name);
            }
        }
    }
}

fn check_policy(doc: &Document, cx: &mut Context<'_>, pointer: &str, policy: &str, project: &str, role: &str) {
    let mut loc = Locator::new(doc, pointer, policy);
    let whole = loc.find_or_node(policy);
    // validatePolicy splits on every comma and trims spaces only.
    let mut parts = Vec::new();
    let mut start = 0;
    for piece in policy.split(',') {
        let lead = piece.len() - piece.trim_start_matches(' ').len();
        let text = piece.trim_matches(' ');
        parts.push((text, loc.sub_span(&whole, start + lead, text.len())));
        start += piece.len() + 1;
    }
    if parts.len() != 6 || parts[0].0 != "p" {
        let found = if parts[0].0 != "p" && parts.len() == 6 {
            format!("it starts with `{}`", parts[0].0)
        } else {
            format!("it has {} fields", parts.len())
        };
        cx.report_span(
            doc,
            whole.span.clone(),
            format!("policy must have the form `p, sub, res, act, obj, eft`, but {found}"),
        )
        .help = Some(format!("write `p, proj:{project}:{role}, applications, get, {project}/*, allow`"));
        return;
    }
    let expected_subject = format!("proj:{project}:{role}");
    let mut report = |span: Span, message: String, help: String| {
        cx.report_span(doc, span, message).help = Some(help);
    };
    let (subject, span) = &parts[1];
    if *subject != expected_subject {
        report(
            span.clone(),
            format!("policy subject must be `{expected_subject}`, not `{subject}`"),
            format!("a role's policies can only grant to the role itself: write `{expected_subject}`"),
        );
    }
    let (resource, span) = &parts[2];
    if !PROJECT_RESOURCES.contains(resource) {
        let help = match did_you_mean(resource, PROJECT_RESOURCES) {
            Some(d) => d,
            None => format!("a project role can grant only {}", PROJECT_RESOURCES.join(", ")),
        };
        report(span.clone(), format!("`{resource}` is not a resource a project role can grant"), help);
    }
    let (action, span) = &parts[3];
    if !is_project_action(action) {
        let candidates = PROJECT_ACTIONS.iter().chain(ACTIONS.iter()).copied().filter(|a| *a != "invoke");
        let help = match suggest(action, candidates) {
            Some("action") => "custom resource actions are written `action/<group>/<kind>/<name>`".to_string(),
            Some(a) => format!("did you mean `{a}`?"),
            None => format!("use one of {}, or action/<group>/<kind>/<name>", PROJECT_ACTIONS.join(", ")),
        };
        report(span.clone(), format!("`{action}` is not an action Argo CD accepts in a project role"), help);
    }
    let (object, span) = &parts[4];
    if !is_valid_object(project, object) {
        let other_project = object.split('/').next().filter(|p| *p != project && object.contains('/'));
        let help = match other_project {
            Some(p) => format!("a role of project `{project}` cannot grant access to project `{p}`'s objects"),
            None => format!("write `{project}/*`, `{project}/<application>` or `{project}/<namespace>/<application>`"),
        };
        report(span.clone(), format!("policy object must be inside project `{project}`, not `{object}`"), help);
    }
    let (effect, span) = &parts[5];
    if *effect != "allow" && *effect != "deny" {
        let help = did_you_mean(effect, ["allow", "deny"]).unwrap_or_else(|| "write `allow` or `deny`".into());
        report(span.clone(), format!("policy effect must be `allow` or `deny`, not `{effect}`"), help);
    }
    if PROJECT_RESOURCES.contains(resource) && is_project_action(action) && *action != "*" {
        let plain = ["action/", "update/", "delete/"]
            .iter()
            .find(|p| action.starts_with(**p))
            .map_or(*action, |p| p.trim_end_matches('/'));
        let sub_ok = plain == *action || *resource == "applications";
        if !sub_ok || actions_for(resource).is_some_and(|a| !a.contains(&plain)) {
            let allowed = actions_for(resource).map(|a| a.join(", ")).unwrap_or_default();
            let f = cx.report_span(doc, parts[3].1.clone(), format!("`{action}` has no effect on `{resource}`"));
            f.severity = Severity::Warning;
            f.help = Some(format!("`{resource}` is checked only for: {allowed}"));
        }
    }
}

/// `isValidObject`: `^<project>(/[*\w-.]+)?/[*\w-.]+$`.
fn is_valid_object(project: &str, object: &str) -> bool {
    let Some(rest) = object.strip_prefix(project) else {
        return false;
    };
    let segment = |s: &str| {
        !s.is_empty() && s.chars().all(|c| c == '*' || c == '-' || c == '.' || c == '_' || c.is_ascii_alphanumeric())
    };
    let Some(rest) = rest.strip_prefix('/') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    parts.len() <= 2 && parts.iter().all(|p| segment(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: team-a\nspec:\n  roles:\n    - name: ci\n      policies:\n";

    #[test]
    fn fires_on_each_wrong_field_at_its_column() {
        let src = format!(
            "{HEAD}        - p, proj:team-b:ci, application, synch, team-b/*, alow\n        - p, proj:team-a:ci, applications, get\n"
        );
        let f = run(&RolePolicyInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (9, 14, "policy subject must be `proj:team-a:ci`, not `proj:team-b:ci`".into()),
                (9, 30, "`application` is not a resource a project role can grant".into()),
                (9, 43, "`synch` is not an action Argo CD accepts in a project role".into()),
                (9, 50, "policy object must be inside project `team-a`, not `team-b/*`".into()),
                (9, 60, "policy effect must be `allow` or `deny`, not `alow`".into()),
                (10, 11, "policy must have the form `p, sub, res, act, obj, eft`, but it has 4 fields".into()),
            ]
        );
        assert_eq!(f[1].help.as_deref(), Some("did you mean `applications`?"));
        assert_eq!(f[2].help.as_deref(), Some("did you mean `sync`?"));
        assert_eq!(
            f[3].help.as_deref(),
            Some("a role of project `team-a` cannot grant access to project `team-b`'s objects")
        );
        assert_eq!(f[4].help.as_deref(), Some("did you mean `allow`?"));
    }

    #[test]
    fn fires_on_duplicate_and_project_only_restrictions() {
        let line = "p, proj:team-a:ci, applications, get, team-a/*, allow";
        let src = format!(
            "{HEAD}        - {line}\n        - '{line}'\n        - p, proj:team-a:ci, projects, invoke, team-a/*, allow\n        - p, proj:team-a:ci, logs, sync, team-a/*, allow\n"
        );
        let f = run(&RolePolicyInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (10, 11, "role `ci` lists this policy twice".into()),
                (11, 30, "`projects` is not a resource a project role can grant".into()),
                (11, 40, "`invoke` is not an action Argo CD accepts in a project role".into()),
                (12, 36, "`sync` has no effect on `logs`".into()),
            ]
        );
        assert_eq!(f[3].severity, Severity::Warning);
    }

    #[test]
    fn quiet_on_valid_policies() {
        let src = format!(
            "{HEAD}        - p, proj:team-a:ci, applications, sync, team-a/*, allow\n        - p,proj:team-a:ci,applications,action/apps/Deployment/restart,team-a/ns-1/web.app,deny\n        - p, proj:team-a:ci, logs, get, team-a/*, allow\n        - p, proj:team-a:ci, applications, *, team-a/guestbook, allow\n"
        );
        assert!(run(&RolePolicyInvalid, &src).is_empty());
        assert!(run(&RolePolicyInvalid, "kind: ConfigMap\nspec:\n  roles: [{name: a, policies: [x]}]\n").is_empty());
    }
}
