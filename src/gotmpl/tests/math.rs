//! sprig math functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ add 1 2 3 }} {{ add }} {{ add .n 1 }} {{ add \"2\" 3 }} {{ add 1.9 1.9 }} {{ add .t 1 }} {{ add .nul 1 }} {{ add \"x\" 1 }} {{ add \"0x10\" 1 }} {{ add \"1.0\" 1 }}",
        d: None,
        o: &[],
        want: Ok("6 0 4 5 2 2 1 1 17 2"),
    },
    Case {
        t: "{{ add1 5 }} {{ add1 .f }} {{ sub 10 3 }} {{ sub .n 5 }} {{ mul 2 3 4 }} {{ mul 5 }} {{ div 10 3 }} {{ div -7 2 }} {{ mod 10 3 }} {{ mod -7 3 }}",
        d: None,
        o: &[],
        want: Ok("6 2 7 -2 24 5 3 -3 1 -1"),
    },
    Case {
        t: "{{ div 1 0 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <div 1 0>: error calling div: runtime error: integer divide by zero",
        ),
    },
    Case {
        t: "{{ mod 1 0 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mod 1 0>: error calling mod: runtime error: integer divide by zero",
        ),
    },
    Case {
        t: "{{ max 1 5 3 }} {{ min 4 2 8 }} {{ biggest .n 10 }} {{ max \"7\" 2 }} {{ min -1 }}",
        d: None,
        o: &[],
        want: Ok("5 2 10 7 -1"),
    },
    Case {
        t: "{{ maxf 1.5 2.5 0.5 }} {{ minf 1.5 2.5 0.5 }} {{ maxf 1 }} {{ minf \"3.5\" 4 }}",
        d: None,
        o: &[],
        want: Ok("2.5 0.5 1 3.5"),
    },
    Case {
        t: "{{ add1f 1.1 }} {{ addf 1.1 2.2 }} {{ addf 0.1 0.2 }} {{ subf 1 0.9 }} {{ mulf 1.1 3 }} {{ divf 10 3 }} {{ divf 1 3 3 }} {{ addf }} {{ divf 2 }}",
        d: None,
        o: &[],
        want: Ok("2.1 3.3 0.3 0.1 3.3 3.3333333333333335 0.1111111111111111 0 2"),
    },
    Case {
        t: "{{ divf 1 0 }}",
        d: None,
        o: &[],
        want: Err("template: base:1:3: executing \"base\" at <divf 1 0>: error calling divf: decimal division by 0"),
    },
    Case {
        t: "{{ mulf 0.1 0.1 }} {{ subf 10 }} {{ addf \"1.5\" .f }} {{ divf 22 7 }} {{ mulf 1e10 1e10 }}",
        d: None,
        o: &[],
        want: Ok("0.01 10 3 3.142857142857143 1e+20"),
    },
    Case {
        t: "{{ ceil 1.2 }} {{ ceil -1.2 }} {{ floor 1.8 }} {{ floor -1.2 }} {{ ceil \"2.1\" }} {{ floor .n }}",
        d: None,
        o: &[],
        want: Ok("2 -1 1 -2 3 3"),
    },
    Case {
        t: "{{ round 3.14159 2 }} {{ round 2.5 0 }} {{ round 2.4 0 }} {{ round -2.5 0 }} {{ round 1.2345 3 0.4 }} {{ round 1234.5 -2 }} {{ round .f 0 }}",
        d: None,
        o: &[],
        want: Ok("3.14 3 2 -3 1.235 1200 2"),
    },
    Case {
        t: "{{ typeOf (add 1 2) }} {{ typeOf (add1f 1) }} {{ typeOf (max 1) }} {{ typeOf (round 1 0) }} {{ typeOf (ceil 1) }}",
        d: None,
        o: &[],
        want: Ok("int64 float64 int64 float64 float64"),
    },
    Case { t: "{{ add 9223372036854775807 1 }}", d: None, o: &[], want: Ok("-9223372036854775808") },
    Case {
        t: "{{ toDecimal \"0777\" }} {{ toDecimal 777 }} {{ toDecimal \"8\" }} {{ toDecimal \"-10\" }}",
        d: None,
        o: &[],
        want: Ok("511 511 0 -8"),
    },
    Case {
        t: "{{ randInt 5 5 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <randInt 5 5>: error calling randInt: invalid argument to Intn",
        ),
    },
    Case {
        t: "{{ round 2 .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:11: executing \"base\" at <.n>: wrong type for value; expected int; got float64"),
    },
];

#[test]
fn math_matches_go() {
    check(CASES);
}
