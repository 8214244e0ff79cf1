//! A chart's caveats drawn inside the image: the subtitle under the title
//! (everything below the title moves down to make room) and the notes,
//! wrapped, in a block under the chart.

use super::style::*;
use super::Caveats;
use crate::error::Result;
use plotters::style::text_anchor::{HPos, VPos};

/// The subtitle's and the notes' font: the smallest text the chart allows,
/// and at least 13 px.
fn font(w: u32) -> Font {
    Font::new(min_font(w).max(13.0))
}

/// Lines of a subtitle or a note at most.
const MAX_LINES: usize = 4;

/// Draw `c` on a laid-out scene whose first operation is its title.
pub(crate) fn draw(s: &mut Scene, c: &Caveats) -> Result<()> {
    let f = font(s.w);
    let width = f64::from(s.w) - 2.0 * MARGIN;
    if let Some(sub) = c.subtitle.as_deref().filter(|t| !t.trim().is_empty()) {
        let lines = wrap(sub, width, Font::bold(f.size), MAX_LINES)?;
        let top = title_bottom(s);
        let dh = (lines.len() as f64 * f.line() + 6.0).ceil();
        shift_below(s, top, dh as i32);
        s.h += dh as u32;
        for (k, l) in lines.iter().enumerate() {
            let at = (MARGIN, top + k as f64 * f.line());
            s.text(l, at, Font::bold(f.size), CAVEAT, HPos::Left, VPos::Top);
        }
    }
    let notes: Vec<&String> = c.notes.iter().filter(|n| !n.trim().is_empty()).collect();
    if notes.is_empty() {
        return Ok(());
    }
    let mut y = f64::from(s.h) - MARGIN / 2.0;
    s.line(&[(MARGIN, y), (MARGIN + 120.0, y)], AXIS, 1);
    y += 6.0;
    for n in notes {
        for l in wrap(n, width, f, MAX_LINES)? {
            s.text(&l, (MARGIN, y), f, MUTED, HPos::Left, VPos::Top);
            y += f.line();
        }
        y += 3.0;
    }
    s.h = (y + MARGIN / 2.0).ceil() as u32;
    Ok(())
}

/// The y under the title (every kind draws one first).
fn title_bottom(s: &Scene) -> f64 {
    s.below_title.unwrap_or(MARGIN)
}

/// Move every operation that starts at or below `y` (all but the title) `dy` down.
fn shift_below(s: &mut Scene, y: f64, dy: i32) {
    let y = y as i32;
    for op in &mut s.ops {
        match op {
            Op::Rect { y0, y1, .. } if *y0 >= y => {
                *y0 += dy;
                *y1 += dy;
            }
            Op::Path { pts, .. } if pts.iter().all(|p| p.1 >= y) => {
                pts.iter_mut().for_each(|p| p.1 += dy);
            }
            Op::Circle { c, .. } if c.1 >= y => c.1 += dy,
            Op::Text { at, .. } if at.1 >= y => at.1 += dy,
            _ => {}
        }
    }
}
