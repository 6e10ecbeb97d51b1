//! Argo CD's "safe" `os` subset (`util/lua/oslib_safe.go`): `os.time` and `os.date`, reproduced with
//! their Go quirks. argovet evaluates them in UTC (Argo CD uses the controller's local zone, which is
//! UTC in its container image), so results do not depend on the machine running the tests.

use mlua::{Lua, Table, Value as LuaValue};

use crate::gotmpl::sprig::date::Time;

/// Go's `time.Date(...)` in UTC, as Unix seconds.
pub fn unix_from_fields(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> i64 {
    Time::date(year, month, day, hour, min, sec).secs
}

/// The Go layout gopher-lua's `strftime` maps each flag letter to (`%w` is handled apart).
fn flag_layout(c: char) -> Option<&'static str> {
    Some(match c {
        // "mon" is not a layout element: Go prints it literally.
        'a' => "mon",
        'A' => "Monday",
        'b' => "Jan",
        'B' => "January",
        'c' => "02 Jan 06 15:04 MST",
        'd' => "02",
        'F' => "2006-01-02",
        'H' => "15",
        'I' => "03",
        'm' => "01",
        'M' => "04",
        'p' => "PM",
        'P' => "pm",
        'S' => "05",
        // Argo CD's table maps %x to "15/04/05": hour/minute/second.
        'x' => "15/04/05",
        'X' => "15:04:05",
        'y' => "06",
        'Y' => "2006",
        'z' => "-0700",
        'Z' => "MST",
        _ => return None,
    })
}

/// gopher-lua's `strftime` with its flag scanner: `%%` is `%`, known letters are replaced by Go's
/// `t.Format` of their layout, unknown ones are kept verbatim (`%j` stays `%j`), a lone trailing `%`
/// is kept.
pub fn strftime(t: &Time, fmt: &str) -> String {
    strftime_budgeted(t, fmt, &mut |_| true).unwrap_or_default()
}

/// [`strftime`] that asks `keep_going` every 1024 characters of the format and gives up (`None`)
/// when told to stop: a format of millions of `%c` takes seconds to expand. `keep_going` gets the
/// length of the text so far.
pub fn strftime_budgeted(t: &Time, fmt: &str, keep_going: &mut dyn FnMut(usize) -> bool) -> Option<String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut steps = 0u32;
    while i < chars.len() {
        steps += 1;
        if steps.is_multiple_of(1024) && !keep_going(out.len()) {
            return None;
        }
        let c = chars[i];
        if c == '%' && i + 1 < chars.len() {
            let f = chars[i + 1];
            if f == '%' {
                out.push('%');
            } else if f == 'w' {
                out.push_str(&t.fields().6.to_string());
            } else if let Some(layout) = flag_layout(f) {
                out.push_str(&t.format(layout));
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
    Some(out)
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
        return Ok(Time::now().secs as f64);
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
    let mut t = Time::now().secs;
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
            let (year, month, day, hour, min, sec, weekday, _) = Time::unix(t).fields();
            let r = lua.create_table()?;
            r.raw_set("year", year as f64)?;
            r.raw_set("month", month as f64)?;
            r.raw_set("day", day as f64)?;
            r.raw_set("hour", hour as f64)?;
            r.raw_set("min", min as f64)?;
            r.raw_set("sec", sec as f64)?;
            r.raw_set("wday", (weekday + 1) as f64)?;
            r.raw_set("yday", 0.0)?;
            r.raw_set("isdst", false)?;
            return Ok(LuaValue::Table(r));
        }
    }
    let room = super::sandbox::memory_room(lua);
    let mut too_big = false;
    let text = strftime_budgeted(&Time::unix(t), &fmt, &mut |len| {
        too_big = len > room;
        !too_big && super::sandbox::keep_going(lua)
    });
    let text = match text {
        Some(t) => t,
        None if too_big => return Err(mlua::Error::MemoryError("not enough memory".to_owned())),
        None => return Err(mlua::Error::runtime("context deadline exceeded")),
    };
    Ok(LuaValue::String(lua.create_string(text)?))
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
        let t = Time::unix(1_709_208_000 + 3 * 3600 + 4 * 60 + 5); // 2024-02-29 15:04:05 UTC, a Thursday
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
