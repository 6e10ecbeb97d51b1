//! text/template's predefined functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ and 1 0 }} {{ and 1 2 }} {{ and .t .name }} {{ and \"\" (fail \"no\") }}",
        d: None,
        o: &[],
        want: Ok("0 2 guestbook "),
    },
    Case { t: "{{ or 0 \"\" }} {{ or 0 3 }} {{ or .t (fail \"x\") }}", d: None, o: &[], want: Ok(" 3 true") },
    Case {
        t: "{{ and }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <and>: wrong number of args for and: want at least 1 got 0",
        ),
    },
    Case { t: "{{ or .missing }}", d: None, o: &[], want: Ok("<no value>") },
    Case { t: "{{ .n | and 1 }}", d: None, o: &[], want: Ok("3") },
    Case {
        t: "{{ not 0 }} {{ not .name }} {{ not .missing }} {{ not .empty }}",
        d: None,
        o: &[],
        want: Ok("true false true true"),
    },
    Case {
        t: "{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ eq \"a\" \"a\" }} {{ eq .n 3.0 }} {{ eq .n 3 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:66: executing \"base\" at <eq .n 3>: error calling eq: incompatible types for comparison",
        ),
    },
    Case { t: "{{ eq .t true }} {{ eq .missing .nul }}", d: None, o: &[], want: Ok("true true") },
    Case { t: "{{ eq .missing 1 }}", d: None, o: &[], want: Ok("false") },
    Case { t: "{{ eq .nul \"\" }}", d: None, o: &[], want: Ok("false") },
    Case {
        t: "{{ eq .list .list }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <eq .list .list>: error calling eq: non-comparable type [a b c]: []interface {}",
        ),
    },
    Case {
        t: "{{ eq .m .m }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <eq .m .m>: error calling eq: non-comparable type map[a:%!s(float64=1) b:%!s(float64=2) c:map[d:x]]: map[string]interface {}",
        ),
    },
    Case {
        t: "{{ eq 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <eq 1>: error calling eq: missing argument for comparison",
        ),
    },
    Case { t: "{{ eq nil nil }}", d: None, o: &[], want: Ok("true") },
    Case { t: "{{ ne 1 2 }} {{ ne \"a\" \"a\" }} {{ ne .n 3.0 }}", d: None, o: &[], want: Ok("true false false") },
    Case {
        t: "{{ ne .n 3 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <ne .n 3>: error calling ne: incompatible types for comparison",
        ),
    },
    Case {
        t: "{{ lt 1 2 }} {{ lt 2 1 }} {{ lt \"a\" \"b\" }} {{ lt 1.5 .n }}",
        d: None,
        o: &[],
        want: Ok("true false true true"),
    },
    Case {
        t: "{{ le 2 2 }} {{ gt 3 2 }} {{ ge 2 3 }} {{ gt .n 2.5 }}",
        d: None,
        o: &[],
        want: Ok("true true false true"),
    },
    Case {
        t: "{{ lt .n 4 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <lt .n 4>: error calling lt: incompatible types for comparison",
        ),
    },
    Case {
        t: "{{ lt true false }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <lt true false>: error calling lt: invalid type for comparison",
        ),
    },
    Case {
        t: "{{ lt .missing 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <lt .missing 1>: error calling lt: invalid type for comparison",
        ),
    },
    Case {
        t: "{{ lt .list 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <lt .list 1>: error calling lt: invalid type for comparison",
        ),
    },
    Case { t: "{{ gt \"b\" \"a\" }} {{ ge \"a\" \"a\" }}", d: None, o: &[], want: Ok("true true") },
    Case {
        t: "{{ index .list 1 }} {{ index .m \"a\" }} {{ index .nested \"a\" \"b\" \"c\" }} {{ index .mixed 4 \"k\" }}",
        d: None,
        o: &[],
        want: Ok("b 1 1 v"),
    },
    Case {
        t: "{{ index .list 5 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .list 5>: error calling index: index out of range: 5",
        ),
    },
    Case {
        t: "{{ index .list 3 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .list 3>: error calling index: reflect: slice index out of range",
        ),
    },
    Case {
        t: "{{ index .list -1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .list -1>: error calling index: index out of range: -1",
        ),
    },
    Case {
        t: "{{ index .list 1.0 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .list 1.0>: error calling index: cannot index slice/array with type float64",
        ),
    },
    Case {
        t: "{{ index .list .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .list .n>: error calling index: cannot index slice/array with type float64",
        ),
    },
    Case {
        t: "{{ index .m 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .m 1>: error calling index: value has type int; should be string",
        ),
    },
    Case { t: "{{ index .m \"zz\" }}", d: None, o: &[], want: Ok("<no value>") },
    Case {
        t: "{{ index .missing 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .missing 1>: error calling index: index of untyped nil",
        ),
    },
    Case {
        t: "{{ index .nul 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .nul 1>: error calling index: index of untyped nil",
        ),
    },
    Case { t: "{{ index .name 0 }}", d: None, o: &[], want: Ok("103") },
    Case {
        t: "{{ index .n 0 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .n 0>: error calling index: can't index item of type float64",
        ),
    },
    Case {
        t: "{{ index .m nil }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .m nil>: error calling index: value is nil; should be of type string",
        ),
    },
    Case { t: "{{ index .list }}", d: None, o: &[], want: Ok("[a b c]") },
    Case {
        t: "{{ index .mixed 2 \"x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <index .mixed 2 \"x\">: error calling index: index of nil pointer",
        ),
    },
    Case { t: "{{ slice .list 1 }}", d: None, o: &[], want: Ok("[b c]") },
    Case { t: "{{ slice .list 1 2 }}", d: None, o: &[], want: Ok("[b]") },
    Case {
        t: "{{ slice .name 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <slice .name 1>: error calling slice: list should be type of slice or array but string",
        ),
    },
    Case {
        t: "{{ slice .list 5 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <slice .list 5>: error calling slice: reflect.Value.Slice: slice index out of bounds",
        ),
    },
    Case { t: "{{ slice .list }}", d: None, o: &[], want: Ok("[a b c]") },
    Case { t: "{{ slice .empty }}", d: None, o: &[], want: Ok("<no value>") },
    Case {
        t: "{{ len .list }} {{ len .m }} {{ len .name }} {{ len .empty }} {{ len \"\" }}",
        d: None,
        o: &[],
        want: Ok("3 3 9 0 0"),
    },
    Case {
        t: "{{ len .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:3: executing \"base\" at <len .n>: error calling len: len of type float64"),
    },
    Case {
        t: "{{ len .missing }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <len .missing>: error calling len: reflect: call of reflect.Value.Type on zero Value",
        ),
    },
    Case {
        t: "{{ len .nul }}",
        d: None,
        o: &[],
        want: Err("template: base:1:3: executing \"base\" at <len .nul>: error calling len: len of nil pointer"),
    },
    Case {
        t: "{{ print 1 2 }} {{ print \"a\" \"b\" }} {{ print \"a\" 1 \"b\" }} {{ print 1 \"a\" 2 }} {{ print .nul .missing }}",
        d: None,
        o: &[],
        want: Ok("1 2 ab a1b 1a2 <nil> <nil>"),
    },
    Case {
        t: "{{ print .m .list .mixed }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 b:2 c:map[d:x]] [a b c] [1 two <nil> true map[k:v] [1]]"),
    },
    Case { t: "{{ println \"a\" 1 }}", d: None, o: &[], want: Ok("a 1\n") },
    Case { t: "{{ print }}", d: None, o: &[], want: Ok("") },
    Case { t: "{{ println }}", d: None, o: &[], want: Ok("\n") },
    Case {
        t: "{{ html \"<a href='x'>&\\\"</a>\" }}",
        d: None,
        o: &[],
        want: Ok("&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;"),
    },
    Case {
        t: "{{ html .nul }} {{ html .missing }} {{ html 1 \"<\" }}",
        d: None,
        o: &[],
        want: Ok("&lt;no value&gt; &lt;no value&gt; 1&lt;"),
    },
    Case { t: "{{ html .list }}", d: None, o: &[], want: Ok("[a b c]") },
    Case {
        t: "{{ js \"it's \\\"q\\\" <b> & = \\\\ \\n\" }}",
        d: None,
        o: &[],
        want: Ok("it\\'s \\\"q\\\" \\u003Cb\\u003E \\u0026 \\u003D \\\\ \\u000A"),
    },
    Case { t: "{{ js \"é\\u2028\" }}", d: None, o: &[], want: Ok("é\\u2028") },
    Case { t: "{{ urlquery \"a b&c=d/é\" }}", d: None, o: &[], want: Ok("a+b%26c%3Dd%2F%C3%A9") },
    Case { t: "{{ urlquery 1 2 }}", d: None, o: &[], want: Ok("1+2") },
    Case {
        t: "{{ call .name }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <call .name>: error calling call: non-function of type string",
        ),
    },
    Case {
        t: "{{ call .missing }}",
        d: None,
        o: &[],
        want: Err("template: base:1:3: executing \"base\" at <call .missing>: error calling call: call of nil"),
    },
    Case { t: "{{ .name | len }}", d: None, o: &[], want: Ok("9") },
    Case {
        t: "{{ .list | index 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:11: executing \"base\" at <index 1>: error calling index: can't index item of type int",
        ),
    },
    Case { t: "{{ 1 | index .list }}", d: None, o: &[], want: Ok("b") },
];

#[test]
fn builtins_matches_go() {
    check(CASES);
}
