//! Rate tables: scored households → counts, weighted counts and rates by
//! province (and district, commune, region, urban/rural), with a national
//! row; and per-indicator deprivation headcounts — the frames of
//! `measure`'s tally.

use crate::error::{Error, Result};
use crate::export::{Column, Frame};
use crate::measure::classes::Columns;
use crate::measure::{
    group_name, standards_by_year, Acc, Key, Level, Tallied, Tally, YearStandard,
};
use crate::score::scheme::Scheme;
use arrow_array::RecordBatch;
use std::collections::BTreeMap;

fn pct(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| 100.0 * num / den)
}

/// The tables of one level: rates, and per-indicator headcounts.
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
pub fn tables(batches: &[RecordBatch], levels: &[Level]) -> Result<Vec<LevelTables>> {
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
    Ok(level_tables(&tally.finish(), &standards, levels))
}

/// The tables of each requested level, each with its national rows.
pub fn level_tables(
    t: &Tallied,
    standards: &BTreeMap<i64, YearStandard>,
    levels: &[Level],
) -> Vec<LevelTables> {
    (levels.iter())
        .map(|&level| {
            let keys = t.keys(level);
            LevelTables {
                level,
                rates: rates_frame(&keys, &t.total, standards, &t.cols),
                indicators: indicator_frame(&keys, &t.total, standards, &t.cols),
            }
        })
        .collect()
}

fn key_columns(f: &mut Frame, keys: &[&Key], standards: &BTreeMap<i64, YearStandard>) {
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
        Column::Str(keys.iter().map(|k| group_name(k.0, &k.2)).collect()),
    );
}

/// The rates table: counts and shares of each class the standard defines
/// (with the paths to poor under the count rules, severe poverty under the
/// weighted rule), undetermined and excluded households, and person shares.
pub fn rates_frame(
    keys: &[&Key],
    accs: &BTreeMap<Key, Acc>,
    standards: &BTreeMap<i64, YearStandard>,
    cols: &Columns,
) -> Frame {
    let a: Vec<&Acc> = keys.iter().map(|k| &accs[*k]).collect();
    let scheme_of = |k: &Key| standards.get(&k.1).map(|s| &s.scheme);
    let schemes: Vec<&Scheme> = standards.values().map(|s| &s.scheme).collect();
    // Which rows a column applies to: a class of the row's standard, paths
    // under the union rule only, severe where the standard has the band.
    let applies = |f: &dyn Fn(&Scheme) -> bool| -> Vec<bool> {
        keys.iter().map(|k| scheme_of(k).is_none_or(f)).collect()
    };
    let any = |f: &dyn Fn(&Scheme) -> bool| schemes.iter().any(|s| f(s));
    // Path columns wherever a year is under a count rule (blank under the
    // intersection rule); severe columns wherever a year has the band.
    let (path_cols, severe_cols) = (any(&|s| s.counted()), any(&|s| s.severe));
    let (paths, severe) = (applies(&|s| s.paths), applies(&|s| s.severe));
    let mut f = Frame::default();
    key_columns(&mut f, keys, standards);
    let only = |on: &[bool], g: &dyn Fn(&Acc) -> Option<f64>| {
        Column::Float(
            a.iter()
                .zip(on)
                .map(|(x, p)| if *p { g(x) } else { None })
                .collect(),
        )
    };
    let float = |g: &dyn Fn(&Acc) -> f64| Column::Float(a.iter().map(|x| Some(g(x))).collect());
    let rate = |g: &dyn Fn(&Acc) -> Option<f64>| Column::Float(a.iter().map(|x| g(x)).collect());
    let (ex, und) = (cols.excluded, cols.undetermined);
    let den = |x: &Acc| x.w - x.class_w[ex];
    let has: Vec<Vec<bool>> = cols.names.iter().map(|c| applies(&|s| s.has(c))).collect();
    f.push(
        "households",
        Column::Int(a.iter().map(|x| Some(x.n as i64)).collect()),
    );
    f.push("households_weighted", float(&|x| x.w));
    f.push("persons_weighted", float(&|x| x.persons));
    for (c, name) in cols.names.iter().enumerate() {
        f.push(name, only(&has[c], &|x| Some(x.class_w[c])));
        if c == cols.poor {
            if path_cols {
                f.push("poor_income", only(&paths, &|x| Some(x.poor_income)));
                f.push(
                    "poor_deprivation",
                    only(&paths, &|x| Some(x.poor_deprivation)),
                );
            }
            if severe_cols {
                f.push("severe", only(&severe, &|x| Some(x.severe)));
            }
        }
    }
    f.push("undetermined", float(&|x| x.class_w[und]));
    f.push("excluded", float(&|x| x.class_w[ex]));
    for (c, name) in cols.names.iter().enumerate() {
        f.push(
            &format!("{name}_pct"),
            only(&has[c], &|x| pct(x.class_w[c], den(x))),
        );
        if c == cols.poor {
            if path_cols {
                f.push(
                    "poor_income_pct",
                    only(&paths, &|x| pct(x.poor_income, den(x))),
                );
                f.push(
                    "poor_deprivation_pct",
                    only(&paths, &|x| pct(x.poor_deprivation, den(x))),
                );
            }
            f.push(
                "poor_pct_upper",
                rate(&|x| pct(x.class_w[c] + x.maybe_poor, den(x))),
            );
            if severe_cols {
                f.push("severe_pct", only(&severe, &|x| pct(x.severe, den(x))));
                f.push(
                    "severe_pct_upper",
                    only(&severe, &|x| pct(x.severe + x.maybe_severe, den(x))),
                );
            }
        }
    }
    f.push("undetermined_pct", rate(&|x| pct(x.class_w[und], den(x))));
    let pden = |x: &Acc| x.persons - x.excluded_persons;
    f.push("poor_person_pct", rate(&|x| pct(x.poor_persons, pden(x))));
    if severe_cols {
        f.push(
            "severe_person_pct",
            only(&severe, &|x| pct(x.severe_persons, pden(x))),
        );
    }
    // The class counted beside the poor: near-poor, or vulnerable.
    for near in cols
        .names
        .iter()
        .filter(|c| schemes.iter().any(|s| s.near.as_ref() == Some(*c)))
    {
        let on = applies(&|s| s.near.as_ref() == Some(near));
        f.push(
            &format!("{near}_person_pct"),
            only(&on, &|x| pct(x.near_persons, pden(x))),
        );
    }
    f
}

pub fn indicator_frame(
    keys: &[&Key],
    accs: &BTreeMap<Key, Acc>,
    standards: &BTreeMap<i64, YearStandard>,
    cols: &Columns,
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
    key_columns(&mut f, &row_keys, standards);
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
