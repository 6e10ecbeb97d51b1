//! The list of lint rules, and the catalogue of every rule id argovet can report.

use super::builtin::*;
use super::rules;
use super::{Rule, RuleInfo};

/// Every group of lint rules; each group's `mod.rs` lists its own rules.
static GROUPS: &[&[&dyn Rule]] =
    &[rules::GENERAL, rules::application::RULES, rules::appset::RULES, rules::project::RULES];

/// Every lint rule, in the order they run.
pub fn lint_rules() -> impl Iterator<Item = &'static dyn Rule> {
    GROUPS.iter().flat_map(|g| g.iter().copied())
}

/// Rules reported by the loader and discovery.
static BUILTIN: &[RuleInfo] = &[
    YamlSyntax::INFO,
    YamlDuplicateKey::INFO,
    YamlTooDeep::INFO,
    YamlAliasBomb::INFO,
    YamlUnquotedTemplate::INFO,
    YamlComplexKey::INFO,
    FileUnreadable::INFO,
    FileEncoding::INFO,
    FileTooLarge::INFO,
    SuppressionUnused::INFO,
    SuppressionUnknownRule::INFO,
];

/// Every rule id argovet itself defines (lint, loader, schema, engines), sorted by id.
/// Policies are listed separately, since they are loaded at run time.
pub fn all_rule_infos() -> Vec<&'static RuleInfo> {
    let mut all: Vec<&'static RuleInfo> = lint_rules().map(|r| r.info()).collect();
    all.extend(BUILTIN.iter());
    all.extend(crate::schema::RULE_INFOS.iter());
    all.extend(crate::health::RULE_INFOS.iter());
    all.extend(crate::appset::RULE_INFOS.iter());
    all.sort_by_key(|i| i.id);
    all
}

/// The rule with this id, if argovet defines it.
pub fn find_rule_info(id: &str) -> Option<&'static RuleInfo> {
    all_rule_infos().into_iter().find(|i| i.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_kebab_case_and_documented() {
        let all = all_rule_infos();
        for w in all.windows(2) {
            assert_ne!(w[0].id, w[1].id, "duplicate rule id");
        }
        for i in &all {
            assert!(i.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{}", i.id);
            assert!(i.docs.contains("## What it does"), "{} has no docs", i.id);
            assert!(!i.summary.is_empty());
        }
    }
}
