//! ApplicationSet rules.

pub(crate) mod generators;
pub(crate) mod tags;

pub mod generator_item;
pub mod generator_not_offline;
pub mod gotemplate_options;
pub mod gotemplate_syntax;
pub mod matrix_children;
pub mod merge_keys;
pub mod nesting_too_deep;
pub mod template_name_missing;
pub mod template_style_mismatch;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &template_name_missing::TemplateNameMissing,
    &generator_item::GeneratorItem,
    &matrix_children::MatrixChildren,
    &merge_keys::MergeKeys,
    &nesting_too_deep::NestingTooDeep,
    &template_style_mismatch::TemplateStyleMismatch,
    &gotemplate_options::GoTemplateOptions,
    &gotemplate_syntax::GoTemplateSyntax,
    &generator_not_offline::GeneratorNotOffline,
];

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::lint::Context;
    use crate::lint::rules::testing::docs;

    /// Every rule of the group over one ApplicationSet with one mistake of each kind, rendered the way a
    /// person reads it.
    #[test]
    fn diagnostics_of_a_broken_applicationset() {
        let src = "\
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: web
spec:
  goTemplate: true
  goTemplateOptions: [missingkey=eror]
  generators:
    - matrix:
        generators:
          - list:
              elements: [{cluster: dev}]
            git: {repoURL: https://example.com/r.git, revision: HEAD}
          - matrix:
              generators:
                - clusters: {}
                - merge:
                    generators:
                      - list: {elements: []}
    - scmProvider: {github: {organization: example}}
    - cluster: {}
  template:
    metadata:
      labels:
        env: '{{cluster}}'
    spec:
      project: default
      source: {repoURL: https://example.com/r.git, path: 'apps/{{ .cluster }'}
      destination: {server: https://kubernetes.default.svc, namespace: web}
";
        let docs = docs(src);
        let mut out = Vec::new();
        for rule in RULES {
            rule.check(&docs[0], &mut Context::new(rule.info(), &mut out));
        }
        crate::report::sort_findings(&mut out);
        let text: String = out
            .iter()
            .map(|f| {
                format!(
                    "{}:{} {} [{}] {}\n    help: {}\n",
                    f.span.line,
                    f.span.column,
                    f.severity,
                    f.rule,
                    f.message,
                    f.help.as_deref().unwrap_or("-")
                )
            })
            .collect();
        insta::assert_snapshot!(text);
    }
}
