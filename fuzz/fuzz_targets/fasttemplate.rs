//! Fuzzes Argo CD's default (fasttemplate) rendering of ApplicationSet strings, and the same
//! strings through the appset renderer (`render::Compiler`) in fasttemplate and goTemplate mode.
//!
//! Input: `template \0 key=value \0 key=value ...`; a value starting with `#` is a number, `!` a
//! boolean, `~` null, `{` a JSON object (if it parses), anything else a string. Invariants: no panic;
//! with no parameters a template that parses renders to itself (unknown tags stay verbatim); the
//! renderer's compiled path gives the same text as `FastTemplate::render`; every tag name is trimmed
//! and non-empty.
#![no_main]

use argovet::appset::fasttemplate::FastTemplate;
use argovet::appset::params::Params;
use argovet::appset::render::{Compiler, Engine};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

fn param_value(v: &str) -> Value {
    match v.as_bytes().first() {
        Some(b'#') => {
            v[1..].parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
        }
        Some(b'!') => Value::Bool(v.len() % 2 == 0),
        Some(b'~') => Value::Null,
        Some(b'{') => serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.into())),
        _ => Value::String(v.into()),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.split('\0');
    let tmpl = parts.next().unwrap_or_default();
    let mut params = Params::new();
    for p in parts.take(16) {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        params.insert(k.to_string(), param_value(v));
    }

    let parsed = FastTemplate::parse(tmpl);
    if let Ok(t) = &parsed {
        assert_eq!(t.render(&Params::new()), tmpl, "rendering without parameters changed the text");
        for name in t.params() {
            assert!(!name.is_empty() && name.trim() == name, "tag name {name:?} not trimmed");
        }
        let rendered = t.render(&params);
        let mut compiler = Compiler::new(Engine::fast());
        let compiled = compiler.string(tmpl).expect("the renderer parses what FastTemplate parses");
        assert_eq!(compiled.render(&params).as_deref(), Ok(rendered.as_str()), "renderer and FastTemplate differ");
        let _ = compiled.param_refs();
    } else {
        assert!(Compiler::new(Engine::fast()).string(tmpl).is_err(), "renderer accepts what FastTemplate refuses");
    }

    // The same string in a template tree, as an ApplicationSet holds it, in both engines.
    let tree = json!({
        "metadata": {"name": tmpl, "labels": {tmpl: tmpl}, "annotations": {"a": tmpl}},
        "spec": {"project": tmpl, "source": {"helm": {"values": tmpl}, "path": tmpl}, "info": [{"name": tmpl}]}
    });
    let engines = [
        Engine::fast(),
        Engine { go: true, options: vec![] },
        Engine { go: true, options: vec!["missingkey=error".into()] },
    ];
    for engine in engines {
        let mut compiler = Compiler::new(engine);
        if let Ok(c) = compiler.tree(&tree) {
            let _ = c.render(&params);
            let mut out = Vec::new();
            c.templates("", &mut out);
        }
    }
});
