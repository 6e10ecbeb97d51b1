//! Hostile and fuzz-found inputs: each must return an error or output, never panic or hang.

use super::run;
use crate::gotmpl::{MAX_OUTPUT, MAX_TEMPLATE_DEPTH};

#[test]
fn template_recursion_is_bounded() {
    let e = run(r#"{{ define "x" }}{{ template "x" . }}{{ end }}{{ template "x" . }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.ends_with(&format!("exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})")), "{e}");
}

#[test]
fn output_size_is_bounded() {
    let e = run(r#"{{ range until 100000 }}{{ repeat 1000 "x" }}{{ end }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.contains(&format!("output exceeds the limit of {MAX_OUTPUT} bytes")), "{e}");
    let e = run(r#"{{ repeat 100000000 "xx" }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("exceeds the limit"), "{e}");
    let e = run(r#"{{ until 100000000 }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("exceeds the limit"), "{e}");
}

#[test]
fn execution_steps_are_bounded() {
    let e = run(r#"{{ range until 10000 }}{{ range until 10000 }}{{ end }}{{ end }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("steps"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
    assert!(run(&deep, Some("{}"), &[]).unwrap_err().contains("nesting too deep"));
    let deep_if = format!("{}x{}", "{{ if 1 }}".repeat(5000), "{{ end }}".repeat(5000));
    assert!(run(&deep_if, Some("{}"), &[]).unwrap_err().contains("nesting too deep"));
}

#[test]
fn deep_template_recursion_with_nested_blocks_does_not_overflow_the_stack() {
    let t = r#"{{ define "x" }}{{ if 1 }}{{ with 1 }}{{ range until 1 }}{{ template "x" $ }}{{ end }}{{ end }}{{ end }}{{ end }}{{ template "x" . }}"#;
    let e = run(t, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("exceeded maximum"), "{e}");
    let handle = std::thread::Builder::new().stack_size(1 << 20).spawn(move || run(t, Some("{}"), &[])).unwrap();
    assert!(handle.join().unwrap().is_err());
}

#[test]
fn self_referencing_and_deeply_nested_values_are_refused() {
    let e = run(r#"{{ $d := dict }}{{ $_ := set $d "self" $d }}{{ $d }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("value nesting exceeds"), "{e}");
    let e =
        run(r#"{{ $d := dict }}{{ range until 1000 }}{{ $d = dict "a" $d }}{{ end }}{{ toJson $d }}"#, Some("{}"), &[])
            .unwrap_err();
    assert!(e.contains("value nesting exceeds"), "{e}");
    let e = run(r#"{{ $l := list }}{{ range until 1000 }}{{ $l = list $l }}{{ end }}{{ $l }}"#, Some("{}"), &[])
        .unwrap_err();
    assert!(e.contains("value nesting exceeds"), "{e}");
}

#[test]
fn huge_printf_widths_are_bounded() {
    let t = format!("{{{{ printf \"{}\"{} }}}}", "%999999d".repeat(40), " 1".repeat(40));
    let e = run(&t, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("exceeds the limit"), "{e}");
}

#[test]
fn merging_a_map_into_itself_is_refused() {
    let e = run(r#"{{ $a := dict "k" 1 }}{{ $_ := merge $a (dict "x" $a) }}{{ $a }}"#, Some("{}"), &[]).unwrap_err();
    assert!(e.contains("value nesting exceeds"), "{e}");
}

#[test]
fn multibyte_input_near_byte_offsets_does_not_panic() {
    for t in [
        r#"{{ toDate "January" "ab日本語" }}"#,
        r#"{{ toDate "3PM" "3日" }}"#,
        r#"{{ urlParse "http://h/%😀" }}"#,
        r#"{{ seq 9223372036854775807 }}"#,
        r#"{{ seq 1 9223372036854775807 }}"#,
        r#"{{ randInt -9223372036854775808 9223372036854775807 }}"#,
    ] {
        let _ = run(t, Some("{}"), &[]);
    }
}
