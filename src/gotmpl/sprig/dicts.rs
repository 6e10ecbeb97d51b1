//! sprig's dictionary functions (`dict.go`): `dict`, `get`, `set`, `unset`, `hasKey`, `pluck`, `keys`,
//! `pick`, `omit`, `merge`, `mergeOverwrite`, `values`, `dig`.

use std::collections::BTreeMap;

use super::super::funcs::{Registry, Ty, add, addv};
use super::super::value::{Elem, GoMap, Value};
use super::strval;

fn key(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn map_of(v: &Value) -> Option<&GoMap> {
    match v {
        Value::Map(m, _) => Some(m),
        _ => None,
    }
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    addv(r, "dict", &[], Any, |a| {
        super::check_nesting(a)?;
        let mut m = BTreeMap::new();
        for pair in a.chunks(2) {
            let k = strval(&pair[0]);
            m.insert(k, pair.get(1).cloned().unwrap_or_else(|| Value::str("")));
        }
        Ok(Value::map(m))
    });
    add(r, "get", &[MapAny, Str], |a| {
        Ok(map_of(&a[0]).and_then(|m| m.get(key(&a[1]))).unwrap_or_else(|| Value::str("")))
    });
    add(r, "set", &[MapAny, Str, Any], |a| {
        let m = map_of(&a[0]).ok_or("assignment to entry in nil map")?;
        let k = key(&a[1]).to_string();
        let old = m.write().insert(k.clone(), a[2].clone());
        // Checked after the insertion so that storing a map into itself is caught as a cycle.
        if let Err(e) = super::check_nesting(&a[..1]) {
            match old {
                Some(v) => m.write().insert(k, v),
                None => m.write().remove(&k),
            };
            return Err(e);
        }
        Ok(a[0].clone())
    });
    add(r, "unset", &[MapAny, Str], |a| {
        if let Some(m) = map_of(&a[0]) {
            m.write().remove(key(&a[1]));
        }
        Ok(a[0].clone())
    });
    add(r, "hasKey", &[MapAny, Str], |a| Ok(Value::Bool(map_of(&a[0]).is_some_and(|m| m.get(key(&a[1])).is_some()))));
    addv(r, "pluck", &[Str], MapAny, |a| {
        Ok(Value::list(a[1..].iter().filter_map(|d| map_of(d).and_then(|m| m.get(key(&a[0])))).collect()))
    });
    addv(r, "keys", &[], MapAny, |a| {
        // Go map iteration order is random; argovet sorts each map's keys (see docs/gotmpl.md).
        let mut out = vec![];
        for d in a {
            if let Some(m) = map_of(d) {
                out.extend(m.read().keys().cloned());
            }
        }
        Ok(Value::str_list(out))
    });
    addv(r, "pick", &[MapAny], Str, |a| {
        let src = map_of(&a[0]).map(GoMap::snapshot).unwrap_or_default();
        let m = a[1..].iter().filter_map(|k| src.get(key(k)).map(|v| (key(k).to_string(), v.clone()))).collect();
        Ok(Value::map(m))
    });
    addv(r, "omit", &[MapAny], Str, |a| {
        let mut src = map_of(&a[0]).map(GoMap::snapshot).unwrap_or_default();
        for k in &a[1..] {
            src.remove(key(k));
        }
        Ok(Value::map(src))
    });
    for name in ["merge", "mustMerge"] {
        addv(r, name, &[MapAny], MapAny, |a| merge_all(a, false));
    }
    for name in ["mergeOverwrite", "mustMergeOverwrite"] {
        addv(r, name, &[MapAny], MapAny, |a| merge_all(a, true));
    }
    add(r, "values", &[MapAny], |a| {
        // Random order in Go; argovet returns them in key order.
        Ok(Value::list(map_of(&a[0]).map(|m| m.read().values().cloned().collect()).unwrap_or_default()))
    });
    addv(r, "dig", &[], Any, |a| {
        if a.len() < 3 {
            return Err("dig needs at least three arguments".into());
        }
        let Some(Value::Map(d, Elem::Any)) = a.last() else {
            return Err(format!(
                "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                type_of(&a[a.len() - 1])
            ));
        };
        let def = a[a.len() - 2].clone();
        let mut keys = vec![];
        for k in &a[..a.len() - 2] {
            match k {
                Value::Str(s) => keys.push(s.to_string()),
                v => return Err(format!("interface conversion: interface {{}} is {}, not string", type_of(v))),
            }
        }
        let mut cur = d.clone();
        for (i, k) in keys.iter().enumerate() {
            let Some(step) = cur.get(k) else { return Ok(def) };
            if i == keys.len() - 1 {
                return Ok(step);
            }
            match step {
                Value::Map(m, Elem::Any) => cur = m,
                v => {
                    return Err(format!(
                        "interface conversion: interface {{}} is {}, not map[string]interface {{}}",
                        type_of(&v)
                    ));
                }
            }
        }
        Ok(def)
    });
}

fn type_of(v: &Value) -> String {
    if v.is_nil() { "nil".into() } else { v.type_name() }
}

/// mergo's `Merge` / `MergeWithOverwrite` on `map[string]interface{}`: nested maps merge recursively;
/// without overwrite only missing or empty destination values are filled.
fn merge_all(a: &[Value], overwrite: bool) -> Result<Value, String> {
    // A nil destination (missing value) gets a fresh map, as mergo does through the pointer.
    let dst = match &a[0] {
        Value::Map(m, _) => m.clone(),
        _ => GoMap::default(),
    };
    super::check_nesting(a)?;
    for src in &a[1..] {
        if let Some(src) = map_of(src) {
            if src.same(&dst) {
                continue;
            }
            let src = src.snapshot();
            merge_into(&dst, &src, overwrite, 0);
        }
    }
    super::check_nesting(std::slice::from_ref(&Value::Map(dst.clone(), Elem::Any)))?;
    Ok(Value::Map(dst, Elem::Any))
}

/// mergo's `deepMerge` for `map[string]interface{}` (v0.3, as sprig 3.2.3 vendors it): nested maps merge
/// in place; a non-empty destination value is kept unless `overwrite`, and a map or slice never
/// replaces a non-empty value that is not a map.
fn merge_into(dst: &GoMap, src: &BTreeMap<String, Value>, overwrite: bool, depth: usize) {
    if depth > 100 {
        return;
    }
    for (k, sv) in src {
        let dv = dst.get(k);
        if sv.is_nil() {
            if overwrite {
                dst.write().insert(k.clone(), Value::Nil);
            }
            continue;
        }
        if let (Some(Value::Map(dm, _)), Value::Map(sm, _)) = (&dv, sv)
            && !dm.same(sm)
        {
            let sm = sm.snapshot();
            merge_into(dm, &sm, overwrite, depth + 1);
        }
        let dst_present = dv.as_ref().is_some_and(|d| !super::empty(d));
        if dst_present && matches!(sv, Value::Map(..) | Value::List(..)) {
            if overwrite && matches!(sv, Value::List(..)) {
                dst.write().insert(k.clone(), sv.clone());
            }
            continue;
        }
        if overwrite || !dst_present {
            dst.write().insert(k.clone(), sv.clone());
        }
    }
}
