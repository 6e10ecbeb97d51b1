use super::support::{at, describe_non_string};
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks the paths of an Application's `spec.ignoreDifferences`: each `jsonPointers` entry must be an
    /// RFC 6901 JSON pointer, starting with `/` (`/spec/replicas`); a `jqPathExpressions` entry written as
    /// a JSON pointer is reported too.
    /// ## Why is this bad?
    /// Argo CD turns each pointer into a JSON-patch `remove` operation; one that does not start with `/`
    /// fails to apply and is skipped with only a debug log (argo-cd
    /// `util/argo/normalizers/diff_normalizer.go`), so the difference is not ignored and the Application
    /// stays OutOfSync. A JSON pointer given as a jq expression does not compile and breaks the comparison.
    /// ## Example
    /// ```yaml
    /// ignoreDifferences:
    ///   - group: apps
    ///     kind: Deployment
    ///     jsonPointers:
    ///       - spec/replicas
    ///       - .spec.template.metadata.annotations
    /// ```
    /// ## Use instead
    /// ```yaml
    /// ignoreDifferences:
    ///   - group: apps
    ///     kind: Deployment
    ///     jsonPointers:
    ///       - /spec/replicas
    ///     jqPathExpressions:
    ///       - .spec.template.metadata.annotations
    /// ```
    pub struct IgnoreDifferencesPointer {
        id: "ignore-differences-pointer-invalid", severity: Error, source: Lint,
        summary: "an ignoreDifferences JSON pointer does not start with `/` (or a jq path is a JSON pointer)",
    }
}

/// A jq-style path (`.spec.containers[0].image`) rewritten as a JSON pointer, when it is that simple.
fn jq_to_pointer(path: &str) -> Option<String> {
    let mut out = String::new();
    for part in path.strip_prefix('.')?.split('.') {
        let (name, index) = match part.split_once('[') {
            Some((n, rest)) => (n, Some(rest.strip_suffix(']')?)),
            None => (part, None),
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return None;
        }
        out.push('/');
        out.push_str(name);
        if let Some(i) = index {
            if i.is_empty() || !i.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            out.push('/');
            out.push_str(i);
        }
    }
    Some(out)
}

impl Rule for IgnoreDifferencesPointer {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Application {
            return;
        }
        let Some(entries) = at(&doc.value, &["spec", "ignoreDifferences"]).and_then(Value::as_array) else {
            return;
        };
        for (i, entry) in entries.iter().enumerate() {
            match entry.get("jsonPointers") {
                Some(Value::Array(pointers)) => {
                    for (j, p) in pointers.iter().enumerate() {
                        check_pointer(doc, cx, &|| format!("/spec/ignoreDifferences/{i}/jsonPointers/{j}"), p);
                    }
                }
                Some(Value::String(single)) => {
                    cx.report(
                        doc,
                        &format!("/spec/ignoreDifferences/{i}/jsonPointers"),
                        "`jsonPointers` must be a list of JSON pointers, not a single string",
                    )
                    .help = Some(format!("write it as a list: `jsonPointers: [{single}]`"));
                }
                _ => {}
            }
            if let Some(exprs) = entry.get("jqPathExpressions").and_then(Value::as_array) {
                for (j, e) in exprs.iter().enumerate() {
                    let Some(text) = e.as_str().filter(|t| t.starts_with('/')) else {
                        continue;
                    };
                    let jq: String = text.split('/').skip(1).map(|seg| format!(".{seg}")).collect();
                    cx.report(
                        doc,
                        &format!("/spec/ignoreDifferences/{i}/jqPathExpressions/{j}"),
                        format!(
                            "`{text}` in `jqPathExpressions` is a JSON pointer, not a jq path; Argo CD cannot compile \
                             it"
                        ),
                    )
                    .help = Some(format!("move it to `jsonPointers`, or write the jq path `{jq}`"));
                }
            }
        }
    }
}

fn check_pointer(doc: &Document, cx: &mut Context<'_>, pointer: &dyn Fn() -> String, value: &Value) {
    let text = match value {
        Value::String(s) if s.starts_with('/') || s.contains("{{") => return,
        Value::String(s) => s,
        other => {
            cx.report(
                doc,
                &pointer(),
                format!("a JSON pointer must be a string, but this is {}", describe_non_string(other)),
            )
            .help = Some("write a pointer such as `/spec/replicas`".into());
            return;
        }
    };
    if text.is_empty() {
        cx.report(doc, &pointer(), "an empty JSON pointer names the whole object; Argo CD cannot ignore that").help =
            Some("name a field, e.g. `/spec/replicas`, or remove the entry".into());
        return;
    }
    let help = if text.starts_with('.') {
        match jq_to_pointer(text) {
            Some(p) => format!("this is a jq path: write `{p}`, or move it to `jqPathExpressions`"),
            None => "this is a jq path: move it to `jqPathExpressions`".into(),
        }
    } else {
        format!("write `/{text}`")
    };
    cx.report(
        doc,
        &pointer(),
        format!(
            "`{text}` is not a JSON pointer (it must start with `/`); Argo CD skips it and the difference is not \
             ignored"
        ),
    )
    .help = Some(help);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  ignoreDifferences:\n    - group: apps\n      kind: Deployment\n";

    #[test]
    fn fires_on_pointers_without_leading_slash() {
        let src = format!(
            "{HEAD}      jsonPointers:\n        - spec/replicas\n        - .spec.template.spec.containers[0].image\n        - /spec/paused\n"
        );
        let f = run(&IgnoreDifferencesPointer, &src);
        assert_eq!(
            lines(&f),
            vec![
                (
                    10,
                    11,
                    "`spec/replicas` is not a JSON pointer (it must start with `/`); Argo CD skips it and the difference \
                     is not ignored"
                        .into()
                ),
                (
                    11,
                    11,
                    "`.spec.template.spec.containers[0].image` is not a JSON pointer (it must start with `/`); Argo CD \
                     skips it and the difference is not ignored"
                        .into()
                ),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("write `/spec/replicas`"));
        assert_eq!(
            f[1].help.as_deref(),
            Some(
                "this is a jq path: write `/spec/template/spec/containers/0/image`, or move it to `jqPathExpressions`"
            )
        );
    }

    #[test]
    fn fires_on_a_single_string_instead_of_a_list() {
        let src = format!("{HEAD}      jsonPointers: /spec/replicas\n");
        assert_eq!(
            lines(&run(&IgnoreDifferencesPointer, &src)),
            vec![(9, 21, "`jsonPointers` must be a list of JSON pointers, not a single string".into())]
        );
    }

    #[test]
    fn fires_on_pointer_in_jq_expressions() {
        let src = format!("{HEAD}      jqPathExpressions:\n        - /spec/replicas\n");
        let f = run(&IgnoreDifferencesPointer, &src);
        assert_eq!(
            lines(&f),
            vec![(
                10,
                11,
                "`/spec/replicas` in `jqPathExpressions` is a JSON pointer, not a jq path; Argo CD cannot compile it"
                    .into()
            )]
        );
        assert_eq!(f[0].help.as_deref(), Some("move it to `jsonPointers`, or write the jq path `.spec.replicas`"));
    }

    #[test]
    fn quiet_on_valid_pointers_and_jq_paths() {
        let src = format!(
            "{HEAD}      jsonPointers:\n        - /spec/replicas\n        - /metadata/annotations/a~1b\n      jqPathExpressions:\n        - .spec.replicas\n"
        );
        assert!(run(&IgnoreDifferencesPointer, &src).is_empty());
    }
}
