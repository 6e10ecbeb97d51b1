//! Application rules, and the rules for Argo CD's annotations and finalizers on any object.

pub mod app_name_invalid;
pub mod destination_invalid;
pub mod finalizer_unknown;
pub mod hook_delete_policy_unknown;
pub mod hook_type_unknown;
pub mod ignore_differences_pointer;
pub mod object_duplicate;
pub mod retry_invalid;
pub mod source_chart_and_path;
pub mod source_conflict;
pub mod source_missing;
pub mod source_ref_invalid;
mod support;
pub mod sync_option_invalid;
pub mod sync_wave_not_integer;

use crate::lint::Rule;

/// The rules of this group, in the order they run.
pub static RULES: &[&dyn Rule] = &[
    &app_name_invalid::AppNameInvalid,
    &source_conflict::SourceConflict,
    &source_missing::SourceMissing,
    &source_chart_and_path::SourceChartAndPath,
    &source_ref_invalid::SourceRefInvalid,
    &destination_invalid::DestinationInvalid,
    &sync_option_invalid::SyncOptionInvalid,
    &retry_invalid::RetryInvalid,
    &ignore_differences_pointer::IgnoreDifferencesPointer,
    &sync_wave_not_integer::SyncWaveNotInteger,
    &hook_type_unknown::HookTypeUnknown,
    &hook_delete_policy_unknown::HookDeletePolicyUnknown,
    &finalizer_unknown::FinalizerUnknown,
    &object_duplicate::ObjectDuplicate,
];

#[cfg(test)]
mod tests {
    use super::RULES;
    use crate::lint::Context;
    use crate::lint::rules::testing::docs;
    use std::fmt::Write;

    /// A small repository's worth of Argo CD mistakes, one file.
    const FIXTURE: &str = r#"apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: Guestbook_Prod
  namespace: argocd
  finalizers:
    - resources-finalizer.argoproj.io
spec:
  project: default
  source:
    repoURL: https://github.com/example/apps.git
    path: guestbook
  sources:
    - repoURL: https://charts.example.com
      chart: guestbook
      path: charts/guestbook
      targetRevision: 1.4.0
      helm:
        valueFiles:
          - $values/guestbook/prod.yaml
    - repoURL: https://github.com/example/values.git
      targetRevision: main
      ref: value
  destination:
    server: https://kubernetes.default.svc
    name: in-cluster
    namespace: guestbook
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers: [spec/replicas]
  syncPolicy:
    syncOptions:
      - CreateNamespace=yes
      - PruneLast=maybe
    retry:
      limit: 5
      backoff:
        duration: 5min
        factor: 2
---
apiVersion: batch/v1
kind: Job
metadata:
  name: db-migrate
  annotations:
    argocd.argoproj.io/hook: Presync
    argocd.argoproj.io/hook-delete-policy: hook-succeeded
    argocd.argoproj.io/sync-wave: "-1.5"
    argocd.argoproj.io/sync-options: Replace=true,Force=yes
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: example/migrate:1.0}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: Guestbook_Prod
  namespace: argocd
spec:
  project: default
  source:
    repoURL: https://github.com/example/apps.git
    path: guestbook
    targetRevision: main
  destination:
    name: prod
    namespace: guestbook
"#;

    #[test]
    fn reports_every_mistake_of_a_realistic_file() {
        let docs = docs(FIXTURE);
        let mut findings = Vec::new();
        for rule in RULES {
            for d in &docs {
                rule.check(d, &mut Context::new(rule.info(), &mut findings));
            }
            rule.check_all(&docs, &mut Context::new(rule.info(), &mut findings));
        }
        crate::report::sort_findings(&mut findings);
        let mut out = String::new();
        for f in &findings {
            let _ = writeln!(out, "{}:{} {} [{}] {}", f.span.line, f.span.column, f.severity, f.rule, f.message);
            if let Some(h) = &f.help {
                let _ = writeln!(out, "    help: {h}");
            }
        }
        insta::assert_snapshot!(out);
    }

    #[test]
    fn every_rule_is_documented_with_all_sections() {
        for rule in RULES {
            let info = rule.info();
            for section in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
                assert!(info.docs.contains(section), "{} lacks {section}", info.id);
            }
        }
    }
}
