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

fn json_error(s: &str, _e: &serde_json::Error) -> String {
    let mut c = JsonCheck { b: s.as_bytes(), i: 0, depth: 0 };
    match c.document() {
        Err(e) => e,
        Ok(()) => "invalid JSON".into(),
    }
}

/// encoding/json's `checkValid`, reporting the scanner's first error in Go's words.
struct JsonCheck<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

const JSON_EOF: &str = "unexpected end of JSON input";

impl JsonCheck<'_> {
    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }
    fn peek(&self) -> Result<u8, String> {
        self.b.get(self.i).copied().ok_or_else(|| JSON_EOF.to_string())
    }
    /// At the end of input Go's scanner is fed a space, so numbers and literals fail on `' '`.
    fn peek_sp(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(b' ')
    }
    fn bad(&self, context: &str) -> String {
        let rest = self.b.get(self.i..).unwrap_or_default();
        let c = match std::str::from_utf8(rest) {
            Ok(s) => s.chars().next().unwrap_or(' '),
            Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()])
                .ok()
                .and_then(|s| s.chars().next())
                .unwrap_or_else(|| rest.first().map(|&b| b as char).unwrap_or(' ')),
        };
        format!("invalid character {} {context}", quote_char(c))
    }
    fn document(&mut self) -> Result<(), String> {
        self.ws();
        self.value()?;
        self.ws();
        if self.i < self.b.len() {
            return Err(self.bad("after top-level value"));
        }
        Ok(())
    }
    fn value(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > 10000 {
            return Err("exceeded max depth".into());
        }
        let r = match self.peek()? {
            b'{' => self.object(),
            b'[' => self.array(),
            b'"' => self.string(),
            b'-' | b'0'..=b'9' => self.number(),
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            _ => Err(self.bad("looking for beginning of value")),
        };
        self.depth -= 1;
        r
    }
    fn object(&mut self) -> Result<(), String> {
        self.i += 1;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            if self.peek()? != b'"' {
                return Err(self.bad("looking for beginning of object key string"));
            }
            self.string()?;
            self.ws();
            if self.peek()? != b':' {
                return Err(self.bad("after object key"));
            }
            self.i += 1;
            self.ws();
            self.value()?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.bad("after object key:value pair")),
            }
        }
    }
    fn array(&mut self) -> Result<(), String> {
        self.i += 1;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.value()?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    self.ws();
                }
                b']' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.bad("after array element")),
            }
        }
    }
    fn string(&mut self) -> Result<(), String> {
        self.i += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.i += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.i += 1;
                    match self.peek()? {
                        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                        b'u' => {
                            self.i += 1;
                            for _ in 0..4 {
                                if !self.peek()?.is_ascii_hexdigit() {
                                    return Err(self.bad("in \\u hexadecimal character escape"));
                                }
                                self.i += 1;
                            }
                        }
                        _ => return Err(self.bad("in string escape code")),
                    }
                }
                c if c < 0x20 => return Err(self.bad("in string literal")),
                _ => self.i += 1,
            }
        }
    }
    fn digits(&mut self) {
        while self.i < self.b.len() && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
    }
    fn number(&mut self) -> Result<(), String> {
        if self.peek_sp() == b'-' {
            self.i += 1;
            if !self.peek_sp().is_ascii_digit() {
                return Err(self.bad("in numeric literal"));
            }
        }
        if self.peek_sp() == b'0' {
            self.i += 1;
        } else {
            self.digits();
        }
        if self.i < self.b.len() && self.b[self.i] == b'.' {
            self.i += 1;
            if !self.peek_sp().is_ascii_digit() {
                return Err(self.bad("after decimal point in numeric literal"));
            }
            self.digits();
        }
        if self.i < self.b.len() && matches!(self.b[self.i], b'e' | b'E') {
            self.i += 1;
            if matches!(self.peek_sp(), b'+' | b'-') {
                self.i += 1;
            }
            if !self.peek_sp().is_ascii_digit() {
                return Err(self.bad("in exponent of numeric literal"));
            }
            self.digits();
        }
        Ok(())
    }
    fn literal(&mut self, word: &str) -> Result<(), String> {
        for (k, &want) in word.as_bytes().iter().enumerate() {
            let c = self.peek_sp();
            if c != want {
                return Err(self.bad(&format!("in literal {word} (expecting {})", quote_char(want as char))));
            }
            let _ = k;
            self.i += 1;
        }
        Ok(())
    }
}

fn quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => {
            let q = crate::gotmpl::lexer::go_quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
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
