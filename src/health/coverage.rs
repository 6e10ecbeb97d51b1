//! Line coverage: which lines of a script hold code (read from its Lua 5.1 bytecode's line info, for
//! every nested function), and a report of which of them the tests ran.

use std::collections::BTreeSet;

/// The lines that hold at least one VM instruction, read from a Lua 5.1 bytecode dump made without
/// stripping debug information. Returns an empty set for anything it cannot parse.
pub fn executable_lines(bytecode: &[u8]) -> BTreeSet<u32> {
    let mut lines = BTreeSet::new();
    let mut r = Reader { b: bytecode, pos: 0, int_size: 4, size_t: 8, little: true };
    if r.header().is_some() {
        let _ = r.function(&mut lines, 0);
    }
    lines
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    int_size: usize,
    size_t: usize,
    little: bool,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        let s = self.b.get(self.pos..end)?;
        self.pos = end;
        Some(s)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|s| s[0])
    }

    fn uint(&mut self, size: usize) -> Option<u64> {
        let little = self.little;
        let s = self.take(size)?;
        let mut v: u64 = 0;
        if little {
            for &b in s.iter().rev() {
                v = (v << 8) | u64::from(b);
            }
        } else {
            for &b in s {
                v = (v << 8) | u64::from(b);
            }
        }
        Some(v)
    }

    fn int(&mut self) -> Option<u64> {
        self.uint(self.int_size)
    }

    fn count(&mut self) -> Option<usize> {
        let n = self.int()? as usize;
        // A count larger than the rest of the input is corrupt.
        (n <= self.b.len()).then_some(n)
    }

    fn string(&mut self) -> Option<()> {
        let n = self.uint(self.size_t)? as usize;
        self.take(n).map(|_| ())
    }

    fn header(&mut self) -> Option<()> {
        let h: [u8; 12] = self.take(12)?.try_into().ok()?;
        if &h[..4] != b"\x1bLua" || h[4] != 0x51 {
            return None;
        }
        self.little = h[6] == 1;
        self.int_size = usize::from(h[7]);
        self.size_t = usize::from(h[8]);
        (h[9] == 4 && h[10] == 8).then_some(())
    }

    fn function(&mut self, lines: &mut BTreeSet<u32>, depth: usize) -> Option<()> {
        if depth > 200 {
            return None;
        }
        self.string()?; // source
        self.int()?; // linedefined
        self.int()?; // lastlinedefined
        self.take(4)?; // nups, numparams, is_vararg, maxstacksize
        let code = self.count()?;
        self.take(code.checked_mul(4)?)?;
        let constants = self.count()?;
        for _ in 0..constants {
            match self.byte()? {
                0 => {}
                1 => {
                    self.byte()?;
                }
                3 => {
                    self.take(8)?;
                }
                4 => self.string()?,
                _ => return None,
            }
        }
        let protos = self.count()?;
        for _ in 0..protos {
            self.function(lines, depth + 1)?;
        }
        let lineinfo = self.count()?;
        for _ in 0..lineinfo {
            let l = self.int()? as u32;
            if l > 0 {
                lines.insert(l);
            }
        }
        let locvars = self.count()?;
        for _ in 0..locvars {
            self.string()?;
            self.int()?;
            self.int()?;
        }
        let upvalues = self.count()?;
        for _ in 0..upvalues {
            self.string()?;
        }
        Some(())
    }
}

/// Runs of consecutive line numbers, as text: `3, 7-9, 12`.
pub fn ranges(lines: &BTreeSet<u32>) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut iter = lines.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        out.push(if start == end { start.to_string() } else { format!("{start}-{end}") });
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::sandbox::Script;

    #[test]
    fn finds_lines_of_nested_functions_and_skips_comments() {
        let src = "-- comment\nlocal function f(x)\n  return x + 1\nend\n\nlocal y = f(1)\nif y > 1 then\n  y = 0\nend\nreturn {status = 'Healthy'}\n";
        let s = Script::compile("t.lua", src).unwrap();
        let lines: Vec<u32> = s.lines.iter().copied().collect();
        assert!(lines.contains(&3), "{lines:?}");
        assert!(lines.contains(&8));
        assert!(!lines.contains(&1));
        assert!(!lines.contains(&5));
    }

    #[test]
    fn ranges_compress_runs() {
        let set: BTreeSet<u32> = [1, 2, 3, 7, 9, 10].into_iter().collect();
        assert_eq!(ranges(&set), "1-3, 7, 9-10");
        assert_eq!(executable_lines(b"garbage"), BTreeSet::new());
    }
}
