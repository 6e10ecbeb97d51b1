//! Path arithmetic on the `/`-separated, relative paths argovet names files by.

/// The directory of `path` (`""` for a file at the top).
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The last component of `path`.
pub fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

/// `rel` resolved against the directory `dir`, with `.` and `..` folded (a leading `..` that cannot be
/// folded is kept). An absolute `rel` is returned normalised.
pub fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    let absolute = rel.starts_with('/') || (dir.starts_with('/') && !rel.starts_with('/'));
    let base = if rel.starts_with('/') { "" } else { dir };
    for seg in base.split('/').chain(rel.split('/')) {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute { format!("/{joined}") } else { joined }
}

/// `path` normalised (`./a//b/../c` is `a/c`).
pub fn normalize(path: &str) -> String {
    join("", path)
}

/// Whether `path` lies under the directory `dir` (`""` holds everything relative).
pub fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty() || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_folds() {
        assert_eq!(join("overlays/prod", "../../base"), "base");
        assert_eq!(join("overlays/prod", "./patch.yaml"), "overlays/prod/patch.yaml");
        assert_eq!(join("", "../x.yaml"), "../x.yaml");
        assert_eq!(join("a", "../../x"), "../x");
        assert_eq!(join("a/b", "/etc/x"), "/etc/x");
        assert_eq!(join("/abs/dir", "../x"), "/abs/x");
        assert_eq!(normalize("./a//b/../c"), "a/c");
        assert_eq!(parent("a/b/c.yaml"), "a/b");
        assert_eq!(parent("c.yaml"), "");
        assert_eq!(file_name("a/b/c.yaml"), "c.yaml");
        assert!(is_under("a/b/c", "a/b"));
        assert!(!is_under("a/bc/d", "a/b"));
        assert!(is_under("x", ""));
    }
}
