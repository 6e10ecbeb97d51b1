//! sprig string functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case { t: "{{ hello }}", d: None, o: &[], want: Ok("Hello!") },
    Case {
        t: "{{ upper .str }} {{ lower .str }} {{ title \"hello wORLD foo_bar\" }} {{ untitle \"Hello World\" }}",
        d: None,
        o: &[],
        want: Ok("HELLO WORLD hello world Hello WORLD Foo_bar hello world"),
    },
    Case {
        t: "{{ trim \"  a b  \" }}|{{ trimAll \"$\" \"$$a$$\" }}|{{ trimall \"ab\" \"abxba\" }}|{{ trimSuffix \".txt\" .path }}|{{ trimPrefix \"/a\" .path }}",
        d: None,
        o: &[],
        want: Ok("a b|a|x|/a/b/c|/b/c.txt"),
    },
    Case {
        t: "{{ trunc 5 .str }}|{{ trunc -5 .str }}|{{ trunc 50 .str }}|{{ trunc 0 .str }}|{{ trunc -50 .str }}",
        d: None,
        o: &[],
        want: Ok("Hello|World|Hello World||Hello World"),
    },
    Case {
        t: "{{ abbrev 5 \"hello world\" }}|{{ abbrev 3 \"hello\" }}|{{ abbrev 20 \"hello\" }}|{{ abbrevboth 5 10 \"1234 5678 9123\" }}|{{ abbrevboth 1 10 \"1234567890abcdef\" }}",
        d: None,
        o: &[],
        want: Ok("he...|hello|hello|...5678...|1234567..."),
    },
    Case {
        t: "{{ substr 0 5 .str }}|{{ substr 6 -1 .str }}|{{ substr -1 3 .str }}|{{ substr 3 100 .str }}",
        d: None,
        o: &[],
        want: Ok("Hello|World|Hel|lo World"),
    },
    Case {
        t: "{{ substr 5 3 .str }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <substr 5 3 .str>: error calling substr: runtime error: slice bounds out of range [5:3]",
        ),
    },
    Case {
        t: "{{ substr 20 30 .str }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <substr 20 30 .str>: error calling substr: runtime error: slice bounds out of range [20:11]",
        ),
    },
    Case {
        t: "{{ substr -1 50 .str }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <substr -1 50 .str>: error calling substr: runtime error: slice bounds out of range [:50] with length 11",
        ),
    },
    Case { t: "{{ repeat 3 \"ab\" }}|{{ repeat 0 \"x\" }}", d: None, o: &[], want: Ok("ababab|") },
    Case {
        t: "{{ repeat -1 \"x\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <repeat -1 \"x\">: error calling repeat: strings: negative Repeat count",
        ),
    },
    Case { t: "{{ nospace \" a b\\tc\\n\" }}", d: None, o: &[], want: Ok("abc") },
    Case { t: "{{ initials \"First Try  now\" }}", d: None, o: &[], want: Ok("FTn") },
    Case { t: "{{ swapcase \"This Is A.Test\" }}", d: None, o: &[], want: Ok("tHIS iS a.tEST") },
    Case {
        t: "{{ snakecase \"FirstName\" }} {{ snakecase \"HTTPServer\" }} {{ snakecase \"hello world-foo\" }} {{ snakecase \"a1b2\" }}",
        d: None,
        o: &[],
        want: Ok("first_name http_server hello_world_foo a_1b2"),
    },
    Case {
        t: "{{ kebabcase \"FirstName\" }} {{ kebabcase \"myHTTPServer2Go\" }} {{ kebabcase \"already-kebab\" }} {{ kebabcase \"foo_Bar baz\" }}",
        d: None,
        o: &[],
        want: Ok("first-name my-http-server2-go already-kebab foo-bar-baz"),
    },
    // argo: xstrings 1.5 (sprig 3.3) keeps inner capitals: FooBar stays FooBar
    Case {
        t: "{{ camelcase \"http_server\" }} {{ camelcase \"_my_field\" }} {{ camelcase \"FooBar\" }} {{ camelcase \"foo-bar baz\" }}",
        d: None,
        o: &[],
        want: Ok("HttpServer _MyField FooBar FooBarBaz"),
    },
    Case { t: "{{ camelcase \"http_server\" }}", d: None, o: &[], want: Ok("HttpServer") },
    Case {
        t: "{{ wrap 10 \"The quick brown fox jumps over the lazy dog\" }}",
        d: None,
        o: &[],
        want: Ok("The quick\nbrown fox\njumps over\nthe lazy\ndog"),
    },
    Case { t: "{{ wrapWith 5 \"\\t\" \"Hello World\" }}", d: None, o: &[], want: Ok("Hello\tWorld") },
    Case { t: "{{ wrap 3 \"abcdefgh ij\" }}", d: None, o: &[], want: Ok("abcdefgh\nij") },
    Case {
        t: "{{ contains \"cat\" \"catch\" }} {{ hasPrefix \"ca\" \"cat\" }} {{ hasSuffix \"at\" \"cat\" }} {{ contains \"x\" \"cat\" }}",
        d: None,
        o: &[],
        want: Ok("true true true false"),
    },
    Case {
        t: "{{ quote \"a\" 1 .nul \"b\\\"c\" }}|{{ squote \"a\" 1 .nul }}|{{ cat \"a\" 1 .nul .list }}",
        d: None,
        o: &[],
        want: Ok("\"a\" \"1\" \"b\\\"c\"|'a' '1'|a 1 [a b c]"),
    },
    Case { t: "{{ quote }}|{{ cat }}", d: None, o: &[], want: Ok("|") },
    Case { t: "{{ indent 2 \"a\\nb\" }}|{{ nindent 2 \"a\\nb\" }}", d: None, o: &[], want: Ok("  a\n  b|\n  a\n  b") },
    Case {
        t: "{{ replace \" \" \"-\" .str }}|{{ replace \"\" \"-\" \"ab\" }}",
        d: None,
        o: &[],
        want: Ok("Hello-World|-a-b-"),
    },
    Case {
        t: "{{ plural \"one\" \"many\" 1 }} {{ plural \"one\" \"many\" 2 }}",
        d: None,
        o: &[],
        want: Ok("one many"),
    },
    Case {
        t: "{{ plural \"one\" \"many\" .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:23: executing \"base\" at <.n>: wrong type for value; expected int; got float64"),
    },
    Case {
        t: "{{ split \"$\" \"a$b$c\" }} {{ (split \"$\" \"a$b$c\")._1 }}",
        d: None,
        o: &[],
        want: Ok("map[_0:a _1:b _2:c] b"),
    },
    Case {
        t: "{{ splitList \",\" \"a,b,,c\" }} {{ splitList \"\" \"abc\" }}",
        d: None,
        o: &[],
        want: Ok("[a b  c] [a b c]"),
    },
    Case { t: "{{ splitn \"$\" 2 \"a$b$c\" }}", d: None, o: &[], want: Ok("map[_0:a _1:b$c]") },
    Case {
        t: "{{ upper .n }}",
        d: None,
        o: &[],
        want: Err("template: base:1:9: executing \"base\" at <.n>: wrong type for value; expected string; got float64"),
    },
    Case {
        t: "{{ upper .missing }}",
        d: None,
        o: &[],
        want: Err("template: base:1:9: executing \"base\" at <.missing>: invalid value; expected string"),
    },
    Case {
        t: "{{ upper .nul }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:9: executing \"base\" at <.nul>: wrong type for value; expected string; got interface {}",
        ),
    },
    Case {
        t: "{{ upper 3 }}",
        d: None,
        o: &[],
        want: Err("template: base:1:9: executing \"base\" at <3>: expected string; found 3"),
    },
    Case {
        t: "{{ trunc .n .str }}",
        d: None,
        o: &[],
        want: Err("template: base:1:9: executing \"base\" at <.n>: wrong type for value; expected int; got float64"),
    },
    Case {
        t: "{{ trunc (add 1 2) .str }}",
        d: None,
        o: &[],
        want: Err("template: base:1:16: executing \"base\" at <2>: wrong type for value; expected int; got int64"),
    },
    Case { t: "{{ repeat 2 .str | upper }}", d: None, o: &[], want: Ok("HELLO WORLDHELLO WORLD") },
    Case { t: "{{ .str | trunc 3 }}", d: None, o: &[], want: Ok("Hel") },
    Case { t: "{{ toString .big | trunc 3 }}", d: None, o: &[], want: Ok("1e+") },
    Case { t: "{{ title \"ǆemal\" }}", d: None, o: &[], want: Ok("ǅemal") },
    Case { t: "{{ upper \"straße\" }}", d: None, o: &[], want: Ok("STRAßE") },
    Case { t: "{{ lower \"ÀÉÎ\" }}", d: None, o: &[], want: Ok("àéî") },
    Case { t: "{{ trim \"\\u00a0x\\u3000\" }}", d: None, o: &[], want: Ok("x") },
    Case { t: "{{ initials \"émile zola\" }}", d: None, o: &[], want: Ok("Ãz") },
    Case { t: "{{ nospace \"é x\" }}", d: None, o: &[], want: Ok("Ã©x") },
    Case { t: "{{ shuffle \"\" }}", d: None, o: &[], want: Ok("") },
];

#[test]
fn strings_matches_go() {
    check(CASES);
}
