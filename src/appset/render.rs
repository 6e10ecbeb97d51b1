//! Rendering JSON trees with parameters: the Application template, `templatePatch`, generator
//! fields interpolated with a matrix parent's parameters, and `values`.
//!
//! A tree is compiled once (every string parsed once, identical strings share one parsed template)
//! and then rendered for each parameter set, which is what makes 100,000 Applications cheap.

use super::fasttemplate::FastTemplate;
use super::goglue::GoTemplate;
use super::params::Params;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

/// Which template language an ApplicationSet uses, with its `goTemplateOptions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    /// `spec.goTemplate`.
    pub go: bool,
    /// `spec.goTemplateOptions`, in order.
    pub options: Vec<String>,
}

impl Engine {
    /// The default: fasttemplate.
    pub fn fast() -> Engine {
        Engine { go: false, options: Vec::new() }
    }

    /// The same engine with `missingkey=error` replacing any `missingkey=` option (used to
    /// pre-resolve generator `values` in a matrix).
    pub fn with_missingkey_error(&self) -> Engine {
        let mut options: Vec<String> = self.options.iter().filter(|o| !o.starts_with("missingkey=")).cloned().collect();
        options.push("missingkey=error".into());
        Engine { go: self.go, options }
    }
}

/// One string, parsed.
#[derive(Debug, Clone)]
pub enum Tmpl {
    /// Nothing to substitute.
    Plain(String),
    /// fasttemplate.
    Fast(FastTemplate),
    /// Go text/template.
    Go(GoTemplate),
}

/// One parameter set during rendering, converted to the Go engine's values at most once.
pub struct Data<'a> {
    params: &'a Params,
    go: std::cell::OnceCell<crate::gotmpl::Value>,
}

impl<'a> Data<'a> {
    /// Wraps a parameter set.
    pub fn new(params: &'a Params) -> Data<'a> {
        Data { params, go: std::cell::OnceCell::new() }
    }

    fn go(&self) -> crate::gotmpl::Value {
        self.go.get_or_init(|| super::goglue::to_go(self.params)).clone()
    }
}

impl Tmpl {
    /// Renders with one parameter set.
    pub fn render(&self, params: &Params) -> Result<String, String> {
        self.render_data(&Data::new(params))
    }

    /// Renders with a parameter set shared by several strings.
    pub fn render_data(&self, data: &Data<'_>) -> Result<String, String> {
        match self {
            Tmpl::Plain(s) => Ok(s.clone()),
            Tmpl::Fast(t) => Ok(t.render(data.params)),
            Tmpl::Go(t) => t.render_value(data.go()),
        }
    }

    /// The parameter names the string refers to (fasttemplate tags; for goTemplate, the top-level
    /// fields of `.x.y` references).
    pub fn param_refs(&self) -> Vec<String> {
        match self {
            Tmpl::Plain(_) => Vec::new(),
            Tmpl::Fast(t) => t.params().map(str::to_owned).collect(),
            Tmpl::Go(t) => t.param_refs(),
        }
    }
}

/// Parses template strings once per distinct text.
#[derive(Debug)]
pub struct Compiler {
    engine: Engine,
    cache: HashMap<String, Arc<Tmpl>>,
}

/// How the keys and nulls of an object are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjKind {
    /// A struct: keys are field names, never templated; null fields vanish.
    Struct,
    /// A `map[string]string` (labels, annotations, values, matchLabels): keys are templated.
    Map,
    /// A raw JSON field (`valuesObject`, list `elements`): keys templated, nulls dropped, keys sorted
    /// (re-marshalled by `encoding/json`).
    Raw,
}

/// A compiled tree.
#[derive(Debug, Clone)]
pub enum Compiled {
    /// A non-string scalar or a string with nothing to substitute.
    Lit(Value),
    /// A template string.
    Str(Arc<Tmpl>),
    /// A list.
    Arr(Vec<Compiled>),
    /// An object.
    Obj(ObjNode),
}

/// A compiled object.
#[derive(Debug, Clone)]
pub struct ObjNode {
    kind: ObjKind,
    entries: Vec<(Arc<Tmpl>, Compiled)>,
}

/// Field names whose value is a string map whose keys Argo CD templates.
const MAP_FIELDS: [&str; 6] = ["labels", "annotations", "commonLabels", "commonAnnotations", "matchLabels", "values"];
/// Field names holding raw JSON.
const RAW_FIELDS: [&str; 2] = ["valuesObject", "elements"];

impl Compiler {
    /// A compiler for `engine`.
    pub fn new(engine: Engine) -> Compiler {
        Compiler { engine, cache: HashMap::new() }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Parses one string (cached).
    pub fn string(&mut self, s: &str) -> Result<Arc<Tmpl>, String> {
        if let Some(t) = self.cache.get(s) {
            return Ok(t.clone());
        }
        let t = if self.engine.go {
            if s.contains("{{") { Tmpl::Go(GoTemplate::parse(s, &self.engine.options)?) } else { Tmpl::Plain(s.into()) }
        } else {
            let f = FastTemplate::parse(s)?;
            if f.has_tags() { Tmpl::Fast(f) } else { Tmpl::Plain(s.into()) }
        };
        let t = Arc::new(t);
        self.cache.insert(s.to_string(), t.clone());
        Ok(t)
    }

    /// Compiles a tree whose root is a struct (a template, a generator).
    pub fn tree(&mut self, v: &Value) -> Result<Compiled, String> {
        self.node(v, ObjKind::Struct)
    }

    /// Compiles a tree whose root is raw JSON.
    pub fn raw_tree(&mut self, v: &Value) -> Result<Compiled, String> {
        self.node(v, ObjKind::Raw)
    }

    fn node(&mut self, v: &Value, kind: ObjKind) -> Result<Compiled, String> {
        Ok(match v {
            Value::String(s) => match &*self.string(s)? {
                Tmpl::Plain(p) => Compiled::Lit(Value::String(p.clone())),
                _ => Compiled::Str(self.string(s)?),
            },
            Value::Array(a) => Compiled::Arr(a.iter().map(|x| self.node(x, kind)).collect::<Result<_, _>>()?),
            Value::Object(m) => {
                let mut entries = Vec::with_capacity(m.len());
                for (k, x) in m {
                    let key = if kind == ObjKind::Struct { Arc::new(Tmpl::Plain(k.clone())) } else { self.string(k)? };
                    let child_kind = match kind {
                        ObjKind::Raw => ObjKind::Raw,
                        _ if RAW_FIELDS.contains(&k.as_str()) => ObjKind::Raw,
                        _ if MAP_FIELDS.contains(&k.as_str()) && x.is_object() => ObjKind::Map,
                        _ => ObjKind::Struct,
                    };
                    entries.push((key, self.node(x, child_kind)?));
                }
                Compiled::Obj(ObjNode { kind, entries })
            }
            other => Compiled::Lit(other.clone()),
        })
    }
}

impl Compiled {
    /// Renders the tree with one parameter set.
    pub fn render(&self, params: &Params) -> Result<Value, String> {
        self.render_data(&Data::new(params))
    }

    /// Renders the tree with a parameter set shared by several trees.
    pub fn render_data(&self, data: &Data<'_>) -> Result<Value, String> {
        Ok(match self {
            Compiled::Lit(v) => v.clone(),
            Compiled::Str(t) => Value::String(t.render_data(data)?),
            Compiled::Arr(a) => Value::Array(a.iter().map(|x| x.render_data(data)).collect::<Result<_, _>>()?),
            Compiled::Obj(o) => {
                let mut m = Map::with_capacity(o.entries.len());
                for (k, x) in &o.entries {
                    let v = x.render_data(data)?;
                    if v.is_null() && o.kind != ObjKind::Map {
                        continue;
                    }
                    m.insert(k.render_data(data)?, v);
                }
                if o.kind == ObjKind::Raw {
                    let mut sorted: Vec<(String, Value)> = m.into_iter().collect();
                    sorted.sort_by(|a, b| a.0.cmp(&b.0));
                    m = sorted.into_iter().collect();
                }
                Value::Object(m)
            }
        })
    }

    /// Every parsed template string in the tree with its JSON pointer.
    pub fn templates(&self, pointer: &str, out: &mut Vec<(String, Arc<Tmpl>)>) {
        match self {
            Compiled::Lit(_) => {}
            Compiled::Str(t) => out.push((pointer.to_string(), t.clone())),
            Compiled::Arr(a) => {
                for (i, x) in a.iter().enumerate() {
                    x.templates(&format!("{pointer}/{i}"), out);
                }
            }
            Compiled::Obj(o) => {
                for (k, x) in &o.entries {
                    let key = match &**k {
                        Tmpl::Plain(s) => s.clone(),
                        _ => {
                            out.push((pointer.to_string(), k.clone()));
                            continue;
                        }
                    };
                    x.templates(&format!("{pointer}/{}", crate::lint::util::escape_pointer(&key)), out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_strings_and_templated_map_keys_but_not_field_names() {
        let t = json!({"metadata": {"name": "{{n}}", "labels": {"{{k}}": "v"}}, "spec": {"{{k}}": 1, "x": null}});
        let mut c = Compiler::new(Engine::fast());
        let tree = c.tree(&t).unwrap();
        let p = json!({"n": "a", "k": "b"}).as_object().unwrap().clone();
        assert_eq!(
            tree.render(&p).unwrap(),
            json!({"metadata": {"name": "a", "labels": {"b": "v"}}, "spec": {"{{k}}": 1}})
        );
    }

    #[test]
    fn raw_json_fields_are_sorted_and_lose_null_values() {
        let t = json!({"helm": {"valuesObject": {"z": "{{n}}", "a": null, "m": [null, "x"]}}});
        let tree = Compiler::new(Engine::fast()).tree(&t).unwrap();
        let p = json!({"n": "1"}).as_object().unwrap().clone();
        let out = tree.render(&p).unwrap();
        assert_eq!(serde_json::to_string(&out).unwrap(), r#"{"helm":{"valuesObject":{"m":[null,"x"],"z":"1"}}}"#);
    }

    #[test]
    fn identical_strings_are_parsed_once() {
        let mut c = Compiler::new(Engine::fast());
        let a = c.string("{{x}}").unwrap();
        let b = c.string("{{x}}").unwrap();
        assert!(Arc::ptr_eq(&a, &b));
    }
}
