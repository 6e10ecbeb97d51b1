//! The rule ids schema validation reports, with their documentation (`argovet explain`).

use crate::declare_rule;
use crate::lint::RuleInfo;

declare_rule! {
    /// ## What it does
    /// Reports a key that the object's schema does not define, at the key's own line, with the
    /// closest known key ("did you mean `selfHeal`?") when there is one. For the Argo CD kinds every
    /// object is closed (as in Argo CD's Go types); for user schemas, wherever the schema says
    /// `additionalProperties: false` (CRDs: every object with `properties` that does not preserve
    /// unknown fields).
    /// ## Why is this bad?
    /// Kubernetes silently drops fields it does not know. `selfheal: true` is accepted by
    /// `kubectl apply` and by Argo CD, and does nothing: the Application never heals.
    /// ## Example
    /// ```yaml
    /// syncPolicy:
    ///   automated:
    ///     selfheal: true
    /// ```
    /// ## Use instead
    /// ```yaml
    /// syncPolicy:
    ///   automated:
    ///     selfHeal: true
    /// ```
    pub struct SchemaUnknownField {
        id: "schema-unknown-field", severity: Error, source: Schema,
        summary: "a field the kind's schema does not define (silently dropped by Kubernetes)",
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a value of the wrong type: a string where a boolean, number, list or mapping is
    /// expected, or the reverse. In ApplicationSet templates a `{{ }}` string is accepted where a
    /// number or boolean is expected, since it is rendered before Argo CD reads it.
    /// ## Why is this bad?
    /// The API server rejects the object (`prune: "yes"` is a string, not a boolean), or, for an
    /// ApplicationSet template, every generated Application fails.
    /// ## Example
    /// ```yaml
    /// syncPolicy:
    ///   automated:
    ///     prune: "yes"
    /// ```
    /// ## Use instead
    /// ```yaml
    /// syncPolicy:
    ///   automated:
    ///     prune: true
    /// ```
    pub struct SchemaType {
        id: "schema-type", severity: Error, source: Schema,
        summary: "a value of the wrong type (string for boolean, mapping for list...)",
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a value that is not one of the values the field allows, with the closest allowed
    /// value when there is one.
    /// ## Why is this bad?
    /// The API server rejects it, or Argo CD falls back to a default that is not what you wrote:
    /// `applicationsSync: create-updat` is refused, a sync window of `kind: Allow` matches nothing.
    /// ## Example
    /// ```yaml
    /// syncWindows:
    ///   - kind: Allow
    /// ```
    /// ## Use instead
    /// ```yaml
    /// syncWindows:
    ///   - kind: allow
    /// ```
    pub struct SchemaEnum {
        id: "schema-enum", severity: Error, source: Schema,
        summary: "a value outside the set the field allows",
    }
}

declare_rule! {
    /// ## What it does
    /// Reports a required field that is missing, at the object that lacks it.
    /// ## Why is this bad?
    /// The API server rejects the object: an Application without `spec.project` or
    /// `spec.destination`, a git generator without `revision`, a sync source without `path`.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   destination:
    ///     server: https://kubernetes.default.svc
    /// ```
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   project: default
    ///   destination:
    ///     server: https://kubernetes.default.svc
    /// ```
    pub struct SchemaRequired {
        id: "schema-required", severity: Error, source: Schema,
        summary: "a required field is missing",
    }
}

declare_rule! {
    /// ## What it does
    /// Reports any other schema violation: a string that does not match the field's pattern, a
    /// value outside its bounds, a list that is too short, an object that matches none of the
    /// allowed forms.
    /// ## Why is this bad?
    /// The API server rejects the object, so nothing in it is applied.
    /// ## Example
    /// ```yaml
    /// sourceHydrator:
    ///   syncSource:
    ///     targetBranch: env/prod
    ///     path: .
    /// ```
    /// ## Use instead
    /// ```yaml
    /// sourceHydrator:
    ///   syncSource:
    ///     targetBranch: env/prod
    ///     path: apps/guestbook
    /// ```
    pub struct SchemaInvalid {
        id: "schema-invalid", severity: Error, source: Schema,
        summary: "a value that breaks a schema constraint (pattern, bounds, forms)",
    }
}

declare_rule! {
    /// ## What it does
    /// Notes a Kubernetes object whose `apiVersion`/`kind` has no schema, so it was not validated.
    /// Reported only when schemas were added (`--schema-location`, `schemas:` in `.argovet.yaml`)
    /// or required; an error under `--require-schemas` (`requireSchemas: true`), like kubeconform's
    /// `-strict` with missing schemas refused.
    /// ## Why is this bad?
    /// An object nobody validated can carry every mistake this tool exists to catch. Add the CRD
    /// (or a JSON Schema) with `--schema-location`, or accept that the kind is not checked.
    /// ## Example
    /// ```yaml
    /// apiVersion: monitoring.coreos.com/v1
    /// kind: ServiceMonitor
    /// ```
    /// ## Use instead
    /// ```sh
    /// argovet check --schema-location crds/ .
    /// ```
    pub struct SchemaMissing {
        id: "schema-missing", severity: Info, source: Schema,
        summary: "a kind with no schema was not validated",
    }
}

declare_rule! {
    /// ## What it does
    /// Warns that a value was not checked against one keyword of its schema, because argovet does
    /// not evaluate it: Kubernetes CEL rules (`x-kubernetes-validations`), `$recursiveRef`, or a
    /// keyword that no JSON Schema draft, OpenAPI or Kubernetes defines (a misspelling such as
    /// `minimun`, with the keyword probably meant). Reported once per document, keyword and schema
    /// object, at the first value the keyword applies to.
    /// ## Why is this bad?
    /// A constraint nobody checks lets a broken object through: the API server refuses it later
    /// (CEL), or nothing ever enforces it (a misspelt keyword constrains nothing anywhere).
    /// ## Example
    /// ```yaml
    /// # in the CRD
    /// spec:
    ///   type: object
    ///   x-kubernetes-validations:
    ///     - rule: self.minReplicas <= self.maxReplicas
    /// ```
    /// ## Use instead
    /// ```sh
    /// kubectl apply --dry-run=server -f widget.yaml   # the API server evaluates CEL
    /// ```
    pub struct SchemaUnchecked {
        id: "schema-unchecked", severity: Warning, source: Schema,
        summary: "a schema keyword argovet does not evaluate (CEL rules, unknown keywords)",
    }
}

/// Every rule schema validation reports.
pub static RULE_INFOS: &[RuleInfo] = &[
    SchemaUnknownField::INFO,
    SchemaType::INFO,
    SchemaEnum::INFO,
    SchemaRequired::INFO,
    SchemaInvalid::INFO,
    SchemaMissing::INFO,
    SchemaUnchecked::INFO,
];
