//! Walks a value against a compiled schema and collects violations, each at a JSON pointer.

use super::compile::{Additional, Compiled, Node, NodeId, ty};
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
    let mut w = Walker { schema, path: Vec::new(), out: Vec::new(), nulls_pruned };
    w.node(root, value, false);
    w.out
}

enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

struct Walker<'s, 'v> {
    schema: &'s Compiled,
    path: Vec<Seg<'v>>,
    out: Vec<Violation>,
    nulls_pruned: bool,
}

fn is_template(v: &Value) -> bool {
    v.as_str().is_some_and(|s| s.contains("{{"))
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
            for (i, v) in items.iter().enumerate() {
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
                self.report(Problem::Required { field: field.clone() });
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
        let mut c = Compiled::new(vec![SchemaDoc { id: "https://x/s.json".into(), name: "s".into(), value: schema }]);
        let root = c.root(0).unwrap();
        validate(&c, root, &value, false).into_iter().map(|v| (v.pointer, v.problem)).collect()
    }

    #[test]
    fn finds_unknown_fields_type_enum_and_required() {
        let schema = json!({"type": "object", "additionalProperties": false, "required": ["a"],
            "properties": {"a": {"type": "boolean"}, "b": {"enum": ["x", "y"]}, "c": {"type": "array", "items": {"type": "integer"}}}});
        let got = run(schema, json!({"b": "z", "c": [1, "2"], "d": 1}));
        assert_eq!(
            got,
            vec![
                ("".into(), Problem::Required { field: "a".into() }),
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
        assert!(matches!(&got[0], Problem::Required { field } if field == "r"), "{got:?}");
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
}
