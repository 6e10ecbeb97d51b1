//! sprig URL functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ urlParse .url }}",
        d: None,
        o: &[],
        want: Ok(
            "map[fragment:frag host:example.com:8080 hostname:example.com opaque: path:/p/a query:q=1 scheme:https userinfo:user:pw]",
        ),
    },
    Case {
        t: "{{ (urlParse .url).hostname }} {{ (urlParse .url).path }} {{ (urlParse .url).userinfo }}",
        d: None,
        o: &[],
        want: Ok("example.com /p/a user:pw"),
    },
    Case {
        t: "{{ urlParse \"mailto:user@example.com\" }}",
        d: None,
        o: &[],
        want: Ok("map[fragment: host: hostname: opaque:user@example.com path: query: scheme:mailto userinfo:]"),
    },
    Case {
        t: "{{ urlParse \"/relative/path?x=1\" }}",
        d: None,
        o: &[],
        want: Ok("map[fragment: host: hostname: opaque: path:/relative/path query:x=1 scheme: userinfo:]"),
    },
    Case {
        t: "{{ urlParse \"https://[::1]:80/a%20b#x%20y\" }}",
        d: None,
        o: &[],
        want: Ok("map[fragment:x y host:[::1]:80 hostname:::1 opaque: path:/a b query: scheme:https userinfo:]"),
    },
    Case {
        t: "{{ urlParse \"http://h/%zz\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <urlParse \"http://h/%zz\">: error calling urlParse: unable to parse url: parse \"http://h/%zz\": invalid URL escape \"%zz\"",
        ),
    },
    Case {
        t: "{{ urlParse \":nope\" }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <urlParse \":nope\">: error calling urlParse: unable to parse url: parse \":nope\": missing protocol scheme",
        ),
    },
    Case {
        t: "{{ urlParse \"a:b/c\" }}",
        d: None,
        o: &[],
        want: Ok("map[fragment: host: hostname: opaque:b/c path: query: scheme:a userinfo:]"),
    },
    Case {
        t: "{{ urlParse \"HTTP://Host/P\" }}",
        d: None,
        o: &[],
        want: Ok("map[fragment: host:Host hostname:Host opaque: path:/P query: scheme:http userinfo:]"),
    },
    Case {
        t: "{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"example.com\" \"path\" \"/a b\" \"query\" \"x=1\" \"fragment\" \"f g\") }}",
        d: None,
        o: &[],
        want: Ok("https://example.com/a%20b?x=1#f%20g"),
    },
    Case {
        t: "{{ urlJoin (dict \"scheme\" \"https\" \"host\" \"h\" \"userinfo\" \"u:p@ss\") }}",
        d: None,
        o: &[],
        want: Ok("https://u:p%40ss@h"),
    },
    Case {
        t: "{{ urlJoin (dict \"scheme\" \"mailto\" \"opaque\" \"a@b\") }}",
        d: None,
        o: &[],
        want: Ok("mailto:a@b"),
    },
    Case { t: "{{ urlJoin (dict \"path\" \"a:b\") }}", d: None, o: &[], want: Ok("./a:b") },
    Case { t: "{{ urlJoin (dict \"host\" \"h\" \"path\" \"rel\") }}", d: None, o: &[], want: Ok("//h/rel") },
    Case {
        t: "{{ urlJoin (dict \"host\" 1) }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <urlJoin (dict \"host\" 1)>: error calling urlJoin: unable to parse host key, must be of type string, but int found",
        ),
    },
    Case {
        t: "{{ urlJoin (urlParse .url) }}",
        d: None,
        o: &[],
        want: Ok("https://user:pw@example.com:8080/p/a?q=1#frag"),
    },
    Case { t: "{{ urlJoin (dict) }}", d: None, o: &[], want: Ok("") },
];

#[test]
fn urls_matches_go() {
    check(CASES);
}
