//! sprig's default and flow functions: `default`, `empty`, `coalesce`, `all`, `any`, `ternary`, the
//! JSON helpers, `deepCopy` and `fail`.

use super::super::funcs::{Registry, Ty, add, addv};
use super::super::value::{Elem, GoMap, Value};
use super::empty;

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    addv(r, "default", &[Any], Any, |a| {
        let given = &a[1..];
        if given.is_empty() || empty(&given[0]) { Ok(a[0].clone()) } else { Ok(given[0].clone()) }
    });
    add(r, "empty", &[Any], |a| Ok(Value::Bool(empty(&a[0]))));
    addv(r, "coalesce", &[], Any, |a| Ok(a.iter().find(|v| !empty(v)).cloned().unwrap_or(Value::Nil)));
    addv(r, "all", &[], Any, |a| Ok(Value::Bool(a.iter().all(|v| !empty(v)))));
    addv(r, "any", &[], Any, |a| Ok(Value::Bool(a.iter().any(|v| !empty(v)))));
    add(r, "ternary", &[Any, Any, Bool], |a| {
        Ok(if matches!(a[2], Value::Bool(true)) { a[0].clone() } else { a[1].clone() })
    });
    add(r, "fromJson", &[Str], |a| Ok(from_json(a[0].as_str().unwrap_or_default()).unwrap_or(Value::Nil)));
    add(r, "mustFromJson", &[Str], |a| from_json(a[0].as_str().unwrap_or_default()));
    add(r, "toJson", &[Any], |a| Ok(Value::str(to_json(&a[0], false, true).unwrap_or_default())));
    add(r, "mustToJson", &[Any], |a| to_json(&a[0], false, true).map(Value::str));
    add(r, "toPrettyJson", &[Any], |a| Ok(Value::str(to_json(&a[0], true, true).unwrap_or_default())));
    add(r, "mustToPrettyJson", &[Any], |a| to_json(&a[0], true, true).map(Value::str));
    add(r, "toRawJson", &[Any], |a| to_json(&a[0], false, false).map(Value::str));
    add(r, "mustToRawJson", &[Any], |a| to_json(&a[0], false, false).map(Value::str));
    add(r, "deepCopy", &[Any], |a| Ok(deep_copy(&a[0])));
    add(r, "mustDeepCopy", &[Any], |a| Ok(deep_copy(&a[0])));
    add(r, "fail", &[Str], |a| Err(a[0].as_str().unwrap_or_default().to_string()));
}

/// A copy sharing nothing with the original (maps are mutable).
pub(crate) fn deep_copy(v: &Value) -> Value {
    match v {
        Value::List(l, e) => Value::List(std::sync::Arc::new(l.iter().map(deep_copy).collect()), *e),
        Value::Map(m, e) => {
            Value::Map(GoMap::new(m.read().iter().map(|(k, v)| (k.clone(), deep_copy(v))).collect()), *e)
        }
        v => v.clone(),
    }
}

/// `json.Unmarshal` into `interface{}`; the error text follows `encoding/json`.
pub(crate) fn from_json(s: &str) -> Result<Value, String> {
    match serde_json::from_str::<serde_json::Value>(s) {
        Ok(v) => Ok(Value::from_json(&v)),
        Err(e) => Err(json_error(s, &e)),
    }
}

fn json_error(s: &str, e: &serde_json::Error) -> String {
    if s.trim().is_empty() || e.is_eof() {
        return "unexpected end of JSON input".into();
    }
    // Locate the offending byte to phrase the error like encoding/json's SyntaxError.
    let line_start: usize = s.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum();
    let off = (line_start + e.column().saturating_sub(1)).min(s.len().saturating_sub(1));
    let c = s[off..].chars().next().unwrap_or(' ');
    if e.classify() == serde_json::error::Category::Syntax && e.to_string().starts_with("trailing characters") {
        return format!("invalid character {} after top-level value", quote_char(c));
    }
    format!("invalid character {} looking for beginning of value", quote_char(c))
}

fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => format!("'{c}'"),
    }
}

/// `json.Marshal` (HTML-escaping, keys sorted) or the raw encoder; pretty uses two-space indent.
pub(crate) fn to_json(v: &Value, pretty: bool, escape_html: bool) -> Result<String, String> {
    let mut out = String::new();
    write_json(&mut out, v, pretty, escape_html, 0)?;
    Ok(out)
}

fn write_json(out: &mut String, v: &Value, pretty: bool, esc: bool, depth: usize) -> Result<(), String> {
    if depth > 1000 {
        return Err("json: unsupported value: encountered a cycle".into());
    }
    let nl = |out: &mut String, d: usize| {
        if pretty {
            out.push('\n');
            for _ in 0..d {
                out.push_str("  ");
            }
        }
    };
    match v {
        Value::Invalid | Value::Nil => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) | Value::Int64(i) => out.push_str(&i.to_string()),
        Value::Uint(u) => out.push_str(&u.to_string()),
        Value::Float(f) => out.push_str(&json_float(*f)?),
        Value::Str(s) => json_string(out, s, esc),
        Value::List(l, _) => {
            if l.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, x) in l.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                write_json(out, x, pretty, esc, depth + 1)?;
            }
            nl(out, depth);
            out.push(']');
        }
        Value::Map(m, e) => {
            let m = m.snapshot();
            if m.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            let _ = e == &Elem::Any;
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, depth + 1);
                json_string(out, k, esc);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(out, x, pretty, esc, depth + 1)?;
            }
            nl(out, depth);
            out.push('}');
        }
        Value::Semver(s) => json_string(out, &s.to_string(), esc),
        Value::Time(t) => json_string(out, &t.rfc3339_nano(), esc),
    }
    Ok(())
}

/// encoding/json's float64 format: `%f`-like between 1e-6 and 1e21, otherwise exponent form.
pub(crate) fn json_float(f: f64) -> Result<String, String> {
    if f.is_nan() || f.is_infinite() {
        return Err(format!("json: unsupported value: {}", crate::gotmpl::format::float_v(f)));
    }
    let a = f.abs();
    if a != 0.0 && !(1e-6..1e21).contains(&a) {
        let s = crate::gotmpl::format::format_float(f, 'e', None);
        // Go trims "e-07" to "e-7".
        let (m, e) = s.split_once('e').unwrap_or((&s, "+00"));
        let (sign, digits) = e.split_at(1);
        let digits = digits.trim_start_matches('0');
        return Ok(format!("{m}e{sign}{}", if digits.is_empty() { "0" } else { digits }));
    }
    Ok(crate::gotmpl::format::format_float(f, 'f', None))
}

fn json_string(out: &mut String, s: &str, esc: bool) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' if esc => out.push_str(&format!("\\u{:04x}", c as u32)),
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}
