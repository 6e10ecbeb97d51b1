//! Deployment units: sets of files whose objects end up in the same place.
//!
//! Evidence, strongest first:
//! - **one file**: whatever applies a file applies all its documents;
//! - **one Kustomize build**: a kustomization with its resources and components, through nested builds (two
//!   overlays sharing a base are two units: kustomize builds each on its own);
//! - **one Argo CD instance**: an Application deploys the path of its source (the build there, or the YAML
//!   files of the directory — all of them below it with `directory.recurse`) into its destination; an
//!   Application whose destination is the cluster it runs in (`https://kubernetes.default.svc`,
//!   `in-cluster`) puts the Applications, ApplicationSets and AppProjects it deploys into its own Argo CD, so
//!   an app-of-apps tree (ApplicationSets' generated Applications included) is one unit from its root;
//! - **units declared** in `.argovet.yaml`;
//! - **one directory** (weaker: a directory that nothing is known to apply as a whole).
//!
//! Files nothing relates stay apart: `clusters/dev/project.yaml` and `clusters/prod/project.yaml` never meet
//! unless an Application, a build or the user says they do.

use super::{Model, paths};
use crate::model::{DocKind, Document, Meet, Placement, ReadAs};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

/// Where the checked repositories are, to tell which Application sources point into them.
#[derive(Debug, Clone, Default)]
pub struct Local {
    /// The root directories of the checked repositories (relative paths as files are named; `""` for the
    /// current directory), against which an Application's `path` is resolved.
    pub roots: Vec<String>,
    /// Normalised URLs of those repositories (`origin`, `--repo`/`repos:` mappings). Empty when unknown:
    /// then any source whose path exists in the tree is taken for a local one.
    pub urls: BTreeSet<String>,
    /// How URLs are normalised before comparison.
    pub normalize: Option<fn(&str) -> String>,
}

/// What makes a set of files a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// One file.
    File,
    /// One Kustomize build.
    Build,
    /// What one Application source deploys.
    Application,
    /// An app-of-apps tree: one Argo CD instance.
    Instance,
    /// Declared in `.argovet.yaml`.
    Declared,
    /// One directory (weak).
    Directory,
}

/// One deployment unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// What kind of evidence makes it a unit.
    pub kind: Evidence,
    /// What makes it a unit, for `argovet inspect`.
    pub evidence: String,
    /// Its files.
    pub files: BTreeSet<String>,
    /// Whether it is strong evidence ([`Meet::Unit`]) rather than a plain directory ([`Meet::Directory`]).
    pub strong: bool,
}

/// An Application source that deploys a directory of the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deploy {
    /// The Application's file.
    pub file: String,
    /// The Application's name (for generated Applications, the generated name).
    pub application: String,
    /// The deployed directory.
    pub target: String,
    /// Whether the destination is the cluster Argo CD runs in.
    pub in_cluster: bool,
}

/// The units of a repository and each file's placement.
#[derive(Debug, Clone, Default)]
pub struct Units {
    /// Every unit; ids are indexes.
    pub units: Vec<Unit>,
    /// Which Application deploys which directory.
    pub deploys: Vec<Deploy>,
    placements: BTreeMap<String, Arc<Placement>>,
}

impl Units {
    /// Computes the units of `files` (every file of the model, roles assigned) from the model, the documents
    /// (Applications, generated ones included) and where the repositories are. `declared` are the units of
    /// `.argovet.yaml`, as glob lists.
    pub fn compute(model: &Model, docs: &[Document], local: &Local, declared: &[Vec<globset::GlobMatcher>]) -> Units {
        let objects: Vec<&str> =
            model.roles().filter(|(_, r)| r.read_as() == ReadAs::Manifest).map(|(p, _)| p).collect();
        let object_set: BTreeSet<&str> = objects.iter().copied().collect();
        let mut by_dir: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for f in &objects {
            by_dir.entry(paths::parent(f)).or_default().push(f);
        }
        let mut units = Vec::new();
        // One file.
        for f in &objects {
            units.push(Unit {
                kind: Evidence::File,
                evidence: format!("file {f}"),
                files: BTreeSet::from([f.to_string()]),
                strong: true,
            });
        }
        // Every directory holding an object file, and every directory above one: where a source path exists.
        let mut holding: BTreeSet<&str> = BTreeSet::new();
        for dir in by_dir.keys() {
            let mut d = *dir;
            while holding.insert(d) && !d.is_empty() {
                d = paths::parent(d);
            }
        }
        let target = Targets {
            model,
            by_dir: &by_dir,
            objects: &object_set,
            local,
            holding: &holding,
            memo: std::cell::RefCell::new(BTreeMap::new()),
        };
        // One Kustomize build.
        for dir in model.builds().keys() {
            let files = build_files(model, dir, &object_set, &mut target.memo.borrow_mut());
            if files.len() > 1 {
                units.push(Unit {
                    kind: Evidence::Build,
                    evidence: format!("kustomize build {}", shown(dir)),
                    files,
                    strong: true,
                });
            }
        }
        // Applications and app-of-apps trees.
        let mut apps_by_file: BTreeMap<&str, Vec<&Document>> = BTreeMap::new();
        for d in docs.iter().filter(|d| d.kind == DocKind::Application && !d.partial()) {
            apps_by_file.entry(&d.file.path).or_default().push(d);
        }
        let mut deploys = Vec::new();
        let mut reached: BTreeSet<String> = BTreeSet::new();
        for (file, apps) in &apps_by_file {
            for app in apps {
                let in_cluster = in_cluster(app);
                for (dir, recurse) in target.sources(app) {
                    let files = target.files(&dir, recurse);
                    deploys.push(Deploy {
                        file: file.to_string(),
                        application: app.name().unwrap_or("").to_string(),
                        target: dir.clone(),
                        in_cluster,
                    });
                    if in_cluster {
                        reached.extend(files.iter().cloned());
                    }
                    if files.len() > 1 {
                        units.push(Unit {
                            kind: Evidence::Application,
                            evidence: format!("Application {} deploys {}", app.name().unwrap_or("?"), shown(&dir)),
                            files,
                            strong: true,
                        });
                    }
                }
            }
        }
        // Roots of app-of-apps trees: files of Applications no in-cluster Application deploys (and, for
        // cycles, any file left uncovered).
        let mut covered: BTreeSet<&str> = BTreeSet::new();
        let roots: Vec<&str> = apps_by_file.keys().copied().filter(|f| !reached.contains(*f)).collect();
        let rest: Vec<&str> = apps_by_file.keys().copied().filter(|f| reached.contains(*f)).collect();
        for root in roots.into_iter().chain(rest) {
            if covered.contains(root) {
                continue;
            }
            let tree = instance(root, &apps_by_file, &target);
            if tree.len() > 1 {
                covered.extend(tree.iter().filter_map(|f| apps_by_file.get_key_value(f.as_str()).map(|(k, _)| *k)));
                units.push(Unit {
                    kind: Evidence::Instance,
                    evidence: format!("app-of-apps tree from {root}"),
                    files: tree,
                    strong: true,
                });
            }
        }
        // Declared.
        for (i, globs) in declared.iter().enumerate() {
            let files: BTreeSet<String> = model
                .roles()
                .map(|(p, _)| p)
                .filter(|p| globs.iter().any(|g| g.is_match(p)))
                .map(str::to_owned)
                .collect();
            units.push(Unit {
                kind: Evidence::Declared,
                evidence: format!("units[{i}] of the configuration"),
                files,
                strong: true,
            });
        }
        // One directory (weak), unless a kustomization there says what the directory builds.
        for (dir, files) in &by_dir {
            if files.len() > 1 && !model.builds().contains_key(*dir) {
                let files = files.iter().map(|f| f.to_string()).collect();
                units.push(Unit {
                    kind: Evidence::Directory,
                    evidence: format!("directory {}", shown(dir)),
                    files,
                    strong: false,
                });
            }
        }
        let mut strong: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        let mut weak: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
        for (id, u) in units.iter().enumerate() {
            let into = if u.strong { &mut strong } else { &mut weak };
            for f in &u.files {
                into.entry(f.as_str()).or_default().push(id as u32);
            }
        }
        let placements = model
            .roles()
            .map(|(p, role)| {
                let placement = Placement {
                    role,
                    units: strong.get(p).cloned().unwrap_or_default(),
                    directories: weak.get(p).cloned().unwrap_or_default(),
                };
                (p.to_string(), Arc::new(placement))
            })
            .collect();
        deploys.sort_by(|a, b| (&a.file, &a.application, &a.target).cmp(&(&b.file, &b.application, &b.target)));
        deploys.dedup();
        Units { units, deploys, placements }
    }

    /// The placement of `path` (the default placement for a file outside the model).
    pub fn placement(&self, path: &str) -> Arc<Placement> {
        self.placements.get(path).cloned().unwrap_or_default()
    }

    /// Whether the repository shows that two files go to different Argo CD instances: each belongs to an
    /// app-of-apps tree, and no tree (nor any other unit) holds both.
    pub fn apart(&self, a: &str, b: &str) -> bool {
        let trees = |f: &str| -> Vec<u32> {
            self.placement(f)
                .units
                .iter()
                .copied()
                .filter(|&u| self.units[u as usize].kind == Evidence::Instance)
                .collect()
        };
        let (ta, tb) = (trees(a), trees(b));
        !ta.is_empty() && !tb.is_empty() && self.meets(a, b).is_none()
    }

    /// Whether two files meet, and how.
    pub fn meets(&self, a: &str, b: &str) -> Option<Meet> {
        if a == b {
            return Some(Meet::Unit);
        }
        self.placement(a).meets(&self.placement(b))
    }
}

fn shown(dir: &str) -> String {
    if dir.is_empty() { ".".to_string() } else { format!("{dir}/") }
}

/// The object files of the build in `dir`, through nested builds and components; `memo` keeps each build's
/// closure (overlays share bases, and Applications deploy builds again).
fn build_files(
    model: &Model,
    dir: &str,
    objects: &BTreeSet<&str>,
    memo: &mut BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    if let Some(hit) = memo.get(dir) {
        return hit.clone();
    }
    let out = build_files_uncached(model, dir, objects, &mut BTreeSet::new(), memo);
    memo.insert(dir.to_string(), out.clone());
    out
}

fn build_files_uncached(
    model: &Model,
    dir: &str,
    objects: &BTreeSet<&str>,
    seen: &mut BTreeSet<String>,
    memo: &mut BTreeMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    if !seen.insert(dir.to_string()) {
        return out;
    }
    let Some(k) = model.builds().get(dir) else {
        return out;
    };
    out.insert(k.file.clone());
    for r in k.resources.iter().chain(&k.components) {
        if objects.contains(r.as_str()) {
            out.insert(r.clone());
        } else if let Some(child) = model.builds().get(r.as_str()) {
            // A renaming child build's objects carry other names in this build than in their files: they
            // cannot be compared by name with the rest, so they stay in the child's own unit.
            if !child.renames {
                if let Some(hit) = memo.get(r.as_str()) {
                    out.extend(hit.iter().cloned());
                } else {
                    let inner = build_files_uncached(model, r, objects, seen, memo);
                    memo.insert(r.clone(), inner.clone());
                    out.extend(inner);
                }
            }
        }
    }
    out.retain(|f| objects.contains(f.as_str()));
    out
}

struct Targets<'a> {
    model: &'a Model,
    by_dir: &'a BTreeMap<&'a str, Vec<&'a str>>,
    objects: &'a BTreeSet<&'a str>,
    local: &'a Local,
    holding: &'a BTreeSet<&'a str>,
    memo: std::cell::RefCell<BTreeMap<String, BTreeSet<String>>>,
}

impl Targets<'_> {
    /// The directories of the repository the sources of `app` deploy, each with whether that source
    /// recurses into subdirectories (`directory.recurse`).
    fn sources(&self, app: &Document) -> Vec<(String, bool)> {
        let spec = app.value.get("spec");
        let mut sources: Vec<&Value> = Vec::new();
        if let Some(s) = spec.and_then(|s| s.get("sources")).and_then(Value::as_array) {
            sources.extend(s);
        } else if let Some(s) = spec.and_then(|s| s.get("source")) {
            sources.push(s);
        }
        let mut out = Vec::new();
        for s in sources {
            let (Some(url), Some(path)) =
                (s.get("repoURL").and_then(Value::as_str), s.get("path").and_then(Value::as_str))
            else {
                continue;
            };
            if path.contains("{{") || url.contains("{{") || s.get("chart").is_some() {
                continue;
            }
            if !self.local.urls.is_empty() {
                let norm = self.local.normalize.map_or_else(|| url.to_string(), |n| n(url));
                if !self.local.urls.contains(&norm) {
                    continue;
                }
            }
            for root in &self.local.roots {
                let dir = paths::join(root, path);
                if self.exists(&dir) {
                    let recurse = s.pointer("/directory/recurse").and_then(Value::as_bool).unwrap_or(false);
                    out.push((dir, recurse));
                    break;
                }
            }
        }
        out
    }

    fn exists(&self, dir: &str) -> bool {
        self.model.builds().contains_key(dir) || self.model.is_chart(dir) || self.holding.contains(dir)
    }

    /// The object files an Application deploying `dir` applies.
    fn files(&self, dir: &str, recurse: bool) -> BTreeSet<String> {
        if self.model.builds().contains_key(dir) {
            return build_files(self.model, dir, self.objects, &mut self.memo.borrow_mut());
        }
        if self.model.is_chart(dir) {
            return BTreeSet::new();
        }
        if recurse {
            return self.objects.iter().filter(|f| paths::is_under(f, dir)).map(|f| f.to_string()).collect();
        }
        self.by_dir.get(dir).into_iter().flatten().map(|f| f.to_string()).collect()
    }
}

/// Whether an Application's destination is the cluster its Argo CD runs in.
fn in_cluster(app: &Document) -> bool {
    let dest = app.value.pointer("/spec/destination");
    let server = dest.and_then(|d| d.get("server")).and_then(Value::as_str).map(|s| s.trim_end_matches('/'));
    let name = dest.and_then(|d| d.get("name")).and_then(Value::as_str);
    server == Some("https://kubernetes.default.svc") || name == Some("in-cluster")
}

/// The files of the Argo CD instance an app-of-apps tree from `root` fills: the root's file, and what every
/// in-cluster Application reached deploys.
fn instance(root: &str, apps_by_file: &BTreeMap<&str, Vec<&Document>>, target: &Targets<'_>) -> BTreeSet<String> {
    let mut files = BTreeSet::from([root.to_string()]);
    let mut queue = VecDeque::from([root.to_string()]);
    while let Some(file) = queue.pop_front() {
        for app in apps_by_file.get(file.as_str()).into_iter().flatten() {
            if !in_cluster(app) {
                continue;
            }
            for (dir, recurse) in target.sources(app) {
                for f in target.files(&dir, recurse) {
                    if files.insert(f.clone()) {
                        queue.push_back(f);
                    }
                }
            }
        }
    }
    files
}
