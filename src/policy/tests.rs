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
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false };
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
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false };
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
    let all = pack_corpus();
    assert!(all.len() > 10);
    let run_pack = |set: PolicySet| {
        let p = Policies { builtin: Some(Arc::new(set)), user: None, user_namespaces: Vec::new(), combine: false };
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
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false };
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
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false };
    let err = p.check(&docs("a.yaml", TWO_KINDS), &|_| true).unwrap_err().to_string();
    assert!(err.contains("time limit") && err.contains("data.main.deny"), "{err}");
}

#[test]
fn disabled_rules_are_not_evaluated() {
    let set = user_set("package main\n\ndeny contains \"x\" if true\n");
    let ns = select_namespaces(&set, &[], true);
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine: false };
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
    let p = Policies { builtin: None, user: Some(set), user_namespaces: ns, combine };
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

/// The documents of `examples/` and of the built-in pack's fixtures.
fn pack_corpus() -> Vec<Document> {
    let mut all = Vec::new();
    for dir in ["examples", "tests/fixtures/policy/pack"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "yaml") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                let file = Arc::new(SourceFile::new(entry.path().display().to_string().as_str(), text));
                let loaded = load(&file.text, &Limits::default());
                all.extend(loaded.docs.into_iter().map(|d| Document::new(file.clone(), d.index, d.value, d.map)));
            }
        }
    }
    all
}

/// Variants of `v`, one change each: every object key removed, every value replaced by a value of
/// each other JSON type (`null`, `true`, `1`, `"*"`, `[]`).
fn variants(v: &Value) -> Vec<Value> {
    fn walk(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        out.push(path.clone());
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    path.push(Value::String(k.clone()));
                    walk(x, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(Value::from(i));
                    walk(x, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    fn edit(v: &mut Value, path: &[Value], new: Option<&Value>) {
        let Some((last, parents)) = path.split_last() else {
            if let Some(n) = new {
                *v = n.clone();
            }
            return;
        };
        let mut cur = v;
        for p in parents {
            cur = match p {
                Value::String(k) => &mut cur[k.as_str()],
                _ => &mut cur[p.as_u64().unwrap_or(0) as usize],
            };
        }
        match (cur, last, new) {
            (Value::Object(m), Value::String(k), None) => {
                m.remove(k);
            }
            (Value::Object(m), Value::String(k), Some(n)) => {
                m.insert(k.clone(), n.clone());
            }
            (Value::Array(a), i, Some(n)) => a[i.as_u64().unwrap_or(0) as usize] = n.clone(),
            (Value::Array(a), i, None) => {
                a.remove(i.as_u64().unwrap_or(0) as usize);
            }
            _ => {}
        }
    }
    let mut paths = Vec::new();
    walk(v, &mut Vec::new(), &mut paths);
    let replacements = [Value::Null, Value::Bool(true), Value::from(1), Value::from("*"), Value::Array(Vec::new())];
    let mut out = Vec::new();
    for path in paths.iter().filter(|p| !p.is_empty()) {
        let mut removed = v.clone();
        edit(&mut removed, path, None);
        out.push(removed);
        for r in &replacements {
            let mut changed = v.clone();
            edit(&mut changed, path, Some(r));
            out.push(changed);
        }
    }
    out
}

/// The built-in packs as the interpreter alone evaluates them.
fn packs_on_the_interpreter() -> PolicySet {
    let data = serde_json::json!({"argovet_config": {}});
    PolicySet::compile_batched(
        &builtin::sources(&["argocd", "kubernetes"], false),
        Some(data),
        IdScheme::Builtin,
        &|ns| (0..ns.len()).collect(),
        &|_| true,
    )
    .unwrap()
}

#[test]
fn the_vm_gives_what_the_interpreter_gives_per_document() {
    let vm = builtin::compile(true, true, None).unwrap();
    let interpreter = packs_on_the_interpreter();
    assert!(vm.batches_on_vm() && !interpreter.batches_on_vm());
    let all: Vec<usize> = (0..vm.namespaces.len()).collect();
    let sel = Selection { namespaces: &all, mode: Mode::PerDocument, enabled: &|_| true };
    let (mut inputs, mut firing, mut differences) = (0, 0, Vec::new());
    for doc in pack_corpus() {
        for v in std::iter::once(doc.value.clone()).chain(variants(&doc.value)) {
            let kind = v.get("kind").and_then(Value::as_str);
            let input = regorus::Value::from(v.clone());
            let a = eval::evaluate(&vm, &sel, kind, &input).map_err(|e| e.to_string());
            let b = eval::evaluate(&interpreter, &sel, kind, &input).map_err(|e| e.to_string());
            // The same results, and never an evaluation error, however malformed the document.
            if (a != b || a.is_err()) && differences.len() < 10 {
                differences.push(format!("{v}\n  vm: {a:?}\n  interpreter: {b:?}"));
            }
            inputs += 1;
            firing += usize::from(a.is_ok_and(|o| !o.is_empty()));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    // The corpus does exercise the rules.
    assert!(inputs > 3000 && firing > 1000, "{inputs} inputs, {firing} with findings");
}

#[test]
fn the_vm_gives_what_the_interpreter_gives_on_combined_input() {
    let vm = Arc::new(builtin::compile(true, false, None).unwrap());
    let interpreter = Arc::new(packs_on_the_interpreter());
    assert!(vm.rule_on_vm("data.argovet.argocd.project_denies_app.deny"));
    assert!(vm.rule_on_vm("data.argovet.argocd.selfheal_hpa_replicas.warn"));
    let corpus = pack_corpus();
    let findings = |set: &Arc<PolicySet>, docs: &[Document]| {
        let p = Policies { builtin: Some(set.clone()), user: None, user_namespaces: Vec::new(), combine: false };
        let f = p.check(docs, &|id| !id.starts_with("policy/kubernetes/")).map_err(|e| e.to_string())?;
        Ok::<_, String>(
            f.iter().map(|f| format!("{}:{} {} {}", f.file, f.span.line, f.rule, f.message)).collect::<Vec<_>>(),
        )
    };
    let (mut seen, mut seen_selfheal) = (0, 0);
    // Corpora in which one document of each kind the cross-document rules read is changed.
    let mut seed = 7u64;
    for round in 0..60 {
        let mut changed = Vec::new();
        let docs: Vec<Document> = corpus
            .iter()
            .map(|d| {
                let mut d = d.clone();
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if round > 0 && (seed >> 33).is_multiple_of(3) {
                    let vs = variants(&d.value);
                    if !vs.is_empty() {
                        d.value = vs[(seed >> 40) as usize % vs.len()].clone();
                        changed.push(d.value.to_string());
                    }
                }
                d
            })
            .collect();
        let (a, b) = (findings(&vm, &docs), findings(&interpreter, &docs));
        assert_eq!(a, b, "round {round}, changed documents:\n{}", changed.join("\n"));
        // Malformed documents give findings (or none), never an evaluation error.
        assert!(a.is_ok(), "round {round}: {a:?}, changed documents:\n{}", changed.join("\n"));
        let a = a.unwrap_or_default();
        seen += a.iter().filter(|f| f.contains("project-denies-app")).count();
        seen_selfheal += a.iter().filter(|f| f.contains("selfheal-hpa-replicas")).count();
    }
    assert!(seen > 60 && seen_selfheal > 30, "{seen} {seen_selfheal}");
}

#[test]
fn rules_the_vm_gets_wrong_stay_on_the_interpreter() {
    let mut set = user_set(
        "package main\n\n# METADATA\n# custom:\n#   combine: true\n\
         by_kind[k] contains n if { some d in input; k := d.contents.kind; n := d.contents.metadata.name }\n\n\
         # METADATA\n# custom:\n#   combine: true\n\
         deny contains msg if { some k, ns in by_kind; msg := sprintf(\"%s: %d\", [k, count(ns)]) }\n",
    );
    set.use_vm();
    assert!(!set.rule_on_vm("data.main.deny"));
    assert_eq!(
        run_with(set, &docs("a.yaml", TWO_KINDS), false),
        vec!["a.yaml:1 policy/main/deny ConfigMap: 1", "a.yaml:1 policy/main/deny Deployment: 1"]
    );
    // A function with an `else`: the VM would skip the `else` after an undefined body.
    let mut set = user_set(
        "package main\n\nsetting(k) := s if { s := input.metadata.annotations[k] } else := \"none\"\n\n\
         deny contains msg if { msg := sprintf(\"mode %s\", [setting(\"mode\")]) }\n",
    );
    assert_eq!(set.use_vm(), 0);
    assert!(!set.batches_on_vm());
    assert_eq!(
        run_with(set, &docs("a.yaml", TWO_KINDS), false),
        vec!["a.yaml:1 policy/main/deny mode none", "a.yaml:6 policy/main/deny mode none"]
    );
    // An object rule with a key runs on the VM, and gives the same.
    let mut set = user_set(
        "package main\n\n# METADATA\n# custom:\n#   combine: true\n\
         name_of[k] := n if { some d in input; k := d.contents.kind; n := d.contents.metadata.name }\n\n\
         # METADATA\n# custom:\n#   combine: true\n\
         deny contains msg if { some k, n in name_of; msg := sprintf(\"%s: %s\", [k, n]) }\n",
    );
    set.use_vm();
    assert!(set.rule_on_vm("data.main.deny"));
    assert_eq!(
        run_with(set, &docs("a.yaml", TWO_KINDS), false),
        vec!["a.yaml:1 policy/main/deny ConfigMap: c", "a.yaml:1 policy/main/deny Deployment: d"]
    );
}
