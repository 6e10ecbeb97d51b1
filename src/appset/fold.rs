//! One cause, one finding: the same finding on many Applications generated from one template node is
//! reported once, at that node, with how many of the set's Applications have it and which.

use super::rules::AppsetUndefinedParam;
use crate::model::Document;
use crate::report::Finding;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// How many names a folded message shows.
const SHOWN: usize = 3;

/// Folds the findings on generated Applications (`Finding::generated`) that share a file, position, rule and
/// ApplicationSet into one: the first in the controller's order, with the highest severity of the group, its
/// message followed by `(in N of M generated Applications, e.g. a, b, c)`, and `generated.applications`/`total`
/// filled in. Other findings, and findings on a single Application, are returned unchanged. `docs` must hold
/// the generated Applications (they give the order and the totals). The result is in a deterministic order
/// whatever the order of `findings`.
///
/// Before folding, a finding on a generated Application at a template node where `appset-undefined-param`
/// fires (when `enabled` says that rule is on) is dropped: what the node renders to (`<no value>`, a name
/// that is not a DNS name) is that one cause.
pub fn fold_generated(findings: Vec<Finding>, docs: &[Document], enabled: &dyn Fn(&str) -> bool) -> Vec<Finding> {
    let undefined_at: std::collections::HashSet<(Arc<str>, u32, u32)> = if enabled(AppsetUndefinedParam::INFO.id) {
        findings
            .iter()
            .filter(|f| f.rule == AppsetUndefinedParam::INFO.id)
            .map(|f| (f.file.clone(), f.span.line, f.span.column))
            .collect()
    } else {
        Default::default()
    };
    let findings = findings
        .into_iter()
        .filter(|f| f.generated.is_none() || !undefined_at.contains(&(f.file.clone(), f.span.line, f.span.column)));
    // (file, ApplicationSet) -> generator elements (one per Application) in the controller's order.
    let mut order: HashMap<(&str, &str), HashMap<&str, usize>> = HashMap::new();
    for d in docs {
        let Some(g) = &d.generated else { continue };
        let elements = order.entry((&*d.file.path, g.appset.as_str())).or_default();
        let next = elements.len();
        elements.entry(g.element.as_str()).or_insert(next);
    }
    type Key = (String, u32, u32, String, String);
    let mut groups: BTreeMap<Key, Vec<Finding>> = BTreeMap::new();
    let mut out = Vec::new();
    for f in findings {
        match &f.generated {
            Some(g) => {
                let key = (f.file.to_string(), f.span.line, f.span.column, f.rule.clone(), g.appset.clone());
                groups.entry(key).or_default().push(f);
            }
            None => out.push(f),
        }
    }
    for ((file, _, _, _, appset), mut group) in groups {
        let rank = order.get(&(file.as_str(), appset.as_str()));
        let position = |f: &Finding| {
            let element = f.generated.as_ref().map_or("", |g| g.element.as_str());
            rank.and_then(|r| r.get(element)).copied().unwrap_or(usize::MAX)
        };
        group.sort_by(|a, b| (position(a), a.sort_key()).cmp(&(position(b), b.sort_key())));
        // One entry per Application (told apart by element: names may collide).
        let mut elements: Vec<&str> = Vec::new();
        let mut apps: Vec<String> = Vec::new();
        for g in group.iter().filter_map(|f| f.generated.as_ref()) {
            if !elements.contains(&g.element.as_str()) {
                elements.push(&g.element);
                apps.push(g.application.clone());
            }
        }
        if apps.len() < 2 {
            out.extend(group);
            continue;
        }
        let total = rank.map_or(0, HashMap::len).max(apps.len());
        let same_message = group.iter().all(|f| f.message == group[0].message);
        let severity = group.iter().map(|f| f.severity).max().unwrap_or(group[0].severity);
        let mut folded = group.swap_remove(0);
        folded.severity = severity;
        let names = if apps.len() > SHOWN { format!("e.g. {}", apps[..SHOWN].join(", ")) } else { apps.join(", ") };
        let sep = if apps.len() > SHOWN { ", " } else { ": " };
        let shown_for = if same_message { String::new() } else { format!("shown for `{}`; ", apps[0]) };
        folded.base_message = Some(folded.message.clone());
        folded.message =
            format!("{} ({shown_for}in {} of {total} generated Applications{sep}{names})", folded.message, apps.len());
        if let Some(g) = &mut folded.generated {
            g.applications = apps;
            g.total = Some(total);
        }
        out.push(folded);
    }
    crate::report::sort_findings(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::appset::{CheckInputs, Inputs, check::Owners, expand_all_for_check};
    use crate::lint::rules::testing::docs;
    use crate::report::Severity;

    /// A set of `n` Applications and, for each, what `f` says about it.
    fn scene(n: usize, f: impl Fn(&Document) -> Option<Finding>) -> (Vec<Document>, Vec<Finding>) {
        let elements: String = (0..n).map(|i| format!("      - env: e{i}\n")).collect();
        let src = format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {{name: s, namespace: argocd}}\nspec:\n  \
             generators:\n  - list:\n      elements:\n{elements}  template:\n    metadata: {{name: 'app-{{{{env}}}}'}}\n    \
             spec:\n      project: p\n      destination: {{namespace: '{{{{env}}}}', server: 'https://x'}}\n"
        );
        let d = docs(&src);
        let inputs = CheckInputs {
            clusters: &[],
            clusters_given: false,
            base: Inputs::default(),
            repo_for: None,
            strict_inputs: false,
            owners: Owners::all(),
        };
        let (generated, engine) = expand_all_for_check(&d, &inputs);
        assert!(engine.is_empty(), "{engine:?}");
        let findings = generated.iter().rev().filter_map(f).collect();
        let mut all = d;
        all.extend(generated);
        (all, findings)
    }

    #[test]
    fn one_finding_per_template_node_with_the_count_and_the_first_names_in_controller_order() {
        let (docs, findings) = scene(12, |d| {
            let ns = d.get("/spec/destination/namespace")?.as_str()?.to_string();
            let sev = if ns == "e7" { Severity::Error } else { Severity::Warning };
            (ns != "e0").then(|| d.finding("x-rule", sev, "/spec/destination/namespace", "namespace looks odd"))
        });
        assert_eq!(findings.len(), 11);
        let out = fold_generated(findings, &docs, &|_| true);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(
            out[0].message,
            "namespace looks odd (in 11 of 12 generated Applications, e.g. app-e1, app-e2, app-e3)"
        );
        assert_eq!(out[0].severity, Severity::Error, "the worst of the group");
        let g = out[0].generated.as_ref().unwrap();
        assert_eq!(g.application, "app-e1");
        assert_eq!(g.applications.len(), 11);
        assert_eq!(g.applications[10], "app-e11");
        assert_eq!(g.total, Some(12));
    }

    #[test]
    fn differing_messages_say_whose_is_shown_and_single_findings_stay_as_they_are() {
        let (docs, findings) = scene(3, |d| {
            let name = d.name()?.to_string();
            Some(d.finding("y-rule", Severity::Warning, "/metadata/name", format!("`{name}` is odd")))
        });
        let mut more = findings.clone();
        let lone = docs.iter().find(|d| d.name() == Some("app-e2")).unwrap();
        more.push(lone.finding("z-rule", Severity::Info, "/spec/project", "only here"));
        let plain = Finding::new("w-rule", Severity::Info, "other.yaml".into(), Default::default(), "plain");
        more.push(plain.clone());
        let out = fold_generated(more, &docs, &|_| true);
        let msgs: Vec<&str> = out.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            msgs,
            vec![
                "plain",
                "`app-e0` is odd (shown for `app-e0`; in 3 of 3 generated Applications: app-e0, app-e1, app-e2)",
                "only here"
            ]
        );
        let lone_out = out.iter().find(|f| f.rule == "z-rule").unwrap();
        assert_eq!(lone_out.generated.as_ref().map(|g| (g.applications.len(), g.total)), Some((0, None)));
        // At a node where appset-undefined-param fires, findings on the generated Applications are its
        // consequence (unless that rule is off).
        let set = docs.iter().find(|d| d.generated.is_none()).unwrap();
        let mut with_cause = findings.clone();
        with_cause.push(set.finding(
            "appset-undefined-param",
            Severity::Error,
            "/spec/template/metadata/name",
            "cause",
        ));
        let out = fold_generated(with_cause.clone(), &docs, &|_| true);
        assert_eq!(out.iter().map(|f| f.message.as_str()).collect::<Vec<_>>(), vec!["cause"]);
        let out = fold_generated(with_cause, &docs, &|r| r != "appset-undefined-param");
        assert_eq!(out.len(), 2);
        // Independent of input order.
        let mut reversed = findings;
        reversed.reverse();
        assert_eq!(fold_generated(reversed, &docs, &|_| true)[0].message, out[1].message);
    }
}
