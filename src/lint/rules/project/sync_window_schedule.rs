use super::cron::check_schedule;
use super::sync_window_timezone::is_known_zone;
use crate::declare_rule;
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::Document;

declare_rule! {
    /// ## What it does
    /// Checks the cron `schedule` of each AppProject sync window with the parser Argo CD uses:
    /// robfig/cron v3 with exactly five fields (minute, hour, day of month, month, day of week), no
    /// seconds field and no `@daily`-style descriptors. Days of week run 0–6 (`SUN`–`SAT`); 7 is out of
    /// range.
    /// ## Why is this bad?
    /// Argo CD rejects the project ("cannot parse schedule"); when the project is applied with `kubectl`
    /// anyway, every sync-window evaluation fails, so the window neither allows nor blocks syncs as
    /// intended.
    /// ## Example
    /// ```yaml
    /// syncWindows:
    ///   - kind: deny
    ///     schedule: "0 0 22 * * *"
    ///     duration: 8h
    ///     applications: ["*"]
    /// ```
    /// ## Use instead
    /// ```yaml
    ///     schedule: "0 22 * * *"
    /// ```
    pub struct SyncWindowSchedule {
        id: "project-sync-window-schedule", severity: Error, source: Lint,
        summary: "a sync window schedule Argo CD's cron parser rejects",
    }
}

impl Rule for SyncWindowSchedule {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        for (i, window) in super::sync_windows(doc) {
            let pointer = format!("/spec/syncWindows/{i}/schedule");
            let Some(schedule) = super::window_text(window, "schedule") else {
                continue;
            };
            if let Err(e) = check_schedule(schedule, is_known_zone) {
                let message = if schedule.is_empty() {
                    "sync window has no `schedule`".to_string()
                } else {
                    format!("sync window schedule `{schedule}` is not valid: {e}")
                };
                cx.report(doc, &pointer, message).help = Some(help_for(schedule, &e));
            }
        }
    }
}

fn help_for(schedule: &str, error: &str) -> String {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    if schedule.starts_with('@') {
        "descriptors are not accepted here: write five fields, e.g. `0 0 * * *` for @daily".into()
    } else if fields.len() == 6 {
        format!("Argo CD's schedules have no seconds field: drop the first one (`{}`)", fields[1..].join(" "))
    } else if error.contains("day of week") && error.contains("(7)") {
        "days of week run from 0 (Sunday) to 6 (Saturday): write 0 or SUN for Sunday".into()
    } else {
        "write five cron fields: minute hour day-of-month month day-of-week, e.g. `0 22 * * MON-FRI`".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: {name: p}\nspec:\n  syncWindows:\n";

    #[test]
    fn fires_on_six_fields_descriptors_and_ranges() {
        let src = format!(
            "{HEAD}    - kind: deny\n      schedule: '0 0 22 * * *'\n      duration: 1h\n    - schedule: '@daily'\n    - schedule: 0 0 * * 7\n    - kind: allow\n"
        );
        let f = run(&SyncWindowSchedule, &src);
        assert_eq!(
            lines(&f),
            vec![
                (7, 17, "sync window schedule `0 0 22 * * *` is not valid: expected exactly 5 fields, found 6: [0 0 22 * * *]".into()),
                (9, 17, "sync window schedule `@daily` is not valid: parser does not accept descriptors: @daily".into()),
                (10, 17, "sync window schedule `0 0 * * 7` is not valid: day of week field: end of range (7) above maximum (6): 7".into()),
                (11, 7, "sync window has no `schedule`".into()),
            ]
        );
        assert_eq!(
            f[0].help.as_deref(),
            Some("Argo CD's schedules have no seconds field: drop the first one (`0 22 * * *`)")
        );
        assert!(f[2].help.as_deref().unwrap_or("").contains("0 (Sunday) to 6"));
    }

    #[test]
    fn quiet_on_valid_schedules() {
        let src = format!(
            "{HEAD}    - schedule: '10 1 * * *'\n    - schedule: '*/30 9-17 * * MON-FRI'\n    - schedule: 'CRON_TZ=Europe/Paris 0 0 1 jan ?'\n"
        );
        assert!(run(&SyncWindowSchedule, &src).is_empty());
    }
}
