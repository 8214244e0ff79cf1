//! One pass over the scored households: each household's base values,
//! weighted for households and for persons, summed per (domain, PSU). The
//! domains are the years crossed with each requested grouping, and always
//! the nation. The same pass can tally the rate tables (`tally::RowTally`).
//!
//! Rows are summed per *cell*: a PSU crossed with the household's group at
//! every level, so a row is added once whatever the number of levels, and
//! each domain's PSU sums are then gathered from its cells (`gather.rs`).
//! Neighbouring rows usually share a cell (records are in household-id
//! order, which follows the geography): where the year, a group, the
//! stratum or the PSU changes is marked a column at a time, and only there
//! is a row's cell looked up. Rows come a part (a row group) at a time;
//! each part is cut into fixed chunks summed in parallel, and a PSU's sums
//! are added up in chunk order, so results never depend on the number of
//! threads.

use super::gather::{gather, label_hash, Accumulated, Keys, Store, Summed};
use super::layout::{ClassIndex, Counted, Layout, Scoring};
use super::{Acc, Groups, Level, RowTally, Tally};
use crate::dataset::text::{Memo, Text};
use crate::error::Result;
use crate::exact::fx::FxHashMap;
use crate::exact::fx::Interner;
use crate::score::scheme::Scheme;
use crate::score::view::Scored;
use arrow_array::{Array, RecordBatch};
use rayon::prelude::*;
use std::borrow::Cow;

/// (survey year, grouping, group code)
pub type DomainKey = (i64, Level, String);

/// Rows per chunk summed on one thread (fixed: the sums do not depend on
/// the number of threads).
const CHUNK: usize = 1 << 16;

fn opt_text<'a>(a: Option<Text<'a>>, i: usize) -> Option<&'a str> {
    a.and_then(|a| a.get(i))
}

/// The PSU label of a household in records without a PSU column: each
/// household is then its own PSU, named by its row within the year (rows
/// are in household-id order, so the PSUs are too).
fn own_psu(year: i64, row: usize) -> String {
    format!("\u{0}{year}:{row:012}")
}

/// How one batch (one survey year) is read: its standard's indicators,
/// their exact weights and cut-offs, the class measures its classes give,
/// and the layout of its base variables. Years scored under different
/// standards have different layouts; a class rate is found in each by name
/// (see `Spec::is_class`), so class rates compare across.
#[derive(Clone, Copy)]
pub struct Part<'a> {
    pub ids: &'a [String],
    pub scoring: &'a Scoring,
    pub layout: &'a Layout,
    pub class_index: &'a ClassIndex,
    /// The classes the year's standard defines.
    pub scheme: &'a Scheme,
}

/// The sums of some rows of one batch, per cell (a PSU and a combo: the
/// domains at each level); PSUs, domains, combos and cells are numbered
/// locally, in order of first sight. Counts are kept per combo: only domain
/// totals need them.
#[derive(Default)]
struct Chunk<'a> {
    psus: Interner<(Cow<'a, str>, Cow<'a, str>)>,
    domains: Interner<(Level, &'a str)>,
    combos: Interner<Vec<u32>>,
    cells: Interner<(u32, u32)>,
    /// Per cell: its row of sums. A combo's rows are side by side, in
    /// order of first sight (its runs' worth of rows is set aside for it).
    rows: Vec<u32>,
    /// Per combo: the next row free for it.
    free: Vec<u32>,
    /// Rows of the layout's width.
    household: Vec<f64>,
    person: Vec<f64>,
    /// `combos.len()` rows of the layout's width.
    counts: Vec<u64>,
    /// Per combo: its rate-table sums, when the pass tallies them too.
    accs: Vec<Acc>,
}

impl Chunk<'_> {
    fn combo(&mut self, doms: Vec<u32>, width: usize, tally: Option<&RowTally<'_>>) -> u32 {
        let (combo, new) = self.combos.id(doms);
        if new {
            self.counts.resize(self.combos.keys.len() * width, 0);
            self.accs.extend(tally.map(RowTally::acc));
        }
        combo
    }

    /// The row of the cell of `psu` in `combo`.
    fn cell(&mut self, psu: u32, combo: u32) -> u32 {
        let (id, new) = self.cells.id((psu, combo));
        if new {
            self.rows.push(self.free[combo as usize]);
            self.free[combo as usize] += 1;
        }
        self.rows[id as usize]
    }
}

/// A batch's columns as the pass reads them, looked up once per batch:
/// with where each class counts and each path's measure worked out once
/// per distinct text, and (`tally`) how the rate tables read the rows.
struct Batch<'a> {
    v: Scored<'a>,
    groups: Groups<'a>,
    class_of: Memo<'a, Counted>,
    path_of: Memo<'a, Option<usize>>,
    tally: Option<RowTally<'a>>,
}

/// Sum the rows `rows` of one batch into cells (and, with a tally, into
/// the rate tables' combos); the batch's first row is row `first` of its
/// year. A row looks up its combo and cell only where its year, a group,
/// its stratum or its PSU changes from the row before.
fn sum_chunk<'a>(
    bv: &Batch<'a>,
    part: &Part<'_>,
    levels: &[Level],
    census: bool,
    first: usize,
    rows: std::ops::Range<usize>,
) -> Chunk<'a> {
    let (scoring, layout, class_index) = (part.scoring, part.layout, part.class_index);
    let m = layout.width();
    let v = &bv.v;
    let mut c = Chunk::default();
    let (mut deprived, mut unknown) = (Vec::new(), Vec::new());
    v.indicator_bits(rows.clone(), &mut deprived, &mut unknown);
    let starts = run_starts(bv, levels, census, rows.clone());
    let mut run_combos = c
        .set_aside_runs(bv, levels, &starts, rows.start, m)
        .into_iter();
    let mut af = AfMemo::default();
    let (mut vals, mut slots): (Vec<(usize, f64)>, Vec<usize>) = (Vec::new(), Vec::new());
    // The current run's combo, and its cell once a counted row needs it.
    let (mut combo, mut cell) = (0, None);
    for i in rows.clone() {
        let r = i - rows.start;
        if starts[r] {
            combo = run_combos.next().unwrap_or_default();
            cell = None;
        }
        let w = v.weight.value(i);
        let wp = w * v.size.value(i) as f64;
        if let Some(t) = &bv.tally {
            t.add(
                &mut c.accs[combo as usize],
                i,
                w,
                wp,
                deprived[r],
                unknown[r],
            );
        }
        let Counted::In(class) = bv.class_of.get(i) else {
            continue; // excluded: in no denominator
        };
        let severe = v.severe.map(|s| s.is_valid(i) && s.values().value(i));
        class_index.fill(class, bv.path_of.get(i), severe, &mut slots);
        vals.clear();
        scoring.fill(&slots, &mut vals);
        let af_at = match unknown[r] {
            0 => af.of(scoring, layout, deprived[r]),
            _ => 0..0, // unknown: in no Alkire–Foster total
        };
        let cell = *cell.get_or_insert_with(|| c.psu_cell(bv, census, first, i, combo));
        c.add(
            cell,
            combo,
            m,
            (w, wp),
            vals.iter().chain(&af.values[af_at]),
        );
    }
    c
}

/// Where a row starts a run of rows sharing year, groups, stratum and PSU
/// (for samples; a census has one PSU). A sampled household without a PSU
/// is its own PSU, so it starts a run.
fn run_starts(
    bv: &Batch<'_>,
    levels: &[Level],
    census: bool,
    rows: std::ops::Range<usize>,
) -> Vec<bool> {
    let v = &bv.v;
    let mut starts = bv.groups.run_starts(v.year, levels, rows.clone());
    if !census {
        for t in [v.stratum, v.psu].into_iter().flatten() {
            t.mark_changes(rows.clone(), &mut starts);
        }
        for (s, i) in starts.iter_mut().zip(rows) {
            *s |= !v.psu.is_some_and(|p| p.is_valid(i));
        }
    }
    starts
}

/// The Alkire–Foster base values of each deprivation pattern met, worked
/// out once: `values[of[pattern]]`.
#[derive(Default)]
struct AfMemo {
    of: FxHashMap<u64, std::ops::Range<usize>>,
    values: Vec<(usize, f64)>,
}

impl AfMemo {
    /// Where the values of deprivation pattern `mask` are in `values`.
    #[inline]
    fn of(&mut self, scoring: &Scoring, layout: &Layout, mask: u64) -> std::ops::Range<usize> {
        let values = &mut self.values;
        (self.of.entry(mask))
            .or_insert_with_key(|mask| {
                let start = values.len();
                scoring.fill_af(layout, *mask, values);
                start..values.len()
            })
            .clone()
    }
}

impl<'a> Chunk<'a> {
    /// Each run's combo (a run has one combo and PSU, and starts where
    /// `starts` says; the chunk's first row is row `first_row` of the
    /// batch), and room for a cell per run, each combo's side by side: a
    /// domain's PSUs are then read from a few stretches of memory.
    fn set_aside_runs(
        &mut self,
        bv: &Batch<'a>,
        levels: &[Level],
        starts: &[bool],
        first_row: usize,
        m: usize,
    ) -> Vec<u32> {
        let tally = bv.tally.as_ref();
        let run_combos: Vec<u32> = (starts.iter().enumerate())
            .filter(|(_, s)| **s)
            .map(|(r, _)| {
                let i = first_row + r;
                let doms = (levels.iter())
                    .map(|&l| self.domains.id((l, bv.groups.code(l, i))).0)
                    .collect();
                self.combo(doms, m, tally)
            })
            .collect();
        let mut runs_of = vec![0u32; self.combos.keys.len()];
        run_combos.iter().for_each(|k| runs_of[*k as usize] += 1);
        self.free = (runs_of.iter())
            .scan(0, |at, n| {
                *at += n;
                Some(*at - n)
            })
            .collect();
        // Zeros written, not calloc'd: a fresh page read before it is written
        // faults twice (the second time, copy-on-write, flushes every core's TLB).
        for sums in [&mut self.household, &mut self.person] {
            sums.reserve_exact(run_combos.len() * m);
            sums.resize(run_combos.len() * m, 0.0);
        }
        run_combos
    }

    /// The row of the cell of row `i`'s PSU in `combo` (the batch's first
    /// row is row `first` of its year).
    fn psu_cell(
        &mut self,
        bv: &Batch<'a>,
        census: bool,
        first: usize,
        i: usize,
        combo: u32,
    ) -> u32 {
        let v = &bv.v;
        let st = opt_text(v.stratum, i).unwrap_or("");
        let label = match (census, opt_text(v.psu, i)) {
            (true, _) => ("".into(), "".into()),
            (false, Some(p)) => (st.into(), p.into()),
            (false, None) => (st.into(), own_psu(v.year.value(i), first + i).into()),
        };
        let psu = self.psus.id(label).0;
        self.cell(psu, combo)
    }

    /// Add a row's base values, weighted for its household (`w.0`) and its
    /// persons (`w.1`), to its cell's sums and its combo's counts.
    #[inline]
    fn add<'v>(
        &mut self,
        cell: u32,
        combo: u32,
        m: usize,
        (w, wp): (f64, f64),
        values: impl Iterator<Item = &'v (usize, f64)>,
    ) {
        let (at, counts) = (cell as usize * m, combo as usize * m);
        let (hh, pp, nn) = (
            &mut self.household[at..at + m],
            &mut self.person[at..at + m],
            &mut self.counts[counts..counts + m],
        );
        for &(base, x) in values {
            hh[base] += w * x;
            pp[base] += wp * x;
            nn[base] += 1;
        }
    }
}

impl Keys {
    /// Number a chunk's domains, combos and PSUs (given its PSU labels'
    /// hashes) and add its counts (chunks are merged in order); its sums
    /// stay as they are.
    fn merge(
        &mut self,
        year: i64,
        c: Chunk<'_>,
        hashes: Vec<u64>,
        width: usize,
        mut tally: Option<&mut Tally>,
    ) -> Summed {
        if let Some(t) = tally.as_mut() {
            for (doms, acc) in c.combos.keys.iter().zip(&c.accs) {
                for d in doms {
                    let (level, code) = c.domains.keys[*d as usize];
                    t.merge(level, year, code, acc);
                }
            }
        }
        let doms: Vec<u32> = (c.domains.keys.into_iter())
            .map(|(level, code)| self.domains.id((year, level, code.to_string())).0)
            .collect();
        let combos: Vec<u32> = (c.combos.keys.iter().enumerate())
            .map(|(k, local)| {
                let (id, new) = self
                    .combos
                    .id(local.iter().map(|d| doms[*d as usize]).collect());
                if new {
                    self.combo_at.push((width, self.counts.len()));
                    self.counts.resize(self.counts.len() + width, 0);
                }
                let local = &c.counts[k * width..(k + 1) * width];
                let at = self.combo_at[id as usize].1;
                for (a, b) in self.counts[at..at + width].iter_mut().zip(local) {
                    *a += b;
                }
                id
            })
            .collect();
        Summed {
            psus: (c.psus.keys.iter().zip(hashes))
                .map(|((s, p), hash)| self.psus.id(hash, s, p))
                .collect(),
            cells: (c.cells.keys.into_iter().zip(c.rows))
                .map(|((p, k), row)| (p, combos[k as usize], row))
                .collect(),
            sums: Store {
                household: c.household,
                person: c.person,
            },
        }
    }
}

/// Sums over scored rows, fed a part of a year at a time: per PSU and
/// domain (the years crossed with each grouping, and always the nation).
pub struct Sums {
    levels: Vec<Level>,
    census: bool,
    keys: Keys,
    summed: Vec<Summed>,
}

impl Sums {
    pub fn new(groupings: &[Level], census: bool) -> Sums {
        let mut levels: Vec<Level> = vec![Level::Total];
        levels.extend(groupings);
        levels.sort();
        levels.dedup();
        Sums {
            levels,
            census,
            keys: Keys::default(),
            summed: Vec::new(),
        }
    }

    /// Add a part of a year's rows (parts in order), read as `part` says;
    /// its first row is row `first` of the year. With `tally`, the rows go
    /// into its rate tables in the same pass (grouped at the same levels).
    pub fn add(
        &mut self,
        year: i64,
        first: usize,
        b: &RecordBatch,
        part: &Part<'_>,
        mut tally: Option<&mut Tally>,
    ) -> Result<()> {
        let n = b.num_rows();
        let (levels, census) = (&self.levels, self.census);
        let v = Scored::new(b, part.ids)?;
        let bv = Batch {
            groups: Groups::new(b),
            class_of: (v.class).memo(|c| part.class_index.class_of(c.unwrap_or_default())),
            path_of: v.path.memo(|p| part.class_index.path_of(p)),
            tally: tally.as_ref().map(|t| t.rows(part.scheme, &v)),
            v,
        };
        // Each chunk with its PSU labels' hashes.
        let chunks: Vec<(Chunk, Vec<u64>)> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let range = c * CHUNK..((c + 1) * CHUNK).min(n);
                let chunk = sum_chunk(&bv, part, levels, census, first, range);
                let hashes = (chunk.psus.keys.iter())
                    .map(|(s, p)| label_hash(s, p))
                    .collect();
                (chunk, hashes)
            })
            .collect();
        for (c, hashes) in chunks {
            let width = part.layout.width();
            let summed = self
                .keys
                .merge(year, c, hashes, width, tally.as_deref_mut());
            self.summed.push(summed);
        }
        Ok(())
    }

    pub fn finish(self) -> Accumulated {
        gather(self.keys, self.summed, self.census)
    }
}
