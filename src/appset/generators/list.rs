//! The list generator: `elements` (JSON; fasttemplate needs string values and flattens `values`)
//! and `elementsYaml` (appended as decoded, no checks).

use crate::appset::params::{Params, floatify};
use crate::appset::{Expander, GenErr, PSet};
use serde_json::Value;

pub(crate) fn generate(ex: &mut Expander<'_>, spec: &Value, path: &str, ptr: &str) -> Result<Vec<PSet>, GenErr> {
    let mut out = Vec::new();
    let elements = match spec.get("elements") {
        None | Some(Value::Null) => &[][..],
        Some(Value::Array(a)) => a.as_slice(),
        Some(_) => return Err(GenErr::new(&format!("{ptr}/elements"), format!("{path}.elements must be a list"))),
    };
    for (i, element) in elements.iter().enumerate() {
        let eptr = format!("{ptr}/elements/{i}");
        let origin = format!("{path}.elements[{i}]");
        let Some(obj) = element.as_object() else {
            return Err(GenErr::new(&eptr, format!("{origin}: error unmarshling list element: not a mapping")));
        };
        let mut params = Params::new();
        if ex.engine.go {
            if let Value::Object(m) = floatify(element.clone()) {
                params = m;
            }
        } else {
            for (key, value) in obj {
                if key == "values" {
                    let Some(values) = value.as_object() else {
                        return Err(GenErr::new(&eptr, format!("{origin}: error parsing values map")));
                    };
                    for (k, v) in values {
                        let Some(s) = v.as_str() else {
                            return Err(GenErr::new(
                                &format!("{eptr}/values"),
                                format!(
                                    "{origin}: error parsing value as string: values.{k} is {}; quote it (fasttemplate \
                                     only accepts strings) or use goTemplate",
                                    kind_of(v)
                                ),
                            ));
                        };
                        params.insert(format!("values.{k}"), Value::String(s.into()));
                    }
                } else {
                    let Some(s) = value.as_str() else {
                        return Err(GenErr::new(
                            &eptr,
                            format!(
                                "{origin}: error parsing value as string: `{key}` is {}; quote it (fasttemplate only \
                                 accepts strings) or use goTemplate",
                                kind_of(value)
                            ),
                        ));
                    };
                    params.insert(key.clone(), Value::String(s.into()));
                }
            }
        }
        out.push(PSet { params, origin });
    }
    if let Some(y) = spec.get("elementsYaml").and_then(Value::as_str).filter(|s| !s.is_empty()) {
        let loaded = crate::yaml::load(y, &crate::yaml::Limits::default());
        if let Some(issue) = loaded.issues.first() {
            return Err(GenErr::new(
                &format!("{ptr}/elementsYaml"),
                format!("{path}.elementsYaml: error unmarshling decoded ElementsYaml: {}", issue.message),
            ));
        }
        let items = match loaded.docs.into_iter().next().map(|d| d.value) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a,
            Some(_) => {
                return Err(GenErr::new(
                    &format!("{ptr}/elementsYaml"),
                    format!("{path}.elementsYaml: error unmarshling decoded ElementsYaml: not a list of mappings"),
                ));
            }
        };
        for (i, item) in items.into_iter().enumerate() {
            match floatify(item) {
                Value::Object(m) => out.push(PSet { params: m, origin: format!("{path}.elementsYaml[{i}]") }),
                Value::Null => out.push(PSet { params: Params::new(), origin: format!("{path}.elementsYaml[{i}]") }),
                _ => {
                    return Err(GenErr::new(
                        &format!("{ptr}/elementsYaml"),
                        format!("{path}.elementsYaml[{i}]: error unmarshling decoded ElementsYaml: not a mapping"),
                    ));
                }
            }
        }
    }
    Ok(out)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
