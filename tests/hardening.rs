//! Hostile inputs across the engines, run as child processes so that a crash is an exit status and
//! peak memory can be measured (`wait4`'s `ru_maxrss`).
//!
//! Bounds are deliberately generous: they separate "bounded" from "runaway" (a 10^8-Application
//! matrix materialised would need tens of GiB; a stack overflow aborts with a signal), not fast from
//! slow, so they do not flake on a loaded 2-core CI machine running debug builds. Wall-clock bounds are
//! only asserted where the unbounded behaviour would take hours.
#![allow(clippy::print_stdout, clippy::print_stderr)] // tests print the figures they measure

mod common;

use common::{Run, argovet, commit, loose_object, run, write};
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

const MIB: u64 = 1 << 20;

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", r.stdout, r.stderr))
}

/// `(file, rule, message)` of every finding.
fn findings(v: &Value) -> Vec<(String, String, String)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap_or("").to_string(),
                f["rule"].as_str().unwrap_or("").to_string(),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// [`run`], asserting bounds every quick hostile case must meet: peak RSS under 300 MiB and under
/// 2 minutes (they take well under a second and 50 MiB; the bounds only catch runaways).
fn run_bounded(cmd: &mut std::process::Command) -> Run {
    let r = run(cmd);
    assert!(r.peak_rss < 300 * MIB, "peak RSS {} MiB: {:?}", r.peak_mib(), cmd);
    assert!(r.elapsed < Duration::from_secs(120), "{:?}: {:?}", r.elapsed, cmd);
    assert!(r.code >= 0, "killed by a signal: {:?}\n{}", cmd, r.stderr);
    r
}

// ---------------------------------------------------------------------------------------------
// Nesting

#[test]
fn ten_thousand_deep_nesting_in_flow_and_block_style_is_refused() {
    let d = tempfile::tempdir().expect("tmp");
    let n = 10_000;
    write(d.path(), "flow-seq.yaml", format!("{}1{}\n", "[".repeat(n), "]".repeat(n)));
    write(d.path(), "flow-map.yaml", format!("{}1{}\n", "{a: ".repeat(n), "}".repeat(n)));
    write(d.path(), "block-seq.yaml", format!("{}1\n", "- ".repeat(n)));
    write(d.path(), "block-in-map.yaml", format!("a:\n  b:\n    {}1\n", "- ".repeat(n)));
    // Inside an Application, where every engine (lint, schema, policies) would walk it.
    write(
        d.path(),
        "app.yaml",
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\n  namespace: argocd\n\
             spec:\n  project: web\n  source:\n    repoURL: https://github.com/example/charts.git\n    \
             targetRevision: v1.0.0\n    chart: web\n    helm:\n      valuesObject:\n        x:\n        {}1\n  \
             destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n",
            "- ".repeat(n)
        ),
    );
    // The defaults, and --max-depth raised past what the engines behind the loader could take:
    // before the ceiling, the raised run overflowed a policy worker's stack (a SIGABRT, no report).
    for raised in [false, true] {
        let mut cmd = argovet(d.path());
        cmd.args(["check", ".", "--format", "json"]);
        if raised {
            cmd.args(["--max-depth", "20000"]);
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, 1, "raised={raised}: {}", r.stderr);
        let f = findings(&json(&r));
        let deep: Vec<_> = f.iter().filter(|(_, rule, _)| rule == "yaml-too-deep").collect();
        assert_eq!(deep.len(), 5, "raised={raised}: {f:#?}");
        for (file, _, msg) in &deep {
            let expected = if file.starts_with("flow") {
                "flow collections (`[...]`, `{...}`) nested deeper than 255 levels"
            } else if raised {
                "nesting deeper than 512 levels"
            } else {
                "nesting deeper than 256 levels"
            };
            assert!(msg.contains(expected), "{file}: {msg}");
        }
        assert!(r.peak_rss < 300 * MIB, "peak RSS {} MiB", r.peak_mib());
    }
}

// ---------------------------------------------------------------------------------------------
// A 100 MB file

#[test]
fn a_100_mb_file_is_skipped_by_default_and_processed_in_bounded_memory_when_allowed() {
    let d = tempfile::tempdir().expect("tmp");
    // A ConfigMap whose one value is a 100 MiB block scalar of 100-byte lines, written in pieces.
    let line = format!("    {}\n", "x".repeat(95));
    let head = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: default\ndata:\n  blob: |\n";
    let lines = (100 * MIB as usize).div_ceil(line.len());
    {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(d.path().join("big.yaml")).expect("create"));
        w.write_all(head.as_bytes()).expect("write");
        for _ in 0..lines {
            w.write_all(line.as_bytes()).expect("write");
        }
        w.flush().expect("flush");
    }
    let size = (head.len() + lines * line.len()) as u64;

    // Default limit: a warning naming the flag, the file never read (memory stays small).
    let r = run(argovet(d.path()).args(["check", ".", "--format", "json"]));
    assert_eq!(r.code, 0, "a warning does not fail the run: {}", r.stderr);
    let f = findings(&json(&r));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!((f[0].0.as_str(), f[0].1.as_str()), ("big.yaml", "file-too-large"));
    assert!(f[0].2.contains(&format!("{size} bytes, over the 10485760 byte limit")), "{}", f[0].2);
    assert!(f[0].2.contains("--max-file-size"), "{}", f[0].2);
    assert!(r.peak_rss < 100 * MIB, "skipping must not read the file: peak RSS {} MiB", r.peak_mib());
    eprintln!("figure: 100 MiB file skipped in {:?}, peak {} MiB", r.elapsed, r.peak_mib());

    // Raised: the file is loaded and checked by every engine. Measured: 650 MiB peak (text, value,
    // policy input), 27 s in a debug build, 2.3 s in release.
    let r = run(argovet(d.path()).args(["check", ".", "--format", "json", "--max-file-size", "200000000"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["summary"]["documents"], 1);
    assert!(findings(&v).is_empty(), "{:?}", findings(&v));
    assert!(r.peak_rss < 1536 * MIB, "peak RSS {} MiB for a 100 MiB file", r.peak_mib());
    eprintln!("figure: 100 MiB file checked in {:?}, peak {} MiB", r.elapsed, r.peak_mib());
    assert!(r.elapsed < Duration::from_secs(600), "{:?}", r.elapsed);
}

// ---------------------------------------------------------------------------------------------
// Git: shallow clones, corrupt repositories, missing revisions

const GIT_SET: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: apps
  namespace: argocd
spec:
  generators:
  - git:
      repoURL: https://github.com/example/apps.git
      revision: REVISION
      directories:
      - path: apps/*
  template:
    metadata:
      name: '{{path.basename}}'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/apps.git
        targetRevision: HEAD
        path: '{{path}}'
      destination:
        server: https://kubernetes.default.svc
        namespace: '{{path.basename}}'
";

const MAPPING: &str = "https://github.com/example/apps=.";

/// A repository with two commits (`apps/web`, then `apps/api` added); returns (dir, first, second).
fn two_commits() -> (tempfile::TempDir, String, String) {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "apps/web/kustomization.yaml", "resources: []\n");
    write(d.path(), "argocd/set.yaml", GIT_SET.replace("REVISION", "HEAD"));
    let first = commit(d.path(), "one");
    write(d.path(), "apps/api/kustomization.yaml", "resources: []\n");
    let second = commit(d.path(), "two");
    (d, first, second)
}

#[test]
fn a_shallow_clone_says_history_is_missing_and_how_to_fetch_it() {
    let (d, first, second) = two_commits();
    // What `git clone --depth 1` leaves: the tip listed in .git/shallow, its parent's objects absent.
    write(d.path(), ".git/shallow", format!("{second}\n"));
    std::fs::remove_file(loose_object(d.path(), &first)).expect("remove parent commit");

    let r = run_bounded(argovet(d.path()).args(["appset", "diff", "--base", "HEAD~1"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--base: unable to resolve git revision \"HEAD~1\""), "{}", r.stderr);
    assert!(r.stderr.contains("shallow clone") && r.stderr.contains("fetch-depth: 0"), "{}", r.stderr);

    // The git generator asked for a revision the clone does not have.
    write(d.path(), "set.yaml", GIT_SET.replace("REVISION", &first));
    let r = run_bounded(argovet(d.path()).args(["appset", "generate", "set.yaml", "--repo", MAPPING]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("unable to resolve git revision \"{first}\"")), "{}", r.stderr);
    assert!(r.stderr.contains("shallow clone"), "{}", r.stderr);
    // What the clone has still renders.
    write(d.path(), "set.yaml", GIT_SET.replace("REVISION", "HEAD"));
    let r = run_bounded(argovet(d.path()).args(["appset", "generate", "set.yaml", "--repo", MAPPING]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("name: api") && r.stdout.contains("name: web"), "{}", r.stdout);
}

#[test]
fn a_corrupt_repository_is_named_and_never_mistaken_for_deletions() {
    // A damaged tree object: every reader fails with the repository named.
    let (d, _, second) = two_commits();
    let repo = git2::Repository::open(d.path()).expect("open");
    let tree = repo.find_commit(git2::Oid::from_str(&second).expect("oid")).expect("commit").tree_id().to_string();
    drop(repo);
    let obj = loose_object(d.path(), &tree);
    let mut perms = std::fs::metadata(&obj).expect("meta").permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&obj, perms).expect("chmod");
    std::fs::write(&obj, b"this is not a zlib stream").expect("corrupt");

    let r = run_bounded(argovet(d.path()).args(["appset", "diff", "--base", "HEAD~1"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains(&format!("head: reading commit {second}")), "{}", r.stderr);
    assert!(r.stderr.contains("looks corrupt (`git fsck` says more)"), "{}", r.stderr);

    let r = run_bounded(argovet(d.path()).args(["appset", "generate", "argocd/set.yaml", "--repo", MAPPING]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("error generating params from git: https://github.com/example/apps.git"), "{}", r.stderr);
    assert!(r.stderr.contains("looks corrupt"), "{}", r.stderr);

    let r = run_bounded(argovet(d.path()).args(["check", "argocd", "--format", "json", "--repo", MAPPING]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let f = findings(&json(&r));
    assert!(
        f.iter().any(|(file, rule, msg)| file == "argocd/set.yaml"
            && rule == "appset-render-error"
            && msg.contains("looks corrupt")),
        "{f:#?}"
    );

    // A missing blob: before, `appset diff` skipped the unreadable file and reported every
    // Application it generates as removed.
    let (d, _, _) = two_commits();
    let repo = git2::Repository::open(d.path()).expect("open");
    let blob = repo.revparse_single("HEAD:argocd/set.yaml").expect("blob").id().to_string();
    drop(repo);
    std::fs::remove_file(loose_object(d.path(), &blob)).expect("remove blob");
    let r = run_bounded(argovet(d.path()).args(["appset", "diff", "--base", "HEAD~1", "-o", "json"]));
    assert_eq!(r.code, 2, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("reading argocd/set.yaml: object not found"), "{}", r.stderr);
    assert!(r.stderr.contains("looks corrupt"), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "no report from a damaged repository: {}", r.stdout);
}

#[test]
fn missing_revisions_are_clear_errors() {
    let (d, _, _) = two_commits();
    for (flag, label) in [("--base", "--base"), ("--head", "--head")] {
        let mut cmd = argovet(d.path());
        cmd.args(["appset", "diff"]);
        if flag == "--head" {
            cmd.args(["--base", "HEAD~1"]);
        }
        cmd.args([flag, "no-such-rev"]);
        let r = run_bounded(&mut cmd);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!("{label}: unable to resolve git revision \"no-such-rev\": no such branch, tag")),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("shallow"), "a complete clone gets no shallow hint: {}", r.stderr);
    }
    write(d.path(), "set.yaml", GIT_SET.replace("REVISION", "release-9"));
    let r = run_bounded(argovet(d.path()).args(["appset", "generate", "set.yaml", "--repo", MAPPING]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unable to resolve git revision \"release-9\""), "{}", r.stderr);
    // `--repo` pointing at something that is not a repository.
    let plain = tempfile::tempdir().expect("tmp");
    let r = run_bounded(argovet(d.path()).args([
        "appset",
        "generate",
        "set.yaml",
        "--repo",
        &format!("https://github.com/example/apps={}", plain.path().display()),
    ]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not a git repository"), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// ApplicationSet sizes and templates

fn list(key: &str, n: usize, indent: &str) -> String {
    (0..n).map(|i| format!("{indent}- {key}: '{i}'\n")).collect()
}

/// matrix(matrix(100 x 100), matrix(100 x 100)): 10^8 Applications from a 60 KB file.
fn hundred_million() -> String {
    let i = "              ";
    format!(
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: huge\n  namespace: argocd\nspec:\n  \
         generators:\n  - matrix:\n      generators:\n      - matrix:\n          generators:\n          - list:\n              \
         elements:\n{}          - list:\n              elements:\n{}      - matrix:\n          generators:\n          \
         - list:\n              elements:\n{}          - list:\n              elements:\n{}  template:\n    metadata:\n      \
         name: 'app-{{{{a}}}}-{{{{b}}}}-{{{{c}}}}-{{{{d}}}}'\n    spec:\n      project: default\n      source:\n        \
         repoURL: https://github.com/example/apps.git\n        targetRevision: HEAD\n        path: apps\n      \
         destination:\n        server: https://kubernetes.default.svc\n        namespace: default\n",
        list("a", 100, i),
        list("b", 100, i),
        list("c", 100, i),
        list("d", 100, i)
    )
}

#[test]
fn a_matrix_of_a_hundred_million_applications_is_refused_before_it_is_built() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "huge.yaml", hundred_million());
    let r = run(argovet(d.path()).args(["appset", "generate", "huge.yaml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("generators[0].matrix: would generate more than 100000 parameter sets"), "{}", r.stderr);
    assert!(
        r.stderr.contains("raise it with --max-applications or `maxApplications` in .argovet.yaml"),
        "{}",
        r.stderr
    );
    eprintln!("figure: 10^8 matrix refused in {:?}, peak {} MiB", r.elapsed, r.peak_mib());
    // 10^8 Applications at ~1 KiB each would be ~100 GiB; refused at the cap it stays small
    // (measured: 176 MiB, 7 s in a debug build).
    assert!(r.peak_rss < 1024 * MIB, "peak RSS {} MiB", r.peak_mib());

    // `check` reports it as a finding on the ApplicationSet, with the same bound.
    let r = run(argovet(d.path()).args(["check", ".", "--format", "json", "--no-default-policies"]));
    assert_eq!(r.code, 1);
    let f = findings(&json(&r));
    assert!(f.iter().any(|(_, rule, msg)| rule == "appset-render-error" && msg.contains("more than 100000")), "{f:#?}");
    assert!(r.peak_rss < 1024 * MIB, "peak RSS {} MiB", r.peak_mib());

    // The cap is the user's: the configured value is the one enforced and named.
    write(d.path(), ".argovet.yaml", "maxApplications: 500\n");
    let r = run(argovet(d.path()).args(["appset", "generate", "huge.yaml"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("would generate more than 500 parameter sets"), "{}", r.stderr);
    // The flag wins over the configuration.
    let r = run(argovet(d.path()).args(["appset", "generate", "huge.yaml", "--max-applications", "2000"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("would generate more than 2000 parameter sets"), "{}", r.stderr);
    // A set under the cap renders: 100 x 100 with the cap at 10,000.
    write(
        d.path(),
        "grid.yaml",
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: grid\n  namespace: argocd\nspec:\n  \
             generators:\n  - matrix:\n      generators:\n      - list:\n          elements:\n{}      - list:\n          \
             elements:\n{}  template:\n    metadata:\n      name: 'app-{{{{a}}}}-{{{{b}}}}'\n    spec:\n      project: default\n      \
             source:\n        repoURL: https://github.com/example/apps.git\n        targetRevision: HEAD\n        path: apps\n      \
             destination:\n        server: https://kubernetes.default.svc\n        namespace: default\n",
            list("a", 100, "          "),
            list("b", 100, "          ")
        ),
    );
    let r =
        run(argovet(d.path()).args(["appset", "generate", "grid.yaml", "--max-applications", "10000", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&r.stdout).expect("json").len(), 10_000);
    let r = run(argovet(d.path()).args(["appset", "generate", "grid.yaml", "--max-applications", "9999"]));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("would generate more than 9999 parameter sets"), "{}", r.stderr);
}

const GO_SET: &str = "apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata:
  name: rec
  namespace: argocd
spec:
  goTemplate: true
  generators:
  - list:
      elements:
ELEMENTS  template:
    metadata:
      name: 'NAME'
    spec:
      project: default
      source:
        repoURL: https://github.com/example/apps.git
        targetRevision: HEAD
        path: apps
      destination:
        server: https://kubernetes.default.svc
        namespace: default
";

fn go_set(name: &str, elements: usize) -> String {
    GO_SET.replace("ELEMENTS", &list("env", elements, "      ")).replace("NAME", name)
}

#[test]
fn a_go_template_recursing_through_define_and_template_stops_with_a_clear_error() {
    let d = tempfile::tempdir().expect("tmp");
    // Endless recursion: Go's own depth error.
    write(d.path(), "loop.yaml", go_set(r#"{{define "loop"}}{{template "loop" .}}{{end}}{{template "loop" .}}"#, 3));
    let r = run(argovet(d.path()).args(["appset", "generate", "loop.yaml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("executing \"loop\" at <{{template \"loop\" .}}>: exceeded maximum template depth (100)"),
        "{}",
        r.stderr
    );
    assert!(r.peak_rss < 300 * MIB, "peak RSS {} MiB", r.peak_mib());

    // Bounded depth, exponential fan-out: 2^40 calls. Each execution stops at the step limit,
    // and the ApplicationSet stops after the first element that hits it, instead of paying the
    // limit once per element (before: 86 s per element in a debug build, 13 s in release).
    write(
        d.path(),
        "fan.yaml",
        go_set(
            r#"{{define "fan"}}{{if lt (len .) 40}}{{template "fan" (append . 1)}}{{template "fan" (append . 2)}}{{end}}{{end}}{{template "fan" (list)}}x"#,
            50,
        ),
    );
    let r = run(argovet(d.path()).args(["appset", "generate", "fan.yaml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("generators[0].list.elements[0]: failed to execute go template"), "{}", r.stderr);
    assert!(r.stderr.contains("execution exceeded the limit of 5000000 steps"), "{}", r.stderr);
    assert!(r.stderr.contains("argovet stopped rendering, 49 more parameter sets were not rendered"), "{}", r.stderr);
    assert!(!r.stderr.contains("elements[1]"), "{}", r.stderr);
    assert!(r.peak_rss < 300 * MIB, "peak RSS {} MiB", r.peak_mib());
    // Measured 3 s in a debug build; 50 elements at the old cost would take over an hour.
    assert!(r.elapsed < Duration::from_secs(300), "{:?}", r.elapsed);
    eprintln!("figure: template fan-out stopped in {:?}, peak {} MiB", r.elapsed, r.peak_mib());

    // The same through `check`: one finding per failure, the run ends.
    let r = run(argovet(d.path()).args(["check", "fan.yaml", "--format", "json", "--no-default-policies"]));
    assert_eq!(r.code, 1);
    let f = findings(&json(&r));
    assert!(
        f.iter().any(|(_, rule, msg)| rule == "appset-render-error" && msg.contains("stopped rendering")),
        "{f:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Git generator reading outside the mapped repository

#[cfg(unix)]
#[test]
fn git_generators_never_read_outside_the_mapped_repository() {
    let outside = tempfile::tempdir().expect("tmp");
    let marker = format!("TOPSECRET-{}", std::process::id());
    write(outside.path(), "secret.yaml", format!("token: {marker}\n"));
    write(outside.path(), "sub/secret.yaml", format!("token: {marker}\n"));
    let secret_abs = outside.path().join("secret.yaml");

    let base = tempfile::tempdir().expect("tmp");
    let repo = base.path().join("repo");
    write(&repo, "config/ok.yaml", "token: visible\n");
    write(&repo, "apps/web/kustomization.yaml", "resources: []\n");
    let link = |target: &Path, at: &str| {
        let p = repo.join(at);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::os::unix::fs::symlink(target, p).expect("symlink");
    };
    // A relative link climbing out, an absolute link, and a link to a directory outside.
    let rel_target = Path::new("../../..").join(secret_abs.strip_prefix("/").expect("absolute"));
    link(&rel_target, "config/climb.yaml");
    link(&secret_abs, "config/absolute.yaml");
    link(outside.path(), "config/outside-dir");
    link(outside.path(), "apps/outside-dir");
    commit(&repo, "links");

    let outside_rel = Path::new("../../..").join(outside.path().strip_prefix("/").expect("absolute"));
    let patterns = [
        "config/*.yaml".to_string(),
        "config/**".to_string(),
        "**/secret.yaml".to_string(),
        "config/outside-dir/*.yaml".to_string(),
        format!("{}/secret.yaml", outside_rel.display()),
        "../secret.yaml".to_string(),
        secret_abs.display().to_string(),
        format!("{}/*", outside.path().display()),
    ];
    let files: String = patterns.iter().map(|p| format!("      - path: '{p}'\n")).collect();
    let set = |generator: &str| {
        format!(
            "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: files\n  namespace: argocd\n\
             spec:\n  goTemplate: true\n  goTemplateOptions: [missingkey=zero]\n  generators:\n  - git:\n      \
             repoURL: https://github.com/example/apps.git\n      revision: HEAD\n{generator}  template:\n    metadata:\n      \
             name: '{{{{.path.basenameNormalized}}}}'\n      annotations:\n        \
             token: '{{{{.token}}}}'\n    spec:\n      project: default\n      source:\n        repoURL: \
             https://github.com/example/apps.git\n        targetRevision: HEAD\n        path: '{{{{.path.path}}}}'\n      \
             destination:\n        server: https://kubernetes.default.svc\n        namespace: default\n"
        )
    };
    write(base.path(), "files.yaml", set(&format!("      files:\n{files}")));
    let dirs: String = ["*", "apps/*", "../*", "apps/outside-dir", &format!("{}", outside.path().display())]
        .iter()
        .map(|p| format!("      - path: '{p}'\n"))
        .collect();
    write(base.path(), "dirs.yaml", set(&format!("      directories:\n{dirs}")));

    let mapping = format!("https://github.com/example/apps={}", repo.display());
    let r =
        run_bounded(argovet(base.path()).args(["appset", "generate", "files.yaml", "--repo", &mapping, "-o", "json"]));
    assert!(!r.stdout.contains(&marker) && !r.stderr.contains(&marker), "{}\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let apps: Vec<Value> = serde_json::from_str(&r.stdout).expect("json");
    let tokens: Vec<&str> = apps.iter().map(|a| a["metadata"]["annotations"]["token"].as_str().unwrap_or("")).collect();
    // Only the file inside the repository was read (the test would see a leak).
    assert_eq!(tokens, vec!["visible"], "{}", r.stdout);

    let r =
        run_bounded(argovet(base.path()).args(["appset", "generate", "dirs.yaml", "--repo", &mapping, "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let apps: Vec<Value> = serde_json::from_str(&r.stdout).expect("json");
    let paths: Vec<&str> = apps.iter().map(|a| a["spec"]["source"]["path"].as_str().unwrap_or("")).collect();
    assert_eq!(paths, vec!["apps", "apps/web", "config"], "directory symlinks are not directories");

    // `check` expands the same sets; nothing from outside appears in any finding.
    let r =
        run(argovet(base.path()).args(["check", "files.yaml", "dirs.yaml", "--format", "human", "--repo", &mapping]));
    assert!(!r.stdout.contains(&marker) && !r.stderr.contains(&marker), "{}", r.stdout);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// `check` following symlinks out of the repository

#[cfg(unix)]
#[test]
fn check_does_not_follow_symlinks_out_of_the_repository() {
    let outside = tempfile::tempdir().expect("tmp");
    let marker = format!("TOPSECRET-{}", std::process::id());
    // Broken YAML, so that a report would quote the line in a snippet if the file were read.
    write(outside.path(), "secret.yaml", format!("password: [{marker}\n"));
    write(outside.path(), "dir/more.yaml", format!("password: [{marker}\n"));

    for in_git in [true, false] {
        let d = tempfile::tempdir().expect("tmp");
        let repo = d.path();
        write(repo, "apps/real.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: yes\n");
        std::os::unix::fs::symlink(outside.path().join("secret.yaml"), repo.join("apps/leak.yaml")).expect("link");
        std::os::unix::fs::symlink(outside.path().join("dir"), repo.join("apps/linked")).expect("link");
        // A link that stays inside is still followed.
        std::os::unix::fs::symlink("real.yaml", repo.join("apps/alias.yaml")).expect("link");
        if in_git {
            commit(repo, "links");
        }
        for format in ["human", "json", "sarif"] {
            let r = run_bounded(argovet(repo).args(["check", "apps", "--format", format]));
            assert!(!r.stdout.contains(&marker) && !r.stderr.contains(&marker), "in_git={in_git}: {}", r.stdout);
        }
        let r = run_bounded(argovet(repo).args(["check", "apps", "--format", "json"]));
        let f = findings(&json(&r));
        let rules: Vec<(&str, &str)> = f.iter().map(|(file, rule, _)| (file.as_str(), rule.as_str())).collect();
        assert_eq!(
            rules,
            vec![
                ("apps/alias.yaml", "yaml-ambiguous-value"),
                ("apps/leak.yaml", "file-unreadable"),
                ("apps/linked", "file-unreadable"),
                ("apps/real.yaml", "yaml-ambiguous-value"),
            ],
            "in_git={in_git}: {f:#?}"
        );
        let leak = &f[1].2;
        assert!(leak.contains("symlink to") && leak.contains("not followed"), "{leak}");
        assert_eq!(r.code, 1, "`yes` in ConfigMap data is an error (links not followed are warnings): {}", r.stderr);
    }
}

#[test]
fn huge_files_in_git_are_not_read() {
    let d = tempfile::tempdir().expect("tmp");
    write(d.path(), "config/ok.yaml", "env: ok\n");
    let mut big = String::from("env: big\npadding: |\n");
    let line = format!("  {}\n", "y".repeat(97));
    while big.len() <= 11 * MIB as usize {
        big.push_str(&line);
    }
    write(d.path(), "config/big.yaml", &big);
    drop(big);
    write(
        d.path(),
        "argocd/set.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: files\n  namespace: argocd\nspec:\n  \
         generators:\n  - git:\n      repoURL: https://github.com/example/apps.git\n      revision: HEAD\n      files:\n      \
         - path: 'config/*.yaml'\n  template:\n    metadata:\n      name: '{{env}}'\n    spec:\n      project: default\n      \
         source:\n        repoURL: https://github.com/example/apps.git\n        targetRevision: HEAD\n        path: apps\n      \
         destination:\n        server: https://kubernetes.default.svc\n        namespace: default\n",
    );
    commit(d.path(), "one");
    write(d.path(), "argocd/extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
    commit(d.path(), "two");
    let r = run_bounded(argovet(d.path()).args(["appset", "generate", "argocd/set.yaml", "--repo", MAPPING]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("config/big.yaml: 11534")
            && r.stderr.contains("bytes, over the 10485760 byte limit for files read from git"),
        "{}",
        r.stderr
    );
    // `appset diff` skips it like `check` does by default (it is not an Argo CD object anyway).
    let r = run_bounded(argovet(d.path()).args(["appset", "diff", "--base", "HEAD~1", "--repo", MAPPING]));
    assert_eq!(r.code, 1, "the set fails to render in both revisions: {}", r.stderr);
    assert!(r.stdout.ends_with("0 added, 0 removed, 0 changed\n"), "{}", r.stdout);
}

// ---------------------------------------------------------------------------------------------
// Encodings

#[test]
fn a_file_argo_cd_cannot_decode_is_an_error_at_its_first_invalid_byte() {
    let d = tempfile::tempdir().expect("tmp");
    // Latin-1 `é` (0xE9) at byte 52, line 4, column 12.
    write(d.path(), "latin1.yaml", b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n");
    let r = run_bounded(argovet(d.path()).args(["check", "--format", "json", "latin1.yaml"]));
    assert_eq!(r.code, 1, "an error, not a warning: {}", r.stdout);
    let v = json(&r);
    let f = &v["findings"][0];
    assert_eq!((f["rule"].as_str(), f["severity"].as_str()), (Some("file-encoding"), Some("error")));
    assert_eq!((f["offset"].as_u64(), f["line"].as_u64(), f["column"].as_u64()), (Some(52), Some(4), Some(12)));
    assert!(f["message"].as_str().unwrap_or("").contains("0xE9 at offset 52"), "{f}");
    // The same text in UTF-16 with a byte-order mark is read, as go-yaml reads it.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16
        .extend("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: café\n".encode_utf16().flat_map(u16::to_le_bytes));
    write(d.path(), "latin1.yaml", &utf16);
    let r = run_bounded(argovet(d.path()).args(["check", "--format", "json", "latin1.yaml"]));
    assert_eq!((r.code, findings(&json(&r))), (0, vec![]));
}
