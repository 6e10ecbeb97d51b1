//! Slash-separated path functions (Go's `path` package; `filepath` on Linux is identical):
//! `base`, `dir`, `clean`, `ext`, `isAbs` and their `os*` twins.

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;
use super::s;

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    for name in ["base", "osBase"] {
        add(r, name, &[Str], |a| Ok(Value::str(base(s(&a[0])))));
    }
    for name in ["dir", "osDir"] {
        add(r, name, &[Str], |a| Ok(Value::str(dir(s(&a[0])))));
    }
    for name in ["clean", "osClean"] {
        add(r, name, &[Str], |a| Ok(Value::str(clean(s(&a[0])))));
    }
    for name in ["ext", "osExt"] {
        add(r, name, &[Str], |a| Ok(Value::str(ext(s(&a[0])))));
    }
    for name in ["isAbs", "osIsAbs"] {
        add(r, name, &[Str], |a| Ok(Value::Bool(s(&a[0]).starts_with('/'))));
    }
}

/// `path.Clean`.
pub(crate) fn clean(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = vec![];
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// `path.Base`.
pub(crate) fn base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let t = p.trim_end_matches('/');
    if t.is_empty() {
        return "/".into();
    }
    t.rsplit('/').next().unwrap_or(t).to_string()
}

/// `path.Dir`.
pub(crate) fn dir(p: &str) -> String {
    let i = p.rfind('/').map(|i| i + 1).unwrap_or(0);
    clean(&p[..i])
}

/// `path.Ext`.
pub(crate) fn ext(p: &str) -> String {
    for (i, c) in p.char_indices().rev() {
        if c == '/' {
            break;
        }
        if c == '.' {
            return p[i..].to_string();
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_like_go() {
        assert_eq!(clean("a/b/../c/./d/"), "a/c/d");
        assert_eq!(clean("/../a"), "/a");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(dir("/a/b/c"), "/a/b");
        assert_eq!(base("/a/b/"), "b");
        assert_eq!(ext("a/b.tar.gz"), ".gz");
    }
}
