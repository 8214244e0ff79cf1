//! Rate tables: scored households → counts, weighted counts and rates by
//! province (and district, commune, region, urban/rural), with a national
//! row; and per-indicator deprivation headcounts — the frames of
//! `measure`'s tally.

use crate::error::{Error, Result};
use crate::export::{Column, Frame};
use crate::measure::classes::Columns;
use crate::measure::{standards_by_year, Acc, Key, Level, Names, Tallied, Tally, YearStandard};
use crate::score::scheme::Scheme;
use arrow_array::RecordBatch;
use std::collections::BTreeMap;

fn pct(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| 100.0 * num / den)
}

/// The tables of one level: rates, and per-indicator headcounts.
#[derive(Debug, Clone)]
pub struct LevelTables {
    pub level: Level,
    pub rates: Frame,
    pub indicators: Frame,
}

/// The tables of years in memory (one batch per year) at each requested
/// level, each with its national rows. Years scored under different
/// standards are tabulated side by side: each row names its year's
/// standard, each year lists its own indicators, and the class columns are
/// those of every year's standard (blank in the rows of a year whose
/// standard does not define the class).
pub fn tables(
    batches: &[RecordBatch],
    levels: &[Level],
    names: &Names,
) -> Result<Vec<LevelTables>> {
    let standards = standards_by_year(batches);
    if standards.len() != batches.len() {
        return Err(Error::Usage(
            "each scored file must hold one survey year; re-run `dachieu score`".into(),
        ));
    }
    let mut tally = Tally::new(&standards, levels);
    for b in batches {
        tally.add(b)?;
    }
    Ok(level_tables(&tally.finish(), &standards, levels, names))
}

/// The tables of each requested level, each with its national rows.
pub fn level_tables(
    t: &Tallied,
    standards: &BTreeMap<i64, YearStandard>,
    levels: &[Level],
    names: &Names,
) -> Vec<LevelTables> {
    (levels.iter())
        .map(|&level| {
            let keys = t.keys(level);
            LevelTables {
                level,
                rates: rates_frame(&keys, &t.total, standards, &t.cols, names),
                indicators: indicator_frame(&keys, &t.total, standards, &t.cols, names),
            }
        })
        .collect()
}

fn key_columns(
    f: &mut Frame,
    keys: &[&Key],
    standards: &BTreeMap<i64, YearStandard>,
    names: &Names,
) {
    f.push(
        "survey_year",
        Column::Int(keys.iter().map(|k| Some(k.1)).collect()),
    );
    f.push(
        "standard",
        Column::Str(
            keys.iter()
                .map(|k| standards.get(&k.1).map(|s| s.id.clone()))
                .collect(),
        ),
    );
    f.push(
        "level",
        Column::Str(keys.iter().map(|k| Some(k.0.name().to_string())).collect()),
    );
    f.push(
        "code",
        Column::Str(keys.iter().map(|k| Some(k.2.clone())).collect()),
    );
    f.push(
        "name",
        Column::Str(keys.iter().map(|k| names.name(k.0, k.1, &k.2)).collect()),
    );
}

/// What the columns of a rates table read: each row's sums, and the rows
/// each kind of column applies to.
struct RateRows<'a> {
    a: Vec<&'a Acc>,
    cols: &'a Columns,
    /// Per class: the rows whose standard defines it.
    has: Vec<Vec<bool>>,
    /// The rows under the union rule (paths to poor).
    paths: Vec<bool>,
    /// The rows whose standard has the severe band.
    severe: Vec<bool>,
    /// Path columns wherever a year is under a count rule (blank under the
    /// intersection rule); severe columns wherever a year has the band.
    path_cols: bool,
    severe_cols: bool,
}

impl RateRows<'_> {
    fn only(&self, on: &[bool], g: &dyn Fn(&Acc) -> Option<f64>) -> Column {
        Column::Float(
            (self.a.iter())
                .zip(on)
                .map(|(x, p)| if *p { g(x) } else { None })
                .collect(),
        )
    }

    fn all(&self, g: &dyn Fn(&Acc) -> Option<f64>) -> Column {
        Column::Float(self.a.iter().map(|x| g(x)).collect())
    }

    /// The households a share is of: all but the excluded.
    fn den(&self, x: &Acc) -> f64 {
        x.w - x.class_w[self.cols.excluded]
    }

    /// Counts: households, weights, each class, the paths and severe.
    fn counts(&self, f: &mut Frame) {
        let cols = self.cols;
        f.push(
            "households",
            Column::Int(self.a.iter().map(|x| Some(x.n as i64)).collect()),
        );
        f.push("households_weighted", self.all(&|x| Some(x.w)));
        f.push("persons_weighted", self.all(&|x| Some(x.persons)));
        for (c, name) in cols.names.iter().enumerate() {
            f.push(name, self.only(&self.has[c], &|x| Some(x.class_w[c])));
            if c == cols.poor {
                if self.path_cols {
                    f.push(
                        "poor_income",
                        self.only(&self.paths, &|x| Some(x.poor_income)),
                    );
                    f.push(
                        "poor_deprivation",
                        self.only(&self.paths, &|x| Some(x.poor_deprivation)),
                    );
                }
                if self.severe_cols {
                    f.push("severe", self.only(&self.severe, &|x| Some(x.severe)));
                }
            }
        }
        f.push(
            "undetermined",
            self.all(&|x| Some(x.class_w[cols.undetermined])),
        );
        f.push("excluded", self.all(&|x| Some(x.class_w[cols.excluded])));
    }

    /// Shares of the households not excluded, in percent.
    fn shares(&self, f: &mut Frame) {
        let cols = self.cols;
        let share = |num: f64, x: &Acc| pct(num, self.den(x));
        for (c, name) in cols.names.iter().enumerate() {
            f.push(
                &format!("{name}_pct"),
                self.only(&self.has[c], &|x| share(x.class_w[c], x)),
            );
            if c != cols.poor {
                continue;
            }
            if self.path_cols {
                f.push(
                    "poor_income_pct",
                    self.only(&self.paths, &|x| share(x.poor_income, x)),
                );
                f.push(
                    "poor_deprivation_pct",
                    self.only(&self.paths, &|x| share(x.poor_deprivation, x)),
                );
            }
            f.push(
                "poor_pct_upper",
                self.all(&|x| share(x.class_w[c] + x.maybe_poor, x)),
            );
            if self.severe_cols {
                f.push(
                    "severe_pct",
                    self.only(&self.severe, &|x| share(x.severe, x)),
                );
                f.push(
                    "severe_pct_upper",
                    self.only(&self.severe, &|x| share(x.severe + x.maybe_severe, x)),
                );
            }
        }
        f.push(
            "undetermined_pct",
            self.all(&|x| share(x.class_w[cols.undetermined], x)),
        );
    }
}

/// The rates table: counts and shares of each class the standard defines
/// (with the paths to poor under the count rules, severe poverty under the
/// weighted rule), undetermined and excluded households, and person shares.
pub fn rates_frame(
    keys: &[&Key],
    accs: &BTreeMap<Key, Acc>,
    standards: &BTreeMap<i64, YearStandard>,
    cols: &Columns,
    names: &Names,
) -> Frame {
    let scheme_of = |k: &Key| standards.get(&k.1).map(|s| &s.scheme);
    let schemes: Vec<&Scheme> = standards.values().map(|s| &s.scheme).collect();
    // Which rows a column applies to: a class of the row's standard, paths
    // under the union rule only, severe where the standard has the band.
    let applies = |f: &dyn Fn(&Scheme) -> bool| -> Vec<bool> {
        keys.iter().map(|k| scheme_of(k).is_none_or(f)).collect()
    };
    let any = |f: &dyn Fn(&Scheme) -> bool| schemes.iter().any(|s| f(s));
    let rows = RateRows {
        a: keys.iter().map(|k| &accs[*k]).collect(),
        cols,
        has: (cols.names.iter())
            .map(|c| applies(&|s| s.has(c)))
            .collect(),
        paths: applies(&|s| s.paths),
        severe: applies(&|s| s.severe),
        path_cols: any(&|s| s.counted()),
        severe_cols: any(&|s| s.severe),
    };
    let mut f = Frame::default();
    key_columns(&mut f, keys, standards, names);
    rows.counts(&mut f);
    rows.shares(&mut f);
    let pden = |x: &Acc| x.persons - x.excluded_persons;
    f.push(
        "poor_person_pct",
        rows.all(&|x| pct(x.poor_persons, pden(x))),
    );
    if rows.severe_cols {
        f.push(
            "severe_person_pct",
            rows.only(&rows.severe, &|x| pct(x.severe_persons, pden(x))),
        );
    }
    // The class counted beside the poor: near-poor, or vulnerable.
    for near in cols.names.iter().filter(|c| {
        schemes
            .iter()
            .any(|s| s.near.is_some_and(|n| n.name() == *c))
    }) {
        let on = applies(&|s| s.near.is_some_and(|n| n.name() == near));
        f.push(
            &format!("{near}_person_pct"),
            rows.only(&on, &|x| pct(x.near_persons, pden(x))),
        );
    }
    f
}

pub fn indicator_frame(
    keys: &[&Key],
    accs: &BTreeMap<Key, Acc>,
    standards: &BTreeMap<i64, YearStandard>,
    cols: &Columns,
    names: &Names,
) -> Frame {
    let (poor, ex) = (cols.poor, cols.excluded);
    let no_ids = Vec::new();
    let ids_of = |year: i64| standards.get(&year).map(|s| &s.ids).unwrap_or(&no_ids);
    let mut rows: Vec<(&Key, usize)> = Vec::new();
    for k in keys {
        for j in 0..ids_of(k.1).len() {
            rows.push((k, j));
        }
    }
    let row_keys: Vec<&Key> = rows.iter().map(|(k, _)| *k).collect();
    let mut f = Frame::default();
    key_columns(&mut f, &row_keys, standards, names);
    let get = |k: &Key| &accs[k];
    f.push(
        "indicator",
        Column::Str(
            rows.iter()
                .map(|(k, j)| Some(ids_of(k.1)[*j].clone()))
                .collect(),
        ),
    );
    let col = |g: &dyn Fn(&Acc, usize) -> Option<f64>| {
        Column::Float(rows.iter().map(|(k, j)| g(get(k), *j)).collect())
    };
    let den = |a: &Acc| a.w - a.class_w[ex];
    f.push("households_weighted", col(&|a, _| Some(den(a))));
    f.push("deprived", col(&|a, j| Some(a.deprived[j])));
    f.push("unknown", col(&|a, j| Some(a.unknown[j])));
    f.push("deprived_pct", col(&|a, j| pct(a.deprived[j], den(a))));
    f.push("unknown_pct", col(&|a, j| pct(a.unknown[j], den(a))));
    f.push("poor", col(&|a, _| Some(a.class_w[poor])));
    f.push("poor_deprived", col(&|a, j| Some(a.poor_deprived[j])));
    f.push(
        "poor_deprived_pct",
        col(&|a, j| pct(a.poor_deprived[j], a.class_w[poor])),
    );
    f
}
