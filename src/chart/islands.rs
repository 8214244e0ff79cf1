//! Hoàng Sa and Trường Sa on a tile map: each a sea-coloured tile with a
//! dashed border and its short name, and its full name ("Quần đảo Hoàng Sa
//! (Đà Nẵng)") written beside it, right of the tile where there is room,
//! else under it. They are part of the country, never data tiles.

use super::style::*;
use super::tilemap::{bordered, Square};
use super::Island;
use crate::error::Result;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

/// The sea around an archipelago, its dashed border and its names' ink.
const SEA: RGBColor = RGBColor(0xE4, 0xF1, 0xFA);
const SEA_EDGE: RGBColor = RGBColor(0x2F, 0x6C, 0x9A);
const NAME: Font = Font::new(13.0);
/// Narrower than this right of a tile, the name goes under it.
const MIN_ROOM: f64 = 90.0;

/// Where each island's full name goes: its lines and their top-left corner.
pub(crate) struct IslandLabels {
    labels: Vec<(Vec<String>, (f64, f64), f64)>,
}

impl IslandLabels {
    pub(crate) fn lay_out(islands: &[Island], squares: &[Square], w: u32) -> Result<Self> {
        let right_edge = f64::from(w) - MARGIN;
        let mut labels = Vec::new();
        for (i, sq) in islands.iter().zip(squares) {
            let room = right_edge - (sq.2 + 6.0);
            let (width, at) = if room >= MIN_ROOM {
                (room, (sq.2 + 6.0, sq.1))
            } else {
                let width = (right_edge - MARGIN).min(3.0 * (sq.2 - sq.0));
                ((width), ((sq.0 - width / 3.0).max(MARGIN), sq.3 + 4.0))
            };
            let lines = name_lines(&i.name, width)?;
            let lw = widest(&lines, NAME)?;
            labels.push((lines, at, lw));
        }
        Ok(IslandLabels { labels })
    }

    /// The boxes the names take, for the legend to keep clear of.
    pub(crate) fn boxes(&self) -> impl Iterator<Item = Square> + '_ {
        self.labels
            .iter()
            .map(|(lines, (x, y), lw)| (*x, *y, x + lw, y + lines.len() as f64 * NAME.line()))
    }
}

/// A name on lines of at most `width`: the name and its province in
/// brackets on lines of their own ("Quần đảo Hoàng Sa" / "(Đà Nẵng)").
fn name_lines(name: &str, width: f64) -> Result<Vec<String>> {
    let (main, rest) = match name.find(" (") {
        Some(k) => (&name[..k], Some(&name[k + 1..])),
        None => (name, None),
    };
    let mut lines = wrap_even(main, width, NAME, 2)?;
    if let Some(r) = rest {
        lines.extend(wrap_even(r, width, NAME, 2)?);
    }
    Ok(lines)
}

/// Each island's tile, dashed border, short name and full name.
pub(crate) fn draw_islands(
    s: &mut Scene,
    islands: &[Island],
    squares: &[Square],
    labels: &IslandLabels,
    font: Font,
) -> Result<()> {
    for ((i, sq), (lines, (x, y), _)) in islands.iter().zip(squares).zip(&labels.labels) {
        bordered(s, *sq, SEA);
        let (x0, y0, x1, y1) = *sq;
        for (a, b) in [
            ((x0, y0), (x1, y0)),
            ((x1, y0), (x1, y1)),
            ((x1, y1), (x0, y1)),
            ((x0, y1), (x0, y0)),
        ] {
            s.dashed(a, b, SEA_EDGE, 1);
        }
        // A few dots for the islands, then the short name under them.
        let (cx, w) = ((x0 + x1) / 2.0, x1 - x0);
        for (dx, dy) in [(-0.22, -0.28), (0.0, -0.2), (0.2, -0.3), (0.12, -0.12)] {
            s.circle((cx + dx * w, (y0 + y1) / 2.0 + dy * w), 2, SEA_EDGE, true);
        }
        let short = wrap_even(&i.short, w - 4.0, font, 2)?;
        for (k, l) in short.iter().enumerate() {
            let at = (cx, (y0 + y1) / 2.0 + k as f64 * font.line());
            s.text(l, at, font, SEA_EDGE, HPos::Center, VPos::Top);
        }
        for (k, l) in lines.iter().enumerate() {
            let at = (*x, y + k as f64 * NAME.line());
            s.text(l, at, NAME, SEA_EDGE, HPos::Left, VPos::Top);
        }
    }
    Ok(())
}
