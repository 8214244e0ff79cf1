//! A chart's numbers as a table, in the language and with the decimals the
//! chart draws: what a report shows in the chart's place where the image
//! would be too small to read (a phone), and what a screen reader reads.

use super::style::decimals;
use super::{Chart, Lines, StackedBars, Trend};
use crate::i18n::Lang;

/// A chart's data: a header row, then one row per bar, province, category
/// or x value; the first column names the row. `unit` says what the
/// numbers are (the chart's axis or legend title); `notes` are the chart's
/// caveats, which the image carries and the table must too.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataTable {
    /// The chart's title, which the image draws.
    pub title: String,
    pub unit: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

const DASH: &str = "–";

/// The numbers `chart` draws, formatted as it writes them.
pub fn data_table(chart: &Chart, lang: Lang) -> DataTable {
    let pct = |dec: usize| {
        move |v: f64| {
            if v.is_finite() {
                lang.pct(v, dec)
            } else {
                DASH.into()
            }
        }
    };
    let (unit, header, rows) = match chart {
        Chart::Stacked(c) => {
            let f = pct(decimals(max_abs(
                c.bars.iter().flat_map(|b| b.1.iter().copied()),
            )));
            let rows = c
                .bars
                .iter()
                .map(|(name, vs)| row(name, vs.iter().map(|v| f(*v))));
            (c.axis.clone(), keyed(&c.series), rows.collect::<Vec<_>>())
        }
        Chart::Grouped(c) => {
            let f = pct(decimals(max_abs(c.values.iter().flatten().copied())));
            let rows = c.categories.iter().enumerate().map(|(j, name)| {
                row(
                    name,
                    c.values
                        .iter()
                        .map(|s| f(s.get(j).copied().unwrap_or(f64::NAN))),
                )
            });
            (c.axis.clone(), keyed(&c.series), rows.collect())
        }
        Chart::Dumbbell(c) => {
            let f = pct(decimals(max_abs(c.rows.iter().flat_map(|r| [r.1, r.2]))));
            let rows = c.rows.iter().map(|(name, a, b)| row(name, [f(*a), f(*b)]));
            let header = keyed(&[c.from_label.clone(), c.to_label.clone()]);
            (c.axis.clone(), header, rows.collect())
        }
        Chart::TileMap(c) => {
            // The units with data, highest first; the grey tiles are
            // counted in a note.
            let mut data: Vec<(&str, f64)> = (c.tiles.iter())
                .filter_map(|t| {
                    t.value
                        .filter(|v| v.is_finite())
                        .map(|v| (t.label.as_str(), v))
                })
                .collect();
            data.sort_by(|a, b| b.1.total_cmp(&a.1));
            let f = pct(decimals(max_abs(data.iter().map(|d| d.1))));
            let rows = data.iter().map(|(name, v)| row(name, [f(*v)]));
            (
                c.legend.clone(),
                keyed(std::slice::from_ref(&c.legend)),
                rows.collect(),
            )
        }
        Chart::Lines(c) => lines(c, lang),
        Chart::Trend(c) => trend(c, lang),
    };
    let notes = notes(chart, lang, rows.len());
    DataTable {
        title: title(chart).to_string(),
        unit,
        header,
        rows,
        notes,
    }
}

/// The notes under a chart's table: its caveats, a stacked chart's
/// reference line (first), a trend's changes of standard, a map's units
/// without data (`rows` units have some).
fn notes(chart: &Chart, lang: Lang, rows: usize) -> Vec<String> {
    let caveats = chart.caveats();
    let mut notes: Vec<String> = caveats
        .subtitle
        .iter()
        .chain(&caveats.notes)
        .cloned()
        .collect();
    if let Chart::Stacked(StackedBars {
        reference: Some((label, v)),
        bars,
        ..
    }) = chart
    {
        // The reference line, with the decimals of the bars.
        let dec = decimals(max_abs(bars.iter().flat_map(|b| b.1.iter().copied())));
        // A non-breaking space keeps "4,2 %" on one line.
        notes.insert(
            0,
            format!("{label}: {}", lang.pct(*v, dec).replace(' ', "\u{a0}")),
        );
    }
    if let Chart::Trend(c) = chart {
        for (i, label) in &c.breaks {
            if let (Some(a), Some(b)) = (c.years.get(*i), c.years.get(i + 1)) {
                notes.push(format!("{label}: {a} → {b}"));
            }
        }
    }
    if let Chart::TileMap(c) = chart {
        if rows < c.tiles.len() {
            notes.push(
                lang.t(
                    "Các đơn vị khác: không có số liệu.",
                    "Other units: no data.",
                )
                .to_string(),
            );
        }
    }
    notes
}

fn title(chart: &Chart) -> &str {
    match chart {
        Chart::Stacked(c) => &c.title,
        Chart::Grouped(c) => &c.title,
        Chart::Dumbbell(c) => &c.title,
        Chart::TileMap(c) => &c.title,
        Chart::Lines(c) => &c.title,
        Chart::Trend(c) => &c.title,
    }
}

/// A trend: one row per year; per series its rate, its count and, where
/// the sample gives one, its 95 % interval; each change of standard as a
/// note ("Đổi chuẩn nghèo (…): 2021 → 2022").
fn trend(c: &Trend, lang: Lang) -> (String, Vec<String>, Vec<Vec<String>>) {
    let points = || c.series.iter().flat_map(|s| s.points.iter().flatten());
    let dec = decimals(max_abs(points().map(|p| p.pct)));
    let counted = points().any(|p| p.count.is_some());
    let ci = points().any(|p| p.ci.is_some());
    let mut header = vec![c.x_axis.clone()];
    for s in &c.series {
        header.push(format!("{} (%)", s.name));
        if counted {
            header.push(format!("{} ({})", s.name, c.unit));
        }
        if ci {
            header.push(format!("{} ({})", s.name, lang.t("KTC 95 %", "95% CI")));
        }
    }
    let rows = (c.years.iter().enumerate())
        .map(|(i, y)| {
            let mut cells = Vec::new();
            for s in &c.series {
                let p = s.points.get(i).copied().flatten();
                cells.push(p.map_or(DASH.into(), |p| number(lang, p.pct, dec)));
                if counted {
                    let n = p.and_then(|p| p.count);
                    cells.push(n.map_or(DASH.into(), |n| lang.count(n)));
                }
                if ci {
                    cells.push(p.and_then(|p| p.ci).map_or(DASH.into(), |(lo, hi)| {
                        format!("{}–{}", number(lang, lo, dec), number(lang, hi, dec))
                    }));
                }
            }
            row(&y.to_string(), cells)
        })
        .collect();
    (c.axis.clone(), header, rows)
}

/// Lines: one row per x value (in order), one column per series; the
/// first column is headed by the x axis' title.
fn lines(c: &Lines, lang: Lang) -> (String, Vec<String>, Vec<Vec<String>>) {
    let dec = decimals(max_abs(
        c.series.iter().flat_map(|s| s.1.iter().map(|p| p.1)),
    ));
    let mut xs: Vec<f64> = (c.series.iter())
        .flat_map(|s| s.1.iter().map(|p| p.0))
        .filter(|x| x.is_finite())
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    let at = |s: &(String, Vec<(f64, f64)>), x: f64| {
        s.1.iter().find(|p| p.0 == x).map_or(f64::NAN, |p| p.1)
    };
    let rows = xs.iter().map(|&x| {
        row(
            &number(lang, x, x_decimals(x)),
            c.series.iter().map(|s| number(lang, at(s, x), dec)),
        )
    });
    let header = std::iter::once(c.x_axis.clone()).chain(c.series.iter().map(|s| s.0.clone()));
    (c.y_axis.clone(), header.collect(), rows.collect())
}

/// A header: an empty cell over the rows' names, then `columns`.
fn keyed(columns: &[String]) -> Vec<String> {
    std::iter::once(String::new())
        .chain(columns.iter().cloned())
        .collect()
}

fn row<S: Into<String>>(name: &str, values: impl IntoIterator<Item = S>) -> Vec<String> {
    std::iter::once(name.to_string())
        .chain(values.into_iter().map(Into::into))
        .collect()
}

fn max_abs(vs: impl Iterator<Item = f64>) -> f64 {
    vs.filter(|v| v.is_finite())
        .fold(0.0, |m, v| m.max(v.abs()))
}

/// Whole numbers (years) without decimals, others with two.
fn x_decimals(x: f64) -> usize {
    if x.fract() == 0.0 {
        0
    } else {
        2
    }
}

/// A number in the language, no unit; a dash when it is not finite.
fn number(lang: Lang, v: f64, dec: usize) -> String {
    if !v.is_finite() {
        return DASH.into();
    }
    let s = format!("{v:.dec$}");
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use super::*;

    /// A trend: a row per year, rate and count per series (a dash for a
    /// year without a value), the change of standard as a note.
    #[test]
    fn a_trend_by_year_with_its_change_of_standard() {
        let t = data_table(&Chart::Trend(trend::tests::three_years()), Lang::Vi);
        assert_eq!(
            t.header,
            [
                "Năm khảo sát",
                "Hộ nghèo (%)",
                "Hộ nghèo (hộ)",
                "Hộ cận nghèo (%)",
                "Hộ cận nghèo (hộ)"
            ]
        );
        assert_eq!(t.rows[0], ["2020", "4,44", "1.234", "2,50", "700"]);
        assert_eq!(t.rows[1], ["2021", "3,90", "1.100", "–", "–"]);
        assert_eq!(
            t.notes,
            ["Đổi chuẩn nghèo (QĐ 59/2015 → NĐ 07/2021): 2021 → 2022"]
        );
    }

    #[test]
    fn bars_as_rows_with_the_charts_decimals_and_caveats() {
        let c = Chart::Stacked(StackedBars {
            title: "Tỷ lệ hộ nghèo".into(),
            axis: "Tỷ lệ (%)".into(),
            series: vec!["Nghèo".into(), "Cận nghèo".into()],
            bars: vec![
                ("Điện Biên".into(), vec![25.59, 12.0]),
                ("Hà Nội".into(), vec![0.5, 1.0]),
            ],
            reference: Some(("Cả nước".into(), 4.444)),
            classes: vec![],
            caveats: Caveats {
                subtitle: Some("Chuẩn thay đổi".into()),
                notes: vec!["Số liệu mẫu".into()],
            },
        });
        let t = data_table(&c, Lang::Vi);
        assert_eq!(t.title, "Tỷ lệ hộ nghèo");
        assert_eq!(t.unit, "Tỷ lệ (%)");
        assert_eq!(t.header, ["", "Nghèo", "Cận nghèo"]);
        assert_eq!(t.rows[0], ["Điện Biên", "25,6 %", "12,0 %"]);
        assert_eq!(t.rows[1], ["Hà Nội", "0,5 %", "1,0 %"]);
        assert_eq!(
            t.notes,
            ["Cả nước: 4,4\u{a0}%", "Chuẩn thay đổi", "Số liệu mẫu"]
        );
        assert_eq!(data_table(&c, Lang::En).rows[0][1], "25.6%");
    }

    #[test]
    fn a_map_lists_the_units_with_data_and_says_the_rest_have_none() {
        let tile = |label: &str, value| Tile {
            code: label.into(),
            label: label.into(),
            row: 0,
            col: 0,
            value,
        };
        let mut m = TileMap {
            title: "Bản đồ".into(),
            legend: "Tỷ lệ hộ nghèo (%)".into(),
            tiles: vec![
                tile("A", Some(4.444)),
                tile("B", None),
                tile("C", Some(f64::NAN)),
                tile("D", Some(12.0)),
            ],
            islands: vec![],
            caveats: Caveats::default(),
        };
        let t = data_table(&Chart::TileMap(m.clone()), Lang::Vi);
        assert_eq!(t.rows, [["D", "12,0 %"], ["A", "4,4 %"]]);
        assert_eq!(t.notes, ["Các đơn vị khác: không có số liệu."]);
        m.tiles.truncate(1);
        assert!(data_table(&Chart::TileMap(m), Lang::En).notes.is_empty());
    }

    #[test]
    fn lines_one_row_per_x_in_order_a_dash_where_a_series_has_no_point() {
        let c = Chart::Lines(Lines {
            title: "Xu hướng".into(),
            x_axis: "Năm".into(),
            y_axis: "Tỷ lệ (%)".into(),
            series: vec![
                ("Nghèo".into(), vec![(2022.0, 3.5), (2020.0, 4.444)]),
                ("Cận nghèo".into(), vec![(2020.0, 6.0), (2021.0, f64::NAN)]),
            ],
            caveats: Caveats::default(),
        });
        let t = data_table(&c, Lang::Vi);
        assert_eq!(t.header, ["Năm", "Nghèo", "Cận nghèo"]);
        assert_eq!(
            t.rows,
            [
                ["2020", "4,44", "6,00"],
                ["2021", "–", "–"],
                ["2022", "3,50", "–"]
            ]
        );
    }
}
