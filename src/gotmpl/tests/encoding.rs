//! sprig encoding and checksum functions.
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) and the
//! Argo CD extras, rendering each template against the shared test data; entries marked
//! `argo:` follow Argo CD's newer versions where they differ (ARGOCD-SEMANTICS.md note 29).

use super::{Case, check};

const CASES: &[Case] = &[
    Case {
        t: "{{ b64enc \"hello\" }} {{ b64enc \"\" }} {{ b64enc \"ab\" }} {{ b64enc \"é\" }} {{ b64dec \"aGVsbG8=\" }} {{ b64dec \"YWI=\" }}",
        d: None,
        o: &[],
        want: Ok("aGVsbG8=  YWI= w6k= hello ab"),
    },
    Case {
        t: "{{ b64dec \"!!\" }}|{{ b64dec \"aGVsbG8\" }}|{{ b64dec \"aGVs\\nbG8=\" }}|{{ b64dec \"a===\" }}|{{ b64dec \"aGVsbG8=x\" }}",
        d: None,
        o: &[],
        want: Ok(
            "illegal base64 data at input byte 0|illegal base64 data at input byte 4|hello|illegal base64 data at input byte 1|illegal base64 data at input byte 8",
        ),
    },
    Case {
        t: "{{ b32enc \"hello\" }} {{ b32enc \"a\" }} {{ b32dec \"NBSWY3DP\" }} {{ b32dec \"ME======\" }} {{ b32dec \"1\" }}",
        d: None,
        o: &[],
        want: Ok("NBSWY3DP ME====== hello a illegal base32 data at input byte 0"),
    },
    Case {
        t: "{{ sha1sum \"hello\" }} {{ sha256sum \"hello\" }} {{ adler32sum \"hello\" }} {{ adler32sum \"\" }}",
        d: None,
        o: &[],
        want: Ok(
            "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 103547413 1",
        ),
    },
    Case {
        t: "{{ sha512sum \"hello\" }}",
        d: None,
        o: &[],
        want: Ok(
            "9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043",
        ),
    },
    Case {
        t: "{{ sha256sum .name }}",
        d: None,
        o: &[],
        want: Ok("6fd1be51cc1d71785619310a02a944cf76f28e3ab000a249b0b19877efe1f288"),
    },
    Case {
        t: "{{ b64enc .n }}",
        d: None,
        o: &[],
        want: Err(
            "template: base:1:10: executing \"base\" at <.n>: wrong type for value; expected string; got float64",
        ),
    },
];

#[test]
fn encoding_matches_go() {
    check(CASES);
}
