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

use super::fx::Interner;
use super::layout::{ClassIndex, Deprivations, Layout, Scoring};
use crate::error::Result;
use crate::table::{same_text, Groups, Level};
use arrow_array::{Array, RecordBatch, StringArray};
use rayon::prelude::*;
use std::borrow::Cow;
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
    /// `cells.len()` rows of the layout's width.
    household: Vec<f64>,
    person: Vec<f64>,
    /// `combos.len()` rows of the layout's width.
    counts: Vec<u64>,
}

impl Chunk<'_> {
    fn cell(&mut self, psu: u32, doms: Vec<u32>, width: usize) -> u32 {
        let (combo, new) = self.combos.id(doms);
        if new {
            self.counts.resize(self.combos.keys.len() * width, 0);
        }
        let (id, new) = self.cells.id((psu, combo));
        if new {
            self.household.resize(self.cells.keys.len() * width, 0.0);
            self.person.resize(self.cells.keys.len() * width, 0.0);
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
                let label = match (census, opt_text(psu_col, i)) {
                    (true, _) => ("".into(), "".into()),
                    (false, Some(p)) => (st.into(), p.into()),
                    (false, None) => (st.into(), own_psu(y, i).into()),
                };
                let psu = c.psus.id(label).0;
                let doms = levels
                    .iter()
                    .map(|&l| c.domains.id((l, groups.code(l, i))).0)
                    .collect();
                c.cell(psu, doms, m)
            }
        };
        prev = Some((i, cell));
        let w = v.weight.value(i);
        let wp = w * v.size.value(i) as f64;
        let at = cell as usize * m;
        let combo = c.cells.keys[cell as usize].1 as usize * m;
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
    psus: Interner<(String, String)>,
    domains: Interner<DomainKey>,
    combos: Interner<Vec<u32>>,
    /// Per combo: the width of its year's layout and where its counts start.
    combo_at: Vec<(usize, usize)>,
    counts: Vec<u64>,
    cells: Interner<(u32, u32)>,
    /// Per cell: where its sums start in `household` and `person`.
    cell_at: Vec<usize>,
    household: Vec<f64>,
    person: Vec<f64>,
}

/// `to[at..]` += `from` element by element.
fn add(to: &mut [f64], at: usize, from: &[f64]) {
    for (a, b) in to[at..at + from.len()].iter_mut().zip(from) {
        *a += b;
    }
}

impl Total {
    /// Add a chunk of a year's rows (merged in chunk order).
    fn merge(&mut self, year: i64, c: Chunk<'_>, width: usize) {
        let psus: Vec<u32> = (c.psus.keys.into_iter())
            .map(|(st, p)| self.psus.id((st.into_owned(), p.into_owned())).0)
            .collect();
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
        for (n, (psu, combo)) in c.cells.keys.into_iter().enumerate() {
            let (id, new) = self.cells.id((psus[psu as usize], combos[combo as usize]));
            if new {
                self.cell_at.push(self.household.len());
                self.household.resize(self.household.len() + width, 0.0);
                self.person.resize(self.person.len() + width, 0.0);
            }
            let (at, from) = (self.cell_at[id as usize], n * width..(n + 1) * width);
            add(&mut self.household, at, &c.household[from.clone()]);
            add(&mut self.person, at, &c.person[from]);
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
    let mut total = Total::default();
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
        total.psus.id((String::new(), String::new()));
    }
    Ok(gather(total))
}

/// Number the PSUs in label order; lay each combo's cells out as a block
/// (sorted by PSU, column-major); and give each domain its blocks: its
/// combos' own when no PSU is in two of them (PSUs nested in the groups,
/// the usual design), or else one block of its PSUs' totals.
fn gather(total: Total) -> Accumulated {
    let labels = &total.psus.keys;
    let mut order: Vec<usize> = (0..labels.len()).collect();
    order.par_sort_by(|a, b| labels[*a].cmp(&labels[*b]));
    let mut final_id = vec![0u32; labels.len()];
    for (n, i) in order.iter().enumerate() {
        final_id[*i] = n as u32;
    }
    let psu_labels: Vec<(String, String)> = order.iter().map(|i| labels[*i].clone()).collect();
    let stratum = super::design::number_strata(&psu_labels);
    let t = &total;
    let block_of = |m: Vec<(u32, u32)>, width: usize| block(t, &stratum, width, m);
    // Each combo's cells as (PSU id, cell).
    let mut cells_of: Vec<Vec<(u32, u32)>> = vec![Vec::new(); t.combos.keys.len()];
    for (c, (p, k)) in t.cells.keys.iter().enumerate() {
        cells_of[*k as usize].push((final_id[*p as usize], c as u32));
    }
    let mut blocks: Vec<Block> = (cells_of.par_iter().zip(&t.combo_at))
        .map(|(m, (width, _))| block_of(m.clone(), *width))
        .collect();
    // Per domain: its combos, the width of its year's layout, its counts.
    let mut combos_of: Vec<Vec<u32>> = vec![Vec::new(); t.domains.keys.len()];
    for (k, doms) in t.combos.keys.iter().enumerate() {
        for d in doms {
            combos_of[*d as usize].push(k as u32);
        }
    }
    let width_of = |combos: &[u32]| combos.first().map_or(0, |k| t.combo_at[*k as usize].0);
    let counts: Vec<Vec<u64>> = (combos_of.iter())
        .map(|combos| {
            let mut counts = vec![0u64; width_of(combos)];
            for k in combos {
                let at = t.combo_at[*k as usize].1;
                for (a, b) in counts.iter_mut().zip(&t.counts[at..]) {
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
        // One combo has each PSU once; several may share one.
        let psus = || combos.iter().flat_map(|k| &blocks[*k as usize].psus);
        let shared =
            combos.len() > 1 && psus().any(|p| std::mem::replace(&mut seen[*p as usize], true));
        psus().for_each(|p| seen[*p as usize] = false);
        if shared {
            let m = combos
                .iter()
                .flat_map(|k| cells_of[*k as usize].iter().copied());
            blocks.push(block_of(m.collect(), width_of(combos)));
            dense.push(vec![(blocks.len() - 1) as u32]);
        } else {
            dense.push(combos.clone());
        }
    }
    let domains = total.domains.keys;
    Accumulated {
        index: (domains.iter().enumerate())
            .map(|(i, k)| (k.clone(), i as u32))
            .collect(),
        domains,
        blocks,
        dense,
        counts,
        psu_labels,
    }
}

/// A block of PSU sums from cells given as (PSU id, cell), summing the
/// cells of each PSU. Transposed in groups of PSUs small enough to stay in
/// cache, each entry written once (fresh pages are never read first).
fn block(total: &Total, stratum: &[u32], width: usize, mut m: Vec<(u32, u32)>) -> Block {
    m.sort_unstable();
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..m.len() {
        match spans.last_mut() {
            Some(s) if m[s.start].0 == m[i].0 => s.end = i + 1,
            _ => spans.push(i..i + 1),
        }
    }
    let n = spans.len();
    let psus: Vec<u32> = spans.iter().map(|s| m[s.start].0).collect();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for p in &psus {
        match runs.last_mut() {
            Some((h, len)) if *h == stratum[*p as usize] => *len += 1,
            _ => runs.push((stratum[*p as usize], 1)),
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
