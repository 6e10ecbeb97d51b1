//! sprig path functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ base .path }} {{ dir .path }} {{ ext .path }} {{ isAbs .path }} {{ clean \"a/b/../c//d/.\" }}",
        d: None,
        o: &[],
        want: Ok("c.txt /a/b .txt true a/c/d"),
    },
    Case {
        t: "{{ base \"\" }} {{ base \"/\" }} {{ base \"a/b/\" }} {{ dir \"\" }} {{ dir \"file\" }} {{ dir \"/file\" }} {{ ext \"noext\" }} {{ ext \"a.b/c\" }} {{ isAbs \"rel\" }}",
        d: None,
        o: &[],
        want: Ok(". / b . . /   false"),
    },
    Case {
        t: "{{ clean \"\" }} {{ clean \"/../..\" }} {{ clean \"../a/../../b\" }} {{ clean \"//a\" }} {{ osBase .path }} {{ osDir .path }} {{ osExt .path }} {{ osClean \"a//b\" }} {{ osIsAbs \"/x\" }}",
        d: None,
        o: &[],
        want: Ok(". / ../../b /a c.txt /a/b .txt a/b true"),
    },
    Case {
        t: "{{ base .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:8: executing \"base\" at <.n>: wrong type for value; expected string; got float64"),
    },
];

#[test]
fn paths_matches_go() {
    check(CASES);
}
