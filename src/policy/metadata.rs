//! OPA-style `# METADATA` annotation blocks, read from the policy text.
//!
//! A block is a run of comment lines starting with `# METADATA`, holding YAML. It annotates the
//! package or rule that starts on the next non-comment line. argovet reads `title`, `description`
//! and these `custom` keys: `id` (the rule id), `kinds` (the `kind`s of document the rule reads; the
//! rule is skipped for other documents), `severity` (`error`, `warning`, `info`), `category`
//! (`correctness`, `security`, `suspicious`, `best-practice`; see [`CATEGORIES`]) and `combine`
//! (the rule reads all documents at once).

use crate::yaml::{Limits, load};
use serde_json::Value;

/// The values of `custom.category`, and what they mean for a rule:
/// - `correctness`: Argo CD or Kubernetes refuses the manifest, or does something other than what is
///   written (on by default);
/// - `security`: a risk to the secrets or the cluster (on by default, a warning unless it is a real
///   refusal);
/// - `suspicious`: probably not what was meant (on by default, a warning at most unless it is a real
///   refusal);
/// - `best-practice`: an opinion (opt-in: off unless selected).
///
/// A rule without a category (user policies may leave it out) is on by default.
pub const CATEGORIES: [&str; 4] = ["correctness", "security", "suspicious", "best-practice"];

/// The category whose rules are off unless selected.
pub const OPT_IN_CATEGORY: &str = "best-practice";

/// One annotation block and the 1-based line of the package or rule it annotates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotation {
    /// Line of the annotated statement (the first non-comment line after the block).
    pub line: u32,
    /// Whether the annotated statement is the `package` line.
    pub package: bool,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `custom.id`.
    pub id: Option<String>,
    /// `custom.kinds`.
    pub kinds: Option<Vec<String>>,
    /// `custom.severity`.
    pub severity: Option<String>,
    /// `custom.category` (one of [`CATEGORIES`] for the built-in rules; not checked here).
    pub category: Option<String>,
    /// `custom.combine`.
    pub combine: bool,
}

/// Reads every `# METADATA` block of a policy. Blocks that are not valid YAML are returned as an error
/// message with the line of the block.
pub fn annotations(text: &str) -> Result<Vec<Annotation>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim() != "# METADATA" {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut yaml = String::new();
        i += 1;
        while i < lines.len() && lines[i].trim_start().starts_with('#') {
            let l = lines[i].trim_start();
            let body = l.strip_prefix("# ").or_else(|| l.strip_prefix('#')).unwrap_or(l);
            yaml.push_str(body);
            yaml.push('\n');
            i += 1;
        }
        while i < lines.len() && lines[i].trim().is_empty() {
            i += 1;
        }
        let subject = lines.get(i).map(|l| l.trim_start()).unwrap_or("");
        let loaded = load(&yaml, &Limits::default());
        if let Some(issue) = loaded.issues.first() {
            return Err(format!("line {}: invalid METADATA block: {}", start as u32 + issue.span.line, issue.message));
        }
        let value = loaded.docs.into_iter().next().map(|d| d.value).unwrap_or(Value::Null);
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let custom = value.get("custom");
        let kinds = match custom.and_then(|c| c.get("kinds")) {
            Some(Value::String(s)) => Some(vec![s.clone()]),
            Some(Value::Array(a)) => Some(a.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
            _ => None,
        };
        out.push(Annotation {
            line: i as u32 + 1,
            package: subject.starts_with("package ") || subject == "package",
            title: text(value.get("title")),
            description: text(value.get("description")),
            id: text(custom.and_then(|c| c.get("id"))),
            kinds,
            severity: text(custom.and_then(|c| c.get("severity"))),
            category: text(custom.and_then(|c| c.get("category"))),
            combine: custom.and_then(|c| c.get("combine")).and_then(Value::as_bool).unwrap_or(false),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_and_rule_blocks() {
        let text = "# METADATA\n# title: Pack\n# custom:\n#   kinds: [Application]\npackage x\n\n\
                    # METADATA\n# title: No default\n# description: |\n#   Long text.\n# custom:\n#   id: no-default\n\
                    deny contains msg if { msg := \"x\" }\n";
        let a = annotations(text).unwrap();
        assert_eq!(a.len(), 2);
        assert!(a[0].package);
        assert_eq!(a[0].line, 5);
        assert_eq!(a[0].kinds.as_deref(), Some(&["Application".to_string()][..]));
        assert!(!a[1].package);
        assert_eq!(a[1].line, 13);
        assert_eq!(a[1].id.as_deref(), Some("no-default"));
        assert_eq!(a[1].description.as_deref(), Some("Long text.\n"));
    }

    #[test]
    fn reads_the_category() {
        let text = "# METADATA\n# custom:\n#   id: a\n#   category: best-practice\npackage x\n\n\
                    # METADATA\n# custom:\n#   id: b\ndeny contains msg if { msg := \"x\" }\n";
        let a = annotations(text).unwrap();
        assert_eq!(a[0].category.as_deref(), Some("best-practice"));
        assert_eq!(a[1].category, None);
    }

    #[test]
    fn reports_invalid_yaml_with_its_line() {
        let e = annotations("# METADATA\n# title: [unclosed\npackage x\n").unwrap_err();
        assert!(e.contains("invalid METADATA"), "{e}");
    }
}
