//! One pass over the scored households: each household's base values,
//! weighted for households and for persons, summed per (domain, PSU). The
//! domains are the years crossed with each requested grouping, and always
//! the nation.
//!
//! Rows are summed per *cell*: a PSU crossed with the household's group at
//! every level, so a row is added once whatever the number of levels, and
//! each domain's PSU sums are then gathered from its cells. Neighbouring
//! rows usually share a cell (records are in household-id order, which
//! follows the geography), so strings are compared with the previous row
//! rather than hashed. Fixed chunks are summed in parallel and merged in
//! chunk order, so results never depend on the number of threads.

use super::fx::FxHashMap;
use super::layout::{ClassIndex, Deprivations, Layout, Scoring};
use crate::error::Result;
use crate::table::{same_text, Groups, Level};
use arrow_array::{Array, RecordBatch, StringArray};
use rayon::prelude::*;
use std::collections::HashMap;

/// (survey year, grouping, group code)
pub type DomainKey = (i64, Level, String);

/// Rows per chunk summed on one thread (fixed: the sums do not depend on
/// the number of threads).
const CHUNK: usize = 1 << 16;

/// Sums for some PSUs, each PSU once, column-major: one column per base
/// variable, one entry per PSU.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub psus: Vec<u32>,
    /// The PSUs' strata, as runs of (stratum, length).
    pub runs: Vec<(u32, u32)>,
    pub household: Vec<f64>,
    pub person: Vec<f64>,
}

impl Block {
    /// Base variable `b` in every PSU of the domain.
    pub fn column(&self, b: usize, person: bool) -> &[f64] {
        let n = self.psus.len();
        let all = if person {
            &self.person
        } else {
            &self.household
        };
        &all[b * n..(b + 1) * n]
    }
}

pub struct Accumulated {
    pub domains: Vec<DomainKey>,
    pub index: HashMap<DomainKey, u32>,
    pub blocks: Vec<Block>,
    /// Per domain: the blocks holding its PSUs' sums (no PSU in two).
    pub dense: Vec<Vec<u32>>,
    /// Per domain: households with a non-zero value of each base variable.
    pub counts: Vec<Vec<u64>>,
    /// (stratum, PSU) labels, sorted: a PSU's id is its position.
    pub psu_labels: Vec<(String, String)>,
}

fn opt_text(a: Option<&StringArray>, i: usize) -> Option<&str> {
    a.filter(|a| a.is_valid(i)).map(|a| a.value(i))
}

/// The label of a household's own PSU, for records without a PSU column:
/// each household is then its own PSU, named by its row within the year
/// (rows are in household-id order, so the PSUs are too).
fn own_psu(stratum: &str, year: i64, row: usize) -> (String, String) {
    (stratum.to_string(), format!("\u{0}{year}:{row:012}"))
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
}

/// Interned tuples of domain ids (one per level), flat.
#[derive(Default)]
struct Combos {
    flat: Vec<u32>,
    of: FxHashMap<Vec<u32>, u32>,
}

impl Combos {
    fn id(&mut self, doms: Vec<u32>) -> u32 {
        if let Some(&id) = self.of.get(&doms) {
            return id;
        }
        let id = self.of.len() as u32;
        self.flat.extend_from_slice(&doms);
        self.of.insert(doms, id);
        id
    }

    fn get(&self, id: u32, levels: usize) -> &[u32] {
        &self.flat[id as usize * levels..(id as usize + 1) * levels]
    }

    fn len(&self) -> usize {
        self.of.len()
    }
}

/// The sums of some rows of one batch, per cell (a PSU and a combo of
/// domains); PSUs, domains and combos are numbered locally, in order of
/// first sight. Counts are kept per combo: only domain totals need them.
#[derive(Default)]
struct Chunk<'a> {
    psus: Vec<(String, String)>,
    psu_of: FxHashMap<(&'a str, &'a str), u32>,
    domains: Vec<(Level, &'a str)>,
    domain_of: FxHashMap<(Level, &'a str), u32>,
    combos: Combos,
    cells: Vec<(u32, u32)>,
    cell_of: FxHashMap<(u32, u32), u32>,
    /// `cells.len()` rows of the layout's width.
    household: Vec<f64>,
    person: Vec<f64>,
    /// `combos.len()` rows of the layout's width.
    counts: Vec<u64>,
}

impl<'a> Chunk<'a> {
    fn psu(&mut self, stratum: &'a str, psu: &'a str) -> u32 {
        if let Some(&id) = self.psu_of.get(&(stratum, psu)) {
            return id;
        }
        let id = self.new_psu((stratum.to_string(), psu.to_string()));
        self.psu_of.insert((stratum, psu), id);
        id
    }

    fn new_psu(&mut self, label: (String, String)) -> u32 {
        self.psus.push(label);
        (self.psus.len() - 1) as u32
    }

    fn domain(&mut self, level: Level, code: &'a str) -> u32 {
        let next = self.domains.len() as u32;
        *self.domain_of.entry((level, code)).or_insert_with(|| {
            self.domains.push((level, code));
            next
        })
    }

    fn cell(&mut self, psu: u32, doms: Vec<u32>, width: usize) -> u32 {
        let combo = self.combos.id(doms);
        if self.counts.len() < self.combos.len() * width {
            self.counts.resize(self.combos.len() * width, 0);
        }
        let next = self.cells.len() as u32;
        let id = *self.cell_of.entry((psu, combo)).or_insert(next);
        if id == next {
            self.cells.push((psu, combo));
            let n = self.household.len() + width;
            self.household.resize(n, 0.0);
            self.person.resize(n, 0.0);
        }
        id
    }
}

/// Sum the rows `rows` of one batch into cells.
fn sum_chunk<'a>(
    b: &'a RecordBatch,
    part: &Part<'_>,
    levels: &[Level],
    census: bool,
    rows: std::ops::Range<usize>,
) -> Result<Chunk<'a>> {
    let (scoring, layout, class_index) = (part.scoring, part.layout, part.class_index);
    let m = layout.width();
    let v = crate::score::view::Scored::new(b, part.ids)?;
    let groups = Groups::new(b);
    let (stratum, psu_col) = (v.stratum, v.psu);
    let mut c = Chunk::default();
    let mut vals: Vec<(usize, f64)> = Vec::new();
    let mut slots: Vec<usize> = Vec::new();
    let mut deprived = vec![false; part.ids.len()];
    // The previous counted row and its cell.
    let mut prev: Option<(usize, u32)> = None;
    for i in rows {
        let mut known = true;
        for (j, a) in v.indicators.iter().enumerate() {
            let valid = a.is_valid(i);
            known &= valid;
            deprived[j] = valid && a.values().value(i);
        }
        let path = v.path.is_valid(i).then(|| v.path.value(i));
        let severe = v.severe.map(|s| s.is_valid(i) && s.values().value(i));
        if !class_index.fill(v.class.value(i), path, severe, &mut slots) {
            continue; // excluded: in no denominator
        }
        let d = Deprivations {
            known,
            deprived: &deprived,
            score_num: scoring.score_num(&deprived),
        };
        vals.clear();
        scoring.fill(layout, Some(slots.as_slice()), &d, &mut vals);
        let y = v.year.value(i);
        // A sampled household without a PSU is its own PSU: never the
        // previous row's cell.
        let cell = match prev {
            Some((p, cell))
                if v.year.value(p) == y
                    && (census
                        || (psu_col.is_some_and(|a| a.is_valid(i))
                            && same_text(psu_col, i, p)
                            && same_text(stratum, i, p)))
                    && groups.same(levels, i, p) =>
            {
                cell
            }
            _ => {
                let st = opt_text(stratum, i).unwrap_or("");
                let psu = match (census, opt_text(psu_col, i)) {
                    (true, _) => c.psu("", ""),
                    (false, Some(p)) => c.psu(st, p),
                    (false, None) => c.new_psu(own_psu(st, y, i)),
                };
                let doms = levels
                    .iter()
                    .map(|&l| c.domain(l, groups.code(l, i)))
                    .collect();
                c.cell(psu, doms, m)
            }
        };
        prev = Some((i, cell));
        let w = v.weight.value(i);
        let wp = w * v.size.value(i) as f64;
        let at = cell as usize * m;
        let combo = c.cells[cell as usize].1 as usize * m;
        let (hh, pp, nn) = (
            &mut c.household[at..at + m],
            &mut c.person[at..at + m],
            &mut c.counts[combo..combo + m],
        );
        for &(base, x) in &vals {
            hh[base] += w * x;
            pp[base] += wp * x;
            nn[base] += 1;
        }
    }
    Ok(c)
}

/// Everything summed so far: cells over all batches, with global PSU
/// numbers (in order of first sight until [`gather`]), domains and combos.
#[derive(Default)]
struct Total {
    levels: usize,
    psus: Vec<(String, String)>,
    psu_of: FxHashMap<(String, String), u32>,
    domains: Vec<DomainKey>,
    domain_of: FxHashMap<DomainKey, u32>,
    combos: Combos,
    /// Per combo: the width of its year's layout and where its counts start.
    combo_at: Vec<(usize, usize)>,
    counts: Vec<u64>,
    cells: Vec<(u32, u32)>,
    cell_of: FxHashMap<(u32, u32), u32>,
    /// Per cell: where its sums start in `household` and `person`.
    cell_at: Vec<usize>,
    household: Vec<f64>,
    person: Vec<f64>,
}

impl Total {
    /// Add a chunk of a year's rows (merged in chunk order).
    fn merge(&mut self, year: i64, c: Chunk<'_>, width: usize) {
        let psus: Vec<u32> = c
            .psus
            .into_iter()
            .map(|label| match self.psu_of.get(&label) {
                Some(&id) => id,
                None => {
                    let id = self.psus.len() as u32;
                    self.psu_of.insert(label.clone(), id);
                    self.psus.push(label);
                    id
                }
            })
            .collect();
        let doms: Vec<u32> = c
            .domains
            .into_iter()
            .map(|(level, code)| {
                let key = (year, level, code.to_string());
                let next = self.domains.len() as u32;
                *self.domain_of.entry(key.clone()).or_insert_with(|| {
                    self.domains.push(key);
                    next
                })
            })
            .collect();
        let combos: Vec<u32> = (0..c.combos.len() as u32)
            .map(|k| {
                let global = c
                    .combos
                    .get(k, self.levels)
                    .iter()
                    .map(|d| doms[*d as usize])
                    .collect();
                let id = self.combos.id(global);
                if id as usize == self.combo_at.len() {
                    self.combo_at.push((width, self.counts.len()));
                    self.counts.resize(self.counts.len() + width, 0);
                }
                let at = self.combo_at[id as usize].1;
                let local = &c.counts[k as usize * width..(k as usize + 1) * width];
                for (a, b) in self.counts[at..at + width].iter_mut().zip(local) {
                    *a += b;
                }
                id
            })
            .collect();
        for (n, (psu, combo)) in c.cells.into_iter().enumerate() {
            let key = (psus[psu as usize], combos[combo as usize]);
            let next = self.cells.len() as u32;
            let id = *self.cell_of.entry(key).or_insert(next);
            if id == next {
                self.cells.push(key);
                self.cell_at.push(self.household.len());
                self.household.resize(self.household.len() + width, 0.0);
                self.person.resize(self.person.len() + width, 0.0);
            }
            let at = self.cell_at[id as usize];
            let from = n * width;
            for (a, b) in self.household[at..at + width]
                .iter_mut()
                .zip(&c.household[from..from + width])
            {
                *a += b;
            }
            for (a, b) in self.person[at..at + width]
                .iter_mut()
                .zip(&c.person[from..from + width])
            {
                *a += b;
            }
        }
    }
}

/// `parts[i]` says how to read `batches[i]`.
pub fn accumulate(
    batches: &[RecordBatch],
    parts: &[Part<'_>],
    groupings: &[Level],
    census: bool,
) -> Result<Accumulated> {
    let mut levels: Vec<Level> = vec![Level::National];
    levels.extend(groupings);
    levels.sort();
    levels.dedup();
    let mut total = Total {
        levels: levels.len(),
        ..Default::default()
    };
    for (b, part) in batches.iter().zip(parts) {
        let n = b.num_rows();
        let chunks: Vec<Chunk> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                sum_chunk(
                    b,
                    part,
                    &levels,
                    census,
                    c * CHUNK..((c + 1) * CHUNK).min(n),
                )
            })
            .collect::<Result<_>>()?;
        let year = crate::score::survey_year_of(b).unwrap_or_default();
        for c in chunks {
            total.merge(year, c, part.layout.width());
        }
    }
    if census {
        total.psus.push((String::new(), String::new()));
    }
    Ok(gather(total))
}

/// Number the PSUs in label order; lay each combo's cells out as a block
/// (sorted by PSU, column-major); and give each domain its blocks: its
/// combos' own when no PSU is in two of them (PSUs nested in the groups,
/// the usual design), or else one block of its PSUs' totals.
fn gather(total: Total) -> Accumulated {
    // PSU ids in label order (equal labels, as the census's, share one).
    let mut order: Vec<usize> = (0..total.psus.len()).collect();
    order.par_sort_by(|a, b| total.psus[*a].cmp(&total.psus[*b]));
    let mut final_id = vec![0u32; total.psus.len()];
    let mut psu_labels: Vec<(String, String)> = Vec::with_capacity(order.len());
    for &i in &order {
        if psu_labels.last() != Some(&total.psus[i]) {
            psu_labels.push(total.psus[i].clone());
        }
        final_id[i] = (psu_labels.len() - 1) as u32;
    }
    // Strata numbered in label order (as `Design` numbers them).
    let mut stratum = Vec::with_capacity(psu_labels.len());
    for (i, (st, _)) in psu_labels.iter().enumerate() {
        let next = match stratum.last() {
            Some(h) if psu_labels[i - 1].0 == *st => *h,
            Some(h) => h + 1,
            None => 0,
        };
        stratum.push(next);
    }
    let g = Gathering { total, stratum };
    let total = &g.total;
    // Each combo's cells as (PSU id, cell), sorted: one cell per PSU.
    let mut cells_of: Vec<Vec<(u32, u32)>> = vec![Vec::new(); total.combos.len()];
    for (cell, (psu, combo)) in total.cells.iter().enumerate() {
        cells_of[*combo as usize].push((final_id[*psu as usize], cell as u32));
    }
    let mut blocks: Vec<Block> = cells_of
        .into_par_iter()
        .enumerate()
        .map(|(k, mut m)| {
            m.sort_unstable();
            let spans: Vec<std::ops::Range<usize>> =
                m.iter().enumerate().map(|(i, _)| i..i + 1).collect();
            block(&g, total.combo_at[k].0, &m, &spans)
        })
        .collect();
    // Per domain: its combos.
    let mut combos_of: Vec<Vec<u32>> = vec![Vec::new(); total.domains.len()];
    for k in 0..total.combos.len() as u32 {
        for d in total.combos.get(k, total.levels) {
            combos_of[*d as usize].push(k);
        }
    }
    let counts: Vec<Vec<u64>> = combos_of
        .iter()
        .map(|combos| {
            let width = combos.first().map_or(0, |k| total.combo_at[*k as usize].0);
            let mut counts = vec![0u64; width];
            for k in combos {
                let at = total.combo_at[*k as usize].1;
                for (a, b) in counts.iter_mut().zip(&total.counts[at..at + width]) {
                    *a += b;
                }
            }
            counts
        })
        .collect();
    // Domains whose combos share a PSU get a block of PSU totals.
    let mut seen = vec![false; psu_labels.len()];
    let mut dense: Vec<Vec<u32>> = Vec::with_capacity(combos_of.len());
    for combos in &combos_of {
        let mut shared = false;
        if combos.len() > 1 {
            seen.iter_mut().for_each(|x| *x = false);
            for k in combos {
                for p in &blocks[*k as usize].psus {
                    shared |= std::mem::replace(&mut seen[*p as usize], true);
                }
            }
        }
        if !shared {
            dense.push(combos.clone());
            continue;
        }
        let mut m: Vec<(u32, u32)> = total
            .cells
            .iter()
            .enumerate()
            .filter(|(_, (_, k))| combos.contains(k))
            .map(|(c, (p, _))| (final_id[*p as usize], c as u32))
            .collect();
        m.sort_unstable();
        let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
        for i in 0..m.len() {
            match spans.last_mut() {
                Some(s) if m[s.start].0 == m[i].0 => s.end = i + 1,
                _ => spans.push(i..i + 1),
            }
        }
        let width = combos.first().map_or(0, |k| total.combo_at[*k as usize].0);
        blocks.push(block(&g, width, &m, &spans));
        dense.push(vec![(blocks.len() - 1) as u32]);
    }
    Accumulated {
        index: total
            .domains
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect(),
        domains: total.domains.clone(),
        blocks,
        dense,
        counts,
        psu_labels,
    }
}

/// The sums, with each PSU's stratum.
struct Gathering {
    total: Total,
    stratum: Vec<u32>,
}

/// A block of PSU sums: `m` is (PSU id, cell) sorted, `spans` the cells
/// of each PSU. Transposed in groups of PSUs small enough to stay in
/// cache, each entry written once (fresh pages are never read first).
fn block(g: &Gathering, width: usize, m: &[(u32, u32)], spans: &[std::ops::Range<usize>]) -> Block {
    let total = &g.total;
    let n = spans.len();
    let psus: Vec<u32> = spans.iter().map(|s| m[s.start].0).collect();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for p in &psus {
        match runs.last_mut() {
            Some((h, len)) if *h == g.stratum[*p as usize] => *len += 1,
            _ => runs.push((g.stratum[*p as usize], 1)),
        }
    }
    let mut d = Block {
        psus,
        runs,
        household: vec![0.0; width * n],
        person: vec![0.0; width * n],
    };
    let at: Vec<usize> = m.iter().map(|(_, c)| total.cell_at[*c as usize]).collect();
    for (group, rows) in spans.chunks(64).enumerate() {
        let first = group * 64;
        for b in 0..width {
            let (hh, pp) = (
                &mut d.household[b * n + first..b * n + first + rows.len()],
                &mut d.person[b * n + first..b * n + first + rows.len()],
            );
            for ((h, p), span) in hh.iter_mut().zip(pp.iter_mut()).zip(rows) {
                let (mut x, mut y) = (0.0, 0.0);
                for a in &at[span.clone()] {
                    x += total.household[a + b];
                    y += total.person[a + b];
                }
                *h = x;
                *p = y;
            }
        }
    }
    d
}
