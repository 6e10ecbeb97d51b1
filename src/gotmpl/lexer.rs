//! Tokenizer for Go's text/template syntax (a port of `text/template/parse/lex.go`'s state machine).
//!
//! The whole input is lexed up front; a lexing error becomes the last token, so the parser reports it
//! only when it reaches that point, exactly like Go's concurrent lexer.

/// The kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Error,
    Bool,
    Char,
    CharConstant,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,
    // Keywords.
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// One token: kind, byte offset, text and the 1-based line it starts on.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: Kind,
    pub pos: usize,
    pub val: String,
    pub line: usize,
}

impl Token {
    /// Go's `item.String()`, used in parse error messages.
    pub fn describe(&self) -> String {
        match self.kind {
            Kind::Eof => "EOF".to_string(),
            Kind::Error => self.val.clone(),
            k if k >= Kind::Block => format!("<{}>", self.val),
            _ => {
                if self.val.chars().count() > 10 {
                    let short: String = self.val.chars().take(10).collect();
                    format!("{}...", go_quote(&short))
                } else {
                    go_quote(&self.val)
                }
            }
        }
    }
}

impl PartialOrd for Kind {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some((*self as u8).cmp(&(*other as u8)))
    }
}

const LEFT: &str = "{{";
const RIGHT: &str = "}}";

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

pub(crate) fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

fn has_left_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && b[0] == b'-' && is_space(b[1] as char)
}

fn has_right_trim(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2 && is_space(b[0] as char) && b[1] == b'-'
}

fn keyword(word: &str) -> Option<Kind> {
    Some(match word {
        "block" => Kind::Block,
        "break" => Kind::Break,
        "continue" => Kind::Continue,
        "define" => Kind::Define,
        "else" => Kind::Else,
        "end" => Kind::End,
        "if" => Kind::If,
        "range" => Kind::Range,
        "nil" => Kind::Nil,
        "template" => Kind::Template,
        "with" => Kind::With,
        _ => return None,
    })
}

/// Go's `%#U` rendering of a character: `U+0023 '#'`.
pub(crate) fn sharp_u(c: Option<char>) -> String {
    match c {
        None => "U+FFFFFFFF".to_string(),
        Some(c) => {
            if c.is_control() {
                format!("U+{:04X}", c as u32)
            } else {
                format!("U+{:04X} '{}'", c as u32, c)
            }
        }
    }
}

struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    paren_depth: i32,
    tokens: Vec<Token>,
}

/// Tokenizes `input`. The result always ends with an `Eof` or an `Error` token.
pub(crate) fn lex(input: &str) -> Vec<Token> {
    let mut l = Lexer { input, pos: 0, start: 0, paren_depth: 0, tokens: Vec::new() };
    l.run();
    l.tokens
        .iter_mut()
        .for_each(|t| t.line = 1 + input.as_bytes()[..t.pos.min(input.len())].iter().filter(|&&b| b == b'\n').count());
    l.tokens
}

enum State {
    Text,
    LeftDelim,
    Inside,
    Done,
}

impl<'a> Lexer<'a> {
    fn rest(&self) -> &'a str {
        &self.input[self.pos..]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn emit(&mut self, kind: Kind) {
        self.tokens.push(Token { kind, pos: self.start, val: self.input[self.start..self.pos].to_string(), line: 0 });
        self.start = self.pos;
    }
    fn error(&mut self, msg: String) -> State {
        self.tokens.push(Token { kind: Kind::Error, pos: self.start, val: msg, line: 0 });
        State::Done
    }
    fn accept(&mut self, set: &str) -> bool {
        match self.peek() {
            Some(c) if set.contains(c) => {
                self.pos += c.len_utf8();
                true
            }
            _ => false,
        }
    }
    fn accept_run(&mut self, set: &str) {
        while self.accept(set) {}
    }
    fn at_right_delim(&self) -> (bool, bool) {
        let r = self.rest();
        if has_right_trim(r) && r[2..].starts_with(RIGHT) {
            return (true, true);
        }
        (r.starts_with(RIGHT), false)
    }
    fn at_terminator(&self) -> bool {
        match self.peek() {
            None => true,
            Some(c) if is_space(c) => true,
            Some('.' | ',' | '|' | ':' | ')' | '(') => true,
            _ => self.rest().starts_with(RIGHT),
        }
    }

    fn run(&mut self) {
        let mut state = State::Text;
        loop {
            state = match state {
                State::Text => self.lex_text(),
                State::LeftDelim => self.lex_left_delim(),
                State::Inside => self.lex_inside(),
                State::Done => return,
            }
        }
    }

    fn lex_text(&mut self) -> State {
        if let Some(x) = self.rest().find(LEFT) {
            self.pos += x;
            let mut trim = 0;
            if has_left_trim(&self.input[self.pos + LEFT.len()..]) {
                let s = &self.input[self.start..self.pos];
                trim = s.len() - s.trim_end_matches(is_space).len();
            }
            self.pos -= trim;
            if self.pos > self.start {
                self.emit(Kind::Text);
            }
            self.pos += trim;
            self.start = self.pos;
            return State::LeftDelim;
        }
        self.pos = self.input.len();
        if self.pos > self.start {
            self.emit(Kind::Text);
        }
        self.emit(Kind::Eof);
        State::Done
    }

    fn skip_left_space(&mut self) {
        let r = self.rest();
        self.pos += r.len() - r.trim_start_matches(is_space).len();
    }

    fn lex_left_delim(&mut self) -> State {
        self.pos += LEFT.len();
        let trim = has_left_trim(self.rest());
        let after = if trim { 2 } else { 0 };
        if self.input[self.pos + after..].starts_with("/*") {
            self.pos += after;
            self.start = self.pos;
            return self.lex_comment();
        }
        self.emit(Kind::LeftDelim);
        self.pos += after;
        self.start = self.pos;
        self.paren_depth = 0;
        State::Inside
    }

    fn lex_comment(&mut self) -> State {
        self.pos += 2;
        let Some(i) = self.rest().find("*/") else {
            return self.error("unclosed comment".into());
        };
        self.pos += i + 2;
        let (delim, trim) = self.at_right_delim();
        if !delim {
            return self.error("comment ends before closing delimiter".into());
        }
        if trim {
            self.pos += 2;
        }
        self.pos += RIGHT.len();
        if trim {
            self.skip_left_space();
        }
        self.start = self.pos;
        State::Text
    }

    fn lex_right_delim(&mut self) -> State {
        let trim = has_right_trim(self.rest());
        if trim {
            self.pos += 2;
            self.start = self.pos;
        }
        self.pos += RIGHT.len();
        self.emit(Kind::RightDelim);
        if trim {
            self.skip_left_space();
            self.start = self.pos;
        }
        State::Text
    }

    fn lex_inside(&mut self) -> State {
        loop {
            let (delim, _) = self.at_right_delim();
            if delim {
                if self.paren_depth == 0 {
                    return self.lex_right_delim();
                }
                return self.error("unclosed left paren".into());
            }
            let Some(r) = self.next() else {
                return self.error("unclosed action".into());
            };
            match r {
                c if is_space(c) => {
                    self.pos -= 1;
                    if let Some(s) = self.lex_space() {
                        return s;
                    }
                }
                '=' => self.emit(Kind::Assign),
                ':' => {
                    if self.next() != Some('=') {
                        return self.error("expected :=".into());
                    }
                    self.emit(Kind::Declare);
                }
                '|' => self.emit(Kind::Pipe),
                '"' => {
                    if let Some(s) = self.lex_quote() {
                        return s;
                    }
                }
                '`' => loop {
                    match self.next() {
                        None => return self.error("unterminated raw quoted string".into()),
                        Some('`') => {
                            self.emit(Kind::RawString);
                            break;
                        }
                        _ => {}
                    }
                },
                '$' => {
                    if self.at_terminator() {
                        self.emit(Kind::Variable);
                    } else if let Some(s) = self.lex_field_or_var(Kind::Variable) {
                        return s;
                    }
                }
                '\'' => loop {
                    match self.next() {
                        Some('\\') => match self.next() {
                            None | Some('\n') => return self.error("unterminated character constant".into()),
                            _ => {}
                        },
                        None | Some('\n') => return self.error("unterminated character constant".into()),
                        Some('\'') => {
                            self.emit(Kind::CharConstant);
                            break;
                        }
                        _ => {}
                    }
                },
                '.' if !matches!(self.peek(), Some('0'..='9')) => {
                    if let Some(s) = self.lex_field_or_var(Kind::Field) {
                        return s;
                    }
                }
                '.' | '+' | '-' | '0'..='9' => {
                    self.pos -= 1;
                    if let Some(s) = self.lex_number() {
                        return s;
                    }
                }
                c if is_alnum(c) => {
                    self.pos -= c.len_utf8();
                    if let Some(s) = self.lex_identifier() {
                        return s;
                    }
                }
                '(' => {
                    self.emit(Kind::LeftParen);
                    self.paren_depth += 1;
                }
                ')' => {
                    self.emit(Kind::RightParen);
                    self.paren_depth -= 1;
                    if self.paren_depth < 0 {
                        return self.error(format!("unexpected right paren {}", sharp_u(Some(r))));
                    }
                }
                c if c.is_ascii() && !c.is_ascii_control() => self.emit(Kind::Char),
                c => return self.error(format!("unrecognized character in action: {}", sharp_u(Some(c)))),
            }
        }
    }

    /// Returns `Some(state)` when lexing inside the action must stop.
    fn lex_space(&mut self) -> Option<State> {
        let mut n = 0;
        while let Some(c) = self.peek() {
            if !is_space(c) {
                break;
            }
            self.pos += 1;
            n += 1;
        }
        let before = &self.input[self.pos - 1..];
        if has_right_trim(before) && before[2..].starts_with(RIGHT) {
            self.pos -= 1;
            if n == 1 {
                return Some(self.lex_right_delim());
            }
        }
        self.emit(Kind::Space);
        None
    }

    fn lex_quote(&mut self) -> Option<State> {
        loop {
            match self.next() {
                Some('\\') => match self.next() {
                    None | Some('\n') => return Some(self.error("unterminated quoted string".into())),
                    _ => {}
                },
                None | Some('\n') => return Some(self.error("unterminated quoted string".into())),
                Some('"') => {
                    self.emit(Kind::String);
                    return None;
                }
                _ => {}
            }
        }
    }

    fn lex_identifier(&mut self) -> Option<State> {
        while let Some(c) = self.peek() {
            if !is_alnum(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        let word = &self.input[self.start..self.pos];
        if !self.at_terminator() {
            let c = self.peek();
            return Some(self.error(format!("bad character {}", sharp_u(c))));
        }
        let kind = match keyword(word) {
            Some(k) => k,
            None if word == "true" || word == "false" => Kind::Bool,
            None => Kind::Identifier,
        };
        self.emit(kind);
        None
    }

    fn lex_field_or_var(&mut self, kind: Kind) -> Option<State> {
        if self.at_terminator() {
            self.emit(if kind == Kind::Variable { Kind::Variable } else { Kind::Dot });
            return None;
        }
        while let Some(c) = self.peek() {
            if !is_alnum(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        if !self.at_terminator() {
            let c = self.peek();
            return Some(self.error(format!("bad character {}", sharp_u(c))));
        }
        self.emit(kind);
        None
    }

    fn scan_number(&mut self) -> bool {
        self.accept("+-");
        let mut digits = "0123456789_";
        if self.accept("0") {
            if self.accept("xX") {
                digits = "0123456789abcdefABCDEF_";
            } else if self.accept("oO") {
                digits = "01234567_";
            } else if self.accept("bB") {
                digits = "01_";
            }
        }
        self.accept_run(digits);
        if self.accept(".") {
            self.accept_run(digits);
        }
        if digits.len() == 11 && self.accept("eE") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        if digits.len() == 23 && self.accept("pP") {
            self.accept("+-");
            self.accept_run("0123456789_");
        }
        self.accept("i");
        if let Some(c) = self.peek()
            && is_alnum(c)
        {
            self.next();
            return false;
        }
        true
    }

    fn lex_number(&mut self) -> Option<State> {
        if !self.scan_number() {
            let msg = format!("bad number syntax: {}", go_quote(&self.input[self.start..self.pos]));
            return Some(self.error(msg));
        }
        if matches!(self.peek(), Some('+' | '-')) {
            if !self.scan_number() || !self.input[..self.pos].ends_with('i') {
                let msg = format!("bad number syntax: {}", go_quote(&self.input[self.start..self.pos]));
                return Some(self.error(msg));
            }
            self.emit(Kind::Complex);
        } else {
            self.emit(Kind::Number);
        }
        None
    }
}

/// Go's `strconv.Quote`.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"', false);
    }
    out.push('"');
    out
}

/// Appends `c` escaped the way `strconv.Quote` (or `QuoteToASCII` when `ascii`) does.
pub(crate) fn push_escaped(out: &mut String, c: char, quote: char, ascii: bool) {
    match c {
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        '\u{FFFD}' => out.push('\u{FFFD}'),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if ascii && (c as u32) >= 0x80 => {
            if (c as u32) < 0x10000 {
                out.push_str(&format!("\\u{:04x}", c as u32))
            } else {
                out.push_str(&format!("\\U{:08x}", c as u32))
            }
        }
        c if is_go_printable(c) => out.push(c),
        c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push_str(&format!("\\U{:08x}", c as u32)),
    }
}

/// Approximation of Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
pub(crate) fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c as u32, 0xAD | 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFEFF | 0xE000..=0xF8FF | 0xFFF0..=0xFFFF))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        lex(s).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn lexes_trim_markers_and_fields() {
        let toks = lex("a  {{- .x.y -}}  b");
        let vals: Vec<_> = toks.iter().map(|t| t.val.as_str()).collect();
        assert_eq!(vals, ["a", "{{", ".x", ".y", "}}", "b", ""]);
    }

    #[test]
    fn reports_unclosed_action() {
        assert_eq!(kinds("{{ .x"), [Kind::LeftDelim, Kind::Space, Kind::Field, Kind::Error]);
    }

    #[test]
    fn skips_comments() {
        assert_eq!(kinds("{{/* c */}}x"), [Kind::Text, Kind::Eof]);
    }
}
