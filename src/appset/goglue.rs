//! goTemplate rendering glue over the crate's Go template engine.

use super::params::Params;

/// A parsed Go template string with its `goTemplateOptions`.
#[derive(Debug, Clone)]
pub struct GoTemplate {
    _src: String,
}

impl GoTemplate {
    /// Parses `src` with the ApplicationSet's options.
    pub fn parse(src: &str, _options: &[String]) -> Result<GoTemplate, String> {
        Err(format!("failed to parse template {src}: goTemplate rendering is not available in this build"))
    }

    /// Executes with one parameter set.
    pub fn render(&self, _params: &Params) -> Result<String, String> {
        Err("goTemplate rendering is not available in this build".into())
    }

    /// Top-level parameter names referenced as `.name`.
    pub fn param_refs(&self) -> Vec<String> {
        go_param_refs(&self._src)
    }
}

/// Top-level parameter names a Go template refers to as `.name` (`.path.basename` -> `path`,
/// `index .metadata.labels "x"` -> `metadata`). Strings using `range`, `with`, `define`,
/// `template` or `block` change what `.` means and yield nothing (no guess is better than a wrong one).
pub fn go_param_refs(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = src;
    let mut actions = Vec::new();
    while let Some(i) = rest.find("{{") {
        let Some(j) = rest[i + 2..].find("}}") else { break };
        actions.push(&rest[i + 2..i + 2 + j]);
        rest = &rest[i + 2 + j + 2..];
    }
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

#[cfg(test)]
mod tests {
    use super::go_param_refs;

    #[test]
    fn finds_top_level_field_references() {
        assert_eq!(go_param_refs("{{ .path.basename }}-{{index .metadata.labels \"a.b\"}}"), ["metadata", "path"]);
        assert_eq!(go_param_refs("{{ printf \"%s.x\" .name | lower }} {{ 1.5 }}"), ["name"]);
        assert!(go_param_refs("{{ range .items }}{{ .name }}{{ end }}").is_empty());
        assert!(go_param_refs("plain").is_empty());
    }
}
