//! Expected values read from Argo CD's own tests (`applicationset/utils/utils_test.go`:
//! `TestSlugify`, `TestRenderTemplateParamsGoTemplate`), rendered the way Argo CD's `Replace` does.

use super::run;

#[test]
fn slugify_matches_argo_cd_tests() {
    let long = "feat/a_really+long_pull_request_name_to_test_argo_slugification_and_branch_name_shortening_feature";
    let short = "feat/areallylongpullrequestnametotestargoslugificationandbranchnameshorteningfeature";
    for (length, smart, branch, want) in [
        (50, false, long, "feat-a-really-long-pull-request-name-to-test-argo"),
        (53, true, long, "feat-a-really-long-pull-request-name-to-test-argo"),
        (50, true, short, "feat"),
        (50, false, short, "feat-areallylongpullrequestnametotestargoslugifica"),
    ] {
        let t = format!("{{{{ slugify {length} {smart} .branch }}}}");
        let data = serde_json::json!({ "branch": branch }).to_string();
        assert_eq!(run(&t, Some(&data), &[]).as_deref(), Ok(want), "{branch}");
    }
}

#[test]
fn yaml_helpers_match_argo_cd_tests() {
    let data = r#"{"foo": {"bar": {"bool": true, "number": 2, "str": "Hello world"}}}"#;
    assert_eq!(
        run("{{ toYaml . | indent 2 }}", Some(data), &[]).as_deref(),
        Ok("  foo:\n    bar:\n      bool: true\n      number: 2\n      str: Hello world")
    );
    assert_eq!(
        run(r#"{{ get (fromYaml .value) "hello" }}"#, Some(r#"{"value": "hello: world"}"#), &[]).as_deref(),
        Ok("world")
    );
    assert_eq!(
        run(r#"{{ get (fromYaml .value) "hello" }}"#, Some(r#"{"value": "non\n compliant\n yaml"}"#), &[]),
        Err("template: base:1:8: executing \"base\" at <fromYaml .value>: error calling fromYaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}".to_string())
    );
    assert_eq!(
        run("{{ fromYamlArray .value | last }}", Some(r#"{"value": "- hello world\n- bonjour tout le monde"}"#), &[])
            .as_deref(),
        Ok("bonjour tout le monde")
    );
    assert_eq!(
        run("{{ fromYamlArray .value | last }}", Some(r#"{"value": "non\n compliant\n yaml"}"#), &[]),
        Err("template: base:1:3: executing \"base\" at <fromYamlArray .value>: error calling fromYamlArray: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type []interface {}".to_string())
    );
}

#[test]
fn missing_key_error_matches_argo_cd_tests() {
    assert_eq!(
        run("--> {{.doesnotexist}} <--", Some(r#"{"unused": "this is not used"}"#), &["missingkey=error"]),
        Err("template: base:1:6: executing \"base\" at <.doesnotexist>: map has no entry for key \"doesnotexist\""
            .to_string())
    );
}
