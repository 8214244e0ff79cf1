//! A laid-out chart as a display list in pixels (`Scene`), replayed on the
//! SVG or the bitmap backend so that both outputs are the same drawing.

use super::style::{usage, INK};
use super::text::{clean, ensure_fonts, text_w, Font};
use crate::error::{Error, Result};
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One drawing operation, in pixels.
#[derive(Clone)]
pub(crate) enum Op {
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        color: RGBColor,
        fill: bool,
    },
    Path {
        pts: Vec<(i32, i32)>,
        color: RGBColor,
        width: u32,
    },
    Circle {
        c: (i32, i32),
        r: u32,
        color: RGBColor,
        fill: bool,
    },
    Text {
        s: String,
        at: (i32, i32),
        font: Font,
        color: RGBColor,
        h: HPos,
        v: VPos,
        vertical: bool,
    },
}

/// A laid-out chart: its size and what to draw, in order.
#[derive(Clone)]
pub(crate) struct Scene {
    pub w: u32,
    pub h: u32,
    pub ops: Vec<Op>,
    /// The y under the title, once drawn (where a subtitle goes).
    pub below_title: Option<f64>,
}

fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-1.0e6, 1.0e6) as i32
    } else {
        0
    }
}

impl Scene {
    pub(crate) fn new(w: u32, h: u32) -> Self {
        Scene {
            w,
            h,
            ops: Vec::new(),
            below_title: None,
        }
    }
    pub(crate) fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, color: RGBColor) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.ops.push(Op::Rect {
            x0: px(x0),
            y0: px(y0),
            x1: px(x1),
            y1: px(y1),
            color,
            fill: true,
        });
    }
    pub(crate) fn line(&mut self, pts: &[(f64, f64)], color: RGBColor, width: u32) {
        let pts = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
        self.ops.push(Op::Path { pts, color, width });
    }
    /// A dashed straight line.
    pub(crate) fn dashed(&mut self, a: (f64, f64), b: (f64, f64), color: RGBColor, width: u32) {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let (dash, gap) = (6.0, 4.0);
        let mut t = 0.0;
        while t < len && len.is_finite() {
            let t1 = (t + dash).min(len);
            let p = |t: f64| (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
            self.line(&[p(t), p(t1)], color, width);
            t += dash + gap;
        }
    }
    pub(crate) fn circle(&mut self, c: (f64, f64), r: u32, color: RGBColor, fill: bool) {
        self.ops.push(Op::Circle {
            c: (px(c.0), px(c.1)),
            r,
            color,
            fill,
        });
    }
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        s: &str,
        at: (f64, f64),
        font: Font,
        color: RGBColor,
        h: HPos,
        v: VPos,
    ) {
        self.push_text(s, at, font, color, h, v, false);
    }
    /// Text read bottom to top; `h` is along the text (Left = starts at `at`).
    pub(crate) fn vtext(&mut self, s: &str, at: (f64, f64), font: Font, color: RGBColor, h: HPos) {
        self.push_text(s, at, font, color, h, VPos::Center, true);
    }
    /// Text on a white box, so that lines behind it do not cross it.
    pub(crate) fn text_on_white(
        &mut self,
        s: &str,
        at: (f64, f64),
        font: Font,
        h: HPos,
        v: VPos,
    ) -> Result<()> {
        let w = text_w(s, font)? + 4.0;
        let ht = font.line();
        let x0 = match h {
            HPos::Left => at.0 - 2.0,
            HPos::Center => at.0 - w / 2.0,
            HPos::Right => at.0 - w + 2.0,
        };
        let y0 = match v {
            VPos::Top => at.1,
            VPos::Center => at.1 - ht / 2.0,
            VPos::Bottom => at.1 - ht,
        };
        self.rect(x0, y0, x0 + w, y0 + ht, WHITE);
        self.text(s, at, font, INK, h, v);
        Ok(())
    }
    #[allow(clippy::too_many_arguments)]
    fn push_text(
        &mut self,
        s: &str,
        at: (f64, f64),
        font: Font,
        color: RGBColor,
        h: HPos,
        v: VPos,
        vertical: bool,
    ) {
        let s = clean(s);
        if s.trim().is_empty() {
            return;
        }
        self.ops.push(Op::Text {
            s,
            at: (px(at.0), px(at.1)),
            font,
            color,
            h,
            v,
            vertical,
        });
    }
}

impl Op {
    /// The operation `k` times larger.
    fn scaled(&self, k: u32) -> Op {
        let ki = k as i32;
        let p = |(x, y): (i32, i32)| (x.saturating_mul(ki), y.saturating_mul(ki));
        match self.clone() {
            Op::Rect {
                x0,
                y0,
                x1,
                y1,
                color,
                fill,
            } => {
                let (a, b) = (p((x0, y0)), p((x1, y1)));
                Op::Rect {
                    x0: a.0,
                    y0: a.1,
                    x1: b.0,
                    y1: b.1,
                    color,
                    fill,
                }
            }
            Op::Path { pts, color, width } => Op::Path {
                pts: pts.into_iter().map(p).collect(),
                color,
                width: width * k,
            },
            Op::Circle { c, r, color, fill } => Op::Circle {
                c: p(c),
                r: r * k,
                color,
                fill,
            },
            Op::Text {
                s,
                at,
                font,
                color,
                h,
                v,
                vertical,
            } => Op::Text {
                s,
                at: p(at),
                font: Font {
                    size: font.size * f64::from(k),
                    bold: font.bold,
                },
                color,
                h,
                v,
                vertical,
            },
        }
    }
}

fn draw_err<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> Error {
    usage(format!("chart: drawing failed: {e}"))
}

/// Replay a scene on a backend. `bitmap` (the PNG path): text is drawn one
/// glyph at a time with the font's side bearings and a consistent baseline
/// (see `glyphs`), and moved down by 0.11 × size, since the ab_glyph
/// rasteriser puts the baseline that much higher than an SVG viewer does.
/// `scale` pixels of the backend make one unit of the scene (coordinates,
/// font sizes, line widths).
pub(crate) fn render<DB: DrawingBackend>(
    scene: &Scene,
    area: &DrawingArea<DB, Shift>,
    bitmap: bool,
    scale: u32,
) -> Result<()> {
    ensure_fonts();
    area.fill(&WHITE).map_err(draw_err)?;
    for op in &scene.ops {
        let scaled;
        let op = if scale == 1 {
            op
        } else {
            scaled = op.scaled(scale);
            &scaled
        };
        match op {
            Op::Rect {
                x0,
                y0,
                x1,
                y1,
                color,
                fill,
            } => {
                let style = if *fill {
                    color.filled()
                } else {
                    color.stroke_width(1)
                };
                area.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], style))
                    .map_err(draw_err)?;
            }
            Op::Path { pts, color, width } => {
                area.draw(&PathElement::new(pts.clone(), color.stroke_width(*width)))
                    .map_err(draw_err)?;
            }
            Op::Circle { c, r, color, fill } => {
                let style = if *fill {
                    color.filled()
                } else {
                    color.stroke_width(2)
                };
                area.draw(&Circle::new(*c, *r, style)).map_err(draw_err)?;
            }
            Op::Text { .. } => draw_text(area, op, bitmap)?,
        }
    }
    area.present().map_err(draw_err)
}

/// Draw one text op: whole, or (for a bitmap) one glyph at a time with its
/// side bearing, so that PNG and SVG text sit alike.
fn draw_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    op: &Op,
    bitmap: bool,
) -> Result<()> {
    let Op::Text {
        s,
        at,
        font,
        color,
        h,
        v,
        vertical,
    } = op
    else {
        return Ok(());
    };
    let mut desc = font.desc();
    if *vertical {
        desc = desc.transform(FontTransform::Rotate270);
    }
    // Glyph by glyph costs a measure per prefix: only for text of
    // a sensible length (labels are cut to fit before this).
    let d = if bitmap {
        (0.11 * font.size).round()
    } else {
        0.0
    };
    if !bitmap || s.chars().count() > 160 {
        let style = desc.color(color).pos(Pos::new(*h, *v));
        let at = if *vertical {
            (at.0 + d as i32, at.1)
        } else {
            (at.0, at.1 + d as i32)
        };
        area.draw_text(s, &style, at).map_err(draw_err)?;
        return Ok(());
    }
    // One glyph at a time, each moved by its left-side bearing.
    let style = desc.color(color).pos(Pos::new(HPos::Left, *v));
    let total = text_w(s, *font)?;
    let start = match h {
        HPos::Left => 0.0,
        HPos::Center => -(total / 2.0).round(),
        HPos::Right => -total,
    };
    let mut prefix = String::new();
    for c in s.chars() {
        let pen = text_w(&prefix, *font)?;
        prefix.push(c);
        if c.is_whitespace() {
            continue;
        }
        let lsb = super::glyphs::bearing(c, font.bold, font.size).map_or(0.0, f64::floor);
        let off = start + pen + lsb;
        let fix = super::glyphs::y_fix(c, font.bold, font.size);
        let p = if *vertical {
            (at.0 + d as i32 + fix, at.1 - off as i32)
        } else {
            (at.0 + off as i32, at.1 + d as i32 + fix)
        };
        area.draw_text(c.encode_utf8(&mut [0; 4]), &style, p)
            .map_err(draw_err)?;
    }
    Ok(())
}
