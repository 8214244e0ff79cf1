//! Making untrusted text and our own SVG safe to put in the HTML report:
//! text is escaped (and NFC-normalised) wherever it comes from; chart SVG
//! loses its XML prolog and namespace URLs so the page names no URL at all.

use crate::i18n::nfc;

/// Escape text for HTML content and attribute values. "://" is broken up
/// with a character reference so that no text reads as a link.
pub(crate) fn esc(s: &str) -> String {
    let s = nfc(s);
    let mut out = String::with_capacity(s.len() + 8);
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\0' => out.push('\u{FFFD}'),
            _ => out.push(ch),
        }
    }
    if out.contains("://") {
        out = out.replace("://", ":&#47;&#47;");
    }
    out
}

/// Our chart SVG, ready to sit inside HTML: without an XML prolog or
/// doctype, and without namespace declarations (the HTML parser supplies
/// them), which are the only URLs such markup carries.
pub(crate) fn inline_svg(svg: &str) -> String {
    let mut s = svg.trim_start();
    loop {
        if s.starts_with("<?") {
            s = s.find("?>").map_or("", |i| &s[i + 2..]).trim_start();
        } else if s
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("<!doctype"))
        {
            s = s.find('>').map_or("", |i| &s[i + 1..]).trim_start();
        } else {
            break;
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("xmlns") {
        let (before, after) = rest.split_at(i);
        let spaced = before.ends_with(|c: char| c.is_ascii_whitespace());
        match namespace_attr_len(after) {
            Some(len) if spaced => {
                out.push_str(before.trim_end_matches(|c: char| c.is_ascii_whitespace()));
                rest = &after[len..];
            }
            _ => {
                out.push_str(before);
                out.push_str("xmlns");
                rest = &after[5..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Length of `xmlns[:prefix]="http…"` at the start of `s`, if it is one.
fn namespace_attr_len(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        i += 1;
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || b"_-.".contains(c))
        {
            i += 1;
        }
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    let quote = *b.get(i + 1)?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let start = i + 2;
    let end = start + s.get(start..)?.find(quote as char)?;
    let value = &s[start..end];
    (value.starts_with("http://") || value.starts_with("https://")).then_some(end + 1)
}
