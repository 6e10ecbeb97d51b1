//! What an ApplicationSet is expanded against: clusters, git repositories, and parameters supplied
//! by hand for generators argovet cannot run offline.

use super::params::{Params, floatify};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// An Argo CD cluster, read from a cluster Secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// `data.name`.
    pub name: String,
    /// `data.server`.
    pub server: String,
    /// `data.project`, when set.
    pub project: Option<String>,
    /// The Secret's labels (the `secret-type` label included, as Argo CD passes it).
    pub labels: BTreeMap<String, String>,
    /// The Secret's annotations.
    pub annotations: BTreeMap<String, String>,
}

impl Cluster {
    /// Reads a cluster Secret: `stringData` entries override `data` (base64), as the API server does.
    pub fn from_secret(secret: &Value) -> Result<Cluster, String> {
        let secret_name = secret.pointer("/metadata/name").and_then(Value::as_str).unwrap_or("<unnamed>");
        let field = |key: &str| -> Result<Option<String>, String> {
            if let Some(v) = secret.pointer(&format!("/stringData/{key}")) {
                return Ok(Some(scalar_text(v)));
            }
            match secret.pointer(&format!("/data/{key}")) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(b64)) => {
                    let bytes = base64_decode(b64)
                        .ok_or_else(|| format!("cluster Secret `{secret_name}`: data.{key} is not valid base64"))?;
                    String::from_utf8(bytes)
                        .map(Some)
                        .map_err(|_| format!("cluster Secret `{secret_name}`: data.{key} is not UTF-8 text"))
                }
                Some(_) => Err(format!("cluster Secret `{secret_name}`: data.{key} must be a base64 string")),
            }
        };
        let string_map = |ptr: &str| -> BTreeMap<String, String> {
            secret
                .pointer(ptr)
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar_text(v))).collect())
                .unwrap_or_default()
        };
        Ok(Cluster {
            name: field("name")?.unwrap_or_default(),
            server: field("server")?.unwrap_or_default(),
            project: field("project")?,
            labels: string_map("/metadata/labels"),
            annotations: string_map("/metadata/annotations"),
        })
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Standard base64 (padding optional, whitespace ignored), as Kubernetes accepts in `data`.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            break;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// A git repository's tree at one commit, as the git generator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoTree {
    /// The resolved commit (hex).
    pub commit: String,
    /// Every directory, in `filepath.WalkDir` order (children sorted by name, depth first), without
    /// dot-directories or anything below them.
    pub dirs: Vec<String>,
    /// Every file (symlinks to files inside the repository included), sorted.
    pub files: Vec<String>,
}

/// Why a repository could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoError {
    /// No local repository stands in for this URL.
    Unmapped(String),
    /// The repository is mapped but the revision or a file could not be read.
    Failed(String),
    /// The revision is missing from a local clone that does not hold the whole repository (shallow,
    /// single-branch, or a detached CI checkout): the remote Argo CD reads may well have it, so this is
    /// the environment's fault, not the manifest's. The message says how to fetch it.
    Incomplete(String),
}

impl std::fmt::Display for RepoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RepoError::Unmapped(url) => write!(
                f,
                "repository {url} is not mapped to a local clone; pass --repo {url}=PATH, add it to `repos:` in \
                 .argovet.yaml, or run argovet inside a clone whose `origin` is that URL"
            ),
            RepoError::Failed(m) | RepoError::Incomplete(m) => f.write_str(m),
        }
    }
}

/// Git repositories by URL. Implemented by `workspace::git`; tests may implement it in memory.
pub trait RepoSource: Sync {
    /// The tree of `repo_url` at `revision` (empty = HEAD).
    fn tree(&self, repo_url: &str, revision: &str) -> Result<Arc<RepoTree>, RepoError>;
    /// The content of `path` in a tree returned by [`RepoSource::tree`] for the same URL.
    fn read(&self, repo_url: &str, tree: &RepoTree, path: &str) -> Result<Vec<u8>, RepoError>;
}

/// `--generator-input`: parameter sets for generators argovet cannot run offline (pullRequest,
/// scmProvider, clusterDecisionResource, plugin).
///
/// The file is a YAML mapping; each key selects generators and its value is a list of parameter
/// sets. A key is a generator type (`pullRequest`), a generator path (`generators[0]`,
/// `generators[1].matrix.generators[0]`), or either prefixed with an ApplicationSet name and `/`
/// (`my-set/generators[0]`). The most specific key wins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GeneratorInput {
    entries: BTreeMap<String, Vec<Params>>,
}

impl GeneratorInput {
    /// Parses the file's value.
    pub fn from_value(v: &Value) -> Result<GeneratorInput, String> {
        let Some(m) = v.as_object() else {
            return Err("--generator-input must be a YAML mapping of generator type or path to a list of \
                        parameter sets"
                .into());
        };
        let mut entries = BTreeMap::new();
        for (k, list) in m {
            let Some(items) = list.as_array() else {
                return Err(format!("--generator-input `{k}`: expected a list of parameter sets"));
            };
            let mut sets = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match floatify(item.clone()) {
                    Value::Object(p) => sets.push(p),
                    _ => return Err(format!("--generator-input `{k}`[{i}]: a parameter set must be a mapping")),
                }
            }
            entries.insert(k.clone(), sets);
        }
        Ok(GeneratorInput { entries })
    }

    /// The parameter sets for generator `kind` at `path` of ApplicationSet `appset`, if supplied.
    pub fn lookup(&self, appset: &str, path: &str, kind: &str) -> Option<&Vec<Params>> {
        [format!("{appset}/{path}"), path.to_string(), format!("{appset}/{kind}"), kind.to_string()]
            .iter()
            .find_map(|k| self.entries.get(k))
    }
}

/// Everything an expansion may read.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    /// Known clusters (from `--clusters`, `.argovet.yaml`, and cluster Secrets among checked files).
    pub clusters: &'a [Cluster],
    /// Whether any cluster source was given at all (otherwise only in-cluster is known).
    pub clusters_given: bool,
    /// Git repositories.
    pub repos: Option<&'a dyn RepoSource>,
    /// Hand-supplied parameters.
    pub generator_input: Option<&'a GeneratorInput>,
    /// Most Applications one ApplicationSet may generate before argovet refuses.
    pub max_applications: usize,
    /// Most Go template steps all the Applications of one ApplicationSet may take together.
    pub max_template_steps: u64,
}

/// The default cap on Applications per ApplicationSet (`max_applications` in `.argovet.yaml`).
pub const DEFAULT_MAX_APPLICATIONS: usize = 100_000;

/// The Go template steps all the Applications of one ApplicationSet may take together (the engine's
/// per-execution limit is `gotmpl::MAX_STEPS`): a few seconds of rendering, far more than any real
/// ApplicationSet needs (100,000 Applications of 1,000 steps each).
pub const DEFAULT_MAX_TEMPLATE_STEPS: u64 = 100_000_000;

impl Default for Inputs<'_> {
    fn default() -> Self {
        Inputs {
            clusters: &[],
            clusters_given: false,
            repos: None,
            generator_input: None,
            max_applications: DEFAULT_MAX_APPLICATIONS,
            max_template_steps: DEFAULT_MAX_TEMPLATE_STEPS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_cluster_secrets_from_data_and_string_data() {
        let s = json!({"metadata": {"name": "s", "labels": {"env": "prod"}},
            "data": {"name": "cHJvZA==", "server": "aHR0cHM6Ly8x"}, "stringData": {"server": "https://2"}});
        let c = Cluster::from_secret(&s).unwrap();
        assert_eq!(c.name, "prod");
        assert_eq!(c.server, "https://2");
        assert_eq!(c.project, None);
        assert_eq!(c.labels.get("env").map(String::as_str), Some("prod"));
        let bad = json!({"metadata": {"name": "s"}, "data": {"name": "!!"}});
        assert!(Cluster::from_secret(&bad).unwrap_err().contains("not valid base64"));
    }

    #[test]
    fn generator_input_prefers_the_most_specific_key() {
        let gi = GeneratorInput::from_value(&json!({
            "pullRequest": [{"number": 1}],
            "set-a/generators[0]": [{"number": 2}]
        }))
        .unwrap();
        assert_eq!(gi.lookup("set-a", "generators[0]", "pullRequest").unwrap()[0]["number"], json!(2.0));
        assert_eq!(gi.lookup("set-b", "generators[0]", "pullRequest").unwrap()[0]["number"], json!(1.0));
        assert!(gi.lookup("set-b", "generators[0]", "plugin").is_none());
        assert!(GeneratorInput::from_value(&json!({"plugin": [1]})).is_err());
    }
}
