//! conftest's reading of rule results: messages, metadata, exceptions.

use super::PolicyError;
use super::engine::{PolicyRule, PolicySet, describe_eval_error};
use regorus::{Engine, Value};
use serde_json::Map;

/// One failure or warning produced by a rule for one input.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Index of the namespace in [`PolicySet::namespaces`].
    pub namespace: usize,
    /// Index of the rule in that namespace.
    pub rule: usize,
    /// The message.
    pub message: String,
    /// The other keys of an object message.
    pub metadata: Map<String, serde_json::Value>,
}

/// The name `exception` rules list for a rule: `violation_`, `deny_`, `warn_` stripped in that order;
/// bare `deny`/`violation`/`warn` give `""`.
pub fn exception_name(rule: &str) -> &str {
    for prefix in ["violation_", "deny_", "warn_"] {
        if let Some(rest) = rule.strip_prefix(prefix) {
            return rest;
        }
    }
    if matches!(rule, "deny" | "violation" | "warn") { "" } else { rule }
}

/// Reads a rule's value as conftest does: the items of a set or array; anything else is no result.
fn messages(
    value: &Value,
    rule: &PolicyRule,
    out: &mut Vec<(String, Map<String, serde_json::Value>)>,
) -> Result<(), PolicyError> {
    let items: Vec<&Value> = match value {
        Value::Set(s) => s.iter().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => return Ok(()),
    };
    for item in items {
        match item {
            Value::String(s) if !s.is_empty() => out.push((s.to_string(), Map::new())),
            Value::Object(_) => {
                let json: serde_json::Value = serde_json::to_value(item).unwrap_or(serde_json::Value::Null);
                let Some(obj) = json.as_object() else { continue };
                let Some(msg) = obj.get("msg").and_then(serde_json::Value::as_str) else {
                    return Err(PolicyError::Eval {
                        rule: rule.query.clone(),
                        file: rule.file.clone(),
                        message: format!(
                            "a result object has no string `msg` key ({json}); return `{{\"msg\": \"...\", ...}}`"
                        ),
                    });
                };
                if msg.is_empty() {
                    continue;
                }
                let mut meta = obj.clone();
                meta.remove("msg");
                out.push((msg.to_string(), meta));
            }
            _ => {}
        }
    }
    Ok(())
}

/// The names listed by `data.<ns>.exception`.
fn exceptions(engine: &mut Engine, ns: &str) -> Result<Vec<String>, anyhow::Error> {
    let v = engine.eval_rule(format!("data.{ns}.exception"))?;
    let mut names = Vec::new();
    let outer: Vec<&Value> = match &v {
        Value::Set(s) => s.iter().collect(),
        Value::Array(a) => a.iter().collect(),
        _ => Vec::new(),
    };
    for inner in outer {
        let inner: Vec<&Value> = match inner {
            Value::Set(s) => s.iter().collect(),
            Value::Array(a) => a.iter().collect(),
            _ => Vec::new(),
        };
        names.extend(inner.into_iter().filter_map(|n| n.as_string().ok()).map(|s| s.to_string()));
    }
    Ok(names)
}

/// Which rules an evaluation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Rules that read one document, filtered by the document's kind.
    PerDocument,
    /// Rules marked `combine` in their metadata, on the combined input.
    Combined,
    /// Every rule, on the combined input (`--combine`).
    All,
}

/// Which rules to evaluate.
pub struct Selection<'a> {
    /// Indexes into [`PolicySet::namespaces`].
    pub namespaces: &'a [usize],
    /// Per document or combined.
    pub mode: Mode,
    /// Whether a rule id is enabled.
    pub enabled: &'a (dyn Fn(&str) -> bool + Sync),
}

impl Selection<'_> {
    fn wants(&self, r: &PolicyRule, kind: Option<&str>) -> bool {
        (self.enabled)(&r.id)
            && match self.mode {
                Mode::PerDocument => {
                    !r.combine && r.kinds.as_ref().is_none_or(|ks| kind.is_some_and(|k| ks.iter().any(|x| x == k)))
                }
                Mode::Combined => r.combine,
                Mode::All => true,
            }
    }
}

/// Whether the selection has any rule to run on combined input.
pub fn has_rules(set: &PolicySet, sel: &Selection<'_>) -> bool {
    has_rules_for(set, sel, None)
}

/// Whether the selection has any rule to run on a document of this kind.
pub fn has_rules_for(set: &PolicySet, sel: &Selection<'_>, kind: Option<&str>) -> bool {
    sel.namespaces.iter().any(|&n| set.namespaces[n].rules.iter().any(|r| sel.wants(r, kind)))
}

/// The union of the `kinds` of the selected rules, or `None` when one of them reads every kind (or
/// none is selected).
pub fn selected_kinds(set: &PolicySet, sel: &Selection<'_>) -> Option<Vec<String>> {
    let mut kinds = Vec::new();
    let mut any = false;
    for &n in sel.namespaces {
        for r in set.namespaces[n].rules.iter().filter(|r| sel.wants(r, None)) {
            any = true;
            kinds.extend(r.kinds.as_ref()?.iter().cloned());
        }
    }
    kinds.sort();
    kinds.dedup();
    any.then_some(kinds)
}

/// Evaluates the selected rules of `set` on one input whose `kind` is `kind`.
pub fn evaluate(
    set: &PolicySet,
    sel: &Selection<'_>,
    kind: Option<&str>,
    input: &Value,
) -> Result<Vec<Outcome>, PolicyError> {
    let wanted = |r: &PolicyRule| sel.wants(r, kind);
    if !has_rules_for(set, sel, kind) {
        return Ok(Vec::new());
    }
    set.with_engine(|engine| {
        engine.set_input(input.clone());
        if let Some(out) = evaluate_batch(set, sel, kind, input, engine)? {
            return Ok(out);
        }
        let mut out = Vec::new();
        let mut excepted = None;
        for &ni in sel.namespaces {
            let ns = &set.namespaces[ni];
            for (ri, rule) in ns.rules.iter().enumerate() {
                if !wanted(rule) {
                    continue;
                }
                // The VM when the rule runs on it; the interpreter when it does not, or when the VM fails.
                let value = match set.eval_rule_on_vm(&rule.query, input) {
                    Some(Ok(v)) => v,
                    _ => engine.eval_rule(rule.query.clone()).map_err(|e| PolicyError::Eval {
                        rule: rule.query.clone(),
                        file: rule.file.clone(),
                        message: describe_eval_error(&e),
                    })?,
                };
                collect(engine, set, (ni, ri), &value, &mut excepted, &mut out)?;
            }
        }
        Ok(out)
    })
}

/// Adds the outcomes of one rule's `value` to `out`, unless its package's `exception` rule lists it.
/// `excepted` keeps the names the last package's `exception` listed (evaluated once per package, and
/// only when one of its rules has results).
fn collect(
    engine: &mut Engine,
    set: &PolicySet,
    (ni, ri): (usize, usize),
    value: &Value,
    excepted: &mut Option<(usize, Vec<String>)>,
    out: &mut Vec<Outcome>,
) -> Result<(), PolicyError> {
    let ns = &set.namespaces[ni];
    let rule = &ns.rules[ri];
    let mut msgs = Vec::new();
    messages(value, rule, &mut msgs)?;
    if msgs.is_empty() {
        return Ok(());
    }
    if ns.has_exception {
        if excepted.as_ref().is_none_or(|(n, _)| *n != ni) {
            let names = exceptions(engine, &ns.name).map_err(|e| PolicyError::Eval {
                rule: format!("data.{}.exception", ns.name),
                file: rule.file.clone(),
                message: describe_eval_error(&e),
            })?;
            *excepted = Some((ni, names));
        }
        let name = exception_name(&rule.name);
        if excepted.as_ref().is_some_and(|(_, ex)| ex.iter().any(|e| e == name)) {
            return Ok(());
        }
    }
    out.extend(msgs.into_iter().map(|(message, metadata)| Outcome { namespace: ni, rule: ri, message, metadata }));
    Ok(())
}

/// The outcomes of the rules of `sel` for a document of `kind` from one evaluation of the set's
/// batch for that kind, in the order of the rule-by-rule loop. `None` when the set has no batch for
/// this selection, or when evaluating the batch failed: the caller then evaluates rule by rule, which
/// names the rule that fails.
fn evaluate_batch(
    set: &PolicySet,
    sel: &Selection<'_>,
    kind: Option<&str>,
    input: &Value,
    engine: &mut Engine,
) -> Result<Option<Vec<Outcome>>, PolicyError> {
    let Some(batches) = &set.batches else { return Ok(None) };
    if sel.mode != Mode::PerDocument
        || batches.namespaces != sel.namespaces
        || batches.left_out.iter().any(|&(n, r)| sel.wants(&set.namespaces[n].rules[r], kind))
    {
        return Ok(None);
    }
    let Some(b) = batches.for_kind(kind) else { return Ok(Some(Vec::new())) };
    let (query, members) = &batches.batches[b];
    // The VM when the set runs on it; the interpreter when it does not, or when the VM fails.
    let value = match set.eval_batch_on_vm(b, input) {
        Some(Ok(v)) => v,
        _ => match engine.eval_rule(query.clone()) {
            Ok(v) => v,
            Err(_) => return Ok(None),
        },
    };
    let Value::Array(values) = value else { return Ok(None) };
    if values.len() != members.len() {
        return Ok(None);
    }
    let mut out = Vec::new();
    let mut excepted = None;
    for (&(ni, ri), value) in members.iter().zip(values.iter()) {
        if !sel.wants(&set.namespaces[ni].rules[ri], kind) {
            continue;
        }
        let Some(value) = value.as_array().ok().and_then(|v| v.first()) else { continue };
        collect(engine, set, (ni, ri), value, &mut excepted, &mut out)?;
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exception_names_strip_conftest_prefixes() {
        assert_eq!(exception_name("deny_latest"), "latest");
        assert_eq!(exception_name("violation_deny_x"), "deny_x");
        assert_eq!(exception_name("warn_probe"), "probe");
        assert_eq!(exception_name("deny"), "");
        assert_eq!(exception_name("violation"), "");
    }
}
