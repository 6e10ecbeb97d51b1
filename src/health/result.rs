//! Argo CD's result rules: what a health script, an action or an action discovery script returns,
//! turned into a health status, impacted resources or a list of actions (`util/lua/lua.go`).

use super::sandbox::Returned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The six statuses Argo CD accepts from a Lua script.
pub const HEALTH_STATUSES: [&str; 6] = ["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"];

/// Argo CD's message for a status outside [`HEALTH_STATUSES`].
pub const INVALID_HEALTH_STATUS: &str = "Lua returned an invalid health status";

/// A health verdict, printed as `{"status": ..., "message": ...}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct HealthStatus {
    /// `Healthy`, `Progressing`, ... or empty (the script returned nothing).
    pub status: String,
    /// Free text.
    pub message: String,
}

impl HealthStatus {
    /// A status with a message.
    pub fn new(status: impl Into<String>, message: impl Into<String>) -> HealthStatus {
        HealthStatus { status: status.into(), message: message.into() }
    }
}

fn expect_table(got: &str) -> String {
    format!("expect table output from Lua script, not {got}")
}

/// `ExecuteHealthLua`: `nil` -> empty status; a table -> `{status, message}` read like Go's
/// `json.Unmarshal` (keys case-insensitive, a type mismatch or a list gives an empty status); a status
/// outside Argo CD's set -> `Unknown` with [`INVALID_HEALTH_STATUS`]; anything else is an error.
pub fn health_from(returned: &Returned) -> Result<HealthStatus, String> {
    let json = match returned {
        Returned::Nil => return Ok(HealthStatus::default()),
        Returned::Other(t) => return Err(expect_table(t)),
        Returned::Table(Err(e)) => return Err(e.to_string()),
        Returned::Table(Ok(v)) => v,
    };
    let Value::Object(map) = json else {
        return Ok(HealthStatus::default());
    };
    let mut hs = HealthStatus::default();
    // Go matches struct fields case-insensitively, in the (sorted) order gopher-json wrote the keys.
    for (k, v) in map {
        let field = if k.eq_ignore_ascii_case("status") {
            &mut hs.status
        } else if k.eq_ignore_ascii_case("message") {
            &mut hs.message
        } else {
            continue;
        };
        match v {
            Value::String(s) => *field = s.clone(),
            Value::Null => {}
            _ => return Ok(HealthStatus::default()),
        }
    }
    if !HEALTH_STATUSES.contains(&hs.status.as_str()) {
        return Ok(HealthStatus::new("Unknown", INVALID_HEALTH_STATUS));
    }
    Ok(hs)
}

/// What an action asks Argo CD to do with a resource.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactedResource {
    /// The resource.
    pub resource: Value,
    /// `patch` or `create` (empty when the script left it out).
    pub operation: String,
}

fn go_json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn unstructured(v: &Value) -> Result<Value, String> {
    match v.get("kind") {
        Some(Value::String(k)) if !k.is_empty() => Ok(v.clone()),
        _ => Err(format!("Object 'Kind' is missing in '{}'", serde_json::to_string(v).unwrap_or_default())),
    }
}

/// `ExecuteResourceAction`: an object is an old-style result (the patched source); a list is new-style
/// (`{resource, operation}` items, operation `patch` or `create`). Patched resources get back the empty
/// objects Lua turned into empty lists (`cleanReturnedObj`).
pub fn action_from(returned: &Returned, source: &Value) -> Result<Vec<ImpactedResource>, String> {
    let json = match returned {
        Returned::Nil => return Err(expect_table("nil")),
        Returned::Other(t) => return Err(expect_table(t)),
        Returned::Table(Err(e)) => return Err(e.to_string()),
        Returned::Table(Ok(v)) => v,
    };
    let mut out = Vec::new();
    match json {
        Value::Array(items) => {
            for item in items {
                let Value::Object(fields) = item else {
                    return Err(format!(
                        "json: cannot unmarshal {} into Go value of type lua.ImpactedResource",
                        go_json_type(item)
                    ));
                };
                let mut resource = None;
                let mut operation = String::new();
                for (k, v) in fields {
                    if k.eq_ignore_ascii_case("resource") {
                        resource = match v {
                            Value::Null => None,
                            other => Some(unstructured(other)?),
                        };
                    } else if k.eq_ignore_ascii_case("operation") {
                        operation = match v {
                            Value::String(s) if s == "create" || s == "patch" => s.clone(),
                            other => {
                                return Err(format!(
                                    "unsupported operation: {}",
                                    serde_json::to_string(other).unwrap_or_default()
                                ));
                            }
                        };
                    }
                }
                let resource = resource.ok_or("an impacted resource has no `resource` field")?;
                out.push(ImpactedResource { resource, operation });
            }
        }
        other => out.push(ImpactedResource { resource: unstructured(other)?, operation: "patch".to_owned() }),
    }
    for r in &mut out {
        if r.operation == "patch"
            && let (Value::Object(new), Value::Object(old)) = (&mut r.resource, source)
        {
            clean_returned_obj(new, old);
        }
    }
    Ok(out)
}

/// Argo CD's `cleanReturnedObj`: where the source had an object and Lua returned an empty list (an
/// empty table), put the empty object back; recurse into objects and lists present on both sides.
pub fn clean_returned_obj(new: &mut Map<String, Value>, old: &Map<String, Value>) {
    for (key, old_value) in old {
        let Some(new_value) = new.get_mut(key) else { continue };
        match (new_value, old_value) {
            (Value::Object(n), Value::Object(o)) => clean_returned_obj(n, o),
            (v @ Value::Array(_), Value::Object(_)) if v.as_array().is_some_and(Vec::is_empty) => {
                *v = Value::Object(Map::new());
            }
            (Value::Array(n), Value::Array(o)) => clean_returned_array(n, o),
            _ => {}
        }
    }
}

fn clean_returned_array(new: &mut [Value], old: &[Value]) {
    for (n, o) in new.iter_mut().zip(old) {
        match (n, o) {
            (Value::Object(n), Value::Object(o)) => clean_returned_obj(n, o),
            (Value::Array(n), Value::Array(o)) => clean_returned_array(n, o),
            _ => {}
        }
    }
}

/// One parameter of a discovered action. Argo CD's `ResourceActionParam` has only a name: any other
/// field a discovery script sets (`default`, `type`) is dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ActionParam {
    /// Name.
    pub name: String,
}

/// An action a discovery script offers (`ResourceAction`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ResourceAction {
    /// Name.
    pub name: String,
    /// Parameters.
    pub params: Vec<ActionParam>,
    /// Shown but not runnable.
    pub disabled: bool,
    /// UI icon.
    #[serde(rename = "iconClass")]
    pub icon_class: String,
    /// UI name.
    #[serde(rename = "displayName")]
    pub display_name: String,
}

fn go_string(v: &Value, ty: &str) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        other => {
            Err(format!("json: cannot unmarshal {} into Go struct field {ty} of type string", go_json_type(other)))
        }
    }
}

/// Reads a `ResourceAction` (or its YAML form in `action_test.yaml`) over `into`, like `json.Unmarshal`.
pub fn read_resource_action(v: &Value, into: &mut ResourceAction) -> Result<(), String> {
    let Value::Object(map) = v else {
        return Err(format!(
            "json: cannot unmarshal {} into Go value of type v1alpha1.ResourceAction",
            go_json_type(v)
        ));
    };
    for (k, v) in map {
        let k = k.to_ascii_lowercase();
        match k.as_str() {
            "name" => into.name = go_string(v, "ResourceAction.name")?,
            "disabled" => match v {
                Value::Bool(b) => into.disabled = *b,
                Value::Null => {}
                other => {
                    return Err(format!(
                        "json: cannot unmarshal {} into Go struct field ResourceAction.disabled of type bool",
                        go_json_type(other)
                    ));
                }
            },
            "iconclass" => into.icon_class = go_string(v, "ResourceAction.iconClass")?,
            "displayname" => into.display_name = go_string(v, "ResourceAction.displayName")?,
            "params" => {
                into.params.clear();
                match v {
                    Value::Null => {}
                    Value::Array(items) => {
                        for item in items {
                            let Value::Object(p) = item else {
                                return Err(format!(
                                    "json: cannot unmarshal {} into Go struct field ResourceAction.params of type v1alpha1.ResourceActionParam",
                                    go_json_type(item)
                                ));
                            };
                            let mut param = ActionParam::default();
                            for (pk, pv) in p {
                                if pk.eq_ignore_ascii_case("name") {
                                    param.name = go_string(pv, "ResourceAction.params.name")?;
                                }
                            }
                            into.params.push(param);
                        }
                    }
                    other => {
                        return Err(format!(
                            "json: cannot unmarshal {} into Go struct field ResourceAction.params of type []v1alpha1.ResourceActionParam",
                            go_json_type(other)
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// `ExecuteResourceActionDiscovery` for the results of each discovery script, in order: `{}` means no
/// actions; an action given as `{}` is enabled with no extras; the first definition of a name wins.
/// Sorted by name.
pub fn discovery_from(results: &[Returned]) -> Result<Vec<ResourceAction>, String> {
    let mut found: std::collections::BTreeMap<String, ResourceAction> = std::collections::BTreeMap::new();
    for returned in results {
        let json = match returned {
            Returned::Nil => return Err(expect_table("nil")),
            Returned::Other(t) => return Err(expect_table(t)),
            Returned::Table(Err(e)) => return Err(format!("error in converting to lua table: {e}")),
            Returned::Table(Ok(v)) => v,
        };
        let map = match json {
            Value::Array(a) if a.is_empty() => continue,
            Value::Object(m) => m,
            other => {
                return Err(format!(
                    "error unmarshaling action table: json: cannot unmarshal {} into Go value of type map[string]interface {{}}",
                    go_json_type(other)
                ));
            }
        };
        for (name, value) in map {
            if found.contains_key(name) {
                continue;
            }
            let mut action = ResourceAction { name: name.clone(), ..ResourceAction::default() };
            if let Value::Object(fields) = value {
                action.disabled = matches!(fields.get("disabled"), Some(Value::Bool(true)));
            }
            if !value.is_array() {
                read_resource_action(value, &mut action)
                    .map_err(|e| format!("error unmarshaling resource action: {e}"))?;
            }
            found.insert(name.clone(), action);
        }
    }
    Ok(found.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(v: Value) -> Returned {
        Returned::Table(Ok(v))
    }

    #[test]
    fn health_rules_follow_argo_cd() {
        assert_eq!(health_from(&Returned::Nil).unwrap(), HealthStatus::default());
        assert_eq!(health_from(&table(json!([]))).unwrap(), HealthStatus::default());
        assert_eq!(
            health_from(&table(json!({"Status": "Healthy", "MESSAGE": "ok"}))).unwrap(),
            HealthStatus::new("Healthy", "ok")
        );
        assert_eq!(health_from(&table(json!({"status": 1}))).unwrap(), HealthStatus::default());
        assert_eq!(
            health_from(&table(json!({"status": "Fine"}))).unwrap(),
            HealthStatus::new("Unknown", INVALID_HEALTH_STATUS)
        );
        assert_eq!(
            health_from(&table(json!({"message": "x"}))).unwrap(),
            HealthStatus::new("Unknown", INVALID_HEALTH_STATUS)
        );
        assert_eq!(
            health_from(&Returned::Other("string")).unwrap_err(),
            "expect table output from Lua script, not string"
        );
    }

    #[test]
    fn old_style_action_gets_empty_objects_back() {
        let source = json!({"kind": "Deployment", "spec": {"template": {"metadata": {}}, "ports": [{"x": {}}]}});
        let returned =
            table(json!({"kind": "Deployment", "spec": {"template": {"metadata": []}, "ports": [{"x": []}]}}));
        let out = action_from(&returned, &source).unwrap();
        assert_eq!(out[0].operation, "patch");
        assert_eq!(out[0].resource, source);
    }

    #[test]
    fn new_style_action_checks_operations() {
        let src = json!({"kind": "CronJob"});
        let ok = table(json!([{"resource": {"kind": "Job"}, "operation": "create"}]));
        assert_eq!(action_from(&ok, &src).unwrap()[0].operation, "create");
        let bad = table(json!([{"resource": {"kind": "Job"}, "operation": "delete"}]));
        assert_eq!(action_from(&bad, &src).unwrap_err(), "unsupported operation: \"delete\"");
        assert!(action_from(&table(json!({"spec": {}})), &src).unwrap_err().starts_with("Object 'Kind' is missing"));
    }

    #[test]
    fn discovery_merges_and_reads_fields() {
        let first = table(
            json!({"restart": [], "scale": {"disabled": true, "iconClass": "fa fa-x", "params": [{"name": "replicas"}]}}),
        );
        let second = table(json!({"restart": {"disabled": true}, "pause": []}));
        let got = discovery_from(&[first, second, table(json!([]))]).unwrap();
        let names: Vec<_> = got.iter().map(|a| (a.name.as_str(), a.disabled)).collect();
        assert_eq!(names, [("pause", false), ("restart", false), ("scale", true)]);
        assert_eq!(got[2].params[0].name, "replicas");
    }
}
