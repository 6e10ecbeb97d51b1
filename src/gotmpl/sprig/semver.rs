//! `semver` and `semverCompare`: Masterminds/semver v3 versions and constraints, parsed with the same
//! regular expressions as the Go library.

use std::cmp::Ordering;
use std::fmt;
use std::sync::{Arc, OnceLock};

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;

const SEMVER: &str =
    r"v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Res {
    version: ::regex::Regex,
    constraint: ::regex::Regex,
    range: ::regex::Regex,
    find: ::regex::Regex,
    valid: ::regex::Regex,
}

fn res() -> Option<&'static Res> {
    static R: OnceLock<Option<Res>> = OnceLock::new();
    R.get_or_init(|| {
        Some(Res {
            version: ::regex::Regex::new(&format!("^{SEMVER}$")).ok()?,
            constraint: ::regex::Regex::new(&format!(r"^\s*({OPS})\s*({CV})\s*$")).ok()?,
            range: ::regex::Regex::new(&format!(r"\s*({CV})\s+-\s+({CV})\s*")).ok()?,
            find: ::regex::Regex::new(&format!(r"({OPS})\s*({CV})")).ok()?,
            valid: ::regex::Regex::new(&format!(r"^(\s*({OPS})\s*({CV})\s*)((?:\s+|,\s*)({OPS})\s*({CV})\s*)*$"))
                .ok()?,
        })
    })
    .as_ref()
}

/// A parsed semantic version (`*semver.Version`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789";

fn only(s: &str, set: &str) -> bool {
    s.chars().all(|c| set.contains(c))
}

fn seg(s: &str) -> Result<u64, String> {
    s.parse::<u64>().map_err(|_| {
        format!(
            "Error parsing version segment: strconv.ParseUint: parsing {}: value out of range",
            crate::gotmpl::lexer::go_quote(s)
        )
    })
}

impl Version {
    /// `semver.NewVersion`.
    pub fn parse(v: &str) -> Result<Version, String> {
        let re = res().ok_or("semver regexes failed to compile")?;
        let m = re.version.captures(v).ok_or("Invalid Semantic Version")?;
        let g = |i: usize| m.get(i).map(|x| x.as_str()).unwrap_or("");
        let ver = Version {
            major: seg(g(1))?,
            minor: if g(2).is_empty() { 0 } else { seg(&g(2)[1..])? },
            patch: if g(3).is_empty() { 0 } else { seg(&g(3)[1..])? },
            pre: g(5).to_string(),
            metadata: g(8).to_string(),
            original: v.to_string(),
        };
        for p in ver.pre.split('.').filter(|_| !ver.pre.is_empty()) {
            if only(p, "0123456789") {
                if p.len() > 1 && p.starts_with('0') {
                    return Err("Version segment starts with 0".into());
                }
            } else if !only(p, ALLOWED) {
                return Err("Invalid Prerelease string".into());
            }
        }
        if !ver.metadata.is_empty() && !ver.metadata.split('.').all(|p| only(p, ALLOWED)) {
            return Err("Invalid Metadata string".into());
        }
        Ok(ver)
    }

    /// Major version.
    pub fn major(&self) -> u64 {
        self.major
    }
    /// Minor version.
    pub fn minor(&self) -> u64 {
        self.minor
    }
    /// Patch version.
    pub fn patch(&self) -> u64 {
        self.patch
    }
    /// Prerelease part.
    pub fn prerelease(&self) -> &str {
        &self.pre
    }
    /// Build metadata.
    pub fn metadata(&self) -> &str {
        &self.metadata
    }
    /// The string it was parsed from.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// `Version.Compare`.
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major.cmp(&o.major).then(self.minor.cmp(&o.minor)).then(self.patch.cmp(&o.patch)).then_with(|| {
            match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                _ => compare_prerelease(&self.pre, &o.pre),
            }
        })
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let sa: Vec<&str> = a.split('.').collect();
    let sb: Vec<&str> = b.split('.').collect();
    for i in 0..sa.len().max(sb.len()) {
        let d = compare_pre_part(sa.get(i).copied().unwrap_or(""), sb.get(i).copied().unwrap_or(""));
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (_, Err(_)) => Ordering::Less,
        (Err(_), _) => Ordering::Greater,
        (Ok(x), Ok(y)) => {
            if x > y {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

struct Constraint {
    con: Version,
    func: String,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn parse_constraint(c: &str, re: &Res) -> Result<Constraint, String> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::parse("0.0.0")?,
            func: String::new(),
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = re.constraint.captures(c).ok_or_else(|| format!("improper constraint: {c}"))?;
    let g = |i: usize| m.get(i).map(|x| x.as_str()).unwrap_or("");
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    let mut ver = g(2).to_string();
    if is_x(g(3)) || g(3).is_empty() {
        ver = format!("0.0.0{}", g(6));
        dirty = true;
    } else if is_x(g(4).trim_start_matches('.')) || g(4).is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{}.0.0{}", g(3), g(6));
    } else if is_x(g(5).trim_start_matches('.')) || g(5).is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{}{}.0{}", g(3), g(4), g(6));
    }
    let con = Version::parse(&ver).map_err(|_| "constraint Parser Error".to_string())?;
    Ok(Constraint { con, func: g(1).to_string(), minor_dirty, patch_dirty, dirty })
}

impl Constraint {
    fn check(&self, v: &Version) -> bool {
        let c = &self.con;
        let pre_blocked = !v.pre.is_empty() && c.pre.is_empty();
        match self.func.as_str() {
            "" | "=" => {
                if pre_blocked {
                    return false;
                }
                if self.dirty {
                    return self.tilde(v);
                }
                v.compare(c) == Ordering::Equal
            }
            "!=" => {
                if self.dirty {
                    if pre_blocked {
                        return false;
                    }
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v.compare(c) != Ordering::Equal
            }
            ">" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            "<" => !pre_blocked && v.compare(c) == Ordering::Less,
            ">=" | "=>" => !pre_blocked && v.compare(c) != Ordering::Less,
            "<=" | "=<" => {
                if pre_blocked {
                    return false;
                }
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            "~" | "~>" => !pre_blocked && self.tilde(v),
            "^" => {
                if pre_blocked || v.compare(c) == Ordering::Less {
                    return false;
                }
                if c.major > 0 || self.minor_dirty {
                    return v.major == c.major;
                }
                if v.major > 0 {
                    return false;
                }
                if c.minor > 0 || self.patch_dirty {
                    return v.minor == c.minor;
                }
                if v.minor > 0 {
                    return false;
                }
                c.patch == v.patch
            }
            _ => false,
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if !v.pre.is_empty() && c.pre.is_empty() {
            return false;
        }
        if v.compare(c) == Ordering::Less {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        !(v.minor != c.minor && !self.minor_dirty)
    }
}

/// `semver.NewConstraint(c).Check(v)`.
pub(crate) fn constraint_check(constraint: &str, version: &Version) -> Result<bool, String> {
    let re = res().ok_or("semver regexes failed to compile")?;
    // rewriteRange: "a - b" becomes ">= a, <= b".
    let mut c = constraint.to_string();
    let ranges: Vec<(String, String, String)> = re
        .range
        .captures_iter(constraint)
        .map(|m| {
            let g = |i: usize| m.get(i).map(|x| x.as_str().to_string()).unwrap_or_default();
            (g(0), g(1), g(11))
        })
        .collect();
    for (whole, a, b) in ranges {
        c = c.replacen(&whole, &format!(">= {a}, <= {b}"), 1);
    }
    let mut ors = vec![];
    for part in c.split("||") {
        if !re.valid.is_match(part) {
            return Err(format!("improper constraint: {part}"));
        }
        let mut found: Vec<&str> = re.find.find_iter(part).map(|m| m.as_str()).collect();
        if found.is_empty() {
            found.push(part);
        }
        let mut ands = vec![];
        for s in found {
            ands.push(parse_constraint(s, re)?);
        }
        ors.push(ands);
    }
    Ok(ors.iter().any(|ands| ands.iter().all(|c| c.check(version))))
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "semver", &[Str], |a| Ok(Value::Semver(Arc::new(Version::parse(a[0].as_str().unwrap_or_default())?))));
    add(r, "semverCompare", &[Str, Str], |a| {
        let c = a[0].as_str().unwrap_or_default();
        // NewConstraint is validated before the version is parsed, as in sprig.
        let re = res().ok_or("semver regexes failed to compile")?;
        let _ = re;
        let v = Version::parse(a[1].as_str().unwrap_or_default());
        match constraint_check(c, &Version::parse("0.0.0")?) {
            Err(e) => Err(e),
            Ok(_) => Ok(Value::Bool(constraint_check(c, &v?)?)),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_common_constraints() {
        let v = Version::parse("1.2.3").unwrap();
        assert!(constraint_check(">=1.0.0 <2.0.0", &v).unwrap());
        assert!(constraint_check("^1.2", &v).unwrap());
        assert!(!constraint_check("~1.3", &v).unwrap());
        assert!(constraint_check("1.0 - 1.5", &v).unwrap());
        assert!(constraint_check("<1.0 || >=1.2.3", &v).unwrap());
        assert!(Version::parse("1.2.beta").is_err());
    }
}
