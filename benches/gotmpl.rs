//! Executions per second of a realistic ApplicationSet field template over 100k parameter sets:
//! the template is parsed once and executed for every set, as `appset generate` does.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a benchmark prints its figures

use std::time::Instant;

use argovet::gotmpl::{Options, Template, Value};

const FIELD: &str = r#"{{ .cluster.name | lower }}-{{ .path.basename | normalize }}{{ if .values.suffix }}-{{ .values.suffix }}{{ end }}"#;
const LABELS: &str =
    r#"{{- range $k, $v := .labels }}{{ $k }}={{ $v | quote }},{{ end -}} env={{ default "dev" .env }}"#;

fn params(i: usize) -> serde_json::Value {
    serde_json::json!({
        "cluster": {"name": format!("Cluster-{}", i % 50), "server": format!("https://10.0.{}.{}:6443", i % 200, i % 250)},
        "path": {"path": format!("apps/team-{}/svc_{}", i % 20, i), "basename": format!("Svc_{i}"), "segments": ["apps", format!("team-{}", i % 20)]},
        "values": {"suffix": if i.is_multiple_of(3) { "" } else { "canary" }, "replicas": (i % 5) as f64},
        "labels": {"team": format!("t{}", i % 20), "tier": "backend", "index": i as f64},
        "env": if i.is_multiple_of(2) { serde_json::Value::Null } else { serde_json::json!("prod") },
    })
}

fn main() {
    let n = 100_000;
    let sets: Vec<serde_json::Value> = (0..n).map(params).collect();
    let opts = Options::default();
    for (name, src) in [("name field", FIELD), ("labels field", LABELS)] {
        let tmpl = match Template::parse(src) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{name}: {e}");
                std::process::exit(1);
            }
        };
        let start = Instant::now();
        let mut bytes = 0usize;
        for p in &sets {
            match tmpl.execute(p, &opts) {
                Ok(s) => bytes += s.len(),
                Err(e) => {
                    eprintln!("{name}: {e}");
                    std::process::exit(1);
                }
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!("gotmpl {name}: {n} executions in {secs:.3} s = {:.0} executions/s ({bytes} bytes)", n as f64 / secs);
    }
    // An ApplicationSet renders many fields per parameter set: converting the set once and executing
    // every field against the converted value avoids repeating the JSON conversion.
    let converted: Vec<Value> = sets.iter().map(Value::from_json).collect();
    if let Ok(tmpl) = Template::parse(FIELD) {
        let start = Instant::now();
        let mut ok = 0usize;
        for v in &converted {
            ok += usize::from(tmpl.execute_value(v.clone(), &opts).is_ok());
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "gotmpl name field, pre-converted params: {ok} executions in {secs:.3} s = {:.0} executions/s",
            n as f64 / secs
        );
    }
    let start = Instant::now();
    for _ in 0..n / 10 {
        let _ = Template::parse(FIELD);
    }
    let secs = start.elapsed().as_secs_f64();
    println!("gotmpl parse: {} parses in {secs:.3} s = {:.0} parses/s", n / 10, (n / 10) as f64 / secs);
}
