use super::support::{annotation, at, csv_items, describe_non_string, is_templated, part_span};
use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use crate::report::Severity;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks every sync option, in an Application's `spec.syncPolicy.syncOptions` and in the
    /// comma-separated `argocd.argoproj.io/sync-options` annotation of any object: the name must be one
    /// Argo CD reads, written with its exact case, followed by `=` and a value Argo CD accepts for it
    /// (`CreateNamespace=true`, `Prune=confirm`, `PrunePropagationPolicy=orphan`...). Options that Argo CD
    /// reads in only one of the two places (`CreateNamespace` only on the Application, `Force` only on a
    /// resource) are reported as warnings where they have no effect, and so is
    /// `spec.syncPolicy.managedNamespaceMetadata` without `CreateNamespace=true`.
    ///
    /// The accepted values follow Argo CD's sources: `controller/sync.go`, `controller/state.go` and
    /// gitops-engine's `pkg/sync/common/types.go`, which compare each option as exact text
    /// (`HasOption("CreateNamespace=true")`) or read the text after `Name=`.
    /// ## Why is this bad?
    /// Argo CD never rejects a sync option: an option it does not recognise is ignored without a word.
    /// `CreateNamespace=yes` creates no namespace, `PruneLast=maybe` prunes in the normal order,
    /// `prune=false` still prunes, and `Prune = false` (with spaces) does not match either.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   syncPolicy:
    ///     syncOptions:
    ///       - CreateNamespace=yes
    ///       - PrunePropagationPolicy=delete
    /// ---
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/sync-options: prune=false,SkipDryRunOnMissingResources=true
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   syncPolicy:
    ///     syncOptions:
    ///       - CreateNamespace=true
    ///       - PrunePropagationPolicy=orphan
    /// ---
    /// metadata:
    ///   annotations:
    ///     argocd.argoproj.io/sync-options: Prune=false,SkipDryRunOnMissingResource=true
    /// ```
    pub struct SyncOptionInvalid {
        id: "sync-option-invalid", severity: Error, source: Lint,
        summary: "a sync option Argo CD does not know, with a value it does not accept, or where it has no effect",
    }
}

/// Where Argo CD reads an option.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// In `spec.syncPolicy.syncOptions` and in the resource annotation.
    Both,
    /// Only in an Application's `spec.syncPolicy.syncOptions`.
    Application,
    /// Only in a resource's `argocd.argoproj.io/sync-options` annotation.
    Resource,
}

/// One sync option: its name, the values Argo CD acts on (the first is the one worth suggesting; the
/// default value is accepted too, as an explicit no-op) and where it is read.
struct SyncOption {
    name: &'static str,
    values: &'static [&'static str],
    scope: Scope,
}

const fn opt(name: &'static str, values: &'static [&'static str], scope: Scope) -> SyncOption {
    SyncOption { name, values, scope }
}

/// Every sync option Argo CD 3.x reads (argo-cd `controller/sync.go`, `controller/state.go`,
/// `controller/appcontroller.go`, gitops-engine `pkg/sync/sync_context.go`).
static OPTIONS: &[SyncOption] = &[
    opt("ApplyOutOfSyncOnly", &["true", "false"], Scope::Application),
    opt("ClientSideApplyMigration", &["false", "true"], Scope::Application),
    opt("CreateNamespace", &["true", "false"], Scope::Application),
    opt("Delete", &["false", "confirm", "true"], Scope::Both),
    opt("FailOnSharedResource", &["true", "false"], Scope::Application),
    opt("Force", &["true", "false"], Scope::Resource),
    opt("Prune", &["false", "confirm", "true"], Scope::Both),
    opt("PruneLast", &["true", "false"], Scope::Both),
    opt("PrunePropagationPolicy", &["foreground", "background", "orphan"], Scope::Application),
    opt("Replace", &["true", "false"], Scope::Both),
    opt("RespectIgnoreDifferences", &["true", "false"], Scope::Application),
    opt("ServerSideApply", &["true", "false"], Scope::Both),
    opt("SkipDryRunOnMissingResource", &["true", "false"], Scope::Both),
    opt("Validate", &["false", "true"], Scope::Both),
];

const SYNC_OPTIONS_ANNOTATION: &str = "argocd.argoproj.io/sync-options";

/// What is wrong with one option.
struct Problem {
    message: String,
    help: String,
    severity: Severity,
}

fn problem(message: String, help: String) -> Option<Problem> {
    Some(Problem { message, help, severity: Severity::Error })
}

fn find(name: &str) -> Option<&'static SyncOption> {
    OPTIONS.iter().find(|o| o.name == name)
}

fn quoted_list(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// The accepted value a mistyped one most likely meant: YAML-style booleans, case, typos.
fn value_fix(option: &SyncOption, value: &str) -> Option<&'static str> {
    let lower = value.to_ascii_lowercase();
    let wanted = match lower.as_str() {
        "yes" | "y" | "on" | "1" | "enable" | "enabled" => Some("true"),
        "no" | "n" | "off" | "0" | "disable" | "disabled" => Some("false"),
        _ => None,
    };
    if let Some(w) = wanted {
        return option.values.iter().copied().find(|v| *v == w);
    }
    suggest(value, option.values.iter().copied())
}

/// Diagnoses one option as written (`in_annotation` says where it was found).
fn diagnose(item: &str, in_annotation: bool) -> Option<Problem> {
    if item.contains(char::is_whitespace) {
        let compact: String = item.chars().filter(|c| !c.is_whitespace()).collect();
        let inner = diagnose(&compact, in_annotation);
        let fix = match &inner {
            None => format!("write `{compact}`"),
            Some(p) => p.help.clone(),
        };
        return problem(
            format!("sync option `{item}` contains spaces; Argo CD compares sync options as exact text"),
            fix,
        );
    }
    let (name, value) = match item.split_once('=') {
        Some((n, v)) => (n, Some(v)),
        None => (item, None),
    };
    let Some(option) = find(name) else {
        let fix = suggest(name, OPTIONS.iter().map(|o| o.name)).and_then(find);
        let help = match fix {
            Some(o) => {
                let v = value.filter(|v| o.values.contains(v)).unwrap_or(o.values[0]);
                format!("did you mean `{}={v}`? Option names are case-sensitive", o.name)
            }
            None => format!(
                "Argo CD knows these sync options: {}",
                OPTIONS.iter().map(|o| o.name).collect::<Vec<_>>().join(", ")
            ),
        };
        return problem(format!("`{item}` is not a sync option Argo CD knows; it is ignored"), help);
    };
    let Some(value) = value else {
        return problem(
            format!("sync option `{name}` has no value; Argo CD only acts on `{name}={}`", option.values[0]),
            format!("write `{name}={}`", option.values[0]),
        );
    };
    if !option.values.contains(&value) {
        let help = match value_fix(option, value) {
            Some(v) => format!("did you mean `{name}={v}`? Values are case-sensitive"),
            None => format!("write `{name}={}`", option.values[0]),
        };
        return problem(
            format!(
                "`{item}` is not a value Argo CD accepts: `{name}` takes {}; the option is ignored",
                quoted_list(option.values)
            ),
            help,
        );
    }
    match (option.scope, in_annotation) {
        (Scope::Application, true) => Some(Problem {
            message: format!(
                "`{item}` has no effect in a resource's `{SYNC_OPTIONS_ANNOTATION}` annotation; \
                 Argo CD reads it only from an Application's `spec.syncPolicy.syncOptions`"
            ),
            help: "move it to `spec.syncPolicy.syncOptions` of the Application that deploys this object".into(),
            severity: Severity::Warning,
        }),
        (Scope::Resource, false) => Some(Problem {
            message: format!(
                "`{item}` has no effect in `spec.syncPolicy.syncOptions`; Argo CD reads it only from a \
                 resource's `{SYNC_OPTIONS_ANNOTATION}` annotation"
            ),
            help: format!("annotate the resources concerned with `{SYNC_OPTIONS_ANNOTATION}: {item}`"),
            severity: Severity::Warning,
        }),
        _ => None,
    }
}

/// Reports a valid option whose name already appeared with another value in the same list.
fn contradiction<'t>(seen: &mut Vec<(&'t str, &'t str)>, item: &'t str) -> Option<Problem> {
    let (name, value) = item.split_once('=')?;
    match seen.iter().find(|(n, _)| *n == name) {
        Some((_, earlier)) if *earlier != value => Some(Problem {
            message: format!("`{item}` contradicts the earlier `{name}={earlier}` in the same list"),
            help: format!("keep only one `{name}=` option; Argo CD does not combine them"),
            severity: Severity::Warning,
        }),
        Some(_) => None,
        None => {
            seen.push((name, value));
            None
        }
    }
}

impl Rule for SyncOptionInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind == DocKind::Other {
            return;
        }
        if doc.kind == DocKind::Application {
            check_spec_options(doc, cx);
            check_managed_namespace_metadata(doc, cx);
        }
        check_annotation(doc, cx);
    }
}

/// `managedNamespaceMetadata` is only applied to a namespace Argo CD creates (`CreateNamespace=true`).
fn check_managed_namespace_metadata(doc: &Document, cx: &mut Context<'_>) {
    let Some(policy) = at(&doc.value, &["spec", "syncPolicy"]) else {
        return;
    };
    if policy.get("managedNamespaceMetadata").is_none_or(Value::is_null) {
        return;
    }
    let creates = policy
        .get("syncOptions")
        .and_then(Value::as_array)
        .is_some_and(|l| l.iter().any(|o| o.as_str() == Some("CreateNamespace=true")));
    if !creates {
        let f = cx.report_key(
            doc,
            "/spec/syncPolicy/managedNamespaceMetadata",
            "`managedNamespaceMetadata` has no effect without the `CreateNamespace=true` sync option",
        );
        f.help = Some("add `CreateNamespace=true` to `spec.syncPolicy.syncOptions`, or remove the metadata".into());
        f.severity = Severity::Warning;
    }
}

fn check_spec_options(doc: &Document, cx: &mut Context<'_>) {
    const POINTER: &str = "/spec/syncPolicy/syncOptions";
    let Some(options) = at(&doc.value, &["spec", "syncPolicy", "syncOptions"]) else {
        return;
    };
    let Some(list) = options.as_array() else {
        if !options.is_null() {
            let example = options.as_str().unwrap_or("CreateNamespace=true");
            cx.report(doc, POINTER, "`syncOptions` must be a list of `Name=value` strings").help =
                Some(format!("write it as a list item: `- {example}`"));
        }
        return;
    };
    let mut seen = Vec::new();
    for (i, item) in list.iter().enumerate() {
        let pointer = || format!("{POINTER}/{i}");
        match item {
            Value::String(s) if is_templated(s) => {}
            Value::String(s) => {
                if let Some(p) = diagnose(s, false).or_else(|| contradiction(&mut seen, s)) {
                    let f = cx.report(doc, &pointer(), p.message);
                    f.help = Some(p.help);
                    f.severity = p.severity;
                }
            }
            Value::Object(map) => {
                let example = map
                    .iter()
                    .next()
                    .map(|(k, v)| format!("{k}={}", v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
                    .unwrap_or_else(|| "CreateNamespace=true".into());
                cx.report(doc, &pointer(), "a sync option is a `Name=value` string, not a mapping").help =
                    Some(format!("write `- {example}` (with `=`, not `: `)"));
            }
            other => {
                cx.report(
                    doc,
                    &pointer(),
                    format!("a sync option is a `Name=value` string, but this is {}", describe_non_string(other)),
                )
                .help = Some("write it as `Name=value`, e.g. `CreateNamespace=true`".into());
            }
        }
    }
}

fn check_annotation(doc: &Document, cx: &mut Context<'_>) {
    let Some(ann) = annotation(doc, SYNC_OPTIONS_ANNOTATION) else {
        return;
    };
    let Some(text) = ann.value.as_str() else {
        cx.report(
            doc,
            &ann.pointer(),
            format!(
                "`{SYNC_OPTIONS_ANNOTATION}` is {}, but annotation values must be strings",
                describe_non_string(ann.value)
            ),
        )
        .help =
            Some("write the options as one quoted, comma-separated string, e.g. \"Prune=false,Validate=false\"".into());
        return;
    };
    if is_templated(text) {
        return;
    }
    let mut seen = Vec::new();
    for item in csv_items(text) {
        if let Some(p) = diagnose(item.text, true).or_else(|| contradiction(&mut seen, item.text)) {
            let span = part_span(doc, &ann.pointer(), text, item.offset, item.text.len());
            let f = cx.report_span(doc, span, p.message);
            f.help = Some(p.help);
            f.severity = p.severity;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const APP: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  syncPolicy:\n    syncOptions:\n";

    fn app(options: &str) -> String {
        format!("{APP}{options}")
    }

    #[test]
    fn rejects_sync_option_with_non_boolean_value() {
        let f = run(&SyncOptionInvalid, &app("      - CreateNamespace=yes\n      - PruneLast=maybe\n"));
        assert_eq!(
            lines(&f),
            vec![
                (
                    8,
                    9,
                    "`CreateNamespace=yes` is not a value Argo CD accepts: `CreateNamespace` takes `true` or `false`; \
                     the option is ignored"
                        .into()
                ),
                (
                    9,
                    9,
                    "`PruneLast=maybe` is not a value Argo CD accepts: `PruneLast` takes `true` or `false`; the option \
                     is ignored"
                        .into()
                ),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `CreateNamespace=true`? Values are case-sensitive"));
        assert_eq!(f[1].help.as_deref(), Some("write `PruneLast=true`"));
        assert!(f.iter().all(|f| f.severity == Severity::Error));
    }

    #[test]
    fn rejects_unknown_names_and_wrong_case() {
        let f = run(
            &SyncOptionInvalid,
            &app("      - createNamespace=true\n      - SkipDryRunOnMissingResources=true\n      - Frobnicate=true\n"),
        );
        assert_eq!(
            lines(&f),
            vec![
                (8, 9, "`createNamespace=true` is not a sync option Argo CD knows; it is ignored".into()),
                (9, 9, "`SkipDryRunOnMissingResources=true` is not a sync option Argo CD knows; it is ignored".into()),
                (10, 9, "`Frobnicate=true` is not a sync option Argo CD knows; it is ignored".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `CreateNamespace=true`? Option names are case-sensitive"));
        assert_eq!(
            f[1].help.as_deref(),
            Some("did you mean `SkipDryRunOnMissingResource=true`? Option names are case-sensitive")
        );
        assert!(f[2].help.as_deref().unwrap_or("").starts_with("Argo CD knows these sync options: ApplyOutOfSyncOnly"));
    }

    #[test]
    fn rejects_values_outside_each_options_set() {
        let f = run(
            &SyncOptionInvalid,
            &app("      - PrunePropagationPolicy=delete\n      - Prune=Confirm\n      - Delete\n      - Validate=no\n"),
        );
        assert_eq!(
            lines(&f),
            vec![
                (
                    8,
                    9,
                    "`PrunePropagationPolicy=delete` is not a value Argo CD accepts: `PrunePropagationPolicy` takes \
                     `foreground`, `background` or `orphan`; the option is ignored"
                        .into()
                ),
                (
                    9,
                    9,
                    "`Prune=Confirm` is not a value Argo CD accepts: `Prune` takes `false`, `confirm` or `true`; the \
                     option is ignored"
                        .into()
                ),
                (10, 9, "sync option `Delete` has no value; Argo CD only acts on `Delete=false`".into()),
                (
                    11,
                    9,
                    "`Validate=no` is not a value Argo CD accepts: `Validate` takes `false` or `true`; the option is \
                     ignored"
                        .into()
                ),
            ]
        );
        assert_eq!(f[1].help.as_deref(), Some("did you mean `Prune=confirm`? Values are case-sensitive"));
        assert_eq!(f[3].help.as_deref(), Some("did you mean `Validate=false`? Values are case-sensitive"));
    }

    #[test]
    fn rejects_spaces_mappings_and_scalars_in_the_list() {
        let f =
            run(&SyncOptionInvalid, &app("      - CreateNamespace = true\n      - CreateNamespace: true\n      - 5\n"));
        assert_eq!(
            lines(&f),
            vec![
                (
                    8,
                    9,
                    "sync option `CreateNamespace = true` contains spaces; Argo CD compares sync options as exact text"
                        .into()
                ),
                (9, 9, "a sync option is a `Name=value` string, not a mapping".into()),
                (10, 9, "a sync option is a `Name=value` string, but this is the number 5".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("write `CreateNamespace=true`"));
        assert_eq!(f[1].help.as_deref(), Some("write `- CreateNamespace=true` (with `=`, not `: `)"));
    }

    #[test]
    fn warns_where_an_option_has_no_effect() {
        let f = run(&SyncOptionInvalid, &app("      - Force=true\n"));
        assert_eq!(
            lines(&f),
            vec![(
                8,
                9,
                "`Force=true` has no effect in `spec.syncPolicy.syncOptions`; Argo CD reads it only from a resource's \
                 `argocd.argoproj.io/sync-options` annotation"
                    .into()
            )]
        );
        assert_eq!(f[0].severity, Severity::Warning);
        let src = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  annotations:\n    argocd.argoproj.io/sync-options: CreateNamespace=true\n";
        let f = run(&SyncOptionInvalid, src);
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].span.line, f[0].span.column, f[0].severity), (6, 38, Severity::Warning));
    }

    #[test]
    fn warns_on_namespace_metadata_without_create_namespace() {
        let meta = "    managedNamespaceMetadata:\n      labels: {team: web}\n";
        let f = run(&SyncOptionInvalid, &format!("{APP}      - PruneLast=true\n{meta}"));
        assert_eq!(
            lines(&f),
            vec![(
                9,
                5,
                "`managedNamespaceMetadata` has no effect without the `CreateNamespace=true` sync option".into()
            )]
        );
        assert_eq!(f[0].severity, Severity::Warning);
        assert!(run(&SyncOptionInvalid, &format!("{APP}      - CreateNamespace=true\n{meta}")).is_empty());
    }

    #[test]
    fn warns_on_contradicting_values_of_one_option() {
        let f = run(&SyncOptionInvalid, &app("      - Prune=false\n      - Prune=confirm\n      - Prune=false\n"));
        assert_eq!(
            lines(&f),
            vec![(9, 9, "`Prune=confirm` contradicts the earlier `Prune=false` in the same list".into())]
        );
        assert_eq!(f[0].severity, Severity::Warning);
        let src = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    argocd.argoproj.io/sync-options: ServerSideApply=true,ServerSideApply=false\n";
        assert_eq!(run(&SyncOptionInvalid, src).len(), 1);
    }

    #[test]
    fn points_at_the_item_inside_the_annotation() {
        let src = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  annotations:\n    argocd.argoproj.io/sync-options: \"Delete=false, prune=false\"\n";
        let f = run(&SyncOptionInvalid, src);
        assert_eq!(lines(&f), vec![(6, 53, "`prune=false` is not a sync option Argo CD knows; it is ignored".into())]);
        assert_eq!(f[0].help.as_deref(), Some("did you mean `Prune=false`? Option names are case-sensitive"));
        assert_eq!(f[0].span.len, "prune=false".len());
        let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    argocd.argoproj.io/sync-options: true\n";
        let f = run(&SyncOptionInvalid, src);
        assert_eq!(
            lines(&f),
            vec![(
                6,
                38,
                "`argocd.argoproj.io/sync-options` is the boolean true, but annotation values must be strings".into()
            )]
        );
    }

    #[test]
    fn accepts_every_documented_option() {
        let src = app(
            "      - CreateNamespace=true\n      - PruneLast=true\n      - Prune=confirm\n      - Delete=false\n      \
             - PrunePropagationPolicy=background\n      - ServerSideApply=true\n      - Replace=true\n      \
             - RespectIgnoreDifferences=true\n      - ApplyOutOfSyncOnly=true\n      - FailOnSharedResource=true\n      \
             - SkipDryRunOnMissingResource=true\n      - Validate=false\n      - ClientSideApplyMigration=false\n",
        );
        assert!(run(&SyncOptionInvalid, &src).is_empty());
        let src = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\n  annotations:\n    argocd.argoproj.io/sync-options: Force=true, Replace=true,Prune=false,Delete=confirm,ServerSideApply=false,Validate=false\n";
        assert!(run(&SyncOptionInvalid, src).is_empty());
        let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  syncOptions: CreateNamespace=yes\n";
        assert!(run(&SyncOptionInvalid, src).is_empty());
    }
}
