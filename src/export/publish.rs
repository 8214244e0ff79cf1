//! Everything `tables` writes, in one place: the rate and indicator tables
//! of each grouping, extended with the Alkire–Foster columns at the
//! standard's cut-off, and the tidy estimates with their changes.

use crate::error::{Error, Result};
use crate::exact::rational::Ratio;
use crate::export::tables::level_tables;
use crate::export::{self, Column, Estimates, Format, Frame, LevelTables};
use crate::measure::{
    Estimated, Estimator, Key, Level, Measure, StatsOptions, Tally, YearStandard,
};
use crate::score::years::{each_part, ScoredYear};
use arrow_array::RecordBatch;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// (grouping, survey year, group, measure, person)
type AfKey<'a> = (Level, i64, &'a str, Measure, bool);

/// H, A and M0 with their standard errors, at each year's own cut-off.
type AfFound<'a> = HashMap<AfKey<'a>, (Option<f64>, Option<f64>)>;

pub struct Published {
    pub tables: Vec<LevelTables>,
    pub estimates: Estimates,
    pub files: Vec<PathBuf>,
}

/// The estimates of H, A and M0 at each year's own cut-off (`ks`: survey
/// year → cut-off).
fn af_at_own_cutoff<'a>(est: &'a Estimated, ks: &HashMap<i64, Ratio>) -> AfFound<'a> {
    let e = &est.estimates;
    let mut found = AfFound::new();
    for r in 0..e.year.len() {
        let year = e.year[r].unwrap_or_default();
        let at_own = e.k[r].is_some() && ks.get(&year) == e.k[r].as_ref();
        if at_own && Measure::AF.contains(&e.measure[r]) {
            let group = e.group[r].as_deref().unwrap_or_default();
            let key = (e.grouping[r], year, group, e.measure[r], e.person[r]);
            found.insert(key, (e.estimate[r], e.se[r]));
        }
    }
    found
}

/// Add H, A and M0 at each year's standard's own cut-off, with standard
/// errors for samples, to a rates table whose rows are the groups `keys`:
/// for households (`af_H` …), and with `person` for persons too
/// (`af_H_person` …) — the global MPI's headline unit.
fn extend_rates(
    rates: &mut Frame,
    keys: &[&Key],
    (found, census): (&AfFound, bool),
    ks: &HashMap<i64, Ratio>,
    person: bool,
) {
    rates.push(
        "af_k",
        Column::Str(
            keys.iter()
                .map(|k| ks.get(&k.1).map(|k| k.to_string()))
                .collect(),
        ),
    );
    let units: &[(bool, &str)] = if person {
        &[(false, ""), (true, "_person")]
    } else {
        &[(false, "")]
    };
    for &(unit, suffix) in units {
        for m in Measure::AF {
            let get = |k: &Key| found.get(&(k.0, k.1, k.2.as_str(), m, unit)).copied();
            let col = |v: &dyn Fn((Option<f64>, Option<f64>)) -> Option<f64>| {
                Column::Float(keys.iter().map(|k| get(k).and_then(v)).collect())
            };
            rates.push(&format!("af_{m}{suffix}"), col(&|v| v.0));
            if !census {
                rates.push(&format!("af_{m}{suffix}_se"), col(&|v| v.1));
            }
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
    let tallied = tally.finish();
    let mut tables = level_tables(&tallied, &standards, levels, &opts.names);
    let estimated = estimator.finish()?;
    // Each year at its own standard's cut-off (3/10 under Decision 59/2015,
    // 3/12 = 1/4 under Decree 07/2021).
    let ks: HashMap<i64, Ratio> = (years.iter())
        .filter_map(|y| Some((y.year, y.meta.own_cutoff()?)))
        .collect();
    // Person-level H, A and M0 when a year is under the weighted rule.
    let person = (standards.values()).any(|s| s.scheme.weighted());
    if !ks.is_empty() {
        let found = af_at_own_cutoff(&estimated, &ks);
        for t in &mut tables {
            let keys = tallied.keys(t.level);
            let found = (&found, estimated.census);
            extend_rates(&mut t.rates, &keys, found, &ks, person);
        }
    }
    let estimates = Estimates::of(estimated);
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
    let files = write_tables(&tables, &estimates, &[], out_dir, formats)?;
    Ok(Published {
        tables,
        estimates,
        files,
    })
}

/// Write the tables and estimates (and `extra` tables, by their file
/// stems) in the formats asked for, into a staging folder swapped in whole.
pub fn write_tables(
    tables: &[LevelTables],
    estimates: &Estimates,
    extra: &[(&Frame, &str)],
    out_dir: &Path,
    formats: &[Format],
) -> Result<Vec<PathBuf>> {
    // Every table in every format, written in parallel, listed in order.
    let mut jobs: Vec<(&Frame, String)> = Vec::new();
    for t in tables {
        jobs.push((&t.rates, format!("rates_{}", t.level.name())));
        jobs.push((&t.indicators, format!("indicators_{}", t.level.name())));
    }
    jobs.push((&estimates.estimates, "estimates".into()));
    jobs.push((&estimates.changes, "estimates_change".into()));
    jobs.extend(extra.iter().map(|(f, stem)| (*f, stem.to_string())));
    // Into a staging folder swapped in whole: a full disk midway leaves
    // the old tables, not half new, half old.
    crate::outdir::write_staged(out_dir, crate::outdir::TABLE_FILES, |dir| {
        Ok((jobs.par_iter())
            .map(|(f, stem)| export::write(f, dir, stem, formats))
            .collect::<Result<Vec<_>>>()?
            .concat())
    })
}
