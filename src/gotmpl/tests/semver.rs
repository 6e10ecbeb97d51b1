//! sprig semantic version functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ semver \"1.2.3\" }} {{ semver \"v1.2\" }} {{ semver \"1.2.3-beta.1+build.5\" }} {{ semver \"1\" }}",
        d: None,
        o: &[],
        want: Ok("1.2.3 1.2.0 1.2.3-beta.1+build.5 1.0.0"),
    },
    Case {
        t: "{{ (semver \"1.2.3-rc.1+b\").Major }} {{ (semver \"1.2.3\").Minor }} {{ (semver \"1.2.3\").Patch }} {{ (semver \"1.2.3-rc.1+b\").Prerelease }} {{ (semver \"1.2.3-rc.1+b\").Metadata }} {{ (semver \"v1.2\").Original }}",
        d: None,
        o: &[],
        want: Ok("1 2 3 rc.1 b v1.2"),
    },
    Case {
        t: "{{ semver \"bad\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <semver \"bad\">: error calling semver: Invalid Semantic Version",
        ),
    },
    Case {
        t: "{{ semver \"1.2.3.4\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <semver \"1.2.3.4\">: error calling semver: Invalid Semantic Version",
        ),
    },
    Case {
        t: "{{ semver \"1.2.3-01\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <semver \"1.2.3-01\">: error calling semver: Version segment starts with 0",
        ),
    },
    Case {
        t: "{{ (semver \"1.2.3\").Nope }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:11: executing \"base\" at <\"1.2.3\">: can't evaluate field Nope in type *semver.Version",
        ),
    },
    Case {
        t: "{{ semverCompare \">=1.0.0\" \"1.2.3\" }} {{ semverCompare \"^1.2\" \"1.9.0\" }} {{ semverCompare \"^1.2\" \"2.0.0\" }} {{ semverCompare \"~1.2.0\" \"1.2.9\" }} {{ semverCompare \"~1.2.0\" \"1.3.0\" }}",
        d: None,
        o: &[],
        want: Ok("true true false true false"),
    },
    Case {
        t: "{{ semverCompare \"1.2.x\" \"1.2.7\" }} {{ semverCompare \"*\" \"5.0.0\" }} {{ semverCompare \">1.0 <2.0\" \"1.5.0\" }} {{ semverCompare \">1.0, <2.0\" \"2.5.0\" }} {{ semverCompare \"<1.0 || >=3\" \"3.1.0\" }}",
        d: None,
        o: &[],
        want: Ok("true true true false true"),
    },
    Case {
        t: "{{ semverCompare \"1.0 - 2.0\" \"1.5.0\" }} {{ semverCompare \"1.0 - 2.0\" \"2.0.1\" }} {{ semverCompare \"!=1.2.3\" \"1.2.3\" }} {{ semverCompare \"!=1.2\" \"1.3.0\" }}",
        d: None,
        o: &[],
        want: Ok("true true false true"),
    },
    Case {
        t: "{{ semverCompare \">=1.0.0\" \"1.2.0-beta\" }} {{ semverCompare \">=1.0.0-0\" \"1.2.0-beta\" }} {{ semverCompare \"^0.2.3\" \"0.2.9\" }} {{ semverCompare \"^0.2.3\" \"0.3.0\" }} {{ semverCompare \"^0.0.3\" \"0.0.3\" }}",
        d: None,
        o: &[],
        want: Ok("false true true false true"),
    },
    Case {
        t: "{{ semverCompare \"bad constraint\" \"1.0.0\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <semverCompare \"bad constraint\" \"1.0.0\">: error calling semverCompare: improper constraint: bad constraint",
        ),
    },
    Case {
        t: "{{ semverCompare \">1\" \"bad\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <semverCompare \">1\" \"bad\">: error calling semverCompare: Invalid Semantic Version",
        ),
    },
    Case {
        t: "{{ semverCompare \"=1.2.3\" \"v1.2.3\" }} {{ semverCompare \"<=1.2\" \"1.2.9\" }} {{ semverCompare \">1.2\" \"1.3.0\" }} {{ semverCompare \"~>1.2\" \"1.2.5\" }}",
        d: None,
        o: &[],
        want: Ok("true true true true"),
    },
    Case {
        t: "{{ semverCompare \">= 1.2.3\" .ver }} {{ semverCompare \"1.2.3\" .ver }}",
        d: None,
        o: &[],
        want: Ok("true true"),
    },
    Case { t: "{{ eq (semver \"1.0.0\") (semver \"1.0.0\") }}", d: None, o: &[], want: Ok("false") },
];

#[test]
fn semver_matches_go() {
    check(CASES);
}
