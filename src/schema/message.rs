//! Violations -> findings a person understands: a dotted path, what was found, what was expected,
//! and the fix. Never a raw schema path.

use super::compile::ty;
use super::rules::{SchemaEnum, SchemaInvalid, SchemaRequired, SchemaType, SchemaUnchecked, SchemaUnknownField};
use super::validate::{Problem, Violation};
use crate::lint::RuleInfo;
use crate::lint::util::suggest;
use crate::model::Document;
use crate::report::Finding;
use serde_json::Value;

fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
}

/// `/spec/sources/0/helm` -> `spec.sources[0].helm`; the root is `the document`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for seg in segments(pointer) {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            if seg.contains('.') || seg.contains(' ') || seg.is_empty() {
                out.push_str(&format!("\"{seg}\""));
            } else {
                out.push_str(&seg);
            }
        }
    }
    out
}

fn subject(pointer: &str) -> String {
    if pointer.is_empty() { "the document".to_owned() } else { format!("`{}`", dotted(pointer)) }
}

/// "a boolean", "an integer or a string", ...
pub fn type_names(types: u8) -> String {
    let names: Vec<&str> = [
        (ty::BOOLEAN, "a boolean"),
        (ty::INTEGER, "an integer"),
        (ty::NUMBER, "a number"),
        (ty::STRING, "a string"),
        (ty::ARRAY, "a list"),
        (ty::OBJECT, "a mapping"),
        (ty::NULL, "null"),
    ]
    .into_iter()
    .filter(|(t, _)| types & t != 0)
    .map(|(_, n)| n)
    .collect();
    match names.as_slice() {
        [] => "a value".to_owned(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// What a value is, in words: `the string "yes"`, `the number 3`, `a list`.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null (an empty value)".to_owned(),
        Value::Bool(b) => format!("the boolean `{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("the string {}", quote(s)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

fn quote(s: &str) -> String {
    let short: String = s.chars().take(60).collect();
    let ell = if short.len() < s.len() { "…" } else { "" };
    format!("{:?}", format!("{short}{ell}"))
}

/// A value as written in YAML: strings bare, everything else as JSON.
pub fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn type_help(expected: u8, found: &Value) -> Option<String> {
    match found {
        Value::String(s) if expected & ty::BOOLEAN != 0 => {
            let b = matches!(s.to_ascii_lowercase().as_str(), "true" | "yes" | "y" | "on");
            Some(format!("write `{b}` or `{}` without quotes", !b))
        }
        Value::String(s) if expected & (ty::INTEGER | ty::NUMBER) != 0 && s.trim().parse::<f64>().is_ok() => {
            Some(format!("remove the quotes: `{}`", s.trim()))
        }
        Value::Bool(_) | Value::Number(_) if expected & ty::STRING != 0 => {
            Some(format!("quote the value so YAML keeps it as text: `\"{found}\"`"))
        }
        Value::Null if expected & ty::OBJECT != 0 => Some("give it fields, write `{}`, or remove the key".to_owned()),
        Value::Null if expected & ty::ARRAY != 0 => Some("list its items, write `[]`, or remove the key".to_owned()),
        Value::Object(_) if expected & ty::ARRAY != 0 => {
            Some("write the items as a list: each one starts with `- `".to_owned())
        }
        Value::Array(_) if expected & ty::OBJECT != 0 => {
            Some("write a mapping (`key: value`), not a list (`- item`)".to_owned())
        }
        _ => None,
    }
}

/// The finding for one violation on `doc`.
pub fn finding(doc: &Document, v: &Violation) -> Finding {
    let (rule, span, message, help): (&RuleInfo, _, String, Option<String>) = match &v.problem {
        Problem::UnknownField { key, known } => {
            let parent = v.pointer.rsplit_once('/').map_or("", |(p, _)| p);
            let hint = suggest(key, known.iter().map(String::as_str));
            let message = match hint {
                Some(s) => format!("unknown field `{key}` in {}: did you mean `{s}`?", subject(parent)),
                None => format!("unknown field `{key}` in {}", subject(parent)),
            };
            let help = if known.is_empty() {
                "Kubernetes drops unknown fields without a word; remove it".to_owned()
            } else {
                format!(
                    "Kubernetes drops unknown fields without a word, so this has no effect; fields allowed here: {}",
                    known.join(", ")
                )
            };
            (&SchemaUnknownField::INFO, doc.key_span(&v.pointer), message, Some(help))
        }
        Problem::Type { expected } => {
            let found = doc.get(&v.pointer).unwrap_or(&Value::Null);
            let message = format!("{} must be {}, not {}", subject(&v.pointer), type_names(*expected), describe(found));
            (&SchemaType::INFO, doc.span(&v.pointer), message, type_help(*expected, found))
        }
        Problem::Enum { allowed } => {
            let found = doc.get(&v.pointer).unwrap_or(&Value::Null);
            let shown: Vec<String> = allowed.iter().map(show).filter(|s| !s.is_empty()).collect();
            let list = shown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
            let hint = found.as_str().and_then(|f| suggest(f, shown.iter().map(String::as_str)));
            let message = match hint {
                Some(s) => format!("{} is {}: did you mean `{s}`?", subject(&v.pointer), describe(found)),
                None => format!("{} is {}, which is not allowed", subject(&v.pointer), describe(found)),
            };
            (&SchemaEnum::INFO, doc.span(&v.pointer), message, Some(format!("allowed values: {list}")))
        }
        Problem::Required { field, when } => {
            let message = match when {
                None => format!("{} is missing the required field `{field}`", subject(&v.pointer)),
                Some(k) => {
                    format!("{} is missing the field `{field}`, required when `{k}` is set", subject(&v.pointer))
                }
            };
            let help = match when {
                None => format!("add `{field}:` to {}", subject(&v.pointer)),
                Some(k) => format!("add `{field}:` to {}, or remove `{k}`", subject(&v.pointer)),
            };
            (&SchemaRequired::INFO, doc.key_span(&v.pointer), message, Some(help))
        }
        Problem::PropertyName { key, problems } => {
            let parent = v.pointer.rsplit_once('/').map_or("", |(p, _)| p);
            let reasons: Vec<String> = problems.iter().filter_map(name_problem).collect();
            let message =
                format!("the key `{key}` in {} is not an allowed name: {}", subject(parent), reasons.join("; "));
            let help = "the schema's `propertyNames` constrains every key of this mapping; rename the key".to_owned();
            (&SchemaInvalid::INFO, doc.key_span(&v.pointer), message, Some(help))
        }
        Problem::Unchecked { keyword, location, detail } => {
            let (message, help) = if keyword == "x-kubernetes-validations" {
                (
                    format!(
                        "{} was not checked against its CEL rules (`x-kubernetes-validations` in {location}){}",
                        subject(&v.pointer),
                        detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default()
                    ),
                    "argovet does not evaluate CEL; the API server does, so check this object with \
                     `kubectl apply --dry-run=server`, or turn `schema-unchecked` off if that is enough"
                        .to_owned(),
                )
            } else {
                (
                    format!(
                        "{} was not checked against `{keyword}` (in {location}): argovet does not evaluate this keyword",
                        subject(&v.pointer)
                    ),
                    match detail {
                        Some(d) if keyword == "$recursiveRef" => format!("{d} Rewrite the schema with it"),
                        Some(d) => {
                            format!("{d} A keyword argovet does not know constrains nothing here; fix or remove it")
                        }
                        None => "a keyword argovet does not know constrains nothing here: JSON Schema drafts 4 to \
                                 2020-12, OpenAPI 3.0 and the Kubernetes extensions are understood; fix or remove it"
                            .to_owned(),
                    },
                )
            };
            (&SchemaUnchecked::INFO, doc.span(&v.pointer), message, Some(help))
        }
        Problem::Constraint { message } => {
            let message = match doc.get(&v.pointer) {
                Some(found @ (Value::String(_) | Value::Number(_) | Value::Bool(_))) => {
                    format!("{} {message} (it is {})", subject(&v.pointer), describe(found))
                }
                _ => format!("{} {message}", subject(&v.pointer)),
            };
            (&SchemaInvalid::INFO, doc.span(&v.pointer), message, None)
        }
    };
    let mut f = doc.finding_at(rule.id, rule.severity, span, message);
    f.help = help;
    f
}

/// Why a key breaks `propertyNames`, in words.
fn name_problem(p: &Problem) -> Option<String> {
    match p {
        Problem::Constraint { message } => Some(message.clone()),
        Problem::Type { expected } => Some(format!("keys are strings, and the schema wants {}", type_names(*expected))),
        Problem::Enum { allowed } => Some(format!(
            "it must be one of {}",
            allowed.iter().map(|a| format!("`{}`", show(a))).collect::<Vec<_>>().join(", ")
        )),
        Problem::UnknownField { .. } | Problem::Required { .. } | Problem::PropertyName { .. } => {
            Some("it does not match the schema's `propertyNames`".to_owned())
        }
        Problem::Unchecked { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_and_types_read_like_english() {
        assert_eq!(dotted("/spec/sources/0/helm/valueFiles"), "spec.sources[0].helm.valueFiles");
        assert_eq!(dotted("/metadata/labels/app.kubernetes.io~1name"), "metadata.labels.\"app.kubernetes.io/name\"");
        assert_eq!(type_names(ty::INTEGER | ty::STRING), "an integer or a string");
        assert_eq!(type_names(ty::BOOLEAN), "a boolean");
        assert_eq!(describe(&json!("yes")), "the string \"yes\"");
        assert_eq!(type_help(ty::BOOLEAN, &json!("yes")).unwrap(), "write `true` or `false` without quotes");
        assert_eq!(type_help(ty::STRING, &json!(1.0)).unwrap(), "quote the value so YAML keeps it as text: `\"1.0\"`");
    }
}
