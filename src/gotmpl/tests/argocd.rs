//! Argo CD's extra functions: normalize, slugify, toYaml, fromYaml, fromYamlArray.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ normalize \"Hello_World.Example--\" }} {{ normalize \"-a.b-\" }} {{ normalize \"UPPER case\" }} {{ normalize \"ünïcode\" }}",
        d: None,
        o: &[],
        want: Ok("hello-world.example a.b upper-case n-code"),
    },
    Case { t: "{{ normalize .cluster.server }}", d: None, o: &[], want: Ok("https---kubernetes.default.svc") },
    Case {
        t: "{{ slugify \"Hello World\" }} {{ slugify \"a.b_c d\" }} {{ slugify \"--x--\" }}",
        d: None,
        o: &[],
        want: Ok("hello-world a-b-c-d x"),
    },
    Case {
        t: "{{ slugify 10 \"hello-wonderful-world\" }} {{ slugify 5 \"abcdefghij\" }} {{ slugify 10 false \"hello-wonderful-world\" }} {{ slugify 0 \"abc\" }}",
        d: None,
        o: &[],
        want: Ok("hello abcde hello-wond abc"),
    },
    Case {
        t: "{{ slugify 20 true \"Argo CD is a declarative GitOps tool\" }} {{ slugify 20 false \"Argo CD is a declarative GitOps tool\" }}",
        d: None,
        o: &[],
        want: Ok("argo-cd-is-a argo-cd-is-a-declara"),
    },
    Case {
        t: "{{ slugify .n \"abc-def\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <slugify .n \"abc-def\">: error calling slugify: interface conversion: interface {} is float64, not int",
        ),
    },
    Case {
        t: "{{ slugify 5 .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <slugify 5 .n>: error calling slugify: interface conversion: interface {} is float64, not string",
        ),
    },
    Case { t: "{{ slugify }}", d: None, o: &[], want: Ok("") },
    Case { t: "{{ slugify 3 \"a.b.c.d\" }}", d: None, o: &[], want: Ok("a-b") },
    Case { t: "{{ toYaml .m }}", d: None, o: &[], want: Ok("a: 1\nb: 2\nc:\n  d: x") },
    Case { t: "{{ toYaml .list }}", d: None, o: &[], want: Ok("- a\n- b\n- c") },
    Case { t: "{{ toYaml .mixed }}", d: None, o: &[], want: Ok("- 1\n- two\n- null\n- true\n- k: v\n- - 1") },
    Case {
        t: "{{ toYaml .nul }}|{{ toYaml .empty }}|{{ toYaml .emptym }}|{{ toYaml 1 }}|{{ toYaml .big }}|{{ toYaml .f }}",
        d: None,
        o: &[],
        want: Ok("null|[]|{}|1|1000000|1.5"),
    },
    Case {
        t: "{{ toYaml (dict \"s\" \"yes\" \"n\" \"123\" \"e\" \"\" \"c\" \"a: b\" \"h\" \"#x\" \"l\" \"multi\\nline\" \"t\" \"trail\\n\" \"q\" \"it's\" \"d\" \"-x\" \"z\" \"null\") }}",
        d: None,
        o: &[],
        want: Ok(
            "c: 'a: b'\nd: -x\ne: \"\"\nh: '#x'\nl: |-\n  multi\n  line\n\"n\": \"123\"\nq: it's\ns: \"yes\"\nt: |\n  trail\nz: \"null\"",
        ),
    },
    Case {
        t: "{{ toYaml (dict \"nested\" (dict \"list\" (list (dict \"a\" 1 \"b\" (list 1 2)) (list 3 4)))) }}",
        d: None,
        o: &[],
        want: Ok("nested:\n  list:\n  - a: 1\n    b:\n    - 1\n    - 2\n  - - 3\n    - 4"),
    },
    Case {
        t: "{{ toYaml (dict \"k\" \" lead\" \"k2\" \"1.5\" \"k3\" \"1e3\" \"k4\" \"0x1F\" \"k5\" \"~\" \"k6\" \"*star\" \"k7\" \"a #b\" \"k8\" \"1:20\" \"k9\" \"[x]\") }}",
        d: None,
        o: &[],
        want: Ok(
            "k: ' lead'\nk2: \"1.5\"\nk3: \"1e3\"\nk4: \"0x1F\"\nk5: \"~\"\nk6: '*star'\nk7: 'a #b'\nk8: \"1:20\"\nk9: '[x]'",
        ),
    },
    Case {
        t: "{{ fromYaml \"a: 1\\nb: [x, yes, ~, 1.5]\\nc:\\n  d: on\" }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 b:[x true <nil> 1.5] c:map[d:true]]"),
    },
    Case { t: "{{ (fromYaml \"name: x\").name }}", d: None, o: &[], want: Ok("x") },
    Case {
        t: "{{ fromYaml \"- a\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <fromYaml \"- a\">: error calling fromYaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}",
        ),
    },
    Case {
        t: "{{ fromYaml \"a: [\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <fromYaml \"a: [\">: error calling fromYaml: error converting YAML to JSON: yaml: line 1: did not find expected node content",
        ),
    },
    Case { t: "{{ fromYaml \"\" }}", d: None, o: &[], want: Ok("map[]") },
    Case { t: "{{ fromYamlArray \"- 1\\n- two\\n- {a: b}\" }}", d: None, o: &[], want: Ok("[1 two map[a:b]]") },
    Case {
        t: "{{ fromYamlArray \"a: 1\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <fromYamlArray \"a: 1\">: error calling fromYamlArray: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}",
        ),
    },
    Case { t: "{{ fromYamlArray \"\" }}", d: None, o: &[], want: Ok("[]") },
    Case { t: "{{ fromYaml \"1: one\\ntrue: t\\n1.5: f\" }}", d: None, o: &[], want: Ok("map[1:one 1.5:f true:t]") },
    Case { t: "{{ fromYaml \"a: &x 1\\nb: *x\" }}", d: None, o: &[], want: Ok("map[a:1 b:1]") },
    Case { t: "{{ toYaml (fromYaml \"b: 2\\na: 1\") }}", d: None, o: &[], want: Ok("a: 1\nb: 2") },
    Case {
        t: "{{ fromYaml \"a: '1'\\nb: \\\"yes\\\"\\nc: 0777\\nd: 0x10\" }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 b:yes c:511 d:16]"),
    },
    Case { t: "{{ fromYaml \"k: !!str 1\" }}", d: None, o: &[], want: Ok("map[k:1]") },
    Case {
        t: "{{ toYaml (dict \"k\" (repeat 20 \"word \") \"q\" (printf \"%s: x\" (repeat 20 \"ab \")) \"n\" (dict \"deep\" (repeat 30 \"xy \"))) }}",
        d: None,
        o: &[],
        want: Ok(
            "k: 'word word word word word word word word word word word word word word word word\n  word word word word '\n\"n\":\n  deep: 'xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy xy\n    xy xy xy xy xy '\nq: 'ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab : x'",
        ),
    },
    Case {
        t: "{{ toYaml (list (repeat 30 \"ab \") (repeat 30 \"cd\") (trimSuffix \" \" (repeat 40 \"plain \")) (printf \"%s\\x01\" (repeat 30 \"dq \"))) }}",
        d: None,
        o: &[],
        want: Ok(
            "- 'ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab ab\n  ab ab ab '\n- cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd\n- plain plain plain plain plain plain plain plain plain plain plain plain plain plain\n  plain plain plain plain plain plain plain plain plain plain plain plain plain plain\n  plain plain plain plain plain plain plain plain plain plain plain plain\n- \"dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq dq\n  dq dq dq \\x01\"",
        ),
    },
    Case {
        t: "{{ toYaml (dict (repeat 30 \"key \") 1) }}",
        d: None,
        o: &[],
        want: Ok(
            "'key key key key key key key key key key key key key key key key key key key key key key key key key key key key key key ': 1",
        ),
    },
];

#[test]
fn argocd_matches_go() {
    check(CASES);
}
