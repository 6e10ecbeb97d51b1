//! A minimal DER writer and reader: just what Go's `crypto/x509` and `encoding/asn1` produce for
//! sprig's certificates and keys (tags, definite lengths, minimal integers, UTC/Generalized time).

/// Universal tags used here.
pub(crate) const BOOLEAN: u8 = 0x01;
pub(crate) const INTEGER: u8 = 0x02;
pub(crate) const BIT_STRING: u8 = 0x03;
pub(crate) const OCTET_STRING: u8 = 0x04;
pub(crate) const NULL: u8 = 0x05;
pub(crate) const OID: u8 = 0x06;
pub(crate) const UTF8_STRING: u8 = 0x0c;
pub(crate) const PRINTABLE_STRING: u8 = 0x13;
pub(crate) const UTC_TIME: u8 = 0x17;
pub(crate) const GENERALIZED_TIME: u8 = 0x18;
pub(crate) const SEQUENCE: u8 = 0x30;
pub(crate) const SET: u8 = 0x31;

/// Encodes one tag-length-value.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = n.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already-encoded elements.
pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(SEQUENCE, &parts.concat())
}

/// An INTEGER from an unsigned big-endian magnitude (leading zeros stripped, a zero byte added when
/// the high bit is set, as `asn1.Marshal` of a non-negative `*big.Int`).
pub(crate) fn uint(magnitude: &[u8]) -> Vec<u8> {
    let skip = magnitude.iter().take_while(|&&b| b == 0).count();
    let m = &magnitude[skip..];
    let mut content = Vec::with_capacity(m.len() + 1);
    if m.is_empty() || m[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(m);
    tlv(INTEGER, &content)
}

/// A BIT STRING whose bytes are all significant.
pub(crate) fn bit_string(bytes: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(bytes.len() + 1);
    content.push(0);
    content.extend_from_slice(bytes);
    tlv(BIT_STRING, &content)
}

/// An OBJECT IDENTIFIER from its encoded body.
pub(crate) fn oid(body: &[u8]) -> Vec<u8> {
    tlv(OID, body)
}

/// An explicitly tagged, constructed context-specific element `[n]`.
pub(crate) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

/// Civil date and time (UTC) of a Unix timestamp in seconds.
pub(crate) fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days_from_civil inverse.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (rem / 3600) as u32, (rem % 3600 / 60) as u32, (rem % 60) as u32)
}

/// A time as `encoding/asn1` writes it: UTCTime for 1950..2049, GeneralizedTime otherwise.
pub(crate) fn time(secs: i64) -> Result<Vec<u8>, String> {
    let (y, mo, d, h, mi, s) = civil(secs);
    if (1950..2050).contains(&y) {
        let body = format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100);
        Ok(tlv(UTC_TIME, body.as_bytes()))
    } else if (0..=9999).contains(&y) {
        let body = format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z");
        Ok(tlv(GENERALIZED_TIME, body.as_bytes()))
    } else {
        Err("asn1: cannot represent time as GeneralizedTime".into())
    }
}

/// A read cursor over DER elements.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
}

/// One element read: its tag, its content and its complete encoding.
pub(crate) struct Element<'a> {
    pub tag: u8,
    pub content: &'a [u8],
}

impl<'a> Reader<'a> {
    /// Reads the elements of `data`.
    pub(crate) fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    /// Whether everything was read.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The next element (single-byte tags, definite lengths).
    pub(crate) fn next(&mut self) -> Option<Element<'a>> {
        let d = self.data;
        let tag = *d.first()?;
        let first = *d.get(1)? as usize;
        let (len, hdr) = if first < 0x80 {
            (first, 2)
        } else {
            let n = first & 0x7f;
            if n == 0 || n > 4 {
                return None;
            }
            let mut len = 0usize;
            for i in 0..n {
                len = len << 8 | *d.get(2 + i)? as usize;
            }
            (len, 2 + n)
        };
        let end = hdr.checked_add(len)?;
        if end > d.len() {
            return None;
        }
        self.data = &d[end..];
        Some(Element { tag, content: &d[hdr..end] })
    }

    /// The next element, which must have `tag`.
    pub(crate) fn take_tag(&mut self, tag: u8) -> Option<&'a [u8]> {
        let e = self.next()?;
        (e.tag == tag).then_some(e.content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_lengths_integers_and_times() {
        assert_eq!(tlv(OCTET_STRING, &[1, 2]), vec![4, 2, 1, 2]);
        assert_eq!(&tlv(OCTET_STRING, &[0; 200])[..3], &[4, 0x81, 200]);
        assert_eq!(&tlv(OCTET_STRING, &[0; 300])[..4], &[4, 0x82, 1, 44]);
        assert_eq!(uint(&[0, 0, 0x7f]), vec![2, 1, 0x7f]);
        assert_eq!(uint(&[0x80]), vec![2, 2, 0, 0x80]);
        assert_eq!(uint(&[]), vec![2, 1, 0]);
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(civil(-1), (1969, 12, 31, 23, 59, 59));
        assert_eq!(time(0).unwrap(), tlv(UTC_TIME, b"700101000000Z"));
        assert_eq!(time(-631_152_001).unwrap(), tlv(GENERALIZED_TIME, b"19491231235959Z"));
        assert_eq!(time(2_524_608_000).unwrap(), tlv(GENERALIZED_TIME, b"20500101000000Z"));
        assert_eq!(time(2_524_607_999).unwrap(), tlv(UTC_TIME, b"491231235959Z"));
    }

    #[test]
    fn reads_what_it_writes() {
        let s = seq(&[&uint(&[5]), &tlv(OCTET_STRING, &[0; 300])]);
        let mut r = Reader::new(&s);
        let body = r.take_tag(SEQUENCE).unwrap();
        assert!(r.is_empty());
        let mut r = Reader::new(body);
        assert_eq!(r.take_tag(INTEGER).unwrap(), &[5]);
        assert_eq!(r.take_tag(OCTET_STRING).unwrap().len(), 300);
        assert!(r.next().is_none());
        assert!(Reader::new(&[0x30, 0x85, 1, 1, 1, 1, 1]).next().is_none());
        assert!(Reader::new(&[0x30, 5, 1]).next().is_none());
    }
}
