//! `regex.match` and `glob.match` with a compiled-pattern cache per thread.
//!
//! regorus caches compiled patterns in one process-wide LRU behind a mutex and hands out a clone
//! on every call; cloning a `regex::Regex` gives it a fresh matching cache, which is then built
//! from scratch for a single match. With rules such as `lib.is_production` calling `regex.match`
//! a few times per document, that was about a tenth of the instructions of `check` with the
//! built-in pack. These replacements keep each thread's compiled patterns (and their matching
//! caches) and answer exactly as regorus's builtins do in non-strict mode:
//! - a non-string argument or an invalid pattern makes the call undefined;
//! - a regular expression over regorus's size limit (100 KiB compiled) is an error that stops the
//!   evaluation, as regorus's resource-limit errors do;
//! - `glob.match` treats `/` as an ordinary character unless it is listed as a delimiter, turns the
//!   other delimiters into path separators (`:` into an ordinary character), and defaults to `.`
//!   when the list is empty, as regorus does.

use super::PolicyError;
use regorus::{Engine, Value};
use std::cell::RefCell;
use std::collections::HashMap;

/// regorus's limit on a compiled regular expression.
const REGEX_SIZE_LIMIT: usize = 100 * 1024;

/// Patterns kept per thread and function before the cache starts over.
const CACHE_SIZE: usize = 512;

thread_local! {
    static REGEXES: RefCell<HashMap<String, Option<regex::Regex>>> = RefCell::new(HashMap::new());
    static GLOBS: RefCell<HashMap<String, Option<globset::GlobMatcher>>> = RefCell::new(HashMap::new());
}

/// Looks `key` up in a per-thread cache, building (and keeping) it on a miss. `Ok(None)`: the
/// pattern is invalid.
fn cached<T: Clone, E>(
    cache: &'static std::thread::LocalKey<RefCell<HashMap<String, Option<T>>>>,
    key: &str,
    use_it: impl FnOnce(&T) -> bool,
    build: impl FnOnce(&str) -> Result<Option<T>, E>,
) -> Result<Option<bool>, E> {
    cache.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(entry) = c.get(key) {
            return Ok(entry.as_ref().map(use_it));
        }
        let built = build(key)?;
        let answer = built.as_ref().map(use_it);
        if c.len() >= CACHE_SIZE {
            c.clear();
        }
        c.insert(key.to_string(), built);
        Ok(answer)
    })
}

/// `regex.match(pattern, value)`.
pub fn regex_match(pattern: &Value, value: &Value) -> anyhow::Result<Value> {
    let (Value::String(pattern), Value::String(value)) = (pattern, value) else {
        return Ok(Value::Undefined);
    };
    let answer = cached(
        &REGEXES,
        pattern,
        |re| re.is_match(value),
        |p| match regex::RegexBuilder::new(p).size_limit(REGEX_SIZE_LIMIT).build() {
            Ok(re) => Ok(Some(re)),
            Err(regex::Error::CompiledTooBig(_)) => Err(anyhow::anyhow!(
                "regex.match: the pattern `{}` compiles to more than {REGEX_SIZE_LIMIT} bytes, the limit for \
                 policy regular expressions; use fewer or smaller repetitions (`{{n}}`) and alternatives",
                p.chars().take(80).collect::<String>()
            )),
            Err(_) => Ok(None),
        },
    )?;
    Ok(answer.map_or(Value::Undefined, Value::Bool))
}

/// The placeholder regorus puts in place of characters that must not act as separators.
const PLACEHOLDER: &str = "\0";

/// regorus's rewriting of a pattern or value for `glob.match` with explicit delimiters.
fn with_delimiters(s: &str, delimiters: &[char]) -> Option<String> {
    if s.contains(PLACEHOLDER) {
        return None;
    }
    let mut s = if delimiters.contains(&'/') { s.to_string() } else { s.replace('/', PLACEHOLDER) };
    for &d in delimiters {
        if d == ':' {
            s = s.replace(d, PLACEHOLDER);
        } else if d != '/' {
            s = s.replace(d, &format!("/{d}/"));
        }
    }
    Some(s)
}

/// `glob.match(pattern, delimiters, value)`.
pub fn glob_match(pattern: &Value, delimiters: &Value, value: &Value) -> anyhow::Result<Value> {
    let (Value::String(pattern), Value::String(value)) = (pattern, value) else {
        return Ok(Value::Undefined);
    };
    let (pattern, value) = match delimiters {
        Value::Null => (pattern.replace('/', PLACEHOLDER), value.replace('/', PLACEHOLDER)),
        Value::Array(items) => {
            let mut ds = Vec::with_capacity(items.len());
            for item in items.iter() {
                let Value::String(d) = item else { return Ok(Value::Undefined) };
                let mut chars = d.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => ds.push(c),
                    (None, _) => {}
                    (Some(_), Some(_)) => return Ok(Value::Undefined),
                }
            }
            if ds.is_empty() {
                ds.push('.');
            }
            match (with_delimiters(pattern, &ds), with_delimiters(value, &ds)) {
                (Some(p), Some(v)) => (p, v),
                _ => return Ok(Value::Undefined),
            }
        }
        _ => return Ok(Value::Undefined),
    };
    let answer = cached(
        &GLOBS,
        &pattern,
        |g| g.is_match(&value),
        |p| {
            let built = globset::GlobBuilder::new(p).literal_separator(true).build();
            Ok::<_, anyhow::Error>(built.ok().map(|g| g.compile_matcher()))
        },
    )?;
    Ok(answer.map_or(Value::Undefined, Value::Bool))
}

/// Installs both replacements on `engine`.
pub fn install(engine: &mut Engine) -> Result<(), PolicyError> {
    let err = |e: anyhow::Error| PolicyError::Parse { file: "<engine>".into(), message: e.to_string() };
    engine
        .add_extension(
            "regex.match".into(),
            2,
            Box::new(|args: Vec<Value>| match args.as_slice() {
                [p, v] => regex_match(p, v),
                _ => Ok(Value::Undefined),
            }),
        )
        .map_err(err)?;
    engine
        .add_extension(
            "glob.match".into(),
            3,
            Box::new(|args: Vec<Value>| match args.as_slice() {
                [p, d, v] => glob_match(p, d, v),
                _ => Ok(Value::Undefined),
            }),
        )
        .map_err(err)?;
    Ok(())
}

/// Installs both replacements in a bytecode-VM program, whose builtin table the interpreter's
/// extensions do not reach. regorus's VM turns a builtin's error into an undefined value unless it
/// is a resource-limit error, so the size-limit error becomes regorus's own `LimitError` there:
/// the VM stops, and the evaluation is retried on the interpreter, whose error names the pattern.
pub fn install_in_program(program: &mut regorus::rvm::program::Program) {
    for (info, builtin) in program.builtin_info_table.iter().zip(program.resolved_builtins.iter_mut()) {
        match info.name.as_str() {
            "regex.match" => {
                builtin.0 = |_, _, args, _| match args {
                    [p, v] => regex_match(p, v).map_err(|_| {
                        anyhow::Error::new(regorus::LimitError::RegexSizeLimitExceeded { limit: REGEX_SIZE_LIMIT })
                    }),
                    _ => Ok(Value::Undefined),
                }
            }
            "glob.match" => {
                builtin.0 = |_, _, args, _| match args {
                    [p, d, v] => glob_match(p, d, v),
                    _ => Ok(Value::Undefined),
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Evaluates `expr` on an engine with regorus's own builtins and on one with these replacements.
    fn both(expr: &str) -> (String, String) {
        let eval = |fast: bool| {
            let mut e = Engine::new();
            e.set_strict_builtin_errors(false);
            if fast {
                install(&mut e).unwrap();
            }
            e.add_policy("t.rego".into(), format!("package t\nx := {expr}\ny := [v | v := x]\n")).unwrap();
            match e.eval_rule("data.t.y".into()) {
                Ok(v) => v.to_json_str().unwrap(),
                Err(err) => format!("error: {}", err.to_string().contains("limit")),
            }
        };
        (eval(false), eval(true))
    }

    /// Evaluates `expr` on regorus's bytecode VM, with its own builtins and with these replacements.
    fn both_on_vm(expr: &str) -> (String, String) {
        let eval = |fast: bool| {
            let mut e = Engine::new();
            // (`[v | v := x]` would not do: regorus 0.14's VM puts an undefined `x` in the array.)
            e.add_policy("t.rego".into(), format!("package t\ny := [x] if x := {expr}\n")).unwrap();
            let policy = e.compile_with_entrypoint(&"data.t.y".into()).unwrap();
            let mut program =
                regorus::languages::rego::compiler::Compiler::compile_from_policy(&policy, &["data.t.y"]).unwrap();
            if fast {
                install_in_program(std::sync::Arc::get_mut(&mut program).unwrap());
            }
            let mut vm = regorus::rvm::RegoVM::new();
            vm.load_program(program);
            vm.set_strict_builtin_errors(false);
            match vm.execute_entry_point_by_index(0) {
                Ok(Value::Undefined) => "[]".to_string(),
                Ok(v) => v.to_json_str().unwrap(),
                Err(err) => format!("error: {}", err.to_string().contains("limit")),
            }
        };
        (eval(false), eval(true))
    }

    #[test]
    fn answers_as_regorus_does() {
        let cases = [
            r#"regex.match("^prod", "production")"#,
            r#"regex.match("^prod$", "production")"#,
            r#"regex.match("(^|[-_.])(prod|prd)($|[-_.])", "team-prd")"#,
            r#"regex.match("[", "x")"#,
            r#"regex.match(1, "x")"#,
            r#"regex.match("x", 1)"#,
            r#"regex.match("é+", "café")"#,
            r#"regex.match("(?i)PROD", "prod")"#,
            r#"regex.match("a{1000}{1000}", "a")"#,
            r#"glob.match("*.example.com", null, "a.example.com")"#,
            r#"glob.match("*.example.com", null, "a/b.example.com")"#,
            r#"glob.match("*.example.com", [], "a.b.example.com")"#,
            r#"glob.match("*.example.com", ["."], "a.b.example.com")"#,
            r#"glob.match("*/x", ["/"], "a/b/x")"#,
            r#"glob.match("**/x", ["/"], "a/b/x")"#,
            r#"glob.match("a:*", [":"], "a:b:c")"#,
            r#"glob.match("https://github.com/org/*", null, "https://github.com/org/repo")"#,
            r#"glob.match("team-*", null, "team-a")"#,
            r#"glob.match("[", null, "x")"#,
            r#"glob.match("x", "y", "x")"#,
            r#"glob.match("x", ["ab"], "x")"#,
            r#"glob.match("x", [1], "x")"#,
            r#"glob.match(1, null, "x")"#,
            r#"glob.match("{a,b}", null, "b")"#,
            r#"glob.match("?", null, "é")"#,
            r#"glob.match("a-*", ["-"], "a-b")"#,
        ];
        let mut seen = std::collections::BTreeSet::new();
        for c in cases {
            let (slow, fast) = both(c);
            assert_eq!(slow, fast, "{c}");
            let (slow_vm, fast_vm) = both_on_vm(c);
            assert_eq!(slow_vm, fast_vm, "{c} on the VM");
            assert_eq!(fast_vm, fast, "{c}: VM and interpreter");
            seen.insert(fast);
        }
        // True, false, undefined and the size-limit error all occur.
        let seen: Vec<&str> = seen.iter().map(String::as_str).collect();
        assert_eq!(seen, ["[\n  false\n]", "[\n  true\n]", "[]", "error: true"], "{seen:?}");
    }

    #[test]
    fn cache_starts_over_when_full_and_keeps_answering() {
        for i in 0..CACHE_SIZE * 2 + 3 {
            let p = Value::from(format!("^x{i}$"));
            assert_eq!(regex_match(&p, &Value::from(format!("x{i}"))).unwrap(), Value::Bool(true));
        }
        REGEXES.with(|c| assert!(c.borrow().len() <= CACHE_SIZE));
    }
}
