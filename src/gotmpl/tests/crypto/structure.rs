//! Keys and certificates are random, in Argo CD as here: these tests parse what the functions return
//! (x509-parser, the RustCrypto key types) and compare the structure with what Go's sprig produces.
//!
//! The reference certificates in `crypto_fixtures.json` (`caCert`, `goLeaf`, `goSelf`, `goEcCa`) were
//! made by Go 1.19 + sprig 3.2.3 from the fixture keys; rendering the same call with the same key here
//! must give the same subject, issuer, public key, signature algorithm and extensions (byte for byte),
//! except the SubjectKeyId, which Go 1.25+ (Argo CD) derives with SHA-256 instead of SHA-1.

use sha2::Digest;
use x509_parser::prelude::*;

use super::FIXTURES;

fn render(t: &str) -> String {
    match super::super::run(t, Some(FIXTURES), &[]) {
        Ok(s) => s,
        Err(e) => panic!("{t}: {e}"),
    }
}

fn fixture(name: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(FIXTURES).unwrap();
    v[name].as_str().unwrap().to_string()
}

/// The PEM blocks of a text: (label, DER).
fn pems(s: &str) -> Vec<(String, Vec<u8>)> {
    Pem::iter_from_buffer(s.as_bytes()).map(|p| p.unwrap()).map(|p| (p.label, p.contents)).collect()
}

fn cert_der(pem: &str) -> Vec<u8> {
    let blocks = pems(pem);
    assert_eq!(blocks.len(), 1, "{pem}");
    assert_eq!(blocks[0].0, "CERTIFICATE");
    blocks[0].1.clone()
}

fn parse(der: &[u8]) -> X509Certificate<'_> {
    let (rest, c) = X509Certificate::from_der(der).unwrap();
    assert!(rest.is_empty());
    c
}

const KU: &str = "2.5.29.15";
const EKU: &str = "2.5.29.37";
const BC: &str = "2.5.29.19";
const SKID: &str = "2.5.29.14";
const AKID: &str = "2.5.29.35";
const SAN: &str = "2.5.29.17";
const SHA256_RSA: &str = "1.2.840.113549.1.1.11";
const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
const ED25519: &str = "1.3.101.112";

/// Extensions as (OID, critical, value).
fn exts(c: &X509Certificate<'_>) -> Vec<(String, bool, Vec<u8>)> {
    c.extensions().iter().map(|e| (e.oid.to_id_string(), e.critical, e.value.to_vec())).collect()
}

fn ext_layout(c: &X509Certificate<'_>) -> Vec<(String, bool)> {
    exts(c).into_iter().map(|(o, crit, _)| (o, crit)).collect()
}

fn layout(v: &[(&str, bool)]) -> Vec<(String, bool)> {
    v.iter().map(|(o, c)| (o.to_string(), *c)).collect()
}

fn skid(c: &X509Certificate<'_>) -> Option<Vec<u8>> {
    c.extensions().iter().find_map(|e| match e.parsed_extension() {
        ParsedExtension::SubjectKeyIdentifier(k) => Some(k.0.to_vec()),
        _ => None,
    })
}

fn akid(c: &X509Certificate<'_>) -> Option<Vec<u8>> {
    c.extensions().iter().find_map(|e| match e.parsed_extension() {
        ParsedExtension::AuthorityKeyIdentifier(a) => a.key_identifier.as_ref().map(|k| k.0.to_vec()),
        _ => None,
    })
}

fn sha256_skid(c: &X509Certificate<'_>) -> Vec<u8> {
    sha2::Sha256::digest(&c.public_key().subject_public_key.data)[..20].to_vec()
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

/// NotBefore is now and NotAfter `days` later (two `time.Now()` calls: one second of slack).
fn check_validity(c: &X509Certificate<'_>, days: i64) {
    let nb = c.validity().not_before.timestamp();
    let na = c.validity().not_after.timestamp();
    assert!((now() - nb).abs() < 300, "not before {nb}");
    let span = na - nb;
    assert!((span - days * 86_400).abs() <= 1, "validity {span}s for {days} days");
}

/// The signature of `c` verifies with `issuer_spki` (RSA PKCS#1 v1.5, ECDSA P-256 or Ed25519).
fn verifies(c: &X509Certificate<'_>, issuer: &SubjectPublicKeyInfo<'_>) -> bool {
    use rsa::signature::Verifier;
    let msg = c.tbs_certificate.as_ref();
    let sig = &c.signature_value.data;
    let key = &issuer.subject_public_key.data;
    match c.signature_algorithm.algorithm.to_id_string().as_str() {
        SHA256_RSA => {
            use rsa::pkcs1::DecodeRsaPublicKey;
            let pk = rsa::RsaPublicKey::from_pkcs1_der(key).unwrap();
            let vk = rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(pk);
            rsa::pkcs1v15::Signature::try_from(sig.as_ref()).is_ok_and(|s| vk.verify(msg, &s).is_ok())
        }
        ECDSA_SHA256 => {
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(key).unwrap();
            p256::ecdsa::Signature::from_der(sig).is_ok_and(|s| vk.verify(msg, &s).is_ok())
        }
        ED25519 => {
            let vk = ed25519_dalek::VerifyingKey::from_bytes(key.as_ref().try_into().unwrap()).unwrap();
            ed25519_dalek::Signature::from_slice(sig).is_ok_and(|s| vk.verify(msg, &s).is_ok())
        }
        other => panic!("unexpected signature algorithm {other}"),
    }
}

/// The subject `pkix.Name{CommonName: cn}` as Go encodes it, with the string tag Go chose.
fn name(tag: u8, cn: &str) -> Vec<u8> {
    let n = cn.len() as u8;
    let mut v = vec![0x30, n + 11, 0x31, n + 9, 0x30, n + 7, 0x06, 0x03, 0x55, 0x04, 0x03, tag, n];
    v.extend_from_slice(cn.as_bytes());
    v
}

/// Splits a rendered "CERT|KEY" pair.
fn pair(s: &str) -> (String, String) {
    let (c, k) = s.split_once('|').unwrap();
    (c.to_string(), k.to_string())
}

#[test]
fn ca_has_sprigs_structure() {
    for (cn, tag) in [("argo-ca", 0x13), ("my CA*&_é", 0x0c), ("x&y*z", 0x13), ("under_score", 0x0c)] {
        let (cert, key) =
            pair(&render(&format!("{{{{ $ca := genCA {cn:?} 365 }}}}{{{{ $ca.Cert }}}}|{{{{ $ca.Key }}}}")));
        let der = cert_der(&cert);
        let c = parse(&der);
        assert_eq!(c.version(), X509Version::V3);
        assert!(c.raw_serial().len() <= 17 && c.raw_serial()[0] & 0x80 == 0);
        assert_eq!(c.signature_algorithm.algorithm.to_id_string(), SHA256_RSA);
        assert_eq!(c.tbs_certificate.signature.algorithm.to_id_string(), SHA256_RSA);
        assert_eq!(c.subject().as_raw(), name(tag, cn).as_slice(), "{cn}");
        assert_eq!(c.issuer().as_raw(), c.subject().as_raw());
        check_validity(&c, 365);
        assert_eq!(ext_layout(&c), layout(&[(KU, true), (EKU, false), (BC, true), (SKID, false)]));
        let ku = c.key_usage().unwrap().unwrap().value;
        assert!(ku.digital_signature() && ku.key_encipherment() && ku.key_cert_sign());
        assert_eq!(ku.flags.count_ones(), 3);
        let eku = c.extended_key_usage().unwrap().unwrap().value;
        assert!(eku.server_auth && eku.client_auth && eku.other.is_empty() && !eku.any);
        let bc = c.basic_constraints().unwrap().unwrap().value;
        assert!(bc.ca && bc.path_len_constraint.is_none());
        assert_eq!(skid(&c), Some(sha256_skid(&c)));
        assert!(verifies(&c, c.public_key()));
        // The key: PKCS#1, 2048 bits, the certificate's public key.
        let keys = pems(&key);
        assert_eq!(keys[0].0, "RSA PRIVATE KEY");
        use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPublicKey};
        use rsa::traits::PublicKeyParts;
        let k = rsa::RsaPrivateKey::from_pkcs1_der(&keys[0].1).unwrap();
        assert_eq!(k.size(), 256);
        assert_eq!(
            k.to_public_key().to_pkcs1_der().unwrap().as_bytes(),
            c.public_key().subject_public_key.data.as_ref()
        );
    }
}

#[test]
fn same_key_gives_gos_certificate_fields() {
    // Go's genCA "fixture-ca" 3650 with caKey, and ours with the same key.
    let go_der = cert_der(&fixture("caCert"));
    let go = parse(&go_der);
    let ours_pem = render("{{ (genCAWithKey \"fixture-ca\" 3650 .caKey).Cert }}");
    let ours_der = cert_der(&ours_pem);
    let ours = parse(&ours_der);
    let go_leaf_der = cert_der(&fixture("goLeaf"));
    let go_self_der = cert_der(&fixture("goSelf"));
    let go_ec_der = cert_der(&fixture("goEcCa"));
    let leaf_der = cert_der(&render(
        "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .caKey) }}{{ (genSignedCertWithKey \"leaf.example.com\" (list \"10.0.0.1\" \"::1\" \"::ffff:1.2.3.4\") (list \"a.example.com\" \"b\") 30 $ca .ec).Cert }}",
    ));
    let self_der = cert_der(&render("{{ (genSelfSignedCertWithKey \"\" nil (list \"x\") 1 .ed).Cert }}"));
    let ec_der = cert_der(&render("{{ (genCAWithKey \"ec CA_é\" 10 .ec).Cert }}"));
    let pairs = [
        (go, ours, 3650),
        (parse(&go_leaf_der), parse(&leaf_der), 30),
        (parse(&go_self_der), parse(&self_der), 1),
        (parse(&go_ec_der), parse(&ec_der), 10),
    ];
    for (go, ours, days) in &pairs {
        assert_eq!(ours.subject().as_raw(), go.subject().as_raw());
        assert_eq!(ours.issuer().as_raw(), go.issuer().as_raw());
        assert_eq!(ours.public_key().raw, go.public_key().raw);
        assert_eq!(ours.signature_algorithm.algorithm, go.signature_algorithm.algorithm);
        assert_eq!(ours.signature_algorithm.parameters, go.signature_algorithm.parameters);
        assert_eq!(ours.version(), go.version());
        // Everything but the SubjectKeyId (Go 1.19: SHA-1; Go 1.25+, Argo CD: truncated SHA-256).
        let strip = |c: &X509Certificate<'_>| -> Vec<(String, bool, Vec<u8>)> {
            exts(c).into_iter().filter(|e| e.0 != SKID).collect()
        };
        assert_eq!(strip(ours), strip(go));
        assert_eq!(ext_layout(ours), ext_layout(go));
        check_validity(ours, *days);
        let go_span = go.validity().not_after.timestamp() - go.validity().not_before.timestamp();
        assert!((go_span - days * 86_400).abs() <= 1);
        if skid(go).is_some() {
            assert_eq!(skid(ours), Some(sha256_skid(ours)));
        }
    }
    // The leaf signed by Go's CA names the CA's (SHA-1) key id and verifies with the CA's key.
    let (go_ca, leaf) = (&pairs[0].0, &pairs[1].1);
    assert_eq!(akid(leaf), skid(go_ca));
    assert!(verifies(leaf, go_ca.public_key()));
    assert!(verifies(&pairs[2].1, pairs[2].1.public_key()));
    assert!(verifies(&pairs[3].1, pairs[3].1.public_key()));
}

#[test]
fn self_signed_certificates() {
    let der = cert_der(&render(
        "{{ (genSelfSignedCert \"foo.example.com\" (list \"10.0.0.1\" \"::1\" \"::ffff:1.2.3.4\") (list \"foo.example.com\" \"bar\") 30).Cert }}",
    ));
    let c = parse(&der);
    assert_eq!(c.subject().as_raw(), name(0x13, "foo.example.com").as_slice());
    assert_eq!(c.issuer().as_raw(), c.subject().as_raw());
    assert_eq!(ext_layout(&c), layout(&[(KU, true), (EKU, false), (BC, true), (SAN, false)]));
    let ku = c.key_usage().unwrap().unwrap().value;
    assert!(ku.digital_signature() && ku.key_encipherment() && ku.flags.count_ones() == 2);
    assert!(!c.basic_constraints().unwrap().unwrap().value.ca);
    assert!(!c.is_ca());
    let san = c.subject_alternative_name().unwrap().unwrap().value;
    let names: Vec<String> = san
        .general_names
        .iter()
        .map(|g| match g {
            GeneralName::DNSName(d) => format!("dns:{d}"),
            GeneralName::IPAddress(ip) => format!("ip:{ip:?}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "dns:foo.example.com",
            "dns:bar",
            "ip:[10, 0, 0, 1]",
            "ip:[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]",
            "ip:[1, 2, 3, 4]"
        ]
    );
    check_validity(&c, 30);
    assert!(verifies(&c, c.public_key()));
    assert_eq!(c.signature_algorithm.algorithm.to_id_string(), SHA256_RSA);

    // No SANs: no extension; an empty subject makes the SAN extension critical.
    let c2 = cert_der(&render("{{ (genSelfSignedCertWithKey \"x\" nil nil 1 .ec).Cert }}"));
    let c2 = parse(&c2);
    assert_eq!(ext_layout(&c2), layout(&[(KU, true), (EKU, false), (BC, true)]));
    assert_eq!(c2.signature_algorithm.algorithm.to_id_string(), ECDSA_SHA256);
    assert!(verifies(&c2, c2.public_key()));
    let c3 = cert_der(&render("{{ (genSelfSignedCertWithKey \"\" (list) (list \"x\") 1 .ed).Cert }}"));
    let c3 = parse(&c3);
    assert_eq!(c3.subject().as_raw(), &[0x30, 0x00]);
    assert_eq!(ext_layout(&c3), layout(&[(KU, true), (EKU, false), (BC, true), (SAN, true)]));
    assert_eq!(c3.signature_algorithm.algorithm.to_id_string(), ED25519);
    assert!(verifies(&c3, c3.public_key()));
}

#[test]
fn signed_certificates_chain_to_their_ca() {
    let out = render(
        "{{ $ca := genCA \"the-ca\" 365 }}{{ $c := genSignedCert \"leaf\" (list \"10.0.0.1\") (list \"leaf.example.com\") 30 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}",
    );
    let parts: Vec<&str> = out.split('|').collect();
    let ca_der = cert_der(parts[0]);
    let ca = parse(&ca_der);
    let leaf_der = cert_der(parts[1]);
    let leaf = parse(&leaf_der);
    assert_eq!(leaf.issuer().as_raw(), ca.subject().as_raw());
    assert_eq!(leaf.subject().as_raw(), name(0x13, "leaf").as_slice());
    assert_eq!(ext_layout(&leaf), layout(&[(KU, true), (EKU, false), (BC, true), (AKID, false), (SAN, false)]));
    assert_eq!(akid(&leaf), skid(&ca));
    assert!(verifies(&leaf, ca.public_key()));
    assert!(!verifies(&leaf, leaf.public_key()), "signed by the CA, not by itself");
    check_validity(&leaf, 30);
    assert_ne!(leaf.public_key().raw, ca.public_key().raw);
    assert_eq!(pems(parts[2])[0].0, "RSA PRIVATE KEY");

    // ECDSA and Ed25519 CAs sign with their own algorithms.
    for (key, alg) in [(".ec", ECDSA_SHA256), (".ed", ED25519), (".caKey", SHA256_RSA)] {
        let out = render(&format!(
            "{{{{ $ca := genCAWithKey \"k-ca\" 10 {key} }}}}{{{{ $ca.Cert }}}}|{{{{ (genSignedCertWithKey \"leaf\" nil nil 1 $ca .ed).Cert }}}}"
        ));
        let (ca_pem, leaf_pem) = pair(&out);
        let ca_der = cert_der(&ca_pem);
        let leaf_der = cert_der(&leaf_pem);
        let (ca, leaf) = (parse(&ca_der), parse(&leaf_der));
        assert_eq!(leaf.signature_algorithm.algorithm.to_id_string(), alg);
        assert!(verifies(&leaf, ca.public_key()), "{key}");
        assert_eq!(ext_layout(&leaf), layout(&[(KU, true), (EKU, false), (BC, true), (AKID, false)]));
    }
    // A leaf with the CA's own name has issuer == subject: Go writes no AuthorityKeyId then.
    let same = cert_der(&render(
        "{{ $ca := buildCustomCert (b64enc .caCert) (b64enc .caKey) }}{{ (genSignedCertWithKey \"fixture-ca\" nil nil 1 $ca .ec).Cert }}",
    ));
    assert_eq!(ext_layout(&parse(&same)), layout(&[(KU, true), (EKU, false), (BC, true)]));
}

#[test]
fn validity_follows_gos_duration_arithmetic() {
    for days in [0i64, -1, 36_500] {
        let der = cert_der(&render(&format!("{{{{ (genSelfSignedCertWithKey \"x\" nil nil {days} .ec).Cert }}}}")));
        check_validity(&parse(&der), days);
    }
    // Beyond 2049 Go writes GeneralizedTime; x509-parser reads both.
    let der = cert_der(&render("{{ (genSelfSignedCertWithKey \"x\" nil nil 36500 .ec).Cert }}"));
    assert!(der.windows(2).any(|w| w == [0x18, 0x0f]), "GeneralizedTime for NotAfter");
}

#[test]
fn private_keys_have_sprigs_formats() {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let out = render("{{ genPrivateKey \"rsa\" }}|{{ genPrivateKey \"ecdsa\" }}|{{ genPrivateKey \"ed25519\" }}");
    let parts: Vec<&str> = out.split('|').collect();
    // RSA: PKCS#1, 4096 bits, e = 65537.
    let rsa_blocks = pems(parts[0]);
    assert_eq!(rsa_blocks[0].0, "RSA PRIVATE KEY");
    let k = rsa::RsaPrivateKey::from_pkcs1_der(&rsa_blocks[0].1).unwrap();
    assert_eq!(k.size(), 512);
    assert_eq!(k.e(), &rsa::BigUint::from(65_537u32));
    k.validate().unwrap();
    // ECDSA: SEC 1 with version 1, a 32-byte scalar, the P-256 OID and the public point.
    let ec = pems(parts[1]);
    assert_eq!(ec[0].0, "EC PRIVATE KEY");
    let sk = p256::SecretKey::from_sec1_der(&ec[0].1).unwrap();
    let go_ec = pems(&fixture("ec"));
    assert_eq!(ec[0].1.len(), go_ec[0].1.len());
    assert_eq!(ec[0].1[..7], go_ec[0].1[..7], "SEQUENCE, version 1, OCTET STRING(32)");
    assert_eq!(ec[0].1[39..56], go_ec[0].1[39..56], "[0] prime256v1, [1] BIT STRING header");
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    assert_eq!(&ec[0].1[56..], sk.public_key().to_encoded_point(false).as_bytes());
    // Ed25519: PKCS#8 v1, 48 bytes, same header as Go's.
    let ed = pems(parts[2]);
    let go_ed = pems(&fixture("ed"));
    assert_eq!(ed[0].0, "PRIVATE KEY");
    assert_eq!(ed[0].1.len(), 48);
    assert_eq!(ed[0].1[..16], go_ed[0].1[..16]);
    // "" means RSA.
    assert_eq!(pems(&render("{{ genPrivateKey \"\" }}"))[0].0, "RSA PRIVATE KEY");
}

#[test]
fn dsa_keys_are_consistent() {
    let out = render("{{ genPrivateKey \"dsa\" }}");
    let blocks = pems(&out);
    assert_eq!(blocks[0].0, "DSA PRIVATE KEY");
    let ints = dsa_ints(&blocks[0].1);
    let go_ints = dsa_ints(&pems(&fixture("dsa"))[0].1);
    assert_eq!(ints.len(), 6);
    assert_eq!(go_ints.len(), 6);
    let [v, p, q, g, y, x] = <[rsa::BigUint; 6]>::try_from(ints).unwrap();
    assert_eq!(v, rsa::BigUint::from(0u8));
    assert_eq!(p.bits(), 2048, "L = 2048 like Go's L2048N256");
    assert_eq!(q.bits(), 256);
    assert_eq!(&go_ints[1].bits(), &2048);
    assert_eq!((&p - rsa::BigUint::from(1u8)) % &q, rsa::BigUint::from(0u8), "q divides p - 1");
    assert_eq!(g.modpow(&q, &p), rsa::BigUint::from(1u8), "g has order q");
    assert_eq!(g.modpow(&x, &p), y, "y = g^x mod p");
    // Go cannot sign certificates with DSA keys; neither do we (the table tests check the messages).
    let fixture_dsa = fixture("dsa");
    assert!(super::super::run("{{ genCAWithKey \"x\" 1 .dsa }}", Some(FIXTURES), &[]).is_err());
    assert!(!fixture_dsa.is_empty());
}

fn dsa_ints(der: &[u8]) -> Vec<rsa::BigUint> {
    let (_, obj) = x509_parser::der_parser::parse_der(der).unwrap();
    obj.as_sequence().unwrap().iter().map(|i| rsa::BigUint::from_bytes_be(i.as_slice().unwrap())).collect()
}

#[test]
fn encrypt_aes_output_is_what_go_decrypts() {
    // Go's decryptAES is: base64, first 16 bytes IV, AES-256-CBC with the zero-padded key, strip
    // PKCS#7. Decrypt our output independently with the aes crate.
    use aes::cipher::{BlockDecrypt, KeyInit};
    let out = render("{{ encryptAES \"pw\" \"a secret that spans two blocks\" }}");
    let raw = crate::gotmpl::sprig::encoding::b64_decode(&out).unwrap();
    assert_eq!(raw.len(), 16 + 32);
    let mut key = [0u8; 32];
    key[..2].copy_from_slice(b"pw");
    let c = aes::Aes256::new(&key.into());
    let mut plain = vec![];
    for (i, block) in raw[16..].chunks(16).enumerate() {
        let mut b = aes::Block::clone_from_slice(block);
        c.decrypt_block(&mut b);
        plain.extend(b.iter().zip(&raw[i * 16..i * 16 + 16]).map(|(x, y)| x ^ y));
    }
    let pad = *plain.last().unwrap() as usize;
    assert_eq!(pad, 2);
    assert_eq!(&plain[..plain.len() - pad], b"a secret that spans two blocks");
}

#[test]
fn certificate_values_in_templates() {
    // .Cert and .Key are strings; toJson writes the struct's two fields (as Go does for sprig's
    // certificate struct).
    let out = render(
        "{{ $c := genSelfSignedCertWithKey \"x\" nil nil 1 .ec }}{{ $c.Key | eq .ec }} {{ toJson $c | fromJson | keys | join \",\" }} {{ kindOf $c.Cert }}",
    );
    assert_eq!(out, "true Cert,Key string");
    // A dict with the same keys is not a certificate (Go rejects it by type).
    let err = super::super::run(
        "{{ genSignedCert \"x\" nil nil 1 (dict \"Cert\" .caCert \"Key\" .caKey) }}",
        Some(FIXTURES),
        &[],
    )
    .unwrap_err();
    assert!(err.contains("wrong type for value; expected sprig.certificate; got map[string]interface {}"), "{err}");
    let err = super::super::run("{{ genSignedCert \"x\" nil nil 1 nil }}", Some(FIXTURES), &[]).unwrap_err();
    assert!(err.contains("cannot assign nil to sprig.certificate"), "{err}");
}
