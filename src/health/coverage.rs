//! Line coverage: which lines of a script hold code (read from the line of every bytecode of every
//! nested function, through LuaJIT's `jit.util` in a private state), and a report of which of them the
//! tests ran.

use mlua::{Lua, LuaOptions, StdLib};
use std::collections::BTreeSet;

const WALK: &str = r#"
local f = ...
local jutil = require("jit.util")
local lines = {}
local function walk(fn, depth)
  if depth > 200 then return end
  local info = jutil.funcinfo(fn)
  for pc = 1, (info.bytecodes or 1) - 1 do
    local i = jutil.funcinfo(fn, pc)
    if i.currentline and i.currentline > 0 then lines[#lines + 1] = i.currentline end
  end
  local n = -1
  while true do
    local k = jutil.funck(fn, n)
    if k == nil then break end
    if type(k) == "proto" then walk(k, depth + 1) end
    n = n - 1
  end
end
walk(f, 0)
return lines
"#;

/// The lines of `source` that hold at least one bytecode and some text other than a comment or a bare
/// `end`/`else` (LuaJIT attributes the implicit final `return` to the last line). Empty when the
/// source does not compile.
pub fn executable_lines(source: &str) -> BTreeSet<u32> {
    let walk = || -> mlua::Result<Vec<u32>> {
        let lua = Lua::new_with(StdLib::PACKAGE | StdLib::JIT, LuaOptions::default())?;
        let f = lua.load(source).set_name("=coverage").into_function()?;
        lua.load(WALK).set_name("=walk").call::<Vec<u32>>(f)
    };
    let text: Vec<&str> = source.lines().collect();
    walk()
        .unwrap_or_default()
        .into_iter()
        .filter(|&l| {
            let t = text.get(l as usize - 1).map_or("", |t| t.trim());
            !t.is_empty() && !t.starts_with("--") && !matches!(t, "end" | "else" | "do" | "repeat" | "}" | ")")
        })
        .collect()
}

/// Runs of consecutive line numbers, as text: `3, 7-9, 12`.
pub fn ranges(lines: &BTreeSet<u32>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut iter = lines.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        out.push(if start == end { start.to_string() } else { format!("{start}-{end}") });
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::sandbox::Script;

    #[test]
    fn finds_lines_of_nested_functions_and_skips_comments() {
        let src = "-- comment\nlocal function f(x)\n  return x + 1\nend\n\nlocal y = f(1)\nif y > 1 then\n  y = 0\nend\nreturn {status = 'Healthy'}\n";
        let s = Script::compile("t.lua", src).unwrap();
        let lines: Vec<u32> = s.lines.iter().copied().collect();
        assert!(lines.contains(&3), "{lines:?}");
        assert!(lines.contains(&8));
        assert!(!lines.contains(&1));
        assert!(!lines.contains(&5));
    }

    #[test]
    fn ranges_compress_runs() {
        let set: BTreeSet<u32> = [1, 2, 3, 7, 9, 10].into_iter().collect();
        assert_eq!(ranges(&set), "1-3, 7, 9-10");
        assert_eq!(executable_lines("return {"), BTreeSet::new());
    }
}
