//! Argo CD's "safe" `os` subset (`util/lua/oslib_safe.go`): `os.time` and `os.date`, reproduced with
//! their Go quirks. argovet evaluates them in UTC (Argo CD uses the controller's local zone, which is
//! UTC in its container image), so results do not depend on the machine running the tests.

use mlua::{Lua, Table, Value as LuaValue};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Go's `time.Date(year, month, day, hour, min, sec, 0, UTC).Unix()`, out-of-range fields normalised.
pub fn unix_from_fields(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> i64 {
    let m0 = month - 1;
    let year = year + m0.div_euclid(12);
    let month = m0.rem_euclid(12) + 1;
    let days = days_from_civil(year, month, 1) + day - 1;
    days * 86_400 + hour * 3_600 + min * 60 + sec
}

/// A broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    /// Year.
    pub year: i64,
    /// Month, 1-12.
    pub month: i64,
    /// Day of the month, 1-31.
    pub day: i64,
    /// Hour, 0-23.
    pub hour: i64,
    /// Minute.
    pub min: i64,
    /// Second.
    pub sec: i64,
    /// Day of the week, Sunday = 0.
    pub weekday: i64,
}

/// Breaks a Unix time into UTC fields.
pub fn civil(t: i64) -> Civil {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Civil {
        year,
        month,
        day,
        hour: secs / 3600,
        min: secs % 3600 / 60,
        sec: secs % 60,
        weekday: (days + 4).rem_euclid(7),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// The text Go's `t.Format(layout)` gives for the layout Argo CD maps each strftime letter to.
fn flag_text(c: char, t: &Civil) -> Option<String> {
    let month = MONTHS[(t.month - 1).clamp(0, 11) as usize];
    let h12 = if t.hour % 12 == 0 { 12 } else { t.hour % 12 };
    let yy = t.year.rem_euclid(100);
    Some(match c {
        // Go's layout "mon" is not a layout element: it prints literally.
        'a' => "mon".to_owned(),
        'A' => DAYS[t.weekday as usize].to_owned(),
        'b' => month[..3].to_owned(),
        'B' => month.to_owned(),
        'c' => format!("{:02} {} {:02} {:02}:{:02} UTC", t.day, &month[..3], yy, t.hour, t.min),
        'd' => format!("{:02}", t.day),
        'F' => format!("{:04}-{:02}-{:02}", t.year, t.month, t.day),
        'H' => format!("{:02}", t.hour),
        'I' => format!("{h12:02}"),
        'm' => format!("{:02}", t.month),
        'M' => format!("{:02}", t.min),
        'p' => (if t.hour < 12 { "AM" } else { "PM" }).to_owned(),
        'P' => (if t.hour < 12 { "am" } else { "pm" }).to_owned(),
        'S' => format!("{:02}", t.sec),
        // Argo CD maps %x to the layout "15/04/05": hour/minute/second.
        'x' => format!("{:02}/{:02}/{:02}", t.hour, t.min, t.sec),
        'X' => format!("{:02}:{:02}:{:02}", t.hour, t.min, t.sec),
        'y' => format!("{yy:02}"),
        'Y' => format!("{:04}", t.year),
        'z' => "+0000".to_owned(),
        'Z' => "UTC".to_owned(),
        'w' => t.weekday.to_string(),
        _ => return None,
    })
}

/// gopher-lua's `strftime` with its flag scanner: `%%` is `%`, known letters are replaced, unknown ones
/// are kept verbatim (`%j` stays `%j`), a lone trailing `%` is kept.
pub fn strftime(t: &Civil, fmt: &str) -> String {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '%' && i + 1 < chars.len() {
            let f = chars[i + 1];
            if f == '%' {
                out.push('%');
            } else if let Some(text) = flag_text(f, t) {
                out.push_str(&text);
            } else {
                out.push('%');
                out.push(f);
            }
            i += 2;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn int_field(t: &Table, key: &str, default: i64) -> i64 {
    match t.raw_get::<LuaValue>(key) {
        // Go's int(float64) truncates toward zero.
        Ok(LuaValue::Number(n)) => n.trunc() as i64,
        Ok(LuaValue::Integer(i)) => i,
        _ => default,
    }
}

/// Builds the `{time, date}` function table.
pub fn safe_os_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.raw_set("time", lua.create_function(os_time)?)?;
    t.raw_set("date", lua.create_function(os_date)?)?;
    Ok(t)
}

fn os_time(_lua: &Lua, args: mlua::MultiValue) -> mlua::Result<f64> {
    if args.is_empty() {
        return Ok(now() as f64);
    }
    let Some(LuaValue::Table(t)) = args.front() else {
        let got = args.front().map_or("no value", super::convert::go_type_name);
        return Err(mlua::Error::runtime(format!("bad argument #1 to time (table expected, got {got})")));
    };
    let secs = unix_from_fields(
        int_field(t, "year", -1),
        int_field(t, "month", -1),
        int_field(t, "day", -1),
        int_field(t, "hour", 12),
        int_field(t, "min", 0),
        int_field(t, "sec", 0),
    );
    Ok(secs as f64)
}

fn os_date(lua: &Lua, args: mlua::MultiValue) -> mlua::Result<LuaValue> {
    let mut t = now();
    let mut fmt = "%c".to_owned();
    if let Some(first) = args.front() {
        fmt = match first {
            LuaValue::String(s) => s.to_string_lossy(),
            LuaValue::Number(n) => super::convert::go_number_string(*n),
            LuaValue::Integer(i) => i.to_string(),
            other => {
                let got = super::convert::go_type_name(other);
                return Err(mlua::Error::runtime(format!("bad argument #1 to date (string expected, got {got})")));
            }
        };
        fmt = fmt.trim_start_matches('!').to_owned();
        if let Some(second) = args.get(1) {
            t = match second {
                LuaValue::Number(n) => n.trunc() as i64,
                LuaValue::Integer(i) => *i,
                LuaValue::String(s) => match s.to_string_lossy().trim().parse::<f64>() {
                    Ok(n) => n.trunc() as i64,
                    Err(_) => {
                        return Err(mlua::Error::runtime("bad argument #2 to date (number expected, got string)"));
                    }
                },
                other => {
                    let got = super::convert::go_type_name(other);
                    return Err(mlua::Error::runtime(format!("bad argument #2 to date (number expected, got {got})")));
                }
            };
        }
        if fmt.starts_with("*t") {
            let c = civil(t);
            let r = lua.create_table()?;
            r.raw_set("year", c.year as f64)?;
            r.raw_set("month", c.month as f64)?;
            r.raw_set("day", c.day as f64)?;
            r.raw_set("hour", c.hour as f64)?;
            r.raw_set("min", c.min as f64)?;
            r.raw_set("sec", c.sec as f64)?;
            r.raw_set("wday", (c.weekday + 1) as f64)?;
            r.raw_set("yday", 0.0)?;
            r.raw_set("isdst", false)?;
            return Ok(LuaValue::Table(r));
        }
    }
    Ok(LuaValue::String(lua.create_string(strftime(&civil(t), &fmt))?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_fields_normalise_like_go() {
        assert_eq!(unix_from_fields(1970, 1, 1, 0, 0, 0), 0);
        assert_eq!(unix_from_fields(2024, 2, 29, 12, 0, 0), 1_709_208_000);
        // month 13 is January of the next year; day 0 is the last day of the previous month.
        assert_eq!(unix_from_fields(2023, 13, 1, 0, 0, 0), unix_from_fields(2024, 1, 1, 0, 0, 0));
        assert_eq!(unix_from_fields(2024, 3, 0, 0, 0, 0), unix_from_fields(2024, 2, 29, 0, 0, 0));
    }

    #[test]
    fn strftime_matches_argo_cd_layouts() {
        let t = civil(1_709_208_000 + 3 * 3600 + 4 * 60 + 5); // 2024-02-29 15:04:05 UTC, a Thursday
        assert_eq!(strftime(&t, "%Y-%m-%dT%H:%M:%SZ"), "2024-02-29T15:04:05Z");
        assert_eq!(strftime(&t, "%c"), "29 Feb 24 15:04 UTC");
        assert_eq!(strftime(&t, "%a %A %x %w %j %% %"), "mon Thursday 15/04/05 4 %j % %");
        assert_eq!(strftime(&t, "%I%p"), "03PM");
    }

    #[test]
    fn os_date_star_t_and_os_time_round_trip() {
        let lua = Lua::new();
        lua.globals().set("os2", safe_os_table(&lua).unwrap()).unwrap();
        let (y, wday, back): (f64, f64, f64) = lua
            .load("local t = os2.date('*t', 86400 * 365) return t.year, t.wday, os2.time({year = 1971, month = 1, day = 1, hour = 0})")
            .eval()
            .unwrap();
        assert_eq!((y, wday, back), (1971.0, 6.0, 31_536_000.0));
        let e = lua.load("return os2.time(nil)").eval::<f64>().unwrap_err().to_string();
        assert!(e.contains("table expected, got nil"), "{e}");
    }
}
