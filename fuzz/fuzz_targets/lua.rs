//! Fuzzes the Lua health sandbox: compiling an arbitrary script, running it in a fresh sandboxed
//! state with an arbitrary `obj` (JSON -> Lua) and `actionParams`, encoding what it returns (Lua ->
//! JSON, gopher-json's rules) and reading it as a health status, an action result and a discovery
//! result — with small limits (25 ms, 16 MiB) so loops and allocation bombs end fast.
//!
//! Input: `script \0 obj-json \0 param=value ...` followed by one flag byte (bit 0: open every
//! library as Argo CD's built-in scripts get; bit 1: line coverage). Also converts `obj` to Lua and
//! back directly. Invariants: no panic, no hang, no crash of the process; a run either returns or
//! fails with a Lua error, a timeout or the memory limit.
#![no_main]

use argovet::health::convert::{json_to_lua, lua_to_json};
use argovet::health::result::{action_from, discovery_from, health_from};
use argovet::health::sandbox::{Limits, RunOptions, Script, run};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_last() else { return };
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.split('\0');
    let script = parts.next().unwrap_or_default();
    let obj: Value = parts.next().and_then(|o| serde_json::from_str(o).ok()).unwrap_or_else(|| {
        json!({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x", "generation": 2},
               "status": {"observedGeneration": 2, "conditions": [{"type": "Available", "status": "True"}]}})
    });
    let params =
        parts.take(8).map(|p| p.split_once('=').unwrap_or((p, ""))).map(|(k, v)| (k.into(), v.into())).collect();

    // JSON -> Lua -> JSON without a script.
    let lua = mlua::Lua::new();
    if let Ok(v) = json_to_lua(&lua, &obj) {
        let _ = lua_to_json(&v).map(|j| j.to_string());
    }
    drop(lua);

    let Ok(compiled) = Script::compile("fuzz.lua", script) else { return };
    let opts = RunOptions {
        open_libs: flags & 1 != 0,
        params,
        coverage: flags & 2 != 0,
        limits: Limits { timeout: Duration::from_millis(25), memory: 16 << 20 },
    };
    let out = run(&compiled, &obj, &opts);
    if let Ok(returned) = &out.result {
        let _ = health_from(returned);
        let _ = action_from(returned, &obj);
        let _ = discovery_from(std::slice::from_ref(returned));
    }
    for line in &out.lines {
        assert!(*line >= 1, "line 0 covered");
    }
});
