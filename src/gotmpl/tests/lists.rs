//! sprig list functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case { t: "{{ list 1 \"a\" .nul 2.5 }}", d: None, o: &[], want: Ok("[1 a <nil> 2.5]") },
    Case { t: "{{ tuple 1 2 }}", d: None, o: &[], want: Ok("[1 2]") },
    Case { t: "{{ list }}", d: None, o: &[], want: Ok("[]") },
    Case {
        t: "{{ append .list \"d\" }} {{ push .nums 4 }} {{ mustAppend .list 1 }}",
        d: None,
        o: &[],
        want: Ok("[a b c d] [3 1 2 4] [a b c 1]"),
    },
    Case {
        t: "{{ append .missing 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <append .missing 1>: error calling append: runtime error: invalid memory address or nil pointer dereference",
        ),
    },
    Case {
        t: "{{ append .name 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <append .name 1>: error calling append: Cannot push on type string",
        ),
    },
    Case {
        t: "{{ mustPush .n 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustPush .n 1>: error calling mustPush: Cannot push on type float64",
        ),
    },
    Case { t: "{{ prepend .list \"z\" }} {{ mustPrepend .nums 0 }}", d: None, o: &[], want: Ok("[z a b c] [0 3 1 2]") },
    Case {
        t: "{{ first .list }} {{ last .list }} {{ first .empty }} {{ last .empty }}",
        d: None,
        o: &[],
        want: Ok("a c <no value> <no value>"),
    },
    Case {
        t: "{{ first .name }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <first .name>: error calling first: Cannot find first on type string",
        ),
    },
    Case {
        t: "{{ mustFirst .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustFirst .n>: error calling mustFirst: Cannot find first on type float64",
        ),
    },
    Case {
        t: "{{ first .nul }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <first .nul>: error calling first: runtime error: invalid memory address or nil pointer dereference",
        ),
    },
    Case {
        t: "{{ rest .list }} {{ initial .list }} {{ rest .empty }} {{ initial .empty }}",
        d: None,
        o: &[],
        want: Ok("[b c] [a b] [] []"),
    },
    Case {
        t: "{{ mustRest .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustRest .n>: error calling mustRest: Cannot find rest on type float64",
        ),
    },
    Case {
        t: "{{ mustInitial .name }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustInitial .name>: error calling mustInitial: Cannot find initial on type string",
        ),
    },
    Case {
        t: "{{ reverse .list }} {{ reverse .empty }} {{ mustReverse .nums }}",
        d: None,
        o: &[],
        want: Ok("[c b a] [] [2 1 3]"),
    },
    Case {
        t: "{{ reverse .name }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <reverse .name>: error calling reverse: Cannot find reverse on type string",
        ),
    },
    Case { t: "{{ uniq (list 1 1 \"a\" \"a\" 1.0 .nul .nul) }}", d: None, o: &[], want: Ok("[1 a 1 <nil>]") },
    Case {
        t: "{{ mustUniq .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustUniq .n>: error calling mustUniq: Cannot find uniq on type float64",
        ),
    },
    Case {
        t: "{{ without .list \"b\" }} {{ without .nums 1 3 }} {{ mustWithout .list }}",
        d: None,
        o: &[],
        want: Ok("[a c] [3 1 2] [a b c]"),
    },
    Case {
        t: "{{ without .n 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <without .n 1>: error calling without: Cannot find without on type float64",
        ),
    },
    Case {
        t: "{{ has \"b\" .list }} {{ has 1 .nums }} {{ has 1.0 .nums }} {{ has 1 .nul }} {{ mustHas \"z\" .list }}",
        d: None,
        o: &[],
        want: Ok("true false true false false"),
    },
    Case {
        t: "{{ has 1 .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <has 1 .n>: error calling has: Cannot find has on type float64",
        ),
    },
    Case {
        t: "{{ slice .list 1 }} {{ slice .list 1 2 }} {{ slice .list }} {{ slice .empty 1 }} {{ mustSlice .nums 0 1 }}",
        d: None,
        o: &[],
        want: Ok("[b c] [b] [a b c] <no value> [3]"),
    },
    Case {
        t: "{{ slice .list 2 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <slice .list 2 1>: error calling slice: reflect.Value.Slice: slice index out of bounds",
        ),
    },
    Case {
        t: "{{ slice .name 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <slice .name 1>: error calling slice: list should be type of slice or array but string",
        ),
    },
    Case { t: "{{ slice .list 1.0 2.0 }}", d: None, o: &[], want: Ok("[b]") },
    Case { t: "{{ concat .list .nums (list 1) }}", d: None, o: &[], want: Ok("[a b c 3 1 2 1]") },
    Case {
        t: "{{ concat .list .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <concat .list .n>: error calling concat: Cannot concat type float64 as list",
        ),
    },
    Case { t: "{{ concat }}", d: None, o: &[], want: Ok("[]") },
    Case {
        t: "{{ chunk 2 .list }} {{ chunk 3 (until 7) }} {{ mustChunk 5 .list }}",
        d: None,
        o: &[],
        want: Ok("[[a b] [c]] [[0 1 2] [3 4 5] [6]] [[a b c]]"),
    },
    Case {
        t: "{{ chunk 0 .list }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <chunk 0 .list>: error calling chunk: runtime error: makeslice: len out of range",
        ),
    },
    Case {
        t: "{{ chunk 2 .name }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <chunk 2 .name>: error calling chunk: Cannot chunk type string",
        ),
    },
    Case {
        t: "{{ compact (list 0 1 \"\" \"a\" .nul false true (list) (dict)) }}",
        d: None,
        o: &[],
        want: Ok("[1 a true]"),
    },
    Case {
        t: "{{ mustCompact .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustCompact .n>: error calling mustCompact: Cannot compact on type float64",
        ),
    },
    Case {
        t: "{{ join \"-\" .list }} {{ join \",\" .nums }} {{ join \",\" .mixed }} {{ join \"-\" .name }} {{ join \"-\" .nul }}",
        d: None,
        o: &[],
        want: Ok("a-b-c 3,1,2 1,two,true,map[k:v],[1] guestbook "),
    },
    Case {
        t: "{{ sortAlpha (list \"b\" \"A\" \"a\" 10 9) }} {{ sortAlpha .name }} {{ sortAlpha .nul }}",
        d: None,
        o: &[],
        want: Ok("[10 9 A a b] [guestbook] [<nil>]"),
    },
    Case {
        t: "{{ until 5 }} {{ until -3 }} {{ until 0 }} {{ untilStep 0 10 3 }} {{ untilStep 10 0 -4 }} {{ untilStep 0 10 -1 }}",
        d: None,
        o: &[],
        want: Ok("[0 1 2 3 4] [0 -1 -2] [] [0 3 6 9] [10 6 2] []"),
    },
    Case {
        t: "{{ until .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:9: executing \"base\" at <.n>: wrong type for value; expected int; got float64"),
    },
    Case {
        t: "{{ seq 5 }} {{ seq 3 -1 }} {{ seq 2 5 }} {{ seq 0 2 10 }} {{ seq 10 -3 1 }} {{ seq 1 2 3 4 }} {{ seq }} {{ seq 5 2 1 }}",
        d: None,
        o: &[],
        want: Ok("1 2 3 4 5 3 2 1 0 -1 2 3 4 5 0 2 4 6 8 10 10 7 4 1   "),
    },
    Case { t: "{{ range first (list (list 1 2)) }}{{ . }}{{ end }}", d: None, o: &[], want: Ok("12") },
    Case {
        t: "{{ typeOf (rest .list) }} {{ typeOf (first .list) }} {{ typeOf (slice .list 1) }}",
        d: None,
        o: &[],
        want: Ok("[]interface {} string []interface {}"),
    },
    Case {
        t: "{{ typeOf (until 2) }} {{ typeOf (splitList \",\" \"a\") }} {{ typeOf (sortAlpha .list) }} {{ typeOf (chunk 1 .list) }}",
        d: None,
        o: &[],
        want: Ok("[]int []string []string [][]interface {}"),
    },
];

#[test]
fn lists_matches_go() {
    check(CASES);
}
