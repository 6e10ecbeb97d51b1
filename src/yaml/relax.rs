//! go-yaml's leniency for quoted scalars that continue on less-indented lines.
//!
//! The YAML spec wants the continuation lines of a quoted scalar indented deeper than the mapping that
//! holds it, and yaml-rust2 enforces that. go-yaml (libyaml's scanner, which Kubernetes and Argo CD use)
//! does not check indentation inside quoted scalars at all, so `kubectl get -o yaml` output like
//!
//! ```yaml
//!     - message: 'The schema has been applied successfully. Apply
//!       response: ...'
//! ```
//!
//! loads in Argo CD and must load here. Leading blanks of a continuation line are not part of the
//! value (line folding strips them), so when yaml-rust2 reports "invalid indentation in quoted scalar",
//! the loader re-reads the file with that scalar's continuation lines indented to the column of its
//! opening quote, and maps every position back to the original text. The value is unchanged.

use std::collections::BTreeMap;

use super::sourcemap::Node;
use super::{IssueKind, Limits, Loaded};
use crate::report::Span;

/// yaml-rust2's message for a quoted scalar continuing left of the required indentation.
const MESSAGE: &str = "invalid indentation in quoted scalar";

/// At most this many scalars are re-indented in one file (each costs one more parse).
const MAX_RETRIES: usize = 64;

/// Whether `out` failed on an under-indented quoted scalar.
pub(super) fn needed(out: &Loaded) -> bool {
    failing_offset(out).is_some()
}

fn failing_offset(out: &Loaded) -> Option<usize> {
    out.issues.iter().find(|i| i.kind == IssueKind::Syntax && i.message.contains(MESSAGE)).map(|i| i.span.offset)
}

/// Re-reads `src` with under-indented quoted scalars re-indented, until it loads or nothing changes.
/// Returns the first result that has no such error (or the last attempt), with original positions.
pub(super) fn reload(src: &str, limits: &Limits, first: Loaded) -> Loaded {
    // Spaces added at the start of each (0-based) line of `src`.
    let mut pads: BTreeMap<usize, usize> = BTreeMap::new();
    let mut padded = src.to_string();
    let mut out = first;
    for _ in 0..MAX_RETRIES {
        let Some(offset) = failing_offset(&out) else { break };
        if !pad_scalar(&padded, offset, &mut pads) {
            break;
        }
        padded = apply(src, &pads);
        out = super::load_exact(&padded, limits);
    }
    if !pads.is_empty() {
        remap(&mut out, src, &padded, &pads);
    }
    out
}

/// Adds to `pads` what the quoted scalar whose quote is at byte `offset` of `padded` needs.
/// Returns false when there is nothing to re-indent (the error has another cause).
fn pad_scalar(padded: &str, offset: usize, pads: &mut BTreeMap<usize, usize>) -> bool {
    let bytes = padded.as_bytes();
    let Some(&quote) = bytes.get(offset).filter(|b| **b == b'\'' || **b == b'"') else { return false };
    let line_start = padded[..offset].rfind('\n').map_or(0, |i| i + 1);
    let column = padded[line_start..offset].chars().count();
    let mut line = padded[..offset].matches('\n').count();
    let mut changed = false;
    let mut i = offset + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return changed,
            b'\n' => {
                line += 1;
                let rest = &padded[i + 1..];
                let indent = rest.bytes().take_while(|b| *b == b' ').count();
                let blank = rest.bytes().take_while(|b| *b != b'\n').all(|b| b == b' ' || b == b'\t' || b == b'\r');
                if !blank && indent < column {
                    *pads.entry(line).or_insert(0) += column - indent;
                    changed = true;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    // An unterminated scalar: the real error is elsewhere.
    false
}

/// `src` with `pads[line]` spaces put in front of each line.
fn apply(src: &str, pads: &BTreeMap<usize, usize>) -> String {
    let extra: usize = pads.values().sum();
    let mut out = String::with_capacity(src.len() + extra);
    for (n, line) in src.split_inclusive('\n').enumerate() {
        if let Some(&k) = pads.get(&n) {
            out.extend(std::iter::repeat_n(' ', k));
        }
        out.push_str(line);
    }
    out
}

/// Moves every span of `out` from the padded text back to `src`. The pads are counted per `\n` line
/// (as they were added), from the span's byte offset; line and column then come from `src`'s own
/// index, which also ends lines at a lone `\r`.
fn remap(out: &mut Loaded, src: &str, padded: &str, pads: &BTreeMap<usize, usize>) {
    let starts: Vec<usize> =
        std::iter::once(0).chain(padded.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1)).collect();
    let lines = super::LineIndex::new(src);
    let back = |offset: usize| {
        let offset = offset.min(padded.len());
        let line0 = starts.partition_point(|&s| s <= offset) - 1;
        let before: usize = pads.range(..line0).map(|(_, k)| k).sum();
        let own = pads.get(&line0).copied().unwrap_or(0);
        // Pads are spaces: an offset inside them maps to the start of the line.
        let own_applied = own.min(offset - starts[line0]);
        offset.saturating_sub(before + own_applied).min(src.len())
    };
    let map = |span: &mut Span| {
        let start = back(span.offset);
        // Both ends move: a span over several lines loses the pads inside it.
        let end = back(span.offset + span.len).max(start);
        *span = lines.span_of_offset(src, start, end - start);
    };
    for issue in &mut out.issues {
        map(&mut issue.span);
    }
    for doc in &mut out.docs {
        doc.map.root_mut().visit_spans_mut(&map);
    }
}

impl Node {
    /// Calls `f` on every span of this subtree (node spans and key spans).
    pub(super) fn visit_spans_mut(&mut self, f: &impl Fn(&mut Span)) {
        match self {
            Node::Scalar { span, .. } => f(span),
            Node::Map { span, entries } => {
                f(span);
                for e in entries {
                    f(&mut e.key_span);
                    e.value.visit_spans_mut(f);
                }
            }
            Node::Seq { span, items } => {
                f(span);
                for item in items {
                    item.visit_spans_mut(f);
                }
            }
        }
    }
}
