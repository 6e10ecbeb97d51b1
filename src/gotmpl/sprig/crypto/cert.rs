//! sprig's certificate functions: the `x509.Certificate` template of `getBaseCertTemplate` and the
//! DER `x509.CreateCertificate` writes for it (Go 1.25+ rules, as in Argo CD), and the parsing of a
//! CA certificate for `genSignedCert`.

use std::collections::BTreeMap;

use sha2::Digest;

use super::super::super::format::sprint;
use super::super::super::lexer::go_quote;
use super::super::super::value::{Elem, GoMap, Value};
use super::super::encoding::b64_decode;
use super::der::{self, BOOLEAN, OCTET_STRING, PRINTABLE_STRING, Reader, SEQUENCE, UTF8_STRING};
use super::fill_random;
use super::keys::{PrivateKey, pem_decode, pem_encode, spki_bits};

const OID_CN: &[u8] = &[0x55, 0x04, 0x03];
const OID_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
const OID_EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
const OID_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
const OID_SUBJECT_KEY_ID: &[u8] = &[0x55, 0x1d, 0x0e];
const OID_AUTHORITY_KEY_ID: &[u8] = &[0x55, 0x1d, 0x23];
const OID_SAN: &[u8] = &[0x55, 0x1d, 0x11];
const OID_SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
const OID_CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// sprig's `certificate` struct as a template value: a `map[string]string` with exactly the keys
/// `Cert` and `Key`, so `.Cert`, `.Key` and `toJson` behave as on Go's struct.
pub(crate) fn cert_value(cert: String, key: String) -> Value {
    let m = BTreeMap::from([("Cert".to_string(), Value::str(cert)), ("Key".to_string(), Value::str(key))]);
    Value::Map(GoMap::new(m), Elem::Str)
}

/// The PEM strings of a certificate value, or Go's argument error for anything else.
pub(crate) fn cert_arg(v: &Value) -> Result<(String, String), String> {
    if let Value::Map(m, Elem::Str) = v {
        let r = m.read();
        if r.len() == 2
            && let (Some(Value::Str(c)), Some(Value::Str(k))) = (r.get("Cert"), r.get("Key"))
        {
            return Ok((c.to_string(), k.to_string()));
        }
    }
    Err(match v {
        Value::Nil | Value::Invalid => "cannot assign nil to sprig.certificate".into(),
        _ => format!("wrong type for value; expected sprig.certificate; got {}", v.type_name()),
    })
}

/// The certificate template of sprig's `getBaseCertTemplate`.
pub(crate) struct Template {
    cn: String,
    ips: Vec<Vec<u8>>,
    dns: Vec<String>,
    days: i64,
    is_ca: bool,
}

impl Template {
    /// Validates the IP and DNS lists as sprig does (`getNetIPs`, `getAlternateDNSStrs`).
    pub(crate) fn new(cn: &str, ips: &Value, dns: &Value, days: i64) -> Result<Template, String> {
        let mut ip_bytes = vec![];
        for ip in list(ips) {
            let Some(s) = ip.as_str() else {
                return Err(format!("error parsing ip: {} is not a string", sprint(std::slice::from_ref(&ip))));
            };
            ip_bytes.push(parse_ip(s).ok_or_else(|| format!("error parsing ip: {s}"))?);
        }
        let mut names = vec![];
        for d in list(dns) {
            let Some(s) = d.as_str() else {
                return Err(format!(
                    "error processing alternate dns name: {} is not a string",
                    sprint(std::slice::from_ref(&d))
                ));
            };
            names.push(s.to_string());
        }
        Ok(Template { cn: cn.to_string(), ips: ip_bytes, dns: names, days, is_ca: false })
    }

    /// A CA template (`genCA`): no SANs, `KeyUsageCertSign` and `IsCA`.
    pub(crate) fn ca(cn: &str, days: i64) -> Template {
        Template { cn: cn.to_string(), ips: vec![], dns: vec![], days, is_ca: true }
    }
}

fn list(v: &Value) -> Vec<Value> {
    match v {
        Value::List(l, _) => l.as_ref().clone(),
        _ => vec![],
    }
}

/// `net.ParseIP`, as the bytes `x509` writes: 4 for IPv4 (and IPv4-mapped IPv6), 16 for IPv6.
fn parse_ip(s: &str) -> Option<Vec<u8>> {
    if s.contains(':') {
        // Go rejects zones and anything std's parser would not read.
        let ip: std::net::Ipv6Addr = s.parse().ok()?;
        return Some(match ip.to_ipv4_mapped() {
            Some(v4) => v4.octets().to_vec(),
            None => ip.octets().to_vec(),
        });
    }
    // Go's IPv4 parser rejects leading zeros ("01.2.3.4") like std's.
    let ip: std::net::Ipv4Addr = s.parse().ok()?;
    Some(ip.octets().to_vec())
}

/// The parts of a parsed CA certificate `CreateCertificate` uses.
pub(crate) struct Parent {
    subject: Vec<u8>,
    spki: Vec<u8>,
    skid: Vec<u8>,
}

/// Parses a certificate DER well enough for signing (`x509.ParseCertificate` must accept it).
pub(crate) fn parse_certificate(der_bytes: &[u8]) -> Result<Parent, String> {
    use x509_cert::der::Decode;
    let malformed = || "x509: malformed certificate".to_string();
    x509_cert::Certificate::from_der(der_bytes).map_err(|_| malformed())?;
    let cert = Reader::new(der_bytes).take_tag(SEQUENCE).ok_or_else(malformed)?;
    let tbs = Reader::new(cert).take_tag(SEQUENCE).ok_or_else(malformed)?;
    let mut r = Reader::new(tbs);
    // [0] version (present in v3 certificates), then the serial number.
    if r.next().ok_or_else(malformed)?.tag == 0xa0 {
        r.next().ok_or_else(malformed)?;
    }
    r.next().ok_or_else(malformed)?; // signature algorithm
    r.next().ok_or_else(malformed)?; // issuer
    r.next().ok_or_else(malformed)?; // validity
    let subject = raw(r.next().ok_or_else(malformed)?);
    let spki = raw(r.next().ok_or_else(malformed)?);
    let mut skid = vec![];
    while let Some(e) = r.next() {
        if e.tag != 0xa3 {
            continue;
        }
        let exts = Reader::new(e.content).take_tag(SEQUENCE).ok_or_else(malformed)?;
        let mut x = Reader::new(exts);
        while let Some(ext) = x.take_tag(SEQUENCE) {
            let mut f = Reader::new(ext);
            if f.take_tag(der::OID) != Some(OID_SUBJECT_KEY_ID) {
                continue;
            }
            let mut v = f.next().ok_or_else(malformed)?;
            if v.tag == BOOLEAN {
                v = f.next().ok_or_else(malformed)?;
            }
            skid = Reader::new(v.content).take_tag(OCTET_STRING).ok_or_else(malformed)?.to_vec();
        }
    }
    Ok(Parent { subject, spki, skid })
}

fn raw(e: der::Element<'_>) -> Vec<u8> {
    der::tlv(e.tag, e.content)
}

/// `pkix.Name{CommonName: cn}` marshalled: PrintableString when Go's `asn1` allows it, else UTF8String.
fn subject_der(cn: &str) -> Vec<u8> {
    if cn.is_empty() {
        return der::seq(&[]);
    }
    let printable = cn.bytes().all(|b| b.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(&b));
    let value = der::tlv(if printable { PRINTABLE_STRING } else { UTF8_STRING }, cn.as_bytes());
    let atv = der::seq(&[&der::oid(OID_CN), &value]);
    der::seq(&[&der::tlv(der::SET, &atv)])
}

fn extension(oid: &[u8], critical: bool, value: &[u8]) -> Vec<u8> {
    let crit = der::tlv(BOOLEAN, &[0xff]);
    let v = der::tlv(OCTET_STRING, value);
    if critical { der::seq(&[&der::oid(oid), &crit, &v]) } else { der::seq(&[&der::oid(oid), &v]) }
}

/// The current time as Unix nanoseconds.
fn now_nanos() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0)
}

/// `x509.CreateCertificate(rand, template, parent, signee public key, signer)` followed by sprig's PEM
/// encoding of the certificate and of the signee key. `parent` is `None` for self-signed certificates.
pub(crate) fn create(
    t: &Template,
    signee: &PrivateKey,
    parent: Option<&Parent>,
    signer: &PrivateKey,
) -> Result<Value, String> {
    let fail = |e: String| format!("error creating certificate: {e}");
    signer.check_signer().map_err(fail)?;
    let (spki, pub_bits) = signee.public_key_info().map_err(fail)?;
    let subject = subject_der(&t.cn);
    let issuer = parent.map(|p| p.subject.clone()).unwrap_or_else(|| subject.clone());
    // Go 1.25+ derives a CA's SubjectKeyId from the truncated SHA-256 of the public key bits.
    let skid = if t.is_ca { sha2::Sha256::digest(&pub_bits)[..20].to_vec() } else { vec![] };
    let akid = match parent {
        Some(p) if issuer != subject && !p.skid.is_empty() => p.skid.clone(),
        _ => vec![],
    };
    if let Some(p) = parent {
        let (signer_spki, _) = signer.public_key_info().map_err(fail)?;
        // Go compares the keys themselves (`Equal`), not their encoding: compare the key bits.
        if spki_bits(&p.spki).is_none() || spki_bits(&p.spki) != spki_bits(&signer_spki) {
            return Err(fail("x509: provided PrivateKey doesn't match parent's PublicKey".into()));
        }
    }
    let mut exts = vec![];
    // KeyUsage: digitalSignature | keyEncipherment (| certSign), minimal bit string.
    let ku: &[u8] = if t.is_ca { &[0x03, 0x02, 0x02, 0xa4] } else { &[0x03, 0x02, 0x05, 0xa0] };
    exts.push(extension(OID_KEY_USAGE, true, ku));
    exts.push(extension(
        OID_EXT_KEY_USAGE,
        false,
        &der::seq(&[&der::oid(OID_SERVER_AUTH), &der::oid(OID_CLIENT_AUTH)]),
    ));
    let bc = if t.is_ca { der::seq(&[&der::tlv(BOOLEAN, &[0xff])]) } else { der::seq(&[]) };
    exts.push(extension(OID_BASIC_CONSTRAINTS, true, &bc));
    if !skid.is_empty() {
        exts.push(extension(OID_SUBJECT_KEY_ID, false, &der::tlv(OCTET_STRING, &skid)));
    }
    if !akid.is_empty() {
        exts.push(extension(OID_AUTHORITY_KEY_ID, false, &der::seq(&[&der::tlv(0x80, &akid)])));
    }
    if !t.dns.is_empty() || !t.ips.is_empty() {
        let mut names = vec![];
        for d in &t.dns {
            if !d.is_ascii() {
                return Err(fail(format!("x509: {} cannot be encoded as an IA5String", go_quote(d))));
            }
            names.push(der::tlv(0x82, d.as_bytes()));
        }
        for ip in &t.ips {
            names.push(der::tlv(0x87, ip));
        }
        let refs: Vec<&[u8]> = names.iter().map(Vec::as_slice).collect();
        exts.push(extension(OID_SAN, subject == der::seq(&[]), &der::seq(&refs)));
    }
    let ext_refs: Vec<&[u8]> = exts.iter().map(Vec::as_slice).collect();

    let mut serial = [0u8; 16];
    fill_random(&mut serial);
    // NotBefore and NotAfter are two time.Now() calls; the day count multiplies a time.Duration in
    // nanoseconds, which wraps like Go's int64 arithmetic.
    let not_before = now_nanos();
    let not_after = now_nanos().wrapping_add(t.days.wrapping_mul(86_400_000_000_000));
    let validity = der::seq(&[
        &der::time(not_before.div_euclid(1_000_000_000)).map_err(|e| fail(format!("x509: {e}")))?,
        &der::time(not_after.div_euclid(1_000_000_000)).map_err(|e| fail(format!("x509: {e}")))?,
    ]);
    let sig_alg = signer.signature_algorithm();
    let tbs = der::seq(&[
        &der::explicit(0, &der::uint(&[2])),
        &der::uint(&serial),
        &sig_alg,
        &issuer,
        &validity,
        &subject,
        &spki,
        &der::explicit(3, &der::seq(&ext_refs)),
    ]);
    let sig = signer.sign(&tbs).map_err(fail)?;
    let cert = der::seq(&[&tbs, &sig_alg, &der::bit_string(&sig)]);
    let key_pem = signee.to_pem()?;
    Ok(cert_value(pem_encode("CERTIFICATE", &cert), key_pem))
}

/// `genCA` and `genCAWithKey`.
pub(crate) fn gen_ca(cn: &str, days: i64, key: Option<&str>) -> Result<Value, String> {
    let key = match key {
        Some(pem) => PrivateKey::parse_pem(pem).map_err(|e| format!("parsing private key: {e}"))?,
        None => PrivateKey::generate_rsa(2048)?,
    };
    create(&Template::ca(cn, days), &key, None, &key)
}

/// `genSelfSignedCert` and `genSelfSignedCertWithKey`.
pub(crate) fn gen_self_signed(
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
    key: Option<&str>,
) -> Result<Value, String> {
    let key = match key {
        Some(pem) => Some(PrivateKey::parse_pem(pem).map_err(|e| format!("parsing private key: {e}"))?),
        None => None,
    };
    let t = Template::new(cn, ips, dns, days)?;
    let key = match key {
        Some(k) => k,
        None => PrivateKey::generate_rsa(2048)?,
    };
    create(&t, &key, None, &key)
}

/// `genSignedCert` and `genSignedCertWithKey`.
pub(crate) fn gen_signed(
    cn: &str,
    ips: &Value,
    dns: &Value,
    days: i64,
    ca: &Value,
    key: Option<&str>,
) -> Result<Value, String> {
    let (ca_cert, ca_key) = cert_arg(ca)?;
    let key = match key {
        Some(pem) => Some(PrivateKey::parse_pem(pem).map_err(|e| format!("parsing private key: {e}"))?),
        None => None,
    };
    let Some((_, der_bytes)) = pem_decode(&ca_cert) else { return Err("unable to decode certificate".into()) };
    let parent = parse_certificate(&der_bytes)
        .map_err(|e| format!("error parsing certificate: decodedSignerCert.Bytes: {e}"))?;
    let signer = PrivateKey::parse_pem(&ca_key).map_err(|e| format!("error parsing private key: {e}"))?;
    let t = Template::new(cn, ips, dns, days)?;
    let key = match key {
        Some(k) => k,
        None => PrivateKey::generate_rsa(2048)?,
    };
    create(&t, &key, Some(&parent), &signer)
}

/// `buildCustomCert`: base64 PEM certificate and key, checked and returned as a certificate value.
pub(crate) fn build_custom(b64cert: &str, b64key: &str) -> Result<Value, String> {
    let cert = b64_decode(b64cert).map_err(|_| "unable to decode base64 certificate".to_string())?;
    let key = b64_decode(b64key).map_err(|_| "unable to decode base64 private key".to_string())?;
    let cert = String::from_utf8_lossy(&cert).into_owned();
    let key = String::from_utf8_lossy(&key).into_owned();
    let Some((_, der_bytes)) = pem_decode(&cert) else { return Err("unable to decode certificate".into()) };
    parse_certificate(&der_bytes).map_err(|e| format!("error parsing certificate: decodedCert.Bytes: {e}"))?;
    PrivateKey::parse_pem(&key).map_err(|e| format!("error parsing private key: {e}"))?;
    Ok(cert_value(cert, key))
}
