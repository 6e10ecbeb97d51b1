//! The sprig function map (Masterminds/sprig v3, `GenericFuncMap` minus `env`, `expandenv` and
//! `getHostByName`), grouped by category. Helpers shared by the categories live here: sprig's
//! `strval`, spf13/cast's conversions, `empty` and `reflect.DeepEqual`.

pub(crate) mod conversion;
pub(crate) mod crypto;
pub(crate) mod date;
pub(crate) mod defaults;
pub(crate) mod dicts;
pub(crate) mod encoding;
pub(crate) mod lists;
pub(crate) mod math;
pub(crate) mod methods;
pub(crate) mod paths;
pub(crate) mod regex;
pub(crate) mod semver;
pub(crate) mod strings;
pub(crate) mod urls;

use super::format;
use super::funcs::Registry;
use super::value::Value;

/// A string argument (functions declare their parameter types, so this only sees strings).
fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// An integer argument: `int` parameters, or the `int64` sprig's arithmetic returns.
fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

pub(crate) fn register(r: &mut Registry) {
    strings::register(r);
    conversion::register(r);
    defaults::register(r);
    lists::register(r);
    dicts::register(r);
    math::register(r);
    regex::register(r);
    encoding::register(r);
    paths::register(r);
    urls::register(r);
    semver::register(r);
    date::register(r);
    crypto::register(r);
}

/// The message of a Go nil-pointer panic, which sprig functions raise on nil lists.
pub(crate) const NIL_DEREF: &str = "runtime error: invalid memory address or nil pointer dereference";

/// sprig's `strval`: strings as is, Stringers through `String()`, the rest through `%v`.
pub(crate) fn strval(v: &Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        Value::Semver(s) => s.to_string(),
        Value::Time(t) => t.go_string(),
        v => format::to_string(v),
    }
}

/// `cast.ToInt64`: numbers truncate, strings parse (base prefixes, `1.0`), bools are 0/1, else 0.
pub(crate) fn to_int64(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        Value::Uint(u) => *u as i64,
        Value::Float(f) => go_f64_to_i64(*f),
        Value::Bool(b) => i64::from(*b),
        Value::Str(s) => parse_int_base0(trim_zero_decimal(s)).unwrap_or(0),
        _ => 0,
    }
}

/// Go's float64 → int64 conversion on amd64 (out of range and NaN give the minimum int64).
pub(crate) fn go_f64_to_i64(f: f64) -> i64 {
    if f.is_nan() || !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) { i64::MIN } else { f as i64 }
}

/// `cast.ToFloat64`.
pub(crate) fn to_float64(v: &Value) -> f64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i as f64,
        Value::Uint(u) => *u as f64,
        Value::Float(f) => *f,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Str(s) => super::parser::parse_go_float(s).unwrap_or(0.0),
        _ => 0.0,
    }
}

fn trim_zero_decimal(s: &str) -> &str {
    let b = s.as_bytes();
    let mut found_zero = false;
    for i in (1..=b.len()).rev() {
        match b[i - 1] {
            b'.' => {
                if found_zero {
                    return &s[..i - 1];
                }
            }
            b'0' => found_zero = true,
            _ => return s,
        }
    }
    s
}

/// `strconv.ParseInt(s, 0, 64)`.
pub(crate) fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (radix, digits) = if let Some(r) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, r)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let digits = digits.replace('_', "");
    let u = u64::from_str_radix(&digits, radix).ok()?;
    if neg {
        if u <= i64::MAX as u64 + 1 { Some((u as i128).wrapping_neg() as i64) } else { None }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

/// sprig's `empty`: nil, zero numbers, false, and empty strings/lists/maps.
pub(crate) fn empty(v: &Value) -> bool {
    match v {
        Value::Invalid | Value::Nil => true,
        Value::Bool(b) => !b,
        Value::Int(i) | Value::Int64(i) => *i == 0,
        Value::Uint(u) => *u == 0,
        Value::Float(f) => *f == 0.0,
        Value::Str(s) => s.is_empty(),
        Value::List(l, _) => l.is_empty(),
        Value::Map(m, _) => m.is_empty(),
        Value::Semver(_) => false,
        Value::Time(_) => false,
    }
}

/// `reflect.DeepEqual` on template values (types must match exactly).
pub(crate) fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Invalid | Value::Nil, Value::Invalid | Value::Nil) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) | (Value::Int64(x), Value::Int64(y)) => x == y,
        (Value::Uint(x), Value::Uint(y)) => x == y,
        (Value::Float(x), Value::Float(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::List(x, ex), Value::List(y, ey)) => {
            ex == ey && x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        (Value::Map(x, ex), Value::Map(y, ey)) => {
            if ex != ey {
                return false;
            }
            if x.same(y) {
                return true;
            }
            let (x, y) = (x.snapshot(), y.snapshot());
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| deep_equal(v, w)))
        }
        (Value::Semver(x), Value::Semver(y)) => x == y,
        (Value::Time(x), Value::Time(y)) => x == y,
        _ => false,
    }
}

/// The elements of a slice, or sprig's error when the value is not one.
pub(crate) fn list_items(v: &Value, what: impl FnOnce(&str) -> String) -> Result<Vec<Value>, String> {
    match v {
        Value::List(l, _) => Ok(l.as_ref().clone()),
        Value::Nil | Value::Invalid => Err(NIL_DEREF.into()),
        v => Err(what(v.kind_name())),
    }
}

/// Go's `unicode.ToUpper` for one rune (no multi-character expansions).
pub(crate) fn go_upper(c: char) -> char {
    let mut u = c.to_uppercase();
    match (u.next(), u.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// Go's `unicode.ToLower` for one rune.
pub(crate) fn go_lower(c: char) -> char {
    let mut u = c.to_lowercase();
    match (u.next(), u.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// Go's `unicode.ToTitle` for one rune (title case differs from upper case for a few digraphs).
pub(crate) fn go_title(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        c => go_upper(c),
    }
}

/// Go's `unicode.IsPunct` (exact for ASCII and Latin-1, the general punctuation blocks beyond).
pub(crate) fn is_punct(c: char) -> bool {
    matches!(
        c as u32,
        0x21..=0x23 | 0x25..=0x2A | 0x2C..=0x2F | 0x3A | 0x3B | 0x3F | 0x40 | 0x5B..=0x5D | 0x5F | 0x7B | 0x7D
            | 0xA1 | 0xA7 | 0xAB | 0xB6 | 0xB7 | 0xBB | 0xBF
            | 0x2010..=0x2027 | 0x2030..=0x2043 | 0x2045..=0x2051 | 0x2053..=0x205E
            | 0x3001..=0x3003 | 0x3008..=0x3011 | 0x3014..=0x301F | 0xFF01..=0xFF03 | 0xFF05..=0xFF0A
            | 0xFF0C..=0xFF0F | 0xFF1A | 0xFF1B | 0xFF1F | 0xFF20 | 0xFF3B..=0xFF3D | 0xFF3F | 0xFF5B | 0xFF5D
    )
}

/// Deepest nesting of maps and lists a function may build. Deeper values (or cycles made with `set`)
/// would exhaust the stack when printed, compared or dropped; Go itself crashes on a cycle.
pub(crate) const MAX_VALUE_DEPTH: usize = 100;

/// Fails when storing `args` inside a new container would nest values deeper than
/// [`MAX_VALUE_DEPTH`].
pub(crate) fn check_nesting(args: &[Value]) -> Result<(), String> {
    fn depth(v: &Value, left: usize) -> bool {
        if left == 0 {
            return false;
        }
        match v {
            Value::List(l, _) => l.iter().all(|x| depth(x, left - 1)),
            Value::Map(m, _) => m.read().values().all(|x| depth(x, left - 1)),
            _ => true,
        }
    }
    if args.iter().all(|a| depth(a, MAX_VALUE_DEPTH)) {
        Ok(())
    } else {
        Err(format!("value nesting exceeds {MAX_VALUE_DEPTH} levels (or contains a cycle)"))
    }
}
