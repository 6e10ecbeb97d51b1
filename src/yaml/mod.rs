//! Multi-document YAML loading into JSON values plus a source map, with the checks that only the
//! loader can make: syntax errors, duplicate keys, alias bombs, absurd nesting, and unquoted `{{ }}`.
//!
//! Values are resolved the way Kubernetes and Argo CD read YAML (sigs.k8s.io/yaml over go-yaml v2,
//! YAML 1.1 plain scalars: `yes` is `true`, `0755` is 493), so every engine sees what the cluster sees.
//! The parser is yaml-rust2's event parser, chosen over serde_yaml (archived, and it exposes no
//! positions) because it gives a mark for every event, which is what the source map is built from.

mod comments;
mod relax;
mod scalar;
mod sourcemap;

pub use comments::{Comment, comments};
pub use scalar::{Resolved, resolve_plain};
pub use sourcemap::{Entry, LineIndex, Node, ScalarStyle, SourceMap};

use crate::report::Span;
use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Bounds on what one file may make the loader do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest nesting of mappings and sequences accepted.
    pub max_depth: usize,
    /// Most nodes that aliases may copy into one document (billion-laughs guard).
    pub max_alias_nodes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_depth: 256, max_alias_nodes: 100_000 }
    }
}

/// The deepest nesting accepted whatever [`Limits::max_depth`] says: the engines after the loader
/// (policies, schemas, templates) walk values recursively on 2 MiB worker stacks, and a 10,000-deep
/// document overflows them.
pub const MAX_DEPTH_CEILING: usize = 512;

/// The deepest flow collection (`[...]`, `{...}`) the YAML parser accepts: its flow level is a `u8`.
pub const MAX_FLOW_DEPTH: usize = 255;

impl Limits {
    /// [`Limits::max_depth`], capped at [`MAX_DEPTH_CEILING`].
    pub fn effective_max_depth(&self) -> usize {
        self.max_depth.min(MAX_DEPTH_CEILING)
    }
}

/// One YAML document of a file.
#[derive(Debug, Clone)]
pub struct YamlDocument {
    /// Position of the document in its file, 0-based, counting empty documents.
    pub index: usize,
    /// The value as Kubernetes reads it.
    pub value: Value,
    /// Where each node of `value` is in the file.
    pub map: SourceMap,
    /// Whether a plain YAML 1.1 boolean word (`yes`, `off`, `y`...) was read as a boolean: readers of
    /// YAML 1.2 (Kustomize) see a string there, and only such documents need re-reading.
    pub yaml11_bools: bool,
}

/// What kind of problem the loader found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueKind {
    /// The text is not YAML; loading of the file stops here.
    Syntax,
    /// A mapping has the same key twice.
    DuplicateKey,
    /// Nesting deeper than [`Limits::max_depth`]; loading of the file stops.
    TooDeep,
    /// Aliases expand past [`Limits::max_alias_nodes`]; loading of the file stops.
    AliasBomb,
    /// An unquoted `{{ x }}` that YAML read as a nested flow mapping.
    UnquotedTemplate,
    /// A mapping or sequence used as a mapping key, which Kubernetes cannot read.
    ComplexKey,
}

impl IssueKind {
    /// The rule id findings of this kind are reported under.
    pub fn rule_id(self) -> &'static str {
        match self {
            IssueKind::Syntax => "yaml-syntax",
            IssueKind::DuplicateKey => "yaml-duplicate-key",
            IssueKind::TooDeep => "yaml-too-deep",
            IssueKind::AliasBomb => "yaml-alias-bomb",
            IssueKind::UnquotedTemplate => "yaml-unquoted-template",
            IssueKind::ComplexKey => "yaml-complex-key",
        }
    }
}

/// A problem the loader found, with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// What went wrong.
    pub kind: IssueKind,
    /// Where.
    pub span: Span,
    /// One sentence saying what is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The document it belongs to, when loading got that far.
    pub doc_index: usize,
}

/// Everything loaded from one file.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The non-empty documents, in file order.
    pub docs: Vec<YamlDocument>,
    /// Problems found while loading, in file order.
    pub issues: Vec<Issue>,
}

/// Loads every document of `src`. Never panics; problems become [`Issue`]s.
pub fn load(src: &str, limits: &Limits) -> Loaded {
    let out = load_exact(src, limits);
    if relax::needed(&out) {
        return relax::reload(src, limits, out);
    }
    out
}

/// One parse of `src`, with yaml-rust2's strict indentation of quoted scalars.
fn load_exact(src: &str, limits: &Limits) -> Loaded {
    let lines = LineIndex::new(src);
    let mut b = Builder {
        src,
        lines: &lines,
        limits,
        out: Loaded::default(),
        doc_index: 0,
        cursor: Cell::new((1, 0, 0)),
        yaml11_bools: false,
    };
    b.run();
    b.out
}

enum Frame {
    Map {
        value: Map<String, Value>,
        entries: Vec<Entry>,
        span: Span,
        flow: bool,
        anchor: usize,
        key: Option<(String, Span, bool)>,
        /// Keys copied in by a `<<` merge, which explicit keys may override.
        merged: Vec<String>,
    },
    Seq {
        values: Vec<Value>,
        items: Vec<Node>,
        span: Span,
        anchor: usize,
    },
}

struct Builder<'a> {
    src: &'a str,
    lines: &'a LineIndex,
    limits: &'a Limits,
    out: Loaded,
    doc_index: usize,
    /// The last mark converted: (line, column in characters, byte offset).
    cursor: Cell<(usize, usize, usize)>,
    /// Whether the current document read a YAML 1.1 boolean word as a boolean.
    yaml11_bools: bool,
}

/// Stops loading the rest of the file.
struct Abort;

struct DocState {
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Value, Node, usize)>,
    alias_nodes: usize,
    root: Option<(Value, Node)>,
}

impl<'a> Builder<'a> {
    fn run(&mut self) {
        let mut parser = Parser::new_from_str(self.src);
        let mut doc: Option<DocState> = None;
        loop {
            let (event, mark) = match parser.next_token() {
                Ok(x) => x,
                Err(e) => {
                    let span = self.span_at(e.marker(), 1);
                    if e.info().contains("recursion limit") {
                        self.too_deep_flow(span);
                        return;
                    }
                    // `name: {{x}}-app` is both; the unquoted-template finding already says how to fix it.
                    let explained = self
                        .out
                        .issues
                        .last()
                        .is_some_and(|i| i.kind == IssueKind::UnquotedTemplate && i.span.line == span.line);
                    if explained {
                        return;
                    }
                    let help = self.syntax_help(span.line);
                    self.issue(IssueKind::Syntax, span, format!("YAML syntax error: {}", e.info()), help);
                    return;
                }
            };
            let result = match event {
                Event::StreamEnd => return,
                Event::DocumentStart => {
                    doc = Some(DocState { stack: Vec::new(), anchors: HashMap::new(), alias_nodes: 0, root: None });
                    Ok(())
                }
                Event::DocumentEnd => {
                    if let Some((value, root)) = doc.take().and_then(|d| d.root).filter(|(v, _)| !v.is_null()) {
                        self.out.docs.push(YamlDocument {
                            index: self.doc_index,
                            value,
                            map: SourceMap::new(root),
                            yaml11_bools: std::mem::take(&mut self.yaml11_bools),
                        });
                    }
                    self.doc_index += 1;
                    Ok(())
                }
                other => match doc.as_mut() {
                    Some(d) => self.event(d, other, &mark),
                    None => Ok(()),
                },
            };
            if result.is_err() {
                return;
            }
        }
    }

    fn event(&mut self, d: &mut DocState, event: Event, mark: &Marker) -> Result<(), Abort> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let span = self.scalar_span(mark, &text, style);
                let (value, style, ambiguous) = resolve(text, style, tag.as_ref());
                self.yaml11_bools |= ambiguous && value.is_boolean();
                let node = Node::Scalar { span, style, ambiguous };
                if anchor > 0 {
                    d.anchors.insert(anchor, (value.clone(), node.clone(), 1));
                }
                self.push(d, value, node)
            }
            Event::MappingStart(anchor, _) => {
                let span = self.span_at(mark, 1);
                let flow = self.src.as_bytes().get(span.offset) == Some(&b'{');
                self.open(
                    d,
                    Frame::Map {
                        value: Map::new(),
                        entries: Vec::new(),
                        span,
                        flow,
                        anchor,
                        key: None,
                        merged: Vec::new(),
                    },
                )
            }
            Event::SequenceStart(anchor, _) => {
                let span = self.span_at(mark, 1);
                self.open(d, Frame::Seq { values: Vec::new(), items: Vec::new(), span, anchor })
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let Some(frame) = d.stack.pop() else {
                    return Ok(());
                };
                let (value, node, anchor, flow_map) = match frame {
                    Frame::Map { value, entries, span, anchor, flow, .. } => {
                        // A block mapping's start mark is unreliable; its first key is where it starts.
                        let span = if flow { span } else { entries.first().map_or(span, |e| e.key_span.clone()) };
                        (Value::Object(value), Node::Map { span, entries }, anchor, flow)
                    }
                    Frame::Seq { values, items, span, anchor } => {
                        (Value::Array(values), Node::Seq { span, items }, anchor, false)
                    }
                };
                if anchor > 0 {
                    let count = node.count();
                    d.anchors.insert(anchor, (value.clone(), node.clone(), count));
                }
                self.push_collection(d, value, node, flow_map)
            }
            Event::Alias(id) => {
                let Some((value, node, count)) = d.anchors.get(&id).cloned() else {
                    return self.push(
                        d,
                        Value::Null,
                        Node::Scalar { span: self.span_at(mark, 1), style: ScalarStyle::Plain, ambiguous: false },
                    );
                };
                d.alias_nodes += count;
                if d.alias_nodes > self.limits.max_alias_nodes {
                    let span = self.span_at(mark, 1);
                    self.issue(
                        IssueKind::AliasBomb,
                        span,
                        format!(
                            "aliases in this document expand to more than {} nodes; refusing to load the rest of the file",
                            self.limits.max_alias_nodes
                        ),
                        Some("this looks like a YAML alias bomb; write the repeated content out, or raise the limit with --max-alias-nodes".into()),
                    );
                    return Err(Abort);
                }
                self.push(d, value, node)
            }
            _ => Ok(()),
        }
    }

    fn open(&mut self, d: &mut DocState, frame: Frame) -> Result<(), Abort> {
        if d.stack.len() >= self.limits.effective_max_depth() {
            let span = match &frame {
                Frame::Map { span, .. } | Frame::Seq { span, .. } => span.clone(),
            };
            self.too_deep(span);
            return Err(Abort);
        }
        d.stack.push(frame);
        Ok(())
    }

    /// A finished mapping or sequence: either a value, or (wrongly) a mapping key.
    fn push_collection(&mut self, d: &mut DocState, value: Value, node: Node, flow_map: bool) -> Result<(), Abort> {
        if let Some(Frame::Map { key: None, span: parent_span, flow: parent_flow, .. }) = d.stack.last() {
            let span = node.span().clone();
            if flow_map && *parent_flow {
                let text = self.template_text(parent_span.offset);
                self.issue(
                    IssueKind::UnquotedTemplate,
                    parent_span.clone(),
                    format!("`{text}` is read by YAML as a nested mapping, not as the template string it looks like"),
                    Some(format!("quote it: '{text}'")),
                );
            } else {
                self.issue(
                    IssueKind::ComplexKey,
                    span.clone(),
                    "a mapping or sequence is used as a mapping key; Kubernetes only reads string keys".into(),
                    Some("quote the key, or fix the indentation that made it a key".into()),
                );
            }
            let key = serde_json::to_string(&value).unwrap_or_default();
            if let Some(Frame::Map { key: k, .. }) = d.stack.last_mut() {
                *k = Some((key, span, false));
            }
            return Ok(());
        }
        self.push(d, value, node)
    }

    fn push(&mut self, d: &mut DocState, value: Value, node: Node) -> Result<(), Abort> {
        match d.stack.last_mut() {
            None => {
                d.root = Some((value, node));
            }
            Some(Frame::Seq { values, items, .. }) => {
                values.push(value);
                items.push(node);
            }
            Some(Frame::Map { value: map, entries, key, merged, .. }) => match key.take() {
                None => {
                    let merge = matches!(node, Node::Scalar { style: ScalarStyle::Plain, .. })
                        && value == Value::String("<<".into());
                    *key = Some((key_string(&value), node.span().clone(), merge));
                }
                Some((k, key_span, true)) => {
                    let before = entries.len();
                    merge_into(map, entries, value, node, k, key_span);
                    merged.extend(entries[before..].iter().map(|e| e.key.clone()));
                }
                Some((k, key_span, false)) => {
                    if let Some(m) = merged.iter().position(|m| *m == k) {
                        merged.swap_remove(m);
                        if let Some(pos) = entries.iter().position(|e| e.key == k) {
                            entries.remove(pos);
                        }
                    } else if let Some(pos) = entries.iter().position(|e| e.key == k) {
                        let first = entries[pos].key_span.line;
                        let issue = Issue {
                            kind: IssueKind::DuplicateKey,
                            span: key_span.clone(),
                            message: format!(
                                "duplicate key `{k}` (first defined on line {first}); Kubernetes and Argo CD (sigs.k8s.io/yaml) keep this later value and silently drop the first"
                            ),
                            help: Some("remove one of the two keys, or merge their contents".into()),
                            doc_index: self.doc_index,
                        };
                        self.out.issues.push(issue);
                        entries.remove(pos);
                    }
                    map.insert(k.clone(), value);
                    entries.push(Entry { key: k, key_span, value: node });
                }
            },
        }
        Ok(())
    }

    fn too_deep(&mut self, span: Span) {
        let max = self.limits.effective_max_depth();
        let help = if max < self.limits.max_depth {
            format!(
                "no Kubernetes manifest nests this deep; check the file was generated correctly ({max} levels is \
                 argovet's ceiling, whatever --max-depth says)"
            )
        } else {
            "no Kubernetes manifest nests this deep; check the file was generated correctly, or raise --max-depth \
             (at most 512)"
                .to_string()
        };
        self.issue(
            IssueKind::TooDeep,
            span,
            format!("nesting deeper than {max} levels; refusing to load the rest of the file"),
            Some(help),
        );
    }

    fn too_deep_flow(&mut self, span: Span) {
        self.issue(
            IssueKind::TooDeep,
            span,
            format!(
                "flow collections (`[...]`, `{{...}}`) nested deeper than {MAX_FLOW_DEPTH} levels; refusing to load \
                 the rest of the file"
            ),
            Some(
                "no Kubernetes manifest nests this deep; check the file was generated correctly (the YAML parser \
                 accepts at most 255 levels of flow nesting; block style is limited by --max-depth)"
                    .into(),
            ),
        );
    }

    fn issue(&mut self, kind: IssueKind, span: Span, message: String, help: Option<String>) {
        self.out.issues.push(Issue { kind, span, message, help, doc_index: self.doc_index });
    }

    /// The span of a mark. Marks count characters; spans need bytes. The position comes from the mark's
    /// line and column: yaml-rust2 0.13's character index drifts after a block scalar line holding
    /// multi-byte text (it adds the line's bytes). Marks mostly move forward along a line, so the
    /// conversion advances a cursor from the previous mark instead of walking from the line start
    /// (which made long single-line documents quadratic).
    fn span_at(&self, mark: &Marker, len: usize) -> Span {
        let (cursor_line, cursor_col, cursor_byte) = self.cursor.get();
        let line = mark.line().max(1);
        let col = mark.col();
        let found = if line == cursor_line && col >= cursor_col {
            let rest = &self.src[cursor_byte..];
            rest.char_indices().nth(col - cursor_col).map(|(i, _)| cursor_byte + i)
        } else {
            let start = self.lines.span(self.src, line, 0, 0).offset;
            let text = &self.src[start..];
            text.char_indices().nth(col).map(|(i, _)| start + i)
        };
        let offset = match found {
            Some(o) => o,
            // Past the end of the text: the end of the text, with its own line and column.
            None => return self.lines.span_of_offset(self.src, self.src.len(), 0),
        };
        // `len` is measured on the decoded text, so it may end inside a character of the source.
        let mut len = len.min(self.src.len() - offset);
        while !self.src.is_char_boundary(offset + len) {
            len -= 1;
        }
        // A column past the end of its line (or a line the index does not know) lands elsewhere; the
        // line/column then follow the offset.
        if self.lines.line_of(offset) != line as u32 {
            return self.lines.span_of_offset(self.src, offset, len);
        }
        // Only a position known to be on its line may seed the next walk: a cursor pairing a line and
        // column with a byte of another line put every later mark of that line at the wrong column.
        self.cursor.set((line, col, offset));
        Span { offset, len, line: line as u32, column: col as u32 + 1 }
    }

    fn scalar_span(&self, mark: &Marker, text: &str, style: TScalarStyle) -> Span {
        let len = match style {
            TScalarStyle::Plain => text.lines().next().map_or(0, str::len),
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => text.lines().next().map_or(0, str::len) + 2,
            _ => 1,
        };
        let mut span = self.span_at(mark, len);
        let line_end = self.lines.line_end(self.src, span.line);
        span.len = span.len.min(line_end.saturating_sub(span.offset));
        span
    }

    /// The unquoted template text starting at `offset`: the rest of the line, without a trailing
    /// comment, a trailing `,`/`]` of an enclosing flow collection, or surrounding blanks.
    fn template_text(&self, offset: usize) -> String {
        let rest = &self.src[offset..];
        let line = rest.split('\n').next().unwrap_or(rest).trim_end_matches('\r');
        let line = line.find(" #").map_or(line, |i| &line[..i]);
        let end = line.rfind("}}").map_or(line.len(), |i| {
            // Keep text glued to the closing braces (`{{x}}-app`), stop at blanks or flow punctuation.
            let tail = &line[i + 2..];
            i + 2 + tail.find(|c: char| c.is_whitespace() || c == ',' || c == ']').unwrap_or(tail.len())
        });
        line[..end].trim().to_string()
    }

    fn syntax_help(&self, line: u32) -> Option<String> {
        let text = self.lines.line_text(self.src, line);
        let unquoted = text.find("{{").filter(|&i| !text[..i].contains(['"', '\'']));
        unquoted.map(|_| {
            "a value that starts with `{{` or mixes `{{ }}` with other text must be quoted: name: '{{cluster}}-app'"
                .into()
        })
    }
}

fn key_string(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

/// YAML merge keys (`<<: *base`): entries not already present are copied in.
fn merge_into(
    map: &mut Map<String, Value>,
    entries: &mut Vec<Entry>,
    value: Value,
    node: Node,
    key: String,
    key_span: Span,
) {
    match (value, node) {
        (Value::Object(src), Node::Map { entries: src_entries, .. }) => {
            for (e, (k, v)) in src_entries.into_iter().zip(src) {
                if !map.contains_key(&k) {
                    map.insert(k, v);
                    entries.push(e);
                }
            }
        }
        (Value::Array(list), Node::Seq { items, .. }) => {
            for (v, n) in list.into_iter().zip(items) {
                if matches!(v, Value::Object(_)) {
                    merge_into(map, entries, v, n, key.clone(), key_span.clone());
                }
            }
        }
        (value, node) => {
            map.insert(key.clone(), value);
            entries.push(Entry { key, key_span, value: node });
        }
    }
}

fn resolve(text: String, style: TScalarStyle, tag: Option<&Tag>) -> (Value, ScalarStyle, bool) {
    let our_style = match style {
        TScalarStyle::Plain => ScalarStyle::Plain,
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => ScalarStyle::Quoted,
        _ => ScalarStyle::Block,
    };
    if let Some(tag) = tag {
        let core = tag.handle == "!!" || tag.handle == "tag:yaml.org,2002:";
        if core {
            match tag.suffix.as_str() {
                "str" => return (Value::String(text), our_style, false),
                "null" => return (Value::Null, our_style, false),
                "int" | "float" | "bool" => {
                    let r = resolve_plain(&text);
                    return (r.value, our_style, false);
                }
                _ => {}
            }
        }
    }
    if style != TScalarStyle::Plain {
        return (Value::String(text), our_style, false);
    }
    let r = resolve_plain(&text);
    (r.value, our_style, r.ambiguous)
}

#[cfg(test)]
mod tests;
