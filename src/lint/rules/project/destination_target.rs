use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use crate::report::Severity;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks each entry of an AppProject's `spec.destinations`: it must name a cluster by `server` (API
    /// URL pattern) or by `name` (cluster name pattern). An entry with neither is an error. An entry with
    /// both is fine when they identify the same cluster, but a `'*'` on one side while the other names a
    /// cluster is a warning. A `!*` pattern for `server`, `name` or `namespace` is an error, as in Argo
    /// CD's `ValidateProject`.
    /// ## Why is this bad?
    /// Argo CD matches an Application's destination against `server` and `name` separately
    /// (`isDestinationMatched`): an entry with neither never matches, so it permits nothing; an entry with
    /// both permits an Application whose server *or* name matches, so a wildcard on either side opens the
    /// entry to every cluster.
    /// `!*` (deny everything) is refused when the project is created through the API.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   destinations:
    ///     - namespace: guestbook
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   destinations:
    ///     - namespace: guestbook
    ///       server: https://kubernetes.default.svc
    /// ```
    pub struct DestinationTarget {
        id: "project-destination-target", severity: Error, source: Lint,
        summary: "an AppProject destination without server or name, or whose wildcard voids the other",
    }
}

impl Rule for DestinationTarget {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::AppProject {
            return;
        }
        let Some(Value::Array(destinations)) = doc.get("/spec/destinations") else {
            return;
        };
        for (i, dest) in destinations.iter().enumerate() {
            let Some(fields) = dest.as_object() else {
                continue;
            };
            let pointer = format!("/spec/destinations/{i}");
            let set = |k: &str| fields.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
            match (set("server"), set("name")) {
                (None, None) => {
                    cx.report(doc, &pointer, "project destination has neither `server` nor `name`, so it permits nothing")
                        .help = Some("add `server: https://kubernetes.default.svc` (or a pattern such as `'*'`), or `name: in-cluster`".into());
                }
                // Both may identify the same cluster (Argo CD's own example project does that); only a
                // wildcard on one side makes the other pointless.
                (Some(server), Some(name)) if (server == "*") != (name == "*") => {
                    let (wild, other, other_value) =
                        if server == "*" { ("server", "name", name) } else { ("name", "server", server) };
                    let f = cx.report(
                        doc,
                        &format!("{pointer}/{wild}"),
                        format!("`{wild}: '*'` permits every cluster, so `{other}: {other_value}` restricts nothing"),
                    );
                    f.severity = Severity::Warning;
                    f.help = Some(format!(
                        "Argo CD permits a destination whose server or name matches: drop `{wild}` to limit this entry to `{other_value}`"
                    ));
                }
                _ => {}
            }
            for key in ["server", "name", "namespace"] {
                if set(key) == Some("!*") {
                    cx.report(
                        doc,
                        &format!("{pointer}/{key}"),
                        format!("`!*` is not a valid {key} pattern in a project destination"),
                    )
                    .help = Some("Argo CD rejects `!*`; to deny, remove the destinations that allow it instead".into());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  destinations:\n";

    #[test]
    fn fires_on_neither_both_and_deny_all() {
        let src = format!(
            "{HEAD}    - namespace: web\n    - server: '*'\n      name: a\n      namespace: '*'\n    - server: '!*'\n      namespace: x\n"
        );
        let f = run(&DestinationTarget, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 7, "project destination has neither `server` nor `name`, so it permits nothing".into()),
                (7, 15, "`server: '*'` permits every cluster, so `name: a` restricts nothing".into()),
                (10, 15, "`!*` is not a valid server pattern in a project destination".into()),
            ]
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[1].severity, Severity::Warning);
    }

    #[test]
    fn quiet_on_server_or_name() {
        let src = format!(
            "{HEAD}    - namespace: web\n      server: https://kubernetes.default.svc\n    - namespace: '*'\n      name: in-cluster\n    - namespace: a\n      server: https://kubernetes.default.svc\n      name: in-cluster\n    - server: '*'\n      namespace: '!kube-system'\n"
        );
        assert!(run(&DestinationTarget, &src).is_empty());
    }
}
