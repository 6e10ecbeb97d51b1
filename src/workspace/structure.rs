//! Reads what the repository model (`crate::repo`) needs besides the file list: the texts of kustomizations
//! and `Chart.yaml` files among and around the checked files.

use super::{ReadLimits, display_path, read_source};
use crate::repo::is_structural;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// The structural files' texts, by path as argovet names files: those among `files` and `found` (files named
/// `Kustomization`, kustomize's name without extension, met while walking), and the `Kustomization` and
/// `Chart.yaml` of each directory above a file that no walk covered (a template named on the command
/// line is known to be one) and above each walked directory, up to the current directory. Below a walked
/// directory nothing needs probing: the walk listed those files. Unreadable files are left out: they are
/// reported when checked.
pub fn structural_texts(
    files: &[PathBuf],
    found: &[PathBuf],
    walked: &[PathBuf],
    limits: &ReadLimits,
) -> BTreeMap<String, String> {
    let mut wanted: BTreeSet<PathBuf> = found.iter().cloned().collect();
    let walked: Vec<String> = walked.iter().map(|w| display_path(w)).collect();
    let covered =
        |dir: &str| walked.iter().any(|w| w == "." || w.is_empty() || dir == w || dir.starts_with(&format!("{w}/")));
    // Directories as the strings files are named by: hashing strings is cheaper than comparing `Path`s
    // component by component.
    let mut dirs: HashSet<String> = HashSet::new();
    let probe = |start: &str, dirs: &mut HashSet<String>| {
        let mut dir = start;
        loop {
            if dir.is_empty() || dir == "." || dir.ends_with("..") || !dirs.insert(dir.to_string()) {
                break;
            }
            match dir.rsplit_once('/') {
                Some((parent, _)) => dir = parent,
                None => break,
            }
        }
    };
    for f in files {
        let name = display_path(f);
        if is_structural(&name) {
            wanted.insert(f.clone());
        }
        let parent = name.rsplit_once('/').map_or("", |(p, _)| p);
        if !covered(parent) {
            probe(parent, &mut dirs);
        }
    }
    for w in &walked {
        if let Some((parent, _)) = w.rsplit_once('/') {
            probe(parent, &mut dirs);
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
    let wanted: Vec<PathBuf> = wanted.into_iter().collect();
    let texts: Vec<(String, String)> =
        wanted.par_iter().filter_map(|p| read_source(p, limits).ok().map(|f| (display_path(p), f.text))).collect();
    texts.into_iter().collect()
}
