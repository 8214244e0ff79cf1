//! Layout steps more than one chart kind takes: checking the input, the
//! heading (title and legend), the canvas of a chart with one row per item
//! (stacked bars, dumbbells) and the names written left of those rows.

use super::style::*;
use crate::error::Result;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

/// The width inside the left and right margins.
pub(crate) const WIDE: f64 = W as f64 - 2.0 * MARGIN;

/// `v` is a bar's length: finite and ≥ 0, or an error naming the chart and `what`.
pub(crate) fn check_value(chart: &str, what: &str, v: f64) -> Result<()> {
    if !v.is_finite() {
        return Err(usage(format!(
            "chart \"{chart}\": {what} is not a finite number ({v})"
        )));
    }
    if v < 0.0 {
        return Err(usage(format!(
            "chart \"{chart}\": {what} is negative ({v}); bars need values ≥ 0"
        )));
    }
    Ok(())
}

/// At most `max` of `what` (bars, rows, series), or an error naming the chart.
pub(crate) fn check_count(chart: &str, n: usize, what: &str, max: usize) -> Result<()> {
    if n > max {
        return Err(usage(format!(
            "chart \"{chart}\": {n} {what} is too many (at most {max})"
        )));
    }
    Ok(())
}

/// One legend entry per series, in the series' colours (a class's own
/// colour for a series that shows one).
pub(crate) fn series_legend<'a>(
    names: impl IntoIterator<Item = &'a String>,
    classes: &[Option<super::Class>],
    swatch: fn(RGBColor) -> Swatch,
) -> Vec<(String, Swatch)> {
    names
        .into_iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), swatch(color_of(classes, i))))
        .collect()
}

/// The title, and under it the legend across the full width; returns the y
/// below the legend.
pub(crate) fn heading(scene: &mut Scene, text: &str, items: &[(String, Swatch)]) -> Result<f64> {
    let top = title(scene, text)?;
    legend(scene, items, MARGIN, top, WIDE)
}

/// The title of a vertical value axis, written at the left `below + 8` px.
pub(crate) fn axis_title_above(scene: &mut Scene, text: &str, below: f64) -> Result<()> {
    let font = Font::new(14.0);
    scene.text(
        &fit(text, WIDE, font)?,
        (MARGIN, below + 8.0),
        font,
        INK,
        HPos::Left,
        VPos::Top,
    );
    Ok(())
}

/// Height for `n` rows: 600, or 22 px a row plus the frame.
pub(crate) fn height_for(n: usize, frame: f64) -> u32 {
    (frame + ROW_PX * n as f64).max(f64::from(H)).ceil() as u32
}

/// A chart of `n` rows: its canvas with the heading drawn, 600 high or
/// taller to give each row 22 px, with `gap` px under the legend and
/// `bottom` px under the rows. Returns the canvas and the top of the rows.
pub(crate) fn row_canvas(
    text: &str,
    items: &[(String, Swatch)],
    gap: f64,
    bottom: f64,
    n: usize,
) -> Result<(Scene, f64)> {
    let mut s = Scene::new(W, H);
    let top = heading(&mut s, text, items)? + gap;
    // Nothing drawn so far depends on the height.
    s.h = height_for(n, top + bottom);
    Ok((s, top))
}

/// The font of row names and values (rows are at least 22 px apart).
pub(crate) fn row_font(_band: f64) -> Font {
    Font::new(14.0)
}

/// Row names cut to at most 32 % of the width, and the widest of them.
pub(crate) fn row_names<'a>(
    labels: impl IntoIterator<Item = &'a String>,
    font: Font,
) -> Result<(Vec<String>, f64)> {
    let cap = f64::from(W) * 0.32;
    let names = labels
        .into_iter()
        .map(|l| fit(l, cap, font))
        .collect::<Result<Vec<_>>>()?;
    let w = widest(&names, font)?;
    Ok((names, w))
}

/// A row's name, right-aligned just left of the plot, centred on `cy`.
pub(crate) fn row_name(scene: &mut Scene, name: &str, plot: Plot, cy: f64, font: Font) {
    scene.text(
        name,
        (plot.x0 - 8.0, cy),
        font,
        INK,
        HPos::Right,
        VPos::Center,
    );
}
