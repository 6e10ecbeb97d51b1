//! Protections against hostile or runaway policies that regorus's time limit cannot catch:
//! recursive functions (Rego forbids recursion; regorus would overflow the stack) and ranges so
//! large that building them exhausts memory before the time limit is checked.

use super::PolicyError;
use regorus::unstable::{Module, Ref, Rule, RuleHead};
use regorus::{Engine, Value};
use std::collections::{BTreeMap, BTreeSet};

/// The most numbers `numbers.range` / `numbers.range_step` may produce.
pub const MAX_RANGE: u64 = 1_000_000;

fn range_len(start: i64, end: i64, step: i64) -> u64 {
    (start.abs_diff(end) / step.unsigned_abs().max(1)).saturating_add(1)
}

fn int_arg(name: &str, args: &[Value], i: usize) -> anyhow::Result<i64> {
    args.get(i).and_then(|v| v.as_i64().ok()).ok_or_else(|| anyhow::anyhow!("{name}: operands must be integers"))
}

fn build_range(name: &str, start: i64, end: i64, step: i64) -> anyhow::Result<Value> {
    let n = range_len(start, end, step);
    if n > MAX_RANGE {
        anyhow::bail!(
            "{name}({start}, {end}) would create {n} numbers; argovet stops policies at {MAX_RANGE} \
             (a huge comprehension would exhaust memory)"
        );
    }
    let dir = if end >= start { 1 } else { -1 };
    let step = step.abs().max(1) * dir;
    let mut out = Vec::with_capacity(n as usize);
    let mut x = start;
    while (dir > 0 && x <= end) || (dir < 0 && x >= end) {
        out.push(Value::from(x));
        match x.checked_add(step) {
            Some(next) => x = next,
            None => break,
        }
    }
    Ok(Value::from(out))
}

/// Replaces `numbers.range` and `numbers.range_step` with versions that refuse huge ranges.
pub fn install(engine: &mut Engine) -> Result<(), PolicyError> {
    let err = |e: anyhow::Error| PolicyError::Parse { file: "<engine>".into(), message: e.to_string() };
    engine
        .add_extension(
            "numbers.range".into(),
            2,
            Box::new(|args: Vec<Value>| {
                let a = int_arg("numbers.range", &args, 0)?;
                let b = int_arg("numbers.range", &args, 1)?;
                build_range("numbers.range", a, b, 1)
            }),
        )
        .map_err(err)?;
    engine
        .add_extension(
            "numbers.range_step".into(),
            3,
            Box::new(|args: Vec<Value>| {
                let a = int_arg("numbers.range_step", &args, 0)?;
                let b = int_arg("numbers.range_step", &args, 1)?;
                let s = int_arg("numbers.range_step", &args, 2)?;
                if s <= 0 {
                    anyhow::bail!("numbers.range_step: step must be a positive integer");
                }
                build_range("numbers.range_step", a, b, s)
            }),
        )
        .map_err(err)?;
    Ok(())
}

/// The deepest nesting of `[` and `{` (arrays, sets, objects, comprehensions) a policy may have.
/// regorus 0.14's parser tries each of them as a comprehension first and parses it again when it is
/// not one, so its time doubles with every level (16 levels: about a second unoptimised), and
/// thousands of levels overflow the stack; real policies, test inputs included, stay far below.
pub const MAX_BRACKET_NESTING: usize = 16;

/// The deepest nesting of brackets of any kind, parentheses included (regorus's own limit for
/// nested expressions).
pub const MAX_NESTING: usize = 32;

/// Refuses a policy nested deeper than [`MAX_BRACKET_NESTING`] / [`MAX_NESTING`], before the
/// parser sees it, naming the line and column of the first bracket too many.
pub fn check_nesting(file: &str, text: &str) -> Result<(), PolicyError> {
    let mut stack: Vec<u8> = Vec::new();
    let mut brackets = 0usize;
    let (mut line, mut col) = (1usize, 0usize);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        col += 1;
        match c {
            '\n' => {
                line += 1;
                col = 0;
            }
            '#' => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        col = 0;
                        break;
                    }
                }
            }
            '"' | '`' => {
                let quote = c;
                while let Some(c) = chars.next() {
                    col += 1;
                    if c == '\n' {
                        line += 1;
                        col = 0;
                        if quote == '"' {
                            break;
                        }
                    } else if c == '\\' && quote == '"' {
                        chars.next();
                        col += 1;
                    } else if c == quote {
                        break;
                    }
                }
            }
            '[' | '{' | '(' => {
                stack.push(c as u8);
                if c != '(' {
                    brackets += 1;
                }
                let too_deep = if brackets > MAX_BRACKET_NESTING {
                    Some(format!("`[` and `{{` nested more than {MAX_BRACKET_NESTING} deep"))
                } else if stack.len() > MAX_NESTING {
                    Some(format!("brackets nested more than {MAX_NESTING} deep"))
                } else {
                    None
                };
                if let Some(what) = too_deep {
                    return Err(PolicyError::Parse {
                        file: format!("{file}:{line}:{col}"),
                        message: format!(
                            "{what}; argovet refuses such policies (regorus's parser would take \
                             time exponential in the nesting, or overflow its stack). Split the value or \
                             expression into named parts (`x := ...` or helper rules)."
                        ),
                    });
                }
            }
            ']' | '}' | ')' => {
                if let Some(open) = stack.pop()
                    && open != b'('
                {
                    brackets = brackets.saturating_sub(1);
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Names called in `text` (`f(`, `lib.f(`), outside strings and comments.
fn calls(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut code = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut in_str, mut in_raw, mut in_comment) = (false, false, false);
    while let Some(c) = chars.next() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
                code.push('\n');
            }
        } else if in_str {
            if c == '\\' {
                chars.next();
            } else if c == '"' {
                in_str = false;
                code.push(' ');
            }
        } else if in_raw {
            if c == '`' {
                in_raw = false;
                code.push(' ');
            }
        } else {
            match c {
                '#' => in_comment = true,
                '"' => in_str = true,
                '`' => in_raw = true,
                _ => code.push(c),
            }
        }
    }
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'.') {
                i += 1;
            }
            let mut j = i;
            while j < bytes.len() && bytes[j] == b' ' {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'(' && (start == 0 || bytes[start - 1] != b'.') {
                out.insert(code[start..i].to_string());
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Refuses policies whose functions call themselves, directly or through other functions.
pub fn check_recursion(modules: &[Ref<Module>]) -> Result<(), PolicyError> {
    // "pkg.f" -> (file, line, callees resolved to "pkg.g")
    let mut graph: BTreeMap<String, (String, u32, BTreeSet<String>)> = BTreeMap::new();
    struct Function {
        full: String,
        file: String,
        line: u32,
        package: String,
        aliases: BTreeMap<String, String>,
        called: BTreeSet<String>,
    }
    let mut raw: Vec<Function> = Vec::new();
    for m in modules {
        let Ok(pkg) = regorus::utils::get_path_string(&m.package.refr, None) else { continue };
        let mut aliases = BTreeMap::new();
        for imp in &m.imports {
            let Ok(path) = regorus::utils::get_path_string(&imp.refr, None) else { continue };
            let Some(target) = path.strip_prefix("data.") else { continue };
            let alias = match &imp.r#as {
                Some(a) => a.text().to_string(),
                None => target.rsplit('.').next().unwrap_or(target).to_string(),
            };
            aliases.insert(alias, target.to_string());
        }
        for rule in &m.policy {
            let Rule::Spec { head: RuleHead::Func { refr, assign, .. }, span, bodies } = rule.as_ref() else {
                continue;
            };
            let Ok(name) = regorus::utils::get_path_string(refr, None) else { continue };
            // The head's own name is not a call: read only the value and the bodies.
            let mut called = BTreeSet::new();
            if let Some(a) = assign {
                called.extend(calls(a.value.span().text()));
            }
            for b in bodies {
                called.extend(calls(b.query.span.text()));
                if let Some(a) = &b.assign {
                    called.extend(calls(a.value.span().text()));
                }
            }
            raw.push(Function {
                full: format!("{pkg}.{name}"),
                file: span.source.get_path().clone(),
                line: span.line,
                package: pkg.clone(),
                aliases: aliases.clone(),
                called,
            });
        }
    }
    for f in &raw {
        graph.entry(f.full.clone()).or_insert_with(|| (f.file.clone(), f.line, BTreeSet::new()));
    }
    for Function { full, package: pkg, aliases, called, .. } in &raw {
        let mut resolved = BTreeSet::new();
        for c in called {
            let candidate = if let Some(rest) = c.strip_prefix("data.") {
                rest.to_string()
            } else if let Some((head, rest)) = c.split_once('.') {
                match aliases.get(head) {
                    Some(target) => format!("{target}.{rest}"),
                    None => continue,
                }
            } else {
                format!("{pkg}.{c}")
            };
            if graph.contains_key(&candidate) {
                resolved.insert(candidate);
            }
        }
        if let Some(entry) = graph.get_mut(full) {
            entry.2.extend(resolved);
        }
    }
    // Depth-first search for a cycle.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new(); // 1 = on the path, 2 = done
    fn visit<'a>(
        node: &'a str,
        graph: &'a BTreeMap<String, (String, u32, BTreeSet<String>)>,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let from = path.iter().position(|p| *p == node).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(node);
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node, 1);
        path.push(node);
        if let Some((_, _, callees)) = graph.get(node) {
            for c in callees {
                if let Some(cycle) = visit(c, graph, state, path) {
                    return Some(cycle);
                }
            }
        }
        path.pop();
        state.insert(node, 2);
        None
    }
    for node in graph.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(node, &graph, &mut state, &mut path) {
            let (file, line, _) = &graph[cycle[0]];
            return Err(PolicyError::Parse {
                file: file.clone(),
                message: format!(
                    "line {line}: recursive function: {} (Rego does not allow recursion; \
                     iterate with `walk` or a comprehension instead)",
                    cycle.iter().map(|c| format!("data.{c}")).collect::<Vec<_>>().join(" -> ")
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_limit_counts_brackets_outside_strings_and_comments() {
        let nested = |n: usize| format!("package main\n\nx := {}1{}\n", "[{\"k\": ".repeat(n / 2), "}]".repeat(n / 2));
        assert!(check_nesting("p.rego", &nested(MAX_BRACKET_NESTING)).is_ok());
        let err = check_nesting("p.rego", &nested(MAX_BRACKET_NESTING + 2)).unwrap_err().to_string();
        assert!(err.starts_with("p.rego:3:62: `[` and `{` nested more than 16 deep"), "{err}");
        // Brackets in strings, raw strings and comments are text.
        let quoted = format!(
            "package main\n# {}\nx := \"{}\\\"{}\"\ny := `{}`\n",
            "[".repeat(100),
            "{".repeat(100),
            "(".repeat(100),
            "[\n".repeat(100)
        );
        assert!(check_nesting("q.rego", &quoted).is_ok());
        // Parentheses count only towards the overall limit.
        let parens = format!("x := {}[1]{}", "(".repeat(MAX_NESTING - 1), ")".repeat(MAX_NESTING - 1));
        assert!(check_nesting("r.rego", &parens).is_ok());
        let err = check_nesting("r.rego", &format!("({parens})")).unwrap_err().to_string();
        assert!(err.starts_with("r.rego:1:38: brackets nested more than 32 deep"), "{err}");
    }

    #[test]
    fn finds_calls_outside_strings_and_comments() {
        let c = calls("f(x) := y if { y := lib.g(x) + count(\"h(\") } # k(1)\n z := `m(`");
        assert_eq!(c.into_iter().collect::<Vec<_>>(), vec!["count", "f", "lib.g"]);
    }

    #[test]
    fn range_lengths() {
        assert_eq!(range_len(1, 10, 1), 10);
        assert_eq!(range_len(10, 1, 1), 10);
        assert_eq!(range_len(0, 10, 3), 4);
        assert!(build_range("numbers.range", 1, 100_000_000, 1).is_err());
        assert_eq!(
            build_range("numbers.range", 3, 1, 1).unwrap(),
            Value::from(vec![Value::from(3), Value::from(2), Value::from(1)])
        );
    }
}
