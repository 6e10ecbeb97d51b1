use super::rbac::{ACTIONS, RESOURCES, actions_for, is_pattern};
use super::rbac_cm::{PolicyRow, is_policy_key, policy_rows};
use crate::declare_rule;
use crate::lint::util::{did_you_mean, escape_pointer, suggest};
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use crate::report::Severity;
use crate::yaml::{Node, ScalarStyle};

declare_rule! {
    /// ## What it does
    /// Checks every line of `policy.csv` (and of each `policy.<name>.csv` key) in `argocd-rbac-cm`, the
    /// way Argo CD loads them: Go CSV (quotes allowed, leading spaces trimmed), `p, <subject>, <resource>,
    /// <action>, <object>, allow|deny` with six fields and `g, <user-or-group>, <role>` with three.
    /// Resources and actions must be ones Argo CD enforces (`applications`, `applicationsets`,
    /// `clusters`, `projects`, `repositories`, `write-repositories`, `certificates`, `accounts`,
    /// `gpgkeys`, `logs`, `exec`, `extensions`; `get`, `create`, `update`, `delete`, `sync`, `rollback`,
    /// `override`, `action/...`, `invoke`), unless they are glob patterns. An action that does not apply
    /// to its resource (`sync` on `clusters`), or an application object without its `<project>/`, is a
    /// warning.
    /// ## Why is this bad?
    /// A line with the wrong number of fields, bad quoting, or a type other than `p`/`g` makes Argo CD
    /// fail to load the whole user policy. A misspelt resource, action or effect, or a field with a
    /// trailing space, loads fine and never matches, so the permission silently does not exist.
    /// ## Example
    /// ```yaml
    /// data:
    ///   policy.csv: |
    ///     p, role:ci, application, sync, */*, allow
    ///     g, ci-bot role:ci
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   policy.csv: |
    ///     p, role:ci, applications, sync, */*, allow
    ///     g, ci-bot, role:ci
    /// ```
    pub struct RbacPolicyInvalid {
        id: "rbac-policy-invalid", severity: Error, source: Lint,
        summary: "an argocd-rbac-cm policy line Argo CD cannot load or that never matches",
    }
}

impl Rule for RbacPolicyInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ArgoCdRbacCm {
            return;
        }
        let regex_mode = doc.str_at("/data/policy.matchMode") == Some("regex");
        if let Some(serde_json::Value::Object(data)) = doc.get("/data") {
            for key in data.keys().filter(|k| is_policy_key(k)) {
                let pointer = format!("/data/{}", escape_pointer(key));
                // The block header (`|` or `>`) sits between the key and the scalar's text.
                let (key_at, text_at) = (doc.key_span(&pointer).offset, doc.span(&pointer).offset);
                let header = doc.file.text.get(key_at..text_at).and_then(|h| h.split_once(':')).map(|(_, h)| h);
                let folded = matches!(doc.node(&pointer), Some(Node::Scalar { style: ScalarStyle::Block, .. }))
                    && header.is_some_and(|h| h.trim_start().starts_with('>'));
                if folded {
                    cx.report_key(
                        doc,
                        &pointer,
                        format!("`{key}` is a folded block (`>`), which joins its lines into one policy line"),
                    )
                    .help = Some("use a literal block (`|`) so that each policy stays on its own line".into());
                }
            }
        }
        for row in policy_rows(doc) {
            check_row(doc, cx, &row, regex_mode);
        }
    }
}

const LOAD_FAILS: &str = "Argo CD refuses to load the whole policy while this line is there";

fn check_row(doc: &Document, cx: &mut Context<'_>, row: &PolicyRow<'_>, regex_mode: bool) {
    let fields = match &row.fields {
        Ok(f) => f,
        Err(e) => {
            cx.report_span(doc, row.piece.span.clone(), format!("policy line `{}` is not valid CSV: {e}", row.line))
                .help = Some(format!(
                "quote a field that contains `,` or `\"` as a whole (\"a, b\"), doubling inner quotes; {LOAD_FAILS}"
            ));
            return;
        }
    };
    let kind = fields[0].text.as_str();
    let expected = match kind {
        "p" => 6,
        "g" => 3,
        _ => {
            let help = match did_you_mean(kind, ["p", "g"]) {
                Some(d) if kind.len() > 1 || kind.is_empty() => d,
                _ => "lines start with `p` (a permission) or `g` (a group or role assignment)".into(),
            };
            cx.report_span(doc, row.field_span(doc, 0), format!("policy line type must be `p` or `g`, not `{kind}`"))
                .help = Some(format!("{help}; {LOAD_FAILS}"));
            return;
        }
    };
    if fields.len() != expected {
        let form = if kind == "p" {
            "p, <subject>, <resource>, <action>, <object>, allow|deny"
        } else {
            "g, <user-or-group>, <role>"
        };
        cx.report_span(
            doc,
            row.piece.span.clone(),
            format!("`{kind}` line has {} fields, expected {expected}", fields.len()),
        )
        .help = Some(format!("write `{form}`; {LOAD_FAILS}"));
        return;
    }
    for (i, f) in fields.iter().enumerate().skip(1) {
        if f.text.ends_with(char::is_whitespace) && !f.text.trim().is_empty() {
            cx.report_span(
                doc,
                row.field_span(doc, i),
                format!("`{}` ends with a space, which Argo CD compares verbatim", f.text),
            )
            .help = Some(format!("remove the space before the comma: `{}`", f.text.trim_end()));
        } else if f.text.is_empty() {
            cx.report_span(doc, row.field_span(doc, i), format!("field {} of this `{kind}` line is empty", i + 1))
                .help = Some("an empty field matches nothing: fill it in or use `*`".into());
        }
    }
    if kind == "g" || regex_mode {
        return;
    }
    let (resource, action, object, effect) =
        (fields[2].text.trim(), fields[3].text.trim(), fields[4].text.trim(), fields[5].text.trim());
    let resource_known = RESOURCES.contains(&resource);
    if !resource_known && !is_pattern(resource) && !resource.is_empty() {
        let help =
            did_you_mean(resource, RESOURCES).unwrap_or_else(|| format!("resources are {}", RESOURCES.join(", ")));
        cx.report_span(doc, row.field_span(doc, 2), format!("`{resource}` is not an RBAC resource Argo CD knows"))
            .help = Some(help);
    }
    let sub_action = ["action/", "update/", "delete/"].iter().find(|p| action.starts_with(**p));
    let action_known = ACTIONS.contains(&action) || sub_action.is_some();
    if !action_known && !is_pattern(action) && !action.is_empty() {
        let help = match suggest(action, ACTIONS) {
            Some("action") => "custom resource actions are written `action/<group>/<kind>/<name>`".to_string(),
            Some(a) => format!("did you mean `{a}`?"),
            None => format!("actions are {}, or action/<group>/<kind>/<name>", ACTIONS.join(", ")),
        };
        cx.report_span(doc, row.field_span(doc, 3), format!("`{action}` is not an RBAC action Argo CD knows")).help =
            Some(help);
    } else if resource_known && !is_pattern(action) && !action.is_empty() {
        let plain = sub_action.map_or(action, |p| p.trim_end_matches('/'));
        let applies = actions_for(resource).is_some_and(|a| a.contains(&plain));
        let sub_ok = sub_action.is_none() || resource == "applications";
        if !applies || !sub_ok {
            let allowed = actions_for(resource).map(|a| a.join(", ")).unwrap_or_default();
            let f = cx.report_span(doc, row.field_span(doc, 3), format!("`{action}` has no effect on `{resource}`"));
            f.severity = Severity::Warning;
            f.help = Some(format!("`{resource}` is checked only for: {allowed}"));
        }
    }
    let project_scoped = ["applications", "applicationsets", "logs", "exec"].contains(&resource);
    if project_scoped && !object.contains('/') && !is_pattern(object) && !object.is_empty() {
        let f = cx.report_span(
            doc,
            row.field_span(doc, 4),
            format!("`{object}` never matches: `{resource}` objects are `<project>/<name>`"),
        );
        f.severity = Severity::Warning;
        f.help = Some(format!("write `*/{object}` or `<project>/{object}`"));
    }
    if effect != "allow" && effect != "deny" {
        let help = if effect.contains('#') {
            "comments must be on their own line: Argo CD reads `# ...` after a field as part of it".to_string()
        } else {
            did_you_mean(effect, ["allow", "deny"]).unwrap_or_else(|| "write `allow` or `deny`".into())
        };
        cx.report_span(
            doc,
            row.field_span(doc, 5),
            format!("policy effect must be `allow` or `deny`, not `{effect}`"),
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
    fn fires_at_each_bad_row_inside_the_block() {
        let src = format!(
            "{HEAD}  policy.csv: |\n    # CI may sync everything\n    p, role:ci, application, synch, */*, allow\n\n    g, ci-bot role:ci\n    p, role:ci , clusters, sync, *, allow # ops\n    x, a, b\n    g, \"a, b\"c, role:ci\n"
        );
        let f = run(&RbacPolicyInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (8, 17, "`application` is not an RBAC resource Argo CD knows".into()),
                (8, 30, "`synch` is not an RBAC action Argo CD knows".into()),
                (10, 5, "`g` line has 2 fields, expected 3".into()),
                (11, 8, "`role:ci ` ends with a space, which Argo CD compares verbatim".into()),
                (11, 28, "`sync` has no effect on `clusters`".into()),
                (11, 37, "policy effect must be `allow` or `deny`, not `allow # ops`".into()),
                (12, 5, "policy line type must be `p` or `g`, not `x`".into()),
                (
                    13,
                    5,
                    "policy line `g, \"a, b\"c, role:ci` is not valid CSV: extraneous or missing \" in quoted-field"
                        .into()
                ),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `applications`?"));
        assert_eq!(f[4].severity, Severity::Warning);
        assert!(f[5].help.as_deref().unwrap_or("").starts_with("comments must be on their own line"));
    }

    #[test]
    fn fires_on_folded_blocks_that_join_lines() {
        let src = format!("{HEAD}  policy.csv: >\n    g, a, role:admin\n    g, b, role:admin\n");
        let f = run(&RbacPolicyInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 3, "`policy.csv` is a folded block (`>`), which joins its lines into one policy line".into()),
                (7, 5, "`g` line has 5 fields, expected 3".into()),
            ]
        );
    }

    #[test]
    fn fires_in_overlay_keys_and_on_objects_without_project() {
        let src = format!("{HEAD}  policy.team.csv: 'p, role:t, applications, get, guestbook, allow'\n");
        let f = run(&RbacPolicyInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![(6, 51, "`guestbook` never matches: `applications` objects are `<project>/<name>`".into())]
        );
    }

    #[test]
    fn quiet_on_valid_policies_and_other_configmaps() {
        let src = format!(
            "{HEAD}  policy.csv: |\n    p, role:ci, applications, sync, */*, allow\n    p, role:ci, applications, action/apps/Deployment/restart, team/*, allow\n    p, role:ci, extensions, invoke, httpbin, allow\n    p, role:ci, *, get, *, allow\n    g, \"my-org:team, ops\", role:ci\n    g, ci-bot, role:readonly\n  policy.default: role:readonly\n"
        );
        assert!(run(&RbacPolicyInvalid, &src).is_empty());
        let other = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\ndata:\n  policy.csv: 'x, y'\n";
        assert!(run(&RbacPolicyInvalid, other).is_empty());
    }
}
