//! Pointing inside a scalar: where a piece of a string value (a CSV row of a `|` block, one field of a
//! policy line, one `{{ }}` tag) is written in the file.
//!
//! The source map knows where a scalar starts; its text may then be indented (block scalars), quoted, or
//! folded. Searching forward from the scalar's start for each piece, in order, finds it in every style
//! that keeps the text verbatim; when a piece cannot be found (escapes, folding) the scalar's own span
//! is used instead, so a finding is never lost, only less precise.

use crate::model::Document;
use crate::report::Span;

/// Finds successive pieces of one scalar's text in its file.
pub struct Locator<'d> {
    doc: &'d Document,
    fallback: Span,
    cursor: usize,
    end: usize,
}

impl<'d> Locator<'d> {
    /// A locator for the scalar at `pointer` whose (decoded) value is `value`.
    pub fn new(doc: &'d Document, pointer: &str, value: &str) -> Locator<'d> {
        let fallback = doc.span(pointer);
        let src = &doc.file.text;
        let lines = value.matches('\n').count() + 1;
        // Room for indentation, quotes and line breaks the decoded value no longer has.
        let mut end = (fallback.offset + value.len() * 2 + lines * 64 + 256).min(src.len());
        while !src.is_char_boundary(end) {
            end -= 1;
        }
        Locator { doc, cursor: fallback.offset, end, fallback }
    }

    /// The span of the next occurrence of `needle` after the previous one found, if it is written
    /// verbatim; the cursor moves past it.
    pub fn find(&mut self, needle: &str) -> Option<Span> {
        let src = &self.doc.file.text;
        if needle.is_empty() || self.cursor >= self.end {
            return None;
        }
        let hay = src.get(self.cursor..self.end)?;
        let at = self.cursor + hay.find(needle)?;
        self.cursor = at + needle.len();
        Some(self.doc.file.lines.span_of_offset(src, at, needle.len()))
    }

    /// Like [`Locator::find`], falling back to the scalar's span.
    pub fn find_or_node(&mut self, needle: &str) -> Piece {
        match self.find(needle) {
            Some(span) => Piece { span, exact: true },
            None => Piece { span: self.fallback.clone(), exact: false },
        }
    }

    /// The span of `len` bytes starting `start` bytes into `piece`; the scalar's span when the piece
    /// was not found verbatim.
    pub fn sub_span(&self, piece: &Piece, start: usize, len: usize) -> Span {
        piece.sub_span(self.doc, start, len)
    }
}

/// A piece of a scalar's text and where it is written.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Where the piece is (the scalar's span when `exact` is false).
    pub span: Span,
    /// Whether the piece was found verbatim, so offsets inside it are offsets in the file.
    pub exact: bool,
}

impl Piece {
    /// The span of `len` bytes starting `start` bytes into the piece, or the piece's span when it was
    /// not found verbatim.
    pub fn sub_span(&self, doc: &Document, start: usize, len: usize) -> Span {
        if !self.exact {
            return self.span.clone();
        }
        doc.file.lines.span_of_offset(&doc.file.text, self.span.offset + start, len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::testing::docs;

    #[test]
    fn finds_rows_of_a_literal_block_on_their_own_lines() {
        let src = "data:\n  policy.csv: |\n    p, a, b\n\n    g, c, d\n";
        let d = docs(src);
        let value = d[0].str_at("/data/policy.csv").unwrap_or_default().to_string();
        let mut loc = Locator::new(&d[0], "/data/policy.csv", &value);
        let first = loc.find("p, a, b").unwrap_or_default();
        assert_eq!((first.line, first.column), (3, 5));
        let second = loc.find("g, c, d").unwrap_or_default();
        assert_eq!((second.line, second.column), (5, 5));
        let piece = Piece { span: second, exact: true };
        let field = loc.sub_span(&piece, 3, 1);
        assert_eq!((field.line, field.column), (5, 8));
    }

    #[test]
    fn finds_text_after_multibyte_characters() {
        let src = "data:\n  policy.csv: |\n    # équipe ✓\n    p, é, b\n";
        let d = docs(src);
        let value = d[0].str_at("/data/policy.csv").unwrap_or_default().to_string();
        let mut loc = Locator::new(&d[0], "/data/policy.csv", &value);
        let piece = loc.find_or_node("p, é, b");
        assert!(piece.exact);
        let field = loc.sub_span(&piece, 7, 1); // `b`, after the two-byte `é`
        assert_eq!((piece.span.line, piece.span.column, field.column), (4, 5, 11));
    }

    #[test]
    fn falls_back_to_the_scalar_when_text_is_escaped() {
        let src = "data:\n  policy.csv: \"p, a\\tb\"\n";
        let d = docs(src);
        let value = d[0].str_at("/data/policy.csv").unwrap_or_default().to_string();
        let mut loc = Locator::new(&d[0], "/data/policy.csv", &value);
        let piece = loc.find_or_node(&value);
        assert!(!piece.exact);
        assert_eq!((piece.span.line, piece.span.column), (2, 15));
    }
}
