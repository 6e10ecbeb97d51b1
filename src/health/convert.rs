//! JSON <-> Lua, exactly as Argo CD does it: `decodeValue` in `util/lua/lua.go` on the way in,
//! gopher-json's `Encode` on the way out, and gopher-lua's number-to-text rule for `tostring`.

use mlua::{Lua, Table, Value as LuaValue};
use serde_json::{Map, Number, Value};
use std::collections::HashSet;

/// Deepest table nesting [`lua_to_json`] follows before giving up (protects the Rust stack).
pub const MAX_ENCODE_DEPTH: usize = 512;

/// Converts a JSON value into a Lua value the way Argo CD's `decodeValue` does: every number becomes a
/// Lua number (a float), `null` becomes `nil` (so the key is absent), `null` array items are skipped
/// (later items shift down), and `{}` and `[]` both become an empty table.
pub fn json_to_lua(lua: &Lua, value: &Value) -> mlua::Result<LuaValue> {
    Ok(match value {
        Value::Null => LuaValue::Nil,
        Value::Bool(b) => LuaValue::Boolean(*b),
        Value::Number(n) => LuaValue::Number(n.as_f64().unwrap_or(0.0)),
        Value::String(s) => LuaValue::String(lua.create_string(s)?),
        Value::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for item in items {
                // gopher-lua's LTable.Append ignores nil: a null item disappears and the rest shift.
                if !item.is_null() {
                    t.raw_push(json_to_lua(lua, item)?)?;
                }
            }
            LuaValue::Table(t)
        }
        Value::Object(map) => {
            let t = lua.create_table_with_capacity(0, map.len())?;
            for (k, v) in map {
                if !v.is_null() {
                    t.raw_set(k.as_str(), json_to_lua(lua, v)?)?;
                }
            }
            LuaValue::Table(t)
        }
    })
}

/// Why a Lua value could not be encoded to JSON. The texts are gopher-json's, wrapped the way Go's
/// `encoding/json` wraps errors returned by a `MarshalJSON` method (once per nesting level).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodeError {
    /// gopher-json's own message.
    pub reason: String,
    /// How many `jsonValue` marshalers the error crossed (1 for the top-level value).
    pub depth: usize,
}

impl std::fmt::Display for EncodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for _ in 0..self.depth.max(1) {
            f.write_str("json: error calling MarshalJSON for type json.jsonValue: ")?;
        }
        f.write_str(&self.reason)
    }
}

/// Encodes a Lua value to JSON like gopher-json: an empty table is `[]`; a table whose keys are exactly
/// 1..n is an array; a table with only string keys is an object; sparse arrays, mixed keys and a table
/// met twice (even without a cycle) are errors; functions, userdata and threads cannot be encoded.
pub fn lua_to_json(value: &LuaValue) -> Result<Value, EncodeError> {
    let mut visited = HashSet::new();
    encode(value, &mut visited, 1)
}

fn fail(reason: impl Into<String>, depth: usize) -> EncodeError {
    EncodeError { reason: reason.into(), depth }
}

fn encode(value: &LuaValue, visited: &mut HashSet<usize>, depth: usize) -> Result<Value, EncodeError> {
    match value {
        LuaValue::Nil => Ok(Value::Null),
        LuaValue::Boolean(b) => Ok(Value::Bool(*b)),
        LuaValue::Integer(i) => Ok(Value::from(*i)),
        LuaValue::Number(n) => number_to_json(*n, depth),
        LuaValue::String(s) => Ok(Value::String(s.to_string_lossy())),
        LuaValue::Table(t) => encode_table(t, visited, depth),
        other => Err(fail(format!("cannot encode {} to JSON", go_type_name(other)), depth)),
    }
}

fn number_to_json(n: f64, depth: usize) -> Result<Value, EncodeError> {
    if !n.is_finite() {
        return Err(fail(format!("json: unsupported value: {}", go_float_v(n)), depth));
    }
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        return Ok(Value::from(n as i64));
    }
    Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
}

fn encode_table(t: &Table, visited: &mut HashSet<usize>, depth: usize) -> Result<Value, EncodeError> {
    if depth > MAX_ENCODE_DEPTH {
        return Err(fail(format!("cannot encode tables nested deeper than {MAX_ENCODE_DEPTH} levels"), depth));
    }
    if !visited.insert(t.to_pointer() as usize) {
        return Err(fail("cannot encode recursively nested tables to JSON", depth));
    }
    let mut pairs: Vec<(LuaValue, LuaValue)> = Vec::new();
    for pair in t.clone().pairs::<LuaValue, LuaValue>() {
        pairs.push(pair.map_err(|e| fail(e.to_string(), depth))?);
    }
    if pairs.is_empty() {
        return Ok(Value::Array(Vec::new()));
    }
    let all_strings = pairs.iter().all(|(k, _)| matches!(k, LuaValue::String(_)));
    if all_strings {
        let mut map = Map::new();
        let mut sorted: Vec<(String, &LuaValue)> =
            pairs.iter().map(|(k, v)| (k.to_string().unwrap_or_default(), v)).collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        for (k, v) in sorted {
            map.insert(k, encode(v, visited, depth + 1)?);
        }
        return Ok(Value::Object(map));
    }
    let mut indexed = Vec::with_capacity(pairs.len());
    for (k, v) in &pairs {
        let idx = match k {
            LuaValue::Integer(i) => *i as f64,
            LuaValue::Number(n) => *n,
            _ => return Err(fail("cannot encode mixed or invalid key types", depth)),
        };
        indexed.push((idx, v));
    }
    indexed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::with_capacity(indexed.len());
    for (i, (idx, v)) in indexed.into_iter().enumerate() {
        if idx != (i + 1) as f64 {
            return Err(fail("cannot encode sparse array", depth));
        }
        out.push(encode(v, visited, depth + 1)?);
    }
    Ok(Value::Array(out))
}

/// gopher-lua's name for a value's type (`LValueType.String()`).
pub fn go_type_name(v: &LuaValue) -> &'static str {
    match v {
        LuaValue::Nil => "nil",
        LuaValue::Boolean(_) => "boolean",
        LuaValue::Integer(_) | LuaValue::Number(_) => "number",
        LuaValue::String(_) => "string",
        LuaValue::Table(_) => "table",
        LuaValue::Function(_) => "function",
        LuaValue::Thread(_) => "thread",
        _ => "userdata",
    }
}

/// How gopher-lua prints a number (`LNumber.String()`): an integral value in int64 range as an integer
/// (`3`, `1000000000000000`), anything else like Go's `%v` for a float64 (`1.5`, `1e+21`, `1e-05`).
pub fn go_number_string(n: f64) -> String {
    if n.fract() == 0.0 && (-(2f64.powi(63))..2f64.powi(63)).contains(&n) {
        return format!("{}", n as i64);
    }
    go_float_v(n)
}

/// Go's `fmt.Sprint(float64)` (`%v`, that is `strconv.FormatFloat(n, 'g', -1, 64)`): the shortest
/// representation that round-trips, in `%e` form when the decimal exponent is below -4 or at least 6
/// (the shortest form decides with precision 6), else in plain decimal form.
pub fn go_float_v(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "+Inf".to_owned() } else { "-Inf".to_owned() };
    }
    if n == 0.0 {
        return if n.is_sign_negative() { "-0".to_owned() } else { "0".to_owned() };
    }
    // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e-7", "-5e20".
    let sci = format!("{n:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if !(-4..6).contains(&exp) {
        let mut m = digits[..1].to_owned();
        if digits.len() > 1 {
            m.push('.');
            m.push_str(&digits[1..]);
        }
        let esign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{esign}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    let body = if point <= 0 {
        format!("0.{}{}", "0".repeat((-point) as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{}{}", digits, "0".repeat(point as usize - digits.len()))
    } else {
        format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_print_like_gopher_lua() {
        assert_eq!(go_number_string(3.0), "3");
        assert_eq!(go_number_string(-7.0), "-7");
        assert_eq!(go_number_string(1.5), "1.5");
        assert_eq!(go_number_string(1e15), "1000000000000000");
        assert_eq!(go_number_string(1e21), "1e+21");
        assert_eq!(go_number_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(go_number_string(1e-5), "1e-05");
        assert_eq!(go_number_string(0.0001), "0.0001");
        assert_eq!(go_number_string(123456.789), "123456.789");
        assert_eq!(go_number_string(-2.5e-7), "-2.5e-07");
        assert_eq!(go_number_string(f64::INFINITY), "+Inf");
        assert_eq!(go_number_string(f64::NEG_INFINITY), "-Inf");
        assert_eq!(go_number_string(f64::NAN), "NaN");
        // Integral but outside int64: Go's int64() conversion does not round-trip, so `%v` prints it.
        assert_eq!(go_number_string(1e20), "1e+20");
        assert_eq!(go_number_string(2f64.powi(63)), "9.223372036854776e+18");
        assert_eq!(go_number_string(-(2f64.powi(63))), "-9223372036854775808");
        // Non-integral values from an exponent of 6 on are in `%e` form, as Go's `%v` prints them.
        assert_eq!(go_number_string(1234567.5), "1.2345675e+06");
        assert_eq!(go_number_string(999999.5), "999999.5");
        assert_eq!(go_number_string(-0.0), "0");
    }

    #[test]
    fn decoding_drops_nulls_and_null_items_shift() {
        let lua = Lua::new();
        let v = json_to_lua(&lua, &json!({"a": null, "b": [1, null, 3], "c": {}, "d": []})).unwrap();
        let t = v.as_table().unwrap();
        assert!(t.raw_get::<LuaValue>("a").unwrap().is_nil());
        let b: Table = t.raw_get("b").unwrap();
        assert_eq!(b.raw_len(), 2);
        assert_eq!(b.raw_get::<f64>(2).unwrap(), 3.0);
        assert_eq!(lua_to_json(&t.raw_get("c").unwrap()).unwrap(), json!([]));
        assert_eq!(lua_to_json(&t.raw_get("d").unwrap()).unwrap(), json!([]));
    }

    #[test]
    fn encoding_follows_gopher_json() {
        let lua = Lua::new();
        let eval = |src: &str| lua_to_json(&lua.load(src).eval::<LuaValue>().unwrap());
        assert_eq!(eval("return {status = 'Healthy', n = 2}").unwrap(), json!({"n": 2, "status": "Healthy"}));
        assert_eq!(eval("return {1, 2.5, 'x'}").unwrap(), json!([1, 2.5, "x"]));
        let sparse = eval("return {[1] = 1, [3] = 3}").unwrap_err();
        assert_eq!(
            sparse.to_string(),
            "json: error calling MarshalJSON for type json.jsonValue: cannot encode sparse array"
        );
        assert!(
            eval("return {1, x = 2}").unwrap_err().to_string().ends_with("cannot encode mixed or invalid key types")
        );
        assert!(
            eval("local t = {} return {a = t, b = t}")
                .unwrap_err()
                .to_string()
                .ends_with("recursively nested tables to JSON")
        );
        let f = eval("return {f = print}").unwrap_err().to_string();
        assert_eq!(f.matches("MarshalJSON").count(), 2, "{f}");
        assert!(f.ends_with("cannot encode function to JSON"));
        let nan = eval("return {x = 0/0}").unwrap_err().to_string();
        assert!(nan.ends_with(": json: unsupported value: NaN") && nan.matches("MarshalJSON").count() == 2, "{nan}");
    }
}
