//! The built-in policy packs, embedded from `policies/`:
//! - `argocd` (on by default): Argo CD best practices, rule ids `policy/argocd/<id>`;
//! - `kubernetes` (opt-in with `--policy builtin:kubernetes`): plain workload hygiene,
//!   rule ids `policy/kubernetes/<id>`;
//! - `lib`: helpers both packs import (production detection, containers of a workload).
//!
//! Each rule is one package `argovet.<pack>.<rule>` with a `# METADATA` block whose `description`
//! is the rule's documentation (`argovet explain`) and whose `custom` gives its id, severity,
//! category and kinds. Every built-in rule has a category (see [`CATEGORIES`](super::metadata::CATEGORIES)); `best-practice`
//! rules are opt-in ([`PolicyRuleInfo::opt_in`]).

use super::PolicyError;
use super::engine::{IdScheme, PolicySet, PolicySource};
use super::metadata::{OPT_IN_CATEGORY, annotations};
use crate::report::Severity;
use crate::workspace::config::Production;
use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

static POLICIES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/policies");

/// A built-in policy rule's identity and documentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRuleInfo {
    /// `policy/<pack>/<id>`.
    pub id: String,
    /// Default severity.
    pub severity: Severity,
    /// `correctness`, `security`, `suspicious` or `best-practice` (the METADATA `custom.category`;
    /// one of [`CATEGORIES`](super::metadata::CATEGORIES), which a test holds every built-in rule to).
    pub category: String,
    /// One line (the METADATA `title`).
    pub summary: String,
    /// Markdown documentation (the METADATA `description`).
    pub docs: String,
    /// `argocd` or `kubernetes`.
    pub pack: String,
}

impl PolicyRuleInfo {
    /// Whether the rule is off unless selected: an opinion (`best-practice`) rather than something
    /// Argo CD or Kubernetes refuses or does differently from what is written.
    pub fn opt_in(&self) -> bool {
        self.category == OPT_IN_CATEGORY
    }
}

/// The embedded `.rego` files of `pack` (`lib` always included), tests excluded unless asked for.
pub fn sources(packs: &[&str], include_tests: bool) -> Vec<PolicySource> {
    let mut out = Vec::new();
    let mut dirs: Vec<&str> = vec!["lib"];
    dirs.extend(packs);
    for d in dirs {
        let Some(dir) = POLICIES.get_dir(d) else { continue };
        for f in dir.files() {
            let path = f.path().to_string_lossy().replace('\\', "/");
            if !path.ends_with(".rego") || (!include_tests && path.ends_with("_test.rego")) {
                continue;
            }
            if let Some(text) = f.contents_utf8() {
                out.push(PolicySource { path: format!("<builtin>/{path}"), text: text.to_string() });
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The enabled packs compiled with `data.argovet_config.production` set from `.argovet.yaml` (fields
/// left empty keep the pack's defaults), once per process for each combination: the packs are
/// embedded, so a second `check` in the same process (tests, the fuzzer, a library user) reuses them.
pub fn compiled(
    argocd: bool,
    kubernetes: bool,
    production: Option<&Production>,
    disabled: &[String],
) -> Result<Arc<PolicySet>, PolicyError> {
    type Cache = Mutex<HashMap<(bool, bool, String, Vec<String>), Arc<PolicySet>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut disabled: Vec<String> = disabled.iter().filter(|id| id.starts_with("policy/")).cloned().collect();
    disabled.sort();
    disabled.dedup();
    let key = (argocd, kubernetes, production_data(production).to_string(), disabled);
    let cache = CACHE.get_or_init(Default::default);
    if let Some(set) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(set.clone());
    }
    // Compiled outside the lock; two threads racing on the same key compile it twice, harmlessly.
    let set = Arc::new(compile_with(argocd, kubernetes, production, &|id| !key.3.iter().any(|d| d == id))?);
    Ok(cache.lock().unwrap_or_else(|p| p.into_inner()).entry(key).or_insert(set).clone())
}

fn production_data(production: Option<&Production>) -> serde_json::Value {
    let mut prod = serde_json::Map::new();
    if let Some(p) = production {
        if !p.namespaces.is_empty() {
            prod.insert("namespaces".into(), serde_json::json!(p.namespaces));
        }
        if !p.clusters.is_empty() {
            prod.insert("clusters".into(), serde_json::json!(p.clusters));
        }
        if !p.labels.is_empty() {
            prod.insert("labels".into(), serde_json::json!(p.labels));
        }
    }
    serde_json::Value::Object(prod)
}

/// Compiles the enabled packs (see [`compiled`], which caches the result).
pub fn compile(argocd: bool, kubernetes: bool, production: Option<&Production>) -> Result<PolicySet, PolicyError> {
    compile_with(argocd, kubernetes, production, &|_| true)
}

/// [`compile`], batching only the rules `enabled` keeps.
fn compile_with(
    argocd: bool,
    kubernetes: bool,
    production: Option<&Production>,
    enabled: &dyn Fn(&str) -> bool,
) -> Result<PolicySet, PolicyError> {
    // Only overrides are passed: the pack's defaults are in `policies/lib` (`lib.production_config`).
    let prod = production_data(production);
    let data = match prod.as_object().is_some_and(|o| o.is_empty()) {
        true => serde_json::json!({"argovet_config": {}}),
        false => serde_json::json!({"argovet_config": {"production": prod}}),
    };
    let mut packs = Vec::new();
    if argocd {
        packs.push("argocd");
    }
    if kubernetes {
        packs.push("kubernetes");
    }
    let mut set = PolicySet::compile_batched(
        &sources(&packs, false),
        Some(data),
        IdScheme::Builtin,
        &|ns| (0..ns.len()).collect(),
        enabled,
    )?;
    // The packs run on regorus's bytecode VM where it can take them; `the_vm_gives_what_the_interpreter_gives`
    // (policy/tests.rs) holds it to the interpreter's results.
    set.use_vm();
    Ok(set)
}

/// Every built-in policy rule (both packs), sorted by id.
pub fn builtin_rule_infos() -> Vec<PolicyRuleInfo> {
    let mut out = Vec::new();
    for src in sources(&["argocd", "kubernetes"], false) {
        let pack = src.path.trim_start_matches("<builtin>/").split('/').next().unwrap_or("").to_string();
        if pack == "lib" {
            continue;
        }
        let Ok(notes) = annotations(&src.text) else { continue };
        let Some(pkg) = notes.into_iter().find(|a| a.package) else { continue };
        let Some(id) = pkg.id else { continue };
        out.push(PolicyRuleInfo {
            id: format!("policy/{pack}/{id}"),
            severity: pkg.severity.as_deref().and_then(Severity::parse).unwrap_or(Severity::Warning),
            category: pkg.category.unwrap_or_default(),
            summary: pkg.title.unwrap_or_default(),
            docs: pkg.description.unwrap_or_default(),
            pack,
        });
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// The built-in policy rule with this id.
pub fn find_builtin_rule(id: &str) -> Option<PolicyRuleInfo> {
    builtin_rule_infos().into_iter().find(|i| i.id == id)
}

/// The category of a built-in rule (`policy/argocd/...`), read once from the packs' METADATA: rule
/// selection asks for every finding and every rule.
pub fn builtin_category(id: &str) -> Option<&'static str> {
    static CATEGORIES: std::sync::OnceLock<BTreeMap<String, String>> = std::sync::OnceLock::new();
    CATEGORIES
        .get_or_init(|| builtin_rule_infos().into_iter().map(|i| (i.id, i.category)).collect())
        .get(id)
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::metadata::CATEGORIES;

    #[test]
    fn every_builtin_rule_has_a_known_category() {
        let infos = builtin_rule_infos();
        // Every rule file of both packs is listed (a file whose METADATA cannot be read is not).
        let files = sources(&["argocd", "kubernetes"], false).iter().filter(|s| !s.path.contains("/lib/")).count();
        assert_eq!(infos.len(), files);
        let bad: Vec<_> = infos
            .iter()
            .filter(|i| !CATEGORIES.contains(&i.category.as_str()))
            .map(|i| format!("{} ({:?})", i.id, i.category))
            .collect();
        assert!(bad.is_empty(), "built-in rules without a known `custom.category`: {bad:?}");
    }

    #[test]
    fn categories_follow_the_contract() {
        for info in builtin_rule_infos() {
            // Only a refusal by Argo CD or Kubernetes is an error.
            if info.severity == Severity::Error {
                assert_eq!(info.category, "correctness", "{} is an error but not a correctness rule", info.id);
            }
            assert_eq!(info.opt_in(), info.category == "best-practice", "{}", info.id);
        }
        let rule = |id: &str| find_builtin_rule(id).unwrap_or_else(|| panic!("no rule {id}"));
        assert!(rule("policy/argocd/app-default-project").opt_in());
        assert!(rule("policy/kubernetes/latest-image").opt_in());
        assert!(!rule("policy/argocd/project-denies-app").opt_in());
        // Any committed Secret is an opinion (mostly placeholders on real repositories); a private key is a leak.
        assert!(rule("policy/argocd/plaintext-secret").opt_in());
        assert!(!rule("policy/argocd/private-key").opt_in());
        assert_eq!(rule("policy/argocd/private-key").severity, Severity::Warning);
        assert_eq!(rule("policy/argocd/project-denies-app").severity, Severity::Error);
        assert_eq!(rule("policy/argocd/selfheal-hpa-replicas").category, "suspicious");
    }
}
