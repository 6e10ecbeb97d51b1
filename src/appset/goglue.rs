//! goTemplate rendering glue over the crate's Go template engine.

use super::params::Params;
use crate::gotmpl;
use std::sync::Arc;

/// A parsed Go template string with its `goTemplateOptions` (parsed once, shared by every
/// parameter set).
#[derive(Debug, Clone)]
pub struct GoTemplate {
    src: String,
    template: Arc<gotmpl::Template>,
    options: gotmpl::Options,
}

impl GoTemplate {
    /// Parses `src` with the ApplicationSet's options; the message is Argo CD's.
    pub fn parse(src: &str, options: &[String]) -> Result<GoTemplate, String> {
        let mut opts = gotmpl::Options::default();
        for o in options {
            opts.apply(o).map_err(|e| format!("goTemplateOptions: {e}"))?;
        }
        let template = gotmpl::Template::parse(src).map_err(|e| format!("failed to parse template {src}: {e}"))?;
        Ok(GoTemplate { src: src.to_string(), template: Arc::new(template), options: opts })
    }

    /// Executes with one parameter set.
    pub fn render(&self, params: &Params) -> Result<String, String> {
        self.render_value(to_go(params))
    }

    /// Executes with parameters already converted by [`to_go`] (Go maps are shared references, as
    /// in the controller, which passes the same map to every field of an Application).
    pub fn render_value(&self, data: gotmpl::Value) -> Result<String, String> {
        self.template
            .execute_value(data, &self.options)
            .map_err(|e| format!("failed to execute go template {}: {e}", self.src))
    }

    /// Top-level parameter names referenced as `.name`.
    pub fn param_refs(&self) -> Vec<String> {
        go_param_refs(&self.src)
    }
}

/// Converts a parameter set to the template engine's value (numbers are Go float64).
pub fn to_go(params: &Params) -> gotmpl::Value {
    gotmpl::Value::from_json(&serde_json::Value::Object(params.clone()))
}

/// Top-level parameter names a Go template refers to as `.name` (`.path.basename` -> `path`,
/// `index .metadata.labels "x"` -> `metadata`). Strings using `range`, `with`, `define`,
/// `template` or `block` change what `.` means and yield nothing (no guess is better than a wrong one).
pub fn go_param_refs(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let actions = go_actions(src);
    for a in &actions {
        let words: Vec<&str> = a.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').collect();
        if words.iter().any(|w| matches!(*w, "range" | "with" | "define" | "template" | "block")) {
            return Vec::new();
        }
    }
    for a in actions {
        let chars: Vec<char> = a.chars().collect();
        let mut i = 0;
        let mut quote: Option<char> = None;
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = quote {
                if c == '\\' && q == '"' {
                    i += 2;
                    continue;
                }
                if c == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            if c == '"' || c == '`' || c == '\'' {
                quote = Some(c);
                i += 1;
                continue;
            }
            let prev = if i == 0 { ' ' } else { chars[i - 1] };
            if c == '.' && !(prev.is_ascii_alphanumeric() || matches!(prev, '_' | ')' | ']' | '.' | '$')) {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && (chars[end].is_ascii_alphanumeric() || chars[end] == '_') {
                    end += 1;
                }
                if end > start && !chars[start].is_ascii_digit() {
                    out.push(chars[start..end].iter().collect());
                }
                i = end;
                continue;
            }
            i += 1;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The texts of `src`'s actions (between `{{` and `}}`). An action ends at the first `}}` outside a string
/// literal: `{{`{{.Bot}}`}}` is one action holding a raw string, which prints `{{.Bot}}` for another
/// template engine to read (a chart's values), not a reference to a parameter.
fn go_actions(src: &str) -> Vec<&str> {
    let bytes = src.as_bytes();
    let mut actions = Vec::new();
    let mut i = 0;
    while let Some(open) = src[i..].find("{{").map(|o| i + o) {
        let start = open + 2;
        let mut j = start;
        let mut quote: Option<u8> = None;
        let mut end = None;
        while j < bytes.len() {
            let c = bytes[j];
            match quote {
                Some(q) => {
                    if c == b'\\' && q != b'`' {
                        j += 1;
                    } else if c == q {
                        quote = None;
                    }
                }
                None if c == b'"' || c == b'`' || c == b'\'' => quote = Some(c),
                None if c == b'}' && bytes.get(j + 1) == Some(&b'}') => {
                    end = Some(j);
                    break;
                }
                None => {}
            }
            j += 1;
        }
        let Some(end) = end else { break };
        actions.push(&src[start..end]);
        i = end + 2;
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::go_param_refs;

    #[test]
    fn raw_strings_are_text_for_another_engine() {
        let src = "{{`{{or .GlobalName .Username}}{{if .Bot}} (bot){{end}}`}}";
        assert!(go_param_refs(src).is_empty(), "{:?}", go_param_refs(src));
        assert_eq!(go_param_refs("{{ .name }}-{{ \"}}\" }}-{{ .other }}"), ["name", "other"]);
    }

    #[test]
    fn finds_top_level_field_references() {
        assert_eq!(go_param_refs("{{ .path.basename }}-{{index .metadata.labels \"a.b\"}}"), ["metadata", "path"]);
        assert_eq!(go_param_refs("{{ printf \"%s.x\" .name | lower }} {{ 1.5 }}"), ["name"]);
        assert!(go_param_refs("{{ range .items }}{{ .name }}{{ end }}").is_empty());
        assert!(go_param_refs("plain").is_empty());
    }
}
