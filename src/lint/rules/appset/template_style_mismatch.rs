use super::tags::{fasttemplate_param, go_form, is_go_syntax, tags, templated_strings};
use crate::declare_rule;
use crate::lint::rules::project::locate::Locator;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Finds template tags written for the other template engine. With `goTemplate: true`, Argo CD renders
    /// every template string as a Go template, where `{{name}}` or `{{path.basename}}` (fasttemplate
    /// style) calls a function that does not exist. Without it, Argo CD uses fasttemplate, which knows
    /// only `{{param}}`: a Go-style `{{ .name }}`, `{{ index ... }}` or `{{ x | upper }}` is left in the
    /// output verbatim. Looks at `spec.template`, `spec.templatePatch`, generator templates and
    /// generator `values`; Helm blocks are skipped in fasttemplate sets, where `{{ .Values.x }}` is meant
    /// for Helm.
    /// ## Why is this bad?
    /// In a Go-template set the whole ApplicationSet fails to render ("function \"name\" not defined")
    /// and no Application is created or updated. In a fasttemplate set the Applications are created with
    /// names, paths or namespaces that literally contain `{{ .name }}`.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   goTemplate: true
    ///   template:
    ///     metadata:
    ///       name: '{{cluster}}-web'
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   goTemplate: true
    ///   template:
    ///     metadata:
    ///       name: '{{ .cluster }}-web'
    /// ```
    pub struct TemplateStyleMismatch {
        id: "appset-template-style-mismatch", severity: Error, source: Lint,
        summary: "fasttemplate {{name}} in a goTemplate set, or Go {{ .name }} in a fasttemplate set",
    }
}

impl Rule for TemplateStyleMismatch {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        let Some(spec) = doc.get("/spec") else {
            return;
        };
        let go = spec.get("goTemplate").and_then(Value::as_bool) == Some(true);
        for s in templated_strings(spec) {
            if !go && s.in_helm {
                continue;
            }
            let found = tags(s.text);
            if found.is_empty() {
                continue;
            }
            let mut loc = Locator::new(doc, &s.pointer, s.text);
            for tag in found {
                let (message, help) = if go {
                    let Some(param) = fasttemplate_param(tag.inner) else {
                        continue;
                    };
                    (
                        format!(
                            "`{}` is fasttemplate syntax, but this ApplicationSet sets `goTemplate: true`",
                            tag.text
                        ),
                        format!("Go templates read parameters from the dot: write `{}`", go_form(param)),
                    )
                } else {
                    if !is_go_syntax(tag.inner) {
                        continue;
                    }
                    let simple = tag.inner.trim().strip_prefix('.').filter(|p| {
                        !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
                    });
                    let help = match simple {
                        Some(p) => format!("add `goTemplate: true` to the spec, or write `{{{{{p}}}}}` for fasttemplate"),
                        None => "add `goTemplate: true` to the spec (and `goTemplateOptions: [\"missingkey=error\"]`) to use Go templates".into(),
                    };
                    (
                        format!(
                            "`{}` is Go template syntax, but this ApplicationSet does not set `goTemplate: true`; fasttemplate leaves it as is",
                            tag.text
                        ),
                        help,
                    )
                };
                let span = if s.is_key { doc.key_span(&s.pointer) } else { loc.find_or_node(tag.text).span };
                cx.report_span(doc, span, message).help = Some(help);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators: [{list: {elements: [{cluster: a}]}}]\n";

    #[test]
    fn fires_on_fasttemplate_tags_in_a_go_set() {
        let src = format!(
            "{HEAD}  goTemplate: true\n  template:\n    metadata:\n      name: 'web-{{{{cluster}}}}'\n      labels:\n        '{{{{env}}}}': x\n    spec:\n      source:\n        path: 'apps/{{{{path.basename}}}}/{{{{ .ok }}}}/{{{{values.no-op}}}}'\n"
        );
        let f = run(&TemplateStyleMismatch, &src);
        assert_eq!(
            lines(&f),
            vec![
                (9, 18, "`{{cluster}}` is fasttemplate syntax, but this ApplicationSet sets `goTemplate: true`".into()),
                (11, 9, "`{{env}}` is fasttemplate syntax, but this ApplicationSet sets `goTemplate: true`".into()),
                (
                    14,
                    21,
                    "`{{path.basename}}` is fasttemplate syntax, but this ApplicationSet sets `goTemplate: true`"
                        .into()
                ),
                (
                    14,
                    49,
                    "`{{values.no-op}}` is fasttemplate syntax, but this ApplicationSet sets `goTemplate: true`".into()
                ),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("Go templates read parameters from the dot: write `{{ .cluster }}`"));
        assert_eq!(
            f[3].help.as_deref(),
            Some("Go templates read parameters from the dot: write `{{ index .values \"no-op\" }}`")
        );
    }

    #[test]
    fn fires_on_go_tags_in_a_fasttemplate_set_including_block_patches() {
        let src = format!(
            "{HEAD}  template:\n    metadata:\n      name: '{{{{ .cluster }}}}-web'\n  templatePatch: |\n    spec:\n      project: '{{{{ index .metadata.labels \"team\" }}}}'\n"
        );
        let f = run(&TemplateStyleMismatch, &src);
        assert_eq!(
            lines(&f),
            vec![
                (8, 14, "`{{ .cluster }}` is Go template syntax, but this ApplicationSet does not set `goTemplate: true`; fasttemplate leaves it as is".into()),
                (11, 17, "`{{ index .metadata.labels \"team\" }}` is Go template syntax, but this ApplicationSet does not set `goTemplate: true`; fasttemplate leaves it as is".into()),
            ]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("add `goTemplate: true` to the spec, or write `{{cluster}}` for fasttemplate")
        );
    }

    #[test]
    fn quiet_when_tags_match_the_engine() {
        let fast = format!(
            "{HEAD}  template:\n    metadata:\n      name: '{{{{cluster}}}}-web'\n    spec:\n      source:\n        helm:\n          values: |\n            image: {{{{ .Values.image }}}}\n"
        );
        assert!(run(&TemplateStyleMismatch, &fast).is_empty());
        let go = format!(
            "{HEAD}  goTemplate: true\n  template:\n    metadata:\n      name: '{{{{ .cluster | lower }}}}-{{{{ now | date \"2006\" }}}}'\n      annotations:\n        a: '{{{{- if .x }}}}y{{{{- end }}}}'\n"
        );
        assert!(run(&TemplateStyleMismatch, &go).is_empty());
    }
}
