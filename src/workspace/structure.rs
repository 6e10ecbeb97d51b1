//! Reads what the repository model (`crate::repo`) needs besides the file list: the texts of kustomizations
//! and `Chart.yaml` files among and around the checked files.

use super::{ReadLimits, display_path, read_source};
use crate::repo::is_structural;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The structural files' texts, by path as argovet names files: those among `files`, a `Kustomization`
/// (kustomize's name without extension, which discovery does not list) beside any of them, and the
/// `Chart.yaml` of each directory above them, up to the current directory (so that a template named on the
/// command line is known to be one). Unreadable files are left out: they are reported when checked.
pub fn structural_texts(files: &[PathBuf], limits: &ReadLimits) -> BTreeMap<String, String> {
    let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
    // Directories as the strings files are named by: hashing strings is cheaper than comparing `Path`s
    // component by component, and a repository has thousands of them.
    let mut dirs: HashSet<String> = HashSet::new();
    for f in files {
        let name = display_path(f);
        if is_structural(&name) {
            wanted.insert(f.clone());
        }
        let mut dir = name.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if parent.is_empty() || parent == "." || parent.ends_with("..") || !dirs.insert(parent.to_string()) {
                break;
            }
            dir = parent;
        }
    }
    for d in dirs {
        for name in ["Kustomization", "Chart.yaml"] {
            let p = Path::new(&d).join(name);
            if p.is_file() {
                wanted.insert(p);
            }
        }
    }
    // The current directory too, when files are named relative to it.
    for name in ["Kustomization", "Chart.yaml"] {
        let p = PathBuf::from(name);
        if files.iter().any(|f| f.parent().is_some_and(|d| d.as_os_str().is_empty())) && p.is_file() {
            wanted.insert(p);
        }
    }
    let wanted: Vec<PathBuf> = wanted.into_iter().collect();
    let texts: Vec<(String, String)> =
        wanted.par_iter().filter_map(|p| read_source(p, limits).ok().map(|f| (display_path(p), f.text))).collect();
    texts.into_iter().collect()
}
