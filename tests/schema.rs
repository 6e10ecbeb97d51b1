//! Schema validation: fixtures that must pass, mutations that must fail at the right line, CRD
//! import, and the `check` command's schema flags.

use argovet::model::{Document, SourceFile};
use argovet::report::Finding;
use argovet::schema::Validator;
use argovet::yaml::{Limits, load};
use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FIXTURES: &str = "tests/fixtures/schema";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(FIXTURES).join(name)).unwrap()
}

fn docs(name: &str, text: &str) -> Vec<Document> {
    let file = Arc::new(SourceFile::new(name, text.to_string()));
    let loaded = load(text, &Limits::default());
    assert!(loaded.issues.is_empty(), "{name} does not load: {:?}", loaded.issues);
    loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)).collect()
}

fn validate_with(v: &Validator, name: &str, text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    for d in docs(name, text) {
        v.check(&d, &mut out);
    }
    argovet::report::sort_findings(&mut out);
    out
}

fn validate(name: &str, text: &str) -> Vec<Finding> {
    validate_with(&Validator::builtin().unwrap(), name, text)
}

/// `line:col rule: message` and the help, one finding per block: what a person reads.
fn render(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        s.push_str(&format!("{}:{} {} [{}] {}\n", f.span.line, f.span.column, f.severity, f.rule, f.message));
        if let Some(h) = &f.help {
            s.push_str(&format!("    help: {h}\n"));
        }
    }
    s
}

#[test]
fn complete_fixtures_and_documented_examples_pass() {
    for name in
        ["application-full.yaml", "applicationset-full.yaml", "appproject-full.yaml", "documented-examples.yaml"]
    {
        let found = validate(name, &fixture(name));
        assert!(found.is_empty(), "{name}:\n{}", render(&found));
    }
}

/// Line (1-based) of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u32 {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in the text"));
    text[..at].matches('\n').count() as u32 + 1
}

struct Mutation {
    fixture: &'static str,
    from: &'static str,
    to: &'static str,
    /// The finding's line is the line of this text in the mutated fixture (`to` when empty).
    at: &'static str,
    rule: &'static str,
    message: &'static str,
}

const fn m(
    fixture: &'static str,
    from: &'static str,
    to: &'static str,
    at: &'static str,
    rule: &'static str,
    message: &'static str,
) -> Mutation {
    Mutation { fixture, from, to, at, rule, message }
}

const APP: &str = "application-full.yaml";
const SET: &str = "applicationset-full.yaml";
const PROJ: &str = "appproject-full.yaml";

const MUTATIONS: &[Mutation] = &[
    // Typos at every depth, each with its suggestion.
    m(
        APP,
        "metadata:\n  name: guestbook-helm",
        "metdata:\n  name: guestbook-helm",
        "metdata:",
        "schema-unknown-field",
        "did you mean `metadata`?",
    ),
    m(
        APP,
        "  labels:\n    team: web",
        "  Labels:\n    team: web",
        "Labels:",
        "schema-unknown-field",
        "did you mean `labels`?",
    ),
    m(
        APP,
        "  syncPolicy:\n    automated:\n      prune: true",
        "  syncpolicy:\n    automated:\n      prune: true",
        "syncpolicy:",
        "schema-unknown-field",
        "did you mean `syncPolicy`?",
    ),
    m(
        APP,
        "    targetRevision: 1.4.2",
        "    targetRevison: 1.4.2",
        "targetRevison",
        "schema-unknown-field",
        "did you mean `targetRevision`?",
    ),
    m(
        APP,
        "      selfHeal: true",
        "      selfheal: true",
        "selfheal",
        "schema-unknown-field",
        "unknown field `selfheal` in `spec.syncPolicy.automated`: did you mean `selfHeal`?",
    ),
    m(
        APP,
        "        maxDuration: 3m",
        "        maxDurations: 3m",
        "maxDurations",
        "schema-unknown-field",
        "did you mean `maxDuration`?",
    ),
    m(
        APP,
        "      ignoreMissingValueFiles: true",
        "      ignoreMissingValuesFiles: true",
        "ignoreMissingValuesFiles",
        "schema-unknown-field",
        "did you mean `ignoreMissingValueFiles`?",
    ),
    m(
        APP,
        "            labelSelector: app=guestbook",
        "            labelselector: app=guestbook",
        "labelselector",
        "schema-unknown-field",
        "did you mean `labelSelector`?",
    ),
    m(
        APP,
        "              code: true",
        "              Code: true",
        "Code: true",
        "schema-unknown-field",
        "`spec.sources[0].directory.jsonnet.extVars[1]`: did you mean `code`?",
    ),
    m(
        APP,
        "      jqPathExpressions:",
        "      jqPathExpression:",
        "jqPathExpression:",
        "schema-unknown-field",
        "did you mean `jqPathExpressions`?",
    ),
    m(
        APP,
        "      targetBranch: environments/prod-next",
        "      targetbranch: environments/prod-next",
        "targetbranch",
        "schema-unknown-field",
        "did you mean `targetBranch`?",
    ),
    m(
        APP,
        "  revisionHistoryLimit: 10",
        "  revisionHistoryLimit: 10\n  wave: 3",
        "wave: 3",
        "schema-unknown-field",
        "unknown field `wave` in `spec`",
    ),
    m(
        SET,
        "  goTemplateOptions:",
        "  gotemplateOptions:",
        "gotemplateOptions",
        "schema-unknown-field",
        "did you mean `goTemplateOptions`?",
    ),
    m(
        SET,
        "        pathParamPrefix: app",
        "        pathParamsPrefix: app",
        "pathParamsPrefix",
        "schema-unknown-field",
        "did you mean `pathParamPrefix`?",
    ),
    m(
        SET,
        "          excludeArchivedRepos: true\n    - scmProvider:\n        gitlab:",
        "          excludeArchivedRepo: true\n    - scmProvider:\n        gitlab:",
        "excludeArchivedRepo:",
        "schema-unknown-field",
        "did you mean `excludeArchivedRepos`?",
    ),
    m(
        SET,
        "        continueOnRepoNotFoundError: true",
        "        continueOnRepoNotFound: true",
        "continueOnRepoNotFound:",
        "schema-unknown-field",
        "`spec.generators[11].pullRequest`",
    ),
    m(
        SET,
        "              mergeKeys: [server]",
        "              mergekeys: [server]",
        "mergekeys",
        "schema-unknown-field",
        "did you mean `mergeKeys`?",
    ),
    m(
        SET,
        "          selfHeal: true",
        "          selfheal: true",
        "selfheal",
        "schema-unknown-field",
        "`spec.template.spec.syncPolicy.automated`: did you mean `selfHeal`?",
    ),
    m(
        SET,
        "    preserveResourcesOnDeletion: true",
        "    preserveResourceOnDeletion: true",
        "preserveResourceOnDeletion",
        "schema-unknown-field",
        "did you mean `preserveResourcesOnDeletion`?",
    ),
    m(
        SET,
        "            - key: envLabel\n              operator: In",
        "            - Key: envLabel\n              operator: In",
        "Key: envLabel",
        "schema-unknown-field",
        "did you mean `key`?",
    ),
    m(
        SET,
        "            revisionHistoryLimit: '{{ .history }}'",
        "            revisionHistoryLimit: '{{ .history }}'\n            sync: {}",
        "sync: {}",
        "schema-unknown-field",
        "`spec.generators[0].list.template.spec`",
    ),
    m(PROJ, "  sourceRepos:", "  sourceRepo:", "sourceRepo:", "schema-unknown-field", "did you mean `sourceRepos`?"),
    m(
        PROJ,
        "      manualSync: true",
        "      manualsync: true",
        "manualsync",
        "schema-unknown-field",
        "did you mean `manualSync`?",
    ),
    m(
        PROJ,
        "          id: ci-token",
        "          ID: ci-token",
        "ID: ci-token",
        "schema-unknown-field",
        "did you mean `id`?",
    ),
    m(
        PROJ,
        "            keys: [4AEE18F83AFDEB23]",
        "            key: [4AEE18F83AFDEB23]",
        "key: [4AEE",
        "schema-unknown-field",
        "did you mean `keys`?",
    ),
    m(
        PROJ,
        "  permitOnlyProjectScopedClusters: true",
        "  permitOnlyProjectScopedCluster: true",
        "permitOnlyProjectScopedCluster:",
        "schema-unknown-field",
        "did you mean `permitOnlyProjectScopedClusters`?",
    ),
    // Wrong types.
    m(
        APP,
        "      prune: true",
        "      prune: \"yes\"",
        "prune: \"yes\"",
        "schema-type",
        "`spec.syncPolicy.automated.prune` must be a boolean, not the string \"yes\"",
    ),
    m(
        APP,
        "      limit: 5",
        "      limit: five",
        "limit: five",
        "schema-type",
        "must be an integer, not the string \"five\"",
    ),
    m(
        APP,
        "  revisionHistoryLimit: 10",
        "  revisionHistoryLimit: 2.5",
        "revisionHistoryLimit",
        "schema-type",
        "must be an integer, not the number `2.5`",
    ),
    m(
        APP,
        "          value: v1.2.3",
        "          value: 1.0",
        "value: 1.0",
        "schema-type",
        "`spec.source.helm.parameters[0].value` must be a string, not the number `1.0`",
    ),
    m(
        APP,
        "      valueFiles:\n        - values-prod.yaml",
        "      valueFiles: values-prod.yaml",
        "valueFiles:",
        "schema-type",
        "must be a list, not the string",
    ),
    m(
        APP,
        "          count: 3",
        "          count: [3]",
        "count: [3]",
        "schema-type",
        "must be an integer or a string, not a list",
    ),
    m(
        APP,
        "      commonLabels:\n        env: prod",
        "      commonLabels:\n        - env=prod",
        "- env=prod",
        "schema-type",
        "`spec.source.kustomize.commonLabels` must be a mapping, not a list",
    ),
    m(SET, "  goTemplate: true", "  goTemplate: \"true\"", "goTemplate", "schema-type", "must be a boolean"),
    m(
        SET,
        "        requeueAfterSeconds: 60",
        "        requeueAfterSeconds: 60s",
        "60s",
        "schema-type",
        "must be an integer, not the string \"60s\"",
    ),
    m(
        SET,
        "        flatList: false",
        "        flatList: '{{ .flat }}'",
        "flatList",
        "schema-type",
        "`spec.generators[1].clusters.flatList` must be a boolean",
    ),
    m(
        SET,
        "      revisionHistoryLimit: 3",
        "      revisionHistoryLimit: three",
        "three",
        "schema-type",
        "must be an integer, not the string \"three\"",
    ),
    m(
        SET,
        "      source:\n        repoURL: https://github.com/example/apps.git\n        targetRevision: HEAD\n        path: 'guestbook",
        "      source: '{{ .source }}'\n      sourceX:\n        repoURL: https://github.com/example/apps.git\n        targetRevision: HEAD\n        path: 'guestbook",
        "source: '{{",
        "schema-type",
        "`spec.template.spec.source` must be a mapping",
    ),
    m(
        PROJ,
        "        - iat: 1700000000",
        "        - iat: \"1700000000\"",
        "iat:",
        "schema-type",
        "must be an integer, not the string \"1700000000\"",
    ),
    m(
        PROJ,
        "  sourceNamespaces:\n    - web-apps",
        "  sourceNamespaces: web-apps",
        "sourceNamespaces",
        "schema-type",
        "must be a list",
    ),
    // Wrong enum values.
    m(
        SET,
        "    applicationsSync: create-update",
        "    applicationsSync: create-updat",
        "create-updat",
        "schema-enum",
        "did you mean `create-update`?",
    ),
    m(
        SET,
        "    type: RollingSync",
        "    type: rollingsync",
        "rollingsync",
        "schema-enum",
        "did you mean `RollingSync`?",
    ),
    m(
        SET,
        "    deletionOrder: Reverse",
        "    deletionOrder: Backwards",
        "Backwards",
        "schema-enum",
        "`spec.strategy.deletionOrder` is the string \"Backwards\", which is not allowed",
    ),
    m(
        SET,
        "              operator: NotIn",
        "              operator: notin",
        "notin",
        "schema-enum",
        "did you mean `NotIn`?",
    ),
    m(
        SET,
        "              operator: DoesNotExist",
        "              operator: NotExists",
        "NotExists",
        "schema-enum",
        "`spec.generators[1].clusters.selector.matchExpressions[1].operator`",
    ),
    m(
        SET,
        "          pullRequestState: opened",
        "          pullRequestState: openned",
        "openned",
        "schema-enum",
        "did you mean `opened`?",
    ),
    m(PROJ, "    - kind: deny", "    - kind: Deny", "Deny", "schema-enum", "did you mean `deny`?"),
    m(
        PROJ,
        "            mode: strict",
        "            mode: strickt",
        "strickt",
        "schema-enum",
        "did you mean `strict`?",
    ),
    // Missing required fields, reported at the parent.
    m(
        APP,
        "spec:\n  project: web\n",
        "spec:\n",
        "spec:",
        "schema-required",
        "`spec` is missing the required field `project`",
    ),
    m(
        APP,
        "        - name: guestbook-ui\n          count: 3",
        "        - name: guestbook-ui",
        "- name: guestbook-ui",
        "schema-required",
        "`spec.source.kustomize.replicas[0]` is missing the required field `count`",
    ),
    m(
        APP,
        "    - repoURL: https://github.com/example/jsonnet.git\n      targetRevision: v2.0.0",
        "    - targetRevision: v2.0.0",
        "- targetRevision: v2.0.0",
        "schema-required",
        "`spec.sources[0]` is missing the required field `repoURL`",
    ),
    m(
        APP,
        "      targetBranch: environments/prod\n",
        "",
        "syncSource:",
        "schema-required",
        "`spec.sourceHydrator.syncSource` is missing the required field `targetBranch`",
    ),
    m(
        SET,
        "        repoURL: https://github.com/example/clusters.git\n        revision: main\n",
        "        repoURL: https://github.com/example/clusters.git\n",
        "git:\n        repoURL: https://github.com/example/clusters",
        "schema-required",
        "`spec.generators[3].git` is missing the required field `revision`",
    ),
    m(
        SET,
        "        mergeKeys:\n          - server\n",
        "",
        "- merge:\n        generators",
        "schema-required",
        "missing the required field `mergeKeys`",
    ),
    m(
        SET,
        "          appPasswordRef: {secretName: appPassword, key: password}\n",
        "",
        "bitbucket:\n          owner: example-owner",
        "schema-required",
        "`spec.generators[8].scmProvider.bitbucket` is missing the required field `appPasswordRef`",
    ),
    m(
        SET,
        "  template:\n    metadata:\n      name: '{{ .cluster }}-guestbook'",
        "  templates:\n    metadata:\n      name: '{{ .cluster }}-guestbook'",
        "templates:",
        // The misspelt key explains the missing `template`: one finding, with the fix, not two.
        "schema-unknown-field",
        "unknown field `templates` in `spec`: did you mean `template`?",
    ),
    m(
        SET,
        "  template:\n    metadata:\n      name: '{{ .cluster }}-guestbook'",
        "  body:\n    metadata:\n      name: '{{ .cluster }}-guestbook'",
        "spec:\n  goTemplate",
        "schema-required",
        "`spec` is missing the required field `template`",
    ),
    m(
        PROJ,
        "    - server: '*'\n      defaultServiceAccount: readonly",
        "    - server: '*'",
        "- server: '*'",
        "schema-required",
        "missing the required field `defaultServiceAccount`",
    ),
    m(
        PROJ,
        "    - name: ci\n      description: Sync",
        "    - description: Sync",
        "- description: Sync",
        "schema-required",
        "`spec.roles[0]` is missing the required field `name`",
    ),
    // Any other constraint.
    m(
        APP,
        "      path: helm-guestbook\n      repoURL: https://github.com/example/hydrated.git",
        "      path: .\n      repoURL: https://github.com/example/hydrated.git",
        "path: .\n",
        "schema-invalid",
        "does not match the pattern",
    ),
];

#[test]
fn every_mutation_is_caught_at_the_right_line() {
    let mut failures = Vec::new();
    for (i, mu) in MUTATIONS.iter().enumerate() {
        let text = fixture(mu.fixture);
        if text.matches(mu.from).count() != 1 {
            failures.push(format!("mutation {i}: `{}` must occur once in {}", mu.from.escape_debug(), mu.fixture));
            continue;
        }
        let mutated = text.replacen(mu.from, mu.to, 1);
        let at = if mu.at.is_empty() { mu.to } else { mu.at };
        let line = line_of(&mutated, at);
        let found = validate(mu.fixture, &mutated);
        let hit = found.iter().any(|f| f.rule == mu.rule && f.span.line == line && f.message.contains(mu.message));
        if !hit {
            failures.push(format!(
                "mutation {i} ({} -> {}): expected {} at line {line} containing {:?}, got:\n{}",
                mu.from.escape_debug(),
                mu.to.escape_debug(),
                mu.rule,
                mu.message,
                render(&found)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn template_strings_are_accepted_for_numbers_and_booleans_only_in_templates() {
    let text = fixture(SET);
    // The fixture already has `{{ }}` in booleans and integers of spec.template and a generator
    // template; the same string outside a template is an error.
    let mutated = text.replacen("  goTemplate: true", "  goTemplate: '{{ .go }}'", 1);
    let found = validate(SET, &mutated);
    assert_eq!(found.len(), 1, "{}", render(&found));
    assert_eq!(found[0].rule, "schema-type");
    // A `{{ }}` string is no excuse for an unknown enum value outside templates either, but inside a
    // template it may stand for anything.
    let ok = text.replacen("      revisionHistoryLimit: 3", "      revisionHistoryLimit: '{{ .limit | int }}'", 1);
    assert!(validate(SET, &ok).is_empty());
}

#[test]
fn human_messages() {
    let text = "\
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: guestbook
  lables: {app: guestbook}
spec:
  source:
    repoURL: https://github.com/example/apps.git
    targetRevison: HEAD
    path: guestbook
    helm:
      skipCrds: \"yes\"
      parameters:
        - name: replicas
          value: 3
  destination:
    server: https://kubernetes.default.svc
  syncPolicy:
    automated:
      selfheal: true
      prune: \"true\"
    retry:
      limit: \"5\"
      backoff: [5s]
  info: null
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: envs
spec:
  generators:
    - git:
        repoURL: https://github.com/example/apps.git
        directories:
          - path: apps/*
  syncPolicy:
    applicationsSync: create-updat
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions:
            - key: env
              operator: Equals
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: default
      destination:
        namespace: '{{path.basename}}'
      syncPolicy:
        automated:
          prune: '{{prune}}'
---
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: web
spec:
  description: web
  syncWindows:
    - kind: Allow
      schedule: '* * * * *'
  roles:
    - policies: [p, proj:web:ci, applications, sync, web/*, allow]
";
    insta::assert_snapshot!(render(&validate("messages.yaml", text)));
}

fn crd_validator() -> Validator {
    Validator::new(&[PathBuf::from(FIXTURES).join("crd/widget-crd.yaml")], false).unwrap()
}

#[test]
fn crd_objects_validate_against_the_converted_schema() {
    let v = crd_validator();
    let ok = validate_with(&v, "widgets.yaml", &fixture("crd/widgets.yaml"));
    assert!(ok.is_empty(), "{}", render(&ok));
    let bad = validate_with(&v, "widgets-bad.yaml", &fixture("crd/widgets-bad.yaml"));
    insta::assert_snapshot!(render(&bad));
}

#[test]
fn a_user_crd_replaces_the_builtin_argo_schema() {
    let app = fixture(APP);
    let first = app.split("\n---\n").nth(3).unwrap();
    assert!(validate("hydrated.yaml", first).is_empty());
    let pinned = Validator::new(&[PathBuf::from(FIXTURES).join("crd/application-pinned-crd.yaml")], false).unwrap();
    let found = validate_with(&pinned, "hydrated.yaml", first);
    assert_eq!(found.len(), 1, "{}", render(&found));
    assert_eq!(found[0].rule, "schema-unknown-field");
    assert!(found[0].message.contains("`sourceHydrator`"), "{}", found[0].message);
    // metadata is still checked as ObjectMeta, status still ignored.
    let typo = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  nme: x\nspec:\n  project: p\n  destination: {}\nstatus: {foo: 1}\n";
    let found = validate_with(&pinned, "typo.yaml", typo);
    assert_eq!(
        render(&found),
        "4:3 error [schema-unknown-field] unknown field `nme` in `metadata`: did you mean `name`?\n    help: Kubernetes drops unknown fields without a word, so this has no effect; fields allowed here: annotations, creationTimestamp, deletionGracePeriodSeconds, deletionTimestamp, finalizers, generateName, generation, labels, managedFields, name, namespace, ownerReferences, resourceVersion, selfLink, uid\n"
    );
}

#[test]
fn json_schema_files_are_matched_to_kinds_and_refs_resolve_locally() {
    let dir = tempfile::tempdir().unwrap();
    let defs = r#"{"$defs": {"port": {"type": "integer", "minimum": 1, "maximum": 65535}}}"#;
    let schema = r#"{"x-kubernetes-group-version-kind": [{"group": "", "version": "v1", "kind": "Service"}],
        "type": "object", "properties": {"spec": {"type": "object", "additionalProperties": false,
        "properties": {"port": {"$ref": "defs.json#/$defs/port"}, "type": {"enum": ["ClusterIP", "NodePort"]}}}}}"#;
    std::fs::write(dir.path().join("defs.json"), defs).unwrap();
    std::fs::write(dir.path().join("service.json"), schema).unwrap();
    let v = Validator::new(&[dir.path().to_path_buf()], false).unwrap();
    let text =
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  port: 70000\n  type: nodeport\n  prot: 1\n";
    insta::assert_snapshot!(render(&validate_with(&v, "svc.yaml", text)));
    // A JSON Schema file taken literally: null is a type error there (no Kubernetes pruning).
    let found = validate_with(&v, "svc.yaml", "apiVersion: v1\nkind: Service\nspec:\n  port: null\n");
    assert_eq!(found.len(), 1);
}

#[test]
fn unusable_locations_are_errors_that_say_why() {
    let e = Validator::new(&[PathBuf::from("no/such/dir")], false).unwrap_err().to_string();
    assert!(e.starts_with("schema location no/such/dir:"), "{e}");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.json");
    std::fs::write(&p, r#"{"type": "object"}"#).unwrap();
    let e = Validator::new(std::slice::from_ref(&p), false).unwrap_err().to_string();
    assert!(e.contains("cannot tell which kind"), "{e}");
    std::fs::write(&p, r#"{"properties": {"apiVersion": {"const": "v1"}, "kind": {"const": "X"}}, "$ref": "https://example.com/s.json"}"#)
        .unwrap();
    let e = Validator::new(&[p], false).unwrap_err().to_string();
    assert!(e.contains("never downloads"), "{e}");
}

#[test]
fn builtin_validator_is_compiled_once() {
    let a = Validator::builtin().unwrap();
    let b = Validator::builtin().unwrap();
    assert!(Arc::ptr_eq(&a, &b));
}

fn argovet() -> Command {
    Command::cargo_bin("argovet").unwrap()
}

#[test]
fn check_reports_schema_findings_in_human_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  project: default\n  destination: {}\n  syncPolicy:\n    automated:\n      selfheal: true\n",
    )
    .unwrap();
    let out = argovet().current_dir(dir.path()).args(["check", "--color", "never", "app.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

#[test]
fn check_schema_location_and_require_schemas() {
    let dir = tempfile::tempdir().unwrap();
    let crd = std::fs::canonicalize(Path::new(FIXTURES).join("crd/widget-crd.yaml")).unwrap();
    std::fs::write(dir.path().join("w.yaml"), "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 2\n  colour: red\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n").unwrap();
    // No schema locations: Widget and ConfigMap are not Argo CD kinds and are skipped silently.
    argovet().current_dir(dir.path()).args(["check", "--format", "json", "w.yaml"]).assert().code(0);
    let out = argovet()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "w.yaml", "--schema-location"])
        .arg(&crd)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(String, String, u64)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("schema-unknown-field".into(), "error".into(), 6), ("schema-missing".into(), "info".into(), 9)]);
    // Through .argovet.yaml, with requireSchemas: the ConfigMap is now an error.
    std::fs::write(dir.path().join(".argovet.yaml"), format!("schemas: [{}]\nrequireSchemas: true\n", crd.display()))
        .unwrap();
    let out = argovet().current_dir(dir.path()).args(["check", "--format", "json", "w.yaml"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let missing = json["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "schema-missing").unwrap();
    assert_eq!(missing["severity"], "error");
    assert_eq!(missing["message"], "no schema for ConfigMap (v1); the object was not validated");
    // A broken location is a usage error (exit 2) naming the file.
    let out =
        argovet().current_dir(dir.path()).args(["check", "w.yaml", "--schema-location", "nope.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("schema location nope.json"));
}

#[test]
fn schema_rules_are_listed_and_explained() {
    let out = argovet().args(["explain", "schema-unknown-field"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("did you mean"));
    let out = argovet().args(["rules"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for id in [
        "schema-unknown-field",
        "schema-type",
        "schema-enum",
        "schema-required",
        "schema-invalid",
        "schema-missing",
        "schema-unchecked",
    ] {
        assert!(text.contains(id), "{id} not listed");
    }
}

fn keyword_validator(file: &str) -> Validator {
    Validator::new(&[PathBuf::from(FIXTURES).join("keywords").join(file)], false).unwrap()
}

#[test]
fn crd_value_validations_list_types_and_cel_rules() {
    let v = keyword_validator("scaler-crd.yaml");
    let ok = validate_with(&v, "scalers.yaml", &fixture("keywords/scalers.yaml"));
    assert!(ok.is_empty(), "{}", render(&ok));
    let bad = validate_with(&v, "scalers-bad.yaml", &fixture("keywords/scalers-bad.yaml"));
    insta::assert_snapshot!(render(&bad));
}

#[test]
fn json_schema_keywords_of_2020_12_through_the_jsonschema_crate() {
    let v = Validator::new(&[PathBuf::from(FIXTURES).join("keywords")], false).unwrap();
    let ok = validate_with(&v, "gauges.yaml", &fixture("keywords/gauges.yaml"));
    // The misspelt `maximun` constrains nothing: said once per document where it applies.
    assert!(ok.iter().all(|f| f.rule == "schema-unchecked"), "{}", render(&ok));
    let bad = validate_with(&v, "gauges-bad.yaml", &fixture("keywords/gauges-bad.yaml"));
    insta::assert_snapshot!(render(&bad));
}

#[test]
fn check_warns_about_unchecked_cel_rules_without_failing() {
    let dir = tempfile::tempdir().unwrap();
    let crd = std::fs::canonicalize(Path::new(FIXTURES).join("keywords/scaler-crd.yaml")).unwrap();
    std::fs::write(
        dir.path().join("s.yaml"),
        "apiVersion: example.com/v1\nkind: Scaler\nmetadata: {name: s}\nspec:\n  replicas: 2\n  window: {start: 1, end: 2}\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        argovet()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "s.yaml", "--schema-location"])
            .arg(&crd)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &json["findings"][0];
    assert_eq!(
        (f["rule"].as_str(), f["severity"].as_str(), f["line"].as_u64()),
        (Some("schema-unchecked"), Some("warning"), Some(6))
    );
    assert_eq!(run(&["--fail-on", "warning"]).status.code(), Some(1));
}
