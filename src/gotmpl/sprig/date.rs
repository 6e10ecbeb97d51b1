//! sprig's date functions with Go's `time` layout formatting and parsing. Times are kept as Unix
//! seconds + nanoseconds + a fixed UTC offset; "Local" is UTC (Argo CD's controller runs in UTC) and
//! named IANA zones other than UTC fall back to UTC (see docs/gotmpl.md).

use std::time::{SystemTime, UNIX_EPOCH};

use super::super::funcs::{Registry, Ty, add};
use super::super::value::Value;

/// A `time.Time`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Time {
    /// Seconds since the Unix epoch.
    pub secs: i64,
    /// Nanoseconds within the second.
    pub nsec: u32,
    /// UTC offset in seconds.
    pub offset: i32,
    /// Zone abbreviation (`UTC`, or empty for a numeric offset).
    pub zone: String,
}

const SECS_0001_TO_1970: i64 = 62135596800;

impl Time {
    /// The current time, in UTC.
    pub fn now() -> Time {
        let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Time { secs: d.as_secs() as i64, nsec: d.subsec_nanos(), offset: 0, zone: "UTC".into() }
    }

    /// `time.Unix(secs, 0)` in the local zone (UTC here).
    pub fn unix(secs: i64) -> Time {
        Time { secs, nsec: 0, offset: 0, zone: "UTC".into() }
    }

    /// `time.Date(year, month, day, hour, min, sec, 0, time.UTC)`: out-of-range fields carry over into
    /// the next larger one, as Go normalises them (month 13 is January of the next year, day 0 the last
    /// day of the previous month).
    pub fn date(year: i64, month: i64, day: i64, hour: i64, min: i64, sec: i64) -> Time {
        let m0 = month - 1;
        let year = year + m0.div_euclid(12);
        let month = m0.rem_euclid(12) + 1;
        let days = days_from_civil(year, month, 1) + day - 1;
        Time::unix(days * 86_400 + hour * 3_600 + min * 60 + sec)
    }

    /// Go's zero time, `0001-01-01 00:00:00 +0000 UTC`.
    pub fn zero() -> Time {
        Time { secs: -SECS_0001_TO_1970, nsec: 0, offset: 0, zone: "UTC".into() }
    }

    fn civil(&self) -> Civil {
        civil(self.secs + self.offset as i64)
    }

    /// `Time.String()`.
    pub fn go_string(&self) -> String {
        self.format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// RFC 3339 with nanoseconds, as `encoding/json` marshals a time.
    pub fn rfc3339_nano(&self) -> String {
        self.format("2006-01-02T15:04:05.999999999Z07:00")
    }

    /// `Time.Format(layout)`.
    pub fn format(&self, layout: &str) -> String {
        let c = self.civil();
        let mut out = String::new();
        let mut rest = layout;
        while !rest.is_empty() {
            let (prefix, tok, suffix) = next_std(rest);
            out.push_str(prefix);
            let Some(tok) = tok else { break };
            rest = suffix;
            match tok {
                Tok::Year => out.push_str(&format!("{:04}", c.year)),
                Tok::Year2 => out.push_str(&format!("{:02}", c.year.rem_euclid(100))),
                Tok::LongMonth => out.push_str(MONTHS[(c.month - 1) as usize]),
                Tok::Month => out.push_str(&MONTHS[(c.month - 1) as usize][..3]),
                Tok::NumMonth => out.push_str(&c.month.to_string()),
                Tok::ZeroMonth => out.push_str(&format!("{:02}", c.month)),
                Tok::LongWeekDay => out.push_str(DAYS[c.weekday as usize]),
                Tok::WeekDay => out.push_str(&DAYS[c.weekday as usize][..3]),
                Tok::Day => out.push_str(&c.day.to_string()),
                Tok::UnderDay => out.push_str(&format!("{:>2}", c.day)),
                Tok::ZeroDay => out.push_str(&format!("{:02}", c.day)),
                Tok::UnderYearDay => out.push_str(&format!("{:>3}", c.yday)),
                Tok::ZeroYearDay => out.push_str(&format!("{:03}", c.yday)),
                Tok::Hour => out.push_str(&format!("{:02}", c.hour)),
                Tok::Hour12 => out.push_str(&(if c.hour % 12 == 0 { 12 } else { c.hour % 12 }).to_string()),
                Tok::ZeroHour12 => out.push_str(&format!("{:02}", if c.hour % 12 == 0 { 12 } else { c.hour % 12 })),
                Tok::Minute => out.push_str(&c.minute.to_string()),
                Tok::ZeroMinute => out.push_str(&format!("{:02}", c.minute)),
                Tok::Second => out.push_str(&c.second.to_string()),
                Tok::ZeroSecond => out.push_str(&format!("{:02}", c.second)),
                Tok::PM => out.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
                Tok::Pm => out.push_str(if c.hour >= 12 { "pm" } else { "am" }),
                Tok::TZ => {
                    if self.zone.is_empty() {
                        out.push_str(&fmt_offset(self.offset, false, false, true));
                    } else {
                        out.push_str(&self.zone);
                    }
                }
                Tok::Offset { z, colon, secs, short } => {
                    if z && self.offset == 0 {
                        out.push('Z');
                    } else {
                        out.push_str(&fmt_offset(self.offset, colon, secs, short));
                    }
                }
                Tok::Frac { digits, trim, sep } => {
                    let f = format!("{:09}", self.nsec);
                    let mut f = f[..digits].to_string();
                    if trim {
                        while f.ends_with('0') {
                            f.pop();
                        }
                        if !f.is_empty() {
                            out.push(sep);
                            out.push_str(&f);
                        }
                    } else {
                        out.push(sep);
                        out.push_str(&f);
                    }
                }
            }
        }
        out
    }

    /// `time.Parse(layout, value)` (UTC unless the value carries an offset).
    pub fn parse(layout: &str, value: &str) -> Result<Time, String> {
        let err = |vp: &str, lp: &str| {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                crate::gotmpl::lexer::go_quote(value),
                crate::gotmpl::lexer::go_quote(layout),
                crate::gotmpl::lexer::go_quote(vp),
                crate::gotmpl::lexer::go_quote(lp)
            )
        };
        let (mut year, mut month, mut day, mut hour, mut min, mut sec, mut nsec) =
            (0i64, 1i64, 1i64, 0i64, 0i64, 0i64, 0u32);
        let mut pm: Option<bool> = None;
        let mut offset: Option<i32> = None;
        let mut zone = String::new();
        let mut l = layout;
        let mut v = value;
        loop {
            let (prefix, tok, suffix) = next_std(l);
            let std_str = &l[prefix.len()..l.len() - suffix.len()];
            match v.strip_prefix(prefix) {
                Some(rest) => v = rest,
                None => return Err(err(v, prefix)),
            }
            let Some(tok) = tok else {
                if !v.is_empty() {
                    return Err(format!(
                        "parsing time {}: extra text: {}",
                        crate::gotmpl::lexer::go_quote(value),
                        crate::gotmpl::lexer::go_quote(v)
                    ));
                }
                break;
            };
            l = suffix;
            let num = |v: &mut &str, min_len: usize, max_len: usize| -> Option<i64> {
                let n = v.bytes().take(max_len).take_while(u8::is_ascii_digit).count();
                if n < min_len {
                    return None;
                }
                let x = v[..n].parse().ok()?;
                *v = &v[n..];
                Some(x)
            };
            let hold = v;
            let ok = match tok {
                Tok::Year => num(&mut v, 4, 4).map(|x| year = x),
                Tok::Year2 => num(&mut v, 2, 2).map(|x| year = if x >= 69 { 1900 + x } else { 2000 + x }),
                Tok::LongMonth | Tok::Month => {
                    let long = matches!(tok, Tok::LongMonth);
                    MONTHS
                        .iter()
                        .position(|m| {
                            let name = if long { *m } else { &m[..3] };
                            v.get(..name.len()).is_some_and(|p| p.eq_ignore_ascii_case(name))
                        })
                        .map(|i| {
                            let name_len = if long { MONTHS[i].len() } else { 3 };
                            v = &v[name_len..];
                            month = i as i64 + 1;
                        })
                }
                Tok::NumMonth => num(&mut v, 1, 2).map(|x| month = x),
                Tok::ZeroMonth => num(&mut v, 2, 2).map(|x| month = x),
                Tok::LongWeekDay | Tok::WeekDay => {
                    let long = matches!(tok, Tok::LongWeekDay);
                    DAYS.iter()
                        .find(|d| {
                            let name = if long { **d } else { &d[..3] };
                            v.get(..name.len()).is_some_and(|p| p.eq_ignore_ascii_case(name))
                        })
                        .map(|d| v = &v[if long { d.len() } else { 3 }..])
                }
                Tok::Day | Tok::UnderDay | Tok::ZeroDay => {
                    if matches!(tok, Tok::UnderDay) && v.starts_with(' ') {
                        v = &v[1..];
                    }
                    num(&mut v, if matches!(tok, Tok::ZeroDay) { 2 } else { 1 }, 2).map(|x| day = x)
                }
                Tok::UnderYearDay | Tok::ZeroYearDay => num(&mut v, 3, 3).map(|_| ()),
                Tok::Hour => num(&mut v, 2, 2).map(|x| hour = x),
                Tok::Hour12 | Tok::ZeroHour12 => {
                    num(&mut v, if matches!(tok, Tok::ZeroHour12) { 2 } else { 1 }, 2).map(|x| hour = x)
                }
                Tok::Minute | Tok::ZeroMinute => {
                    num(&mut v, if matches!(tok, Tok::ZeroMinute) { 2 } else { 1 }, 2).map(|x| min = x)
                }
                Tok::Second | Tok::ZeroSecond => {
                    let r = num(&mut v, if matches!(tok, Tok::ZeroSecond) { 2 } else { 1 }, 2).map(|x| sec = x);
                    // A fractional second may follow even if the layout has none.
                    if r.is_some()
                        && v.starts_with('.')
                        && !l.starts_with('.')
                        && v[1..].starts_with(|c: char| c.is_ascii_digit())
                    {
                        let n = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                        let f = format!("{:0<9}", &v[1..1 + n.min(9)]);
                        nsec = f.parse().unwrap_or(0);
                        v = &v[1 + n..];
                    }
                    r
                }
                Tok::PM | Tok::Pm => {
                    if let Some(p) = v.get(..2) {
                        let r = match p.to_ascii_uppercase().as_str() {
                            "PM" => {
                                pm = Some(true);
                                Some(())
                            }
                            "AM" => {
                                pm = Some(false);
                                Some(())
                            }
                            _ => None,
                        };
                        v = &v[2..];
                        r
                    } else {
                        None
                    }
                }
                Tok::TZ => {
                    let n = v.bytes().take_while(u8::is_ascii_uppercase).count();
                    if n >= 3 {
                        zone = v[..n].to_string();
                        if zone == "UTC" {
                            offset = Some(0);
                        }
                        v = &v[n..];
                        Some(())
                    } else {
                        None
                    }
                }
                Tok::Offset { z, colon, secs, short } => {
                    if z && v.starts_with('Z') {
                        v = &v[1..];
                        offset = Some(0);
                        zone = "UTC".into();
                        Some(())
                    } else {
                        parse_offset(&mut v, colon, secs, short).map(|o| offset = Some(o))
                    }
                }
                Tok::Frac { digits, trim, .. } => {
                    if v.starts_with('.') || v.starts_with(',') {
                        let n = v[1..].bytes().take_while(u8::is_ascii_digit).count();
                        if !trim && n != digits {
                            None
                        } else {
                            let f = format!("{:0<9}", &v[1..1 + n.min(9)]);
                            nsec = f.parse().unwrap_or(0);
                            v = &v[1 + n..];
                            Some(())
                        }
                    } else if trim {
                        Some(())
                    } else {
                        None
                    }
                }
            };
            if ok.is_none() {
                return Err(err(hold, std_str));
            }
        }
        if let Some(p) = pm {
            if p && hour < 12 {
                hour += 12;
            } else if !p && hour == 12 {
                hour = 0;
            }
        }
        let range_err =
            |what: &str| format!("parsing time {}: {what} out of range", crate::gotmpl::lexer::go_quote(value));
        if !(1..=12).contains(&month) {
            return Err(range_err("month"));
        }
        if day < 1 || day > days_in_month(year, month) {
            return Err(range_err("day"));
        }
        if hour > 23 {
            return Err(range_err("hour"));
        }
        if min > 59 {
            return Err(range_err("minute"));
        }
        if sec > 59 {
            return Err(range_err("second"));
        }
        let off = offset.unwrap_or(0);
        let local = days_from_civil(year, month, day) * 86400 + hour * 3600 + min * 60 + sec;
        let zone = match offset {
            None => "UTC".to_string(),
            Some(0) if zone.is_empty() || zone == "UTC" => "UTC".into(),
            Some(_) => String::new(),
        };
        Ok(Time { secs: local - off as i64, nsec, offset: off, zone })
    }

    /// `t.Add(d)`.
    pub fn add(&self, nanos: i128) -> Time {
        let total = self.secs as i128 * 1_000_000_000 + self.nsec as i128 + nanos;
        Time {
            secs: total.div_euclid(1_000_000_000) as i64,
            nsec: total.rem_euclid(1_000_000_000) as u32,
            offset: self.offset,
            zone: self.zone.clone(),
        }
    }

    /// Nanoseconds since the epoch.
    pub fn unix_nanos(&self) -> i128 {
        self.secs as i128 * 1_000_000_000 + self.nsec as i128
    }

    /// Calendar fields: (year, month, day, hour, minute, second, weekday 0=Sunday, yday).
    pub fn fields(&self) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
        let c = self.civil();
        (c.year, c.month, c.day, c.hour, c.minute, c.second, c.weekday, c.yday)
    }
}

fn parse_offset(v: &mut &str, colon: bool, secs: bool, short: bool) -> Option<i32> {
    let b = v.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = |s: &[u8]| -> Option<i32> {
        if s.len() == 2 && s.iter().all(u8::is_ascii_digit) {
            Some(((s[0] - b'0') * 10 + (s[1] - b'0')) as i32)
        } else {
            None
        }
    };
    let h = digits(b.get(1..3)?)?;
    let mut i = 3;
    let mut m = 0;
    let mut s = 0;
    if !short {
        if colon {
            if *b.get(i)? != b':' {
                return None;
            }
            i += 1;
        }
        m = digits(b.get(i..i + 2)?)?;
        i += 2;
        if secs {
            if colon {
                if *b.get(i)? != b':' {
                    return None;
                }
                i += 1;
            }
            s = digits(b.get(i..i + 2)?)?;
            i += 2;
        }
    }
    *v = &v[i..];
    Some(sign * (h * 3600 + m * 60 + s))
}

fn fmt_offset(off: i32, colon: bool, secs: bool, short: bool) -> String {
    let sign = if off < 0 { '-' } else { '+' };
    let a = off.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    let mut out = format!("{sign}{h:02}");
    if short {
        return out;
    }
    if colon {
        out.push(':');
    }
    out.push_str(&format!("{m:02}"));
    if secs {
        if colon {
            out.push(':');
        }
        out.push_str(&format!("{s:02}"));
    }
    out
}

/// English month names, as Go prints them.
pub(crate) const MONTHS: [&str; 12] = [
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

struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    weekday: i64,
    yday: i64,
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil(t: i64) -> Civil {
    let days = t.div_euclid(86400);
    let rem = t.rem_euclid(86400);
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let yday = days - days_from_civil(year, 1, 1) + 1;
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
        weekday: (days + 4).rem_euclid(7),
        yday,
    }
}

#[derive(Clone, Copy)]
enum Tok {
    Year,
    Year2,
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    PM,
    Pm,
    TZ,
    Offset { z: bool, colon: bool, secs: bool, short: bool },
    Frac { digits: usize, trim: bool, sep: char },
}

/// Go's `nextStdChunk`: the text before the first layout element, the element, and the rest.
fn next_std(layout: &str) -> (&str, Option<Tok>, &str) {
    let b = layout.as_bytes();
    let starts = |i: usize, s: &str| layout[i..].starts_with(s);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let found: Option<(Tok, usize)> = match c {
            b'J' => {
                if starts(i, "January") {
                    Some((Tok::LongMonth, 7))
                } else if starts(i, "Jan") {
                    Some((Tok::Month, 3))
                } else {
                    None
                }
            }
            b'M' => {
                if starts(i, "Monday") {
                    Some((Tok::LongWeekDay, 6))
                } else if starts(i, "Mon") {
                    Some((Tok::WeekDay, 3))
                } else if starts(i, "MST") {
                    Some((Tok::TZ, 3))
                } else {
                    None
                }
            }
            b'0' => match b.get(i + 1) {
                Some(b'1') => Some((Tok::ZeroMonth, 2)),
                Some(b'2') => Some((Tok::ZeroDay, 2)),
                Some(b'3') => Some((Tok::ZeroHour12, 2)),
                Some(b'4') => Some((Tok::ZeroMinute, 2)),
                Some(b'5') => Some((Tok::ZeroSecond, 2)),
                Some(b'6') => Some((Tok::Year2, 2)),
                Some(b'0') if b.get(i + 2) == Some(&b'2') => Some((Tok::ZeroYearDay, 3)),
                _ => None,
            },
            b'1' => {
                if b.get(i + 1) == Some(&b'5') {
                    Some((Tok::Hour, 2))
                } else {
                    Some((Tok::NumMonth, 1))
                }
            }
            b'2' => {
                if starts(i, "2006") {
                    Some((Tok::Year, 4))
                } else {
                    Some((Tok::Day, 1))
                }
            }
            b'_' => {
                if b.get(i + 1) == Some(&b'2') {
                    if starts(i + 1, "2006") {
                        // "_2006" is a literal underscore followed by the year.
                        return (&layout[..i + 1], Some(Tok::Year), &layout[i + 5..]);
                    }
                    Some((Tok::UnderDay, 2))
                } else if starts(i, "__2") {
                    Some((Tok::UnderYearDay, 3))
                } else {
                    None
                }
            }
            b'3' => Some((Tok::Hour12, 1)),
            b'4' => Some((Tok::Minute, 1)),
            b'5' => Some((Tok::Second, 1)),
            b'P' if b.get(i + 1) == Some(&b'M') => Some((Tok::PM, 2)),
            b'p' if b.get(i + 1) == Some(&b'm') => Some((Tok::Pm, 2)),
            b'-' => {
                if starts(i, "-07:00:00") {
                    Some((Tok::Offset { z: false, colon: true, secs: true, short: false }, 9))
                } else if starts(i, "-0700") {
                    Some((Tok::Offset { z: false, colon: false, secs: false, short: false }, 5))
                } else if starts(i, "-070000") {
                    Some((Tok::Offset { z: false, colon: false, secs: true, short: false }, 7))
                } else if starts(i, "-07:00") {
                    Some((Tok::Offset { z: false, colon: true, secs: false, short: false }, 6))
                } else if starts(i, "-07") {
                    Some((Tok::Offset { z: false, colon: false, secs: false, short: true }, 3))
                } else {
                    None
                }
            }
            b'Z' => {
                if starts(i, "Z07:00:00") {
                    Some((Tok::Offset { z: true, colon: true, secs: true, short: false }, 9))
                } else if starts(i, "Z070000") {
                    Some((Tok::Offset { z: true, colon: false, secs: true, short: false }, 7))
                } else if starts(i, "Z0700") {
                    Some((Tok::Offset { z: true, colon: false, secs: false, short: false }, 5))
                } else if starts(i, "Z07:00") {
                    Some((Tok::Offset { z: true, colon: true, secs: false, short: false }, 6))
                } else if starts(i, "Z07") {
                    Some((Tok::Offset { z: true, colon: false, secs: false, short: true }, 3))
                } else {
                    None
                }
            }
            b'.' | b',' => {
                let d = b.get(i + 1).copied();
                if matches!(d, Some(b'0') | Some(b'9')) {
                    let ch = d.unwrap_or(b'0');
                    let mut j = i + 1;
                    while j < b.len() && b[j] == ch {
                        j += 1;
                    }
                    if !(j < b.len() && b[j].is_ascii_digit()) {
                        let n = j - (i + 1);
                        Some((Tok::Frac { digits: n.min(9), trim: ch == b'9', sep: c as char }, j - i))
                    } else {
                        None
                    }
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some((tok, len)) = found {
            return (&layout[..i], Some(tok), &layout[i + len..]);
        }
        i += 1;
    }
    (layout, None, "")
}

/// `time.Duration.String()`.
pub(crate) fn duration_string(d: i128) -> String {
    if d == 0 {
        return "0s".into();
    }
    let neg = d < 0;
    let u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (unit, div) = if u < 1_000 {
            ("ns", 1u128)
        } else if u < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        out.push_str(&frac_string(u, div));
        out.push_str(unit);
    } else {
        let secs_total = u / 1_000_000_000;
        let h = secs_total / 3600;
        let m = secs_total / 60 % 60;
        let frac = u % 60_000_000_000;
        if h > 0 {
            out.push_str(&format!("{h}h{m}m"));
        } else if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&frac_string(frac, 1_000_000_000));
        out.push('s');
    }
    if neg { format!("-{out}") } else { out }
}

fn frac_string(v: u128, div: u128) -> String {
    let int = v / div;
    let frac = v % div;
    if frac == 0 {
        return int.to_string();
    }
    let width = div.to_string().len() - 1;
    let f = format!("{frac:0width$}");
    format!("{int}.{}", f.trim_end_matches('0'))
}

/// `time.ParseDuration`, in nanoseconds, with Go's error text.
pub(crate) fn parse_duration(s: &str) -> Result<i128, String> {
    crate::godur::parse_duration(s).map(i128::from).map_err(|e| e.go_message(s))
}

fn time_arg(v: &Value, allow_i32: bool) -> Time {
    let _ = allow_i32;
    match v {
        Value::Time(t) => t.clone(),
        Value::Int(i) | Value::Int64(i) => Time::unix(*i),
        _ => Time::now(),
    }
}

fn in_zone(t: &Time, zone: &str) -> Time {
    let mut t = t.clone();
    // Only UTC (and Local = UTC) are known without a time zone database.
    let _ = zone;
    t.offset = 0;
    t.zone = "UTC".into();
    t
}

pub(crate) fn register(r: &mut Registry) {
    use Ty::{Any, Str};
    add(r, "now", &[], |_| Ok(Value::Time(Time::now())));
    add(r, "date", &[Str, Any], |a| {
        Ok(Value::str(in_zone(&time_arg(&a[1], true), "Local").format(a[0].as_str().unwrap_or_default())))
    });
    for name in ["dateInZone", "date_in_zone"] {
        add(r, name, &[Str, Any, Str], |a| {
            let t = in_zone(&time_arg(&a[1], true), a[2].as_str().unwrap_or_default());
            Ok(Value::str(t.format(a[0].as_str().unwrap_or_default())))
        });
    }
    add(r, "htmlDate", &[Any], |a| Ok(Value::str(in_zone(&time_arg(&a[0], true), "Local").format("2006-01-02"))));
    add(r, "htmlDateInZone", &[Any, Str], |a| {
        Ok(Value::str(in_zone(&time_arg(&a[0], true), a[1].as_str().unwrap_or_default()).format("2006-01-02")))
    });
    for name in ["dateModify", "date_modify"] {
        add(r, name, &[Str, Ty::Time], |a| {
            let t = time_value(&a[1], "dateModify")?;
            Ok(Value::Time(match parse_duration(a[0].as_str().unwrap_or_default()) {
                Ok(d) => t.add(d),
                Err(_) => t,
            }))
        });
    }
    for name in ["mustDateModify", "must_date_modify"] {
        add(r, name, &[Str, Ty::Time], |a| {
            let t = time_value(&a[1], "mustDateModify")?;
            Ok(Value::Time(t.add(parse_duration(a[0].as_str().unwrap_or_default())?)))
        });
    }
    add(r, "ago", &[Any], |a| {
        let t = time_arg(&a[0], false);
        let d = Time::now().unix_nanos() - t.unix_nanos();
        let rounded = (d + if d >= 0 { 500_000_000 } else { -500_000_000 }) / 1_000_000_000 * 1_000_000_000;
        Ok(Value::str(duration_string(rounded)))
    });
    add(r, "duration", &[Any], |a| {
        let n: i128 = match &a[0] {
            Value::Str(s) => s.parse::<i64>().unwrap_or(0) as i128,
            Value::Int64(i) => *i as i128,
            _ => 0,
        };
        Ok(Value::str(duration_string((n * 1_000_000_000) as i64 as i128)))
    });
    add(r, "durationRound", &[Any], |a| {
        let d: i128 = match &a[0] {
            Value::Str(s) => parse_duration(s).unwrap_or(0),
            Value::Int64(i) => *i as i128,
            Value::Time(t) => Time::now().unix_nanos() - t.unix_nanos(),
            _ => 0,
        };
        let u = d.unsigned_abs();
        let hour: u128 = 3_600_000_000_000;
        let units: [(u128, &str); 6] = [
            (hour * 24 * 365, "y"),
            (hour * 24 * 30, "mo"),
            (hour * 24, "d"),
            (hour, "h"),
            (60_000_000_000, "m"),
            (1_000_000_000, "s"),
        ];
        for (size, name) in units {
            if u > size {
                return Ok(Value::str(format!("{}{name}", u / size)));
            }
        }
        Ok(Value::str("0s"))
    });
    add(r, "toDate", &[Str, Str], |a| {
        Ok(Value::Time(
            Time::parse(a[0].as_str().unwrap_or_default(), a[1].as_str().unwrap_or_default())
                .unwrap_or_else(|_| Time::zero()),
        ))
    });
    add(r, "mustToDate", &[Str, Str], |a| {
        Ok(Value::Time(Time::parse(a[0].as_str().unwrap_or_default(), a[1].as_str().unwrap_or_default())?))
    });
    add(r, "unixEpoch", &[Ty::Time], |a| Ok(Value::str(time_value(&a[0], "unixEpoch")?.secs.to_string())));
}

/// A `time.Time` parameter: anything else is Go's argument type error (checked here because the
/// value model has no static `time.Time` parameter type).
fn time_value(v: &Value, _name: &str) -> Result<Time, String> {
    match v {
        Value::Time(t) => Ok(t.clone()),
        v => Err(format!(
            "wrong type for value; expected time.Time; got {}",
            if v.is_nil() { "<nil>".into() } else { v.type_name() }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_reference_layouts() {
        let t = Time::unix(1_700_000_000);
        assert_eq!(t.format("2006-01-02T15:04:05Z07:00"), "2023-11-14T22:13:20Z");
        assert_eq!(t.format("Mon Jan _2 3:04PM"), "Tue Nov 14 10:13PM");
        assert_eq!(t.go_string(), "2023-11-14 22:13:20 +0000 UTC");
    }

    #[test]
    fn parses_and_prints_durations() {
        assert_eq!(duration_string(parse_duration("1h30m").unwrap()), "1h30m0s");
        assert_eq!(duration_string(1_500_000_000), "1.5s");
        assert_eq!(duration_string(300_000_000), "300ms");
    }
}
