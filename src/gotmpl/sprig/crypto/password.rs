//! `bcrypt`, `htpasswd` and `derivePassword` (the Master Password algorithm), as sprig 3.3 with
//! golang.org/x/crypto implements them.

use hmac::Mac;
use sha1::Digest;

use super::super::encoding::b64_encode;
use super::fill_random;

/// x/crypto's `bcrypt.DefaultCost`.
const DEFAULT_COST: u32 = 10;

/// The alphabet of bcrypt's base64 (no padding).
const BCRYPT_B64: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const STD_B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn bcrypt_b64(data: &[u8]) -> String {
    b64_encode(data)
        .bytes()
        .filter(|&c| c != b'=')
        .map(|c| BCRYPT_B64[STD_B64.iter().position(|&x| x == c).unwrap_or(0)] as char)
        .collect()
}

/// The bcrypt hash of `password` with `salt` and `cost`, in the `$2a$` modular crypt format that
/// x/crypto's `GenerateFromPassword` writes.
pub(crate) fn bcrypt_with_salt(password: &[u8], cost: u32, salt: &[u8; 16]) -> String {
    // C bcrypt (and Go, for compatibility) hashes the trailing NUL; only 72 key bytes are used.
    let mut key = password.to_vec();
    key.push(0);
    key.truncate(72);
    let mut state = blowfish::Blowfish::bc_init_state();
    state.salted_expand_key(salt, &key);
    for _ in 0..1u64 << cost {
        state.bc_expand_key(&key);
        state.bc_expand_key(salt);
    }
    let mut ctext: [u32; 6] = [0x4f72_7068, 0x6561_6e42, 0x6568_6f6c, 0x6465_7253, 0x6372_7944, 0x6f75_6274];
    for i in (0..6).step_by(2) {
        for _ in 0..64 {
            let [l, r] = state.bc_encrypt([ctext[i], ctext[i + 1]]);
            ctext[i] = l;
            ctext[i + 1] = r;
        }
    }
    let bytes: Vec<u8> = ctext.iter().flat_map(|w| w.to_be_bytes()).collect();
    format!("$2a${cost:02}${}{}", bcrypt_b64(salt), bcrypt_b64(&bytes[..23]))
}

/// sprig's `bcrypt`: cost 10, random salt; x/crypto refuses passwords over 72 bytes.
pub(crate) fn bcrypt(input: &str) -> String {
    if input.len() > 72 {
        return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes".into();
    }
    let mut salt = [0u8; 16];
    fill_random(&mut salt);
    bcrypt_with_salt(input.as_bytes(), DEFAULT_COST, &salt)
}

/// sprig 3.3's `htpasswd username password hashAlgorithm`.
pub(crate) fn htpasswd(username: &str, password: &str, algorithm: &str) -> String {
    if username.contains(':') {
        return format!("invalid username: {username}");
    }
    if algorithm == "sha" {
        return format!("{username}:{{SHA}}{}", b64_encode(&sha1::Sha1::digest(password.as_bytes())));
    }
    format!("{username}:{}", bcrypt(password))
}

const SEED: &[u8] = b"com.lyndir.masterpassword";

fn templates(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "maximum" => &["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        "long" => &[
            "CvcvnoCvcvCvcv",
            "CvcvCvcvnoCvcv",
            "CvcvCvcvCvcvno",
            "CvccnoCvcvCvcv",
            "CvccCvcvnoCvcv",
            "CvccCvcvCvcvno",
            "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv",
            "CvcvCvccCvcvno",
            "CvcvnoCvcvCvcc",
            "CvcvCvcvnoCvcc",
            "CvcvCvcvCvccno",
            "CvccnoCvccCvcv",
            "CvccCvccnoCvcv",
            "CvccCvccCvcvno",
            "CvcvnoCvccCvcc",
            "CvcvCvccnoCvcc",
            "CvcvCvccCvccno",
            "CvccnoCvcvCvcc",
            "CvccCvcvnoCvcc",
            "CvccCvcvCvccno",
        ],
        "medium" => &["CvcnoCvc", "CvcCvcno"],
        "short" => &["Cvcn"],
        "basic" => &["aaanaaan", "aannaaan", "aaannaaa"],
        "pin" => &["nnnn"],
        _ => return None,
    })
}

fn template_chars(c: u8) -> &'static [u8] {
    match c {
        b'V' => b"AEIOU",
        b'C' => b"BCDFGHJKLMNPQRSTVWXYZ",
        b'v' => b"aeiou",
        b'c' => b"bcdfghjklmnpqrstvwxyz",
        b'A' => b"AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        b'a' => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        b'n' => b"0123456789",
        b'o' => b"@&%?,=[]_:-+*$#!'^~;()/.",
        _ => b"AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    }
}

/// sprig's `derivePassword counter passwordType password user site` (Master Password v3: scrypt
/// N=32768 r=8 p=2 over the user name, HMAC-SHA256 over the site and counter, then a template).
pub(crate) fn derive_password(counter: u32, kind: &str, password: &str, user: &str, site: &str) -> String {
    let Some(templates) = templates(kind) else { return format!("cannot find password template {kind}") };
    let mut salt = SEED.to_vec();
    salt.extend_from_slice(&(user.len() as u32).to_be_bytes());
    salt.extend_from_slice(user.as_bytes());
    let mut key = [0u8; 64];
    let params = match scrypt::Params::new(15, 8, 2, 64) {
        Ok(p) => p,
        Err(e) => return format!("failed to derive password: {e}"),
    };
    if let Err(e) = scrypt::scrypt(password.as_bytes(), &salt, &params, &mut key) {
        return format!("failed to derive password: {e}");
    }
    let mut msg = SEED.to_vec();
    msg.extend_from_slice(&(site.len() as u32).to_be_bytes());
    msg.extend_from_slice(site.as_bytes());
    msg.extend_from_slice(&counter.to_be_bytes());
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return "failed to derive password: invalid HMAC key".into();
    };
    mac.update(&msg);
    let seed = mac.finalize().into_bytes();
    let template = templates[seed[0] as usize % templates.len()].as_bytes();
    template
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let chars = template_chars(c);
            chars[seed[i + 1] as usize % chars.len()] as char
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes bcrypt's base64 (for reading the salt of a Go hash).
    fn bcrypt_b64_decode(s: &str) -> Vec<u8> {
        let std: String =
            s.bytes().map(|c| STD_B64[BCRYPT_B64.iter().position(|&x| x == c).unwrap()] as char).collect();
        let padded = format!("{std}{}", "=".repeat((4 - std.len() % 4) % 4));
        super::super::super::encoding::b64_decode(&padded).unwrap()
    }

    /// Hashes produced by Go's x/crypto bcrypt (sprig's `bcrypt` and `htpasswd`), recomputed here
    /// from their salt: the same password must give the same hash, another password must not.
    #[test]
    fn bcrypt_matches_go_hashes() {
        for (password, go_hash) in [
            ("p", "$2a$10$XkyDzJmzEuJAhkFjuRY1JeYEPRHvyZPea3/TRT7qG/4dqqwqyezXC"),
            ("", "$2a$10$YOzb7x2x3VEJ7xQpqoqWWe9W5OhvpnDiEDryDtt0KvXlPVaF9Z.yW"),
            ("ünï", "$2a$10$.IG2MWNeW48qszrUIUGSu.Ai5q8CwStFvSMrw8L/JJU8AF/ZMscoS"),
            (
                "a 72-byte password..................................................ends",
                "$2a$10$Zhx2l1RI59QkXIjqTzKmEOkvplo/eNDY2Hq/nDcIU8yGfBQdPfzCS",
            ),
        ] {
            let salt: [u8; 16] = bcrypt_b64_decode(&go_hash[7..29])[..16].try_into().unwrap();
            assert_eq!(bcrypt_with_salt(password.as_bytes(), 10, &salt), go_hash, "password {password:?}");
            assert_ne!(bcrypt_with_salt(b"other", 10, &salt), go_hash);
        }
    }

    #[test]
    fn bcrypt_shape_and_limits() {
        let h = bcrypt("secret");
        assert_eq!(h.len(), 60);
        assert!(h.starts_with("$2a$10$"));
        assert_ne!(bcrypt("secret"), h, "salts are random");
        assert_eq!(
            bcrypt(&"x".repeat(73)),
            "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
        );
        assert_eq!(bcrypt(&"x".repeat(72)).len(), 60);
    }
}
