//! Encodings and checksums: `b64enc`, `b64dec`, `b32enc`, `b32dec`, `sha1sum`, `sha256sum`,
//! `sha512sum` (sprig 3.3, which Argo CD ships) and `adler32sum`.

use sha1::Digest;

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;
use super::s;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "b64enc", &[Str], |a| Ok(Value::str(b64_encode(s(&a[0]).as_bytes()))));
    add(r, "b64dec", &[Str], |a| {
        Ok(Value::str(match b64_decode(s(&a[0])) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => e,
        }))
    });
    add(r, "b32enc", &[Str], |a| Ok(Value::str(b32_encode(s(&a[0]).as_bytes()))));
    add(r, "b32dec", &[Str], |a| {
        Ok(Value::str(match b32_decode(s(&a[0])) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) => e,
        }))
    });
    add(r, "sha1sum", &[Str], |a| Ok(Value::str(hex(&sha1::Sha1::digest(s(&a[0]).as_bytes())))));
    add(r, "sha256sum", &[Str], |a| Ok(Value::str(hex(&sha2::Sha256::digest(s(&a[0]).as_bytes())))));
    add(r, "sha512sum", &[Str], |a| Ok(Value::str(hex(&sha2::Sha512::digest(s(&a[0]).as_bytes())))));
    add(r, "adler32sum", &[Str], |a| Ok(Value::str(adler32(s(&a[0]).as_bytes()).to_string())));
}

/// `hash/adler32.Checksum`.
pub(crate) fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in data {
        a = (a + x as u32) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// `base64.StdEncoding.EncodeToString`.
pub(crate) fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v =
            (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= n {
                out.push(B64[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `base64.StdEncoding.DecodeString`: padding required, `\r` and `\n` ignored.
pub(crate) fn b64_decode(s: &str) -> Result<Vec<u8>, String> {
    decode_blocks(s, 4, 6, |c| B64.iter().position(|&x| x == c), "base64")
}

/// `base32.StdEncoding.EncodeToString`.
pub(crate) fn b32_encode(data: &[u8]) -> String {
    let mut out = String::new();
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let v = buf.iter().fold(0u64, |acc, &b| acc << 8 | b as u64);
        let nchars = (chunk.len() * 8).div_ceil(5);
        for i in 0..8 {
            if i < nchars {
                out.push(B32[(v >> (35 - 5 * i) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `base32.StdEncoding.DecodeString`.
pub(crate) fn b32_decode(s: &str) -> Result<Vec<u8>, String> {
    decode_blocks(s, 8, 5, |c| B32.iter().position(|&x| x == c), "base32")
}

/// Decodes padded blocks of `block` symbols of `bits` bits, reporting Go's `illegal <name> data at
/// input byte N` with N counted in the input after newline removal... as Go counts it.
fn decode_blocks(
    s: &str,
    block: usize,
    bits: u32,
    lookup: impl Fn(u8) -> Option<usize>,
    name: &str,
) -> Result<Vec<u8>, String> {
    let err = |i: usize| format!("illegal {name} data at input byte {i}");
    let syms: Vec<(usize, u8)> = s.bytes().enumerate().filter(|(_, b)| *b != b'\n' && *b != b'\r').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < syms.len() {
        let mut acc: u64 = 0;
        let mut n = 0usize;
        let mut pad_at: Option<usize> = None;
        for j in 0..block {
            let Some(&(pos, c)) = syms.get(i + j) else {
                // A truncated final quantum is reported at its first byte.
                return Err(err(syms[i].0));
            };
            if c == b'=' {
                if pad_at.is_none() {
                    // Padding is only legal in the last block, after at least two symbols.
                    if j < 2 {
                        return Err(err(pos));
                    }
                    pad_at = Some(j);
                }
                continue;
            }
            if pad_at.is_some() {
                return Err(err(pos));
            }
            let Some(v) = lookup(c) else { return Err(err(pos)) };
            acc = acc << bits | v as u64;
            n += 1;
        }
        let total_bits = n as u32 * bits;
        let nbytes = (total_bits / 8) as usize;
        acc <<= bits * (block - n) as u32;
        let full = block as u32 * bits / 8;
        for k in 0..nbytes {
            out.push((acc >> (8 * (full as usize - 1 - k))) as u8);
        }
        i += block;
        if pad_at.is_some() && i < syms.len() {
            return Err(err(syms[i].0));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_base64_and_base32() {
        assert_eq!(b64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(b64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(b32_encode(b"hello"), "NBSWY3DP");
        assert_eq!(b32_decode("NBSWY3DP").unwrap(), b"hello");
        assert_eq!(adler32(b"hello"), 103547413);
    }
}
