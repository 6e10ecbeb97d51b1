//! The clusters generator: cluster Secrets matched by a strict label selector, plus the implicit
//! in-cluster entry, with `values` templated per cluster and the optional `flatList`.
//!
//! Argo CD keys Secrets by cluster name in a Go map, so its order is random; argovet sorts by
//! cluster name (in-cluster last, as Argo CD appends it).

use crate::appset::params::{Params, sanitize_name};
use crate::appset::selector::Selector;
use crate::appset::{Cluster, Expander, GenErr, PSet, Unavailable};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const IN_CLUSTER_SERVER: &str = "https://kubernetes.default.svc";

pub(crate) fn generate(ex: &mut Expander<'_>, spec: &Value, path: &str, ptr: &str) -> Result<Vec<PSet>, GenErr> {
    let sel_value = spec.get("selector").cloned().unwrap_or(Value::Null);
    let selector = Selector::parse(&sel_value, true).map_err(|e| {
        GenErr::new(&format!("{ptr}/selector"), format!("{path}: error converting label selector: {e}"))
    })?;
    let ignore_local = !selector.is_empty();
    if !ex.inputs.clusters_given {
        ex.unavailable.push(Unavailable {
            pointer: ptr.to_string(),
            message: format!(
                "{path}: no cluster Secrets were given, so only the implicit in-cluster entry is known (pass --clusters \
                 PATH or list `clusters:` in .argovet.yaml)"
            ),
            incomplete_clone: false,
        });
    }
    let mut by_name: BTreeMap<&str, &Cluster> = BTreeMap::new();
    for c in ex.inputs.clusters {
        if selector.matches(&c.labels) {
            by_name.insert(&c.name, c);
        }
    }
    let mut sets = Vec::new();
    for c in by_name.values() {
        let mut p = Params::new();
        p.insert("name".into(), Value::String(c.name.clone()));
        p.insert("nameNormalized".into(), Value::String(sanitize_name(&c.name)));
        p.insert("server".into(), Value::String(c.server.clone()));
        p.insert("project".into(), Value::String(c.project.clone().unwrap_or_default()));
        let to_map = |m: &BTreeMap<String, String>| -> Map<String, Value> {
            m.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect()
        };
        if ex.engine.go {
            let mut meta = Map::new();
            if !c.annotations.is_empty() {
                meta.insert("annotations".into(), Value::Object(to_map(&c.annotations)));
            }
            if !c.labels.is_empty() {
                meta.insert("labels".into(), Value::Object(to_map(&c.labels)));
            }
            p.insert("metadata".into(), Value::Object(meta));
        } else {
            for (k, v) in &c.annotations {
                p.insert(format!("metadata.annotations.{k}"), Value::String(v.clone()));
            }
            for (k, v) in &c.labels {
                p.insert(format!("metadata.labels.{k}"), Value::String(v.clone()));
            }
        }
        sets.push(PSet { params: p, origin: format!("{path}[cluster {}]", c.name) });
    }
    let has_in_cluster = by_name.values().any(|c| c.server == IN_CLUSTER_SERVER);
    if !ignore_local && !has_in_cluster {
        let mut p = Params::new();
        p.insert("name".into(), Value::String("in-cluster".into()));
        p.insert("nameNormalized".into(), Value::String("in-cluster".into()));
        p.insert("server".into(), Value::String(IN_CLUSTER_SERVER.into()));
        p.insert("project".into(), Value::String(String::new()));
        sets.push(PSet { params: p, origin: format!("{path}[cluster in-cluster]") });
    }
    ex.append_values(spec.get("values"), &mut sets, path).map_err(|e| GenErr::new(ptr, e))?;
    if spec.get("flatList").and_then(Value::as_bool) == Some(true) {
        let list: Vec<Value> = sets.into_iter().map(|s| Value::Object(s.params)).collect();
        let mut p = Params::new();
        p.insert("clusters".into(), Value::Array(list));
        return Ok(vec![PSet { params: p, origin: format!("{path}[flatList]") }]);
    }
    Ok(sets)
}
