use super::support::{annotation, csv_items, describe_non_string, is_templated, part_span};
use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Checks each comma-separated value of the `argocd.argoproj.io/hook-delete-policy` annotation against
    /// the policies Argo CD knows: `HookSucceeded`, `HookFailed`, `BeforeHookCreation` (gitops-engine
    /// `pkg/sync/common/types.go`). Helm's spellings (`hook-succeeded`, `before-hook-creation`) get the
    /// Argo CD name as suggestion.
    /// ## Why is this bad?
    /// An unknown policy is dropped without a word; with none left Argo CD falls back to
    /// `BeforeHookCreation`, so a hook meant to be deleted once it succeeded stays in the cluster until
    /// the next sync.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/hook-delete-policy: hook-succeeded
    /// ```
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/hook-delete-policy: HookSucceeded
    /// ```
    pub struct HookDeletePolicyUnknown {
        id: "hook-delete-policy-unknown", severity: Error, source: Lint,
        summary: "argocd.argoproj.io/hook-delete-policy names a policy Argo CD does not know",
    }
}

const POLICY: &str = "argocd.argoproj.io/hook-delete-policy";

/// Hook delete policies Argo CD applies.
const POLICIES: [&str; 3] = ["HookSucceeded", "HookFailed", "BeforeHookCreation"];

fn helm_equivalent(value: &str) -> Option<&'static str> {
    match value {
        "hook-succeeded" => Some("HookSucceeded"),
        "hook-failed" => Some("HookFailed"),
        "before-hook-creation" => Some("BeforeHookCreation"),
        _ => None,
    }
}

impl Rule for HookDeletePolicyUnknown {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(ann) = annotation(doc, POLICY) else {
            return;
        };
        let Some(text) = ann.value.as_str() else {
            cx.report(
                doc,
                &ann.pointer(),
                format!("`{POLICY}` is {}, not a delete policy", describe_non_string(ann.value)),
            )
            .help = Some(format!("write one of {}", POLICIES.join(", ")));
            return;
        };
        if is_templated(text) {
            return;
        }
        for item in csv_items(text) {
            if POLICIES.contains(&item.text) {
                continue;
            }
            let help = if let Some(p) = helm_equivalent(item.text) {
                format!("`{}` is Helm's spelling; Argo CD's is `{p}`", item.text)
            } else if let Some(p) = suggest(item.text, POLICIES) {
                format!("did you mean `{p}`? Policies are case-sensitive")
            } else {
                format!("Argo CD hook delete policies are {}", POLICIES.join(", "))
            };
            let span = part_span(doc, &ann.pointer(), text, item.offset, item.text.len());
            cx.report_span(
                doc,
                span,
                format!("`{}` is not an Argo CD hook delete policy; Argo CD ignores it", item.text),
            )
            .help = Some(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    fn job(value: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    {POLICY}: {value}\n")
    }

    #[test]
    fn rejects_unknown_policies() {
        let f = run(&HookDeletePolicyUnknown, &job("HookSucceeded,hook-failed,OnSuccess"));
        assert_eq!(
            lines(&f),
            vec![
                (6, 58, "`hook-failed` is not an Argo CD hook delete policy; Argo CD ignores it".into()),
                (6, 70, "`OnSuccess` is not an Argo CD hook delete policy; Argo CD ignores it".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("`hook-failed` is Helm's spelling; Argo CD's is `HookFailed`"));
        let f = run(&HookDeletePolicyUnknown, &job("HookSucceded"));
        assert_eq!(f[0].help.as_deref(), Some("did you mean `HookSucceeded`? Policies are case-sensitive"));
    }

    #[test]
    fn accepts_known_policies() {
        assert!(run(&HookDeletePolicyUnknown, &job("\"HookSucceeded, BeforeHookCreation,HookFailed\"")).is_empty());
    }
}
