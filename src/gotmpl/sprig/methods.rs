//! Methods callable on the struct values some sprig functions return: `*semver.Version`
//! (`(semver "1.2.3").Major`) and `time.Time` (`now.Year`, `(toDate ...).Format "..."`).

use super::super::funcs::{Func, Ty};
use super::super::value::Value;
use super::date::Time;

/// The method `name` of `recv`, as a function whose first argument is the receiver.
pub(crate) fn lookup(recv: &Value, name: &str) -> Option<Func> {
    let f = |params: &'static [Ty], call: super::super::funcs::Impl| Some(Func { params, variadic: None, call });
    match recv {
        Value::Semver(_) => match name {
            "Major" => f(&[], |a| sv(a).map(|v| Value::Uint(v.major()))),
            "Minor" => f(&[], |a| sv(a).map(|v| Value::Uint(v.minor()))),
            "Patch" => f(&[], |a| sv(a).map(|v| Value::Uint(v.patch()))),
            "Prerelease" => f(&[], |a| sv(a).map(|v| Value::str(v.prerelease()))),
            "Metadata" => f(&[], |a| sv(a).map(|v| Value::str(v.metadata()))),
            "Original" => f(&[], |a| sv(a).map(|v| Value::str(v.original()))),
            "String" => f(&[], |a| sv(a).map(|v| Value::str(v.to_string()))),
            _ => None,
        },
        Value::Time(_) => match name {
            "Year" => f(&[], |a| tm(a).map(|t| Value::Int(t.fields().0))),
            "Month" => {
                f(&[], |a| tm(a).map(|t| Value::str(super::date::MONTHS[(t.fields().1 - 1).clamp(0, 11) as usize])))
            }
            "Day" => f(&[], |a| tm(a).map(|t| Value::Int(t.fields().2))),
            "Hour" => f(&[], |a| tm(a).map(|t| Value::Int(t.fields().3))),
            "Minute" => f(&[], |a| tm(a).map(|t| Value::Int(t.fields().4))),
            "Second" => f(&[], |a| tm(a).map(|t| Value::Int(t.fields().5))),
            "YearDay" => f(&[], |a| tm(a).map(|t| Value::Int(t.fields().7))),
            "Weekday" => f(&[], |a| {
                tm(a).map(|t| {
                    const D: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
                    Value::str(D[t.fields().6.clamp(0, 6) as usize])
                })
            }),
            "Nanosecond" => f(&[], |a| tm(a).map(|t| Value::Int(t.nsec as i64))),
            "Unix" => f(&[], |a| tm(a).map(|t| Value::Int64(t.secs))),
            "UnixMilli" => f(&[], |a| tm(a).map(|t| Value::Int64((t.unix_nanos() / 1_000_000) as i64))),
            "UnixNano" => f(&[], |a| tm(a).map(|t| Value::Int64(t.unix_nanos() as i64))),
            "UTC" => f(&[], |a| tm(a).map(|t| Value::Time(Time { offset: 0, zone: "UTC".into(), ..t.clone() }))),
            "String" => f(&[], |a| tm(a).map(|t| Value::str(t.go_string()))),
            "Format" => f(&[Ty::Str], |a| tm(a).map(|t| Value::str(t.format(a[1].as_str().unwrap_or_default())))),
            "IsZero" => f(&[], |a| tm(a).map(|t| Value::Bool(*t == Time::zero()))),
            _ => None,
        },
        _ => None,
    }
}

fn sv(a: &[Value]) -> Result<&super::semver::Version, String> {
    match a.first() {
        Some(Value::Semver(v)) => Ok(v),
        _ => Err("method receiver is not a *semver.Version".into()),
    }
}

fn tm(a: &[Value]) -> Result<&Time, String> {
    match a.first() {
        Some(Value::Time(t)) => Ok(t),
        _ => Err("method receiver is not a time.Time".into()),
    }
}
