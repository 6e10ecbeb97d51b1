//! Parameter sets: what generators produce and templates consume, with Go's formatting rules.
//!
//! Argo CD passes parameters around as `map[string]any` decoded from JSON, so every number is a
//! `float64`, and wherever it turns a parameter into text it uses Go's `fmt.Sprintf("%v", v)`.
//! These helpers reproduce both, so `1000000` becomes `1e+06` exactly as in the controller.

use serde_json::{Map, Number, Value};

/// One parameter set: a JSON object (flat `a.b` keys for fasttemplate, nested for goTemplate).
pub type Params = Map<String, Value>;

/// Converts every number to a float, the way `encoding/json` and `sigs.k8s.io/yaml` decode into `any`.
pub fn floatify(v: Value) -> Value {
    match v {
        Value::Number(n) => match n.as_f64().and_then(Number::from_f64) {
            Some(f) => Value::Number(f),
            None => Value::Number(n),
        },
        Value::Array(a) => Value::Array(a.into_iter().map(floatify).collect()),
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, floatify(v))).collect()),
        other => other,
    }
}

/// Go's `%v` of a `float64` (`strconv` `'g'` with the shortest digits): `%e` form when the decimal
/// exponent is below -4 or at least 6 (`1e+06`, `1.5`, `100000`, `1e-05`).
pub fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.234567e6", "-5e-5".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if exp < 0 {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(&digits);
            for _ in digits.len()..int_len {
                out.push('0');
            }
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

/// Go's `fmt.Sprintf("%v", v)` of a value decoded from JSON into `any`.
pub fn go_format(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_float(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_format).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let items: Vec<String> = keys.iter().map(|k| format!("{k}:{}", go_format(&m[k.as_str()]))).collect();
            format!("map[{}]", items.join(" "))
        }
    }
}

/// `github.com/jeremywohl/flatten` in dot style: nested objects and lists become `a.b` and `a.0` keys;
/// empty objects and lists vanish.
pub fn flatten(params: &Params) -> Vec<(String, Value)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    walk(&join(prefix, k), v, out);
                }
            }
            Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(&join(prefix, &i.to_string()), v, out);
                }
            }
            other => out.push((prefix.to_string(), other.clone())),
        }
    }
    fn join(prefix: &str, k: &str) -> String {
        if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") }
    }
    let mut out = Vec::new();
    for (k, v) in params {
        match v {
            Value::Object(_) | Value::Array(_) => walk(k, v, &mut out),
            other => out.push((k.clone(), other.clone())),
        }
    }
    out
}

/// `flattenParameters`: every flattened value as Go `%v` text (what the post-selector matches).
pub fn flatten_to_strings(params: &Params) -> Vec<(String, String)> {
    flatten(params).into_iter().map(|(k, v)| (k, go_format(&v))).collect()
}

/// `utils.SanitizeName` (the `normalize` function): lowercase, every character outside
/// `[-a-z0-9.]` becomes `-`, cut to 253 bytes, `-` and `.` trimmed at both ends.
pub fn sanitize_name(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut out: String = lower
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' { c } else { '-' })
        .collect();
    if out.len() > 253 {
        out.truncate(253);
    }
    out.trim_matches(['-', '.']).to_string()
}

/// `utils.CombineStringMaps`: both sets as `%v` strings; the same key with different values is an error.
pub fn combine_string_maps(a: &Params, b: &Params) -> Result<Params, String> {
    let mut res = Params::with_capacity(a.len() + b.len());
    for (k, v) in a {
        res.insert(k.clone(), Value::String(go_format(v)));
    }
    for (k, v) in b {
        let v = go_format(v);
        if let Some(Value::String(current)) = res.get(k)
            && *current != v
        {
            return Err(format!("found duplicate key {k} with different value, a: {current} ,b: {v}"));
        }
        res.insert(k.clone(), Value::String(v));
    }
    Ok(res)
}

/// `mergo.Merge(dst, src)` on `map[string]any`: keys of `src` missing from `dst` are added; with
/// `overwrite`, `src` wins for non-map values; nested maps are merged key by key.
pub fn mergo_merge(dst: &mut Params, src: &Params, overwrite: bool) {
    for (k, sv) in src {
        match dst.get_mut(k) {
            None => {
                dst.insert(k.clone(), sv.clone());
            }
            Some(dv) => match (dv, sv) {
                (Value::Object(dm), Value::Object(sm)) => mergo_merge(dm, sm, overwrite),
                (dv, sv) => {
                    // mergo never overwrites with an empty source value.
                    if (overwrite || is_go_zero(dv)) && !is_go_zero(sv) {
                        *dv = sv.clone();
                    }
                }
            },
        }
    }
}

/// Whether a value is Go's zero value for its dynamic type (nil, "", 0, false).
pub fn is_go_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(_) | Value::Object(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn formats_floats_like_go_percent_v() {
        let cases = [
            (1_000_000.0, "1e+06"),
            (100_000.0, "100000"),
            (1_234_567.0, "1.234567e+06"),
            (1.5, "1.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-3.0, "-3"),
            (42.0, "42"),
            (123456.0, "123456"),
            (1e21, "1e+21"),
        ];
        for (f, want) in cases {
            assert_eq!(go_float(f), want, "{f}");
        }
    }

    #[test]
    fn formats_composite_values_like_go() {
        assert_eq!(go_format(&json!({"b": 1, "a": [true, null]})), "map[a:[true <nil>] b:1]");
    }

    #[test]
    fn flattens_nested_values_with_dots_and_indexes() {
        let p = json!({"a": {"b": "x", "c": [1, {"d": 2}]}, "e": {}, "f": "g"});
        let flat = flatten_to_strings(p.as_object().unwrap());
        assert_eq!(
            flat,
            vec![
                ("a.b".to_string(), "x".to_string()),
                ("a.c.0".into(), "1".into()),
                ("a.c.1.d".into(), "2".into()),
                ("f".into(), "g".into())
            ]
        );
    }

    #[test]
    fn sanitizes_names_like_argo_cd() {
        assert_eq!(sanitize_name("My_Cluster.Prod-"), "my-cluster.prod");
        assert_eq!(sanitize_name("--in cluster.."), "in-cluster");
    }

    #[test]
    fn combining_string_maps_rejects_conflicts() {
        let a = json!({"x": "1", "n": 2}).as_object().unwrap().clone();
        let b = json!({"n": "2", "y": "z"}).as_object().unwrap().clone();
        let c = combine_string_maps(&a, &b).unwrap();
        assert_eq!(Value::Object(c), json!({"x": "1", "n": "2", "y": "z"}));
        let b = json!({"x": "2"}).as_object().unwrap().clone();
        assert!(combine_string_maps(&a, &b).unwrap_err().contains("found duplicate key x"));
    }
}
