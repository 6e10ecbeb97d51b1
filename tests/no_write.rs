//! No subcommand writes, creates, removes or touches anything in the user's tree: one input tree
//! (the examples, a health-check library with tests, Rego policies with tests, ApplicationSets and a
//! git repository) is fingerprinted (contents, sizes, modes, modification times of every file,
//! directory and symlink, `.git` included) before and after every subcommand.

mod common;

use common::{argovet, commit, copy_tree, fingerprint, root, run, write};
use std::path::Path;

const WIDGET: &str = "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nstatus:\n  ready: 3\n";

const CM: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: argocd-cm
  namespace: argocd
data:
  resource.customizations.health.example.com_Widget: |
    return {status = 'Healthy', message = 'ok'}
  resource.customizations.actions.example.com_Widget: |
    discovery.lua: |
      return {scale = {}}
    definitions:
    - name: scale
      action.lua: |
        obj.spec = obj.spec or {}
        obj.spec.replicas = tonumber(actionParams['replicas'])
        return obj
";

/// The input tree: a git repository with two commits.
fn tree(dir: &Path) {
    copy_tree(&root().join("examples"), &dir.join("examples"));
    copy_tree(&root().join("policies"), &dir.join("policies"));
    copy_tree(&root().join("lua/cert-manager.io"), &dir.join("lua/cert-manager.io"));
    write(dir, "health/argocd-cm.yaml", CM);
    write(dir, "health/widget.yaml", WIDGET);
    write(dir, "health/widget.lua", "return {status = 'Healthy', message = 'ready'}\n");
    write(dir, "health/action.lua", "obj.spec = {replicas = 2}\nreturn obj\n");
    write(dir, "health/discovery.lua", "return {scale = {}}\n");
    write(
        dir,
        "gitgen/set.yaml",
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata:\n  name: dirs\n  namespace: argocd\nspec:\n  \
         generators:\n  - git:\n      repoURL: https://github.com/example/self.git\n      revision: HEAD\n      \
         directories:\n      - path: examples/*\n  template:\n    metadata:\n      name: '{{path.basename}}'\n    \
         spec:\n      project: default\n      source:\n        repoURL: https://github.com/example/self.git\n        \
         targetRevision: HEAD\n        path: '{{path}}'\n      destination:\n        server: \
         https://kubernetes.default.svc\n        namespace: '{{path.basename}}'\n",
    );
    commit(dir, "base");
    write(
        dir,
        "examples/apps/extra.yaml",
        std::fs::read_to_string(dir.join("examples/apps/billing.yaml")).expect("read").replace("billing", "extra"),
    );
    commit(dir, "head");
    // An untracked file and a symlink, which a careless tool might "clean up" or follow to write.
    write(dir, "notes/untracked.yaml", "a: 1\n");
    std::os::unix::fs::symlink("../examples/apps", dir.join("notes/apps-link")).expect("symlink");
}

#[cfg(unix)]
#[test]
fn no_subcommand_writes_the_users_files() {
    let d = tempfile::tempdir().expect("tmp");
    let dir = d.path();
    tree(dir);
    // Let a second pass over timestamps be distinguishable from the first.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let repo = "--repo=https://github.com/example/self.git=.";
    let mut cases: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "sarif", "junit", "github", "gitlab"] {
        cases.push(vec!["check", ".", "--format", format, repo]);
    }
    cases.extend([
        vec!["check", "examples", "--format", "json", "--color", "always", "-j", "1"],
        vec!["rules"],
        vec!["explain", "yaml-unquoted-template"],
        vec!["explain", "policy/argocd/app-default-project"],
        vec!["health", "test", "lua", "health", "--coverage", "--verbose"],
        vec!["health", "run", "--script", "health/widget.lua", "health/widget.yaml"],
        vec!["health", "run", "--argocd-cm", "health/argocd-cm.yaml", "health/widget.yaml"],
        vec!["health", "action", "run", "--script", "health/action.lua", "health/widget.yaml"],
        vec![
            "health",
            "action",
            "run",
            "--argocd-cm",
            "health/argocd-cm.yaml",
            "--action",
            "scale",
            "--param",
            "replicas=3",
            "health/widget.yaml",
        ],
        vec!["health", "action", "discover", "--script", "health/discovery.lua", "health/widget.yaml"],
        vec!["health", "action", "discover", "--argocd-cm", "health/argocd-cm.yaml", "health/widget.yaml"],
        vec!["policy", "test", "policies"],
        vec!["appset", "generate", "examples/appsets/guestbook-envs.yaml"],
        vec![
            "appset",
            "generate",
            "examples/appsets/cluster-addons.yaml",
            "-o",
            "json",
            "--clusters",
            "examples/argocd",
        ],
        vec!["appset", "generate", "gitgen/set.yaml", repo],
        vec!["appset", "diff", "--base", "HEAD~1"],
        vec!["appset", "diff", "examples", "--base", "HEAD~1", "--head", "HEAD", "-o", "json", repo],
        vec!["check", ".", "--changed-since", "HEAD~1", "--format", "json", "-q"],
        vec!["check", "examples/apps", "--no-context", "--format", "sarif"],
        vec!["inspect", "examples", "--format", "json"],
        vec!["inspect", "."],
        vec!["completions", "bash"],
        vec!["completions", "zsh"],
        vec!["completions", "fish"],
        vec!["man"],
        vec!["--help"],
        vec!["--version"],
    ]);
    // Every subcommand that exists is in the table: a new one fails here until it is added.
    let leaves = leaf_commands(&[]);
    for known in [&["check"][..], &["health", "action", "discover"], &["policy", "test"], &["appset", "diff"]] {
        assert!(leaves.iter().any(|l| l == known), "{known:?} not among the parsed subcommands {leaves:?}");
    }
    for leaf in leaves {
        assert!(
            cases.iter().any(|c| c.len() >= leaf.len() && c[..leaf.len()].iter().zip(&leaf).all(|(a, b)| a == b)),
            "subcommand `argovet {}` has no case in this table",
            leaf.join(" ")
        );
    }
    let before = fingerprint(dir);
    assert!(before.len() > 40, "{}", before.len());
    for args in &cases {
        let r = run(argovet(dir).args(args));
        // Each case must really run (0 or 1), not stop at a usage error before touching anything.
        assert!(r.code == 0 || r.code == 1, "{args:?}: exit {}\n{}", r.code, r.stderr);
        let after = fingerprint(dir);
        if after != before {
            let changed: Vec<_> = after.iter().filter(|e| !before.contains(e)).collect();
            let gone: Vec<_> = before.iter().filter(|e| !after.contains(e)).collect();
            panic!("{args:?} changed the tree:\nnew or changed: {changed:#?}\nremoved or changed: {gone:#?}");
        }
    }
    // The fingerprint sees a touch that changes nothing but the modification time.
    let f = std::fs::File::options().append(true).open(dir.join("notes/untracked.yaml")).expect("open");
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5)).expect("touch");
    assert_ne!(before, fingerprint(dir), "the fingerprint must notice a touched file");
}

/// Every leaf subcommand (`["health", "action", "run"]`, ...), read from `--help`.
fn leaf_commands(prefix: &[String]) -> Vec<Vec<String>> {
    let out = std::process::Command::new(common::bin()).args(prefix).arg("--help").output().expect("help");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let Some(section) = help.split("Commands:\n").nth(1) else {
        return vec![prefix.to_vec()];
    };
    let names: Vec<String> = section
        .lines()
        .take_while(|l| !l.trim().is_empty())
        // Command lines are indented by two spaces; wrapped descriptions by more.
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect();
    assert!(!names.is_empty(), "no subcommands parsed from:\n{help}");
    names
        .into_iter()
        .flat_map(|n| {
            let mut p = prefix.to_vec();
            p.push(n);
            leaf_commands(&p)
        })
        .collect()
}
