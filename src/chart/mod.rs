//! Charts for the report: horizontal stacked bars, vertical grouped bars,
//! dumbbells, tile-grid maps and line charts, as SVG text or PNG bytes.
//!
//! Text is drawn with DejaVu Sans embedded in the binary (no system fonts),
//! every label is NFC-normalised, and every number is formatted for the
//! language (1,90 % in Vietnamese, 1.90% in English). Bad input (no rows,
//! NaN in bars, mismatched lengths) is an `Error::Usage`, never a panic.
//!
//! Each kind lays out a `style::Scene` (a display list in pixels), which is
//! then replayed on plotters' SVG or bitmap backend, so the two outputs are
//! the same drawing.

mod caveats;
mod dumbbell;
mod geo;
mod glyphs;
mod grouped;
mod islands;
mod layout;
mod lines;
mod mapscale;
mod scene;
mod stacked;
mod style;
mod table;
mod text;
mod tilemap;
mod trend;

pub use geo::{crosswalk_2025, islands, tile_grid, unit34_name, Scheme};
pub use table::{data_table, DataTable};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use plotters::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// A household class, or all households: a series showing one is drawn in
/// the class's colour in every chart (`style::class_color`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Poor,
    NearPoor,
    /// The weighted rule's vulnerable households (never called near-poor).
    Vulnerable,
    Average,
    NotPoor,
    Undetermined,
    All,
}

/// What a reader must know, drawn inside the image so that a chart pasted
/// elsewhere keeps it: a line under the title (e.g. the standard changed
/// between the years compared) and notes under the chart, wrapped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Caveats {
    pub subtitle: Option<String>,
    pub notes: Vec<String>,
}

/// A chart to draw.
#[derive(Debug, Clone)]
pub enum Chart {
    Stacked(StackedBars),
    Grouped(GroupedBars),
    Dumbbell(Dumbbell),
    TileMap(TileMap),
    Lines(Lines),
    Trend(Trend),
}

/// Horizontal stacked bars (one per province, already sorted by the caller),
/// values in percent, with an optional reference line (the national rate)
/// labelled. Values must be finite and ≥ 0.
#[derive(Debug, Clone)]
pub struct StackedBars {
    pub title: String,
    pub axis: String,
    pub series: Vec<String>,
    pub bars: Vec<(String, Vec<f64>)>,
    pub reference: Option<(String, f64)>,
    /// The class each series shows (drawn in its colour); empty or None:
    /// the series palette.
    pub classes: Vec<Option<Class>>,
    pub caveats: Caveats,
}

/// Vertical grouped bars: categories (indicators) × series (all households,
/// the poor), values in percent, finite and ≥ 0.
#[derive(Debug, Clone)]
pub struct GroupedBars {
    pub title: String,
    pub axis: String,
    pub series: Vec<String>,
    pub categories: Vec<String>,
    /// `values[series][category]`; NaN is undefined (e.g. a share of poor
    /// households where there is none): no bar, labelled "–".
    pub values: Vec<Vec<f64>>,
    /// The class each series shows, as for [`StackedBars::classes`].
    pub classes: Vec<Option<Class>>,
    pub caveats: Caveats,
}

/// One row per province: value in the first and second year (percent),
/// drawn as a dumbbell; rows already sorted by the caller. A value that is
/// not finite is a missing end (drawn as "–").
#[derive(Debug, Clone)]
pub struct Dumbbell {
    pub title: String,
    pub axis: String,
    pub from_label: String,
    pub to_label: String,
    pub rows: Vec<(String, f64, f64)>,
    pub caveats: Caveats,
}

/// Tile-grid map: one square per unit at (row, col), coloured by value
/// (percent; None or not finite = no data, drawn grey), with a legend of up
/// to 5 classes from the data's range and each tile labelled with a short
/// name and the value. Fewer than two distinct values make no scale: the
/// map is not drawn ([`why_not_drawn`]). Islands are drawn as part of the
/// country, never as data tiles.
#[derive(Debug, Clone)]
pub struct TileMap {
    pub title: String,
    pub legend: String,
    pub tiles: Vec<Tile>,
    pub islands: Vec<Island>,
    pub caveats: Caveats,
}

/// An archipelago on a tile map: a sea-coloured tile at (row, col) with a
/// dashed border and its short name, its full name written beside it
/// ("Quần đảo Hoàng Sa (Đà Nẵng)"). It carries no value.
#[derive(Debug, Clone)]
pub struct Island {
    pub short: String,
    pub name: String,
    pub row: u32,
    pub col: u32,
}

#[derive(Debug, Clone)]
pub struct Tile {
    pub code: String,
    pub label: String,
    pub row: u32,
    pub col: u32,
    pub value: Option<f64>,
}

/// Line chart: x numeric (e.g. cut-off k in percent), one line per series,
/// markers at points. Points that are not finite are skipped (the line breaks).
#[derive(Debug, Clone)]
pub struct Lines {
    pub title: String,
    pub x_axis: String,
    pub y_axis: String,
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    pub caveats: Caveats,
}

/// Rates over the survey years: one line per class (a dot at each year with
/// its rate and count written by it, a 95 % error bar where the interval
/// is known) and a dashed rule, labelled, between two years classified
/// under different standards; no line is joined across such a rule.
#[derive(Debug, Clone)]
pub struct Trend {
    pub title: String,
    /// The value axis' title ("Tỷ lệ hộ (%)").
    pub axis: String,
    /// The year axis' title.
    pub x_axis: String,
    /// The survey years, ascending.
    pub years: Vec<i64>,
    pub series: Vec<TrendSeries>,
    /// What a count is of, after the number ("hộ", "households").
    pub unit: String,
    /// (i, label): the standard changes between `years[i]` and `years[i + 1]`.
    pub breaks: Vec<(usize, String)>,
    pub caveats: Caveats,
}

/// One line of a [`Trend`]: its class's colour, a point per year (None:
/// no value that year).
#[derive(Debug, Clone)]
pub struct TrendSeries {
    pub name: String,
    pub class: Option<Class>,
    pub points: Vec<Option<TrendPoint>>,
}

/// A rate in percent, the number of households behind it, and its 95 %
/// confidence interval in percent (a sample's; None for a census).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrendPoint {
    pub pct: f64,
    pub count: Option<f64>,
    pub ci: Option<(f64, f64)>,
}

impl Chart {
    pub fn caveats(&self) -> &Caveats {
        match self {
            Chart::Stacked(c) => &c.caveats,
            Chart::Grouped(c) => &c.caveats,
            Chart::Dumbbell(c) => &c.caveats,
            Chart::TileMap(c) => &c.caveats,
            Chart::Lines(c) => &c.caveats,
            Chart::Trend(c) => &c.caveats,
        }
    }
    pub fn caveats_mut(&mut self) -> &mut Caveats {
        match self {
            Chart::Stacked(c) => &mut c.caveats,
            Chart::Grouped(c) => &mut c.caveats,
            Chart::Dumbbell(c) => &mut c.caveats,
            Chart::TileMap(c) => &mut c.caveats,
            Chart::Lines(c) => &mut c.caveats,
            Chart::Trend(c) => &mut c.caveats,
        }
    }
}

/// Why a chart would mislead and is not drawn (a map whose values are all
/// one: its legend would have no range), in the language; None if it can
/// be drawn. A report says this in the chart's place.
pub fn why_not_drawn(chart: &Chart, lang: Lang) -> Option<String> {
    match chart {
        Chart::TileMap(c) => tilemap::no_scale(c, lang),
        _ => None,
    }
}

fn scene(chart: &Chart, lang: Lang) -> Result<style::Scene> {
    let mut scene = match chart {
        Chart::Stacked(c) => stacked::stacked(c, lang)?,
        Chart::Grouped(c) => grouped::grouped(c, lang)?,
        Chart::Dumbbell(c) => dumbbell::dumbbell(c, lang)?,
        Chart::TileMap(c) => tilemap::tilemap(c, lang)?,
        Chart::Lines(c) => lines::lines(c, lang)?,
        Chart::Trend(c) => trend::trend(c, lang)?,
    };
    caveats::draw(&mut scene, chart.caveats())?;
    if scene.w == 0 || scene.h == 0 || scene.w > 4000 || scene.h > 12_000 {
        return Err(Error::Usage(format!(
            "chart: image size {}×{} is out of range",
            scene.w, scene.h
        )));
    }
    Ok(scene)
}

/// The chart as SVG text, 900×600 in its own units (taller for more than
/// 30 bars, 22 px a bar; tile maps about 700×1300), that scales with the
/// page: a `viewBox` and `width="100%"`, no fixed height.
pub fn svg(chart: &Chart, lang: Lang) -> Result<String> {
    let scene = scene(chart, lang)?;
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (scene.w, scene.h)).into_drawing_area();
        style::render(&scene, &area, false, 1)?;
    }
    Ok(fluid(&out, scene.w, scene.h))
}

/// The root element of plotters' SVG, made to scale with its container.
fn fluid(svg: &str, w: u32, h: u32) -> String {
    let fixed = format!("width=\"{w}\" height=\"{h}\"");
    let fluid = format!("width=\"100%\" data-width=\"{w}\" data-height=\"{h}\" preserveAspectRatio=\"xMidYMin meet\"");
    let out = svg.replacen(&fixed, &fluid, 1);
    if out.contains("viewBox") {
        out
    } else {
        out.replacen("<svg ", &format!("<svg viewBox=\"0 0 {w} {h}\" "), 1)
    }
}

/// How many pixels of the PNG make one unit of the drawing: twice the
/// screen size, for print (a 900-wide chart is 1,800 px, 300 dpi at 15 cm).
pub const PNG_SCALE: u32 = 2;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The same drawing as PNG bytes. plotters' encoder only writes files, so
/// the image goes through a private temporary file that is removed after.
pub fn png(chart: &Chart, lang: Lang) -> Result<Vec<u8>> {
    let scene = scene(chart, lang)?;
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let path = std::env::temp_dir().join(format!(
        "dachieu-chart-{}-{}-{nanos}.png",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    let drawn = {
        let size = (scene.w * PNG_SCALE, scene.h * PNG_SCALE);
        let area = BitMapBackend::new(&path, size).into_drawing_area();
        style::render(&scene, &area, true, PNG_SCALE)
    };
    // The backend is dropped now; a failed drawing may still have left a file.
    let bytes = drawn.and_then(|()| std::fs::read(&path).map_err(|e| Error::io(&path, e)));
    let _ = std::fs::remove_file(&path);
    let bytes = bytes?;
    if !bytes.starts_with(&PNG_SIGNATURE) {
        return Err(Error::Usage(
            "chart: the PNG encoder wrote something that is not a PNG".into(),
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod examples;
