use super::support::{describe_non_string, is_templated};
use crate::declare_rule;
use crate::lint::util::is_dns1123_subdomain;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks that an Application's `metadata.name` is a DNS-1123 subdomain, the constraint Argo CD
    /// applies (`IsValidAppName` in argo-cd `util/argo/argo.go`: "app names have the same rules as pods")
    /// and Kubernetes enforces: at most 253 characters of lowercase letters, digits, `-` and `.`, each
    /// dot-separated part starting and ending with a letter or digit.
    /// ## Why is this bad?
    /// Kubernetes refuses to create the Application (`metadata.name: Invalid value: "Guest_Book": a
    /// lowercase RFC 1123 subdomain must consist of ...`), so the app-of-apps that deploys it fails to sync.
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   name: Guest_Book
    /// ```
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   name: guest-book
    /// ```
    pub struct AppNameInvalid {
        id: "app-name-invalid", severity: Error, source: Lint,
        summary: "an Application's metadata.name is missing or not a DNS-1123 subdomain",
    }
}

/// A valid name close to `name`: lowercase, other characters replaced by `-`, ends trimmed.
fn fixed_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut fixed: String =
        out.split('.').map(|l| l.trim_matches('-')).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(".");
    fixed.truncate(253);
    let fixed = fixed.trim_end_matches(['-', '.']).to_string();
    is_dns1123_subdomain(&fixed).then_some(fixed)
}

/// Why `name` is not a DNS-1123 subdomain, in a few words.
fn reason(name: &str) -> &'static str {
    if name.len() > 253 {
        "is longer than 253 characters"
    } else if name.chars().any(|c| c.is_ascii_uppercase()) {
        "has uppercase letters"
    } else if name.chars().any(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')) {
        "has characters other than lowercase letters, digits, `-` and `.`"
    } else {
        "has a part that does not start and end with a letter or digit"
    }
}

impl Rule for AppNameInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Application {
            return;
        }
        let metadata = doc.value.get("metadata");
        match metadata.and_then(|m| m.get("name")) {
            None | Some(Value::Null) => {
                if metadata.and_then(|m| m.get("generateName")).is_some() {
                    return;
                }
                let pointer = if metadata.is_some() { "/metadata" } else { "/kind" };
                cx.report_key(doc, pointer, "the Application has no `metadata.name`").help =
                    Some("add `metadata.name`, a lowercase DNS-1123 name such as `guestbook`".into());
            }
            Some(Value::String(name)) if is_templated(name) || is_dns1123_subdomain(name) => {}
            Some(Value::String(name)) => {
                let help = match fixed_name(name) {
                    Some(f) => format!("did you mean `{f}`? Use lowercase letters, digits, `-` and `.`"),
                    None => {
                        "use lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit".into()
                    }
                };
                cx.report(
                    doc,
                    "/metadata/name",
                    format!("Application name `{name}` {}; Kubernetes requires a DNS-1123 subdomain", reason(name)),
                )
                .help = Some(help);
            }
            Some(other) => {
                cx.report(
                    doc,
                    "/metadata/name",
                    format!("`metadata.name` is {}, not a string", describe_non_string(other)),
                )
                .help = Some("quote the name".into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    fn app(name: &str) -> String {
        format!("apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: {name}\n")
    }

    #[test]
    fn fires_on_invalid_names() {
        let f = run(&AppNameInvalid, &app("Guest_Book"));
        assert_eq!(
            lines(&f),
            vec![(
                4,
                9,
                "Application name `Guest_Book` has uppercase letters; Kubernetes requires a DNS-1123 subdomain".into()
            )]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `guest-book`? Use lowercase letters, digits, `-` and `.`"));
        let f = run(&AppNameInvalid, &app("web-.prod"));
        assert_eq!(
            f[0].message,
            "Application name `web-.prod` has a part that does not start and end with a letter or digit; Kubernetes \
             requires a DNS-1123 subdomain"
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `web.prod`? Use lowercase letters, digits, `-` and `.`"));
        assert_eq!(run(&AppNameInvalid, &app(&"a".repeat(254))).len(), 1);
        let missing = "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  labels: {}\n";
        assert_eq!(
            lines(&run(&AppNameInvalid, missing)),
            vec![(3, 1, "the Application has no `metadata.name`".into())]
        );
    }

    #[test]
    fn quiet_on_valid_names_and_other_kinds() {
        for name in ["guestbook", "guestbook.prod-1", "0abc", "\"{{cluster}}-web\""] {
            assert!(run(&AppNameInvalid, &app(name)).is_empty(), "{name}");
        }
        assert!(run(&AppNameInvalid, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Upper_Case\n").is_empty());
    }
}
