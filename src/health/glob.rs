//! The two glob dialects Argo CD uses to pick a health script: gobwas/glob without separators for
//! argocd-cm keys (`*` crosses `/`), and doublestar path matching for built-in wildcard directories
//! (`*` stays inside one segment).

/// Whether `text` matches `pattern`. `*` matches any run of characters (not `sep` when given), `?` one
/// character, `[abc]`/`[a-z]`/`[!a]` a class, `{a,b}` alternatives, `\x` a literal `x`.
pub fn matches(pattern: &str, text: &str, sep: Option<char>) -> bool {
    let text: Vec<char> = text.chars().collect();
    expand_braces(pattern).iter().any(|p| {
        let p: Vec<char> = p.chars().collect();
        match_here(&p, &text, sep)
    })
}

/// gobwas/glob `Match(pattern, text)` with no separators, as Argo CD's `util/glob.Match`.
pub fn argo_match(pattern: &str, text: &str) -> bool {
    matches(pattern, text, None)
}

/// doublestar `PathMatch`: `*` does not cross `/`.
pub fn path_match(pattern: &str, text: &str) -> bool {
    matches(pattern, text, Some('/'))
}

/// Whether a key contains glob syntax.
pub fn is_pattern(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

fn expand_braces(p: &str) -> Vec<String> {
    let chars: Vec<char> = p.chars().collect();
    let mut depth = 0;
    let mut open = None;
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '{' => {
                if depth == 0 {
                    open = Some(i);
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(o) = open
                {
                    let prefix: String = chars[..o].iter().collect();
                    let suffix: String = chars[i + 1..].iter().collect();
                    let mut alts = Vec::new();
                    let mut cur = String::new();
                    let mut d = 0;
                    let mut j = o + 1;
                    while j < i {
                        let c = chars[j];
                        match c {
                            '\\' if j + 1 < i => {
                                cur.push(c);
                                cur.push(chars[j + 1]);
                                j += 1;
                            }
                            '{' => {
                                d += 1;
                                cur.push(c);
                            }
                            '}' => {
                                d -= 1;
                                cur.push(c);
                            }
                            ',' if d == 0 => alts.push(std::mem::take(&mut cur)),
                            _ => cur.push(c),
                        }
                        j += 1;
                    }
                    alts.push(cur);
                    let mut out = Vec::new();
                    for a in alts {
                        for s in expand_braces(&format!("{a}{suffix}")) {
                            out.push(format!("{prefix}{s}"));
                        }
                    }
                    return out;
                }
            }
            _ => {}
        }
        i += 1;
    }
    vec![p.to_owned()]
}

fn match_here(p: &[char], t: &[char], sep: Option<char>) -> bool {
    // Iterative matcher with single-star backtracking per segment.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    while pi < p.len() && p[pi] == '*' {
                        pi += 1;
                    }
                    star = Some((pi, ti));
                    continue;
                }
                '?' if Some(t[ti]) != sep => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                '[' => {
                    if let Some((ok, next)) = class(p, pi, t[ti])
                        && ok
                        && Some(t[ti]) != sep
                    {
                        pi = next;
                        ti += 1;
                        continue;
                    }
                }
                '\\' if pi + 1 < p.len() && p[pi + 1] == t[ti] => {
                    pi += 2;
                    ti += 1;
                    continue;
                }
                c if c == t[ti] && c != '\\' => {
                    pi += 1;
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, st)) if Some(t[st]) != sep => {
                star = Some((sp, st + 1));
                pi = sp;
                ti = st + 1;
            }
            _ => return false,
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Matches `c` against the class starting at `p[start] == '['`; returns (matched, index after `]`).
fn class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let lo = p[i];
        if i + 2 < p.len() && p[i + 1] == '-' && p[i + 2] != ']' {
            if lo <= c && c <= p[i + 2] {
                matched = true;
            }
            i += 3;
        } else {
            if lo == c {
                matched = true;
            }
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argo_globs_cross_slashes_path_globs_do_not() {
        assert!(argo_match("*.crossplane.io/*", "pkg.crossplane.io/Provider"));
        assert!(argo_match("*", "apps/Deployment"));
        assert!(!argo_match("*/*", "Pod"));
        assert!(argo_match("cert-manager.io/{Certificate,Issuer}", "cert-manager.io/Issuer"));
        assert!(argo_match("example.com/Wid?et", "example.com/Widget"));
        assert!(argo_match("example.com/[A-Z]*", "example.com/Widget"));
        assert!(!argo_match("example.com/[!W]*", "example.com/Widget"));
        assert!(path_match("*.crossplane.io/*", "pkg.crossplane.io/Provider"));
        assert!(!path_match("*", "apps/Deployment"));
        assert!(!path_match("*.upbound.io/*", "a.b/upbound.io/X"));
    }
}
