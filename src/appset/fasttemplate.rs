//! `github.com/valyala/fasttemplate` with `{{`/`}}` tags, as Argo CD's default (non-goTemplate)
//! rendering uses it: only string parameters are substituted, unknown or non-string tags stay
//! verbatim (spaces included), `{{ }}` stays, and an unclosed `{{` is an error only when the string
//! also holds a complete `{{...}}` on one line (otherwise the string is not treated as a template).

use serde_json::Value;

/// A parsed fasttemplate string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FastTemplate {
    texts: Vec<String>,
    tags: Vec<String>,
}

impl FastTemplate {
    /// Parses `src`. A string without a `{{...}}` on one line is kept as plain text.
    pub fn parse(src: &str) -> Result<FastTemplate, String> {
        if !is_templated(src) {
            return Ok(FastTemplate { texts: vec![src.to_string()], tags: Vec::new() });
        }
        let mut texts = Vec::new();
        let mut tags = Vec::new();
        let mut s = src;
        loop {
            let Some(n) = s.find("{{") else {
                texts.push(s.to_string());
                break;
            };
            texts.push(s[..n].to_string());
            let rest = &s[n + 2..];
            let Some(m) = rest.find("}}") else {
                return Err(format!(
                    "invalid template: Cannot find end tag=\"}}}}\" in the template={src:?} starting from {rest:?}"
                ));
            };
            tags.push(rest[..m].to_string());
            s = &rest[m + 2..];
        }
        Ok(FastTemplate { texts, tags })
    }

    /// Whether the string has any tag at all.
    pub fn has_tags(&self) -> bool {
        !self.tags.is_empty()
    }

    /// The tags, trimmed, as they name parameters (`{{ path.basename }}` -> `path.basename`).
    pub fn params(&self) -> impl Iterator<Item = &str> {
        self.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty())
    }

    /// Substitutes string parameters; everything else stays as written.
    pub fn execute(&self, params: &serde_json::Map<String, Value>, out: &mut String) {
        for (i, text) in self.texts.iter().enumerate() {
            out.push_str(text);
            if let Some(tag) = self.tags.get(i) {
                let trimmed = tag.trim();
                match params.get(trimmed) {
                    Some(Value::String(s)) if !trimmed.is_empty() => out.push_str(s),
                    _ => {
                        out.push_str("{{");
                        out.push_str(tag);
                        out.push_str("}}");
                    }
                }
            }
        }
    }

    /// Renders to a new string.
    pub fn render(&self, params: &serde_json::Map<String, Value>) -> String {
        let mut out = String::new();
        self.execute(params, &mut out);
        out
    }
}

/// Argo CD's `.*{{.*}}.*` test: some line holds `{{` followed by `}}`.
fn is_templated(s: &str) -> bool {
    s.split('\n').any(|line| line.find("{{").is_some_and(|i| line[i + 2..].contains("}}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(t: &str, p: Value) -> Result<String, String> {
        Ok(FastTemplate::parse(t)?.render(p.as_object().unwrap()))
    }

    #[test]
    fn substitutes_string_params_and_keeps_the_rest_verbatim() {
        let p = json!({"cluster": "prod", "n": 3, "path.basename": "web"});
        assert_eq!(render("app-{{cluster}}-{{ path.basename }}", p.clone()).unwrap(), "app-prod-web");
        assert_eq!(render("{{ unknown }}-{{n}}-{{ }}", p.clone()).unwrap(), "{{ unknown }}-{{n}}-{{ }}");
        assert_eq!(render("no tags", p.clone()).unwrap(), "no tags");
    }

    #[test]
    fn unclosed_tag_is_an_error_only_after_a_complete_tag() {
        let p = json!({"a": "x"});
        assert_eq!(render("{{ a", p.clone()).unwrap(), "{{ a");
        let e = render("{{a}} {{b", p.clone()).unwrap_err();
        assert!(e.starts_with("invalid template: Cannot find end tag"), "{e}");
        assert_eq!(render("{{a\n}}", p).unwrap(), "{{a\n}}");
    }
}
