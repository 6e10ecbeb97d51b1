//! Expansion tests. Expected outputs come from Argo CD's generator documentation
//! (docs/operator-manual/applicationset/Generators-*.md) and generator behaviour
//! (applicationset/generators/*.go); git generators read real repositories built with git2.

use super::*;
use crate::workspace::git::GitRepos;
use serde_json::json;
use std::path::Path;

fn yaml(src: &str) -> Value {
    let l = crate::yaml::load(src, &crate::yaml::Limits::default());
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    l.docs.into_iter().next().map(|d| d.value).unwrap_or(Value::Null)
}

fn names(ex: &Expansion) -> Vec<String> {
    ex.apps.iter().map(|a| a.name().to_string()).collect()
}

fn ok(ex: &Expansion) {
    assert!(ex.errors.is_empty(), "unexpected errors: {:?}", ex.errors);
}

/// A git repository in a temp dir with `files` committed (and optional tags on that commit).
pub(crate) fn git_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    commit(dir.path(), files, "first");
    dir
}

/// Writes `files` (replacing the working tree's tracked content) and commits them; returns the SHA.
pub(crate) fn commit(root: &Path, files: &[(&str, &str)], message: &str) -> String {
    let repo = git2::Repository::open(root).or_else(|_| git2::Repository::init(root)).unwrap();
    for (p, content) in files {
        let full = root.join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, content).unwrap();
    }
    let mut index = repo.index().unwrap();
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
    index.update_all(["*"], None).unwrap();
    index.write().unwrap();
    let tree_id = index.write_tree().unwrap();
    let tree = repo.find_tree(tree_id).unwrap();
    let sig = git2::Signature::now("argovet", "argovet@example.com").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
    repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &parents).unwrap().to_string()
}

fn tag(root: &Path, name: &str) {
    let repo = git2::Repository::open(root).unwrap();
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    repo.tag_lightweight(name, head.as_object(), false).unwrap();
}

fn with_repo(url: &str, dir: &Path) -> GitRepos {
    let mut r = GitRepos::new();
    r.map(url, dir.to_path_buf());
    r
}

const REPO: &str = "https://github.com/argoproj/argo-cd.git";

// ---------------------------------------------------------------- list (Generators-List.md)

#[test]
fn list_generator_renders_the_documented_guestbook_example() {
    let set = yaml(
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: guestbook, namespace: argocd}\nspec:\n  generators:\n  - list:\n      elements:\n      - {cluster: engineering-dev, url: 'https://kubernetes.default.svc'}\n      - {cluster: engineering-prod, url: 'https://kubernetes.default.svc'}\n  template:\n    metadata: {name: '{{.cluster}}-guestbook'}\n    spec:\n      project: my-project\n      source: {repoURL: 'https://github.com/infra-team/cluster-deployments.git', targetRevision: HEAD, path: 'guestbook/{{cluster}}'}\n      destination: {server: '{{url}}', namespace: guestbook}\n",
    );
    let ex = expand(&set, &Inputs::default());
    // `{{.cluster}}` is goTemplate syntax: fasttemplate leaves it verbatim, so both names collide,
    // which is an error naming both elements.
    assert_eq!(names(&ex), ["{{.cluster}}-guestbook", "{{.cluster}}-guestbook"]);
    assert_eq!(ex.errors.len(), 1);
    assert!(ex.errors[0].message.contains(
        "duplicate name: {{.cluster}}-guestbook (from generators[0].list.elements[0], generators[0].list.elements[1])"
    ));
    assert_eq!(ex.apps[1].value.pointer("/spec/source/path"), Some(&json!("guestbook/engineering-prod")));
    assert_eq!(ex.apps[0].value.pointer("/metadata/namespace"), Some(&json!("argocd")));
    assert_eq!(ex.apps[0].value.pointer("/metadata/finalizers/0"), Some(&json!(template::RESOURCES_FINALIZER)));
    assert_eq!(ex.apps[0].element, "generators[0].list.elements[0]");
    let set2 = yaml(&serde_json::to_string(&set).unwrap().replace("{{.cluster}}", "{{cluster}}"));
    let ex = expand(&set2, &Inputs::default());
    ok(&ex);
    assert_eq!(names(&ex), ["engineering-dev-guestbook", "engineering-prod-guestbook"]);
}

#[test]
fn list_values_flatten_and_non_strings_are_errors_under_fasttemplate() {
    let set = |elements: &str| {
        yaml(&format!(
            "metadata: {{name: s}}\nspec:\n  generators:\n  - list:\n      elements: {elements}\n  template:\n    metadata: {{name: 'a-{{{{cluster}}}}-{{{{values.size}}}}'}}\n    spec: {{project: default}}\n"
        ))
    };
    let ex = expand(&set("[{cluster: a, values: {size: big}}]"), &Inputs::default());
    ok(&ex);
    assert_eq!(names(&ex), ["a-a-big"]);
    let ex = expand(&set("[{cluster: a, replicas: 3}]"), &Inputs::default());
    assert_eq!(ex.errors.len(), 1);
    assert!(ex.errors[0].message.contains("generators[0].list.elements[0]: error parsing value as string"));
    assert_eq!(ex.errors[0].pointer, "/spec/generators/0/list/elements/0");
    let ex = expand(&set("[{cluster: a, values: {count: 1}}]"), &Inputs::default());
    assert!(ex.errors[0].message.contains("values.count is a number"), "{:?}", ex.errors);
}

#[test]
fn elements_yaml_is_appended_without_flattening_or_checks() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - list:\n      elements: [{cluster: a}]\n      elementsYaml: |\n        - cluster: b\n          n: 3\n  template:\n    metadata: {name: 'x-{{cluster}}-{{n}}'}\n    spec: {project: default}\n",
    );
    let ex = expand(&set, &Inputs::default());
    ok(&ex);
    assert_eq!(names(&ex), ["x-a-{{n}}", "x-b-{{n}}"]);
    assert_eq!(ex.apps[1].element, "generators[0].list.elementsYaml[0]");
}

#[test]
fn an_empty_element_returns_the_template_untouched_without_finalizer() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{list: {elements: [{}]}}]\n  template:\n    metadata: {name: 'a-{{x}}'}\n    spec: {project: default}\n",
    );
    let ex = expand(&set, &Inputs::default());
    assert_eq!(names(&ex), ["a-{{x}}"]);
    assert!(ex.apps[0].value.pointer("/metadata/finalizers").is_none());
}

// ---------------------------------------------------------------- clusters (Generators-Cluster.md)

fn cluster(name: &str, server: &str, labels: &[(&str, &str)]) -> Cluster {
    let mut l: std::collections::BTreeMap<String, String> =
        labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    l.insert("argocd.argoproj.io/secret-type".into(), "cluster".into());
    Cluster { name: name.into(), server: server.into(), project: None, labels: l, annotations: Default::default() }
}

#[test]
fn clusters_generator_lists_secrets_sorted_then_in_cluster() {
    let clusters = [
        cluster("staging", "https://1.2.3.4", &[("environment", "staging")]),
        cluster("production", "https://2.4.6.8", &[("environment", "production")]),
    ];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{clusters: {}}]\n  template:\n    metadata: {name: '{{name}}-guestbook', labels: {env: '{{metadata.labels.environment}}'}}\n    spec: {project: '{{project}}', destination: {server: '{{server}}'}}\n",
    );
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["production-guestbook", "staging-guestbook", "in-cluster-guestbook"]);
    assert_eq!(ex.apps[0].value.pointer("/metadata/labels/env"), Some(&json!("production")));
    // The in-cluster entry has no metadata: the tag stays.
    assert_eq!(ex.apps[2].value.pointer("/metadata/labels/env"), Some(&json!("{{metadata.labels.environment}}")));
    assert_eq!(ex.apps[2].value.pointer("/spec/destination/server"), Some(&json!("https://kubernetes.default.svc")));
    assert_eq!(ex.apps[2].value.pointer("/spec/project"), Some(&json!("")));
    assert!(ex.unavailable.is_empty());
}

#[test]
fn a_cluster_selector_drops_in_cluster_even_with_not_in() {
    let clusters = [cluster("staging", "https://1.2.3.4", &[("staging", "true")]), cluster("prod", "https://2", &[])];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = |sel: &str| {
        yaml(&format!(
            "metadata: {{name: s}}\nspec:\n  generators: [{{clusters: {{selector: {sel}}}}}]\n  template:\n    metadata: {{name: '{{{{name}}}}'}}\n    spec: {{project: p}}\n"
        ))
    };
    assert_eq!(names(&expand(&set("{matchLabels: {staging: 'true'}}"), &inputs)), ["staging"]);
    assert_eq!(
        names(&expand(&set("{matchExpressions: [{key: staging, operator: NotIn, values: ['true']}]}"), &inputs)),
        ["prod"]
    );
    let bad = expand(&set("{matchLabels: {staging: 'a b'}}"), &inputs);
    assert!(bad.errors[0].message.contains("invalid label value"), "{:?}", bad.errors);
}

#[test]
fn a_secret_for_the_local_server_replaces_the_implicit_in_cluster_entry() {
    let clusters = [cluster("local", "https://kubernetes.default.svc", &[])];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{clusters: {values: {revision: 'rev-{{name}}'}}}]\n  template:\n    metadata: {name: '{{name}}-{{values.revision}}'}\n    spec: {project: p}\n",
    );
    assert_eq!(names(&expand(&set, &inputs)), ["local-rev-local"]);
}

#[test]
fn clusters_without_any_cluster_input_are_reported_as_unavailable() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{clusters: {}}]\n  template:\n    metadata: {name: '{{name}}'}\n    spec: {project: p}\n",
    );
    let ex = expand(&set, &Inputs::default());
    assert_eq!(names(&ex), ["in-cluster"]);
    assert_eq!(ex.unavailable.len(), 1);
}

// ---------------------------------------------------------------- git (Generators-Git.md)

fn addons_repo() -> tempfile::TempDir {
    git_repo(&[
        ("cluster-addons/argo-workflows/kustomization.yaml", "resources: []\n"),
        ("cluster-addons/prometheus-operator/Chart.yaml", "name: p\n"),
        ("cluster-addons/exclude-this/x.yaml", "a: b\n"),
        ("cluster-addons/.hidden/x.yaml", "a: b\n"),
        ("README.md", "hello\n"),
    ])
}

#[test]
fn git_directories_with_exclude_as_documented() {
    let dir = addons_repo();
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: cluster-addons}}\nspec:\n  generators:\n  - git:\n      repoURL: {REPO}\n      revision: HEAD\n      directories:\n      - path: cluster-addons/*\n      - path: cluster-addons/exclude-this\n        exclude: true\n  template:\n    metadata: {{name: '{{{{path.basename}}}}'}}\n    spec:\n      project: default\n      source: {{repoURL: {REPO}, targetRevision: HEAD, path: '{{{{path}}}}'}}\n      destination: {{server: 'https://kubernetes.default.svc', namespace: '{{{{path[1]}}}}'}}\n"
    ));
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["argo-workflows", "prometheus-operator"]);
    assert_eq!(ex.apps[0].value.pointer("/spec/source/path"), Some(&json!("cluster-addons/argo-workflows")));
    assert_eq!(ex.apps[0].value.pointer("/spec/destination/namespace"), Some(&json!("argo-workflows")));
}

#[test]
fn git_directories_with_a_path_param_prefix_and_normalized_basename() {
    let dir = git_repo(&[("apps/My_App/a.yaml", "x: y\n")]);
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: s}}\nspec:\n  generators:\n  - git: {{repoURL: {REPO}, revision: HEAD, pathParamPrefix: app, directories: [{{path: 'apps/*'}}]}}\n  template:\n    metadata: {{name: '{{{{app.path.basenameNormalized}}}}', labels: {{seg: '{{{{app.path[0]}}}}'}}}}\n    spec: {{project: default}}\n"
    ));
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["my-app"]);
    assert_eq!(ex.apps[0].value.pointer("/metadata/labels/seg"), Some(&json!("apps")));
}

#[test]
fn git_files_flatten_json_and_yaml_with_path_params() {
    let dir = git_repo(&[
        (
            "cluster-config/engineering/dev/config.json",
            r#"{"aws_account": "123456", "asset_id": "11223344", "cluster": {"owner": "cluster-admin@company.com", "name": "engineering-dev", "address": "https://1.2.3.4"}}"#,
        ),
        (
            "cluster-config/engineering/prod/config.json",
            r#"{"aws_account": "123456", "asset_id": "11223344", "cluster": {"owner": "cluster-admin@company.com", "name": "engineering-prod", "address": "https://2.4.6.8"}}"#,
        ),
        ("cluster-config/other.txt", "x"),
    ]);
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: guestbook}}\nspec:\n  generators:\n  - git: {{repoURL: {REPO}, revision: HEAD, files: [{{path: 'cluster-config/**/config.json'}}]}}\n  template:\n    metadata: {{name: '{{{{cluster.name}}}}-guestbook'}}\n    spec:\n      project: default\n      source: {{repoURL: {REPO}, targetRevision: HEAD, path: 'applicationset/examples/git-generator-files-discovery/apps/guestbook'}}\n      destination: {{server: '{{{{cluster.address}}}}', namespace: '{{{{path.basename}}}}-{{{{path[1]}}}}-{{{{path.filename}}}}'}}\n"
    ));
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["engineering-dev-guestbook", "engineering-prod-guestbook"]);
    assert_eq!(ex.apps[1].value.pointer("/spec/destination/server"), Some(&json!("https://2.4.6.8")));
    assert_eq!(ex.apps[0].value.pointer("/spec/destination/namespace"), Some(&json!("dev-engineering-config.json")));
}

#[test]
fn git_files_lists_give_one_set_per_item_and_numbers_print_like_go() {
    let dir = git_repo(&[
        ("envs/a.yaml", "- {name: one, replicas: 1000000}\n- {name: two, replicas: 2}\n"),
        ("envs/empty.yaml", ""),
    ]);
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: s}}\nspec:\n  generators:\n  - git: {{repoURL: {REPO}, files: [{{path: 'envs/*.yaml'}}]}}\n  template:\n    metadata: {{name: 'x-{{{{name}}}}-{{{{replicas}}}}-{{{{path.filename}}}}'}}\n    spec: {{project: default}}\n"
    ));
    let ex = expand(&set, &inputs);
    assert_eq!(names(&ex), ["x-one-1e+06-a.yaml", "x-two-2-a.yaml", "x-{{name}}-{{replicas}}-empty.yaml"]);
}

#[test]
fn git_revisions_resolve_branches_tags_shas_and_semver_constraints() {
    let dir = git_repo(&[("apps/v1/x.yaml", "a: b\n")]);
    let first = commit(dir.path(), &[], "same");
    tag(dir.path(), "v1.0.0");
    commit(dir.path(), &[("apps/v15/x.yaml", "a: b\n")], "second");
    tag(dir.path(), "v1.5.0");
    commit(dir.path(), &[("apps/v2/x.yaml", "a: b\n")], "third");
    tag(dir.path(), "v2.0.0");
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = |rev: &str| {
        yaml(&format!(
            "metadata: {{name: s}}\nspec:\n  generators:\n  - git: {{repoURL: '{REPO}', revision: '{rev}', directories: [{{path: 'apps/*'}}]}}\n  template:\n    metadata: {{name: '{{{{path.basename}}}}'}}\n    spec: {{project: default}}\n"
        ))
    };
    assert_eq!(names(&expand(&set(""), &inputs)), ["v1", "v15", "v2"]);
    assert_eq!(names(&expand(&set("v1.0.0"), &inputs)), ["v1"]);
    assert_eq!(names(&expand(&set(">=1.0.0 <2.0.0"), &inputs)), ["v1", "v15"]);
    assert_eq!(names(&expand(&set(&first[..7]), &inputs)), ["v1"]);
    assert_eq!(names(&expand(&set(&first), &inputs)), ["v1"]);
    let missing = expand(&set("no-such-branch"), &inputs);
    assert!(missing.errors[0].message.contains("unable to resolve git revision"), "{:?}", missing.errors);
}

#[test]
fn an_unmapped_repository_is_unavailable_and_says_how_to_map_it() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - git: {repoURL: 'https://example.com/x.git', directories: [{path: '*'}]}\n  template:\n    metadata: {name: '{{path}}'}\n    spec: {project: default}\n",
    );
    let repos = GitRepos::new();
    let ex = expand(&set, &Inputs { repos: Some(&repos), ..Inputs::default() });
    assert!(ex.apps.is_empty());
    assert!(ex.unavailable[0].message.contains("--repo https://example.com/x.git=PATH"), "{:?}", ex.unavailable);
}

// ---------------------------------------------------------------- matrix (Generators-Matrix.md)

#[test]
fn matrix_of_git_directories_and_clusters_as_documented() {
    let dir = addons_repo();
    let repos = with_repo(REPO, dir.path());
    let clusters = [cluster("staging", "https://1.2.3.4", &[("argocd.argoproj.io/secret-type", "cluster")])];
    let inputs = Inputs { repos: Some(&repos), clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: cluster-git}}\nspec:\n  generators:\n  - matrix:\n      generators:\n      - git:\n          repoURL: {REPO}\n          revision: HEAD\n          directories: [{{path: 'cluster-addons/*'}}, {{path: cluster-addons/exclude-this, exclude: true}}]\n      - clusters:\n          selector: {{matchLabels: {{argocd.argoproj.io/secret-type: cluster}}}}\n  template:\n    metadata: {{name: '{{{{path.basename}}}}-{{{{name}}}}'}}\n    spec:\n      project: '{{{{metadata.labels.environment}}}}'\n      source: {{repoURL: {REPO}, targetRevision: HEAD, path: '{{{{path}}}}'}}\n      destination: {{server: '{{{{server}}}}', namespace: '{{{{path.basename}}}}'}}\n"
    ));
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["argo-workflows-staging", "prometheus-operator-staging"]);
    assert_eq!(
        ex.apps[0].element,
        "generators[0].matrix.generators[0].git.directories[cluster-addons/argo-workflows] x generators[0].matrix.generators[1].clusters[cluster staging]"
    );
}

#[test]
fn matrix_second_child_sees_the_first_childs_params() {
    let dir = git_repo(&[("apps/web/x.yaml", "a: b\n"), ("apps/api/x.yaml", "a: b\n"), ("other/db/x.yaml", "a: b\n")]);
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: s}}\nspec:\n  generators:\n  - matrix:\n      generators:\n      - list: {{elements: [{{dir: apps}}, {{dir: other}}]}}\n      - git: {{repoURL: {REPO}, directories: [{{path: '{{{{dir}}}}/*'}}]}}\n  template:\n    metadata: {{name: '{{{{dir}}}}-{{{{path.basename}}}}'}}\n    spec: {{project: default}}\n"
    ));
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["apps-api", "apps-web", "other-db"]);
}

#[test]
fn matrix_errors_where_argo_cd_errs() {
    let three = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - matrix: {generators: [{list: {elements: [{a: '1'}]}}, {list: {elements: [{b: '1'}]}}, {list: {elements: [{c: '1'}]}}]}\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    assert!(expand(&three, &Inputs::default()).errors[0].message.contains("found more than two generators"));
    let conflict = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - matrix: {generators: [{list: {elements: [{a: '1'}]}}, {list: {elements: [{a: '2'}]}}]}\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    assert!(
        expand(&conflict, &Inputs::default()).errors[0].message.contains("found duplicate key a with different value")
    );
    let deep = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - matrix:\n      generators:\n      - matrix:\n          generators:\n          - matrix: {generators: [{list: {elements: [{a: '1'}]}}, {list: {elements: [{b: '1'}]}}]}\n          - list: {elements: [{c: '1'}]}\n      - list: {elements: [{d: '1'}]}\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    assert!(expand(&deep, &Inputs::default()).errors[0].message.contains("child generator generated no parameters"));
}

#[test]
fn a_huge_matrix_is_refused_early() {
    let list = |key: &str| -> Value {
        json!({"list": {"elements": (0..1000).map(|i| json!({key: i.to_string()})).collect::<Vec<_>>()}})
    };
    // 1000 x 1000 x 1000 = 10^9 parameter sets.
    let set = json!({"metadata": {"name": "s"}, "spec": {
        "generators": [{"matrix": {"generators": [{"matrix": {"generators": [list("a"), list("b")]}}, list("c")]}}],
        "template": {"metadata": {"name": "x-{{a}}-{{b}}-{{c}}"}, "spec": {"project": "p"}}}});
    let t = std::time::Instant::now();
    let ex = expand(&set, &Inputs { max_applications: 10_000, ..Inputs::default() });
    assert!(ex.apps.is_empty());
    assert!(ex.errors[0].message.contains("more than 10000"), "{:?}", ex.errors);
    assert!(t.elapsed().as_secs() < 20);
}

/// 300 elements of a goTemplate list; `name` is the Application name template.
fn heavy_set(name: &str) -> Value {
    json!({"metadata": {"name": "heavy"}, "spec": {"goTemplate": true,
        "generators": [{"list": {"elements": (0..300).map(|i| json!({"n": i})).collect::<Vec<_>>()}}],
        "template": {"metadata": {"name": name}, "spec": {"project": "p"}}}})
}

fn in_pool<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool").install(f)
}

#[test]
fn template_steps_are_budgeted_per_applicationset_the_same_on_any_thread_count() {
    // About 620 steps per Application (measured): 31 sets (chunks 1, 2, 4, 8, 16) stay under a
    // budget of 20,000, the chunk of 32 after them spends it; whatever the thread count.
    let set = heavy_set("a{{ range until 300 }}{{ end }}-{{ .n }}");
    let inputs = Inputs { max_template_steps: 20_000, ..Inputs::default() };
    let one = in_pool(1, || expand(&set, &inputs));
    let four = in_pool(4, || expand(&set, &inputs));
    assert_eq!(one, four);
    assert_eq!(one.apps.len(), 63, "{:?}", one.errors);
    assert_eq!(one.errors.len(), 1, "{:?}", one.errors);
    assert!(one.errors[0].message.contains("ran more than 20000 Go template steps in all"), "{:?}", one.errors);
    assert!(one.errors[0].message.contains("237 more parameter sets were not rendered"), "{:?}", one.errors);
    // The default budget lets the same set render completely.
    let ex = expand(&set, &Inputs::default());
    assert_eq!(ex.apps.len(), 300);
    assert!(ex.errors.is_empty(), "{:?}", ex.errors);
}

#[test]
fn a_template_hitting_an_execution_limit_stops_the_applicationset_after_the_first_chunk() {
    // Elements 0 and 1 render; from element 2 on, recursion without end.
    let set = heavy_set(
        r#"{{ define "r" }}{{ template "r" . }}{{ end }}x{{ .n }}{{ if ge (int .n) 2 }}{{ template "r" . }}{{ end }}"#,
    );
    let one = in_pool(1, || expand(&set, &Inputs::default()));
    let four = in_pool(4, || expand(&set, &Inputs::default()));
    assert_eq!(one, four);
    // Chunks 1 and 2 hold elements 0..=2: two Applications, one depth error, then the stop.
    assert_eq!(names(&one), vec!["x0", "x1"]);
    assert_eq!(one.errors.len(), 2, "{:?}", one.errors);
    assert!(one.errors[0].message.contains("exceeded maximum template depth (100)"), "{:?}", one.errors);
    assert!(one.errors[1].message.contains("297 more parameter sets were not rendered"), "{:?}", one.errors);
}

// ---------------------------------------------------------------- merge (Generators-Merge.md)

#[test]
fn merge_of_clusters_and_overrides_as_documented() {
    let clusters = [
        cluster("staging", "https://1.2.3.4", &[("use-kafka", "false"), ("environment", "staging")]),
        cluster("production", "https://2.4.6.8", &[("environment", "production")]),
    ];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = yaml(
        "metadata: {name: cluster-git}\nspec:\n  generators:\n  - merge:\n      mergeKeys: [server]\n      generators:\n      - clusters: {values: {kafka: 'true', redis: 'false'}}\n      - clusters: {selector: {matchLabels: {use-kafka: 'false'}}, values: {kafka: 'false'}}\n      - list: {elements: [{server: 'https://2.4.6.8', values.redis: 'true'}]}\n  template:\n    metadata: {name: '{{name}}'}\n    spec:\n      project: '{{metadata.labels.environment}}'\n      source: {helm: {parameters: [{name: kafka, value: '{{values.kafka}}'}, {name: redis, value: '{{values.redis}}'}]}}\n      destination: {server: '{{server}}', namespace: default}\n",
    );
    let ex = expand(&set, &inputs);
    ok(&ex);
    // Base order (sorted clusters, in-cluster last); the documented values per cluster.
    assert_eq!(names(&ex), ["production", "staging", "in-cluster"]);
    let params = |i: usize| ex.apps[i].value.pointer("/spec/source/helm/parameters").cloned().unwrap();
    assert_eq!(params(0), json!([{"name": "kafka", "value": "true"}, {"name": "redis", "value": "true"}]));
    assert_eq!(params(1), json!([{"name": "kafka", "value": "false"}, {"name": "redis", "value": "false"}]));
}

#[test]
fn merge_needs_keys_and_unique_base_sets() {
    let nokeys = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - merge: {generators: [{list: {elements: [{a: '1'}]}}, {list: {elements: [{a: '1'}]}}]}\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    assert!(expand(&nokeys, &Inputs::default()).errors[0].message.contains("no merge keys were specified"));
    let dup = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - merge: {mergeKeys: [a], generators: [{list: {elements: [{a: '1'}, {a: '1'}]}}, {list: {elements: [{a: '1'}]}}]}\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    assert!(expand(&dup, &Inputs::default()).errors[0].message.contains("Duplicate key was {\"a\":\"1\"}"));
}

// ---------------------------------------------------------------- post selector, templates, patch

#[test]
fn post_selector_filters_as_documented() {
    let set = yaml(
        "metadata: {name: guestbook}\nspec:\n  generators:\n  - list:\n      elements:\n      - {cluster: engineering-dev, url: 'https://kubernetes.default.svc', env: staging}\n      - {cluster: engineering-prod, url: 'https://kubernetes.default.svc', env: prod}\n    selector: {matchLabels: {env: staging}}\n  template:\n    metadata: {name: '{{cluster}}-guestbook'}\n    spec: {project: default}\n",
    );
    assert_eq!(names(&expand(&set, &Inputs::default())), ["engineering-dev-guestbook"]);
    let bad = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - list: {elements: [{a: b}]}\n    selector: {matchLabels: {'path[0]': x}}\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    assert!(expand(&bad, &Inputs::default()).errors[0].message.contains("error parsing label selector"));
}

#[test]
fn generator_templates_override_the_spec_template_field_by_field() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators:\n  - list:\n      elements: [{cluster: a}]\n      template:\n        metadata: {}\n        spec: {project: special, source: {path: 'override/{{cluster}}'}}\n  - list: {elements: [{cluster: b}]}\n  template:\n    metadata: {name: 'app-{{cluster}}'}\n    spec: {project: default, source: {repoURL: r, path: 'base/{{cluster}}'}}\n",
    );
    let ex = expand(&set, &Inputs::default());
    ok(&ex);
    assert_eq!(names(&ex), ["app-a", "app-b"]);
    assert_eq!(
        ex.apps[0].value["spec"],
        json!({"project": "special", "source": {"path": "override/a", "repoURL": "r"}})
    );
    assert_eq!(ex.apps[1].value["spec"], json!({"project": "default", "source": {"repoURL": "r", "path": "base/b"}}));
}

#[test]
fn template_patch_is_rendered_and_applied_even_without_go_template() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{list: {elements: [{cluster: a, auto: 'true'}]}}]\n  template:\n    metadata: {name: 'app-{{cluster}}'}\n    spec: {project: default}\n  templatePatch: |\n    spec:\n      project: hacked\n      syncPolicy: {automated: {prune: true}}\n      info: [{name: c, value: '{{cluster}}'}]\n",
    );
    let ex = expand(&set, &Inputs::default());
    ok(&ex);
    assert_eq!(
        ex.apps[0].value["spec"],
        json!({"project": "default", "syncPolicy": {"automated": {"prune": true}}, "info": [{"name": "c", "value": "a"}]})
    );
    let bad = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{list: {elements: [{cluster: a}]}}]\n  template: {metadata: {name: x}, spec: {project: p}}\n  templatePatch: '- {{cluster}}'\n",
    );
    assert!(expand(&bad, &Inputs::default()).errors[0].message.contains("does not render to an object"));
}

#[test]
fn preserve_resources_on_deletion_drops_the_finalizer_and_template_finalizers_win() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  syncPolicy: {preserveResourcesOnDeletion: true}\n  generators: [{list: {elements: [{c: a}]}}]\n  template: {metadata: {name: 'x-{{c}}'}, spec: {project: p}}\n",
    );
    assert!(expand(&set, &Inputs::default()).apps[0].value.pointer("/metadata/finalizers").is_none());
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{list: {elements: [{c: a}]}}]\n  template: {metadata: {name: 'x-{{c}}', finalizers: [mine]}, spec: {project: p}}\n",
    );
    assert_eq!(expand(&set, &Inputs::default()).apps[0].value.pointer("/metadata/finalizers"), Some(&json!(["mine"])));
}

#[test]
fn unclosed_tags_and_unknown_generators_are_errors() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{list: {elements: [{c: a}]}}]\n  template: {metadata: {name: '{{c}}-{{oops'}, spec: {project: p}}\n",
    );
    assert!(expand(&set, &Inputs::default()).errors[0].message.contains("Cannot find end tag"));
    let set = yaml(
        "metadata: {name: s}\nspec:\n  generators: [{lists: {elements: [{c: a}]}}]\n  template: {metadata: {name: x}, spec: {project: p}}\n",
    );
    let e = &expand(&set, &Inputs::default()).errors[0].message;
    assert!(e.contains("unrecognized generators") && e.contains("did you mean `list`?"), "{e}");
}

#[test]
fn external_generators_take_generator_input_or_are_unavailable() {
    let set = yaml(
        "metadata: {name: prs}\nspec:\n  generators: [{pullRequest: {github: {owner: o, repo: r}}}]\n  template: {metadata: {name: 'pr-{{number}}'}, spec: {project: p}}\n",
    );
    let ex = expand(&set, &Inputs::default());
    assert!(ex.apps.is_empty());
    assert!(ex.unavailable[0].message.contains("--generator-input"));
    let gi = GeneratorInput::from_value(&json!({"pullRequest": [{"number": "7", "branch": "feat"}]})).unwrap();
    let ex = expand(&set, &Inputs { generator_input: Some(&gi), ..Inputs::default() });
    assert_eq!(names(&ex), ["pr-7"]);
}

// ---------------------------------------------------------------- goTemplate (GoTemplate.md)

#[test]
fn go_template_list_with_functions_and_float_params() {
    let set = yaml(
        "metadata: {name: s, namespace: argocd}\nspec:\n  goTemplate: true\n  goTemplateOptions: [missingkey=error]\n  generators:\n  - list:\n      elements:\n      - {cluster: Engineering-Dev, replicas: 1000000, values: {tier: gold}}\n  template:\n    metadata: {name: '{{ .cluster | normalize }}', labels: {r: '{{ .replicas }}', t: '{{ .values.tier }}'}}\n    spec: {project: default, source: {path: '{{ .cluster | lower }}'}}\n",
    );
    let ex = expand(&set, &Inputs::default());
    ok(&ex);
    assert_eq!(names(&ex), ["engineering-dev"]);
    assert_eq!(ex.apps[0].value.pointer("/metadata/labels"), Some(&json!({"r": "1e+06", "t": "gold"})));
    let missing = yaml(&serde_json::to_string(&set).unwrap().replace(".values.tier", ".values.nope"));
    let ex = expand(&missing, &Inputs::default());
    assert!(ex.errors[0].message.contains("map has no entry for key \"nope\""), "{:?}", ex.errors);
    let bad = yaml(&serde_json::to_string(&set).unwrap().replace("missingkey=error", "missingkey=maybe"));
    assert!(expand(&bad, &Inputs::default()).errors[0].message.contains("unrecognized option"));
}

#[test]
fn go_template_clusters_have_nested_metadata_and_in_cluster_has_none() {
    let clusters = [cluster("staging", "https://1.2.3.4", &[("environment", "staging")])];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = |expr: &str| {
        yaml(&format!(
            "metadata: {{name: s}}\nspec:\n  goTemplate: true\n  generators: [{{clusters: {{}}}}]\n  template:\n    metadata: {{name: '{{{{ .name }}}}'}}\n    spec: {{project: '{expr}'}}\n"
        ))
    };
    let ex = expand(&set("{{ .metadata.labels.environment }}"), &inputs);
    ok(&ex);
    assert_eq!(ex.apps[0].value.pointer("/spec/project"), Some(&json!("staging")));
    assert_eq!(ex.apps[1].value.pointer("/spec/project"), Some(&json!("<no value>")));
    let ex = expand(&set("{{ index .metadata.labels \"environment\" }}"), &inputs);
    assert_eq!(ex.errors.len(), 1, "{:?}", ex.errors);
    assert!(
        ex.errors[0].message.starts_with("generators[0].clusters[cluster in-cluster]: failed to execute go template")
    );
}

#[test]
fn go_template_git_files_keep_nested_keys_and_path_segments() {
    let dir = git_repo(&[(
        "cluster-config/engineering/dev/config.json",
        r#"{"cluster": {"name": "engineering-dev", "address": "https://1.2.3.4"}}"#,
    )]);
    let repos = with_repo(REPO, dir.path());
    let inputs = Inputs { repos: Some(&repos), ..Inputs::default() };
    let set = yaml(&format!(
        "metadata: {{name: s}}\nspec:\n  goTemplate: true\n  generators:\n  - git: {{repoURL: {REPO}, files: [{{path: 'cluster-config/**/config.json'}}]}}\n  template:\n    metadata: {{name: '{{{{ .cluster.name }}}}'}}\n    spec: {{project: default, destination: {{server: '{{{{ .cluster.address }}}}', namespace: '{{{{ index .path.segments 1 }}}}-{{{{ .path.basename }}}}-{{{{ .path.filenameNormalized }}}}'}}}}\n"
    ));
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(
        ex.apps[0].value["spec"]["destination"],
        json!({"server": "https://1.2.3.4", "namespace": "engineering-dev-config.json"})
    );
    assert_eq!(names(&ex), ["engineering-dev"]);
}

#[test]
fn go_template_merge_keeps_flat_override_keys_literal() {
    // Generators-Merge.md, goTemplate: the list element's `values.redis` is a flat key, so it does
    // not override `.values.redis` (the documented 'true' only holds for fasttemplate).
    let clusters = [
        cluster("staging", "https://1.2.3.4", &[("use-kafka", "false"), ("environment", "staging")]),
        cluster("production", "https://2.4.6.8", &[("environment", "production")]),
        cluster("local", "https://kubernetes.default.svc", &[("environment", "local")]),
    ];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = yaml(
        "metadata: {name: cluster-git}\nspec:\n  goTemplate: true\n  goTemplateOptions: [missingkey=error]\n  generators:\n  - merge:\n      mergeKeys: [server]\n      generators:\n      - clusters: {values: {kafka: 'true', redis: 'false'}}\n      - clusters: {selector: {matchLabels: {use-kafka: 'false'}}, values: {kafka: 'false'}}\n      - list: {elements: [{server: 'https://2.4.6.8', values.redis: 'true'}]}\n  template:\n    metadata: {name: '{{.name}}'}\n    spec:\n      project: '{{index .metadata.labels \"environment\"}}'\n      source: {helm: {parameters: [{name: kafka, value: '{{.values.kafka}}'}, {name: redis, value: '{{.values.redis}}'}]}}\n      destination: {server: '{{.server}}', namespace: default}\n",
    );
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(names(&ex), ["local", "production", "staging"]);
    let params = |i: usize| ex.apps[i].value.pointer("/spec/source/helm/parameters").cloned().unwrap();
    assert_eq!(params(1), json!([{"name": "kafka", "value": "true"}, {"name": "redis", "value": "false"}]));
    assert_eq!(params(2), json!([{"name": "kafka", "value": "false"}, {"name": "redis", "value": "false"}]));
}

#[test]
fn go_template_matrix_first_child_wins_and_values_see_the_parent() {
    let set = yaml(
        "metadata: {name: s}\nspec:\n  goTemplate: true\n  generators:\n  - matrix:\n      generators:\n      - list: {elements: [{env: dev, shared: first, nested: {a: '1'}}]}\n      - clusters: {values: {target: '{{ .env }}', full: '{{ .env }}-{{ .name }}'}}\n  template:\n    metadata: {name: '{{ .values.target }}-{{ .shared }}', labels: {full: '{{ .values.full }}'}}\n    spec: {project: default}\n",
    );
    let ex = expand(&set, &Inputs::default());
    ok(&ex);
    // `target` is resolved with the first child's params; `full` also needs the cluster's own
    // `.name`, so pre-resolution keeps it verbatim and the cluster cannot see `.env`.
    assert_eq!(names(&ex), ["dev-first"]);
    assert_eq!(ex.apps[0].value.pointer("/metadata/labels/full"), Some(&json!("<no value>-in-cluster")));
    let conflict = yaml(
        "metadata: {name: s}\nspec:\n  goTemplate: true\n  generators:\n  - matrix:\n      generators:\n      - list: {elements: [{k: first, m: {a: '1'}}]}\n      - list: {elements: [{k: second, m: {b: '2'}}]}\n  template:\n    metadata: {name: '{{ .k }}-{{ .m.a }}-{{ .m.b }}'}\n    spec: {project: default}\n",
    );
    assert_eq!(names(&expand(&conflict, &Inputs::default())), ["first-1-2"]);
}

#[test]
fn go_template_patch_as_documented() {
    let set = yaml(
        "metadata: {name: guestbook}\nspec:\n  goTemplate: true\n  generators:\n  - list:\n      elements:\n      - {cluster: engineering-dev, url: 'https://kubernetes.default.svc', autoSync: true, prune: true, valueFiles: [values.large.yaml, values.debug.yaml]}\n  template:\n    metadata: {name: '{{.cluster}}-deployment'}\n    spec:\n      project: default\n      source: {repoURL: 'https://github.com/infra-team/cluster-deployments.git', targetRevision: HEAD, path: 'guestbook/{{ .cluster }}'}\n      destination: {server: '{{.url}}', namespace: guestbook}\n  templatePatch: |\n    spec:\n      source:\n        helm:\n          valueFiles:\n          {{- range $valueFile := .valueFiles }}\n            - {{ $valueFile }}\n          {{- end }}\n    {{- if .autoSync }}\n      syncPolicy:\n        automated:\n          prune: {{ .prune }}\n    {{- end }}\n",
    );
    let ex = expand(&set, &Inputs::default());
    ok(&ex);
    assert_eq!(
        ex.apps[0].value["spec"],
        json!({"project": "default", "source": {"repoURL": "https://github.com/infra-team/cluster-deployments.git",
            "targetRevision": "HEAD", "path": "guestbook/engineering-dev",
            "helm": {"valueFiles": ["values.large.yaml", "values.debug.yaml"]}},
            "destination": {"server": "https://kubernetes.default.svc", "namespace": "guestbook"},
            "syncPolicy": {"automated": {"prune": true}}})
    );
}

#[test]
fn go_template_flat_list_of_clusters() {
    let clusters = [cluster("a", "https://1", &[]), cluster("b", "https://2", &[])];
    let inputs = Inputs { clusters: &clusters, clusters_given: true, ..Inputs::default() };
    let set = yaml(
        "metadata: {name: s}\nspec:\n  goTemplate: true\n  generators: [{clusters: {flatList: true, selector: {matchLabels: {argocd.argoproj.io/secret-type: cluster}}}}]\n  template:\n    metadata: {name: all}\n    spec:\n      project: default\n      source: {helm: {values: '{{ range .clusters }}{{ .name }};{{ end }}'}}\n",
    );
    let ex = expand(&set, &inputs);
    ok(&ex);
    assert_eq!(ex.apps[0].value.pointer("/spec/source/helm/values"), Some(&json!("a;b;")));
}
