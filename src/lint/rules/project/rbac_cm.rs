//! The policy lines of an `argocd-rbac-cm` ConfigMap, with their positions: `policy.csv` first, then
//! every other `policy.<name>.csv` key in sorted order, as Argo CD's `PolicyCSV` concatenates them.

use super::locate::{Locator, Piece};
use super::rbac::{BUILTIN_ROLES, Field, policy_lines, split_csv};
use crate::lint::util::escape_pointer;
use crate::model::{DocKind, Document};
use crate::report::Span;
use serde_json::Value;

/// One non-comment line of a policy CSV key.
pub struct PolicyRow<'d> {
    /// The trimmed line.
    pub line: &'d str,
    /// Where the line is written (the key's value when it cannot be found verbatim).
    pub piece: Piece,
    /// The CSV fields, or Go's CSV error.
    pub fields: Result<Vec<Field>, &'static str>,
}

impl PolicyRow<'_> {
    /// The span of field `i` (the line's span when it has no such field or was not found verbatim).
    pub fn field_span(&self, doc: &Document, i: usize) -> Span {
        match &self.fields {
            Ok(fields) if i < fields.len() => self.piece.sub_span(doc, fields[i].start, fields[i].len),
            _ => self.piece.span.clone(),
        }
    }

    /// Field `i`'s text.
    pub fn field(&self, i: usize) -> Option<&str> {
        self.fields.as_ref().ok().and_then(|f| f.get(i)).map(|f| f.text.as_str())
    }
}

/// Whether `key` is one Argo CD reads policy lines from.
pub fn is_policy_key(key: &str) -> bool {
    key.starts_with("policy.") && key.ends_with(".csv")
}

/// Every policy line of an argocd-rbac-cm document, in the order Argo CD loads them.
pub fn policy_rows(doc: &Document) -> Vec<PolicyRow<'_>> {
    let mut out = Vec::new();
    if doc.kind != DocKind::ArgoCdRbacCm {
        return out;
    }
    let Some(Value::Object(data)) = doc.get("/data") else {
        return out;
    };
    let mut keys: Vec<&String> = data.keys().filter(|k| is_policy_key(k) && *k != "policy.csv").collect();
    keys.sort();
    if let Some(main) = data.keys().find(|k| *k == "policy.csv") {
        keys.insert(0, main);
    }
    for key in keys {
        let Some(text) = data.get(key).and_then(Value::as_str) else {
            continue;
        };
        let pointer = format!("/data/{}", escape_pointer(key));
        let mut loc = Locator::new(doc, &pointer, text);
        for line in policy_lines(text) {
            out.push(PolicyRow { line, piece: loc.find_or_node(line), fields: split_csv(line) });
        }
    }
    out
}

/// Every role a policy defines: the built-in ones, every `p` subject and every `g` member.
pub fn defined_roles<'r>(rows: &'r [PolicyRow<'_>]) -> Vec<&'r str> {
    let mut roles: Vec<&str> = BUILTIN_ROLES.to_vec();
    for row in rows {
        if let (Some("p" | "g"), Some(subject)) = (row.field(0), row.field(1))
            && !subject.is_empty()
            && !roles.contains(&subject)
        {
            roles.push(subject);
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::docs;

    #[test]
    fn reads_policy_csv_first_then_overlays_sorted_with_lines() {
        let src = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: argocd-rbac-cm\ndata:\n  policy.z.csv: g, b, role:b\n  policy.csv: |\n    # comment\n    p, role:a, applications, get, */*, allow\n  policy.a.csv: \"g, a, role:a\"\n  policy.default: role:readonly\n";
        let d = docs(src);
        let rows = policy_rows(&d[0]);
        let got: Vec<(&str, u32, u32)> =
            rows.iter().map(|r| (r.line, r.piece.span.line, r.piece.span.column)).collect();
        assert_eq!(
            got,
            vec![("p, role:a, applications, get, */*, allow", 9, 5), ("g, a, role:a", 10, 18), ("g, b, role:b", 6, 17)]
        );
        let s = rows[0].field_span(&d[0], 2);
        assert_eq!((s.line, s.column), (9, 16));
        assert_eq!(defined_roles(&rows), vec!["role:admin", "role:readonly", "role:a", "a", "b"]);
        assert!(is_policy_key("policy.team.csv"));
        assert!(!is_policy_key("policy.default"));
    }
}
