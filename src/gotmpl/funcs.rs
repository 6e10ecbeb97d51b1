//! The function table: parameter types (which drive Go's argument conversion and its error texts),
//! and the registry of builtins, sprig and Argo CD functions.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::value::{Elem, Value};

/// The Go type of a function parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ty {
    /// `reflect.Value` (builtins): receives the invalid value as is.
    Reflect,
    /// `interface{}`.
    Any,
    /// `string`.
    Str,
    /// `int`.
    Int,
    /// `int64`.
    Int64,
    /// `uint64`.
    Uint,
    /// `float64`.
    Float,
    /// `bool`.
    Bool,
    /// `[]interface{}`.
    ListAny,
    /// `[]string`.
    ListStr,
    /// `map[string]interface{}`.
    MapAny,
    /// `time.Time`.
    Time,
}

impl Ty {
    /// Go's spelling of the type.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Reflect => "reflect.Value",
            Ty::Any => "interface {}",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Uint => "uint64",
            Ty::Float => "float64",
            Ty::Bool => "bool",
            Ty::ListAny => "[]interface {}",
            Ty::ListStr => "[]string",
            Ty::MapAny => "map[string]interface {}",
            Ty::Time => "time.Time",
        }
    }

    /// Whether an untyped nil can be assigned to the type.
    pub fn can_be_nil(self) -> bool {
        matches!(self, Ty::Reflect | Ty::Any | Ty::ListAny | Ty::ListStr | Ty::MapAny)
    }

    /// The zero value Go substitutes for nil.
    pub fn zero(self) -> Value {
        match self {
            Ty::Reflect => Value::Invalid,
            Ty::Any => Value::Nil,
            Ty::ListAny => Value::List(Default::default(), Elem::Any),
            Ty::ListStr => Value::List(Default::default(), Elem::Str),
            Ty::MapAny => Value::Map(Default::default(), Elem::Any),
            Ty::Str => Value::str(""),
            Ty::Int => Value::Int(0),
            Ty::Int64 => Value::Int64(0),
            Ty::Uint => Value::Uint(0),
            Ty::Float => Value::Float(0.0),
            Ty::Bool => Value::Bool(false),
            Ty::Time => Value::Time(super::sprig::date::Time::zero()),
        }
    }

    /// Whether a (valid, non-nil-interface) value is assignable to the type.
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            Ty::Reflect | Ty::Any => true,
            Ty::Str => matches!(v, Value::Str(_)),
            Ty::Int => matches!(v, Value::Int(_)),
            Ty::Int64 => matches!(v, Value::Int64(_)),
            Ty::Uint => matches!(v, Value::Uint(_)),
            Ty::Float => matches!(v, Value::Float(_)),
            Ty::Bool => matches!(v, Value::Bool(_)),
            Ty::ListAny => matches!(v, Value::List(_, Elem::Any)),
            Ty::ListStr => matches!(v, Value::List(_, Elem::Str)),
            Ty::MapAny => matches!(v, Value::Map(_, Elem::Any)),
            Ty::Time => matches!(v, Value::Time(_)),
        }
    }
}

/// A function's implementation: receives converted arguments, returns a value or the error text.
pub(crate) type Impl = fn(&[Value]) -> Result<Value, String>;

/// A function of the template function map.
pub(crate) struct Func {
    pub params: &'static [Ty],
    pub variadic: Option<Ty>,
    pub call: Impl,
}

/// The registry type filled by each module's `register`.
pub(crate) type Registry = HashMap<&'static str, Func>;

/// Adds a fixed-arity function.
pub(crate) fn add(r: &mut Registry, name: &'static str, params: &'static [Ty], call: Impl) {
    r.insert(name, Func { params, variadic: None, call });
}

/// Adds a variadic function: `params` are the fixed ones, `rest` the element type of `...`.
pub(crate) fn addv(r: &mut Registry, name: &'static str, params: &'static [Ty], rest: Ty, call: Impl) {
    r.insert(name, Func { params, variadic: Some(rest), call });
}

/// The complete function map: Go builtins, sprig (minus env, expandenv, getHostByName), Argo CD extras.
pub(crate) fn registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let mut r = Registry::new();
        // text/template looks up user functions before builtins, so sprig's `slice` replaces the
        // builtin one: register builtins first and let later maps overwrite them.
        super::builtins::register(&mut r);
        super::sprig::register(&mut r);
        super::argocd::register(&mut r);
        r
    })
}

/// Whether `name` is a function of the map (used by the parser's "function not defined" check).
pub(crate) fn is_func(name: &str) -> bool {
    name == "and" || name == "or" || registry().contains_key(name)
}

/// Maximum size of a string or list a function may build (hostile `repeat`, `until`...).
pub(crate) const MAX_BUILD: usize = 16 << 20;

/// Fails when a function would build something larger than [`MAX_BUILD`].
pub(crate) fn check_size(n: usize) -> Result<(), String> {
    if n > MAX_BUILD {
        Err(format!("result of {n} elements or bytes exceeds the limit of {MAX_BUILD}"))
    } else {
        Ok(())
    }
}
