//! Renders 100,000 Applications from one ApplicationSet (a 1,000 x 100 matrix of list generators)
//! and prints the rate. Run with `cargo bench --bench appset`.

use argovet::appset::{Inputs, expand};
use serde_json::{Value, json};
use std::time::Instant;

fn list(key: &str, n: usize) -> Value {
    json!({"list": {"elements": (0..n).map(|i| json!({key: format!("{key}{i}"), "region": "eu-west-1"})).collect::<Vec<_>>()}})
}

fn appset(go: bool) -> Value {
    let t = |s: &str| if go { s.replace("{{", "{{ .").replace(".region", ".region") } else { s.to_string() };
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
    // One warm-up run, then the best of three.
    let mut best = f64::MAX;
    let mut count = 0;
    for _ in 0..4 {
        let t = Instant::now();
        let ex = expand(set, &inputs);
        let secs = t.elapsed().as_secs_f64();
        assert!(ex.errors.is_empty(), "{:?}", ex.errors.first());
        count = ex.apps.len();
        best = best.min(secs);
    }
    println!("appset/{label}: {count} Applications in {:.3} s ({:.0} Applications/s)", best, count as f64 / best);
}

fn main() {
    run("fasttemplate 1000x100 matrix", &appset(false));
}
