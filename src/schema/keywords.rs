//! Every keyword a schema object may hold, by what argovet does with it. A keyword is either
//! checked by the built-in validator, checked by the `jsonschema` crate (the few whose meaning
//! depends on what the rest of the schema evaluated), an annotation that constrains nothing, or
//! unchecked — and an unchecked keyword is reported on every value it applies to
//! (`schema-unchecked`), never ignored in silence.

/// What argovet does with a keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handling {
    /// The built-in validator enforces it.
    Builtin,
    /// The `jsonschema` crate enforces it (`unevaluatedProperties`, `unevaluatedItems`, `$dynamicRef`).
    External,
    /// It constrains nothing (descriptions, identifiers, OpenAPI and Kubernetes annotations).
    Annotation,
    /// A constraint nothing here evaluates: Kubernetes CEL rules, `$recursiveRef`, or a keyword no
    /// JSON Schema draft, OpenAPI or Kubernetes defines (a misspelling, typically).
    Unchecked,
}

/// Keywords the built-in validator enforces (JSON Schema draft 4 to 2020-12, OpenAPI 3.0 and the
/// Kubernetes structural-schema extensions).
pub const BUILTIN: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "patternProperties",
    "required",
    "items",
    "prefixItems",
    "additionalItems",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
    "minContains",
    "maxContains",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "$ref",
    "$defs",
    "definitions",
    "nullable",
    "x-kubernetes-int-or-string",
    "x-kubernetes-preserve-unknown-fields",
    "x-kubernetes-embedded-resource",
    "x-kubernetes-list-type",
    "x-kubernetes-list-map-keys",
    "x-argovet-template",
];

/// Keywords left to the `jsonschema` crate: what they allow depends on what every other keyword
/// of the schema (and of the schemas it applies in place) evaluated.
pub const EXTERNAL: &[&str] = &["unevaluatedProperties", "unevaluatedItems", "$dynamicRef"];

/// Keywords that constrain nothing.
pub const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "$anchor",
    "$dynamicAnchor",
    "$recursiveAnchor",
    "$vocabulary",
    "$comment",
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    // Not asserted, as in JSON Schema 2019-09 and later (an annotation unless a vocabulary says so).
    "format",
    "contentEncoding",
    "contentMediaType",
    "contentSchema",
    // OpenAPI 3.0.
    "discriminator",
    "externalDocs",
    "xml",
];

/// Kubernetes extensions that carry a constraint argovet does not evaluate.
pub const KUBERNETES_UNCHECKED: &[&str] = &["x-kubernetes-validations"];

/// What argovet does with `keyword`. Vendor extensions (`x-…`) are annotations unless they are
/// one of the Kubernetes extensions that constrain values.
pub fn handling(keyword: &str) -> Handling {
    if BUILTIN.contains(&keyword) {
        Handling::Builtin
    } else if EXTERNAL.contains(&keyword) {
        Handling::External
    } else if ANNOTATIONS.contains(&keyword) {
        Handling::Annotation
    } else if KUBERNETES_UNCHECKED.contains(&keyword) {
        Handling::Unchecked
    } else if keyword.starts_with("x-") {
        Handling::Annotation
    } else {
        Handling::Unchecked
    }
}

/// Every keyword argovet knows, for "did you mean" on an unknown one.
pub fn known() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().chain(EXTERNAL).chain(ANNOTATIONS).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_keyword_has_one_handling() {
        for k in known() {
            let lists = [BUILTIN, EXTERNAL, ANNOTATIONS].iter().filter(|l| l.contains(&k)).count();
            assert_eq!(lists, 1, "{k}");
        }
        assert_eq!(handling("multipleOf"), Handling::Builtin);
        assert_eq!(handling("unevaluatedProperties"), Handling::External);
        assert_eq!(handling("x-kubernetes-map-type"), Handling::Annotation);
        assert_eq!(handling("x-kubernetes-validations"), Handling::Unchecked);
        assert_eq!(handling("$recursiveRef"), Handling::Unchecked);
        assert_eq!(handling("minimun"), Handling::Unchecked);
    }
}
