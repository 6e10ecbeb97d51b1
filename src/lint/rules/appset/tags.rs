//! `{{ ... }}` tags in ApplicationSet template strings, and which template engine's syntax they use.
//!
//! Argo CD renders with fasttemplate (`{{name}}`, `{{path.basename}}`: a parameter name between the
//! braces, spaces around it trimmed) unless `goTemplate: true`, where each string is a Go
//! `text/template` (`{{ .name }}`, `{{ index .metadata.labels "env" }}`) with sprig's functions and
//! Argo CD's `normalize`, `slugify`, `toYaml`, `fromYaml`, `fromYamlArray`
//! (`applicationset/utils/utils.go`).

use crate::lint::util::escape_pointer;
use serde_json::Value;

/// One `{{ ... }}` tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'s> {
    /// The whole tag, braces included.
    pub text: &'s str,
    /// What is between the braces.
    pub inner: &'s str,
}

/// The tags of `s`, found the way fasttemplate finds them: each `{{` up to the next `}}`.
pub fn tags(s: &str) -> Vec<Tag<'_>> {
    let mut out = Vec::new();
    let mut rest = s;
    let mut base = 0;
    while let Some(open) = rest.find("{{") {
        let after = open + 2;
        let Some(close) = rest[after..].find("}}") else {
            break;
        };
        let end = after + close + 2;
        out.push(Tag { text: &s[base + open..base + end], inner: &rest[after..after + close] });
        base += end;
        rest = &rest[end..];
    }
    out
}

/// Go template keywords and the `text/template` builtin functions.
const GO_WORDS: &[&str] = &[
    "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil", "true", "false",
    "and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq",
    "ge", "gt", "le", "lt", "ne",
];

/// Argo CD's own template functions.
const ARGO_FUNCS: &[&str] = &["normalize", "slugify", "toYaml", "fromYaml", "fromYamlArray"];

/// sprig v3's function names (`functions.go`, `genericMap`).
const SPRIG_FUNCS: &[&str] = &[
    "abbrev",
    "abbrevboth",
    "add",
    "add1",
    "add1f",
    "addf",
    "adler32sum",
    "ago",
    "all",
    "any",
    "append",
    "atoi",
    "b32dec",
    "b32enc",
    "b64dec",
    "b64enc",
    "base",
    "bcrypt",
    "biggest",
    "buildCustomCert",
    "camelcase",
    "cat",
    "ceil",
    "chunk",
    "clean",
    "coalesce",
    "compact",
    "concat",
    "contains",
    "date",
    "dateInZone",
    "dateModify",
    "date_in_zone",
    "date_modify",
    "decryptAES",
    "deepCopy",
    "deepEqual",
    "default",
    "derivePassword",
    "dict",
    "dig",
    "dir",
    "div",
    "divf",
    "duration",
    "durationRound",
    "empty",
    "encryptAES",
    "ext",
    "fail",
    "first",
    "float64",
    "floor",
    "fromJson",
    "genCA",
    "genCAWithKey",
    "genPrivateKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
    "get",
    "has",
    "hasKey",
    "hasPrefix",
    "hasSuffix",
    "hello",
    "htmlDate",
    "htmlDateInZone",
    "htpasswd",
    "indent",
    "initial",
    "initials",
    "int",
    "int64",
    "isAbs",
    "join",
    "kebabcase",
    "keys",
    "kindIs",
    "kindOf",
    "last",
    "list",
    "lower",
    "max",
    "maxf",
    "merge",
    "mergeOverwrite",
    "min",
    "minf",
    "mod",
    "mul",
    "mulf",
    "mustAppend",
    "mustChunk",
    "mustCompact",
    "mustDateModify",
    "mustDeepCopy",
    "mustFirst",
    "mustFromJson",
    "mustHas",
    "mustInitial",
    "mustLast",
    "mustMerge",
    "mustMergeOverwrite",
    "mustPrepend",
    "mustRegexFind",
    "mustRegexFindAll",
    "mustRegexMatch",
    "mustRegexReplaceAll",
    "mustRegexReplaceAllLiteral",
    "mustRegexSplit",
    "mustRest",
    "mustReverse",
    "mustSlice",
    "mustToDate",
    "mustToJson",
    "mustToPrettyJson",
    "mustToRawJson",
    "mustUniq",
    "mustWithout",
    "must_date_modify",
    "nindent",
    "nospace",
    "now",
    "omit",
    "osBase",
    "osClean",
    "osDir",
    "osExt",
    "osIsAbs",
    "pick",
    "pluck",
    "plural",
    "prepend",
    "quote",
    "randAlpha",
    "randAlphaNum",
    "randAscii",
    "randBytes",
    "randInt",
    "randNumeric",
    "regexFind",
    "regexFindAll",
    "regexMatch",
    "regexQuoteMeta",
    "regexReplaceAll",
    "regexReplaceAllLiteral",
    "regexSplit",
    "repeat",
    "replace",
    "rest",
    "reverse",
    "round",
    "semver",
    "semverCompare",
    "seq",
    "set",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "shuffle",
    "slice",
    "snakecase",
    "sortAlpha",
    "split",
    "splitList",
    "splitn",
    "squote",
    "sub",
    "subf",
    "substr",
    "swapcase",
    "ternary",
    "title",
    "toDate",
    "toDecimal",
    "toJson",
    "toPrettyJson",
    "toRawJson",
    "toString",
    "toStrings",
    "trim",
    "trimAll",
    "trimPrefix",
    "trimSuffix",
    "trimall",
    "trunc",
    "tuple",
    "typeIs",
    "typeIsLike",
    "typeOf",
    "uniq",
    "unixEpoch",
    "unset",
    "until",
    "untilStep",
    "untitle",
    "upper",
    "urlJoin",
    "urlParse",
    "uuidv4",
    "values",
    "without",
    "wrap",
    "wrapWith",
];

/// Names a Go template can start an action with.
fn is_go_word(word: &str) -> bool {
    GO_WORDS.contains(&word) || ARGO_FUNCS.contains(&word) || SPRIG_FUNCS.contains(&word)
}

/// Names that make a valid action on their own (keywords, and functions that need no argument).
const STANDALONE: &[&str] =
    &["else", "end", "break", "continue", "nil", "true", "false", "now", "uuidv4", "list", "dict", "tuple", "hello"];

/// For a `goTemplate: true` set: the parameter path of a fasttemplate-style tag (`{{name}}`,
/// `{{ path.basename }}`), which Go reads as a call of an undefined function.
pub fn fasttemplate_param(inner: &str) -> Option<&str> {
    let mut s = inner;
    if let Some(rest) = s.strip_prefix('-').filter(|r| r.starts_with(char::is_whitespace)) {
        s = rest;
    }
    if let Some(rest) = s.strip_suffix('-').filter(|r| r.ends_with(char::is_whitespace)) {
        s = rest;
    }
    let s = s.trim();
    let first = s.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')) {
        return None;
    }
    let head = s.split('.').next().unwrap_or(s);
    if STANDALONE.contains(&head) {
        return None;
    }
    Some(s)
}

/// For a fasttemplate set: whether a tag is written in Go template syntax (`{{ .name }}`,
/// `{{ index .x "y" }}`, `{{ .a | upper }}`), which fasttemplate leaves in the output verbatim.
pub fn is_go_syntax(inner: &str) -> bool {
    let s = inner.trim();
    if s.is_empty() {
        return false;
    }
    if s.starts_with(['.', '$', '(', '"']) || s.contains('|') {
        return true;
    }
    if inner.starts_with("- ") || inner.ends_with(" -") {
        return true;
    }
    let mut words = s.split_whitespace();
    let first = words.next().unwrap_or("");
    words.next().is_some() && is_go_word(first) || ["end", "else"].contains(&s)
}

/// A Go rewrite of a fasttemplate parameter path: `.name`, or `index` for segments Go cannot write
/// as fields (`values.no-op` → `index .values "no-op"`).
pub fn go_form(path: &str) -> String {
    let segments: Vec<&str> = path.split('.').collect();
    if segments.iter().all(|s| !s.contains('-')) {
        return format!("{{{{ .{path} }}}}");
    }
    let plain = segments.iter().take_while(|s| !s.contains('-')).count();
    let base = if plain == 0 { ".".to_string() } else { format!(".{}", segments[..plain].join(".")) };
    let keys: Vec<String> = segments[plain..].iter().map(|s| format!("\"{s}\"")).collect();
    format!("{{{{ index {base} {} }}}}", keys.join(" "))
}

/// One templated string of an ApplicationSet.
#[derive(Debug)]
pub struct Templated<'v> {
    /// JSON pointer of the value (or of the map entry, for a key).
    pub pointer: String,
    /// The text.
    pub text: &'v str,
    /// Whether the text is a map key rather than a value.
    pub is_key: bool,
    /// Whether the text is inside a `helm` block (Helm's own `{{ }}` may be meant there).
    pub in_helm: bool,
}

/// Every string Argo CD renders with the set's template engine: `spec.template` (values and keys),
/// `spec.templatePatch`, each generator's own `template` and each generator's `values`.
pub fn templated_strings(spec: &Value) -> Vec<Templated<'_>> {
    let mut out = Vec::new();
    if let Some(t) = spec.get("template") {
        collect(t, "/spec/template".into(), false, &mut out);
    }
    if let Some(Value::String(p)) = spec.get("templatePatch") {
        out.push(Templated { pointer: "/spec/templatePatch".into(), text: p, is_key: false, in_helm: false });
    }
    if let Some(Value::Array(items)) = spec.get("generators") {
        generators(items, "/spec/generators", &mut out);
    }
    out
}

fn generators<'v>(items: &'v [Value], base: &str, out: &mut Vec<Templated<'v>>) {
    for (i, item) in items.iter().enumerate() {
        let Some(fields) = item.as_object() else {
            continue;
        };
        for (key, generator) in fields {
            let pointer = format!("{base}/{i}/{}", escape_pointer(key));
            for field in ["template", "values"] {
                if let Some(v) = generator.get(field) {
                    collect(v, format!("{pointer}/{field}"), false, out);
                }
            }
            if let Some(Value::Array(children)) = generator.get("generators") {
                generators(children, &format!("{pointer}/generators"), out);
            }
        }
    }
}

fn collect<'v>(value: &'v Value, pointer: String, in_helm: bool, out: &mut Vec<Templated<'v>>) {
    match value {
        Value::String(s) => out.push(Templated { pointer, text: s, is_key: false, in_helm }),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect(v, format!("{pointer}/{i}"), in_helm, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                let child = format!("{pointer}/{}", escape_pointer(k));
                if k.contains("{{") {
                    out.push(Templated { pointer: child.clone(), text: k, is_key: true, in_helm });
                }
                collect(v, child, in_helm || k == "helm", out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_like_fasttemplate() {
        let t = tags("{{a}}-{{ .b }}-{{ unclosed");
        assert_eq!(t, vec![Tag { text: "{{a}}", inner: "a" }, Tag { text: "{{ .b }}", inner: " .b " }]);
    }

    #[test]
    fn recognises_fasttemplate_params_in_go_sets() {
        assert_eq!(fasttemplate_param("name"), Some("name"));
        assert_eq!(fasttemplate_param(" path.basename "), Some("path.basename"));
        assert_eq!(fasttemplate_param("- values.no-op -"), Some("values.no-op"));
        assert_eq!(fasttemplate_param(" .name "), None);
        assert_eq!(fasttemplate_param("end"), None);
        assert_eq!(fasttemplate_param("now"), None);
        assert_eq!(fasttemplate_param("index .a \"b\""), None);
    }

    #[test]
    fn recognises_go_syntax_in_fasttemplate_sets() {
        assert!(is_go_syntax(" .name "));
        assert!(is_go_syntax("index .metadata.labels \"env\""));
        assert!(is_go_syntax(".path.basename | upper"));
        assert!(is_go_syntax("- .x -"));
        assert!(is_go_syntax("end"));
        assert!(!is_go_syntax("name"));
        assert!(!is_go_syntax(" path.basename "));
        assert!(!is_go_syntax(""));
    }

    #[test]
    fn rewrites_params_for_go() {
        assert_eq!(go_form("name"), "{{ .name }}");
        assert_eq!(go_form("values.no-op"), "{{ index .values \"no-op\" }}");
        assert_eq!(go_form("cluster-name"), "{{ index . \"cluster-name\" }}");
    }
}
