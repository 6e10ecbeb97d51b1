use super::*;
use crate::model::{Document, Meet, SourceFile};
use std::sync::Arc;

/// Files as (path, text); the structural ones are handed to the model as a caller would.
fn model_of(files: &[(&str, &str)]) -> (Model, Vec<Document>) {
    let paths: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
    let structural: BTreeMap<String, String> =
        files.iter().filter(|(p, _)| is_structural(p)).map(|(p, t)| (p.to_string(), t.to_string())).collect();
    let model = Model::build(&paths, &structural, &[], &[]);
    let mut docs = Vec::new();
    for (path, text) in files {
        if model.role(path).read_as() == crate::model::ReadAs::Skip {
            continue;
        }
        let file = Arc::new(SourceFile::new(*path, text.to_string()));
        for d in crate::yaml::load(text, &crate::yaml::Limits::default()).docs {
            docs.push(Document::new(file.clone(), d.index, d.value, d.map));
        }
    }
    (model, docs)
}

fn units_of(files: &[(&str, &str)]) -> Units {
    let (model, docs) = model_of(files);
    Units::compute(&model, &docs, &Local { roots: vec![String::new()], ..Local::default() }, &[])
}

const PROJECT: &str = "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: platform}\n";

fn app(name: &str, path: &str, server: &str) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {{name: {name}}}\nspec:\n  project: default\n  \
         source: {{repoURL: 'https://github.com/o/r.git', path: {path}}}\n  destination: {{server: '{server}'}}\n"
    )
}

#[test]
fn helm_charts_templates_values_and_crds() {
    let (m, _) = model_of(&[
        ("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n"),
        ("charts/web/values.yaml", "replicas: 1\n"),
        ("charts/web/values-prod.yaml", "replicas: 3\n"),
        ("charts/web/templates/deployment.yaml", "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"),
        ("charts/web/crds/crd.yaml", "kind: CustomResourceDefinition\n"),
        ("charts/web/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\n"),
        ("charts/web/charts/sub/templates/x.yaml", "x: {{ .Values.x }}\n"),
        ("apps/app.yaml", PROJECT),
    ]);
    assert_eq!(m.role("charts/web/Chart.yaml"), Role::HelmChart);
    assert_eq!(m.role("charts/web/values.yaml"), Role::HelmValues);
    assert_eq!(m.role("charts/web/values-prod.yaml"), Role::HelmValues);
    assert_eq!(m.role("charts/web/templates/deployment.yaml"), Role::HelmTemplate);
    assert_eq!(m.role("charts/web/crds/crd.yaml"), Role::Manifest);
    assert_eq!(m.role("charts/web/charts/sub/templates/x.yaml"), Role::HelmTemplate);
    assert_eq!(m.role("apps/app.yaml"), Role::Manifest);
}

#[test]
fn kustomize_roles_with_and_without_header() {
    for header in ["", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"] {
        let k = format!(
            "{header}resources: [../../base]\npatches:\n  - path: app-patch.yaml\nconfigMapGenerator:\n  - name: c\n    \
             files: [config.yaml]\n"
        );
        let (m, _) = model_of(&[
            ("base/kustomization.yaml", "resources: [app.yaml]\n"),
            ("base/app.yaml", PROJECT),
            ("overlays/prod/kustomization.yaml", &k),
            ("overlays/prod/app-patch.yaml", PROJECT),
            ("overlays/prod/config.yaml", "any: data\n"),
            ("overlays/prod/stray.yaml", PROJECT),
        ]);
        assert_eq!(m.role("base/app.yaml"), Role::KustomizeResource);
        assert_eq!(m.role("overlays/prod/app-patch.yaml"), Role::KustomizePatch);
        assert_eq!(m.role("overlays/prod/config.yaml"), Role::KustomizeInput);
        assert_eq!(m.role("overlays/prod/kustomization.yaml"), Role::Kustomization);
        assert_eq!(m.role("overlays/prod/stray.yaml"), Role::Manifest, "named by no build");
    }
}

#[test]
fn templates_fixtures_and_test_data() {
    let (m, _) = model_of(&[
        ("envs/app.ftl.yaml", PROJECT),
        ("ansible/app.j2.yaml", PROJECT),
        ("tests/e2e/app/00-assert.yaml", PROJECT),
        ("tests/e2e/app/00-install.yaml", PROJECT),
        ("pkg/x/testdata/broken.yaml", "a: [\n"),
    ]);
    assert_eq!(m.role("envs/app.ftl.yaml"), Role::Template("freemarker"));
    assert_eq!(m.role("ansible/app.j2.yaml"), Role::Template("jinja"));
    assert_eq!(m.role("tests/e2e/app/00-assert.yaml"), Role::Fixture("kuttl"));
    assert_eq!(m.role("tests/e2e/app/00-install.yaml"), Role::Manifest);
    assert_eq!(m.role("pkg/x/testdata/broken.yaml"), Role::TestData);
}

#[test]
fn test_data_directories_count_below_the_named_paths_only() {
    let files = vec!["tests/fixtures/app/app.yaml".to_string(), "tests/fixtures/app/testdata/x.yaml".to_string()];
    let m = Model::build(&files, &BTreeMap::new(), &[], &["tests/fixtures/app".to_string()]);
    assert_eq!(m.role("tests/fixtures/app/app.yaml"), Role::Manifest, "the user asked for this fixture");
    assert_eq!(m.role("tests/fixtures/app/testdata/x.yaml"), Role::TestData);
    let named = Model::build(&files[..1], &BTreeMap::new(), &[], &files[..1]);
    assert_eq!(named.role("tests/fixtures/app/app.yaml"), Role::Manifest, "a file named on the command line");
    let m = Model::build(&files, &BTreeMap::new(), &[], &["tests".to_string()]);
    assert_eq!(m.role("tests/fixtures/app/app.yaml"), Role::TestData);
}

#[test]
fn environment_directories_never_meet() {
    let u = units_of(&[("clusters/dev/project.yaml", PROJECT), ("clusters/prod/project.yaml", PROJECT)]);
    assert_eq!(u.meets("clusters/dev/project.yaml", "clusters/prod/project.yaml"), None);
}

#[test]
fn one_directory_is_weak_evidence_and_an_application_makes_it_strong() {
    let files = [("apps/a.yaml", PROJECT), ("apps/b.yaml", PROJECT)];
    assert_eq!(units_of(&files).meets("apps/a.yaml", "apps/b.yaml"), Some(Meet::Directory));
    let root = app("root", "apps", "https://kubernetes.default.svc");
    let u = units_of(&[files[0], files[1], ("bootstrap/root.yaml", &root)]);
    assert_eq!(u.meets("apps/a.yaml", "apps/b.yaml"), Some(Meet::Unit));
    assert_eq!(u.meets("bootstrap/root.yaml", "apps/a.yaml"), Some(Meet::Unit), "in-cluster: one Argo CD");
    assert_eq!(u.deploys.len(), 1);
}

#[test]
fn app_of_apps_joins_what_in_cluster_children_deploy_but_not_remote_ones() {
    let root = app("root", "apps", "https://kubernetes.default.svc");
    let projects = app("projects", "projects", "https://kubernetes.default.svc");
    let remote = app("remote", "remote", "https://10.0.0.1");
    let u = units_of(&[
        ("bootstrap/root.yaml", &root),
        ("apps/projects.yaml", &projects),
        ("apps/remote.yaml", &remote),
        ("projects/platform.yaml", PROJECT),
        ("remote/platform.yaml", PROJECT),
    ]);
    assert_eq!(u.meets("bootstrap/root.yaml", "projects/platform.yaml"), Some(Meet::Unit));
    assert_eq!(u.meets("projects/platform.yaml", "remote/platform.yaml"), None, "a remote cluster's objects");
}

#[test]
fn overlays_sharing_a_base_are_separate_builds() {
    let u = units_of(&[
        ("base/kustomization.yaml", "resources: [project.yaml]\n"),
        ("base/project.yaml", PROJECT),
        ("overlays/dev/kustomization.yaml", "resources: [../../base, extra.yaml]\n"),
        ("overlays/dev/extra.yaml", PROJECT),
        ("overlays/prod/kustomization.yaml", "resources: [../../base, extra.yaml]\n"),
        ("overlays/prod/extra.yaml", PROJECT),
    ]);
    assert_eq!(u.meets("base/project.yaml", "overlays/dev/extra.yaml"), Some(Meet::Unit));
    assert_eq!(u.meets("overlays/dev/extra.yaml", "overlays/prod/extra.yaml"), None);
}

#[test]
fn sources_of_another_repository_deploy_nothing_here() {
    let root = app("root", "apps", "https://kubernetes.default.svc");
    let (model, docs) = model_of(&[("bootstrap/root.yaml", &root), ("apps/a.yaml", PROJECT)]);
    let local = Local {
        roots: vec![String::new()],
        urls: BTreeSet::from(["github.com/other/repo".to_string()]),
        normalize: Some(|u: &str| u.trim_start_matches("https://").trim_end_matches(".git").to_string()),
    };
    let u = Units::compute(&model, &docs, &local, &[]);
    assert!(u.deploys.is_empty());
    assert_eq!(u.meets("bootstrap/root.yaml", "apps/a.yaml"), None);
    let local = Local { urls: BTreeSet::from(["github.com/o/r".to_string()]), ..local };
    assert_eq!(
        Units::compute(&model, &docs, &local, &[]).meets("bootstrap/root.yaml", "apps/a.yaml"),
        Some(Meet::Unit)
    );
}

#[test]
fn directory_recurse_belongs_to_its_own_source() {
    let app = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: two}\nspec:\n  sources:\n  \
               - {repoURL: 'https://github.com/o/r.git', path: a, directory: {recurse: true}}\n  \
               - {repoURL: 'https://github.com/o/r.git', path: b}\n  destination: {server: 'https://10.0.0.1'}\n";
    let u = units_of(&[
        ("apps/two.yaml", app),
        ("a/x.yaml", PROJECT),
        ("a/sub/y.yaml", PROJECT),
        ("b/x.yaml", PROJECT),
        ("b/sub/y.yaml", PROJECT),
    ]);
    assert_eq!(u.meets("a/x.yaml", "a/sub/y.yaml"), Some(Meet::Unit), "a recurses");
    assert_eq!(u.meets("b/x.yaml", "b/sub/y.yaml"), None, "b does not");
}
