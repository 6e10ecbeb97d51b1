//! Random and cryptographic functions. `randBytes`, `uuidv4` and the `rand*` string functions draw from
//! the operating system's random source; they are non-deterministic by nature (docs/gotmpl.md).

use std::sync::Mutex;

use super::super::funcs::{Registry, Ty, add, check_size};
use super::super::value::Value;
use super::encoding::b64_encode;

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
    // Key and certificate generation, password hashing and AES need cryptographic primitives argovet
    // does not ship; they fail with an explanation instead of producing output that could be mistaken
    // for Argo CD's (their output is random in Argo CD too).
    for (name, params) in [
        ("bcrypt", &[Str][..]),
        ("htpasswd", &[Str, Str][..]),
        ("genPrivateKey", &[Str][..]),
        ("derivePassword", &[Uint, Str, Str, Str, Str][..]),
        ("buildCustomCert", &[Str, Str][..]),
        ("genCA", &[Str, Int][..]),
        ("genCAWithKey", &[Str, Int, Str][..]),
        ("genSelfSignedCert", &[Str, ListAny, ListAny, Int][..]),
        ("genSelfSignedCertWithKey", &[Str, ListAny, ListAny, Int, Str][..]),
        ("genSignedCert", &[Str, ListAny, ListAny, Int, Any][..]),
        ("genSignedCertWithKey", &[Str, ListAny, ListAny, Int, Any, Str][..]),
        ("encryptAES", &[Str, Str][..]),
        ("decryptAES", &[Str, Str][..]),
    ] {
        add(r, name, params, |_| {
            Err("not supported by argovet (key, certificate, password-hash and AES functions are not implemented offline)".into())
        });
    }
}
