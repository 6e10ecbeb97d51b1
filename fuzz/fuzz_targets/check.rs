//! Fuzzes the whole `check` pipeline: the input is written as one file (`fuzz.yaml`) into a
//! directory created once per process, then checked through the same library entry point the
//! `check` command uses (`commands::check::check`: reading and decoding, YAML, lint rules, JSON
//! Schema, ApplicationSet expansion, the built-in Rego policies, argocd-cm health scripts,
//! suppressions, sorting), and the report is rendered in every output format. No process is
//! spawned. `ARGOVET_FUZZ_CHECK_ARGS` appends `check` flags (`--no-default-policies`). Invariants: no panic; every finding's span lies inside its file's text; output is
//! deterministic (a second run on the same input gives the same findings).
#![no_main]

use argovet::cli::{Cli, Command};
use argovet::commands::check::{CheckArgs, check};
use argovet::report::{self, Format, Report};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

struct Setup {
    file: PathBuf,
    args: CheckArgs,
    pool: rayon::ThreadPool,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("argovet-fuzz-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the scratch directory");
        // A configuration file in the directory stops the upward search for one.
        let config = dir.join(".argovet.yaml");
        std::fs::write(&config, "# fuzzing\n").expect("write the configuration");
        let file = dir.join("fuzz.yaml");
        let mut argv: Vec<String> = ["argovet", "check", "--config"].map(String::from).to_vec();
        argv.push(config.display().to_string());
        argv.extend(["--max-depth", "64", "--max-alias-nodes", "5000"].map(String::from));
        // Extra `check` flags, e.g. `--no-default-policies` to spend the time on the other engines.
        if let Ok(extra) = std::env::var("ARGOVET_FUZZ_CHECK_ARGS") {
            argv.extend(extra.split_whitespace().map(String::from));
        }
        argv.push(file.display().to_string());
        let cli = <Cli as clap::Parser>::try_parse_from(argv).expect("parse the check arguments");
        let Command::Check(args) = cli.command else { panic!("not a check command") };
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("build a thread pool");
        Setup { file, args, pool }
    })
}

fuzz_target!(|data: &[u8]| {
    let s = setup();
    std::fs::write(&s.file, data).expect("write the input file");
    let Ok(checked) = s.pool.install(|| check(&s.args)) else { return };
    for f in &checked.findings {
        if let Some(src) = checked.sources.get(&f.file) {
            let end = f.span.offset + f.span.len;
            assert!(end <= src.text.len(), "{}: span {:?} past the end of {}", f.rule, f.span, src.text.len());
            assert!(
                src.text.is_char_boundary(f.span.offset) && src.text.is_char_boundary(end),
                "{}: {:?}",
                f.rule,
                f.span
            );
        }
        assert!(f.span.line >= 1 && f.span.column >= 1, "{}: {:?}", f.rule, f.span);
    }
    for format in [Format::Human, Format::Json, Format::Sarif, Format::Junit, Format::Github, Format::Gitlab] {
        let report =
            Report { findings: &checked.findings, summary: &checked.summary, sources: &checked.sources, color: true };
        let _ = report::render(format, &report);
    }
    if data.len() < 512 {
        if let Ok(again) = s.pool.install(|| check(&s.args)) {
            assert_eq!(format!("{:?}", again.findings), format!("{:?}", checked.findings), "nondeterministic findings");
        }
    }
});
