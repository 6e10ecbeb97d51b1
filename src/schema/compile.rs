//! JSON Schema documents -> a compiled arena of nodes, resolved once (references included).
//!
//! The vocabulary is JSON Schema draft 4 to 2020-12 as Kubernetes and Argo CD schemas use it:
//! types, properties (`additionalProperties`, `patternProperties`, `propertyNames`, `required`,
//! dependencies), items (`items`, `prefixItems` and tuples, `contains`), `enum`/`const`, string,
//! number (`multipleOf` included), list and object limits, `allOf`/`anyOf`/`oneOf`/`not`,
//! `if`/`then`/`else`, `$ref` (within and across the loaded documents, never over the network),
//! `$defs`/`definitions`, the OpenAPI `nullable`, and the Kubernetes extensions
//! `x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields`,
//! `x-kubernetes-embedded-resource`, `x-kubernetes-list-type`. `x-argovet-template` marks an
//! ApplicationSet template: below it a `{{ }}` string is accepted where a number or boolean is
//! expected. Every other keyword is sorted by [`super::keywords::handling`]: annotations are
//! ignored, the keywords the `jsonschema` crate checks and the unchecked ones are recorded on the
//! node ([`Extra::external`], [`Extra::unchecked`]).

use super::keywords::{self, Handling};
use regex::Regex;
use serde_json::Value;
use std::collections::HashMap;

/// Index of a node in [`Compiled::nodes`].
pub type NodeId = usize;

/// JSON types as a bit set.
pub mod ty {
    /// `null`.
    pub const NULL: u8 = 1;
    /// `boolean`.
    pub const BOOLEAN: u8 = 2;
    /// `integer`.
    pub const INTEGER: u8 = 4;
    /// `number` (integers included).
    pub const NUMBER: u8 = 8;
    /// `string`.
    pub const STRING: u8 = 16;
    /// `array`.
    pub const ARRAY: u8 = 32;
    /// `object`.
    pub const OBJECT: u8 = 64;

    /// Parses a JSON Schema type name.
    pub fn parse(name: &str) -> Option<u8> {
        Some(match name {
            "null" => NULL,
            "boolean" => BOOLEAN,
            "integer" => INTEGER,
            "number" => NUMBER,
            "string" => STRING,
            "array" => ARRAY,
            "object" => OBJECT,
            _ => return None,
        })
    }
}

/// What an object accepts besides its declared properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Additional {
    /// Anything.
    Any,
    /// Nothing: an unknown key is an error.
    Forbidden,
    /// Values valid against this node.
    Schema(NodeId),
}

/// Declared properties, sorted by name. Lookups compare lengths before bytes: objects have few
/// properties, and this is the validator's hottest path.
#[derive(Debug, Default)]
pub struct Properties(Vec<(String, NodeId)>);

impl Properties {
    /// The node of property `key`.
    pub fn get(&self, key: &str) -> Option<&NodeId> {
        self.0.iter().find(|(k, _)| k.len() == key.len() && k == key).map(|(_, id)| id)
    }

    /// Whether `key` is declared.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Declares `key` (replacing an earlier declaration).
    pub fn insert(&mut self, key: String, id: NodeId) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(i) => self.0[i].1 = id,
            Err(i) => self.0.insert(i, (key, id)),
        }
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }
}

/// One compiled schema.
#[derive(Debug)]
pub struct Node {
    /// `false` schema: nothing is valid.
    pub never: bool,
    /// Allowed types; 0 means any.
    pub types: u8,
    /// Declared properties.
    pub properties: Properties,
    /// `patternProperties`.
    pub pattern_properties: Vec<(Regex, NodeId)>,
    /// `additionalProperties`.
    pub additional: Additional,
    /// `required`.
    pub required: Vec<String>,
    /// `items` (every element).
    pub items: Option<NodeId>,
    /// `enum` / `const`.
    pub enumeration: Option<Vec<Value>>,
    /// `pattern`, with its source text.
    pub pattern: Option<(String, Regex)>,
    /// `minLength`.
    pub min_length: Option<u64>,
    /// `maxLength`.
    pub max_length: Option<u64>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMinimum` (a number, JSON Schema draft 6+).
    pub exclusive_minimum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: Option<f64>,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `uniqueItems`.
    pub unique_items: bool,
    /// `minProperties`.
    pub min_properties: Option<u64>,
    /// `maxProperties`.
    pub max_properties: Option<u64>,
    /// `allOf`.
    pub all_of: Vec<NodeId>,
    /// `anyOf`.
    pub any_of: Vec<NodeId>,
    /// `oneOf`.
    pub one_of: Vec<NodeId>,
    /// `not`.
    pub not: Option<NodeId>,
    /// `$ref`, validated alongside the node's own keywords.
    pub reference: Option<NodeId>,
    /// `x-argovet-template`: a `{{ }}` string is accepted where a number or boolean is expected below here.
    pub template: bool,
    /// The keywords few schemas use, boxed so the common node stays small.
    pub extra: Option<Box<Extra>>,
}

/// The rarer keywords of a node.
#[derive(Debug, Default)]
pub struct Extra {
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `prefixItems` (or draft 4-2019 `items` as a list): the schema of each leading element;
    /// [`Node::items`] applies to the elements after them.
    pub prefix_items: Vec<NodeId>,
    /// `contains`, with `minContains` (1 unless given) and `maxContains`.
    pub contains: Option<(NodeId, u64, Option<u64>)>,
    /// `propertyNames`.
    pub property_names: Option<NodeId>,
    /// `dependentRequired` (and `dependencies` with a list): when the key is present, these are required.
    pub dependent_required: Vec<(String, Vec<String>)>,
    /// `dependentSchemas` (and `dependencies` with a schema): when the key is present, the object
    /// must also be valid against the schema.
    pub dependent_schemas: Vec<(String, NodeId)>,
    /// `if`, `then`, `else`.
    pub conditional: Option<(NodeId, Option<NodeId>, Option<NodeId>)>,
    /// `x-kubernetes-list-type: set` or `map` (with `x-kubernetes-list-map-keys`).
    pub list_type: Option<ListType>,
    /// Keywords the `jsonschema` crate checks ([`super::keywords::EXTERNAL`]).
    pub external: Vec<String>,
    /// Keywords nothing here checks; every value they apply to is reported.
    pub unchecked: Vec<Unchecked>,
}

impl Extra {
    fn is_empty(&self) -> bool {
        self.multiple_of.is_none()
            && self.prefix_items.is_empty()
            && self.contains.is_none()
            && self.property_names.is_none()
            && self.dependent_required.is_empty()
            && self.dependent_schemas.is_empty()
            && self.conditional.is_none()
            && self.list_type.is_none()
            && self.external.is_empty()
            && self.unchecked.is_empty()
    }
}

/// Kubernetes' associative lists: the API server refuses duplicates.
#[derive(Debug, Clone, PartialEq)]
pub enum ListType {
    /// Every item is distinct.
    Set,
    /// Items are mappings identified by these keys (each with its schema `default`, used when an
    /// item leaves the key out).
    Map(Vec<(String, Option<Value>)>),
}

/// A keyword no validator here evaluates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// The keyword.
    pub keyword: String,
    /// The schema object that holds it: `file` and JSON pointer.
    pub location: String,
    /// More to say: the CEL rules' text, or the keyword that was probably meant.
    pub detail: Option<String>,
}

impl Node {
    fn any() -> Node {
        Node {
            never: false,
            types: 0,
            properties: Properties::default(),
            pattern_properties: Vec::new(),
            additional: Additional::Any,
            required: Vec::new(),
            items: None,
            enumeration: None,
            pattern: None,
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: None,
            exclusive_maximum: None,
            min_items: None,
            max_items: None,
            unique_items: false,
            min_properties: None,
            max_properties: None,
            all_of: Vec::new(),
            any_of: Vec::new(),
            one_of: Vec::new(),
            not: None,
            reference: None,
            template: false,
            extra: None,
        }
    }
}

/// A schema document that could not be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}: {pointer_shown}{message}", pointer_shown = show_pointer(pointer))]
pub struct CompileError {
    /// The document (file path or `$id`).
    pub source_name: String,
    /// Where in it.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

fn show_location(p: &str) -> String {
    if p.is_empty() { String::new() } else { format!(" at `{p}`") }
}

fn show_pointer(p: &str) -> String {
    if p.is_empty() { String::new() } else { format!("at `{p}`: ") }
}

/// A loaded schema document.
#[derive(Debug, Clone)]
pub struct SchemaDoc {
    /// Its base URI (`$id`, or a `file://` URI of its path), used to resolve `$ref`s.
    pub id: String,
    /// Shown in errors.
    pub name: String,
    /// The document.
    pub value: Value,
}

/// Every node of every loaded schema document.
#[derive(Debug)]
pub struct Compiled {
    /// The arena.
    pub nodes: Vec<Node>,
    docs: Vec<SchemaDoc>,
    memo: HashMap<(usize, String), NodeId>,
}

impl Compiled {
    /// An empty arena over these documents; compile roots with [`Compiled::root`].
    pub fn new(docs: Vec<SchemaDoc>) -> Compiled {
        Compiled { nodes: Vec::new(), docs, memo: HashMap::new() }
    }

    /// The documents.
    pub fn docs(&self) -> &[SchemaDoc] {
        &self.docs
    }

    /// Compiles document `doc`'s root (or returns it when already compiled).
    pub fn root(&mut self, doc: usize) -> Result<NodeId, CompileError> {
        self.compile(doc, String::new())
    }

    /// The node at index `id`.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// The nodes `id` applies directly (subschemas and references).
    pub fn children(&self, id: NodeId) -> Vec<NodeId> {
        let n = &self.nodes[id];
        let mut out: Vec<NodeId> = n.properties.0.iter().map(|&(_, c)| c).collect();
        out.extend(n.pattern_properties.iter().map(|&(_, c)| c));
        if let Additional::Schema(c) = n.additional {
            out.push(c);
        }
        out.extend(n.items.iter().chain(n.not.iter()).chain(n.reference.iter()));
        out.extend(n.all_of.iter().chain(&n.any_of).chain(&n.one_of));
        if let Some(x) = &n.extra {
            out.extend(&x.prefix_items);
            out.extend(x.contains.iter().map(|c| c.0).chain(x.property_names));
            out.extend(x.dependent_schemas.iter().map(|d| d.1));
            if let Some((i, t, e)) = x.conditional {
                out.extend([Some(i), t, e].into_iter().flatten());
            }
        }
        out
    }

    /// Whether a keyword left to the `jsonschema` crate applies below `root`.
    pub fn reaches_external(&self, root: NodeId) -> bool {
        let mut seen = vec![false; self.nodes.len()];
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            if self.nodes[id].extra.as_ref().is_some_and(|x| !x.external.is_empty()) {
                return true;
            }
            stack.extend(self.children(id));
        }
        false
    }

    fn err(&self, doc: usize, pointer: &str, message: impl Into<String>) -> CompileError {
        CompileError { source_name: self.docs[doc].name.clone(), pointer: pointer.to_owned(), message: message.into() }
    }

    fn compile(&mut self, doc: usize, pointer: String) -> Result<NodeId, CompileError> {
        if let Some(&id) = self.memo.get(&(doc, pointer.clone())) {
            return Ok(id);
        }
        let id = self.nodes.len();
        self.nodes.push(Node::any());
        self.memo.insert((doc, pointer.clone()), id);
        let Some(value) = crate::model::pointer(&self.docs[doc].value, &pointer).cloned() else {
            return Err(self.err(doc, &pointer, "reference to a location that does not exist"));
        };
        let node = self.build(doc, &pointer, &value)?;
        self.nodes[id] = node;
        Ok(id)
    }

    fn child(&mut self, doc: usize, pointer: &str, segs: &[&str]) -> Result<NodeId, CompileError> {
        let mut p = pointer.to_owned();
        for s in segs {
            p.push('/');
            p.push_str(&s.replace('~', "~0").replace('/', "~1"));
        }
        self.compile(doc, p)
    }

    fn build(&mut self, doc: usize, pointer: &str, value: &Value) -> Result<Node, CompileError> {
        let mut node = Node::any();
        let obj = match value {
            Value::Bool(true) => return Ok(node),
            Value::Bool(false) => {
                node.never = true;
                return Ok(node);
            }
            Value::Object(o) => o,
            _ => return Err(self.err(doc, pointer, "a schema must be an object or a boolean")),
        };
        let num = |k: &str| obj.get(k).and_then(Value::as_f64);
        let count = |k: &str| obj.get(k).and_then(Value::as_u64);
        match obj.get("type") {
            None => {}
            Some(Value::String(t)) => {
                node.types = ty::parse(t).ok_or_else(|| self.err(doc, pointer, format!("unknown type `{t}`")))?
            }
            Some(Value::Array(ts)) => {
                for t in ts {
                    let t = t.as_str().unwrap_or("");
                    node.types |= ty::parse(t).ok_or_else(|| self.err(doc, pointer, format!("unknown type `{t}`")))?;
                }
            }
            Some(_) => return Err(self.err(doc, pointer, "`type` must be a string or a list of strings")),
        }
        if obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
            node.types = ty::INTEGER | ty::STRING;
        }
        if obj.get("nullable") == Some(&Value::Bool(true)) && node.types != 0 {
            node.types |= ty::NULL;
        }
        if node.types & ty::INTEGER != 0 && node.types & ty::NUMBER != 0 {
            node.types &= !ty::INTEGER;
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for key in props.keys() {
                let id = self.child(doc, pointer, &["properties", key])?;
                node.properties.insert(key.clone(), id);
            }
        }
        if let Some(pp) = obj.get("patternProperties").and_then(Value::as_object) {
            for key in pp.keys() {
                let re = Regex::new(key)
                    .map_err(|e| self.err(doc, pointer, format!("patternProperties `{key}` is not a regex: {e}")))?;
                let id = self.child(doc, pointer, &["patternProperties", key])?;
                node.pattern_properties.push((re, id));
            }
        }
        let preserve = obj.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true));
        node.additional = match obj.get("additionalProperties") {
            Some(Value::Bool(false)) if !preserve => Additional::Forbidden,
            Some(Value::Object(_)) => Additional::Schema(self.child(doc, pointer, &["additionalProperties"])?),
            _ => Additional::Any,
        };
        if obj.get("x-kubernetes-embedded-resource") == Some(&Value::Bool(true)) {
            // An embedded object is a whole Kubernetes object: apiVersion, kind and metadata are implicit.
            for (k, t) in [("apiVersion", ty::STRING), ("kind", ty::STRING), ("metadata", ty::OBJECT)] {
                if !node.properties.contains_key(k) {
                    let id = self.nodes.len();
                    let mut n = Node::any();
                    n.types = t;
                    self.nodes.push(n);
                    node.properties.insert(k.to_owned(), id);
                }
            }
            node.required.extend(["apiVersion".to_owned(), "kind".to_owned()]);
        }
        if let Some(req) = obj.get("required").and_then(Value::as_array) {
            for r in req.iter().filter_map(Value::as_str) {
                if !node.required.iter().any(|x| x == r) {
                    node.required.push(r.to_owned());
                }
            }
        }
        let mut extra = Extra::default();
        match obj.get("items") {
            Some(Value::Object(_)) | Some(Value::Bool(_)) => node.items = Some(self.child(doc, pointer, &["items"])?),
            Some(Value::Array(list)) => {
                // Draft 4 to 2019-09 tuples: `items` lists the leading elements, `additionalItems` the rest.
                extra.prefix_items = self.child_list(doc, pointer, "items", list.len())?;
                if matches!(obj.get("additionalItems"), Some(Value::Object(_) | Value::Bool(_))) {
                    node.items = Some(self.child(doc, pointer, &["additionalItems"])?);
                }
            }
            _ => {}
        }
        if let Some(Value::Array(list)) = obj.get("prefixItems") {
            extra.prefix_items = self.child_list(doc, pointer, "prefixItems", list.len())?;
        }
        if let Some(Value::Array(e)) = obj.get("enum") {
            node.enumeration = Some(e.clone());
        }
        if let Some(c) = obj.get("const") {
            node.enumeration = Some(vec![c.clone()]);
        }
        if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
            let re = Regex::new(p).map_err(|e| self.err(doc, pointer, format!("pattern `{p}` is not a regex: {e}")))?;
            node.pattern = Some((p.to_owned(), re));
        }
        node.min_length = count("minLength");
        node.max_length = count("maxLength");
        node.minimum = num("minimum");
        node.maximum = num("maximum");
        // OpenAPI 3.0 spells exclusive bounds as booleans next to minimum/maximum.
        match obj.get("exclusiveMinimum") {
            Some(Value::Bool(true)) => node.exclusive_minimum = node.minimum.take(),
            Some(v) => node.exclusive_minimum = v.as_f64(),
            None => {}
        }
        match obj.get("exclusiveMaximum") {
            Some(Value::Bool(true)) => node.exclusive_maximum = node.maximum.take(),
            Some(v) => node.exclusive_maximum = v.as_f64(),
            None => {}
        }
        node.min_items = count("minItems");
        node.max_items = count("maxItems");
        node.unique_items = obj.get("uniqueItems") == Some(&Value::Bool(true));
        node.min_properties = count("minProperties");
        node.max_properties = count("maxProperties");
        for (key, list) in [("allOf", 0), ("anyOf", 1), ("oneOf", 2)] {
            if let Some(items) = obj.get(key).and_then(Value::as_array) {
                let mut ids = Vec::with_capacity(items.len());
                for i in 0..items.len() {
                    ids.push(self.child(doc, pointer, &[key, &i.to_string()])?);
                }
                match list {
                    0 => node.all_of = ids,
                    1 => node.any_of = ids,
                    _ => node.one_of = ids,
                }
            }
        }
        if obj.contains_key("not") {
            node.not = Some(self.child(doc, pointer, &["not"])?);
        }
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            let (target, frag) = self.resolve_ref(doc, pointer, r)?;
            node.reference = Some(self.compile(target, frag)?);
        }
        node.template = obj.get("x-argovet-template") == Some(&Value::Bool(true));
        self.build_extra(doc, pointer, obj, &mut extra)?;
        if !extra.is_empty() {
            node.extra = Some(Box::new(extra));
        }
        Ok(node)
    }

    fn child_list(&mut self, doc: usize, pointer: &str, key: &str, len: usize) -> Result<Vec<NodeId>, CompileError> {
        (0..len).map(|i| self.child(doc, pointer, &[key, &i.to_string()])).collect()
    }

    /// The rarer keywords, and the inventory of every keyword of the object: each is enforced here,
    /// left to the `jsonschema` crate, an annotation, or recorded as unchecked.
    fn build_extra(
        &mut self,
        doc: usize,
        pointer: &str,
        obj: &serde_json::Map<String, Value>,
        extra: &mut Extra,
    ) -> Result<(), CompileError> {
        if let Some(m) = obj.get("multipleOf") {
            match m.as_f64() {
                Some(f) if f > 0.0 => extra.multiple_of = Some(f),
                _ => return Err(self.err(doc, pointer, format!("`multipleOf: {m}` must be a number greater than 0"))),
            }
        }
        if obj.contains_key("contains") {
            let id = self.child(doc, pointer, &["contains"])?;
            let min = obj.get("minContains").and_then(Value::as_u64).unwrap_or(1);
            extra.contains = Some((id, min, obj.get("maxContains").and_then(Value::as_u64)));
        }
        if obj.contains_key("propertyNames") {
            extra.property_names = Some(self.child(doc, pointer, &["propertyNames"])?);
        }
        for key in ["dependencies", "dependentRequired", "dependentSchemas"] {
            let Some(map) = obj.get(key).and_then(Value::as_object) else { continue };
            for (name, v) in map {
                match v {
                    Value::Array(list) if key != "dependentSchemas" => {
                        let fields = list.iter().filter_map(Value::as_str).map(str::to_owned).collect();
                        extra.dependent_required.push((name.clone(), fields));
                    }
                    Value::Object(_) | Value::Bool(_) if key != "dependentRequired" => {
                        let id = self.child(doc, pointer, &[key, name])?;
                        extra.dependent_schemas.push((name.clone(), id));
                    }
                    _ => {
                        return Err(self.err(
                            doc,
                            pointer,
                            format!("`{key}` of `{name}` must be a list of names or a schema"),
                        ));
                    }
                }
            }
        }
        if obj.contains_key("if") {
            let cond = self.child(doc, pointer, &["if"])?;
            let then = if obj.contains_key("then") { Some(self.child(doc, pointer, &["then"])?) } else { None };
            let otherwise = if obj.contains_key("else") { Some(self.child(doc, pointer, &["else"])?) } else { None };
            extra.conditional = Some((cond, then, otherwise));
        }
        match obj.get("x-kubernetes-list-type").and_then(Value::as_str) {
            Some("set") => extra.list_type = Some(ListType::Set),
            Some("map") => {
                let keys: Vec<(String, Option<Value>)> = obj
                    .get("x-kubernetes-list-map-keys")
                    .and_then(Value::as_array)
                    .map(|ks| ks.iter().filter_map(Value::as_str).collect::<Vec<_>>())
                    .unwrap_or_default()
                    .into_iter()
                    .map(|k| {
                        let default = obj.get("items").and_then(|i| i.pointer(&format!("/properties/{k}/default")));
                        (k.to_owned(), default.cloned())
                    })
                    .collect();
                if keys.is_empty() {
                    return Err(self.err(
                        doc,
                        pointer,
                        "`x-kubernetes-list-type: map` needs `x-kubernetes-list-map-keys`",
                    ));
                }
                extra.list_type = Some(ListType::Map(keys));
            }
            _ => {}
        }
        for (key, v) in obj {
            match keywords::handling(key) {
                Handling::Builtin | Handling::Annotation => {}
                Handling::External => extra.external.push(key.clone()),
                Handling::Unchecked => {
                    let detail = if key == "x-kubernetes-validations" {
                        let rules: Vec<&str> =
                            v.as_array().into_iter().flatten().filter_map(|r| r.get("rule")?.as_str()).collect();
                        (!rules.is_empty())
                            .then(|| rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "))
                    } else if key == "$recursiveRef" {
                        Some("JSON Schema 2020-12 replaced it with `$dynamicRef`, which argovet checks.".to_owned())
                    } else {
                        crate::lint::util::suggest(key, keywords::known()).map(|s| format!("did you mean `{s}`?"))
                    };
                    let location = format!("{}{}", self.docs[doc].name, show_location(pointer));
                    extra.unchecked.push(Unchecked { keyword: key.clone(), location, detail });
                }
            }
        }
        Ok(())
    }

    /// Resolves `$ref` text to a document and a JSON pointer inside it.
    fn resolve_ref(&self, doc: usize, pointer: &str, r: &str) -> Result<(usize, String), CompileError> {
        let (file, frag) = r.split_once('#').unwrap_or((r, ""));
        if !frag.is_empty() && !frag.starts_with('/') {
            return Err(self.err(doc, pointer, format!("`$ref: {r}`: anchors are not supported, use a JSON pointer")));
        }
        let frag = percent_decode(frag);
        if file.is_empty() {
            return Ok((doc, frag));
        }
        let wanted = join_uri(&self.docs[doc].id, file);
        let target = self.docs.iter().position(|d| d.id == wanted || d.id.trim_end_matches('#') == wanted);
        match target {
            Some(t) => Ok((t, frag)),
            None => Err(self.err(
                doc,
                pointer,
                format!("`$ref: {r}` names a schema that is not loaded ({wanted}); argovet never downloads schemas, add it with --schema-location"),
            )),
        }
    }
}

/// Resolves a relative reference against a base URI (enough for `other.json` and `../x/y.json`).
pub fn join_uri(base: &str, rel: &str) -> String {
    if rel.contains("://") || base.is_empty() {
        return rel.to_owned();
    }
    let dir = match base.rfind('/') {
        Some(i) => &base[..=i],
        None => "",
    };
    let mut parts: Vec<&str> = dir.trim_end_matches('/').split('/').collect();
    for seg in rel.split('/') {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 3 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compile(v: Value) -> Result<(Compiled, NodeId), CompileError> {
        let mut c = Compiled::new(vec![SchemaDoc { id: "https://x/a.json".into(), name: "a.json".into(), value: v }]);
        let root = c.root(0)?;
        Ok((c, root))
    }

    #[test]
    fn compiles_recursive_references_once() {
        let (c, root) =
            compile(json!({"$defs": {"n": {"type": "object", "properties": {"next": {"$ref": "#/$defs/n"}}}},
            "$ref": "#/$defs/n"}))
            .unwrap();
        let n = c.node(root).reference.unwrap();
        let next = *c.node(n).properties.get("next").unwrap();
        assert_eq!(c.node(next).reference, Some(n));
    }

    #[test]
    fn reports_bad_references_and_types() {
        let e = compile(json!({"$ref": "other.json#/x"})).unwrap_err();
        assert!(e.message.contains("https://x/other.json"), "{e}");
        let e = compile(json!({"type": "strnig"})).unwrap_err();
        assert_eq!(e.to_string(), "a.json: unknown type `strnig`");
        let e = compile(json!({"properties": {"a": {"pattern": "("}}})).unwrap_err();
        assert!(e.to_string().starts_with("a.json: at `/properties/a`: pattern `(`"), "{e}");
    }

    #[test]
    fn kubernetes_extensions() {
        let (c, root) = compile(json!({"x-kubernetes-int-or-string": true})).unwrap();
        assert_eq!(c.node(root).types, ty::INTEGER | ty::STRING);
        let (c, root) = compile(json!({"type": "string", "nullable": true})).unwrap();
        assert_eq!(c.node(root).types, ty::STRING | ty::NULL);
        let (c, root) = compile(
            json!({"type": "object", "additionalProperties": false, "x-kubernetes-preserve-unknown-fields": true}),
        )
        .unwrap();
        assert_eq!(c.node(root).additional, Additional::Any);
        let (c, root) = compile(json!({"type": "object", "x-kubernetes-embedded-resource": true})).unwrap();
        assert!(c.node(root).properties.contains_key("metadata"));
        assert_eq!(c.node(root).required, ["apiVersion", "kind"]);
    }

    #[test]
    fn joins_relative_uris() {
        assert_eq!(join_uri("https://a/b/c.json", "d.json"), "https://a/b/d.json");
        assert_eq!(join_uri("https://a/b/c.json", "../d.json"), "https://a/d.json");
        assert_eq!(join_uri("file:///x/y.json", "z.json"), "file:///x/z.json");
        assert_eq!(percent_decode("/a%20b"), "/a b");
    }
}
