use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use crate::repo::kyaml::is_yaml11_bool_word;
use crate::report::Severity;
use crate::yaml::{Node, resolve_plain};

declare_rule! {
    /// ## What it does
    /// Finds unquoted values that YAML 1.1 (what Kubernetes and Argo CD use) reads differently from
    /// YAML 1.2 and from a human: `yes`, `no`, `on`, `off`, `y`, `n` are booleans; `0755` is the octal
    /// number 493; `1_000` is 1000.
    ///
    /// Kubernetes objects only (documents with `apiVersion` and `kind`). Files that Kustomize builds
    /// (resources and patches of a `kustomization.yaml`) are read as Kustomize reads them: `kustomize
    /// build` keeps `on`, `Off`, `yes` as strings (YAML 1.2) and sends them quoted, so those are not
    /// reported there; leading-zero numbers still are (kustomize reads `0644` as 420 too). File modes
    /// (`defaultMode: 0644`, `mode: 0600`) are octal on purpose and Kubernetes reads them as meant.
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
        // Kubernetes objects only: Ansible playbooks, Helm values and other YAML are read by other parsers.
        if doc.kind == DocKind::Other {
            return;
        }
        let mut path = Vec::new();
        walk(doc, doc.map.root(), &mut path, cx);
    }
}

/// Fields that hold file modes: `0644` there is the octal mode the author means, and Kubernetes reads it
/// as such (420).
fn file_mode(path: &[&str], text: &str) -> bool {
    matches!(path.last(), Some(&("defaultMode" | "mode" | "fileMode")))
        && text.len() > 1
        && text.starts_with('0')
        && text.bytes().all(|b| matches!(b, b'0'..=b'7'))
}

fn walk<'n>(doc: &Document, node: &'n Node, path: &mut Vec<&'n str>, cx: &mut Context<'_>) {
    match node {
        Node::Scalar { span, ambiguous: true, .. } => {
            let text = doc.file.text.get(span.offset..span.offset + span.len).unwrap_or("");
            // Kustomize reads YAML 1.2: the boolean words stay the strings they look like.
            let string_only = string_only(doc, path);
            if (doc.placement.role.read_by_kustomize() && is_yaml11_bool_word(text))
                || (file_mode(path, text) && !string_only)
            {
                return;
            }
            let value = resolve_plain(text).value.to_string();
            let f = cx.report_span(
                doc,
                span.clone(),
                format!("`{text}` is read by Kubernetes (YAML 1.1) as {value}, not as the text `{text}`"),
            );
            f.help = Some(format!("quote it (\"{text}\") if you mean the text, or write {value}"));
            if string_only {
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
    fn quiet_on_file_modes_and_non_kubernetes_yaml() {
        let src = "apiVersion: v1\nkind: Pod\nspec:\n  volumes:\n  - secret:\n      defaultMode: 0644\n      items:\n      - {key: a, path: a, mode: 0600}\n";
        assert!(run(&YamlAmbiguousValue, src).is_empty());
        assert!(run(&YamlAmbiguousValue, "- hosts: all\n  become: yes\n  mode: 0755\n").is_empty(), "Ansible");
        let port = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  port: 0755\n";
        assert_eq!(run(&YamlAmbiguousValue, port).len(), 1, "not a mode: still reported");
    }

    #[test]
    fn kustomize_resources_keep_boolean_words_as_strings() {
        use crate::model::{Placement, Role};
        use std::sync::Arc;
        let src = "apiVersion: autoscaling.k8s.io/v1\nkind: VerticalPodAutoscaler\nmetadata:\n  name: x\n  labels: {a: yes}\nspec:\n  updatePolicy: {updateMode: Off}\n  n: 0755\n";
        let mut doc = crate::lint::rules::testing::docs(src).remove(0);
        assert_eq!(crate::lint::rules::testing::run_doc(&YamlAmbiguousValue, &doc).len(), 3);
        doc.placement = Arc::new(Placement { role: Role::KustomizeResource, ..Placement::default() });
        let f = crate::lint::rules::testing::run_doc(&YamlAmbiguousValue, &doc);
        assert_eq!(
            lines(&f),
            vec![(8, 6, "`0755` is read by Kubernetes (YAML 1.1) as 493, not as the text `0755`".into())]
        );
    }

    #[test]
    fn quiet_on_quoted_and_plain_values() {
        let src =
            "metadata:\n  labels:\n    monitored: \"yes\"\nspec:\n  prune: true\n  replicas: 3\n  list: [a, 'no']\n";
        assert!(run(&YamlAmbiguousValue, src).is_empty());
    }
}
