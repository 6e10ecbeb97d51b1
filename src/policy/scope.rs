//! OPA's variable scoping for comprehensions, applied before regorus compiles a policy.
//!
//! OPA (`ast/compile.go`, `rewriteLocalVars`) gives every variable declared with `some` or `:=` a
//! unique name before it orders statements: a comprehension (or `every`) body is a scope of its
//! own, a reference resolves to the innermost declaration made before it, and a declaration inside
//! a comprehension is local to it even when an enclosing body uses the same name. regorus 0.14
//! schedules by name instead, so two variables with one name become one: conftest's
//! `examples/combine` stops with "var `name` used before definition" (a comprehension that compares
//! with the outer `name` and then declares its own) or "duplicated definition of local variable i"
//! (a `some i` inside a comprehension under an outer `some i`).
//!
//! [`rewrite`] renames, in the source text, exactly the variables OPA would keep apart and regorus
//! would merge:
//! - a variable declared inside a comprehension or `every` body whose name is also used elsewhere in
//!   the rule (it is local to that body in OPA);
//! - a variable declared with `some x` that its own body never mentions outside comprehensions: OPA
//!   leaves it to each comprehension that mentions it, as that comprehension's own variable.
//!
//! Nothing else changes, so a policy without such variables is compiled from its own text. A renamed
//! variable is spelled `<name>__<n>` (a name the file does not use), which is what an error message
//! about it shows. OPA's own errors for these forms (a variable referenced and then declared in the
//! same body) are left for regorus to report: such declarations are not renamed.

use regorus::unstable::{AssignOp, Expr, Literal, LiteralStmt, Module, Parser, Query, Rule, RuleBody, RuleHead, Span};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The policy text with the variables OPA keeps apart renamed, or `None` when nothing needs
/// renaming (or the text does not parse: the normal path reports that).
pub fn rewrite(path: &str, text: &str, rego_v1: bool) -> Option<String> {
    let source = regorus::unstable::Source::from_contents(path.to_string(), text.to_string()).ok()?;
    let mut parser = Parser::new(&source).ok()?;
    if rego_v1 {
        parser.enable_rego_v1().ok()?;
    }
    let module = parser.parse().ok()?;
    rewrite_module(&module, text)
}

/// [`rewrite`] on a parsed module whose spans index `text`.
pub fn rewrite_module(module: &Module, text: &str) -> Option<String> {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    // Names that mean something without a declaration: the package's rules and the imports.
    let first = |path: String| path.split(['.', '[']).next().unwrap_or_default().to_string();
    let mut globals: HashSet<String> = module
        .policy
        .iter()
        .filter_map(|r| match r.as_ref() {
            Rule::Spec {
                head: RuleHead::Compr { refr, .. } | RuleHead::Set { refr, .. } | RuleHead::Func { refr, .. },
                ..
            }
            | Rule::Default { refr, .. } => regorus::utils::get_path_string(refr, None).ok().map(first),
        })
        .collect();
    for import in &module.imports {
        match &import.r#as {
            Some(alias) => globals.insert(alias.text().to_string()),
            None => match regorus::utils::get_path_string(&import.refr, None) {
                Ok(path) => globals.insert(path.rsplit('.').next().unwrap_or_default().to_string()),
                Err(_) => false,
            },
        };
    }
    for rule in &module.policy {
        if let Rule::Spec { head, bodies, .. } = rule.as_ref() {
            let (args, head_exprs) = head_parts(head);
            // A rule without a body (`f(x) := [...]`) is walked once, as an empty body.
            let bodies: Vec<Option<&RuleBody>> =
                if bodies.is_empty() { vec![None] } else { bodies.iter().map(Some).collect() };
            for body in bodies {
                let mut w = Walker::default();
                w.push_scope();
                for a in &args {
                    w.declare_pattern(a);
                }
                if let Some(body) = body {
                    w.query(&body.query);
                }
                for e in &head_exprs {
                    w.expr(e);
                }
                if let Some(assign) = body.and_then(|b| b.assign.as_ref()) {
                    w.expr(&assign.value);
                }
                w.pop_scope();
                w.plan(text, &globals, &mut taken, &mut edits);
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, name) in edits {
        out.replace_range(start..end, &name);
    }
    Some(out)
}

/// A function's arguments (declared in its body) and the head's other expressions (read after it).
fn head_parts(head: &RuleHead) -> (Vec<&Expr>, Vec<&Expr>) {
    match head {
        RuleHead::Compr { refr, assign, .. } => {
            (Vec::new(), vec![&**refr].into_iter().chain(assign.iter().map(|a| &*a.value)).collect())
        }
        RuleHead::Set { refr, key, .. } => {
            (Vec::new(), vec![&**refr].into_iter().chain(key.iter().map(|k| &**k)).collect())
        }
        RuleHead::Func { args, assign, .. } => {
            (args.iter().map(|a| &**a).collect(), assign.iter().map(|a| &*a.value).collect())
        }
    }
}

/// A variable declaration.
struct Decl {
    name: String,
    /// Made by `some x` (without `in`): bound only by the statements that mention it.
    some_only: bool,
    /// The depth of the scope declaring it (0: the rule body).
    depth: usize,
    /// Its own spans: the declaration and the references resolved to it, each with the
    /// comprehension (below the declaring scope) it occurs in, if any.
    spans: Vec<(usize, usize, Option<usize>)>,
}

#[derive(Default)]
struct Scope {
    /// Names declared in this scope, to their declaration.
    declared: HashMap<String, usize>,
    /// Names referenced in this scope before any declaration (OPA: "seen").
    seen: HashSet<String>,
    /// This comprehension's number (every nested scope gets one).
    instance: usize,
}

#[derive(Default)]
struct Walker {
    scopes: Vec<Scope>,
    decls: Vec<Decl>,
    /// Every variable occurrence of the rule, by name (to tell whether a name is used elsewhere).
    uses: HashMap<String, usize>,
    /// How many scopes were opened (each gets its own number).
    instances: usize,
    /// Each `some x, y` statement whose variables were all declared: its span and declarations.
    some_stmts: Vec<(usize, usize, Vec<usize>)>,
    /// A declaration OPA refuses: the body is not rewritten, so that regorus sees it as written.
    refused: bool,
}

impl Walker {
    fn push_scope(&mut self) {
        self.instances += 1;
        self.scopes.push(Scope { instance: self.instances, ..Scope::default() });
    }

    fn pop_scope(&mut self) {
        self.scopes.pop();
    }

    fn skip(name: &str) -> bool {
        name == "_" || name == "input" || name == "data"
    }

    /// A reference to `name` at `span`.
    fn reference(&mut self, span: &Span) {
        let name = span.text().to_string();
        if Self::skip(&name) {
            return;
        }
        *self.uses.entry(name.clone()).or_default() += 1;
        let depth = self.scopes.len() - 1;
        for d in (0..self.scopes.len()).rev() {
            if let Some(&decl) = self.scopes[d].declared.get(&name) {
                let instance = (d < depth).then(|| self.scopes[d + 1].instance);
                self.decls[decl].spans.push((span.start as usize, span.end as usize, instance));
                return;
            }
        }
        if let Some(top) = self.scopes.last_mut() {
            top.seen.insert(name);
        }
    }

    /// A declaration of `name` at `span` in the current scope.
    fn declare(&mut self, span: &Span, some_only: bool) {
        let name = span.text().to_string();
        if Self::skip(&name) {
            return;
        }
        *self.uses.entry(name.clone()).or_default() += 1;
        let depth = self.scopes.len() - 1;
        let Some(top) = self.scopes.last_mut() else { return };
        if top.seen.contains(&name) || top.declared.contains_key(&name) {
            // OPA: "var referenced above" / "declared above": the body is left as written.
            top.seen.insert(name);
            self.refused = true;
            return;
        }
        let id = self.decls.len();
        top.declared.insert(name.clone(), id);
        self.decls.push(Decl { name, some_only, depth, spans: vec![(span.start as usize, span.end as usize, None)] });
    }

    /// The variables of a declaration's pattern (`x`, `[a, b]`, `{"k": v}`).
    fn declare_pattern(&mut self, e: &Expr) {
        match e {
            Expr::Var { span, .. } => self.declare(span, false),
            Expr::Array { items, .. } => items.iter().for_each(|i| self.declare_pattern(i)),
            Expr::Object { fields, .. } => {
                for (_, k, v) in fields {
                    self.expr(k);
                    self.declare_pattern(v);
                }
            }
            other => self.expr(other),
        }
    }

    fn query(&mut self, q: &Query) {
        for stmt in &q.stmts {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &LiteralStmt) {
        match &stmt.literal {
            Literal::SomeVars { span, vars } => {
                let first = self.decls.len();
                vars.iter().for_each(|v| self.declare(v, true));
                let ids: Vec<usize> = (first..self.decls.len()).collect();
                if ids.len() == vars.len() {
                    self.some_stmts.push((span.start as usize, span.end as usize, ids));
                }
            }
            Literal::SomeIn { key, value, collection, .. } => {
                self.expr(collection);
                if let Some(k) = key {
                    self.declare_pattern(k);
                }
                self.declare_pattern(value);
            }
            Literal::Expr { expr, .. } => match expr.as_ref() {
                Expr::AssignExpr { op: AssignOp::ColEq, lhs, rhs, .. } => {
                    self.expr(rhs);
                    self.declare_pattern(lhs);
                }
                e => self.expr(e),
            },
            Literal::NotExpr { expr, .. } => self.expr(expr),
            Literal::Every { key, value, domain, query, .. } => {
                self.expr(domain);
                self.push_scope();
                if let Some(k) = key {
                    self.declare(k, false);
                }
                self.declare(value, false);
                self.query(query);
                self.pop_scope();
            }
        }
        for m in &stmt.with_mods {
            self.expr(&m.r#as);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::String { .. }
            | Expr::RawString { .. }
            | Expr::Number { .. }
            | Expr::Bool { .. }
            | Expr::Null { .. } => {}
            Expr::Var { span, .. } => self.reference(span),
            Expr::Array { items, .. } | Expr::Set { items, .. } => items.iter().for_each(|i| self.expr(i)),
            Expr::Object { fields, .. } => {
                for (_, k, v) in fields {
                    self.expr(k);
                    self.expr(v);
                }
            }
            Expr::ArrayCompr { term, query, .. } | Expr::SetCompr { term, query, .. } => {
                self.push_scope();
                self.query(query);
                self.expr(term);
                self.pop_scope();
            }
            Expr::ObjectCompr { key, value, query, .. } => {
                self.push_scope();
                self.query(query);
                self.expr(key);
                self.expr(value);
                self.pop_scope();
            }
            // The function's name is a path, not a variable.
            Expr::Call { params, .. } => params.iter().for_each(|p| self.expr(p)),
            Expr::UnaryExpr { expr, .. } => self.expr(expr),
            Expr::RefDot { refr, .. } => self.expr(refr),
            Expr::RefBrack { refr, index, .. } => {
                self.expr(refr);
                self.expr(index);
            }
            Expr::BinExpr { lhs, rhs, .. }
            | Expr::BoolExpr { lhs, rhs, .. }
            | Expr::ArithExpr { lhs, rhs, .. }
            | Expr::AssignExpr { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            Expr::Membership { key, value, collection, .. } => {
                if let Some(k) = key {
                    self.expr(k);
                }
                self.expr(value);
                self.expr(collection);
            }
        }
    }

    /// The renames for one rule body, appended to `edits`.
    fn plan(
        &self,
        text: &str,
        globals: &HashSet<String>,
        taken: &mut HashSet<String>,
        edits: &mut Vec<(usize, usize, String)>,
    ) {
        if self.refused {
            return;
        }
        let spans_ok = |d: &Decl| d.spans.iter().all(|&(s, e, _)| text.get(s..e) == Some(d.name.as_str()));
        let closure_only = |d: &Decl| d.some_only && d.spans.len() > 1 && d.spans[1..].iter().all(|s| s.2.is_some());
        // A `some x, y` statement whose variables are all referenced becomes `true`: regorus keeps a
        // `some` variable in its scope and refuses to declare it again when the statement is reached
        // a second time in that scope (the body evaluated for the next binding of an earlier
        // statement: "duplicated definition of local variable"). Without the declaration, a
        // variable is a local of its body anyway, unless its name is also a rule, an import or
        // another variable of the rule: then it is renamed (below). A variable declared and never
        // used keeps its `some`, so that the error stays regorus's.
        let mut dropped = HashSet::new();
        for (start, end, ids) in &self.some_stmts {
            if ids.iter().all(|&id| self.decls[id].spans.len() > 1 && spans_ok(&self.decls[id]))
                && text.get(*start..*end).is_some()
            {
                edits.push((*start, *end, "true".to_string()));
                dropped.extend(ids.iter().copied());
            }
        }
        for (id, d) in self.decls.iter().enumerate() {
            if !spans_ok(d) {
                continue;
            }
            // The spans to rename: the declaration's own is gone with a dropped statement.
            let own = if dropped.contains(&id) { &d.spans[1..] } else { &d.spans[..] };
            let used_elsewhere = self.uses.get(&d.name).copied().unwrap_or(0) > d.spans.len();
            if closure_only(d) {
                // `some x` that only comprehensions mention: each comprehension's own variable.
                let mut per_instance: BTreeMap<usize, Vec<(usize, usize)>> = BTreeMap::new();
                for &(s, e, instance) in &d.spans[1..] {
                    per_instance.entry(instance.unwrap_or(0)).or_default().push((s, e));
                }
                for spans in per_instance.values() {
                    let new = fresh(&d.name, text, taken);
                    edits.extend(spans.iter().map(|&(s, e)| (s, e, new.clone())));
                }
                if !dropped.contains(&id) {
                    let (s, e, _) = d.spans[0];
                    edits.push((s, e, fresh(&d.name, text, taken)));
                }
            } else if (d.depth > 0 && used_elsewhere)
                || (dropped.contains(&id) && (used_elsewhere || globals.contains(&d.name)))
            {
                // Local to its comprehension in OPA, but its name is used elsewhere in the rule; or
                // a `some` variable whose declaration was dropped and whose name means more.
                let new = fresh(&d.name, text, taken);
                edits.extend(own.iter().map(|&(s, e, _)| (s, e, new.clone())));
            }
        }
    }
}

/// `<name>__<n>`, a name neither the text nor an earlier rename uses.
fn fresh(name: &str, text: &str, taken: &mut HashSet<String>) -> String {
    let mut n = 1;
    loop {
        let candidate = format!("{name}__{n}");
        if !text.contains(&candidate) && taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn v1(body: &str) -> Option<String> {
        rewrite("t.rego", &format!("package main\n\n{body}\n"), true)
            .map(|t| t["package main\n\n".len()..].trim_end().to_string())
    }

    #[test]
    fn leaves_policies_without_shadowing_alone() {
        assert_eq!(
            v1("deny contains msg if { some x in input.a; ys := [y | some y in input.b; y > x]; msg := \"m\" }"),
            None
        );
        // A comprehension reading an outer variable is a closure, not a declaration.
        assert_eq!(v1("deny contains msg if { x := input.a; ys := [y | y := input.b[_]; y > x]; msg := \"m\" }"), None);
        // A comprehension reading an outer `some` variable.
        assert_eq!(v1("deny contains i if { i := 1; ys := [v | v := input.a[i]] }"), None);
        // Not Rego: left to the normal error path.
        assert_eq!(v1("deny contains if {"), None);
    }

    #[test]
    fn renames_declarations_local_to_a_comprehension() {
        assert_eq!(
            v1("deny contains msg if { x := input.a; ys := [x | some x in input.b]; msg := x }").as_deref(),
            Some("deny contains msg if { x := input.a; ys := [x__1 | some x__1 in input.b]; msg := x }")
        );
        // Used first as the outer variable, then declared: only the declaration and what follows.
        assert_eq!(
            v1("deny contains n if { n := input.a; ys := [n | n == 1; n := 2] }").as_deref(),
            Some("deny contains n if { n := input.a; ys := [n__1 | n == 1; n__1 := 2] }")
        );
        // A fresh name is one the file does not use.
        assert_eq!(
            v1("deny contains x if { x := input.a; x__1 := 0; ys := [x | x := 2] }").as_deref(),
            Some("deny contains x if { x := input.a; x__1 := 0; ys := [x__2 | x__2 := 2] }")
        );
    }

    #[test]
    fn some_mentioned_only_by_comprehensions_becomes_theirs() {
        assert_eq!(
            v1("deny contains m if { some i; a := [v | v := input.a[i]]; b := {i | input.b[i]}; m := [a, b] }")
                .as_deref(),
            Some(
                "deny contains m if { true; a := [v | v := input.a[i__1]]; b := {i__2 | input.b[i__2]}; m := [a, b] }"
            )
        );
    }

    #[test]
    fn some_statements_become_true() {
        // regorus refuses to reach `some i` twice in one scope; without it `i` is a local all the same.
        assert_eq!(
            v1("deny contains i if { x := input.b[_]; some i; input.a[i] == x }").as_deref(),
            Some("deny contains i if { x := input.b[_]; true; input.a[i] == x }")
        );
        // Unless the name is also a rule, an import or another variable of the rule.
        assert_eq!(
            v1("import data.lib\n\nname := 1\n\ndeny contains [name, lib] if { some name, lib; input.a[name][lib] }")
                .as_deref(),
            Some(
                "import data.lib\n\nname := 1\n\ndeny contains [name__1, lib__1] if { true; input.a[name__1][lib__1] }"
            )
        );
        // A `some` variable never used keeps its declaration (OPA: "declared var unused").
        assert_eq!(v1("deny contains 1 if { some i; input.a }"), None);
    }

    #[test]
    fn leaves_what_opa_refuses_to_regorus() {
        // "var i declared above": the body is left as written.
        assert_eq!(v1("deny contains i if { some i; some i in input.a; ys := [i | some i in input.b] }"), None);
        // OPA: "var y referenced above" — not renamed, so regorus reports it as well.
        assert_eq!(v1("deny contains ys if { ys := [y | y > 1; y := input.a[_]] }"), None);
    }
}
