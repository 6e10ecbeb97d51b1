//! How Kubernetes (sigs.k8s.io/yaml over go-yaml v2, i.e. YAML 1.1) reads an untagged plain scalar,
//! and which plain scalars a YAML 1.2 reader would read differently.

use serde_json::{Number, Value};

/// What a plain scalar resolves to, plus whether YAML 1.1 and 1.2 disagree about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The value as Kubernetes and Argo CD see it.
    pub value: Value,
    /// `true` when a YAML 1.2 reader (or a human) would read a different value: `yes`, `off`, `0755`...
    pub ambiguous: bool,
}

const TRUE_WORDS: &[&str] = &["true", "True", "TRUE"];
const FALSE_WORDS: &[&str] = &["false", "False", "FALSE"];
const YAML11_TRUE: &[&str] = &["y", "Y", "yes", "Yes", "YES", "on", "On", "ON"];
const YAML11_FALSE: &[&str] = &["n", "N", "no", "No", "NO", "off", "Off", "OFF"];

/// Resolves a plain (unquoted, untagged) scalar the way go-yaml v2 does.
pub fn resolve_plain(s: &str) -> Resolved {
    let plain = |value| Resolved { value, ambiguous: false };
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return plain(Value::Null),
        _ => {}
    }
    if TRUE_WORDS.contains(&s) {
        return plain(Value::Bool(true));
    }
    if FALSE_WORDS.contains(&s) {
        return plain(Value::Bool(false));
    }
    if YAML11_TRUE.contains(&s) {
        return Resolved { value: Value::Bool(true), ambiguous: true };
    }
    if YAML11_FALSE.contains(&s) {
        return Resolved { value: Value::Bool(false), ambiguous: true };
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return plain(Value::String(s.to_owned()));
    }
    resolve_number(s).unwrap_or_else(|| plain(Value::String(s.to_owned())))
}

fn resolve_number(s: &str) -> Option<Resolved> {
    let had_underscore = s.contains('_');
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    if let Some((v, ambiguous_base)) = parse_go_int(&cleaned) {
        return Some(Resolved { value: Value::Number(v), ambiguous: had_underscore || ambiguous_base });
    }
    if is_yaml_float(&cleaned) {
        let f: f64 = cleaned.parse().ok()?;
        let n = Number::from_f64(f)?;
        // `08` is not an octal int; go-yaml falls through to float 8, YAML 1.2 reads int 8.
        let ambiguous = had_underscore || has_leading_zero(&cleaned);
        return Some(Resolved { value: Value::Number(n), ambiguous });
    }
    None
}

fn has_leading_zero(s: &str) -> bool {
    let digits = s.trim_start_matches(['-', '+']);
    digits.len() > 1 && digits.starts_with('0') && digits.as_bytes()[1].is_ascii_digit()
}

/// `strconv.ParseInt(s, 0, 64)` (then ParseUint): returns the number and whether its base
/// reading differs from YAML 1.2's core schema (leading-zero octal, `0b`).
fn parse_go_int(s: &str) -> Option<(Number, bool)> {
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let lower = body.get(..2).map(|p| p.to_ascii_lowercase());
    let (radix, digits, ambiguous) = match lower.as_deref() {
        Some("0x") => (16, &body[2..], false),
        Some("0o") => (8, &body[2..], false),
        Some("0b") => (2, &body[2..], true),
        _ if body.len() > 1 && body.starts_with('0') => (8, &body[1..], true),
        _ => (10, body, false),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        let v = i64::try_from(magnitude)
            .ok()
            .map(|m| -m)
            .or_else(|| (magnitude == i64::MIN.unsigned_abs()).then_some(i64::MIN))?;
        Some((Number::from(v), ambiguous))
    } else if let Ok(v) = i64::try_from(magnitude) {
        Some((Number::from(v), ambiguous))
    } else {
        Some((Number::from(magnitude), ambiguous))
    }
}

/// go-yaml v2's `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn r(s: &str) -> (Value, bool) {
        let x = resolve_plain(s);
        (x.value, x.ambiguous)
    }

    #[test]
    fn resolves_like_go_yaml_v2() {
        assert_eq!(r("true"), (json!(true), false));
        assert_eq!(r("yes"), (json!(true), true));
        assert_eq!(r("Off"), (json!(false), true));
        assert_eq!(r("n"), (json!(false), true));
        assert_eq!(r("~"), (Value::Null, false));
        assert_eq!(r("42"), (json!(42), false));
        assert_eq!(r("-7"), (json!(-7), false));
        assert_eq!(r("0755"), (json!(493), true));
        assert_eq!(r("0x1F"), (json!(31), false));
        assert_eq!(r("0b101"), (json!(5), true));
        assert_eq!(r("1_000"), (json!(1000), true));
        assert_eq!(r("08"), (json!(8.0), true));
        assert_eq!(r("1.5"), (json!(1.5), false));
        assert_eq!(r("1e3"), (json!(1000.0), false));
        assert_eq!(r(".5"), (json!(0.5), false));
        assert_eq!(r("1.2.3"), (json!("1.2.3"), false));
        assert_eq!(r("v1"), (json!("v1"), false));
        assert_eq!(r("-"), (json!("-"), false));
        assert_eq!(r("0"), (json!(0), false));
        assert_eq!(r("18446744073709551615"), (json!(18446744073709551615u64), false));
        assert_eq!(r("99999999999999999999"), (json!(1e20), false));
    }
}
