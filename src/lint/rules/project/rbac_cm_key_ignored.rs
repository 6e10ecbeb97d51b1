use super::rbac_cm::is_policy_key;
use crate::declare_rule;
use crate::lint::util::{escape_pointer, suggest};
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks the keys of `argocd-rbac-cm`'s `data`. Argo CD reads `policy.csv`, every
    /// `policy.<name>.csv`, `policy.default`, `policy.matchMode` (`glob` or `regex`) and `scopes`
    /// (`util/rbac/rbac.go`); a key that looks like one of them but is not (`policy.team`,
    /// `policy.team.csv.bak`, `policy-csv`, `policy.matchmode`) is reported, as is a `policy.matchMode`
    /// other than `glob` or `regex`.
    /// ## Why is this bad?
    /// Argo CD ignores such keys without a word: the policy lines in them are never loaded, and an
    /// unknown match mode silently falls back to `glob`.
    /// ## Example
    /// ```yaml
    /// data:
    ///   policy.team-a: |
    ///     p, role:team-a, applications, *, team-a/*, allow
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   policy.team-a.csv: |
    ///     p, role:team-a, applications, *, team-a/*, allow
    /// ```
    pub struct RbacCmKeyIgnored {
        id: "rbac-cm-key-ignored", severity: Warning, source: Lint,
        summary: "an argocd-rbac-cm key Argo CD does not read, or an unknown policy.matchMode",
    }
}

const KEYS: [&str; 4] = ["policy.csv", "policy.default", "policy.matchMode", "scopes"];

impl Rule for RbacCmKeyIgnored {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ArgoCdRbacCm {
            return;
        }
        let Some(Value::Object(data)) = doc.get("/data") else {
            return;
        };
        for (key, value) in data {
            let pointer = format!("/data/{}", escape_pointer(key));
            if KEYS.contains(&key.as_str()) || is_policy_key(key) {
                if key == "policy.matchMode"
                    && let Some(mode) = value.as_str().filter(|m| !["glob", "regex", ""].contains(m))
                {
                    let help = match suggest(mode, ["glob", "regex"]) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "use `glob` (the default) or `regex`".into(),
                    };
                    cx.report(
                        doc,
                        &pointer,
                        format!("policy.matchMode `{mode}` is not `glob` or `regex`; Argo CD uses `glob`"),
                    )
                    .help = Some(help);
                }
                continue;
            }
            let lower = key.to_ascii_lowercase();
            let looks_like_policy = lower.starts_with("policy") || lower.ends_with(".csv") || lower == "scope";
            if !looks_like_policy {
                continue;
            }
            let help = if let Some(known) = suggest(key, KEYS) {
                format!("did you mean `{known}`?")
            } else if lower.starts_with("policy.") && lower.contains(".csv") {
                let name = key.trim_start_matches("policy.").split(".csv").next().unwrap_or("extra");
                format!("extra policy keys must be named `policy.<name>.csv`: `policy.{name}.csv`")
            } else if lower.starts_with("policy.") {
                format!("extra policy keys must end in `.csv`: `{key}.csv`")
            } else {
                format!("Argo CD reads only {}, and policy.<name>.csv", KEYS.join(", "))
            };
            cx.report_key(doc, &pointer, format!("Argo CD does not read the key `{key}` in argocd-rbac-cm")).help =
                Some(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n";

    #[test]
    fn fires_on_near_miss_keys_and_match_modes() {
        let src = format!(
            "{HEAD}  policy.team-a: x\n  policy.team.csv.bak: x\n  policy.matchmode: glob\n  policy.matchMode: regexp\n  policy-csv: x\n"
        );
        let f = run(&RbacCmKeyIgnored, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 3, "Argo CD does not read the key `policy.team-a` in argocd-rbac-cm".into()),
                (7, 3, "Argo CD does not read the key `policy.team.csv.bak` in argocd-rbac-cm".into()),
                (8, 3, "Argo CD does not read the key `policy.matchmode` in argocd-rbac-cm".into()),
                (9, 21, "policy.matchMode `regexp` is not `glob` or `regex`; Argo CD uses `glob`".into()),
                (10, 3, "Argo CD does not read the key `policy-csv` in argocd-rbac-cm".into()),
            ]
        );
        let helps: Vec<&str> = f.iter().map(|f| f.help.as_deref().unwrap_or("")).collect();
        assert_eq!(
            helps,
            vec![
                "extra policy keys must end in `.csv`: `policy.team-a.csv`",
                "extra policy keys must be named `policy.<name>.csv`: `policy.team.csv`",
                "did you mean `policy.matchMode`?",
                "did you mean `regex`?",
                "did you mean `policy.csv`?",
            ]
        );
    }

    #[test]
    fn quiet_on_the_keys_argo_cd_reads() {
        let src = format!(
            "{HEAD}  policy.csv: x\n  policy.team.csv: x\n  policy.default: role:readonly\n  policy.matchMode: regex\n  scopes: '[groups]'\n  accounts.x: y\n"
        );
        assert!(run(&RbacCmKeyIgnored, &src).is_empty());
    }
}
