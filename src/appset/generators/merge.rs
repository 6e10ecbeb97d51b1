//! The merge generator: the first child's parameter sets are the base, unique by `mergeKeys`; each
//! later child overrides the base sets whose merge-key values it shares; unmatched sets are dropped.
//!
//! Argo CD returns the merged sets in Go map order (random); argovet keeps the base order.

use super::matrix::child_params;
use crate::appset::params::{Params, mergo_merge};
use crate::appset::{Expander, GenErr, PSet};
use serde_json::Value;
use std::collections::HashMap;

pub(crate) fn generate(
    ex: &mut Expander<'_>,
    spec: &Value,
    path: &str,
    ptr: &str,
    level: u8,
) -> Result<Vec<PSet>, GenErr> {
    let children = spec.get("generators").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    if children.len() < 2 {
        return Err(GenErr::new(ptr, format!("{path}: found less than two generators, Merge requires two or more")));
    }
    let mut keys: Vec<String> = spec
        .get("mergeKeys")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    let mut all = Vec::with_capacity(children.len());
    for (i, child) in children.iter().enumerate() {
        let sets =
            child_params(ex, child, &format!("{path}.generators[{i}]"), &format!("{ptr}/generators/{i}"), None, level)
                .map_err(|e| GenErr {
                    pointer: e.pointer,
                    message: format!(
                        "{path}: error getting params from generator {} of {}: {}",
                        i + 1,
                        children.len(),
                        e.message
                    ),
                })?;
        all.push(sets);
    }
    if keys.is_empty() {
        return Err(GenErr::new(
            &format!("{ptr}/mergeKeys"),
            format!("{path}: no merge keys were specified, Merge requires at least one"),
        ));
    }
    keys.sort();
    keys.dedup();
    let mut iter = all.into_iter();
    let mut base = iter.next().unwrap_or_default();
    let base_index = index_by_key(&keys, &base, path, ptr)?;
    for overrides in iter {
        let by_key = index_by_key(&keys, &overrides, path, ptr)?;
        for (key, &bi) in &base_index {
            if let Some(&oi) = by_key.get(key) {
                let o = &overrides[oi];
                if ex.engine.go {
                    mergo_merge(&mut base[bi].params, &o.params, true);
                } else {
                    for (k, v) in &o.params {
                        base[bi].params.insert(k.clone(), v.clone());
                    }
                }
                base[bi].origin = format!("{} + {}", base[bi].origin, o.origin);
            }
        }
    }
    Ok(base)
}

/// The JSON of each set's merge-key values (absent keys count as null); duplicates are an error.
fn index_by_key(keys: &[String], sets: &[PSet], path: &str, ptr: &str) -> Result<HashMap<String, usize>, GenErr> {
    let mut out = HashMap::with_capacity(sets.len());
    for (i, s) in sets.iter().enumerate() {
        let key_obj: Params =
            keys.iter().map(|k| (k.clone(), s.params.get(k).cloned().unwrap_or(Value::Null))).collect();
        let key = serde_json::to_string(&key_obj).unwrap_or_default();
        if out.insert(key.clone(), i).is_some() {
            return Err(GenErr::new(
                ptr,
                format!(
                    "{path}: the parameters from a generator were not unique by the given mergeKeys, Merge requires all \
                     param sets to be unique. Duplicate key was {key}"
                ),
            ));
        }
    }
    Ok(out)
}
