//! `argovet policy test` and the policy part of `argovet check`, through the binary.
//!
//! The `conftest` fixtures reproduce conftest's documented examples (examples/kubernetes,
//! exceptions, data, combine) with our own files; the expected outcomes are those conftest's
//! acceptance tests record for the originals (exit codes, failure/warning/exception counts).

use assert_cmd::Command;
use serde_json::Value;

const CONFTEST: &str = "tests/fixtures/policy/conftest";
const PACK: &str = "tests/fixtures/policy/pack";

fn argovet() -> Command {
    let mut c = Command::cargo_bin("argovet").unwrap();
    c.env("NO_COLOR", "1");
    c
}

/// Runs `check --format json` with `args`; returns the exit code and the findings.
fn check_json(args: &[&str]) -> (i32, Vec<Value>) {
    let out = argovet().arg("check").args(["--format", "json"]).args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), json["findings"].as_array().cloned().unwrap_or_default())
}

fn summary(findings: &[Value]) -> Vec<String> {
    findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}:{} {}",
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["file"].as_str().unwrap(),
                f["line"],
                f["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn builtin_pack_tests_pass() {
    let out = argovet().args(["policy", "test", "policies"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let last = text.lines().last().unwrap_or("");
    assert!(last.ends_with(" passed, 0 failed"), "{text}");
    let passed: usize = last.split_whitespace().next().unwrap().parse().unwrap();
    assert!(passed >= 60, "{last}");
}

#[test]
fn policy_test_reports_failures_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.rego"),
        "package main\n\ndeny contains \"x\" if input.bad\n\ntest_ok if count(deny) == 1 with input as {\"bad\": true}\n\
         test_wrong if count(deny) == 1 with input as {}\n\ntodo_test_later if false\n",
    )
    .unwrap();
    let out = argovet().args(["policy", "test"]).arg(dir.path()).assert().code(1);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("FAIL - ") && text.contains("data.main.test_wrong"), "{text}");
    assert_eq!(text.lines().last(), Some("1 passed, 1 failed"), "{text}");
}

#[test]
fn policy_test_loads_data() {
    let out = argovet()
        .args(["policy", "test", &format!("{CONFTEST}/data/policy"), "--data", &format!("{CONFTEST}/data/exclusions")])
        .assert()
        .success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout).lines().last(), Some("1 passed, 0 failed"));
}

#[test]
fn conftest_kubernetes_example_verify() {
    let out = argovet().args(["policy", "test", &format!("{CONFTEST}/kubernetes/policy")]).assert().success();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout).lines().last(), Some("4 passed, 0 failed"));
}

#[test]
fn conftest_kubernetes_example_deployment_fails() {
    let (code, findings) = check_json(&[
        "--no-default-policies",
        "--policy",
        &format!("{CONFTEST}/kubernetes/policy"),
        &format!("{CONFTEST}/kubernetes/deployment.yaml"),
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(summary(&findings).join("\n"), @r"
    error policy/main/deny tests/fixtures/policy/conftest/kubernetes/deployment.yaml:1 Deployment hello needs app and release selector labels
    error policy/main/deny tests/fixtures/policy/conftest/kubernetes/deployment.yaml:1 Deployment hello runs its containers as root
    error policy/main/deny tests/fixtures/policy/conftest/kubernetes/deployment.yaml:1 hello lacks the recommended app.kubernetes.io labels
    error policy/main/violation tests/fixtures/policy/conftest/kubernetes/deployment.yaml:1 Deployment hello is not allowed here
    ");
    let violation = findings.iter().find(|f| f["rule"] == "policy/main/violation").unwrap();
    assert_eq!(violation["metadata"], serde_json::json!({"details": {"policy": "no-deployments"}}));
}

#[test]
fn conftest_kubernetes_example_service_only_warns() {
    let policy = format!("{CONFTEST}/kubernetes/policy");
    let service = format!("{CONFTEST}/kubernetes/service.yaml");
    let (code, findings) = check_json(&["--no-default-policies", "--policy", &policy, &service]);
    assert_eq!(code, 0);
    assert_eq!(summary(&findings), vec![format!("warning policy/main/warn {service}:1 Service hello is discouraged")]);
    // --fail-on-warn makes the warning fail the run (conftest: exit 1 for warnings only), and it stays a
    // warning in every output format.
    let (code, findings) = check_json(&["--no-default-policies", "--fail-on-warn", "--policy", &policy, &service]);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["severity"], "warning");
    let expected_in = [
        ("human", "warning [policy/main/warn]"),
        ("sarif", "\"level\": \"warning\""),
        ("github", "::warning file="),
        ("junit", "type=\"warning\""),
        ("gitlab", "\"severity\": \"minor\""),
    ];
    for (format, expected) in expected_in {
        let out = argovet()
            .args([
                "check",
                "--no-default-policies",
                "--fail-on-warn",
                "--format",
                format,
                "--policy",
                &policy,
                &service,
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{format}: {stdout}");
        assert!(stdout.contains(expected), "{format}: {stdout}");
        assert!(!stdout.contains("error [policy") && !stdout.contains("\"level\": \"error\""), "{format}: {stdout}");
    }
}

#[test]
fn fail_on_warn_leaves_lint_warnings_and_relevelled_rules_alone() {
    let policy = format!("{CONFTEST}/kubernetes/policy");
    let service = format!("{CONFTEST}/kubernetes/service.yaml");
    // A policy warning switched off in .argovet.yaml no longer fails the run; re-levelled to info, neither.
    for level in ["off", "info"] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&service, dir.path().join("service.yaml")).unwrap();
        std::fs::write(dir.path().join(".argovet.yaml"), format!("rules:\n  policy/main/warn: {level}\n")).unwrap();
        let abs_policy = std::fs::canonicalize(&policy).unwrap();
        let (code, findings) = check_json(&[
            "--no-default-policies",
            "--fail-on-warn",
            "--policy",
            abs_policy.to_str().unwrap(),
            dir.path().to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{level}: {findings:?}");
    }
    // Lint warnings are not policy warnings: --fail-on-warn does not make them fail the run.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("d.yaml"),
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  paused: yes\n",
    )
    .unwrap();
    let (code, findings) = check_json(&["--no-default-policies", "--fail-on-warn", dir.path().to_str().unwrap()]);
    assert_eq!(summary(&findings).len(), 1, "{findings:?}");
    assert_eq!(
        (findings[0]["rule"].as_str(), findings[0]["severity"].as_str()),
        (Some("yaml-ambiguous-value"), Some("warning"))
    );
    assert_eq!(code, 0, "{findings:?}");
}

#[test]
fn conftest_namespaces() {
    let policy = format!("{CONFTEST}/kubernetes/policy");
    let deployment = format!("{CONFTEST}/kubernetes/deployment.yaml");
    // A namespace that matches no package selects nothing (conftest: exit 0).
    let (code, findings) =
        check_json(&["--no-default-policies", "--namespace", "notpresent", "--policy", &policy, &deployment]);
    assert_eq!((code, findings.len()), (0, 0));
    // Globs match package names.
    let (_, findings) = check_json(&["--no-default-policies", "--namespace", "ma*", "--policy", &policy, &deployment]);
    assert_eq!(findings.len(), 4);
    let (_, findings) = check_json(&["--no-default-policies", "--all-namespaces", "--policy", &policy, &deployment]);
    assert_eq!(findings.len(), 4);
}

#[test]
fn conftest_exceptions_example() {
    let (code, findings) = check_json(&[
        "--no-default-policies",
        "--policy",
        &format!("{CONFTEST}/exceptions/policy"),
        &format!("{CONFTEST}/exceptions/deployments.yaml"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![
            "error policy/main/deny_root tests/fixtures/policy/conftest/exceptions/deployments.yaml:1 Deployment forbidden-root runs as root"
        ]
    );
}

#[test]
fn conftest_data_example() {
    let (code, findings) = check_json(&[
        "--no-default-policies",
        "--policy",
        &format!("{CONFTEST}/data/policy"),
        "--data",
        &format!("{CONFTEST}/data/exclusions"),
        &format!("{CONFTEST}/data/service.yaml"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(findings[0]["message"], "Port 23 may not be exposed on a LoadBalancer (blocked: [23, 25])");
}

#[test]
fn conftest_combine_example() {
    let (code, findings) = check_json(&[
        "--no-default-policies",
        "--combine",
        "--policy",
        &format!("{CONFTEST}/combine/policy"),
        &format!("{CONFTEST}/combine"),
    ]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["message"], "Deployment 'lonely' is not selected by any Service");
    // Without --combine each document is its own input and the rule finds nothing.
    let (code, _) = check_json(&[
        "--no-default-policies",
        "--policy",
        &format!("{CONFTEST}/combine/policy"),
        &format!("{CONFTEST}/combine"),
    ]);
    assert_eq!(code, 0);
}

#[test]
fn pre_v1_syntax_and_object_messages_with_paths() {
    let (code, findings) = check_json(&[
        "--no-default-policies",
        "--policy",
        &format!("{CONFTEST}/v0/policy"),
        &format!("{CONFTEST}/v0/deployment.yaml"),
    ]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(summary(&findings).join("\n"), @r"
    error policy/main/deny tests/fixtures/policy/conftest/v0/deployment.yaml:1 legacy: old runs as root
    warning policy/main/warn_image tests/fixtures/policy/conftest/v0/deployment.yaml:9 legacy: web uses latest
    ");
    assert_eq!(findings[1]["metadata"], serde_json::json!({"path": "spec.template.spec.containers"}));
}

#[test]
fn argocd_pack_fires_on_bad_fixtures() {
    let (code, findings) = check_json(&["--select", "best-practice", &format!("{PACK}/bad")]);
    assert_eq!(code, 1);
    let policy: Vec<&Value> = findings.iter().filter(|f| f["rule"].as_str().unwrap().starts_with("policy/")).collect();
    let mut rules: Vec<&str> = policy.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    rules.sort();
    rules.dedup();
    let mut expected: Vec<String> =
        argovet::policy::builtin_rule_infos().into_iter().filter(|i| i.pack == "argocd").map(|i| i.id).collect();
    expected.sort();
    assert_eq!(rules, expected, "every argocd rule fires on the bad fixtures");
    let rendered: Vec<String> = summary(
        &findings.iter().filter(|f| f["rule"].as_str().unwrap().starts_with("policy/")).cloned().collect::<Vec<_>>(),
    );
    insta::assert_snapshot!(rendered.join("\n"));
}

#[test]
fn best_practice_rules_are_opt_in() {
    let rule_ids = |findings: &[Value]| -> Vec<String> {
        let mut ids: Vec<String> = findings
            .iter()
            .filter_map(|f| f["rule"].as_str())
            .filter(|r| r.starts_with("policy/"))
            .map(str::to_owned)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let (_, findings) = check_json(&[&format!("{PACK}/bad")]);
    let default_on: Vec<String> = argovet::policy::builtin_rule_infos()
        .into_iter()
        .filter(|i| i.pack == "argocd" && !i.opt_in())
        .map(|i| i.id)
        .collect();
    assert!(!default_on.is_empty());
    assert_eq!(rule_ids(&findings), default_on, "the default set: correctness, security and suspicious rules");
    // One opinion, selected by id; `rules:` settings select too.
    let (_, findings) = check_json(&["--select", "policy/argocd/sync-retry-missing", &format!("{PACK}/bad")]);
    assert!(rule_ids(&findings).contains(&"policy/argocd/sync-retry-missing".to_string()));
    assert!(!rule_ids(&findings).contains(&"policy/argocd/app-default-project".to_string()));
}

#[test]
fn argocd_pack_quiet_on_good_fixtures() {
    let (code, findings) = check_json(&[&format!("{PACK}/good")]);
    let policy: Vec<String> = summary(&findings).into_iter().filter(|s| s.contains(" policy/")).collect();
    assert!(policy.is_empty(), "{policy:#?}");
    assert_eq!(code, 0, "{findings:#?}");
}

#[test]
fn kubernetes_pack_is_opt_in() {
    let dir = format!("{PACK}/kubernetes");
    let (_, findings) = check_json(&[&dir]);
    assert!(findings.iter().all(|f| !f["rule"].as_str().unwrap().starts_with("policy/kubernetes/")));
    let (_, findings) = check_json(&["--no-default-policies", "--policy", "builtin:kubernetes", &dir]);
    insta::assert_snapshot!(summary(&findings).join("\n"), @r#"
    warning policy/kubernetes/readiness-probe tests/fixtures/policy/pack/kubernetes/workloads.yaml:9 container "app" of Deployment "bad" has no readiness probe
    warning policy/kubernetes/resource-limits tests/fixtures/policy/pack/kubernetes/workloads.yaml:9 container "app" of Deployment "bad" has no cpu limit
    warning policy/kubernetes/resource-limits tests/fixtures/policy/pack/kubernetes/workloads.yaml:9 container "app" of Deployment "bad" has no memory limit
    warning policy/kubernetes/run-as-non-root tests/fixtures/policy/pack/kubernetes/workloads.yaml:9 container "app" of Deployment "bad" may run as root
    warning policy/kubernetes/latest-image tests/fixtures/policy/pack/kubernetes/workloads.yaml:10 container "app" of Deployment "bad" uses image "nginx", which has no fixed version
    warning policy/kubernetes/internal-load-balancer tests/fixtures/policy/pack/kubernetes/workloads.yaml:34 Service "public" gets a public load balancer
    "#);
}

#[test]
fn config_switches_relevels_and_extends_policies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("policy")).unwrap();
    std::fs::write(
        root.join("policy/team.rego"),
        "package main\n\ndeny contains msg if {\n  input.kind == \"ConfigMap\"\n  msg := sprintf(\"limit is %d\", [data.limits.max])\n}\n",
    )
    .unwrap();
    std::fs::write(root.join("limits.yaml"), "limits:\n  max: 7\n").unwrap();
    std::fs::write(
        root.join("app.yaml"),
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  project: default\n  \
         destination: {namespace: live}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
    )
    .unwrap();
    std::fs::write(
        root.join(".argovet.yaml"),
        "rules:\n  policy/argocd/app-default-project: error\n  policy/main/deny: warning\npolicies: [policy]\ndata: [limits.yaml]\n\
         production:\n  namespaces: ['^live$']\nselect: [best-practice]\n",
    )
    .unwrap();
    let (code, findings) = check_json(&[root.to_str().unwrap()]);
    assert_eq!(code, 1);
    let got: Vec<String> = findings
        .iter()
        .map(|f| {
            format!(
                "{} {} {}",
                f["severity"].as_str().unwrap(),
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        got.contains(
            &"error policy/argocd/app-default-project Application \"a\" uses the `default` project".to_string()
        ),
        "{got:#?}"
    );
    assert!(got.contains(&"warning policy/main/deny limit is 7".to_string()), "{got:#?}");
    assert!(got.iter().any(|g| g.contains("policy/argocd/production-sync-not-automated")), "{got:#?}");

    std::fs::write(
        root.join(".argovet.yaml"),
        "rules:\n  policy/argocd/app-default-project: off\ndefaultPolicies: true\nselect: [best-practice]\n",
    )
    .unwrap();
    let (_, findings) = check_json(&[root.to_str().unwrap()]);
    assert!(findings.iter().all(|f| f["rule"] != "policy/argocd/app-default-project"), "{findings:#?}");
    assert!(
        findings.iter().all(|f| f["rule"] != "policy/argocd/production-sync-not-automated"),
        "default production patterns do not match `live`"
    );

    std::fs::write(root.join(".argovet.yaml"), "defaultPolicies: false\n").unwrap();
    let (_, findings) = check_json(&[root.to_str().unwrap()]);
    let policy: Vec<_> =
        findings.iter().filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("policy/"))).collect();
    assert!(policy.is_empty(), "lint rules still run, policies do not: {policy:#?}");
}

#[test]
fn hostile_policies_end_with_clear_errors() {
    let doc = format!("{CONFTEST}/kubernetes/service.yaml");
    for (name, text, expected) in [
        (
            "recursion",
            "package main\n\nf(x) := y if { y := f(x + 1) }\n\ndeny contains \"x\" if f(1) > 0\n",
            "recursive function: data.main.f",
        ),
        (
            "huge",
            "package main\n\ndeny contains \"x\" if {\n  xs := [i | some i in numbers.range(1, 100000000)]\n  count(xs) > 0\n}\n",
            "would create 100000000 numbers",
        ),
        (
            "network",
            "package main\n\ndeny contains r.body if {\n  r := http.send({\"method\": \"get\", \"url\": \"http://x\"})\n}\n",
            "`http.send` is not available",
        ),
        ("env", "package main\n\ndeny contains \"x\" if opa.runtime().env.HOME\n", "`opa.runtime` is not available"),
        ("bad_msg", "package main\n\ndeny contains {\"message\": \"no msg key\"} if true\n", "no string `msg` key"),
        // Thousands of nested brackets: refused before regorus's parser (which would overflow its stack,
        // or take time exponential in the nesting), with the position of the first bracket too many.
        (
            "arrays",
            &format!("package main\n\nx := {}1{}\n", "[".repeat(5000), "]".repeat(5000)),
            "arrays.rego:3:22: `[` and `{` nested more than 16 deep",
        ),
        (
            "objects",
            &format!("package main\n\nx := {}1{}\n", "{\"a\": ".repeat(3000), "}".repeat(3000)),
            "objects.rego:3:102: `[` and `{` nested more than 16 deep",
        ),
        (
            "sets",
            &format!("package main\n\nx := {}1{}\n", "{".repeat(20), "}".repeat(20)),
            "sets.rego:3:22: `[` and `{` nested more than 16 deep",
        ),
        (
            "parens",
            &format!("package main\n\nx := {}1{}\n", "(".repeat(5000), ")".repeat(5000)),
            "parens.rego:3:38: brackets nested more than 32 deep",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(format!("{name}.rego")), text).unwrap();
        let out = argovet()
            .args(["check", "--no-default-policies", "--policy"])
            .arg(dir.path())
            .arg(&doc)
            .timeout(std::time::Duration::from_secs(60))
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(err.contains(expected), "{name}: {err}");
    }
}

#[test]
fn rules_and_explain_list_builtin_policies() {
    let out = argovet().arg("rules").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    for info in argovet::policy::builtin_rule_infos() {
        assert!(text.contains(&info.id), "{} missing from `argovet rules`", info.id);
    }
    let out = argovet().args(["explain", "policy/argocd/project-denies-app"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.starts_with("# policy/argocd/project-denies-app (error)"), "{text}");
    assert!(text.contains("## What it does") && text.contains("## Use instead"), "{text}");
}

/// Malformed fields the built-in pack iterates (`sources: null`, `destinations: 1`, an HPA without a
/// target name) are findings for the schema and lint rules, never a policy evaluation error (which
/// regorus's interpreter raised where OPA iterates nothing).
#[test]
fn malformed_fields_do_not_stop_the_builtin_pack() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.yaml"),
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: web, namespace: argocd}\n\
         spec:\n  project: web\n  sources: null\n  destination: {name: prod-eu, namespace: web}\n\
         \x20 syncPolicy: {automated: {selfHeal: true}}\n---\n\
         apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: web, namespace: argocd}\n\
         spec: {sourceRepos: 1, destinations: 1, roles: [{name: r, policies: null}]}\n---\n\
         apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n\
         spec: {scaleTargetRef: {kind: Deployment}}\n",
    )
    .unwrap();
    let (code, findings) = check_json(&["--select", "best-practice", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{findings:?}");
    let rules: Vec<&str> = findings.iter().filter_map(|f| f["rule"].as_str()).collect();
    assert!(rules.contains(&"policy/argocd/sync-retry-missing"), "{rules:?}");
}

#[test]
fn empty_files_are_one_null_document_for_policies() {
    // conftest reads a file without documents (empty, or only comments and `---`) as one `null` input.
    let dir = format!("{CONFTEST}/empty");
    let (code, findings) = check_json(&["--no-default-policies", "--policy", &format!("{dir}/policy"), &dir]);
    assert_eq!(code, 1);
    assert_eq!(
        summary(&findings),
        vec![
            format!("error policy/main/deny {dir}/blank.yaml:1 the file holds no document"),
            format!("error policy/main/deny {dir}/comments.yaml:1 the file holds no document"),
            format!("warning policy/main/warn {dir}/configmap.yaml:1 ConfigMap settings"),
        ]
    );
    // With --combine, it is an item whose contents are null.
    let (code, findings) =
        check_json(&["--no-default-policies", "--combine", "--policy", &format!("{CONFTEST}/empty-combine"), &dir]);
    assert_eq!(code, 1);
    let messages: Vec<&str> = findings.iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert_eq!(messages, vec![format!("{dir}/blank.yaml is empty"), format!("{dir}/comments.yaml is empty")]);
    // The built-in packs do not read it (and an empty file alone is no finding).
    let (code, findings) = check_json(&["--policy", "builtin:kubernetes", &format!("{dir}/blank.yaml")]);
    assert_eq!((code, findings.len()), (0, 0), "{findings:?}");
}

/// The messages of `findings`, sorted.
fn messages(findings: &[Value]) -> Vec<String> {
    let mut m: Vec<String> = findings.iter().map(|f| f["message"].as_str().unwrap_or("").to_string()).collect();
    m.sort();
    m
}

#[test]
fn comprehension_scoping_follows_opa() {
    // Each rule declares, inside a comprehension or `every` body, a variable whose name the rule also
    // uses outside it. The expected messages are OPA's (measured with OPA's Go engine on the same
    // policy and input).
    let dir = format!("{CONFTEST}/scoping");
    let (code, findings) =
        check_json(&["--no-default-policies", "--policy", &format!("{dir}/policy"), &format!("{dir}/input.yaml")]);
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(
        messages(&findings),
        vec![
            "closure_only 1 [1, 2] []",
            "closure_only 2 [2] [0]",
            "closure_only 3 [] [0, 1]",
            "function_argument [2, 3, 4]",
            "nested_some 2 [1, 2, 3]",
            "object_and_every 1 {0: 1, 1: 2, 2: 3}",
            "object_and_every 2 {0: 1, 1: 2, 2: 3}",
            "object_and_every 3 {0: 1, 1: 2, 2: 3}",
            "shadow_after_use alice []",
            "some_in_shadow 1 [2, 3] [2, 3]",
            "some_in_shadow 2 [3] [2, 3]",
            "some_in_shadow 3 [] [2, 3]",
        ]
    );
}

#[test]
fn combine_with_comprehension_scoping_follows_opa() {
    // conftest's examples/combine relies on OPA's scoping (an outer `some i` that only comprehensions
    // use, a comprehension redeclaring the outer `name`); these documents and rules are our own,
    // written the same way. Expected: OPA's results on the same combined input.
    let dir = format!("{CONFTEST}/combine-scoping");
    let (code, findings) =
        check_json(&["--no-default-policies", "--combine", "--policy", &format!("{dir}/policy"), &dir]);
    assert_eq!(code, 1, "{findings:?}");
    assert_eq!(
        messages(&findings),
        vec![
            "group data: no account for [\"cy@example.com\", \"dee@example.com\"]",
            "group platform: no account for [\"cy@example.com\", \"dee@example.com\"]",
            "platform is defined 2 times",
        ]
    );
}

#[test]
fn conftest_load_errors() {
    let doc = format!("{CONFTEST}/kubernetes/service.yaml");
    // `deny[msg] if` without `contains` (an object of `true` values in Rego v1) is refused, as conftest
    // does; v0's `deny[msg] { ... }` and v1's `deny contains msg if` are not.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.rego"), "package main\n\nimport rego.v1\n\ndeny[msg] if {\n  msg := \"m\"\n}\n")
        .unwrap();
    let out = argovet().args(["check", "--no-default-policies", "--policy"]).arg(dir.path()).arg(&doc).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("p.rego:5: rule is using 'if' keyword without 'contains' keyword"), "{err}");
    std::fs::write(dir.path().join("p.rego"), "package main\n\ndeny[msg] {\n  msg := \"m\"\n}\n").unwrap();
    let (code, findings) = check_json(&["--no-default-policies", "--policy", dir.path().to_str().unwrap(), &doc]);
    assert_eq!((code, messages(&findings)), (1, vec!["m".to_string()]));

    // Policy paths without any `.rego` file are an error (conftest: "no policies found").
    let empty = tempfile::tempdir().unwrap();
    std::fs::write(empty.path().join("notes.txt"), "not a policy").unwrap();
    let out =
        argovet().args(["check", "--no-default-policies", "--policy"]).arg(empty.path()).arg(&doc).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("no policies found"), "{err}");
    let out = argovet().args(["policy", "test"]).arg(empty.path()).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("no policies found"));
    // A directory holding only tests still counts as policies for `check` (it runs no rule).
    std::fs::write(empty.path().join("a_test.rego"), "package main\n\ntest_x if true\n").unwrap();
    let (code, findings) = check_json(&["--no-default-policies", "--policy", empty.path().to_str().unwrap(), &doc]);
    assert_eq!((code, findings.len()), (0, 0));
}

#[test]
fn print_writes_conftest_prnt_lines_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.rego");
    std::fs::write(
        &policy,
        "package main\n\ndeny contains msg if {\n  print(\"kind is\", input.kind)\n  msg := \"m\"\n}\n",
    )
    .unwrap();
    let out = argovet()
        .args(["check", "--no-default-policies", "--no-context", "--format", "json", "--policy"])
        .arg(&policy)
        .arg(format!("{CONFTEST}/kubernetes/service.yaml"))
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let shown = policy.to_string_lossy().replace('\\', "/");
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("PRNT")).collect::<Vec<_>>(),
        vec![format!("PRNT   {shown}:4: kind is Service")]
    );
    // The report on stdout stays JSON.
    assert!(serde_json::from_slice::<Value>(&out.get_output().stdout).is_ok());
}
