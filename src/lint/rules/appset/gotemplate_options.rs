use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use crate::report::Severity;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks `spec.goTemplateOptions`. Argo CD passes each entry to Go's `text/template` `Option`, which
    /// knows only `missingkey=default`, `missingkey=invalid`, `missingkey=zero` and `missingkey=error`.
    /// Options set without `goTemplate: true` are reported as a warning: they are never used.
    /// ## Why is this bad?
    /// `text/template` panics on any other option (even an empty string), which aborts every reconcile of
    /// the ApplicationSet.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   goTemplate: true
    ///   goTemplateOptions: ["missingkey=fail"]
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   goTemplate: true
    ///   goTemplateOptions: ["missingkey=error"]
    /// ```
    pub struct GoTemplateOptions {
        id: "appset-gotemplate-options", severity: Error, source: Lint,
        summary: "goTemplateOptions that text/template does not accept",
    }
}

const OPTIONS: [&str; 4] = ["missingkey=default", "missingkey=invalid", "missingkey=zero", "missingkey=error"];

impl Rule for GoTemplateOptions {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        let Some(Value::Array(options)) = doc.get("/spec/goTemplateOptions") else {
            return;
        };
        for (i, option) in options.iter().enumerate() {
            let Some(option) = option.as_str() else {
                continue;
            };
            if OPTIONS.contains(&option) {
                continue;
            }
            let help = match suggest(option, OPTIONS) {
                Some(s) => format!("did you mean `{s}`?"),
                None if option.to_ascii_lowercase().starts_with("missingkey") => {
                    "`missingkey` takes `default`, `invalid`, `zero` or `error` (`missingkey=error` fails on absent parameters)"
                        .into()
                }
                None => format!("the only options are {}", OPTIONS.join(", ")),
            };
            let f = cx.report(
                doc,
                &format!("/spec/goTemplateOptions/{i}"),
                format!("`{option}` is not a text/template option; Argo CD's controller panics on it"),
            );
            f.help = Some(help);
        }
        let go = doc.get("/spec/goTemplate").and_then(Value::as_bool) == Some(true);
        if !go && !options.is_empty() {
            let f = cx.report_key(
                doc,
                "/spec/goTemplateOptions",
                "`goTemplateOptions` has no effect without `goTemplate: true`",
            );
            f.severity = Severity::Warning;
            f.help =
                Some("set `goTemplate: true` (and write templates as `{{ .param }}`), or remove the options".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n";

    #[test]
    fn fires_on_unknown_options_and_options_without_gotemplate() {
        let src =
            format!("{HEAD}  goTemplate: true\n  goTemplateOptions: [missingkey=fail, missingKey=error, '', strict]\n");
        let f = run(&GoTemplateOptions, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 23, "`missingkey=fail` is not a text/template option; Argo CD's controller panics on it".into()),
                (6, 40, "`missingKey=error` is not a text/template option; Argo CD's controller panics on it".into()),
                (6, 58, "`` is not a text/template option; Argo CD's controller panics on it".into()),
                (6, 62, "`strict` is not a text/template option; Argo CD's controller panics on it".into()),
            ]
        );
        assert!(
            f[0].help
                .as_deref()
                .unwrap_or("")
                .starts_with("`missingkey` takes `default`, `invalid`, `zero` or `error`")
        );
        assert_eq!(f[1].help.as_deref(), Some("did you mean `missingkey=error`?"));
        let f = run(&GoTemplateOptions, &format!("{HEAD}  goTemplateOptions: [missingkey=error]\n"));
        assert_eq!(lines(&f), vec![(5, 3, "`goTemplateOptions` has no effect without `goTemplate: true`".into())]);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn quiet_on_missingkey_options() {
        let src = format!("{HEAD}  goTemplate: true\n  goTemplateOptions: [missingkey=error, missingkey=zero]\n");
        assert!(run(&GoTemplateOptions, &src).is_empty());
    }
}
