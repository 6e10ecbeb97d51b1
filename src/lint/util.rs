//! Small helpers shared by rules: suggestions, name checks, pointer building.

/// Edit distance between two strings (by characters) where inserting, deleting, substituting a
/// character or swapping two adjacent ones costs 1 (optimal string alignment), so `nmae` is one
/// edit from `name`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * width] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v =
                (d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1).min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

/// The candidate closest to `input`: a case-insensitive match first, else the smallest edit
/// distance within a third of the input's length (at least 1, at most 3).
pub fn suggest<'c>(input: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = input.to_lowercase();
    let len = lower.chars().count();
    let max = (input.chars().count() / 3).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let c_lower = c.to_lowercase();
        if c_lower == lower {
            return Some(c);
        }
        // The distance is at least the difference in length: most candidates end here.
        if c_lower.chars().count().abs_diff(len) > max {
            continue;
        }
        let d = edit_distance(&lower, &c_lower);
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether `map` has a key that is a near miss of `field` (`destinaton` for `destination`). A check that
/// would report `field` as missing stays quiet then: the unknown-field finding names the typo and the fix,
/// and reporting the same mistake twice, at the parent, only buries it.
/// Keys for which `is_known` holds are real fields, not misspellings; names under four characters are
/// too short to tell a typo from a different word.
pub fn has_misspelling_of(
    map: &serde_json::Map<String, serde_json::Value>,
    field: &str,
    is_known: impl Fn(&str) -> bool,
) -> bool {
    field.len() >= 4 && map.keys().any(|k| k != field && !is_known(k) && suggest(k, [field]).is_some())
}

/// `did you mean `x`?` or an empty string.
pub fn did_you_mean<'c>(input: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    suggest(input, candidates).map(|s| format!("did you mean `{s}`?"))
}

/// A DNS-1123 subdomain (what Kubernetes requires of most object names): at most 253 characters of
/// lowercase alphanumerics, `-` and `.`, starting and ending with an alphanumeric.
pub fn is_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// A DNS-1123 label (namespaces): at most 63 characters of lowercase alphanumerics and `-`.
pub fn is_dns1123_label(s: &str) -> bool {
    s.len() <= 63 && !s.contains('.') && is_dns1123_subdomain(s)
}

/// Escapes one JSON-pointer segment.
pub fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(suggest("selfheal", ["prune", "selfHeal"]), Some("selfHeal"));
        assert_eq!(suggest("targetRevison", ["targetRevision", "path"]), Some("targetRevision"));
        assert_eq!(suggest("zzz", ["prune"]), None);
        assert_eq!(suggest("nmae", ["name", "namespace"]), Some("name"));
        assert_eq!(suggest("prot", ["port", "path"]), Some("port"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        let m = serde_json::json!({"destinaton": {}, "project": "p"});
        let m = m.as_object().expect("object");
        assert!(has_misspelling_of(m, "destination", |_| false));
        assert!(!has_misspelling_of(m, "destination", |k| k == "destinaton"));
        assert!(!has_misspelling_of(m, "source", |_| false));
    }

    #[test]
    fn checks_dns_names() {
        assert!(is_dns1123_subdomain("guestbook.prod-1"));
        assert!(!is_dns1123_subdomain("Guestbook"));
        assert!(!is_dns1123_subdomain("a_b"));
        assert!(!is_dns1123_subdomain("-a"));
        assert!(is_dns1123_label("web"));
        assert!(!is_dns1123_label("a.b"));
    }
}
