//! sprig dictionary functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ dict \"a\" 1 \"b\" \"two\" }} {{ dict }} {{ dict \"odd\" }} {{ dict 1 2 }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 b:two] map[] map[odd:] map[1:2]"),
    },
    Case { t: "{{ merge .missing (dict \"a\" 1) }}", d: None, o: &[], want: Ok("map[a:1]") },
    Case {
        t: "{{ get .missing \"a\" }}|{{ hasKey .missing \"a\" }}|{{ pick .missing \"a\" }}|{{ keys .missing }}",
        d: None,
        o: &[],
        want: Ok("|false|map[]|[]"),
    },
    Case {
        t: "{{ $a := dict \"a\" \"\" \"l\" (list 1) \"s\" \"str\" \"n\" .nul }}{{ merge $a (dict \"a\" \"x\" \"l\" (list 2) \"s\" (dict \"x\" 1) \"n\" 5 \"new\" (list 3)) }}",
        d: None,
        o: &[],
        want: Ok("map[a:x l:[1] n:5 new:[3] s:str]"),
    },
    Case {
        t: "{{ $a := dict \"a\" \"\" \"l\" (list 1) \"s\" \"str\" \"n\" .nul }}{{ mergeOverwrite $a (dict \"a\" \"x\" \"l\" (list 2) \"s\" (dict \"x\" 1) \"n\" 5 \"z\" .nul) }}",
        d: None,
        o: &[],
        want: Ok("map[a:x l:[2] n:5 s:str z:<nil>]"),
    },
    Case { t: "{{ get .m \"a\" }}|{{ get .m \"zz\" }}|{{ get .m \"c\" }}", d: None, o: &[], want: Ok("1||map[d:x]") },
    Case { t: "{{ $d := dict \"a\" 1 }}{{ $_ := set $d \"b\" 2 }}{{ $d }}", d: None, o: &[], want: Ok("map[a:1 b:2]") },
    Case {
        t: "{{ $d := dict \"a\" 1 \"b\" 2 }}{{ $_ := unset $d \"a\" }}{{ $d }} {{ unset $d \"zz\" }}",
        d: None,
        o: &[],
        want: Ok("map[b:2] map[b:2]"),
    },
    Case { t: "{{ hasKey .m \"a\" }} {{ hasKey .m \"zz\" }}", d: None, o: &[], want: Ok("true false") },
    Case {
        t: "{{ hasKey .name \"a\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:10: executing \"base\" at <.name>: wrong type for value; expected map[string]interface {}; got string",
        ),
    },
    Case {
        t: "{{ set .missing \"a\" 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <set .missing \"a\" 1>: error calling set: assignment to entry in nil map",
        ),
    },
    Case {
        t: "{{ get .nul \"a\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:7: executing \"base\" at <.nul>: wrong type for value; expected map[string]interface {}; got interface {}",
        ),
    },
    Case { t: "{{ pluck \"a\" (dict \"a\" 1) (dict \"b\" 2) (dict \"a\" 3) }}", d: None, o: &[], want: Ok("[1 3]") },
    // argo: Go map order is random; argovet returns each map's keys sorted
    Case {
        t: "{{ keys .m }} {{ keys (dict \"z\" 1) (dict \"a\" 2) }} {{ keys }}",
        d: None,
        o: &[],
        want: Ok("[a b c] [z a] []"),
    },
    Case {
        t: "{{ pick .m \"a\" \"c\" \"zz\" }} {{ omit .m \"a\" \"zz\" }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 c:map[d:x]] map[b:2 c:map[d:x]]"),
    },
    Case { t: "{{ values (dict \"x\" 1) }} {{ values .emptym }}", d: None, o: &[], want: Ok("[1] []") },
    Case {
        t: "{{ $a := dict \"a\" 1 \"n\" (dict \"x\" 1) }}{{ $b := dict \"a\" 2 \"b\" 3 \"n\" (dict \"x\" 2 \"y\" 3) }}{{ merge $a $b }} {{ $a }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 b:3 n:map[x:1 y:3]] map[a:1 b:3 n:map[x:1 y:3]]"),
    },
    Case {
        t: "{{ $a := dict \"a\" 1 \"n\" (dict \"x\" 1) }}{{ $b := dict \"a\" 2 \"b\" 3 \"n\" (dict \"x\" 2 \"y\" 3) }}{{ mergeOverwrite $a $b }} {{ $a }}",
        d: None,
        o: &[],
        want: Ok("map[a:2 b:3 n:map[x:2 y:3]] map[a:2 b:3 n:map[x:2 y:3]]"),
    },
    Case {
        t: "{{ $a := dict \"a\" \"\" \"z\" 0 }}{{ merge $a (dict \"a\" \"x\" \"z\" 5) }}",
        d: None,
        o: &[],
        want: Ok("map[a:x z:5]"),
    },
    Case {
        t: "{{ $a := dict \"a\" \"keep\" }}{{ mergeOverwrite $a (dict \"a\" \"\") }}",
        d: None,
        o: &[],
        want: Ok("map[a:]"),
    },
    Case {
        t: "{{ mustMerge (dict \"a\" 1) (dict \"b\" 2) }} {{ mustMergeOverwrite (dict \"a\" 1) (dict \"a\" 2) }}",
        d: None,
        o: &[],
        want: Ok("map[a:1 b:2] map[a:2]"),
    },
    Case {
        t: "{{ dig \"a\" \"b\" \"c\" \"def\" .nested }} {{ dig \"a\" \"x\" \"def\" .nested }} {{ dig \"a\" \"b\" \"def\" .nested }}",
        d: None,
        o: &[],
        want: Ok("1 def map[c:1]"),
    },
    Case {
        t: "{{ dig \"a\" \"def\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <dig \"a\" \"def\">: error calling dig: dig needs at least three arguments",
        ),
    },
    Case {
        t: "{{ dig \"a\" \"b\" \"c\" \"d\" \"def\" .nested }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <dig \"a\" \"b\" \"c\" \"d\" \"def\" .nested>: error calling dig: interface conversion: interface {} is float64, not map[string]interface {}",
        ),
    },
    Case {
        t: "{{ dig 1 \"def\" .nested }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <dig 1 \"def\" .nested>: error calling dig: interface conversion: interface {} is int, not string",
        ),
    },
    Case {
        t: "{{ $d := deepCopy .m }}{{ $_ := set $d \"a\" 9 }}{{ $d.a }} {{ .m.a }}",
        d: None,
        o: &[],
        want: Ok("9 1"),
    },
    Case { t: "{{ mustDeepCopy .list }}", d: None, o: &[], want: Ok("[a b c]") },
    Case { t: "{{ $m := .m }}{{ $_ := set $m \"new\" 1 }}{{ .m.new }}", d: None, o: &[], want: Ok("1") },
    Case { t: "{{ keys .m | sortAlpha }}", d: None, o: &[], want: Ok("[a b c]") },
    Case { t: "{{ get (dict \"a\" .nul) \"a\" }}", d: None, o: &[], want: Ok("<no value>") },
    Case {
        t: "{{ merge .m .name }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:12: executing \"base\" at <.name>: wrong type for value; expected map[string]interface {}; got string",
        ),
    },
    Case { t: "{{ (dict \"k\" \"v\").k }}", d: None, o: &[], want: Ok("v") },
    Case {
        t: "{{ typeOf (dict) }} {{ typeOf (split \",\" \"a\") }}",
        d: None,
        o: &[],
        want: Ok("map[string]interface {} map[string]string"),
    },
    Case {
        t: "{{ keys (split \",\" \"a,b\") }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:19: executing \"base\" at <\"a,b\">: wrong type for value; expected map[string]interface {}; got map[string]string",
        ),
    },
];

#[test]
fn dicts_matches_go() {
    check(CASES);
}
