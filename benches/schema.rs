//! Schema validation throughput: documents per second of validation alone, its share of a
//! single-threaded parse + lint + validate pass, the end-to-end `check` rate with and without user
//! schemas, and a comparison with the `jsonschema` crate on the same Applications.
//!
//! `cargo bench --bench schema` (set `ARGOVET_BENCH_DOCS` to change the corpus size, default 6000).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use argovet::cli::{Cli, Command};
use argovet::model::{Document, SourceFile};
use argovet::schema::Validator;
use argovet::yaml::{Limits, load};
use clap::Parser;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn application(i: usize, typo: bool) -> String {
    let automated = if typo { "selfheal" } else { "selfHeal" };
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: app-{i}
  namespace: argocd
  labels:
    team: team-{t}
  finalizers: [resources-finalizer.argocd.argoproj.io]
spec:
  project: team-{t}
  source:
    repoURL: https://github.com/example/apps.git
    targetRevision: v1.{i}.0
    path: apps/app-{i}
    helm:
      releaseName: app-{i}
      valueFiles: [values.yaml, values-prod.yaml]
      parameters:
        - name: image.tag
          value: v{i}
        - name: replicas
          value: \"3\"
          forceString: true
      valuesObject:
        ingress:
          enabled: true
          hosts: [app-{i}.example.com]
  destination:
    server: https://kubernetes.default.svc
    namespace: app-{i}
  syncPolicy:
    automated:
      prune: true
      {automated}: true
    syncOptions: [CreateNamespace=true, ServerSideApply=true]
    retry:
      limit: 5
      backoff: {{duration: 5s, factor: 2, maxDuration: 3m}}
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers: [/spec/replicas]
  revisionHistoryLimit: 5
",
        t = i % 7
    )
}

fn applicationset(i: usize) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: set-{i}
  namespace: argocd
spec:
  goTemplate: true
  goTemplateOptions: [\"missingkey=error\"]
  generators:
    - matrix:
        generators:
          - git:
              repoURL: https://github.com/example/apps.git
              revision: HEAD
              directories: [{{path: 'apps/*'}}, {{path: apps/legacy, exclude: true}}]
          - clusters:
              selector:
                matchLabels: {{env: prod}}
  template:
    metadata:
      name: '{{{{.path.basename}}}}-{{{{.name}}}}'
      labels: {{set: set-{i}}}
    spec:
      project: default
      source:
        repoURL: https://github.com/example/apps.git
        targetRevision: HEAD
        path: '{{{{.path.path}}}}'
      destination:
        server: '{{{{.server}}}}'
        namespace: '{{{{.path.basename}}}}'
      syncPolicy:
        automated: {{prune: '{{{{.prune}}}}', selfHeal: true}}
  syncPolicy:
    preserveResourcesOnDeletion: true
  strategy:
    type: RollingSync
    rollingSync:
      steps:
        - matchExpressions: [{{key: env, operator: In, values: [dev]}}]
        - maxUpdate: 25%
"
    )
}

fn appproject(i: usize) -> String {
    format!(
        "apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata:
  name: team-{i}
  namespace: argocd
spec:
  description: Team {i}
  sourceRepos: ['https://github.com/example/*']
  destinations:
    - {{namespace: 'team-{i}-*', server: https://kubernetes.default.svc}}
  clusterResourceWhitelist: [{{group: '', kind: Namespace}}]
  namespaceResourceBlacklist: [{{group: '', kind: ResourceQuota}}]
  roles:
    - name: ci
      policies: ['p, proj:team-{i}:ci, applications, sync, team-{i}/*, allow']
      jwtTokens: [{{iat: 1700000000}}]
  syncWindows:
    - {{kind: allow, schedule: '10 1 * * *', duration: 1h, applications: ['*']}}
"
    )
}

fn corpus(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| match i % 3 {
            0 => application(i, i % 30 == 0),
            1 => applicationset(i),
            _ => appproject(i),
        })
        .collect()
}

fn time<T>(label: &str, docs: usize, f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let out = f();
    let d = start.elapsed();
    println!("{label:<58} {:>9.1} ms  {:>11.0} docs/s", d.as_secs_f64() * 1e3, docs as f64 / d.as_secs_f64());
    (d, out)
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let n: usize = std::env::var("ARGOVET_BENCH_DOCS").ok().and_then(|s| s.parse().ok()).unwrap_or(6000);
    let texts = corpus(n);
    println!(
        "corpus: {n} documents (Application / ApplicationSet / AppProject in turn, 1 in 30 Applications with a typo)"
    );

    let (compile, _) = time("compile embedded schemas (Validator::new, fresh)", 3, || Validator::new(&[], false));
    let validator = Validator::builtin().expect("embedded schemas compile");

    let (parse, docs) = time("parse (yaml::load + Document::new), 1 thread", n, || {
        texts
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                let file = Arc::new(SourceFile::new(format!("doc-{i}.yaml"), t.clone()));
                let loaded = load(t, &Limits::default());
                loaded.docs.into_iter().map(move |d| Document::new(file.clone(), d.index, d.value, d.map))
            })
            .collect::<Vec<Document>>()
    });
    let all = |_: &str| true;
    let lint = best_of(3, || {
        let mut out = Vec::new();
        for d in &docs {
            argovet::lint::check_document(d, &all, &mut out);
        }
        out.len()
    });
    let mut findings = 0;
    let schema = best_of(3, || {
        let mut out = Vec::new();
        for d in &docs {
            validator.check(d, &mut out);
        }
        findings = out.len();
        out.len()
    });
    let rate = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "{:<58} {:>9.1} ms  {:>11.0} docs/s",
        "lint rules, 1 thread (best of 3)",
        lint.as_secs_f64() * 1e3,
        rate(lint)
    );
    println!(
        "{:<58} {:>9.1} ms  {:>11.0} docs/s  ({findings} findings)",
        "schema validation alone, 1 thread (best of 3)",
        schema.as_secs_f64() * 1e3,
        rate(schema)
    );
    let total = parse + lint + schema;
    println!(
        "validation share of parse + lint + validate: {:.1}% (compile once: {:.2} ms)",
        100.0 * schema.as_secs_f64() / total.as_secs_f64(),
        compile.as_secs_f64() * 1e3
    );

    // The same Applications through the `jsonschema` crate (no network, default features off),
    // validating against the same embedded schema: speed only, its errors carry schema paths.
    let apps: Vec<&Document> = docs.iter().filter(|d| d.kind_name() == Some("Application")).collect();
    let app_schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/argoproj.io/v1alpha1/application.json")).expect("valid JSON");
    let (_, other) = time("jsonschema crate: compile application.json", 1, || jsonschema::validator_for(&app_schema));
    let other = other.expect("jsonschema compiles the Application schema");
    let ours = best_of(3, || {
        apps.iter()
            .map(|d| validator.violations("argoproj.io/v1alpha1", "Application", &d.value).map_or(0, |v| v.len()))
            .sum::<usize>()
    });
    let theirs = best_of(3, || apps.iter().map(|d| other.iter_errors(&d.value).count()).sum::<usize>());
    println!(
        "Applications only ({}): argovet {:.0} docs/s, jsonschema crate {:.0} docs/s (collecting every error)",
        apps.len(),
        apps.len() as f64 / ours.as_secs_f64(),
        apps.len() as f64 / theirs.as_secs_f64()
    );

    // End to end: `argovet check` over files on disk, all threads, built-in schemas.
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, chunk) in texts.chunks(10).enumerate() {
        std::fs::write(dir.path().join(format!("f{i:05}.yaml")), chunk.join("---\n")).expect("write corpus");
    }
    let path = dir.path().to_string_lossy().to_string();
    let run = |extra: &[&str]| {
        let mut argv = vec!["argovet", "check", path.as_str()];
        argv.extend_from_slice(extra);
        let Command::Check(args) = Cli::try_parse_from(argv).expect("arguments parse").command else {
            unreachable!("parsed a check command")
        };
        best_of(3, || argovet::commands::check::check(&args).map(|c| c.findings.len()).unwrap_or(0))
    };
    let e2e = run(&[]);
    println!(
        "{:<58} {:>9.1} ms  {:>11.0} docs/s  (threads: {})",
        "argovet check end to end (best of 3)",
        e2e.as_secs_f64() * 1e3,
        rate(e2e),
        rayon::current_num_threads()
    );
    println!(
        "schema validation ≈ {:.1}% of check's single-thread work; {:.1} ms of {:.1} ms wall time at most",
        100.0 * schema.as_secs_f64() / total.as_secs_f64(),
        schema.as_secs_f64() * 1e3 / rayon::current_num_threads() as f64,
        e2e.as_secs_f64() * 1e3
    );
}
