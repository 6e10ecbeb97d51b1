//! The executor: walks the parse tree against a value, a port of `text/template/exec.go` with the
//! same evaluation order, argument conversions and error texts.

use std::collections::BTreeMap;

use super::ast::{Arg, Branch, Command, List, Node, Number, Pipe, Var};
use super::format;
use super::funcs::{Func, Ty, registry};
use super::lexer::go_quote;
use super::value::{Elem, Value};
use super::{MissingKey, Options};

/// Maximum nesting of `template` calls (Go allows 100000 frames; our stack is smaller).
pub const MAX_TEMPLATE_DEPTH: usize = 100;
/// Maximum output of one execution, in bytes.
pub const MAX_OUTPUT: usize = 16 << 20;
/// Maximum number of evaluation steps of one execution (guards against range bombs and recursive
/// `template` fan-outs). A function result costs one step per element, entry or 16 bytes of text it
/// holds, so that steps track the work done.
pub const MAX_STEPS: u64 = 5_000_000;
thread_local! {
    static STEPS_USED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Steps run so far on this thread by every execution, so that a caller running many executions
/// (one per Application of an ApplicationSet) can budget them together.
pub fn steps_used() -> u64 {
    STEPS_USED.with(std::cell::Cell::get)
}

/// Maximum nesting of control structures and template calls during execution, which bounds the
/// native stack the walk uses (each level costs a few frames).
pub const MAX_NESTING: usize = 400;

/// Where execution currently is: Go's `state.node`, printed as the error context.
#[derive(Clone, Copy)]
enum At<'a> {
    None,
    Node(&'a Node),
    Pipe(&'a Pipe),
    Cmd(&'a Command),
    Arg(&'a Arg),
    Var(&'a Var),
    Branch(&'a Branch, &'static str),
}

impl At<'_> {
    fn pos(&self) -> usize {
        match self {
            At::None => 0,
            At::Node(n) => match n {
                Node::Text(p, _) | Node::Action(p, _) | Node::Break(p) | Node::Continue(p) => *p,
                Node::If(b) | Node::Range(b) | Node::With(b) => b.pos,
                Node::Template { pos, .. } => *pos,
            },
            At::Pipe(p) => p.pos,
            At::Cmd(c) => c.pos,
            At::Arg(a) => a.pos(),
            At::Var(v) => v.pos,
            At::Branch(b, _) => b.pos,
        }
    }
    fn context(&self) -> String {
        match self {
            At::None => String::new(),
            At::Node(n) => n.to_string(),
            At::Pipe(p) => p.to_string(),
            At::Cmd(c) => c.to_string(),
            At::Arg(a) => a.to_string(),
            At::Var(v) => v.to_string(),
            At::Branch(b, kind) => match *kind {
                "if" => Node::If((*b).clone()).to_string(),
                "range" => Node::Range((*b).clone()).to_string(),
                _ => Node::With((*b).clone()).to_string(),
            },
        }
    }
}

/// Non-local exits of the walk.
pub(crate) enum Flow {
    Break,
    Continue,
    Err(String),
}

type R<T> = Result<T, Flow>;

/// A value with a flag saying whether it sits in an `interface{}` slot (a map or slice element),
/// which changes Go's type names in errors and how nil behaves.
#[derive(Clone)]
struct Val {
    v: Value,
    boxed: bool,
}

impl Val {
    fn plain(v: Value) -> Val {
        Val { v, boxed: false }
    }
}

pub(crate) struct Exec<'a> {
    pub trees: &'a BTreeMap<String, List>,
    pub src: &'a str,
    pub parse_name: &'a str,
    pub opts: &'a Options,
    tmpl_name: String,
    vars: Vec<(String, Value)>,
    pub out: String,
    depth: usize,
    nesting: usize,
    steps: u64,
    at: At<'a>,
}

impl<'a> Exec<'a> {
    pub fn new(trees: &'a BTreeMap<String, List>, src: &'a str, name: &'a str, opts: &'a Options) -> Self {
        Exec {
            trees,
            src,
            parse_name: name,
            opts,
            tmpl_name: name.to_string(),
            vars: vec![],
            out: String::new(),
            depth: 0,
            nesting: 0,
            steps: 0,
            at: At::None,
        }
    }

    /// Runs the template `name` with `data` as dot.
    pub fn run(&mut self, name: &str, data: Value) -> Result<(), String> {
        let Some(list) = self.trees.get(name) else {
            return Err(format!("template: {}: {} is an incomplete or empty template", name, go_quote(name)));
        };
        self.vars = vec![("$".into(), data.clone())];
        let result = self.walk_list(&Val::plain(data), list);
        let steps = self.steps;
        STEPS_USED.with(|s| s.set(s.get().saturating_add(steps)));
        match result {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(e),
            Err(Flow::Break | Flow::Continue) => Ok(()),
        }
    }

    fn errorf<T>(&self, msg: impl std::fmt::Display) -> R<T> {
        if let At::None = self.at {
            return Err(Flow::Err(format!("template: {}: {}", self.tmpl_name, msg)));
        }
        let pos = self.at.pos().min(self.src.len());
        let text = &self.src[..pos];
        let (line, col) = match text.rfind('\n') {
            None => (1, pos),
            Some(nl) => (1 + text.matches('\n').count(), pos - (nl + 1)),
        };
        Err(Flow::Err(format!(
            "template: {}:{}:{}: executing {} at <{}>: {}",
            self.parse_name,
            line,
            col,
            go_quote(&self.tmpl_name),
            self.at.context(),
            msg
        )))
    }

    fn step(&mut self) -> R<()> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return self.errorf(format!("execution exceeded the limit of {MAX_STEPS} steps"));
        }
        Ok(())
    }

    /// Charges the work of building a function result: one step per element, entry or 16 bytes.
    fn charge(&mut self, v: &Value) -> R<()> {
        let n = match v {
            Value::List(l, _) => l.len() as u64,
            Value::Map(m, _) => m.len() as u64,
            Value::Str(s) => s.len() as u64 / 16,
            _ => 0,
        };
        self.steps = self.steps.saturating_add(n);
        if self.steps > MAX_STEPS {
            return self.errorf(format!("execution exceeded the limit of {MAX_STEPS} steps"));
        }
        Ok(())
    }

    fn write(&mut self, s: &str) -> R<()> {
        if self.out.len() + s.len() > MAX_OUTPUT {
            return self.errorf(format!("output exceeds the limit of {MAX_OUTPUT} bytes"));
        }
        self.out.push_str(s);
        Ok(())
    }

    fn walk_list(&mut self, dot: &Val, list: &'a List) -> R<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            self.nesting -= 1;
            return self.errorf(format!("exceeded maximum nesting depth ({MAX_NESTING})"));
        }
        let mut r = Ok(());
        for n in &list.nodes {
            r = self.walk(dot, n);
            if r.is_err() {
                break;
            }
        }
        self.nesting -= 1;
        r
    }

    fn walk(&mut self, dot: &Val, node: &'a Node) -> R<()> {
        self.step()?;
        self.at = At::Node(node);
        match node {
            Node::Text(_, t) => self.write(t),
            Node::Action(_, pipe) => {
                let v = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.at = At::Node(node);
                    let s = match &v {
                        Value::Invalid => "<no value>".to_string(),
                        v => format::to_string(v),
                    };
                    self.write(&s)?;
                }
                Ok(())
            }
            Node::Break(_) => Err(Flow::Break),
            Node::Continue(_) => Err(Flow::Continue),
            Node::If(b) => self.walk_if_or_with(false, dot, b),
            Node::With(b) => self.walk_if_or_with(true, dot, b),
            Node::Range(b) => self.walk_range(dot, b),
            Node::Template { name, pipe, .. } => self.walk_template(dot, node, name, pipe.as_ref()),
        }
    }

    fn walk_if_or_with(&mut self, with: bool, dot: &Val, b: &'a Branch) -> R<()> {
        let mark = self.vars.len();
        let r = (|| {
            let v = self.eval_pipeline(dot, &b.pipe)?;
            if v.truth() {
                if with { self.walk_list(&Val::plain(v), &b.list) } else { self.walk_list(dot, &b.list) }
            } else if let Some(e) = &b.else_list {
                self.walk_list(dot, e)
            } else {
                Ok(())
            }
        })();
        self.vars.truncate(mark);
        r
    }

    fn walk_range(&mut self, dot: &Val, b: &'a Branch) -> R<()> {
        self.at = At::Branch(b, "range");
        let outer = self.vars.len();
        let r = self.walk_range_inner(dot, b);
        self.vars.truncate(outer);
        match r {
            Err(Flow::Break) => Ok(()),
            r => r,
        }
    }

    fn one_iteration(&mut self, b: &'a Branch, mark: usize, index: Value, elem: Val) -> R<()> {
        self.step()?;
        let n = self.vars.len();
        if !b.pipe.decl.is_empty() && n >= 1 {
            self.vars[n - 1].1 = elem.v.clone();
        }
        if b.pipe.decl.len() > 1 && n >= 2 {
            self.vars[n - 2].1 = index;
        }
        let r = self.walk_list(&elem, &b.list);
        self.vars.truncate(mark);
        match r {
            Err(Flow::Continue) => Ok(()),
            r => r,
        }
    }

    fn walk_range_inner(&mut self, dot: &Val, b: &'a Branch) -> R<()> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let mark = self.vars.len();
        match &val {
            Value::List(items, elem) if !items.is_empty() => {
                let boxed = *elem == Elem::Any;
                for (i, it) in items.iter().enumerate() {
                    self.one_iteration(b, mark, Value::Int(i as i64), Val { v: it.clone(), boxed })?;
                }
                return Ok(());
            }
            Value::Map(m, elem) if !m.is_empty() => {
                let boxed = *elem == Elem::Any;
                for (k, it) in m.snapshot().iter() {
                    self.one_iteration(b, mark, Value::str(k.as_str()), Val { v: it.clone(), boxed })?;
                }
                return Ok(());
            }
            Value::List(..) | Value::Map(..) | Value::Invalid => {}
            // Go 1.22 (which Argo CD builds with) ranges over integers.
            Value::Int(n) | Value::Int64(n) => {
                if b.pipe.decl.len() > 1 {
                    return self.errorf(format!("can't use {} to iterate over more than one variable", n));
                }
                for i in 0..*n {
                    self.one_iteration(b, mark, Value::Int(i), Val::plain(Value::Int(i)))?;
                }
                if *n > 0 {
                    return Ok(());
                }
            }
            v => return self.errorf(format!("range can't iterate over {}", format::to_string(v))),
        }
        if let Some(e) = &b.else_list {
            self.walk_list(dot, e)?;
        }
        Ok(())
    }

    fn walk_template(&mut self, dot: &Val, node: &'a Node, name: &str, pipe: Option<&'a Pipe>) -> R<()> {
        self.at = At::Node(node);
        let Some(list) = self.trees.get(name) else {
            return self.errorf(format!("template {} not defined", go_quote(name)));
        };
        if self.depth >= MAX_TEMPLATE_DEPTH {
            return self.errorf(format!("exceeded maximum template depth ({MAX_TEMPLATE_DEPTH})"));
        }
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Invalid,
        };
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]);
        let saved_name = std::mem::replace(&mut self.tmpl_name, name.to_string());
        self.depth += 1;
        let r = self.walk_list(&Val::plain(new_dot), list);
        self.depth -= 1;
        self.vars = saved_vars;
        self.tmpl_name = saved_name;
        r
    }

    fn eval_pipeline(&mut self, dot: &Val, pipe: &'a Pipe) -> R<Value> {
        self.at = At::Pipe(pipe);
        let mut value: Option<Val> = None;
        for cmd in &pipe.cmds {
            let v = self.eval_command(dot, cmd, value.take())?;
            // Dig the value out of its interface{} slot ("lovely!" in Go's source).
            let v = match v {
                Val { v: Value::Nil, .. } => Value::Invalid,
                Val { v, .. } => v,
            };
            value = Some(Val::plain(v));
        }
        let value = value.map(|v| v.v).unwrap_or(Value::Invalid);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(&var.ident[0], value.clone())?;
            } else {
                self.vars.push((var.ident[0].clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn set_var(&mut self, name: &str, v: Value) -> R<()> {
        for slot in self.vars.iter_mut().rev() {
            if slot.0 == name {
                slot.1 = v;
                return Ok(());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn var_value(&self, name: &str) -> R<Value> {
        for slot in self.vars.iter().rev() {
            if slot.0 == name {
                return Ok(slot.1.clone());
            }
        }
        self.errorf(format!("undefined variable: {name}"))
    }

    fn not_a_function(&self, args: &[Arg], fin: &Option<Val>) -> R<()> {
        if args.len() > 1 || fin.is_some() {
            return self.errorf(format!("can't give argument to non-function {}", args[0]));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Val, cmd: &'a Command, fin: Option<Val>) -> R<Val> {
        self.step()?;
        let first = &cmd.args[0];
        match first {
            Arg::Field(_, ident) => {
                self.at = At::Arg(first);
                return self.eval_field_chain(dot, dot.clone(), first, ident, &cmd.args, fin);
            }
            Arg::Chain(_, node, fields) => return self.eval_chain(dot, first, node, fields, &cmd.args, fin),
            Arg::Identifier(_, name) => return self.eval_function(dot, first, name, At::Cmd(cmd), &cmd.args, fin),
            Arg::Pipe(p) => {
                self.not_a_function(&cmd.args, &fin)?;
                return Ok(Val::plain(self.eval_pipeline(dot, p)?));
            }
            Arg::Variable(v) => return self.eval_variable(dot, v, &cmd.args, fin),
            _ => {}
        }
        self.at = At::Arg(first);
        self.not_a_function(&cmd.args, &fin)?;
        match first {
            Arg::Bool(_, b) => Ok(Val::plain(Value::Bool(*b))),
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Nil(_) => self.errorf("nil is not a command"),
            Arg::Number(_, n) => Ok(Val::plain(self.ideal_constant(n)?)),
            Arg::String { text, .. } => Ok(Val::plain(Value::str(text.as_str()))),
            _ => self.errorf(format!("can't evaluate command {}", go_quote(&first.to_string()))),
        }
    }

    fn ideal_constant(&self, n: &Number) -> R<Value> {
        let t = &n.text;
        let is_hex_int =
            t.len() > 2 && t.starts_with('0') && (t.as_bytes()[1] | 0x20) == b'x' && !t.contains(['p', 'P']);
        let is_rune = t.starts_with('\'');
        if n.is_float && !is_hex_int && !is_rune && t.contains(['.', 'e', 'E', 'p', 'P']) {
            return Ok(Value::Float(n.float));
        }
        if n.is_int {
            return Ok(Value::Int(n.int));
        }
        if n.is_uint {
            return self.errorf(format!("{t} overflows int"));
        }
        Ok(Value::Invalid)
    }

    fn eval_chain(
        &mut self,
        dot: &Val,
        chain: &'a Arg,
        node: &'a Arg,
        fields: &'a [String],
        args: &'a [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        self.at = At::Arg(chain);
        if let Arg::Nil(_) = node {
            return self.errorf(format!("indirection through explicit nil in {chain}"));
        }
        let recv = self.eval_arg_raw(dot, node)?;
        self.eval_field_chain(dot, recv, chain, fields, args, fin)
    }

    fn eval_variable(&mut self, dot: &Val, var: &'a Var, args: &'a [Arg], fin: Option<Val>) -> R<Val> {
        self.at = At::Var(var);
        let value = self.var_value(&var.ident[0])?;
        if var.ident.len() == 1 {
            self.not_a_function(args, &fin)?;
            return Ok(Val::plain(value));
        }
        self.eval_field_chain_var(dot, Val::plain(value), var, &var.ident[1..], args, fin)
    }

    fn eval_field_chain_var(
        &mut self,
        dot: &Val,
        mut recv: Val,
        _var: &'a Var,
        ident: &'a [String],
        args: &'a [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let n = ident.len();
        for id in &ident[..n - 1] {
            recv = self.eval_field(dot, id, &[], None, recv)?;
        }
        self.eval_field(dot, &ident[n - 1], args, fin, recv)
    }

    fn eval_field_chain(
        &mut self,
        dot: &Val,
        mut recv: Val,
        node: &'a Arg,
        ident: &'a [String],
        args: &'a [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        let n = ident.len();
        // Like Go, the error context stays where the last evaluation left it.
        let _ = node;
        for id in &ident[..n - 1] {
            recv = self.eval_field(dot, id, &[], None, recv)?;
        }
        self.eval_field(dot, &ident[n - 1], args, fin, recv)
    }

    fn eval_field(&mut self, dot: &Val, name: &str, args: &'a [Arg], fin: Option<Val>, recv: Val) -> R<Val> {
        let has_args = args.len() > 1 || fin.is_some();
        match &recv.v {
            Value::Invalid => {
                if self.opts.missing_key == MissingKey::Error {
                    return self.errorf(format!("nil data; no entry for key {}", go_quote(name)));
                }
                Ok(Val::plain(Value::Invalid))
            }
            Value::Nil => {
                if !recv.boxed {
                    if self.opts.missing_key == MissingKey::Error {
                        return self.errorf(format!("nil data; no entry for key {}", go_quote(name)));
                    }
                    return Ok(Val::plain(Value::Invalid));
                }
                self.errorf(format!("nil pointer evaluating interface {{}}.{name}"))
            }
            Value::Map(m, elem) => {
                if has_args {
                    return self.errorf(format!("{name} is not a method but has arguments"));
                }
                match m.get(name) {
                    Some(v) => Ok(Val { v, boxed: *elem == Elem::Any }),
                    None => match self.opts.missing_key {
                        MissingKey::Default | MissingKey::Invalid => Ok(Val::plain(Value::Invalid)),
                        MissingKey::Zero => Ok(match elem {
                            Elem::Any => Val { v: Value::Nil, boxed: true },
                            Elem::Str => Val::plain(Value::str("")),
                            Elem::Int => Val::plain(Value::Int(0)),
                            Elem::List => Val::plain(Value::list(vec![])),
                        }),
                        MissingKey::Error => self.errorf(format!("map has no entry for key {}", go_quote(name))),
                    },
                }
            }
            Value::Semver(_) | Value::Time(_) => {
                let at = self.at;
                let Some(method) = super::sprig::methods::lookup(&recv.v, name) else {
                    let typ = if recv.boxed { "interface {}".to_string() } else { recv.v.type_name() };
                    return self.errorf(format!("can't evaluate field {name} in type {typ}"));
                };
                let rest = if args.is_empty() { args } else { &args[1..] };
                let r = self.call_func(dot, &method, name, rest, fin, at)?;
                let recv_v = recv.v.clone();
                let mut argv = vec![recv_v];
                argv.extend(r);
                match (method.call)(&argv) {
                    Ok(v) => Ok(Val { boxed: v.is_nil(), v }),
                    Err(e) => {
                        self.at = at;
                        self.errorf(format!("error calling {name}: {e}"))
                    }
                }
            }
            v => {
                let typ = if recv.boxed { "interface {}".to_string() } else { v.type_name() };
                self.errorf(format!("can't evaluate field {name} in type {typ}"))
            }
        }
    }

    fn eval_function(
        &mut self,
        dot: &Val,
        ident: &'a Arg,
        name: &str,
        cmd_at: At<'a>,
        args: &'a [Arg],
        fin: Option<Val>,
    ) -> R<Val> {
        self.at = At::Arg(ident);
        let rest = if args.is_empty() { args } else { &args[1..] };
        if name == "and" || name == "or" {
            return self.eval_and_or(dot, name, rest, fin);
        }
        let Some(f) = registry().get(name) else {
            return self.errorf(format!("{} is not a defined function", go_quote(name)));
        };
        let argv = self.call_func(dot, f, name, rest, fin, cmd_at)?;
        let cost = crate::gotmpl::sprig::crypto::call_cost(name, &argv);
        if cost > 0 {
            self.steps = self.steps.saturating_add(cost);
            if self.steps > MAX_STEPS {
                self.at = cmd_at;
                return self.errorf(format!(
                    "execution exceeded the limit of {MAX_STEPS} steps ({name} costs {cost} steps: \
                     key generation and password hashing are slow)"
                ));
            }
        }
        match (f.call)(&argv) {
            Ok(v) => {
                self.charge(&v)?;
                Ok(Val { boxed: v.is_nil(), v })
            }
            Err(e) => {
                self.at = cmd_at;
                self.errorf(format!("error calling {name}: {e}"))
            }
        }
    }

    fn eval_and_or(&mut self, dot: &Val, name: &str, args: &'a [Arg], fin: Option<Val>) -> R<Val> {
        let num_in = args.len() + usize::from(fin.is_some());
        if num_in < 1 {
            return self.errorf(format!("wrong number of args for {name}: want at least 1 got {}", args.len()));
        }
        let mut v = Value::Invalid;
        for a in args {
            v = self.eval_arg(dot, Ty::Reflect, a)?;
            if v.truth() == (name == "or") {
                return Ok(Val::plain(v));
            }
        }
        if let Some(f) = fin {
            v = self.validate_type(f, Ty::Reflect)?;
        }
        Ok(Val::plain(v))
    }

    /// Checks arity and converts the arguments of a call like Go's `evalCall`.
    fn call_func(
        &mut self,
        dot: &Val,
        f: &Func,
        name: &str,
        args: &'a [Arg],
        fin: Option<Val>,
        _at: At<'a>,
    ) -> R<Vec<Value>> {
        let num_in = args.len() + usize::from(fin.is_some());
        let nparams = f.params.len() + usize::from(f.variadic.is_some());
        let num_fixed = if f.variadic.is_some() {
            if num_in < f.params.len() {
                return self.errorf(format!(
                    "wrong number of args for {name}: want at least {} got {}",
                    f.params.len(),
                    args.len()
                ));
            }
            f.params.len()
        } else {
            if num_in != nparams {
                return self.errorf(format!("wrong number of args for {name}: want {nparams} got {num_in}"));
            }
            args.len()
        };
        let mut argv = Vec::with_capacity(num_in);
        let mut i = 0;
        while i < num_fixed && i < args.len() {
            argv.push(self.eval_arg(dot, f.params[i], &args[i])?);
            i += 1;
        }
        if let Some(rest) = f.variadic {
            while i < args.len() {
                argv.push(self.eval_arg(dot, rest, &args[i])?);
                i += 1;
            }
        }
        if let Some(fv) = fin {
            let t = match f.variadic {
                Some(rest) if num_in > num_fixed => rest,
                _ => f.params[num_in - 1],
            };
            argv.push(self.validate_type(fv, t)?);
        }
        Ok(argv)
    }

    fn validate_type(&self, v: Val, ty: Ty) -> R<Value> {
        let invalid = matches!(v.v, Value::Invalid) || (matches!(v.v, Value::Nil) && !v.boxed);
        if invalid {
            if ty == Ty::Reflect {
                return Ok(Value::Invalid);
            }
            if ty.can_be_nil() {
                return Ok(ty.zero());
            }
            return self.errorf(format!("invalid value; expected {}", ty.name()));
        }
        if ty.accepts(&v.v) {
            return Ok(v.v);
        }
        if let Value::Nil = v.v {
            return self.errorf(format!("wrong type for value; expected {}; got interface {{}}", ty.name()));
        }
        self.errorf(format!("wrong type for value; expected {}; got {}", ty.name(), v.v.type_name()))
    }

    /// Evaluates an operand with no type context (Go's `evalArg(dot, nil, n)`).
    fn eval_arg_raw(&mut self, dot: &Val, arg: &'a Arg) -> R<Val> {
        self.at = At::Arg(arg);
        match arg {
            Arg::Dot(_) => Ok(dot.clone()),
            Arg::Field(_, ident) => {
                self.eval_field_chain(dot, dot.clone(), arg, ident, std::slice::from_ref(arg), None)
            }
            Arg::Variable(v) => self.eval_variable(dot, v, &[], None),
            Arg::Pipe(p) => Ok(Val::plain(self.eval_pipeline(dot, p)?)),
            Arg::Identifier(_, name) => self.eval_function(dot, arg, name, At::Arg(arg), &[], None),
            Arg::Chain(_, node, fields) => self.eval_chain(dot, arg, node, fields, &[], None),
            Arg::Bool(_, b) => Ok(Val::plain(Value::Bool(*b))),
            Arg::Number(_, n) => Ok(Val::plain(self.ideal_constant(n)?)),
            Arg::String { text, .. } => Ok(Val::plain(Value::str(text.as_str()))),
            Arg::Nil(_) => self.errorf("evalEmptyInterface: nil (can't happen)"),
        }
    }

    fn eval_arg(&mut self, dot: &Val, ty: Ty, arg: &'a Arg) -> R<Value> {
        self.at = At::Arg(arg);
        match arg {
            Arg::Dot(_) => return self.validate_type(dot.clone(), ty),
            Arg::Nil(_) => {
                if ty.can_be_nil() {
                    return Ok(ty.zero());
                }
                return self.errorf(format!("cannot assign nil to {}", ty.name()));
            }
            Arg::Field(_, ident) => {
                let v = self.eval_field_chain(dot, dot.clone(), arg, ident, std::slice::from_ref(arg), None)?;
                return self.validate_type(v, ty);
            }
            Arg::Variable(var) => {
                let v = self.eval_variable(dot, var, &[], None)?;
                return self.validate_type(v, ty);
            }
            Arg::Pipe(p) => {
                let v = self.eval_pipeline(dot, p)?;
                return self.validate_type(Val::plain(v), ty);
            }
            Arg::Identifier(_, name) => {
                let v = self.eval_function(dot, arg, name, At::Arg(arg), &[], None)?;
                return self.validate_type(v, ty);
            }
            Arg::Chain(_, node, fields) => {
                let v = self.eval_chain(dot, arg, node, fields, &[], None)?;
                return self.validate_type(v, ty);
            }
            _ => {}
        }
        match ty {
            Ty::Bool => match arg {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                _ => self.errorf(format!("expected bool; found {arg}")),
            },
            Ty::Float => match arg {
                Arg::Number(_, n) if n.is_float => Ok(Value::Float(n.float)),
                _ => self.errorf(format!("expected float; found {arg}")),
            },
            Ty::Int => match arg {
                Arg::Number(_, n) if n.is_int => {
                    Ok(if ty == Ty::Int { Value::Int(n.int) } else { Value::Int64(n.int) })
                }
                _ => self.errorf(format!("expected integer; found {arg}")),
            },
            Ty::Uint => match arg {
                Arg::Number(_, n) if n.is_uint => Ok(Value::Uint(n.uint)),
                _ => self.errorf(format!("expected unsigned integer; found {arg}")),
            },
            Ty::Str => match arg {
                Arg::String { text, .. } => Ok(Value::str(text.as_str())),
                _ => self.errorf(format!("expected string; found {arg}")),
            },
            Ty::Any | Ty::Reflect => match arg {
                Arg::Bool(_, b) => Ok(Value::Bool(*b)),
                Arg::Number(_, n) => self.ideal_constant(n),
                Arg::String { text, .. } => Ok(Value::str(text.as_str())),
                _ => self.errorf(format!("can't handle assignment of {arg} to empty interface argument")),
            },
            Ty::ListAny | Ty::MapAny | Ty::Time => {
                self.errorf(format!("can't handle {arg} for arg of type {}", ty.name()))
            }
        }
    }
}
