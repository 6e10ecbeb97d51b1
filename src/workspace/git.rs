//! Git repositories read with git2, without a checkout: resolving revisions (HEAD, branches, tags,
//! SHAs, semver constraints), listing trees, reading blobs (symlinks followed only inside the
//! repository), and mapping `repoURL`s to local clones.

use crate::appset::{RepoError, RepoSource, RepoTree};
use git2::{ObjectType, Oid, Repository, Tree};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Opens the repository at (or containing) `path`.
pub fn open(path: &Path) -> Result<Repository, String> {
    Repository::discover(path).map_err(|e| format!("{}: not a git repository ({})", path.display(), e.message()))
}

/// What to do about a revision or object missing from a shallow clone.
const SHALLOW_HINT: &str = "; the repository is a shallow clone, so older commits are missing: fetch its history \
     (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)";

/// `what: message`, with a hint when the repository is shallow or its object database is damaged.
fn describe(repo: &Repository, what: &str, e: &git2::Error) -> String {
    let mut msg = format!("{what}: {}", e.message());
    if repo.is_shallow() && e.code() == git2::ErrorCode::NotFound {
        msg.push_str(SHALLOW_HINT);
    } else if matches!(e.class(), git2::ErrorClass::Odb | git2::ErrorClass::Zlib | git2::ErrorClass::Object) {
        let at = repo.workdir().unwrap_or_else(|| repo.path());
        msg.push_str(&format!("; the repository at {} looks corrupt (`git fsck` says more)", at.display()));
    }
    msg
}

/// Whether a revision missing from `repo` may exist in its remote, because the clone holds only part of it:
/// `Some(how to fetch the rest)` (empty when the message already has [`SHALLOW_HINT`]) for a shallow clone, a
/// clone whose `origin` fetches only some branches (`--single-branch`), or one with no remote-tracking
/// branches at all (a CI checkout of one ref); `None` for a full clone or a repository without `origin`.
pub fn missing_refs_hint(repo: &Repository) -> Option<String> {
    let tracking = repo.references_glob("refs/remotes/origin/*").ok().is_some_and(|mut r| r.next().is_some());
    if repo.is_shallow() {
        let no_branches = repo.find_remote("origin").is_ok() && !tracking;
        return Some(if no_branches {
            "; nor any branch of origin (`git fetch origin`)".into()
        } else {
            String::new()
        });
    }
    let origin = repo.find_remote("origin").ok()?;
    let all_branches = origin.fetch_refspecs().ok().is_some_and(|specs| {
        specs.iter().flatten().flatten().any(|s| s.trim_start_matches('+').starts_with("refs/heads/*:"))
    });
    if !all_branches {
        return Some(
            "; this clone fetches only some branches of origin: fetch the others (`git remote set-branches origin '*' \
             && git fetch origin`, or `fetch-depth: 0` with actions/checkout)"
                .into(),
        );
    }
    if !tracking {
        return Some("; this clone has no branches of origin: fetch them (`git fetch origin`)".into());
    }
    None
}

/// `message`, with [`SHALLOW_HINT`] when the repository is shallow.
fn with_shallow_hint(repo: &Repository, message: String) -> String {
    if repo.is_shallow() { format!("{message}{SHALLOW_HINT}") } else { message }
}

/// `host/owner/repo` for every spelling of a repository URL: `https://host/owner/repo.git`,
/// `git@host:owner/repo`, `ssh://git@host:22/owner/repo/`; host lowercased, user, scheme, default
/// ports, `.git` and trailing slashes removed.
pub fn normalize_url(url: &str) -> String {
    let u = url.trim();
    let strip_user = |r: &str, stop: char| -> String {
        let end = r.find(stop).unwrap_or(r.len());
        match r[..end].rfind('@') {
            Some(at) => r[at + 1..].to_string(),
            None => r.to_string(),
        }
    };
    let (host, path) = match u.split_once("://") {
        Some((_, rest)) => {
            let rest = strip_user(rest, '/');
            match rest.split_once('/') {
                Some((h, p)) => (h.to_string(), p.to_string()),
                None => (rest, String::new()),
            }
        }
        None => {
            let rest = strip_user(u, ':');
            match rest.split_once(':') {
                Some((h, p)) => (h.to_string(), p.to_string()),
                None => (rest, String::new()),
            }
        }
    };
    let host = host.to_lowercase();
    let host = host
        .strip_suffix(":443")
        .or_else(|| host.strip_suffix(":22"))
        .or_else(|| host.strip_suffix(":80"))
        .unwrap_or(&host);
    let path = path.trim_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path).trim_end_matches('/');
    if path.is_empty() { host.to_string() } else { format!("{host}/{path}") }
}

/// Parses `--repo URL=PATH`.
pub fn parse_repo_flag(s: &str) -> Result<(String, PathBuf), String> {
    match s.rsplit_once('=') {
        Some((url, path)) if !url.is_empty() && !path.is_empty() => Ok((url.to_string(), PathBuf::from(path))),
        _ => Err(format!("--repo {s:?}: expected URL=PATH, e.g. --repo https://github.com/org/apps.git=../apps")),
    }
}

/// The `origin` remote URL of the repository at (or containing) `path`, if any.
pub fn origin_url(path: &Path) -> Option<(String, PathBuf)> {
    let repo = Repository::discover(path).ok()?;
    let url = repo.find_remote("origin").ok()?.url().ok()?.to_string();
    let root = repo.workdir().unwrap_or_else(|| repo.path()).to_path_buf();
    Some((url, root))
}

/// Resolves a revision the way Argo CD does for generators: empty or `HEAD` is HEAD; then a branch,
/// a tag, a remote branch of `origin`, a full ref name; then a semver constraint over tags (the
/// highest matching tag); then a full or short SHA.
pub fn resolve_revision(repo: &Repository, revision: &str) -> Result<Oid, String> {
    let peel = |oid: Oid| -> Result<Oid, String> {
        repo.find_object(oid, None)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|e| format!("revision {revision}: {}", e.message()))
    };
    let rev = revision.trim();
    if rev.is_empty() || rev == "HEAD" {
        let head = repo.head().map_err(|e| format!("cannot resolve HEAD: {}", e.message()))?;
        return head.peel_to_commit().map(|c| c.id()).map_err(|e| format!("cannot resolve HEAD: {}", e.message()));
    }
    for name in
        [format!("refs/heads/{rev}"), format!("refs/tags/{rev}"), format!("refs/remotes/origin/{rev}"), rev.to_string()]
    {
        if let Ok(r) = repo.find_reference(&name)
            && let Ok(c) = r.peel_to_commit()
        {
            return Ok(c.id());
        }
    }
    if let Some(constraint) = semver::Constraint::parse(rev) {
        let mut best: Option<(semver::Version, String)> = None;
        if let Ok(tags) = repo.tag_names(None) {
            for t in tags.iter().flatten().flatten() {
                if let Some(v) = semver::Version::parse(t)
                    && constraint.matches(&v)
                    && best.as_ref().is_none_or(|(b, _)| v > *b)
                {
                    best = Some((v, t.to_string()));
                }
            }
        }
        if let Some((_, tag)) = best {
            let r = repo.find_reference(&format!("refs/tags/{tag}")).map_err(|e| e.message().to_string())?;
            return r.peel_to_commit().map(|c| c.id()).map_err(|e| e.message().to_string());
        }
    }
    if rev.len() >= 4
        && rev.len() <= 40
        && rev.bytes().all(|b| b.is_ascii_hexdigit())
        && let Ok(obj) = repo.revparse_single(rev)
    {
        return peel(obj.id());
    }
    Err(with_shallow_hint(
        repo,
        format!("unable to resolve git revision {rev:?}: no such branch, tag, semver match or commit"),
    ))
}

/// Resolves a revision given on the command line: any `git rev-parse` expression (`HEAD~1`,
/// `main^`, `origin/main`), else as [`resolve_revision`].
pub fn resolve_cli_revision(repo: &Repository, revision: &str) -> Result<Oid, String> {
    if let Ok(obj) = repo.revparse_single(revision)
        && let Ok(c) = obj.peel_to_commit()
    {
        return Ok(c.id());
    }
    resolve_revision(repo, revision)
}

/// Lists a commit's tree: directories in `filepath.WalkDir` order without dot-directories, and every
/// file (symlinks included when they resolve to a file inside the repository), sorted.
pub fn list_tree(repo: &Repository, commit: Oid) -> Result<RepoTree, String> {
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| describe(repo, &format!("reading commit {commit}"), &e))?;
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    walk(repo, &tree, "", false, &mut dirs, &mut files)?;
    let root = &tree;
    files.retain(|(path, is_link)| !*is_link || read_blob(repo, root, path).is_ok());
    let mut files: Vec<String> = files.into_iter().map(|(p, _)| p).collect();
    files.sort();
    Ok(RepoTree { commit: commit.to_string(), dirs, files })
}

fn walk(
    repo: &Repository,
    tree: &Tree<'_>,
    prefix: &str,
    hidden: bool,
    dirs: &mut Vec<String>,
    files: &mut Vec<(String, bool)>,
) -> Result<(), String> {
    // git sorts tree entries with directories compared as `name/`; WalkDir sorts by plain name.
    let mut entries: Vec<_> = tree.iter().collect();
    entries.sort_by(|a, b| a.name_bytes().cmp(b.name_bytes()));
    for e in entries {
        let Ok(name) = e.name() else { continue };
        let path = if prefix.is_empty() { name.to_string() } else { format!("{prefix}/{name}") };
        match e.kind() {
            Some(ObjectType::Tree) => {
                let dot = hidden || name.starts_with('.');
                if !dot {
                    dirs.push(path.clone());
                }
                let sub = repo.find_tree(e.id()).map_err(|er| describe(repo, &format!("reading {path}/"), &er))?;
                walk(repo, &sub, &path, dot, dirs, files)?;
            }
            Some(ObjectType::Blob) => files.push((path, e.filemode() == 0o120000)),
            _ => {}
        }
    }
    Ok(())
}

/// The largest file read from git (by the git generator's `files` and by `appset diff`), in bytes.
pub const MAX_GIT_FILE_SIZE: usize = 10 * 1024 * 1024;

/// The size of object `oid` from its header, without inflating its content.
fn object_size(repo: &Repository, oid: Oid) -> Option<usize> {
    repo.odb().and_then(|odb| odb.read_header(oid)).ok().map(|(size, _)| size)
}

/// Reads a file of `tree`, following symlinks that stay inside the repository (at most 16 hops);
/// files over [`MAX_GIT_FILE_SIZE`] are refused.
pub fn read_blob(repo: &Repository, tree: &Tree<'_>, path: &str) -> Result<Vec<u8>, String> {
    let mut current = path.to_string();
    for _ in 0..16 {
        let entry = tree.get_path(Path::new(&current)).map_err(|_| format!("{path}: no such file in the tree"))?;
        if entry.kind() != Some(ObjectType::Blob) {
            return Err(format!("{path}: not a file"));
        }
        if let Some(size) = object_size(repo, entry.id())
            && size > MAX_GIT_FILE_SIZE
        {
            return Err(format!(
                "{path}: {size} bytes, over the {MAX_GIT_FILE_SIZE} byte limit for files read from git"
            ));
        }
        let blob = repo.find_blob(entry.id()).map_err(|e| describe(repo, &format!("reading {path}"), &e))?;
        if entry.filemode() != 0o120000 {
            return Ok(blob.content().to_vec());
        }
        let target = String::from_utf8_lossy(blob.content()).to_string();
        let base = current.rsplit_once('/').map_or("", |(d, _)| d);
        current = join_inside(base, &target).ok_or_else(|| format!("{path}: symlink points outside the repository"))?;
    }
    Err(format!("{path}: too many levels of symbolic links"))
}

/// Joins a relative symlink target to a directory, refusing absolute targets and `..` above the root.
fn join_inside(dir: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Every file under `prefixes` (repository-relative; empty = everything) at `commit` whose name ends
/// in `.yaml`/`.yml`, with its text (non-UTF-8 files skipped).
pub fn yaml_files_at(repo: &Repository, commit: Oid, prefixes: &[String]) -> Result<Vec<(String, String)>, String> {
    let listing = list_tree(repo, commit)?;
    let tree = repo
        .find_commit(commit)
        .and_then(|c| c.tree())
        .map_err(|e| describe(repo, &format!("reading commit {commit}"), &e))?;
    let mut out = Vec::new();
    for f in &listing.files {
        let selected = prefixes.is_empty()
            || prefixes
                .iter()
                .any(|p| p.is_empty() || f == p || f.starts_with(&format!("{}/", p.trim_end_matches('/'))));
        let hidden = f.split('/').any(|seg| seg.starts_with('.'));
        if selected && !hidden && (f.ends_with(".yaml") || f.ends_with(".yml")) {
            // Huge files are skipped, as `check` skips them by default.
            let too_large = tree
                .get_path(Path::new(f))
                .ok()
                .and_then(|e| object_size(repo, e.id()))
                .is_some_and(|size| size > MAX_GIT_FILE_SIZE);
            if too_large {
                continue;
            }
            // A file that cannot be read would silently turn into "every Application removed".
            let bytes = match read_blob(repo, &tree, f) {
                Err(e) if e.ends_with("byte limit for files read from git") => continue,
                r => r?,
            };
            if let Ok(text) = String::from_utf8(bytes) {
                out.push((f.clone(), text));
            }
        }
    }
    Ok(out)
}

/// `repoURL` -> local repository, implementing [`RepoSource`] with caches of resolved trees.
pub struct GitRepos {
    mapping: Vec<(String, PathBuf)>,
    pinned: Option<(String, Oid)>,
    repos: Mutex<HashMap<PathBuf, Repository>>,
    trees: Mutex<HashMap<(PathBuf, Oid), Arc<RepoTree>>>,
}

impl Default for GitRepos {
    fn default() -> Self {
        GitRepos::new()
    }
}

impl GitRepos {
    /// No mapping yet.
    pub fn new() -> GitRepos {
        GitRepos {
            mapping: Vec::new(),
            pinned: None,
            repos: Mutex::new(HashMap::new()),
            trees: Mutex::new(HashMap::new()),
        }
    }

    /// Maps `url` (any spelling) to the repository at `path`. Earlier mappings win.
    pub fn map(&mut self, url: &str, path: PathBuf) {
        let key = normalize_url(url);
        if !self.mapping.iter().any(|(k, _)| *k == key) {
            self.mapping.push((key, path));
        }
    }

    /// Maps the `origin` of the repository containing `path`, when it has one.
    pub fn map_origin_of(&mut self, path: &Path) {
        if let Some((url, root)) = origin_url(path) {
            self.map(&url, root);
        }
    }

    /// Makes an empty or `HEAD` revision of `url` mean `commit` (used by `appset diff` so a set
    /// that reads its own repository at HEAD sees the revision being rendered).
    pub fn pin_head(&mut self, url: &str, commit: Oid) {
        self.pinned = Some((normalize_url(url), commit));
    }

    fn path_for(&self, url: &str) -> Option<&PathBuf> {
        let key = normalize_url(url);
        self.mapping.iter().find(|(k, _)| *k == key).map(|(_, p)| p)
    }

    fn with_repo<T>(&self, path: &Path, f: impl FnOnce(&Repository) -> Result<T, String>) -> Result<T, String> {
        let mut repos = self.repos.lock().map_err(|_| "repository cache poisoned".to_string())?;
        if !repos.contains_key(path) {
            let r = open(path)?;
            repos.insert(path.to_path_buf(), r);
        }
        let repo = repos.get(path).ok_or_else(|| "repository cache".to_string())?;
        f(repo)
    }
}

impl RepoSource for GitRepos {
    fn tree(&self, repo_url: &str, revision: &str) -> Result<Arc<RepoTree>, RepoError> {
        let path = self.path_for(repo_url).ok_or_else(|| RepoError::Unmapped(repo_url.to_string()))?.clone();
        let pinned = self
            .pinned
            .as_ref()
            .filter(|(u, _)| *u == normalize_url(repo_url) && (revision.is_empty() || revision == "HEAD"))
            .map(|(_, c)| *c);
        let commit = match pinned {
            Some(c) => c,
            None => {
                let resolved = self
                    .with_repo(&path, |r| Ok(resolve_revision(r, revision).map_err(|e| (e, missing_refs_hint(r)))))
                    .map_err(|e| RepoError::Failed(format!("{repo_url} ({}): {e}", path.display())))?;
                match resolved {
                    Ok(c) => c,
                    Err((e, Some(hint))) => {
                        return Err(RepoError::Incomplete(format!("{repo_url} ({}): {e}{hint}", path.display())));
                    }
                    Err((e, None)) => return Err(RepoError::Failed(format!("{repo_url} ({}): {e}", path.display()))),
                }
            }
        };
        if let Some(t) = self.trees.lock().ok().and_then(|t| t.get(&(path.clone(), commit)).cloned()) {
            return Ok(t);
        }
        let tree = Arc::new(
            self.with_repo(&path, |r| list_tree(r, commit))
                .map_err(|e| RepoError::Failed(format!("{repo_url} ({}): {e}", path.display())))?,
        );
        if let Ok(mut t) = self.trees.lock() {
            t.insert((path, commit), tree.clone());
        }
        Ok(tree)
    }

    fn read(&self, repo_url: &str, tree: &RepoTree, path: &str) -> Result<Vec<u8>, RepoError> {
        let repo_path = self.path_for(repo_url).ok_or_else(|| RepoError::Unmapped(repo_url.to_string()))?.clone();
        let oid = Oid::from_str(&tree.commit).map_err(|e| RepoError::Failed(e.message().to_string()))?;
        self.with_repo(&repo_path, |r| {
            let t = r.find_commit(oid).and_then(|c| c.tree()).map_err(|e| e.message().to_string())?;
            read_blob(r, &t, path)
        })
        .map_err(RepoError::Failed)
    }
}

/// Just enough of Masterminds/semver (what Argo CD uses for `targetRevision` constraints).
pub mod semver {
    use std::cmp::Ordering;

    /// A version: `v` prefix optional, missing minor/patch = 0, pre-release kept, build ignored.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Version {
        /// Major, minor, patch.
        pub nums: [u64; 3],
        /// Pre-release identifiers (empty for a release).
        pub pre: String,
    }

    impl Version {
        /// Parses `v1.2.3`, `1.2`, `1.2.3-rc.1+build`.
        pub fn parse(s: &str) -> Option<Version> {
            let s = s.strip_prefix('v').unwrap_or(s);
            let s = s.split('+').next()?;
            let (core, pre) = match s.split_once('-') {
                Some((c, p)) => (c, p.to_string()),
                None => (s, String::new()),
            };
            let mut nums = [0u64; 3];
            let parts: Vec<&str> = core.split('.').collect();
            if parts.is_empty() || parts.len() > 3 {
                return None;
            }
            for (i, p) in parts.iter().enumerate() {
                nums[i] = p.parse().ok()?;
            }
            Some(Version { nums, pre })
        }
    }

    impl PartialOrd for Version {
        fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }

    impl Ord for Version {
        fn cmp(&self, other: &Self) -> Ordering {
            self.nums.cmp(&other.nums).then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
        }
    }

    #[derive(Debug, Clone)]
    struct Term {
        lo: Option<(Version, bool)>,
        hi: Option<(Version, bool)>,
        not: Option<Version>,
    }

    /// `||`-separated alternatives of space- or comma-separated terms.
    #[derive(Debug, Clone)]
    pub struct Constraint {
        alternatives: Vec<Vec<Term>>,
        allows_pre: bool,
    }

    impl Constraint {
        /// Parses a constraint; `None` when the text is not one (a plain version is `=version`).
        pub fn parse(s: &str) -> Option<Constraint> {
            let mut alternatives = Vec::new();
            for alt in s.split("||") {
                let mut terms = Vec::new();
                let normalized = alt.replace(',', " ");
                let mut tokens = normalized.split_whitespace().peekable();
                while let Some(mut tok) = tokens.next() {
                    let joined;
                    if matches!(tok, ">=" | "<=" | ">" | "<" | "=" | "!=" | "~" | "^") {
                        joined = format!("{tok}{}", tokens.next()?);
                        tok = &joined;
                    }
                    terms.push(term(tok)?);
                }
                if terms.is_empty() {
                    return None;
                }
                alternatives.push(terms);
            }
            let allows_pre = s.contains('-');
            Some(Constraint { alternatives, allows_pre })
        }

        /// Whether `v` satisfies the constraint (pre-releases only when the constraint names one).
        pub fn matches(&self, v: &Version) -> bool {
            if !v.pre.is_empty() && !self.allows_pre {
                return false;
            }
            self.alternatives.iter().any(|terms| {
                terms.iter().all(|t| {
                    t.lo.as_ref().is_none_or(|(lo, incl)| if *incl { v >= lo } else { v > lo })
                        && t.hi.as_ref().is_none_or(|(hi, incl)| if *incl { v <= hi } else { v < hi })
                        && t.not.as_ref().is_none_or(|n| v != n)
                })
            })
        }
    }

    fn partial(s: &str) -> Option<(Version, usize)> {
        let s = s.strip_prefix('v').unwrap_or(s);
        let core = s.split(['-', '+']).next()?;
        let given = core.split('.').take_while(|p| !matches!(*p, "x" | "X" | "*")).count();
        let filled: Vec<&str> = core.split('.').map(|p| if matches!(p, "x" | "X" | "*") { "0" } else { p }).collect();
        let mut v = Version::parse(&filled.join("."))?;
        if let Some((_, pre)) = s.split_once('-') {
            v.pre = pre.split('+').next().unwrap_or("").to_string();
        }
        Some((v, given.min(filled.len())))
    }

    fn bump(v: &Version, index: usize) -> Version {
        let mut nums = v.nums;
        nums[index] += 1;
        for n in nums.iter_mut().skip(index + 1) {
            *n = 0;
        }
        Version { nums, pre: String::new() }
    }

    fn term(tok: &str) -> Option<Term> {
        let none = Term { lo: None, hi: None, not: None };
        if matches!(tok, "*" | "x" | "X") {
            return Some(none);
        }
        let (op, rest) = ["!=", ">=", "<=", "=", ">", "<", "~", "^"]
            .iter()
            .find_map(|op| tok.strip_prefix(op).map(|r| (*op, r)))
            .unwrap_or(("", tok));
        let (v, given) = partial(rest)?;
        Some(match op {
            ">=" => Term { lo: Some((v, true)), ..none },
            ">" => {
                Term { lo: Some((if given < 3 { bump(&v, given.saturating_sub(1)) } else { v }, given < 3)), ..none }
            }
            "<=" => {
                Term { hi: Some((if given < 3 { bump(&v, given.saturating_sub(1)) } else { v }, given >= 3)), ..none }
            }
            "<" => Term { hi: Some((v, false)), ..none },
            "!=" => Term { not: Some(v), ..none },
            "~" => {
                let idx = if given >= 2 { 1 } else { 0 };
                Term { hi: Some((bump(&v, idx), false)), lo: Some((v, true)), not: None }
            }
            "^" => {
                let idx = if v.nums[0] > 0 || given == 1 {
                    0
                } else if v.nums[1] > 0 || given == 2 {
                    1
                } else {
                    2
                };
                Term { hi: Some((bump(&v, idx), false)), lo: Some((v, true)), not: None }
            }
            _ if given < 3 => {
                if given == 0 {
                    none
                } else {
                    Term { hi: Some((bump(&v, given - 1), false)), lo: Some((v, true)), not: None }
                }
            }
            _ => Term { lo: Some((v.clone(), true)), hi: Some((v, true)), not: None },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_every_spelling_of_a_repository_url() {
        let want = "github.com/org/apps";
        for u in [
            "https://github.com/org/apps.git",
            "https://GitHub.com/org/apps/",
            "git@github.com:org/apps.git",
            "ssh://git@github.com/org/apps",
            "ssh://git@github.com:22/org/apps.git",
            "http://user:token@github.com/org/apps",
        ] {
            assert_eq!(normalize_url(u), want, "{u}");
        }
        assert_ne!(normalize_url("https://github.com/org/apps2"), want);
    }

    #[test]
    fn semver_constraints_pick_matching_versions() {
        use semver::{Constraint, Version};
        let v = |s| Version::parse(s).unwrap();
        let c = Constraint::parse(">=1.0.0 <2.0.0").unwrap();
        assert!(c.matches(&v("v1.4.2")) && !c.matches(&v("2.0.0")) && !c.matches(&v("1.5.0-rc.1")));
        assert!(Constraint::parse("~1.2").unwrap().matches(&v("1.2.9")));
        assert!(!Constraint::parse("~1.2").unwrap().matches(&v("1.3.0")));
        assert!(Constraint::parse("^1.2.3").unwrap().matches(&v("1.9.0")));
        assert!(!Constraint::parse("^0.2.3").unwrap().matches(&v("0.3.0")));
        assert!(Constraint::parse("1.2.x").unwrap().matches(&v("1.2.7")));
        assert!(Constraint::parse("1.x || >=3").unwrap().matches(&v("3.1.0")));
    }

    #[test]
    fn symlinks_may_not_leave_the_repository() {
        assert_eq!(join_inside("a/b", "../c").as_deref(), Some("a/c"));
        assert_eq!(join_inside("a", "../../etc/passwd"), None);
        assert_eq!(join_inside("a", "/etc/passwd"), None);
    }
}
