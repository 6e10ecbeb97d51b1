use super::support::{annotation, describe_non_string, is_templated};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Checks that the `argocd.argoproj.io/sync-wave` annotation is a whole number written as a string,
    /// the way gitops-engine reads it (`strconv.Atoi`: an optional sign and decimal digits, nothing else).
    /// ## Why is this bad?
    /// When the text is not an integer (`"1.5"`, `"first"`, `" 2"`), Argo CD ignores it without a word and
    /// puts the resource in wave 0 (or in its Helm `helm.sh/hook-weight`), so it is applied with everything
    /// else instead of in its turn. An unquoted number (`sync-wave: 5`) is not a string at all, and
    /// Kubernetes refuses an object whose annotation values are not strings.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/sync-wave: "1.5"
    ///     # or: argocd.argoproj.io/sync-wave: 5
    /// ```
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/sync-wave: "2"
    /// ```
    pub struct SyncWaveNotInteger {
        id: "sync-wave-not-integer", severity: Error, source: Lint,
        summary: "argocd.argoproj.io/sync-wave is not an integer string",
    }
}

const SYNC_WAVE: &str = "argocd.argoproj.io/sync-wave";

/// Whether Go's `strconv.Atoi` accepts `s` (64-bit `int`).
pub(super) fn go_atoi(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Rust's parser accepts `+` too, and rejects out-of-range values like Go does.
    s.parse::<i64>().ok()
}

impl Rule for SyncWaveNotInteger {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let Some(ann) = annotation(doc, SYNC_WAVE) else {
            return;
        };
        let Some(text) = ann.value.as_str() else {
            let shown = ann.value.as_i64().map_or_else(|| "0".to_string(), |n| n.to_string());
            cx.report(
                doc,
                &ann.pointer(),
                format!("`{SYNC_WAVE}` is {}, but annotation values must be strings", describe_non_string(ann.value)),
            )
            .help = Some(format!("quote it: `{SYNC_WAVE}: \"{shown}\"`"));
            return;
        };
        if is_templated(text) || go_atoi(text).is_some() {
            return;
        }
        let trimmed = text.trim();
        let help = if let Some(n) = go_atoi(trimmed) {
            format!("remove the spaces: `\"{n}\"`")
        } else if let Ok(x) = trimmed.parse::<f64>() {
            if x.is_finite() {
                format!("waves are whole numbers: write `\"{}\"` (or renumber the waves)", x.round() as i64)
            } else {
                "write a whole number such as `\"0\"`, `\"1\"` or `\"-1\"`".into()
            }
        } else {
            "write a whole number such as `\"0\"`, `\"1\"` or `\"-1\"`; lower waves are applied first".into()
        };
        cx.report(
            doc,
            &ann.pointer(),
            format!("`{SYNC_WAVE}` is `{text}`, not an integer; Argo CD ignores it and uses wave 0"),
        )
        .help = Some(help);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    fn obj(value: &str) -> String {
        format!(
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    {SYNC_WAVE}: {value}\n"
        )
    }

    #[test]
    fn rejects_non_integer_waves() {
        let f = run(&SyncWaveNotInteger, &obj("\"1.5\""));
        assert_eq!(
            lines(&f),
            vec![(
                6,
                35,
                "`argocd.argoproj.io/sync-wave` is `1.5`, not an integer; Argo CD ignores it and uses wave 0".into()
            )]
        );
        assert_eq!(f[0].help.as_deref(), Some("waves are whole numbers: write `\"2\"` (or renumber the waves)"));
        let f = run(&SyncWaveNotInteger, &obj("first"));
        assert_eq!(f.len(), 1);
        let f = run(&SyncWaveNotInteger, &obj("\" 2\""));
        assert_eq!(f[0].help.as_deref(), Some("remove the spaces: `\"2\"`"));
        assert_eq!(run(&SyncWaveNotInteger, &obj("\"99999999999999999999\"")).len(), 1);
    }

    #[test]
    fn rejects_unquoted_numbers() {
        let f = run(&SyncWaveNotInteger, &obj("5"));
        assert_eq!(
            lines(&f),
            vec![(
                6,
                35,
                "`argocd.argoproj.io/sync-wave` is the number 5, but annotation values must be strings".into()
            )]
        );
        assert_eq!(f[0].help.as_deref(), Some("quote it: `argocd.argoproj.io/sync-wave: \"5\"`"));
    }

    #[test]
    fn accepts_integers_go_atoi_reads() {
        for v in ["\"0\"", "\"-5\"", "\"+3\"", "'10'", "\"007\""] {
            assert!(run(&SyncWaveNotInteger, &obj(v)).is_empty(), "{v}");
        }
        assert!(run(&SyncWaveNotInteger, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n").is_empty());
    }
}
