//! Sync-window schedules as Argo CD parses them: robfig/cron v3 with
//! `cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)`
//! (`SyncWindow.Validate` in `pkg/apis/application/v1alpha1/types.go`). That is five fields, no seconds
//! and no `@daily`-style descriptors (the `Descriptor` option is not set); an optional `TZ=`/`CRON_TZ=`
//! prefix. Error texts are robfig/cron's (`parser.go`).

/// One cron field's bounds and names (`spec.go`).
struct Bounds {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MONTHS: &[(&str, u32)] = &[
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("may", 5),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];
const DAYS: &[(&str, u32)] = &[("sun", 0), ("mon", 1), ("tue", 2), ("wed", 3), ("thu", 4), ("fri", 5), ("sat", 6)];

const FIELDS: [Bounds; 5] = [
    Bounds { name: "minute", min: 0, max: 59, names: &[] },
    Bounds { name: "hour", min: 0, max: 23, names: &[] },
    Bounds { name: "day of month", min: 1, max: 31, names: &[] },
    Bounds { name: "month", min: 1, max: 12, names: MONTHS },
    Bounds { name: "day of week", min: 0, max: 6, names: DAYS },
];

/// Checks a schedule; `Err` has robfig/cron's message, prefixed by the field it is about.
pub fn check_schedule(spec: &str, known_zone: impl Fn(&str) -> bool) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".into());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let Some(space) = spec.find(' ') else {
            return Err("a `TZ=` prefix must be followed by a space and the schedule".into());
        };
        let eq = spec.find('=').unwrap_or(0);
        let zone = &spec[eq + 1..space];
        if !known_zone(zone) {
            return Err(format!("provided bad location {zone}: unknown time zone {zone}"));
        }
        spec = spec[space..].trim();
    }
    if spec.starts_with('@') {
        return Err(format!("parser does not accept descriptors: {spec}"));
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!("expected exactly 5 fields, found {}: [{}]", fields.len(), fields.join(" ")));
    }
    for (field, bounds) in fields.iter().zip(&FIELDS) {
        for expr in field.split(',').filter(|e| !e.is_empty()) {
            check_range(expr, bounds).map_err(|e| format!("{} field: {e}", bounds.name))?;
        }
    }
    Ok(())
}

fn check_range(expr: &str, r: &Bounds) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let (start, mut end);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (start, end) = (r.min, r.max);
    } else {
        start = int_or_name(low_and_high[0], r)?;
        end = match low_and_high.len() {
            1 => start,
            2 => int_or_name(low_and_high[1], r)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = parse_int(range_and_step[1])?;
            if low_and_high.len() == 1 {
                end = r.max;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < r.min {
        return Err(format!("beginning of range ({start}) below minimum ({}): {expr}", r.min));
    }
    if end > r.max {
        return Err(format!("end of range ({end}) above maximum ({}): {expr}", r.max));
    }
    if start > end {
        return Err(format!("beginning of range ({start}) beyond end of range ({end}): {expr}"));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

fn int_or_name(expr: &str, r: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, n)) = r.names.iter().find(|(name, _)| *name == lower) {
        return Ok(*n);
    }
    parse_int(expr)
}

/// Go's `strconv.Atoi` on a non-negative value (a sign is allowed; `-` never reaches here since it
/// separates ranges).
fn parse_int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix('+').unwrap_or(expr);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("failed to parse int from {expr}: strconv.Atoi: parsing \"{expr}\": invalid syntax"));
    }
    // Anything beyond u32 is beyond every field's maximum anyway.
    Ok(digits.trim_start_matches('0').parse::<u32>().unwrap_or(if digits.bytes().all(|b| b == b'0') {
        0
    } else {
        u32::MAX
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str) -> Result<(), String> {
        check_schedule(s, |z| z == "Europe/Paris")
    }

    #[test]
    fn accepts_standard_five_field_schedules() {
        for s in ["10 1 * * *", "*/15 0-6 * * MON-FRI", "0 22 1,15 jan,Jul ?", "0 0 * * 0", "TZ=Europe/Paris 0 1 * * *"]
        {
            assert_eq!(check(s), Ok(()), "{s}");
        }
    }

    #[test]
    fn rejects_what_robfig_cron_rejects() {
        let cases = [
            ("", "empty spec string"),
            ("@daily", "parser does not accept descriptors: @daily"),
            ("0 0 1 * * *", "expected exactly 5 fields, found 6: [0 0 1 * * *]"),
            ("0 24 * * *", "hour field: end of range (24) above maximum (23): 24"),
            ("0 0 * * 7", "day of week field: end of range (7) above maximum (6): 7"),
            ("0 0 0 * *", "day of month field: beginning of range (0) below minimum (1): 0"),
            ("0 0 * * 5-1", "day of week field: beginning of range (5) beyond end of range (1): 5-1"),
            ("*/0 * * * *", "minute field: step of range should be a positive number: */0"),
            ("0 0 * * MON-FRI-SAT", "day of week field: too many hyphens: MON-FRI-SAT"),
            (
                "0 0 * JANUARY *",
                "month field: failed to parse int from JANUARY: strconv.Atoi: parsing \"JANUARY\": invalid syntax",
            ),
            ("TZ=Mars/Base 0 0 * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"),
        ];
        for (s, want) in cases {
            assert_eq!(check(s), Err(want.to_string()), "{s}");
        }
    }
}
