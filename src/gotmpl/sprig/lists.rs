//! sprig's list functions (`list.go`), `join`, `sortAlpha`, `until` and `untilStep`.

use std::sync::Arc;

use super::super::funcs::{Registry, Ty, add, addv, check_size};
use super::super::value::{Elem, Value};
use super::conversion::strslice;
use super::{NIL_DEREF, deep_equal, empty, list_items, to_int64};

fn any_list(v: Vec<Value>) -> Value {
    Value::List(Arc::new(v), Elem::Any)
}

fn int_list(v: Vec<i64>) -> Value {
    Value::List(Arc::new(v.into_iter().map(Value::Int).collect()), Elem::Int)
}

/// Registers a function and its `must` twin: both fail the same way (the plain one panics in sprig,
/// which text/template reports exactly like the returned error).
fn pair(r: &mut Registry, name: &'static str, must: &'static str, params: &'static [Ty], f: super::super::funcs::Impl) {
    add(r, name, params, f);
    add(r, must, params, f);
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    addv(r, "list", &[], Any, |a| {
        super::check_nesting(a)?;
        Ok(any_list(a.to_vec()))
    });
    addv(r, "tuple", &[], Any, |a| {
        super::check_nesting(a)?;
        Ok(any_list(a.to_vec()))
    });
    for (name, must) in [("append", "mustAppend"), ("push", "mustPush")] {
        pair(r, name, must, &[Any, Any], |a| {
            let mut l = list_items(&a[0], |k| format!("Cannot push on type {k}"))?;
            super::check_nesting(a)?;
            l.push(a[1].clone());
            Ok(any_list(l))
        });
    }
    pair(r, "prepend", "mustPrepend", &[Any, Any], |a| {
        let mut l = list_items(&a[0], |k| format!("Cannot prepend on type {k}"))?;
        super::check_nesting(a)?;
        l.insert(0, a[1].clone());
        Ok(any_list(l))
    });
    pair(r, "first", "mustFirst", &[Any], |a| {
        let l = list_items(&a[0], |k| format!("Cannot find first on type {k}"))?;
        Ok(l.first().cloned().unwrap_or(Value::Nil))
    });
    pair(r, "last", "mustLast", &[Any], |a| {
        let l = list_items(&a[0], |k| format!("Cannot find last on type {k}"))?;
        Ok(l.last().cloned().unwrap_or(Value::Nil))
    });
    pair(r, "rest", "mustRest", &[Any], |a| {
        let l = list_items(&a[0], |k| format!("Cannot find rest on type {k}"))?;
        Ok(any_list(l.into_iter().skip(1).collect()))
    });
    pair(r, "initial", "mustInitial", &[Any], |a| {
        let mut l = list_items(&a[0], |k| format!("Cannot find initial on type {k}"))?;
        l.pop();
        Ok(any_list(l))
    });
    pair(r, "reverse", "mustReverse", &[Any], |a| {
        let mut l = list_items(&a[0], |k| format!("Cannot find reverse on type {k}"))?;
        l.reverse();
        Ok(any_list(l))
    });
    pair(r, "compact", "mustCompact", &[Any], |a| {
        let l = list_items(&a[0], |k| format!("Cannot compact on type {k}"))?;
        Ok(any_list(l.into_iter().filter(|v| !empty(v)).collect()))
    });
    pair(r, "uniq", "mustUniq", &[Any], |a| {
        let l = list_items(&a[0], |k| format!("Cannot find uniq on type {k}"))?;
        let mut out: Vec<Value> = vec![];
        for v in l {
            if !out.iter().any(|o| deep_equal(&v, o)) {
                out.push(v);
            }
        }
        Ok(any_list(out))
    });
    let without: super::super::funcs::Impl = |a| {
        let l = list_items(&a[0], |k| format!("Cannot find without on type {k}"))?;
        let omit = &a[1..];
        Ok(any_list(l.into_iter().filter(|v| !omit.iter().any(|o| deep_equal(v, o))).collect()))
    };
    addv(r, "without", &[Any], Any, without);
    addv(r, "mustWithout", &[Any], Any, without);
    pair(r, "has", "mustHas", &[Any, Any], |a| {
        if a[1].is_nil() {
            return Ok(Value::Bool(false));
        }
        let l = list_items(&a[1], |k| format!("Cannot find has on type {k}"))?;
        Ok(Value::Bool(l.iter().any(|v| deep_equal(&a[0], v))))
    });
    for name in ["slice", "mustSlice"] {
        addv(r, name, &[Any], Any, |a| {
            let (l, e) = match &a[0] {
                Value::List(l, e) => (l, *e),
                Value::Nil | Value::Invalid => return Err(NIL_DEREF.into()),
                v => return Err(format!("list should be type of slice or array but {}", v.kind_name())),
            };
            if l.is_empty() {
                return Ok(Value::Nil);
            }
            let start = a.get(1).map(to_int64).unwrap_or(0);
            let end = if a.len() < 3 { l.len() as i64 } else { to_int64(&a[2]) };
            if start < 0 || end < start || end > l.len() as i64 {
                return Err("reflect.Value.Slice: slice index out of bounds".into());
            }
            Ok(Value::List(Arc::new(l[start as usize..end as usize].to_vec()), e))
        });
    }
    addv(r, "concat", &[], Any, |a| {
        let mut out = vec![];
        for l in a {
            match l {
                Value::List(l, _) => out.extend(l.iter().cloned()),
                Value::Nil | Value::Invalid => return Err(NIL_DEREF.into()),
                v => return Err(format!("Cannot concat type {} as list", v.kind_name())),
            }
        }
        check_size(out.len())?;
        Ok(any_list(out))
    });
    pair(r, "chunk", "mustChunk", &[Int, Any], |a| {
        let size = match a[0] {
            Value::Int(i) => i,
            _ => 0,
        };
        let l = list_items(&a[1], |k| format!("Cannot chunk type {k}"))?;
        if size <= 0 {
            return Err("runtime error: makeslice: len out of range".into());
        }
        Ok(Value::List(Arc::new(l.chunks(size as usize).map(|c| any_list(c.to_vec())).collect()), Elem::List))
    });
    add(r, "join", &[Str, Any], |a| Ok(Value::str(strslice(&a[1]).join(a[0].as_str().unwrap_or_default()))));
    add(r, "sortAlpha", &[Any], |a| {
        let mut v = match &a[0] {
            Value::List(..) => strslice(&a[0]),
            v => vec![super::strval(v)],
        };
        if a[0].is_nil() {
            v = vec!["<nil>".into()];
        }
        v.sort();
        Ok(Value::str_list(v))
    });
    add(r, "until", &[Int], |a| {
        let n = to_int64(&a[0]);
        until_step(0, n, if n < 0 { -1 } else { 1 }).map(int_list)
    });
    add(r, "untilStep", &[Int, Int, Int], |a| {
        until_step(to_int64(&a[0]), to_int64(&a[1]), to_int64(&a[2])).map(int_list)
    });
}

/// sprig's `untilStep`, bounded by the build limit.
pub(crate) fn until_step(start: i64, stop: i64, step: i64) -> Result<Vec<i64>, String> {
    let mut v = vec![];
    if stop < start {
        if step >= 0 {
            return Ok(v);
        }
        check_size(((start as i128 - stop as i128) / -(step as i128)) as usize)?;
        let mut i = start;
        while i > stop {
            v.push(i);
            i = match i.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        return Ok(v);
    }
    if step <= 0 {
        return Ok(v);
    }
    check_size(((stop as i128 - start as i128) / step as i128) as usize)?;
    let mut i = start;
    while i < stop {
        v.push(i);
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    Ok(v)
}
