//! Where every node of a document is: a tree of spans shaped like the value, looked up by JSON pointer.

use crate::report::Span;

/// How a scalar was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarStyle {
    /// Unquoted.
    Plain,
    /// Single- or double-quoted.
    Quoted,
    /// A `|` or `>` block scalar.
    Block,
}

/// A node's position, with its children's.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar.
    Scalar {
        /// Its text.
        span: Span,
        /// How it was written.
        style: ScalarStyle,
        /// A plain scalar that YAML 1.1 (Kubernetes) and YAML 1.2 read differently.
        ambiguous: bool,
    },
    /// A mapping, with its entries in file order.
    Map {
        /// Its first key (block) or its `{` (flow).
        span: Span,
        /// The entries.
        entries: Vec<Entry>,
    },
    /// A sequence.
    Seq {
        /// Its first `-` or `[`.
        span: Span,
        /// The items.
        items: Vec<Node>,
    },
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key, as it appears in the value.
    pub key: String,
    /// Where the key is written.
    pub key_span: Span,
    /// The value's node.
    pub value: Node,
}

impl Node {
    /// The node's own span.
    pub fn span(&self) -> &Span {
        match self {
            Node::Scalar { span, .. } | Node::Map { span, .. } | Node::Seq { span, .. } => span,
        }
    }

    /// The child at one JSON-pointer segment (already unescaped).
    pub fn child(&self, segment: &str) -> Option<&Node> {
        match self {
            Node::Map { entries, .. } => entries.iter().find(|e| e.key == segment).map(|e| &e.value),
            Node::Seq { items, .. } => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            Node::Scalar { .. } => None,
        }
    }

    /// The entry for `key`, when this is a mapping that has it.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match self {
            Node::Map { entries, .. } => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// Number of nodes in this subtree, itself included.
    pub fn count(&self) -> usize {
        match self {
            Node::Scalar { .. } => 1,
            Node::Map { entries, .. } => 1 + entries.iter().map(|e| e.value.count()).sum::<usize>(),
            Node::Seq { items, .. } => 1 + items.iter().map(Node::count).sum::<usize>(),
        }
    }
}

/// The spans of one document, looked up by JSON pointer (`/spec/source/repoURL`, `/spec/generators/0`).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMap {
    root: Node,
}

/// Splits a JSON pointer into unescaped segments.
pub fn pointer_segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
    pointer.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~"))
}

impl SourceMap {
    /// Wraps a document's root node.
    pub fn new(root: Node) -> SourceMap {
        SourceMap { root }
    }

    /// The document's root node.
    pub fn root(&self) -> &Node {
        &self.root
    }

    /// The document's root node, to move its spans.
    pub(super) fn root_mut(&mut self) -> &mut Node {
        &mut self.root
    }

    /// The node at `pointer`, if it exists.
    pub fn node(&self, pointer: &str) -> Option<&Node> {
        let mut node = &self.root;
        for seg in pointer_segments(pointer) {
            node = node.child(&seg)?;
        }
        Some(node)
    }

    /// The span of the node at `pointer`, or of its nearest existing ancestor (a missing field is
    /// reported at the mapping that lacks it).
    pub fn span(&self, pointer: &str) -> Span {
        let mut node = &self.root;
        for seg in pointer_segments(pointer) {
            match node.child(&seg) {
                Some(n) => node = n,
                None => break,
            }
        }
        node.span().clone()
    }

    /// The span of the key that names the node at `pointer` (for "unknown field" style findings);
    /// falls back to [`SourceMap::span`] for list items and the root.
    pub fn key_span(&self, pointer: &str) -> Span {
        let mut node = &self.root;
        let mut key_span = None;
        for seg in pointer_segments(pointer) {
            match node {
                Node::Map { .. } => match node.entry(&seg) {
                    Some(e) => {
                        key_span = Some(e.key_span.clone());
                        node = &e.value;
                    }
                    None => return key_span.unwrap_or_else(|| node.span().clone()),
                },
                _ => match node.child(&seg) {
                    Some(n) => {
                        key_span = None;
                        node = n;
                    }
                    None => break,
                },
            }
        }
        key_span.unwrap_or_else(|| node.span().clone())
    }
}

/// Line starts of a text, to turn (line, column) marks into byte spans.
///
/// Lines end where the YAML parser ends them: at `\n`, `\r\n` and a lone `\r`, so (line, column)
/// marks and byte offsets always agree.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `src`.
    pub fn new(src: &str) -> LineIndex {
        let bytes = src.as_bytes();
        let mut starts = Vec::with_capacity(bytes.len() / 32 + 1);
        starts.push(0);
        // A line ends at `\n`, and at a `\r` not followed by `\n`.
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// A span at 1-based `line` and 0-based character column `col`, `len` bytes long (clamped).
    pub fn span(&self, src: &str, line: usize, col: usize, len: usize) -> Span {
        let line = line.clamp(1, self.starts.len());
        let start = self.starts[line - 1];
        let text = &src[start..];
        let offset = start + text.char_indices().nth(col).map_or(text.len(), |(i, _)| i);
        let offset = offset.min(src.len());
        Span { offset, len: len.min(src.len() - offset), line: line as u32, column: col as u32 + 1 }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.starts.partition_point(|&s| s <= offset).max(1) as u32
    }

    /// The span of a byte offset (for engines that report offsets).
    pub fn span_of_offset(&self, src: &str, offset: usize, len: usize) -> Span {
        let offset = offset.min(src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = src.get(start..offset).map_or(0, |t| t.chars().count());
        Span { offset, len: len.min(src.len() - offset), line: line as u32, column: column as u32 + 1 }
    }

    /// Byte offset of the end of a 1-based line (before its line break).
    pub fn line_end(&self, src: &str, line: u32) -> usize {
        let i = (line as usize).clamp(1, self.starts.len());
        let end = self.starts.get(i).map_or(src.len(), |&next| next - 1);
        if end > self.starts[i - 1] && src.as_bytes().get(end - 1) == Some(&b'\r') { end - 1 } else { end }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text<'s>(&self, src: &'s str, line: u32) -> &'s str {
        let i = (line as usize).clamp(1, self.starts.len()) - 1;
        let start = self.starts[i];
        let end = self.starts.get(i + 1).copied().unwrap_or(src.len());
        src[start..end].trim_end_matches(['\n', '\r'])
    }
}
