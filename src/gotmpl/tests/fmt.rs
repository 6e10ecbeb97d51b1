//! `printf` verbs, flags and Go's value formatting.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ printf \"%d|%5d|%-5d|%05d|%+d|%x|%X|%o|%b|%c|%q|%U\" 42 42 42 42 42 255 255 8 5 65 65 65 }}",
        d: None,
        o: &[],
        want: Ok("42|   42|42   |00042|+42|ff|FF|10|101|A|'A'|U+0041"),
    },
    Case {
        t: "{{ printf \"%f|%.2f|%8.3f|%-8.2f|%e|%E|%g|%G|%.3g|%v\" 3.14159 3.14159 3.14159 3.14159 1234.5678 1234.5678 1234.5678 0.000012 1234.5678 2.5 }}",
        d: None,
        o: &[],
        want: Ok("3.141590|3.14|   3.142|3.14    |1.234568e+03|1.234568E+03|1234.5678|1.2E-05|1.23e+03|2.5"),
    },
    Case {
        t: "{{ printf \"%s|%10s|%-10s|%.2s|%q|%x|%X|% x|%#q\" \"hello\" \"hi\" \"hi\" \"hello\" \"a\\\"b\" \"hi\" \"hi\" \"hi\" \"raw\" }}",
        d: None,
        o: &[],
        want: Ok("hello|        hi|hi        |he|\"a\\\"b\"|6869|6869|68 69|`raw`"),
    },
    Case { t: "{{ printf \"%t|%v|%5t\" true false true }}", d: None, o: &[], want: Ok("true|false| true") },
    Case {
        t: "{{ printf \"%v|%+v|%#v|%T\" .m .m .m .m }}",
        d: None,
        o: &[],
        want: Ok(
            "map[a:1 b:2 c:map[d:x]]|map[a:1 b:2 c:map[d:x]]|map[string]interface {}{\"a\":1, \"b\":2, \"c\":map[string]interface {}{\"d\":\"x\"}}|map[string]interface {}",
        ),
    },
    Case {
        t: "{{ printf \"%v|%#v|%T\" .list .list .list }}",
        d: None,
        o: &[],
        want: Ok("[a b c]|[]interface {}{\"a\", \"b\", \"c\"}|[]interface {}"),
    },
    Case { t: "{{ printf \"%v %v\" .nul .missing }}", d: None, o: &[], want: Ok("<nil> <nil>") },
    Case { t: "{{ printf \"%s %d\" .nul .nul }}", d: None, o: &[], want: Ok("%!s(<nil>) %!d(<nil>)") },
    Case { t: "{{ printf \"%d\" .n }}", d: None, o: &[], want: Ok("%!d(float64=3)") },
    Case { t: "{{ printf \"%s\" 1 }}", d: None, o: &[], want: Ok("%!s(int=1)") },
    Case { t: "{{ printf \"%d %d\" 1 }}", d: None, o: &[], want: Ok("1 %!d(MISSING)") },
    Case { t: "{{ printf \"%d\" 1 2 }}", d: None, o: &[], want: Ok("1%!(EXTRA int=2)") },
    Case { t: "{{ printf \"%!\" }}", d: None, o: &[], want: Ok("%!!(MISSING)") },
    Case { t: "{{ printf \"%\" }}", d: None, o: &[], want: Ok("%!(NOVERB)") },
    Case { t: "{{ printf \"%z\" 1 }}", d: None, o: &[], want: Ok("%!z(int=1)") },
    Case { t: "{{ printf \"%*d|%-*d|%.*f\" 5 1 4 2 2 3.14159 }}", d: None, o: &[], want: Ok("    1|2   |3.14") },
    Case { t: "{{ printf \"%[2]d %[1]d\" 1 2 }}", d: None, o: &[], want: Ok("2 1") },
    Case { t: "{{ printf \"%[3]d\" 1 }}", d: None, o: &[], want: Ok("%!d(BADINDEX)") },
    Case {
        t: "{{ printf \"%T %T %T %T %T %T\" 1 1.5 \"s\" true .nul .list }}",
        d: None,
        o: &[],
        want: Ok("int float64 string bool <nil> []interface {}"),
    },
    Case { t: "{{ printf \"%v\" .mixed }}", d: None, o: &[], want: Ok("[1 two <nil> true map[k:v] [1]]") },
    Case {
        t: "{{ printf \"%d\" .nums }}",
        d: None,
        o: &[],
        want: Ok("[%!d(float64=3) %!d(float64=1) %!d(float64=2)]"),
    },
    Case { t: "{{ printf \"%s\" .list }}", d: None, o: &[], want: Ok("[a b c]") },
    Case { t: "{{ printf \"%x\" .big }}", d: None, o: &[], want: Ok("0x1.e848p+19") },
    Case { t: "{{ printf \"%.0f %.1f %.1f\" 2.5 0.05 0.25 }}", d: None, o: &[], want: Ok("2 0.1 0.2") },
    Case {
        t: "{{ printf \"%g %g %g %g\" 1e21 1e20 1e-5 100000.0 }}",
        d: None,
        o: &[],
        want: Ok("1e+21 1e+20 1e-05 100000"),
    },
    Case { t: "{{ printf \"%v %v\" .huge .tiny }}", d: None, o: &[], want: Ok("1.5e+300 0.0001") },
    Case { t: "{{ printf \"%6.2f%%\" 99.5 }}", d: None, o: &[], want: Ok(" 99.50%") },
    Case {
        t: "{{ printf \"%08.3f|%+.2e|% d|% d\" -3.14159 12345.678 5 -5 }}",
        d: None,
        o: &[],
        want: Ok("-003.142|+1.23e+04| 5|-5"),
    },
    Case { t: "{{ printf \"%#x %#o %#b\" 255 8 5 }}", d: None, o: &[], want: Ok("0xff 010 0b101") },
    Case { t: "{{ printf \"%3c|%-3c|\" 65 66 }}", d: None, o: &[], want: Ok("  A|B  |") },
    Case { t: "{{ printf \"%q\" \"héllo\\x01\" }}", d: None, o: &[], want: Ok("\"héllo\\x01\"") },
    Case { t: "{{ printf \"%+q\" \"héllo\" }}", d: None, o: &[], want: Ok("\"h\\u00e9llo\"") },
    Case { t: "{{ printf \"%x\" \"héllo\" }}", d: None, o: &[], want: Ok("68c3a96c6c6f") },
    Case { t: "{{ printf \"%.3x\" \"hello\" }}", d: None, o: &[], want: Ok("68656c") },
    Case { t: "{{ printf \"%05s|%-05d\" \"ab\" 3 }}", d: None, o: &[], want: Ok("000ab|3    ") },
    Case { t: "{{ printf \"%.2d|%.0d\" 7 0 }}", d: None, o: &[], want: Ok("07|") },
    Case { t: "{{ printf \"%v\" 1e6 }}", d: None, o: &[], want: Ok("1e+06") },
    Case { t: "{{ printf \"%v %.2v\" 3.14159 3.14159 }}", d: None, o: &[], want: Ok("3.14159 3.1") },
    Case { t: "{{ printf \"%s\" (list 1 \"a\") }}", d: None, o: &[], want: Ok("[%!s(int=1) a]") },
    Case {
        t: "{{ printf \"%v\" (dict \"a\" (list 1 2) \"b\" nil) }}",
        d: None,
        o: &[],
        want: Ok("map[a:[1 2] b:<nil>]"),
    },
    Case { t: "{{ printf \"%t\" 1 }}", d: None, o: &[], want: Ok("%!t(int=1)") },
    Case {
        t: "{{ printf \"%e\" 0.0 }} {{ printf \"%g\" 0.0 }} {{ printf \"%f\" -0.0 }}",
        d: None,
        o: &[],
        want: Ok("0.000000e+00 0 -0.000000"),
    },
    Case { t: "{{ printf \"%10.4v|\" \"abcdefgh\" }}", d: None, o: &[], want: Ok("      abcd|") },
    Case {
        t: "{{ printf \"%s %v\" (semver \"1.2.3\") (semver \"1.2.3\") }}",
        d: None,
        o: &[],
        want: Ok("1.2.3 1.2.3"),
    },
    Case {
        t: "{{ printf \"%x %X %.2x %x %x\" 1.0 -0.1 3.0 0.0 1e-310 }}",
        d: None,
        o: &[],
        want: Ok("0x1p+00 -0X1.999999999999AP-04 0x1.80p+01 0x0p+00 0x1.2688b70e62bp-1030"),
    },
];

#[test]
fn fmt_matches_go() {
    check(CASES);
}
