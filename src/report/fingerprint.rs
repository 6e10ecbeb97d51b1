//! Stable fingerprints of findings, so CI systems can tell a new finding from one that only moved.
//!
//! A fingerprint hashes what a finding *is* — its rule, file, object (kind, name, and for generated
//! Applications the ApplicationSet, Application and generator element) and message — but not its line or
//! column, so inserting lines above it does not make it "new". Two findings with the same identity in one run
//! (the same ambiguous `yes` twice in one document) are told apart by their occurrence number in the canonical
//! order. The hash is 128-bit FNV-1a over a fixed byte layout: it never depends on the Rust version, the
//! platform or the thread count.

use super::{Finding, relative_path};
use std::collections::BTreeMap;

const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
const FNV_PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

/// 128-bit FNV-1a of `bytes`.
fn fnv1a(bytes: &[u8]) -> u128 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| (h ^ u128::from(b)).wrapping_mul(FNV_PRIME))
}

/// The identity of a finding: every field joined with a 0x1f unit separator, absent fields empty.
fn identity(f: &Finding) -> Vec<u8> {
    let generated = f.generated.as_ref();
    // A finding folded over several generated Applications is the template node's: which Application comes
    // first, and how many there are, is not part of what it is.
    let folded = f.base_message.is_some();
    let fields: [&str; 8] = [
        &f.rule,
        &relative_path(&f.file),
        f.kind.as_deref().unwrap_or(""),
        if folded { "" } else { f.name.as_deref().unwrap_or("") },
        generated.map_or("", |g| g.appset.as_str()),
        if folded { "" } else { generated.map_or("", |g| g.application.as_str()) },
        if folded { "" } else { generated.map_or("", |g| g.element.as_str()) },
        f.stable_message(),
    ];
    fields.join("\u{1f}").into_bytes()
}

/// One fingerprint per finding, in the same order: 32 lowercase hex digits. The first occurrence of an
/// identity hashes the identity alone; the n-th repeat (n >= 1) hashes the identity followed by `0x1f` and n.
pub fn fingerprints(findings: &[Finding]) -> Vec<String> {
    let mut seen: BTreeMap<Vec<u8>, usize> = BTreeMap::new();
    findings
        .iter()
        .map(|f| {
            let mut id = identity(f);
            let n = seen.entry(id.clone()).or_insert(0);
            if *n > 0 {
                id.push(0x1f);
                id.extend_from_slice(n.to_string().as_bytes());
            }
            *n += 1;
            format!("{:032x}", fnv1a(&id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Severity, Span};

    fn finding(line: u32, message: &str) -> Finding {
        let span = Span { offset: 0, len: 1, line, column: 3 };
        Finding::new("yaml-ambiguous-value", Severity::Warning, "apps/a.yaml".into(), span, message)
    }

    #[test]
    fn fnv1a_matches_the_published_test_vectors() {
        // FNV-1a 128 of "" is the offset basis; of "a" the value from the FNV reference tables.
        assert_eq!(fnv1a(b""), FNV_OFFSET);
        assert_eq!(fnv1a(b"a"), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }

    #[test]
    fn ignores_the_line_but_not_the_message() {
        let a = fingerprints(&[finding(3, "`yes` is read as true")]);
        let moved = fingerprints(&[finding(40, "`yes` is read as true")]);
        let other = fingerprints(&[finding(3, "`no` is read as false")]);
        assert_eq!(a, moved);
        assert_ne!(a, other);
        assert_eq!(a[0].len(), 32);
    }

    #[test]
    fn repeated_identities_get_distinct_stable_fingerprints() {
        let fs = fingerprints(&[finding(3, "m"), finding(9, "m"), finding(12, "m")]);
        assert_ne!(fs[0], fs[1]);
        assert_ne!(fs[1], fs[2]);
        assert_eq!(fs[0], fingerprints(&[finding(1, "m")])[0]);
    }

    #[test]
    fn a_leading_dot_slash_does_not_change_the_fingerprint() {
        let mut f = finding(3, "m");
        let plain = fingerprints(std::slice::from_ref(&f));
        f.file = "./apps/a.yaml".into();
        assert_eq!(plain, fingerprints(&[f]));
    }
}
