//! The people's workbook: what an office reads and prints, drawn from the
//! rate and indicator tables. Counts stand beside rates (households, poor
//! number and %, near-poor number and %, undetermined), units carry their
//! code and name, indicators their label in the workbook's language (from
//! the standard, never the id), and each year's total row comes first. The
//! machine columns (level, standard id, person rates, Alkire–Foster
//! measures, cell flags) and the full estimate frame stay in the CSV, JSON
//! and Parquet tables, which tools read.
//!
//! The frames keep the catalogue's column names, so the workbook's headers
//! come from the one catalogue of outputs (`schema::outputs`).

use crate::export::{Column, Frame, LevelTables};
use crate::i18n::Lang;
use crate::standard::ByYear;

/// The columns of a rate sheet, in order: counts beside their rates.
/// Columns the table lacks, or that are empty throughout (a class the
/// standards in use do not define), are left out.
pub const RATE_COLUMNS: &[&str] = &[
    "survey_year",
    "code",
    "name",
    "households_weighted",
    "poor",
    "poor_pct",
    "near_poor",
    "near_poor_pct",
    "vulnerable",
    "vulnerable_pct",
    "severe",
    "severe_pct",
    "average",
    "average_pct",
    "undetermined",
];

/// The columns of an indicator sheet, in order.
pub const INDICATOR_COLUMNS: &[&str] = &[
    "survey_year",
    "code",
    "name",
    "indicator",
    "households_weighted",
    "deprived",
    "deprived_pct",
    "unknown",
    "poor",
    "poor_deprived",
    "poor_deprived_pct",
];

/// The people's sheets of `tables`, level by level: (catalogue stem, frame).
pub fn sheets(tables: &[LevelTables], standards: &ByYear, lang: Lang) -> Vec<(String, Frame)> {
    let mut out = Vec::new();
    for t in tables {
        let level = t.level.name();
        out.push((format!("rates_{level}"), rates(&t.rates)));
        out.push((
            format!("indicators_{level}"),
            indicators(&t.indicators, standards, lang),
        ));
    }
    out
}

/// A rate table as people read it: each year's total row first, then its
/// units by poor rate, highest first (`by_year::reading_order`).
pub fn rates(f: &Frame) -> Frame {
    let order = super::by_year::reading_order(f);
    pick(&super::by_year::take(f, &order), RATE_COLUMNS)
}

/// An indicator table as people read it: each indicator by its label in
/// `lang` from the standard of the row's year.
pub fn indicators(f: &Frame, standards: &ByYear, lang: Lang) -> Frame {
    let mut f = pick(&total_first(f), INDICATOR_COLUMNS);
    let years = match f.column("survey_year") {
        Some(Column::Int(v)) => v.clone(),
        _ => Vec::new(),
    };
    if let Some(i) = f.names.iter().position(|n| n == "indicator") {
        if let Column::Str(ids) = &mut f.columns[i] {
            for (r, id) in ids.iter_mut().enumerate() {
                let year = years.get(r).copied().flatten();
                if let Some(v) = id.as_mut() {
                    *v = indicator_label(standards, year, v, lang);
                }
            }
        }
    }
    f
}

/// The label of indicator `id` in `lang`: from the standard of `year`, or
/// of any standard in use that defines it; the id only when none does.
fn indicator_label(standards: &ByYear, year: Option<i64>, id: &str, lang: Lang) -> String {
    let own = year.and_then(|y| standards.get(&(y as i32)));
    own.into_iter()
        .chain(standards.values())
        .flat_map(|st| st.indicators.iter())
        .find(|i| i.id == id)
        .map(|i| lang.t(&i.label_vi, &i.label_en).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// `f` with each year's total row first, the other rows in their order.
fn total_first(f: &Frame) -> Frame {
    use super::by_year::{is_total, take};
    let year = |r: usize| match f.column("survey_year") {
        Some(Column::Int(v)) => v.get(r).copied().flatten(),
        _ => None,
    };
    let mut order: Vec<usize> = (0..f.rows()).collect();
    order.sort_by_key(|&r| (year(r), !is_total(f, r)));
    take(f, &order)
}

/// The named columns of `f` in the order given, without those it lacks or
/// that hold no value.
fn pick(f: &Frame, names: &[&str]) -> Frame {
    let mut out = Frame::default();
    for name in names {
        let Some(col) = f.column(name) else { continue };
        let any = match col {
            Column::Int(v) => v.iter().any(Option::is_some),
            Column::Float(v) => v.iter().any(Option::is_some),
            Column::Str(v) => v.iter().any(Option::is_some),
        };
        if any {
            out.push(name, col.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates_frame() -> Frame {
        let mut f = Frame::default();
        f.push(
            "survey_year",
            Column::Int(vec![Some(2021), Some(2021), Some(2020)]),
        );
        f.push(
            "standard",
            Column::Str(vec![Some("vn-2016-2020".into()); 3]),
        );
        f.push(
            "level",
            Column::Str(vec![
                Some("province".into()),
                Some("total".into()),
                Some("total".into()),
            ]),
        );
        f.push(
            "code",
            Column::Str(vec![
                Some("11".into()),
                Some("VN".into()),
                Some("VN".into()),
            ]),
        );
        f.push("poor", Column::Float(vec![Some(3.0), Some(5.0), Some(4.0)]));
        f.push(
            "poor_pct",
            Column::Float(vec![Some(30.0), Some(5.0), Some(4.0)]),
        );
        f.push("vulnerable", Column::Float(vec![None; 3]));
        f.push("af_M0", Column::Float(vec![Some(0.1); 3]));
        f
    }

    #[test]
    fn rates_put_the_total_first_and_keep_only_what_people_read() {
        let p = rates(&rates_frame());
        assert_eq!(p.names, ["survey_year", "code", "poor", "poor_pct"]);
        assert_eq!(
            p.column("code"),
            Some(&Column::Str(vec![
                Some("VN".into()),
                Some("VN".into()),
                Some("11".into())
            ]))
        );
        assert_eq!(
            p.column("survey_year"),
            Some(&Column::Int(vec![Some(2020), Some(2021), Some(2021)]))
        );
    }

    #[test]
    fn indicators_are_named_by_the_standard_of_their_year() {
        let st = crate::standard::resolve("vn-2022-2025").unwrap();
        let ind = st.indicators[0].clone();
        let mut standards = ByYear::new();
        standards.insert(2022, std::sync::Arc::new(st));
        let mut f = Frame::default();
        f.push("survey_year", Column::Int(vec![Some(2022), Some(2022)]));
        f.push(
            "indicator",
            Column::Str(vec![Some(ind.id.clone()), Some("no_such".into())]),
        );
        for (lang, want) in [(Lang::Vi, &ind.label_vi), (Lang::En, &ind.label_en)] {
            let p = indicators(&f, &standards, lang);
            assert_eq!(
                p.column("indicator"),
                Some(&Column::Str(vec![
                    Some(want.clone()),
                    Some("no_such".into())
                ]))
            );
        }
    }
}
