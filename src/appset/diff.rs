//! Differences between the Applications rendered at two revisions, and the RollingSync step preview.

use super::emit::to_yaml;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The Applications of one owner (an ApplicationSet, or the hand-written Applications of a file).
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// `ApplicationSet/<name>` or `file.yaml`.
    pub owner: String,
    /// The ApplicationSet document, when the owner is one.
    pub appset: Option<Value>,
    /// Application name -> rendered Application.
    pub apps: BTreeMap<String, Value>,
}

impl Rendered {
    /// Whether removing one of its Applications keeps the deployed resources: the set preserves
    /// resources on deletion, or its `applicationsSync` policy never deletes.
    pub fn deletion_is_safe(&self) -> bool {
        let Some(a) = &self.appset else { return false };
        a.pointer("/spec/syncPolicy/preserveResourcesOnDeletion").and_then(Value::as_bool) == Some(true)
            || matches!(
                a.pointer("/spec/syncPolicy/applicationsSync").and_then(Value::as_str),
                Some("create-only" | "create-update")
            )
    }
}

/// One changed Application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changed {
    /// Application name.
    pub name: String,
    /// Its owner at head.
    pub owner: String,
    /// Unified diff of the rendered YAML.
    pub diff: String,
}

/// One added or removed Application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Application name.
    pub name: String,
    /// Its owner.
    pub owner: String,
    /// For removals: whether the owner keeps the deployed resources.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources_preserved: Option<bool>,
}

/// A RollingSync step and the Applications it selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// 1-based step number; 0 lists the Applications no step selects (never synced by the strategy).
    pub step: usize,
    /// Application names, sorted.
    pub applications: Vec<String>,
}

/// The RollingSync preview of one ApplicationSet at head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RollingSync {
    /// The ApplicationSet.
    pub appset: String,
    /// Its steps, then (step 0) the unselected Applications when there are any.
    pub steps: Vec<Step>,
}

/// Everything `appset diff` reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DiffReport {
    /// Applications only at head.
    pub added: Vec<Entry>,
    /// Applications only at base.
    pub removed: Vec<Entry>,
    /// Applications at both with a different rendering.
    pub changed: Vec<Changed>,
    /// RollingSync previews.
    pub rolling_sync: Vec<RollingSync>,
}

impl DiffReport {
    /// Removed Applications whose owner does not keep their resources.
    pub fn unprotected_deletions(&self) -> usize {
        self.removed.iter().filter(|e| e.resources_preserved != Some(true)).count()
    }
}

/// Compares the renderings of two revisions.
pub fn diff(base: &[Rendered], head: &[Rendered]) -> DiffReport {
    let index = |sets: &[Rendered]| -> BTreeMap<String, (String, Value, bool)> {
        let mut m = BTreeMap::new();
        for s in sets {
            for (name, v) in &s.apps {
                m.insert(name.clone(), (s.owner.clone(), v.clone(), s.deletion_is_safe()));
            }
        }
        m
    };
    let b = index(base);
    let h = index(head);
    let mut report = DiffReport::default();
    for (name, (owner, hv, _)) in &h {
        match b.get(name) {
            None => report.added.push(Entry { name: name.clone(), owner: owner.clone(), resources_preserved: None }),
            Some((_, bv, _)) if bv != hv => {
                let (old, new) = (to_yaml(bv), to_yaml(hv));
                let text = similar::TextDiff::from_lines(&old, &new)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("base/{name}"), &format!("head/{name}"))
                    .to_string();
                report.changed.push(Changed { name: name.clone(), owner: owner.clone(), diff: text });
            }
            Some(_) => {}
        }
    }
    for (name, (owner, _, safe)) in &b {
        if !h.contains_key(name) {
            // The owner at head decides (a set that now preserves resources protects them).
            let head_safe = head.iter().find(|s| s.owner == *owner).map(Rendered::deletion_is_safe);
            report.removed.push(Entry {
                name: name.clone(),
                owner: owner.clone(),
                resources_preserved: Some(head_safe.unwrap_or(*safe)),
            });
        }
    }
    for s in head {
        if let Some(a) = &s.appset
            && let Some(r) = rolling_sync(a, &s.apps)
        {
            report.rolling_sync.push(r);
        }
    }
    report
}

/// Which Applications each `RollingSync` step selects (Argo CD's `buildAppDependencyList`): a step's
/// `matchExpressions` (In / NotIn on Application labels) must all hold; an Application selected by
/// several steps belongs to the first.
pub fn rolling_sync(appset: &Value, apps: &BTreeMap<String, Value>) -> Option<RollingSync> {
    if appset.pointer("/spec/strategy/type").and_then(Value::as_str) != Some("RollingSync") {
        return None;
    }
    let steps = appset.pointer("/spec/strategy/rollingSync/steps").and_then(Value::as_array)?;
    let mut out: Vec<Step> = (1..=steps.len()).map(|i| Step { step: i, applications: Vec::new() }).collect();
    let mut unselected = Vec::new();
    for (name, app) in apps {
        let labels = app.pointer("/metadata/labels").and_then(Value::as_object);
        let chosen = steps.iter().position(|step| {
            let exprs = step.get("matchExpressions").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
            exprs.iter().all(|e| {
                let key = e.get("key").and_then(Value::as_str).unwrap_or("");
                let op = e.get("operator").and_then(Value::as_str).unwrap_or("");
                let values: Vec<&str> = e
                    .get("values")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                match labels.and_then(|l| l.get(key)).and_then(Value::as_str) {
                    Some(v) => match op {
                        "In" => values.contains(&v),
                        "NotIn" => !values.contains(&v),
                        _ => false,
                    },
                    None => op != "In",
                }
            })
        });
        match chosen {
            Some(i) => out[i].applications.push(name.clone()),
            None => unselected.push(name.clone()),
        }
    }
    if !unselected.is_empty() {
        out.push(Step { step: 0, applications: unselected });
    }
    let name = appset.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("").to_string();
    Some(RollingSync { appset: name, steps: out })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(owner: &str, appset: Option<Value>, apps: &[(&str, Value)]) -> Rendered {
        Rendered { owner: owner.into(), appset, apps: apps.iter().map(|(n, v)| (n.to_string(), v.clone())).collect() }
    }

    #[test]
    fn reports_added_removed_and_changed() {
        let a = json!({"metadata": {"name": "a"}, "spec": {"path": "x"}});
        let a2 = json!({"metadata": {"name": "a"}, "spec": {"path": "z"}});
        let b = json!({"metadata": {"name": "b"}});
        let c = json!({"metadata": {"name": "c"}});
        let keep = json!({"spec": {"syncPolicy": {"preserveResourcesOnDeletion": true}}});
        let r = diff(
            &[set("s", None, &[("a", a), ("b", b)]), set("k", Some(keep.clone()), &[("k1", json!({}))])],
            &[set("s", None, &[("a", a2), ("c", c)]), set("k", Some(keep), &[])],
        );
        assert_eq!(r.added.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["c"]);
        assert_eq!(
            r.removed.iter().map(|e| (e.name.as_str(), e.resources_preserved)).collect::<Vec<_>>(),
            [("b", Some(false)), ("k1", Some(true))]
        );
        assert_eq!(r.unprotected_deletions(), 1);
        assert_eq!(r.changed.len(), 1);
        assert!(r.changed[0].diff.contains("-  path: x\n+  path: z\n"), "{}", r.changed[0].diff);
    }

    #[test]
    fn rolling_sync_assigns_first_matching_step() {
        let appset = json!({"metadata": {"name": "s"}, "spec": {"strategy": {"type": "RollingSync", "rollingSync": {"steps": [
            {"matchExpressions": [{"key": "env", "operator": "In", "values": ["dev"]}]},
            {"matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]}]}]}}}});
        let apps: BTreeMap<String, Value> = [
            ("d".to_string(), json!({"metadata": {"labels": {"env": "dev"}}})),
            ("p".to_string(), json!({"metadata": {"labels": {"env": "prod"}}})),
            ("n".to_string(), json!({"metadata": {}})),
        ]
        .into_iter()
        .collect();
        let r = rolling_sync(&appset, &apps).unwrap();
        assert_eq!(r.steps[0].applications, ["d"]);
        assert_eq!(r.steps[1].applications, ["n", "p"]);
        assert_eq!(r.steps.len(), 2);
    }
}
