//! Go's `fmt` package for template values: `Sprint`, `Sprintln`, `Sprintf` with the common verbs and
//! flags, `%v` of maps and slices, and float formatting identical to `strconv.FormatFloat`.

use super::lexer::{go_quote, push_escaped};
use super::value::Value;

/// Decimal digits and exponent of a float: value = 0.d1d2d3... × 10^dp.
struct Digits {
    d: Vec<u8>,
    dp: i32,
}

/// More decimal digits than any double has after its decimal point (1,074) or in all (767): past
/// this, the digits of a precision are zeros.
const MAX_EXACT_DIGITS: usize = 1_100;

/// Shortest (or `prec`-significant-digit) decimal digits of a finite, non-negative float.
fn digits(f: f64, sig: Option<usize>) -> Digits {
    if f == 0.0 {
        return Digits { d: vec![], dp: 0 };
    }
    // A double has at most 767 significant decimal digits, so asking for more changes nothing (and
    // Rust's formatter refuses precisions above 65,535).
    let s = match sig {
        None => format!("{f:e}"),
        Some(p) => format!("{:.*e}", p.clamp(1, MAX_EXACT_DIGITS) - 1, f),
    };
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut d: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    while d.last() == Some(&b'0') {
        d.pop();
    }
    Digits { d, dp: exp + 1 }
}

fn fmt_e(neg: bool, dg: &Digits, prec: usize, e: char) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    out.push(dg.d.first().map(|&c| c as char).unwrap_or('0'));
    if prec > 0 {
        out.push('.');
        for i in 1..=prec {
            out.push(dg.d.get(i).map(|&c| c as char).unwrap_or('0'));
        }
    }
    out.push(e);
    let exp = if dg.d.is_empty() { 0 } else { dg.dp - 1 };
    out.push(if exp < 0 { '-' } else { '+' });
    let a = exp.unsigned_abs();
    if a < 10 {
        out.push('0');
    }
    out.push_str(&a.to_string());
    out
}

fn fmt_f(neg: bool, dg: &Digits, prec: usize) -> String {
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dg.dp > 0 {
        for i in 0..dg.dp as usize {
            out.push(dg.d.get(i).map(|&c| c as char).unwrap_or('0'));
        }
    } else {
        out.push('0');
    }
    if prec > 0 {
        out.push('.');
        for i in 0..prec as i32 {
            let j = dg.dp + i;
            out.push(if j < 0 { '0' } else { dg.d.get(j as usize).map(|&c| c as char).unwrap_or('0') });
        }
    }
    out
}

/// `strconv.FormatFloat(f, verb, prec, 64)` for verbs `e E f F g G`; `prec` None means shortest (-1).
pub(crate) fn format_float(f: f64, verb: char, prec: Option<usize>) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let neg = f.is_sign_negative();
    let a = f.abs();
    match verb {
        'e' | 'E' => {
            let dg = match prec {
                None => digits(a, None),
                Some(p) => digits(a, Some(p + 1)),
            };
            let p = prec.unwrap_or(dg.d.len().saturating_sub(1));
            fmt_e(neg, &dg, p, verb)
        }
        'f' | 'F' => match prec {
            None => {
                let dg = digits(a, None);
                let p = (dg.d.len() as i32 - dg.dp).max(0) as usize;
                fmt_f(neg, &dg, p)
            }
            Some(p) => {
                // Every digit after the 1,074th decimal place of a double is 0.
                let exact = p.min(MAX_EXACT_DIGITS);
                let mut s = format!("{a:.exact$}");
                s.extend(std::iter::repeat_n('0', p - exact));
                if neg { format!("-{s}") } else { s }
            }
        },
        _ => {
            if a == 0.0 {
                return if neg { "-0".into() } else { "0".into() };
            }
            let e = if verb == 'G' { 'E' } else { 'e' };
            let shortest = prec.is_none();
            let mut p = prec.unwrap_or(0);
            if p == 0 && !shortest {
                p = 1;
            }
            let dg = if shortest { digits(a, None) } else { digits(a, Some(p)) };
            let nd = dg.d.len().max(if a == 0.0 { 1 } else { 0 });
            let mut eprec = if shortest { nd } else { p };
            if eprec > nd && nd as i32 >= dg.dp {
                eprec = nd;
            }
            if shortest {
                eprec = 6;
            }
            let exp = if a == 0.0 { 0 } else { dg.dp - 1 };
            if shortest {
                p = nd;
            }
            if exp < -4 || exp >= eprec as i32 {
                let pp = if p > nd { nd } else { p };
                return fmt_e(neg, &dg, pp.saturating_sub(1), e);
            }
            let pp = if p as i32 > dg.dp { nd } else { p };
            fmt_f(neg, &dg, (pp as i32 - dg.dp).max(0) as usize)
        }
    }
}

/// `strconv.FormatFloat(f, 'x', prec, 64)`: hexadecimal mantissa and binary exponent.
pub(crate) fn hex_float(f: f64, prec: Option<usize>, upper: bool) -> String {
    if f.is_nan() || f.is_infinite() {
        return format_float(f, 'g', None);
    }
    let neg = f.is_sign_negative();
    let bits = f.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64;
    let mut mant = bits & ((1u64 << 52) - 1);
    if exp == 0 {
        if mant != 0 {
            // Subnormal: normalize so the leading digit is 1.
            exp = -1022;
            while mant & (1u64 << 52) == 0 {
                mant <<= 1;
                exp -= 1;
            }
            mant &= (1u64 << 52) - 1;
        }
    } else {
        exp -= 1023;
    }
    let mut lead: u64 = if f == 0.0 { 0 } else { 1 };
    let mut digits = format!("{mant:013x}");
    match prec {
        None => {
            while digits.ends_with('0') {
                digits.pop();
            }
        }
        Some(p) if p < 13 => {
            // Round half to even on the dropped nibbles.
            let full = (lead as u128) << 52 | mant as u128;
            let shift = 4 * (13 - p) as u32;
            let rem = full & ((1u128 << shift) - 1);
            let half = 1u128 << (shift - 1);
            let mut q = full >> shift;
            if rem > half || (rem == half && q & 1 == 1) {
                q += 1;
            }
            lead = (q >> (4 * p as u32)) as u64;
            if lead > 1 {
                q >>= 1;
                exp += 1;
                lead = 1;
            }
            let frac = q & ((1u128 << (4 * p as u32)) - 1);
            digits = if p == 0 { String::new() } else { format!("{frac:0width$x}", width = p) };
        }
        Some(p) => {
            while digits.len() < p {
                digits.push('0');
            }
        }
    }
    let mut s = format!("{}0x{lead}", if neg { "-" } else { "" });
    if !digits.is_empty() {
        s.push('.');
        s.push_str(&digits);
    }
    s.push_str(&format!("p{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs()));
    if upper { s.to_uppercase() } else { s }
}

/// `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`).
pub(crate) fn float_v(f: f64) -> String {
    format_float(f, 'g', None)
}

/// `fmt.Sprint(v)` of one value.
pub(crate) fn to_string(v: &Value) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.out
}

/// `fmt.Sprint(args...)`: spaces between operands when neither is a string.
pub(crate) fn sprint(args: &[Value]) -> String {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, Value::Str(_));
        if i > 0 && !is_string && !prev_string {
            p.out.push(' ');
        }
        p.reset_flags();
        p.print_arg(a, 'v');
        prev_string = is_string;
    }
    p.out
}

/// `fmt.Sprintln(args...)`: always spaces, then a newline.
pub(crate) fn sprintln(args: &[Value]) -> String {
    let mut p = Printer::default();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            p.out.push(' ');
        }
        p.reset_flags();
        p.print_arg(a, 'v');
    }
    p.out.push('\n');
    p.out
}

/// `fmt.Sprintf(format, args...)`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> String {
    let mut p = Printer::default();
    let bytes = format.as_bytes();
    let mut i = 0;
    let mut argn = 0;
    let mut reordered = false;
    while i < bytes.len() {
        if p.out.len() > super::funcs::MAX_BUILD {
            // The caller reports the oversized result; stop building it.
            break;
        }
        let start = i;
        while i < bytes.len() && bytes[i] != b'%' {
            i += 1;
        }
        p.out.push_str(&format[start..i]);
        if i >= bytes.len() {
            break;
        }
        i += 1; // skip %
        p.reset_flags();
        // Flags.
        while i < bytes.len() {
            match bytes[i] {
                b'#' => p.sharp = true,
                b'0' => p.zero = !p.minus,
                b'+' => p.plus = true,
                b'-' => {
                    p.minus = true;
                    p.zero = false;
                }
                b' ' => p.space = true,
                _ => break,
            }
            i += 1;
        }
        // Argument index.
        let (ni, ok) = p.arg_index(format, i, &mut argn, args.len());
        i = ni;
        reordered |= ok.is_some();
        if ok == Some(false) {
            p.good_argnum = false;
        }
        // Width.
        if i < bytes.len() && bytes[i] == b'*' {
            i += 1;
            match args.get(argn) {
                Some(Value::Int(w) | Value::Int64(w)) => {
                    let w = *w;
                    if w < 0 {
                        p.minus = true;
                        p.zero = false;
                    }
                    if w.unsigned_abs() > 1_000_000 {
                        p.out.push_str("%!(BADWIDTH)");
                    } else {
                        p.width = Some(w.unsigned_abs() as usize);
                    }
                }
                _ => p.out.push_str("%!(BADWIDTH)"),
            }
            argn += 1;
        } else {
            let (n, ni) = parse_num(bytes, i);
            if n.is_some() {
                p.width = n;
            }
            i = ni;
        }
        // Precision.
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let (ni, ok) = p.arg_index(format, i, &mut argn, args.len());
            i = ni;
            reordered |= ok.is_some();
            if i < bytes.len() && bytes[i] == b'*' {
                i += 1;
                match args.get(argn) {
                    Some(Value::Int(w) | Value::Int64(w)) if *w >= 0 && *w <= 1_000_000 => p.prec = Some(*w as usize),
                    _ => p.out.push_str("%!(BADPREC)"),
                }
                argn += 1;
            } else {
                let (n, ni) = parse_num(bytes, i);
                p.prec = Some(n.unwrap_or(0));
                i = ni;
            }
        }
        let (ni, ok) = p.arg_index(format, i, &mut argn, args.len());
        i = ni;
        reordered |= ok.is_some();
        if ok == Some(false) {
            p.good_argnum = false;
        }
        if i >= bytes.len() {
            p.out.push_str("%!(NOVERB)");
            break;
        }
        let verb = format[i..].chars().next().unwrap_or('%');
        i += verb.len_utf8();
        match verb {
            '%' => p.out.push('%'),
            _ if !p.good_argnum => {
                p.out.push_str("%!");
                p.out.push(verb);
                p.out.push_str("(BADINDEX)");
            }
            _ if argn >= args.len() => {
                p.out.push_str("%!");
                p.out.push(verb);
                p.out.push_str("(MISSING)");
            }
            _ => {
                if verb == 'v' {
                    // `%#v` is Go syntax and `%+v` adds field names: neither flag reaches the operands.
                    if p.sharp {
                        p.sharp = false;
                        p.sharp_v = true;
                    }
                    p.plus = false;
                }
                p.print_arg(&args[argn], verb);
                argn += 1;
            }
        }
    }
    if !reordered && argn < args.len() {
        p.reset_flags();
        p.out.push_str("%!(EXTRA ");
        for (k, a) in args[argn..].iter().enumerate() {
            if k > 0 {
                p.out.push_str(", ");
            }
            if a.is_nil() {
                p.out.push_str("<nil>");
            } else {
                p.out.push_str(&a.type_name());
                p.out.push('=');
                p.print_arg(a, 'v');
            }
        }
        p.out.push(')');
    }
    p.out
}

/// Go's `fmt.parsenum`: digits from `i`; a number that grows past 1,000,000 before its last digit is
/// "crazy long": no number, and the rest of the format is consumed (Go then prints `%!(NOVERB)`).
fn parse_num(b: &[u8], mut i: usize) -> (Option<usize>, usize) {
    let start = i;
    let mut n: usize = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        if n > 1_000_000 {
            return (None, b.len());
        }
        n = n * 10 + (b[i] - b'0') as usize;
        i += 1;
    }
    (if i > start { Some(n) } else { None }, i)
}

#[derive(Default)]
struct Printer {
    out: String,
    plus: bool,
    minus: bool,
    sharp: bool,
    sharp_v: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
    good_argnum: bool,
}

impl Printer {
    fn reset_flags(&mut self) {
        self.plus = false;
        self.minus = false;
        self.sharp = false;
        self.sharp_v = false;
        self.space = false;
        self.zero = false;
        self.width = None;
        self.prec = None;
        self.good_argnum = true;
    }

    /// Parses `[n]`; returns the new index and Some(ok) when an index was present.
    fn arg_index(&mut self, f: &str, i: usize, argn: &mut usize, nargs: usize) -> (usize, Option<bool>) {
        let b = f.as_bytes();
        if i >= b.len() || b[i] != b'[' {
            return (i, None);
        }
        let Some(close) = f[i..].find(']') else {
            return (b.len().min(i + 1), Some(false));
        };
        let inner = &f[i + 1..i + close];
        match inner.parse::<usize>() {
            Ok(n) if n >= 1 && n <= nargs => {
                *argn = n - 1;
                (i + close + 1, Some(true))
            }
            _ => (i + close + 1, Some(false)),
        }
    }

    fn pad(&mut self, s: &str) {
        let w = self.width.unwrap_or(0);
        let n = s.chars().count();
        if n >= w {
            self.out.push_str(s);
            return;
        }
        let fill = w - n;
        if self.minus {
            self.out.push_str(s);
            self.out.extend(std::iter::repeat_n(' ', fill));
        } else {
            let c = if self.zero { '0' } else { ' ' };
            self.out.extend(std::iter::repeat_n(c, fill));
            self.out.push_str(s);
        }
    }

    /// Pads a number: zero padding goes after the sign.
    fn pad_number(&mut self, s: &str) {
        let w = self.width.unwrap_or(0);
        let n = s.chars().count();
        if self.zero && !self.minus && n < w {
            let (sign, rest) = match s.as_bytes().first() {
                Some(b'+' | b'-' | b' ') => s.split_at(1),
                _ => ("", s),
            };
            self.out.push_str(sign);
            self.out.extend(std::iter::repeat_n('0', w - n));
            self.out.push_str(rest);
            return;
        }
        self.pad(s);
    }

    fn bad_verb(&mut self, v: &Value, verb: char) {
        self.out.push_str("%!");
        self.out.push(verb);
        self.out.push('(');
        if v.is_nil() {
            self.out.push_str("<nil>");
        } else {
            self.out.push_str(&v.type_name());
            self.out.push('=');
            let saved = (self.width, self.prec, self.plus, self.sharp, self.zero, self.minus, self.space);
            self.width = None;
            self.prec = None;
            self.sharp = false;
            self.print_arg(v, 'v');
            (self.width, self.prec, self.plus, self.sharp, self.zero, self.minus, self.space) = saved;
        }
        self.out.push(')');
    }

    fn print_arg(&mut self, v: &Value, verb: char) {
        if verb == 'T' {
            let t = if v.is_nil() { "<nil>".to_string() } else { v.type_name() };
            self.pad(&t);
            return;
        }
        self.print_value(v, verb, 0);
    }

    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        match v {
            Value::Invalid | Value::Nil => {
                if depth > 0 || verb == 'v' {
                    if self.sharp_v {
                        self.out.push_str(if depth > 0 { "interface {}(nil)" } else { "<nil>" });
                    } else {
                        self.pad("<nil>");
                    }
                } else {
                    self.bad_verb(v, verb);
                }
            }
            Value::Bool(b) => match verb {
                't' | 'v' => self.pad(if *b { "true" } else { "false" }),
                _ => self.bad_verb(v, verb),
            },
            Value::Int(i) | Value::Int64(i) => self.fmt_int(*i as i128, v, verb),
            Value::Uint(u) => self.fmt_int(*u as i128, v, verb),
            Value::Float(f) => self.fmt_float(*f, v, verb),
            Value::Str(s) => self.fmt_str(s, v, verb),
            Value::List(items, _) => {
                if self.sharp_v {
                    self.out.push_str(&v.type_name());
                    self.out.push('{');
                    for (i, it) in items.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str(", ");
                        }
                        self.print_value(it, verb, depth + 1);
                    }
                    self.out.push('}');
                    return;
                }
                self.out.push('[');
                for (i, it) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.print_value(it, verb, depth + 1);
                }
                self.out.push(']');
            }
            Value::Map(m, _) => {
                if self.sharp_v {
                    self.out.push_str(&v.type_name());
                    self.out.push('{');
                    for (i, (k, it)) in m.snapshot().iter().enumerate() {
                        if i > 0 {
                            self.out.push_str(", ");
                        }
                        self.out.push_str(&go_quote(k));
                        self.out.push(':');
                        self.print_value(it, verb, depth + 1);
                    }
                    self.out.push('}');
                    return;
                }
                self.out.push_str("map[");
                for (i, (k, it)) in m.snapshot().iter().enumerate() {
                    if i > 0 {
                        self.out.push(' ');
                    }
                    self.fmt_str(k, &Value::str(k.as_str()), verb);
                    self.out.push(':');
                    self.print_value(it, verb, depth + 1);
                }
                self.out.push(']');
            }
            Value::Semver(s) => match verb {
                'v' | 's' => self.pad(&s.to_string()),
                _ => self.bad_verb(v, verb),
            },
            Value::Time(t) => match verb {
                'v' | 's' => self.pad(&t.go_string()),
                _ => self.bad_verb(v, verb),
            },
        }
    }

    fn fmt_int(&mut self, i: i128, v: &Value, verb: char) {
        let neg = i < 0;
        let a = i.unsigned_abs();
        let (digits, prefix) = match verb {
            'd' | 'v' => (a.to_string(), ""),
            'b' => (format!("{a:b}"), if self.sharp { "0b" } else { "" }),
            'o' => (format!("{a:o}"), if self.sharp { "0" } else { "" }),
            'O' => (format!("{a:o}"), "0o"),
            'x' => (format!("{a:x}"), if self.sharp { "0x" } else { "" }),
            'X' => (format!("{a:X}"), if self.sharp { "0X" } else { "" }),
            'c' => {
                let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
                self.pad(&c.to_string());
                return;
            }
            'q' => {
                let c = char::from_u32(i as u32).unwrap_or('\u{FFFD}');
                let mut s = String::from("'");
                push_escaped(&mut s, c, '\'', self.plus);
                s.push('\'');
                self.pad(&s);
                return;
            }
            'U' => {
                let mut s = format!("U+{a:04X}");
                if self.sharp
                    && let Some(c) = char::from_u32(i as u32)
                {
                    s.push_str(&format!(" '{c}'"));
                }
                self.pad(&s);
                return;
            }
            _ => {
                self.bad_verb(v, verb);
                return;
            }
        };
        let mut digits = digits;
        if let Some(p) = self.prec {
            if p == 0 && a == 0 {
                digits.clear();
            } else if digits.len() < p {
                digits = format!("{}{}", "0".repeat(p - digits.len()), digits);
            }
        }
        let sign = if neg {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let s = format!("{sign}{prefix}{digits}");
        if self.prec.is_some() {
            let z = self.zero;
            self.zero = false;
            self.pad_number(&s);
            self.zero = z;
        } else {
            self.pad_number(&s);
        }
    }

    fn fmt_float(&mut self, f: f64, v: &Value, verb: char) {
        let (verb, prec) = match verb {
            'v' => ('g', self.prec),
            'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
                (verb, self.prec.or(if matches!(verb, 'g' | 'G') { None } else { Some(6) }))
            }
            'x' | 'X' => {
                let mut s = hex_float(f, self.prec, verb == 'X');
                if self.plus && !s.starts_with('-') {
                    s.insert(0, '+');
                }
                self.pad_number(&s);
                return;
            }
            _ => {
                self.bad_verb(v, verb);
                return;
            }
        };
        let mut s = format_float(f, verb, prec);
        if self.sharp && !s.contains('.') && !s.contains("Inf") && !s.contains("NaN") {
            match s.find(['e', 'E']) {
                Some(i) => s.insert(i, '.'),
                None => s.push('.'),
            }
        }
        if self.plus && !s.starts_with(['-', '+']) {
            s.insert(0, '+');
        } else if self.space && !s.starts_with(['-', '+']) {
            s.insert(0, ' ');
        } else if s == "+Inf" && !self.plus {
            s = "+Inf".into();
        }
        if f.is_infinite() || f.is_nan() {
            let z = self.zero;
            self.zero = false;
            self.pad(&s);
            self.zero = z;
            return;
        }
        self.pad_number(&s);
    }

    fn fmt_str(&mut self, s: &str, v: &Value, verb: char) {
        let s: &str = match self.prec {
            Some(p) if matches!(verb, 's' | 'v' | 'q' | 'x' | 'X') => match s.char_indices().nth(p) {
                Some((i, _)) => &s[..i],
                None => s,
            },
            _ => s,
        };
        match verb {
            's' | 'v' => {
                if self.sharp_v {
                    let q = go_quote(s);
                    self.pad(&q);
                } else {
                    self.pad(s);
                }
            }
            'q' => {
                if self.sharp && !s.contains('`') && s.chars().all(|c| c == '\t' || !c.is_control()) {
                    let q = format!("`{s}`");
                    self.pad(&q);
                } else {
                    let mut q = String::from("\"");
                    for c in s.chars() {
                        push_escaped(&mut q, c, '"', self.plus);
                    }
                    q.push('"');
                    self.pad(&q);
                }
            }
            'x' | 'X' => {
                let mut out = String::new();
                for (i, b) in s.bytes().enumerate() {
                    if self.space && i > 0 {
                        out.push(' ');
                    }
                    if self.sharp && (self.space || i == 0) {
                        out.push_str(if verb == 'x' { "0x" } else { "0X" });
                    }
                    if verb == 'x' {
                        out.push_str(&format!("{b:02x}"));
                    } else {
                        out.push_str(&format!("{b:02X}"));
                    }
                }
                self.pad(&out);
            }
            _ => self.bad_verb(v, verb),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_floats_like_strconv_g_shortest() {
        assert_eq!(float_v(1000000.0), "1e+06");
        assert_eq!(float_v(100000.0), "100000");
        assert_eq!(float_v(1.5), "1.5");
        assert_eq!(float_v(0.0001), "0.0001");
        assert_eq!(float_v(0.00001), "1e-05");
        assert_eq!(float_v(123456789.0), "1.23456789e+08");
        assert_eq!(float_v(0.0), "0");
        assert_eq!(float_v(-2.5), "-2.5");
    }

    #[test]
    fn formats_precision_verbs() {
        assert_eq!(format_float(1.23456, 'f', Some(2)), "1.23");
        assert_eq!(format_float(1234.5678, 'e', Some(3)), "1.235e+03");
        assert_eq!(format_float(1234.5678, 'g', Some(3)), "1.23e+03");
        assert_eq!(format_float(0.5, 'g', Some(3)), "0.5");
    }

    /// Found by the gotmpl fuzz target: `printf "%.70000f"` panicked (Rust's formatter takes at most
    /// 65,535 digits of precision). Expected values measured with Go 1.19 `fmt.Sprintf` (long
    /// outputs as length and SHA-256), including Go's reading of over-long widths and precisions.
    #[test]
    fn huge_widths_and_precisions_format_as_go_does() {
        use sha2::{Digest, Sha256};
        let digest = |s: &str| format!("{}:{:x}", s.len(), Sha256::digest(s.as_bytes()));
        let long = [
            ("%.100000f", Value::Float(1.5), "100002:d444fb076ac02b095d709767dc66853697495c357224c26a95b7ff45c3c8f779"),
            ("%.70000e", Value::Float(1.5), "70006:5661738022e99101cddcf938e341076f16edd028cc307cf436eec0fa70f81584"),
            (
                "%.1000001f",
                Value::Float(1.0),
                "1000003:652f0fed1f00198781f6c63a3d607517faa0b827daad9b78cfa69170e2bfe9fc",
            ),
            ("%1000001d|", Value::Int(7), "1000002:b67f935b70138b637888dfdd05d286242fa78c934b30138996438432e9dfecf3"),
            ("%.2000f", Value::Float(5e-324), "2002:13a0ef0ed39eff63b80d646c5c291b1d5efbe2fa91b3997f3e85d0d452b52e6a"),
            ("%.1500e", Value::Float(5e-324), "1507:02af07efb3b33f3ffabae2fb51dd6647aafa5610c3382a760ae2a6e657d44509"),
            ("%.70000x", Value::Float(1.5), "70008:571885d989648dbf3ae2d3dd341c0522dc75e94466c99c01ebbf9e7e3aaf5617"),
        ];
        for (f, arg, want) in long {
            assert_eq!(digest(&sprintf(f, &[arg])), want, "{f}");
        }
        let short = [
            ("%05111111111111f|x", Value::Float(1.5), "%!(NOVERB)%!(EXTRA float64=1.5)"),
            ("%.99999999f|x", Value::Float(1.5), "%!(NOVERB)%!(EXTRA float64=1.5)"),
            ("%12345678d|", Value::Int(7), "%!(NOVERB)%!(EXTRA int=7)"),
            ("%.70000g", Value::Float(0.1), "0.1000000000000000055511151231257827021181583404541015625"),
            ("%.70000s", Value::str("abc"), "abc"),
        ];
        for (f, arg, want) in short {
            assert_eq!(sprintf(f, &[arg]), want, "{f}");
        }
    }
}
