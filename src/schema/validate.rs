//! Walks a value against a compiled schema and collects violations, each at a JSON pointer.

use super::compile::{Additional, Compiled, Extra, ListType, Node, NodeId, ty};
use serde_json::Value;

/// What is wrong at one place of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A key the schema does not allow; the pointer names the key's value.
    UnknownField {
        /// The key.
        key: String,
        /// Keys allowed in this object, sorted.
        known: Vec<String>,
    },
    /// The value has the wrong JSON type.
    Type {
        /// Allowed types (bit set of [`ty`]).
        expected: u8,
    },
    /// The value is not one of the allowed values.
    Enum {
        /// The allowed values.
        allowed: Vec<Value>,
    },
    /// A required key is absent; the pointer names the object.
    Required {
        /// The missing key.
        field: String,
        /// The key whose presence requires it (`dependentRequired`), if any.
        when: Option<String>,
    },
    /// A key that `propertyNames` does not allow; the pointer names the key's value.
    PropertyName {
        /// The key.
        key: String,
        /// What is wrong with it, as problems of the key taken as a string.
        problems: Vec<Problem>,
    },
    /// The value was not checked against a keyword nothing here evaluates (Kubernetes CEL rules,
    /// an unknown keyword).
    Unchecked {
        /// The keyword.
        keyword: String,
        /// The schema object holding it.
        location: String,
        /// The CEL rules, or the keyword probably meant.
        detail: Option<String>,
    },
    /// Any other constraint (pattern, bounds, combinators), described in words.
    Constraint {
        /// What is wrong, e.g. "must be at least 1 characters long".
        message: String,
    },
}

/// One violation: where (a JSON pointer into the document) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// JSON pointer of the offending node (of the object, for [`Problem::Required`]).
    pub pointer: String,
    /// What is wrong.
    pub problem: Problem,
}

/// Validates `value` against node `root` of `schema`.
///
/// With `nulls_pruned` (Kubernetes semantics for CRDs and the Argo CD kinds), a field whose value is
/// `null` is dropped by the API server before validation: it is not a type error, but a required
/// field that is `null` is missing.
pub fn validate(schema: &Compiled, root: NodeId, value: &Value, nulls_pruned: bool) -> Vec<Violation> {
    let mut w = Walker { schema, path: Vec::new(), out: Vec::new(), unchecked: Vec::new(), nulls_pruned };
    w.node(root, value, false);
    let mut out = w.out;
    out.extend(w.unchecked);
    out
}

enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

struct Walker<'s, 'v> {
    schema: &'s Compiled,
    path: Vec<Seg<'v>>,
    out: Vec<Violation>,
    /// Values not checked against a keyword, once per keyword and schema object; kept apart from
    /// `out` so trials of `anyOf` alternatives neither count nor drop them.
    unchecked: Vec<Violation>,
    nulls_pruned: bool,
}

fn is_template(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.contains("{{"))
}

/// Whether `v` or anything in it is a `{{ }}` string.
pub fn holds_template(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains("{{"),
        Value::Array(items) => items.iter().any(holds_template),
        Value::Object(map) => map.values().any(holds_template),
        _ => false,
    }
}

/// Whether `x` is an integer multiple of `m`, allowing for binary floating point (`0.3` is a
/// multiple of `0.1`).
pub fn is_multiple_of(x: f64, m: f64) -> bool {
    let q = x / m;
    if !q.is_finite() {
        return false;
    }
    (q - q.round()).abs() <= 1e-9 * q.abs().max(1.0)
}

/// Whether `value` has one of the types in `types`.
pub fn type_matches(types: u8, value: &Value) -> bool {
    if types == 0 {
        return true;
    }
    let t = match value {
        Value::Null => ty::NULL,
        Value::Bool(_) => ty::BOOLEAN,
        Value::Number(n) => {
            let integral = n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
            if types & ty::NUMBER != 0 || (integral && types & ty::INTEGER != 0) {
                return true;
            }
            ty::NUMBER
        }
        Value::String(_) => ty::STRING,
        Value::Array(_) => ty::ARRAY,
        Value::Object(_) => ty::OBJECT,
    };
    types & t != 0
}

impl<'s, 'v> Walker<'s, 'v> {
    fn pointer(&self) -> String {
        let mut p = String::new();
        for s in &self.path {
            p.push('/');
            match s {
                Seg::Key(k) => p.push_str(&k.replace('~', "~0").replace('/', "~1")),
                Seg::Index(i) => p.push_str(&i.to_string()),
            }
        }
        p
    }

    fn report(&mut self, problem: Problem) {
        let pointer = self.pointer();
        self.out.push(Violation { pointer, problem });
    }

    fn constraint(&mut self, message: String) {
        self.report(Problem::Constraint { message });
    }

    /// Errors of `id` against `value` at the current path, without recording them.
    fn trial(&mut self, id: NodeId, value: &'v Value, template: bool) -> Vec<Violation> {
        let saved = std::mem::take(&mut self.out);
        self.node(id, value, template);
        std::mem::replace(&mut self.out, saved)
    }

    fn node(&mut self, id: NodeId, value: &'v Value, template: bool) {
        let n: &'s Node = self.schema.node(id);
        let template = template || n.template;
        if n.never {
            self.constraint("is not allowed here".into());
            return;
        }
        if let Some(r) = n.reference {
            self.node(r, value, template);
        }
        let templated = template && is_template(value);
        if !type_matches(n.types, value) {
            // Before expansion a `{{ }}` string stands for whatever it renders to.
            let scalar_wanted = n.types & (ty::BOOLEAN | ty::INTEGER | ty::NUMBER) != 0;
            if !(templated && scalar_wanted) {
                self.report(Problem::Type { expected: n.types });
            }
            return;
        }
        if n.types & ty::NULL != 0 && value.is_null() {
            return;
        }
        if let Some(allowed) = &n.enumeration
            && !templated
            && !allowed.contains(value)
        {
            self.report(Problem::Enum { allowed: allowed.clone() });
        }
        match value {
            Value::String(s) if !templated => self.string(n, s),
            Value::Number(num) => self.number(n, num.as_f64().unwrap_or(0.0)),
            Value::Array(items) => self.array(n, items, template),
            Value::Object(map) => self.object(n, map, template),
            _ => {}
        }
        for &sub in &n.all_of {
            self.node(sub, value, template);
        }
        if !n.any_of.is_empty() {
            self.combinator(&n.any_of, value, template, false);
        }
        if !n.one_of.is_empty() {
            self.combinator(&n.one_of, value, template, true);
        }
        if let Some(not) = n.not
            && self.trial(not, value, template).is_empty()
        {
            self.constraint("matches a form that is not allowed here".into());
        }
        if let Some(x) = &n.extra {
            self.extra(x, value, template);
        }
    }

    /// The rarer keywords: `multipleOf`, `prefixItems`, `contains`, `propertyNames`,
    /// dependencies, `if`/`then`/`else`, Kubernetes list types, and the unchecked ones.
    fn extra(&mut self, x: &'s Extra, value: &'v Value, template: bool) {
        for u in &x.unchecked {
            let seen = self.unchecked.iter().any(|v| {
                matches!(&v.problem, Problem::Unchecked { keyword, location, .. } if *keyword == u.keyword && *location == u.location)
            });
            if !seen {
                let problem = Problem::Unchecked {
                    keyword: u.keyword.clone(),
                    location: u.location.clone(),
                    detail: u.detail.clone(),
                };
                self.unchecked.push(Violation { pointer: self.pointer(), problem });
            }
        }
        // Before expansion nothing is known about what a `{{ }}` value renders to.
        let unknowable = template && holds_template(value);
        match value {
            Value::Number(num) => {
                if let Some(m) = x.multiple_of
                    && !is_multiple_of(num.as_f64().unwrap_or(0.0), m)
                {
                    self.constraint(format!("must be a multiple of {m}"));
                }
            }
            Value::Array(items) => {
                for (i, (&p, v)) in x.prefix_items.iter().zip(items).enumerate() {
                    self.path.push(Seg::Index(i));
                    self.node(p, v, template);
                    self.path.pop();
                }
                if let Some((c, min, max)) = x.contains {
                    let matching = items.iter().filter(|v| self.trial(c, v, template).is_empty()).count() as u64;
                    if matching < min && !unknowable {
                        self.constraint(if min == 1 {
                            format!(
                                "must contain an item that matches the schema's `contains` (none of its {} does)",
                                items.len()
                            )
                        } else {
                            format!(
                                "must contain at least {min} items that match the schema's `contains` ({matching} do)"
                            )
                        });
                    }
                    if let Some(max) = max.filter(|&m| matching > m) {
                        self.constraint(format!(
                            "must contain at most {max} item{} that match the schema's `contains` ({matching} do)",
                            plural(max)
                        ));
                    }
                }
                // The API server holds custom resources to their list types; built-in kinds (whose
                // JSON Schema files carry the same extension) are validated by hand-written code
                // that accepts duplicates, so plain JSON Schema files are not held to it.
                if let Some(lt) = &x.list_type
                    && self.nulls_pruned
                {
                    self.list_type(lt, items, template);
                }
            }
            Value::Object(map) => {
                if let Some(pn) = x.property_names {
                    // A `null` field is dropped before Kubernetes validates the object.
                    let pruned = self.nulls_pruned;
                    for (key, _) in map.iter().filter(|(_, v)| !(v.is_null() && pruned)) {
                        let name = Value::String(key.clone());
                        let (unchecked, problems): (Vec<Problem>, Vec<Problem>) =
                            validate(self.schema, pn, &name, false)
                                .into_iter()
                                .map(|v| v.problem)
                                .partition(|p| matches!(p, Problem::Unchecked { .. }));
                        self.path.push(Seg::Key(key));
                        for problem in unchecked {
                            if !self.unchecked.iter().any(|v| v.problem == problem) {
                                self.unchecked.push(Violation { pointer: self.pointer(), problem });
                            }
                        }
                        if !problems.is_empty() {
                            self.report(Problem::PropertyName { key: key.clone(), problems });
                        }
                        self.path.pop();
                    }
                }
                let pruned = self.nulls_pruned;
                let present = |k: &str| map.get(k).is_some_and(|v| !(v.is_null() && pruned));
                for (k, fields) in &x.dependent_required {
                    if present(k) {
                        for f in fields.iter().filter(|f| !present(f)) {
                            self.report(Problem::Required { field: f.clone(), when: Some(k.clone()) });
                        }
                    }
                }
                let schemas: Vec<NodeId> =
                    x.dependent_schemas.iter().filter(|(k, _)| present(k)).map(|&(_, id)| id).collect();
                for id in schemas {
                    self.node(id, value, template);
                }
            }
            _ => {}
        }
        if let Some((cond, then, otherwise)) = x.conditional
            && !unknowable
        {
            let branch = if self.trial(cond, value, template).is_empty() { then } else { otherwise };
            if let Some(b) = branch {
                self.node(b, value, template);
            }
        }
    }

    /// Duplicates in a Kubernetes `set` or `map` list, reported at the later item as the API
    /// server does (`Duplicate value`).
    fn list_type(&mut self, lt: &ListType, items: &'v [Value], template: bool) {
        let identity = |v: &Value| -> Option<Value> {
            match lt {
                ListType::Set => Some(v.clone()),
                ListType::Map(keys) => {
                    let obj = v.as_object()?;
                    let key: Vec<Value> = keys
                        .iter()
                        .map(|(k, default)| obj.get(k).cloned().or_else(|| default.clone()).unwrap_or(Value::Null))
                        .collect();
                    Some(Value::Array(key))
                }
            }
        };
        let ids: Vec<Option<Value>> =
            items.iter().map(|v| if template && holds_template(v) { None } else { identity(v) }).collect();
        for (i, id) in ids.iter().enumerate() {
            let Some(id) = id else { continue };
            let Some(j) = ids[..i].iter().position(|o| o.as_ref() == Some(id)) else { continue };
            self.path.push(Seg::Index(i));
            match lt {
                ListType::Set => self.constraint(format!(
                    "repeats item {j}; the list is an `x-kubernetes-list-type: set`, each value may appear once"
                )),
                ListType::Map(keys) => {
                    let shown: Vec<String> = keys
                        .iter()
                        .zip(id.as_array().into_iter().flatten())
                        .map(|((k, _), v)| format!("{k}: {}", super::message::show(v)))
                        .collect();
                    self.constraint(format!(
                        "has the same key as item {j} ({}); the list is an `x-kubernetes-list-type: map`, keyed by {}",
                        shown.join(", "),
                        keys.iter().map(|(k, _)| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ));
                }
            }
            self.path.pop();
        }
    }

    fn string(&mut self, n: &Node, s: &str) {
        let len = s.chars().count() as u64;
        if let Some(min) = n.min_length.filter(|&m| len < m) {
            self.constraint(if min == 1 {
                "must not be empty".into()
            } else {
                format!("must be at least {min} characters long (it has {len})")
            });
        }
        if let Some(max) = n.max_length.filter(|&m| len > m) {
            self.constraint(format!("must be at most {max} characters long (it has {len})"));
        }
        if let Some((src, re)) = &n.pattern
            && !re.is_match(s)
        {
            self.constraint(format!("does not match the pattern `{src}`"));
        }
    }

    fn number(&mut self, n: &Node, x: f64) {
        if let Some(m) = n.minimum.filter(|&m| x < m) {
            self.constraint(format!("must be at least {m}"));
        }
        if let Some(m) = n.maximum.filter(|&m| x > m) {
            self.constraint(format!("must be at most {m}"));
        }
        if let Some(m) = n.exclusive_minimum.filter(|&m| x <= m) {
            self.constraint(format!("must be greater than {m}"));
        }
        if let Some(m) = n.exclusive_maximum.filter(|&m| x >= m) {
            self.constraint(format!("must be less than {m}"));
        }
    }

    fn array(&mut self, n: &Node, items: &'v [Value], template: bool) {
        let len = items.len() as u64;
        if let Some(min) = n.min_items.filter(|&m| len < m) {
            self.constraint(format!("must have at least {min} item{} (it has {len})", plural(min)));
        }
        if let Some(max) = n.max_items.filter(|&m| len > m) {
            self.constraint(format!("must have at most {max} item{} (it has {len})", plural(max)));
        }
        if n.unique_items {
            for (i, a) in items.iter().enumerate() {
                if let Some(j) = items[..i].iter().position(|b| b == a) {
                    self.constraint(format!("items {j} and {i} are equal; every item must be unique"));
                    break;
                }
            }
        }
        if let Some(item) = n.items {
            let skip = n.extra.as_ref().map_or(0, |x| x.prefix_items.len());
            for (i, v) in items.iter().enumerate().skip(skip) {
                self.path.push(Seg::Index(i));
                self.node(item, v, template);
                self.path.pop();
            }
        }
    }

    fn object(&mut self, n: &Node, map: &'v serde_json::Map<String, Value>, template: bool) {
        for field in &n.required {
            let absent = match map.get(field) {
                None => true,
                Some(v) => v.is_null() && self.nulls_pruned,
            };
            if absent && !crate::lint::util::has_misspelling_of(map, field, |k| n.properties.contains_key(k)) {
                self.report(Problem::Required { field: field.clone(), when: None });
            }
        }
        let len = map.len() as u64;
        if let Some(min) = n.min_properties.filter(|&m| len < m) {
            self.constraint(format!("must have at least {min} field{}", plural(min)));
        }
        if let Some(max) = n.max_properties.filter(|&m| len > m) {
            self.constraint(format!("must have at most {max} field{}", plural(max)));
        }
        for (key, v) in map {
            let declared = n.properties.get(key).copied();
            if v.is_null() && self.nulls_pruned && (declared.is_some() || n.additional != Additional::Forbidden) {
                continue;
            }
            self.path.push(Seg::Key(key));
            let mut matched = false;
            if let Some(p) = declared {
                matched = true;
                self.node(p, v, template);
            }
            for (re, p) in &n.pattern_properties {
                if re.is_match(key) {
                    matched = true;
                    self.node(*p, v, template);
                }
            }
            if !matched {
                match n.additional {
                    Additional::Any => {}
                    Additional::Schema(a) => self.node(a, v, template),
                    Additional::Forbidden => {
                        let known = n.properties.keys().cloned().collect();
                        self.report(Problem::UnknownField { key: key.clone(), known });
                    }
                }
            }
            self.path.pop();
        }
    }

    /// `anyOf` (`exactly_one` false) or `oneOf`. When nothing matches, the errors of the closest
    /// alternative are reported: a person wants to know what to fix, not that five forms failed.
    fn combinator(&mut self, alts: &[NodeId], value: &'v Value, template: bool, exactly_one: bool) {
        let here = self.pointer();
        let mut passed = 0;
        let mut best: Option<(usize, Vec<Violation>)> = None;
        for &a in alts {
            let errs = self.trial(a, value, template);
            if errs.is_empty() {
                passed += 1;
                continue;
            }
            // An alternative whose type does not even fit is the worst candidate.
            let wrong_type = errs.iter().any(|e| e.pointer == here && matches!(e.problem, Problem::Type { .. }));
            let score = if wrong_type { usize::MAX } else { errs.len() };
            if best.as_ref().is_none_or(|(s, _)| score < *s) {
                best = Some((score, errs));
            }
        }
        if exactly_one && passed > 1 {
            self.constraint(format!("matches {passed} of the allowed forms; it must match exactly one"));
        } else if passed == 0 {
            match best {
                Some((score, errs)) if score != usize::MAX => self.out.extend(errs),
                _ => {
                    let expected = alts.iter().fold(0u8, |t, &a| t | self.schema.node(a).types);
                    if expected != 0 && !type_matches(expected, value) {
                        self.report(Problem::Type { expected });
                    } else {
                        self.constraint("does not match any of the allowed forms".into());
                    }
                }
            }
        }
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::compile::SchemaDoc;
    use serde_json::json;

    fn run(schema: Value, value: Value) -> Vec<(String, Problem)> {
        run_as(schema, value, false)
    }

    /// With Kubernetes semantics (a CRD's schema, `null` fields pruned).
    fn run_as(schema: Value, value: Value, kubernetes: bool) -> Vec<(String, Problem)> {
        let mut c = Compiled::new(vec![SchemaDoc { id: "https://x/s.json".into(), name: "s".into(), value: schema }]);
        let root = c.root(0).unwrap();
        validate(&c, root, &value, kubernetes).into_iter().map(|v| (v.pointer, v.problem)).collect()
    }

    #[test]
    fn finds_unknown_fields_type_enum_and_required() {
        let schema = json!({"type": "object", "additionalProperties": false, "required": ["a"],
            "properties": {"a": {"type": "boolean"}, "b": {"enum": ["x", "y"]}, "c": {"type": "array", "items": {"type": "integer"}}}});
        let got = run(schema, json!({"b": "z", "c": [1, "2"], "d": 1}));
        assert_eq!(
            got,
            vec![
                ("".into(), Problem::Required { field: "a".into(), when: None }),
                ("/b".into(), Problem::Enum { allowed: vec![json!("x"), json!("y")] }),
                ("/c/1".into(), Problem::Type { expected: ty::INTEGER }),
                (
                    "/d".into(),
                    Problem::UnknownField { key: "d".into(), known: vec!["a".into(), "b".into(), "c".into()] }
                ),
            ]
        );
    }

    #[test]
    fn template_strings_stand_for_scalars_only_below_a_template_marker() {
        let schema = json!({"type": "object", "properties": {
            "t": {"x-argovet-template": true, "type": "object", "properties": {"n": {"type": "integer"}, "o": {"type": "object"}}},
            "n": {"type": "integer"}}});
        assert!(run(schema.clone(), json!({"t": {"n": "{{ .n }}"}})).is_empty());
        assert_eq!(run(schema.clone(), json!({"n": "{{ .n }}"})).len(), 1);
        assert_eq!(run(schema.clone(), json!({"t": {"n": "five"}})).len(), 1);
        assert_eq!(run(schema, json!({"t": {"o": "{{ .o }}"}})).len(), 1);
    }

    #[test]
    fn any_of_reports_the_closest_alternative() {
        let schema = json!({"anyOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false},
            {"type": "string"}]});
        assert!(run(schema.clone(), json!("x")).is_empty());
        let got = run(schema.clone(), json!({"a": "x", "b": 1}));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, "/b");
        assert_eq!(run(schema, json!(3)), vec![("".into(), Problem::Type { expected: ty::OBJECT | ty::STRING })]);
    }

    #[test]
    fn kubernetes_prunes_null_fields() {
        let mut c = Compiled::new(vec![SchemaDoc {
            id: "https://x/s.json".into(),
            name: "s".into(),
            value: json!({"type": "object", "additionalProperties": false, "required": ["r"],
                "properties": {"r": {"type": "string"}, "o": {"type": "object"}}}),
        }]);
        let root = c.root(0).unwrap();
        let got = validate(&c, root, &json!({"r": null, "o": null, "x": null}), true);
        let got: Vec<_> = got.into_iter().map(|v| v.problem).collect();
        assert!(matches!(&got[0], Problem::Required { field, .. } if field == "r"), "{got:?}");
        assert!(matches!(&got[1], Problem::UnknownField { key, .. } if key == "x"), "{got:?}");
        assert_eq!(got.len(), 2);
        assert_eq!(validate(&c, root, &json!({"r": "a", "o": null}), false).len(), 1);
    }

    #[test]
    fn integers_and_bounds() {
        let schema = json!({"type": "integer", "minimum": 1});
        assert!(run(schema.clone(), json!(2.0)).is_empty());
        assert_eq!(run(schema.clone(), json!(2.5)), vec![("".into(), Problem::Type { expected: ty::INTEGER })]);
        assert_eq!(
            run(schema, json!(0)),
            vec![("".into(), Problem::Constraint { message: "must be at least 1".into() })]
        );
    }

    /// `schema` accepts `good` and refuses `bad` with `want` (pointer, and a fragment of the
    /// problem's debug text); the `jsonschema` crate, the reference, agrees on both verdicts
    /// (`reference: false` for the Kubernetes extensions it does not know).
    fn keyword(schema: Value, good: Value, bad: Value, want: (&str, &str), reference: bool) {
        // The Kubernetes extensions the reference does not know are CRD semantics.
        let kubernetes = !reference;
        assert_eq!(run_as(schema.clone(), good.clone(), kubernetes), vec![], "{good} should pass");
        let got = run_as(schema.clone(), bad.clone(), kubernetes);
        assert!(
            got.iter().any(|(p, problem)| p == want.0 && format!("{problem:?}").contains(want.1)),
            "{bad}: want {want:?}, got {got:?}"
        );
        assert!(got.iter().all(|(_, p)| !matches!(p, Problem::Unchecked { .. })), "{got:?}");
        if reference {
            let reference = jsonschema::validator_for(&schema).unwrap();
            assert!(reference.is_valid(&good), "the jsonschema crate refuses {good}");
            assert!(!reference.is_valid(&bad), "the jsonschema crate accepts {bad}");
        }
    }

    #[test]
    fn multiple_of() {
        keyword(json!({"multipleOf": 5}), json!(15), json!(12), ("", "must be a multiple of 5"), true);
        keyword(json!({"multipleOf": 0.1}), json!(0.3), json!(0.35), ("", "must be a multiple of 0.1"), true);
    }

    #[test]
    fn contains_min_contains_and_max_contains() {
        let s = json!({"type": "array", "contains": {"const": "x"}});
        keyword(s, json!(["a", "x"]), json!(["a", "b"]), ("", "must contain an item that matches"), true);
        let s = json!({"contains": {"const": "x"}, "minContains": 2});
        keyword(
            s,
            json!(["x", "x"]),
            json!(["x", "a"]),
            ("", "at least 2 items that match the schema's `contains` (1 do)"),
            true,
        );
        let s = json!({"contains": {"const": "x"}, "maxContains": 1});
        keyword(s, json!(["x", "a"]), json!(["x", "x"]), ("", "at most 1 item that match"), true);
    }

    #[test]
    fn if_then_else() {
        let s = json!({"type": "object",
            "if": {"properties": {"kind": {"const": "tls"}}, "required": ["kind"]},
            "then": {"required": ["cert"]},
            "else": {"properties": {"cert": false}}});
        keyword(s.clone(), json!({"kind": "tls", "cert": "c"}), json!({"kind": "tls"}), ("", "field: \"cert\""), true);
        keyword(
            s,
            json!({"kind": "plain"}),
            json!({"kind": "plain", "cert": "c"}),
            ("/cert", "is not allowed here"),
            true,
        );
    }

    #[test]
    fn dependent_required_and_dependencies_lists() {
        let s = json!({"dependentRequired": {"user": ["password"]}});
        keyword(s, json!({"user": "u", "password": "p"}), json!({"user": "u"}), ("", "when: Some(\"user\")"), true);
        let s = json!({"$schema": "http://json-schema.org/draft-07/schema#", "dependencies": {"user": ["password"]}});
        keyword(s, json!({"password": "p"}), json!({"user": "u"}), ("", "field: \"password\""), true);
    }

    #[test]
    fn dependent_schemas_and_dependencies_schemas() {
        let s = json!({"dependentSchemas": {"tls": {"properties": {"port": {"const": 443}}}}});
        keyword(s, json!({"tls": true, "port": 443}), json!({"tls": true, "port": 80}), ("/port", "Enum"), true);
        let s = json!({"$schema": "http://json-schema.org/draft-07/schema#",
            "dependencies": {"tls": {"required": ["cert"]}}});
        keyword(s, json!({"port": 80}), json!({"tls": true}), ("", "field: \"cert\""), true);
    }

    #[test]
    fn property_names() {
        let s = json!({"type": "object", "propertyNames": {"pattern": "^[a-z]+$", "maxLength": 5}});
        keyword(
            s,
            json!({"abc": 1}),
            json!({"abc": 1, "Bad_Key": 2}),
            ("/Bad_Key", "does not match the pattern"),
            true,
        );
    }

    #[test]
    fn prefix_items_and_tuple_items() {
        let s = json!({"prefixItems": [{"type": "string"}, {"type": "integer"}], "items": false});
        keyword(s, json!(["a", 1]), json!(["a", 1, true]), ("/2", "is not allowed here"), true);
        keyword(
            json!({"prefixItems": [{"type": "string"}], "items": {"type": "integer"}}),
            json!(["a", 1, 2]),
            json!([1, 2]),
            ("/0", "Type"),
            true,
        );
        let s = json!({"$schema": "http://json-schema.org/draft-07/schema#",
            "items": [{"type": "string"}], "additionalItems": {"type": "boolean"}});
        keyword(s, json!(["a", true]), json!(["a", "b"]), ("/1", "Type"), true);
    }

    #[test]
    fn kubernetes_list_types() {
        let s = json!({"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}});
        keyword(s, json!(["a", "b"]), json!(["a", "b", "a"]), ("/2", "repeats item 0"), false);
        let s = json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name", "protocol"],
            "items": {"type": "object", "properties": {"name": {"type": "string"}, "protocol": {"type": "string", "default": "TCP"}}}});
        keyword(
            s,
            json!([{"name": "http", "protocol": "TCP"}, {"name": "http", "protocol": "UDP"}]),
            json!([{"name": "http"}, {"name": "http", "protocol": "TCP"}]),
            ("/1", "same key as item 0 (name: http, protocol: TCP)"),
            false,
        );
        // Not for plain JSON Schema files: Kubernetes validates its built-in kinds by code that
        // accepts duplicates (an `env` list naming a variable twice, say).
        let s = json!({"type": "array", "x-kubernetes-list-type": "set"});
        assert!(run(s, json!(["a", "a"])).is_empty());
    }

    #[test]
    fn unchecked_keywords_are_reported_once_per_schema_object() {
        let s = json!({"type": "array", "items": {"type": "object", "minimun": 1,
            "x-kubernetes-validations": [{"rule": "self.a < self.b"}]}});
        let got = run(s, json!([{}, {}]));
        let unchecked: Vec<(String, String, Option<String>)> = got
            .into_iter()
            .filter_map(|(p, problem)| match problem {
                Problem::Unchecked { keyword, detail, .. } => Some((p, keyword, detail)),
                _ => None,
            })
            .collect();
        assert_eq!(
            unchecked,
            [
                ("/0".to_owned(), "minimun".to_owned(), Some("did you mean `minimum`?".to_owned())),
                ("/0".to_owned(), "x-kubernetes-validations".to_owned(), Some("`self.a < self.b`".to_owned())),
            ]
        );
        // Nor is a keyword hidden in `propertyNames`: it is reported at the first key.
        let s = json!({"propertyNames": {"maxLenght": 3}});
        let got = run(s, json!({"long-name": 1, "other": 2}));
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(
            matches!(&got[0], (p, Problem::Unchecked { keyword, .. }) if p == "/long-name" && keyword == "maxLenght")
        );
        // Annotations and vendor extensions constrain nothing and are not reported.
        let s = json!({"description": "d", "format": "date-time", "x-kubernetes-map-type": "atomic", "x-acme": 1});
        assert!(run(s, json!("x")).is_empty());
    }

    #[test]
    fn templates_leave_the_new_keywords_alone() {
        let s = json!({"x-argovet-template": true, "type": "object", "properties": {
            "n": {"type": "integer", "multipleOf": 2},
            "l": {"type": "array", "contains": {"const": "x"}, "x-kubernetes-list-type": "set"}},
            "if": {"properties": {"n": {"const": 1}}}, "then": {"required": ["l"]}});
        assert!(run_as(s.clone(), json!({"n": "{{ .n }}", "l": ["{{ .a }}", "{{ .a }}"]}), true).is_empty());
        assert_eq!(run_as(s.clone(), json!({"n": 3, "l": ["x", "x"]}), true).len(), 2);
    }
}
