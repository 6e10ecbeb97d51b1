//! Fuzzes policy input conversion and evaluation: the input is read as YAML (JSON is YAML too), the
//! first document's value is converted to a regorus value as `check` does, converted back, and
//! evaluated by the built-in policy packs (`argocd` and `builtin:kubernetes`, compiled once per
//! process) per document and on the combined input.
//!
//! Invariants: no panic; converting to regorus and back keeps the value (numbers compared as
//! numbers: integers exactly when they fit 64 bits, floats to 1e-12 relative); evaluation either
//! returns findings or an error (which `check` reports), never hangs; the packs give the same
//! results on regorus's bytecode VM (how `check` runs them) as on its interpreter.
#![no_main]

use argovet::policy::eval::{self, Mode, Selection};
use argovet::policy::{IdScheme, PolicySet, builtin};
use argovet::yaml::{self, Limits};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use std::sync::OnceLock;
use std::time::Duration;

fn policies() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| {
        let set = builtin::compile(true, true, None).expect("the built-in policies compile");
        set.set_time_limit(Duration::from_secs(2));
        set
    })
}

/// The same packs on regorus's interpreter only.
fn on_the_interpreter() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| {
        let set = PolicySet::compile_batched(
            &builtin::sources(&["argocd", "kubernetes"], false),
            Some(json!({"argovet_config": {}})),
            IdScheme::Builtin,
            &|ns| (0..ns.len()).collect(),
            &|_| true,
        )
        .expect("the built-in policies compile");
        set.set_time_limit(Duration::from_secs(2));
        set
    })
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
            (Some(i), Some(j), _, _) => i == j,
            (_, _, Some(i), Some(j)) => i == j,
            _ => {
                let (Some(x), Some(y)) = (x.as_f64(), y.as_f64()) else { return false };
                x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
            }
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let loaded = yaml::load(text, &Limits { max_depth: 48, max_alias_nodes: 2_000 });
    let Some(doc) = loaded.docs.into_iter().next() else { return };
    let value = doc.value;

    let input = regorus::Value::from(value.clone());
    let back = serde_json::to_value(&input).expect("a regorus value serializes");
    assert!(same(&value, &back), "conversion changed the value:\n{value}\n{back}");

    let set = policies();
    let all: Vec<usize> = (0..set.namespaces.len()).collect();
    let enabled = |_: &str| true;
    let kind = value.get("kind").and_then(Value::as_str);
    let per_doc = Selection { namespaces: &all, mode: Mode::PerDocument, enabled: &enabled };
    let combined = regorus::Value::from(json!([{"path": "fuzz.yaml", "contents": value}]));
    let sel = Selection { namespaces: &all, mode: Mode::Combined, enabled: &enabled };
    let interpreter = on_the_interpreter();
    for (selection, kind, input) in [(&per_doc, kind, &input), (&sel, None, &combined)] {
        let vm = eval::evaluate(set, selection, kind, input).map_err(|e| e.to_string());
        let slow = eval::evaluate(interpreter, selection, kind, input).map_err(|e| e.to_string());
        // A time-limit stop depends on the machine's load, not on the engine.
        let timed_out = |r: &Result<_, String>| r.as_ref().is_err_and(|e| e.contains("time limit"));
        if !timed_out(&vm) && !timed_out(&slow) {
            assert_eq!(vm, slow, "the VM and the interpreter differ on {value}");
        }
    }
});
