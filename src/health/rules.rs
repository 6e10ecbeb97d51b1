//! What `argovet check` reports about the Lua customizations of an `argocd-cm`: scripts that do not
//! compile (at the line inside the YAML block scalar), keys Argo CD rejects or never matches, statuses
//! Argo CD turns into `Unknown`, and health scripts without tests.

use super::argocd_cm::{CmOverrides, CmScript, TYPES, object_key};
use super::layout;
use super::result::HEALTH_STATUSES;
use super::sandbox::Script;
use crate::declare_rule;
use crate::lint::RuleInfo;
use crate::lint::util::{did_you_mean, is_dns1123_subdomain};
use crate::model::Document;
use crate::report::{Finding, Span};
use std::collections::BTreeSet;
use std::path::Path;

declare_rule! {
    /// ## What it does
    /// Compiles every Lua script of an `argocd-cm` (health checks, action discovery and actions, in split
    /// keys and in the `resource.customizations` blob) and reports syntax errors at the line inside the
    /// YAML block scalar where Lua found them.
    /// ## Why is this bad?
    /// Argo CD only compiles the script when it first assesses a matching resource; until then nothing
    /// says it is broken, and afterwards every such resource is `Unknown` with a Lua error as message.
    /// ## Example
    /// ```yaml
    /// data:
    ///   resource.customizations.health.cert-manager.io_Certificate: |
    ///     hs = {}
    ///     if obj.status ~= nil then
    ///       hs.status = "Healthy"
    ///     return hs
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   resource.customizations.health.cert-manager.io_Certificate: |
    ///     hs = {}
    ///     if obj.status ~= nil then
    ///       hs.status = "Healthy"
    ///     end
    ///     return hs
    /// ```
    pub struct HealthLuaSyntax {
        id: "health-lua-syntax", severity: Error, source: Health,
        summary: "a Lua script in argocd-cm that does not compile",
    }
}

declare_rule! {
    /// ## What it does
    /// Flags `resource.customizations` keys and values Argo CD refuses to read: a customization type it
    /// does not know (`resource.customizations.healthz.…`), a group/kind with more than one `_`, a
    /// `useOpenLibs` value that is not a boolean, a blob or `actions` value that is not valid YAML.
    /// ## Why is this bad?
    /// Argo CD's settings manager stops at the first such key: *every* resource customization of the
    /// ConfigMap (health checks, actions, ignoreDifferences) is then ignored, not just the broken one.
    /// ## Example
    /// ```yaml
    /// data:
    ///   resource.customizations.health.cert-manager.io_v1_Certificate: |
    ///     return {status = "Healthy"}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   resource.customizations.health.cert-manager.io_Certificate: |
    ///     return {status = "Healthy"}
    /// ```
    pub struct HealthCustomizationInvalid {
        id: "health-customization-invalid", severity: Error, source: Health,
        summary: "a resource.customizations key or value that makes Argo CD ignore every customization",
    }
}

declare_rule! {
    /// ## What it does
    /// Flags `resource.customizations.<type>.<group>_<Kind>` keys (and blob keys `group/Kind`) whose
    /// group or kind cannot match a real resource: a lowercase kind, a group with capitals, `v1` or `core`
    /// as a group (core kinds are written without a group), group and kind swapped, a blob key written
    /// with `_`.
    /// ## Why is this bad?
    /// Argo CD looks scripts up by the exact `group/Kind` of each resource. A key that never matches is
    /// silently ignored: the resource keeps its default health (often `Unknown` for CRDs).
    /// ## Example
    /// ```yaml
    /// data:
    ///   resource.customizations.health.cert-manager.io_certificate: |
    ///     return {status = "Healthy"}
    /// ```
    /// ## Use instead
    /// ```yaml
    /// data:
    ///   resource.customizations.health.cert-manager.io_Certificate: |
    ///     return {status = "Healthy"}
    /// ```
    pub struct HealthCustomizationKey {
        id: "health-customization-key", severity: Warning, source: Health,
        summary: "a resource.customizations group/kind that no resource will ever match",
    }
}

declare_rule! {
    /// ## What it does
    /// Finds health scripts that set `status` to a string literal outside Argo CD's set: `Healthy`,
    /// `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown` (case matters).
    /// ## Why is this bad?
    /// Argo CD replaces any other status with `Unknown` and the message "Lua returned an invalid health
    /// status", throwing the script's own message away.
    /// ## Example
    /// ```lua
    /// hs.status = "Ready"
    /// ```
    /// ## Use instead
    /// ```lua
    /// hs.status = "Healthy"
    /// ```
    pub struct HealthStatusInvalid {
        id: "health-status-invalid", severity: Warning, source: Health,
        summary: "a health script sets a status Argo CD turns into Unknown",
    }
}

declare_rule! {
    /// ## What it does
    /// Warns about a health script in an `argocd-cm` that no test exercises. argovet's convention: tests
    /// of `argocd-cm.yaml` live in `argocd-cm.health_test.yaml` beside it, in the `health_test.yaml`
    /// format (`tests: [{inputPath, healthStatus: {status, message}}]`); a script counts as tested when
    /// some test input selects it. Run them with `argovet health test`.
    /// ## Why is this bad?
    /// Health scripts decide whether syncs wait, hooks run and rollouts proceed. Untested, a typo in a
    /// field path shows up as a resource stuck in `Progressing` in production.
    /// ## Example
    /// ```text
    /// gitops/argocd-cm.yaml      # resource.customizations.health.example.com_Widget
    /// ```
    /// ## Use instead
    /// ```text
    /// gitops/argocd-cm.yaml
    /// gitops/argocd-cm.health_test.yaml
    /// gitops/testdata/widget-ready.yaml
    /// ```
    pub struct HealthScriptUntested {
        id: "health-script-untested", severity: Warning, source: Health,
        summary: "an argocd-cm health script that no test exercises",
    }
}

/// Rule ids of the health engine.
pub static RULE_INFOS: &[RuleInfo] = &[
    HealthLuaSyntax::INFO,
    HealthCustomizationInvalid::INFO,
    HealthCustomizationKey::INFO,
    HealthStatusInvalid::INFO,
    HealthScriptUntested::INFO,
];

/// Compiles and checks every Lua script of an `argocd-cm` document. Reads the ConfigMap's test file
/// (`<name>.health_test.yaml` beside it) and its inputs, if present, to know which scripts are tested.
pub fn check_argocd_cm(doc: &Document) -> Vec<Finding> {
    let tested = tested_keys(doc);
    check_argocd_cm_with(doc, tested.as_ref())
}

/// The override keys the ConfigMap's tests select, or `None` without a test file.
fn tested_keys(doc: &Document) -> Option<BTreeSet<String>> {
    let path = Path::new(&*doc.file.path);
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    let tests_path = path.with_file_name(format!("{stem}.health_test.yaml"));
    let text = std::fs::read_to_string(&tests_path).ok()?;
    let tests = layout::parse_test_file(&text).ok()?;
    let cm = CmOverrides::from_document(doc);
    let base = tests_path.parent().unwrap_or(Path::new(""));
    let mut keys = BTreeSet::new();
    for t in &tests.health {
        let Ok(obj_text) = std::fs::read_to_string(base.join(&t.input_path)) else { continue };
        let Ok(obj) = layout::parse_input_object(&obj_text) else { continue };
        if let Some((k, _, _)) = cm.health_script(&object_key(&obj)) {
            keys.insert(k.to_owned());
        }
    }
    Some(keys)
}

/// [`check_argocd_cm`] with the tested keys given (`None`: no test file).
pub fn check_argocd_cm_with(doc: &Document, tested: Option<&BTreeSet<String>>) -> Vec<Finding> {
    let mut out = Vec::new();
    let cm = CmOverrides::from_document(doc);
    for p in &cm.problems {
        let info = if p.fatal { &HealthCustomizationInvalid::INFO } else { &HealthCustomizationKey::INFO };
        out.push(
            doc.finding_at(info.id, info.severity, doc.key_span(&p.pointer), p.message.clone())
                .with_help("fix this key: until then Argo CD ignores every resource customization of this ConfigMap"),
        );
    }
    check_keys(doc, &mut out);
    for (key, role, script) in cm.scripts() {
        if let Err(e) = Script::compile(script.origin.clone(), &script.source) {
            let span = script_span(doc, script, e.line);
            let last = script.source.lines().count() as u32;
            let where_ = match e.line {
                Some(l) if l > last => " (at the end of the script)".to_owned(),
                Some(l) => format!(" (line {l} of the script)"),
                None => String::new(),
            };
            out.push(
                doc.finding_at(
                    HealthLuaSyntax::INFO.id,
                    HealthLuaSyntax::INFO.severity,
                    span,
                    format!("the {role} script for {key} does not compile: {}{where_}", e.message),
                )
                .with_help("fix the Lua syntax; `argovet health run --argocd-cm` runs the script on a sample object"),
            );
        }
        if role == "health" {
            check_statuses(doc, key, script, &mut out);
            if !tested.is_some_and(|t| t.contains(key)) {
                let path = Path::new(&*doc.file.path);
                let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                out.push(
                    doc.finding_at(
                        HealthScriptUntested::INFO.id,
                        HealthScriptUntested::INFO.severity,
                        doc.key_span(&script.pointer),
                        format!("the health script for {key} has no test"),
                    )
                    .with_help(format!(
                        "add a test to {stem}.health_test.yaml beside this file (tests: [{{inputPath, healthStatus: {{status, message}}}}]) and run `argovet health test`"
                    )),
                );
            }
        }
    }
    out
}

/// The span of Lua line `line` of a script, or of its key when the line cannot be mapped.
fn script_span(doc: &Document, script: &CmScript, line: Option<u32>) -> Span {
    if let Some(file_line) = line.and_then(|l| script.file_line(l)) {
        let text = doc.file.lines.line_text(&doc.file.text, file_line);
        let indent = text.chars().take_while(|c| c.is_whitespace()).count();
        let len = text.trim().len();
        return doc.file.lines.span(&doc.file.text, file_line as usize, indent, len);
    }
    doc.key_span(&script.pointer)
}

fn check_statuses(doc: &Document, key: &str, script: &CmScript, out: &mut Vec<Finding>) {
    for (i, line) in script.source.lines().enumerate() {
        let code = line.split("--").next().unwrap_or("");
        let mut rest = code;
        while let Some(pos) = rest.find("status") {
            let before_ok = rest[..pos].chars().last().is_none_or(|c| !c.is_alphanumeric() && c != '_');
            let after = rest[pos + 6..].trim_start();
            rest = &rest[pos + 6..];
            if !before_ok || !after.starts_with('=') || after.starts_with("==") {
                continue;
            }
            let value = after[1..].trim_start();
            let Some(q) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            let Some(end) = value[1..].find(q) else { continue };
            let status = &value[1..1 + end];
            if HEALTH_STATUSES.contains(&status) {
                continue;
            }
            let hint = did_you_mean(status, HEALTH_STATUSES.iter().copied())
                .or_else(|| {
                    HEALTH_STATUSES
                        .iter()
                        .find(|s| s.eq_ignore_ascii_case(status.trim()))
                        .map(|s| format!("did you mean `{s}`?"))
                })
                .unwrap_or_default();
            out.push(
                doc.finding_at(
                    HealthStatusInvalid::INFO.id,
                    HealthStatusInvalid::INFO.severity,
                    script_span(doc, script, Some(i as u32 + 1)),
                    format!(
                        "the health script for {key} sets status \"{status}\", which Argo CD replaces with Unknown (\"Lua returned an invalid health status\") {hint}"
                    )
                    .trim_end()
                    .to_owned(),
                )
                .with_help("use one of Healthy, Progressing, Degraded, Suspended, Missing, Unknown"),
            );
        }
    }
}

fn kind_problem(group: &str, kind: &str) -> Option<String> {
    let glob = |s: &str| s.contains(['*', '?', '[', '{']);
    if kind.is_empty() {
        return Some("the kind is empty".to_owned());
    }
    if !glob(kind) && kind.contains('.') && group.chars().next().is_some_and(char::is_uppercase) {
        return Some(format!("group and kind look swapped: write `{kind}_{group}`"));
    }
    if !glob(kind) && kind.chars().next().is_some_and(|c| c.is_ascii_lowercase()) {
        let mut fixed = kind.to_owned();
        fixed[..1].make_ascii_uppercase();
        return Some(format!(
            "kind `{kind}` starts with a lowercase letter; Kubernetes kinds are CamelCase, e.g. `{fixed}`"
        ));
    }
    if group == "v1" || group == "core" {
        return Some(format!("core kinds have no group: the key is `{kind}`, not `{group}_{kind}`"));
    }
    if !glob(group) && !group.is_empty() && !is_dns1123_subdomain(group) {
        return Some(format!("group `{group}` is not a valid API group (lowercase DNS name, e.g. `cert-manager.io`)"));
    }
    None
}

fn check_keys(doc: &Document, out: &mut Vec<Finding>) {
    let Some(serde_json::Value::Object(data)) = doc.get("/data") else { return };
    let info = &HealthCustomizationKey::INFO;
    for (k, v) in data {
        let pointer = format!("/data/{}", crate::lint::util::escape_pointer(k));
        if k == super::argocd_cm::BLOB_KEY {
            let Some(text) = v.as_str() else { continue };
            let loaded = crate::yaml::load(text, &crate::yaml::Limits::default());
            let Some(serde_json::Value::Object(blob)) = loaded.docs.first().map(|d| &d.value) else { continue };
            for bk in blob.keys() {
                let problem = match bk.split_once('/') {
                    Some((g, kind)) => kind_problem(g, kind),
                    None if bk.contains('_') => {
                        Some(format!("blob keys are `group/Kind`: write `{}`", bk.replacen('_', "/", 1)))
                    }
                    None => kind_problem("", bk),
                };
                if let Some(p) = problem {
                    out.push(
                        doc.finding_at(
                            info.id,
                            info.severity,
                            doc.key_span(&pointer),
                            format!("{} key `{bk}`: {p}", super::argocd_cm::BLOB_KEY),
                        )
                        .with_help("Argo CD looks scripts up by the exact group/Kind of each resource"),
                    );
                }
            }
            continue;
        }
        let Some(rest) = k.strip_prefix("resource.customizations.") else { continue };
        let Some((ty, group_kind)) = rest.split_once('.') else { continue };
        if !TYPES.contains(&ty) {
            continue; // reported as fatal by the reader
        }
        let parts: Vec<&str> = group_kind.split('_').collect();
        let problem = match parts.as_slice() {
            [g, kind] => kind_problem(g, kind),
            [kind] if *kind == "all" => None,
            [kind] if kind.contains('/') => {
                Some("`/` is not allowed in ConfigMap keys: write the group and kind as `<group>_<Kind>`".to_owned())
            }
            [kind] => kind_problem("", kind),
            _ => None, // more underscores: fatal, reported by the reader
        };
        if let Some(p) = problem {
            out.push(
                doc.finding_at(info.id, info.severity, doc.key_span(&pointer), format!("`{k}`: {p}")).with_help(
                    "Argo CD looks scripts up by the exact group/Kind of each resource; this key matches none",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFile;
    use crate::yaml::{self, Limits};
    use std::sync::Arc;

    fn doc(text: &str) -> Document {
        let file = Arc::new(SourceFile::new("argocd-cm.yaml", text.to_owned()));
        let mut loaded = yaml::load(&file.text, &Limits::default());
        let d = loaded.docs.remove(0);
        Document::new(file, d.index, d.value, d.map)
    }

    fn rules(fs: &[Finding]) -> Vec<(&str, u32)> {
        fs.iter().map(|f| (f.rule.as_str(), f.span.line)).collect()
    }

    const HEAD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-cm\ndata:\n";

    #[test]
    fn syntax_error_points_inside_the_block_scalar() {
        let d = doc(&format!(
            "{HEAD}  resource.customizations.health.cert-manager.io_Certificate: |\n    hs = {{}}\n    if obj.status ~= nil then\n      hs.status = \"Healthy\"\n    return hs\n"
        ));
        let tested: BTreeSet<String> = ["cert-manager.io/Certificate".to_owned()].into();
        let fs = check_argocd_cm_with(&d, Some(&tested));
        assert_eq!(rules(&fs), [("health-lua-syntax", 10)], "{fs:#?}");
        assert!(fs[0].message.contains("'end' expected"), "{}", fs[0].message);
        assert_eq!(fs[0].span.column, 5);
    }

    #[test]
    fn syntax_error_in_blob_and_actions() {
        let d = doc(&format!(
            "{HEAD}  resource.customizations: |\n    example.com/Widget:\n      health.lua: |\n        return {{status = \n  resource.customizations.actions.apps_Deployment: |\n    discovery.lua: |\n      return {{restart = {{}}}}\n    definitions:\n    - name: restart\n      action.lua: |\n        local x = \n        return obj\n"
        ));
        let fs: Vec<Finding> =
            check_argocd_cm_with(&d, None).into_iter().filter(|f| f.rule == "health-lua-syntax").collect();
        // Lua reports the unfinished table at end of input (line 2 of the blob script: after the last line).
        assert_eq!(rules(&fs).len(), 2, "{fs:#?}");
        assert!(fs.iter().any(|f| f.span.line == 17 || f.span.line == 16), "{fs:#?}");
        assert!(fs.iter().any(|f| f.message.contains("example.com/Widget")));
    }

    #[test]
    fn clean_configmap_is_quiet_with_tests() {
        let d = doc(&format!(
            "{HEAD}  resource.customizations.health.cert-manager.io_Certificate: |\n    return {{status = \"Healthy\"}}\n"
        ));
        let tested: BTreeSet<String> = ["cert-manager.io/Certificate".to_owned()].into();
        assert!(check_argocd_cm_with(&d, Some(&tested)).is_empty());
        let fs = check_argocd_cm_with(&d, None);
        assert_eq!(rules(&fs), [("health-script-untested", 6)]);
    }

    #[test]
    fn keys_argo_cd_rejects_or_never_matches() {
        let d = doc(&format!(
            "{HEAD}  resource.customizations.health.cert-manager.io_certificate: |\n    return {{status = 'Healthy'}}\n  resource.customizations.health.v1_Pod: |\n    return {{status = 'Healthy'}}\n  resource.customizations.health.Certificate_cert-manager.io: |\n    return {{status = 'Healthy'}}\n  resource.customizations.healthz.a_B: x\n  resource.customizations.health.a_b_C: x\n"
        ));
        let fs = check_argocd_cm_with(&d, None);
        let got: Vec<(&str, u32)> = rules(&fs).into_iter().filter(|(r, _)| *r != "health-script-untested").collect();
        assert_eq!(
            got,
            [
                ("health-customization-invalid", 12),
                ("health-customization-invalid", 13),
                ("health-customization-key", 6),
                ("health-customization-key", 8),
                ("health-customization-key", 10),
            ],
            "{fs:#?}"
        );
        assert!(fs.iter().any(|f| f.message.contains("`Certificate`")));
    }

    #[test]
    fn invalid_status_literal_is_reported_at_its_line() {
        let d = doc(&format!(
            "{HEAD}  resource.customizations.health.example.com_Widget: |\n    hs = {{}}\n    hs.status = \"healthy\" -- lowercase\n    if hs.status == \"Ready\" then end\n    return hs\n"
        ));
        let tested: BTreeSet<String> = ["example.com/Widget".to_owned()].into();
        let fs = check_argocd_cm_with(&d, Some(&tested));
        assert_eq!(rules(&fs), [("health-status-invalid", 8)], "{fs:#?}");
        assert!(fs[0].message.contains("Healthy"), "{}", fs[0].message);
    }
}
