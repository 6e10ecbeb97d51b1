//! Reads what the repository model (`crate::repo`) needs besides the file list: the texts of kustomizations
//! and `Chart.yaml` files among and around the checked files.

use super::{ReadLimits, display_path, read_source};
use crate::repo::is_structural;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The structural files' texts, by path as argovet names files: those among `files`, a `Kustomization`
/// (kustomize's name without extension, which discovery does not list) beside any of them, and the
/// `Chart.yaml` of each directory above them, up to the current directory (so that a template named on the
/// command line is known to be one). Unreadable files are left out: they are reported when checked.
pub fn structural_texts(files: &[PathBuf], limits: &ReadLimits) -> BTreeMap<String, String> {
    let mut wanted: BTreeSet<PathBuf> = BTreeSet::new();
    let mut dirs: BTreeSet<&Path> = BTreeSet::new();
    for f in files {
        if is_structural(&display_path(f)) {
            wanted.insert(f.clone());
        }
        let mut dir = f.parent();
        while let Some(d) = dir {
            if !dirs.insert(d) || d.as_os_str().is_empty() || d == Path::new(".") || d.ends_with("..") {
                break;
            }
            dir = d.parent();
        }
    }
    for d in dirs {
        for name in ["Kustomization", "Chart.yaml"] {
            let p = d.join(name);
            if p.is_file() {
                wanted.insert(p);
            }
        }
    }
    wanted.into_iter().filter_map(|p| read_source(&p, limits).ok().map(|f| (display_path(&p), f.text))).collect()
}
