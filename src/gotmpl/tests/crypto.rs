//! sprig crypto functions: derivePassword, encryptAES/decryptAES, bcrypt, htpasswd, genPrivateKey and
//! the certificate functions (their deterministic parts and errors; `crypto/structure.rs` checks the
//! random keys and certificates field by field).
//!
//! Expected values were produced by Go 1.19 text/template with sprig 3.2.3 (Debian) rendering each
//! template; the AES ciphertexts were produced by Go's `encryptAES`, the fixture keys and CA by Go's
//! `genPrivateKey`/`genCA` (`crypto_fixtures.json`). Entries marked `argo:` follow sprig 3.3 and
//! x/crypto v0.55 (Argo CD's versions) where they differ (ARGOCD-SEMANTICS.md note 29).

mod structure;

use super::{Case, check};

/// Keys and a CA certificate generated once with Go's sprig (`genPrivateKey`, `genCA`).
pub(super) const FIXTURES: &str = include_str!("crypto_fixtures.json");

const CASES: &[Case] = &[
    Case {
        t: "{{ derivePassword 1 \"long\" \"password\" \"user\" \"example.com\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("ZedaFaxcZaso9*"),
    },
    Case {
        t: "{{ derivePassword 1 \"maximum\" \"password\" \"user\" \"example.com\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("pf4zS1LjCg&LjhsZ7T2~"),
    },
    Case {
        t: "{{ derivePassword 2 \"medium\" \"pw\" \"alice\" \"github.com\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("MakJah9&"),
    },
    Case {
        t: "{{ derivePassword 0 \"short\" \"pw\" \"alice\" \"github.com\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("Vex6"),
    },
    Case { t: "{{ derivePassword 3 \"basic\" \"\" \"\" \"\" }}", d: Some("{}"), o: &[], want: Ok("pJD48KOX") },
    Case { t: "{{ derivePassword 7 \"pin\" \"ünï\" \"üser\" \"sïte\" }}", d: Some("{}"), o: &[], want: Ok("1763") },
    Case {
        t: "{{ derivePassword 4294967296 \"long\" \"p\" \"u\" \"s\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("WupeHanuFiyi6@"),
    },
    Case { t: "{{ derivePassword 0 \"long\" \"p\" \"u\" \"s\" }}", d: Some("{}"), o: &[], want: Ok("WupeHanuFiyi6@") },
    Case {
        t: "{{ derivePassword 1 \"nope\" \"p\" \"u\" \"s\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("cannot find password template nope"),
    },
    Case {
        t: "{{ derivePassword -1 \"long\" \"p\" \"u\" \"s\" }}",
        d: Some("{}"),
        o: &[],
        want: Err("template: base:1:18: executing \"base\" at <-1>: expected unsigned integer; found -1"),
    },
    Case {
        t: "{{ derivePassword 1 \"long\" .name \"u\" \"s\" }}|{{ derivePassword 1 \"long\" \"guestbook\" \"u\" \"s\" }}",
        d: Some("{\"name\": \"guestbook\"}"),
        o: &[],
        want: Ok("FeqdZomeDivo0?|FeqdZomeDivo0?"),
    },
    Case {
        t: "{{ decryptAES \"secret\" \"4Ns1KqSs21IoR8i0cTn23B8cjF+PVy8ZztWCbleS3PA=\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("hello"),
    },
    Case {
        t: "{{ decryptAES \"\" \"/TfZGrxRscX40K7tYkQhq1EKLmjZ2of/TKlJZ2ZUpjw=\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("empty password"),
    },
    Case {
        t: "{{ decryptAES \"a-very-long-password-longer-than-32-bytes!!\" \"PPXNHCnv9eq1OSxN4y8sklDSNlL5jfbMWtoXPVo+hxiNv700bGivKqmH9KrySbTQ\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("sixteen bytes!!!"),
    },
    Case {
        t: "{{ decryptAES \"pw\" \"PWlFropEisNvGjSROM0Ecn6knY3enaprjH/0oKuL0xmKN5PX9ddQRoD8SlQTBrUK7TqiCt8mv38gOPM7Zyjwr4GZuRpFwPN0fLMgHoomu6gMLWfBZrBRaNK5braA9Chp\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("ünïcödé text, and a longer one spanning several AES blocks......"),
    },
    Case {
        t: "{{ decryptAES \"k\" \"KmvPgvlmcdRitxZtQDa2u+477wS1iKb7r4bBC1tlxCc=\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("x"),
    },
    Case {
        t: "{{ decryptAES \"wrong\" \"4Ns1KqSs21IoR8i0cTn23B8cjF+PVy8ZztWCbleS3PA=\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"wrong\" \"4Ns1KqSs21IoR8i0cTn23B8cjF+PVy8ZztWCbleS3PA=\">: error calling decryptAES: runtime error: slice bounds out of range [:-101]",
        ),
    },
    Case {
        t: "{{ decryptAES \"wrong-too\" \"PWlFropEisNvGjSROM0Ecn6knY3enaprjH/0oKuL0xmKN5PX9ddQRoD8SlQTBrUK7TqiCt8mv38gOPM7Zyjwr4GZuRpFwPN0fLMgHoomu6gMLWfBZrBRaNK5braA9Chp\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"wrong-too\" \"PWlFropEisNvGjSROM0Ecn6knY3enaprjH/0oKuL0xmKN5PX9ddQRoD8SlQTBrUK7TqiCt8mv38gOPM7Zyjwr4GZuRpFwPN0fLMgHoomu6gMLWfBZrBRaNK5braA9Chp\">: error calling decryptAES: runtime error: slice bounds out of range [:-8]",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"YWJj\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"YWJj\">: error calling decryptAES: runtime error: slice bounds out of range [:16] with capacity 3",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"YQ==\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"YQ==\">: error calling decryptAES: runtime error: slice bounds out of range [:16] with capacity 3",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"!!\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"!!\">: error calling decryptAES: illegal base64 data at input byte 0",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"AAAAAAAAAAAAAAAAAAAAAA==\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"AAAAAAAAAAAAAAAAAAAAAA==\">: error calling decryptAES: runtime error: index out of range [-1]",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\">: error calling decryptAES: crypto/cipher: input not full blocks",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\">: error calling decryptAES: runtime error: slice bounds out of range [:-19]",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" \"YWJjZA\\n==\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" \"YWJjZA\\n==\">: error calling decryptAES: runtime error: slice bounds out of range [:16] with capacity 6",
        ),
    },
    Case {
        t: "{{ decryptAES \"k\" (b64enc \"0123456789abcdef0123456789abcdef\") }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <decryptAES \"k\" (b64enc \"0123456789abcdef0123456789abcdef\")>: error calling decryptAES: runtime error: slice bounds out of range [:-233]",
        ),
    },
    Case {
        t: "{{ encryptAES \"k\" \"\" }}|{{ decryptAES \"k\" \"\" }}|{{ encryptAES \"k\" \"x\" | len }}|{{ encryptAES \"k\" \"sixteen bytes!!!\" | len }}",
        d: Some("{}"),
        o: &[],
        want: Ok("||44|64"),
    },
    Case {
        t: "{{ decryptAES \"pw\" (encryptAES \"pw\" \"round trip\") }}|{{ encryptAES \"k\" .name | decryptAES \"k\" }}",
        d: Some("{\"name\": \"guestbook\"}"),
        o: &[],
        want: Ok("round trip|guestbook"),
    },
    Case {
        t: "{{ $k := \"a-key-longer-than-thirty-two-bytes-xyz\" }}{{ decryptAES \"a-key-longer-than-thirty-two-bytes-\" (encryptAES $k \"cut\") }}",
        d: Some("{}"),
        o: &[],
        want: Ok("cut"),
    },
    Case {
        t: "{{ encryptAES 1 \"x\" }}",
        d: Some("{}"),
        o: &[],
        want: Err("template: base:1:14: executing \"base\" at <1>: expected string; found 1"),
    },
    Case {
        t: "{{ bcrypt \"secret\" | len }} {{ bcrypt \"secret\" | substr 0 7 }} {{ ne (bcrypt \"a\") (bcrypt \"a\") }}",
        d: Some("{}"),
        o: &[],
        want: Ok("60 $2a$10$ true"),
    },
    Case {
        t: "{{ bcrypt \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" | len }}",
        d: Some("{}"),
        o: &[],
        want: Ok("60"),
    },
    // argo: x/crypto v0.5+ (Argo CD) rejects passwords over 72 bytes; Debian's older x/crypto truncated them
    Case {
        t: "{{ bcrypt \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"),
    },
    // argo: sprig 3.3 (Argo CD) gives htpasswd a third hashAlgorithm argument; 3.2.3 takes two
    Case { t: "{{ htpasswd \"a:b\" \"p\" \"bcrypt\" }}", d: Some("{}"), o: &[], want: Ok("invalid username: a:b") },
    // argo: sprig 3.3 (Argo CD) gives htpasswd a third hashAlgorithm argument; 3.2.3 takes two; "sha" writes {SHA}base64(sha1(password))
    Case {
        t: "{{ htpasswd \"u\" \"p\" \"sha\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("u:{SHA}UWuXg/ylF+7L0dBk2i0WUxCxl1k="),
    },
    // argo: sprig 3.3 (Argo CD) gives htpasswd a third hashAlgorithm argument; 3.2.3 takes two
    Case {
        t: "{{ htpasswd \"user\" \"p\" \"bcrypt\" | len }} {{ htpasswd \"user\" \"p\" \"\" | substr 0 12 }}",
        d: Some("{}"),
        o: &[],
        want: Ok("65 user:$2a$10$"),
    },
    // argo: sprig 3.3 (Argo CD) gives htpasswd a third hashAlgorithm argument; 3.2.3 takes two
    Case {
        t: "{{ htpasswd \"u\" \"p\" }}",
        d: Some("{}"),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <htpasswd>: wrong number of args for htpasswd: want 3 got 2",
        ),
    },
    Case {
        t: "{{ genPrivateKey \"x\" }}|{{ genPrivateKey \"RSA\" }}",
        d: Some("{}"),
        o: &[],
        want: Ok("Unknown type x|Unknown type RSA"),
    },
    Case {
        t: "{{ genPrivateKey \"ecdsa\" | len }} {{ genPrivateKey \"ecdsa\" | substr 0 31 }} {{ genPrivateKey \"ed25519\" | len }} {{ genPrivateKey \"ed25519\" | substr 0 27 }}",
        d: Some("{}"),
        o: &[],
        want: Ok("227 -----BEGIN EC PRIVATE KEY-----\n 119 -----BEGIN PRIVATE KEY-----"),
    },
    Case {
        t: "{{ $c := buildCustomCert (b64enc .caCert) (b64enc .caKey) }}{{ eq $c.Cert .caCert }} {{ eq $c.Key .caKey }} {{ len $c.Cert }}",
        d: Some(FIXTURES),
        o: &[],
        want: Ok("true true 1131"),
    },
    Case {
        t: "{{ (genCAWithKey \"x\" 1 .ec).Key | eq .ec }} {{ (genCAWithKey \"x\" 1 .ed).Key | eq .ed }} {{ (genCAWithKey \"x\" 1 .caKey).Key | eq .caKey }}",
        d: Some(FIXTURES),
        o: &[],
        want: Ok("true true true"),
    },
    Case {
        t: "{{ $c := genSelfSignedCertWithKey \"x\" (list \"10.0.0.1\") (list \"a.b\") 30 .ec }}{{ eq $c.Key .ec }} {{ $c.Cert | substr 0 28 }}",
        d: Some(FIXTURES),
        o: &[],
        want: Ok("true -----BEGIN CERTIFICATE-----\n"),
    },
    Case {
        t: "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .caKey) }}{{ $c := genSignedCertWithKey \"leaf\" nil nil 1 $ca .ed }}{{ eq $c.Key .ed }} {{ $c.Cert | substr 0 27 }}",
        d: Some(FIXTURES),
        o: &[],
        want: Ok("true -----BEGIN CERTIFICATE-----"),
    },
    Case {
        t: "{{ $ca := genCAWithKey \"ca\" 1 .ec }}{{ $c := genSignedCertWithKey \"leaf\" nil nil 1 $ca .ed }}{{ eq $c.Key .ed }}",
        d: Some(FIXTURES),
        o: &[],
        want: Ok("true"),
    },
    Case {
        t: "{{ genCAWithKey \"x\" 1 .dsa }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genCAWithKey \"x\" 1 .dsa>: error calling genCAWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" nil nil 1 .dsa }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" nil nil 1 .dsa>: error calling genSelfSignedCertWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer",
        ),
    },
    Case {
        t: "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .caKey) }}{{ genSignedCertWithKey \"x\" nil nil 1 $ca .dsa }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:64: executing \"base\" at <genSignedCertWithKey \"x\" nil nil 1 $ca .dsa>: error calling genSignedCertWithKey: error creating certificate: x509: unsupported public key type: *dsa.PublicKey",
        ),
    },
    Case {
        t: "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .dsa) }}{{ genSignedCertWithKey \"x\" nil nil 1 $ca .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:62: executing \"base\" at <genSignedCertWithKey \"x\" nil nil 1 $ca .ec>: error calling genSignedCertWithKey: error creating certificate: x509: certificate private key does not implement crypto.Signer",
        ),
    },
    Case {
        t: "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .ec) }}{{ genSignedCertWithKey \"x\" nil nil 1 $ca .ed }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:61: executing \"base\" at <genSignedCertWithKey \"x\" nil nil 1 $ca .ed>: error calling genSignedCertWithKey: error creating certificate: x509: provided PrivateKey doesn't match parent's PublicKey",
        ),
    },
    Case {
        t: "{{ buildCustomCert \"!!\" \"x\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert \"!!\" \"x\">: error calling buildCustomCert: unable to decode base64 certificate",
        ),
    },
    Case {
        t: "{{ buildCustomCert (b64enc .caCert) \"!!\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert (b64enc .caCert) \"!!\">: error calling buildCustomCert: unable to decode base64 private key",
        ),
    },
    Case {
        t: "{{ buildCustomCert (b64enc \"nope\") (b64enc .caKey) }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert (b64enc \"nope\") (b64enc .caKey)>: error calling buildCustomCert: unable to decode certificate",
        ),
    },
    Case {
        t: "{{ buildCustomCert \"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkFBQUEKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=\" (b64enc .caKey) }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert \"LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCkFBQUEKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=\" (b64enc .caKey)>: error calling buildCustomCert: error parsing certificate: decodedCert.Bytes: x509: malformed certificate",
        ),
    },
    Case {
        t: "{{ buildCustomCert (b64enc .caCert) (b64enc \"junk\") }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert (b64enc .caCert) (b64enc \"junk\")>: error calling buildCustomCert: error parsing private key: no PEM data in input",
        ),
    },
    Case {
        t: "{{ buildCustomCert (b64enc .caCert) (b64enc .caCert) }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert (b64enc .caCert) (b64enc .caCert)>: error calling buildCustomCert: error parsing private key: no private key data in PEM block of type CERTIFICATE",
        ),
    },
    Case {
        t: "{{ buildCustomCert (b64enc .caCert) \"LS0tLS1CRUdJTiBGT08gUFJJVkFURSBLRVktLS0tLQpBQUFBCi0tLS0tRU5EIEZPTyBQUklWQVRFIEtFWS0tLS0tCg==\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert (b64enc .caCert) \"LS0tLS1CRUdJTiBGT08gUFJJVkFURSBLRVktLS0tLQpBQUFBCi0tLS0tRU5EIEZPTyBQUklWQVRFIEtFWS0tLS0tCg==\">: error calling buildCustomCert: error parsing private key: invalid private key type FOO PRIVATE KEY",
        ),
    },
    Case {
        t: "{{ buildCustomCert (b64enc .caCert) \"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KQUFBQQotLS0tLUVORCBQVUJMSUMgS0VZLS0tLS0K\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <buildCustomCert (b64enc .caCert) \"LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KQUFBQQotLS0tLUVORCBQVUJMSUMgS0VZLS0tLS0K\">: error calling buildCustomCert: error parsing private key: no private key data in PEM block of type PUBLIC KEY",
        ),
    },
    Case {
        t: "{{ $ca := genCAWithKey \"ca\" 1 .ec }}{{ genSelfSignedCertWithKey \"x\" (list \"nope\") nil 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:39: executing \"base\" at <genSelfSignedCertWithKey \"x\" (list \"nope\") nil 1 .ec>: error calling genSelfSignedCertWithKey: error parsing ip: nope",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" (list 1) nil 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" (list 1) nil 1 .ec>: error calling genSelfSignedCertWithKey: error parsing ip: 1 is not a string",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" nil (list 1 \"a\") 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" nil (list 1 \"a\") 1 .ec>: error calling genSelfSignedCertWithKey: error processing alternate dns name: 1 is not a string",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" nil (list \"é\") 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" nil (list \"é\") 1 .ec>: error calling genSelfSignedCertWithKey: error creating certificate: x509: \"é\" cannot be encoded as an IA5String",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" (list \"\") nil 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" (list \"\") nil 1 .ec>: error calling genSelfSignedCertWithKey: error parsing ip: ",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" (list \"1.2.3.4\" \"::1\" \"fe80::1%eth0\") nil 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" (list \"1.2.3.4\" \"::1\" \"fe80::1%eth0\") nil 1 .ec>: error calling genSelfSignedCertWithKey: error parsing ip: fe80::1%eth0",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" (list \"1.2.3\") nil 1 .ec }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" (list \"1.2.3\") nil 1 .ec>: error calling genSelfSignedCertWithKey: error parsing ip: 1.2.3",
        ),
    },
    Case {
        t: "{{ genSelfSignedCertWithKey \"x\" (list .name) nil 1 \"\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genSelfSignedCertWithKey \"x\" (list .name) nil 1 \"\">: error calling genSelfSignedCertWithKey: parsing private key: no PEM data in input",
        ),
    },
    Case {
        t: "{{ genCAWithKey \"x\" 1 \"\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genCAWithKey \"x\" 1 \"\">: error calling genCAWithKey: parsing private key: no PEM data in input",
        ),
    },
    Case {
        t: "{{ genCAWithKey \"x\" 1 .caCert }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:3: executing \"base\" at <genCAWithKey \"x\" 1 .caCert>: error calling genCAWithKey: parsing private key: no private key data in PEM block of type CERTIFICATE",
        ),
    },
    Case {
        t: "{{ genCA \"x\" \"1\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err("template: base:1:13: executing \"base\" at <\"1\">: expected integer; found \"1\""),
    },
    Case {
        t: "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .caKey) }}{{ genSignedCertWithKey \"x\" (list \"bad\") nil 1 $ca \"junk\" }}",
        d: Some(FIXTURES),
        o: &[],
        want: Err(
            "template: base:1:64: executing \"base\" at <genSignedCertWithKey \"x\" (list \"bad\") nil 1 $ca \"junk\">: error calling genSignedCertWithKey: parsing private key: no PEM data in input",
        ),
    },
];

#[test]
fn crypto_matches_go() {
    check(CASES);
}

/// Key generation is charged before it runs: a loop cannot start more RSA keys than the step limit
/// allows, and fails fast with an explanation instead of stalling a check for minutes.
#[test]
fn slow_crypto_calls_are_charged_before_they_run() {
    let started = std::time::Instant::now();
    let e = super::run("{{ range until 1000 }}{{ genPrivateKey \"rsa\" | len }}{{ end }}", Some("{}"), &[])
        .expect_err("the second RSA key exceeds the step limit");
    assert!(e.contains("exceeded the limit of 5000000 steps (genPrivateKey costs 4000000 steps"), "{e}");
    // One key was generated (seconds in a debug build); a thousand would take hours.
    assert!(started.elapsed() < std::time::Duration::from_secs(600));
    let e = super::run("{{ range until 10 }}{{ (genCA \"x\" 1).Cert | len }}{{ end }}", Some("{}"), &[])
        .expect_err("the fifth certificate exceeds the step limit");
    assert!(e.contains("genCA costs 1000000 steps"), "{e}");
    // Cheap key types are not limited this way.
    let ok = super::run("{{ range until 20 }}{{ genPrivateKey \"ecdsa\" | len | print }}{{ end }}", Some("{}"), &[]);
    assert!(ok.is_ok(), "{ok:?}");
}
