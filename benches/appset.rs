//! Renders 100,000 Applications from one ApplicationSet (a 1,000 x 100 matrix of list generators)
//! and prints the rate. Run with `cargo bench --bench appset` (fasttemplate) or
//! `cargo bench --bench appset -- go` (goTemplate).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use argovet::appset::{Inputs, expand};
use serde_json::{Value, json};
use std::time::Instant;

fn list(key: &str, n: usize) -> Value {
    json!({"list": {"elements": (0..n).map(|i| json!({key: format!("{key}{i}"), "region": "eu-west-1"})).collect::<Vec<_>>()}})
}

fn appset(go: bool) -> Value {
    let t = |s: &str| if go { s.replace("{{", "{{ .") } else { s.to_string() };
    json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet",
        "metadata": {"name": "bench", "namespace": "argocd"},
        "spec": {
            "goTemplate": go,
            "generators": [{"matrix": {"generators": [list("team", 1000), list("env", 100)]}}],
            "template": {
                "metadata": {"name": t("{{team}}-{{env}}"), "labels": {"team": t("{{team}}"), "env": t("{{env}}")}},
                "spec": {
                    "project": t("{{team}}"),
                    "source": {"repoURL": "https://github.com/example/apps.git", "targetRevision": "HEAD",
                        "path": t("teams/{{team}}/{{env}}"),
                        "helm": {"valueFiles": [t("values-{{env}}.yaml")], "parameters": [{"name": "region", "value": t("{{region}}")}]}},
                    "destination": {"server": "https://kubernetes.default.svc", "namespace": t("{{team}}-{{env}}")},
                    "syncPolicy": {"automated": {"prune": true}, "syncOptions": ["CreateNamespace=true"]}
                }
            }
        }
    })
}

fn run(label: &str, set: &Value) {
    let inputs = Inputs { max_applications: 200_000, ..Inputs::default() };
    // One expansion per process, as in the CLI: a second run in the same process pays for freeing
    // the first one's 100,000 Applications inside the allocator, which no real run does.
    let t = Instant::now();
    let ex = expand(set, &inputs);
    let secs = t.elapsed().as_secs_f64();
    assert!(ex.errors.is_empty(), "{:?}", ex.errors.first());
    let count = ex.apps.len();
    println!("appset/{label}: {count} Applications in {secs:.3} s ({:.0} Applications/s)", count as f64 / secs);
}

fn main() {
    match std::env::args().nth(1).as_deref() {
        Some("go") => run("goTemplate 1000x100 matrix", &appset(true)),
        _ => run("fasttemplate 1000x100 matrix", &appset(false)),
    }
}
