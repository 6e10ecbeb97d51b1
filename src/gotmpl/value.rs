//! The value model: the handful of Go dynamic types that templates see, with Go's type names.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// A Go map: shared and mutable like Go's reference-typed maps (sprig's `set`, `unset` and `merge`
/// modify their argument in place, and templates rely on it).
#[derive(Clone, Debug, Default)]
pub struct GoMap(Arc<RwLock<BTreeMap<String, Value>>>);

impl GoMap {
    /// Wraps an owned map.
    pub fn new(m: BTreeMap<String, Value>) -> GoMap {
        GoMap(Arc::new(RwLock::new(m)))
    }
    /// Read access (a poisoned lock is still readable: values are plain data).
    pub fn read(&self) -> RwLockReadGuard<'_, BTreeMap<String, Value>> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }
    /// Write access.
    pub fn write(&self) -> RwLockWriteGuard<'_, BTreeMap<String, Value>> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }
    /// The value at `k`.
    pub fn get(&self, k: &str) -> Option<Value> {
        self.read().get(k).cloned()
    }
    /// Number of entries.
    pub fn len(&self) -> usize {
        self.read().len()
    }
    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty()
    }
    /// A copy of the entries, in key order.
    pub fn snapshot(&self) -> BTreeMap<String, Value> {
        self.read().clone()
    }
    /// Whether both handles point at the same map.
    pub fn same(&self, other: &GoMap) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Element type of a slice or map value, which Go's type checks and type names distinguish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elem {
    /// `interface{}` elements.
    Any,
    /// `string` elements.
    Str,
    /// `int` elements.
    Int,
}

/// A Go value as seen by a template.
#[derive(Clone, Debug)]
pub enum Value {
    /// The zero `reflect.Value` (a missing map key): prints `<no value>`.
    Invalid,
    /// A nil interface (JSON `null`), printed `<nil>` by `print`.
    Nil,
    /// `bool`.
    Bool(bool),
    /// `int`.
    Int(i64),
    /// `int64` (what sprig's arithmetic returns).
    Int64(i64),
    /// `uint64` (semver components; string bytes from `index`).
    Uint(u64),
    /// `float64` (every JSON number).
    Float(f64),
    /// `string`.
    Str(Arc<str>),
    /// A slice.
    List(Arc<Vec<Value>>, Elem),
    /// A map with string keys, iterated in key order.
    Map(GoMap, Elem),
    /// A semantic version (`semver`'s `*semver.Version`).
    Semver(Arc<crate::gotmpl::sprig::semver::Version>),
    /// A point in time (`time.Time`), as Unix seconds, nanoseconds and a UTC offset in seconds.
    Time(crate::gotmpl::sprig::date::Time),
}

impl Value {
    /// A string value.
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::Str(s.into())
    }

    /// A `[]interface{}` value.
    pub fn list(v: Vec<Value>) -> Value {
        Value::List(Arc::new(v), Elem::Any)
    }

    /// A `[]string` value.
    pub fn str_list(v: Vec<String>) -> Value {
        Value::List(Arc::new(v.into_iter().map(Value::str).collect()), Elem::Str)
    }

    /// A `map[string]interface{}` value.
    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::Map(GoMap::new(m), Elem::Any)
    }

    /// Converts JSON as Argo CD's params arrive: numbers become float64, objects map[string]interface{}.
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Nil,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Float(n.as_f64().unwrap_or(0.0)),
            serde_json::Value::String(s) => Value::str(s.as_str()),
            serde_json::Value::Array(a) => Value::list(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => {
                Value::map(o.iter().map(|(k, v)| (k.clone(), Value::from_json(v))).collect())
            }
        }
    }

    /// Converts to JSON the way `encoding/json` marshals the Go value.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Invalid | Value::Nil => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) | Value::Int64(i) => serde_json::Value::from(*i),
            Value::Uint(u) => serde_json::Value::from(*u),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null)
            }
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::List(l, _) => serde_json::Value::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m, _) => {
                serde_json::Value::Object(m.read().iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Semver(v) => serde_json::Value::String(v.to_string()),
            Value::Time(t) => serde_json::Value::String(t.rfc3339_nano()),
        }
    }

    /// Go's type name, as `%T` and error messages print it.
    pub fn type_name(&self) -> String {
        match self {
            Value::Invalid => "<nil>".into(),
            Value::Nil => "<nil>".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) => "int".into(),
            Value::Int64(_) => "int64".into(),
            Value::Uint(_) => "uint64".into(),
            Value::Float(_) => "float64".into(),
            Value::Str(_) => "string".into(),
            Value::List(_, e) => format!("[]{}", elem_name(*e)),
            Value::Map(_, e) => format!("map[string]{}", elem_name(*e)),
            Value::Semver(_) => "*semver.Version".into(),
            Value::Time(_) => "time.Time".into(),
        }
    }

    /// Go's `reflect.Kind` name (`slice`, `map`, `float64`...), used by sprig's `kindOf`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Invalid | Value::Nil => "invalid",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Int64(_) => "int64",
            Value::Uint(_) => "uint64",
            Value::Float(_) => "float64",
            Value::Str(_) => "string",
            Value::List(..) => "slice",
            Value::Map(..) => "map",
            Value::Semver(_) => "ptr",
            Value::Time(_) => "struct",
        }
    }

    /// Go's template truth (`isTrue`): the zero value and empty collections are false.
    pub fn truth(&self) -> bool {
        match self {
            Value::Invalid | Value::Nil => false,
            Value::Bool(b) => *b,
            Value::Int(i) | Value::Int64(i) => *i != 0,
            Value::Uint(u) => *u != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::List(l, _) => !l.is_empty(),
            Value::Map(m, _) => !m.is_empty(),
            Value::Semver(_) | Value::Time(_) => true,
        }
    }

    /// The string inside a `string` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is Go's nil (or the invalid value).
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil | Value::Invalid)
    }
}

fn elem_name(e: Elem) -> &'static str {
    match e {
        Elem::Any => "interface {}",
        Elem::Str => "string",
        Elem::Int => "int",
    }
}
