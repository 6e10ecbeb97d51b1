//! `--format sarif`: SARIF 2.1.0, in the shape GitHub code scanning accepts (`github/codeql-action/upload-sarif`).
//!
//! One run. `tool.driver.rules` lists the rules that have results, sorted by id, each with its summary, the
//! "What it does" paragraph, its full documentation as markdown help and its default level; results point at
//! them by `ruleId` and `ruleIndex`. Locations are relative URIs under `%SRCROOT%` (the directory argovet ran
//! in) with a region whose columns count Unicode code points (`columnKind`), end exclusive.
//! `partialFingerprints["argovet/v1"]` keeps alerts stable when lines move (see `fingerprint.rs`).

use super::fingerprint::fingerprints;
use super::{Finding, Generated, Report, Severity, is_absolute, message_with_notes, relative_path};
use crate::lint::{RuleInfo, RuleSource, find_rule_info};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Where the SARIF schema lives; GitHub and editors read `$schema`.
const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Used as `informationUri` until Cargo.toml names the project's repository.
const DEFAULT_INFORMATION_URI: &str = "https://github.com/argovet/argovet";

/// The SARIF log, pretty-printed, with a trailing newline.
pub fn render(report: &Report<'_>) -> String {
    let rules = rule_index(report.findings);
    let prints = fingerprints(report.findings);
    let information_uri = match env!("CARGO_PKG_REPOSITORY") {
        "" => DEFAULT_INFORMATION_URI,
        uri => uri,
    };
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "argovet",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri,
                    rules: rules.keys().map(|id| descriptor(id, report.findings)).collect(),
                },
            },
            original_uri_base_ids: json!({
                "%SRCROOT%": { "description": { "text": "The directory argovet was run from." } }
            }),
            column_kind: "unicodeCodePoints",
            results: report.findings.iter().zip(prints).map(|(f, print)| result(report, f, &rules, print)).collect(),
        }],
    };
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

// The log is serialised from typed structs rather than a `serde_json::Value` tree: a run with tens of thousands
// of results then costs one pass and no intermediate maps. Field order is the order SARIF's spec lists them in.

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    original_uri_base_ids: Value,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'a str,
    rules: Vec<Value>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Properties::is_empty")]
    properties: Properties<'a>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Fingerprints {
    /// argovet's fingerprint (`fingerprint.rs`); the key's version changes if the scheme does.
    #[serde(rename = "argovet/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    generated: Option<&'a Generated>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a Value>,
}

impl Properties<'_> {
    fn is_empty(&self) -> bool {
        self.kind.is_none() && self.name.is_none() && self.generated.is_none() && self.metadata.is_none()
    }
}

/// The ids of the rules that have results, sorted, with their index in `tool.driver.rules`.
fn rule_index(findings: &[Finding]) -> BTreeMap<&str, usize> {
    let mut ids: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect()
}

/// A rule's `reportingDescriptor`: from its documentation when argovet defines it, otherwise (policies loaded
/// at run time) the id and the severity its first finding has.
fn descriptor(id: &str, findings: &[Finding]) -> Value {
    match find_rule_info(id) {
        Some(info) => known_descriptor(info),
        None => {
            let level = findings.iter().find(|f| f.rule == id).map_or("warning", |f| level(f.severity));
            json!({
                "id": id,
                "shortDescription": { "text": id },
                "defaultConfiguration": { "level": level },
                "properties": { "tags": ["argo-cd"] },
            })
        }
    }
}

fn known_descriptor(info: &RuleInfo) -> Value {
    let docs = info.docs_text();
    let what = what_it_does(&docs).unwrap_or_else(|| info.summary.to_string());
    json!({
        "id": info.id,
        "shortDescription": { "text": info.summary },
        "fullDescription": { "text": what },
        "help": { "text": docs, "markdown": docs },
        "defaultConfiguration": { "level": level(info.severity) },
        "properties": { "tags": ["argo-cd", source_tag(info.source)] },
    })
}

/// The paragraph under `## What it does`, joined into one line.
fn what_it_does(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| l.trim() != "## What it does").skip(1);
    let mut out = Vec::new();
    for line in lines.by_ref() {
        let line = line.trim();
        if line.starts_with("##") || line.starts_with("```") {
            break;
        }
        if !line.is_empty() {
            out.push(line);
        }
    }
    (!out.is_empty()).then(|| out.join(" "))
}

fn source_tag(source: RuleSource) -> &'static str {
    match source {
        RuleSource::Lint => "lint",
        RuleSource::Loader => "loader",
        RuleSource::Schema => "schema",
        RuleSource::Policy => "policy",
        RuleSource::AppSet => "applicationset",
        RuleSource::Health => "health",
    }
}

/// SARIF levels: error, warning, note.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result<'a>(report: &Report<'_>, f: &'a Finding, rules: &BTreeMap<&str, usize>, print: String) -> SarifResult<'a> {
    let region = (f.span.line > 0).then(|| {
        let (end_line, end_column) = report.end_of(f);
        Region {
            start_line: f.span.line,
            start_column: f.span.column.max(1),
            end_line: end_line.max(f.span.line),
            end_column: end_column.max(1),
        }
    });
    SarifResult {
        rule_id: &f.rule,
        rule_index: rules.get(f.rule.as_str()).copied().unwrap_or(0),
        level: level(f.severity),
        message: Message { text: message_with_notes(f) },
        locations: [Location {
            physical_location: PhysicalLocation { artifact_location: artifact_location(&f.file), region },
        }],
        partial_fingerprints: Fingerprints { v1: print },
        properties: Properties {
            kind: f.kind.as_deref(),
            name: f.name.as_deref(),
            generated: f.generated.as_ref(),
            metadata: f.metadata.as_ref(),
        },
    }
}

/// A relative, percent-encoded URI under `%SRCROOT%`, or a `file://` URI for a path outside the current
/// directory.
fn artifact_location(file: &str) -> ArtifactLocation {
    let path = relative_path(file);
    if is_absolute(&path) {
        let sep = if path.starts_with('/') { "" } else { "/" };
        ArtifactLocation { uri: format!("file://{sep}{}", encode_path(&path)), uri_base_id: None }
    } else {
        ArtifactLocation { uri: encode_path(&path), uri_base_id: Some("%SRCROOT%") }
    }
}

/// Percent-encodes everything but unreserved characters, `/` and the sub-delimiters that are safe in a path
/// (RFC 3986). `:` is encoded so a first segment can never be read as a URI scheme; `\` becomes `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b'@' => out.push(b as char),
            b'\\' => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_spaces_percent_colons_and_non_ascii_in_paths() {
        assert_eq!(encode_path("apps/web app/v1:a%b.yaml"), "apps/web%20app/v1%3Aa%25b.yaml");
        assert_eq!(encode_path("é.yaml"), "%C3%A9.yaml");
        assert_eq!(encode_path("a\\b.yaml"), "a/b.yaml");
    }

    #[test]
    fn relative_files_are_under_srcroot_and_foreign_absolute_ones_are_file_uris() {
        let loc = |f: &str| serde_json::to_value(artifact_location(f)).unwrap_or_default();
        assert_eq!(loc("./apps/a.yaml"), json!({ "uri": "apps/a.yaml", "uriBaseId": "%SRCROOT%" }));
        assert_eq!(loc("/nonexistent-root/a b.yaml"), json!({ "uri": "file:///nonexistent-root/a%20b.yaml" }));
    }

    #[test]
    fn full_description_is_the_what_it_does_paragraph() {
        let docs = "## What it does\nFinds a thing\nacross lines.\n## Why is this bad?\nBecause.\n";
        assert_eq!(what_it_does(docs).as_deref(), Some("Finds a thing across lines."));
        assert_eq!(what_it_does("no sections"), None);
    }

    #[test]
    fn levels_map_info_to_note() {
        assert_eq!(level(Severity::Info), "note");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Error), "error");
    }
}
