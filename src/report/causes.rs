//! One finding per cause: when several rules report the very same node, the most specific one speaks.

use super::Finding;
use std::collections::HashMap;

/// How specific a rule's view of a node is: a YAML-level cause (the node is not what it looks like) comes
/// first, then the rules that know the field (lint, policies, ApplicationSet rules), then the generic
/// consequences: the schema's reading, and the controller's render error for a generator a rule already
/// explains (`appset-matrix-children` and "found less than two generators").
fn rank(rule: &str) -> u8 {
    if rule.starts_with("yaml-") {
        0
    } else if rule.starts_with("schema-") || rule == "appset-render-error" {
        2
    } else {
        1
    }
}

/// Drops a finding when another finding on the same node (same file and span) comes from a more specific
/// rule of at least the same severity: `yaml-unquoted-template` explains the `schema-type` "mapping, not
/// string" of the same `{{name}}`, `argo-kind-near-miss` the `schema-enum` of the same `kind`.
pub fn one_per_node(findings: &mut Vec<Finding>) {
    let mut best: HashMap<(&str, usize, usize), (u8, super::Severity)> = HashMap::new();
    for f in findings.iter().filter(|f| f.span.len > 0) {
        let key = (&*f.file, f.span.offset, f.span.len);
        let r = rank(&f.rule);
        best.entry(key)
            .and_modify(|b| {
                if r < b.0 || (r == b.0 && f.severity > b.1) {
                    *b = (r, f.severity);
                }
            })
            .or_insert((r, f.severity));
    }
    let drop: Vec<bool> = findings
        .iter()
        .map(|f| {
            f.span.len > 0
                && best
                    .get(&(&*f.file, f.span.offset, f.span.len))
                    .is_some_and(|&(r, sev)| r < rank(&f.rule) && sev >= f.severity)
        })
        .collect();
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    // The same rule on the same node once: the ApplicationSet's template and the Applications generated
    // from it share their nodes, and the template's own finding (not generated) says it for all of them.
    let mut seen: HashMap<(&str, usize, usize, &str), bool> = HashMap::new();
    for f in findings.iter().filter(|f| f.span.len > 0) {
        let own = f.generated.is_none();
        seen.entry((&*f.file, f.span.offset, f.span.len, f.rule.as_str())).and_modify(|o| *o |= own).or_insert(own);
    }
    let keep: Vec<bool> = findings
        .iter()
        .map(|f| {
            f.span.len == 0
                || f.generated.is_none()
                || !seen.get(&(&*f.file, f.span.offset, f.span.len, f.rule.as_str())).copied().unwrap_or(false)
        })
        .collect();
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Severity, Span};

    fn f(rule: &str, severity: Severity, offset: usize) -> Finding {
        Finding::new(rule, severity, "a.yaml".into(), Span { offset, len: 4, line: 1, column: 1 }, "m")
    }

    #[test]
    fn a_generated_copy_of_the_templates_own_finding_is_dropped() {
        let mut generated = f("schema-required", Severity::Error, 10);
        generated.generated = Some(crate::report::Generated { application: "a".into(), ..Default::default() });
        let mut v = vec![f("schema-required", Severity::Error, 10), generated.clone(), generated.clone()];
        v[2].span.offset = 20;
        one_per_node(&mut v);
        assert_eq!(v.len(), 2, "the template's own finding and the generated one elsewhere: {v:?}");
        assert!(v[0].generated.is_none() && v[1].span.offset == 20);
    }

    #[test]
    fn the_most_specific_rule_of_a_node_speaks() {
        let mut v = vec![
            f("schema-type", Severity::Error, 10),
            f("yaml-unquoted-template", Severity::Error, 10),
            f("schema-enum", Severity::Error, 20),
            f("argo-kind-near-miss", Severity::Error, 20),
            f("schema-type", Severity::Error, 30),
            f("yaml-ambiguous-value", Severity::Warning, 30),
            f("schema-required", Severity::Error, 40),
            f("appset-render-error", Severity::Error, 50),
            f("appset-matrix-children", Severity::Error, 50),
        ];
        one_per_node(&mut v);
        let left: Vec<(&str, usize)> = v.iter().map(|f| (f.rule.as_str(), f.span.offset)).collect();
        assert_eq!(
            left,
            [
                ("yaml-unquoted-template", 10),
                ("argo-kind-near-miss", 20),
                ("schema-type", 30),
                ("yaml-ambiguous-value", 30),
                ("schema-required", 40),
                ("appset-matrix-children", 50)
            ],
            "a warning does not silence an error on the same node"
        );
    }
}
