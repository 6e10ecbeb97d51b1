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
    let text = decode(bytes).map_err(|msg| fail("file-encoding", Severity::Warning, msg))?;
    Ok(SourceFile::new(name, text))
}

/// UTF-8 (BOM stripped) or UTF-16 with a BOM; anything with NUL bytes otherwise is binary.
pub fn decode(bytes: Vec<u8>) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (contains NUL bytes); skipped".into());
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
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            Err(format!(
                "not valid UTF-8 (first bad byte at offset {at}, line {line}); Kubernetes reads YAML as UTF-8; skipped"
            ))
        }
    }
}

fn utf16(rest: &[u8], f: fn([u8; 2]) -> u16) -> Result<String, String> {
    if !rest.len().is_multiple_of(2) {
        return Err("UTF-16 file with an odd number of bytes; skipped".into());
    }
    let units: Vec<u16> = rest.chunks_exact(2).map(|c| f([c[0], c[1]])).collect();
    String::from_utf16(&units).map_err(|_| "invalid UTF-16; skipped".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_utf16_and_refuses_binary() {
        assert_eq!(decode(b"\xEF\xBB\xBFa: 1".to_vec()).as_deref(), Ok("a: 1"));
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain("a: é".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode(le).as_deref(), Ok("a: é"));
        assert!(decode(b"a\0b".to_vec()).unwrap_err().contains("binary"));
        assert!(decode(b"a: \xff\n".to_vec()).unwrap_err().contains("UTF-8"));
    }
}
