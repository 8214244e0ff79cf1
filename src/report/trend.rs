//! The trend figure: the run's total over every survey year, poor and
//! near-poor (or vulnerable) rates with their numbers of households, 95 %
//! error bars where the data are a sample, and a labelled break where the
//! standard changes between two years, named by its legal instruments
//! ("QĐ 59/2015 → NĐ 07/2021"), never by an id.

use super::figures::{Figure, Focus};
use crate::chart::{Caveats, Chart, Class, Trend, TrendPoint, TrendSeries};
use crate::export::{Estimates, Frame};
use crate::i18n::Lang;
use crate::standard::{ByYear, Standard};

/// The file stem of the trend chart.
pub const STEM: &str = "poor_trend";

/// A standard's short name: the instrument of its first legal basis that
/// has a number ("59/2015/QĐ-TTg" → "QĐ 59/2015", in English "Decision
/// 59/2015"), else its name.
pub fn short_name(st: &Standard, lang: Lang) -> String {
    let found = st.legal_basis.iter().find_map(|b| {
        b.split(|c: char| c.is_whitespace() || ",;:()".contains(c))
            .find_map(instrument)
    });
    match found {
        Some((kind, number)) => {
            let kind = match lang {
                Lang::Vi => kind,
                Lang::En => match kind.as_str() {
                    "QĐ" => "Decision".into(),
                    "NĐ" => "Decree".into(),
                    "TT" => "Circular".into(),
                    "NQ" => "Resolution".into(),
                    _ => kind,
                },
            };
            format!("{kind} {number}")
        }
        None => lang.t(&st.name_vi, &st.name_en).to_string(),
    }
}

/// A Vietnamese legal instrument's number ("59/2015/QĐ-TTg"): its kind
/// ("QĐ") and number with year ("59/2015").
fn instrument(token: &str) -> Option<(String, String)> {
    let mut parts = token.split('/');
    let (number, year, sign) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    let kind = sign.split('-').next()?;
    let upper = !kind.is_empty() && kind.chars().all(|c| c.is_uppercase());
    (parts.next().is_none() && digits(number, 1..=4) && digits(year, 4..=4) && upper)
        .then(|| (kind.to_string(), format!("{number}/{year}")))
}

fn same(a: &Standard, b: &Standard) -> bool {
    a.id == b.id && a.origin == b.origin && a.version == b.version
}

/// Between which consecutive `years` the standard changes, each with its
/// label ("Đổi chuẩn nghèo (QĐ 59/2015 → NĐ 07/2021)").
pub fn breaks(by: &ByYear, years: &[i64], lang: Lang) -> Vec<(usize, String)> {
    let st = |y: i64| by.get(&(y as i32));
    (years.windows(2).enumerate())
        .filter_map(|(i, w)| {
            let (a, b) = (st(w[0])?, st(w[1])?);
            (!same(a, b)).then(|| {
                let change = lang.t("Đổi chuẩn nghèo", "Change of standard");
                let (a, b) = (short_name(a, lang), short_name(b, lang));
                (i, format!("{change} ({a} → {b})"))
            })
        })
        .collect()
}

/// The total row of `year` in a rates table.
fn total_row(rates: &Frame, year: i64) -> Option<usize> {
    let y = year.to_string();
    (0..rates.rows()).find(|&r| {
        rates.cell_named("survey_year", r) == y && rates.cell_named("level", r) == "total"
    })
}

/// The 95 % interval of the total's `measure` in `year`, in percent, where
/// it has a standard error (a sample's estimate).
fn interval(est: &Estimates, year: i64, measure: &str) -> Option<(f64, f64)> {
    if est.census {
        return None;
    }
    let e = &est.estimates;
    let y = year.to_string();
    let r = (0..e.rows()).find(|&r| {
        e.cell_named("survey_year", r) == y
            && e.cell_named("level", r) == "total"
            && e.cell_named("unit_of_analysis", r) == "household"
            && e.cell_named("measure", r) == measure
    })?;
    e.float("se", r)?;
    Some((
        100.0 * e.float("ci_low", r)?,
        100.0 * e.float("ci_high", r)?,
    ))
}

/// A class's line: its rate, count and interval each year; None when no
/// year has the class.
fn series(
    (rates, est): (&Frame, &Estimates),
    years: &[i64],
    (pct, count, measure): (&str, &str, &str),
    (name, class): (&str, Class),
) -> Option<TrendSeries> {
    let points: Vec<Option<TrendPoint>> = (years.iter())
        .map(|&y| {
            let r = total_row(rates, y)?;
            Some(TrendPoint {
                pct: rates.float(pct, r)?,
                count: rates.float(count, r),
                ci: interval(est, y, measure),
            })
        })
        .collect();
    points.iter().any(Option::is_some).then(|| TrendSeries {
        name: name.to_string(),
        class: Some(class),
        points,
    })
}

/// The trend of the run's total over `years` from the main table's
/// `rates`, with the caveats of those years; why not, with one year.
pub fn figure(
    (rates, est): (&Frame, &Estimates),
    (by, years, focus): (&ByYear, &[i64], &Focus<'_>),
    caveats: Caveats,
    lang: Lang,
) -> Result<Figure, String> {
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return Err(lang.t("không có năm khảo sát", "no survey year").into());
    };
    if years.len() < 2 {
        return Err(lang
            .t("chỉ có một năm khảo sát", "only one survey year")
            .into());
    }
    let t = |vi, en| lang.t(vi, en);
    let series: Vec<TrendSeries> = [
        (
            ("poor_pct", "poor", "poor_rate"),
            (t("Hộ nghèo", "Poor"), Class::Poor),
        ),
        (
            ("near_poor_pct", "near_poor", "near_poor_rate"),
            (t("Hộ cận nghèo", "Near-poor"), Class::NearPoor),
        ),
        (
            ("vulnerable_pct", "vulnerable", "vulnerable_rate"),
            (t("Dễ bị tổn thương", "Vulnerable"), Class::Vulnerable),
        ),
    ]
    .into_iter()
    .filter_map(|(cols, class)| series((rates, est), years, cols, class))
    .collect();
    if series.is_empty() {
        return Err(t(
            "không có dòng tổng của các năm",
            "no total rows for the years",
        )
        .into());
    }
    let near = series.len() > 1;
    let what = if near {
        t(
            "Tỷ lệ hộ nghèo và cận nghèo qua các năm",
            "Poor and near-poor households over the years",
        )
    } else {
        t(
            "Tỷ lệ hộ nghèo qua các năm",
            "Poor households over the years",
        )
    };
    let mut caption = t("Tỷ lệ hộ của mỗi năm khảo sát, mỗi năm theo chuẩn nghèo của năm đó; số hộ ghi trong ngoặc.", "Share of households in each survey year, each year under its own standard; the number of households in brackets.").to_string();
    let breaks = breaks(by, years, lang);
    if !breaks.is_empty() {
        caption += t(" Đường nét đứt: chuẩn nghèo thay đổi; hai năm hai bên không nối với nhau vì không so sánh trực tiếp được.", " Dashed rule: the standard changes; the years either side are not joined, since they are not directly comparable.");
    }
    if !est.census {
        caption += t(
            " Thanh dọc: khoảng tin cậy 95 %.",
            " Vertical bars: 95 % confidence intervals.",
        );
    }
    Ok(Figure {
        stem: STEM,
        caption,
        chart: Chart::Trend(Trend {
            title: format!("{what}, {}, {first}–{last}", focus.total),
            axis: t("Tỷ lệ hộ (%)", "Share of households (%)").into(),
            x_axis: t("Năm khảo sát", "Survey year").into(),
            years: years.to_vec(),
            series,
            unit: t("hộ", "households").into(),
            breaks,
            caveats,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::Column;
    use crate::standard::resolve;
    use std::sync::Arc;

    #[test]
    fn standards_are_named_by_their_instruments() {
        let st = |id: &str| resolve(id).unwrap();
        assert_eq!(short_name(&st("vn-2016-2020"), Lang::Vi), "QĐ 59/2015");
        assert_eq!(short_name(&st("vn-2022-2025"), Lang::Vi), "NĐ 07/2021");
        assert_eq!(short_name(&st("vn-2022-2025"), Lang::En), "Decree 07/2021");
        assert_eq!(short_name(&st("vn-2027-2030"), Lang::Vi), "NĐ 351/2025");
        let mpi = st("global-mpi");
        assert_eq!(
            short_name(&mpi, Lang::Vi),
            mpi.name_vi,
            "no instrument: the name"
        );
        assert_eq!(
            instrument("59/2015/QĐ-TTg"),
            Some(("QĐ".into(), "59/2015".into()))
        );
        for bad in [
            "19/11/2015",
            "1/7/2025",
            "a/2015/QĐ",
            "59/2015/qđ-TTg",
            "59/2015",
        ] {
            assert_eq!(instrument(bad), None, "{bad}");
        }
        let by: ByYear = [
            (2020, "vn-2016-2020"),
            (2021, "vn-2016-2020"),
            (2022, "vn-2022-2025"),
        ]
        .into_iter()
        .map(|(y, id)| (y, Arc::new(st(id))))
        .collect();
        assert_eq!(
            breaks(&by, &[2020, 2021, 2022], Lang::Vi),
            [(1, "Đổi chuẩn nghèo (QĐ 59/2015 → NĐ 07/2021)".to_string())]
        );
        assert!(breaks(&by, &[2020, 2021], Lang::Vi).is_empty());
    }

    fn str_col(v: &[&str]) -> Column {
        Column::Str(v.iter().map(|s| Some(s.to_string())).collect())
    }

    #[test]
    fn one_year_is_not_drawn_and_a_sample_has_intervals() {
        let mut rates = Frame::default();
        rates.push("survey_year", Column::Int(vec![Some(2020), Some(2021)]));
        rates.push("level", str_col(&["total", "total"]));
        rates.push("poor_pct", Column::Float(vec![Some(4.5), Some(4.0)]));
        rates.push("poor", Column::Float(vec![Some(90.0), Some(80.0)]));
        let mut e = Frame::default();
        e.push("survey_year", Column::Int(vec![Some(2021)]));
        e.push("level", str_col(&["total"]));
        e.push("unit_of_analysis", str_col(&["household"]));
        e.push("measure", str_col(&["poor_rate"]));
        e.push("se", Column::Float(vec![Some(0.002)]));
        e.push("ci_low", Column::Float(vec![Some(0.036)]));
        e.push("ci_high", Column::Float(vec![Some(0.044)]));
        let mut est = Estimates {
            estimates: e,
            changes: Frame::default(),
            census: false,
        };
        let by = ByYear::new();
        let focus = Focus {
            level: crate::measure::Level::Province,
            total: "Tỉnh X",
        };
        let draw = |years: &[i64], est: &Estimates| {
            figure(
                (&rates, est),
                (&by, years, &focus),
                Caveats::default(),
                Lang::Vi,
            )
        };
        let why = draw(&[2021], &est).err().unwrap();
        assert_eq!(why, "chỉ có một năm khảo sát");
        let Chart::Trend(t) = draw(&[2020, 2021], &est).unwrap().chart else {
            panic!("not a trend")
        };
        assert_eq!(t.series.len(), 1, "no near-poor column: the poor alone");
        let p = &t.series[0].points;
        assert_eq!(p[0].unwrap().ci, None, "no estimate for 2020");
        let ci = p[1].unwrap().ci.unwrap();
        assert!((ci.0 - 3.6).abs() < 1e-9 && (ci.1 - 4.4).abs() < 1e-9);
        assert_eq!(p[1].unwrap().count, Some(80.0));
        est.census = true;
        let Chart::Trend(t) = draw(&[2020, 2021], &est).unwrap().chart else {
            panic!("not a trend")
        };
        assert_eq!(t.series[0].points[1].unwrap().ci, None, "a census: no bars");
        assert!(t.title.contains("Tỉnh X, 2020–2021"));
    }
}
