//! Private keys as sprig handles them: generation (`genPrivateKey`), PEM encoding in the block types
//! sprig prints (`RSA PRIVATE KEY` PKCS#1, `EC PRIVATE KEY` SEC 1, `DSA PRIVATE KEY`, `PRIVATE KEY`
//! PKCS#8 for Ed25519), parsing (`parsePrivateKeyPEM`), public keys and certificate signatures.

use rsa::pkcs1::{DecodeRsaPrivateKey, EncodeRsaPrivateKey, EncodeRsaPublicKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Signer};

use super::super::encoding::{b64_decode, b64_encode};
use super::der::{self, BIT_STRING, INTEGER, OCTET_STRING, OID, Reader, SEQUENCE};
use super::fill_random;

/// Encoded OID bodies.
pub(crate) mod oids {
    pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
    pub const SHA256_WITH_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
    pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    pub const PRIME256V1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    pub const ECDSA_WITH_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
}

/// The operating system's random source as a `rand_core` generator for the RustCrypto crates.
pub(crate) struct OsRng;

impl rand_core::RngCore for OsRng {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        fill_random(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        fill_random(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        fill_random(dest);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        fill_random(dest);
        Ok(())
    }
}

impl rand_core::CryptoRng for OsRng {}

/// A DSA key: only printed and parsed (Go cannot sign certificates with DSA either).
pub(crate) struct DsaKey {
    /// P, Q, G, Y, X as big-endian magnitudes.
    parts: [Vec<u8>; 5],
}

/// A private key of one of the types sprig generates.
pub(crate) enum PrivateKey {
    /// RSA (`*rsa.PrivateKey`).
    Rsa(Box<rsa::RsaPrivateKey>),
    /// ECDSA on P-256 (`*ecdsa.PrivateKey`).
    Ec(p256::SecretKey),
    /// Ed25519 (`ed25519.PrivateKey`).
    Ed(Box<ed25519_dalek::SigningKey>),
    /// DSA (`*dsa.PrivateKey`).
    Dsa(DsaKey),
}

/// `pem.EncodeToMemory`: 64-column base64 between BEGIN and END lines.
pub(crate) fn pem_encode(typ: &str, der: &[u8]) -> String {
    let b = b64_encode(der);
    let mut out = format!("-----BEGIN {typ}-----\n");
    for chunk in b.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {typ}-----\n"));
    out
}

/// `pem.Decode`: the first well-formed block (type and DER bytes), skipping text around it.
pub(crate) fn pem_decode(input: &str) -> Option<(String, Vec<u8>)> {
    let mut rest = input;
    loop {
        let start = if rest.starts_with("-----BEGIN ") { 0 } else { rest.find("\n-----BEGIN ")? + 1 };
        rest = &rest[start + "-----BEGIN ".len()..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        let type_line = rest[..line_end].trim_end_matches([' ', '\t', '\r']);
        let Some(typ) = type_line.strip_suffix("-----") else { continue };
        let body = &rest[(line_end + 1).min(rest.len())..];
        // Optional RFC 1421 headers ("Key: value" lines, then a blank line).
        let mut text = body;
        while let Some(nl) = text.find('\n') {
            if text[..nl].contains(':') {
                text = &text[nl + 1..];
            } else {
                break;
            }
        }
        let (b64, after) = if let Some(stripped) = text.strip_prefix("-----END ") {
            ("", stripped)
        } else {
            match text.find("\n-----END ") {
                Some(i) => (&text[..i], &text[i + "\n-----END ".len()..]),
                None => continue,
            }
        };
        let Some(end_type) = after.strip_prefix(typ).and_then(|a| a.strip_prefix("-----")) else { continue };
        let trailing = end_type.split('\n').next().unwrap_or_default();
        if !trailing.trim_matches([' ', '\t', '\r']).is_empty() {
            continue;
        }
        let cleaned: String = b64.chars().filter(|c| *c != ' ' && *c != '\t').collect();
        match b64_decode(&cleaned) {
            Ok(bytes) => return Some((typ.to_string(), bytes)),
            Err(_) => continue,
        }
    }
}

impl PrivateKey {
    /// `genPrivateKey`'s key types: RSA 4096, DSA L2048N256, ECDSA P-256, Ed25519.
    pub(crate) fn generate(typ: &str) -> Result<PrivateKey, String> {
        match typ {
            "" | "rsa" => PrivateKey::generate_rsa(4096),
            "dsa" => {
                let components = dsa::Components::generate(&mut OsRng, dsa::KeySize::DSA_2048_256);
                let key = dsa::SigningKey::generate(&mut OsRng, components);
                let vk = key.verifying_key();
                let c = vk.components();
                Ok(PrivateKey::Dsa(DsaKey {
                    parts: [
                        c.p().to_bytes_be(),
                        c.q().to_bytes_be(),
                        c.g().to_bytes_be(),
                        vk.y().to_bytes_be(),
                        key.x().to_bytes_be(),
                    ],
                }))
            }
            "ecdsa" => Ok(PrivateKey::Ec(p256::SecretKey::random(&mut OsRng))),
            "ed25519" => {
                let mut seed = [0u8; 32];
                fill_random(&mut seed);
                Ok(PrivateKey::Ed(Box::new(ed25519_dalek::SigningKey::from_bytes(&seed))))
            }
            other => Err(format!("Unknown type {other}")),
        }
    }

    /// An RSA key of `bits` bits with exponent 65537.
    pub(crate) fn generate_rsa(bits: usize) -> Result<PrivateKey, String> {
        rsa::RsaPrivateKey::new(&mut OsRng, bits)
            .map(|k| PrivateKey::Rsa(Box::new(k)))
            .map_err(|e| format!("error generating rsa key: {e}"))
    }

    /// sprig's `pemBlockForKey`, encoded.
    pub(crate) fn to_pem(&self) -> Result<String, String> {
        match self {
            PrivateKey::Rsa(k) => {
                let der = k.to_pkcs1_der().map_err(|e| format!("error pem-encoding key: {e}"))?;
                Ok(pem_encode("RSA PRIVATE KEY", der.as_bytes()))
            }
            PrivateKey::Ec(k) => {
                let scalar = k.to_bytes();
                let point = ec_point(k);
                let der = der::seq(&[
                    &der::uint(&[1]),
                    &der::tlv(OCTET_STRING, &scalar),
                    &der::explicit(0, &der::oid(oids::PRIME256V1)),
                    &der::explicit(1, &der::bit_string(&point)),
                ]);
                Ok(pem_encode("EC PRIVATE KEY", &der))
            }
            PrivateKey::Ed(k) => {
                let der = der::seq(&[
                    &der::uint(&[0]),
                    &der::seq(&[&der::oid(oids::ED25519)]),
                    &der::tlv(OCTET_STRING, &der::tlv(OCTET_STRING, k.as_bytes())),
                ]);
                Ok(pem_encode("PRIVATE KEY", &der))
            }
            PrivateKey::Dsa(k) => {
                let ints: Vec<Vec<u8>> =
                    std::iter::once(der::uint(&[0])).chain(k.parts.iter().map(|p| der::uint(p))).collect();
                let refs: Vec<&[u8]> = ints.iter().map(Vec::as_slice).collect();
                Ok(pem_encode("DSA PRIVATE KEY", &der::seq(&refs)))
            }
        }
    }

    /// sprig's `parsePrivateKeyPEM`, with its error texts.
    pub(crate) fn parse_pem(pem: &str) -> Result<PrivateKey, String> {
        let Some((typ, der)) = pem_decode(pem) else { return Err("no PEM data in input".into()) };
        if typ == "PRIVATE KEY" {
            return parse_pkcs8(&der).map_err(|e| format!("decoding PEM as PKCS#8: {e}"));
        }
        let Some(kind) = typ.strip_suffix(" PRIVATE KEY") else {
            return Err(format!("no private key data in PEM block of type {typ}"));
        };
        match kind {
            "RSA" => parse_pkcs1(&der).map_err(|e| format!("parsing RSA private key from PEM: {e}")),
            "EC" => parse_sec1(&der, None).map_err(|e| format!("parsing EC private key from PEM: {e}")),
            "DSA" => parse_dsa(&der).map_err(|e| format!("parsing DSA private key from PEM: {e}")),
            _ => Err(format!("invalid private key type {typ}")),
        }
    }

    /// The SubjectPublicKeyInfo DER and the raw subjectPublicKey bits (`x509.marshalPublicKey`).
    pub(crate) fn public_key_info(&self) -> Result<(Vec<u8>, Vec<u8>), String> {
        let (alg, bits) = match self {
            PrivateKey::Rsa(k) => {
                let pk = k.to_public_key().to_pkcs1_der().map_err(|e| format!("x509: {e}"))?;
                (der::seq(&[&der::oid(oids::RSA_ENCRYPTION), &der::tlv(der::NULL, &[])]), pk.as_bytes().to_vec())
            }
            PrivateKey::Ec(k) => {
                (der::seq(&[&der::oid(oids::EC_PUBLIC_KEY), &der::oid(oids::PRIME256V1)]), ec_point(k))
            }
            PrivateKey::Ed(k) => (der::seq(&[&der::oid(oids::ED25519)]), k.verifying_key().as_bytes().to_vec()),
            PrivateKey::Dsa(_) => return Err("x509: unsupported public key type: *dsa.PublicKey".into()),
        };
        Ok((der::seq(&[&alg, &der::bit_string(&bits)]), bits))
    }

    /// Whether the key can sign (Go's `crypto.Signer`): DSA keys cannot.
    pub(crate) fn check_signer(&self) -> Result<(), String> {
        match self {
            PrivateKey::Dsa(_) => Err("x509: certificate private key does not implement crypto.Signer".into()),
            _ => Ok(()),
        }
    }

    /// The signature AlgorithmIdentifier Go picks for the key (SHA-256 based, or Ed25519).
    pub(crate) fn signature_algorithm(&self) -> Vec<u8> {
        match self {
            PrivateKey::Rsa(_) => der::seq(&[&der::oid(oids::SHA256_WITH_RSA), &der::tlv(der::NULL, &[])]),
            PrivateKey::Ec(_) => der::seq(&[&der::oid(oids::ECDSA_WITH_SHA256)]),
            PrivateKey::Ed(_) | PrivateKey::Dsa(_) => der::seq(&[&der::oid(oids::ED25519)]),
        }
    }

    /// Signs `msg` with the algorithm of [`PrivateKey::signature_algorithm`].
    pub(crate) fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, String> {
        match self {
            PrivateKey::Rsa(k) => {
                let signer = rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(k.as_ref().clone());
                Ok(signer.sign_with_rng(&mut OsRng, msg).to_vec())
            }
            PrivateKey::Ec(k) => {
                let signer = p256::ecdsa::SigningKey::from(k);
                let sig: p256::ecdsa::Signature = signer.sign(msg);
                Ok(sig.to_der().as_bytes().to_vec())
            }
            PrivateKey::Ed(k) => Ok(k.sign(msg).to_bytes().to_vec()),
            PrivateKey::Dsa(_) => Err("x509: certificate private key does not implement crypto.Signer".into()),
        }
    }
}

/// The uncompressed SEC 1 point of a P-256 key.
fn ec_point(k: &p256::SecretKey) -> Vec<u8> {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    k.public_key().to_encoded_point(false).as_bytes().to_vec()
}

fn parse_pkcs1(der: &[u8]) -> Result<PrivateKey, String> {
    rsa::RsaPrivateKey::from_pkcs1_der(der)
        .map(|k| PrivateKey::Rsa(Box::new(k)))
        .map_err(|e| format!("x509: failed to parse RSA private key: {e}"))
}

/// Parses an ECPrivateKey (SEC 1); `curve` is the PKCS#8 algorithm parameter when wrapped.
fn parse_sec1(der: &[u8], curve: Option<&[u8]>) -> Result<PrivateKey, String> {
    let malformed = || "x509: failed to parse EC private key".to_string();
    let body = Reader::new(der).take_tag(SEQUENCE).ok_or_else(malformed)?;
    let mut r = Reader::new(body);
    if r.take_tag(INTEGER).ok_or_else(malformed)? != [1] {
        return Err("x509: unknown EC private key version".into());
    }
    let scalar = r.take_tag(OCTET_STRING).ok_or_else(malformed)?;
    let mut named = curve.map(<[u8]>::to_vec);
    while let Some(e) = r.next() {
        if e.tag == 0xa0 {
            named = Some(Reader::new(e.content).take_tag(OID).ok_or_else(malformed)?.to_vec());
        }
    }
    match named.as_deref() {
        Some(oids::PRIME256V1) => {}
        Some(_) => return Err("x509: unsupported elliptic curve (argovet implements P-256 only)".into()),
        None => return Err("x509: unknown elliptic curve".into()),
    }
    if scalar.len() > 32 {
        return Err("x509: invalid private key length".into());
    }
    let mut padded = [0u8; 32];
    padded[32 - scalar.len()..].copy_from_slice(scalar);
    p256::SecretKey::from_slice(&padded)
        .map(PrivateKey::Ec)
        .map_err(|_| "x509: invalid elliptic curve private key value".to_string())
}

fn parse_pkcs8(der: &[u8]) -> Result<PrivateKey, String> {
    let malformed = || "x509: failed to parse private key".to_string();
    let body = Reader::new(der).take_tag(SEQUENCE).ok_or_else(malformed)?;
    let mut r = Reader::new(body);
    r.take_tag(INTEGER).ok_or_else(malformed)?;
    let alg = r.take_tag(SEQUENCE).ok_or_else(malformed)?;
    let key = r.take_tag(OCTET_STRING).ok_or_else(malformed)?;
    let mut a = Reader::new(alg);
    let oid = a.take_tag(OID).ok_or_else(malformed)?;
    match oid {
        oids::RSA_ENCRYPTION => parse_pkcs1(key),
        oids::EC_PUBLIC_KEY => {
            let curve = a.take_tag(OID).ok_or_else(malformed)?;
            parse_sec1(key, Some(curve))
        }
        oids::ED25519 => {
            let seed = Reader::new(key).take_tag(OCTET_STRING).ok_or_else(malformed)?;
            let seed: [u8; 32] =
                seed.try_into().map_err(|_| format!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
            Ok(PrivateKey::Ed(Box::new(ed25519_dalek::SigningKey::from_bytes(&seed))))
        }
        other => {
            Err(format!("x509: PKCS#8 wrapping contained private key with unknown algorithm: {}", oid_string(other)))
        }
    }
}

/// sprig's `DSAKeyFormat`: SEQUENCE { version, P, Q, G, Y, X }.
fn parse_dsa(der: &[u8]) -> Result<PrivateKey, String> {
    let malformed = || "asn1: structure error: DSA private key is not a sequence of six integers".to_string();
    let body = Reader::new(der).take_tag(SEQUENCE).ok_or_else(malformed)?;
    let mut r = Reader::new(body);
    r.take_tag(INTEGER).ok_or_else(malformed)?;
    let mut parts: [Vec<u8>; 5] = Default::default();
    for p in &mut parts {
        *p = r.take_tag(INTEGER).ok_or_else(malformed)?.to_vec();
    }
    Ok(PrivateKey::Dsa(DsaKey { parts }))
}

/// Dotted form of an encoded OID.
pub(crate) fn oid_string(body: &[u8]) -> String {
    let mut arcs: Vec<u64> = vec![];
    let mut acc: u64 = 0;
    for &b in body {
        acc = acc << 7 | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (acc / 40).min(2);
                arcs.push(first);
                arcs.push(acc - 40 * first);
            } else {
                arcs.push(acc);
            }
            acc = 0;
        }
    }
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// Reads the raw subjectPublicKey bits of a SubjectPublicKeyInfo.
pub(crate) fn spki_bits(spki: &[u8]) -> Option<Vec<u8>> {
    let body = Reader::new(spki).take_tag(SEQUENCE)?;
    let mut r = Reader::new(body);
    r.take_tag(SEQUENCE)?;
    let bits = r.take_tag(BIT_STRING)?;
    Some(bits.get(1..)?.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pem_round_trips_and_skips_junk() {
        let p = pem_encode("X", &[1u8; 100]);
        assert!(p.starts_with("-----BEGIN X-----\nAQEB"));
        assert_eq!(p.lines().nth(1).map(str::len), Some(64));
        assert_eq!(pem_decode(&p), Some(("X".to_string(), vec![1u8; 100])));
        let junk = format!("hello\n{}", p.replace('\n', "\r\n"));
        assert_eq!(pem_decode(&junk).map(|x| x.1.len()), Some(100));
        assert_eq!(pem_decode("-----BEGIN X-----\nAAAA\n-----END Y-----\n"), None);
        assert_eq!(pem_decode("no pem"), None);
        assert_eq!(pem_decode("-----BEGIN E-----\n-----END E-----\n"), Some(("E".to_string(), vec![])));
    }

    #[test]
    fn oid_strings() {
        assert_eq!(oid_string(oids::SHA256_WITH_RSA), "1.2.840.113549.1.1.11");
        assert_eq!(oid_string(oids::ED25519), "1.3.101.112");
    }

    #[test]
    fn ec_and_ed25519_keys_round_trip_through_pem() {
        for typ in ["ecdsa", "ed25519"] {
            let k = PrivateKey::generate(typ).unwrap();
            let pem = k.to_pem().unwrap();
            let back = PrivateKey::parse_pem(&pem).unwrap();
            assert_eq!(back.to_pem().unwrap(), pem);
            assert_eq!(back.public_key_info().unwrap(), k.public_key_info().unwrap());
        }
        assert_eq!(PrivateKey::generate("x").err().as_deref(), Some("Unknown type x"));
    }
}
