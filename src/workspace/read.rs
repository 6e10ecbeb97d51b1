//! Reading one file safely: size limit, binary and encoding detection, BOM handling.

use super::display_path;
use crate::model::SourceFile;
use crate::report::{Finding, Severity, Span};
use std::io::Read;
use std::path::Path;

/// Bounds on what is read.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Files larger than this many bytes are skipped with a warning.
    pub max_file_size: u64,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits { max_file_size: 10 * 1024 * 1024 }
    }
}

/// Reads and decodes a file. Problems become a finding instead of the file.
pub fn read_source(path: &Path, limits: &ReadLimits) -> Result<SourceFile, Box<Finding>> {
    let name = display_path(path);
    let fail = |rule: &str, sev, msg: String| {
        Box::new(Finding::new(rule, sev, name.clone().into(), Span { offset: 0, len: 0, line: 1, column: 1 }, msg))
    };
    let meta =
        std::fs::metadata(path).map_err(|e| fail("file-unreadable", Severity::Error, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(fail("file-unreadable", Severity::Error, "is a directory, not a file; skipped".into()));
    }
    if !meta.is_file() {
        return Err(fail(
            "file-unreadable",
            Severity::Error,
            "not a regular file (a FIFO, socket or device); skipped".into(),
        ));
    }
    if meta.len() > limits.max_file_size {
        return Err(fail(
            "file-too-large",
            Severity::Warning,
            format!(
                "{} bytes, over the {} byte limit; skipped (raise it with --max-file-size)",
                meta.len(),
                limits.max_file_size
            ),
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limits.max_file_size + 1).read_to_end(&mut bytes))
        .map_err(|e| fail("file-unreadable", Severity::Error, format!("cannot read: {e}")))?;
    let text = decode(bytes).map_err(|e| {
        let span = Span { offset: e.offset, len: e.len, line: e.line, column: e.column };
        let finding = Finding::new("file-encoding", Severity::Error, name.clone().into(), span, e.message);
        Box::new(finding.with_help(e.help))
    })?;
    Ok(SourceFile::new(name, text))
}

/// Why a file's bytes are not text Argo CD can read, and where the first offending byte is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// What is wrong, with the byte offset.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Byte offset in the file (a byte-order mark included) of the first invalid sequence.
    pub offset: usize,
    /// Its length in bytes (0 when the file ends inside a sequence).
    pub len: usize,
    /// 1-based line of that offset.
    pub line: u32,
    /// 1-based column (in characters of the valid text before it).
    pub column: u32,
}

impl DecodeError {
    /// An error at byte `offset` of the file, `valid` being the text decoded before it.
    fn at(offset: usize, len: usize, valid: &str, message: String, help: &str) -> DecodeError {
        let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
        let mut line = 1;
        let mut line_start = 0;
        let bytes = valid.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                line += 1;
                line_start = i + 1;
            }
        }
        let column = valid[line_start..].chars().count() as u32 + 1;
        DecodeError { message, help: help.into(), offset, len, line, column }
    }
}

const UTF8_HELP: &str = "save the file as UTF-8 (for a Latin-1 file: `iconv -f latin1 -t utf-8`)";

/// UTF-8 (BOM stripped) or UTF-16 with a BOM, as go-yaml (which Argo CD uses) reads YAML; anything with NUL
/// bytes otherwise is binary. Anything else is an error: Argo CD cannot load the file.
pub fn decode(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes, "LE");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes, "BE");
    }
    if let Some(nul) = bytes.iter().take(8192).position(|&b| b == 0) {
        let valid = std::str::from_utf8(&bytes[..nul]).unwrap_or("");
        let message = format!("binary file (a NUL byte at offset {nul}), not YAML text; skipped");
        return Err(DecodeError::at(
            nul,
            1,
            valid,
            message,
            "remove it, or give it an extension other than .yaml/.yml",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bad_len = e.utf8_error().error_len();
            let bytes = e.as_bytes();
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or("");
            let what = match bad_len {
                Some(n) => {
                    let hex: Vec<String> = bytes[at..at + n].iter().map(|b| format!("0x{b:02X}")).collect();
                    format!(
                        "the byte{} {} at offset {at} {} no UTF-8 sequence",
                        if n == 1 { "" } else { "s" },
                        hex.join(" "),
                        if n == 1 { "starts" } else { "form" }
                    )
                }
                None => format!("the file ends inside a UTF-8 sequence (at offset {at})"),
            };
            let message = format!("not UTF-8: {what}; Argo CD reads YAML as UTF-8 and cannot load this file; skipped");
            Err(DecodeError::at(at, bad_len.unwrap_or(0), valid, message, UTF8_HELP))
        }
    }
}

fn utf16(rest: &[u8], f: fn([u8; 2]) -> u16, order: &str) -> Result<String, DecodeError> {
    let units: Vec<u16> = rest.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
    let mut text = String::new();
    for unit in char::decode_utf16(units.iter().copied()) {
        match unit {
            Ok(c) => text.push(c),
            Err(e) => {
                // The offset of the unpaired surrogate: units before it, each 2 bytes, after the 2-byte BOM.
                let before: usize = text.chars().map(char::len_utf16).sum();
                let offset = 2 + 2 * before;
                let message = format!(
                    "not valid UTF-16{order}: the unpaired surrogate 0x{:04X} at offset {offset}; Argo CD cannot load \
                     this file; skipped",
                    e.unpaired_surrogate()
                );
                return Err(DecodeError::at(offset, 2, &text, message, UTF8_HELP));
            }
        }
    }
    if !rest.len().is_multiple_of(2) {
        let offset = 2 + rest.len() - 1;
        let message =
            format!("not valid UTF-16{order}: an odd number of bytes, the last one at offset {offset}; skipped");
        return Err(DecodeError::at(offset, 1, &text, message, UTF8_HELP));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_utf16_and_refuses_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).as_deref(), Ok("a: 1"));
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("a: é".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(le).as_deref(), Ok("a: é"));
        let binary = decode(b"a\0b".to_vec()).unwrap_err();
        assert!(binary.message.contains("NUL byte at offset 1"), "{binary:?}");
        assert_eq!((binary.offset, binary.line, binary.column), (1, 1, 2));
    }

    #[test]
    fn invalid_utf8_is_located_by_byte_offset_line_and_column() {
        let e = decode(b"a: 1\nname: caf\xe9\n".to_vec()).unwrap_err();
        assert_eq!(
            e.message,
            "not UTF-8: the byte 0xE9 at offset 14 starts no UTF-8 sequence; Argo CD reads YAML as UTF-8 and cannot \
             load this file; skipped"
        );
        assert_eq!((e.offset, e.len, e.line, e.column), (14, 1, 2, 10));
        // A BOM counts in the offset, not in the column; a sequence cut by the end of the file has no length.
        let e = decode(b"\xEF\xBB\xBFk: \xE2\x82".to_vec()).unwrap_err();
        assert_eq!((e.offset, e.len, e.line, e.column), (6, 0, 1, 4));
        assert!(e.message.contains("ends inside a UTF-8 sequence (at offset 6)"), "{}", e.message);
        // 0xC0 is never a lead byte; `\r\n` and a lone `\r` both end a line, as the YAML parser counts them.
        let e = decode(b"x\r\ny\rz: \xC0\x80".to_vec()).unwrap_err();
        assert_eq!((e.offset, e.len, e.line, e.column), (8, 1, 3, 4));
    }

    #[test]
    fn invalid_utf16_is_an_error_with_its_offset() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("a: ".encode_utf16().flat_map(u16::to_le_bytes));
        le.extend(0xDC00u16.to_le_bytes());
        let e = decode(le.clone()).unwrap_err();
        assert_eq!((e.offset, e.line, e.column), (8, 1, 4));
        assert!(e.message.contains("unpaired surrogate 0xDC00 at offset 8"), "{}", e.message);
        le.truncate(8);
        le.push(b'x');
        let e = decode(le).unwrap_err();
        assert!(e.message.contains("odd number of bytes, the last one at offset 8"), "{}", e.message);
    }
}
