//! Fuzzes ApplicationSet expansion: the input is read as YAML (so byte-level mutations of the seed
//! ApplicationSets keep their structure), every document becomes a `Document`, and
//! `expand_all_for_check` runs it the way `check` does — list, clusters, git (over a small
//! in-memory repository), matrix and merge generators, selectors, goTemplate and fasttemplate,
//! `templatePatch` — with a cap of 200 Applications per set. Invariants: no panic; no set yields
//! more Applications than the cap; every generated Application is a JSON object; an expansion that
//! reports no error is deterministic.
#![no_main]

use argovet::appset::{self, CheckInputs, Cluster, Inputs, RepoError, RepoSource, RepoTree};
use argovet::model::{DocKind, Document, SourceFile};
use argovet::yaml::{self, Limits};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::sync::Arc;

const CAP: usize = 200;

/// One repository at every URL and revision: two app directories with config files.
struct Repo {
    tree: Arc<RepoTree>,
}

impl RepoSource for Repo {
    fn tree(&self, repo_url: &str, revision: &str) -> Result<Arc<RepoTree>, RepoError> {
        if repo_url.contains("missing") || revision == "missing" {
            return Err(RepoError::Unmapped(repo_url.to_string()));
        }
        Ok(self.tree.clone())
    }

    fn read(&self, _repo_url: &str, _tree: &RepoTree, path: &str) -> Result<Vec<u8>, RepoError> {
        Ok(match path {
            "apps/a/config.json" => br#"{"name": "a", "replicas": 2, "nested": {"k": [1, "x", null]}}"#.to_vec(),
            "apps/b/config.yaml" => b"name: b\nreplicas: 3\nenv:\n  - dev\n  - prod\n".to_vec(),
            "apps/c/config.yaml" => b"- name: c1\n- name: c2\n  extra: {x: 1}\n".to_vec(),
            "apps/d/config.json" => b"not json {".to_vec(),
            _ => return Err(RepoError::Failed(format!("{path}: not in the fuzz repository"))),
        })
    }
}

fn cluster(name: &str, server: &str, env: &str) -> Cluster {
    let mut labels = BTreeMap::new();
    labels.insert("argocd.argoproj.io/secret-type".to_string(), "cluster".to_string());
    labels.insert("env".to_string(), env.to_string());
    Cluster { name: name.into(), server: server.into(), project: None, labels, annotations: BTreeMap::new() }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = yaml::load(text, &Limits { max_depth: 48, max_alias_nodes: 2_000 });
    let file = Arc::new(SourceFile::new("fuzz.yaml", text.to_string()));
    let docs: Vec<Document> =
        loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)).collect();
    if !docs.iter().any(|d| d.kind == DocKind::ApplicationSet) {
        return;
    }
    let repo = Repo {
        tree: Arc::new(RepoTree {
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
            dirs: ["apps", "apps/a", "apps/b", "apps/c", "apps/d", "other"].map(String::from).to_vec(),
            files: [
                "apps/a/config.json",
                "apps/b/config.yaml",
                "apps/c/config.yaml",
                "apps/d/config.json",
                "README.md",
            ]
            .map(String::from)
            .to_vec(),
        }),
    };
    let clusters = [
        cluster("in-cluster", "https://kubernetes.default.svc", "dev"),
        cluster("prod-eu", "https://prod-eu.example.com", "prod"),
    ];
    let base = Inputs {
        clusters: &[],
        clusters_given: false,
        repos: Some(&repo),
        generator_input: None,
        max_applications: CAP,
        // A tenth of the default budget per ApplicationSet: enough for any seed, and a runaway template
        // costs the fuzzer a fraction of a second instead of several.
        max_template_steps: appset::DEFAULT_MAX_TEMPLATE_STEPS / 10,
    };
    for d in docs.iter().filter(|d| d.kind == DocKind::ApplicationSet) {
        let inputs = Inputs { clusters: &clusters, clusters_given: true, ..base };
        let ex = appset::expand(&d.value, &inputs);
        assert!(ex.apps.len() <= CAP, "{} Applications past the cap of {CAP}", ex.apps.len());
        for app in &ex.apps {
            assert!(app.value.is_object(), "generated Application is not an object: {}", app.value);
        }
        if ex.errors.is_empty() {
            assert_eq!(appset::expand(&d.value, &inputs), ex, "expansion is not deterministic");
        }
    }
    let check_inputs = CheckInputs {
        clusters: &clusters,
        clusters_given: true,
        base,
        repo_for: None,
        strict_inputs: false,
        owners: appset::check::Owners::all(),
    };
    let (generated, _findings) = appset::expand_all_for_check(&docs, &check_inputs);
    // Duplicates are found once placements are known; with none, every document meets every other.
    let _ = appset::check::duplicate_findings(&docs, &generated);
    for g in &generated {
        let _ = g.map.span("/spec/source/repoURL");
        let _ = g.map.key_span("/metadata/name");
        let root = g.map.span("");
        assert!(root.offset + root.len <= text.len(), "generated Application's span {root:?} outside the file");
    }
});
