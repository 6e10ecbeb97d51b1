//! URL functions: sprig's `urlParse` and `urlJoin` (Go's `net/url` parsing and `URL.String`), and the
//! `url.QueryEscape` used by the `urlquery` builtin.

use std::collections::BTreeMap;

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;
use crate::gotmpl::lexer::go_quote;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Path,
    Host,
    UserPassword,
    QueryComponent,
    Fragment,
}

fn should_escape(c: u8, mode: Mode) -> bool {
    if c.is_ascii_alphanumeric() {
        return false;
    }
    if mode == Mode::Host
        && matches!(
            c,
            b'!' | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'"'
        )
    {
        return false;
    }
    match c {
        b'-' | b'_' | b'.' | b'~' => return false,
        b'$' | b'&' | b'+' | b',' | b'/' | b':' | b';' | b'=' | b'?' | b'@' => {
            return match mode {
                Mode::Path => c == b'?',
                Mode::UserPassword => matches!(c, b'@' | b'/' | b'?' | b':'),
                Mode::QueryComponent => true,
                Mode::Fragment => false,
                Mode::Host => true,
            };
        }
        _ => {}
    }
    if mode == Mode::Fragment && matches!(c, b'!' | b'(' | b')' | b'*') {
        return false;
    }
    true
}

fn escape(s: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b == b' ' && mode == Mode::QueryComponent {
            out.push('+');
        } else if should_escape(b, mode) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// `url.QueryEscape`.
pub(crate) fn query_escape(s: &str) -> String {
    escape(s, Mode::QueryComponent)
}

fn unescape(s: &str, mode: Mode) -> Result<String, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let ok = i + 2 < b.len()
                    && b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
                if !ok {
                    let end = (i + 3).min(b.len());
                    return Err(format!("invalid URL escape {}", go_quote(&String::from_utf8_lossy(&b[i..end]))));
                }
                let v = u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap_or(0);
                out.push(v);
                i += 3;
            }
            b'+' if mode == Mode::QueryComponent => {
                out.push(b' ');
                i += 1;
            }
            c => {
                if mode == Mode::Host && c < 0x80 && should_escape(c, mode) && c != b'%' {
                    return Err(format!("invalid character {} in host name", go_quote(&(c as char).to_string())));
                }
                out.push(c);
                i += 1;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The parts of a URL as `net/url` keeps them.
#[derive(Default)]
pub(crate) struct Url {
    scheme: String,
    opaque: String,
    user: Option<(String, Option<String>)>,
    host: String,
    path: String,
    force_query: bool,
    raw_query: String,
    fragment: String,
}

impl Url {
    fn user_string(&self) -> Option<String> {
        self.user.as_ref().map(|(u, p)| match p {
            Some(p) => format!("{}:{}", escape(u, Mode::UserPassword), escape(p, Mode::UserPassword)),
            None => escape(u, Mode::UserPassword),
        })
    }

    fn hostname(&self) -> String {
        let mut host = self.host.as_str();
        if let Some(colon) = host.rfind(':') {
            let port = &host[colon + 1..];
            if port.bytes().all(|b| b.is_ascii_digit()) {
                host = &host[..colon];
            }
        }
        if host.starts_with('[') && host.ends_with(']') && host.len() >= 2 {
            host = &host[1..host.len() - 1];
        }
        host.to_string()
    }

    /// `URL.String`.
    fn string(&self) -> String {
        let mut out = String::new();
        if !self.scheme.is_empty() {
            out.push_str(&self.scheme);
            out.push(':');
        }
        if !self.opaque.is_empty() {
            out.push_str(&self.opaque);
        } else {
            if !self.scheme.is_empty() || !self.host.is_empty() || self.user.is_some() {
                if !self.host.is_empty() || !self.path.is_empty() || self.user.is_some() {
                    out.push_str("//");
                }
                if let Some(u) = self.user_string() {
                    out.push_str(&u);
                    out.push('@');
                }
                out.push_str(&escape(&self.host, Mode::Host));
            }
            let path = if self.path == "*" { "*".to_string() } else { escape(&self.path, Mode::Path) };
            if !path.is_empty() && !path.starts_with('/') && !self.host.is_empty() {
                out.push('/');
            }
            if out.is_empty() && path.split('/').next().is_some_and(|seg| seg.contains(':')) {
                out.push_str("./");
            }
            out.push_str(&path);
        }
        if self.force_query || !self.raw_query.is_empty() {
            out.push('?');
            out.push_str(&self.raw_query);
        }
        if !self.fragment.is_empty() {
            out.push('#');
            out.push_str(&escape(&self.fragment, Mode::Fragment));
        }
        out
    }
}

/// `url.Parse`; the error is `*url.Error`'s text.
pub(crate) fn parse(raw: &str) -> Result<Url, String> {
    let (u, frag) = raw.split_once('#').unwrap_or((raw, ""));
    let mut url = parse_no_frag(u).map_err(|e| format!("parse {}: {e}", go_quote(u)))?;
    if !frag.is_empty() {
        url.fragment = unescape(frag, Mode::Fragment).map_err(|e| format!("parse {}: {e}", go_quote(raw)))?;
    }
    Ok(url)
}

fn parse_no_frag(raw: &str) -> Result<Url, String> {
    if raw.bytes().any(|b| b < 0x20 || b == 0x7f) {
        return Err("net/url: invalid control character in URL".into());
    }
    let mut url = Url::default();
    if raw == "*" {
        url.path = "*".into();
        return Ok(url);
    }
    let mut rest = raw;
    for (i, c) in raw.char_indices() {
        match c {
            'a'..='z' | 'A'..='Z' => {}
            '0'..='9' | '+' | '-' | '.' if i > 0 => {}
            '0'..='9' | '+' | '-' | '.' => break,
            ':' => {
                if i == 0 {
                    return Err("missing protocol scheme".into());
                }
                url.scheme = raw[..i].to_ascii_lowercase();
                rest = &raw[i + 1..];
                break;
            }
            _ => break,
        }
    }
    if rest.ends_with('?') && rest.matches('?').count() == 1 {
        url.force_query = true;
        rest = &rest[..rest.len() - 1];
    } else if let Some((r, q)) = rest.split_once('?') {
        url.raw_query = q.to_string();
        rest = r;
    }
    if !rest.starts_with('/') {
        if !url.scheme.is_empty() {
            url.opaque = rest.to_string();
            return Ok(url);
        }
        if rest.split('/').next().is_some_and(|seg| seg.contains(':')) {
            return Err("first path segment in URL cannot contain colon".into());
        }
    }
    if (!url.scheme.is_empty() || !rest.starts_with("///")) && rest.starts_with("//") {
        let mut authority = &rest[2..];
        rest = "";
        if let Some(i) = authority.find('/') {
            rest = &authority[i..];
            authority = &authority[..i];
        }
        let host = match authority.rfind('@') {
            Some(i) => {
                let ui = &authority[..i];
                url.user = Some(match ui.split_once(':') {
                    Some((u, p)) => (unescape(u, Mode::UserPassword)?, Some(unescape(p, Mode::UserPassword)?)),
                    None => (unescape(ui, Mode::UserPassword)?, None),
                });
                &authority[i + 1..]
            }
            None => authority,
        };
        url.host = unescape(host, Mode::Host)?;
    }
    url.path = unescape(rest, Mode::Path)?;
    Ok(url)
}

fn dict_get(d: &BTreeMap<String, Value>, key: &str) -> Result<String, String> {
    match d.get(key) {
        None => Ok(String::new()),
        Some(Value::Str(s)) => Ok(s.to_string()),
        Some(Value::Nil) => Err(super::NIL_DEREF.into()),
        Some(v) => Err(format!("unable to parse {key} key, must be of type string, but {} found", v.kind_name())),
    }
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "urlParse", &[Str], |a| {
        let u = parse(a[0].as_str().unwrap_or_default()).map_err(|e| format!("unable to parse url: {e}"))?;
        let mut m = BTreeMap::new();
        m.insert("scheme".to_string(), Value::str(u.scheme.as_str()));
        m.insert("host".to_string(), Value::str(u.host.as_str()));
        m.insert("hostname".to_string(), Value::str(u.hostname()));
        m.insert("path".to_string(), Value::str(u.path.as_str()));
        m.insert("query".to_string(), Value::str(u.raw_query.as_str()));
        m.insert("opaque".to_string(), Value::str(u.opaque.as_str()));
        m.insert("fragment".to_string(), Value::str(u.fragment.as_str()));
        m.insert("userinfo".to_string(), Value::str(u.user_string().unwrap_or_default()));
        Ok(Value::map(m))
    });
    add(r, "urlJoin", &[MapAny], |a| {
        let d = match &a[0] {
            Value::Map(m, _) => m.snapshot(),
            _ => BTreeMap::new(),
        };
        let mut u = Url {
            scheme: dict_get(&d, "scheme")?,
            host: dict_get(&d, "host")?,
            path: dict_get(&d, "path")?,
            raw_query: dict_get(&d, "query")?,
            opaque: dict_get(&d, "opaque")?,
            fragment: dict_get(&d, "fragment")?,
            ..Url::default()
        };
        let userinfo = dict_get(&d, "userinfo")?;
        if !userinfo.is_empty() {
            let t = parse(&format!("proto://{userinfo}@host"))
                .map_err(|e| format!("unable to parse userinfo in dict: {e}"))?;
            u.user = t.user;
        }
        Ok(Value::str(u.string()))
    });
}
