//! sprig date functions with explicit dates.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ date \"2006-01-02\" 0 }} {{ date \"2006-01-02T15:04:05Z07:00\" 1700000000 }} {{ htmlDate 86400 }} {{ dateInZone \"15:04 MST\" 1700000000 \"UTC\" }}",
        d: None,
        o: &[],
        want: Ok("1970-01-01 2023-11-14T22:13:20Z 1970-01-02 22:13 UTC"),
    },
    Case {
        t: "{{ date \"Mon Monday Jan January 1 01 2 02 _2 06 2006 3 03 15 4 04 5 05 PM pm MST -0700 -07:00 Z07:00 002\" 1700000000 }}",
        d: None,
        o: &[],
        want: Ok("Tue Tuesday Nov November 11 11 14 14 14 23 2023 10 10 22 13 13 20 20 PM pm UTC +0000 +00:00 Z 318"),
    },
    Case {
        t: "{{ toDate \"2006-01-02\" \"2024-02-29\" }}",
        d: None,
        o: &[],
        want: Ok("2024-02-29 00:00:00 +0000 UTC"),
    },
    Case { t: "{{ toDate \"2006-01-02\" \"bad\" }}", d: None, o: &[], want: Ok("0001-01-01 00:00:00 +0000 UTC") },
    Case {
        t: "{{ mustToDate \"2006-01-02\" \"2024-13-01\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustToDate \"2006-01-02\" \"2024-13-01\">: error calling mustToDate: parsing time \"2024-13-01\": month out of range",
        ),
    },
    Case {
        t: "{{ mustToDate \"2006-01-02\" \"bad\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustToDate \"2006-01-02\" \"bad\">: error calling mustToDate: parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\"",
        ),
    },
    Case {
        t: "{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2024-01-02T03:04:05+02:00\" | date \"2006-01-02 15:04 -0700\" }}",
        d: None,
        o: &[],
        want: Ok("2024-01-02 01:04 +0000"),
    },
    Case { t: "{{ unixEpoch (toDate \"2006-01-02\" \"2024-01-01\") }}", d: None, o: &[], want: Ok("1704067200") },
    Case {
        t: "{{ toDate \"2006-01-02 15:04:05.000\" \"2024-01-01 10:11:12.345\" }}",
        d: None,
        o: &[],
        want: Ok("2024-01-01 10:11:12.345 +0000 UTC"),
    },
    Case {
        t: "{{ dateModify \"1h30m\" (toDate \"2006-01-02\" \"2024-01-01\") }} {{ dateModify \"bad\" (toDate \"2006-01-02\" \"2024-01-01\") }} {{ dateModify \"-24h\" (toDate \"2006-01-02\" \"2024-03-01\") | date \"2006-01-02\" }}",
        d: None,
        o: &[],
        want: Ok("2024-01-01 01:30:00 +0000 UTC 2024-01-01 00:00:00 +0000 UTC 2024-02-29"),
    },
    Case {
        t: "{{ mustDateModify \"1x\" (toDate \"2006-01-02\" \"2024-01-01\") }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustDateModify \"1x\" (toDate \"2006-01-02\" \"2024-01-01\")>: error calling mustDateModify: time: unknown unit \"x\" in duration \"1x\"",
        ),
    },
    Case {
        t: "{{ dateModify \"1h\" .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:19: executing \"base\" at <.n>: wrong type for value; expected time.Time; got float64",
        ),
    },
    Case {
        t: "{{ unixEpoch .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:13: executing \"base\" at <.n>: wrong type for value; expected time.Time; got float64",
        ),
    },
    Case {
        t: "{{ duration 95 }}|{{ duration \"3600\" }}|{{ duration .n }}|{{ duration (int64 90061) }}|{{ duration 0 }}",
        d: None,
        o: &[],
        want: Ok("0s|1h0m0s|0s|25h1m1s|0s"),
    },
    Case {
        t: "{{ durationRound \"2h10m\" }} {{ durationRound \"40h\" }} {{ durationRound \"1000h\" }} {{ durationRound \"9000h\" }} {{ durationRound \"59s\" }} {{ durationRound \"1s\" }} {{ durationRound (int64 3000000000) }} {{ durationRound 5 }} {{ durationRound \"-3m\" }}",
        d: None,
        o: &[],
        want: Ok("2h 1d 1mo 1y 59s 0s 3s 0s 3m"),
    },
    Case {
        t: "{{ (toDate \"2006-01-02\" \"2024-03-05\").Year }} {{ (toDate \"2006-01-02\" \"2024-03-05\").Format \"Jan 2\" }} {{ (toDate \"2006-01-02\" \"2024-03-05\").Unix }}",
        d: None,
        o: &[],
        want: Ok("2024 Mar 5 1709596800"),
    },
    Case {
        t: "{{ date \"2006\" (toDate \"2006-01-02\" \"1969-07-20\") }} {{ date \"2006-01-02\" -86400 }}",
        d: None,
        o: &[],
        want: Ok("1969 1969-12-31"),
    },
    Case {
        t: "{{ date \".000 .999 ,000\" (toDate \"15:04:05.000\" \"10:11:12.340\") }}",
        d: None,
        o: &[],
        want: Ok(".340 .34 ,340"),
    },
    Case {
        t: "{{ toDate \"Jan 2 2006\" \"feb 3 2021\" }}",
        d: None,
        o: &[],
        want: Ok("2021-02-03 00:00:00 +0000 UTC"),
    },
    Case {
        t: "{{ toDate \"3:04PM\" \"11:30AM\" }} {{ toDate \"3:04PM\" \"12:05AM\" | date \"15:04\" }}",
        d: None,
        o: &[],
        want: Ok("0000-01-01 11:30:00 +0000 UTC 00:05"),
    },
    Case {
        t: "{{ date_in_zone \"2006\" 0 \"UTC\" }} {{ date_modify \"1s\" (toDate \"2006\" \"2000\") }}",
        d: None,
        o: &[],
        want: Ok("1970 2000-01-01 00:00:01 +0000 UTC"),
    },
];

#[test]
fn date_matches_go() {
    check(CASES);
}
