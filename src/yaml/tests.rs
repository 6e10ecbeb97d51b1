use super::*;
use serde_json::json;

fn ld(src: &str) -> Loaded {
    load(src, &Limits::default())
}

#[test]
fn loads_multiple_documents_with_positions() {
    let l = ld("a: 1\n---\nkind: App\nspec:\n  x: [1, \"two\"]\n---\n");
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    assert_eq!(l.docs.len(), 2);
    assert_eq!(l.docs[1].index, 1);
    assert_eq!(l.docs[1].value, json!({"kind": "App", "spec": {"x": [1, "two"]}}));
    let s = l.docs[1].map.span("/spec/x/1");
    assert_eq!((s.line, s.column), (5, 10));
    let k = l.docs[1].map.key_span("/spec/x");
    assert_eq!((k.line, k.column), (5, 3));
    // A missing node is reported at its nearest ancestor.
    let m = l.docs[1].map.span("/spec/nope/deeper");
    assert_eq!((m.line, m.column), (5, 3));
}

#[test]
fn columns_count_characters_and_offsets_bytes() {
    let src = "a: é\nb: x\n";
    let l = ld(src);
    let s = l.docs[0].map.span("/b");
    assert_eq!((s.line, s.column), (2, 4));
    assert_eq!(&src[s.offset..s.offset + s.len], "x");
}

#[test]
fn crlf_line_endings_keep_columns() {
    let src = "a: 1\r\nb:\r\n  c: x\r\n";
    let l = ld(src);
    let s = l.docs[0].map.span("/b/c");
    assert_eq!((s.line, s.column), (3, 6));
    assert_eq!(&src[s.offset..s.offset + s.len], "x");
}

#[test]
fn lone_cr_ends_a_line_as_the_parser_counts_it() {
    // Found by the `yaml` fuzz target: the parser ends a line at a lone `\r`, the line index did not, so
    // spans after it had a line/column that disagreed with their offset (and an offset computed from the
    // wrong line when positions were looked up backwards).
    let src = "a: 1\rb: x\r\nc: [y]\n";
    let l = ld(src);
    let s = l.docs[0].map.span("/b");
    assert_eq!((s.line, s.column), (2, 4));
    assert_eq!(&src[s.offset..s.offset + s.len], "x");
    let c = l.docs[0].map.span("/c/0");
    assert_eq!((c.line, c.column), (3, 5));
    assert_eq!(&src[c.offset..c.offset + c.len], "y");
    let lines = LineIndex::new(src);
    assert_eq!(lines.line_text(src, 1), "a: 1");
    assert_eq!(lines.line_text(src, 2), "b: x");
    assert_eq!(lines.span_of_offset(src, s.offset, 0).line, 2);
    assert_eq!(lines.line_end(src, 2), 9);
    // A syntax error after a lone `\r` is reported on the line the offset is on.
    let bad = "a: 1\r\nb: 2\r--\r-\n- x\n";
    let e = &ld(bad).issues[0];
    let at = LineIndex::new(bad).span_of_offset(bad, e.span.offset, 0);
    assert_eq!((at.line, at.column), (e.span.line, e.span.column), "{e:?}");
}

#[test]
fn quoted_scalar_spans_end_on_a_character_boundary() {
    // Found by the `yaml` fuzz target: a quoted scalar's span length comes from its decoded text, which
    // escapes make shorter than the source, so the span could end inside `é`.
    let src = "x: \"\\\\\\\\é\"\n";
    let s = ld(src).docs[0].map.span("/x");
    assert!(src.is_char_boundary(s.offset + s.len), "{s:?}");
    assert_eq!(src.get(s.offset..s.offset + s.len), Some("\"\\\\\\\\"));
}

#[test]
fn error_at_a_nul_byte_has_consistent_position() {
    // Found by the `yaml` fuzz target: the parser marks an error at a NUL byte on the next line, column 1,
    // while its index points at the NUL; offset and line/column must agree.
    let src = "w: 1\n/!\0a\n";
    let e = &ld(src).issues[0];
    assert_eq!(e.kind, IssueKind::Syntax);
    let at = LineIndex::new(src).span_of_offset(src, e.span.offset, 0);
    assert_eq!((at.line, at.column), (e.span.line, e.span.column), "{e:?}");
}

#[test]
fn spans_after_a_block_scalar_with_multibyte_text_are_right() {
    // Found by the `yaml` fuzz target: yaml-rust2 adds a block scalar line's bytes to its character
    // index, so index-based offsets after `ié` ran one byte ahead for the rest of the file.
    let src = "c: |\n ié\nd: x\ne: [y]\n";
    let l = ld(src);
    let k = l.docs[0].map.key_span("/d");
    assert_eq!((k.offset, k.line, k.column), (10, 3, 1));
    let y = l.docs[0].map.span("/e/0");
    assert_eq!(&src[y.offset..y.offset + y.len], "y");
}

#[test]
fn syntax_error_has_position() {
    let l = ld("a: 1\nb:\n  c: 2\n  - d\n");
    assert_eq!(l.issues.len(), 1);
    assert_eq!(l.issues[0].kind, IssueKind::Syntax);
    assert_eq!(l.issues[0].span.line, 4);
}

#[test]
fn duplicate_keys_are_reported_at_the_second() {
    let l = ld("a: 1\nb: 2\na: 3\n");
    assert_eq!(l.issues.len(), 1);
    assert_eq!(l.issues[0].kind, IssueKind::DuplicateKey);
    assert_eq!(l.issues[0].span.line, 3);
    assert_eq!(l.docs[0].value, json!({"b": 2, "a": 3}));
}

#[test]
fn unquoted_template_is_reported() {
    let l = ld("name: {{cluster}}\nlist:\n- {{values}}\nok: '{{x}}'\n");
    let kinds: Vec<_> = l.issues.iter().map(|i| (i.kind, i.span.line)).collect();
    assert_eq!(kinds, vec![(IssueKind::UnquotedTemplate, 1), (IssueKind::UnquotedTemplate, 3)]);
    assert!(l.issues[0].message.contains("{{cluster}}"), "{}", l.issues[0].message);
    assert_eq!(l.docs[0].value["ok"], json!("{{x}}"));
}

#[test]
fn unquoted_template_with_suffix_is_a_syntax_error_with_help() {
    let l = ld("name: {{cluster}}-app # comment\n");
    assert_eq!(l.issues[0].kind, IssueKind::UnquotedTemplate);
    assert_eq!(l.issues[0].help.as_deref(), Some("quote it: '{{cluster}}-app'"));
    assert_eq!(l.issues.len(), 1, "the syntax error it causes is not reported twice");
    let l = ld("a: 1\nname: {{a\n");
    assert_eq!(l.issues[0].kind, IssueKind::Syntax);
}

#[test]
fn alias_bomb_is_refused() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        src.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let l = ld(&src);
    assert!(l.issues.iter().any(|i| i.kind == IssueKind::AliasBomb), "{:?}", l.issues);
    assert!(l.docs.is_empty());
}

#[test]
fn small_aliases_and_merge_keys_work() {
    let l = ld("base: &b {a: 1, b: 2}\nd:\n  <<: *b\n  b: 3\nl: *b\n");
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    assert_eq!(l.docs[0].value["d"], json!({"b": 3, "a": 1}));
    assert_eq!(l.docs[0].value["l"], json!({"a": 1, "b": 2}));
}

#[test]
fn yaml11_boolean_keys_become_true_and_false() {
    // sigs.k8s.io/yaml turns the boolean key `y` into "true", as the cluster sees it.
    let l = ld("y: 1\non: 2\n");
    assert_eq!(l.docs[0].value, json!({"true": 2}));
}

#[test]
fn deep_nesting_is_refused() {
    let src = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
    let l = ld(&src);
    assert!(l.issues.iter().any(|i| i.kind == IssueKind::TooDeep), "{:?}", l.issues);
}

#[test]
fn raising_max_depth_stops_at_the_ceiling_and_flow_depth_is_named_for_what_it_is() {
    let limits = Limits { max_depth: 20_000, ..Limits::default() };
    let block = format!("{}1\n", "- ".repeat(10_000));
    let l = load(&block, &limits);
    assert_eq!(l.issues.len(), 1, "{:?}", l.issues);
    assert_eq!(l.issues[0].kind, IssueKind::TooDeep);
    assert!(l.issues[0].message.contains("deeper than 512 levels"), "{}", l.issues[0].message);
    assert!(l.issues[0].help.as_deref().unwrap_or("").contains("ceiling"));
    // Just under the ceiling loads.
    let ok = format!("{}1\n", "- ".repeat(MAX_DEPTH_CEILING - 1));
    assert!(load(&ok, &limits).issues.is_empty());
    // Flow nesting is the parser's own limit, not --max-depth.
    let flow = format!("{}1{}", "{a: ".repeat(300), "}".repeat(300));
    let l = load(&flow, &limits);
    assert_eq!(l.issues[0].kind, IssueKind::TooDeep);
    assert!(l.issues[0].message.contains("flow collections"), "{}", l.issues[0].message);
    assert!(l.issues[0].message.contains("255"), "{}", l.issues[0].message);
}

#[test]
fn ambiguous_scalars_are_marked() {
    let l = ld("a: yes\nb: 'yes'\nc: 0755\n");
    let amb = |p: &str| matches!(l.docs[0].map.node(p), Some(Node::Scalar { ambiguous: true, .. }));
    assert!(amb("/a"));
    assert!(!amb("/b"));
    assert!(amb("/c"));
    assert_eq!(l.docs[0].value, json!({"a": true, "b": "yes", "c": 493}));
}

#[test]
fn tags_are_honoured() {
    let l = ld("a: !!str 123\nb: !!int '5'\n");
    assert_eq!(l.docs[0].value, json!({"a": "123", "b": 5}));
}

#[test]
fn empty_documents_are_skipped() {
    let l = ld("---\n---\na: 1\n---\n");
    assert_eq!(l.docs.len(), 1);
    assert_eq!(l.docs[0].index, 1);
}

#[test]
fn long_single_lines_load_in_linear_time() {
    // 200,000 flow items on one line: quadratic position handling would take minutes.
    let items: Vec<String> = (0..200_000).map(|i| format!("\"v{i}\"")).collect();
    let src = format!("a: [{}]\nb: é\n", items.join(", "));
    let l = ld(&src);
    assert!(l.issues.is_empty());
    assert_eq!(l.docs[0].value["a"].as_array().map(Vec::len), Some(200_000));
    let s = l.docs[0].map.span("/a/199999");
    assert_eq!(&src[s.offset..s.offset + s.len], "\"v199999\"");
    let b = l.docs[0].map.span("/b");
    assert_eq!((b.line, b.column, &src[b.offset..b.offset + b.len]), (2, 4, "é"));
}

// Values measured with go-yaml v2 (gopkg.in/yaml.v2, as Kubernetes and Argo CD read YAML), which does
// not check the indentation of a quoted scalar's continuation lines.
#[test]
fn quoted_scalars_may_continue_left_of_their_mapping_like_go_yaml() {
    let cases: &[(&str, serde_json::Value)] = &[
        ("a: 'x\ny'\n", json!({"a": "x y"})),
        ("a:\n  m: 'x\n  y'\n", json!({"a": {"m": "x y"}})),
        ("a:\n  - m: \"x\n y\"\n  - n\n", json!({"a": [{"m": "x y"}, false]})),
        ("a:\n  m: 'x\n\n y'\n  k: 1\n", json!({"a": {"m": "x\ny", "k": 1}})),
        ("a:\n  b: 'x\n  y'  # c\n  c: 2\n", json!({"a": {"b": "x y", "c": 2}})),
        ("a:\n  b: 'it''s\n  x'\n  c: \"q\\\"\n  r\"\n", json!({"a": {"b": "it's x", "c": "q\" r"}})),
    ];
    for (src, want) in cases {
        let l = ld(src);
        assert!(l.issues.is_empty(), "{src:?}: {:?}", l.issues);
        assert_eq!(&l.docs[0].value, want, "{src:?}");
    }
}

#[test]
fn re_indented_quoted_scalars_keep_original_positions() {
    let src = "a:\n  - m: 'é\n    y'\n    k: [1, 'p\n  q', z]\n  - two\nb: end\n";
    let l = ld(src);
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    for (pointer, text, line, column) in
        [("/a/0/m", "'é", 2, 8), ("/a/0/k/2", "z", 5, 7), ("/a/1", "two", 6, 5), ("/b", "end", 7, 4)]
    {
        let s = l.docs[0].map.span(pointer);
        assert_eq!((s.line, s.column), (line, column), "{pointer}");
        assert_eq!(&src[s.offset..s.offset + text.len()], text, "{pointer}");
    }
    let k = l.docs[0].map.key_span("/b");
    assert_eq!((k.line, k.column, &src[k.offset..k.offset + 1]), (7, 1, "b"));
}

#[test]
fn errors_after_a_re_indented_scalar_point_at_the_original_text() {
    let src = "a:\n  m: 'x\n  y'\n  k: 1\n  k: 2\n";
    let l = ld(src);
    assert_eq!(l.issues.len(), 1, "{:?}", l.issues);
    assert_eq!(l.issues[0].kind, IssueKind::DuplicateKey);
    assert_eq!((l.issues[0].span.line, l.issues[0].span.column), (5, 3));
    assert_eq!(&src[l.issues[0].span.offset..l.issues[0].span.offset + 1], "k");
    // A document marker inside a quoted scalar stays an error, as in go-yaml.
    let l = ld("a:\n  b: 'x\n---\n'\n");
    assert_eq!(l.issues[0].kind, IssueKind::Syntax);
}

/// Found by the yaml fuzz target: an error whose mark lies past the end of the text kept the mark's
/// column while its offset was the end of the text.
#[test]
fn error_past_the_end_of_the_text_has_consistent_position() {
    let bytes: &[u8] =
        b"%YAML 1.1\n---\nint: 0\n \xff\xff\xff\xff}, [d, efff\\uke):!\r\n 11F\n|\n \xff\xff\xff\xff\xefyne\xec  l)i";
    let src = String::from_utf8_lossy(bytes);
    let l = ld(&src);
    assert!(!l.issues.is_empty());
    let lines = LineIndex::new(&src);
    for issue in &l.issues {
        let at = lines.span_of_offset(&src, issue.span.offset, 0);
        assert_eq!((issue.span.line, issue.span.column), (at.line, at.column), "{issue:?}");
    }
}

/// Found by the yaml fuzz target: a syntax error after quoted scalars that span lone CRs was
/// reported at a column that disagreed with its offset.
#[test]
fn error_after_quoted_scalars_across_lone_crs_has_consistent_position() {
    let bytes: &[u8] =
        b"\xef\xbb,\xbfk\xe59:\r \"x \n: \"x\\ty\"\rc :\r \n:[\xe5\xe5\xe5\xe5\xe5\xe5\xe5}, 9:\r \n: \"x\\\x84\xe5";
    let src = String::from_utf8_lossy(bytes);
    let l = load(&src, &Limits { max_depth: 48, max_alias_nodes: 2_000 });
    assert!(!l.issues.is_empty());
    let lines = LineIndex::new(&src);
    for issue in &l.issues {
        let at = lines.span_of_offset(&src, issue.span.offset, 0);
        assert_eq!((issue.span.line, issue.span.column), (at.line, at.column), "{issue:?} in {src:?}");
    }
}

#[test]
fn line_starts_are_after_each_newline_and_each_lone_cr() {
    // Every string of up to six characters over `\r`, `\n` and `a`, against the definition.
    let mut texts = vec![String::new()];
    for _ in 0..6 {
        let longer: Vec<String> = texts.iter().flat_map(|t| ['\r', '\n', 'a'].map(|c| format!("{t}{c}"))).collect();
        texts.extend(longer);
    }
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 1093);
    for text in &texts {
        let b = text.as_bytes();
        let mut expected = vec![0];
        expected.extend(
            (0..b.len()).filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n'))).map(|i| i + 1),
        );
        let lines = LineIndex::new(text);
        let got: Vec<u32> = (0..=b.len()).map(|o| lines.line_of(o)).collect();
        let want: Vec<u32> = (0..=b.len()).map(|o| expected.partition_point(|&s| s <= o).max(1) as u32).collect();
        assert_eq!(got, want, "{text:?}");
    }
}
