//! Baselines: today's findings recorded in a file (`check --write-baseline FILE`) so that a gate fails only on
//! new ones (`check --baseline FILE`).
//!
//! A finding matches a baseline entry on rule, file (relative to the project root, `/` separators), object
//! (apiVersion, kind, namespace and name of the document it is in) and message, never on line or column, so
//! edits that move lines do not revive old findings. An entry with `count: N` suppresses at most N findings;
//! the (N+1)th identical finding is new.
//!
//! The file format (version 1) is stable JSON, sorted, one entry per distinct finding:
//! ```json
//! {
//!   "version": 1,
//!   "findings": [
//!     { "rule": "app-default-project", "file": "apps/a.yaml",
//!       "object": { "apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "name": "a" },
//!       "message": "...", "count": 1 }
//!   ]
//! }
//! ```

use crate::model::Document;
use crate::report::Finding;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The baseline format version this build writes and reads.
pub const VERSION: u32 = 1;

/// The document a finding is in, by identity rather than position.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ObjectId {
    /// `apiVersion`, when the document has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `kind`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `metadata.namespace`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `metadata.name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ObjectId {
    /// The identity of a document (string fields only; anything else is left out).
    pub fn of(doc: &Document) -> ObjectId {
        let s = |p: &str| crate::model::pointer(&doc.value, p).and_then(serde_json::Value::as_str).map(str::to_string);
        ObjectId {
            api_version: s("/apiVersion"),
            kind: s("/kind"),
            namespace: s("/metadata/namespace"),
            name: s("/metadata/name"),
        }
    }
}

/// One distinct finding and how many times it occurred.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Rule id.
    pub rule: String,
    /// Path relative to the project root, `/`-separated.
    pub file: String,
    /// The document the finding is in; absent for findings about a whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectId>,
    /// The message, exactly.
    pub message: String,
    /// How many identical findings this entry suppresses (at least 1).
    pub count: usize,
}

/// A baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version; [`VERSION`].
    pub version: u32,
    /// Entries, sorted by file, rule, object, message.
    pub findings: Vec<Entry>,
}

/// A baseline file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// Not JSON, or not the expected shape.
    #[error("{path}: not an argovet baseline: {message} (regenerate it with `argovet check --write-baseline {path}`)")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// A version this build does not read.
    #[error(
        "{path}: baseline version {found} is not supported (this argovet reads version {VERSION}); regenerate it with `argovet check --write-baseline {path}`"
    )]
    Version {
        /// The file.
        path: String,
        /// The version in the file.
        found: u32,
    },
}

/// The key a finding is matched on.
type Key = (String, String, Option<ObjectId>, String);

/// Where findings' documents are, so a finding can be given the identity of the document it points into.
#[derive(Debug, Default)]
pub struct ObjectIndex {
    by_file: BTreeMap<Arc<str>, Vec<(usize, ObjectId)>>,
}

impl ObjectIndex {
    /// Indexes the hand-written documents (generated Applications point into their ApplicationSet's file and
    /// are identified by that ApplicationSet).
    pub fn new(docs: &[Document]) -> ObjectIndex {
        use rayon::prelude::*;
        // The identities on all threads (reading four fields of each document is most of the work).
        let ids: Vec<(usize, ObjectId)> = docs
            .par_iter()
            .enumerate()
            .filter(|(_, d)| d.generated.is_none())
            .map(|(i, d)| (i, ObjectId::of(d)))
            .collect();
        let mut by_file: BTreeMap<Arc<str>, Vec<(usize, ObjectId)>> = BTreeMap::new();
        for (i, id) in ids {
            let d = &docs[i];
            by_file.entry(d.file.path.clone()).or_default().push((d.map.root().span().offset, id));
        }
        for v in by_file.values_mut() {
            v.sort();
            v.dedup_by(|a, b| a.0 == b.0);
        }
        ObjectIndex { by_file }
    }

    /// The document `f` points into: the last one starting at or before its offset.
    pub fn object_of(&self, f: &Finding) -> Option<&ObjectId> {
        let docs = self.by_file.get(&f.file)?;
        let i = docs.partition_point(|(start, _)| *start <= f.span.offset);
        docs.get(i.checked_sub(1)?).map(|(_, id)| id)
    }
}

/// How findings are keyed: the root paths are made relative to, and the document index.
pub struct Keyer<'a> {
    /// The project root (the directory of `.argovet.yaml`, else the git root, else the current directory).
    pub root: &'a Path,
    /// Documents by file and offset.
    pub objects: &'a ObjectIndex,
}

impl Keyer<'_> {
    fn key(&self, f: &Finding) -> Key {
        (
            relative_to_root(&f.file, self.root),
            f.rule.clone(),
            self.objects.object_of(f).cloned().filter(|o| *o != ObjectId::default()),
            f.stable_message().to_string(),
        )
    }
}

impl Baseline {
    /// Records `findings`, one entry per distinct key with its count.
    pub fn record(findings: &[Finding], keyer: &Keyer<'_>) -> Baseline {
        let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
        for f in findings {
            *counts.entry(keyer.key(f)).or_default() += 1;
        }
        let findings = counts
            .into_iter()
            .map(|((file, rule, object, message), count)| Entry { rule, file, object, message, count })
            .collect();
        Baseline { version: VERSION, findings }
    }

    /// Parses a baseline file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &str) -> Result<Baseline, BaselineError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| BaselineError::Invalid { path: path.into(), message: e.to_string() })?;
        let found = value.get("version").and_then(serde_json::Value::as_u64);
        match found {
            None => {
                return Err(BaselineError::Invalid { path: path.into(), message: "no `version` number".into() });
            }
            Some(v) if v != u64::from(VERSION) => {
                return Err(BaselineError::Version { path: path.into(), found: u32::try_from(v).unwrap_or(u32::MAX) });
            }
            Some(_) => {}
        }
        let b: Baseline = serde_json::from_value(value)
            .map_err(|e| BaselineError::Invalid { path: path.into(), message: e.to_string() })?;
        if let Some(e) = b.findings.iter().find(|e| e.count == 0) {
            return Err(BaselineError::Invalid {
                path: path.into(),
                message: format!("entry for rule `{}` in {} has `count: 0`; counts start at 1", e.rule, e.file),
            });
        }
        Ok(b)
    }

    /// The file text: pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into());
        s.push('\n');
        s
    }

    /// Removes the findings the baseline covers (each entry at most `count` times, earliest first in the given
    /// order) and returns the rest with the number removed.
    pub fn suppress(&self, findings: Vec<Finding>, keyer: &Keyer<'_>) -> (Vec<Finding>, usize) {
        let mut budget: BTreeMap<Key, usize> = self
            .findings
            .iter()
            .map(|e| ((e.file.clone(), e.rule.clone(), e.object.clone(), e.message.clone()), e.count))
            .collect();
        let mut suppressed = 0;
        let kept = findings
            .into_iter()
            .filter(|f| match budget.get_mut(&keyer.key(f)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    suppressed += 1;
                    false
                }
                _ => true,
            })
            .collect();
        (kept, suppressed)
    }
}

/// `file` relative to `root`, `/`-separated: relative files are taken relative to the current directory. Files
/// outside `root` keep their normalised path.
pub fn relative_to_root(file: &str, root: &Path) -> String {
    let path = Path::new(file);
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|c| c.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    let absolute = lexical_normalize(&absolute);
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| lexical_normalize(root));
    let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
    match absolute.strip_prefix(&root) {
        Ok(rel) => crate::workspace::display_path(rel),
        Err(_) => crate::workspace::display_path(Path::new(file)),
    }
}

/// Removes `.` and folds `..` without touching the file system.
fn lexical_normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceFile;
    use crate::report::Severity;

    fn docs(path: &str, text: &str) -> Vec<Document> {
        let file = Arc::new(SourceFile::new(path, text.to_string()));
        crate::yaml::load(text, &crate::yaml::Limits::default())
            .docs
            .into_iter()
            .map(|d| Document::new(file.clone(), d.index, d.value, d.map))
            .collect()
    }

    const TEXT: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: ns\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n";

    fn finding(docs: &[Document], doc: usize, rule: &str, msg: &str) -> Finding {
        docs[doc].finding(rule, Severity::Error, "/metadata/name", msg)
    }

    #[test]
    fn findings_are_identified_by_the_document_they_are_in() {
        let d = docs("/nonexistent-root/x.yaml", TEXT);
        let index = ObjectIndex::new(&d);
        let a = index.object_of(&finding(&d, 0, "r", "m")).cloned().unwrap_or_default();
        assert_eq!(a.name.as_deref(), Some("a"));
        assert_eq!(a.namespace.as_deref(), Some("ns"));
        assert_eq!(a.api_version.as_deref(), Some("v1"));
        let b = index.object_of(&finding(&d, 1, "r", "m")).cloned().unwrap_or_default();
        assert_eq!(b.name.as_deref(), Some("b"));
        assert_eq!(b.namespace, None);
    }

    #[test]
    fn counts_limit_how_many_identical_findings_are_suppressed() {
        let d = docs("/nonexistent-root/x.yaml", TEXT);
        let index = ObjectIndex::new(&d);
        let keyer = Keyer { root: Path::new("/nonexistent-root"), objects: &index };
        let old = vec![finding(&d, 0, "r", "m"), finding(&d, 0, "r", "m")];
        let baseline = Baseline::record(&old, &keyer);
        assert_eq!(baseline.findings.len(), 1);
        assert_eq!(baseline.findings[0].count, 2);
        assert_eq!(baseline.findings[0].file, "x.yaml");
        let now = vec![finding(&d, 0, "r", "m"), finding(&d, 0, "r", "m"), finding(&d, 0, "r", "m")];
        let (kept, n) = baseline.suppress(now, &keyer);
        assert_eq!((kept.len(), n), (1, 2));
        // Another object, rule or message is a new finding.
        let now = vec![finding(&d, 1, "r", "m"), finding(&d, 0, "s", "m"), finding(&d, 0, "r", "other")];
        let (kept, n) = baseline.suppress(now, &keyer);
        assert_eq!((kept.len(), n), (3, 0));
    }

    #[test]
    fn round_trips_and_rejects_bad_files() {
        let b = Baseline {
            version: VERSION,
            findings: vec![Entry {
                rule: "r".into(),
                file: "a.yaml".into(),
                object: None,
                message: "m".into(),
                count: 1,
            }],
        };
        let text = b.to_json();
        assert_eq!(Baseline::parse(&text, "b.json").map_err(|e| e.to_string()).ok(), Some(b));
        let err = |t: &str| Baseline::parse(t, "b.json").map(|_| ()).unwrap_err().to_string();
        assert!(err("not json").contains("not an argovet baseline"));
        assert!(err("{\"findings\": []}").contains("no `version`"));
        assert!(err("{\"version\": 7, \"findings\": []}").contains("version 7 is not supported"));
        assert!(err("{\"version\": 1, \"findings\": [{\"rule\": \"r\"}]}").contains("missing field"));
        let zero = "{\"version\":1,\"findings\":[{\"rule\":\"r\",\"file\":\"f\",\"message\":\"m\",\"count\":0}]}";
        assert!(err(zero).contains("count: 0"));
    }

    #[test]
    fn paths_are_made_relative_to_the_root() {
        assert_eq!(relative_to_root("/nonexistent-root/a/./b.yaml", Path::new("/nonexistent-root")), "a/b.yaml");
        assert_eq!(relative_to_root("/elsewhere/b.yaml", Path::new("/nonexistent-root")), "/elsewhere/b.yaml");
    }
}
