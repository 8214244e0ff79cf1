//! What every chart kind shares: sizes, the palette, axes with round ticks,
//! number formatting, the title and the legend. The chart kinds lay out a
//! [`Scene`] with pixel coordinates; nothing here knows about the data.

pub(crate) use super::scene::*;
pub(crate) use super::text::*;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

pub(crate) const W: u32 = 900;
pub(crate) const H: u32 = 600;
/// Pixels per bar or row when a chart has many of them.
pub(crate) const ROW_PX: f64 = 22.0;
/// More rows than this would make an image too tall to be useful.
pub(crate) const MAX_ROWS: usize = 400;
pub(crate) const MARGIN: f64 = 16.0;

pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
pub(crate) const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);
pub(crate) const NO_DATA: RGBColor = RGBColor(0xCC, 0xCC, 0xCC);
/// Caveat text under a title: dark, warm, readable on white.
pub(crate) const CAVEAT: RGBColor = RGBColor(0x8A, 0x3B, 0x00);

/// Okabe–Ito, the colour-blind-safe qualitative palette.
const OKABE_ITO: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xF0, 0xE4, 0x42), // yellow
    RGBColor(0x00, 0x00, 0x00), // black
];

/// The one colour of each class, in every chart (Okabe–Ito): a series that
/// shows a class is drawn in its colour, whatever its place in the legend.
pub(crate) fn class_color(class: super::Class) -> RGBColor {
    use super::Class;
    match class {
        Class::Poor => OKABE_ITO[3],
        Class::NearPoor => OKABE_ITO[1],
        Class::Vulnerable => OKABE_ITO[5],
        Class::Average => OKABE_ITO[6],
        Class::NotPoor => OKABE_ITO[2],
        Class::Undetermined => RGBColor(0x99, 0x99, 0x99),
        Class::All => RGBColor(0x55, 0x55, 0x55),
    }
}

/// Colour of series `i` that shows `class` (if it does): the class's own
/// colour, else the series palette.
pub(crate) fn color_of(classes: &[Option<super::Class>], i: usize) -> RGBColor {
    match classes.get(i).copied().flatten() {
        Some(c) => class_color(c),
        None => series_color(i),
    }
}

/// The smallest text a chart `w` px wide may carry: 1/64 of its width, so
/// that the chart shown 420 px wide on a phone has text of 6.6 px or more.
pub(crate) fn min_font(w: u32) -> f64 {
    (f64::from(w) / 64.0).round()
}

/// Sequential 5-class scale, light to dark (ColorBrewer YlGnBu).
pub(crate) const SEQ5: [RGBColor; 5] = [
    RGBColor(0xFF, 0xFF, 0xCC),
    RGBColor(0xA1, 0xDA, 0xB4),
    RGBColor(0x41, 0xB6, 0xC4),
    RGBColor(0x2C, 0x7F, 0xB8),
    RGBColor(0x25, 0x34, 0x94),
];

/// The order series take the palette: the two blues and the purple first,
/// which no class has, so that charts of a few series (years) never borrow
/// a class's colour; then the rest (only charts of many series, such as
/// indicators, reach them).
const SERIES_ORDER: [usize; 8] = [0, 4, 5, 7, 2, 1, 3, 6];

/// Colour of series `i`: Okabe–Ito, then its tints for series 9–16, then again.
pub(crate) fn series_color(i: usize) -> RGBColor {
    let c = OKABE_ITO[SERIES_ORDER[i % 8]];
    if (i / 8) % 2 == 1 {
        let tint = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * 0.5).round() as u8;
        RGBColor(tint(c.0), tint(c.1), tint(c.2))
    } else {
        c
    }
}

/// Readable text colour on a fill.
pub(crate) fn ink_on(bg: RGBColor) -> RGBColor {
    let l = 0.299 * f64::from(bg.0) + 0.587 * f64::from(bg.1) + 0.114 * f64::from(bg.2);
    if l < 140.0 {
        WHITE
    } else {
        INK
    }
}

pub(crate) fn usage(msg: impl Into<String>) -> Error {
    Error::Usage(msg.into())
}

/// Linear map from data to pixels.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lin {
    pub d0: f64,
    pub d1: f64,
    pub p0: f64,
    pub p1: f64,
}

impl Lin {
    pub(crate) fn at(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::EPSILON || !span.is_finite() {
            return self.p0;
        }
        self.p0 + (v - self.d0) / span * (self.p1 - self.p0)
    }
}

/// A value axis with round ticks.
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub step: f64,
    pub ticks: Vec<f64>,
}

fn nice_step(raw: f64) -> f64 {
    if !raw.is_finite() || raw <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let m = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .find(|&m| m >= norm - 1e-9)
        .unwrap_or(10.0);
    m * mag
}

/// An axis covering `lo..hi` extended to round numbers, about `target` ticks.
pub(crate) fn nice_axis(lo: f64, hi: f64, target: usize) -> Axis {
    let lo = if lo.is_finite() { lo } else { 0.0 };
    let mut hi = if hi.is_finite() { hi } else { lo + 1.0 };
    if hi - lo <= 1e-12 * lo.abs().max(1.0) {
        hi = if lo == 0.0 { 1.0 } else { lo + lo.abs() * 0.1 };
    }
    let step = nice_step((hi - lo) / target.max(1) as f64);
    let a = (lo / step + 1e-9).floor() * step;
    let b = (hi / step - 1e-9).ceil() * step;
    let n = ((b - a) / step).round().clamp(1.0, 100.0) as usize;
    let ticks = (0..=n).map(|i| a + step * i as f64).collect();
    Axis {
        lo: a,
        hi: a + step * n as f64,
        step,
        ticks,
    }
}

/// A tick label: as many decimals as the step needs, the language's decimal
/// separator, no unit (the axis title carries it).
pub(crate) fn tick(lang: Lang, v: f64, step: f64) -> String {
    let mut d = 0usize;
    while d < 6
        && ((step * 10f64.powi(d as i32)).round() - step * 10f64.powi(d as i32)).abs() > 1e-6
    {
        d += 1;
    }
    let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
    let s = format!("{v:.d$}");
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// Decimals for value labels: 2 below 10 %, else 1.
pub(crate) fn decimals(max_abs: f64) -> usize {
    if max_abs < 10.0 {
        2
    } else {
        1
    }
}

/// Legend swatch kinds.
#[derive(Clone, Copy)]
pub(crate) enum Swatch {
    Square(RGBColor),
    Dot(RGBColor),
    Line(RGBColor),
}

/// A legend row from `x` at `y`, wrapping within `max_w`; returns the y below it.
pub(crate) fn legend(
    scene: &mut Scene,
    items: &[(String, Swatch)],
    x: f64,
    y: f64,
    max_w: f64,
) -> Result<f64> {
    let font = Font::new(14.0);
    let line = 20.0;
    let (mut cx, mut cy) = (x, y);
    for (label, sw) in items {
        let label = fit(label, (max_w - 26.0).max(20.0), font)?;
        let w = 20.0 + text_w(&label, font)? + 18.0;
        if cx > x && cx + w > x + max_w {
            cx = x;
            cy += line;
        }
        let mid = cy + line / 2.0;
        match *sw {
            Swatch::Square(c) => scene.rect(cx, mid - 6.0, cx + 14.0, mid + 6.0, c),
            Swatch::Dot(c) => scene.circle((cx + 7.0, mid), 5, c, true),
            Swatch::Line(c) => scene.line(&[(cx, mid), (cx + 14.0, mid)], c, 3),
        }
        scene.text(
            &label,
            (cx + 20.0, mid),
            font,
            INK,
            HPos::Left,
            VPos::Center,
        );
        cx += w;
    }
    Ok(cy + line)
}

/// The chart title at the top left, shrunk to fit, else wrapped at spaces
/// on up to three lines; returns the y below it.
pub(crate) fn title(scene: &mut Scene, s: &str) -> Result<f64> {
    let max_w = f64::from(scene.w) - 2.0 * MARGIN;
    let mut font = Font::bold(22.0);
    while font.size > 17.0 && text_w(s, font)? > max_w {
        font.size -= 1.0;
    }
    let lines = wrap_even(s, max_w, font, 3)?;
    let mut y = 14.0;
    for l in &lines {
        scene.text(l, (MARGIN, y), font, INK, HPos::Left, VPos::Top);
        y += font.line();
    }
    scene.below_title = Some(y + 2.0);
    Ok(y + 8.0)
}

/// Plot rectangle.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plot {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A horizontal value axis (bars going right): vertical grid lines, tick
/// labels under the plot, the axis title centred below them.
pub(crate) fn value_axis_x(
    scene: &mut Scene,
    plot: Plot,
    axis: &Axis,
    lang: Lang,
    title: &str,
) -> Result<Lin> {
    x_axis(scene, plot, axis, lang, title, true)
}

/// A horizontal axis under the plot: at each tick a grid line across the
/// plot (`grid`) or a short mark under it, and its label; the axis title
/// centred below.
pub(crate) fn x_axis(
    scene: &mut Scene,
    plot: Plot,
    axis: &Axis,
    lang: Lang,
    title: &str,
    grid: bool,
) -> Result<Lin> {
    let lin = Lin {
        d0: axis.lo,
        d1: axis.hi,
        p0: plot.x0,
        p1: plot.x1,
    };
    let font = Font::new(14.0);
    for &t in &axis.ticks {
        let x = lin.at(t);
        if grid {
            let color = if t == 0.0 { AXIS } else { GRID };
            scene.line(&[(x, plot.y0), (x, plot.y1)], color, 1);
        } else {
            scene.line(&[(x, plot.y1), (x, plot.y1 + 4.0)], AXIS, 1);
        }
        scene.text(
            &tick(lang, t, axis.step),
            (x, plot.y1 + 6.0),
            font,
            MUTED,
            HPos::Center,
            VPos::Top,
        );
    }
    let t = fit(title, plot.x1 - plot.x0, Font::new(14.0))?;
    scene.text(
        &t,
        ((plot.x0 + plot.x1) / 2.0, plot.y1 + 28.0),
        Font::new(14.0),
        INK,
        HPos::Center,
        VPos::Top,
    );
    Ok(lin)
}

/// A vertical value axis: horizontal grid lines, tick labels left of the plot.
pub(crate) fn value_axis_y(scene: &mut Scene, plot: Plot, axis: &Axis, lang: Lang) -> Lin {
    let lin = Lin {
        d0: axis.lo,
        d1: axis.hi,
        p0: plot.y1,
        p1: plot.y0,
    };
    let font = Font::new(14.0);
    for &t in &axis.ticks {
        let y = lin.at(t);
        scene.line(
            &[(plot.x0, y), (plot.x1, y)],
            if t == 0.0 { AXIS } else { GRID },
            1,
        );
        scene.text(
            &tick(lang, t, axis.step),
            (plot.x0 - 6.0, y),
            font,
            MUTED,
            HPos::Right,
            VPos::Center,
        );
    }
    lin
}

/// Widest tick label of an axis.
pub(crate) fn tick_w(axis: &Axis, lang: Lang) -> Result<f64> {
    let mut w: f64 = 0.0;
    for &t in &axis.ticks {
        w = w.max(text_w(&tick(lang, t, axis.step), Font::new(14.0))?);
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        let a = nice_axis(0.0, 27.3, 6);
        assert_eq!(a.lo, 0.0);
        assert!(a.hi >= 27.3 && a.hi <= 35.0, "{a:?}");
        assert_eq!(tick(Lang::Vi, 2.5, 2.5), "2,5");
        assert_eq!(tick(Lang::En, 10.0, 5.0), "10");
        let z = nice_axis(0.0, 0.0, 5);
        assert!(z.hi > z.lo);
        let bad = nice_axis(f64::NAN, f64::INFINITY, 5);
        assert!(bad.hi > bad.lo && bad.ticks.len() <= 101);
    }
}
