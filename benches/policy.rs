//! `cargo bench --bench policy`: documents per second of `argovet check` on a generated
//! 10,000-document repository, without policies, with the built-in Argo CD pack, and with the pack
//! plus the Kubernetes workload pack.

use argovet::cli::{Cli, Command};
use clap::Parser;
use std::fmt::Write;
use std::time::Instant;

const DOCS: usize = 10_000;
const PER_FILE: usize = 10;

fn document(i: usize) -> String {
    let team = format!("team{}", i % 37);
    let env = ["dev", "staging", "prod"][i % 3];
    match i % 10 {
        0..=3 => format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-{i}\n  namespace: argocd\n\
             spec:\n  project: {team}\n  source:\n    repoURL: https://git.example.com/{team}/deploy.git\n\
             \x20   targetRevision: {}\n    path: apps/app-{i}\n  destination:\n    name: {env}-cluster\n\
             \x20   namespace: {team}-{env}\n  syncPolicy:\n    automated:\n      selfHeal: true\n    retry:\n      limit: 3\n",
            if i.is_multiple_of(7) { "main" } else { "v1.2.3" }
        ),
        4 | 5 => format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-{i}\nspec:\n  replicas: 2\n  selector:\n\
             \x20   matchLabels: {{app: web-{i}}}\n  template:\n    metadata:\n      labels: {{app: web-{i}}}\n    spec:\n\
             \x20     containers:\n        - name: web\n          image: registry.example.com/web:1.{i}\n\
             \x20         resources:\n            limits: {{cpu: 500m, memory: 256Mi}}\n"
        ),
        6 => format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web-{i}\nspec:\n  selector: {{app: web-{i}}}\n  ports:\n    - port: 80\n"
        ),
        7 => format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i}\ndata:\n  key: value-{i}\n"),
        8 => format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: {team}-{i}\n  namespace: argocd\n\
             spec:\n  sourceRepos: [https://git.example.com/{team}/*]\n  destinations:\n    - name: '*-cluster'\n\
             \x20     namespace: {team}-*\n"
        ),
        _ => format!(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web-{i}\nspec:\n\
             \x20 scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web-{i}}}\n  minReplicas: 2\n  maxReplicas: 5\n"
        ),
    }
}

fn run(dir: &std::path::Path, extra: &[&str]) -> (f64, usize) {
    let mut argv =
        vec!["argovet".to_string(), "check".into(), dir.display().to_string(), "--format".into(), "json".into()];
    argv.extend(extra.iter().map(|s| s.to_string()));
    let Ok(Cli { command: Command::Check(args) }) = Cli::try_parse_from(&argv) else {
        panic!("bad arguments: {argv:?}");
    };
    let start = Instant::now();
    let checked = argovet::commands::check::check(&args).expect("check runs");
    let secs = start.elapsed().as_secs_f64();
    (secs, checked.findings.len())
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    for f in 0..DOCS / PER_FILE {
        let mut text = String::new();
        for d in 0..PER_FILE {
            let _ = write!(text, "---\n{}", document(f * PER_FILE + d));
        }
        let sub = dir.path().join(format!("d{}", f % 20));
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join(format!("f{f}.yaml")), text).expect("write");
    }
    let threads = rayon::current_num_threads();
    println!("corpus: {DOCS} documents in {} files, {threads} threads", DOCS / PER_FILE);
    for (label, extra) in [
        ("check, no policies", &["--no-default-policies"][..]),
        ("check + argocd pack", &[][..]),
        ("check + argocd + kubernetes packs", &["--policy", "builtin:kubernetes"][..]),
    ] {
        run(dir.path(), extra); // warm the file cache
        let mut best = f64::MAX;
        let mut findings = 0;
        for _ in 0..3 {
            let (secs, n) = run(dir.path(), extra);
            best = best.min(secs);
            findings = n;
        }
        println!("{label:<36} {:>9.0} docs/s  ({:.3}s, {findings} findings)", DOCS as f64 / best, best);
    }
}
