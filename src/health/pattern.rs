//! Lua string patterns with gopher-lua's semantics, matched under a step budget.
//!
//! LuaJIT's `string.find`/`match`/`gmatch`/`gsub` are C code: a pattern with catastrophic backtracking
//! (`string.rep("a*", 20) .. "b"` against 40 `a`s) runs for minutes and no Lua hook interrupts it. Argo CD
//! runs gopher-lua, whose matcher (`pm/`) is a backtracking machine of its own with its own rules; this
//! module implements those rules (written from its behaviour, not translated) and asks a budget callback
//! every [`CHECK_EVERY`] steps whether to go on, so every match ends when the script's time is up.
//!
//! gopher-lua's rules, where they differ from C Lua's:
//! - `$` anchors only as the last character of the whole pattern; `^` only as the first;
//! - `%f` (frontier) and `%g` do not exist: `%` before a letter that is not a class is that letter;
//! - `*`, `+`, `-`, `?` after something that is not a single character class (a capture, `%b`, `%1`,
//!   another quantifier, or nothing) are literal characters;
//! - a `%` at the end of the pattern matches nothing, and an unclosed `%b` matches nothing;
//! - a set range whose ends are not plain characters (`[%a-z]`) matches nothing;
//! - errors: `unexpected EOS at N`, `invalid capture index`, `invalid ')' at N`, `unfinished capture at N`,
//!   and `pattern/input too complex` past a million pending alternatives.

use std::fmt;

/// Steps of the matching machine between two budget checks.
pub const CHECK_EVERY: u32 = 4096;

/// Pending alternatives (gopher-lua's recursion levels) before "pattern/input too complex".
const MAX_PENDING: usize = 1_000_000;

/// "Past the end" for positions and characters.
const EOS: i64 = -1;

/// Why a match stopped without an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// The pattern is malformed, or too complex for the input (gopher-lua's message).
    Invalid(String),
    /// The budget callback said stop.
    Stopped,
    /// The matches found would take more than the memory allowed.
    Memory,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::Invalid(m) => f.write_str(m),
            PatternError::Stopped => f.write_str("context deadline exceeded"),
            PatternError::Memory => f.write_str("not enough memory"),
        }
    }
}

fn invalid(pos: i64, message: &str) -> PatternError {
    PatternError::Invalid(if pos == EOS { format!("{message} at EOS") } else { format!("{message} at {pos}") })
}

/// A character class.
#[derive(Debug, Clone)]
enum Class {
    /// `.`
    Any,
    /// A literal byte; `EOS` (from a `%b` or `%` cut short) matches nothing.
    Char(i64),
    /// `%a`, `%D`, ... or `%` + any other byte (that byte).
    Letter(i64),
    /// `[...]`, `[^...]`.
    Set { negated: bool, items: Vec<Class> },
    /// `a-z` inside a set; only plain characters as ends match anything.
    Range(Box<Class>, Box<Class>),
}

impl Class {
    fn matches(&self, ch: u8) -> bool {
        let c = i64::from(ch);
        match self {
            Class::Any => true,
            Class::Char(x) => *x == c,
            Class::Letter(l) => letter_matches(*l, ch),
            Class::Set { negated, items } => items.iter().any(|i| i.matches(ch)) != *negated,
            Class::Range(a, b) => match (a.as_ref(), b.as_ref()) {
                (Class::Char(lo), Class::Char(hi)) => *lo <= c && c <= *hi,
                _ => false,
            },
        }
    }
}

fn letter_matches(letter: i64, ch: u8) -> bool {
    let Ok(l) = u8::try_from(letter) else { return false };
    let yes = match l.to_ascii_lowercase() {
        b'a' => ch.is_ascii_alphabetic(),
        b'c' => ch <= 0x1f || ch == 0x7f,
        b'd' => ch.is_ascii_digit(),
        b'l' => ch.is_ascii_lowercase(),
        b'p' => ch.is_ascii_punctuation(),
        b's' => matches!(ch, b' ' | 0x0c | b'\n' | b'\r' | b'\t' | 0x0b),
        b'u' => ch.is_ascii_uppercase(),
        b'w' => ch.is_ascii_alphanumeric(),
        b'x' => ch.is_ascii_hexdigit(),
        b'z' => ch == 0,
        _ => return ch == l,
    };
    if l.is_ascii_uppercase() { !yes } else { yes }
}

/// One element of a parsed pattern.
#[derive(Debug, Clone)]
enum Item {
    Single(Class),
    Repeat(u8, Class),
    PosCapture,
    Capture(Vec<Item>),
    Balance(i64, i64),
    BackRef(usize),
}

/// A cursor over the pattern with gopher-lua's scanner positions (used in error messages).
struct Scanner<'a> {
    src: &'a [u8],
    pos: i64,
    started: bool,
    saved: (i64, bool),
}

impl Scanner<'_> {
    fn len(&self) -> i64 {
        self.src.len() as i64
    }

    fn next_pos(&self) -> i64 {
        if self.pos == EOS || self.pos >= self.len() - 1 {
            EOS
        } else if !self.started {
            0
        } else {
            self.pos + 1
        }
    }

    fn next(&mut self) -> i64 {
        if !self.started {
            self.started = true;
            if self.src.is_empty() {
                self.pos = EOS;
            }
        } else {
            self.pos = self.next_pos();
        }
        if self.pos == EOS { EOS } else { i64::from(self.src[self.pos as usize]) }
    }

    fn peek(&mut self) -> i64 {
        let was_eos = self.pos == EOS;
        let ch = self.next();
        if !was_eos {
            if self.pos == EOS {
                self.pos = self.len() - 1;
            } else {
                self.pos -= 1;
                if self.pos < 0 {
                    self.pos = 0;
                    self.started = false;
                }
            }
        }
        ch
    }

    fn save(&mut self) {
        self.saved = (self.pos, self.started);
    }

    fn restore(&mut self) {
        (self.pos, self.started) = self.saved;
    }
}

fn parse_class(sc: &mut Scanner<'_>, top: bool) -> Result<Class, PatternError> {
    let ch = sc.next();
    Ok(match ch {
        EOS => return Err(invalid(sc.pos, "unexpected EOS")),
        c if c == i64::from(b'%') => Class::Letter(sc.next()),
        c if c == i64::from(b'.') && top => Class::Any,
        c if c == i64::from(b'[') && top => parse_set(sc)?,
        c => Class::Char(c),
    })
}

fn parse_set(sc: &mut Scanner<'_>) -> Result<Class, PatternError> {
    let mut negated = false;
    if sc.peek() == i64::from(b'^') {
        negated = true;
        sc.next();
    }
    let mut items: Vec<Class> = Vec::new();
    let mut range = false;
    loop {
        let ch = sc.peek();
        if ch == EOS {
            return Err(invalid(sc.pos, "unexpected EOS"));
        }
        if ch == i64::from(b']') && !items.is_empty() {
            sc.next();
            break;
        }
        if ch == i64::from(b'-') && !items.is_empty() {
            sc.next();
            range = true;
            continue;
        }
        items.push(parse_class(sc, false)?);
        if range && items.len() >= 2 {
            let hi = items.pop().unwrap_or(Class::Any);
            let lo = items.pop().unwrap_or(Class::Any);
            items.push(Class::Range(Box::new(lo), Box::new(hi)));
            range = false;
        }
    }
    if range {
        items.push(Class::Char(i64::from(b'-')));
    }
    Ok(Class::Set { negated, items })
}

/// A parsed pattern: its items and its anchors.
struct Parsed {
    items: Vec<Item>,
    head: bool,
    tail: bool,
}

fn parse_seq(sc: &mut Scanner<'_>, top: bool) -> Result<Parsed, PatternError> {
    let mut p = Parsed { items: Vec::new(), head: false, tail: false };
    if top && sc.peek() == i64::from(b'^') {
        sc.next();
        p.head = true;
    }
    loop {
        let ch = sc.peek();
        if ch == EOS {
            sc.next();
            return Ok(p);
        }
        match ch as u8 {
            b'%' => {
                sc.save();
                sc.next();
                let n = sc.peek();
                if n == i64::from(b'0') {
                    return Err(invalid(sc.pos, "invalid capture index"));
                } else if (i64::from(b'1')..=i64::from(b'9')).contains(&n) {
                    sc.next();
                    p.items.push(Item::BackRef((n - i64::from(b'0')) as usize));
                } else if n == i64::from(b'b') {
                    sc.next();
                    let open = sc.next();
                    let close = sc.next();
                    p.items.push(Item::Balance(open, close));
                } else {
                    sc.restore();
                    p.items.push(Item::Single(parse_class(sc, true)?));
                }
            }
            b')' => {
                if top {
                    return Err(invalid(sc.pos, "invalid ')'"));
                }
                return Ok(p);
            }
            b'(' => {
                sc.next();
                if sc.peek() == i64::from(b')') {
                    sc.next();
                    p.items.push(Item::PosCapture);
                } else {
                    let inner = parse_seq(sc, false)?;
                    if sc.peek() != i64::from(b')') {
                        return Err(invalid(sc.pos, "unfinished capture"));
                    }
                    sc.next();
                    p.items.push(Item::Capture(inner.items));
                }
            }
            q @ (b'*' | b'+' | b'-' | b'?') => {
                sc.next();
                match p.items.pop() {
                    Some(Item::Single(class)) => p.items.push(Item::Repeat(q, class)),
                    other => {
                        p.items.extend(other);
                        p.items.push(Item::Single(Class::Char(ch)));
                    }
                }
            }
            b'$' => {
                let next = sc.next_pos();
                if top && (next == sc.len() - 1 || next == EOS) {
                    p.tail = true;
                } else {
                    p.items.push(Item::Single(Class::Char(ch)));
                }
                sc.next();
            }
            b'.' | b'[' | b']' => p.items.push(Item::Single(parse_class(sc, true)?)),
            _ => {
                sc.next();
                p.items.push(Item::Single(Class::Char(ch)));
            }
        }
    }
}

/// An instruction of the matching machine.
#[derive(Debug, Clone)]
enum Op {
    Char(Class),
    Match,
    TailMatch,
    Jump(usize),
    /// Try the first target, and the second when that fails.
    Split(usize, usize),
    Save(usize),
    SavePos(usize),
    Balance(i64, i64),
    BackRef(usize),
}

fn compile_items(items: &[Item], ops: &mut Vec<Op>, next_slot: &mut usize) {
    for item in items {
        let at = ops.len();
        match item {
            Item::Single(c) => ops.push(Op::Char(c.clone())),
            Item::Repeat(b'*', c) => ops.extend([Op::Split(at + 1, at + 3), Op::Char(c.clone()), Op::Jump(at)]),
            Item::Repeat(b'+', c) => ops.extend([Op::Char(c.clone()), Op::Split(at, at + 2)]),
            Item::Repeat(b'-', c) => ops.extend([Op::Split(at + 3, at + 1), Op::Char(c.clone()), Op::Jump(at)]),
            Item::Repeat(_, c) => ops.extend([Op::Split(at + 1, at + 2), Op::Char(c.clone())]),
            Item::PosCapture => {
                ops.push(Op::SavePos(*next_slot));
                *next_slot += 2;
            }
            Item::Capture(inner) => {
                let slot = *next_slot;
                *next_slot += 2;
                ops.push(Op::Save(slot));
                compile_items(inner, ops, next_slot);
                ops.push(Op::Save(slot + 1));
            }
            Item::Balance(o, c) => ops.push(Op::Balance(*o, *c)),
            Item::BackRef(n) => ops.push(Op::BackRef(*n)),
        }
    }
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    ops: Vec<Op>,
    head: bool,
}

impl Pattern {
    /// Parses and compiles `pattern`.
    pub fn new(pattern: &[u8]) -> Result<Pattern, PatternError> {
        let mut sc = Scanner { src: pattern, pos: 0, started: false, saved: (0, false) };
        let parsed = parse_seq(&mut sc, true)?;
        let mut ops = vec![Op::Save(0)];
        let mut next_slot = 2;
        compile_items(&parsed.items, &mut ops, &mut next_slot);
        if parsed.tail {
            ops.extend([Op::Save(1), Op::TailMatch]);
        }
        ops.extend([Op::Save(1), Op::Match]);
        Ok(Pattern { ops, head: parsed.head })
    }
}

/// A capture slot: a byte offset, and whether it is a position capture `()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Slot {
    at: usize,
    position: bool,
}

/// One match: slots 0 and 1 are the whole match, then two per capture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Captures {
    slots: Vec<Slot>,
}

/// What a capture holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture<'a> {
    /// A substring.
    Text(&'a [u8]),
    /// A position capture `()`: a 1-based position.
    Position(usize),
}

impl Captures {
    fn set(&mut self, slot: usize, value: Slot) -> Slot {
        if self.slots.len() <= slot {
            self.slots.resize(slot + 1, Slot::default());
        }
        std::mem::replace(&mut self.slots[slot], value)
    }

    fn at(&self, slot: usize) -> usize {
        self.slots.get(slot).map_or(0, |s| s.at)
    }

    /// Start (0-based) of the whole match.
    pub fn start(&self) -> usize {
        self.at(0)
    }

    /// End (exclusive) of the whole match.
    pub fn end(&self) -> usize {
        self.at(1)
    }

    /// Number of captures (not counting the whole match).
    pub fn count(&self) -> usize {
        (self.slots.len() / 2).saturating_sub(1)
    }

    /// Capture `i` (1-based); 0 is the whole match.
    pub fn get<'a>(&self, src: &'a [u8], i: usize) -> Capture<'a> {
        let (a, b) = (self.slots.get(2 * i).copied().unwrap_or_default(), self.at(2 * i + 1));
        if a.position {
            return Capture::Position(a.at);
        }
        Capture::Text(src.get(a.at..b.max(a.at)).unwrap_or_default())
    }
}

enum Pending {
    Alternative { pc: usize, sp: usize },
    Restore { slot: usize, old: Slot },
}

/// Runs the machine from `sp`; `Some(captures)` on a match.
fn run_at(
    ops: &[Op],
    src: &[u8],
    start: usize,
    steps: &mut u32,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<Option<Captures>, PatternError> {
    let mut caps = Captures::default();
    let mut pending: Vec<Pending> = Vec::new();
    let (mut pc, mut sp) = (0usize, start);
    loop {
        *steps += 1;
        if *steps >= CHECK_EVERY {
            *steps = 0;
            if !keep_going() {
                return Err(PatternError::Stopped);
            }
        }
        let ok = match &ops[pc] {
            Op::Char(c) => {
                let hit = src.get(sp).is_some_and(|b| c.matches(*b));
                if hit {
                    pc += 1;
                    sp += 1;
                }
                hit
            }
            Op::Match => return Ok(Some(caps)),
            Op::TailMatch => {
                if sp >= src.len() {
                    return Ok(Some(caps));
                }
                false
            }
            Op::Jump(to) => {
                pc = *to;
                true
            }
            Op::Split(first, second) => {
                if pending.len() >= MAX_PENDING {
                    return Err(PatternError::Invalid("pattern/input too complex".to_owned()));
                }
                pending.push(Pending::Alternative { pc: *second, sp });
                pc = *first;
                true
            }
            Op::Save(slot) => {
                if pending.len() >= MAX_PENDING {
                    return Err(PatternError::Invalid("pattern/input too complex".to_owned()));
                }
                let old = caps.set(*slot, Slot { at: sp, position: false });
                pending.push(Pending::Restore { slot: *slot, old });
                pc += 1;
                true
            }
            Op::SavePos(slot) => {
                caps.set(*slot, Slot { at: sp + 1, position: true });
                caps.set(*slot + 1, Slot { at: sp + 1, position: true });
                pc += 1;
                true
            }
            Op::Balance(open, close) => match balanced_end(src, sp, *open, *close) {
                Some(end) => {
                    sp = end;
                    pc += 1;
                    true
                }
                None => false,
            },
            Op::BackRef(n) => {
                let idx = n * 2;
                if idx + 1 >= caps.slots.len() {
                    return Err(PatternError::Invalid("invalid capture index".to_owned()));
                }
                let (a, b) = (caps.at(idx), caps.at(idx + 1));
                let text = src.get(a..b.max(a)).unwrap_or_default();
                if src.get(sp..).is_some_and(|rest| rest.starts_with(text)) {
                    sp += text.len();
                    pc += 1;
                    true
                } else {
                    false
                }
            }
        };
        if ok {
            continue;
        }
        // Backtrack to the latest alternative, undoing the captures saved since.
        loop {
            match pending.pop() {
                None => return Ok(None),
                Some(Pending::Restore { slot, old }) => {
                    caps.set(slot, old);
                }
                Some(Pending::Alternative { pc: p, sp: s }) => {
                    pc = p;
                    sp = s;
                    break;
                }
            }
        }
    }
}

fn balanced_end(src: &[u8], sp: usize, open: i64, close: i64) -> Option<usize> {
    if src.get(sp).map(|b| i64::from(*b)) != Some(open) {
        return None;
    }
    let mut depth = 1;
    for (i, b) in src.iter().enumerate().skip(sp + 1) {
        let b = i64::from(*b);
        if b == close {
            depth -= 1;
        }
        if depth == 0 {
            return Some(i + 1);
        }
        if b == open {
            depth += 1;
        }
    }
    None
}

/// Finds matches of `pattern` in `src` from byte `offset`, at most `limit` of them (`None`: all), the
/// way gopher-lua's `pm.Find` does: after a match the search resumes at its end (one byte further when
/// it was empty); an anchored pattern is tried at `offset` only. `limit == Some(0)` stops after the
/// first attempt when it found nothing, as in gopher-lua. The matches kept may take at most
/// `max_bytes`.
pub fn find(
    pattern: &Pattern,
    src: &[u8],
    offset: usize,
    limit: Option<usize>,
    max_bytes: usize,
    keep_going: &mut dyn FnMut() -> bool,
) -> Result<Vec<Captures>, PatternError> {
    let mut found = Vec::new();
    let mut bytes = 0usize;
    let mut steps = 0u32;
    let mut sp = offset;
    while sp <= src.len() {
        let m = run_at(&pattern.ops, src, sp, &mut steps, keep_going)?;
        sp += 1;
        if let Some(c) = m {
            sp = sp.max(c.end());
            bytes += std::mem::size_of::<Captures>() + c.slots.len() * std::mem::size_of::<Slot>();
            if bytes > max_bytes {
                return Err(PatternError::Memory);
            }
            found.push(c);
        }
        if Some(found.len()) == limit || pattern.head {
            break;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn all(p: &str, s: &str) -> Vec<String> {
        let pat = Pattern::new(p.as_bytes()).unwrap();
        find(&pat, s.as_bytes(), 0, None, usize::MAX, &mut || true)
            .unwrap()
            .iter()
            .map(|c| String::from_utf8_lossy(&s.as_bytes()[c.start()..c.end()]).into_owned())
            .collect()
    }

    fn first_captures(p: &str, s: &str) -> Vec<Capture<'static>> {
        let s: &'static str = Box::leak(s.to_owned().into_boxed_str());
        let pat = Pattern::new(p.as_bytes()).unwrap();
        let m = find(&pat, s.as_bytes(), 0, Some(1), usize::MAX, &mut || true).unwrap();
        let c = &m[0];
        (1..=c.count()).map(|i| c.get(s.as_bytes(), i)).collect()
    }

    #[test]
    fn classes_sets_and_quantifiers() {
        assert_eq!(all("%d+", "a12b345"), ["12", "345"]);
        assert_eq!(all("[%a_][%w_]*", "x1 _y 9z"), ["x1", "_y", "z"]);
        assert_eq!(all("[^,]+", "a,b,,c"), ["a", "b", "c"]);
        assert_eq!(all("a-b", "aaab"), ["aaab"]);
        assert_eq!(all("ab?c", "ac abc"), ["ac", "abc"]);
        assert_eq!(all("[a-c]+", "xabcabd"), ["abcab"]);
        assert_eq!(all("%S+", " one  two "), ["one", "two"]);
        assert_eq!(all("%%", "5%"), ["%"]);
        assert_eq!(all("%.", "a.b"), ["."]);
        assert_eq!(all("x*", "ab"), ["", "", ""]);
    }

    #[test]
    fn anchors_follow_gopher_lua() {
        assert_eq!(all("^a", "aaa"), ["a"]);
        assert_eq!(all("a$", "aa"), ["a"]);
        // `$` that is not last is a literal.
        assert_eq!(all("a$b", "a$b"), ["a$b"]);
        // `^` that is not first is a literal.
        assert_eq!(all("a^", "a^"), ["a^"]);
    }

    #[test]
    fn quirks_of_gopher_lua_are_kept() {
        // No frontier pattern: `%f` is the letter f.
        assert_eq!(all("%f[a]", "fa"), ["fa"]);
        // A quantifier with nothing to repeat is literal.
        assert_eq!(all("*a", "*a"), ["*a"]);
        assert_eq!(all("(a)*", "a*"), ["a*"]);
        // A range with a class as an end matches nothing.
        assert_eq!(all("[%a-z]", "b"), Vec::<String>::new());
        // A trailing `%` matches nothing.
        assert_eq!(all("a%", "a%"), Vec::<String>::new());
    }

    #[test]
    fn captures_balances_and_back_references() {
        assert_eq!(first_captures("(%w+)=(%w+)", "k=v"), [Capture::Text(b"k"), Capture::Text(b"v")]);
        assert_eq!(first_captures("()a()", "xa"), [Capture::Position(2), Capture::Position(3)]);
        assert_eq!(all("%b()", "f(a(b)c) (d"), ["(a(b)c)"]);
        assert_eq!(all("(%a)%1", "abbcdd"), ["bb", "dd"]);
        assert_eq!(first_captures("((a)(b))", "ab").len(), 3);
    }

    #[test]
    fn malformed_patterns_report_gopher_lua_errors() {
        let e = |p: &str| Pattern::new(p.as_bytes()).unwrap_err().to_string();
        assert_eq!(e("[a"), "unexpected EOS at 1");
        assert_eq!(e("a)"), "invalid ')' at 0");
        assert_eq!(e("(a"), "unfinished capture at EOS");
        assert_eq!(e("%0"), "invalid capture index at 0");
        let pat = Pattern::new(b"(a%1)").unwrap();
        assert_eq!(
            find(&pat, b"aa", 0, None, usize::MAX, &mut || true).unwrap_err(),
            PatternError::Invalid("invalid capture index".to_owned())
        );
    }

    #[test]
    fn catastrophic_backtracking_stops_when_the_budget_says_so() {
        let pat = Pattern::new(format!("{}b", "a*".repeat(20)).as_bytes()).unwrap();
        let src = "a".repeat(40);
        let deadline = Instant::now() + Duration::from_millis(100);
        let started = Instant::now();
        let r = find(&pat, src.as_bytes(), 0, Some(1), usize::MAX, &mut || Instant::now() < deadline);
        assert_eq!(r.unwrap_err(), PatternError::Stopped);
        assert!(started.elapsed() < Duration::from_millis(400), "{:?}", started.elapsed());
    }

    #[test]
    fn matches_are_held_to_the_memory_allowed() {
        let pat = Pattern::new(b"").unwrap();
        let src = vec![b'a'; 100_000];
        assert_eq!(find(&pat, &src, 0, None, 1 << 20, &mut || true).unwrap_err(), PatternError::Memory);
        assert_eq!(find(&pat, &src, 0, None, 64 << 20, &mut || true).unwrap().len(), 100_001);
    }

    #[test]
    fn deep_backtracking_is_an_error_not_a_stack_overflow() {
        let src = vec![b'a'; 2_000_000];
        let pat = Pattern::new(b"a*c").unwrap();
        let r = find(&pat, &src, 0, Some(1), usize::MAX, &mut || true);
        assert_eq!(r.unwrap_err(), PatternError::Invalid("pattern/input too complex".to_owned()));
    }
}
