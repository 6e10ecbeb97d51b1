//! Fuzzes the Go template engine: an arbitrary template (the first part of the input) is parsed and
//! executed against a small data set chosen by the input's last byte, under each `missingkey` option.
//! Any panic, hang or stack overflow is a bug; errors are expected.
#![no_main]

use argovet::gotmpl::{Options, Template};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_last() else { return };
    let Ok(src) = std::str::from_utf8(rest) else { return };
    let Ok(tmpl) = Template::parse(src) else { return };
    let values = [
        serde_json::json!({}),
        serde_json::json!({"name": "guestbook", "n": 3, "f": 1.5, "big": 1000000, "nul": null, "t": true,
            "list": ["a", "b"], "m": {"a": 1, "b": {"c": "x"}}, "empty": [], "s": ""}),
        serde_json::json!({"path": "apps/a/b", "values": {"no-op": "v"}, "x": [1, [2, [3]], {"k": null}]}),
    ];
    let data = &values[selector as usize % values.len()];
    let mut opts = Options::default();
    let option = ["missingkey=default", "missingkey=zero", "missingkey=error"][(selector / 3) as usize % 3];
    if opts.apply(option).is_ok() {
        let _ = tmpl.execute(data, &opts);
    }
});
