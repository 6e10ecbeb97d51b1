//! sprig's `encryptAES` / `decryptAES`: AES-256-CBC with the password zero-padded or truncated to 32
//! bytes as key, PKCS#7 padding, a random IV prefixed to the ciphertext, standard base64. Go's
//! panics on malformed input (recovered by text/template) are reproduced as errors with its texts.

use aes::cipher::{BlockDecrypt, BlockEncrypt, KeyInit};

use super::super::encoding::{b64_decode, b64_encode};
use super::fill_random;

fn cipher(password: &str) -> aes::Aes256 {
    let mut key = [0u8; 32];
    let n = password.len().min(32);
    key[..n].copy_from_slice(&password.as_bytes()[..n]);
    aes::Aes256::new(&key.into())
}

/// `encryptAES password plaintext`.
pub(crate) fn encrypt(password: &str, plaintext: &str) -> Result<String, String> {
    if plaintext.is_empty() {
        return Ok(String::new());
    }
    let c = cipher(password);
    let mut content = plaintext.as_bytes().to_vec();
    let pad = 16 - content.len() % 16;
    content.extend(std::iter::repeat_n(pad as u8, pad));
    let mut out = vec![0u8; 16];
    fill_random(&mut out);
    let mut prev: [u8; 16] = [0; 16];
    prev.copy_from_slice(&out);
    for chunk in content.chunks(16) {
        let mut block = [0u8; 16];
        for i in 0..16 {
            block[i] = chunk[i] ^ prev[i];
        }
        let mut b = block.into();
        c.encrypt_block(&mut b);
        prev.copy_from_slice(&b);
        out.extend_from_slice(&b);
    }
    Ok(b64_encode(&out))
}

/// `decryptAES password base64ciphertext`.
pub(crate) fn decrypt(password: &str, crypt64: &str) -> Result<String, String> {
    if crypt64.is_empty() {
        return Ok(String::new());
    }
    let crypt = b64_decode(crypt64)?;
    if crypt.len() < 16 {
        // base64.DecodeString allocates DecodedLen(len(s)) bytes: that is the slice's capacity.
        return Err(format!("runtime error: slice bounds out of range [:16] with capacity {}", crypt64.len() / 4 * 3));
    }
    let (iv, body) = crypt.split_at(16);
    if body.len() % 16 != 0 {
        return Err("crypto/cipher: input not full blocks".into());
    }
    let c = cipher(password);
    let mut out = Vec::with_capacity(body.len());
    let mut prev: &[u8] = iv;
    for chunk in body.chunks(16) {
        let mut b = [0u8; 16].into();
        let b: &mut aes::Block = {
            let x: &mut aes::Block = &mut b;
            x.copy_from_slice(chunk);
            x
        };
        c.decrypt_block(b);
        out.extend(b.iter().zip(prev).map(|(x, y)| x ^ y));
        prev = chunk;
    }
    let Some(&last) = out.last() else { return Err("runtime error: index out of range [-1]".into()) };
    let keep = out.len() as i64 - i64::from(last);
    if keep < 0 {
        return Err(format!("runtime error: slice bounds out of range [:{keep}]"));
    }
    out.truncate(keep as usize);
    Ok(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_pads() {
        for pt in ["a", "exactly16bytes!!", "a longer plaintext with ünïcode", &"x".repeat(100)] {
            let c = encrypt("pw", pt).unwrap();
            let raw = b64_decode(&c).unwrap();
            assert_eq!(raw.len(), 16 + (pt.len() / 16 + 1) * 16);
            assert_eq!(decrypt("pw", &c).unwrap(), pt);
        }
        // Keys are the password zero-padded or cut to 32 bytes.
        let long = "k".repeat(40);
        let c = encrypt(&long, "hi").unwrap();
        assert_eq!(decrypt(&"k".repeat(32), &c).unwrap(), "hi");
    }
}
