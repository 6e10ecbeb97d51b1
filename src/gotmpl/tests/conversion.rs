//! sprig conversion and reflection functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ atoi \"42\" }} {{ atoi \"x\" }} {{ atoi \"-7\" }} {{ atoi \"+3\" }} {{ atoi \"3.5\" }} {{ atoi \" 1\" }}",
        d: None,
        o: &[],
        want: Ok("42 0 -7 3 0 0"),
    },
    Case {
        t: "{{ int \"12\" }} {{ int 3.9 }} {{ int -3.9 }} {{ int .t }} {{ int .nul }} {{ int \"0x1F\" }} {{ int \"012\" }} {{ int \"5.0\" }} {{ int \"bad\" }} {{ int \"1e3\" }}",
        d: None,
        o: &[],
        want: Ok("12 3 -3 1 0 31 10 5 0 0"),
    },
    Case {
        t: "{{ int64 \"12\" }} {{ int64 .big }} {{ typeOf (int64 1) }} {{ typeOf (int 1) }}",
        d: None,
        o: &[],
        want: Ok("12 1000000 int64 int"),
    },
    Case {
        t: "{{ float64 \"1.5\" }} {{ float64 3 }} {{ float64 .t }} {{ float64 \"x\" }} {{ float64 .nul }} {{ float64 \"1e3\" }} {{ typeOf (float64 1) }}",
        d: None,
        o: &[],
        want: Ok("1.5 3 1 0 0 1000 float64"),
    },
    Case {
        t: "{{ toString 1 }} {{ toString .f }} {{ toString .big }} {{ toString .list }} {{ toString .nul }} {{ toString .m }} {{ toString true }}",
        d: None,
        o: &[],
        want: Ok("1 1.5 1e+06 [a b c] <nil> map[a:1 b:2 c:map[d:x]] true"),
    },
    Case {
        t: "{{ toStrings (list 1 \"a\" .nul 2.5) }} {{ toStrings .name }} {{ toStrings .nul }} {{ typeOf (toStrings .list) }}",
        d: None,
        o: &[],
        want: Ok("[1 a 2.5] [guestbook] [] []string"),
    },
    Case {
        t: "{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf \"s\" }} {{ typeOf .nul }} {{ typeOf .list }} {{ typeOf .m }} {{ typeOf .t }} {{ typeOf .n }}",
        d: None,
        o: &[],
        want: Ok("int float64 string <nil> []interface {} map[string]interface {} bool float64"),
    },
    Case {
        t: "{{ typeIs \"int\" 1 }} {{ typeIs \"float64\" .n }} {{ typeIsLike \"string\" \"s\" }} {{ typeIsLike \"int\" 1.0 }}",
        d: None,
        o: &[],
        want: Ok("true true true false"),
    },
    Case {
        t: "{{ kindOf 1 }} {{ kindOf .list }} {{ kindOf .m }} {{ kindOf .nul }} {{ kindOf \"s\" }} {{ kindOf .f }} {{ kindIs \"slice\" .list }} {{ kindIs \"map\" .list }}",
        d: None,
        o: &[],
        want: Ok("int slice map invalid string float64 true false"),
    },
    Case {
        t: "{{ deepEqual .list .list }} {{ deepEqual (list 1 2) (list 1 2) }} {{ deepEqual 1 1.0 }} {{ deepEqual .m (dict \"a\" 1) }} {{ deepEqual .nul .missing }}",
        d: None,
        o: &[],
        want: Ok("true true false false true"),
    },
    Case {
        t: "{{ typeOf (semver \"1.0.0\") }} {{ kindOf (semver \"1.0.0\") }}",
        d: None,
        o: &[],
        want: Ok("*semver.Version ptr"),
    },
];

#[test]
fn conversion_matches_go() {
    check(CASES);
}
