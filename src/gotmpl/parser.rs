//! Recursive-descent parser producing the tree of [`crate::gotmpl::ast`], a port of
//! `text/template/parse/parse.go` with the same error texts.

use std::collections::BTreeMap;

use super::ast::{Arg, Branch, Command, List, Node, Number, Pipe, Var, is_empty_list};
use super::lexer::{Kind, Token, lex};

/// A parse failure: Go's message without the `template: name:line: ` prefix, plus the line.
pub(crate) struct ParseError {
    pub line: usize,
    pub msg: String,
}

type PResult<T> = Result<T, ParseError>;

/// The result of parsing a source: the main tree and every `define`d / `block` template.
pub(crate) struct Parsed {
    pub trees: BTreeMap<String, List>,
}

struct Parser<'a> {
    name: &'a str,
    toks: Vec<Token>,
    idx: usize,
    furthest: usize,
    vars: Vec<String>,
    range_depth: usize,
    action_line: usize,
    trees: BTreeMap<String, List>,
    is_func: &'a dyn Fn(&str) -> bool,
    depth: usize,
}

/// Nesting limit for parenthesised pipelines and control structures, to keep the recursion bounded.
const MAX_PARSE_DEPTH: usize = 100;

/// Parses `src` as the template `name`. `is_func` says whether an identifier is a known function.
pub(crate) fn parse(name: &str, src: &str, is_func: &dyn Fn(&str) -> bool) -> PResult<Parsed> {
    let mut p = Parser {
        name,
        toks: lex(src),
        idx: 0,
        furthest: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        action_line: 0,
        trees: BTreeMap::new(),
        is_func,
        depth: 0,
    };
    let root = p.parse_root()?;
    p.add(name.to_string(), root)?;
    Ok(Parsed { trees: p.trees })
}

impl Parser<'_> {
    fn err<T>(&self, msg: impl Into<String>) -> PResult<T> {
        let line = self.toks.get(self.furthest).map(|t| t.line).unwrap_or(1);
        Err(ParseError { line, msg: msg.into() })
    }
    fn next(&mut self) -> Token {
        // Reading past the end keeps returning the final Eof/Error token; `idx` still advances so that
        // every `backup` undoes exactly one `next`.
        let i = self.idx.min(self.toks.len() - 1);
        self.idx += 1;
        self.furthest = self.furthest.max(i);
        self.toks[i].clone()
    }
    fn peek(&mut self) -> Token {
        let i = self.idx.min(self.toks.len() - 1);
        self.furthest = self.furthest.max(i);
        self.toks[i].clone()
    }
    fn backup(&mut self) {
        self.idx -= 1;
    }
    fn next_non_space(&mut self) -> Token {
        loop {
            let t = self.next();
            if t.kind != Kind::Space {
                return t;
            }
        }
    }
    fn peek_non_space(&mut self) -> Token {
        let t = self.next_non_space();
        self.backup();
        t
    }
    fn at_end(&self) -> bool {
        self.idx >= self.toks.len() - 1
    }

    fn unexpected<T>(&self, tok: &Token, context: &str) -> PResult<T> {
        if tok.kind == Kind::Error {
            let mut extra = String::new();
            if self.action_line != 0 && self.action_line != tok.line {
                extra = format!(" in action started at {}:{}", self.name, self.action_line);
                if tok.val.ends_with(" action") {
                    extra = extra[" in action".len()..].to_string();
                }
            }
            return self.err(format!("{}{}", tok.val, extra));
        }
        self.err(format!("unexpected {} in {}", tok.describe(), context))
    }

    fn expect_token(&mut self, kind: Kind, context: &str) -> PResult<Token> {
        let t = self.next_non_space();
        if t.kind != kind {
            return self.unexpected(&t, context);
        }
        Ok(t)
    }

    fn add(&mut self, name: String, list: List) -> PResult<()> {
        match self.trees.get(&name) {
            Some(old) if !is_empty_list(old) => {
                if !is_empty_list(&list) {
                    return self
                        .err(format!("template: multiple definition of template {}", super::lexer::go_quote(&name)));
                }
                Ok(())
            }
            _ => {
                self.trees.insert(name, list);
                Ok(())
            }
        }
    }

    fn parse_root(&mut self) -> PResult<List> {
        let mut root = List::default();
        while self.peek().kind != Kind::Eof {
            if self.peek().kind == Kind::LeftDelim {
                let save = self.idx;
                self.next();
                if self.next_non_space().kind == Kind::Define {
                    self.parse_definition()?;
                    continue;
                }
                self.idx = save;
            }
            match self.text_or_action()? {
                Item::Node(n) => root.nodes.push(n),
                Item::End => return self.err("unexpected {{end}}"),
                Item::Else => return self.err("unexpected {{else}}"),
            }
        }
        Ok(root)
    }

    fn parse_definition(&mut self) -> PResult<()> {
        let context = "define clause";
        let t = self.next_non_space();
        if t.kind != Kind::String && t.kind != Kind::RawString {
            return self.unexpected(&t, context);
        }
        let name = self.unquote(&t.val)?;
        self.expect_token(Kind::RightDelim, context)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if !matches!(end, Item::End) {
            return self.err(format!("unexpected {} in {context}", end.describe()));
        }
        self.add(name, list)
    }

    fn item_list(&mut self) -> PResult<(List, Item)> {
        let mut list = List::default();
        while self.peek_non_space().kind != Kind::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.nodes.push(n),
                other => return Ok((list, other)),
            }
        }
        self.err("unexpected EOF")
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Text => Ok(Item::Node(Node::Text(t.pos, t.val))),
            Kind::LeftDelim => {
                self.action_line = t.line;
                let r = self.action();
                self.action_line = 0;
                r
            }
            _ => self.unexpected(&t, "input"),
        }
    }

    fn action(&mut self) -> PResult<Item> {
        self.depth += 1;
        if self.depth > MAX_PARSE_DEPTH {
            return self.err("template nesting too deep");
        }
        let r = self.action_inner();
        self.depth -= 1;
        r
    }

    fn action_inner(&mut self) -> PResult<Item> {
        let t = self.next_non_space();
        match t.kind {
            Kind::Block => return self.block_control(),
            Kind::Break | Kind::Continue => {
                let word = if t.kind == Kind::Break { "break" } else { "continue" };
                let n = self.next_non_space();
                if n.kind != Kind::RightDelim {
                    return self.unexpected(&n, &format!("{{{{{word}}}}}"));
                }
                if self.range_depth == 0 {
                    return self.err(format!("{{{{{word}}}}} outside {{{{range}}}}"));
                }
                return Ok(Item::Node(if t.kind == Kind::Break { Node::Break(t.pos) } else { Node::Continue(t.pos) }));
            }
            Kind::Else => {
                // `{{else if}}` and (Go 1.23+) `{{else with}}` leave the keyword pending.
                let p = self.peek_non_space();
                if p.kind == Kind::If || p.kind == Kind::With {
                    return Ok(Item::Else);
                }
                self.expect_token(Kind::RightDelim, "else")?;
                return Ok(Item::Else);
            }
            Kind::End => {
                self.expect_token(Kind::RightDelim, "end")?;
                return Ok(Item::End);
            }
            Kind::If => return Ok(Item::Node(Node::If(self.parse_control(true, "if")?))),
            Kind::Range => return Ok(Item::Node(Node::Range(self.parse_control(false, "range")?))),
            Kind::With => return Ok(Item::Node(Node::With(self.parse_control(false, "with")?))),
            Kind::Template => return self.template_control(),
            _ => {}
        }
        self.backup();
        let pos = self.peek().pos;
        let pipe = self.pipeline("command", Kind::RightDelim)?;
        Ok(Item::Node(Node::Action(pos, pipe)))
    }

    fn parse_control(&mut self, allow_else_if: bool, context: &str) -> PResult<Branch> {
        let nvars = self.vars.len();
        let r = self.parse_control_inner(allow_else_if, context);
        self.vars.truncate(nvars);
        r
    }

    fn parse_control_inner(&mut self, allow_else_if: bool, context: &str) -> PResult<Branch> {
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        if context == "range" {
            self.range_depth += 1;
        }
        let (list, next) = self.item_list()?;
        if context == "range" {
            self.range_depth -= 1;
        }
        let mut else_list = None;
        match next {
            Item::End => {}
            Item::Else => {
                if allow_else_if && self.peek().kind == Kind::If {
                    self.next();
                    let inner = self.parse_control(true, "if")?;
                    else_list = Some(List { nodes: vec![Node::If(inner)] });
                } else if context == "with" && self.peek().kind == Kind::With {
                    self.next();
                    let inner = self.parse_control(false, "with")?;
                    else_list = Some(List { nodes: vec![Node::With(inner)] });
                } else {
                    let (l, n) = self.item_list()?;
                    if !matches!(n, Item::End) {
                        return self.err(format!("expected end; found {}", n.describe()));
                    }
                    else_list = Some(l);
                }
            }
            Item::Node(_) => unreachable_node(),
        }
        Ok(Branch { pos: pipe.pos, pipe, list, else_list })
    }

    fn block_control(&mut self) -> PResult<Item> {
        let context = "block clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, context)?;
        let pipe = self.pipeline(context, Kind::RightDelim)?;
        let saved_vars = std::mem::replace(&mut self.vars, vec!["$".into()]);
        let saved_range = std::mem::replace(&mut self.range_depth, 0);
        let (list, end) = self.item_list()?;
        self.vars = saved_vars;
        self.range_depth = saved_range;
        if !matches!(end, Item::End) {
            return self.err(format!("unexpected {} in {context}", end.describe()));
        }
        self.add(name.clone(), list)?;
        Ok(Item::Node(Node::Template { pos: t.pos, name, pipe: Some(pipe) }))
    }

    fn template_control(&mut self) -> PResult<Item> {
        let context = "template clause";
        let t = self.next_non_space();
        let name = self.template_name(&t, context)?;
        let mut pipe = None;
        if self.next_non_space().kind != Kind::RightDelim {
            self.backup();
            pipe = Some(self.pipeline(context, Kind::RightDelim)?);
        }
        Ok(Item::Node(Node::Template { pos: t.pos, name, pipe }))
    }

    fn template_name(&mut self, t: &Token, context: &str) -> PResult<String> {
        match t.kind {
            Kind::String | Kind::RawString => self.unquote(&t.val),
            _ => self.unexpected(t, context),
        }
    }

    fn unquote(&self, s: &str) -> PResult<String> {
        match go_unquote(s) {
            Some(v) => Ok(v),
            None => self.err("invalid syntax"),
        }
    }

    fn pipeline(&mut self, context: &str, end: Kind) -> PResult<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe { pos: start.pos, is_assign: false, decl: vec![], cmds: vec![] };
        'decls: loop {
            let v = self.peek_non_space();
            if v.kind == Kind::Variable {
                self.next_non_space();
                let after = self.peek();
                let next = self.peek_non_space();
                if next.kind == Kind::Assign || next.kind == Kind::Declare {
                    pipe.is_assign = next.kind == Kind::Assign;
                    self.next_non_space();
                    pipe.decl.push(Var { pos: v.pos, ident: v.val.split('.').map(String::from).collect() });
                    self.vars.push(v.val.clone());
                } else if next.kind == Kind::Char && next.val == "," {
                    self.next_non_space();
                    pipe.decl.push(Var { pos: v.pos, ident: v.val.split('.').map(String::from).collect() });
                    self.vars.push(v.val.clone());
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().kind {
                            Kind::Variable | Kind::RightDelim | Kind::RightParen => continue 'decls,
                            _ => return self.err("range can only initialize variables"),
                        }
                    }
                    return self.err(format!("too many declarations in {context}"));
                } else if after.kind == Kind::Space {
                    // Put back the variable and the space (Go's backup3).
                    self.idx -= 1;
                    while self.toks[self.idx].kind != Kind::Variable {
                        self.idx -= 1;
                    }
                } else {
                    self.idx -= 1;
                    while self.toks[self.idx].kind != Kind::Variable {
                        self.idx -= 1;
                    }
                }
            }
            break;
        }
        loop {
            let t = self.next_non_space();
            match t.kind {
                k if k == end => {
                    if pipe.cmds.is_empty() {
                        return self.err(format!("missing value for {context}"));
                    }
                    for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
                        if matches!(
                            c.args[0],
                            Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::String { .. }
                        ) {
                            return self.err(format!("non executable command in pipeline stage {}", i + 1));
                        }
                    }
                    return Ok(pipe);
                }
                Kind::Bool
                | Kind::CharConstant
                | Kind::Complex
                | Kind::Dot
                | Kind::Field
                | Kind::Identifier
                | Kind::Number
                | Kind::Nil
                | Kind::RawString
                | Kind::String
                | Kind::Variable
                | Kind::LeftParen => {
                    self.backup();
                    let c = self.command()?;
                    pipe.cmds.push(c);
                }
                _ => return self.unexpected(&t, context),
            }
        }
    }

    fn command(&mut self) -> PResult<Command> {
        let pos = self.peek_non_space().pos;
        let mut cmd = Command { pos, args: vec![] };
        loop {
            self.peek_non_space();
            if let Some(op) = self.operand()? {
                cmd.args.push(op);
            }
            let t = self.next();
            match t.kind {
                Kind::Space => continue,
                Kind::RightDelim | Kind::RightParen => self.backup(),
                Kind::Pipe => {}
                _ => return self.unexpected(&t, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.err("empty command");
        }
        Ok(cmd)
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(node) = self.term()? else { return Ok(None) };
        if self.peek().kind == Kind::Field {
            let cpos = self.peek().pos;
            let mut fields = vec![];
            while self.peek().kind == Kind::Field {
                fields.push(self.next().val[1..].to_string());
            }
            return match node {
                Arg::Field(_, mut id) => {
                    id.extend(fields);
                    Ok(Some(Arg::Field(cpos, id)))
                }
                Arg::Variable(mut v) => {
                    v.ident.extend(fields);
                    v.pos = cpos;
                    Ok(Some(Arg::Variable(v)))
                }
                Arg::Bool(..) | Arg::String { .. } | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                    self.err(format!("unexpected . after term {}", super::lexer::go_quote(&node.to_string())))
                }
                other => Ok(Some(Arg::Chain(cpos, Box::new(other), fields))),
            };
        }
        Ok(Some(node))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let t = self.next_non_space();
        Ok(Some(match t.kind {
            Kind::Identifier => {
                if !(self.is_func)(&t.val) {
                    return self.err(format!("function {} not defined", super::lexer::go_quote(&t.val)));
                }
                Arg::Identifier(t.pos, t.val)
            }
            Kind::Dot => Arg::Dot(t.pos),
            Kind::Nil => Arg::Nil(t.pos),
            Kind::Variable => {
                let ident: Vec<String> = t.val.split('.').map(String::from).collect();
                if !self.vars.iter().any(|v| *v == ident[0]) {
                    return self.err(format!("undefined variable {}", super::lexer::go_quote(&ident[0])));
                }
                Arg::Variable(Var { pos: t.pos, ident })
            }
            Kind::Field => Arg::Field(t.pos, vec![t.val[1..].to_string()]),
            Kind::Bool => Arg::Bool(t.pos, t.val == "true"),
            Kind::CharConstant | Kind::Complex | Kind::Number => match parse_number(&t.val, t.kind) {
                Ok(n) => Arg::Number(t.pos, Box::new(n)),
                Err(e) => return self.err(e),
            },
            Kind::LeftParen => {
                self.depth += 1;
                if self.depth > MAX_PARSE_DEPTH {
                    return self.err("template nesting too deep");
                }
                let p = self.pipeline("parenthesized pipeline", Kind::RightParen);
                self.depth -= 1;
                Arg::Pipe(Box::new(p?))
            }
            Kind::String | Kind::RawString => {
                let text = self.unquote(&t.val)?;
                Arg::String { pos: t.pos, quoted: t.val, text }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        }))
    }
}

fn unreachable_node() {}

enum Item {
    Node(Node),
    End,
    Else,
}

impl Item {
    fn describe(&self) -> String {
        match self {
            Item::Node(n) => n.to_string(),
            Item::End => "{{end}}".into(),
            Item::Else => "{{else}}".into(),
        }
    }
}

#[allow(dead_code)]
fn _assert_at_end(p: &Parser<'_>) -> bool {
    p.at_end()
}

/// Go's `strconv.Unquote` for double-quoted, back-quoted and single-quoted literals.
pub(crate) fn go_unquote(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 2 {
        return None;
    }
    let (q, last) = (b[0], b[b.len() - 1]);
    if q != last {
        return None;
    }
    let body = &s[1..s.len() - 1];
    match q {
        b'`' => {
            if body.contains('`') {
                return None;
            }
            Some(body.replace('\r', ""))
        }
        b'"' | b'\'' => {
            let mut out = String::new();
            let mut chars = body.chars().peekable();
            let mut bytes: Vec<u8> = Vec::new();
            while let Some(c) = chars.next() {
                if c == q as char {
                    return None;
                }
                if c == '\n' {
                    return None;
                }
                if c != '\\' {
                    flush(&mut bytes, &mut out);
                    out.push(c);
                    continue;
                }
                let e = chars.next()?;
                match e {
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'v' => out.push('\u{b}'),
                    '\\' => out.push('\\'),
                    '\'' if q == b'\'' => out.push('\''),
                    '"' if q == b'"' => out.push('"'),
                    'x' => {
                        let h: String = [chars.next()?, chars.next()?].iter().collect();
                        bytes.push(u8::from_str_radix(&h, 16).ok()?);
                        continue;
                    }
                    '0'..='7' => {
                        let o: String = [e, chars.next()?, chars.next()?].iter().collect();
                        let v = u32::from_str_radix(&o, 8).ok()?;
                        if v > 255 {
                            return None;
                        }
                        bytes.push(v as u8);
                        continue;
                    }
                    'u' | 'U' => {
                        let n = if e == 'u' { 4 } else { 8 };
                        let mut h = String::new();
                        for _ in 0..n {
                            h.push(chars.next()?);
                        }
                        let v = u32::from_str_radix(&h, 16).ok()?;
                        flush(&mut bytes, &mut out);
                        out.push(char::from_u32(v)?);
                        continue;
                    }
                    _ => return None,
                }
                flush(&mut bytes, &mut out);
            }
            flush(&mut bytes, &mut out);
            if q == b'\'' && out.chars().count() != 1 {
                return None;
            }
            Some(out)
        }
        _ => None,
    }
}

fn flush(bytes: &mut Vec<u8>, out: &mut String) {
    if !bytes.is_empty() {
        out.push_str(&String::from_utf8_lossy(bytes));
        bytes.clear();
    }
}

/// Parses an integer literal like Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint`.
fn parse_go_uint(s: &str) -> Option<u64> {
    let (radix, digits, prefixed) = if let Some(r) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        (16, r, true)
    } else if let Some(r) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        (8, r, true)
    } else if let Some(r) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        (2, r, true)
    } else if s.len() > 1 && s.starts_with('0') {
        (8, &s[1..], true)
    } else {
        (10, s, false)
    };
    if digits.is_empty() {
        return None;
    }
    // Underscores must separate digits (Go's underscoreOK).
    if digits.contains('_') {
        let body = if prefixed { format!("_{digits}") } else { digits.to_string() };
        if body.ends_with('_') || body.contains("__") || (!prefixed && body.starts_with('_')) {
            return None;
        }
    }
    u64::from_str_radix(&digits.replace('_', ""), radix).ok()
}

fn parse_go_int(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let u = parse_go_uint(body)?;
    if neg {
        if u <= i64::MAX as u64 + 1 { Some((u as i128).wrapping_neg() as i64) } else { None }
    } else if u <= i64::MAX as u64 {
        Some(u as i64)
    } else {
        None
    }
}

/// Parses a float literal like Go's `strconv.ParseFloat(s, 64)` (decimal and hex forms).
pub(crate) fn parse_go_float(s: &str) -> Option<f64> {
    let t = s.replace('_', "");
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, &t[..]),
    };
    let v = if let Some(h) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        let (mant, exp) = match h.find(['p', 'P']) {
            Some(i) => (&h[..i], h[i + 1..].parse::<i32>().ok()?),
            None => return None,
        };
        let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
        if ip.is_empty() && fp.is_empty() {
            return None;
        }
        let mut v = 0f64;
        for c in ip.chars() {
            v = v * 16.0 + c.to_digit(16)? as f64;
        }
        let mut scale = 1.0 / 16.0;
        for c in fp.chars() {
            v += c.to_digit(16)? as f64 * scale;
            scale /= 16.0;
        }
        v * 2f64.powi(exp)
    } else {
        let lower = body.to_ascii_lowercase();
        if lower == "inf" || lower == "infinity" {
            f64::INFINITY
        } else if lower == "nan" {
            f64::NAN
        } else {
            if !body.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
                return None;
            }
            body.parse::<f64>().ok()?
        }
    };
    Some(if neg { -v } else { v })
}

fn parse_number(text: &str, kind: Kind) -> Result<Number, String> {
    let mut n =
        Number { is_int: false, is_uint: false, is_float: false, int: 0, uint: 0, float: 0.0, text: text.into() };
    if kind == Kind::CharConstant {
        let s = go_unquote(text).ok_or_else(|| {
            let body = &text[1..text.len().saturating_sub(1).max(1)];
            if text.len() > 2 && !body.starts_with('\\') && body.chars().count() > 1 {
                format!("malformed character constant: {text}")
            } else {
                "invalid syntax".to_string()
            }
        })?;
        let c = s.chars().next().unwrap_or('\0') as i64;
        n.is_int = true;
        n.is_uint = true;
        n.is_float = true;
        n.int = c;
        n.uint = c as u64;
        n.float = c as f64;
        return Ok(n);
    }
    if kind == Kind::Complex {
        return Err(format!("complex constants are not supported: {}", super::lexer::go_quote(text)));
    }
    if text.ends_with('i') {
        return Err(format!("complex constants are not supported: {}", super::lexer::go_quote(text)));
    }
    if let Some(u) = (!text.starts_with(['-', '+'])).then(|| parse_go_uint(text)).flatten() {
        n.is_uint = true;
        n.uint = u;
    }
    if let Some(i) = parse_go_int(text) {
        n.is_int = true;
        n.int = i;
        if i == 0 {
            n.is_uint = true;
            n.uint = 0;
        }
    }
    if n.is_int {
        n.is_float = true;
        n.float = n.int as f64;
    } else if n.is_uint {
        n.is_float = true;
        n.float = n.uint as f64;
    } else if let Some(f) = parse_go_float(text) {
        if !text.contains(['.', 'e', 'E', 'p', 'P']) {
            return Err(format!("integer overflow: {}", super::lexer::go_quote(text)));
        }
        n.is_float = true;
        n.float = f;
        if f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
            n.is_int = true;
            n.int = f as i64;
        }
        if f.fract() == 0.0 && (0.0..1.844_674_407_370_955_2e19).contains(&f) {
            n.is_uint = true;
            n.uint = f as u64;
        }
    }
    if !n.is_int && !n.is_uint && !n.is_float {
        return Err(format!("illegal number syntax: {}", super::lexer::go_quote(text)));
    }
    Ok(n)
}
