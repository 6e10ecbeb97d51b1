use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;
use crate::report::Severity;
use crate::yaml::{Node, resolve_plain};

declare_rule! {
    /// ## What it does
    /// Finds unquoted values that YAML 1.1 (what Kubernetes and Argo CD use) reads differently from
    /// YAML 1.2 and from a human: `yes`, `no`, `on`, `off`, `y`, `n` are booleans; `0755` is the octal
    /// number 493; `1_000` is 1000.
    /// ## Why is this bad?
    /// Where a string is meant (labels, annotations, ConfigMap data, env values) Kubernetes rejects the
    /// boolean or number, or a typed field silently receives `"true"` or `"493"`. Elsewhere, tools that
    /// read YAML 1.2 disagree with the cluster about the value. Reported as an error in string-only
    /// fields, a warning elsewhere.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     monitored: yes
    /// data:
    ///   mode: 0755
    /// ```
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     monitored: "yes"
    /// data:
    ///   mode: "0755"
    /// ```
    pub struct YamlAmbiguousValue {
        id: "yaml-ambiguous-value", severity: Warning, source: Lint,
        summary: "an unquoted yes/no/on/off or leading-zero number that YAML 1.1 reads differently",
    }
}

impl Rule for YamlAmbiguousValue {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        let mut path = Vec::new();
        walk(doc, doc.map.root(), &mut path, cx);
    }
}

fn walk<'n>(doc: &Document, node: &'n Node, path: &mut Vec<&'n str>, cx: &mut Context<'_>) {
    match node {
        Node::Scalar { span, ambiguous: true, .. } => {
            let text = doc.file.text.get(span.offset..span.offset + span.len).unwrap_or("");
            let value = resolve_plain(text).value.to_string();
            let f = cx.report_span(
                doc,
                span.clone(),
                format!("`{text}` is read by Kubernetes (YAML 1.1) as {value}, not as the text `{text}`"),
            );
            f.help = Some(format!("quote it (\"{text}\") if you mean the text, or write {value}"));
            if string_only(doc, path) {
                f.severity = Severity::Error;
                f.message.push_str("; this field only accepts strings");
            }
        }
        Node::Scalar { .. } => {}
        Node::Map { entries, .. } => {
            for e in entries {
                path.push(&e.key);
                walk(doc, &e.value, path, cx);
                path.pop();
            }
        }
        Node::Seq { items, .. } => {
            for item in items {
                path.push(ITEM);
                walk(doc, item, path, cx);
                path.pop();
            }
        }
    }
}

/// The path segment standing for "an item of a sequence".
const ITEM: &str = "[]";

fn string_only(doc: &Document, path: &[&str]) -> bool {
    match path {
        ["metadata", "labels" | "annotations", _] => true,
        ["data" | "stringData", _] => matches!(doc.kind_name(), Some("ConfigMap" | "Secret")),
        [.., "env", ITEM, "value"] => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    #[test]
    fn fires_on_yaml11_booleans_and_octal() {
        let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    monitored: yes\ndata:\n  mode: 0755\nother: off\n";
        let f = run(&YamlAmbiguousValue, src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 16, "`yes` is read by Kubernetes (YAML 1.1) as true, not as the text `yes`; this field only accepts strings".into()),
                (8, 9, "`0755` is read by Kubernetes (YAML 1.1) as 493, not as the text `0755`; this field only accepts strings".into()),
                (9, 8, "`off` is read by Kubernetes (YAML 1.1) as false, not as the text `off`".into()),
            ]
        );
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[2].severity, Severity::Warning);
    }

    #[test]
    fn quiet_on_quoted_and_plain_values() {
        let src =
            "metadata:\n  labels:\n    monitored: \"yes\"\nspec:\n  prune: true\n  replicas: 3\n  list: [a, 'no']\n";
        assert!(run(&YamlAmbiguousValue, src).is_empty());
    }
}
