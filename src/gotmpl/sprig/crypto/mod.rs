//! Random and cryptographic functions. `randBytes`, `uuidv4` and the `rand*` string functions draw from
//! the operating system's random source; they are non-deterministic by nature (docs/gotmpl.md).
//!
//! sprig's key, certificate, password and AES functions (`crypto.go` of sprig 3.3, which Argo CD
//! ships) live in the submodules: [`keys`] (genPrivateKey, PEM), [`cert`] (genCA, genSelfSignedCert,
//! genSignedCert, buildCustomCert), [`password`] (bcrypt, htpasswd, derivePassword) and [`aes`].

pub(crate) mod aes;
pub(crate) mod cert;
pub(crate) mod der;
pub(crate) mod keys;
pub(crate) mod password;

use std::sync::Mutex;

use super::super::funcs::{Registry, Ty, add, check_size};
use super::super::value::Value;
use super::encoding::b64_encode;
use super::{int, s};

/// The steps a call costs before it runs, for functions whose work is far beyond their result's size:
/// key generation, password hashing, key derivation. Measured in a release build on the 2-core
/// development machine under load: RSA-4096 and DSA keys take 4–20 s, an RSA-2048 certificate about
/// 1 s, `derivePassword` (scrypt) 0.45 s, `bcrypt` 0.14 s. Charged up front so a template cannot start
/// more of them than the step limit allows (one RSA-4096 key, four fresh certificates per execution).
pub(crate) fn call_cost(name: &str, args: &[Value]) -> u64 {
    match name {
        "genPrivateKey" => match args.first().and_then(Value::as_str) {
            Some("" | "rsa" | "dsa") => 4_000_000,
            _ => 1_000,
        },
        "genCA" | "genSelfSignedCert" | "genSignedCert" => 1_000_000,
        "genCAWithKey" | "genSelfSignedCertWithKey" | "genSignedCertWithKey" | "buildCustomCert" => 10_000,
        "derivePassword" => 200_000,
        "bcrypt" | "htpasswd" => 50_000,
        _ => 0,
    }
}

/// Fills `buf` with random bytes from the OS, falling back to a time-seeded generator.
pub(crate) fn fill_random(buf: &mut [u8]) {
    if getrandom::fill(buf).is_ok() {
        return;
    }
    static STATE: Mutex<u64> = Mutex::new(0);
    let mut s = STATE.lock().unwrap_or_else(|e| e.into_inner());
    if *s == 0 {
        *s = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
            | 1;
    }
    for b in buf {
        // splitmix64
        *s = s.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = *s;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        *b = (z ^ (z >> 31)) as u8;
    }
}

/// A uniform random number in `0..n` (n > 0).
pub(crate) fn rand_below(n: u64) -> u64 {
    if n <= 1 {
        return 0;
    }
    let zone = u64::MAX - (u64::MAX % n);
    loop {
        let mut b = [0u8; 8];
        fill_random(&mut b);
        let v = u64::from_le_bytes(b);
        if v < zone {
            return v % n;
        }
    }
}

fn uuidv4() -> String {
    let mut b = [0u8; 16];
    fill_random(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "uuidv4", &[], |_| Ok(Value::str(uuidv4())));
    add(r, "randBytes", &[Int], |a| {
        let n = match a[0] {
            Value::Int(n) => n,
            _ => 0,
        };
        if n < 0 {
            return Err("runtime error: makeslice: len out of range".into());
        }
        check_size(n as usize)?;
        let mut buf = vec![0u8; n as usize];
        fill_random(&mut buf);
        Ok(Value::str(b64_encode(&buf)))
    });
    add(r, "bcrypt", &[Str], |a| Ok(Value::str(password::bcrypt(s(&a[0])))));
    // sprig 3.3 (Argo CD) added the hash algorithm argument: "sha" gives {SHA}, anything else bcrypt.
    add(r, "htpasswd", &[Str, Str, Str], |a| Ok(Value::str(password::htpasswd(s(&a[0]), s(&a[1]), s(&a[2])))));
    add(r, "derivePassword", &[Uint, Str, Str, Str, Str], |a| {
        // The Go parameter is a uint32: text/template's SetUint truncates larger constants.
        let counter = match a[0] {
            Value::Uint(u) => u as u32,
            _ => 0,
        };
        Ok(Value::str(password::derive_password(counter, s(&a[1]), s(&a[2]), s(&a[3]), s(&a[4]))))
    });
    add(r, "encryptAES", &[Str, Str], |a| aes::encrypt(s(&a[0]), s(&a[1])).map(Value::str));
    add(r, "decryptAES", &[Str, Str], |a| aes::decrypt(s(&a[0]), s(&a[1])).map(Value::str));
    add(r, "genPrivateKey", &[Str], |a| {
        Ok(Value::str(match keys::PrivateKey::generate(s(&a[0])) {
            Ok(k) => k.to_pem().unwrap_or_else(|e| format!("failed to generate private key: {e}")),
            Err(e) => e,
        }))
    });
    add(r, "buildCustomCert", &[Str, Str], |a| cert::build_custom(s(&a[0]), s(&a[1])));
    add(r, "genCA", &[Str, Int], |a| cert::gen_ca(s(&a[0]), int(&a[1]), None));
    add(r, "genCAWithKey", &[Str, Int, Str], |a| cert::gen_ca(s(&a[0]), int(&a[1]), Some(s(&a[2]))));
    add(r, "genSelfSignedCert", &[Str, ListAny, ListAny, Int], |a| {
        cert::gen_self_signed(s(&a[0]), &a[1], &a[2], int(&a[3]), None)
    });
    add(r, "genSelfSignedCertWithKey", &[Str, ListAny, ListAny, Int, Str], |a| {
        cert::gen_self_signed(s(&a[0]), &a[1], &a[2], int(&a[3]), Some(s(&a[4])))
    });
    add(r, "genSignedCert", &[Str, ListAny, ListAny, Int, Any], |a| {
        cert::gen_signed(s(&a[0]), &a[1], &a[2], int(&a[3]), &a[4], None)
    });
    add(r, "genSignedCertWithKey", &[Str, ListAny, ListAny, Int, Any, Str], |a| {
        cert::gen_signed(s(&a[0]), &a[1], &a[2], int(&a[3]), &a[4], Some(s(&a[5])))
    });
}
