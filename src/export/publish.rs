//! Everything `tables` writes, in one place: the rate and indicator tables
//! of each grouping, extended with the Alkire–Foster columns at the
//! standard's cut-off, and the tidy estimates with their changes.

use crate::error::{Error, Result};
use crate::export::tables::level_tables;
use crate::export::{self, Column, Estimates, Format, Frame, LevelTables};
use crate::measure::{Estimator, Level, StatsOptions, Tally, YearStandard};
use crate::score::years::{each_part, ScoredYear};
use arrow_array::RecordBatch;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// (survey year, grouping, group, measure)
type AfKey = (String, String, String, String);

pub struct Published {
    pub tables: Vec<LevelTables>,
    pub estimates: Estimates,
    pub files: Vec<PathBuf>,
}

/// Add H, A and M0 at each year's standard's own cut-off, with standard
/// errors for samples, to a rates table: for households (`af_H` …), and
/// with `person` for persons too (`af_H_person` …) — the global MPI's
/// headline unit. `ks`: survey year → cut-off.
fn extend_rates(rates: &mut Frame, est: &Estimates, ks: &HashMap<String, String>, person: bool) {
    extend_rates_at(rates, est, ks, "household", "");
    if person {
        extend_rates_at(rates, est, ks, "person", "_person");
    }
}

fn extend_rates_at(
    rates: &mut Frame,
    est: &Estimates,
    ks: &HashMap<String, String>,
    level: &str,
    suffix: &str,
) {
    let e = &est.estimates;
    let mut found: HashMap<AfKey, (Option<f64>, Option<f64>)> = HashMap::new();
    for r in 0..e.rows() {
        let row_k = e.cell_named("k", r);
        let year = e.cell_named("survey_year", r);
        let is_af = matches!(e.cell_named("measure", r).as_str(), "H" | "A" | "M0");
        if is_af && ks.get(&year) == Some(&row_k) && e.cell_named("level", r) == level {
            let key = (
                e.cell_named("survey_year", r),
                e.cell_named("grouping", r),
                e.cell_named("group", r),
                e.cell_named("measure", r),
            );
            found.insert(key, (e.float("estimate", r), e.float("se", r)));
        }
    }
    let n = rates.rows();
    let keys: Vec<(String, String, String)> = (0..n)
        .map(|r| {
            (
                rates.cell_named("survey_year", r),
                rates.cell_named("level", r),
                rates.cell_named("code", r),
            )
        })
        .collect();
    if suffix.is_empty() {
        rates.push(
            "af_k",
            Column::Str(keys.iter().map(|(y, _, _)| ks.get(y).cloned()).collect()),
        );
    }
    for m in ["H", "A", "M0"] {
        let get = |(y, g, c): &(String, String, String)| {
            found
                .get(&(y.clone(), g.clone(), c.clone(), m.to_string()))
                .copied()
        };
        rates.push(
            &format!("af_{m}{suffix}"),
            Column::Float(keys.iter().map(|key| get(key).and_then(|v| v.0)).collect()),
        );
        if !est.census {
            rates.push(
                &format!("af_{m}{suffix}_se"),
                Column::Float(keys.iter().map(|key| get(key).and_then(|v| v.1)).collect()),
            );
        }
    }
}

/// The tables (with the AF columns) and the estimates of years in memory,
/// without writing them.
pub fn publish_in_memory(
    scored: &[RecordBatch],
    levels: &[Level],
    opts: &StatsOptions,
) -> Result<(Vec<LevelTables>, Estimates)> {
    tabulate(&ScoredYear::of_batches(scored)?, levels, opts)
}

/// The tables (with the AF columns) and the estimates, from one pass over
/// each year's rows, a part at a time.
pub fn tabulate(
    years: &[ScoredYear<'_>],
    levels: &[Level],
    opts: &StatsOptions,
) -> Result<(Vec<LevelTables>, Estimates)> {
    let standards: BTreeMap<i64, YearStandard> = (years.iter())
        .map(|y| (y.year, YearStandard::of_meta(&y.meta)))
        .collect();
    if standards.len() != years.len() {
        return Err(Error::Usage(
            "each survey year must be scored once, in one file; re-run `dachieu score`".into(),
        ));
    }
    let mut opts = opts.clone();
    opts.groupings = levels.to_vec();
    let mut tally = Tally::new(&standards, levels);
    let mut estimator = Estimator::new(years, &opts)?;
    // One pass over the rows for the rate tables and the estimates.
    each_part(years, |i, first, b| {
        estimator.add(i, first, b, Some(&mut tally))
    })?;
    let mut tables = level_tables(&tally.finish(), &standards, levels);
    let estimates = Estimates::of(estimator.finish()?);
    // Each year at its own standard's cut-off (3/10 under Decision 59/2015,
    // 3/12 = 1/4 under Decree 07/2021).
    let ks: HashMap<String, String> = (years.iter())
        .filter_map(|y| Some((y.year.to_string(), y.meta.own_cutoff()?.to_string())))
        .collect();
    // Person-level H, A and M0 when a year is under the weighted rule.
    let person = (standards.values()).any(|s| s.scheme.weighted());
    if !ks.is_empty() {
        for t in &mut tables {
            extend_rates(&mut t.rates, &estimates, &ks, person);
        }
    }
    // Small cells after the AF columns are in: the estimates they come
    // from are flagged already, the rate tables' rows are flagged here.
    if let Some(rule) = crate::export::cells::CellRule::of(opts.min_cell, opts.suppress) {
        for t in &mut tables {
            crate::export::cells::apply_level(&rule, t);
        }
    }
    Ok((tables, estimates))
}

/// Tabulate the years and write every table in the formats asked for.
pub fn publish(
    years: &[ScoredYear<'_>],
    out_dir: &Path,
    levels: &[Level],
    formats: &[Format],
    opts: &StatsOptions,
) -> Result<Published> {
    let (tables, estimates) = tabulate(years, levels, opts)?;
    // Every table in every format, written in parallel, listed in order.
    let mut jobs: Vec<(&Frame, String)> = Vec::new();
    for t in &tables {
        jobs.push((&t.rates, format!("rates_{}", t.level.name())));
        jobs.push((&t.indicators, format!("indicators_{}", t.level.name())));
    }
    jobs.push((&estimates.estimates, "estimates".into()));
    jobs.push((&estimates.changes, "estimates_change".into()));
    // Into a staging folder swapped in whole: a full disk midway leaves
    // the old tables, not half new, half old.
    let files = crate::outdir::write_staged(out_dir, crate::outdir::TABLE_FILES, |dir| {
        Ok((jobs.par_iter())
            .map(|(f, stem)| export::write(f, dir, stem, formats))
            .collect::<Result<Vec<_>>>()?
            .concat())
    })?;
    Ok(Published {
        tables,
        estimates,
        files,
    })
}
