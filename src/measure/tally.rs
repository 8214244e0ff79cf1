//! The rate tables' sums: per grouping level, year and group, each
//! household's counts, weights, class, path to poor, severity and
//! deprivations. `Tally::add` sums a part of a year's rows on its own;
//! `RowTally` adds single rows for a pass that finds each row's groups
//! itself (the estimates' pass in `measure::accumulate`).

use super::classes::{Columns, Slots};
use super::{Groups, Key, Level, YearStandard};
use crate::dataset::text::Memo;
use crate::error::Result;
use crate::exact::fx::Interner;
use crate::score::meta::ScoredMeta;
use crate::score::scheme::Scheme;
use crate::score::view::{bits, Scored};
use crate::score::CHUNK;
use arrow_array::{Array, BooleanArray, RecordBatch};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// One group's rate-table sums.
#[derive(Debug, Clone, Default)]
pub struct Acc {
    pub n: u64,
    pub w: f64,
    pub persons: f64,
    /// Per class slot: the standard's classes, then undetermined, excluded.
    pub class_w: Vec<f64>,
    pub poor_income: f64,
    pub poor_deprivation: f64,
    /// Undetermined households that could be poor.
    pub maybe_poor: f64,
    /// Weighted rule: households in severe poverty, and those whose
    /// severity depends on unknown indicators.
    pub severe: f64,
    pub maybe_severe: f64,
    pub poor_persons: f64,
    /// Persons in the class counted beside the poor (near-poor, vulnerable).
    pub near_persons: f64,
    pub severe_persons: f64,
    pub excluded_persons: f64,
    pub deprived: Vec<f64>,
    pub unknown: Vec<f64>,
    pub poor_deprived: Vec<f64>,
}

impl Acc {
    fn new(k: usize, slots: usize) -> Self {
        Acc {
            class_w: vec![0.0; slots],
            deprived: vec![0.0; k],
            unknown: vec![0.0; k],
            poor_deprived: vec![0.0; k],
            ..Default::default()
        }
    }
    fn merge(&mut self, o: &Acc) {
        self.n += o.n;
        self.w += o.w;
        self.persons += o.persons;
        for (a, b) in self.class_w.iter_mut().zip(&o.class_w) {
            *a += b;
        }
        self.poor_income += o.poor_income;
        self.poor_deprivation += o.poor_deprivation;
        self.maybe_poor += o.maybe_poor;
        self.severe += o.severe;
        self.maybe_severe += o.maybe_severe;
        self.poor_persons += o.poor_persons;
        self.near_persons += o.near_persons;
        self.severe_persons += o.severe_persons;
        self.excluded_persons += o.excluded_persons;
        for i in 0..self.deprived.len() {
            self.deprived[i] += o.deprived[i];
            self.unknown[i] += o.unknown[i];
            self.poor_deprived[i] += o.poor_deprived[i];
        }
    }
}

/// How a poor household is poor under the union rule.
#[derive(Clone, Copy)]
enum Path {
    Income,
    Deprivation,
    Neither,
}

/// Rate-table sums over scored rows, fed a part of a year at a time: per
/// grouping level, year and group.
pub struct Tally {
    levels: Vec<Level>,
    cols: Columns,
    total: BTreeMap<Key, Acc>,
}

impl Tally {
    /// For years scored under these standards, grouped at `levels` (and
    /// always the nation).
    pub fn new(standards: &BTreeMap<i64, YearStandard>, levels: &[Level]) -> Tally {
        let mut all_levels: Vec<Level> = levels.to_vec();
        all_levels.push(Level::Total);
        all_levels.sort();
        all_levels.dedup();
        let legacy = Scheme::legacy();
        let schemes: Vec<&Scheme> = if standards.is_empty() {
            vec![&legacy]
        } else {
            standards.values().map(|s| &s.scheme).collect()
        };
        Tally {
            levels: all_levels,
            cols: Columns::of(&schemes),
            total: BTreeMap::new(),
        }
    }

    /// How the rows of a part of a year are tallied (its metadata names
    /// its standard), for a pass that finds each row's groups itself.
    pub fn rows<'a>(&self, scheme: &Scheme, v: &Scored<'a>) -> RowTally<'a> {
        let slots = Slots::new(scheme, &self.cols);
        // Worked out once per distinct text: the class's column, the path
        // to poor, whether an undetermined household could be poor.
        RowTally {
            k: v.indicators.len(),
            width: self.cols.width(),
            slot_of: v.class.memo(|c| slots.of(c.unwrap_or_default())),
            path_of: v.path.memo(|p| match p {
                Some("income") => Path::Income,
                Some("deprivation") => Path::Deprivation,
                _ => Path::Neither,
            }),
            maybe_poor_of: (v.possible)
                .memo(|p| p.is_some_and(|p| p.split('|').any(|c| c == "poor"))),
            severe: v.severe,
            slots,
        }
    }

    /// Add one group's sums (from `RowTally`) to its totals.
    pub fn merge(&mut self, level: Level, year: i64, code: &str, acc: &Acc) {
        let (k, width) = (acc.deprived.len(), self.cols.width());
        self.total
            .entry((level, year, code.to_string()))
            .or_insert_with(|| Acc::new(k, width))
            .merge(acc);
    }

    /// Add a part of a year's rows (its metadata names its standard).
    pub fn add(&mut self, b: &RecordBatch) -> Result<()> {
        let meta = ScoredMeta::of(b);
        let v = Scored::new(b, &meta.indicators)?;
        let tally = self.rows(&Scheme::of_meta(&meta), &v);
        let (levels, year) = (&self.levels, v.year);
        let groups = Groups::new(b);
        let n = b.num_rows();
        // Rows are summed per combo (the row's group at every level);
        // each group's totals are then its combos'. Chunk maps borrow the
        // group codes. A row starts a new combo only where its year or a
        // group column changes.
        type ChunkAccs<'b> = (
            Interner<(Level, i64, &'b str)>,
            Interner<Vec<u32>>,
            Vec<Acc>,
        );
        let parts: Vec<ChunkAccs<'_>> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let (mut keys, mut combos, mut accs): ChunkAccs<'_> = Default::default();
                let rows = c * CHUNK..((c + 1) * CHUNK).min(n);
                let (mut deprived, mut unknown) = (Vec::new(), Vec::new());
                v.indicator_bits(rows.clone(), &mut deprived, &mut unknown);
                let starts = groups.run_starts(year, levels, rows.clone());
                let mut at = 0;
                for i in rows.clone() {
                    let r = i - rows.start;
                    if starts[r] {
                        let combo = (levels.iter())
                            .map(|&level| keys.id((level, year.value(i), groups.code(level, i))).0)
                            .collect();
                        let (a, new) = combos.id(combo);
                        if new {
                            accs.push(tally.acc());
                        }
                        at = a as usize;
                    }
                    let w = v.weight.value(i);
                    let persons = w * v.size.value(i) as f64;
                    tally.add(&mut accs[at], i, w, persons, deprived[r], unknown[r]);
                }
                (keys, combos, accs)
            })
            .collect();
        for (keys, combos, accs) in parts {
            for (combo, acc) in combos.keys.iter().zip(&accs) {
                for &d in combo {
                    let (level, year, code) = keys.keys[d as usize];
                    self.merge(level, year, code, acc);
                }
            }
        }
        Ok(())
    }

    /// The sums, for the tables to be made of.
    pub fn finish(self) -> Tallied {
        Tallied {
            cols: self.cols,
            total: self.total,
        }
    }
}

/// The rate-table sums of every group: the class columns of every year's
/// standard, and each (level, year, group)'s sums.
pub struct Tallied {
    pub cols: Columns,
    pub total: BTreeMap<Key, Acc>,
}

impl Tallied {
    /// The groups of a level's table: national rows first within each
    /// year, then groups by code.
    pub fn keys(&self, level: Level) -> Vec<&Key> {
        let mut keys: Vec<&Key> = (self.total.keys())
            .filter(|(l, _, _)| *l == level || *l == Level::Total)
            .filter(|(_, _, code)| code != crate::score::domain::OUTSIDE)
            .collect();
        keys.sort_by(|a, b| {
            (a.1, a.0 != Level::Total, &a.2).cmp(&(b.1, b.0 != Level::Total, &b.2))
        });
        keys.dedup();
        keys
    }
}

/// One part's rows as the rate tables read them (see `Tally::rows`).
pub struct RowTally<'a> {
    k: usize,
    width: usize,
    slots: Slots,
    slot_of: Memo<'a, usize>,
    path_of: Memo<'a, Path>,
    maybe_poor_of: Memo<'a, bool>,
    severe: Option<&'a BooleanArray>,
}

impl RowTally<'_> {
    /// Empty sums for a group.
    pub fn acc(&self) -> Acc {
        Acc::new(self.k, self.width)
    }

    /// Add row `i` (weight `w`, `persons` weighted persons, deprived and
    /// unknown in the indicators of those bits) to its group's sums.
    #[inline]
    pub fn add(&self, a: &mut Acc, i: usize, w: f64, persons: f64, deprived: u64, unknown: u64) {
        let slots = &self.slots;
        let slot = self.slot_of.get(i);
        a.n += 1;
        a.w += w;
        a.persons += persons;
        a.class_w[slot] += w;
        if slot == slots.poor {
            match self.path_of.get(i) {
                Path::Income => a.poor_income += w,
                Path::Deprivation => a.poor_deprivation += w,
                Path::Neither => {}
            }
            a.poor_persons += persons;
        } else if Some(slot) == slots.near {
            a.near_persons += persons;
        } else if slot == slots.undetermined && self.maybe_poor_of.get(i) {
            a.maybe_poor += w;
        }
        if slot == slots.excluded {
            a.excluded_persons += persons;
            return;
        }
        match self.severe.map(|s| s.is_valid(i).then(|| s.value(i))) {
            Some(Some(true)) => {
                a.severe += w;
                a.severe_persons += persons;
            }
            Some(None) => a.maybe_severe += w,
            _ => {}
        }
        for j in bits(unknown) {
            a.unknown[j] += w;
        }
        for j in bits(deprived) {
            a.deprived[j] += w;
            if slot == slots.poor {
                a.poor_deprived[j] += w;
            }
        }
    }
}
