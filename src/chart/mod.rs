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
pub(crate) mod testutil {
    /// Number of SVG elements `<tag …>` whose `fill` is `color` (e.g. "#0072B2").
    /// plotters writes one element per line.
    pub fn count(svg: &str, tag: &str, color: &str) -> usize {
        let open = format!("<{tag} ");
        let fill = format!("fill=\"{color}\"");
        svg.lines()
            .filter(|l| l.trim_start().starts_with(&open) && l.contains(&fill))
            .count()
    }
    /// Whether some `<text>` element reads exactly `s` (plotters writes the
    /// text on its own line).
    pub fn has(svg: &str, s: &str) -> bool {
        svg.lines().any(|l| l == s)
    }
    /// Number of `<tag …>` elements.
    pub fn tags(svg: &str, tag: &str) -> usize {
        let open = format!("<{tag} ");
        svg.lines()
            .filter(|l| l.trim_start().starts_with(&open))
            .count()
    }
    pub fn is_png(b: &[u8]) -> bool {
        b.starts_with(&super::PNG_SIGNATURE) && b.len() > 5_000
    }
    /// Write the PNG under /tmp/charts when CHART_OUT is set (for looking at).
    pub fn keep(name: &str, b: &[u8]) {
        if std::env::var_os("CHART_OUT").is_some() {
            let dir = std::path::Path::new("/tmp/charts");
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(name), b);
        }
    }
}

#[cfg(test)]
mod examples {
    //! Full-size examples with realistic data, one per kind and language; with
    //! CHART_OUT set they are written to /tmp/charts for looking at.
    use super::testutil::*;
    use super::*;

    fn rate(i: usize) -> f64 {
        0.3 + ((i * 37) % 63) as f64 * 0.42
    }

    fn provinces(lang: Lang) -> Vec<(String, String)> {
        let geo = crate::geo::geography();
        geo.provinces
            .values()
            .map(|p| (p.code.clone(), lang.t(&p.name_vi, &p.name_en).to_string()))
            .collect()
    }

    fn all(lang: Lang) -> Vec<(&'static str, Chart)> {
        let mut bars: Vec<(String, Vec<f64>)> = provinces(lang)
            .into_iter()
            .enumerate()
            .map(|(i, (_, n))| (n, vec![rate(i), rate(i + 5) / 3.0]))
            .collect();
        bars.sort_by(|a, b| (b.1[0] + b.1[1]).total_cmp(&(a.1[0] + a.1[1])));
        let stacked = Chart::Stacked(StackedBars {
            title: lang
                .t(
                    "Tỷ lệ hộ nghèo và cận nghèo theo tỉnh, 2023",
                    "Poor and near-poor households by province, 2023",
                )
                .into(),
            axis: lang.t("Tỷ lệ hộ (%)", "Share of households (%)").into(),
            series: vec![
                lang.t("Hộ nghèo", "Poor").into(),
                lang.t("Hộ cận nghèo", "Near-poor").into(),
            ],
            bars,
            reference: Some((lang.t("Cả nước (hộ nghèo)", "National (poor)").into(), 1.9)),
        });
        let cats = [
            ("Việc làm", "Employment"),
            ("Người phụ thuộc", "Dependants"),
            ("Dinh dưỡng", "Nutrition"),
            ("Bảo hiểm y tế", "Health insurance"),
            ("Trình độ giáo dục của người lớn", "Adult education"),
            ("Tình trạng đi học của trẻ em", "School attendance"),
            ("Chất lượng nhà ở", "Housing quality"),
            (
                "Diện tích nhà ở bình quân đầu người",
                "Floor area per person",
            ),
            ("Nguồn nước sinh hoạt", "Drinking water"),
            ("Nhà tiêu hợp vệ sinh", "Sanitation"),
            ("Sử dụng dịch vụ viễn thông", "Telecommunications"),
            (
                "Phương tiện phục vụ tiếp cận thông tin",
                "Access to information",
            ),
        ];
        let grouped = Chart::Grouped(GroupedBars {
            title: lang
                .t(
                    "Tỷ lệ hộ thiếu hụt theo chỉ số, 2023",
                    "Households deprived by indicator, 2023",
                )
                .into(),
            axis: lang.t("Tỷ lệ hộ (%)", "Share of households (%)").into(),
            series: vec![
                lang.t("Tất cả các hộ", "All households").into(),
                lang.t("Hộ nghèo", "Poor households").into(),
            ],
            categories: cats.iter().map(|c| lang.t(c.0, c.1).to_string()).collect(),
            values: vec![
                vec![4.2, 6.1, 1.9, 7.5, 12.3, 0.8, 3.3, 2.4, 5.6, 9.9, 1.2, 2.2],
                vec![
                    38.0, 44.5, 20.1, 41.0, 66.7, 9.5, 31.2, 25.0, 47.3, 72.4, 15.8, 28.9,
                ],
            ],
        });
        let mut rows: Vec<(String, f64, f64)> = provinces(lang)
            .into_iter()
            .enumerate()
            .map(|(i, (_, n))| (n, rate(i) + 1.0, rate(i) * 0.7))
            .collect();
        rows.sort_by(|a, b| (b.2 - b.1).total_cmp(&(a.2 - a.1)));
        let dumbbell = Chart::Dumbbell(Dumbbell {
            title: lang
                .t(
                    "Thay đổi tỷ lệ hộ nghèo theo tỉnh, 2022–2023",
                    "Change in the poor rate by province, 2022–2023",
                )
                .into(),
            axis: lang.t("Tỷ lệ hộ nghèo (%)", "Poor households (%)").into(),
            from_label: "2022".into(),
            to_label: "2023".into(),
            rows,
        });
        let geo = crate::geo::geography();
        let tiles63 = tile_grid(Scheme::Provinces63)
            .into_iter()
            .enumerate()
            .map(|(i, (code, row, col))| Tile {
                label: geo
                    .province(&code)
                    .map(|p| lang.t(&p.name_vi, &p.name_en).to_string())
                    .unwrap_or_default(),
                value: (code != "77").then(|| rate(i)),
                code,
                row,
                col,
            })
            .collect();
        let map63 = Chart::TileMap(TileMap {
            title: lang
                .t(
                    "Tỷ lệ hộ nghèo, 63 tỉnh, 2023",
                    "Poor households, 63 provinces, 2023",
                )
                .into(),
            legend: lang.t("Tỷ lệ hộ nghèo (%)", "Poor households (%)").into(),
            tiles: tiles63,
        });
        let tiles34 = tile_grid(Scheme::Units34)
            .into_iter()
            .enumerate()
            .map(|(i, (code, row, col))| Tile {
                label: unit34_name(&code, lang).unwrap_or_default(),
                value: Some(rate(i * 2)),
                code,
                row,
                col,
            })
            .collect();
        let map34 = Chart::TileMap(TileMap {
            title: lang
                .t(
                    "Tỷ lệ hộ nghèo theo 34 đơn vị sau sáp nhập 2025, 2023",
                    "Poor households, 34 units after the 2025 merger, 2023",
                )
                .into(),
            legend: lang.t("Tỷ lệ hộ nghèo (%)", "Poor households (%)").into(),
            tiles: tiles34,
        });
        let ks = [10.0, 20.0, 30.0, 33.3, 40.0, 50.0, 60.0, 70.0];
        let h = |a: f64| {
            ks.iter()
                .map(|&k: &f64| (k, a * (-k / 18.0).exp()))
                .collect::<Vec<_>>()
        };
        let lines = Chart::Lines(Lines {
            title: lang
                .t(
                    "Độ nhạy theo ngưỡng k: tỷ lệ nghèo đa chiều H",
                    "Cut-off sensitivity: multidimensional headcount H",
                )
                .into(),
            x_axis: lang
                .t("Ngưỡng k (% tổng trọng số)", "Cut-off k (% of weights)")
                .into(),
            y_axis: "H (%)".into(),
            series: vec![
                ("2021".into(), h(60.0)),
                ("2022".into(), h(52.0)),
                ("2023".into(), h(47.0)),
            ],
        });
        vec![
            ("stacked63", stacked),
            ("grouped", grouped),
            ("dumbbell63", dumbbell),
            ("map63", map63),
            ("map34", map34),
            ("lines", lines),
        ]
    }

    #[test]
    fn extreme_values_never_panic() {
        for v in [1e300, 1e-300, 0.0, 123456789.0, f64::MIN_POSITIVE, 1e15] {
            let charts = [
                Chart::Stacked(StackedBars {
                    title: "\u{0}\n\t".into(),
                    axis: "".into(),
                    series: vec!["".into(); 20],
                    bars: vec![("".into(), vec![v; 20])],
                    reference: Some(("".into(), v)),
                }),
                Chart::Grouped(GroupedBars {
                    title: "".into(),
                    axis: "".into(),
                    series: vec!["s".into()],
                    categories: vec!["x".repeat(500)],
                    values: vec![vec![v]],
                }),
                Chart::Dumbbell(Dumbbell {
                    title: "".into(),
                    axis: "".into(),
                    from_label: "".into(),
                    to_label: "".into(),
                    rows: vec![("a".into(), -v, v)],
                }),
                Chart::Lines(Lines {
                    title: "".into(),
                    x_axis: "".into(),
                    y_axis: "".into(),
                    series: vec![("a".into(), vec![(v, -v), (-v, v), (0.0, f64::NAN)])],
                }),
                Chart::TileMap(TileMap {
                    title: "".into(),
                    legend: "".into(),
                    tiles: vec![
                        Tile {
                            code: "".into(),
                            label: "".into(),
                            row: 0,
                            col: 0,
                            value: Some(v),
                        },
                        Tile {
                            code: "b".into(),
                            label: "x".repeat(300),
                            row: 59,
                            col: 59,
                            value: Some(-v),
                        },
                    ],
                }),
            ];
            for c in &charts {
                for lang in [Lang::Vi, Lang::En] {
                    // Either a drawing or an error; never a panic.
                    let _ = svg(c, lang);
                    let _ = png(c, lang);
                }
            }
        }
    }

    #[test]
    fn every_kind_renders_at_full_size_in_both_languages() {
        for lang in [Lang::Vi, Lang::En] {
            for (name, chart) in all(lang) {
                let s = svg(&chart, lang).unwrap();
                assert!(
                    s.starts_with("<svg") && s.trim_end().ends_with("</svg>"),
                    "{name}"
                );
                let p = png(&chart, lang).unwrap();
                assert!(is_png(&p), "{name}");
                keep(&format!("example_{name}_{}.png", lang.code()), &p);
                if std::env::var_os("CHART_OUT").is_some() {
                    let _ = std::fs::write(
                        format!("/tmp/charts/example_{name}_{}.svg", lang.code()),
                        &s,
                    );
                }
            }
        }
    }
}
