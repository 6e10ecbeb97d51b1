//! Health-check throughput: a generated `resource_customizations` tree of 60 kinds with 8 tests each
//! (480 cases), run through the same suite runner as `argovet health test`. Prints cases per second.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use argovet::health::layout::Tree;
use argovet::health::sandbox::Limits;
use argovet::health::suite::Suite;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

const KINDS: usize = 60;
const TESTS_PER_KIND: usize = 8;

const SCRIPT: &str = r#"
local hs = {status = "Progressing", message = "Waiting for status"}
if obj.status == nil or obj.status.conditions == nil then
  return hs
end
local ready = nil
for _, c in ipairs(obj.status.conditions) do
  if c.type == "Stalled" and c.status == "True" then
    return {status = "Degraded", message = c.message or "stalled"}
  end
  if c.type == "Ready" then
    ready = c
  end
end
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "ready with " .. tostring(obj.status.replicas) .. " replicas"
elseif ready ~= nil then
  hs.status = "Degraded"
  hs.message = ready.message or ""
end
return hs
"#;

fn object(kind: &str, i: usize) -> (String, String, String) {
    let mut conditions = String::new();
    for j in 0..12 {
        conditions.push_str(&format!("  - type: Cond{j}\n    status: \"False\"\n    message: condition {j}\n"));
    }
    let (cond, status, message) = match i % 4 {
        0 => ("  - type: Ready\n    status: \"True\"\n".to_owned(), "Healthy", format!("ready with {i} replicas")),
        1 => (
            "  - type: Ready\n    status: \"False\"\n    message: broken\n".to_owned(),
            "Degraded",
            "broken".to_owned(),
        ),
        2 => {
            ("  - type: Stalled\n    status: \"True\"\n    message: stuck\n".to_owned(), "Degraded", "stuck".to_owned())
        }
        _ => (String::new(), "Progressing", "Waiting for status".to_owned()),
    };
    let text = format!(
        "apiVersion: bench.example.com/v1\nkind: {kind}\nmetadata:\n  name: obj-{i}\n  labels:\n    app: bench\nspec:\n  replicas: {i}\nstatus:\n  replicas: {i}\n  conditions:\n{conditions}{cond}"
    );
    (text, status.to_owned(), message)
}

fn main() {
    let mut files: HashMap<PathBuf, String> = HashMap::new();
    for k in 0..KINDS {
        let kind = format!("Kind{k}");
        let dir = PathBuf::from(format!("rc/bench.example.com/{kind}"));
        files.insert(dir.join("health.lua"), SCRIPT.to_owned());
        let mut tests = String::from("tests:\n");
        for i in 0..TESTS_PER_KIND {
            let (text, status, message) = object(&kind, i);
            files.insert(dir.join(format!("testdata/{i}.yaml")), text);
            tests.push_str(&format!(
                "- inputPath: testdata/{i}.yaml\n  healthStatus:\n    status: {status}\n    message: \"{message}\"\n"
            ));
        }
        files.insert(dir.join("health_test.yaml"), tests);
    }
    let paths: Vec<PathBuf> = files.keys().cloned().collect();
    let read = |p: &Path| files.get(p).cloned().ok_or_else(|| format!("no file {}", p.display()));

    let started = Instant::now();
    let tree = Tree::from_files(&paths);
    let mut suite = Suite::default();
    suite.add_tree(&tree, &read);
    let build = started.elapsed();
    let cases = suite.cases.len();

    for (label, coverage) in [("run", false), ("run --coverage", true)] {
        // One warm-up pass, then the timed passes.
        let _ = suite.run(coverage, Limits::default());
        let rounds = 5;
        let started = Instant::now();
        let mut failed = 0;
        for _ in 0..rounds {
            let report = suite.run(coverage, Limits::default());
            failed += report.results.iter().filter(|r| !r.passed).count();
        }
        let secs = started.elapsed().as_secs_f64();
        assert_eq!(failed, 0, "the generated suite must pass");
        println!(
            "health {label}: {cases} cases x {rounds} rounds in {secs:.2}s = {:.0} cases/s ({} threads)",
            (cases * rounds) as f64 / secs,
            rayon::current_num_threads()
        );
    }
    println!(
        "health suite build (parse + compile {KINDS} scripts + {cases} objects): {:.1} ms",
        build.as_secs_f64() * 1e3
    );
}
