//! Label selectors: the clusters generator's strict Kubernetes selector over Secret labels, and the
//! generator-level post-`selector` over flattened parameters (keys validated, values not).

use serde_json::Value;
use std::collections::BTreeMap;

/// A parsed selector: every requirement must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    reqs: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Op {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    key: String,
    op: Op,
    values: Vec<String>,
}

impl Selector {
    /// Parses a `metav1.LabelSelector`. `strict` also validates values as label values (the
    /// clusters generator's selector); the post-selector only validates keys.
    pub fn parse(v: &Value, strict: bool) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        let Some(obj) = v.as_object() else {
            return if v.is_null() { Ok(Selector { reqs }) } else { Err("selector must be an object".into()) };
        };
        if let Some(ml) = obj.get("matchLabels") {
            let Some(ml) = ml.as_object() else {
                return Err("selector.matchLabels must be a map of strings".into());
            };
            for (k, v) in ml {
                let val = v.as_str().ok_or_else(|| format!("selector.matchLabels.{k} must be a string"))?;
                validate_key(k)?;
                if strict {
                    validate_value(val)?;
                }
                reqs.push(Requirement { key: k.clone(), op: Op::In, values: vec![val.to_string()] });
            }
        }
        if let Some(me) = obj.get("matchExpressions") {
            let Some(me) = me.as_array() else {
                return Err("selector.matchExpressions must be a list".into());
            };
            for e in me {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                let op = e.get("operator").and_then(Value::as_str).unwrap_or("");
                let values: Vec<String> = match e.get("values") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(a)) => a.iter().map(|x| x.as_str().unwrap_or_default().to_string()).collect(),
                    Some(_) => return Err(format!("selector.matchExpressions values of `{key}` must be a list")),
                };
                let op = match op {
                    "In" => Op::In,
                    "NotIn" => Op::NotIn,
                    "Exists" => Op::Exists,
                    "DoesNotExist" => Op::DoesNotExist,
                    other => return Err(format!("{other:?} is not a valid label selector operator")),
                };
                validate_key(key)?;
                match op {
                    Op::In | Op::NotIn if values.is_empty() => {
                        return Err(format!(
                            "selector key `{key}`: for 'in', 'notin' operators, values set can't be empty"
                        ));
                    }
                    Op::Exists | Op::DoesNotExist if !values.is_empty() => {
                        return Err(format!(
                            "selector key `{key}`: values set must be empty for exists and does not exist"
                        ));
                    }
                    _ => {}
                }
                if strict {
                    for v in &values {
                        validate_value(v)?;
                    }
                }
                reqs.push(Requirement { key: key.to_string(), op, values });
            }
        }
        Ok(Selector { reqs })
    }

    /// Whether the selector has no requirement (matches everything).
    pub fn is_empty(&self) -> bool {
        self.reqs.is_empty()
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.reqs.iter().all(|r| {
            let v = labels.get(&r.key);
            match r.op {
                Op::In => v.is_some_and(|v| r.values.contains(v)),
                Op::NotIn => v.is_none_or(|v| !r.values.contains(v)),
                Op::Exists => v.is_some(),
                Op::DoesNotExist => v.is_none(),
            }
        })
    }
}

/// `validation.IsQualifiedName`: optional DNS-1123 subdomain prefix and `/`, then a name of at most
/// 63 characters: alphanumerics, `-`, `_`, `.`, starting and ending alphanumeric.
pub fn validate_key(k: &str) -> Result<(), String> {
    let (prefix, name) = match k.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, k),
    };
    if let Some(p) = prefix
        && (p.is_empty() || !crate::lint::util::is_dns1123_subdomain(p))
    {
        return Err(format!("invalid label key {k:?}: prefix part must be a DNS-1123 subdomain"));
    }
    if name.is_empty() || name.len() > 63 || !is_label_name(name) {
        return Err(format!(
            "invalid label key {k:?}: name part must consist of alphanumeric characters, '-', '_' or '.', \
             and must start and end with an alphanumeric character (at most 63 characters)"
        ));
    }
    Ok(())
}

fn is_label_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `validation.IsValidLabelValue`: empty, or a label name.
pub fn validate_value(v: &str) -> Result<(), String> {
    if v.is_empty() || (v.len() <= 63 && is_label_name(v)) {
        Ok(())
    } else {
        Err(format!("invalid label value {v:?}: must be 63 characters or less, alphanumerics, '-', '_' or '.'"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn match_labels_and_expressions() {
        let s = Selector::parse(
            &json!({"matchLabels": {"env": "prod"}, "matchExpressions": [
                {"key": "tier", "operator": "NotIn", "values": ["db"]},
                {"key": "region", "operator": "Exists"}]}),
            true,
        )
        .unwrap();
        assert!(s.matches(&labels(&[("env", "prod"), ("region", "eu")])));
        assert!(!s.matches(&labels(&[("env", "prod"), ("region", "eu"), ("tier", "db")])));
        assert!(!s.matches(&labels(&[("env", "prod")])));
    }

    #[test]
    fn strict_selectors_reject_invalid_values_post_selectors_do_not() {
        let sel = json!({"matchLabels": {"path": "a/b"}});
        assert!(Selector::parse(&sel, true).unwrap_err().contains("invalid label value"));
        assert!(Selector::parse(&sel, false).is_ok());
        let bad_key = json!({"matchLabels": {"path[0]": "a"}});
        assert!(Selector::parse(&bad_key, false).unwrap_err().contains("invalid label key"));
        let bad_op = json!({"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]}]});
        assert!(Selector::parse(&bad_op, false).is_err());
    }
}
