use super::support::{annotation, csv_items, describe_non_string, is_templated, part_span};
use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Checks each comma-separated value of the `argocd.argoproj.io/hook` annotation against the hook types
    /// Argo CD knows: `PreSync`, `Sync`, `PostSync`, `SyncFail`, `Skip` (gitops-engine
    /// `pkg/sync/common/types.go`) and `PreDelete`, `PostDelete` (argo-cd `controller/hook.go`).
    /// Helm hook names (`pre-install`, `post-upgrade`...) written in the Argo CD annotation get the
    /// matching Argo CD type as suggestion.
    /// ## Why is this bad?
    /// An unknown hook type is dropped without a word. Worse, gitops-engine treats every object that
    /// carries the annotation as a hook and runs it only in the phases of its valid types
    /// (`pkg/sync/sync_phase.go`): with no valid type left (and no Helm `helm.sh/hook` to fall back on),
    /// the object — say a migration Job meant to run before the sync — is never applied at all. An empty
    /// annotation has the same effect.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/hook: Presync
    /// ```
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/hook: PreSync
    /// ```
    pub struct HookTypeUnknown {
        id: "hook-type-unknown", severity: Error, source: Lint,
        summary: "argocd.argoproj.io/hook names a hook type Argo CD does not know",
    }
}

const HOOK: &str = "argocd.argoproj.io/hook";

/// Hook types Argo CD runs.
const HOOK_TYPES: [&str; 7] = ["PreSync", "Sync", "PostSync", "SyncFail", "Skip", "PreDelete", "PostDelete"];

/// The Argo CD type Argo CD maps each Helm hook to (gitops-engine `pkg/sync/hook/helm/type.go`,
/// argo-cd `controller/hook.go`).
fn helm_equivalent(value: &str) -> Option<&'static str> {
    match value {
        "pre-install" | "pre-upgrade" => Some("PreSync"),
        "post-install" | "post-upgrade" => Some("PostSync"),
        "pre-delete" => Some("PreDelete"),
        "post-delete" => Some("PostDelete"),
        _ => None,
    }
}

impl Rule for HookTypeUnknown {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(ann) = annotation(doc, HOOK) else {
            return;
        };
        let Some(text) = ann.value.as_str() else {
            cx.report(
                doc,
                &ann.pointer(),
                format!("`{HOOK}` is {}, not a hook type", describe_non_string(ann.value)),
            )
            .help = Some(format!("write one of {}", HOOK_TYPES.join(", ")));
            return;
        };
        if is_templated(text) {
            return;
        }
        // gitops-engine treats any object carrying the annotation as a hook and runs it only in the phases
        // of its valid types (falling back to Helm's `helm.sh/hook`); with none, it is never applied.
        let any_valid = csv_items(text).any(|i| HOOK_TYPES.contains(&i.text));
        let helm_fallback = annotation(doc, "helm.sh/hook").is_some();
        let never_applied = !any_valid && !helm_fallback;
        if csv_items(text).next().is_none() {
            cx.report(
                doc,
                &ann.pointer(),
                format!(
                    "`{HOOK}` is empty; Argo CD treats the object as a hook that runs in no phase, so it is never \
                     applied"
                ),
            )
            .help = Some("set a hook type such as `PreSync`, or remove the annotation".into());
            return;
        }
        for item in csv_items(text) {
            if HOOK_TYPES.contains(&item.text) {
                continue;
            }
            let help = if let Some(t) = helm_equivalent(item.text) {
                format!("`{}` is a Helm hook name; the Argo CD hook type is `{t}`", item.text)
            } else if let Some(t) = suggest(item.text, HOOK_TYPES) {
                format!("did you mean `{t}`? Hook types are case-sensitive")
            } else {
                format!("Argo CD hook types are {}", HOOK_TYPES.join(", "))
            };
            let mut message = format!("`{}` is not an Argo CD hook type; Argo CD ignores it", item.text);
            if never_applied {
                message.push_str(", and with no valid hook type left it never applies this object");
            }
            let span = part_span(doc, &ann.pointer(), text, item.offset, item.text.len());
            cx.report_span(doc, span, message).help = Some(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    fn job(value: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    {HOOK}: {value}\n")
    }

    #[test]
    fn rejects_unknown_hook_types() {
        let f = run(&HookTypeUnknown, &job("Presync"));
        assert_eq!(
            lines(&f),
            vec![(
                6,
                30,
                "`Presync` is not an Argo CD hook type; Argo CD ignores it, and with no valid hook type left it never \
                 applies this object"
                    .into()
            )]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `PreSync`? Hook types are case-sensitive"));
        let f = run(&HookTypeUnknown, &job("\"PostSync, post-install, Cleanup\""));
        assert_eq!(
            lines(&f),
            vec![
                (6, 41, "`post-install` is not an Argo CD hook type; Argo CD ignores it".into()),
                (6, 55, "`Cleanup` is not an Argo CD hook type; Argo CD ignores it".into()),
            ]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("`post-install` is a Helm hook name; the Argo CD hook type is `PostSync`")
        );
        assert!(f[1].help.as_deref().unwrap_or("").starts_with("Argo CD hook types are PreSync"));
    }

    #[test]
    fn rejects_an_empty_hook_annotation() {
        let f = run(&HookTypeUnknown, &job("\"\""));
        assert_eq!(
            lines(&f),
            vec![(
                6,
                30,
                "`argocd.argoproj.io/hook` is empty; Argo CD treats the object as a hook that runs in no phase, so it \
                 is never applied"
                    .into()
            )]
        );
    }

    #[test]
    fn accepts_every_hook_type() {
        assert!(run(&HookTypeUnknown, &job("PreSync,Sync, PostSync,SyncFail,Skip,PreDelete,PostDelete")).is_empty());
        let helm =
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: pre-install\n";
        assert!(run(&HookTypeUnknown, helm).is_empty());
    }
}
