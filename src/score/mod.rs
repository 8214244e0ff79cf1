//! The scorer: member rules → household indicators → deprivation count (a
//! range when something is unknown) → class under the standard's rule.
//! Households are cut into fixed-size chunks scored in parallel with rayon and
//! joined in order, so the output is byte-identical whatever the thread count.

pub mod classify;
pub mod columns;
pub mod examples;
pub mod files;
pub mod indicator;
pub mod members;
pub mod meta;
mod pipeline;
pub mod scheme;
pub mod slices;
pub mod view;
pub mod years;

use crate::error::{Error, Result};
use crate::schema::TableKind;
use crate::standard::{MissingPolicy, Standard};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt32Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema};
use classify::{Class, Measure, PoorPath, Shares};
use columns::{bool_column, ColRef, Columns};
use indicator::{Plan, Tri};
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

/// Households per parallel task. Fixed, so chunk boundaries (and so the
/// output) never depend on the number of threads.
pub const CHUNK: usize = 8192;

/// The user's choice for unknown indicators, overriding each indicator's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingOverride {
    Unknown,
    NotDeprived,
    Deprived,
    /// Households with any unknown indicator are left out of the tables.
    Exclude,
}

impl MissingOverride {
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::NotDeprived => "not_deprived",
            Self::Deprived => "deprived",
            Self::Exclude => "exclude",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ScoreOptions {
    pub missing: Option<MissingOverride>,
    /// Households scored per slice of a year on disk (`slices::SLICE` when
    /// `None`); the results never depend on it.
    pub slice: Option<usize>,
    /// `--members none`: member records are not used, and every member-level
    /// indicator without a pre-coded flag is unknown.
    pub no_members: bool,
}

pub const UNDETERMINED: &str = "undetermined";
pub const EXCLUDED: &str = "excluded";

/// Metadata keys on the scored file, so later stages need not reload the standard.
pub const META_STANDARD: &str = "dachieu.standard";
pub const META_VERSION: &str = "dachieu.standard_version";
pub const META_INDICATORS: &str = "dachieu.indicators";
pub const META_MISSING: &str = "dachieu.missing_policy";
/// Indicator weights as exact fractions (`1/10,1/10,…`), in indicator order.
pub const META_WEIGHTS: &str = "dachieu.indicator_weights";
/// The standard's deprivation cut-off: a count of indicators under the count
/// rules (`3`), a share of the weights under the weighted rule (`1/3`).
pub const META_CUTOFF: &str = "dachieu.cutoff";
/// The classification rule: `union`, `intersection` or `weighted`.
pub const META_RULE: &str = "dachieu.rule";
/// The classes the standard defines, in output order (`poor,vulnerable,not_poor`).
pub const META_CLASSES: &str = "dachieu.classes";
/// Weighted rule: the vulnerability band's lower bound (`1/5`), when defined.
pub const META_VULNERABLE: &str = "dachieu.vulnerable";
/// Weighted rule: the severe-poverty cut-off (`1/2`), when defined; the
/// scored file then has a `severe` column.
pub const META_SEVERE: &str = "dachieu.severe";
/// The `measure` column under the weighted rule: the deprivation score classified the household.
pub const MEASURE_SCORE: &str = "deprivation_score";
/// `sample` when the records carry a weight, stratum or PSU; `census` otherwise.
pub const META_DESIGN: &str = "dachieu.design";
/// Where the standard came from: `bundled:<id>` or a folder, so later stages
/// can load it again (labels, legal basis) without being told.
pub const META_ORIGIN: &str = "dachieu.standard_origin";
/// `true` when the standard is provisional.
pub const META_PROVISIONAL: &str = "dachieu.standard_provisional";

/// Columns copied from the households dataset to the scored file.
pub const PASS_THROUGH: &[&str] = &[
    "survey_year",
    "household_id",
    "province_code",
    "district_code",
    "commune_code",
    "area",
    "stratum",
    "psu",
    "household_size",
];

/// Scored results of one chunk of households.
#[derive(Default)]
struct Out {
    indicators: Vec<Vec<Tri>>,
    d_min: Vec<u8>,
    d_max: Vec<u8>,
    /// Weighted rule only (empty otherwise): score range as numerators over
    /// the weights' denominator, and the severe flag.
    s_min: Vec<i64>,
    s_max: Vec<i64>,
    severe: Vec<Option<bool>>,
    class: Vec<&'static str>,
    path: Vec<Option<&'static str>>,
    measure: Vec<Option<&'static str>>,
    possible: Vec<Option<String>>,
    unknown: Vec<Option<String>>,
}

/// Where each household's members are: `offsets[h]..offsets[h + 1]`.
fn member_offsets(members: &RecordBatch, n_households: usize) -> Result<Vec<usize>> {
    let mut offsets = vec![0usize; n_households + 1];
    let Some(idx) = members.column_by_name(crate::dataset::HH_INDEX) else {
        return Ok(offsets);
    };
    if idx.data_type() != &DataType::UInt32 {
        return Err(Error::Usage(
            "members dataset has a bad hh_index column; re-run `dachieu ingest`".into(),
        ));
    }
    let idx = idx.as_primitive::<UInt32Type>();
    let mut prev = 0u32;
    for (i, h) in idx.values().iter().enumerate() {
        if *h < prev || *h as usize >= n_households {
            return Err(Error::Usage(format!(
                "members dataset is not in household order at row {i}; re-run `dachieu ingest`"
            )));
        }
        prev = *h;
        offsets[*h as usize + 1] += 1;
    }
    for h in 0..n_households {
        offsets[h + 1] += offsets[h];
    }
    Ok(offsets)
}

fn int_at(c: Option<ColRef<'_>>, i: usize) -> Option<i64> {
    match c {
        Some(ColRef::Int(a)) if a.is_valid(i) => Some(a.value(i)),
        _ => None,
    }
}

fn float_at(c: Option<ColRef<'_>>, i: usize) -> Option<f64> {
    match c {
        Some(ColRef::Float(a)) if a.is_valid(i) => Some(a.value(i)),
        Some(ColRef::Int(a)) if a.is_valid(i) => Some(a.value(i) as f64),
        _ => None,
    }
}

/// Class of a household given its measure and a deprivation count.
fn class_at(st: &Standard, urban: bool, m: Measure, d: u32) -> (Class, Option<PoorPath>) {
    match (m, &st.score) {
        (Measure::Score(s), Some(rule)) => {
            let lines = if urban { &rule.urban } else { &rule.rural };
            classify::by_score(
                st.rule,
                lines,
                s,
                d,
                rule.points_per_indicator,
                rule.deprivation_points,
            )
        }
        _ => classify::by_income(st.rule, st.lines(urban), m, d, st.cutoff),
    }
}

/// Every class a weighted score can reach from `lo` by adding any subset of
/// the unknown indicators' weights, as class bits. A class lying between
/// the two ends can still be unreachable (1/6 known, 1/6 unknown: 1/6 or
/// 1/3, never vulnerable), so the sums are enumerated; past 12 unknowns the
/// classes between the ends are taken (the class is monotone in the score).
fn reachable(sh: &Shares, lo: i64, unknown: &[i64]) -> u8 {
    if unknown.len() > 12 {
        let (top, bottom) = (sh.class(lo + unknown.iter().sum::<i64>()), sh.class(lo));
        return Class::ALL
            .iter()
            .filter(|c| **c >= top && **c <= bottom)
            .filter(|c| match c {
                Class::Poor | Class::NotPoor => true,
                Class::Vulnerable => sh.rule.vulnerable.is_some(),
                _ => false,
            })
            .fold(0, |b, c| b | c.bit());
    }
    let mut sums = vec![lo];
    for w in unknown {
        for i in 0..sums.len() {
            sums.push(sums[i] + w);
        }
    }
    sums.iter().fold(0, |b, s| b | sh.class(*s).bit())
}

fn class_names(bits: u8) -> String {
    Class::ALL
        .iter()
        .filter(|c| bits & c.bit() != 0)
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join("|")
}

/// Whether records carry a sampling design (any weight, stratum or PSU).
fn has_design(households: &RecordBatch) -> bool {
    ["weight", "stratum", "psu"].iter().any(|c| {
        households
            .column_by_name(c)
            .is_some_and(|a| a.null_count() < a.len())
    })
}

/// Score one survey year held in memory.
pub fn score_year(
    st: &Standard,
    households: &RecordBatch,
    members: &RecordBatch,
    opts: &ScoreOptions,
) -> Result<RecordBatch> {
    score_slice(st, households, members, opts, has_design(households))
}

/// Score a slice of a survey year; `sample` says whether the year (not
/// just this slice) carries a sampling design, for the file's metadata.
pub fn score_slice(
    st: &Standard,
    households: &RecordBatch,
    members: &RecordBatch,
    opts: &ScoreOptions,
    sample: bool,
) -> Result<RecordBatch> {
    let n = households.num_rows();
    let hh = Columns::new(households, TableKind::Households)?;
    let mem = Columns::new(members, TableKind::Members)?;
    let offsets = member_offsets(members, n)?;
    let plans: Vec<Plan<'_>> = st
        .indicators
        .iter()
        .map(|ind| Plan {
            ind,
            flag: bool_column(households, &ind.flag_column()),
            members: !opts.no_members,
        })
        .collect();
    let policies: Vec<MissingPolicy> = st
        .indicators
        .iter()
        .map(|ind| match opts.missing {
            None | Some(MissingOverride::Exclude) => ind.missing,
            Some(MissingOverride::Unknown) => MissingPolicy::Unknown,
            Some(MissingOverride::NotDeprived) => MissingPolicy::NotDeprived,
            Some(MissingOverride::Deprived) => MissingPolicy::Deprived,
        })
        .collect();
    let exclude = opts.missing == Some(MissingOverride::Exclude);
    let ages = indicator::AgeColumns::new();
    let score_col = st
        .score
        .as_ref()
        .and_then(|s| hh.get(TableKind::Households, &s.column));
    let ipc = hh.get(TableKind::Households, "income_per_capita_month");
    let itot = hh.get(TableKind::Households, "income_total_year");
    let size = hh.get(TableKind::Households, "household_size");
    let area = hh.get(TableKind::Households, "area");
    // Weighted rule: each weight as a numerator over the common denominator.
    let shares = st.weighted.map(|rule| Shares {
        den: st
            .indicators
            .iter()
            .fold(1i64, |l, i| crate::exact::rational::lcm(l, i.weight.den)),
        rule,
    });
    let scaled: Vec<i64> = st
        .indicators
        .iter()
        .map(|i| shares.map_or(0, |s| i.weight.num * (s.den / i.weight.den)))
        .collect();
    let chunks: Vec<Out> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let range = c * CHUNK..((c + 1) * CHUNK).min(n);
            let mut out = Out {
                indicators: vec![Vec::with_capacity(range.len()); plans.len()],
                ..Default::default()
            };
            let mut unknown_w: Vec<i64> = Vec::new();
            for h in range {
                let hh_size = int_at(size, h).unwrap_or(0).max(0) as usize;
                let (m0, m1) = (offsets[h], offsets[h + 1]);
                let mut d_min = 0u32;
                let mut s_min = 0i64;
                unknown_w.clear();
                let mut n_unknown = 0u32;
                let mut unknown_ids = Vec::new();
                for (k, plan) in plans.iter().enumerate() {
                    let mut v = indicator::evaluate(plan, &hh, h, &mem, m0..m1, hh_size, ages);
                    if v.is_none() {
                        v = match policies[k] {
                            MissingPolicy::Unknown => None,
                            MissingPolicy::NotDeprived => Some(false),
                            MissingPolicy::Deprived => Some(true),
                        };
                    }
                    match v {
                        Some(true) => {
                            d_min += 1;
                            s_min += scaled[k];
                        }
                        None => {
                            n_unknown += 1;
                            unknown_w.push(scaled[k]);
                            unknown_ids.push(plan.ind.id.as_str());
                        }
                        Some(false) => {}
                    }
                    out.indicators[k].push(v);
                }
                let d_max = d_min + n_unknown;
                let urban = matches!(
                    area.map(|a| a.value(h)),
                    Some(crate::standard::expr::Value::Str("urban"))
                );
                let measure = match float_at(score_col, h) {
                    Some(s) if st.score.is_some() => Some(Measure::Score(s)),
                    _ => match (int_at(ipc, h), int_at(itot, h)) {
                        (Some(i), _) => Some(Measure::IncomePerCapita(i)),
                        (None, Some(t)) => Some(Measure::IncomeTotal {
                            total: t,
                            size: hh_size as i64,
                        }),
                        _ => None,
                    },
                };
                let s_max = s_min + unknown_w.iter().sum::<i64>();
                let mut severe = None;
                let (class, path, possible) = if exclude && n_unknown > 0 {
                    (EXCLUDED, None, None)
                } else if let Some(sh) = &shares {
                    // Severe is a threshold on the score: known at both ends or unknown.
                    severe = match (sh.severe(s_min), sh.severe(s_max)) {
                        (Some(true), _) => Some(true),
                        (_, Some(false)) => Some(false),
                        _ => None,
                    };
                    let (lo, hi) = (sh.class(s_min), sh.class(s_max));
                    if lo == hi {
                        (lo.name(), None, None)
                    } else {
                        let bits = reachable(sh, s_min, &unknown_w);
                        (UNDETERMINED, None, Some(class_names(bits)))
                    }
                } else {
                    match measure {
                        None => {
                            let bits = classify::without_measure(st, urban, (d_min, d_max));
                            (UNDETERMINED, None, Some(class_names(bits)))
                        }
                        Some(m) => {
                            let lo = class_at(st, urban, m, d_min);
                            let hi = class_at(st, urban, m, d_max);
                            if lo == hi {
                                (lo.0.name(), lo.1.map(PoorPath::name), None)
                            } else {
                                let bits = (d_min..=d_max)
                                    .fold(0u8, |b, d| b | class_at(st, urban, m, d).0.bit());
                                (UNDETERMINED, None, Some(class_names(bits)))
                            }
                        }
                    }
                };
                if shares.is_some() {
                    out.s_min.push(s_min);
                    out.s_max.push(s_max);
                    out.severe.push(severe);
                }
                out.d_min.push(d_min as u8);
                out.d_max.push(d_max as u8);
                out.class.push(class);
                out.path.push(path);
                out.measure.push(if shares.is_some() {
                    Some(MEASURE_SCORE)
                } else {
                    measure.map(Measure::name)
                });
                out.possible.push(possible);
                out.unknown.push(if unknown_ids.is_empty() {
                    None
                } else {
                    Some(unknown_ids.join(";"))
                });
            }
            out
        })
        .collect();
    build_output(st, households, chunks, opts, sample)
}

fn build_output(
    st: &Standard,
    households: &RecordBatch,
    chunks: Vec<Out>,
    opts: &ScoreOptions,
    sample: bool,
) -> Result<RecordBatch> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for name in PASS_THROUGH {
        if let Some(a) = households.column_by_name(name) {
            fields.push(Field::new(*name, a.data_type().clone(), true));
            arrays.push(a.clone());
        }
    }
    // Weight 1 when the data carries none: a census counts every household once.
    let weight: Float64Array = match households.column_by_name("weight") {
        Some(a) if a.data_type() == &DataType::Float64 => a
            .as_primitive::<Float64Type>()
            .iter()
            .map(|w| Some(w.unwrap_or(1.0)))
            .collect(),
        _ => std::iter::repeat_n(Some(1.0), households.num_rows()).collect(),
    };
    fields.push(Field::new("weight", DataType::Float64, false));
    arrays.push(Arc::new(weight));
    for (k, ind) in st.indicators.iter().enumerate() {
        let col: BooleanArray = chunks
            .iter()
            .flat_map(|c| c.indicators[k].iter().copied())
            .collect();
        fields.push(Field::new(ind.id.as_str(), DataType::Boolean, true));
        arrays.push(Arc::new(col));
    }
    let u8col = |f: fn(&Out) -> &Vec<u8>| -> ArrayRef {
        Arc::new(UInt8Array::from(
            chunks
                .iter()
                .flat_map(|c| f(c).iter().copied())
                .collect::<Vec<_>>(),
        ))
    };
    fields.push(Field::new("deprivations_min", DataType::UInt8, false));
    arrays.push(u8col(|c| &c.d_min));
    fields.push(Field::new("deprivations_max", DataType::UInt8, false));
    arrays.push(u8col(|c| &c.d_max));
    // Weighted rule: the score range itself, and the severe-poverty flag. The
    // engine identifies on exact fractions; these floats are for reading
    // (each is the correctly rounded value of its fraction, so 1/3 reads as
    // 1.0 / 3.0 does).
    let den = st
        .indicators
        .iter()
        .fold(1i64, |l, i| crate::exact::rational::lcm(l, i.weight.den));
    if let Some(w) = &st.weighted {
        for (name, f) in [
            (
                "deprivation_score_min",
                (|c: &Out| &c.s_min) as fn(&Out) -> &Vec<i64>,
            ),
            ("deprivation_score_max", |c: &Out| &c.s_max),
        ] {
            let col: Float64Array = chunks
                .iter()
                .flat_map(|c| f(c).iter().map(|n| Some(*n as f64 / den as f64)))
                .collect();
            fields.push(Field::new(name, DataType::Float64, false));
            arrays.push(Arc::new(col));
        }
        if w.severe.is_some() {
            let col: BooleanArray = chunks
                .iter()
                .flat_map(|c| c.severe.iter().copied())
                .collect();
            fields.push(Field::new("severe", DataType::Boolean, true));
            arrays.push(Arc::new(col));
        }
    }
    let strcol = |f: &dyn Fn(&Out) -> Vec<Option<&str>>| -> ArrayRef {
        Arc::new(chunks.iter().flat_map(f).collect::<StringArray>())
    };
    fields.push(Field::new("class", DataType::Utf8, false));
    arrays.push(strcol(&|c| c.class.iter().map(|s| Some(*s)).collect()));
    fields.push(Field::new("poor_path", DataType::Utf8, true));
    arrays.push(strcol(&|c| c.path.clone()));
    fields.push(Field::new("measure", DataType::Utf8, true));
    arrays.push(strcol(&|c| c.measure.clone()));
    fields.push(Field::new("possible_classes", DataType::Utf8, true));
    arrays.push(strcol(&|c| {
        c.possible.iter().map(|s| s.as_deref()).collect()
    }));
    fields.push(Field::new("unknown_indicators", DataType::Utf8, true));
    arrays.push(strcol(&|c| {
        c.unknown.iter().map(|s| s.as_deref()).collect()
    }));

    let ids: Vec<&str> = st.indicators.iter().map(|i| i.id.as_str()).collect();
    let weights: Vec<String> = st.indicators.iter().map(|i| i.weight.to_string()).collect();
    let classes: Vec<&str> = classify::defined(st).iter().map(|c| c.name()).collect();
    let meta: HashMap<String, String> = [
        (META_STANDARD, st.id.clone()),
        (META_VERSION, st.version.clone()),
        (META_INDICATORS, ids.join(",")),
        (
            META_MISSING,
            opts.missing
                .map(MissingOverride::name)
                .unwrap_or("per-indicator")
                .to_string(),
        ),
        (META_WEIGHTS, weights.join(",")),
        (
            META_CUTOFF,
            match &st.weighted {
                Some(w) => w.cutoff.to_string(),
                None => st.cutoff.to_string(),
            },
        ),
        (META_ORIGIN, st.origin.clone()),
        (META_RULE, st.rule.name().to_string()),
        (META_CLASSES, classes.join(",")),
        (META_PROVISIONAL, st.provisional.to_string()),
        (
            META_DESIGN,
            if sample { "sample" } else { "census" }.to_string(),
        ),
    ]
    .into_iter()
    .chain(
        st.weighted
            .iter()
            .flat_map(|w| [(META_VULNERABLE, w.vulnerable), (META_SEVERE, w.severe)])
            .filter_map(|(k, v)| v.map(|v| (k, v.to_string()))),
    )
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let schema = Schema::new(fields).with_metadata(meta);
    Ok(RecordBatch::try_new(Arc::new(schema), arrays)?)
}

/// Read a survey year's values from the scored file's integer column.
pub fn survey_year_of(batch: &RecordBatch) -> Option<i64> {
    let a = batch.column_by_name("survey_year")?;
    if a.data_type() != &DataType::Int64 || a.is_empty() {
        return None;
    }
    let a = a.as_primitive::<Int64Type>();
    a.is_valid(0).then(|| a.value(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::rational::Ratio;
    use crate::standard::WeightedRule;

    #[test]
    fn reachable_classes_are_enumerated_not_interpolated() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        let sh = Shares {
            den: 18,
            rule: WeightedRule {
                cutoff: r(1, 3),
                vulnerable: Some(r(1, 5)),
                severe: Some(r(1, 2)),
            },
        };
        // 3/18 known and one unknown 3/18: 3/18 or 6/18; vulnerable lies
        // between the two but no combination reaches it.
        assert_eq!(class_names(reachable(&sh, 3, &[3])), "poor|not_poor");
        assert_eq!(
            class_names(reachable(&sh, 3, &[1, 1])),
            "vulnerable|not_poor"
        );
        // Past 12 unknowns: the classes between the two ends.
        assert_eq!(
            class_names(reachable(&sh, 0, &[1; 13])),
            "poor|vulnerable|not_poor"
        );
        let no_band = Shares {
            rule: WeightedRule {
                vulnerable: None,
                ..sh.rule
            },
            ..sh
        };
        assert_eq!(
            class_names(reachable(&no_band, 0, &[1; 13])),
            "poor|not_poor"
        );
    }
}
