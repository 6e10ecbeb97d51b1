//! Go's `time.ParseDuration`, which Argo CD applies to retry backoffs, sync-window durations and
//! templates (`duration`, `ago`…): decimal numbers, each with an optional fraction and a unit (`ns`,
//! `us`, `µs`, `μs`, `ms`, `s`, `m`, `h`), optionally signed; `0` alone needs no unit. One implementation
//! for every engine, with Go's arithmetic (exact integer part, float64 fraction) and Go's error texts.

/// Why Go refuses a duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DurationError {
    /// Not the duration grammar at all.
    Invalid,
    /// A number without a unit (`1.5`).
    MissingUnit,
    /// A unit Go does not know (`min`, `d`).
    UnknownUnit(String),
    /// More than about 292 years (Go says "invalid duration").
    Overflow,
}

impl DurationError {
    /// Go's error text for `orig`, e.g. `time: unknown unit "d" in duration "1d"`.
    pub fn go_message(&self, orig: &str) -> String {
        match self {
            DurationError::Invalid | DurationError::Overflow => format!("time: invalid duration {}", quote(orig)),
            DurationError::MissingUnit => format!("time: missing unit in duration {}", quote(orig)),
            DurationError::UnknownUnit(u) => format!("time: unknown unit {} in duration {}", quote(u), quote(orig)),
        }
    }
}

/// Nanoseconds per unit.
fn unit_nanos(unit: &str) -> Option<u64> {
    Some(match unit {
        "ns" => 1,
        "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => return None,
    })
}

/// Parses `s` as Go's `time.ParseDuration` does, into nanoseconds.
pub fn parse_duration(orig: &str) -> Result<i64, DurationError> {
    const LIMIT: u64 = 1 << 63;
    let mut s = orig;
    let mut neg = false;
    if let Some(rest) = s.strip_prefix(['-', '+']) {
        neg = s.starts_with('-');
        s = rest;
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(DurationError::Invalid);
    }
    let mut total: u64 = 0;
    while !s.is_empty() {
        if !s.starts_with(|c: char| c == '.' || c.is_ascii_digit()) {
            return Err(DurationError::Invalid);
        }
        // The integer part: overflow is an error.
        let int_len = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for d in s[..int_len].bytes() {
            if v > LIMIT / 10 {
                return Err(DurationError::Overflow);
            }
            v = v * 10 + u64::from(d - b'0');
            if v > LIMIT {
                return Err(DurationError::Overflow);
            }
        }
        s = &s[int_len..];
        // The fraction: digits past what fits are ignored (Go's leadingFraction).
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            post = n > 0;
            let mut overflow = false;
            for d in rest[..n].bytes() {
                if overflow {
                    continue;
                }
                if f > (LIMIT - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(d - b'0');
                if y > LIMIT {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            s = &rest[n..];
        }
        if int_len == 0 && !post {
            return Err(DurationError::Invalid);
        }
        let unit_len = s.find(|c: char| c == '.' || c.is_ascii_digit()).unwrap_or(s.len());
        if unit_len == 0 {
            return Err(DurationError::MissingUnit);
        }
        let unit_text = &s[..unit_len];
        s = &s[unit_len..];
        let Some(unit) = unit_nanos(unit_text) else {
            return Err(DurationError::UnknownUnit(unit_text.to_string()));
        };
        if v > LIMIT / unit {
            return Err(DurationError::Overflow);
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > LIMIT {
                return Err(DurationError::Overflow);
            }
        }
        total = total.checked_add(v).ok_or(DurationError::Overflow)?;
        if total > LIMIT {
            return Err(DurationError::Overflow);
        }
    }
    if neg {
        return Ok((total as i128).wrapping_neg() as i64);
    }
    if total > LIMIT - 1 {
        return Err(DurationError::Overflow);
    }
    Ok(total as i64)
}

/// The `time` package's own quoting: ASCII as is (with `"` and `\` escaped), other bytes as `\xNN`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if (c as u32) < 0x20 || (c as u32) >= 0x80 {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02x}"));
            }
        } else {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Measured with Go 1.19's `time.ParseDuration` (`err.Error()` for failures).
    const GO: &[(&str, Result<i64, &str>)] = &[
        ("1h", Ok(3600000000000)),
        ("1h30m", Ok(5400000000000)),
        ("1.5h", Ok(5400000000000)),
        (".5s", Ok(500000000)),
        ("0", Ok(0)),
        ("-2m", Ok(-120000000000)),
        ("+3s", Ok(3000000000)),
        ("10µs", Ok(10000)),
        ("10μs", Ok(10000)),
        ("10us", Ok(10000)),
        ("1.0000000001h", Ok(3600000000360)),
        ("0.123456789123456789s", Ok(123456789)),
        ("1.999999999999999999999h", Ok(7200000000000)),
        ("", Err("time: invalid duration \"\"")),
        ("1", Err("time: missing unit in duration \"1\"")),
        ("1d", Err("time: unknown unit \"d\" in duration \"1d\"")),
        ("1 h", Err("time: unknown unit \" h\" in duration \"1 h\"")),
        ("h", Err("time: invalid duration \"h\"")),
        (".", Err("time: invalid duration \".\"")),
        ("3000000h", Err("time: invalid duration \"3000000h\"")),
        ("2562047h47m16.854775807s", Ok(9223372036854775807)),
        ("2562047h47m16.854775808s", Err("time: invalid duration \"2562047h47m16.854775808s\"")),
        ("-2562047h47m16.854775808s", Ok(-9223372036854775808)),
        ("1é", Err("time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"")),
        ("5min", Err("time: unknown unit \"min\" in duration \"5min\"")),
        ("1.s", Ok(1000000000)),
        ("-", Err("time: invalid duration \"-\"")),
        ("-0", Ok(0)),
        ("9223372036854775807ns", Ok(9223372036854775807)),
        ("9223372036854775808ns", Err("time: invalid duration \"9223372036854775808ns\"")),
        ("99999999999999999999ns", Err("time: invalid duration \"99999999999999999999ns\"")),
        ("1h\"x", Err("time: unknown unit \"h\\\"x\" in duration \"1h\\\"x\"")),
        ("0.000000000000000000001h", Ok(0)),
        ("1m.5s", Ok(60500000000)),
    ];

    #[test]
    fn parses_and_refuses_like_go() {
        for (text, want) in GO {
            let got = parse_duration(text).map_err(|e| e.go_message(text));
            assert_eq!(got, want.map_err(str::to_string), "{text:?}");
        }
    }

    #[test]
    fn error_kinds() {
        assert_eq!(parse_duration("1.5"), Err(DurationError::MissingUnit));
        assert_eq!(parse_duration("2days"), Err(DurationError::UnknownUnit("days".into())));
        assert_eq!(parse_duration("3000000h"), Err(DurationError::Overflow));
        assert_eq!(parse_duration("x"), Err(DurationError::Invalid));
    }
}
