//! `cargo bench --bench policy`: documents per second of `argovet check` on a generated
//! 10,000-document repository, without policies, with the built-in Argo CD pack, and with the pack
//! plus the Kubernetes workload pack.
//!
//! The corpus places each group of ten documents in `apps/app-N/` (the path of the group's
//! Applications), and its HorizontalPodAutoscalers scale the group's Deployments, so the
//! cross-document rule `selfheal-hpa-replicas` has real joins to make.
//!
//! `ARGOVET_BENCH_DOCS=N` changes the corpus size (default 10,000). Under callgrind,
//! `ARGOVET_BENCH_PHASE=none|argocd|both|compile` runs one phase once (`compile` only compiles
//! the Argo CD pack), without warm-up, so that instruction counts can be compared.
//! `ARGOVET_BENCH_CORPUS=DIR` writes the corpus to `DIR` and keeps it.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use argovet::cli::{Cli, Command};
use clap::Parser;
use std::fmt::Write;
use std::time::Instant;

const PER_FILE: usize = 10;

fn document(i: usize) -> String {
    let team = format!("team{}", i % 37);
    let env = ["dev", "staging", "prod"][i % 3];
    // Group `g` is documents 10g..10g+9, written to `apps/g<g>/`. Its first Application deploys that
    // directory under AppProject `proj-<g>` (document 10g+8); its HPA (10g+9) scales its first
    // Deployment (10g+4). Every other group's Application ignores `/spec/replicas`; every 50th
    // group's repository is not permitted by its project.
    let g = i / PER_FILE;
    let lead_team = format!("team{}", (g * PER_FILE) % 37);
    match i % 10 {
        0 => format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app-{i}\n  namespace: argocd\n\
             spec:\n  project: proj-{g}\n  source:\n    repoURL: https://git.example.com/{}/deploy.git\n\
             \x20   targetRevision: v1.2.3\n    path: apps/g{g}\n  destination:\n    name: {env}-cluster\n\
             \x20   namespace: {team}-{env}\n  syncPolicy:\n    automated:\n      selfHeal: true\n    retry:\n      limit: 3\n{}",
            if g.is_multiple_of(50) { "other" } else { &team },
            if g.is_multiple_of(2) {
                "  ignoreDifferences:\n    - group: apps\n      kind: Deployment\n      jsonPointers: [/spec/replicas]\n"
            } else {
                ""
            }
        ),
        1..=3 => format!(
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
            "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: proj-{g}\n  namespace: argocd\n\
             spec:\n  sourceRepos: [https://git.example.com/{lead_team}/*]\n  destinations:\n    - name: '*-cluster'\n\
             \x20     namespace: {lead_team}-*\n"
        ),
        _ => format!(
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web-{i}\nspec:\n\
             \x20 scaleTargetRef: {{apiVersion: apps/v1, kind: Deployment, name: web-{}}}\n  minReplicas: 2\n  maxReplicas: 5\n",
            i - 5
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
    // As the binary does, so that figures do not depend on RUST_BACKTRACE.
    // SAFETY: first thing in main, before any thread exists.
    unsafe { argovet::disable_library_backtraces() };
    let docs: usize = std::env::var("ARGOVET_BENCH_DOCS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let phase = std::env::var("ARGOVET_BENCH_PHASE").ok();
    if phase.as_deref() == Some("compile") {
        let start = Instant::now();
        let set = argovet::policy::builtin::compile(true, false, None).expect("the pack compiles");
        println!(
            "compile argocd pack: {:.1} ms ({} packages)",
            start.elapsed().as_secs_f64() * 1e3,
            set.packages.len()
        );
        return;
    }
    let temp = tempfile::tempdir().expect("temp dir");
    // `ARGOVET_BENCH_CORPUS=DIR` writes (and keeps) the corpus there, to run the binary on it.
    let root = std::env::var_os("ARGOVET_BENCH_CORPUS").map(std::path::PathBuf::from);
    let dir = root.as_deref().unwrap_or(temp.path());
    for f in 0..docs.div_ceil(PER_FILE) {
        let mut text = String::new();
        for i in f * PER_FILE..((f + 1) * PER_FILE).min(docs) {
            let _ = write!(text, "---\n{}", document(i));
        }
        let sub = dir.join("apps").join(format!("g{f}"));
        std::fs::create_dir_all(&sub).expect("mkdir");
        std::fs::write(sub.join("resources.yaml"), text).expect("write");
    }
    let threads = rayon::current_num_threads();
    println!("corpus: {docs} documents in {} files, {threads} threads", docs.div_ceil(PER_FILE));
    for (label, name, extra) in [
        ("check, no policies", "none", &["--no-default-policies"][..]),
        ("check + argocd pack", "argocd", &[][..]),
        ("check + argocd + kubernetes packs", "both", &["--policy", "builtin:kubernetes"][..]),
    ] {
        let runs = match phase.as_deref() {
            None => 3,
            Some(p) if p == name => 1,
            Some(_) => continue,
        };
        if phase.is_none() {
            run(dir, extra); // warm the file cache
        }
        let mut best = f64::MAX;
        let mut findings = 0;
        for _ in 0..runs {
            let (secs, n) = run(dir, extra);
            best = best.min(secs);
            findings = n;
        }
        println!("{label:<36} {:>9.0} docs/s  ({:.3}s, {findings} findings)", docs as f64 / best, best);
    }
}
