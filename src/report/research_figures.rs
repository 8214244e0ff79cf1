//! The report's research charts, from the estimates: each indicator's
//! contribution to M0 by region, and the cut-off sensitivity of H. The
//! official rates' charts are in `figures`.

use super::figures::{group_label, with, Figure, Figures};
use crate::chart::{Caveats, Chart, Lines, StackedBars};
use crate::export::{Estimates, Frame};
use crate::i18n::Lang;
use crate::measure::Measure;
use crate::standard::Standard;
use std::collections::BTreeMap;

/// The file stems of the research charts: the report shows them with the
/// research measures, apart from the official figures.
pub(super) const STEMS: [&str; 2] = ["contributions_by_region", "cutoff_sensitivity"];

/// Add the research charts to `out`, or say why each is skipped.
pub(super) fn add(
    out: &mut Figures,
    (est, st): (&Estimates, &Standard),
    (years, k): (&[i64], Option<&str>),
    cav: &dyn Fn(&[i64], bool) -> Caveats,
    lang: Lang,
) {
    let Some(&last) = years.last() else {
        return;
    };
    let mut add = |f: Option<Figure>, what: &str, why: &str| match f {
        Some(f) => out.figures.push(f),
        None => out.skipped.push(format!("{what}: {why}")),
    };
    let no_region = lang.t(
        "không có ước lượng của hai vùng trở lên",
        "no estimates for two or more regions",
    );
    add(
        k.and_then(|k| {
            with(contributions(&est.estimates, st, last, k, lang), || {
                cav(&[last], false)
            })
        }),
        lang.t("Đóng góp vào M0 theo vùng", "Contributions to M0 by region"),
        no_region,
    );
    add(
        with(sensitivity(&est.estimates, years, lang), || {
            cav(years, false)
        }),
        lang.t("Độ nhạy theo ngưỡng k", "Cut-off sensitivity"),
        lang.t("chỉ có một ngưỡng k", "a single cut-off"),
    );
}

fn est_rows<'a>(e: &'a Frame, year: i64, grouping: &'a str) -> impl Iterator<Item = usize> + 'a {
    let y = year.to_string();
    (0..e.rows()).filter(move |&r| {
        e.cell_named("survey_year", r) == y
            && e.cell_named("level", r) == grouping
            && e.cell_named("unit_of_analysis", r) == "household"
    })
}

pub(super) fn contributions(
    e: &Frame,
    st: &Standard,
    year: i64,
    k: &str,
    lang: Lang,
) -> Option<Figure> {
    let mut by_region: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let ids: Vec<&str> = st.indicators.iter().map(|i| i.id.as_str()).collect();
    for r in est_rows(e, year, "region").filter(|&r| {
        e.cell_named("measure", r) == Measure::Contribution.name() && e.cell_named("k", r) == k
    }) {
        let Some(j) = ids
            .iter()
            .position(|id| *id == e.cell_named("indicator", r))
        else {
            continue;
        };
        // A region with no AF-poor household has no contributions: left out.
        let Some(value) = e.float("estimate", r) else {
            continue;
        };
        let v = by_region
            .entry(e.cell_named("code", r))
            .or_insert_with(|| vec![0.0; ids.len()]);
        v[j] = 100.0 * value;
    }
    if by_region.len() < 2 {
        return None;
    }
    let bars = by_region
        .into_iter()
        .map(|(code, v)| (group_label("region", &code, "", lang), v))
        .collect();
    Some(Figure {
        stem: STEMS[0],
        caption: lang.t("Phần đóng góp của mỗi chỉ số vào chỉ số nghèo đa chiều điều chỉnh M0 của từng vùng.", "Share of each indicator in the adjusted headcount ratio M0 of each region.").to_string(),
        chart: Chart::Stacked(StackedBars {
            title: format!("{} k = {k}, {year}", lang.t("Đóng góp của các chỉ số vào M0 theo vùng,", "Indicator contributions to M0 by region,")),
            axis: lang.t("Đóng góp (%)", "Contribution (%)").to_string(),
            series: st.indicators.iter().map(|i| lang.t(&i.label_vi, &i.label_en).to_string()).collect(),
            bars,
            reference: None,
            classes: Vec::new(),
            caveats: Caveats::default(),
        }),
    })
}

pub(super) fn sensitivity(e: &Frame, years: &[i64], lang: Lang) -> Option<Figure> {
    let series: Vec<(String, Vec<(f64, f64)>)> = years
        .iter()
        .map(|&y| {
            let mut pts: Vec<(f64, f64)> = est_rows(e, y, "total")
                .filter(|&r| e.cell_named("measure", r) == Measure::H.name())
                .filter_map(|r| {
                    let k = crate::exact::rational::Ratio::parse(&e.cell_named("k", r))?;
                    Some((100.0 * k.value(), 100.0 * e.float("estimate", r)?))
                })
                .collect();
            pts.sort_by(|a, b| a.0.total_cmp(&b.0));
            // A change of standard between the years is the chart's subtitle.
            (y.to_string(), pts)
        })
        .filter(|(_, p)| p.len() > 1)
        .collect();
    if series.is_empty() {
        return None;
    }
    Some(Figure {
        stem: STEMS[1],
        caption: lang
            .t(
                "Tỷ lệ hộ được xác định là nghèo đa chiều tại mỗi ngưỡng k.",
                "Share of households identified as multidimensionally poor at each cut-off k.",
            )
            .to_string(),
        chart: Chart::Lines(Lines {
            title: lang
                .t(
                    "Độ nhạy theo ngưỡng k: tỷ lệ nghèo đa chiều H",
                    "Cut-off sensitivity: multidimensional headcount H",
                )
                .into(),
            x_axis: lang
                .t("Ngưỡng k (% tổng trọng số)", "Cut-off k (% of weights)")
                .into(),
            y_axis: lang.t("H (%)", "H (%)").into(),
            series,
            caveats: Caveats::default(),
        }),
    })
}
