use super::*;
use crate::model::SourceFile;
use crate::yaml::{Limits, load};
use std::sync::Arc;
use std::time::Duration;

fn docs(path: &str, text: &str) -> Vec<Document> {
    let file = Arc::new(SourceFile::new(path, text.to_string()));
    let loaded = load(&file.text, &Limits::default());
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)).collect()
}

/// A user policy set as `check` compiles it: every package's per-document rules batched.
fn user_set(rego: &str) -> PolicySet {
    let src = PolicySource { path: "p.rego".into(), text: rego.into() };
    PolicySet::compile_batched(&[src], None, IdScheme::Package, &|ns| (0..ns.len()).collect(), &|_| true).unwrap()
}

/// Findings (or the error) of `sources` over `docs`, evaluated batched or rule by rule.
fn findings_of(
    sources: &[PolicySource],
    docs: &[Document],
    batched: bool,
    enabled: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Vec<String>, String> {
    let select = |ns: &[engine::Namespace]| if batched { (0..ns.len()).collect() } else { Vec::new() };
    let set =
        PolicySet::compile_batched(sources, None, IdScheme::Package, &select, enabled).map_err(|e| e.to_string())?;
    // (A set whose per-document rules are all disabled has nothing to batch.)
    assert!(batched || set.batches.is_none());
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false, fail_on_warn: false };
    let f = p.check(docs, enabled).map_err(|e| e.to_string())?;
    // Unsorted: the order of evaluation is part of what must not change.
    Ok(f.iter()
        .map(|f| format!("{}:{} {} {} {} {:?}", f.file, f.span.line, f.severity, f.rule, f.message, f.metadata))
        .collect())
}

#[test]
fn batched_evaluation_gives_what_rule_by_rule_evaluation_gives() {
    let policies: &[&[(&str, &str)]] = &[
        // Kinds, several packages, object messages with paths, exceptions, v0 syntax, helper rules.
        &[
            (
                "a.rego",
                "package main\n\n# METADATA\n# custom:\n#   kinds: [Deployment]\n\
              deny contains {\"msg\": sprintf(\"d %s\", [input.metadata.name]), \"path\": \"metadata.name\"} if input.kind\n\n\
              warn_cm contains \"a config map\" if input.kind == \"ConfigMap\"\n\n\
              violation_name contains name if { name := input.metadata.name; helper }\n\nhelper if input.metadata\n\n\
              exception contains [\"name\"] if input.kind == \"ConfigMap\"\n",
            ),
            (
                "b.rego",
                "package main.extra\n\ndeny[msg] {\n  input.kind == \"Deployment\"\n  msg := \"v0 rule\"\n}\n\nwarn := [\"array\", \"\"]\n",
            ),
        ],
        // Rules that are undefined, bare booleans, sets of non-strings.
        &[(
            "c.rego",
            "package main\n\ndeny := input.nothing\n\nwarn if true\n\nviolation contains 3 if true\n\ndeny_x contains \"x\" if input.kind == \"ConfigMap\"\n",
        )],
        // A rule whose evaluation fails: the error names it, batched or not.
        &[(
            "d.rego",
            "package main\n\ndeny_fine contains \"fine\" if true\n\nwarn_conflict := \"a\" if true\n\nwarn_conflict := \"b\" if true\n",
        )],
        // A result object without `msg` is an error in both.
        &[("e.rego", "package main\n\ndeny contains {\"message\": \"no msg key\"} if true\n")],
    ];
    let d = docs("a.yaml", TWO_KINDS);
    for set in policies {
        let sources: Vec<PolicySource> =
            set.iter().map(|(p, t)| PolicySource { path: p.to_string(), text: t.to_string() }).collect();
        for enabled in [&(|_: &str| true) as &(dyn Fn(&str) -> bool + Sync), &|id: &str| !id.ends_with("/deny")] {
            let slow = findings_of(&sources, &d, false, enabled);
            let fast = findings_of(&sources, &d, true, enabled);
            assert_eq!(fast, slow, "{set:?}");
        }
    }
    // Batches planned with a rule disabled, evaluated with it enabled: that rule is not in the batch,
    // so evaluation goes rule by rule and still finds everything.
    let a: Vec<PolicySource> =
        policies[0].iter().map(|(p, t)| PolicySource { path: p.to_string(), text: t.to_string() }).collect();
    let set = PolicySet::compile_batched(&a, None, IdScheme::Package, &|ns| (0..ns.len()).collect(), &|id| {
        !id.ends_with("/deny")
    })
    .unwrap();
    assert!(!set.batches.as_ref().unwrap().left_out.is_empty());
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false, fail_on_warn: false };
    let all = p.check(&d, &|_| true).unwrap();
    assert_eq!(all.len(), findings_of(&a, &d, false, &|_| true).unwrap().len());
    // The cases above do produce findings and errors.
    let d_rego = [PolicySource { path: "d.rego".into(), text: policies[2][0].1.into() }];
    let err = findings_of(&d_rego, &d, true, &|_| true).unwrap_err();
    assert!(err.contains("data.main.warn_conflict"), "{err}");
    let a: Vec<PolicySource> =
        policies[0].iter().map(|(p, t)| PolicySource { path: p.to_string(), text: t.to_string() }).collect();
    // deny (Deployment), warn_cm (ConfigMap), violation_name (the ConfigMap's is excepted), the v0
    // deny (Deployment), and `warn`'s non-empty string for both documents.
    assert_eq!(findings_of(&a, &d, true, &|_| true).unwrap().len(), 6);
}

#[test]
fn the_built_in_pack_gives_the_same_findings_batched() {
    let mut all = Vec::new();
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let file = Arc::new(SourceFile::new(entry.path().display().to_string().as_str(), text));
            let loaded = load(&file.text, &Limits::default());
            all.extend(loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)));
        }
    }
    assert!(all.len() > 10);
    let run_pack = |set: PolicySet| {
        let p = Policies {
            builtin: Some(Arc::new(set)),
            user: None,
            user_namespaces: Vec::new(),
            combine: false,
            fail_on_warn: false,
        };
        let f = p.check(&all, &|_| true).unwrap();
        f.iter().map(|f| format!("{}:{} {} {}", f.file, f.span.line, f.rule, f.message)).collect::<Vec<_>>()
    };
    let data = serde_json::json!({"argovet_config": {"production": {}}});
    let slow =
        PolicySet::compile(&builtin::sources(&["argocd", "kubernetes"], false), Some(data), IdScheme::Builtin).unwrap();
    let fast = builtin::compile(true, true, None).unwrap();
    assert!(fast.batches.is_some() && slow.batches.is_none());
    let (slow, fast) = (run_pack(slow), run_pack(fast));
    assert!(!fast.is_empty());
    assert_eq!(fast, slow);
}

fn run(set: PolicySet, docs: &[Document]) -> Vec<String> {
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false, fail_on_warn: false };
    let mut f = p.check(docs, &|_| true).unwrap();
    crate::report::sort_findings(&mut f);
    f.iter().map(|f| format!("{}:{} {} {} {}", f.file, f.span.line, f.severity, f.rule, f.message)).collect()
}

const TWO_KINDS: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n";

#[test]
fn kinds_metadata_limits_a_rule_to_matching_documents() {
    let set = user_set(
        "package main\n\n# METADATA\n# custom:\n#   kinds: [Deployment]\n#   id: only-deployments\n\
         deny contains msg if { msg := sprintf(\"saw %s\", [input.kind]) }\n\nwarn contains \"any\" if true\n",
    );
    assert_eq!(
        run(set, &docs("a.yaml", TWO_KINDS)),
        vec![
            "a.yaml:1 error policy/main/only-deployments saw Deployment",
            "a.yaml:1 warning policy/main/warn any",
            "a.yaml:6 warning policy/main/warn any",
        ]
    );
}

#[test]
fn bare_boolean_rules_and_empty_messages_are_successes() {
    let set = user_set("package main\n\ndeny if true\n\nwarn contains \"\" if true\n");
    assert!(run(set, &docs("a.yaml", TWO_KINDS)).is_empty());
}

#[test]
fn bare_rule_exceptions_use_the_empty_name() {
    let set = user_set(
        "package main\n\ndeny contains \"no\" if true\n\nexception contains [\"\"] if input.kind == \"ConfigMap\"\n",
    );
    assert_eq!(run(set, &docs("a.yaml", TWO_KINDS)), vec!["a.yaml:1 error policy/main/deny no"]);
}

#[test]
fn top_level_lists_are_one_input_per_item() {
    let set = user_set("package main\n\ndeny contains msg if { msg := {\"msg\": input.name, \"path\": \"name\"} }\n");
    assert_eq!(
        run(set, &docs("l.yaml", "- name: a\n- name: b\n")),
        vec!["l.yaml:1 error policy/main/deny a", "l.yaml:2 error policy/main/deny b"]
    );
}

#[test]
fn runaway_evaluation_is_stopped_by_the_time_limit() {
    let set = user_set(
        "package main\n\ndeny contains \"x\" if {\n  some i in numbers.range(1, 1000000)\n  some j in numbers.range(1, 1000000)\n  i + j < 0\n}\n",
    );
    set.set_time_limit(Duration::from_millis(200));
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false, fail_on_warn: false };
    let err = p.check(&docs("a.yaml", TWO_KINDS), &|_| true).unwrap_err().to_string();
    assert!(err.contains("time limit") && err.contains("data.main.deny"), "{err}");
}

#[test]
fn disabled_rules_are_not_evaluated() {
    let set = user_set("package main\n\ndeny contains \"x\" if true\n");
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false, fail_on_warn: false };
    assert!(p.check(&docs("a.yaml", TWO_KINDS), &|id| id != "policy/main/deny").unwrap().is_empty());
}

#[test]
fn v1_errors_are_reported_for_v1_looking_files() {
    let src = PolicySource { path: "bad.rego".into(), text: "package main\n\ndeny contains msg if {\n".into() };
    let e = PolicySet::compile(&[src], None, IdScheme::Package).unwrap_err().to_string();
    assert!(e.starts_with("bad.rego:"), "{e}");
}

#[test]
fn namespace_globs_follow_path_match() {
    assert!(glob_match("ma*", "main"));
    assert!(glob_match("main.*", "main.gke"));
    assert!(glob_match("m?in", "main"));
    assert!(glob_match("[lm]ain", "main"));
    assert!(!glob_match("[!m]ain", "main"));
    assert!(!glob_match("main", "main.gke"));
}

#[test]
fn metadata_paths_become_json_pointers() {
    assert_eq!(to_pointer("spec.source.repoURL"), "/spec/source/repoURL");
    assert_eq!(to_pointer("spec.sources[1].chart"), "/spec/sources/1/chart");
    assert_eq!(to_pointer("/data/policy.csv"), "/data/policy.csv");
    assert_eq!(to_pointer("metadata.annotations[\"a~b\"]"), "/metadata/annotations/a~b");
}

#[test]
fn builtin_rules_are_documented_and_tested() {
    let infos = builtin_rule_infos();
    assert!(infos.len() >= 18, "{}", infos.len());
    for w in infos.windows(2) {
        assert_ne!(w[0].id, w[1].id);
    }
    let set = builtin::compile(true, true, None).unwrap();
    let compiled: Vec<&PolicyRule> = set.namespaces.iter().flat_map(|n| &n.rules).collect();
    for info in &infos {
        for section in ["## What it does", "## Why is this bad?", "## Example", "## Use instead"] {
            assert!(info.docs.contains(section), "{} lacks {section}", info.id);
        }
        assert!(!info.summary.is_empty(), "{}", info.id);
        let rules: Vec<&&PolicyRule> = compiled.iter().filter(|r| r.id == info.id).collect();
        assert!(!rules.is_empty(), "{} has no rule", info.id);
        assert!(rules.iter().all(|r| r.severity == info.severity), "{}: severity differs", info.id);
    }
    // Every rule file has a test file.
    let sources = builtin::sources(&["argocd", "kubernetes"], true);
    for s in sources.iter().filter(|s| !s.path.ends_with("_test.rego") && !s.path.contains("/lib/")) {
        let test = s.path.replace(".rego", "_test.rego");
        assert!(sources.iter().any(|t| t.path == test), "{} has no {test}", s.path);
    }
    let report = verify::run_set(&PolicySet::compile(&sources, None, IdScheme::Package).unwrap());
    assert_eq!(report.failed, 0, "{}", report.render());
}

fn run_with(set: PolicySet, docs: &[Document], combine: bool) -> Vec<String> {
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine, fail_on_warn: false };
    let mut f = p.check(docs, &|_| true).unwrap();
    crate::report::sort_findings(&mut f);
    f.iter().map(|f| format!("{}:{} {} {}", f.file, f.span.line, f.rule, f.message)).collect()
}

const COMBINED_KINDS: &str = "package main\n\n\
    # METADATA\n# custom:\n#   combine: true\n#   kinds: [Deployment]\n#   id: only-deployments\n\
    deny contains msg if { msg := sprintf(\"%d documents\", [count(input)]) }\n\n\
    # METADATA\n# custom:\n#   combine: true\n#   id: every-kind\n\
    warn contains msg if { msg := sprintf(\"%d documents\", [count(input)]) }\n";

#[test]
fn combined_rules_with_kinds_read_only_those_documents() {
    let set = user_set(COMBINED_KINDS);
    // Both rules are in one package: the package's input holds every kind one of them needs, so
    // a package mixing a kinds-less combined rule with a kinds one gives all documents to both.
    assert_eq!(
        run_with(set, &docs("a.yaml", TWO_KINDS), false),
        vec!["a.yaml:1 policy/main/every-kind 2 documents", "a.yaml:1 policy/main/only-deployments 2 documents"]
    );
    let only = user_set(
        "package main\n\n# METADATA\n# custom:\n#   combine: true\n#   kinds: [Deployment]\n\
         deny contains msg if { msg := sprintf(\"%d documents: %s\", [count(input), input[0].contents.kind]) }\n",
    );
    assert_eq!(
        run_with(only, &docs("a.yaml", TWO_KINDS), false),
        vec!["a.yaml:1 policy/main/deny 1 documents: Deployment"]
    );
}

#[test]
fn combine_flag_gives_every_document_whatever_the_kinds() {
    let set = user_set(
        "package main\n\n# METADATA\n# custom:\n#   kinds: [Deployment]\n\
         deny contains msg if { msg := sprintf(\"%d documents\", [count(input)]) }\n",
    );
    assert_eq!(run_with(set, &docs("a.yaml", TWO_KINDS), true), vec!["a.yaml:1 policy/main/deny 2 documents"]);
}

#[test]
fn combined_results_land_on_the_named_document() {
    let mut text = String::new();
    for i in 0..50 {
        text.push_str(&format!("---\nkind: ConfigMap\nmetadata:\n  name: c{}\n  namespace: ns{}\n", i % 10, i % 3));
    }
    let set = user_set(
        "package main\n\n# METADATA\n# custom:\n#   combine: true\n\
         deny contains {\"msg\": \"named\", \"resource\": {\"kind\": \"ConfigMap\", \"name\": \"c7\", \"namespace\": \"ns2\"}} if true\n\
         deny contains {\"msg\": \"by file\", \"file\": \"m.yaml\", \"document\": 12, \"path\": \"metadata.name\"} if true\n\
         deny contains {\"msg\": \"missing\", \"resource\": {\"kind\": \"ConfigMap\", \"name\": \"nope\"}} if true\n",
    );
    // c7 in ns2 is document 17 (document 7 is in ns1): line 5*17+2; document 12 `metadata.name`: 5*12+4.
    assert_eq!(
        run_with(set, &docs("m.yaml", &text), false),
        vec![
            "m.yaml:2 policy/main/deny missing",
            "m.yaml:64 policy/main/deny by file",
            "m.yaml:87 policy/main/deny named"
        ]
    );
}
