use crate::declare_rule;
use crate::lint::util::suggest;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;
use serde_json::Value;
use std::str::FromStr;

declare_rule! {
    /// ## What it does
    /// Checks that the `timeZone` of each AppProject sync window is an IANA time zone name
    /// (`Europe/Amsterdam`, `America/New_York`, `UTC`), which is what Go's `time.LoadLocation` accepts.
    /// Names are case-sensitive.
    /// ## Why is this bad?
    /// Argo CD does not reject an unknown zone: it logs "Invalid time zone ... Using UTC as default time
    /// zone" and runs the window in UTC, hours away from when you meant it to open.
    /// ## Example
    /// ```yaml
    /// syncWindows:
    ///   - kind: deny
    ///     schedule: "0 22 * * *"
    ///     duration: 8h
    ///     timeZone: CET+1
    /// ```
    /// ## Use instead
    /// ```yaml
    ///     timeZone: Europe/Paris
    /// ```
    pub struct SyncWindowTimeZone {
        id: "project-sync-window-timezone", severity: Error, source: Lint,
        summary: "a sync window timeZone that is not an IANA time zone name",
    }
}

/// Whether Go's `time.LoadLocation` knows `name` (the IANA database, plus `UTC` and `Local`).
pub fn is_known_zone(name: &str) -> bool {
    name.is_empty() || name == "Local" || chrono_tz::Tz::from_str(name).is_ok()
}

impl Rule for SyncWindowTimeZone {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for (i, window) in super::sync_windows(doc) {
            let Some(zone) = window.get("timeZone").and_then(Value::as_str) else {
                continue;
            };
            if is_known_zone(zone) {
                continue;
            }
            let pointer = format!("/spec/syncWindows/{i}/timeZone");
            let names = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name());
            let help = match suggest(zone, names) {
                Some(s) => format!("did you mean `{s}`? (names are case-sensitive)"),
                None => "use an IANA zone name such as `Europe/Paris` or `America/New_York`, or `UTC`".into(),
            };
            let f = cx.report(
                doc,
                &pointer,
                format!("`{zone}` is not a time zone Argo CD knows; the window would run in UTC"),
            );
            f.help = Some(help);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  syncWindows:\n";

    #[test]
    fn fires_on_unknown_and_miscased_zones() {
        let src = format!(
            "{HEAD}    - timeZone: europe/amsterdam\n    - timeZone: Europe/Pariss\n    - timeZone: Mars/Olympus\n"
        );
        let f = run(&SyncWindowTimeZone, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 17, "`europe/amsterdam` is not a time zone Argo CD knows; the window would run in UTC".into()),
                (7, 17, "`Europe/Pariss` is not a time zone Argo CD knows; the window would run in UTC".into()),
                (8, 17, "`Mars/Olympus` is not a time zone Argo CD knows; the window would run in UTC".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `Europe/Amsterdam`? (names are case-sensitive)"));
        assert_eq!(f[1].help.as_deref(), Some("did you mean `Europe/Paris`? (names are case-sensitive)"));
    }

    #[test]
    fn quiet_on_iana_names() {
        let src = format!(
            "{HEAD}    - timeZone: Europe/Amsterdam\n    - timeZone: UTC\n    - timeZone: America/Argentina/Buenos_Aires\n    - timeZone: ''\n"
        );
        assert!(run(&SyncWindowTimeZone, &src).is_empty());
    }
}
