//! The rate-change table of a comparison: poor and near-poor (vulnerable)
//! rates in each year and the change in percentage points, with its
//! standard error for samples, and whether the change can be read as one.

use super::{batch_of, cells};
use crate::error::Result;
use crate::export::{Column, Frame};
use crate::measure::cells::{CellRule, SMALL};
use crate::measure::{estimate, Level, Measure, Names, Rows, StatsOptions, YearStandard, Z95};
use crate::score::classify::Class;
use arrow_array::RecordBatch;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// (grouping, group, measure)
type RateKey = (String, String, Measure);

/// The household rates of the two years and their change, read from the
/// estimates' rows.
struct Read {
    /// Key → year → value.
    values: BTreeMap<RateKey, BTreeMap<i64, Option<f64>>>,
    /// Key → (change, its standard error).
    changes: HashMap<RateKey, (Option<f64>, Option<f64>)>,
    /// Groups whose rate, in either year or in the change, is a small cell.
    small: BTreeSet<RateKey>,
    census: bool,
}

/// The two standards of a comparison.
struct Pair<'a> {
    s0: &'a YearStandard,
    s1: &'a YearStandard,
}

impl Pair<'_> {
    /// The class each standard counts beside the poor (near-poor, or
    /// vulnerable under the weighted rule): both, when they differ.
    fn near_rates(&self) -> Vec<Measure> {
        let mut near_rates: Vec<Measure> = Vec::new();
        for n in [self.s0.scheme.near, self.s1.scheme.near]
            .into_iter()
            .flatten()
        {
            let rate = Measure::Rate(n);
            if !near_rates.contains(&rate) {
                near_rates.push(rate);
            }
        }
        near_rates
    }

    /// A class one year's standard does not define (vulnerable under a
    /// count rule, near-poor under the weighted rule): the standard that
    /// lacks it, and the class.
    fn lacks(&self, measure: Measure) -> Option<(Class, &YearStandard)> {
        let class = measure.class()?;
        [self.s0, self.s1]
            .into_iter()
            .find(|s| !s.scheme.defines(class))
            .map(|s| (class, s))
    }

    fn changed(&self) -> bool {
        self.s0.id != self.s1.id
    }

    /// Across standards whose rules differ, near-poor means other
    /// households (spec §9 item 13).
    fn near_poor_differs(&self) -> bool {
        self.changed() && self.s0.rule != self.s1.rule
    }
}

fn read(est: &crate::measure::Estimated, near_rates: &[Measure]) -> Read {
    let wanted = |rows: &Rows, r: usize| {
        let m = rows.measure[r];
        !rows.person[r] && (m == Measure::Rate(Class::Poor) || near_rates.contains(&m))
    };
    let key = |rows: &Rows, r: usize| -> RateKey {
        (
            rows.grouping[r].name().to_string(),
            rows.group[r].clone().unwrap_or_default(),
            rows.measure[r],
        )
    };
    let is_small = |rows: &Rows, r: usize| {
        (rows.flags[r].as_deref()).is_some_and(|s| s.split(',').any(|x| x == SMALL))
    };
    let mut read = Read {
        values: BTreeMap::new(),
        changes: HashMap::new(),
        small: BTreeSet::new(),
        census: est.census,
    };
    let (e, c) = (&est.estimates, &est.changes);
    for r in (0..e.year.len()).filter(|&r| wanted(e, r)) {
        let k = key(e, r);
        if is_small(e, r) {
            read.small.insert(k.clone());
        }
        let year = e.year[r].unwrap_or_default();
        read.values
            .entry(k)
            .or_default()
            .insert(year, e.estimate[r]);
    }
    for r in (0..c.year.len()).filter(|&r| wanted(c, r)) {
        let k = key(c, r);
        if is_small(c, r) {
            read.small.insert(k.clone());
        }
        read.changes.insert(k, (c.estimate[r], c.se[r]));
    }
    read
}

/// Poor and near-poor (vulnerable) rates in each year and the change in percentage
/// points, with its standard error for samples; a group present in one year
/// only says so.
pub(super) fn rates_frame(
    scored: &[RecordBatch],
    from: i64,
    to: i64,
    level: Level,
    opts: &StatsOptions,
    (s0, s1): (&YearStandard, &YearStandard),
) -> Result<Frame> {
    let pair = Pair { s0, s1 };
    let two: Vec<RecordBatch> = [from, to]
        .iter()
        .map(|y| batch_of(scored, *y).cloned())
        .collect::<Result<_>>()?;
    let mut o = opts.clone();
    o.groupings = vec![level];
    let read = read(&estimate(&two, &o)?, &pair.near_rates());
    let mut keys: Vec<&RateKey> = read.values.keys().collect();
    keys.sort_by_key(|k| (k.0 != "total", k.2.name(), k.1.clone()));
    let mut f = key_columns(&keys, from, to, (level, &opts.names));
    value_columns(&mut f, &keys, &read, from, to);
    let n = keys.len();
    f.push("standard_from", Column::Str(vec![Some(s0.id.clone()); n]));
    f.push("standard_to", Column::Str(vec![Some(s1.id.clone()); n]));
    f.push(
        "comparable",
        Column::Str(keys.iter().map(|k| Some(comparable(&pair, k))).collect()),
    );
    f.push(
        "note",
        Column::Str(
            (keys.iter())
                .map(|k| note(&pair, &read, k, from, to))
                .collect(),
        ),
    );
    if let Some(rule) = CellRule::of(opts.min_cell, opts.suppress) {
        let small: Vec<bool> = keys.iter().map(|k| read.small.contains(*k)).collect();
        cells::apply_rates(&rule, &mut f, &small);
    }
    Ok(f)
}

fn key_columns(keys: &[&RateKey], from: i64, to: i64, (level, names): (Level, &Names)) -> Frame {
    let mut f = Frame::default();
    f.push("from_year", Column::Int(vec![Some(from); keys.len()]));
    f.push("to_year", Column::Int(vec![Some(to); keys.len()]));
    let text =
        |g: &dyn Fn(&RateKey) -> String| Column::Str(keys.iter().map(|k| Some(g(k))).collect());
    f.push("level", text(&|k| k.0.clone()));
    f.push("code", text(&|k| k.1.clone()));
    let level_of = |k: &RateKey| {
        if k.0 == "total" {
            Level::Total
        } else {
            level
        }
    };
    f.push(
        "name",
        Column::Str(
            keys.iter()
                .map(|k| names.name(level_of(k), to, &k.1))
                .collect(),
        ),
    );
    f.push("rate", text(&|k| k.2.name().to_string()));
    f
}

/// Each year's rate and the change, in percentage points.
fn value_columns(f: &mut Frame, keys: &[&RateKey], read: &Read, from: i64, to: i64) {
    let pp = |v: Option<f64>| v.map(|x| 100.0 * x);
    let col = |g: &dyn Fn(&RateKey) -> Option<f64>| {
        Column::Float(keys.iter().map(|k| pp(g(k))).collect())
    };
    let at = |k: &RateKey, y: i64| read.values[k].get(&y).copied().flatten();
    // The years are in from_year and to_year: files of other years stack.
    f.push("pct_from", col(&|k| at(k, from)));
    f.push("pct_to", col(&|k| at(k, to)));
    let ch = |k: &RateKey| read.changes.get(k).copied().unwrap_or((None, None));
    f.push("change_pp", col(&|k| ch(k).0));
    f.push("change_se_pp", col(&|k| ch(k).1));
    let ci = |k: &RateKey, z: f64| ch(k).0.zip(ch(k).1).map(|(v, s)| v + z * s);
    f.push("change_ci_low_pp", col(&|k| ci(k, -Z95)));
    f.push("change_ci_high_pp", col(&|k| ci(k, Z95)));
}

/// Across standards the change is not only a change in living standards;
/// where the rules differ, near-poor means other households.
fn comparable(pair: &Pair, k: &RateKey) -> String {
    if pair.lacks(k.2).is_some() {
        "no: a class of one standard only"
    } else if pair.near_poor_differs() && k.2 == Measure::Rate(Class::NearPoor) {
        "no: near-poor defined differently"
    } else if pair.changed() {
        "with care: different standards"
    } else {
        "yes"
    }
    .to_string()
}

fn note(pair: &Pair, read: &Read, k: &RateKey, from: i64, to: i64) -> Option<String> {
    let (s0, s1) = (pair.s0, pair.s1);
    let lacks = pair.lacks(k.2);
    let mut notes: Vec<String> = Vec::new();
    let values = &read.values[k];
    match (values.contains_key(&from), values.contains_key(&to)) {
        _ if lacks.is_some() => notes
            .extend(lacks.map(|(class, s)| format!("{} is not a class of {}", class.name(), s.id))),
        (true, false) => notes.push(format!("only in {from}")),
        (false, true) => notes.push(format!("only in {to}")),
        _ if read.census => notes.push("census".to_string()),
        _ => {}
    }
    if lacks.is_some() {
        // Said above: there is no change to read.
    } else if pair.near_poor_differs() && k.2 == Measure::Rate(Class::NearPoor) {
        notes.push(format!(
            "near-poor under {} ({} rule) and {} ({} rule) are different households: \
             the change is not a change in near-poverty (spec §9 item 13)",
            s0.id,
            s0.rule.name(),
            s1.id,
            s1.rule.name()
        ));
    } else if pair.changed() {
        notes.push(format!(
            "standard changed from {} to {}: the change includes the change of standard",
            s0.id, s1.id
        ));
    }
    (!notes.is_empty()).then(|| notes.join("; "))
}
