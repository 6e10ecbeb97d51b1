//! Inline suppressions: `# argovet:ignore` and `# argovet:ignore[rule-a, rule-b]` in YAML comments.
//!
//! Only real comments count (see [`crate::yaml::comments`]): `sync-wave: "x #argovet:ignore"` is a quoted
//! scalar, not a suppression. A comment after content covers the findings that start on its line; a comment
//! on a line of its own covers its line and the next. Then every rule id that silenced nothing is reported
//! (`suppression-unused`), and every id that names no rule (`suppression-unknown-rule`), both as warnings.

use crate::lint::builtin::{SuppressionUnknownRule, SuppressionUnused};
use crate::model::SourceFile;
use crate::policy::Policies;
use crate::report::{Finding, Sources, Span};
use crate::workspace::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

const DIRECTIVE: &str = "argovet:ignore";

/// The rule ids a suppression may name, and which of them ran in this check.
#[derive(Debug, Clone, Default)]
pub struct RuleIds {
    /// Every rule argovet defines, the rules of the built-in packs, and the rules of the loaded user policies.
    known: BTreeSet<String>,
    /// The policy rules this run evaluated.
    ran_policies: BTreeSet<String>,
    /// The built-in pack names (`argocd`, `kubernetes`).
    packs: BTreeSet<String>,
    /// Whether user policies were loaded: only then is the list of `policy/<package>/...` ids complete.
    user_policies: bool,
    /// Whether `known` and `packs` still lack argovet's own catalogue (added when a file has a suppression:
    /// reading the built-in packs' metadata is not free).
    catalogue_pending: bool,
}

impl RuleIds {
    /// The rules of argovet and of the built-in packs, and those of `policies` (the policies this run loaded).
    pub fn new(policies: &Policies) -> RuleIds {
        let mut ids = RuleIds { catalogue_pending: true, ..RuleIds::default() };
        let sets = policies.builtin.as_deref().into_iter().chain(policies.user.as_ref());
        for rule in sets.flat_map(|s| s.namespaces.iter()).flat_map(|n| n.rules.iter()) {
            ids.known.insert(rule.id.clone());
            ids.ran_policies.insert(rule.id.clone());
        }
        ids.user_policies = policies.user.is_some();
        ids
    }

    /// `self` with argovet's rules and the built-in packs' rules added, if not yet.
    fn with_catalogue(&self) -> std::borrow::Cow<'_, RuleIds> {
        if !self.catalogue_pending {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut ids = self.clone();
        ids.known.extend(crate::lint::all_rule_infos().iter().map(|i| i.id.to_string()));
        for info in crate::policy::builtin_rule_infos() {
            ids.packs.insert(info.pack);
            ids.known.insert(info.id);
        }
        ids.catalogue_pending = false;
        std::borrow::Cow::Owned(ids)
    }

    /// Whether `id` is a rule, or cannot be judged: a user policy id while no user policies are loaded.
    fn is_known(&self, id: &str) -> bool {
        if self.known.contains(id) {
            return true;
        }
        match id.strip_prefix("policy/") {
            Some(rest) if !self.user_policies => {
                let package = rest.split('/').next().unwrap_or("");
                !self.packs.contains(package) && rest.contains('/')
            }
            _ => false,
        }
    }

    /// Whether the rule `id` ran, so that a suppression of it that silenced nothing is really unused.
    fn ran(&self, id: &str, config: &Config) -> bool {
        config.enabled(id) && (!id.starts_with("policy/") || self.ran_policies.contains(id))
    }
}

/// One `argovet:ignore` in a comment.
#[derive(Debug)]
struct Directive {
    /// The 1-based line of the comment.
    line: u32,
    /// Whether the comment is alone on its line (then it also covers the next line).
    own_line: bool,
    /// The span of `argovet:ignore` and its list.
    span: Span,
    /// The listed rule ids and their spans; `None` for a bare `argovet:ignore` (every rule).
    rules: Option<Vec<(String, Span)>>,
    /// Whether each listed id (or the bare directive, one entry) silenced a finding.
    used: Vec<bool>,
}

impl Directive {
    fn covers_line(&self, line: u32) -> bool {
        line == self.line || (self.own_line && line == self.line + 1)
    }

    /// The line whose findings it is meant for.
    fn target(&self) -> u32 {
        if self.own_line { self.line + 1 } else { self.line }
    }
}

/// The suppressions in `src`'s comments.
fn directives(src: &SourceFile) -> Vec<Directive> {
    let text = &src.text;
    if memchr::memmem::find(text.as_bytes(), DIRECTIVE.as_bytes()).is_none() {
        return Vec::new();
    }
    let span = |start: usize, end: usize| src.lines.span_of_offset(text, start, end - start);
    let mut out = Vec::new();
    for c in crate::yaml::comments(text) {
        let comment = &text[c.start..c.end];
        let mut from = 0;
        while let Some(p) = comment[from..].find(DIRECTIVE) {
            let at = from + p;
            let after = at + DIRECTIVE.len();
            from = after;
            let word =
                |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'));
            if (at > 0 && word(comment.as_bytes().get(at - 1))) || word(comment.as_bytes().get(after)) {
                continue;
            }
            let (rules, end) = match comment[after..].strip_prefix('[') {
                None => (None, after),
                Some(list) => {
                    let close = list.find(']');
                    let body = &list[..close.unwrap_or(list.len())];
                    let mut rules = Vec::new();
                    let mut offset = after + 1;
                    for part in body.split(',') {
                        let id = part.trim();
                        if !id.is_empty() {
                            let start = offset + (part.len() - part.trim_start().len());
                            rules.push((id.to_string(), span(c.start + start, c.start + start + id.len())));
                        }
                        offset += part.len() + 1;
                    }
                    (Some(rules), after + 1 + body.len() + usize::from(close.is_some()))
                }
            };
            let span = span(c.start + at, c.start + end);
            let used = vec![false; rules.as_ref().map_or(1, Vec::len)];
            out.push(Directive { line: span.line, own_line: c.own_line, span, rules, used });
            from = end;
        }
    }
    out
}

/// Drops the findings an inline suppression silences and adds the findings about the suppressions themselves
/// (unused, unknown rule ids), with the configuration's severity, unless it turns them off. Those are not
/// themselves subject to suppressions.
pub fn apply(findings: Vec<Finding>, sources: &Sources, ids: &RuleIds, config: &Config) -> Vec<Finding> {
    let mut by_file: BTreeMap<&Arc<str>, Vec<Directive>> = BTreeMap::new();
    for (path, src) in sources {
        let ds = directives(src);
        if !ds.is_empty() {
            by_file.insert(path, ds);
        }
    }
    if by_file.is_empty() {
        return findings;
    }
    let ids = ids.with_catalogue();
    let present: BTreeSet<String> = findings.iter().map(|f| f.rule.clone()).collect();
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings {
        let Some(ds) = by_file.get_mut(&f.file) else {
            kept.push(f);
            continue;
        };
        let mut silenced = false;
        for d in ds.iter_mut() {
            if f.span.line == 0 || !d.covers_line(f.span.line) {
                continue;
            }
            match &d.rules {
                None => {
                    d.used[0] = true;
                    silenced = true;
                }
                Some(rules) => {
                    for (i, (id, _)) in rules.iter().enumerate() {
                        if *id == f.rule {
                            d.used[i] = true;
                            silenced = true;
                        }
                    }
                }
            }
        }
        if !silenced {
            kept.push(f);
        }
    }
    let unused = SuppressionUnused::INFO;
    let unknown = SuppressionUnknownRule::INFO;
    let all_ids: Vec<&str> = ids.known.iter().map(String::as_str).collect();
    for (file, ds) in by_file {
        for d in &ds {
            let used = &d.used;
            let mut report = |rule: &crate::lint::RuleInfo, span: Span, message: String, help: String| {
                if config.enabled(rule.id) {
                    kept.push(Finding::new(rule.id, rule.severity, file.clone(), span, message).with_help(help));
                }
            };
            match &d.rules {
                None if !used[0] => report(
                    &unused,
                    d.span.clone(),
                    format!("`{DIRECTIVE}` silences nothing: no finding starts on line {}", d.target()),
                    "remove the comment, or move it to the line of the finding it is meant for".into(),
                ),
                None => {}
                Some(rules) if rules.is_empty() => report(
                    &unused,
                    d.span.clone(),
                    format!("`{DIRECTIVE}[]` names no rule, so it silences nothing"),
                    format!("list the rule ids to silence (`{DIRECTIVE}[rule-id]`), or remove the comment"),
                ),
                Some(rules) => {
                    for ((id, span), &used) in rules.iter().zip(used) {
                        if !ids.is_known(id) && !present.contains(id) {
                            let hint = crate::lint::util::did_you_mean(id, all_ids.iter().copied())
                                .map(|s| format!("; {s}"))
                                .unwrap_or_default();
                            report(
                                &unknown,
                                span.clone(),
                                format!("`{DIRECTIVE}[{id}]`: no rule is named `{id}`{hint}"),
                                "correct the id (`argovet rules` lists them) or remove it".into(),
                            );
                        } else if !used && ids.ran(id, config) {
                            let what =
                                if rules.len() == 1 { "the comment".into() } else { format!("`{id}` from the list") };
                            report(
                                &unused,
                                span.clone(),
                                format!(
                                    "`{DIRECTIVE}[{id}]` silences nothing: no `{id}` finding starts on line {}",
                                    d.target()
                                ),
                                format!(
                                    "remove {what}, or move the suppression to the line of the finding it is meant for"
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Severity;

    fn file(text: &str) -> Sources {
        let mut sources = Sources::new();
        let f = Arc::new(SourceFile::new("a.yaml", text.to_string()));
        sources.insert(f.path.clone(), f);
        sources
    }

    fn finding(rule: &str, line: u32) -> Finding {
        Finding::new(rule, Severity::Error, "a.yaml".into(), Span { offset: 0, len: 1, line, column: 1 }, "m")
    }

    fn ids() -> RuleIds {
        let mut ids = RuleIds::default();
        ids.known.extend(["yaml-syntax", "yaml-ambiguous-value", "schema-type"].map(String::from));
        ids.packs.insert("argocd".into());
        ids.known.insert("policy/argocd/default-project".into());
        ids
    }

    /// `(rule, line)` of what `apply` keeps and adds.
    fn run(text: &str, findings: Vec<Finding>) -> Vec<(String, u32, String)> {
        let out = apply(findings, &file(text), &ids(), &Config::default());
        out.into_iter().map(|f| (f.rule, f.span.line, f.message)).collect()
    }

    #[test]
    fn directives_are_read_from_comments_only() {
        let src = file(
            "a: \"x #argovet:ignore\"\nb: 1 # argovet:ignore[schema-type, yaml-syntax]\n# argovet:ignore\nc: |\n  # argovet:ignore\n",
        );
        let ds = directives(&src["a.yaml"]);
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert_eq!((ds[0].line, ds[0].own_line), (2, false));
        let rules = ds[0].rules.as_ref().expect("a list");
        assert_eq!(
            rules.iter().map(|(r, s)| (r.as_str(), s.column)).collect::<Vec<_>>(),
            [("schema-type", 23), ("yaml-syntax", 36)]
        );
        assert_eq!((ds[1].line, ds[1].own_line, ds[1].rules.is_none()), (3, true, true));
    }

    #[test]
    fn a_quoted_hash_does_not_silence_a_real_error() {
        let out =
            run("metadata:\n  annotations:\n    sync-wave: \"x #argovet:ignore\"\n", vec![finding("schema-type", 3)]);
        assert_eq!(out, [("schema-type".into(), 3, "m".into())]);
    }

    #[test]
    fn trailing_and_own_line_comments_cover_their_lines() {
        let text = "# argovet:ignore[schema-type]\na: 1\nb: 2 # argovet:ignore[yaml-syntax]\nc: 3\n";
        let out = run(text, vec![finding("schema-type", 2), finding("yaml-syntax", 3), finding("yaml-syntax", 4)]);
        assert_eq!(out, [("yaml-syntax".into(), 4, "m".into())]);
    }

    #[test]
    fn words_that_only_contain_the_directive_are_not_directives() {
        let src = file("a: 1 # argovet:ignored, xargovet:ignore, argovet:ignore-next\n");
        assert!(directives(&src["a.yaml"]).is_empty());
    }

    #[test]
    fn unused_and_unknown_ids_are_reported() {
        let text = "a: 1 # argovet:ignore[schema-type, yaml-syntax, schema-typo]\nb: 2 # argovet:ignore\nc: 3 # argovet:ignore[]\n";
        let out = run(text, vec![finding("schema-type", 1)]);
        let got: Vec<(&str, u32, &str)> = out.iter().map(|(r, l, m)| (r.as_str(), *l, m.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    "suppression-unused",
                    1,
                    "`argovet:ignore[yaml-syntax]` silences nothing: no `yaml-syntax` finding starts on line 1"
                ),
                (
                    "suppression-unknown-rule",
                    1,
                    "`argovet:ignore[schema-typo]`: no rule is named `schema-typo`; did you mean `schema-type`?"
                ),
                ("suppression-unused", 2, "`argovet:ignore` silences nothing: no finding starts on line 2"),
                ("suppression-unused", 3, "`argovet:ignore[]` names no rule, so it silences nothing"),
            ]
        );
    }

    #[test]
    fn policy_ids_without_user_policies_cannot_be_judged() {
        let ids = ids();
        assert!(ids.is_known("policy/argocd/default-project"));
        assert!(!ids.is_known("policy/argocd/default-projet"), "a built-in pack's ids are all known");
        assert!(ids.is_known("policy/main/deny"), "no user policies loaded: cannot tell");
        assert!(!ids.is_known("policy/main"));
        let loaded = RuleIds { user_policies: true, ..ids };
        assert!(!loaded.is_known("policy/main/deny"));
        // A policy rule that did not run is never unused.
        assert!(!loaded.ran("policy/argocd/default-project", &Config::default()));
        assert!(loaded.ran("schema-type", &Config::default()));
    }

    #[test]
    fn the_catalogue_has_every_rule_and_built_in_pack() {
        let ids = RuleIds { catalogue_pending: true, ..RuleIds::default() };
        let ids = ids.with_catalogue();
        assert!(ids.is_known("yaml-syntax") && ids.is_known("suppression-unused"));
        assert!(ids.packs.contains("argocd") && ids.packs.contains("kubernetes"), "{:?}", ids.packs);
        let pack_rule = crate::policy::builtin_rule_infos().into_iter().next().expect("a built-in policy rule");
        assert!(ids.is_known(&pack_rule.id));
    }

    #[test]
    fn an_id_some_finding_carries_is_known() {
        // `policy/main/deny` from user policies is both present and silenced: nothing is reported.
        let ids = RuleIds { user_policies: true, ..ids() };
        let findings = vec![finding("policy/main/deny", 1)];
        let out = apply(findings, &file("a: 1 # argovet:ignore[policy/main/deny]\n"), &ids, &Config::default());
        assert!(out.is_empty(), "{out:?}");
    }
}
