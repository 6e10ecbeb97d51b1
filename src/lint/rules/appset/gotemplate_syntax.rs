use super::tags::{fasttemplate_param, tags, templated_strings};
use crate::declare_rule;
use crate::gotmpl::{ErrorKind, Template};
use crate::lint::rules::project::locate::Locator;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;
use std::sync::mpsc;
use std::time::Duration;

declare_rule! {
    /// ## What it does
    /// Parses every template string of a `goTemplate: true` ApplicationSet the way Argo CD does (each
    /// string on its own, as Go `text/template` named `base`, with sprig's and Argo CD's functions) and
    /// reports Go's parse error: unclosed actions, `{{ if }}` without `{{ end }}`, unknown functions,
    /// `.values.no-op` (a hyphen in a field name), stray `{{ end }}`. Looks at `spec.template` (values and
    /// keys), `spec.templatePatch`, generator templates and generator `values`. Fasttemplate-style tags
    /// (`{{name}}`) are left to `appset-template-style-mismatch`.
    /// ## Why is this bad?
    /// One string that does not parse fails the render of every Application of the set: Argo CD marks the
    /// ApplicationSet `ErrorOccurred` and creates, updates and deletes nothing.
    /// ## Example
    /// ```yaml
    /// spec:
    ///   goTemplate: true
    ///   template:
    ///     metadata:
    ///       name: '{{ .cluster }-web'
    ///       annotations:
    ///         owner: '{{ .values.team-owner }}'
    /// ```
    /// ## Use instead
    /// ```yaml
    ///       name: '{{ .cluster }}-web'
    ///       annotations:
    ///         owner: '{{ index .values "team-owner" }}'
    /// ```
    pub struct GoTemplateSyntax {
        id: "appset-gotemplate-syntax", severity: Error, source: Lint,
        summary: "a goTemplate string that Go's text/template cannot parse",
    }
}

impl Rule for GoTemplateSyntax {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::ApplicationSet {
            return;
        }
        let Some(spec) = doc.get("/spec") else {
            return;
        };
        if spec.get("goTemplate").and_then(Value::as_bool) != Some(true) {
            return;
        }
        for s in templated_strings(spec) {
            if !s.text.contains("{{") || tags(s.text).iter().any(|t| fasttemplate_param(t.inner).is_some()) {
                continue;
            }
            let Some((go_line, message)) = parse_error(s.text) else {
                continue;
            };
            let line = action_line(s.text, go_line);
            let span = if s.is_key {
                doc.key_span(&s.pointer)
            } else {
                let mut loc = Locator::new(doc, &s.pointer, s.text);
                let lines: Vec<&str> = s.text.split('\n').collect();
                for before in lines.iter().take(line.saturating_sub(1)) {
                    if !before.trim().is_empty() {
                        loc.find(before.trim());
                    }
                }
                let text = lines.get(line.saturating_sub(1)).map_or(s.text, |l| l.trim());
                let piece = loc.find_or_node(text);
                match text.find("{{") {
                    Some(at) => loc.sub_span(&piece, at, text.len() - at),
                    None => piece.span,
                }
            };
            if message == GAVE_UP {
                let f = cx.report_span(doc, span, format!("Go template could not be checked: {message}"));
                f.severity = crate::report::Severity::Warning;
                f.help = Some("check this template's syntax by hand; please report the string to argovet".into());
                continue;
            }
            cx.report_span(doc, span, format!("Go template does not parse: {message}")).help = Some(help_for(&message));
        }
    }
}

/// Whether this rule reports `text` (a goTemplate string without fasttemplate tags): it does not parse,
/// or the parser gave up on it.
pub(crate) fn reports(text: &str) -> bool {
    parse_error(text).is_some()
}

/// Go's parse error for `text`, as (1-based line within the text, message without the
/// `template: base:N: ` prefix).
fn parse_error(text: &str) -> Option<(usize, String)> {
    let full = match parse_isolated(text) {
        Isolated::Parsed => return None,
        Isolated::Failed(message) => message,
        Isolated::GaveUp => return Some((1, GAVE_UP.into())),
    };
    let rest = full.strip_prefix("template: base:").unwrap_or(&full);
    match rest.split_once(": ") {
        Some((n, msg)) if n.bytes().all(|b| b.is_ascii_digit()) => Some((n.parse().unwrap_or(1), msg.to_string())),
        _ => Some((1, full)),
    }
}

/// The message when the parser did not finish.
const GAVE_UP: &str = "argovet's parser did not finish on this string; Go's exact message is unavailable";

/// How long one string may take to parse; parsing normally takes microseconds.
const PARSE_TIMEOUT: Duration = Duration::from_secs(1);

/// What parsing one string in isolation gave.
enum Isolated {
    /// It parses.
    Parsed,
    /// Go's parse error text.
    Failed(String),
    /// The parser panicked or did not finish in time.
    GaveUp,
}

/// Parses on a worker thread with a deadline and `catch_unwind`. Malformed templates are this rule's
/// whole input and a lint must never hang or crash argovet: earlier versions of the parser looped,
/// panicked or overflowed on some of them (the current one survives 40,000 generated inputs). A parser
/// that misses the deadline is abandoned; its thread ends with the process.
fn parse_isolated(text: &str) -> Isolated {
    let (tx, rx) = mpsc::channel();
    let owned = text.to_string();
    let spawned = std::thread::Builder::new().name("gotmpl-parse".into()).spawn(move || {
        let result = std::panic::catch_unwind(|| Template::parse(&owned).err().map(|e| (e.kind(), e.to_string())));
        let _ = tx.send(result);
    });
    if spawned.is_err() {
        return Isolated::GaveUp;
    }
    match rx.recv_timeout(PARSE_TIMEOUT) {
        Ok(Ok(None)) => Isolated::Parsed,
        Ok(Ok(Some((ErrorKind::Parse, message)))) => Isolated::Failed(message),
        Ok(Ok(Some(_))) => Isolated::Parsed,
        Ok(Err(_)) | Err(_) => Isolated::GaveUp,
    }
}

/// The line to point at: Go's line, or the nearest line above it with an action (Go reports
/// "unexpected EOF" after the last line).
fn action_line(text: &str, go_line: usize) -> usize {
    let lines: Vec<&str> = text.split('\n').collect();
    let start = go_line.clamp(1, lines.len().max(1));
    (1..=start).rev().find(|&n| lines.get(n - 1).is_some_and(|l| l.contains("{{"))).unwrap_or(start)
}

fn help_for(message: &str) -> String {
    if message.contains("bad character U+002D '-'") || message.contains("number syntax") {
        "Go field names cannot contain `-`: write `{{ index .values \"key-with-dash\" }}`".into()
    } else if message.contains("not defined") && message.starts_with("function") {
        "goTemplate sets know Go's builtins, sprig's functions and normalize, slugify, toYaml, fromYaml, fromYamlArray"
            .into()
    } else if message.contains("unclosed action") || message.contains("unexpected \"}\"") {
        "close the action with `}}`; to keep a literal `{{` (e.g. for Helm), write it as {{ \"{{\" }}".into()
    } else if message.contains("unexpected EOF") {
        "an `{{ if }}`, `{{ range }}` or `{{ with }}` needs its `{{ end }}` in the same string: Argo CD parses each string alone".into()
    } else {
        "fix the template; to keep a literal `{{` (e.g. for Helm), write it as {{ \"{{\" }}".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str = "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: s}\nspec:\n  goTemplate: true\n  generators: [{list: {elements: [{cluster: a}]}}]\n";

    #[test]
    fn fires_with_gos_message_on_the_line_that_fails() {
        let src = format!(
            "{HEAD}  template:\n    metadata:\n      name: 'web-{{{{ .cluster }}'\n      annotations:\n        owner: '{{{{ .values.team-owner }}}}'\n        x: '{{{{ .a | nofunc }}}}'\n  templatePatch: |\n    spec:\n      project: '{{{{ if .x }}}}a'\n    metadata: {{}}\n"
        );
        let f = run(&GoTemplateSyntax, &src);
        assert_eq!(
            lines(&f),
            vec![
                (9, 18, "Go template does not parse: unexpected \"}\" in operand".into()),
                (11, 17, "Go template does not parse: bad character U+002D '-'".into()),
                (12, 13, "Go template does not parse: function \"nofunc\" not defined".into()),
                (15, 17, "Go template does not parse: unexpected EOF".into()),
            ]
        );
        assert!(f[1].help.as_deref().unwrap_or("").contains("index .values"));
    }

    #[test]
    fn reports_unclosed_actions_without_hanging() {
        let src = format!("{HEAD}  template:\n    metadata:\n      name: '{{{{ .cluster | lower '\n");
        assert_eq!(
            lines(&run(&GoTemplateSyntax, &src)),
            vec![(9, 14, "Go template does not parse: unclosed action".into())]
        );
    }

    #[test]
    fn reports_inputs_that_once_made_the_parser_loop_or_crash() {
        let cases = [
            ("{{ .a ", "unclosed action"),
            ("{{$x", "undefined variable \"$x\""),
            ("{{1 true-}}", "bad character U+002D '-'"),
            ("x {{if(}} y", "unclosed left paren"),
            ("{{ .atemplate template@.a}}", "bad character U+0040 '@'"),
        ];
        for (text, want) in cases {
            assert_eq!(parse_error(text), Some((1, want.to_string())), "{text:?}");
        }
    }

    #[test]
    fn quiet_on_valid_templates_fasttemplate_sets_and_style_mismatches() {
        let ok = format!(
            "{HEAD}  template:\n    metadata:\n      name: '{{{{ .cluster | lower }}}}-{{{{ index .values \"a-b\" }}}}'\n      labels:\n        '{{{{ .cluster }}}}': x\n    spec:\n      project: '{{{{- if .x }}}}a{{{{ else }}}}b{{{{ end -}}}}'\n"
        );
        assert!(run(&GoTemplateSyntax, &ok).is_empty());
        let fast = ok.replace("  goTemplate: true\n", "").replace("{{ .cluster }", "{{ .cluster ");
        assert!(run(&GoTemplateSyntax, &fast).is_empty());
        let style = format!("{HEAD}  template:\n    metadata:\n      name: '{{{{cluster}}}}'\n");
        assert!(run(&GoTemplateSyntax, &style).is_empty());
    }
}
