//! `string.find`, `string.match`, `string.gmatch` and `string.gsub` as gopher-lua's string library
//! defines them, on [`super::pattern`]'s budgeted matcher instead of LuaJIT's C matcher (which no hook
//! can interrupt).
//!
//! gopher-lua's behaviours kept: `find` with an empty pattern returns `1, 0` whatever `init` is, and
//! takes `plain` only when given exactly four arguments; `match` returns nothing (not `nil`) when
//! nothing matches; `gmatch` collects every match when called; `gsub` with a table or a function whose
//! value is a table prints it as `""`, and returns its first argument unchanged (even a number) when
//! nothing matched; `%x` in a replacement string, for a non-digit `x`, is kept as `%x`.

use super::convert::{go_number_string, go_type_name};
use super::pattern::{self, Capture, Captures, Pattern, PatternError};
use super::sandbox::{enter_native, keep_going, memory_room};
use mlua::{Lua, MultiValue, Table, Value as LuaValue};

/// Replaces the pattern functions of the `string` table.
pub fn install(lua: &Lua, string: &Table) -> mlua::Result<()> {
    string.raw_set("find", lua.create_function(str_find)?)?;
    string.raw_set("match", lua.create_function(str_match)?)?;
    string.raw_set("gmatch", lua.create_function(str_gmatch)?)?;
    string.raw_set("gsub", lua.create_function(str_gsub)?)?;
    let original: mlua::Function = string.raw_get("format")?;
    let format = lua.create_function(move |lua, args: MultiValue| {
        let args = numbers_for_percent_s(lua, args)?;
        let _depth = enter_native(lua)?;
        original.call::<MultiValue>(args)
    })?;
    string.raw_set("format", format)?;
    Ok(())
}

/// gopher-lua's `string.format` hands its values to Go's `fmt`, where `%s` of a number is
/// `LNumber.String()` (`0.30000000000000004`, `1e+20`); LuaJIT would print `%.14g`. The numbers that
/// `%s` conversions take are turned into gopher-lua's text first.
fn numbers_for_percent_s(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let mut values: Vec<LuaValue> = args.into_iter().collect();
    let Some(LuaValue::String(fmt)) = values.first() else { return Ok(MultiValue::from_vec(values)) };
    let fmt = fmt.as_bytes().to_vec();
    let mut arg_index = 0usize;
    let mut i = 0usize;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            i += 1;
            continue;
        }
        i += 1;
        if fmt.get(i) == Some(&b'%') {
            i += 1;
            continue;
        }
        while fmt.get(i).is_some_and(|c| b"-+ #0123456789.".contains(c)) {
            i += 1;
        }
        arg_index += 1;
        if fmt.get(i) == Some(&b's') {
            let text = match values.get(arg_index) {
                Some(LuaValue::Number(n)) => Some(go_number_string(*n)),
                Some(LuaValue::Integer(n)) => Some(n.to_string()),
                _ => None,
            };
            if let (Some(t), Some(slot)) = (text, values.get_mut(arg_index)) {
                *slot = LuaValue::String(lua.create_string(t)?);
            }
        }
        i += 1;
    }
    Ok(MultiValue::from_vec(values))
}

fn arg(args: &MultiValue, i: usize) -> LuaValue {
    args.get(i).cloned().unwrap_or(LuaValue::Nil)
}

fn bad_argument(n: usize, fname: &str, want: &str, got: &LuaValue) -> mlua::Error {
    let got = if matches!(got, LuaValue::Nil) { "none" } else { go_type_name(got) };
    mlua::Error::runtime(format!("bad argument #{n} to {fname} ({want} expected, got {got})"))
}

/// gopher-lua's `CheckString`: a string, or a number printed as gopher-lua prints it.
fn check_string(args: &MultiValue, i: usize, fname: &str) -> mlua::Result<Vec<u8>> {
    match arg(args, i) {
        LuaValue::String(s) => Ok(s.as_bytes().to_vec()),
        LuaValue::Number(n) => Ok(go_number_string(n).into_bytes()),
        LuaValue::Integer(n) => Ok(n.to_string().into_bytes()),
        other => Err(bad_argument(i + 1, fname, "string", &other)),
    }
}

/// gopher-lua's `OptInt`: a number, truncated, or `default` when absent.
fn opt_int(args: &MultiValue, i: usize, fname: &str, default: i64) -> mlua::Result<i64> {
    match arg(args, i) {
        LuaValue::Nil => Ok(default),
        LuaValue::Number(n) => Ok(n.trunc() as i64),
        LuaValue::Integer(n) => Ok(n),
        other => Err(bad_argument(i + 1, fname, "number", &other)),
    }
}

fn truthy(v: &LuaValue) -> bool {
    !matches!(v, LuaValue::Nil | LuaValue::Boolean(false))
}

/// gopher-lua's `LVAsString`: strings and numbers as text, anything else as "".
fn as_string(v: &LuaValue) -> Vec<u8> {
    match v {
        LuaValue::String(s) => s.as_bytes().to_vec(),
        LuaValue::Number(n) => go_number_string(*n).into_bytes(),
        LuaValue::Integer(n) => n.to_string().into_bytes(),
        _ => Vec::new(),
    }
}

/// Runs the matcher under the script's time budget.
fn matches(lua: &Lua, pat: &[u8], src: &[u8], offset: usize, limit: Option<usize>) -> mlua::Result<Vec<Captures>> {
    let compiled = Pattern::new(pat).map_err(|e| mlua::Error::runtime(e.to_string()))?;
    let mut go_on = || keep_going(lua);
    if !go_on() {
        return Err(mlua::Error::runtime(PatternError::Stopped.to_string()));
    }
    pattern::find(&compiled, src, offset, limit, memory_room(lua), &mut go_on).map_err(|e| match e {
        PatternError::Memory => out_of_memory(),
        e => mlua::Error::runtime(e.to_string()),
    })
}

/// The error the sandbox reports as its memory limit.
fn out_of_memory() -> mlua::Error {
    mlua::Error::MemoryError("not enough memory".to_owned())
}

fn capture_value(lua: &Lua, c: Capture<'_>) -> mlua::Result<LuaValue> {
    Ok(match c {
        Capture::Text(t) => LuaValue::String(lua.create_string(t)?),
        Capture::Position(p) => LuaValue::Integer(p as i64),
    })
}

fn str_find(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let src = check_string(&args, 0, "find")?;
    let pat = check_string(&args, 1, "find")?;
    if pat.is_empty() {
        return Ok(MultiValue::from_vec(vec![LuaValue::Integer(1), LuaValue::Integer(0)]));
    }
    let init = string_index(src.len(), opt_int(&args, 2, "find", 1)?);
    let plain = args.len() == 4 && truthy(&arg(&args, 3));
    if plain {
        let hit = src.get(init..).and_then(|rest| rest.windows(pat.len()).position(|w| w == pat.as_slice()));
        return Ok(match hit {
            Some(p) => MultiValue::from_vec(vec![
                LuaValue::Integer((init + p + 1) as i64),
                LuaValue::Integer((init + p + pat.len()) as i64),
            ]),
            None => MultiValue::from_vec(vec![LuaValue::Nil]),
        });
    }
    let found = matches(lua, &pat, &src, init, Some(1))?;
    let Some(m) = found.first() else { return Ok(MultiValue::from_vec(vec![LuaValue::Nil])) };
    let mut out = vec![LuaValue::Integer(m.start() as i64 + 1), LuaValue::Integer(m.end() as i64)];
    for i in 1..=m.count() {
        out.push(capture_value(lua, m.get(&src, i))?);
    }
    Ok(MultiValue::from_vec(out))
}

/// gopher-lua's `luaIndex2StringIndex(str, i, true)`: a 1-based, possibly negative start to an offset.
fn string_index(len: usize, i: i64) -> usize {
    let mut i = if i != 0 { i - 1 } else { i };
    if i < 0 {
        i += len as i64 + 1;
    }
    i.max(0) as usize
}

fn str_match(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let src = check_string(&args, 0, "match")?;
    let pat = check_string(&args, 1, "match")?;
    let mut offset = opt_int(&args, 2, "match", 1)?;
    if offset < 0 {
        offset += src.len() as i64 + 1;
    }
    let offset = (offset - 1).max(0) as usize;
    let found = matches(lua, &pat, &src, offset, Some(1))?;
    let Some(m) = found.first() else { return Ok(MultiValue::new()) };
    let out = if m.count() == 0 {
        vec![capture_value(lua, m.get(&src, 0))?]
    } else {
        (1..=m.count()).map(|i| capture_value(lua, m.get(&src, i))).collect::<mlua::Result<_>>()?
    };
    Ok(MultiValue::from_vec(out))
}

/// An owned capture, for the `gmatch` iterator.
enum Owned {
    Text(Vec<u8>),
    Position(usize),
}

fn str_gmatch(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let src = check_string(&args, 0, "gmatch")?;
    let pat = check_string(&args, 1, "gmatch")?;
    let found = matches(lua, &pat, &src, 0, None)?;
    let mut results: Vec<Vec<Owned>> = Vec::with_capacity(found.len());
    let room = memory_room(lua);
    let mut bytes = 0usize;
    for m in &found {
        let range = if m.count() == 0 { 0..=0 } else { 1..=m.count() };
        results.push(
            range
                .map(|i| match m.get(&src, i) {
                    Capture::Text(t) => {
                        bytes += t.len();
                        Owned::Text(t.to_vec())
                    }
                    Capture::Position(p) => Owned::Position(p),
                })
                .collect(),
        );
        if bytes > room {
            return Err(out_of_memory());
        }
    }
    let mut next = 0usize;
    let iter = lua.create_function_mut(move |lua, _: MultiValue| {
        let Some(caps) = results.get(next) else { return Ok(MultiValue::new()) };
        next += 1;
        let mut out = Vec::with_capacity(caps.len());
        for c in caps {
            out.push(match c {
                Owned::Text(t) => LuaValue::String(lua.create_string(t)?),
                Owned::Position(p) => LuaValue::Integer(*p as i64),
            });
        }
        Ok(MultiValue::from_vec(out))
    })?;
    Ok(MultiValue::from_vec(vec![LuaValue::Function(iter)]))
}

fn str_gsub(lua: &Lua, args: MultiValue) -> mlua::Result<MultiValue> {
    let src = check_string(&args, 0, "gsub")?;
    let pat = check_string(&args, 1, "gsub")?;
    let repl = arg(&args, 2);
    if !matches!(repl, LuaValue::String(_) | LuaValue::Table(_) | LuaValue::Function(_)) {
        return Err(bad_argument(3, "gsub", "string/table/function", &repl));
    }
    let limit = opt_int(&args, 3, "gsub", -1)?;
    let limit = usize::try_from(limit).ok();
    let found = matches(lua, &pat, &src, 0, limit)?;
    if found.is_empty() {
        return Ok(MultiValue::from_vec(vec![arg(&args, 0), LuaValue::Integer(0)]));
    }
    let room = memory_room(lua);
    let mut out = Vec::with_capacity(src.len());
    let mut copied = 0usize;
    for m in &found {
        let replacement = match &repl {
            LuaValue::String(r) => Some(expand(&r.as_bytes(), m, &src)?),
            LuaValue::Table(t) => {
                let key = match m.get(&src, if m.count() > 0 { 1 } else { 0 }) {
                    Capture::Text(t) => LuaValue::String(lua.create_string(t)?),
                    Capture::Position(p) => LuaValue::Integer(p as i64),
                };
                let _depth = enter_native(lua)?;
                let v: LuaValue = t.get(key)?;
                truthy(&v).then(|| as_string(&v))
            }
            LuaValue::Function(f) => {
                let mut call_args = Vec::new();
                if m.count() > 0 {
                    for i in 1..=m.count() {
                        call_args.push(capture_value(lua, m.get(&src, i))?);
                    }
                } else {
                    call_args.push(capture_value(lua, m.get(&src, 0))?);
                }
                let _depth = enter_native(lua)?;
                let v: LuaValue = f.call(MultiValue::from_vec(call_args))?;
                truthy(&v).then(|| as_string(&v))
            }
            _ => None,
        };
        if let Some(r) = replacement {
            out.extend_from_slice(src.get(copied..m.start()).unwrap_or_default());
            out.extend_from_slice(&r);
            copied = m.end().max(copied);
        }
        if out.len() > room {
            return Err(out_of_memory());
        }
    }
    out.extend_from_slice(src.get(copied..).unwrap_or_default());
    Ok(MultiValue::from_vec(vec![LuaValue::String(lua.create_string(&out)?), LuaValue::Integer(found.len() as i64)]))
}

/// Expands `%0`-`%9` in a replacement string; `%%` is `%`, any other `%x` stays `%x`.
fn expand(repl: &[u8], m: &Captures, src: &[u8]) -> mlua::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(repl.len());
    let mut i = 0;
    while i < repl.len() {
        let c = repl[i];
        if c != b'%' || i + 1 == repl.len() {
            out.push(c);
            i += 1;
            continue;
        }
        let x = repl[i + 1];
        i += 2;
        if x == b'%' {
            out.push(b'%');
        } else if x.is_ascii_digit() {
            let n = usize::from(x - b'0');
            // gopher-lua: `%1` without captures is the whole match; beyond the captures is an error.
            let n = if n == 1 && m.count() == 0 { 0 } else { n };
            if n > m.count() {
                return Err(mlua::Error::runtime("invalid capture index"));
            }
            match m.get(src, n) {
                Capture::Text(t) => out.extend_from_slice(t),
                Capture::Position(p) => out.extend_from_slice(p.to_string().as_bytes()),
            }
        } else {
            out.push(b'%');
            out.push(x);
        }
    }
    Ok(out)
}
