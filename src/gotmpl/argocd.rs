//! Argo CD's extra template functions (`applicationset/utils/template_functions.go`): `normalize`,
//! `slugify` (gosimple/slug v1.15.0), and `toYaml` / `fromYaml` / `fromYamlArray` with
//! sigs.k8s.io/yaml conventions (YAML 1.1 scalars, JSON numbers, sorted keys).

use std::collections::BTreeMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use super::funcs::{Registry, Ty, add, addv};
use super::value::Value;

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "normalize", &[Str], |a| Ok(Value::str(normalize(a[0].as_str().unwrap_or_default()))));
    addv(r, "slugify", &[], Any, |a| slugify(a).map(Value::str));
    add(r, "toYaml", &[Any], |a| to_yaml(&a[0]).map(Value::str));
    add(r, "fromYaml", &[Str], |a| match from_yaml(a[0].as_str().unwrap_or_default())? {
        v @ Value::Map(..) => Ok(v),
        Value::Nil => Ok(Value::map(BTreeMap::new())),
        v => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
            json_kind(&v)
        )),
    });
    add(r, "fromYamlArray", &[Str], |a| match from_yaml(a[0].as_str().unwrap_or_default())? {
        v @ Value::List(..) => Ok(v),
        Value::Nil => Ok(Value::list(vec![])),
        v => Err(format!(
            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type []interface {{}}",
            json_kind(&v)
        )),
    });
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Map(..) => "object",
        Value::List(..) => "array",
        Value::Str(_) => "string",
        Value::Bool(_) => "bool",
        _ => "number",
    }
}

/// Argo CD's `SanitizeName`: lower-case, `[^-a-z0-9.]` → `-`, at most 253 bytes, `-`/`.` trimmed.
pub(crate) fn normalize(name: &str) -> String {
    let lower: String = name.chars().map(super::sprig::go_lower).collect();
    let mut out: String = lower
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' { c } else { '-' })
        .collect();
    if out.len() > 253 {
        out.truncate(253);
    }
    out.trim_matches(['-', '.']).to_string()
}

/// Argo CD's `SlugifyName`: `slugify [maxLength [smartTruncate]] name`.
fn slugify(args: &[Value]) -> Result<String, String> {
    let mut max: i64 = 50;
    let mut smart = true;
    let mut name = String::new();
    let n = args.len();
    for (i, a) in args.iter().enumerate() {
        if i + 1 == n {
            name = match a {
                Value::Str(s) => s.to_string(),
                v => return Err(conversion_error(v, "string")),
            };
        } else if i == 0 {
            max = match a {
                Value::Int(x) => *x,
                v => return Err(conversion_error(v, "int")),
            };
        } else if i == 1 {
            smart = match a {
                Value::Bool(b) => *b,
                v => return Err(conversion_error(v, "bool")),
            };
        }
    }
    slug_make(&normalize(&name), max, smart)
}

fn conversion_error(v: &Value, want: &str) -> String {
    if v.is_nil() {
        format!("interface conversion: interface {{}} is nil, not {want}")
    } else {
        format!("interface conversion: interface {{}} is {}, not {want}", v.type_name())
    }
}

/// gosimple/slug `Make` on an already normalized name (only `[-a-z0-9.]` remain, so the language
/// substitutions and transliteration are no-ops).
fn slug_make(s: &str, max: i64, smart: bool) -> Result<String, String> {
    let mut slug = s.trim().to_string();
    if !smart && slug.len() as i64 >= max {
        if max < 0 {
            return Err(format!("runtime error: slice bounds out of range [:{max}]"));
        }
        slug.truncate(max as usize);
    }
    let replaced: String =
        slug.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    let mut collapsed = String::with_capacity(replaced.len());
    for c in replaced.chars() {
        if c == '-' && collapsed.ends_with('-') {
            continue;
        }
        collapsed.push(c);
    }
    let mut slug = collapsed.trim_matches(['-', '_']).to_string();
    if max > 0 && smart && slug.len() as i64 > max {
        let b = slug.as_bytes();
        let cut = (0..=max as usize).rev().find(|&i| b[i] == b'-').unwrap_or(max as usize);
        slug.truncate(cut);
    }
    Ok(slug)
}

/// Parses one YAML document the way sigs.k8s.io/yaml does (go-yaml v2, then JSON): YAML 1.1
/// booleans, numbers as float64, keys as strings.
pub(crate) fn from_yaml(src: &str) -> Result<Value, String> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = vec![];
    let mut anchors: BTreeMap<usize, Value> = BTreeMap::new();
    let mut root: Option<Value> = None;
    let mut docs = 0;
    let mut nodes = 0usize;
    loop {
        let (ev, mark) = parser.next_token().map_err(|e| yaml_error(src, e.marker().line(), e.info()))?;
        let value = match ev {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                docs += 1;
                continue;
            }
            Event::DocumentEnd | Event::StreamStart | Event::Nothing => continue,
            Event::Alias(id) => anchors.get(&id).cloned().unwrap_or(Value::Nil),
            Event::Scalar(text, style, anchor, tag) => {
                let v = if style == TScalarStyle::Plain && tag.is_none() {
                    resolve_plain(&text)
                } else {
                    scalar_with_tag(text, tag.as_ref().map(|t| t.suffix.as_str()))
                };
                if anchor > 0 {
                    anchors.insert(anchor, v.clone());
                }
                v
            }
            Event::SequenceStart(anchor, _) => {
                stack.push(Frame::Seq(vec![], anchor));
                continue;
            }
            Event::MappingStart(anchor, _) => {
                stack.push(Frame::Map(BTreeMap::new(), None, anchor));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(items, anchor)) => {
                    let v = Value::list(items);
                    if anchor > 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    v
                }
                _ => return Err("error converting YAML to JSON: unbalanced sequence".into()),
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(m, _, anchor)) => {
                    let v = Value::map(m);
                    if anchor > 0 {
                        anchors.insert(anchor, v.clone());
                    }
                    v
                }
                _ => return Err("error converting YAML to JSON: unbalanced mapping".into()),
            },
        };
        let _ = mark;
        nodes += 1;
        if nodes > 1_000_000 {
            return Err("error converting YAML to JSON: document too large".into());
        }
        if docs > 1 {
            // sigs.k8s.io/yaml reads the first document only.
            continue;
        }
        match stack.last_mut() {
            None => root = Some(value),
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(m, key, _)) => match key.take() {
                None => *key = Some(yaml_key(&value)?),
                Some(k) => {
                    m.insert(k, value);
                }
            },
        }
    }
    Ok(root.unwrap_or(Value::Nil))
}

/// go-yaml v2's error text: `yaml: line N: problem` (libyaml's context phrase is not printed).
fn yaml_error(src: &str, line: usize, info: &str) -> String {
    let problem = info.rsplit_once(", ").map(|(_, p)| p).unwrap_or(info);
    let lines = src.lines().count().max(1);
    format!("error converting YAML to JSON: yaml: line {}: {problem}", line.clamp(1, lines))
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(BTreeMap<String, Value>, Option<String>, usize),
}

fn yaml_key(v: &Value) -> Result<String, String> {
    Ok(match v {
        Value::Str(s) => s.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Float(f) => super::format::float_v(*f),
        Value::Nil => "null".into(),
        _ => return Err("error converting YAML to JSON: yaml: invalid map key".into()),
    })
}

fn scalar_with_tag(text: String, tag: Option<&str>) -> Value {
    match tag {
        Some("int") | Some("float") => match text.parse::<f64>() {
            Ok(f) => Value::Float(f),
            Err(_) => Value::str(text),
        },
        Some("bool") => Value::Bool(matches!(
            text.as_str(),
            "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y"
        )),
        Some("null") => Value::Nil,
        _ => Value::str(text),
    }
}

/// go-yaml v2's resolution of a plain scalar, with numbers as JSON float64.
fn resolve_plain(s: &str) -> Value {
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Nil,
        "true" | "True" | "TRUE" | "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Value::Bool(true),
        "false" | "False" | "FALSE" | "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    let first = s.as_bytes()[0];
    if !(first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.')) {
        return Value::str(s);
    }
    let cleaned: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = super::sprig::parse_int_base0(&cleaned) {
        return Value::Float(i as f64);
    }
    if is_yaml_float(&cleaned)
        && let Ok(f) = cleaned.parse::<f64>()
    {
        return Value::Float(f);
    }
    Value::str(s)
}

fn is_yaml_float(s: &str) -> bool {
    let body = s.trim_start_matches(['-', '+']);
    let (mant, exp) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (ip, fp) = mant.split_once('.').map(|(a, b)| (a, Some(b))).unwrap_or((mant, None));
    let ok_mant = match fp {
        None => !ip.is_empty() && ip.bytes().all(|b| b.is_ascii_digit()),
        Some(f) => {
            (ip.bytes().all(|b| b.is_ascii_digit()) && f.bytes().all(|b| b.is_ascii_digit()))
                && !(ip.is_empty() && f.is_empty())
                && (!ip.is_empty() || !f.is_empty())
        }
    };
    let ok_exp = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    ok_mant && ok_exp && s.len() - body.len() <= 1
}

/// sigs.k8s.io/yaml `Marshal` (JSON first, then go-yaml v2 block style), final newline trimmed.
pub(crate) fn to_yaml(v: &Value) -> Result<String, String> {
    // Round-trip through JSON like sigs.k8s.io/yaml: integral floats become ints.
    let json = super::sprig::defaults::to_json(v, false, true)?;
    let jv: serde_json::Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    let mut out = String::new();
    emit(&mut out, &jv, 0, Ctx::Top);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out.strip_suffix('\n').unwrap_or(&out).to_string())
}

#[derive(Clone, Copy, PartialEq)]
enum Ctx {
    Top,
    MapValue,
    SeqItem,
}

fn emit(out: &mut String, v: &serde_json::Value, indent: usize, ctx: Ctx) {
    use serde_json::Value as J;
    let pad = " ".repeat(indent);
    match v {
        J::Object(m) if !m.is_empty() => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            if ctx == Ctx::MapValue {
                out.push('\n');
            }
            for (i, k) in keys.iter().enumerate() {
                if !(i == 0 && ctx == Ctx::SeqItem) {
                    out.push_str(&pad);
                }
                out.push_str(&scalar_str(k, None));
                out.push(':');
                let child = &m[k.as_str()];
                match child {
                    J::Object(c) if !c.is_empty() => emit(out, child, indent + 2, Ctx::MapValue),
                    J::Array(c) if !c.is_empty() => emit(out, child, indent, Ctx::MapValue),
                    _ => {
                        out.push(' ');
                        emit(out, child, indent + 2, Ctx::MapValue);
                    }
                }
            }
        }
        J::Array(a) if !a.is_empty() => {
            if ctx == Ctx::MapValue {
                out.push('\n');
            }
            for (i, item) in a.iter().enumerate() {
                if !(i == 0 && ctx == Ctx::SeqItem) {
                    out.push_str(&pad);
                }
                out.push_str("- ");
                match item {
                    J::Object(c) if !c.is_empty() => emit(out, item, indent + 2, Ctx::SeqItem),
                    J::Array(c) if !c.is_empty() => emit(out, item, indent + 2, Ctx::SeqItem),
                    _ => emit(out, item, indent + 2, Ctx::SeqItem),
                }
            }
        }
        J::Object(_) => {
            out.push_str("{}\n");
        }
        J::Array(_) => {
            out.push_str("[]\n");
        }
        J::Null => out.push_str("null\n"),
        J::Bool(b) => {
            out.push_str(if *b { "true" } else { "false" });
            out.push('\n');
        }
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                out.push_str(&super::format::float_v(f));
            }
            out.push('\n');
        }
        J::String(s) => {
            if s.contains('\n') {
                literal(out, s, indent);
            } else {
                let col = out.len() - out.rfind('\n').map_or(0, |i| i + 1);
                let col = out[out.len() - col..].chars().count();
                out.push_str(&scalar_str(s, Some((col, indent))));
                out.push('\n');
            }
        }
    }
}

/// A literal block scalar (`|`, `|-`, `|+`) as go-yaml v2 writes multi-line strings.
fn literal(out: &mut String, s: &str, indent: usize) {
    let chomp = if !s.ends_with('\n') {
        "-"
    } else if s.ends_with("\n\n") {
        "+"
    } else {
        ""
    };
    let lead = if s.starts_with(' ') { "2" } else { "" };
    out.push('|');
    out.push_str(lead);
    out.push_str(chomp);
    out.push('\n');
    let pad = " ".repeat(indent.max(2));
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// Renders a one-line string scalar: plain when go-yaml would, otherwise quoted. Values (not keys)
/// carry their starting column and continuation indent: go-yaml folds them at spaces past column 80.
fn scalar_str(s: &str, fold: Option<(usize, usize)>) -> String {
    let (text, style) = if needs_double_quotes(s) {
        (double_quoted(s), Style::Double)
    } else if plain_allowed(s) {
        (s.to_string(), Style::Plain)
    } else {
        (format!("'{}'", s.replace('\'', "''")), Style::Single)
    };
    match fold {
        Some((col, indent)) => fold_scalar(&text, style, col, indent),
        None => text,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// libyaml's line breaking inside flow scalars (`best_width` 80): at a space, when the column is past
/// 80 and the previous character was not a space, the space becomes a newline plus indentation.
fn fold_scalar(text: &str, style: Style, start_col: usize, indent: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    // The quotes are part of `text`; the breakable body excludes them.
    let (open, body, close) = match style {
        Style::Plain => (0, &chars[..], 0),
        _ => (1, &chars[1..chars.len() - 1], 1),
    };
    let mut out = String::with_capacity(text.len() + 8);
    let mut col = start_col;
    if open == 1 {
        out.push(chars[0]);
        col += 1;
    }
    let mut spaces = false;
    let n = body.len();
    let mut i = 0;
    while i < n {
        let c = body[i];
        if c == ' ' {
            let next_space = body.get(i + 1) == Some(&' ');
            let breakable = match style {
                Style::Plain => !next_space,
                Style::Single => i > 0 && i < n - 1 && !next_space,
                Style::Double => i != 0 && i != n - 1,
            };
            if !spaces && col > 80 && breakable {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', indent));
                col = indent;
                if style == Style::Double && next_space {
                    out.push('\\');
                    col += 1;
                }
            } else {
                out.push(c);
                col += 1;
            }
            spaces = true;
        } else {
            out.push(c);
            col += 1;
            spaces = false;
        }
        i += 1;
    }
    if close == 1 {
        out.push(chars[chars.len() - 1]);
    }
    out
}

/// Strings that would read back as another type are double-quoted by go-yaml v2.
fn needs_double_quotes(s: &str) -> bool {
    if s.is_empty() {
        return true;
    }
    if !matches!(resolve_plain(s), Value::Str(_)) {
        return true;
    }
    // Base-60 floats (`1:20`) are quoted for YAML 1.1 readers.
    let b60 = s.trim_start_matches(['-', '+']);
    if b60.contains(':')
        && b60.split(':').all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit() || c == b'_' || c == b'.'))
    {
        return true;
    }
    s.chars().any(|c| (c.is_control() && c != '\t') || c == '\u{FEFF}')
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// libyaml's plain-scalar analysis for block context.
fn plain_allowed(s: &str) -> bool {
    if s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.starts_with([' ', '\t']) || s.ends_with([' ', '\t']) {
        return false;
    }
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_ws = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let prev_ws = i > 0 && chars[i - 1].is_whitespace();
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`' => {
                    return false;
                }
                '?' | ':' | '-' if next_ws => return false,
                _ => {}
            }
        } else {
            match c {
                ':' if next_ws => return false,
                '#' if prev_ws => return false,
                _ => {}
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_and_slugifies_like_argo_cd() {
        assert_eq!(normalize("Hello_World.Example--"), "hello-world.example");
        assert_eq!(slug_make(&normalize("Hello World"), 50, true).unwrap(), "hello-world");
        assert_eq!(slug_make("abc-defgh-ijk", 8, true).unwrap(), "abc");
        assert_eq!(slug_make("abcdefghijk", 5, true).unwrap(), "abcde");
        assert_eq!(slug_make("abc-.-def", 5, false).unwrap(), "abc");
    }

    #[test]
    fn round_trips_yaml() {
        let v = from_yaml("a: yes\nb: [1, two]\nc:\n  d: 1.5\n").unwrap();
        assert_eq!(to_yaml(&v).unwrap(), "a: true\nb:\n- 1\n- two\nc:\n  d: 1.5");
    }
}
