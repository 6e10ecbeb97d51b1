//! The git generator: `directories` (Go `path.Match` over every directory of the tree) and `files`
//! (`git ls-files` pathspec globbing, every file parsed as YAML), read from a local clone through
//! [`crate::appset::RepoSource`].

use crate::appset::params::{Params, flatten, floatify, go_format, sanitize_name};
use crate::appset::{Expander, GenErr, PSet, RepoError, Unavailable};
use serde_json::{Map, Value};

/// A git generator's `directories` or `files` entries: (`path`, `exclude`), in order.
pub fn path_entries(spec: &Value, key: &str) -> Vec<(String, bool)> {
    let Some(items) = spec.get(key).and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .map(|i| {
            let path = i.get("path").and_then(Value::as_str).unwrap_or("").to_string();
            (path, i.get("exclude").and_then(Value::as_bool).unwrap_or(false))
        })
        .collect()
}

pub(crate) fn generate(ex: &mut Expander<'_>, spec: &Value, path: &str, ptr: &str) -> Result<Vec<PSet>, GenErr> {
    let repo_url = spec.get("repoURL").and_then(Value::as_str).unwrap_or("");
    let revision = spec.get("revision").and_then(Value::as_str).unwrap_or("");
    let prefix = spec.get("pathParamPrefix").and_then(Value::as_str).unwrap_or("");
    let dirs = path_entries(spec, "directories");
    let files = path_entries(spec, "files");
    if dirs.is_empty() && files.is_empty() {
        return Err(GenErr::new(ptr, format!("{path}: needs `directories` or `files`")));
    }
    let Some(repos) = ex.inputs.repos else {
        ex.unavailable.push(Unavailable {
            pointer: format!("{ptr}/repoURL"),
            message: format!("{path}: {}", RepoError::Unmapped(repo_url.to_string())),
            incomplete_clone: false,
        });
        return Ok(Vec::new());
    };
    let tree = match repos.tree(repo_url, revision) {
        Ok(t) => t,
        Err(RepoError::Unmapped(u)) => {
            ex.unavailable.push(Unavailable {
                pointer: format!("{ptr}/repoURL"),
                message: format!("{path}: {}", RepoError::Unmapped(u)),
                incomplete_clone: false,
            });
            return Ok(Vec::new());
        }
        Err(RepoError::Incomplete(m)) => {
            // Argo CD's repo server fetches the revision from the remote; a local clone that lacks it
            // says nothing about the manifest.
            let pointer = if spec.get("revision").is_some() { format!("{ptr}/revision") } else { ptr.to_string() };
            ex.unavailable.push(Unavailable {
                pointer,
                message: format!("{path}: not expanded: {m}"),
                incomplete_clone: true,
            });
            return Ok(Vec::new());
        }
        Err(RepoError::Failed(m)) => {
            return Err(GenErr::new(ptr, format!("{path}: error generating params from git: {m}")));
        }
    };
    let go = ex.engine.go;
    let mut sets = Vec::new();
    if !dirs.is_empty() {
        for dir in &tree.dirs {
            let mut include = false;
            let mut exclude = false;
            for (pattern, excl) in &dirs {
                // A malformed pattern matches nothing (Argo CD logs and continues).
                if go_path_match(pattern, dir).unwrap_or(false) {
                    if *excl {
                        exclude = true;
                    } else {
                        include = true;
                    }
                }
            }
            if include && !exclude {
                sets.push(PSet { params: dir_params(dir, prefix, go), origin: format!("{path}.directories[{dir}]") });
            }
        }
    } else {
        let mut selected: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
        for (pattern, excl) in &files {
            if !*excl {
                selected.extend(tree.files.iter().map(String::as_str).filter(|f| pathspec_match(pattern, f)));
            }
        }
        for (pattern, excl) in &files {
            if *excl {
                selected.retain(|f| !pathspec_match(pattern, f));
            }
        }
        for file in selected {
            let bytes = repos.read(repo_url, &tree, file).map_err(|e| GenErr::new(ptr, format!("{path}: {e}")))?;
            let objects = parse_file(&bytes).map_err(|e| {
                GenErr::new(ptr, format!("{path}: unable to process file '{file}' from repository '{repo_url}': {e}"))
            })?;
            for (i, obj) in objects.into_iter().enumerate() {
                let origin =
                    if i == 0 { format!("{path}.files[{file}]") } else { format!("{path}.files[{file}][{i}]") };
                sets.push(PSet { params: file_params(obj, file, prefix, go), origin });
            }
        }
    }
    ex.append_values(spec.get("values"), &mut sets, path).map_err(|e| GenErr::new(ptr, e))?;
    Ok(sets)
}

fn base(p: &str) -> String {
    // Go's path.Base.
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return if p.is_empty() { ".".into() } else { "/".into() };
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

fn dir(p: &str) -> String {
    // Go's path.Dir for the clean relative paths git produces.
    match p.rfind('/') {
        Some(i) => p[..i].to_string(),
        None => ".".into(),
    }
}

fn dir_params(app: &str, prefix: &str, go: bool) -> Params {
    let mut params = Params::new();
    if go {
        let mut pp = Map::new();
        pp.insert("path".into(), Value::String(app.into()));
        pp.insert("basename".into(), Value::String(base(app)));
        pp.insert("basenameNormalized".into(), Value::String(sanitize_name(&base(app))));
        pp.insert("segments".into(), Value::Array(app.split('/').map(|s| Value::String(s.into())).collect()));
        nest_path(&mut params, prefix, pp);
    } else {
        let name = if prefix.is_empty() { "path".to_string() } else { format!("{prefix}.path") };
        params.insert(name.clone(), Value::String(app.into()));
        params.insert(format!("{name}.basename"), Value::String(base(app)));
        params.insert(format!("{name}.basenameNormalized"), Value::String(sanitize_name(&base(app))));
        for (k, seg) in app.split('/').enumerate() {
            if !seg.is_empty() {
                params.insert(format!("{name}[{k}]"), Value::String(seg.into()));
            }
        }
    }
    params
}

fn nest_path(params: &mut Params, prefix: &str, pp: Map<String, Value>) {
    if prefix.is_empty() {
        params.insert("path".into(), Value::Object(pp));
    } else {
        let mut inner = Map::new();
        inner.insert("path".into(), Value::Object(pp));
        params.insert(prefix.into(), Value::Object(inner));
    }
}

fn file_params(obj: Params, file: &str, prefix: &str, go: bool) -> Params {
    let d = dir(file);
    if go {
        let mut params = obj;
        let mut pp = Map::new();
        pp.insert("path".into(), Value::String(d.clone()));
        pp.insert("basename".into(), Value::String(base(&d)));
        pp.insert("filename".into(), Value::String(base(file)));
        pp.insert("basenameNormalized".into(), Value::String(sanitize_name(&base(&d))));
        pp.insert("filenameNormalized".into(), Value::String(sanitize_name(&base(file))));
        pp.insert("segments".into(), Value::Array(d.split('/').map(|s| Value::String(s.into())).collect()));
        nest_path(&mut params, prefix, pp);
        params
    } else {
        let mut params: Params = flatten(&obj).into_iter().map(|(k, v)| (k, Value::String(go_format(&v)))).collect();
        let name = if prefix.is_empty() { "path".to_string() } else { format!("{prefix}.path") };
        params.insert(name.clone(), Value::String(d.clone()));
        params.insert(format!("{name}.basename"), Value::String(base(&d)));
        params.insert(format!("{name}.filename"), Value::String(base(file)));
        params.insert(format!("{name}.basenameNormalized"), Value::String(sanitize_name(&base(&d))));
        params.insert(format!("{name}.filenameNormalized"), Value::String(sanitize_name(&base(file))));
        for (k, seg) in d.split('/').enumerate() {
            if !seg.is_empty() {
                params.insert(format!("{name}[{k}]"), Value::String(seg.into()));
            }
        }
        params
    }
}

/// A file as `sigs.k8s.io/yaml` reads it: one mapping, else a list of mappings.
fn parse_file(bytes: &[u8]) -> Result<Vec<Params>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "unable to parse file: not UTF-8 text".to_string())?;
    let loaded = crate::yaml::load(text, &crate::yaml::Limits::default());
    if let Some(issue) = loaded.issues.first() {
        return Err(format!("unable to parse file: line {}: {}", issue.span.line, issue.message));
    }
    match loaded.docs.into_iter().next().map(|d| floatify(d.value)) {
        None | Some(Value::Null) => Ok(vec![Params::new()]),
        Some(Value::Object(m)) => Ok(vec![m]),
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|i| match i {
                Value::Object(m) => Ok(m),
                Value::Null => Ok(Params::new()),
                _ => Err("unable to parse file: a list item is not a mapping".to_string()),
            })
            .collect(),
        Some(_) => Err("unable to parse file: expected a mapping or a list of mappings".into()),
    }
}

/// Go's `path.Match`: `*` and `?` do not cross `/`; `[...]` classes with `^` negation and ranges;
/// `\` escapes. A malformed pattern is an error.
pub fn go_path_match(pattern: &str, name: &str) -> Result<bool, String> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob(&p, &n, false)
}

/// `git ls-files -- <pattern>` without magic: a pattern without wildcards selects that path and
/// everything below it; otherwise fnmatch without `FNM_PATHNAME` (`*` and `?` cross `/`).
pub fn pathspec_match(pattern: &str, file: &str) -> bool {
    let pattern = pattern.trim_start_matches("./");
    if !pattern.contains(['*', '?', '[']) {
        let dir = pattern.trim_end_matches('/');
        return file == dir || file.starts_with(&format!("{dir}/")) || dir.is_empty();
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = file.chars().collect();
    glob(&p, &n, true).unwrap_or(false)
}

fn glob(p: &[char], n: &[char], cross_slash: bool) -> Result<bool, String> {
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    while pi < p.len() && p[pi] == '*' {
                        pi += 1;
                    }
                    star = Some((pi, ni));
                    continue;
                }
                '?' if ni < n.len() && (cross_slash || n[ni] != '/') => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' if ni < n.len() => {
                    let (matched, next) = class(p, pi, n[ni])?;
                    if matched && (cross_slash || n[ni] != '/') {
                        pi = next;
                        ni += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() && ni < n.len() && p[pi + 1] == n[ni] => {
                    pi += 2;
                    ni += 1;
                    continue;
                }
                '\\' if pi + 1 >= p.len() => return Err("syntax error in pattern".into()),
                c if c != '*' && c != '?' && c != '[' && c != '\\' && ni < n.len() && c == n[ni] => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Ok(true);
        }
        // Backtrack: let the last `*` swallow one more character.
        match star {
            Some((sp, sn)) if sn < n.len() && (cross_slash || n[sn] != '/') => {
                star = Some((sp, sn + 1));
                pi = sp;
                ni = sn + 1;
            }
            _ => {
                // Validate the rest of the pattern the way path.Match does before failing.
                if p[pi.min(p.len())..].contains(&'[') {
                    let mut i = pi;
                    while i < p.len() {
                        if p[i] == '[' {
                            i = class(p, i, '\0')?.1;
                        } else {
                            i += 1;
                        }
                    }
                }
                return Ok(false);
            }
        }
    }
}

/// Matches one character against the class starting at `p[start] == '['`; returns the index after `]`.
fn class(p: &[char], start: usize, c: char) -> Result<(bool, usize), String> {
    let mut i = start + 1;
    let negated = p.get(i) == Some(&'^');
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let Some(&ch) = p.get(i) else {
            return Err("syntax error in pattern".into());
        };
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            i += 1;
            *p.get(i).ok_or("syntax error in pattern")?
        } else {
            ch
        };
        i += 1;
        let hi = if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&c| c != ']') {
            i += 1;
            let h = if p[i] == '\\' {
                i += 1;
                *p.get(i).ok_or("syntax error in pattern")?
            } else {
                p[i]
            };
            i += 1;
            h
        } else {
            lo
        };
        if lo <= c && c <= hi {
            matched = true;
        }
    }
    Ok((matched != negated, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_match_is_gos() {
        assert!(go_path_match("apps/*", "apps/web").unwrap());
        assert!(!go_path_match("apps/*", "apps/web/sub").unwrap());
        assert!(!go_path_match("apps/*", "apps").unwrap());
        assert!(go_path_match("apps/[a-c]?b", "apps/bxb").unwrap());
        assert!(!go_path_match("apps/[^a-c]*", "apps/bar").unwrap());
        assert!(go_path_match("*", "apps").unwrap());
        assert!(go_path_match("apps/[", "apps/x").is_err());
    }

    #[test]
    fn pathspec_follows_git_ls_files() {
        assert!(pathspec_match("cluster-config/*/config.json", "cluster-config/eu/west/config.json"));
        assert!(pathspec_match("**/config.json", "a/config.json"));
        assert!(!pathspec_match("**/config.json", "config.json"));
        assert!(!pathspec_match("p1/**/config.json", "p1/config.json"));
        assert!(pathspec_match("p1/**/config.json", "p1/a/config.json"));
        assert!(pathspec_match("apps", "apps/web/config.yaml"));
        assert!(!pathspec_match("apps", "apps2/x.yaml"));
        assert!(pathspec_match("*.yaml", "deep/dir/x.yaml"));
    }
}
