//! sprig's string functions (`strings.go`, goutils and xstrings helpers).

use super::super::funcs::{Registry, Ty, add, addv, check_size};
use super::super::value::Value;
use super::{go_lower, go_title, go_upper, is_punct, strval};
use super::{int, s};
use crate::gotmpl::format;

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "hello", &[], |_| Ok(Value::str("Hello!")));
    add(r, "abbrev", &[Int, Str], |a| Ok(Value::str(abbrev(int(&a[0]), s(&a[1])))));
    add(r, "abbrevboth", &[Int, Int, Str], |a| Ok(Value::str(abbrevboth(int(&a[0]), int(&a[1]), s(&a[2])))));
    add(r, "trunc", &[Int, Str], |a| Ok(Value::str(trunc(int(&a[0]), s(&a[1])))));
    add(r, "trim", &[Str], |a| Ok(Value::str(s(&a[0]).trim_matches(char::is_whitespace))));
    add(r, "upper", &[Str], |a| Ok(Value::str(s(&a[0]).chars().map(go_upper).collect::<String>())));
    add(r, "lower", &[Str], |a| Ok(Value::str(s(&a[0]).chars().map(go_lower).collect::<String>())));
    add(r, "title", &[Str], |a| Ok(Value::str(title(s(&a[0])))));
    add(r, "untitle", &[Str], |a| Ok(Value::str(untitle(s(&a[0])))));
    add(r, "substr", &[Int, Int, Str], |a| substr(int(&a[0]), int(&a[1]), s(&a[2])).map(Value::str));
    add(r, "repeat", &[Int, Str], |a| {
        let n = int(&a[0]);
        if n < 0 {
            return Err("strings: negative Repeat count".into());
        }
        check_size((n as usize).saturating_mul(s(&a[1]).len()))?;
        Ok(Value::str(s(&a[1]).repeat(n as usize)))
    });
    add(r, "trimall", &[Str, Str], |a| Ok(Value::str(trim_set(s(&a[1]), s(&a[0])))));
    add(r, "trimAll", &[Str, Str], |a| Ok(Value::str(trim_set(s(&a[1]), s(&a[0])))));
    add(r, "trimSuffix", &[Str, Str], |a| Ok(Value::str(s(&a[1]).strip_suffix(s(&a[0])).unwrap_or(s(&a[1])))));
    add(r, "trimPrefix", &[Str, Str], |a| Ok(Value::str(s(&a[1]).strip_prefix(s(&a[0])).unwrap_or(s(&a[1])))));
    add(r, "nospace", &[Str], |a| Ok(Value::str(nospace(s(&a[0])))));
    add(r, "initials", &[Str], |a| Ok(Value::str(initials(s(&a[0])))));
    add(r, "randAlphaNum", &[Int], |a| {
        rand_from(int(&a[0]), b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    });
    add(r, "randAlpha", &[Int], |a| rand_from(int(&a[0]), b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
    add(r, "randNumeric", &[Int], |a| rand_from(int(&a[0]), b"0123456789"));
    add(r, "randAscii", &[Int], |a| {
        let set: Vec<u8> = (32u8..127).collect();
        rand_from(int(&a[0]), &set)
    });
    add(r, "swapcase", &[Str], |a| Ok(Value::str(swapcase(s(&a[0])))));
    add(r, "shuffle", &[Str], |a| {
        let mut runes: Vec<char> = s(&a[0]).chars().collect();
        for i in (1..runes.len()).rev() {
            let j = super::crypto::rand_below(i as u64 + 1) as usize;
            runes.swap(i, j);
        }
        Ok(Value::str(runes.into_iter().collect::<String>()))
    });
    add(r, "snakecase", &[Str], |a| Ok(Value::str(camel_to_lower(s(&a[0]), '_'))));
    add(r, "kebabcase", &[Str], |a| Ok(Value::str(camel_to_lower(s(&a[0]), '-'))));
    add(r, "camelcase", &[Str], |a| Ok(Value::str(pascal_case(s(&a[0])))));
    add(r, "wrap", &[Int, Str], |a| Ok(Value::str(wrap_custom(s(&a[1]), int(&a[0]), "", false))));
    add(r, "wrapWith", &[Int, Str, Str], |a| Ok(Value::str(wrap_custom(s(&a[2]), int(&a[0]), s(&a[1]), true))));
    add(r, "contains", &[Str, Str], |a| Ok(Value::Bool(s(&a[1]).contains(s(&a[0])))));
    add(r, "hasPrefix", &[Str, Str], |a| Ok(Value::Bool(s(&a[1]).starts_with(s(&a[0])))));
    add(r, "hasSuffix", &[Str, Str], |a| Ok(Value::Bool(s(&a[1]).ends_with(s(&a[0])))));
    addv(r, "quote", &[], Any, |a| {
        let out: Vec<String> =
            a.iter().filter(|v| !v.is_nil()).map(|v| crate::gotmpl::lexer::go_quote(&strval(v))).collect();
        Ok(Value::str(out.join(" ")))
    });
    addv(r, "squote", &[], Any, |a| {
        let out: Vec<String> =
            a.iter().filter(|v| !v.is_nil()).map(|v| format!("'{}'", format::to_string(v))).collect();
        Ok(Value::str(out.join(" ")))
    });
    addv(r, "cat", &[], Any, |a| {
        let out: Vec<String> = a.iter().filter(|v| !v.is_nil()).map(format::to_string).collect();
        Ok(Value::str(out.join(" ")))
    });
    add(r, "indent", &[Int, Str], |a| indent(int(&a[0]), s(&a[1])).map(Value::str));
    add(r, "nindent", &[Int, Str], |a| indent(int(&a[0]), s(&a[1])).map(|x| Value::str(format!("\n{x}"))));
    add(r, "replace", &[Str, Str, Str], |a| Ok(Value::str(go_replace(s(&a[2]), s(&a[0]), s(&a[1])))));
    add(r, "plural", &[Str, Str, Int], |a| Ok(a[if int(&a[2]) == 1 { 0 } else { 1 }].clone()));
    add(r, "split", &[Str, Str], |a| Ok(parts_map(go_split(s(&a[1]), s(&a[0]), -1))));
    add(r, "splitList", &[Str, Str], |a| Ok(Value::str_list(go_split(s(&a[1]), s(&a[0]), -1))));
    add(r, "splitn", &[Str, Int, Str], |a| Ok(parts_map(go_split(s(&a[2]), s(&a[0]), int(&a[1])))));
}

fn parts_map(parts: Vec<String>) -> Value {
    let m = parts.into_iter().enumerate().map(|(i, p)| (format!("_{i}"), Value::str(p))).collect();
    Value::Map(crate::gotmpl::value::GoMap::new(m), crate::gotmpl::value::Elem::Str)
}

/// Go's `strings.Replace(s, old, new, -1)` (an empty `old` inserts `new` around every rune).
pub(crate) fn go_replace(s: &str, old: &str, new: &str) -> String {
    if old.is_empty() {
        let mut out = String::from(new);
        for c in s.chars() {
            out.push(c);
            out.push_str(new);
        }
        return out;
    }
    s.replace(old, new)
}

/// Go's `strings.SplitN` (n < 0: all; n == 0: none; empty separator splits into runes).
pub(crate) fn go_split(s: &str, sep: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return vec![];
    }
    if sep.is_empty() {
        let chars: Vec<String> = s.chars().map(String::from).collect();
        if n < 0 || chars.len() as i64 <= n {
            return chars;
        }
        let n = n as usize;
        let mut out: Vec<String> = chars[..n - 1].to_vec();
        out.push(s.chars().skip(n - 1).collect());
        return out;
    }
    if n < 0 {
        return s.split(sep).map(String::from).collect();
    }
    s.splitn(n as usize, sep).map(String::from).collect()
}

fn trim_set(s: &str, cutset: &str) -> String {
    s.trim_matches(|c| cutset.contains(c)).to_string()
}

fn byte_slice(s: &str, a: usize, b: usize) -> String {
    String::from_utf8_lossy(&s.as_bytes()[a..b]).into_owned()
}

fn trunc(c: i64, s: &str) -> String {
    let n = s.len() as i64;
    if c < 0 && n + c > 0 {
        return byte_slice(s, (n + c) as usize, s.len());
    }
    if c >= 0 && n > c {
        return byte_slice(s, 0, c as usize);
    }
    s.to_string()
}

fn substr(start: i64, end: i64, s: &str) -> Result<String, String> {
    let n = s.len() as i64;
    if start < 0 {
        if end < 0 {
            return Err(format!("runtime error: slice bounds out of range [:{end}]"));
        }
        if end > n {
            return Err(format!("runtime error: slice bounds out of range [:{end}] with length {n}"));
        }
        return Ok(byte_slice(s, 0, end as usize));
    }
    if end < 0 || end > n {
        if start > n {
            return Err(format!("runtime error: slice bounds out of range [{start}:{n}]"));
        }
        return Ok(byte_slice(s, start as usize, s.len()));
    }
    if start > end {
        return Err(format!("runtime error: slice bounds out of range [{start}:{end}]"));
    }
    Ok(byte_slice(s, start as usize, end as usize))
}

fn abbrev(width: i64, s: &str) -> String {
    if width < 4 {
        return s.to_string();
    }
    abbreviate_full(s, 0, width).unwrap_or_default()
}

fn abbrevboth(left: i64, right: i64, s: &str) -> String {
    if right < 4 || left > 0 && right < 7 {
        return s.to_string();
    }
    abbreviate_full(s, left, right).unwrap_or_default()
}

/// goutils `AbbreviateFull` (byte-based, like the Go original).
fn abbreviate_full(s: &str, mut offset: i64, max: i64) -> Option<String> {
    if s.is_empty() {
        return Some(String::new());
    }
    if max < 4 {
        return None;
    }
    let n = s.len() as i64;
    if n <= max {
        return Some(s.to_string());
    }
    if offset > n {
        offset = n;
    }
    if n - offset < max - 3 {
        offset = n - (max - 3);
    }
    if offset <= 4 {
        return Some(byte_slice(s, 0, (max - 3) as usize) + "...");
    }
    if max < 7 {
        return None;
    }
    if offset + max - 3 < n {
        let rest = byte_slice(s, offset as usize, s.len());
        return abbreviate_full(&rest, 0, max - 3).map(|a| format!("...{a}"));
    }
    Some(format!("...{}", byte_slice(s, (n - (max - 3)) as usize, s.len())))
}

/// Go's deprecated `strings.Title`.
fn title(s: &str) -> String {
    fn is_sep(c: char) -> bool {
        if (c as u32) <= 0x7F {
            return !(c.is_ascii_alphanumeric() || c == '_');
        }
        if c.is_alphabetic() || c.is_numeric() {
            return false;
        }
        c.is_whitespace()
    }
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_sep(prev) { go_title(c) } else { c };
            prev = c;
            out
        })
        .collect()
}

/// goutils `Uncapitalize`: lower-cases the first letter of each whitespace-separated word.
fn untitle(s: &str) -> String {
    let mut next = true;
    s.chars()
        .map(|c| {
            if c.is_whitespace() {
                next = true;
                c
            } else if next {
                next = false;
                go_lower(c)
            } else {
                c
            }
        })
        .collect()
}

/// goutils `DeleteWhiteSpace`, which walks bytes (non-ASCII text is re-encoded byte by byte, as in Go).
fn nospace(s: &str) -> String {
    let kept: Vec<char> = s.bytes().map(|b| b as char).filter(|c| !go_is_space_latin1(*c)).collect();
    if kept.len() == s.len() {
        return s.to_string();
    }
    kept.into_iter().collect()
}

fn go_is_space_latin1(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
}

/// goutils `Initials` (byte-based).
fn initials(s: &str) -> String {
    let mut out = String::new();
    let mut gap = true;
    for b in s.bytes() {
        let c = b as char;
        if go_is_space_latin1(c) {
            gap = true;
        } else if gap {
            out.push(c);
            gap = false;
        }
    }
    out
}

/// goutils `SwapCase`.
fn swapcase(s: &str) -> String {
    let mut ws = true;
    s.chars()
        .map(|c| {
            if c.is_uppercase() {
                ws = false;
                go_lower(c)
            } else if c.is_lowercase() {
                if ws {
                    ws = false;
                    go_title(c)
                } else {
                    go_upper(c)
                }
            } else {
                ws = c.is_whitespace();
                c
            }
        })
        .collect()
}

fn indent(n: i64, s: &str) -> Result<String, String> {
    if n < 0 {
        return Err("strings: negative Repeat count".into());
    }
    check_size((n as usize).saturating_mul(s.matches('\n').count() + 1).saturating_add(s.len()))?;
    let pad = " ".repeat(n as usize);
    Ok(format!("{pad}{}", s.replace('\n', &format!("\n{pad}"))))
}

fn rand_from(count: i64, set: &[u8]) -> Result<Value, String> {
    if count < 0 {
        return Err(format!("Requested random string length {count} is less than 0."));
    }
    check_size(count as usize)?;
    let s: String = (0..count).map(|_| set[super::crypto::rand_below(set.len() as u64) as usize] as char).collect();
    Ok(Value::str(s))
}

/// goutils `WrapCustom` (byte offsets, as in Go).
fn wrap_custom(s: &str, len: i64, nl: &str, long_words: bool) -> String {
    if s.is_empty() {
        return String::new();
    }
    let nl = if nl.is_empty() { "\n" } else { nl };
    let wl = len.max(1) as usize;
    let b = s.as_bytes();
    let n = b.len();
    let mut off = 0usize;
    let mut out: Vec<u8> = Vec::new();
    while n - off > wl {
        if b[off] == b' ' {
            off += 1;
            continue;
        }
        let end = wl + off + 1;
        let space = b[off..end].iter().rposition(|&c| c == b' ');
        if let Some(sp) = space {
            let at = sp + off;
            out.extend_from_slice(&b[off..at]);
            out.extend_from_slice(nl.as_bytes());
            off = at + 1;
        } else if long_words {
            let end = wl + off;
            out.extend_from_slice(&b[off..end]);
            out.extend_from_slice(nl.as_bytes());
            off += wl;
        } else {
            let end = wl + off;
            match b[end..].iter().position(|&c| c == b' ') {
                None => {
                    out.extend_from_slice(&b[off..]);
                    off = n;
                }
                Some(i) => {
                    let at = i + end;
                    out.extend_from_slice(&b[off..at]);
                    out.extend_from_slice(nl.as_bytes());
                    off = at + 1;
                }
            }
        }
    }
    out.extend_from_slice(&b[off..]);
    String::from_utf8_lossy(&out).into_owned()
}

fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || c.is_whitespace()
}

/// xstrings' `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !c.is_alphabetic() {
        return false;
    }
    let u = c as u32;
    !((0x4E00..=0x9FCC).contains(&u) || (0x3400..=0x4D85).contains(&u) || (0x20000..=0x2B81D).contains(&u))
}

/// xstrings `ToPascalCase` (sprig 3.3's `camelcase`): connectors dropped, the next rune upper-cased,
/// other runes keep their case.
fn pascal_case(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    let mut r0 = '\0';
    let mut found = false;
    for c in chars.by_ref() {
        if !is_connector(c) {
            r0 = go_upper(c);
            found = true;
            break;
        }
        out.push(c);
    }
    let rest: Vec<char> = chars.collect();
    if rest.is_empty() {
        if found {
            out.push(r0);
        }
        return out;
    }
    for c in rest {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            r0 = go_upper(r0);
        } else {
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alpha,
    Connector,
    Punct,
    Other,
}

/// xstrings `nextWord`: classifies and splits off the next word.
fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let mut it = s.char_indices().peekable();
    let (_, r) = match it.next() {
        Some(x) => x,
        None => return (Word::Invalid, "", ""),
    };
    let first_len = r.len_utf8();
    let take_while = |start: usize, pred: &dyn Fn(char) -> bool| -> usize {
        let mut end = start;
        for c in s[start..].chars() {
            if !pred(c) {
                break;
            }
            end += c.len_utf8();
        }
        end
    };
    let (wt, end) = if is_connector(r) {
        (Word::Connector, take_while(first_len, &is_connector))
    } else if is_punct(r) {
        (Word::Punct, take_while(first_len, &is_punct))
    } else if r.is_uppercase() {
        let mut end = first_len;
        match s[first_len..].chars().next() {
            None => {}
            Some(n) if n.is_uppercase() => {
                let mut prev = n.len_utf8();
                end += prev;
                let mut stop = None;
                for c in s[end..].chars() {
                    if !c.is_uppercase() {
                        stop = Some(c);
                        break;
                    }
                    prev = c.len_utf8();
                    end += prev;
                }
                if let Some(c) = stop
                    && is_alphabet(c)
                {
                    end -= prev;
                }
            }
            Some(n) if is_alphabet(n) => {
                end = take_while(first_len, &|c| is_alphabet(c) && !c.is_uppercase());
            }
            Some(_) => {}
        }
        (Word::Upper, end)
    } else if is_alphabet(r) {
        (Word::Alpha, take_while(first_len, &|c| is_alphabet(c) && !c.is_uppercase()))
    } else if r.is_numeric() {
        (Word::Number, take_while(first_len, &|c: char| c.is_numeric()))
    } else {
        (
            Word::Other,
            take_while(first_len, &|c: char| !(is_connector(c) || is_alphabet(c) || c.is_numeric() || is_punct(c))),
        )
    };
    (wt, &s[..end], &s[end..])
}

fn to_lower_word(out: &mut String, wt: Word, w: &str, conn: char) {
    if wt != Word::Upper && wt != Word::Connector {
        out.push_str(w);
        return;
    }
    for c in w.chars() {
        if is_connector(c) {
            out.push(conn);
        } else if c.is_uppercase() {
            out.push(go_lower(c));
        } else {
            out.push(c);
        }
    }
}

/// xstrings `camelCaseToLowerCase` (snakecase, kebabcase).
fn camel_to_lower(s: &str, conn: char) -> String {
    if s.is_empty() {
        return String::new();
    }
    let mut out = String::new();
    let (mut wt, mut word, mut rem) = next_word(s);
    while !rem.is_empty() {
        if wt != Word::Connector {
            to_lower_word(&mut out, wt, word, conn);
        }
        let prev = wt;
        let last = word;
        (wt, word, rem) = next_word(rem);
        match prev {
            Word::Number => {
                while wt == Word::Alpha || wt == Word::Number {
                    to_lower_word(&mut out, wt, word, conn);
                    (wt, word, rem) = next_word(rem);
                }
                if wt != Word::Invalid && wt != Word::Punct && wt != Word::Connector {
                    out.push(conn);
                }
            }
            Word::Connector => to_lower_word(&mut out, prev, last, conn),
            Word::Punct => {}
            _ => {
                if wt != Word::Number {
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(conn);
                    }
                    continue;
                }
                if rem.is_empty() {
                    continue;
                }
                let last = word;
                (wt, word, rem) = next_word(rem);
                if wt != Word::Alpha {
                    to_lower_word(&mut out, Word::Number, last, conn);
                    if wt != Word::Connector && wt != Word::Punct {
                        out.push(conn);
                    }
                    continue;
                }
                out.push(conn);
                to_lower_word(&mut out, Word::Number, last, conn);
                while wt == Word::Alpha || wt == Word::Number {
                    to_lower_word(&mut out, wt, word, conn);
                    (wt, word, rem) = next_word(rem);
                }
                if wt != Word::Invalid && wt != Word::Connector && wt != Word::Punct {
                    out.push(conn);
                }
            }
        }
    }
    to_lower_word(&mut out, wt, word, conn);
    out
}
