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

mod dumbbell;
mod geo;
mod glyphs;
mod grouped;
mod layout;
mod lines;
mod scene;
mod stacked;
mod style;
mod text;
mod tilemap;

pub use geo::{crosswalk_2025, tile_grid, unit34_name, Scheme};

use crate::error::{Error, Result};
use crate::i18n::Lang;
use plotters::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// A chart to draw.
#[derive(Debug, Clone)]
pub enum Chart {
    Stacked(StackedBars),
    Grouped(GroupedBars),
    Dumbbell(Dumbbell),
    TileMap(TileMap),
    Lines(Lines),
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
}

/// Tile-grid map: one square per unit at (row, col), coloured by value
/// (percent; None or not finite = no data, drawn grey), with a legend of 5
/// classes and each tile labelled with a short name and the value.
#[derive(Debug, Clone)]
pub struct TileMap {
    pub title: String,
    pub legend: String,
    pub tiles: Vec<Tile>,
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
}

fn scene(chart: &Chart, lang: Lang) -> Result<style::Scene> {
    let scene = match chart {
        Chart::Stacked(c) => stacked::stacked(c, lang)?,
        Chart::Grouped(c) => grouped::grouped(c, lang)?,
        Chart::Dumbbell(c) => dumbbell::dumbbell(c, lang)?,
        Chart::TileMap(c) => tilemap::tilemap(c, lang)?,
        Chart::Lines(c) => lines::lines(c, lang)?,
    };
    if scene.w == 0 || scene.h == 0 || scene.w > 4000 || scene.h > 12_000 {
        return Err(Error::Usage(format!(
            "chart: image size {}×{} is out of range",
            scene.w, scene.h
        )));
    }
    Ok(scene)
}

/// The chart as SVG text: 900×600, taller for more than 30 bars (22 px a
/// bar); tile maps about 700×1000.
pub fn svg(chart: &Chart, lang: Lang) -> Result<String> {
    let scene = scene(chart, lang)?;
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (scene.w, scene.h)).into_drawing_area();
        style::render(&scene, &area, false)?;
    }
    Ok(out)
}

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
        let area = BitMapBackend::new(&path, (scene.w, scene.h)).into_drawing_area();
        style::render(&scene, &area, true)
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
