//! text/template's predefined functions (`funcs.go`): comparison, `index`, `slice`, `len`, the
//! `print` family, the escapers and `call`. `and`/`or` short-circuit and live in the executor.

use super::format;
use super::funcs::{Registry, Ty, add, addv};
use super::value::Value;

pub(crate) fn register(r: &mut Registry) {
    add(r, "not", &[Ty::Reflect], |a| Ok(Value::Bool(!a[0].truth())));
    addv(r, "eq", &[Ty::Reflect], Ty::Reflect, |a| eq(&a[0], &a[1..]).map(Value::Bool));
    add(r, "ne", &[Ty::Reflect, Ty::Reflect], |a| eq(&a[0], &a[1..2]).map(|b| Value::Bool(!b)));
    add(r, "lt", &[Ty::Reflect, Ty::Reflect], |a| lt(&a[0], &a[1]).map(Value::Bool));
    add(r, "le", &[Ty::Reflect, Ty::Reflect], |a| le(&a[0], &a[1]).map(Value::Bool));
    add(r, "gt", &[Ty::Reflect, Ty::Reflect], |a| le(&a[0], &a[1]).map(|b| Value::Bool(!b)));
    add(r, "ge", &[Ty::Reflect, Ty::Reflect], |a| lt(&a[0], &a[1]).map(|b| Value::Bool(!b)));
    addv(r, "index", &[Ty::Reflect], Ty::Reflect, |a| index(&a[0], &a[1..]));
    addv(r, "slice", &[Ty::Reflect], Ty::Reflect, |a| slice(&a[0], &a[1..]));
    add(r, "len", &[Ty::Reflect], |a| length(&a[0]).map(|n| Value::Int(n as i64)));
    addv(r, "print", &[], Ty::Any, |a| Ok(Value::str(format::sprint(a))));
    addv(r, "println", &[], Ty::Any, |a| Ok(Value::str(format::sprintln(a))));
    addv(r, "printf", &[Ty::Str], Ty::Any, |a| {
        let s = format::sprintf(a[0].as_str().unwrap_or_default(), &a[1..]);
        super::funcs::check_size(s.len())?;
        Ok(Value::str(s))
    });
    addv(r, "html", &[], Ty::Any, |a| Ok(Value::str(html_escape(&eval_args(a)))));
    addv(r, "js", &[], Ty::Any, |a| Ok(Value::str(js_escape(&eval_args(a)))));
    addv(r, "urlquery", &[], Ty::Any, |a| Ok(Value::str(super::sprig::urls::query_escape(&eval_args(a)))));
    addv(r, "call", &[Ty::Reflect], Ty::Reflect, |a| match &a[0] {
        Value::Invalid | Value::Nil => Err("call of nil".into()),
        v => Err(format!("non-function of type {}", v.type_name())),
    });
}

/// Go's `evalArgs`: a lone string is used as is, anything else goes through `fmt.Sprint` with
/// nil printed as `<no value>`.
fn eval_args(args: &[Value]) -> String {
    if let [Value::Str(s)] = args {
        return s.to_string();
    }
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let (s, is_string) = match a {
            Value::Nil | Value::Invalid => ("<no value>".to_string(), true),
            Value::Str(s) => (s.to_string(), true),
            v => (format::to_string(v), false),
        };
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        out.push_str(&s);
        prev_string = is_string;
    }
    out
}

/// `template.HTMLEscapeString`.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\0' => out.push('\u{FFFD}'),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// `template.JSEscapeString`.
pub(crate) fn js_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '"' => out.push_str("\\\""),
            '<' => out.push_str("\\u003C"),
            '>' => out.push_str("\\u003E"),
            '&' => out.push_str("\\u0026"),
            '=' => out.push_str("\\u003D"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u00{:02X}", c as u32)),
            c if (c as u32) < 0x80 => out.push(c),
            c if super::lexer::is_go_printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", c as u32)),
        }
    }
    out
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Invalid,
    Bool,
    Int,
    Uint,
    Float,
    Str,
}

const BAD_TYPE: &str = "invalid type for comparison";
const BAD_CMP: &str = "incompatible types for comparison";

fn basic_kind(v: &Value) -> Kind {
    match v {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) | Value::Int64(_) => Kind::Int,
        Value::Uint(_) => Kind::Uint,
        Value::Float(_) => Kind::Float,
        Value::Str(_) => Kind::Str,
        _ => Kind::Invalid,
    }
}

fn int_of(v: &Value) -> i64 {
    match v {
        Value::Int(i) | Value::Int64(i) => *i,
        _ => 0,
    }
}

fn uint_of(v: &Value) -> u64 {
    match v {
        Value::Uint(u) => *u,
        _ => 0,
    }
}

fn float_of(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        _ => 0.0,
    }
}

fn indirect_interface(v: &Value) -> &Value {
    match v {
        Value::Nil => &Value::Invalid,
        v => v,
    }
}

/// `eq arg1 arg2...`: true if arg1 equals any of the others, with Go's type rules.
pub(crate) fn eq(a1: &Value, rest: &[Value]) -> Result<bool, String> {
    let a1 = indirect_interface(a1);
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    let k1 = basic_kind(a1);
    for a in rest {
        let a = indirect_interface(a);
        let k2 = basic_kind(a);
        let truth = if k1 != k2 {
            match (k1, k2) {
                (Kind::Int, Kind::Uint) => int_of(a1) >= 0 && int_of(a1) as u64 == uint_of(a),
                (Kind::Uint, Kind::Int) => int_of(a) >= 0 && uint_of(a1) == int_of(a) as u64,
                _ => {
                    if !matches!(a1, Value::Invalid) && !matches!(a, Value::Invalid) {
                        return Err(BAD_CMP.into());
                    }
                    false
                }
            }
        } else {
            match k1 {
                Kind::Bool => matches!((a1, a), (Value::Bool(x), Value::Bool(y)) if x == y),
                Kind::Float => float_of(a1) == float_of(a),
                Kind::Int => int_of(a1) == int_of(a),
                Kind::Uint => uint_of(a1) == uint_of(a),
                Kind::Str => a1.as_str() == a.as_str(),
                Kind::Invalid => {
                    let (n1, n2) = (matches!(a1, Value::Invalid), matches!(a, Value::Invalid));
                    if n1 || n2 {
                        n1 == n2
                    } else {
                        let same_kind = std::mem::discriminant(a1) == std::mem::discriminant(a);
                        if !same_kind {
                            return Err(format!(
                                "non-comparable types {}: {}, {}: {}",
                                format::sprintf("%s", std::slice::from_ref(a1)),
                                a1.type_name(),
                                a.type_name(),
                                format::to_string(a)
                            ));
                        }
                        match (a1, a) {
                            (Value::Semver(x), Value::Semver(y)) => std::sync::Arc::ptr_eq(x, y),
                            (Value::Time(x), Value::Time(y)) => x == y,
                            _ => {
                                return Err(format!(
                                    "non-comparable type {}: {}",
                                    format::sprintf("%s", std::slice::from_ref(a)),
                                    a.type_name()
                                ));
                            }
                        }
                    }
                }
            }
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// `lt arg1 arg2`.
pub(crate) fn lt(a1: &Value, a2: &Value) -> Result<bool, String> {
    let a1 = indirect_interface(a1);
    let k1 = basic_kind(a1);
    if k1 == Kind::Invalid {
        return Err(BAD_TYPE.into());
    }
    let a2 = indirect_interface(a2);
    let k2 = basic_kind(a2);
    if k2 == Kind::Invalid {
        return Err(BAD_TYPE.into());
    }
    if k1 != k2 {
        return match (k1, k2) {
            (Kind::Int, Kind::Uint) => Ok(int_of(a1) < 0 || (int_of(a1) as u64) < uint_of(a2)),
            (Kind::Uint, Kind::Int) => Ok(int_of(a2) >= 0 && uint_of(a1) < int_of(a2) as u64),
            _ => Err(BAD_CMP.into()),
        };
    }
    match k1 {
        Kind::Bool => Err(BAD_TYPE.into()),
        Kind::Float => Ok(float_of(a1) < float_of(a2)),
        Kind::Int => Ok(int_of(a1) < int_of(a2)),
        Kind::Uint => Ok(uint_of(a1) < uint_of(a2)),
        Kind::Str => Ok(a1.as_str() < a2.as_str()),
        Kind::Invalid => Err(BAD_TYPE.into()),
    }
}

fn le(a1: &Value, a2: &Value) -> Result<bool, String> {
    let l = lt(a1, a2)?;
    if l {
        return Ok(true);
    }
    eq(a1, std::slice::from_ref(a2))
}

fn index_arg(index: &Value, cap: usize) -> Result<usize, String> {
    let x: i128 = match index {
        Value::Int(i) | Value::Int64(i) => *i as i128,
        Value::Uint(u) => *u as i128,
        Value::Invalid | Value::Nil => return Err("cannot index slice/array with nil".into()),
        v => return Err(format!("cannot index slice/array with type {}", v.type_name())),
    };
    if x < 0 || x > cap as i128 {
        return Err(format!("index out of range: {x}"));
    }
    Ok(x as usize)
}

/// `index item i j...`.
pub(crate) fn index(item: &Value, idx: &[Value]) -> Result<Value, String> {
    let mut item = indirect_interface(item).clone();
    if matches!(item, Value::Invalid) {
        return Err("index of untyped nil".into());
    }
    for i in idx {
        let i = indirect_interface(i);
        item = match &item {
            Value::Nil => return Err("index of nil pointer".into()),
            Value::List(l, _) => {
                let x = index_arg(i, l.len())?;
                match l.get(x) {
                    Some(v) => v.clone(),
                    None => return Err("reflect: slice index out of range".into()),
                }
            }
            Value::Str(s) => {
                let x = index_arg(i, s.len())?;
                match s.as_bytes().get(x) {
                    Some(b) => Value::Uint(*b as u64),
                    None => return Err("reflect: string index out of range".into()),
                }
            }
            Value::Map(m, elem) => {
                let key = match i {
                    Value::Str(k) => k,
                    Value::Invalid | Value::Nil => return Err("value is nil; should be of type string".into()),
                    v => return Err(format!("value has type {}; should be string", v.type_name())),
                };
                match m.get(key.as_ref()) {
                    Some(v) => v,
                    None => match elem {
                        super::value::Elem::Any => Value::Nil,
                        super::value::Elem::Str => Value::str(""),
                        super::value::Elem::Int => Value::Int(0),
                        super::value::Elem::List => Value::list(vec![]),
                    },
                }
            }
            v => return Err(format!("can't index item of type {}", v.type_name())),
        };
    }
    Ok(item)
}

/// `slice item i j k`.
fn slice(item: &Value, idx: &[Value]) -> Result<Value, String> {
    let item = indirect_interface(item);
    if matches!(item, Value::Invalid) {
        return Err("slice of untyped nil".into());
    }
    if idx.len() > 3 {
        return Err(format!("too many slice indexes: {}", idx.len()));
    }
    let cap = match item {
        Value::Str(s) => {
            if idx.len() == 3 {
                return Err("cannot 3-index slice a string".into());
            }
            s.len()
        }
        Value::List(l, _) => l.len(),
        v => return Err(format!("can't slice item of type {}", v.type_name())),
    };
    let mut x = [0usize, cap, 0];
    for (k, i) in idx.iter().enumerate() {
        x[k] = index_arg(indirect_interface(i), cap)?;
    }
    if x[0] > x[1] {
        return Err(format!("invalid slice index: {} > {}", x[0], x[1]));
    }
    if idx.len() == 3 && x[1] > x[2] {
        return Err(format!("invalid slice index: {} > {}", x[1], x[2]));
    }
    Ok(match item {
        Value::Str(s) => Value::str(String::from_utf8_lossy(&s.as_bytes()[x[0]..x[1]]).as_ref()),
        Value::List(l, e) => Value::List(std::sync::Arc::new(l[x[0]..x[1]].to_vec()), *e),
        _ => Value::Invalid,
    })
}

fn length(item: &Value) -> Result<usize, String> {
    match item {
        Value::Nil => Err("len of nil pointer".into()),
        Value::Invalid => Err("reflect: call of reflect.Value.Type on zero Value".into()),
        Value::List(l, _) => Ok(l.len()),
        Value::Map(m, _) => Ok(m.len()),
        Value::Str(s) => Ok(s.len()),
        v => Err(format!("len of type {}", v.type_name())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_rejects_int_against_float() {
        assert_eq!(eq(&Value::Float(1.0), &[Value::Int(1)]), Err(BAD_CMP.to_string()));
        assert_eq!(eq(&Value::Invalid, &[Value::Int(1)]), Ok(false));
    }

    #[test]
    fn escapes_html_and_js() {
        assert_eq!(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt;");
        assert_eq!(js_escape("a'b\"<=\n"), "a\\'b\\\"\\u003C\\u003D\\u000A");
    }
}
