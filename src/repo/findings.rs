//! What the repository model changes in the findings of the other engines.

use super::templates::placeholder_in;
use crate::model::{DocKind, Document};
use crate::report::{Finding, Sources};
use std::collections::BTreeMap;

/// Rules that report something missing from a document: a partial document (a patch, a test assertion)
/// leaves out fields on purpose, so these stay quiet on it.
const ABSENCE_RULES: &[&str] = &[
    "schema-required",
    "app-source-missing",
    "app-destination-invalid",
    "app-name-invalid",
    "appset-template-name-missing",
    "project-destination-target",
];

/// Whether `rule` reports an absent field (see [`ABSENCE_RULES`]).
pub fn reports_absence(rule: &str) -> bool {
    ABSENCE_RULES.contains(&rule)
}

/// Drops findings about a value that holds a placeholder of another tool (`${NAME}`, `<CLUSTER_NAME>`):
/// whatever fills it in decides the value. YAML-level findings stay (a placeholder cannot mend the YAML).
pub fn drop_placeholder_findings(findings: &mut Vec<Finding>, sources: &Sources) {
    findings.retain(|f| {
        if f.rule.starts_with("yaml-") || f.span.len == 0 {
            return true;
        }
        let Some(src) = sources.get(&f.file) else {
            return true;
        };
        let text = src.text.get(f.span.offset..f.span.offset + f.span.len).unwrap_or("");
        placeholder_in(text).is_none()
    });
}

/// `project-denies-app` compares an Application with the only AppProject of its project's name in the
/// repository. When the repository shows that the two go to different Argo CD instances (each is deployed by
/// its own app-of-apps tree, and nothing unites them), that AppProject is another instance's: the finding is
/// dropped. Without such evidence the only AppProject of that name is taken for the one Argo CD uses.
pub fn scope_project_findings(findings: &mut Vec<Finding>, docs: &[Document], units: &super::Units) {
    let mut projects: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
    let mut apps: BTreeMap<(&str, &str), &Document> = BTreeMap::new();
    for d in docs {
        match d.kind {
            DocKind::AppProject => {
                if let Some(n) = d.name() {
                    projects.entry(n).or_default().push(d);
                }
            }
            DocKind::Application => {
                if let Some(n) = d.name() {
                    apps.entry((&d.file.path, n)).or_insert(d);
                }
            }
            _ => {}
        }
    }
    findings.retain(|f| {
        if f.rule != "policy/argocd/project-denies-app" {
            return true;
        }
        let Some(app) = f.name.as_deref().and_then(|n| apps.get(&(&*f.file, n))) else {
            return true;
        };
        let Some(project) = app.str_at("/spec/project").and_then(|p| projects.get(p)).and_then(|l| l.first()) else {
            return true;
        };
        !units.apart(&app.file.path, &project.file.path)
    });
}
