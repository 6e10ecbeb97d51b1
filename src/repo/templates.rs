//! Templates of other tools: files and values that some tool fills in before anything applies them.

/// The tool a file name says the file is a template for: `app.j2.yaml`, `values.ftl.yaml`,
/// `deploy.tmpl.yaml`, `cluster.template.yaml`.
pub fn tool_by_name(name: &str) -> Option<&'static str> {
    let mut parts = name.split('.');
    parts.next_back();
    parts.skip(1).find_map(|p| match p.to_ascii_lowercase().as_str() {
        "j2" | "jinja" | "jinja2" => Some("jinja"),
        "ftl" => Some("freemarker"),
        "tpl" | "tmpl" | "gotmpl" | "gotemplate" => Some("go template"),
        "template" | "tftpl" => Some("template"),
        "envsubst" => Some("envsubst"),
        "erb" => Some("erb"),
        _ => None,
    })
}

/// The tool whose template markers `text` holds, for a file that is not valid YAML: Jinja or Ansible
/// (`{% %}`, `{{ }}`), Go templates (`{{ }}`), ERB (`<% %>`), envsubst and Freemarker (`${...}`), or
/// placeholders to fill in (`<CLUSTER_NAME>`).
pub fn template_marker(text: &str) -> Option<&'static str> {
    if text.contains("{%") && text.contains("%}") {
        return Some("jinja");
    }
    if text.contains("<%") && text.contains("%>") {
        return Some("erb");
    }
    if text.contains("{{") && text.contains("}}") {
        return Some("go template");
    }
    placeholder_in(text)
}

/// The kind of fill-in placeholder `text` holds: `${NAME}` (envsubst, Freemarker, Terraform; Argo CD's own
/// `${ARGOCD_APP_*}` build variables excepted) or `<UPPER_SNAKE>` (kubefirst, cookiecutter-like scaffolds).
pub fn placeholder_in(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let rest = &text[i + 2..];
                if let Some(end) = rest.find('}') {
                    let inner = &rest[..end];
                    let ident = inner.split([':', '-', '=', '?', '!', '.', ' ', '|']).next().unwrap_or("");
                    if !ident.is_empty()
                        && ident.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                        && !ident.starts_with("ARGOCD_")
                    {
                        return Some("envsubst");
                    }
                }
            }
            b'<' => {
                let rest = &bytes[i + 1..];
                let n = rest.iter().take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || **b == b'_').count();
                if n >= 2 && rest[0].is_ascii_uppercase() && rest.get(n) == Some(&b'>') {
                    return Some("placeholder");
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(tool_by_name("app.j2.yaml"), Some("jinja"));
        assert_eq!(tool_by_name("values.ftl.yaml"), Some("freemarker"));
        assert_eq!(tool_by_name("cluster.template.yaml"), Some("template"));
        assert_eq!(tool_by_name("template.yaml"), None, "a file named template is not a template");
        assert_eq!(tool_by_name("app.yaml"), None);
        assert_eq!(tool_by_name("my.app.yaml"), None);
    }

    #[test]
    fn markers_and_placeholders() {
        assert_eq!(template_marker("a: {% if x %}1{% endif %}"), Some("jinja"));
        assert_eq!(template_marker("name: {{ .Values.name }}"), Some("go template"));
        assert_eq!(template_marker("name: <CLUSTER_NAME>-argocd"), Some("placeholder"));
        assert_eq!(placeholder_in("name: ${APP_NAME}"), Some("envsubst"));
        assert_eq!(placeholder_in("name: ${APP_NAME:-x}"), Some("envsubst"));
        assert_eq!(placeholder_in("value: ${ARGOCD_APP_NAME}"), None, "Argo CD's build environment");
        assert_eq!(placeholder_in("value: $HOME and ${} and <a> <B> <lower_case>"), None);
        assert_eq!(placeholder_in("x: a < B > c"), None);
        assert_eq!(template_marker("plain: yaml"), None);
    }
}
