//! Functions whose output changes from run to run (`now`, `rand*`, `uuidv4`, `shuffle`, `randBytes`):
//! checked by shape, not by value.

use super::run;

fn render(t: &str) -> String {
    match run(t, Some("{}"), &[]) {
        Ok(s) => s,
        Err(e) => panic!("{t}: {e}"),
    }
}

#[test]
fn random_strings_have_the_requested_length_and_alphabet() {
    let s = render("{{ randAlphaNum 40 }}");
    assert_eq!(s.len(), 40);
    assert!(s.chars().all(|c| c.is_ascii_alphanumeric()));
    let s = render("{{ randAlpha 30 }}");
    assert!(s.len() == 30 && s.chars().all(|c| c.is_ascii_alphabetic()));
    let s = render("{{ randNumeric 30 }}");
    assert!(s.len() == 30 && s.chars().all(|c| c.is_ascii_digit()));
    let s = render("{{ randAscii 30 }}");
    assert!(s.len() == 30 && s.chars().all(|c| (' '..='~').contains(&c)));
    assert_eq!(render("{{ randAlphaNum 0 }}"), "");
}

#[test]
fn uuidv4_is_a_version_4_uuid() {
    let u = render("{{ uuidv4 }}");
    let parts: Vec<&str> = u.split('-').collect();
    assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
    assert!(parts[2].starts_with('4'));
    assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"));
    assert_ne!(u, render("{{ uuidv4 }}"));
}

#[test]
fn rand_int_stays_in_range_and_shuffle_keeps_the_runes() {
    for _ in 0..50 {
        let n: i64 = render("{{ randInt 3 7 }}").parse().unwrap();
        assert!((3..7).contains(&n));
    }
    let mut s: Vec<char> = render("{{ shuffle \"hello world\" }}").chars().collect();
    s.sort();
    let mut want: Vec<char> = "hello world".chars().collect();
    want.sort();
    assert_eq!(s, want);
    // 12 random bytes, base64-encoded.
    assert_eq!(render("{{ randBytes 12 | len }}"), "16");
}

#[test]
fn now_is_a_time_in_utc() {
    let year: i64 = render("{{ now.Year }}").parse().unwrap();
    assert!(year >= 2024);
    let d = render("{{ now | date \"2006-01-02\" }}");
    assert_eq!(d.len(), 10);
    assert_eq!(render("{{ ago now }}"), "0s");
    assert_eq!(render("{{ typeOf now }}"), "time.Time");
}
