//! Letter spacing for the bitmap output. plotters' ab_glyph backend starts
//! every glyph's ink at the pen position, dropping the glyph's left-side
//! bearing, so "nghèo" comes out as "ngh èo". For PNG we therefore draw one
//! glyph at a time, each moved right by its bearing, read here from the
//! embedded font's `cmap` (format 4) and `hmtx` tables. The SVG output keeps
//! whole strings: the viewer lays them out.

use std::sync::OnceLock;

struct Face {
    data: &'static [u8],
    cmap4: usize,
    hmtx: usize,
    n_hmetrics: u16,
    n_glyphs: u16,
    loca: usize,
    glyf: usize,
    long_loca: bool,
    /// ascent − descent: ab_glyph scales a font of "size" px to this height.
    height: f64,
}

fn u16_at(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(o)?, *d.get(o + 1)?]))
}
fn u32_at(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(o)?,
        *d.get(o + 1)?,
        *d.get(o + 2)?,
        *d.get(o + 3)?,
    ]))
}

impl Face {
    fn parse(data: &'static [u8]) -> Option<Face> {
        let n = usize::from(u16_at(data, 4)?);
        let table = |tag: &[u8; 4]| -> Option<usize> {
            (0..n).find_map(|i| {
                let rec = 12 + 16 * i;
                (data.get(rec..rec + 4)? == tag)
                    .then(|| u32_at(data, rec + 8).map(|o| o as usize))
                    .flatten()
            })
        };
        let (cmap, hhea, hmtx, maxp) = (
            table(b"cmap")?,
            table(b"hhea")?,
            table(b"hmtx")?,
            table(b"maxp")?,
        );
        let (head, loca, glyf) = (table(b"head")?, table(b"loca")?, table(b"glyf")?);
        let subtables = usize::from(u16_at(data, cmap + 2)?);
        let cmap4 = (0..subtables).find_map(|i| {
            let rec = cmap + 4 + 8 * i;
            let (platform, encoding) = (u16_at(data, rec)?, u16_at(data, rec + 2)?);
            let off = cmap + u32_at(data, rec + 4)? as usize;
            ((platform == 3 && encoding == 1) || platform == 0)
                .then_some(off)
                .filter(|&o| u16_at(data, o) == Some(4))
        })?;
        let height =
            f64::from(u16_at(data, hhea + 4)? as i16) - f64::from(u16_at(data, hhea + 6)? as i16);
        Some(Face {
            data,
            cmap4,
            hmtx,
            n_hmetrics: u16_at(data, hhea + 34)?,
            n_glyphs: u16_at(data, maxp + 4)?,
            loca,
            glyf,
            long_loca: u16_at(data, head + 50)? == 1,
            height: height.max(1.0),
        })
    }

    fn glyph(&self, c: char) -> Option<u16> {
        let c = u16::try_from(u32::from(c)).ok()?;
        let (d, t) = (self.data, self.cmap4);
        let seg = usize::from(u16_at(d, t + 6)? / 2);
        let ends = t + 14;
        let starts = ends + 2 * seg + 2;
        let deltas = starts + 2 * seg;
        let ranges = deltas + 2 * seg;
        let i = (0..seg).find(|&i| u16_at(d, ends + 2 * i).is_some_and(|e| e >= c))?;
        let start = u16_at(d, starts + 2 * i)?;
        if start > c {
            return None;
        }
        let delta = u16_at(d, deltas + 2 * i)?;
        let range = u16_at(d, ranges + 2 * i)?;
        let g = if range == 0 {
            c.wrapping_add(delta)
        } else {
            let at = ranges + 2 * i + usize::from(range) + 2 * usize::from(c - start);
            match u16_at(d, at)? {
                0 => 0,
                g => g.wrapping_add(delta),
            }
        };
        (g != 0 && g < self.n_glyphs).then_some(g)
    }

    /// Top of the glyph's outline (yMax) in font units; None for an empty glyph.
    fn y_max(&self, g: u16) -> Option<i16> {
        let (d, g) = (self.data, usize::from(g));
        let at = |i: usize| -> Option<usize> {
            if self.long_loca {
                u32_at(d, self.loca + 4 * i).map(|o| o as usize)
            } else {
                u16_at(d, self.loca + 2 * i).map(|o| 2 * usize::from(o))
            }
        };
        let (start, end) = (at(g)?, at(g + 1)?);
        (end > start)
            .then(|| u16_at(d, self.glyf + start + 8).map(|v| v as i16))
            .flatten()
    }

    /// (advance width, left-side bearing) in font units.
    fn metrics(&self, g: u16) -> Option<(u16, i16)> {
        let n = self.n_hmetrics.max(1);
        let (d, h) = (self.data, self.hmtx);
        let adv = u16_at(d, h + 4 * usize::from(g.min(n - 1)))?;
        let lsb = if g < n {
            u16_at(d, h + 4 * usize::from(g) + 2)?
        } else {
            u16_at(d, h + 4 * usize::from(n) + 2 * usize::from(g - n))?
        };
        Some((adv, lsb as i16))
    }
}

fn face(bold: bool) -> Option<&'static Face> {
    static REGULAR: OnceLock<Option<Face>> = OnceLock::new();
    static BOLD: OnceLock<Option<Face>> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| Face::parse(dejavu::sans::bold()))
            .as_ref()
    } else {
        REGULAR
            .get_or_init(|| Face::parse(dejavu::sans::regular()))
            .as_ref()
    }
}

/// Left-side bearing of `c` in pixels at font size `size`; None when unknown
/// (then the glyph is drawn where plotters puts it).
pub(crate) fn bearing(c: char, bold: bool, size: f64) -> Option<f64> {
    let f = face(bold)?;
    let (_, lsb) = f.metrics(f.glyph(c)?)?;
    Some(f64::from(lsb) * size / f.height)
}

/// Vertical correction in pixels for drawing `c` alone at `size`. ab_glyph
/// places a glyph's top row at `trunc(size / 2 + floor(-yMax · scale))`;
/// truncation rounds negative halves up, so at odd sizes tall glyphs sit a
/// pixel lower than short ones ("0·3" for "0.3"). This moves them back to
/// `floor`, the same for every glyph.
pub(crate) fn y_fix(c: char, bold: bool, size: f64) -> i32 {
    let Some(f) = face(bold) else { return 0 };
    let Some(y_max) = f.glyph(c).and_then(|g| f.y_max(g)) else {
        return 0;
    };
    let (size, scale) = (size as f32, (size / f.height) as f32);
    let v = size / 2.0 + (-f32::from(y_max) * scale).floor();
    (v.floor() - v.trunc()) as i32
}

/// Advance of `c` in pixels at `size` (for the test of the scale).
#[cfg(test)]
fn advance(c: char, bold: bool, size: f64) -> Option<f64> {
    let f = face(bold)?;
    let (adv, _) = f.metrics(f.glyph(c)?)?;
    Some(f64::from(adv) * size / f.height)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bearings_from_the_embedded_font() {
        // 'i' and ':' have wide bearings, 'T' about none; Vietnamese letters are mapped.
        let i = bearing('i', false, 100.0).unwrap();
        let t = bearing('T', false, 100.0).unwrap();
        assert!(i > 5.0 && t.abs() < 1.0, "i {i}, T {t}");
        assert!(bearing(':', true, 100.0).unwrap() > 5.0);
        for c in "ẮẰẲẴẶỄỆỠỢỮỰỸỴđĐươỷ–→…".chars() {
            assert!(bearing(c, false, 12.0).is_some(), "{c}");
        }
        assert_eq!(bearing('\u{10FFFF}', false, 12.0), None);
    }

    #[test]
    fn tall_glyphs_are_moved_up_at_odd_sizes_only() {
        assert_eq!(y_fix('0', true, 13.0), -1);
        assert_eq!(y_fix('.', true, 13.0), 0);
        assert_eq!(y_fix('0', true, 12.0), 0);
        assert_eq!(y_fix(' ', false, 13.0), 0);
    }

    #[test]
    fn the_scale_is_the_one_plotters_uses() {
        use super::super::style::{text_w, Font};
        for (c, bold) in [('M', false), ('ệ', false), ('W', true)] {
            let want = 50.0 * advance(c, bold, 40.0).unwrap();
            let got = text_w(&c.to_string().repeat(50), Font { size: 40.0, bold }).unwrap();
            assert!((got - want).abs() <= 2.0, "{c}: {got} vs {want}");
        }
    }
}
