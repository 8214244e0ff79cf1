//! From the pass's chunk sums to the estimates' input: PSUs numbered by
//! stratum and in order of first sight, and each domain given blocks
//! that find its PSUs' rows of sums where the pass wrote them. Only a PSU
//! whose sums are split over several chunk cells gets a row of its own,
//! added up; the rest are never copied.

use super::accumulate::DomainKey;
use crate::exact::fx::{FxHashMap, Interner};
use rayon::prelude::*;
use std::collections::HashMap;

/// Rows of sums of one layout's width, for households and for persons.
#[derive(Debug, Clone, Default)]
pub struct Store {
    pub household: Vec<f64>,
    pub person: Vec<f64>,
}

/// Some PSUs, each once, sorted by stratum, with where each one's row of
/// sums is.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub psus: Vec<u32>,
    /// The PSUs' strata, as runs of (stratum, length).
    pub runs: Vec<(u32, u32)>,
    /// The layout's width: a sum per base variable (a combo whose
    /// households are all excluded has them, with no PSU).
    pub width: usize,
    /// Per PSU: its row of sums, as (store, row).
    pub rows: Vec<(u32, u32)>,
}

pub struct Accumulated {
    pub domains: Vec<DomainKey>,
    pub index: HashMap<DomainKey, u32>,
    /// The rows of sums: the chunks' own, then those added up for blocks.
    pub stores: Vec<Store>,
    pub blocks: Vec<Block>,
    /// Per domain: the blocks holding its PSUs' sums (no PSU in two).
    pub dense: Vec<Vec<u32>>,
    /// Per domain: households with a non-zero value of each base variable.
    pub counts: Vec<Vec<u64>>,
    /// Each PSU's stratum (PSUs numbered by stratum, strata in label order;
    /// in a stratum in order of first sight), and each stratum's name.
    pub psu_stratum: Vec<u32>,
    pub stratum_names: Vec<String>,
}

impl Accumulated {
    /// The sums of PSU `i` of block `b`, for households or for persons.
    #[inline]
    pub fn row(&self, b: &Block, i: usize, person: bool) -> &[f64] {
        let (store, row) = b.rows[i];
        let s = &self.stores[store as usize];
        let all = if person { &s.person } else { &s.household };
        let at = row as usize * b.width;
        &all[at..at + b.width]
    }
}

/// Domains, combos and PSUs over all batches, numbered in order of first
/// sight, with each combo's counts.
#[derive(Default)]
pub(super) struct Keys {
    pub(super) psus: Psus,
    pub(super) domains: Interner<DomainKey>,
    pub(super) combos: Interner<Vec<u32>>,
    /// Per combo: the width of its year's layout and where its counts start.
    pub(super) combo_at: Vec<(usize, usize)>,
    pub(super) counts: Vec<u64>,
}

/// PSU labels (stratum, PSU) numbered in order of first sight. Each label
/// comes with its hash (worked out in parallel, `label_hash`), so numbering
/// one seen before takes one integer lookup and one comparison.
#[derive(Default)]
pub(super) struct Psus {
    strata: Interner<String>,
    /// The first PSU of each label hash; other labels of the same hash.
    by_hash: FxHashMap<u64, u32>,
    clashes: HashMap<(u32, Box<str>), u32>,
    /// Per PSU: its stratum, and where its label is in `labels`.
    stratum: Vec<u32>,
    ends: Vec<usize>,
    labels: String,
}

/// The hash of a PSU label.
pub(super) fn label_hash(stratum: &str, psu: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::exact::fx::FxHasher::default();
    h.write(stratum.as_bytes());
    h.write_u32(u32::MAX); // no text has it: ("a", "bc") is not ("ab", "c")
    h.write(psu.as_bytes());
    h.finish()
}

impl Psus {
    /// The number of the PSU labelled (`stratum`, `psu`), of hash `hash`.
    pub(super) fn id(&mut self, hash: u64, stratum: &str, psu: &str) -> u32 {
        let next = self.stratum.len() as u32;
        let first = *self.by_hash.entry(hash).or_insert(next);
        if first != next {
            let p = first as usize;
            let start = p.checked_sub(1).map_or(0, |q| self.ends[q]);
            let h = self.stratum[p] as usize;
            if self.strata.keys[h] == stratum && self.labels[start..self.ends[p]] == *psu {
                return first;
            }
            // Another label of the same hash (rare: looked up by label).
            let key = (self.strata.id_of(stratum), Box::from(psu));
            if let Some(id) = self.clashes.get(&key) {
                return *id;
            }
            self.clashes.insert(key, next);
        }
        self.stratum.push(self.strata.id_of(stratum));
        self.labels.push_str(psu);
        self.ends.push(self.labels.len());
        next
    }
}

/// A chunk once its domains, combos and PSUs have global numbers: its
/// PSUs' numbers, its cells as (its PSU, combo, row of sums), and their
/// sums (its combos' width of values per row).
pub(super) struct Summed {
    pub(super) psus: Vec<u32>,
    pub(super) cells: Vec<(u32, u32, u32)>,
    pub(super) sums: Store,
}

/// One chunk's cell, by its combo and final PSU id: in this order they sort
/// a combo's cells by PSU, and a PSU's in chunk order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ChunkCell {
    combo: u32,
    psu: u32,
    chunk: u32,
    row: u32,
}

/// Number the PSUs by stratum; make each combo a block of its cells
/// (sorted by PSU); and give each domain its blocks: its combos' own when
/// no PSU is in two of them (PSUs nested in the groups, the usual design),
/// or else one block of its PSUs' totals. A PSU's sums split over several
/// cells are added up in chunk order; blocks are built in parallel.
pub(super) fn gather(keys: Keys, chunks: Vec<Summed>, census: bool) -> Accumulated {
    let Keys {
        psus,
        domains,
        combos,
        combo_at,
        counts,
    } = keys;
    let numbering = Numbering::of(psus, census);
    let cells = Cells::new(&chunks, &numbering, &combo_at, combos.keys.len());
    let mut blocks: Vec<(Block, Store)> = (0..combos.keys.len() as u32)
        .into_par_iter()
        .map(|k| cells.combo_block(k))
        .collect();
    let combos_of = combos_of(&combos.keys, domains.keys.len());
    let counts = domain_counts(&combo_at, &counts, &combos_of);
    let shared = share_psus(&combos_of, &blocks, numbering.stratum.len());
    let totals: Vec<(Block, Store)> = (combos_of.par_iter().zip(&shared))
        .filter(|(_, shared)| **shared)
        .map(|(combos, _)| cells.total_block(combos))
        .collect();
    let first_total = blocks.len() as u32;
    blocks.extend(totals);
    let (stores, blocks) = place_merged(chunks, blocks);
    let domains = domains.keys;
    Accumulated {
        index: (domains.iter().enumerate())
            .map(|(i, k)| (k.clone(), i as u32))
            .collect(),
        domains,
        stores,
        blocks,
        dense: dense_blocks(combos_of, &shared, first_total),
        counts,
        psu_stratum: numbering.stratum,
        stratum_names: numbering.stratum_names,
    }
}

/// The PSUs numbered by stratum (strata in label order), and in a stratum
/// in order of first sight: the order of their sums in memory.
struct Numbering {
    /// Per PSU as first numbered: its number.
    renumber: Vec<u32>,
    /// Per PSU: its stratum, by label order.
    stratum: Vec<u32>,
    /// The strata's labels, in order.
    stratum_names: Vec<String>,
}

impl Numbering {
    fn of(mut psus: Psus, census: bool) -> Numbering {
        if census && psus.stratum.is_empty() {
            psus.id(label_hash("", ""), "", ""); // a census is one PSU
        }
        let names = psus.strata.keys;
        let mut by_label: Vec<u32> = (0..names.len() as u32).collect();
        by_label.sort_unstable_by(|a, b| names[*a as usize].cmp(&names[*b as usize]));
        let mut rank = vec![0u32; names.len()];
        for (r, h) in by_label.iter().enumerate() {
            rank[*h as usize] = r as u32;
        }
        let mut order: Vec<(u32, u32)> = (psus.stratum.iter().enumerate())
            .map(|(p, h)| (rank[*h as usize], p as u32))
            .collect();
        order.par_sort_unstable();
        let mut renumber = vec![0u32; order.len()];
        for (new, (_, old)) in order.iter().enumerate() {
            renumber[*old as usize] = new as u32;
        }
        Numbering {
            renumber,
            stratum: order.iter().map(|(h, _)| *h).collect(),
            stratum_names: (by_label.iter())
                .map(|h| names[*h as usize].clone())
                .collect(),
        }
    }
}

/// Every chunk's cells with their final PSU numbers, sorted by combo then
/// PSU: what the blocks are built from.
struct Cells<'a> {
    chunks: &'a [Summed],
    stratum: &'a [u32],
    /// Per combo: the width of its year's layout and where its counts start.
    combo_at: &'a [(usize, usize)],
    all: Vec<ChunkCell>,
    /// Per combo: its cells in `all`.
    of_combo: Vec<std::ops::Range<usize>>,
}

impl<'a> Cells<'a> {
    fn new(
        chunks: &'a [Summed],
        numbering: &'a Numbering,
        combo_at: &'a [(usize, usize)],
        combos: usize,
    ) -> Cells<'a> {
        let renumber = &numbering.renumber;
        let mut all: Vec<ChunkCell> = (chunks.par_iter().enumerate())
            .flat_map_iter(|(n, c)| {
                (c.cells.iter()).map(move |&(p, k, row)| ChunkCell {
                    combo: k,
                    psu: renumber[c.psus[p as usize] as usize],
                    chunk: n as u32,
                    row,
                })
            })
            .collect();
        all.par_sort_unstable();
        let mut of_combo: Vec<std::ops::Range<usize>> = vec![0..0; combos];
        for (i, c) in all.iter().enumerate() {
            let r = &mut of_combo[c.combo as usize];
            if r.end == 0 {
                r.start = i;
            }
            r.end = i + 1;
        }
        Cells {
            chunks,
            stratum: &numbering.stratum,
            combo_at,
            all,
            of_combo,
        }
    }

    /// The block of combo `k`'s cells.
    fn combo_block(&self, k: u32) -> (Block, Store) {
        let parts = &self.all[self.of_combo[k as usize].clone()];
        block(
            self.chunks,
            self.stratum,
            self.combo_at[k as usize].0,
            parts,
        )
    }

    /// The block of PSU totals of a domain whose combos share PSUs.
    fn total_block(&self, combos: &[u32]) -> (Block, Store) {
        let mut parts: Vec<ChunkCell> = (combos.iter())
            .flat_map(|k| self.all[self.of_combo[*k as usize].clone()].iter().copied())
            .collect();
        parts.sort_unstable_by_key(|c| (c.psu, c.combo, c.chunk, c.row));
        let width = self.combo_at[combos[0] as usize].0;
        block(self.chunks, self.stratum, width, &parts)
    }
}

/// Per domain: the combos it is in.
fn combos_of(combos: &[Vec<u32>], domains: usize) -> Vec<Vec<u32>> {
    let mut combos_of: Vec<Vec<u32>> = vec![Vec::new(); domains];
    for (k, doms) in combos.iter().enumerate() {
        for d in doms {
            combos_of[*d as usize].push(k as u32);
        }
    }
    combos_of
}

/// Per domain: its combos' counts added up.
fn domain_counts(
    combo_at: &[(usize, usize)],
    counts: &[u64],
    combos_of: &[Vec<u32>],
) -> Vec<Vec<u64>> {
    (combos_of.iter())
        .map(|combos| {
            let width = combos.first().map_or(0, |k| combo_at[*k as usize].0);
            let mut total = vec![0u64; width];
            for k in combos {
                let at = combo_at[*k as usize].1;
                for (a, b) in total.iter_mut().zip(&counts[at..]) {
                    *a += b;
                }
            }
            total
        })
        .collect()
}

/// Per domain: whether its combos share a PSU (then it gets a block of
/// PSU totals). One combo has each PSU once; several may share one.
fn share_psus(combos_of: &[Vec<u32>], blocks: &[(Block, Store)], psus: usize) -> Vec<bool> {
    let mut marked = vec![false; psus];
    (combos_of.iter())
        .map(|combos| {
            let psus = || combos.iter().flat_map(|k| &blocks[*k as usize].0.psus);
            let shared = combos.len() > 1
                && psus().any(|p| std::mem::replace(&mut marked[*p as usize], true));
            psus().for_each(|p| marked[*p as usize] = false);
            shared
        })
        .collect()
}

/// The stores: the chunks' own, then the rows added up for each block that
/// has some, in a store of its own; and the blocks pointing there.
fn place_merged(chunks: Vec<Summed>, blocks: Vec<(Block, Store)>) -> (Vec<Store>, Vec<Block>) {
    let mut stores: Vec<Store> = chunks.into_iter().map(|c| c.sums).collect();
    let blocks: Vec<Block> = (blocks.into_iter())
        .map(|(mut b, merged)| {
            if b.rows.iter().any(|(s, _)| *s == MERGED) {
                let at = stores.len() as u32;
                stores.push(merged);
                for (store, _) in b.rows.iter_mut().filter(|(s, _)| *s == MERGED) {
                    *store = at;
                }
            }
            b
        })
        .collect();
    (stores, blocks)
}

/// Per domain: its blocks — its combos' own, or when they share PSUs its
/// block of totals (those come in domain order from `first_total`).
fn dense_blocks(combos_of: Vec<Vec<u32>>, shared: &[bool], first_total: u32) -> Vec<Vec<u32>> {
    let mut next = first_total;
    (combos_of.into_iter().zip(shared))
        .map(|(combos, shared)| match shared {
            true => {
                next += 1;
                vec![next - 1]
            }
            false => combos,
        })
        .collect()
}

/// The store of a block's own rows, before it has a place among the stores.
const MERGED: u32 = u32::MAX;

/// A block from chunk cells sorted by PSU (a PSU's in chunk order), all of
/// one year's width: a PSU in one cell keeps that cell's row; a PSU in
/// several gets a row of its own (in the store returned), their sum.
fn block(chunks: &[Summed], stratum: &[u32], width: usize, parts: &[ChunkCell]) -> (Block, Store) {
    let mut b = Block {
        width,
        ..Block::default()
    };
    let mut merged = Store::default();
    for cells in parts.chunk_by(|a, c| a.psu == c.psu) {
        let psu = cells[0].psu;
        b.psus.push(psu);
        match b.runs.last_mut() {
            Some((h, len)) if *h == stratum[psu as usize] => *len += 1,
            _ => b.runs.push((stratum[psu as usize], 1)),
        }
        if let [one] = cells {
            b.rows.push((one.chunk, one.row));
            continue;
        }
        let at = merged.household.len();
        b.rows.push((MERGED, (at / width) as u32));
        merged.household.resize(at + width, 0.0);
        merged.person.resize(at + width, 0.0);
        for c in cells {
            let (s, from) = (&chunks[c.chunk as usize].sums, c.row as usize * width);
            let rows = [
                (&mut merged.household, &s.household),
                (&mut merged.person, &s.person),
            ];
            for (to, from_all) in rows {
                for (t, v) in to[at..].iter_mut().zip(&from_all[from..from + width]) {
                    *t += v;
                }
            }
        }
    }
    (b, merged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psu_labels_of_one_hash_are_told_apart() {
        let mut p = Psus::default();
        // Hash 7 for every label: each comparison decides.
        let a = p.id(7, "s1", "a");
        let b = p.id(7, "s1", "b");
        let c = p.id(7, "s2", "a");
        let ab = p.id(7, "s1a", "");
        assert_eq!((a, b, c, ab), (0, 1, 2, 3));
        assert_eq!(p.id(7, "s1", "b"), b);
        assert_eq!(p.id(7, "s2", "a"), c);
        assert_eq!(p.id(7, "s1", "a"), a);
        assert_eq!(p.id(9, "s3", "x"), 4);
        assert_eq!(p.stratum, [0, 0, 1, 2, 3]);
        assert_eq!(label_hash("s1", "a"), label_hash("s1", "a"));
        assert_ne!(label_hash("s1", "a"), label_hash("s1a", ""));
    }
}
