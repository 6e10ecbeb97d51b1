use super::generators::{GENERATOR_KEYS, generator_items};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Finds ApplicationSets whose `spec.template.metadata.name` is missing or empty while some top-level
    /// generator does not supply a name through its own `template`, and no `templatePatch` could set one.
    /// ## Why is this bad?
    /// Argo CD tracks generated Applications by name: the controller reports "contains an application with
    /// no name" and, because one invalid Application blocks the set, creates, updates and deletes nothing.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   generators:
    ///     - list: {elements: [{cluster: dev}]}
    ///   template:
    ///     metadata:
    ///       labels: {team: web}
    /// ```
    /// ## Use instead
    /// ```yaml
    ///   template:
    ///     metadata:
    ///       name: '{{cluster}}-web'
    ///       labels: {team: web}
    /// ```
    pub struct TemplateNameMissing {
        id: "appset-template-name-missing", severity: Error, source: Lint,
        summary: "ApplicationSet template without metadata.name",
    }
}

fn has_name(template: Option<&Value>) -> bool {
    template.and_then(|t| t.pointer("/metadata/name")).and_then(Value::as_str).is_some_and(|n| !n.trim().is_empty())
}

impl Rule for TemplateNameMissing {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet || has_name(doc.get("/spec/template")) {
            return;
        }
        if doc.get("/spec/templatePatch").and_then(Value::as_str).is_some_and(|p| p.contains("name")) {
            return;
        }
        // A top-level generator's own template is merged over spec.template; when every generator names
        // its Applications, the base template needs no name.
        let items: Vec<_> = generator_items(doc).into_iter().filter(|g| g.level == 0).collect();
        let all_named = !items.is_empty()
            && items.iter().all(|g| {
                let keys: Vec<_> = GENERATOR_KEYS.iter().filter(|k| g.fields.contains_key(**k)).collect();
                !keys.is_empty() && keys.iter().all(|k| has_name(g.fields.get(**k).and_then(|v| v.get("template"))))
            });
        if all_named {
            return;
        }
        let go = doc.get("/spec/goTemplate").and_then(Value::as_bool) == Some(true);
        let example = if go { "'{{ .name }}-app'" } else { "'{{name}}-app'" };
        let pointer =
            if doc.get("/spec/template/metadata").is_some() { "/spec/template/metadata" } else { "/spec/template" };
        let message = if doc.get("/spec/template/metadata/name").is_some() {
            "`spec.template.metadata.name` is empty: every generated Application needs a name"
        } else {
            "`spec.template.metadata.name` is missing: every generated Application needs a name"
        };
        cx.report_key(doc, pointer, message).help =
            Some(format!("set `metadata.name` to a per-element value, e.g. `name: {example}`"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators:\n    - list: {elements: [{name: a}]}\n";

    #[test]
    fn fires_on_missing_or_empty_name() {
        let f = run(
            &TemplateNameMissing,
            &format!("{HEAD}  template:\n    metadata:\n      labels: {{a: b}}\n    spec: {{}}\n"),
        );
        assert_eq!(
            lines(&f),
            vec![(8, 5, "`spec.template.metadata.name` is missing: every generated Application needs a name".into())]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("set `metadata.name` to a per-element value, e.g. `name: '{{name}}-app'`")
        );
        let f = run(
            &TemplateNameMissing,
            &format!("{HEAD}  goTemplate: true\n  template:\n    metadata:\n      name: ''\n"),
        );
        assert_eq!(
            lines(&f),
            vec![(9, 5, "`spec.template.metadata.name` is empty: every generated Application needs a name".into())]
        );
        assert!(f[0].help.as_deref().unwrap_or("").contains("{{ .name }}"));
    }

    #[test]
    fn quiet_when_a_name_comes_from_the_template_a_generator_or_a_patch() {
        assert!(
            run(&TemplateNameMissing, &format!("{HEAD}  template:\n    metadata:\n      name: '{{{{name}}}}'\n"))
                .is_empty()
        );
        let gen_named = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  generators:\n    - list:\n        elements: []\n        template: {metadata: {name: x}}\n  template:\n    metadata: {}\n";
        assert!(run(&TemplateNameMissing, gen_named).is_empty());
        let patched =
            format!("{HEAD}  template:\n    metadata: {{}}\n  templatePatch: |\n    metadata:\n      name: x\n");
        assert!(run(&TemplateNameMissing, &patched).is_empty());
    }
}
