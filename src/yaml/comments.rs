//! Where the comments of a YAML text are, as the YAML scanner sees them.
//!
//! yaml-rust2 skips comments without reporting them, so this module finds them itself, with the
//! scanner's help for the one thing a character scan cannot know: where quoted and block scalars
//! start. A `#` starts a comment when it begins a line or follows a space or tab, and is not inside
//! a quoted scalar (`"a #b"`, `'a #b'`, on one line or several) or a block scalar's content
//! (`|`/`>`: a `#` on a content line is text; a less-indented `#` line after the content is a
//! comment). A plain scalar cannot hold ` #` (YAML ends it there), in block and flow context alike,
//! so plain scalars need no tracking.
//!
//! The scanner gives the exact start of every quoted and block scalar up to the first scan error;
//! beyond it (a file argovet reports as invalid, or one that only loads with go-yaml's leniency
//! for under-indented quoted scalars, see `relax.rs`), quoted and block scalars are recognised by
//! what precedes them on their line: nothing, `-`, `?`, `:`, `[`, `{`, `,`, an anchor or a tag.

use super::LineIndex;
use yaml_rust2::scanner::{Scanner, TScalarStyle, Token, TokenType};

/// One comment: from its `#` to the end of its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comment {
    /// Byte offset of the `#`.
    pub start: usize,
    /// Byte offset of the end of the comment (its line break, or the end of the text).
    pub end: usize,
    /// Whether nothing but blanks precedes the comment on its line.
    pub own_line: bool,
}

/// Every comment of `src`, in order.
pub fn comments(src: &str) -> Vec<Comment> {
    let found = scan(src);
    Walk { src: src.as_bytes(), found: &found, out: Vec::new() }.run()
}

/// What the scanner tells about `src`.
struct Scanned {
    /// Byte offsets of the opening quotes of quoted scalars, with the quote.
    quoted: Vec<(usize, u8)>,
    /// Block scalars: the offset of the token before the header (`:`, a tag; a `-` entry is marked at what follows it), the offset of the content
    /// (the scanner's mark), and the indentation of the block collection holding the scalar (-1 at the top).
    blocks: Vec<(usize, usize, isize)>,
    /// Up to where these lists are complete: the last token read before a scan error, or the end of the text.
    exact_until: usize,
}

fn scan(src: &str) -> Scanned {
    let lines = LineIndex::new(src);
    let mut scanner = Scanner::new(src.chars());
    // The indentation of the open block collections (the scanner's `indent`): a sequence's is the column of its
    // first `-`, a mapping's the column of its first key (the mapping's own token is marked after that key).
    let mut indents: Vec<Option<isize>> = Vec::new();
    let mut found = Scanned { quoted: Vec::new(), blocks: Vec::new(), exact_until: src.len() };
    let (mut last, mut before) = (0, 0);
    for Token(mark, token) in &mut scanner {
        let at = lines.span(src, mark.line(), mark.col(), 0).offset;
        let col = mark.col() as isize;
        match token {
            TokenType::BlockMappingStart => indents.push(None),
            TokenType::BlockSequenceStart => indents.push(Some(col)),
            TokenType::Key => {
                if let Some(top @ None) = indents.last_mut() {
                    *top = Some(col);
                }
            }
            TokenType::BlockEnd => {
                indents.pop();
            }
            TokenType::Scalar(TScalarStyle::SingleQuoted, _) => found.quoted.push((at, b'\'')),
            TokenType::Scalar(TScalarStyle::DoubleQuoted, _) => found.quoted.push((at, b'"')),
            TokenType::Scalar(TScalarStyle::Literal | TScalarStyle::Folded, _) => {
                let parent = indents.iter().rev().find_map(|i| *i).unwrap_or(-1);
                found.blocks.push((before, at, parent));
            }
            _ => {}
        }
        // Tokens are not all in text order (a mapping's key comes after the mapping's start).
        last = last.max(at);
        before = at;
    }
    found.quoted.sort_unstable();
    if scanner.get_error().is_some() {
        found.exact_until = last;
    }
    found
}

/// A scalar whose content may hold a `#` that is not a comment.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// `'` or `"`.
    Quoted(u8),
    /// `|` or `>`, with the indentation of the block collection holding it (-1 at the top level).
    Block(isize),
}

struct Walk<'a> {
    src: &'a [u8],
    found: &'a Scanned,
    out: Vec<Comment>,
}

impl Walk<'_> {
    fn run(mut self) -> Vec<Comment> {
        let b = self.src;
        let (mut i, mut next_quoted, mut next_block) = (0, 0, 0);
        let found = self.found;
        let mut line_start = 0;
        // Whether the line has had anything but blanks before `i`, and whether the byte before `i` is a blank.
        let (mut content, mut after_blank) = (false, true);
        while i < b.len() {
            while found.quoted.get(next_quoted).is_some_and(|&(at, _)| at < i) {
                next_quoted += 1;
            }
            while found.blocks.get(next_block).is_some_and(|&(_, content, _)| content <= i) {
                next_block += 1;
            }
            let start = match (found.quoted.get(next_quoted), found.blocks.get(next_block)) {
                (Some(&(at, q)), _) if at == i => Some(Start::Quoted(q)),
                (_, Some(&(before, _, parent))) if before <= i && after_blank && matches!(b[i], b'|' | b'>') => {
                    Some(Start::Block(parent))
                }
                _ if i >= found.exact_until => self.guess(i, line_start),
                _ => None,
            };
            match start {
                Some(Start::Quoted(q)) => {
                    i = quoted_end(b, i, q);
                    line_start = b[..i].iter().rposition(|&c| c == b'\n' || c == b'\r').map_or(0, |p| p + 1);
                    (content, after_blank) = (true, false);
                    continue;
                }
                Some(Start::Block(parent)) => {
                    let eol = line_end(b, i);
                    let mut j = i + 1;
                    let mut increment = 0;
                    while j < eol && matches!(b[j], b'+' | b'-' | b'1'..=b'9') {
                        if b[j].is_ascii_digit() {
                            increment = (b[j] - b'0') as isize;
                        }
                        j += 1;
                    }
                    // The header line may end with a comment.
                    if let Some(h) = (j..eol).find(|&h| b[h] == b'#' && matches!(b[h - 1], b' ' | b'\t')) {
                        self.out.push(Comment { start: h, end: eol, own_line: false });
                    }
                    i = block_end(b, eol, parent, increment);
                    line_start = i;
                    (content, after_blank) = (false, true);
                    continue;
                }
                None => {}
            }
            match b[i] {
                b'\n' | b'\r' => {
                    i += if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                    line_start = i;
                    (content, after_blank) = (false, true);
                }
                b'#' if after_blank => {
                    let end = line_end(b, i);
                    self.out.push(Comment { start: i, end, own_line: !content });
                    i = end;
                }
                b' ' | b'\t' => {
                    after_blank = true;
                    i += 1;
                }
                _ => {
                    (content, after_blank) = (true, false);
                    i += 1;
                }
            }
        }
        self.out
    }

    /// Beyond the scanner's reach: whether a quoted or block scalar starts at `i`, judged by what precedes it.
    fn guess(&self, i: usize, line_start: usize) -> Option<Start> {
        let b = self.src;
        if !matches!(b[i], b'\'' | b'"' | b'|' | b'>') {
            return None;
        }
        let before = &b[line_start..i];
        let trimmed = before.iter().rposition(|&c| c != b' ' && c != b'\t').map(|p| &before[..=p]);
        let starts_node = match trimmed {
            None => true,
            Some(t) => {
                let last = t[t.len() - 1];
                let spaced = t.len() < before.len();
                let word = t.iter().rposition(|&c| c == b' ' || c == b'\t').map_or(t, |p| &t[p + 1..]);
                (spaced && matches!(last, b'-' | b'?' | b':'))
                    || (matches!(b[i], b'\'' | b'"') && matches!(last, b'[' | b'{' | b',' | b':'))
                    || (spaced && (word.starts_with(b"&") || word.starts_with(b"!")))
            }
        };
        if !starts_node {
            return None;
        }
        match b[i] {
            q @ (b'\'' | b'"') => Some(Start::Quoted(q)),
            _ => {
                // A block scalar header: indicators, then blanks, a comment or the end of the line.
                let eol = line_end(b, i);
                let rest = b[i + 1..eol].iter().skip_while(|c| matches!(c, b'+' | b'-' | b'1'..=b'9'));
                let mut rest = rest.skip_while(|c| matches!(c, b' ' | b'\t')).peekable();
                if rest.peek().is_some_and(|&&c| c != b'#') {
                    return None;
                }
                let indent = before.iter().take_while(|&&c| c == b' ').count() as isize;
                Some(Start::Block(indent))
            }
        }
    }
}

/// The offset just after the quoted scalar whose opening quote is at `i` (the end of the text if unclosed).
fn quoted_end(b: &[u8], i: usize, quote: u8) -> usize {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' if quote == b'"' => j += 2,
            b'\'' if quote == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 2,
            c if c == quote => return j + 1,
            _ => j += 1,
        }
    }
    b.len()
}

/// The offset of the line break ending the line that holds `i` (or the end of the text).
fn line_end(b: &[u8], i: usize) -> usize {
    b[i..].iter().position(|&c| c == b'\n' || c == b'\r').map_or(b.len(), |p| i + p)
}

/// The offset just after the line break at `eol` (or `eol` at the end of the text).
fn next_line(b: &[u8], eol: usize) -> usize {
    match b.get(eol) {
        Some(b'\r') if b.get(eol + 1) == Some(&b'\n') => eol + 2,
        Some(_) => eol + 1,
        None => eol,
    }
}

/// The start of the first line after a block scalar's content, the header line ending at `eol`, as yaml-rust2
/// (and the YAML spec) reads it: the content indentation is `parent + increment` with an indentation indicator,
/// otherwise the indentation of the first non-empty line (at least `parent + 1`); the content ends at the first
/// non-empty line indented less, or at a document marker.
fn block_end(b: &[u8], eol: usize, parent: isize, increment: isize) -> usize {
    let mut indent = if increment > 0 { if parent >= 0 { parent + increment } else { increment } } else { -1 };
    let mut i = next_line(b, eol);
    while i < b.len() {
        let spaces = b[i..].iter().take_while(|&&c| c == b' ').count();
        let end = line_end(b, i);
        let is_marker = spaces == 0
            && (b[i..end].starts_with(b"---") || b[i..end].starts_with(b"..."))
            && matches!(b.get(i + 3), None | Some(b' ' | b'\t' | b'\n' | b'\r'));
        if is_marker {
            return i;
        }
        if i + spaces == end {
            // An empty line (only spaces) belongs to the scalar whatever its indentation.
            i = next_line(b, end);
            continue;
        }
        if indent < 0 {
            indent = (spaces as isize).max(parent + 1);
            if parent > 0 {
                indent = indent.max(1);
            }
        }
        if (spaces as isize) < indent {
            return i;
        }
        i = next_line(b, end);
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of every comment of `src`, with `!` in front of those that share their line with content.
    fn texts(src: &str) -> Vec<String> {
        comments(src).iter().map(|c| format!("{}{}", if c.own_line { "" } else { "!" }, &src[c.start..c.end])).collect()
    }

    #[test]
    fn plain_comments_own_line_and_trailing() {
        let src = "# top\na: 1 # one\nb: x#y\n  # indented\nc: [1, 2] # flow\n";
        assert_eq!(texts(src), ["# top", "!# one", "# indented", "!# flow"]);
    }

    #[test]
    fn a_hash_inside_a_quoted_scalar_is_text() {
        let src = "a: \"x #argovet:ignore\"\nb: 'it''s #not' # real\nc: \"esc \\\" #no\" #yes\n";
        assert_eq!(texts(src), ["!# real", "!#yes"]);
    }

    #[test]
    fn multi_line_quoted_scalars() {
        let src = "a: \"one\n  #two\n  three\" # after\nb: 'x\n  # y'\n";
        assert_eq!(texts(src), ["!# after"]);
    }

    #[test]
    fn block_scalars_hold_hashes_and_end_at_less_indented_lines() {
        let src =
            "a: | # header\n  # content\n  text # content too\n\n # trailing comment\nb: >-\n    #x\n  #y\nc: 1\n";
        assert_eq!(texts(src), ["!# header", "# trailing comment", "#y"]);
    }

    #[test]
    fn block_scalar_with_an_indentation_indicator() {
        // Content indentation 2 (parent 0 + 2): the first line has 5 spaces, `  # b` is still content.
        let src = "k: |2\n     a\n  # b\n# c\n";
        assert_eq!(texts(src), ["# c"]);
        // In a nested mapping (parent 2): content from column 3.
        let src = "m:\n  k: >1\n     a\n   # b\n  # c\n";
        assert_eq!(texts(src), ["# c"]);
    }

    #[test]
    fn block_scalars_in_sequences_and_empty_block_scalars() {
        let src = "- |\n  #a\n# b\n- >\n- x # c\n";
        assert_eq!(texts(src), ["# b", "!# c"]);
    }

    #[test]
    fn block_scalar_headers_after_tags_comments_and_blank_lines() {
        let src = "k: # c\n  !!str | # h\n\n  t # not\nb: |\nc: 1 # d\n";
        assert_eq!(texts(src), ["!# c", "!# h", "!# d"]);
    }

    #[test]
    fn flow_context() {
        let src = "a: {k: \"v #1\", l: 'w #2', m: n} # 3\nb: [\n  x, # 4\n  \"#5\",\n]\n";
        assert_eq!(texts(src), ["!# 3", "!# 4"]);
    }

    #[test]
    fn a_plain_scalar_continuation_may_start_with_a_quote() {
        // `"bar` continues the plain scalar `foo`; the comment after it is a comment.
        let src = "key: foo\n  \"bar # c\n";
        assert_eq!(texts(src), ["!# c"]);
    }

    #[test]
    fn documents_markers_and_crlf() {
        let src = "--- # d\r\na: 1 # e\r\n... # f\r\n--- |\r\n #t\r\n--- # g\r\n";
        assert_eq!(texts(src), ["!# d", "!# e", "!# f", "!# g"]);
    }

    #[test]
    fn after_a_scan_error_quoted_scalars_are_recognised_by_position() {
        // The under-indented continuation is an error for yaml-rust2 (go-yaml accepts it).
        let src = "a:\n  - message: 'one #x\n  two' # y\n  - \"z #w\" # v\n";
        assert_eq!(texts(src), ["!# y", "!# v"]);
        // A file that does not scan at all.
        let src = "a: [\n  b: 'x #1' # 2\nc: |\n  #3\n# 4\n";
        assert_eq!(texts(src), ["!# 2", "# 4"]);
    }

    #[test]
    fn anchors_tags_and_keys() {
        let src = "a: &x \"#1\" # 2\nb: !!str '#3' # 4\n\"k #5\": v # 6\n? 'q #7'\n: v\n";
        assert_eq!(texts(src), ["!# 2", "!# 4", "!# 6"]);
    }

    /// The text with every comment found removed: it must load to the same values and issues, or a `#` that
    /// belongs to a scalar was taken for a comment.
    fn assert_stripping_changes_nothing(name: &str, src: &str) {
        let mut stripped = String::new();
        let mut at = 0;
        for c in comments(src) {
            assert_eq!(src.as_bytes()[c.start], b'#', "{name}: {c:?}");
            stripped.push_str(&src[at..c.start]);
            at = c.end;
        }
        stripped.push_str(&src[at..]);
        let limits = crate::yaml::Limits::default();
        let (a, b) = (crate::yaml::load(src, &limits), crate::yaml::load(&stripped, &limits));
        let values = |l: &crate::yaml::Loaded| l.docs.iter().map(|d| d.value.clone()).collect::<Vec<_>>();
        assert_eq!(values(&a), values(&b), "{name}: removing the comments changed the values");
        assert_eq!(a.issues.len(), b.issues.len(), "{name}");
    }

    #[test]
    fn removing_the_comments_of_the_fixtures_changes_no_value() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut seen = 0;
        for dir in ["examples", "tests/fixtures", "policies", "lua"] {
            for entry in walkdir::WalkDir::new(root.join(dir)).into_iter().filter_map(Result::ok) {
                let path = entry.path();
                if !matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
                    continue;
                }
                let Ok(text) = std::fs::read_to_string(path) else { continue };
                assert_stripping_changes_nothing(&path.display().to_string(), &text);
                seen += usize::from(!comments(&text).is_empty());
            }
        }
        assert!(seen >= 10, "only {seen} fixture files with comments");
        for src in [
            "a: \"x #1\" # 2\nb: 'y #3'\nc: |\n  #4\n  x # 5\n # 6\nd: [\"#7\", '#8'] # 9\n",
            "k: |2\n     a\n  # b\n# c\n",
            "- >-\n  # folded\n  text\n# after\n- 'multi\n  # line'\n",
            "a:\n  - message: 'one #x\n  two' # y\n",
            "key: foo\n  \"bar # c\n",
        ] {
            assert_stripping_changes_nothing(src, src);
        }
    }
}
