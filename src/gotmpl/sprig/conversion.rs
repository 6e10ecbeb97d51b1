//! Type conversion and reflection functions: `atoi`, `int`, `int64`, `float64`, `toDecimal`,
//! `toString`, `toStrings`, `typeOf`, `typeIs`, `typeIsLike`, `kindOf`, `kindIs`, `deepEqual`.

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;
use super::{deep_equal, strval, to_float64, to_int64};
use crate::gotmpl::format;

/// `fmt.Sprintf("%T", v)`.
fn type_of(v: &Value) -> String {
    if v.is_nil() { "<nil>".into() } else { v.type_name() }
}

/// sprig's `strslice`: a list becomes strings (nils dropped), a scalar a one-element list.
pub(crate) fn strslice(v: &Value) -> Vec<String> {
    match v {
        Value::List(l, _) => l.iter().filter(|x| !x.is_nil()).map(strval).collect(),
        Value::Nil | Value::Invalid => vec![],
        v => vec![strval(v)],
    }
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "atoi", &[Str], |a| {
        let s = a[0].as_str().unwrap_or_default();
        let t = s.strip_prefix('+').unwrap_or(s);
        let ok = !t.is_empty() && !t.starts_with('+') && t.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit());
        Ok(Value::Int(if ok && !t.starts_with("--") { s.parse::<i64>().unwrap_or(0) } else { 0 }))
    });
    add(r, "int64", &[Any], |a| Ok(Value::Int64(to_int64(&a[0]))));
    add(r, "int", &[Any], |a| Ok(Value::Int(to_int64(&a[0]))));
    add(r, "float64", &[Any], |a| Ok(Value::Float(to_float64(&a[0]))));
    add(r, "toDecimal", &[Any], |a| {
        let s = format::to_string(&a[0]);
        let (neg, body) = match s.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, s.strip_prefix('+').unwrap_or(&s)),
        };
        let v = i64::from_str_radix(body, 8).ok().filter(|_| !body.is_empty() && !body.starts_with(['+', '-']));
        Ok(Value::Int64(v.map(|v| if neg { -v } else { v }).unwrap_or(0)))
    });
    add(r, "toString", &[Any], |a| Ok(Value::str(strval(&a[0]))));
    add(r, "toStrings", &[Any], |a| Ok(Value::str_list(strslice(&a[0]))));
    add(r, "typeOf", &[Any], |a| Ok(Value::str(type_of(&a[0]))));
    add(r, "typeIs", &[Str, Any], |a| Ok(Value::Bool(a[0].as_str() == Some(type_of(&a[1]).as_str()))));
    add(r, "typeIsLike", &[Str, Any], |a| {
        let t = type_of(&a[1]);
        let target = a[0].as_str().unwrap_or_default();
        Ok(Value::Bool(target == t || format!("*{target}") == t))
    });
    add(r, "kindOf", &[Any], |a| Ok(Value::str(a[0].kind_name())));
    add(r, "kindIs", &[Str, Any], |a| Ok(Value::Bool(a[0].as_str() == Some(a[1].kind_name()))));
    add(r, "deepEqual", &[Any, Any], |a| Ok(Value::Bool(deep_equal(&a[0], &a[1]))));
}
