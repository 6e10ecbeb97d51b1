use super::support::at;
use crate::declare_rule;
use crate::godur::{DurationError, parse_duration as parse_go_duration};
use crate::lint::{Context, Rule, RuleInfo};
use crate::model::{DocKind, Document};
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Checks an Application's `spec.syncPolicy.retry`: `limit` and `backoff.factor` must be whole
    /// numbers, and `backoff.duration` and `backoff.maxDuration` must be strings that Argo CD can read as
    /// a duration — either a whole number of seconds (`"30"`) or Go's `time.ParseDuration` syntax
    /// (`"30s"`, `"2m"`, `"1h30m"`, `"500ms"`; units `ns`, `us`, `µs`, `ms`, `s`, `m`, `h`).
    /// ## Why is this bad?
    /// Kubernetes rejects a number where the CRD wants a string (`duration: 5`) and a string where it
    /// wants an integer (`limit: "5"`). A duration Argo CD cannot parse (`5min`, `1d`, `2 minutes`) makes
    /// every retry fail with `unable to parse 5min as a duration`: the sync is never retried.
    /// ## Example
    /// ```yaml
    /// syncPolicy:
    ///   retry:
    ///     limit: "5"
    ///     backoff:
    ///       duration: 5min
    ///       factor: 1.5
    ///       maxDuration: 1d
    /// ```
    /// ## Use instead
    /// ```yaml
    /// syncPolicy:
    ///   retry:
    ///     limit: 5
    ///     backoff:
    ///       duration: 5m
    ///       factor: 2
    ///       maxDuration: 24h
    /// ```
    pub struct RetryInvalid {
        id: "sync-retry-invalid", severity: Error, source: Lint,
        summary: "syncPolicy.retry has a malformed duration or a non-integer limit or factor",
    }
}

/// The Go unit a mistyped one most likely meant, with a multiplier for days and weeks.
fn unit_fix(unit: &str) -> Option<(&'static str, u32)> {
    Some(match unit.to_ascii_lowercase().as_str() {
        "sec" | "secs" | "second" | "seconds" => ("s", 1),
        "min" | "mins" | "minute" | "minutes" => ("m", 1),
        "hr" | "hrs" | "hour" | "hours" => ("h", 1),
        "d" | "day" | "days" => ("h", 24),
        "w" | "wk" | "week" | "weeks" => ("h", 168),
        "msec" | "msecs" | "millis" | "millisecond" | "milliseconds" => ("ms", 1),
        "s" => ("s", 1),
        "m" => ("m", 1),
        "h" => ("h", 1),
        "ms" => ("ms", 1),
        _ => return None,
    })
}

/// A corrected duration for a text with one number and a mistyped unit (`5min` -> `5m`, `1d` -> `24h`).
fn duration_fix(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let num_len = compact.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(compact.len());
    let (num, unit) = compact.split_at(num_len);
    if num.is_empty() {
        return None;
    }
    let (unit, mult) = if unit.is_empty() { ("s", 1) } else { unit_fix(unit)? };
    let fixed = if mult == 1 {
        format!("{num}{unit}")
    } else {
        let n: f64 = num.parse().ok()?;
        format!("{}{unit}", n * f64::from(mult))
    };
    parse_go_duration(&fixed).is_ok().then_some(fixed)
}

/// What Argo CD makes of a backoff duration (`parseStringToDuration`: `strconv.Atoi` seconds, else
/// `time.ParseDuration`); `None` when it is fine.
fn duration_problem(text: &str) -> Option<(String, String)> {
    if super::sync_wave_not_integer::go_atoi(text).is_some() {
        return None;
    }
    let why = match parse_go_duration(text) {
        Ok(n) if n < 0 => return Some(("is negative".into(), "write a positive duration such as `5s`".into())),
        Ok(_) => return None,
        Err(DurationError::Invalid) => "is not a duration".to_string(),
        Err(DurationError::MissingUnit) => "has no unit".to_string(),
        Err(DurationError::UnknownUnit(u)) => format!("uses the unit `{u}`, which Go durations do not have"),
        Err(DurationError::Overflow) => "is too long for a Go duration".to_string(),
    };
    let help = match duration_fix(text) {
        Some(f) => format!("did you mean `{f}`? Units are ns, us, ms, s, m, h (no days)"),
        None => "write a whole number of seconds (`\"30\"`) or a Go duration such as `30s`, `2m`, `1h30m`".into(),
    };
    Some((why, help))
}

impl Rule for RetryInvalid {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, doc: &Document, cx: &mut Context<'_>) {
        if doc.kind != DocKind::Application {
            return;
        }
        const RETRY: &str = "/spec/syncPolicy/retry";
        let Some(retry) = at(&doc.value, &["spec", "syncPolicy", "retry"]).filter(|r| r.is_object()) else {
            return;
        };
        check_integer(doc, cx, retry.get("limit"), &|| format!("{RETRY}/limit"), "limit");
        let Some(backoff) = retry.get("backoff").filter(|b| b.is_object()) else {
            return;
        };
        check_integer(doc, cx, backoff.get("factor"), &|| format!("{RETRY}/backoff/factor"), "backoff.factor");
        for field in ["duration", "maxDuration"] {
            let pointer = || format!("{RETRY}/backoff/{field}");
            match backoff.get(field) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.is_empty() || s.contains("{{") => {}
                Some(Value::String(s)) => {
                    if let Some((why, help)) = duration_problem(s) {
                        cx.report(
                            doc,
                            &pointer(),
                            format!("`backoff.{field}: {s}` {why}; Argo CD cannot retry the sync"),
                        )
                        .help = Some(help);
                    }
                }
                Some(Value::Number(n)) => {
                    cx.report(
                        doc,
                        &pointer(),
                        format!("`backoff.{field}` is the number {n}, but it must be a string"),
                    )
                    .help = Some(format!("quote it (`\"{n}\"` means {n} seconds) or write a duration such as `{n}s`"));
                }
                Some(other) => {
                    cx.report(
                        doc,
                        &pointer(),
                        format!("`backoff.{field}` must be a duration string, not {}", kind_of(other)),
                    )
                    .help = Some("write a duration such as `5s`, `2m` or `1h`".into());
                }
            }
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

fn check_integer(
    doc: &Document,
    cx: &mut Context<'_>,
    value: Option<&Value>,
    pointer: &dyn Fn() -> String,
    field: &str,
) {
    match value {
        None | Some(Value::Null) => {}
        // Kubernetes accepts a float without a fractional part (`5.0`) for an integer field.
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0) => {}
        Some(Value::Number(n)) => {
            let rounded = n.as_f64().map_or(0, |f| f.round() as i64);
            cx.report(doc, &pointer(), format!("`{field}` is {n}, but it must be a whole number")).help =
                Some(format!("write `{rounded}`"));
        }
        Some(Value::String(s)) if s.contains("{{") => {}
        Some(Value::String(s)) => {
            let help = match s.trim().parse::<i64>() {
                Ok(n) => format!("remove the quotes: `{n}`"),
                Err(_) => "write a whole number".into(),
            };
            cx.report(doc, &pointer(), format!("`{field}` is the string `{s}`, but it must be a whole number")).help =
                Some(help);
        }
        Some(other) => {
            cx.report(doc, &pointer(), format!("`{field}` must be a whole number, not {}", kind_of(other))).help =
                Some("write a whole number".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::{lines, run};

    const HEAD: &str =
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: a\nspec:\n  syncPolicy:\n    retry:\n";

    #[test]
    fn parses_durations_like_go() {
        assert_eq!(parse_go_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_go_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_go_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_go_duration("5.s"), Ok(5_000_000_000));
        assert_eq!(parse_go_duration("-2m"), Ok(-120_000_000_000));
        assert_eq!(parse_go_duration("0"), Ok(0));
        assert_eq!(parse_go_duration("300\u{b5}s"), Ok(300_000));
        assert_eq!(parse_go_duration("1.5"), Err(DurationError::MissingUnit));
        assert_eq!(parse_go_duration("5min"), Err(DurationError::UnknownUnit("min".into())));
        assert_eq!(parse_go_duration("."), Err(DurationError::Invalid));
        assert_eq!(parse_go_duration(""), Err(DurationError::Invalid));
        assert_eq!(parse_go_duration("5 s"), Err(DurationError::UnknownUnit(" s".into())));
        assert_eq!(parse_go_duration("3000000h"), Err(DurationError::Overflow));
    }

    #[test]
    fn rejects_bad_durations() {
        let src = format!("{HEAD}      backoff:\n        duration: 5min\n        maxDuration: 1d\n");
        let f = run(&RetryInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (
                    9,
                    19,
                    "`backoff.duration: 5min` uses the unit `min`, which Go durations do not have; Argo CD cannot \
                     retry the sync"
                        .into()
                ),
                (
                    10,
                    22,
                    "`backoff.maxDuration: 1d` uses the unit `d`, which Go durations do not have; Argo CD cannot \
                     retry the sync"
                        .into()
                ),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("did you mean `5m`? Units are ns, us, ms, s, m, h (no days)"));
        assert_eq!(f[1].help.as_deref(), Some("did you mean `24h`? Units are ns, us, ms, s, m, h (no days)"));
    }

    #[test]
    fn rejects_wrong_types() {
        let src = format!("{HEAD}      limit: \"5\"\n      backoff:\n        duration: 30\n        factor: 1.5\n");
        let f = run(&RetryInvalid, &src);
        assert_eq!(
            lines(&f),
            vec![
                (8, 14, "`limit` is the string `5`, but it must be a whole number".into()),
                (11, 17, "`backoff.factor` is 1.5, but it must be a whole number".into()),
                (10, 19, "`backoff.duration` is the number 30, but it must be a string".into()),
            ]
        );
        assert_eq!(f[0].help.as_deref(), Some("remove the quotes: `5`"));
        assert_eq!(
            f[2].help.as_deref(),
            Some("quote it (`\"30\"` means 30 seconds) or write a duration such as `30s`")
        );
    }

    #[test]
    fn accepts_seconds_and_go_durations() {
        let src = format!(
            "{HEAD}      limit: -1\n      backoff:\n        duration: \"30\"\n        factor: 2\n        maxDuration: 1h30m\n"
        );
        assert!(run(&RetryInvalid, &src).is_empty());
        let src = format!("{HEAD}      limit: 5.0\n      backoff:\n        duration: 500ms\n");
        assert!(run(&RetryInvalid, &src).is_empty());
    }
}
