//! XML 1.0 escaping for text and attribute values, correct for any Rust string.
//!
//! Markup characters become entity references. Characters XML 1.0 cannot carry at all, not even as character
//! references (C0 controls other than tab, line feed and carriage return, and U+FFFE/U+FFFF), are written as a
//! visible `\u{..}` escape so the message stays readable and the document stays well-formed. In attribute
//! values, tab, line feed and carriage return become character references, since an XML parser would
//! otherwise normalise them to spaces.

/// Appends `s` to `out` as escaped character data (element content).
pub fn text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Appends `s` to `out` as an escaped attribute value (to be placed between double quotes).
pub fn attr(out: &mut String, s: &str) {
    escape(out, s, true);
}

fn escape(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> String {
        let mut out = String::new();
        text(&mut out, s);
        out
    }

    fn a(s: &str) -> String {
        let mut out = String::new();
        attr(&mut out, s);
        out
    }

    #[test]
    fn escapes_markup_in_text_and_quotes_in_attributes() {
        assert_eq!(t("a<b & c>\"d'"), "a&lt;b &amp; c&gt;\"d'");
        assert_eq!(a("a<b & c>\"d'"), "a&lt;b &amp; c&gt;&quot;d&apos;");
    }

    #[test]
    fn keeps_line_breaks_in_text_and_encodes_them_in_attributes() {
        assert_eq!(t("x\ny\tz\r"), "x\ny\tz&#13;");
        assert_eq!(a("x\ny\tz\r"), "x&#10;y&#9;z&#13;");
    }

    #[test]
    fn makes_characters_xml_cannot_carry_visible() {
        assert_eq!(t("nul\0bell\u{7}\u{ffff}"), "nul\\u{0}bell\\u{7}\\u{ffff}");
        assert_eq!(t("é ✓ \u{1F600}"), "é ✓ \u{1F600}");
    }
}
