//! Text with the embedded font: registering DejaVu Sans, NFC clean-up,
//! measuring, cutting with "…" and wrapping. Every string goes through
//! [`clean`] (NFC, no control characters) before it is measured or drawn.

use super::style::usage;
use crate::error::Result;
use crate::i18n::nfc;
use plotters::prelude::*;
use std::sync::Once;

/// Register DejaVu Sans (regular and bold) as "sans-serif", once.
pub(crate) fn ensure_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // A failure shows up as an error when text is measured.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            dejavu::sans::regular(),
        );
        let _ = plotters::style::register_font("sans-serif", FontStyle::Bold, dejavu::sans::bold());
    });
}

/// NFC (the font draws one code point at a time, so decomposed marks would
/// come out detached) and no control characters.
pub(crate) fn clean(s: &str) -> String {
    nfc(s)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub(crate) const fn new(size: f64) -> Self {
        Font { size, bold: false }
    }
    pub(crate) const fn bold(size: f64) -> Self {
        Font { size, bold: true }
    }
    pub(crate) fn desc(self) -> FontDesc<'static> {
        let style = if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        FontDesc::new(FontFamily::SansSerif, self.size, style)
    }
    /// Line height in pixels.
    pub(crate) fn line(self) -> f64 {
        (self.size * 1.2).ceil()
    }
}

/// Width in pixels of `s` drawn in `font`.
pub(crate) fn text_w(s: &str, font: Font) -> Result<f64> {
    ensure_fonts();
    let (w, _) = font.desc().box_size(&clean(s)).map_err(|e| {
        usage(format!(
            "chart: the embedded font cannot measure text: {e:?}"
        ))
    })?;
    Ok(f64::from(w))
}

/// Width of the widest of `texts` in `font` (0 for none).
pub(crate) fn widest<S: AsRef<str>>(texts: &[S], font: Font) -> Result<f64> {
    let mut w: f64 = 0.0;
    for t in texts {
        w = w.max(text_w(t.as_ref(), font)?);
    }
    Ok(w)
}

/// `s` cut with "…" so that it is at most `max_w` wide.
pub(crate) fn fit(s: &str, max_w: f64, font: Font) -> Result<String> {
    let s = clean(s);
    if text_w(&s, font)? <= max_w {
        return Ok(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let (mut lo, mut hi) = (0usize, chars.len());
    // Largest prefix that fits with the ellipsis (binary search).
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let cand: String = chars[..mid]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…";
        if text_w(&cand, font)? <= max_w {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    if lo == 0 {
        return Ok(if text_w("…", font)? <= max_w {
            "…".into()
        } else {
            String::new()
        });
    }
    Ok(chars[..lo]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_string()
        + "…")
}

/// Greedy word wrap into at most `max_lines` lines of at most `max_w`; the
/// last line is cut with "…" if the text does not fit.
pub(crate) fn wrap(s: &str, max_w: f64, font: Font, max_lines: usize) -> Result<Vec<String>> {
    let s = clean(s);
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let cand = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if cur.is_empty() || text_w(&cand, font)? <= max_w {
            cur = cand;
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = word.to_string();
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    let max_lines = max_lines.max(1);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(rest + "…");
    }
    lines.iter().map(|l| fit(l, max_w, font)).collect()
}

/// Like [`wrap`], but with lines of even length: the narrowest width that
/// still gives the same number of lines ("Bảo hiểm / y tế", not "Bảo hiểm y / tế").
pub(crate) fn wrap_even(s: &str, max_w: f64, font: Font, max_lines: usize) -> Result<Vec<String>> {
    let lines = wrap(s, max_w, font, max_lines)?;
    if lines.len() < 2 || !all_fit(&lines, max_w, font)? {
        return Ok(lines);
    }
    let (mut lo, mut hi) = (max_w / lines.len() as f64, max_w);
    let mut best = lines.clone();
    for _ in 0..12 {
        let mid = (lo + hi) / 2.0;
        let cand = wrap(s, mid, font, max_lines)?;
        if cand.len() == lines.len() && all_fit(&cand, mid, font)? {
            best = cand;
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Ok(best)
}

/// Whether every line of `lines` fits in `max_w`.
pub(crate) fn all_fit(lines: &[String], max_w: f64, font: Font) -> Result<bool> {
    for l in lines {
        if text_w(l, font)? > max_w || l.ends_with('…') {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_nfc_measured_and_cut() {
        let decomposed = "Hu\u{65}\u{302}\u{301}";
        assert_eq!(clean(decomposed), "Huế");
        assert_eq!(clean("a\nb"), "a b");
        let f = Font::new(12.0);
        assert!(text_w("Tỷ lệ hộ nghèo", f).unwrap() > 40.0);
        let long = "Bà Rịa – Vũng Tàu ".repeat(20);
        let cut = fit(&long, 120.0, f).unwrap();
        assert!(cut.ends_with('…') && text_w(&cut, f).unwrap() <= 120.0);
        assert_eq!(fit("abc", 0.0, f).unwrap(), "");
        let lines = wrap("Tiếp cận dịch vụ y tế và bảo hiểm", 60.0, f, 2).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(!all_fit(&lines, 60.0, f).unwrap());
    }
}
