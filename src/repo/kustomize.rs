//! What a `kustomization.yaml` names, read the way `kustomize build` reads it (sigs.k8s.io/kustomize
//! `api/types/kustomization.go`): `apiVersion` and `kind` are optional, `bases` is the old spelling of
//! `resources`, a `patchesStrategicMerge` entry is a file unless it holds a newline, a generator's `files`
//! entry may be `key=path`.

use super::paths;
use serde_json::Value;

/// The local files and directories one kustomization refers to, resolved against its directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kustomization {
    /// The kustomization file.
    pub file: String,
    /// `resources` and `bases`: files or directories (other builds).
    pub resources: Vec<String>,
    /// `components`: directories.
    pub components: Vec<String>,
    /// Patch files.
    pub patches: Vec<String>,
    /// Files read as data, not as objects.
    pub inputs: Vec<String>,
    /// Whether the build renames its objects (`namePrefix`, `nameSuffix`): a build that includes it sees
    /// other names than the files hold.
    pub renames: bool,
}

/// Whether a `resources` entry is remote (a URL or a go-getter address), not a path in the repository.
fn remote(entry: &str) -> bool {
    entry.contains("://")
        || entry.starts_with("git@")
        || entry.starts_with("github.com/")
        || entry.starts_with("gitlab.com/")
        || entry.starts_with("bitbucket.org/")
        || entry.contains("?ref=")
        || entry.contains("//") && !entry.starts_with('.')
}

/// Reads the references of the kustomization `file` whose loaded value is `value`.
pub fn read(file: &str, value: &Value) -> Kustomization {
    let dir = paths::parent(file);
    let named = |f: &str| value.get(f).and_then(Value::as_str).is_some_and(|s| !s.is_empty());
    let mut k = Kustomization {
        file: file.to_string(),
        renames: named("namePrefix") || named("nameSuffix"),
        ..Kustomization::default()
    };
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Some(Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let local = |entry: &str| -> Option<String> {
        let entry = entry.trim();
        (!entry.is_empty() && !entry.contains('\n') && !remote(entry)).then(|| paths::join(dir, entry))
    };
    for field in ["resources", "bases"] {
        k.resources.extend(strings(value.get(field)).iter().filter_map(|e| local(e)));
    }
    k.components.extend(strings(value.get("components")).iter().filter_map(|e| local(e)));
    for field in ["patches", "patchesJson6902"] {
        for p in value.get(field).and_then(Value::as_array).into_iter().flatten() {
            if let Some(path) = p.get("path").and_then(Value::as_str).and_then(local) {
                k.patches.push(path);
            }
        }
    }
    k.patches.extend(strings(value.get("patchesStrategicMerge")).iter().filter_map(|e| local(e)));
    for field in ["configMapGenerator", "secretGenerator"] {
        for g in value.get(field).and_then(Value::as_array).into_iter().flatten() {
            for f in strings(g.get("files")) {
                let path = f.split_once('=').map_or(f.as_str(), |(_, p)| p);
                k.inputs.extend(local(path));
            }
            for f in strings(g.get("envs")).into_iter().chain(strings(g.get("env"))) {
                k.inputs.extend(local(&f));
            }
        }
    }
    for field in ["transformers", "generators", "validators", "configurations", "crds"] {
        k.inputs.extend(strings(value.get(field)).iter().filter_map(|e| local(e)));
    }
    for r in value.get("replacements").and_then(Value::as_array).into_iter().flatten() {
        k.inputs.extend(r.get("path").and_then(Value::as_str).and_then(local));
    }
    for h in value.get("helmCharts").and_then(Value::as_array).into_iter().flatten() {
        k.inputs.extend(h.get("valuesFile").and_then(Value::as_str).and_then(local));
        k.inputs.extend(strings(h.get("additionalValuesFiles")).iter().filter_map(|e| local(e)));
    }
    k.inputs.extend(value.pointer("/openapi/path").and_then(Value::as_str).and_then(local));
    k
}

/// Whether `name` is a file name kustomize takes for a kustomization.
pub fn is_kustomization_name(name: &str) -> bool {
    matches!(name, "kustomization.yaml" | "kustomization.yml" | "Kustomization")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_every_reference_kind() {
        let v = json!({
            "resources": ["deploy.yaml", "../../base", "https://github.com/x/y//z?ref=v1", "github.com/a/b/c"],
            "bases": ["../old"],
            "components": ["../../components/tls"],
            "patches": [{"path": "app-patch.yaml"}, {"patch": "- op: add\n  path: /x\n  value: 1\n"}],
            "patchesStrategicMerge": ["smp.yaml", "apiVersion: v1\nkind: ConfigMap\n"],
            "patchesJson6902": [{"target": {"kind": "X"}, "path": "json.yaml"}],
            "configMapGenerator": [{"name": "c", "files": ["config.yaml", "key=other.yaml"], "envs": ["app.env"]}],
            "secretGenerator": [{"name": "s", "env": "s.env"}],
            "replacements": [{"path": "repl.yaml"}],
            "transformers": ["labels.yaml"],
            "helmCharts": [{"name": "x", "valuesFile": "values.yaml"}],
            "openapi": {"path": "schema.json"},
        });
        let k = read("overlays/prod/kustomization.yaml", &v);
        assert_eq!(k.resources, vec!["overlays/prod/deploy.yaml", "base", "overlays/old"]);
        assert_eq!(k.components, vec!["components/tls"]);
        assert_eq!(
            k.patches,
            vec!["overlays/prod/app-patch.yaml", "overlays/prod/json.yaml", "overlays/prod/smp.yaml"]
        );
        assert_eq!(
            k.inputs,
            vec![
                "overlays/prod/config.yaml",
                "overlays/prod/other.yaml",
                "overlays/prod/app.env",
                "overlays/prod/s.env",
                "overlays/prod/labels.yaml",
                "overlays/prod/repl.yaml",
                "overlays/prod/values.yaml",
                "overlays/prod/schema.json",
            ]
        );
    }
}
