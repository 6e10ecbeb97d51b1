//! The repository model: what each file is, and which objects end up in the same place.
//!
//! A GitOps repository is not a pile of manifests applied as written into one cluster. It holds Helm charts
//! (whose `templates/` are Go templates), Kustomize builds (whose patches are partial objects and whose
//! resources kustomize reads as YAML 1.2), templates of other tools, test fixtures, and the same objects
//! once per environment or cluster. This module gives every file a [`Role`] ([`Model::build`]), which
//! decides how it is read, and groups files into deployment units ([`Model::units`]), from evidence: one
//! file, one Kustomize build, the path an Argo CD Application deploys (and, through app-of-apps, what its
//! children deploy), units declared in `.argovet.yaml`, and, as weaker evidence, one directory. Rules that
//! compare objects compare them only where they meet.
//!
//! No I/O: the caller passes the file list and the texts of the structural files ([`is_structural`]).

mod findings;
pub mod kustomize;
pub mod kyaml;
pub mod paths;
mod templates;
mod units;

pub use findings::{drop_placeholder_findings, reports_absence, scope_project_findings};
pub use templates::{placeholder_in, template_marker};
pub use units::{Deploy, Evidence, Local, Unit, Units};

use crate::model::Role;
use crate::yaml::{Limits, load};
use kustomize::Kustomization;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A role declared in `.argovet.yaml` for the files a glob matches.
#[derive(Debug, Clone)]
pub struct DeclaredRole {
    /// The glob, relative to the configuration's directory.
    pub glob: globset::GlobMatcher,
    /// The role.
    pub role: Role,
}

/// Whether argovet needs the text of `path` to build the model: kustomizations and `Chart.yaml`.
pub fn is_structural(path: &str) -> bool {
    let name = paths::file_name(path);
    kustomize::is_kustomization_name(name) || name == "Chart.yaml"
}

/// The roles of a repository's files and its Kustomize builds.
#[derive(Debug, Clone, Default)]
pub struct Model {
    roles: BTreeMap<String, Role>,
    /// Kustomizations by directory.
    builds: BTreeMap<String, Kustomization>,
    /// Directories holding a `Chart.yaml`.
    charts: BTreeSet<String>,
}

impl Model {
    /// Gives every file of `files` a role. `structural` holds the texts of the structural files
    /// ([`is_structural`]) among `files` and around them (a `Kustomization` without extension, the `Chart.yaml`
    /// above a file named on the command line); `declared` overrides the rest, first match wins.
    ///
    /// `scopes` are the paths the user named (files or directories): directory names that mark test data
    /// (`testdata/`, `fixtures/`) count only below them, so `argovet check tests/fixtures/app` reads the
    /// fixture the user asked for.
    pub fn build(
        files: &[String],
        structural: &BTreeMap<String, String>,
        declared: &[DeclaredRole],
        scopes: &[String],
    ) -> Model {
        let mut model = Model::default();
        // Kustomizations are parsed on all threads: a platform repository has a thousand of them.
        let parsed: Vec<(String, Option<Kustomization>)> = structural
            .par_iter()
            .map(|(path, text)| {
                let name = paths::file_name(path);
                let dir = paths::parent(path).to_string();
                if name == "Chart.yaml" {
                    (dir, None)
                } else {
                    let loaded = load(text, &Limits::default());
                    let value = loaded.docs.into_iter().next().map(|d| d.value).unwrap_or_default();
                    (dir, Some(kustomize::read(path, &value)))
                }
            })
            .collect();
        // kustomize takes the first of kustomization.yaml, kustomization.yml, Kustomization.
        let rank = |k: &Kustomization| match paths::file_name(&k.file) {
            "kustomization.yaml" => 0,
            "kustomization.yml" => 1,
            _ => 2,
        };
        for (dir, k) in parsed {
            match k {
                None => {
                    model.charts.insert(dir);
                }
                Some(k) => match model.builds.get(&dir) {
                    Some(old) if rank(old) <= rank(&k) => {}
                    _ => {
                        model.builds.insert(dir, k);
                    }
                },
            }
        }
        let mut kustomize_roles: BTreeMap<String, Role> = BTreeMap::new();
        for k in model.builds.values() {
            // A file that is a resource anywhere is a whole object; a patch is partial; an input is data.
            let rank = |r: Role| match r {
                Role::KustomizeResource => 3,
                Role::KustomizePatch => 2,
                _ => 1,
            };
            let mut put = |p: &String, role: Role| {
                let old = kustomize_roles.get(p).copied();
                if old.is_none_or(|o| rank(o) < rank(role)) {
                    kustomize_roles.insert(p.clone(), role);
                }
            };
            for r in &k.resources {
                put(r, Role::KustomizeResource);
            }
            for p in &k.patches {
                put(p, Role::KustomizePatch);
            }
            for i in &k.inputs {
                put(i, Role::KustomizeInput);
            }
        }
        for f in files {
            let role = declared
                .iter()
                .find(|d| d.glob.is_match(f))
                .map(|d| d.role)
                .unwrap_or_else(|| model.infer(f, below_scope(f, scopes), &kustomize_roles));
            model.roles.insert(f.clone(), role);
        }
        model
    }

    fn infer(&self, path: &str, relative: &str, kustomize_roles: &BTreeMap<String, Role>) -> Role {
        let name = paths::file_name(path);
        // Test data and generated or vendored copies: Go's `testdata/`, fixtures of test suites, CUE's
        // generated `cue.mod/gen/`.
        let dirs = paths::parent(relative);
        if dirs.split('/').any(|c| matches!(c, "testdata" | "fixtures" | "test-fixtures" | "__fixtures__"))
            || relative.contains("cue.mod/gen/")
        {
            return Role::TestData;
        }
        if let Some(chart) = self.chart_of(path) {
            let rel = path.strip_prefix(chart).map(|r| r.trim_start_matches('/')).unwrap_or(path);
            return if rel.starts_with("templates/") {
                Role::HelmTemplate
            } else if rel.starts_with("crds/") {
                Role::Manifest
            } else if rel == "Chart.yaml" || rel == "Chart.lock" {
                Role::HelmChart
            } else {
                Role::HelmValues
            };
        }
        if kustomize::is_kustomization_name(name) {
            return Role::Kustomization;
        }
        if let Some(tool) = templates::tool_by_name(name) {
            return Role::Template(tool);
        }
        if let Some(tool) = fixture_by_name(relative) {
            return Role::Fixture(tool);
        }
        kustomize_roles.get(path).copied().unwrap_or(Role::Manifest)
    }

    /// The deepest chart directory holding `path`.
    fn chart_of(&self, path: &str) -> Option<&str> {
        let mut dir = paths::parent(path);
        loop {
            if self.charts.contains(dir) {
                return self.charts.get(dir).map(String::as_str);
            }
            if dir.is_empty() {
                return None;
            }
            dir = paths::parent(dir);
        }
    }

    /// The role of `path` (a manifest when the file is not part of the model).
    pub fn role(&self, path: &str) -> Role {
        self.roles.get(path).copied().unwrap_or_default()
    }

    /// Changes the role of `path` (for roles only the file's contents reveal).
    pub fn set_role(&mut self, path: &str, role: Role) {
        self.roles.insert(path.to_string(), role);
    }

    /// Every file with its role, in path order.
    pub fn roles(&self) -> impl Iterator<Item = (&str, Role)> {
        self.roles.iter().map(|(p, r)| (p.as_str(), *r))
    }

    /// The Kustomize builds, by directory.
    pub fn builds(&self) -> &BTreeMap<String, Kustomization> {
        &self.builds
    }

    /// Whether `dir` is a Helm chart.
    pub fn is_chart(&self, dir: &str) -> bool {
        self.charts.contains(dir)
    }
}

/// `path` relative to the deepest of `scopes` that holds it (itself when none does).
fn below_scope<'p>(path: &'p str, scopes: &[String]) -> &'p str {
    if scopes.iter().any(|s| s == path) {
        return paths::file_name(path);
    }
    scopes
        .iter()
        .map(|s| s.trim_end_matches('/'))
        .filter(|s| !s.is_empty() && *s != "." && paths::is_under(path, s))
        .max_by_key(|s| s.len())
        .and_then(|s| path.get(s.len() + 1..))
        .unwrap_or(path)
}

/// A file's role once its text is known: a file that is not valid YAML but holds template markers is a
/// template of another tool (Helm files outside a chart, Ansible or Jinja templates); so is a file whose
/// objects are named by placeholders (`name: <CLUSTER_NAME>-argocd`, `name: ${APP}`, `name: {{ .name }}`
/// outside an ApplicationSet).
pub fn role_from_contents(role: Role, text: &str, loaded: &crate::yaml::Loaded) -> Role {
    if !matches!(role, Role::Manifest | Role::KustomizeResource | Role::HelmValues) {
        return role;
    }
    let broken = loaded
        .issues
        .iter()
        .any(|i| matches!(i.kind, crate::yaml::IssueKind::Syntax | crate::yaml::IssueKind::UnquotedTemplate));
    // In an Argo CD file, `{{ }}` are Argo CD's own (ApplicationSet templates): unquoted, they are the mistake
    // `yaml-unquoted-template` reports, not another tool's template — unless Helm's objects and functions
    // say the file is a Helm template kept outside a chart.
    if broken && let Some(tool) = template_marker(text) {
        let argo_own = tool == "go template"
            && text.contains("argoproj.io")
            && ![".Values.", ".Release.", ".Chart.", ".Capabilities.", "include \"", "template \"", "tpl "]
                .iter()
                .any(|m| text.contains(m));
        if !argo_own {
            return Role::Template(tool);
        }
    }
    if role == Role::HelmValues {
        return role;
    }
    for d in &loaded.docs {
        if d.value.get("kind").and_then(serde_json::Value::as_str) == Some("ApplicationSet") {
            continue;
        }
        let meta = d.value.get("metadata");
        for field in ["name", "namespace"] {
            if let Some(v) = meta.and_then(|m| m.get(field)).and_then(serde_json::Value::as_str)
                && let Some(tool) = placeholder_in(v).or_else(|| v.contains("{{").then_some("go template"))
            {
                return Role::Template(tool);
            }
        }
    }
    role
}

/// kuttl's test steps name their assertions `NN-assert*.yaml` and `NN-errors*.yaml`; chainsaw's
/// conventional names are `*assert*.yaml`/`*error*.yaml` beside a `chainsaw-test.yaml`.
fn fixture_by_name(path: &str) -> Option<&'static str> {
    let name = paths::file_name(path);
    let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let rest = &stem[digits..];
        if rest.starts_with("-assert") || rest.starts_with("-errors") {
            return Some("kuttl");
        }
    }
    if name == "chainsaw-test.yaml" || name == "chainsaw-test.yml" || name == "kuttl-test.yaml" {
        return Some(if name.starts_with("kuttl") { "kuttl" } else { "chainsaw" });
    }
    // kubebuilder and operator-sdk scaffold `config/samples/` with empty specs for the user to fill in.
    if path.contains("config/samples/") {
        return Some("kubebuilder sample");
    }
    None
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod content_tests {
    use super::*;

    fn role_of(text: &str) -> Role {
        role_from_contents(Role::Manifest, text, &load(text, &Limits::default()))
    }

    #[test]
    fn broken_yaml_with_markers_is_a_template_unless_argo_cd_owns_the_braces() {
        assert_eq!(role_of("kind: Deployment\nmetadata:\n  name: {{ .Values.name }}\n"), Role::Template("go template"));
        assert_eq!(role_of("{% if x %}\na: 1\n{% endif %}\n"), Role::Template("jinja"));
        let set = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nspec:\n  template:\n    metadata:\n      name: {{name}}\n";
        assert_eq!(role_of(set), Role::Manifest, "yaml-unquoted-template is the finding here");
        assert_eq!(role_of(&set.replace("ApplicationSet", "Applicationset")), Role::Manifest, "a misspelt kind too");
        let helm = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {{ .Values.name }}\n";
        assert_eq!(role_of(helm), Role::Template("go template"), "a Helm template outside a chart");
        assert_eq!(role_of("kind: Deployment\nmetadata:\n  name: [broken\n"), Role::Manifest, "plain broken YAML");
    }

    #[test]
    fn placeholder_names_make_a_template() {
        let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: <CLUSTER_NAME>-argocd\n";
        assert_eq!(role_of(app), Role::Template("placeholder"));
        assert_eq!(role_of("kind: ConfigMap\nmetadata: {name: x}\ndata: {script: 'echo ${HOME}'}\n"), Role::Manifest);
    }
}
