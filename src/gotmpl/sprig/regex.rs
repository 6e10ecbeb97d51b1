//! sprig's regular expression functions on Go's RE2 syntax, run by the `regex` crate (also RE2
//! semantics). Perl classes are translated to Go's ASCII meaning, and empty matches right after a
//! previous match are skipped as Go does.

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;
use super::{int, s};

/// Compiles a Go regular expression; the error is Go's `error parsing regexp: ...` text.
pub(crate) fn compile(pattern: &str) -> Result<::regex::Regex, String> {
    let translated = translate(pattern);
    ::regex::RegexBuilder::new(&translated)
        .size_limit(1 << 22)
        .dfa_size_limit(1 << 22)
        .build()
        .map_err(|e| go_error(pattern, &e))
}

fn go_error(pattern: &str, e: &::regex::Error) -> String {
    let msg = e.to_string();
    let detail = if msg.contains("unclosed group") {
        format!("missing closing ): `{pattern}`")
    } else if msg.contains("unclosed character class") {
        let at = pattern.rfind('[').unwrap_or(0);
        format!("missing closing ]: `{}`", &pattern[at..])
    } else if msg.contains("unopened group") {
        format!("unexpected ): `{pattern}`")
    } else if msg.contains("repetition operator missing expression") {
        let op = pattern.chars().find(|c| matches!(c, '*' | '+' | '?')).unwrap_or('*');
        format!("missing argument to repetition operator: `{op}`")
    } else if msg.contains("incomplete escape") {
        "trailing backslash at end of expression: ``".to_string()
    } else {
        let last = msg.lines().last().unwrap_or("invalid syntax").trim();
        let last = last.strip_prefix("error: ").unwrap_or(last);
        format!("{last}: `{pattern}`")
    };
    format!("error parsing regexp: {detail}")
}

/// `regexp.MustCompile`'s panic text.
fn must_compile(pattern: &str) -> Result<::regex::Regex, String> {
    compile(pattern).map_err(|e| {
        let q = if pattern.contains('`') || pattern.chars().any(|c| c.is_control() && c != '\t') {
            crate::gotmpl::lexer::go_quote(pattern)
        } else {
            format!("`{pattern}`")
        };
        format!("regexp: Compile({q}): {e}")
    })
}

/// Rewrites Go-only meanings: `\d \w \s \b` are ASCII in Go.
fn translate(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 8);
    let mut in_class = false;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let Some(n) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let rep = match (n, in_class) {
                    ('d', false) => "[0-9]",
                    ('D', false) => "[^0-9]",
                    ('w', false) => "[0-9A-Za-z_]",
                    ('W', false) => "[^0-9A-Za-z_]",
                    ('s', false) => "[\\t\\n\\x0C\\r ]",
                    ('S', false) => "[^\\t\\n\\x0C\\r ]",
                    ('b', false) => "(?-u:\\b)",
                    ('B', false) => "(?-u:\\B)",
                    ('d', true) => "0-9",
                    ('w', true) => "0-9A-Za-z_",
                    ('s', true) => "\\t\\n\\x0C\\r ",
                    _ => "",
                };
                if rep.is_empty() {
                    out.push('\\');
                    out.push(n);
                } else {
                    out.push_str(rep);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push_str("\\]");
                    chars.next();
                }
            }
            '[' if in_class && chars.peek() == Some(&':') => {
                // POSIX class [:alpha:] inside a bracket expression.
                out.push('[');
                for d in chars.by_ref() {
                    out.push(d);
                    if d == ']' {
                        break;
                    }
                }
            }
            '[' if in_class => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class && chars.peek() == Some(&c) => {
                // Rust reads `&&`, `~~`, `--` as class set operations; Go reads literals.
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Go's `FindAllStringIndex(s, n)`.
pub(crate) fn find_all(re: &::regex::Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut prev_end: Option<usize> = None;
    for m in re.find_iter(s) {
        if n >= 0 && out.len() as i64 >= n {
            break;
        }
        if m.start() == m.end() && prev_end == Some(m.start()) {
            continue;
        }
        prev_end = Some(m.end());
        out.push((m.start(), m.end()));
    }
    out
}

fn replace_all(re: &::regex::Regex, s: &str, repl: &str, literal: bool) -> String {
    let mut out = String::new();
    let mut last = 0;
    let mut prev_end: Option<usize> = None;
    for caps in re.captures_iter(s) {
        let Some(m) = caps.get(0) else { continue };
        if m.start() == m.end() && prev_end == Some(m.start()) {
            continue;
        }
        prev_end = Some(m.end());
        out.push_str(&s[last..m.start()]);
        if literal {
            out.push_str(repl);
        } else {
            caps.expand(repl, &mut out);
        }
        last = m.end();
    }
    out.push_str(&s[last..]);
    out
}

fn split(re: &::regex::Regex, s: &str, n: i64) -> Vec<String> {
    if n == 0 {
        return vec![];
    }
    if !re.as_str().is_empty() && s.is_empty() {
        return vec![String::new()];
    }
    let matches = find_all(re, s, n);
    let mut out: Vec<String> = vec![];
    let (mut beg, mut end) = (0, 0);
    for (a, b) in matches {
        if n > 0 && out.len() as i64 == n - 1 {
            break;
        }
        end = a;
        if b != 0 {
            out.push(s[beg..end].to_string());
        }
        beg = b;
    }
    if end != s.len() {
        out.push(s[beg..].to_string());
    }
    out
}

/// Go's `regexp.QuoteMeta`.
fn quote_meta(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "regexMatch", &[Str, Str], |a| Ok(Value::Bool(compile(s(&a[0])).is_ok_and(|re| re.is_match(s(&a[1]))))));
    add(r, "mustRegexMatch", &[Str, Str], |a| Ok(Value::Bool(compile(s(&a[0]))?.is_match(s(&a[1])))));
    add(r, "regexFindAll", &[Str, Str, Int], |a| {
        let re = must_compile(s(&a[0]))?;
        Ok(find_all_strings(&re, s(&a[1]), int(&a[2])))
    });
    add(r, "mustRegexFindAll", &[Str, Str, Int], |a| {
        let re = compile(s(&a[0]))?;
        Ok(find_all_strings(&re, s(&a[1]), int(&a[2])))
    });
    add(r, "regexFind", &[Str, Str], |a| {
        let re = must_compile(s(&a[0]))?;
        Ok(Value::str(re.find(s(&a[1])).map(|m| m.as_str()).unwrap_or_default()))
    });
    add(r, "mustRegexFind", &[Str, Str], |a| {
        let re = compile(s(&a[0]))?;
        Ok(Value::str(re.find(s(&a[1])).map(|m| m.as_str()).unwrap_or_default()))
    });
    add(r, "regexReplaceAll", &[Str, Str, Str], |a| {
        Ok(Value::str(replace_all(&must_compile(s(&a[0]))?, s(&a[1]), s(&a[2]), false)))
    });
    add(r, "mustRegexReplaceAll", &[Str, Str, Str], |a| {
        Ok(Value::str(replace_all(&compile(s(&a[0]))?, s(&a[1]), s(&a[2]), false)))
    });
    add(r, "regexReplaceAllLiteral", &[Str, Str, Str], |a| {
        Ok(Value::str(replace_all(&must_compile(s(&a[0]))?, s(&a[1]), s(&a[2]), true)))
    });
    add(r, "mustRegexReplaceAllLiteral", &[Str, Str, Str], |a| {
        Ok(Value::str(replace_all(&compile(s(&a[0]))?, s(&a[1]), s(&a[2]), true)))
    });
    add(r, "regexSplit", &[Str, Str, Int], |a| {
        Ok(Value::str_list(split(&must_compile(s(&a[0]))?, s(&a[1]), int(&a[2]))))
    });
    add(r, "mustRegexSplit", &[Str, Str, Int], |a| {
        Ok(Value::str_list(split(&compile(s(&a[0]))?, s(&a[1]), int(&a[2]))))
    });
    add(r, "regexQuoteMeta", &[Str], |a| Ok(Value::str(quote_meta(s(&a[0])))));
}

fn find_all_strings(re: &::regex::Regex, s: &str, n: i64) -> Value {
    let m = find_all(re, s, n);
    if m.is_empty() {
        // Go returns a nil []string, printed `[]`.
        return Value::str_list(vec![]);
    }
    Value::str_list(m.into_iter().map(|(a, b)| s[a..b].to_string()).collect())
}
