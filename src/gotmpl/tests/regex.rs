//! sprig regular expression functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ regexMatch \"^[a-z]+$\" \"abc\" }} {{ regexMatch \"\\\\d\" \"abc\" }} {{ regexMatch \"(\" \"x\" }}",
        d: None,
        o: &[],
        want: Ok("true false false"),
    },
    Case {
        t: "{{ mustRegexMatch \"(\" \"x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustRegexMatch \"(\" \"x\">: error calling mustRegexMatch: error parsing regexp: missing closing ): `(`",
        ),
    },
    Case {
        t: "{{ regexFindAll \"[0-9]+\" \"a1b22c333\" -1 }} {{ regexFindAll \"[0-9]+\" \"a1b22c333\" 2 }} {{ regexFindAll \"x\" \"abc\" -1 }}",
        d: None,
        o: &[],
        want: Ok("[1 22 333] [1 22] []"),
    },
    Case {
        t: "{{ regexFind \"[a-z]+\" \"123abc456def\" }}|{{ regexFind \"z\" \"abc\" }}",
        d: None,
        o: &[],
        want: Ok("abc|"),
    },
    Case {
        t: "{{ regexFind \"(\" \"x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <regexFind \"(\" \"x\">: error calling regexFind: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`",
        ),
    },
    Case {
        t: "{{ mustRegexFind \"[\" \"x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustRegexFind \"[\" \"x\">: error calling mustRegexFind: error parsing regexp: missing closing ]: `[`",
        ),
    },
    Case {
        t: "{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"${1}W\" }}|{{ regexReplaceAll \"a(x*)b\" \"-ab-axxb-\" \"$1W\" }}|{{ regexReplaceAllLiteral \"a(x*)b\" \"-ab-axxb-\" \"${1}\" }}",
        d: None,
        o: &[],
        want: Ok("-W-xxW-|---|-${1}-${1}-"),
    },
    Case { t: "{{ regexReplaceAll \"x*\" \"abc\" \"-\" }}", d: None, o: &[], want: Ok("-a-b-c-") },
    Case { t: "{{ regexReplaceAll \"a*\" \"baaac\" \"X\" }}", d: None, o: &[], want: Ok("XbXcX") },
    Case { t: "{{ regexFindAll \"a*\" \"baaac\" -1 }}", d: None, o: &[], want: Ok("[ aaa ]") },
    Case {
        t: "{{ regexSplit \"z+\" \"pizza\" -1 }} {{ regexSplit \"z+\" \"pizza\" 1 }} {{ regexSplit \"\" \"abc\" -1 }} {{ regexSplit \"a\" \"\" -1 }} {{ regexSplit \"x\" \"axbxc\" 0 }}",
        d: None,
        o: &[],
        want: Ok("[pi a] [pizza] [a b c] [] []"),
    },
    Case {
        t: "{{ regexQuoteMeta \"1.5-2.0?[a]{b}|c$^\\\\#&~\" }}",
        d: None,
        o: &[],
        want: Ok("1\\.5-2\\.0\\?\\[a\\]\\{b\\}\\|c\\$\\^\\\\#&~"),
    },
    Case {
        t: "{{ regexMatch \"^\\\\w+$\" \"héllo\" }} {{ regexMatch \"^\\\\s$\" \"\\u00a0\" }} {{ regexMatch \"\\\\bfoo\\\\b\" \"a foo b\" }}",
        d: None,
        o: &[],
        want: Ok("false false true"),
    },
    Case {
        t: "{{ regexReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"John Smith\" \"${last}, ${first}\" }}",
        d: None,
        o: &[],
        want: Ok("Smith, John"),
    },
    Case { t: "{{ regexReplaceAll \"(a)\" \"abc\" \"$1x\" }}", d: None, o: &[], want: Ok("bc") },
    Case {
        t: "{{ mustRegexReplaceAll \"*\" \"a\" \"b\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustRegexReplaceAll \"*\" \"a\" \"b\">: error calling mustRegexReplaceAll: error parsing regexp: missing argument to repetition operator: `*`",
        ),
    },
    Case {
        t: "{{ mustRegexSplit \"(\" \"a\" -1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustRegexSplit \"(\" \"a\" -1>: error calling mustRegexSplit: error parsing regexp: missing closing ): `(`",
        ),
    },
    Case {
        t: "{{ mustRegexFindAll \"(\" \"a\" 1 }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <mustRegexFindAll \"(\" \"a\" 1>: error calling mustRegexFindAll: error parsing regexp: missing closing ): `(`",
        ),
    },
    Case {
        t: "{{ regexMatch \"[[:alpha:]]+\" \"abc\" }} {{ regexMatch \"(?i)ABC\" \"abc\" }} {{ regexFind \"[\\\\d-]+\" \"tel 555-1234\" }}",
        d: None,
        o: &[],
        want: Ok("true true 555-1234"),
    },
    Case { t: "{{ regexMatch .name .name }}", d: None, o: &[], want: Ok("true") },
    Case { t: "{{ regexFindAll \"(a)(b)?\" \"ab a\" -1 }}", d: None, o: &[], want: Ok("[ab a]") },
];

#[test]
fn regex_matches_go() {
    check(CASES);
}
