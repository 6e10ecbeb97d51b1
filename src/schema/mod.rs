//! Strict JSON Schema validation of Kubernetes documents.
//!
//! The Argo CD kinds (`Application`, `ApplicationSet`, `AppProject`) are validated against schemas
//! embedded in the binary (`schemas/argoproj.io/v1alpha1/`), closed everywhere Argo CD's Go types
//! are, so a misspelt key is an error at its own line with a "did you mean" suggestion. User schemas
//! (`--schema-location`, `schemas:` in `.argovet.yaml`: JSON Schema files or CRD YAML) add kinds or
//! replace the embedded ones; documents of other kinds are skipped, kubeconform-style.
//!
//! Everything is compiled once ([`Validator::new`], or [`Validator::builtin`] for the embedded
//! schemas alone) and then shared by every thread: [`Validator::check`] takes `&self`.
//!
//! The validator is written here rather than taken from the `jsonschema` crate: it needs the
//! violations as data (the unknown key and its siblings for a suggestion, the expected types for a
//! readable message, the pointer of the object that lacks a field), the ApplicationSet template
//! rule (`{{ }}` strings for numbers and booleans), and the Kubernetes extensions; `benches/schema.rs`
//! measures it. It enforces every keyword user schemas use but three whose verdict depends on
//! what the rest of the schema evaluated (`unevaluatedProperties`, `unevaluatedItems`,
//! `$dynamicRef`): kinds whose schema reaches one of those also go through the `jsonschema` crate
//! ([`external`]). Keywords nothing evaluates (CEL rules, unknown keywords) are reported on the
//! values they apply to (`schema-unchecked`); [`keywords`] sorts every keyword into one of these.

pub mod compile;
pub mod crd;
pub mod embedded;
pub mod external;
pub mod keywords;
pub mod load;
pub mod message;
pub mod rules;
pub mod validate;

pub use rules::RULE_INFOS;

use crate::model::{DocKind, Document};
use crate::report::{Finding, Severity};
use crate::workspace::Config;
use compile::{CompileError, Compiled, NodeId, SchemaDoc};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

/// Schema flags of `argovet check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SchemaFlags {
    /// A JSON Schema file, a CRD YAML file, or a directory of them (repeatable). Kinds they define
    /// are validated; a CRD for an Argo CD kind replaces the built-in schema.
    #[arg(long = "schema-location", value_name = "PATH")]
    pub schema_locations: Vec<PathBuf>,
    /// Report objects whose kind has no schema as errors instead of skipping them.
    #[arg(long)]
    pub require_schemas: bool,
}

/// Why a validator could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// A location could not be read.
    #[error(transparent)]
    Load(#[from] load::LoadError),
    /// A schema could not be compiled.
    #[error("invalid schema {0}")]
    Compile(#[from] CompileError),
    /// An embedded schema is broken (a bug in argovet).
    #[error("{0}")]
    Builtin(String),
}

/// Where a kind's schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Shipped with argovet.
    Builtin,
    /// A user location (the file, and the kind within it).
    User(String),
}

#[derive(Debug, Clone)]
struct KindSchema {
    root: NodeId,
    origin: Origin,
    /// Kubernetes drops `null` fields before validating CRs (built-in schemas and CRDs); plain JSON
    /// Schema files are taken literally.
    nulls_pruned: bool,
    /// The `jsonschema` crate's validator, when the schema uses a keyword only it checks.
    external: Option<Arc<external::External>>,
}

/// Compiled schemas, keyed by `apiVersion` and kind.
#[derive(Debug)]
pub struct Validator {
    compiled: Compiled,
    kinds: HashMap<(String, String), KindSchema>,
    user_schemas: bool,
    require: bool,
}

fn key(api_version: &str, kind: &str) -> (String, String) {
    (api_version.to_owned(), kind.to_ascii_lowercase())
}

impl Validator {
    /// The embedded Argo CD schemas alone, compiled on first use and shared for the process.
    pub fn builtin() -> Result<Arc<Validator>, SchemaError> {
        static BUILTIN: OnceLock<Result<Arc<Validator>, String>> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Validator::new(&[], false).map(Arc::new).map_err(|e| e.to_string()))
            .clone()
            .map_err(SchemaError::Builtin)
    }

    /// The embedded schemas plus every user location (which win over the embedded ones; among
    /// them, the first location defining a kind wins).
    pub fn new(locations: &[PathBuf], require: bool) -> Result<Validator, SchemaError> {
        let user = load::load_locations(locations)?;
        let builtin = embedded::docs().map_err(SchemaError::Builtin)?;
        let mut docs: Vec<SchemaDoc> = builtin.to_vec();
        let offset = docs.len();
        docs.extend(user.docs);
        let mut compiled = Compiled::new(docs);
        let mut kinds = HashMap::new();
        for (i, name) in ["Application", "ApplicationSet", "AppProject"].into_iter().enumerate() {
            let root = compiled.root(i)?;
            kinds.insert(
                key(crate::model::ARGO_API_VERSION, name),
                KindSchema { root, origin: Origin::Builtin, nulls_pruned: true, external: None },
            );
        }
        let mut seen_user = std::collections::HashSet::new();
        for k in &user.kinds {
            let id = key(&k.api_version, &k.kind);
            if !seen_user.insert(id.clone()) {
                continue;
            }
            let root = compiled.root(offset + k.doc)?;
            let origin = Origin::User(compiled.docs()[offset + k.doc].name.clone());
            kinds.insert(id, KindSchema { root, origin, nulls_pruned: k.from_crd, external: None });
        }
        // Compile every user document, so a broken `$ref` target fails now rather than never.
        for d in offset..compiled.docs().len() {
            compiled.root(d)?;
        }
        // Kinds whose schema uses `unevaluatedProperties`, `unevaluatedItems` or `$dynamicRef`
        // also get a `jsonschema` validator, compiled here once.
        let mut normalised: Option<Arc<external::Documents>> = None;
        for k in &user.kinds {
            let Some(entry) = kinds.get_mut(&key(&k.api_version, &k.kind)) else { continue };
            if entry.external.is_some() || !compiled.reaches_external(entry.root) {
                continue;
            }
            let docs = normalised.get_or_insert_with(|| Arc::new(external::Documents::new(compiled.docs()))).clone();
            let name = &compiled.docs()[offset + k.doc].name;
            entry.external = Some(Arc::new(external::External::build(docs, offset + k.doc, name)?));
        }
        Ok(Validator { compiled, kinds, user_schemas: !locations.is_empty(), require })
    }

    /// The validator `check` uses: built-in only when nothing is configured (shared, compiled once),
    /// else built-in plus the flags' and the configuration's locations.
    pub fn for_check(flags: &SchemaFlags, config: &Config) -> Result<Arc<Validator>, SchemaError> {
        let mut locations = flags.schema_locations.clone();
        locations.extend(config.schemas.iter().cloned());
        let require = flags.require_schemas || config.require_schemas.unwrap_or(false);
        if locations.is_empty() && !require {
            return Validator::builtin();
        }
        Ok(Arc::new(Validator::new(&locations, require)?))
    }

    /// Where the schema for `apiVersion`/`kind` comes from, if there is one.
    pub fn origin(&self, api_version: &str, kind: &str) -> Option<&Origin> {
        self.kinds.get(&key(api_version, kind)).map(|k| &k.origin)
    }

    /// Validates `value` as `apiVersion`/`kind`; `None` when there is no schema for it.
    pub fn violations(
        &self,
        api_version: &str,
        kind: &str,
        value: &serde_json::Value,
    ) -> Option<Vec<validate::Violation>> {
        let k = self.kinds.get(&key(api_version, kind))?;
        let mut found = validate::validate(&self.compiled, k.root, value, k.nulls_pruned);
        if let Some(x) = &k.external {
            let more = x.violations(value, k.nulls_pruned, &found);
            found.extend(more);
        }
        Some(found)
    }

    /// Validates one document, appending findings. Documents that are not Kubernetes objects are
    /// ignored; kinds without a schema are skipped, with a `schema-missing` finding when user
    /// schemas were given (info) or are required (error).
    pub fn check(&self, doc: &Document, out: &mut Vec<Finding>) {
        if doc.kind == DocKind::Other {
            return;
        }
        let (Some(api), Some(kind)) = (doc.api_version(), doc.kind_name()) else { return };
        match self.violations(api, kind, &doc.value) {
            Some(vs) => out.extend(vs.iter().map(|v| message::finding(doc, v))),
            None if self.require || self.user_schemas => {
                let severity = if self.require { Severity::Error } else { Severity::Info };
                let msg = format!("no schema for {kind} ({api}); the object was not validated");
                let f = doc
                    .finding(rules::SchemaMissing::INFO.id, severity, "/kind", msg)
                    .with_help("add its CRD or JSON Schema with --schema-location (or `schemas:` in .argovet.yaml)");
                out.push(f);
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests;
