//! What the report puts first: the national key figures of each year
//! (from the rates table, and for a weighted standard the Alkire–Foster
//! estimates), and the columns of the province summary table.

use super::{AfFigures, Headline, MpiHeadline};
use crate::export::estimates::measure_name;
use crate::export::{Column, Frame};
use crate::i18n::Lang;
use crate::measure::Measure;
use crate::standard::Standard;

pub(super) fn headline(rates: &Frame, year: i64) -> Option<Headline> {
    let col = |name: &str| rates.names.iter().position(|n| n == name);
    let (yc, lc) = (col("survey_year")?, col("level")?);
    let r = (0..rates.rows())
        .find(|&r| rates.cell(yc, r) == year.to_string() && rates.cell(lc, r) == "total")?;
    Some(Headline {
        year,
        standard: match rates.column("standard") {
            Some(Column::Str(v)) => v[r].clone(),
            _ => None,
        },
        households: rates.float("households_weighted", r).unwrap_or(0.0),
        poor_pct: rates.float("poor_pct", r),
        poor_income_pct: rates.float("poor_income_pct", r),
        poor_deprivation_pct: rates.float("poor_deprivation_pct", r),
        near_poor_pct: rates.float("near_poor_pct", r),
        poor: rates.float("poor", r),
        near_poor: rates.float("near_poor", r),
        undetermined: rates.float("undetermined", r).unwrap_or(0.0),
        mpi: None,
        change: None,
        flows: Default::default(),
    })
}

/// The weighted standard's national headline from the estimates: H, A, M0
/// at the cut-off, vulnerable = H(band) − H(cut-off), severe = H(severe
/// band), for persons and households — all over the units whose
/// indicators are all known, as the Alkire–Foster measures are.
pub(super) fn mpi_headline(est: &Frame, st: &Standard, year: i64) -> Option<MpiHeadline> {
    let w = st.weighted?;
    let col = |name: &str| est.names.iter().position(|n| n == name);
    let (yc, gc, lc, mc, kc) = (
        col("survey_year")?,
        col("level")?,
        col("unit_of_analysis")?,
        col("measure")?,
        col("k")?,
    );
    let get = |unit: &str, measure: Measure, k: crate::exact::rational::Ratio| {
        let k = k.to_string();
        let measure = measure_name(measure, unit == "person");
        (0..est.rows())
            .find(|&r| {
                est.cell(yc, r) == year.to_string()
                    && est.cell(gc, r) == "total"
                    && est.cell(lc, r) == unit
                    && est.cell(mc, r) == measure
                    && est.cell(kc, r) == k
            })
            .and_then(|r| est.float("estimate", r))
    };
    let figures = |level: &str| {
        let h = get(level, Measure::H, w.cutoff);
        AfFigures {
            h,
            a: get(level, Measure::A, w.cutoff),
            m0: get(level, Measure::M0, w.cutoff),
            vulnerable: w
                .vulnerable
                .and_then(|v| get(level, Measure::H, v))
                .zip(h)
                .map(|(hv, h)| hv - h),
            severe: w.severe.and_then(|s| get(level, Measure::H, s)),
        }
    };
    Some(MpiHeadline {
        k: w.cutoff.to_string(),
        person: figures("person"),
        household: figures("household"),
    })
}

/// The summary table's columns (each rate beside its number of households)
/// and its caption, by `by` ("theo huyện"): a weighted standard
/// (the global MPI) is read by persons first; years under a count rule by
/// poor and near-poor households.
pub(super) fn summary_columns(
    weighted: bool,
    counted: bool,
    (by, lang): (&str, Lang),
) -> (&'static [&'static str], String) {
    let (columns, caption): (&'static [&'static str], &str) = match (weighted, counted) {
        (true, false) => (
            &[
                "survey_year",
                "standard",
                "name",
                "households",
                "af_H_person",
                "af_A_person",
                "af_M0_person",
                "af_H",
                "af_M0",
                "poor_pct",
                "severe_pct",
                "vulnerable_pct",
                "undetermined",
            ],
            lang.t(
                "Nghèo đa chiều: theo người và theo hộ,",
                "Multidimensional poverty, persons and households,",
            ),
        ),
        (true, true) => (
            &[
                "survey_year",
                "standard",
                "name",
                "households",
                "poor",
                "poor_pct",
                "poor_income_pct",
                "poor_deprivation_pct",
                "severe_pct",
                "near_poor",
                "near_poor_pct",
                "vulnerable_pct",
                "undetermined",
                "af_H",
                "af_M0",
                "af_H_person",
                "af_M0_person",
            ],
            lang.t(
                "Hộ nghèo, mỗi năm theo chuẩn của năm đó,",
                "Poor households, each year under its own standard,",
            ),
        ),
        (false, _) => (
            &[
                "survey_year",
                "standard",
                "name",
                "households",
                "poor",
                "poor_pct",
                "poor_income_pct",
                "poor_deprivation_pct",
                "near_poor",
                "near_poor_pct",
                "undetermined",
                "af_H",
                "af_M0",
            ],
            lang.t("Hộ nghèo, hộ cận nghèo", "Poor and near-poor households"),
        ),
    };
    (columns, format!("{caption} {by}"))
}
