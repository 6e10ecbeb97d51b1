use crate::declare_rule;
use crate::godur::parse_duration;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Checks the `duration` of each AppProject sync window with Go's `time.ParseDuration`, which Argo CD
    /// uses: numbers with the units `ns`, `us`, `ms`, `s`, `m`, `h` (`1h30m`, `90m`, `1.5h`). There is no
    /// unit for days.
    /// ## Why is this bad?
    /// Argo CD rejects the project ("cannot parse duration"); applied anyway, the window's evaluation
    /// fails every time, so it never opens or closes as intended.
    /// ## Example
    /// ```yaml
    /// syncWindows:
    ///   - kind: allow
    ///     schedule: "0 8 * * MON"
    ///     duration: 1d
    /// ```
    /// ## Use instead
    /// ```yaml
    ///     duration: 24h
    /// ```
    pub struct SyncWindowDuration {
        id: "project-sync-window-duration", severity: Error, source: Lint,
        summary: "a sync window duration that is not a Go duration",
    }
}

impl Rule for SyncWindowDuration {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for (i, window) in super::sync_windows(doc) {
            let pointer = format!("/spec/syncWindows/{i}/duration");
            let Some(duration) = super::window_text(window, "duration") else {
                continue;
            };
            match parse_duration(duration) {
                Err(_) if duration.is_empty() => {
                    cx.report(doc, &pointer, "sync window has no `duration`").help =
                        Some("add how long the window stays open, e.g. `duration: 1h`".into());
                }
                Err(e) => {
                    cx.report(
                        doc,
                        &pointer,
                        format!("sync window duration `{duration}` is not valid: {}", e.go_message(duration)),
                    )
                    .help = Some(help_for(duration));
                }
                Ok(ns) if ns < 0 => {
                    cx.report(doc, &pointer, format!("sync window duration `{duration}` is negative")).help =
                        Some("a window with a negative duration is never active: drop the sign".into());
                }
                Ok(_) => {}
            }
        }
    }
}

fn help_for(duration: &str) -> String {
    let days = duration.strip_suffix('d').and_then(|n| n.trim().parse::<u64>().ok());
    match days {
        Some(n) => format!("Go durations have no day unit: write `{}h`", n * 24),
        None => "use Go duration syntax: a number and a unit among ns, us, ms, s, m, h (e.g. `1h30m`)".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  syncWindows:\n";

    #[test]
    fn fires_on_days_missing_units_and_missing_duration() {
        let src = format!("{HEAD}    - duration: 1d\n    - duration: '30'\n    - kind: allow\n    - duration: -1h\n");
        let f = run(&SyncWindowDuration, &src);
        assert_eq!(
            lines(&f),
            vec![
                (6, 17, "sync window duration `1d` is not valid: time: unknown unit \"d\" in duration \"1d\"".into()),
                (7, 17, "sync window duration `30` is not valid: time: missing unit in duration \"30\"".into()),
                (8, 7, "sync window has no `duration`".into()),
                (9, 17, "sync window duration `-1h` is negative".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("Go durations have no day unit: write `24h`"));
    }

    #[test]
    fn quiet_on_go_durations() {
        let src =
            format!("{HEAD}    - duration: 1h\n    - duration: 1h30m\n    - duration: 90m\n    - duration: 1.5h\n");
        assert!(run(&SyncWindowDuration, &src).is_empty());
    }
}
