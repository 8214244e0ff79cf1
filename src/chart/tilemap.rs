//! Tile-grid maps: one square per unit at its (row, col), coloured by a
//! sequential scale of up to 5 classes from the data's range (bounds from
//! the quintiles, rounded; fewer classes when there are fewer distinct
//! values; none, and no map, when there is one), grey for no data; each
//! tile shows a short name and the value. Hoàng Sa and Trường Sa are
//! sea-coloured tiles with their names beside them. The legend goes into
//! the first free space next to the grid, or under it.

use super::islands::{draw_islands, IslandLabels};
pub(crate) use super::mapscale::no_scale;
use super::mapscale::{breaks, class_color, class_of, value};
use super::style::*;
use super::TileMap;
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;
use std::collections::BTreeSet;

const MAP_W: u32 = 700;
const MAP_H: u32 = 1300;
const MAX_SPAN: u64 = 60;
const BORDER: RGBColor = RGBColor(0xB0, 0xB0, 0xB0);

/// A shorter name when the full one does not fit a tile: "Bà Rịa – Vũng Tàu"
/// → "BR–VT", "Thừa Thiên Huế" → "TT Huế", "TP Hồ Chí Minh" → "TP HCM".
pub(crate) fn abbreviate(label: &str) -> String {
    let initials = |p: &str| -> String {
        p.split_whitespace()
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect()
    };
    for sep in [" – ", " - ", "–"] {
        if label.contains(sep) {
            return label.split(sep).map(initials).collect::<Vec<_>>().join("–");
        }
    }
    let words: Vec<&str> = label.split_whitespace().collect();
    match words.as_slice() {
        [first, rest @ ..]
            if !rest.is_empty()
                && first.chars().count() <= 3
                && first.chars().all(char::is_uppercase) =>
        {
            format!("{first} {}", initials(&rest.join(" ")))
        }
        [init @ .., last] if init.len() >= 2 => format!("{} {last}", initials(&init.join(" "))),
        _ => label.to_string(),
    }
}

/// Name lines at `font` in a tile `w` wide and `h` high, leaving a line for
/// the value: the name on one or two lines, else its short form; None if
/// neither fits.
fn tile_lines(label: &str, w: f64, h: f64, font: Font) -> Result<Option<Vec<String>>> {
    let full = clean(label);
    for cand in [full.clone(), abbreviate(&full)] {
        for n in 1..=2usize {
            if (n + 1) as f64 * font.line() > h {
                continue;
            }
            let lines = wrap_even(&cand, w, font, n)?;
            if all_fit(&lines, w, font)? {
                return Ok(Some(lines));
            }
        }
    }
    Ok(None)
}

/// One font size for all tiles: the largest (from `base` down to `min`)
/// at which every name fits, in full or short.
fn tile_font(labels: &[&str], w: f64, h: f64, base: f64, min: f64) -> Result<Font> {
    let mut size = base.floor().max(min);
    while size > min {
        let f = Font::new(size);
        let mut ok = true;
        for l in labels {
            if tile_lines(l, w, h, f)?.is_none() {
                ok = false;
                break;
            }
        }
        if ok {
            return Ok(f);
        }
        size -= 1.0;
    }
    Ok(Font::new(min))
}

pub(crate) fn tilemap(c: &TileMap, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    let span = Span::check(c, &name)?;
    if let Some(why) = no_scale(c, lang) {
        return Err(usage(why));
    }
    let finite: Vec<f64> = c.tiles.iter().filter_map(value).collect();
    let dec = decimals(finite.iter().fold(0.0f64, |a, v| a.max(v.abs())));
    let b = breaks(&finite, dec);
    let has_missing = finite.len() < c.tiles.len();

    let mut s = Scene::new(MAP_W, MAP_H);
    let grid = Grid::new(span, title(&mut s, &c.title)? + 4.0);
    let mut taken: Vec<Square> = c.tiles.iter().map(|t| grid.tile(t.row, t.col)).collect();
    let tiles = taken.clone();
    let isl: Vec<Square> = c.islands.iter().map(|i| grid.tile(i.row, i.col)).collect();
    let isl_labels = IslandLabels::lay_out(&c.islands, &isl, MAP_W)?;
    taken.extend(isl.iter().copied().chain(isl_labels.boxes()));
    let legend = MapLegend::new(c, &b, dec, lang, has_missing)?;
    let (lx, ly) = legend.place(&grid, &taken);
    // The canvas ends under the grid, the legend or a name, whichever is lowest.
    let low = taken.iter().fold(grid.bottom(), |a, t| a.max(t.3));
    s.h = (low.max(ly + legend.h) + MARGIN).ceil() as u32;

    let labels: Vec<&str> = c
        .tiles
        .iter()
        .map(|t| match t.label.trim().is_empty() {
            true => t.code.as_str(),
            false => t.label.as_str(),
        })
        .collect();
    let (w, h) = (grid.side - grid.gap - 3.0, grid.side - grid.gap - 2.0);
    let min = min_font(MAP_W);
    let font = tile_font(&labels, w, h, (grid.side * 0.25).clamp(min, 14.0), min)?;
    let room = TileText { w, h, font };
    let n = b.len() - 1;
    for ((t, sq), label) in c.tiles.iter().zip(&tiles).zip(&labels) {
        let v = value(t);
        let fill = v.map_or(NO_DATA, |v| class_color(class_of(v, &b), n));
        let val = v.map_or("–".to_string(), |v| lang.pct(v, dec));
        draw_tile(&mut s, *sq, fill, (label, &val), room)?;
    }
    draw_islands(&mut s, &c.islands, &isl, &isl_labels, font)?;
    legend.draw(&mut s, (lx, ly));
    Ok(s)
}

/// The rows and columns the tiles take: the first of each and how many.
#[derive(Clone, Copy)]
struct Span {
    rmin: u32,
    cmin: u32,
    rows: u64,
    cols: u64,
}

impl Span {
    /// Some tiles, no two in one place, spanning at most `MAX_SPAN` rows and columns.
    fn check(c: &TileMap, name: &str) -> Result<Span> {
        if c.tiles.is_empty() {
            return Err(usage(format!("chart \"{name}\": no tiles to draw")));
        }
        let mut cells = BTreeSet::new();
        let all = (c.tiles.iter().map(|t| (t.code.as_str(), t.row, t.col)))
            .chain(c.islands.iter().map(|i| (i.short.as_str(), i.row, i.col)));
        for (code, row, col) in all {
            if !cells.insert((row, col)) {
                return Err(usage(format!(
                    "chart \"{name}\": tile \"{code}\" is at row {row}, column {col}, where another tile already is"
                )));
            }
        }
        let (rmin, rmax) = (
            cells.iter().map(|c| c.0).min().unwrap_or(0),
            cells.iter().map(|c| c.0).max().unwrap_or(0),
        );
        let (cmin, cmax) = (
            cells.iter().map(|c| c.1).min().unwrap_or(0),
            cells.iter().map(|c| c.1).max().unwrap_or(0),
        );
        let rows = u64::from(rmax) - u64::from(rmin) + 1;
        let cols = u64::from(cmax) - u64::from(cmin) + 1;
        if rows > MAX_SPAN || cols > MAX_SPAN {
            return Err(usage(format!(
                "chart \"{name}\": the grid spans {rows} rows × {cols} columns (at most {MAX_SPAN})"
            )));
        }
        Ok(Span {
            rmin,
            cmin,
            rows,
            cols,
        })
    }
}

/// A tile's square in pixels: (x0, y0, x1, y1).
pub(crate) type Square = (f64, f64, f64, f64);

/// The grid in pixels: squares `side` px apart (at most 110), centred
/// across the canvas from `gy` down, `gap` px between them.
struct Grid {
    span: Span,
    side: f64,
    gx: f64,
    gy: f64,
    gap: f64,
}

impl Grid {
    fn new(span: Span, top: f64) -> Grid {
        let (wf, hf) = (f64::from(MAP_W), f64::from(MAP_H));
        let side = ((wf - 2.0 * MARGIN) / span.cols as f64)
            .min((hf - top - MARGIN) / span.rows as f64)
            .min(110.0)
            .floor();
        Grid {
            span,
            side,
            gx: ((wf - side * span.cols as f64) / 2.0).round(),
            gy: top,
            gap: (side * 0.06).round().max(2.0),
        }
    }

    /// The square of the tile at (`r`, `col`).
    fn tile(&self, r: u32, col: u32) -> Square {
        let x = self.gx + self.side * f64::from(col - self.span.cmin);
        let y = self.gy + self.side * f64::from(r - self.span.rmin);
        let g = self.gap / 2.0;
        (x + g, y + g, x + self.side - g, y + self.side - g)
    }

    fn bottom(&self) -> f64 {
        self.gy + self.side * self.span.rows as f64
    }
}

/// A filled square with a grey border (on whole pixels, cut down).
pub(crate) fn bordered(s: &mut Scene, (x0, y0, x1, y1): Square, fill: RGBColor) {
    s.rect(x0, y0, x1, y1, fill);
    s.ops.push(Op::Rect {
        x0: x0 as i32,
        y0: y0 as i32,
        x1: x1 as i32,
        y1: y1 as i32,
        color: BORDER,
        fill: false,
    });
}

/// The room for text in a tile and the one font of all tiles.
#[derive(Clone, Copy)]
struct TileText {
    w: f64,
    h: f64,
    font: Font,
}

/// One tile: its square in `fill`, the name (in full or short) and the
/// value in bold under it, centred together.
fn draw_tile(
    s: &mut Scene,
    sq: Square,
    fill: RGBColor,
    (label, val): (&str, &str),
    room: TileText,
) -> Result<()> {
    let (x0, y0, x1, y1) = sq;
    bordered(s, sq, fill);
    let (tw, th, f) = (room.w, room.h, room.font);
    let lines = match tile_lines(label, tw, th, f)? {
        Some(l) => l,
        None => vec![fit(&abbreviate(&clean(label)), tw, f)?],
    };
    let vfont = Font::bold(f.size);
    let val = fit(val, tw, vfont)?;
    let ink = ink_on(fill);
    let n = lines.len() as f64 + 1.0;
    let y_start = (y0 + y1) / 2.0 - n * f.line() / 2.0;
    let cx = (x0 + x1) / 2.0;
    for (k, l) in lines.iter().enumerate() {
        let at = (cx, y_start + f.line() * (k as f64 + 0.5));
        s.text(l, at, f, ink, HPos::Center, VPos::Center);
    }
    let at = (cx, y_start + f.line() * (n - 0.5));
    s.text(&val, at, vfont, ink, HPos::Center, VPos::Center);
    Ok(())
}

/// The legend block: its title (wrapped, bold), then a swatch and the
/// bounds of each class, and "no data" if a tile has none.
struct MapLegend {
    title: Vec<String>,
    entries: Vec<(String, RGBColor)>,
    w: f64,
    h: f64,
}

const LEGEND_ROW: f64 = 22.0;

impl MapLegend {
    fn new(c: &TileMap, b: &[f64], dec: usize, lang: Lang, missing: bool) -> Result<MapLegend> {
        let n = b.len() - 1;
        let mut entries: Vec<(String, RGBColor)> = (0..n)
            .map(|k| {
                let text = format!("{} – {}", lang.pct(b[k], dec), lang.pct(b[k + 1], dec));
                (text, class_color(k, n))
            })
            .collect();
        if missing {
            entries.push((lang.t("Không có số liệu", "No data").to_string(), NO_DATA));
        }
        let title = wrap(&c.legend, 160.0, Self::TITLE, 3)?;
        let mut w = widest(&title, Self::TITLE)?;
        for (l, _) in &entries {
            w = w.max(26.0 + text_w(l, Self::TEXT)?);
        }
        let h = title.len() as f64 * Self::TITLE.line() + 6.0 + entries.len() as f64 * LEGEND_ROW;
        Ok(MapLegend {
            title,
            entries,
            w,
            h,
        })
    }

    const TITLE: Font = Font::bold(14.0);
    const TEXT: Font = Font::new(14.0);

    /// The first free place next to the grid, row by row from the top and
    /// left to right (the left margin, each column, the right margin); else
    /// under the grid.
    fn place(&self, grid: &Grid, tiles: &[Square]) -> (f64, f64) {
        let (wf, hf) = (f64::from(MAP_W), f64::from(MAP_H));
        let (lw, lh) = (self.w, self.h);
        let free = |x: f64, y: f64| {
            x >= MARGIN - 0.5
                && x + lw <= wf - MARGIN + 0.5
                && y >= grid.gy
                && y + lh <= hf - MARGIN
                && tiles.iter().all(|t| {
                    x + lw + 8.0 <= t.0 || x >= t.2 + 8.0 || y + lh + 8.0 <= t.1 || y >= t.3 + 8.0
                })
        };
        let xs: Vec<f64> = std::iter::once(MARGIN)
            .chain((0..grid.span.cols).map(|k| grid.gx + grid.side * k as f64 + grid.gap))
            .chain(std::iter::once(wf - MARGIN - lw))
            .collect();
        (0..grid.span.rows)
            .map(|r| grid.gy + grid.side * r as f64)
            .find_map(|y| xs.iter().find(|&&x| free(x, y)).map(|&x| (x, y)))
            .unwrap_or((MARGIN, grid.bottom() + 12.0))
    }

    fn draw(&self, s: &mut Scene, (lx, ly): (f64, f64)) {
        let mut y = ly;
        for l in &self.title {
            s.text(l, (lx, y), Self::TITLE, INK, HPos::Left, VPos::Top);
            y += Self::TITLE.line();
        }
        y += 6.0;
        for (l, color) in &self.entries {
            bordered(s, (lx, y + 3.0, lx + 18.0, y + 17.0), *color);
            let at = (lx + 26.0, y + 10.0);
            s.text(l, at, Self::TEXT, INK, HPos::Left, VPos::Center);
            y += LEGEND_ROW;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::style::SEQ5;
    use super::super::testutil::*;
    use super::super::*;
    use super::*;
    use crate::i18n::Lang;

    fn hex(c: plotters::style::RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// The 63 provinces with made-up rates; `missing` of them without data.
    fn map63(missing: usize) -> TileMap {
        let geo = crate::geo::geography();
        let tiles = tile_grid(Scheme::Provinces63)
            .into_iter()
            .enumerate()
            .map(|(i, (code, row, col))| Tile {
                label: geo
                    .province(&code)
                    .map(|p| p.name_vi.clone())
                    .unwrap_or_default(),
                value: (i >= missing).then(|| 0.4 + (i as f64 * 7.3) % 30.0),
                code,
                row,
                col,
            })
            .collect();
        TileMap {
            title: "Tỷ lệ hộ nghèo, 63 tỉnh, 2023".into(),
            legend: "Tỷ lệ hộ nghèo (%)".into(),
            tiles,
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        }
    }

    #[test]
    fn tile_map_counts_classes_grey_and_language() {
        let chart = Chart::TileMap(map63(3));
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Tỷ lệ hộ nghèo, 63 tỉnh, 2023"));
        // Each tile is one filled rect in its class colour; each legend entry adds one.
        let per_class: Vec<usize> = SEQ5
            .iter()
            .map(|c| count(&vi, "rect", &hex(*c)) - 1)
            .collect();
        assert_eq!(per_class.iter().sum::<usize>(), 60, "{per_class:?}");
        assert!(
            per_class.iter().all(|n| *n >= 6),
            "quintile classes are balanced: {per_class:?}"
        );
        assert_eq!(count(&vi, "rect", &hex(NO_DATA)), 3 + 1, "no data is grey");
        assert!(vi.contains("Không có số liệu"));
        // Values on the tiles (max ≥ 10 → one decimal): tile 3 is 0.4 + 21.9.
        assert!(has(&vi, "22,3 %"), "tile value");
        assert!(vi.contains("0,4 % – "), "legend lower bound");
        let en = svg(&chart, Lang::En).unwrap();
        assert!(has(&en, "22.3%") && en.contains("No data"));
        let png = png(&chart, Lang::Vi).unwrap();
        assert!(is_png(&png));
        keep("tilemap63.png", &png);
    }

    #[test]
    fn tile_map_34_units() {
        let tiles: Vec<Tile> = tile_grid(Scheme::Units34)
            .into_iter()
            .enumerate()
            .map(|(i, (code, row, col))| Tile {
                label: unit34_name(&code, Lang::Vi).unwrap_or_default(),
                value: Some(0.5 + i as f64 * 0.25),
                code,
                row,
                col,
            })
            .collect();
        let chart = Chart::TileMap(TileMap {
            title: "Tỷ lệ hộ nghèo theo 34 đơn vị sau sáp nhập 2025, 2023".into(),
            legend: "Tỷ lệ hộ nghèo (%)".into(),
            tiles,
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        });
        let vi = svg(&chart, Lang::Vi).unwrap();
        let n: usize = SEQ5.iter().map(|c| count(&vi, "rect", &hex(*c)) - 1).sum();
        assert_eq!(n, 34);
        assert!(has(&vi, "1,00 %"), "values below 10 % have two decimals");
        assert!(vi.contains("Huế"));
        let png = png(&chart, Lang::Vi).unwrap();
        assert!(is_png(&png));
        keep("tilemap34.png", &png);
    }

    #[test]
    fn tile_map_edge_cases() {
        let e = svg(
            &Chart::TileMap(TileMap {
                title: "t".into(),
                legend: "l".into(),
                tiles: vec![],
                islands: Vec::new(),
                caveats: crate::chart::Caveats::default(),
            }),
            Lang::Vi,
        );
        assert!(e.unwrap_err().to_string().contains("no tiles"));
        let tile = |code: &str, row, col, value| Tile {
            code: code.into(),
            label: String::new(),
            row,
            col,
            value,
        };
        // All missing or NaN, or one value: no scale, so no map, and why.
        let c = TileMap {
            title: "t".into(),
            legend: "l".into(),
            tiles: vec![tile("a", 0, 0, None), tile("b", 0, 1, Some(f64::NAN))],
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        };
        let why = why_not_drawn(&Chart::TileMap(c.clone()), Lang::Vi).unwrap();
        assert!(why.contains("không đơn vị nào có số liệu"), "{why}");
        assert_eq!(
            svg(&Chart::TileMap(c), Lang::Vi).unwrap_err().to_string(),
            why
        );
        let mut c = TileMap {
            title: "t".into(),
            legend: "l".into(),
            tiles: vec![
                tile("a", 0, 0, Some(2.5)),
                tile("b", 0, 1, Some(2.5)),
                tile("c", 0, 2, None),
            ],
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        };
        let why = why_not_drawn(&Chart::TileMap(c.clone()), Lang::En).unwrap();
        assert!(
            why.contains("2 unit(s) with data, all of one value (2.50%)"),
            "{why}"
        );
        // Two distinct values: two classes in the legend, no more.
        c.tiles[1].value = Some(4.0);
        assert_eq!(why_not_drawn(&Chart::TileMap(c.clone()), Lang::En), None);
        let out = svg(&Chart::TileMap(c), Lang::En).unwrap();
        assert_eq!(out.matches("% – ").count(), 2, "two classes");
        assert_eq!(count(&out, "rect", &hex(NO_DATA)), 1 + 1, "one grey tile");
        // Far-away coordinates.
        let c = TileMap {
            title: "t".into(),
            legend: "l".into(),
            tiles: vec![
                tile("x", 4_000_000_000, 7, Some(0.0)),
                tile("y", 4_000_000_000, 8, Some(1.0)),
            ],
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        };
        assert!(is_png(&png(&Chart::TileMap(c), Lang::En).unwrap()));
        let c = TileMap {
            title: "t".into(),
            legend: "l".into(),
            tiles: vec![tile("a", 0, 0, Some(1.0)), tile("b", 0, 0, Some(2.0))],
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        };
        assert!(svg(&Chart::TileMap(c), Lang::Vi)
            .unwrap_err()
            .to_string()
            .contains("another tile"));
        let c = TileMap {
            title: "t".into(),
            legend: "l".into(),
            tiles: vec![tile("a", 0, 0, Some(1.0)), tile("b", u32::MAX, 0, None)],
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        };
        assert!(svg(&Chart::TileMap(c), Lang::Vi).is_err());
    }

    #[test]
    fn short_names() {
        assert_eq!(abbreviate("Bà Rịa – Vũng Tàu"), "BR–VT");
        assert_eq!(abbreviate("Thừa Thiên Huế"), "TT Huế");
        assert_eq!(abbreviate("TP Hồ Chí Minh"), "TP HCM");
        assert_eq!(abbreviate("Ho Chi Minh City"), "HCM City");
        assert_eq!(abbreviate("Huế"), "Huế");
    }
}
