//! `.argovet.yaml`: found upward from the first path; unknown keys are errors.

use crate::report::Severity;
use crate::yaml::{Limits, load};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A rule's setting in `rules:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleSetting {
    /// Disabled.
    Off,
    /// Enabled at its default severity.
    On,
    /// Enabled, reported as info.
    Info,
    /// Enabled, reported as a warning.
    #[serde(alias = "warn")]
    Warning,
    /// Enabled, reported as an error.
    Error,
}

impl RuleSetting {
    /// The severity override, if any.
    pub fn severity(self) -> Option<Severity> {
        match self {
            RuleSetting::Info => Some(Severity::Info),
            RuleSetting::Warning => Some(Severity::Warning),
            RuleSetting::Error => Some(Severity::Error),
            RuleSetting::Off | RuleSetting::On => None,
        }
    }
}

/// The whole configuration file. Paths in it are relative to the file's directory.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Config {
    /// Rule id (or policy rule id) -> setting.
    #[serde(default)]
    pub rules: BTreeMap<String, RuleSetting>,
    /// Gitignore-style globs of paths not to check.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Extra Rego policy directories.
    #[serde(default)]
    pub policies: Vec<PathBuf>,
    /// Whether the built-in policy pack runs (default true).
    #[serde(default)]
    pub default_policies: Option<bool>,
    /// Data files for policies (`data.`).
    #[serde(default)]
    pub data: Vec<PathBuf>,
    /// Extra JSON Schema files or CRD YAML files / directories.
    #[serde(default)]
    pub schemas: Vec<PathBuf>,
    /// Whether kinds without a schema are errors.
    #[serde(default)]
    pub require_schemas: Option<bool>,
    /// Cluster Secret files or directories for the clusters generator.
    #[serde(default)]
    pub clusters: Vec<PathBuf>,
    /// Repository URL -> local git repository, for git generators.
    #[serde(default)]
    pub repos: BTreeMap<String, PathBuf>,
    /// What counts as production, for the built-in policies.
    #[serde(default)]
    pub production: Option<Production>,
    /// Files larger than this are skipped.
    #[serde(default)]
    pub max_file_size: Option<u64>,
    /// Most Applications one ApplicationSet may generate.
    #[serde(default)]
    pub max_applications: Option<usize>,
    /// Roles declared for files: gitignore-style glob (relative to this file) -> `manifest`, `patch`,
    /// `template`, `fixture`, `data` or `ignore`; they override the roles argovet infers.
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
    /// Deployment units declared: each entry lists globs (relative to this file) whose files end up in the
    /// same Argo CD and cluster, so that duplicates and project references between them are checked.
    #[serde(default)]
    pub units: Vec<Vec<String>>,
    /// Rule categories or ids to run besides the default set, e.g. `[best-practice]` for the opt-in
    /// best-practice policies (see docs/rules.md).
    #[serde(default)]
    pub select: Vec<String>,
    /// Where the file was found; set by the loader.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// What the built-in policies treat as production.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Production {
    /// Regular expressions matched against destination namespaces.
    #[serde(default)]
    pub namespaces: Vec<String>,
    /// Regular expressions matched against destination cluster names and servers.
    #[serde(default)]
    pub clusters: Vec<String>,
    /// Labels on the Application that mark it as production.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Unreadable.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not YAML, or not the expected shape.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, with its line when known.
        message: String,
    },
}

impl Config {
    /// Looks for `.argovet.yaml` (or `.yml`) in `start` and its ancestors.
    pub fn find(start: &Path) -> Option<PathBuf> {
        let start = std::fs::canonicalize(start).ok()?;
        let mut dir = if start.is_dir() { Some(start.as_path()) } else { start.parent() };
        while let Some(d) = dir {
            for name in [".argovet.yaml", ".argovet.yml"] {
                let p = d.join(name);
                if p.is_file() {
                    return Some(p);
                }
            }
            dir = d.parent();
        }
        None
    }

    /// Loads and validates a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io { path: shown.clone(), source })?;
        let mut cfg = Config::parse(&text).map_err(|message| ConfigError::Invalid { path: shown, message })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let rebase = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = dir.join(&*p);
            }
        };
        cfg.policies.iter_mut().for_each(rebase);
        cfg.data.iter_mut().for_each(rebase);
        cfg.schemas.iter_mut().for_each(rebase);
        cfg.clusters.iter_mut().for_each(rebase);
        cfg.repos.values_mut().for_each(rebase);
        cfg.dir = Some(dir);
        Ok(cfg)
    }

    /// Parses configuration text (paths are left as written).
    pub fn parse(text: &str) -> Result<Config, String> {
        let loaded = load(text, &Limits::default());
        if let Some(issue) = loaded.issues.first() {
            return Err(format!("line {}: {}", issue.span.line, issue.message));
        }
        let Some(mut doc) = loaded.docs.into_iter().next() else {
            return Ok(Config::default());
        };
        // `off`/`on` are YAML 1.1 booleans; in `rules:` they mean the settings of the same name.
        if let Some(rules) = doc.value.get_mut("rules").and_then(serde_json::Value::as_object_mut) {
            for v in rules.values_mut() {
                if let Some(b) = v.as_bool() {
                    *v = serde_json::Value::String(if b { "on" } else { "off" }.into());
                }
            }
        }
        let cfg = serde_json::from_value::<Config>(doc.value).map_err(|e| {
            let msg = e.to_string();
            match msg.find("unknown field") {
                Some(_) => format!("{msg} (see README.md#configuration)"),
                None => msg,
            }
        })?;
        for (glob, role) in &cfg.roles {
            if crate::model::Role::from_config(role).is_none() {
                return Err(format!(
                    "roles: `{glob}: {role}`: unknown role; use manifest, patch, template, fixture, data or ignore"
                ));
            }
        }
        for glob in cfg.roles.keys().chain(cfg.units.iter().flatten()) {
            globset::Glob::new(glob).map_err(|e| format!("`{glob}` is not a valid glob: {e}"))?;
        }
        Ok(cfg)
    }

    /// The glob `pattern` of this file, rebased so that it matches paths as argovet names files (relative to
    /// the current directory).
    fn matcher(&self, pattern: &str) -> Option<globset::GlobMatcher> {
        let base = self
            .dir
            .as_deref()
            .map(|d| crate::workspace::display_path(&crate::workspace::context::relative_to_cwd(d)))
            .unwrap_or_default();
        let base = if base == "." { String::new() } else { base };
        let pattern = pattern.trim_start_matches("./");
        let full = if base.is_empty() || pattern.starts_with('/') {
            pattern.trim_start_matches('/').to_string()
        } else {
            format!("{base}/{pattern}")
        };
        globset::GlobBuilder::new(&full).literal_separator(true).build().ok().map(|g| g.compile_matcher())
    }

    /// The roles declared in `roles:`, as matchers.
    pub fn declared_roles(&self) -> Vec<crate::repo::DeclaredRole> {
        self.roles
            .iter()
            .filter_map(|(glob, role)| {
                Some(crate::repo::DeclaredRole {
                    glob: self.matcher(glob)?,
                    role: crate::model::Role::from_config(role)?,
                })
            })
            .collect()
    }

    /// The units declared in `units:`, as matchers.
    pub fn declared_units(&self) -> Vec<Vec<globset::GlobMatcher>> {
        self.units.iter().map(|globs| globs.iter().filter_map(|g| self.matcher(g)).collect()).collect()
    }

    /// Whether a rule is enabled.
    ///
    /// `off` turns any rule off, and any other setting turns an opt-in rule on. Otherwise the default set
    /// runs — every rule except the built-in policies of the `best-practice` category — plus the opt-in
    /// rules `select:` (or `--select`) names by category, id, or id prefix ending in `/`
    /// (`policy/kubernetes/`), or all of them with `all`.
    pub fn enabled(&self, rule: &str) -> bool {
        match self.rules.get(rule) {
            Some(RuleSetting::Off) => false,
            Some(_) => true,
            None => !Self::opt_in(rule) || self.selects(rule),
        }
    }

    /// Whether `rule` is outside the default set (a best-practice opinion).
    pub fn opt_in(rule: &str) -> bool {
        crate::policy::builtin::builtin_category(rule) == Some(crate::policy::metadata::OPT_IN_CATEGORY)
    }

    fn selects(&self, rule: &str) -> bool {
        let category = crate::policy::builtin::builtin_category(rule);
        self.select.iter().any(|s| {
            s == "all"
                || s == rule
                || (s.ends_with('/') && rule.starts_with(s.as_str()))
                || Some(s.as_str()) == category
        })
    }

    /// The severity configured for a rule, if overridden.
    pub fn severity(&self, rule: &str) -> Option<Severity> {
        self.rules.get(rule).and_then(|s| s.severity())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_rejects_unknown_keys() {
        let c =
            Config::parse("rules:\n  yaml-ambiguous-value: off\n  argo-kind-near-miss: warning\nexclude: [vendor/]\n")
                .unwrap();
        assert!(!c.enabled("yaml-ambiguous-value"));
        assert_eq!(c.severity("argo-kind-near-miss"), Some(Severity::Warning));
        let e = Config::parse("rulez: {}\n").unwrap_err();
        assert!(e.contains("unknown field `rulez`"), "{e}");
        let e = Config::parse("rules:\n  x: maybe\n").unwrap_err();
        assert!(e.contains("unknown variant"), "{e}");
    }
}
