//! The matrix generator: exactly two children; the second is regenerated for every parameter set of
//! the first, with the first's parameters interpolated into its fields.

use crate::appset::params::{Params, combine_string_maps, mergo_merge};
use crate::appset::{Expander, GenErr, PSet};
use serde_json::Value;

pub(crate) fn generate(
    ex: &mut Expander<'_>,
    spec: &Value,
    path: &str,
    ptr: &str,
    level: u8,
) -> Result<Vec<PSet>, GenErr> {
    let children = spec.get("generators").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
    if children.len() < 2 {
        return Err(GenErr::new(ptr, format!("{path}: found less than two generators, Matrix support only two")));
    }
    if children.len() > 2 {
        return Err(GenErr::new(ptr, format!("{path}: found more than two generators, Matrix support only two")));
    }
    let cap = ex.inputs.max_applications;
    let first =
        child_params(ex, &children[0], &format!("{path}.generators[0]"), &format!("{ptr}/generators/0"), None, level)
            .map_err(|e| wrap(e, path, "first"))?;
    let mut res = Vec::with_capacity(first.len().min(cap));
    for a in &first {
        let second = child_params(
            ex,
            &children[1],
            &format!("{path}.generators[1]"),
            &format!("{ptr}/generators/1"),
            Some(&a.params),
            level,
        )
        .map_err(|e| wrap(e, path, "second"))?;
        if res.len().saturating_add(second.len().saturating_mul(1)) > cap {
            return Err(GenErr::new(
                ptr,
                format!(
                    "{path}: would generate more than {cap} parameter sets ({} x {} and counting); argovet refuses \
                     (raise it with --max-applications or `maxApplications` in .argovet.yaml if this is intended)",
                    first.len(),
                    second.len()
                ),
            ));
        }
        for b in second {
            let params = if ex.engine.go {
                let mut tmp = Params::new();
                mergo_merge(&mut tmp, &b.params, true);
                mergo_merge(&mut tmp, &a.params, true);
                tmp
            } else {
                combine_string_maps(&a.params, &b.params).map_err(|e| {
                    GenErr::new(
                        ptr,
                        format!(
                            "{path}: failed to combine string maps with merging params for the matrix generator \
                             ({} x {}): {e}",
                            a.origin, b.origin
                        ),
                    )
                })?
            };
            res.push(PSet { params, origin: format!("{} x {}", a.origin, b.origin) });
        }
    }
    Ok(res)
}

fn wrap(e: GenErr, path: &str, which: &str) -> GenErr {
    GenErr {
        pointer: e.pointer,
        message: format!(
            "{path}: failed to get params for the {which} generator in the matrix generator: {}",
            e.message
        ),
    }
}

/// A child of matrix or merge: one generator kind, its own `template` ignored, its `selector` applied.
pub(crate) fn child_params(
    ex: &mut Expander<'_>,
    child: &Value,
    path: &str,
    ptr: &str,
    parent: Option<&Params>,
    level: u8,
) -> Result<Vec<PSet>, GenErr> {
    let results = ex.transform(child, path, ptr, parent, level + 1)?;
    match results.len() {
        0 => Err(GenErr::new(ptr, format!("{path}: child generator generated no parameters"))),
        1 => Ok(results.into_iter().next().map(|(_, s)| s).unwrap_or_default()),
        _ => Err(GenErr::new(ptr, format!("{path}: found more than one generator in matrix.Generators"))),
    }
}
