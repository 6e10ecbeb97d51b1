use crate::declare_rule;
use crate::lint::util::did_you_mean;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks that each AppProject sync window has `kind: allow` or `kind: deny`, and that it names what
    /// it applies to (`applications`, `namespaces` or `clusters`), as `ValidateProject` requires.
    /// ## Why is this bad?
    /// Argo CD rejects the project ("kind '...' mismatch: can only be allow or deny", "requires one of
    /// application, cluster or namespace"); applied anyway, the window matches nothing.
    /// ## Example
    /// ```yaml
    /// syncWindows:
    ///   - kind: block
    ///     schedule: "0 22 * * *"
    ///     duration: 8h
    /// ```
    /// ## Use instead
    /// ```yaml
    ///   - kind: deny
    ///     schedule: "0 22 * * *"
    ///     duration: 8h
    ///     applications: ["*"]
    /// ```
    pub struct SyncWindowKind {
        id: "project-sync-window-kind", severity: Error, source: Lint,
        summary: "a sync window whose kind is not allow/deny, or that targets nothing",
    }
}

impl Rule for SyncWindowKind {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for (i, window) in super::sync_windows(doc) {
            let Some(fields) = window.as_object() else {
                continue;
            };
            let pointer = format!("/spec/syncWindows/{i}");
            match fields.get("kind") {
                Some(Value::String(k)) if k == "allow" || k == "deny" => {}
                Some(Value::String(k)) => {
                    let f = cx.report(
                        doc,
                        &format!("{pointer}/kind"),
                        format!("sync window kind must be `allow` or `deny`, not `{k}`"),
                    );
                    f.help =
                        Some(did_you_mean(k, ["allow", "deny"]).unwrap_or_else(|| {
                            "`allow` opens a window for syncs, `deny` blocks them: pick one".into()
                        }));
                }
                None | Some(Value::Null) => {
                    cx.report(doc, &pointer, "sync window has no `kind`").help =
                        Some("add `kind: allow` or `kind: deny`".into());
                }
                Some(_) => {}
            }
            let targets = ["applications", "namespaces", "clusters"];
            let has_target =
                targets.iter().any(|t| fields.get(*t).and_then(Value::as_array).is_some_and(|a| !a.is_empty()));
            if !has_target {
                cx.report(
                    doc,
                    &pointer,
                    "sync window applies to nothing: it lists no applications, namespaces or clusters",
                )
                .help =
                    Some("add `applications: [\"*\"]` (or namespaces/clusters) to say what the window covers".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  syncWindows:\n";

    #[test]
    fn fires_on_wrong_or_missing_kind_and_no_target() {
        let src = format!(
            "{HEAD}    - kind: Deny\n      applications: ['*']\n    - schedule: '0 1 * * *'\n      clusters: [a]\n    - kind: allow\n      namespaces: []\n"
        );
        let f = run(&SyncWindowKind, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 13, "sync window kind must be `allow` or `deny`, not `Deny`".into()),
                (8, 7, "sync window has no `kind`".into()),
                (10, 7, "sync window applies to nothing: it lists no applications, namespaces or clusters".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `deny`?"));
    }

    #[test]
    fn quiet_on_allow_and_deny_windows() {
        let src =
            format!("{HEAD}    - kind: allow\n      applications: ['*']\n    - kind: deny\n      namespaces: [prod]\n");
        assert!(run(&SyncWindowKind, &src).is_empty());
    }
}
