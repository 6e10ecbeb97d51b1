//! `cargo bench --bench check`: documents per second, on a generated repository, all measured on the
//! same machine in one run, each over every core with rayon, for:
//!
//! 1. parsing alone with serde_yaml into a JSON value (the reference ceiling from the issue);
//! 2. argovet's YAML front end alone (values + source maps);
//! 3. the whole `argovet check` pipeline (discovery, reading, parsing, lint rules, sorting).
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

#[path = "support/corpus.rs"]
mod corpus;

use argovet::commands::check::{CheckArgs, check};
use clap::Parser;
use rayon::prelude::*;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Wrapper {
    #[command(flatten)]
    args: CheckArgs,
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(f());
            t.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    // As the binary does, so that figures do not depend on RUST_BACKTRACE.
    // SAFETY: first thing in main, before any thread exists.
    unsafe { argovet::disable_library_backtraces() };
    let docs: usize = std::env::var("ARGOVET_BENCH_DOCS").ok().and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let (files, bytes) = corpus::write_corpus(dir.path(), docs, 5);
    if let Some(keep) = std::env::var_os("ARGOVET_BENCH_CORPUS") {
        // Also write the corpus where the caller wants it, to time the binary (hyperfine, perf).
        corpus::write_corpus(std::path::Path::new(&keep), docs, 5);
    }
    let texts: Vec<String> = walk(dir.path()).iter().map(|p| std::fs::read_to_string(p).expect("read")).collect();
    println!(
        "corpus: {docs} documents, {files} files, {:.1} MB, {} threads",
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    // Under callgrind, time one phase once: `ARGOVET_BENCH_PHASE=serde|front|check` (instruction counts
    // do not depend on what else the machine is doing).
    let phase = std::env::var("ARGOVET_BENCH_PHASE").ok();
    let runs = |name: &str| match phase.as_deref() {
        None => 5,
        Some(p) if p == name => 1,
        Some(_) => 0,
    };
    let serde = best_of(runs("serde"), || {
        texts
            .par_iter()
            .map(|t| {
                serde_yaml::Deserializer::from_str(t)
                    .map(|d| {
                        serde::Deserialize::deserialize(d).map(|v: serde_json::Value| v.is_object()).unwrap_or(false)
                    })
                    .filter(|&b| b)
                    .count()
            })
            .sum::<usize>()
    });
    let ours = best_of(runs("front"), || {
        texts.par_iter().map(|t| argovet::yaml::load(t, &argovet::yaml::Limits::default()).docs.len()).sum::<usize>()
    });
    let path = dir.path().to_string_lossy().to_string();
    let wrapper = Wrapper::parse_from(["check", path.as_str()]);
    let full = best_of(runs("check"), || check(&wrapper.args).map(|c| c.summary.documents).unwrap_or(0));

    if phase.is_some() {
        return;
    }
    let rate = |d: Duration| docs as f64 / d.as_secs_f64();
    println!(
        "{:<44} {:>10.0} docs/s  {:>6.1} MB/s",
        "parse only (serde_yaml -> JSON value)",
        rate(serde),
        bytes as f64 / 1e6 / serde.as_secs_f64()
    );
    println!(
        "{:<44} {:>10.0} docs/s  {:>6.1} MB/s",
        "argovet YAML front end (values + source maps)",
        rate(ours),
        bytes as f64 / 1e6 / ours.as_secs_f64()
    );
    println!(
        "{:<44} {:>10.0} docs/s  {:>6.1} MB/s",
        "argovet check (read + parse + lint)",
        rate(full),
        bytes as f64 / 1e6 / full.as_secs_f64()
    );
    println!("check / serde_yaml parse: {:.0}%", 100.0 * rate(full) / rate(serde));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}
