//! The report's figures, from the tables: which chart shows what, in which
//! language, and which charts are skipped because their data is missing
//! (one survey year, no sample design). The drawing is `chart`'s; the
//! numbers are the tables' and the estimates', never recomputed here.

use crate::chart::{
    self, Caveats, Chart, Class, Dumbbell, GroupedBars, Scheme, StackedBars, Tile, TileMap,
};
use crate::export::Estimates;
use crate::export::Frame;
use crate::export::LevelTables;
use crate::i18n::Lang;
use crate::measure::Level;
use crate::standard::{ByYear, Standard};
use std::collections::BTreeMap;

/// A figure to draw, with a file stem.
pub struct Figure {
    pub stem: &'static str,
    /// How to read the figure (its title is drawn in the chart).
    pub caption: String,
    pub chart: Chart,
}

/// Figures and the notes on those skipped.
#[derive(Default)]
pub struct Figures {
    pub figures: Vec<Figure>,
    pub skipped: Vec<String>,
}

/// A group's name in the language: provinces and regions from the
/// bundled geography, anything else as the table has it.
pub(super) fn group_label(level: &str, code: &str, table_name: &str, lang: Lang) -> String {
    let geo = crate::geo::geography();
    let found = match level {
        "province" => geo
            .province(code)
            .map(|p| lang.t(&p.name_vi, &p.name_en).to_string()),
        "region" => geo
            .region(code)
            .map(|r| lang.t(&r.name_vi, &r.name_en).to_string()),
        "unit2025" => geo
            .units_2025
            .get(code)
            .map(|u| lang.t(&u.name_vi, &u.name_en).to_string()),
        _ => None,
    };
    found.unwrap_or_else(|| {
        if table_name.is_empty() {
            code.to_string()
        } else {
            table_name.to_string()
        }
    })
}

/// Rows of a rates table for one year and level.
fn rows<'a>(f: &'a Frame, year: i64, level: &'a str) -> impl Iterator<Item = usize> + 'a {
    let y = year.to_string();
    (0..f.rows())
        .filter(move |&r| f.cell_named("survey_year", r) == y && f.cell_named("level", r) == level)
}

fn national(f: &Frame, year: i64, col: &str) -> Option<f64> {
    rows(f, year, "total").next().and_then(|r| f.float(col, r))
}

/// How a level's units are called in a title ("theo huyện", "by district").
pub fn by_words(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::District => lang.t("theo huyện", "by district"),
        Level::Commune => lang.t("theo xã", "by commune"),
        Level::Region => lang.t("theo vùng", "by region"),
        Level::Area => lang.t("theo thành thị, nông thôn", "by urban and rural area"),
        Level::Unit2025 => lang.t(
            "theo đơn vị sau sáp nhập 2025",
            "by unit after the 2025 merger",
        ),
        Level::Column(_) => lang.t("theo nhóm", "by group"),
        Level::Province | Level::Total => lang.t("theo tỉnh", "by province"),
    }
}

fn poor_stem(level: Level) -> &'static str {
    match level {
        Level::District => "poor_by_district",
        Level::Commune => "poor_by_commune",
        Level::Region => "poor_by_region",
        Level::Area => "poor_by_area",
        Level::Unit2025 => "poor_by_unit2025",
        Level::Column(_) => "poor_by_group",
        Level::Province | Level::Total => "poor_by_province",
    }
}

/// The change chart's file name, by the level it compares
/// (`poor_change_by_province`, `poor_change_by_district`, …).
fn change_stem(level: Level) -> &'static str {
    match level {
        Level::District => "poor_change_by_district",
        Level::Commune => "poor_change_by_commune",
        Level::Region => "poor_change_by_region",
        Level::Area => "poor_change_by_area",
        Level::Unit2025 => "poor_change_by_unit2025",
        Level::Column(_) => "poor_change_by_group",
        Level::Province | Level::Total => "poor_change_by_province",
    }
}

/// Why a chart of these values would mislead, if it would: one bar, or
/// fewer than two distinct values (a one-colour legend).
pub fn misleading(values: &[f64], lang: Lang) -> Option<String> {
    let mut distinct: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    match (values.len(), distinct.len()) {
        (0, _) => Some(lang.t("không có số liệu", "no data").into()),
        (1, _) => Some(
            lang.t(
                "chỉ có một đơn vị, một thanh không so sánh được gì",
                "only one unit: a single bar compares nothing",
            )
            .into(),
        ),
        (_, 0 | 1) => Some(
            lang.t(
                "mọi đơn vị có cùng một giá trị, thang màu hay độ dài không phân biệt được gì",
                "every unit has the same value: the scale would tell nothing apart",
            )
            .into(),
        ),
        _ => None,
    }
}

fn poor_by_unit(
    rates: &Frame,
    (level, total): (Level, &str),
    year: i64,
    lang: Lang,
) -> Result<Figure, String> {
    // The class shown beside the poor: near-poor under the count rules,
    // vulnerable under the weighted rule (never called near-poor).
    // Decided by the year's own standard: its total row has the class.
    let vulnerable = national(rates, year, "vulnerable_pct").is_some();
    let near_col = if vulnerable {
        "vulnerable_pct"
    } else {
        "near_poor_pct"
    };
    let mut bars: Vec<(String, Vec<f64>)> = rows(rates, year, level.name())
        .filter_map(|r| {
            let label = group_label(
                level.name(),
                &rates.cell_named("code", r),
                &rates.cell_named("name", r),
                lang,
            );
            Some((
                label,
                vec![rates.float("poor_pct", r)?, rates.float(near_col, r)?],
            ))
        })
        .collect();
    let sums: Vec<f64> = bars.iter().map(|b| b.1[0] + b.1[1]).collect();
    if let Some(why) = misleading(&sums, lang) {
        return Err(why);
    }
    bars.sort_by(|a, b| (b.1[0] + b.1[1]).total_cmp(&(a.1[0] + a.1[1])));
    let reference = national(rates, year, "poor_pct").map(|v| {
        let poor = lang.t("hộ nghèo", "poor");
        (format!("{total} ({poor})"), v)
    });
    let by = by_words(level, lang);
    let near_class = if vulnerable {
        Class::Vulnerable
    } else {
        Class::NearPoor
    };
    let (caption, title, near) = if vulnerable {
        (
            lang.t("Sắp xếp theo tỷ lệ hộ nghèo đa chiều và dễ bị tổn thương; đường kẻ là tỷ lệ hộ nghèo đa chiều của", "Sorted by the share of multidimensionally poor and vulnerable households; the line marks the poor rate of"),
            lang.t("Tỷ lệ hộ nghèo đa chiều và dễ bị tổn thương", "Multidimensionally poor and vulnerable households"),
            lang.t("Dễ bị tổn thương", "Vulnerable"),
        )
    } else {
        (
            lang.t("Sắp xếp theo tỷ lệ hộ nghèo và cận nghèo; đường kẻ là tỷ lệ hộ nghèo của", "Sorted by the share of poor and near-poor households; the line marks the poor rate of"),
            lang.t("Tỷ lệ hộ nghèo và cận nghèo", "Poor and near-poor households"),
            lang.t("Hộ cận nghèo", "Near-poor"),
        )
    };
    Ok(Figure {
        stem: poor_stem(level),
        caption: format!("{caption} {total}."),
        chart: Chart::Stacked(StackedBars {
            title: format!("{title} {by}, {total}, {year}"),
            axis: lang
                .t("Tỷ lệ hộ (%)", "Share of households (%)")
                .to_string(),
            series: vec![lang.t("Hộ nghèo", "Poor").into(), near.into()],
            bars,
            reference,
            classes: vec![Some(Class::Poor), Some(near_class)],
            caveats: Caveats::default(),
        }),
    })
}

fn deprivations(
    indicators: &Frame,
    (st, total): (&Standard, &str),
    year: i64,
    lang: Lang,
) -> Option<Figure> {
    let national_rows: Vec<usize> = rows(indicators, year, "total").collect();
    if national_rows.is_empty() {
        return None;
    }
    let mut categories = Vec::new();
    let mut all = Vec::new();
    let mut poor = Vec::new();
    for r in national_rows {
        let id = indicators.cell_named("indicator", r);
        let label = st
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map(|i| lang.t(&i.label_vi, &i.label_en).to_string())
            .unwrap_or(id);
        categories.push(label);
        // Undefined (no households, or no poor ones) is a dash, not a 0 bar.
        all.push(indicators.float("deprived_pct", r).unwrap_or(f64::NAN));
        poor.push(indicators.float("poor_deprived_pct", r).unwrap_or(f64::NAN));
    }
    Some(Figure {
        stem: "deprivation_by_indicator",
        caption: lang.t("Tỷ lệ hộ thiếu hụt từng chỉ số, trong tất cả các hộ và trong các hộ nghèo.", "Share of households deprived in each indicator, among all households and among the poor.").to_string(),
        chart: Chart::Grouped(GroupedBars {
            title: format!("{} {total}, {year}", lang.t("Tỷ lệ hộ thiếu hụt theo chỉ số,", "Households deprived by indicator,")),
            axis: lang.t("Tỷ lệ hộ (%)", "Share of households (%)").to_string(),
            series: vec![lang.t("Tất cả các hộ", "All households").into(), lang.t("Hộ nghèo", "Poor households").into()],
            categories,
            values: vec![all, poor],
            classes: vec![Some(Class::All), Some(Class::Poor)],
            caveats: Caveats::default(),
        }),
    })
}

fn change(rates: &Frame, level: Level, (y0, y1): (i64, i64), lang: Lang) -> Result<Figure, String> {
    let by_code = |y: i64| -> BTreeMap<String, (String, f64)> {
        rows(rates, y, level.name())
            .filter_map(|r| {
                Some((
                    rates.cell_named("code", r),
                    (rates.cell_named("name", r), rates.float("poor_pct", r)?),
                ))
            })
            .collect()
    };
    let (a, b) = (by_code(y0), by_code(y1));
    let mut rows: Vec<(String, f64, f64)> = a
        .iter()
        .filter_map(|(code, (name, v0))| {
            b.get(code)
                .map(|(_, v1)| (group_label(level.name(), code, name, lang), *v0, *v1))
        })
        .collect();
    let changes: Vec<f64> = rows.iter().map(|r| r.2 - r.1).collect();
    if let Some(why) = misleading(&changes, lang) {
        return Err(why);
    }
    rows.sort_by(|x, y| (y.2 - y.1).total_cmp(&(x.2 - x.1)).reverse());
    Ok(Figure {
        stem: change_stem(level),
        caption: lang
            .t(
                "Tỷ lệ hộ nghèo của từng đơn vị trong hai năm rà soát, sắp xếp theo mức thay đổi.",
                "Poor rate of each unit in the two survey years, sorted by the change.",
            )
            .to_string(),
        chart: Chart::Dumbbell(Dumbbell {
            title: format!(
                "{} {}, {y0}–{y1}",
                lang.t("Thay đổi tỷ lệ hộ nghèo", "Change in the poor rate"),
                by_words(level, lang),
            ),
            axis: lang
                .t("Tỷ lệ hộ nghèo (%)", "Poor households (%)")
                .to_string(),
            from_label: y0.to_string(),
            to_label: y1.to_string(),
            rows,
            caveats: Caveats::default(),
        }),
    })
}

/// Tile maps: the 63 provinces, and the 34 units after the 2025 merger
/// (rates recomputed from the provinces' weighted counts).
fn maps(rates: &Frame, year: i64, lang: Lang) -> Result<Vec<Figure>, String> {
    let mut poor: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for r in rows(rates, year, "province") {
        let den = rates.float("households_weighted", r).unwrap_or(0.0)
            - rates.float("excluded", r).unwrap_or(0.0);
        poor.insert(
            rates.cell_named("code", r),
            (rates.float("poor", r).unwrap_or(0.0), den),
        );
    }
    let rate = |(p, d): (f64, f64)| (d > 0.0).then(|| 100.0 * p / d);
    let values: Vec<f64> = poor.values().filter_map(|v| rate(*v)).collect();
    if let Some(why) = misleading(&values, lang) {
        return Err(why);
    }
    let geo = crate::geo::geography();
    let tiles63: Vec<Tile> = chart::tile_grid(Scheme::Provinces63)
        .into_iter()
        .map(|(code, row, col)| Tile {
            label: geo
                .province(&code)
                .map(|p| lang.t(&p.name_vi, &p.name_en).to_string())
                .unwrap_or_else(|| code.clone()),
            value: poor.get(&code).and_then(|v| rate(*v)),
            code,
            row,
            col,
        })
        .collect();
    let mut units: BTreeMap<String, (f64, f64)> = BTreeMap::new();
    for (old, new) in chart::crosswalk_2025() {
        if let Some((p, d)) = poor.get(&old) {
            let u = units.entry(new).or_insert((0.0, 0.0));
            u.0 += p;
            u.1 += d;
        }
    }
    let tiles34: Vec<Tile> = chart::tile_grid(Scheme::Units34)
        .into_iter()
        .map(|(code, row, col)| Tile {
            label: chart::unit34_name(&code, lang).unwrap_or_else(|| code.clone()),
            value: units.get(&code).and_then(|v| rate(*v)),
            code,
            row,
            col,
        })
        .collect();
    let legend = lang
        .t("Tỷ lệ hộ nghèo (%)", "Poor households (%)")
        .to_string();
    Ok(vec![
        Figure {
            stem: "map_provinces_63",
        caption: lang.t("Mỗi ô là một tỉnh ở vị trí gần đúng; màu càng đậm tỷ lệ càng cao; ô xám: không có số liệu.", "Each square is a province at its approximate position; darker means a higher rate; grey: no data.").to_string(),
            chart: Chart::TileMap(TileMap {
                title: format!("{} {year}", lang.t("Tỷ lệ hộ nghèo, 63 tỉnh,", "Poor households, 63 provinces,")),
                legend: legend.clone(),
                tiles: tiles63,
                islands: chart::islands(Scheme::Provinces63, lang),
                caveats: Caveats::default(),
            }),
        },
        Figure {
            stem: "map_units_34",
        caption: lang.t("34 đơn vị hành chính từ 1/7/2025 (Nghị quyết 202/2025/QH15); tỷ lệ tính lại từ số hộ của các tỉnh cũ.", "The 34 units from 1 July 2025 (Resolution 202/2025/QH15); rates recomputed from the former provinces’ counts.").to_string(),
            chart: Chart::TileMap(TileMap {
                title: format!("{} {year}", lang.t("Tỷ lệ hộ nghèo theo 34 đơn vị sau sáp nhập 2025,", "Poor households, 34 units after the 2025 merger,")),
                legend,
                tiles: tiles34,
                islands: chart::islands(Scheme::Units34, lang),
                caveats: Caveats::default(),
            }),
        },
    ])
}

/// What the figures are drawn for: the report's main level (its table
/// among `tables`) and the name of the run's total ("Tỉnh Điện Biên").
pub struct Focus<'a> {
    pub level: Level,
    pub total: &'a str,
}

/// As `with`, for a figure that may not be drawn, and why.
fn with_caveats(
    f: Result<Figure, String>,
    caveats: impl FnOnce() -> Caveats,
) -> Result<Figure, String> {
    f.map(|mut f| {
        *f.chart.caveats_mut() = caveats();
        f
    })
}

/// The figure with the caveats of the `years` it shows drawn into it.
pub(super) fn with(f: Option<Figure>, caveats: impl FnOnce() -> Caveats) -> Option<Figure> {
    f.map(|mut f| {
        *f.chart.caveats_mut() = caveats();
        f
    })
}

/// Every figure the data allows, for the last survey year (and the change
/// from the year before), by the report's main level; notes for those it
/// does not allow or whose scale would mislead. `by` is the standard of
/// each year, whose changes and status the charts carry.
pub fn figures(
    tables: &[LevelTables],
    est: &Estimates,
    (st, by, focus): (&Standard, &ByYear, &Focus<'_>),
    years: &[i64],
    k: Option<&str>,
    lang: Lang,
) -> Figures {
    let mut out = Figures::default();
    let Some(&last) = years.last() else {
        return out;
    };
    let sample = !est.census;
    let cav = |ys: &[i64], near: bool| super::caveats::for_years(by, ys, near, sample, lang);
    let main = tables.iter().find(|t| t.level == focus.level);
    let mut add = |f: Result<Figure, String>, what: &str| match f {
        Ok(f) => out.figures.push(f),
        Err(why) => out.skipped.push(format!("{what}: {why}")),
    };
    let no_table = lang.t("không có bảng theo đơn vị", "no table by unit");
    let by_unit = by_words(focus.level, lang);
    let Some(p) = main else {
        add(
            Err(no_table.into()),
            lang.t("Biểu đồ theo đơn vị", "Charts by unit"),
        );
        return out;
    };
    add(
        super::trend::figure((&p.rates, est), (by, years, focus), cav(years, true), lang),
        lang.t("Xu hướng qua các năm", "Trend over the years"),
    );
    let poor = lang.t("Tỷ lệ nghèo", "Poor rate");
    add(
        with_caveats(
            poor_by_unit(&p.rates, (focus.level, focus.total), last, lang),
            || cav(&[last], true),
        ),
        &format!("{poor} {by_unit}"),
    );
    add(
        with_caveats(
            deprivations(&p.indicators, (st, focus.total), last, lang)
                .ok_or_else(|| no_table.into()),
            || cav(&[last], false),
        ),
        lang.t("Thiếu hụt theo chỉ số", "Deprivations by indicator"),
    );
    let one_year = lang.t("chỉ có một năm khảo sát", "only one survey year");
    let prev = years.len().checked_sub(2).map(|i| years[i]);
    add(
        prev.ok_or_else(|| one_year.to_string()).and_then(|y0| {
            with_caveats(change(&p.rates, focus.level, (y0, last), lang), || {
                cav(&[y0, last], false)
            })
        }),
        lang.t("Thay đổi giữa hai năm", "Change between two years"),
    );
    if focus.level == Level::Province {
        match maps(&p.rates, last, lang) {
            Ok(mut maps) => {
                for m in &mut maps {
                    *m.chart.caveats_mut() = cav(&[last], false);
                }
                out.figures.extend(maps)
            }
            Err(why) => out
                .skipped
                .push(format!("{}: {why}", lang.t("Bản đồ", "Maps"))),
        }
    }
    let cav = |ys: &[i64], near: bool| super::caveats::for_years(by, ys, near, sample, lang);
    super::research_figures::add(&mut out, (est, st), (years, k), &cav, lang);
    // A chart whose scale would mislead (a map of one value) is not drawn.
    let (keep, drop): (Vec<Figure>, Vec<Figure>) = std::mem::take(&mut out.figures)
        .into_iter()
        .partition(|f| chart::why_not_drawn(&f.chart, lang).is_none());
    out.figures = keep;
    (out.skipped).extend(
        drop.iter()
            .filter_map(|f| chart::why_not_drawn(&f.chart, lang)),
    );
    out
}
