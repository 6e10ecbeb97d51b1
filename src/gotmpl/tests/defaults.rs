//! sprig default, JSON and flow functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ default \"d\" .missing }} {{ default \"d\" .s }} {{ default \"d\" .name }} {{ default \"d\" 0 }} {{ default \"d\" .empty }} {{ default \"d\" .f0 }} {{ default \"d\" .nul }}",
        d: None,
        o: &[],
        want: Ok("d d guestbook d d d d"),
    },
    Case { t: "{{ .missing | default \"piped\" }}", d: None, o: &[], want: Ok("piped") },
    Case { t: "{{ default \"d\" }}", d: None, o: &[], want: Ok("d") },
    Case { t: "{{ default 5 .n }}", d: None, o: &[], want: Ok("3") },
    Case {
        t: "{{ default \"x\" .emptym }} {{ default \"x\" .m }}",
        d: None,
        o: &[],
        want: Ok("x map[a:1 b:2 c:map[d:x]]"),
    },
    Case {
        t: "{{ empty .missing }} {{ empty 0 }} {{ empty \"\" }} {{ empty .list }} {{ empty .f0 }} {{ empty .t }} {{ empty 0.0 }} {{ empty .emptym }}",
        d: None,
        o: &[],
        want: Ok("true true true false true false true true"),
    },
    Case {
        t: "{{ coalesce .missing .s 0 \"first\" \"second\" }} {{ coalesce .nul .empty }}",
        d: None,
        o: &[],
        want: Ok("first <no value>"),
    },
    Case { t: "{{ coalesce }}", d: None, o: &[], want: Ok("<no value>") },
    Case {
        t: "{{ all 1 \"a\" .t }} {{ all 1 \"\" }} {{ all }} {{ any 0 \"\" .nul }} {{ any 0 1 }} {{ any }}",
        d: None,
        o: &[],
        want: Ok("true false true false true false"),
    },
    Case {
        t: "{{ ternary \"yes\" \"no\" true }} {{ ternary \"yes\" \"no\" .f0 }} {{ .t | ternary 1 2 }}",
        d: None,
        o: &[],
        want: Ok("yes no 1"),
    },
    Case {
        t: "{{ ternary 1 2 .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:15: executing \"base\" at <.n>: wrong type for value; expected bool; got float64"),
    },
    Case {
        t: "{{ toJson .m }} {{ toJson .list }} {{ toJson .nul }} {{ toJson .big }} {{ toJson .f }} {{ toJson \"<a&b>\" }}",
        d: None,
        o: &[],
        want: Ok(
            "{\"a\":1,\"b\":2,\"c\":{\"d\":\"x\"}} [\"a\",\"b\",\"c\"] null 1000000 1.5 \"\\u003ca\\u0026b\\u003e\"",
        ),
    },
    Case {
        t: "{{ toRawJson \"<a&b>\" }} {{ toRawJson .mixed }} {{ mustToRawJson .m }}",
        d: None,
        o: &[],
        want: Ok("\"<a&b>\" [1,\"two\",null,true,{\"k\":\"v\"},[1]] {\"a\":1,\"b\":2,\"c\":{\"d\":\"x\"}}"),
    },
    Case {
        t: "{{ toPrettyJson .m }}",
        d: None,
        o: &[],
        want: Ok("{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": {\n    \"d\": \"x\"\n  }\n}"),
    },
    Case { t: "{{ toPrettyJson .empty }} {{ toPrettyJson .emptym }}", d: None, o: &[], want: Ok("[] {}") },
    Case {
        t: "{{ mustToJson .nested }} {{ mustToPrettyJson (list 1) }}",
        d: None,
        o: &[],
        want: Ok("{\"a\":{\"b\":{\"c\":1}}} [\n  1\n]"),
    },
    Case {
        t: "{{ toJson .tiny }} {{ toJson .huge }} {{ toJson 1e21 }} {{ toJson 1e-7 }} {{ toJson 123456789.0 }}",
        d: None,
        o: &[],
        want: Ok("0.0001 1.5e+300 1e+21 1e-7 123456789"),
    },
    Case {
        t: "{{ fromJson \"{\\\"a\\\": [1, 2.5, null, true]}\" }}",
        d: None,
        o: &[],
        want: Ok("map[a:[1 2.5 <nil> true]]"),
    },
    Case { t: "{{ (fromJson \"{\\\"a\\\": 1}\").a }}", d: None, o: &[], want: Ok("1") },
    Case { t: "{{ fromJson \"not json\" }}", d: None, o: &[], want: Ok("<no value>") },
    Case {
        t: "{{ mustFromJson \"not json\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"not json\">: error calling mustFromJson: invalid character 'o' in literal null (expecting 'u')",
        ),
    },
    Case {
        t: "{{ mustFromJson \"\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"\">: error calling mustFromJson: unexpected end of JSON input",
        ),
    },
    Case {
        t: "{{ mustFromJson \"{\\\"a\\\" 1}\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"{\\\"a\\\" 1}\">: error calling mustFromJson: invalid character '1' after object key",
        ),
    },
    Case {
        t: "{{ mustFromJson \"[1 2]\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"[1 2]\">: error calling mustFromJson: invalid character '2' after array element",
        ),
    },
    Case {
        t: "{{ mustFromJson \"{\\\"a\\\":1 \\\"b\\\":2}\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"{\\\"a\\\":1 \\\"b\\\":2}\">: error calling mustFromJson: invalid character '\"' after object key:value pair",
        ),
    },
    Case {
        t: "{{ mustFromJson \"{1:2}\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"{1:2}\">: error calling mustFromJson: invalid character '1' looking for beginning of object key string",
        ),
    },
    Case {
        t: "{{ mustFromJson \"-x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"-x\">: error calling mustFromJson: invalid character 'x' in numeric literal",
        ),
    },
    Case {
        t: "{{ mustFromJson \"1.\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"1.\">: error calling mustFromJson: invalid character ' ' after decimal point in numeric literal",
        ),
    },
    Case {
        t: "{{ mustFromJson \"1e+\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"1e+\">: error calling mustFromJson: invalid character ' ' in exponent of numeric literal",
        ),
    },
    Case {
        t: "{{ mustFromJson \"\\\"a\\\\qb\\\"\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"\\\"a\\\\qb\\\"\">: error calling mustFromJson: invalid character 'q' in string escape code",
        ),
    },
    Case {
        t: "{{ mustFromJson \"\\\"\\\\u12x4\\\"\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"\\\"\\\\u12x4\\\"\">: error calling mustFromJson: invalid character 'x' in \\u hexadecimal character escape",
        ),
    },
    Case {
        t: "{{ mustFromJson \"[1,\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"[1,\">: error calling mustFromJson: unexpected end of JSON input",
        ),
    },
    Case {
        t: "{{ mustFromJson \"tru\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"tru\">: error calling mustFromJson: invalid character ' ' in literal true (expecting 'e')",
        ),
    },
    Case {
        t: "{{ mustFromJson \"@\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"@\">: error calling mustFromJson: invalid character '@' looking for beginning of value",
        ),
    },
    Case {
        t: "{{ mustFromJson \"{} x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFromJson \"{} x\">: error calling mustFromJson: invalid character 'x' after top-level value",
        ),
    },
    Case {
        t: "{{ fromJson \"[1,2]\" }} {{ fromJson \"\\\"s\\\"\" }} {{ fromJson \"3\" }}",
        d: None,
        o: &[],
        want: Ok("[1 2] s 3"),
    },
    Case {
        t: "{{ fail \"custom failure\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <fail \"custom failure\">: error calling fail: custom failure",
        ),
    },
    Case {
        t: "{{ fail .name }}",
        d: None,
        o: &[],
        want: Err("template: base:1:3: executing \"base\" at <fail .name>: error calling fail: guestbook"),
    },
    Case { t: "{{ toJson (dict \"b\" 1 \"a\" (list \"x\")) }}", d: None, o: &[], want: Ok("{\"a\":[\"x\"],\"b\":1}") },
    Case { t: "{{ toJson \"é\\u2028\\t\" }}", d: None, o: &[], want: Ok("\"é\\u2028\\t\"") },
    Case { t: "{{ toJson .str | fromJson }}", d: None, o: &[], want: Ok("Hello World") },
    Case { t: "{{ toJson (semver \"1.2.3\") }}", d: None, o: &[], want: Ok("\"1.2.3\"") },
];

#[test]
fn defaults_matches_go() {
    check(CASES);
}
