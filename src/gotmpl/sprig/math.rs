//! sprig's math functions (`numeric.go`): integer arithmetic through `cast.ToInt64`, float arithmetic
//! through shopspring/decimal, `max`/`min`, rounding and `seq`.

use super::super::funcs::{Registry, Ty, add, addv, check_size};
use super::super::value::Value;
use super::lists::until_step;
use super::{to_float64, to_int64};

const DIV0: &str = "runtime error: integer divide by zero";

pub(crate) fn register(r: &mut Registry) {
    use Ty::*;
    add(r, "add1", &[Any], |a| Ok(Value::Int64(to_int64(&a[0]).wrapping_add(1))));
    addv(r, "add", &[], Any, |a| Ok(Value::Int64(a.iter().fold(0i64, |s, v| s.wrapping_add(to_int64(v))))));
    add(r, "sub", &[Any, Any], |a| Ok(Value::Int64(to_int64(&a[0]).wrapping_sub(to_int64(&a[1])))));
    add(r, "div", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(DIV0.into());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_div(d)))
    });
    add(r, "mod", &[Any, Any], |a| {
        let d = to_int64(&a[1]);
        if d == 0 {
            return Err(DIV0.into());
        }
        Ok(Value::Int64(to_int64(&a[0]).wrapping_rem(d)))
    });
    addv(r, "mul", &[Any], Any, |a| {
        Ok(Value::Int64(a[1..].iter().fold(to_int64(&a[0]), |s, v| s.wrapping_mul(to_int64(v)))))
    });
    add(r, "randInt", &[Int, Int], |a| {
        let (min, max) = (to_int64(&a[0]), to_int64(&a[1]));
        let n = max.wrapping_sub(min);
        if n <= 0 {
            return Err("invalid argument to Intn".into());
        }
        Ok(Value::Int((super::crypto::rand_below(n as u64) as i64).wrapping_add(min)))
    });
    add(r, "add1f", &[Any], |a| decimal_op(&a[0], &[Value::Int(1)], Op::Add));
    addv(r, "addf", &[], Any, |a| decimal_op(&Value::Float(0.0), a, Op::Add));
    addv(r, "subf", &[Any], Any, |a| decimal_op(&a[0], &a[1..], Op::Sub));
    addv(r, "divf", &[Any], Any, |a| decimal_op(&a[0], &a[1..], Op::Div));
    addv(r, "mulf", &[Any], Any, |a| decimal_op(&a[0], &a[1..], Op::Mul));
    for name in ["biggest", "max"] {
        addv(r, name, &[Any], Any, |a| Ok(Value::Int64(a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::max))));
    }
    addv(r, "min", &[Any], Any, |a| Ok(Value::Int64(a[1..].iter().map(to_int64).fold(to_int64(&a[0]), i64::min))));
    addv(r, "maxf", &[Any], Any, |a| Ok(Value::Float(a[1..].iter().map(to_float64).fold(to_float64(&a[0]), go_max))));
    addv(r, "minf", &[Any], Any, |a| Ok(Value::Float(a[1..].iter().map(to_float64).fold(to_float64(&a[0]), go_min))));
    add(r, "ceil", &[Any], |a| Ok(Value::Float(to_float64(&a[0]).ceil())));
    add(r, "floor", &[Any], |a| Ok(Value::Float(to_float64(&a[0]).floor())));
    addv(r, "round", &[Any, Int], Float, |a| {
        let round_on = a.get(2).map(to_float64).unwrap_or(0.5);
        let val = to_float64(&a[0]);
        let pow = 10f64.powf(to_int64(&a[1]) as f64);
        let digit = pow * val;
        let div = digit.fract();
        let r = if div >= round_on { digit.ceil() } else { digit.floor() };
        Ok(Value::Float(r / pow))
    });
    addv(r, "seq", &[], Int, |a| seq(&a.iter().map(to_int64).collect::<Vec<_>>()).map(Value::str));
}

fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.max(b) }
}

fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { a.min(b) }
}

fn seq(p: &[i64]) -> Result<String, String> {
    let join = |v: Vec<i64>| v.iter().map(i64::to_string).collect::<Vec<_>>().join(" ");
    match p {
        [end] => {
            let (start, end) = (1, *end);
            let inc = if end < start { -1 } else { 1 };
            until_step(start, end.saturating_add(inc), inc).map(join)
        }
        [start, step, end] => {
            let (start, step, end) = (*start, *step, *end);
            let mut inc = 1;
            if end < start {
                inc = -1;
                if step > 0 {
                    return Ok(String::new());
                }
            }
            until_step(start, end.saturating_add(inc), step).map(join)
        }
        [start, end] => {
            let step = if end < start { -1 } else { 1 };
            until_step(*start, end.saturating_add(step), step).map(join)
        }
        _ => Ok(String::new()),
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// A decimal number: mantissa × 10^exp (shopspring/decimal, enough for sprig's float helpers).
#[derive(Clone, Copy, Debug)]
struct Dec {
    m: i128,
    e: i32,
}

impl Dec {
    /// `decimal.NewFromFloat`: the shortest decimal that round-trips.
    fn from_f64(f: f64) -> Option<Dec> {
        if !f.is_finite() {
            return None;
        }
        if f == 0.0 {
            return Some(Dec { m: 0, e: 0 });
        }
        let s = format!("{f:e}");
        let (mant, exp) = s.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let neg = mant.starts_with('-');
        let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        let frac_len = mant.split_once('.').map(|(_, f)| f.len()).unwrap_or(0) as i32;
        let m: i128 = digits.parse().ok()?;
        Some(Dec { m: if neg { -m } else { m }, e: exp - frac_len })
    }

    fn align(a: Dec, b: Dec) -> Option<(i128, i128, i32)> {
        let e = a.e.min(b.e);
        let am = a.m.checked_mul(10i128.checked_pow((a.e - e) as u32)?)?;
        let bm = b.m.checked_mul(10i128.checked_pow((b.e - e) as u32)?)?;
        Some((am, bm, e))
    }

    fn apply(self, o: Dec, op: Op) -> Result<Option<Dec>, String> {
        Ok(match op {
            Op::Add => Dec::align(self, o).and_then(|(a, b, e)| a.checked_add(b).map(|m| Dec { m, e })),
            Op::Sub => Dec::align(self, o).and_then(|(a, b, e)| a.checked_sub(b).map(|m| Dec { m, e })),
            Op::Mul => self.m.checked_mul(o.m).map(|m| Dec { m, e: self.e + o.e }),
            Op::Div => {
                if o.m == 0 {
                    return Err("decimal division by 0".into());
                }
                // DivisionPrecision = 16 digits after the point, rounded half away from zero.
                let scale = 16 + 1;
                let shift = scale + self.e - o.e;
                let num = if shift >= 0 {
                    10i128.checked_pow(shift as u32).and_then(|p| self.m.checked_mul(p))
                } else {
                    10i128.checked_pow((-shift) as u32).map(|p| self.m / p)
                };
                num.map(|n| {
                    let q = n / o.m;
                    let q = if q >= 0 { (q + 5) / 10 } else { (q - 5) / 10 };
                    Dec { m: q, e: -16 }
                })
            }
        })
    }

    fn to_f64(self) -> f64 {
        format!("{}e{}", self.m, self.e).parse().unwrap_or(f64::NAN)
    }
}

fn decimal_op(first: &Value, rest: &[Value], op: Op) -> Result<Value, String> {
    let mut acc = to_float64(first);
    let mut dec = Dec::from_f64(acc);
    for v in rest {
        let x = to_float64(v);
        match (dec, Dec::from_f64(x)) {
            (Some(d), Some(e)) => match d.apply(e, op)? {
                Some(n) => {
                    dec = Some(n);
                    acc = n.to_f64();
                }
                None => {
                    acc = float_op(acc, x, op)?;
                    dec = Dec::from_f64(acc);
                }
            },
            _ => {
                acc = float_op(acc, x, op)?;
                dec = Dec::from_f64(acc);
            }
        }
    }
    check_size(0)?;
    Ok(Value::Float(dec.map(Dec::to_f64).unwrap_or(acc)))
}

fn float_op(a: f64, b: f64, op: Op) -> Result<f64, String> {
    Ok(match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => {
            if b == 0.0 {
                return Err("decimal division by 0".into());
            }
            a / b
        }
    })
}
