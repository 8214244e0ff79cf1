//! From the pass's chunk sums to the estimates' input: PSUs numbered in
//! the order of their (stratum, PSU) labels, each combo's PSU sums laid
//! out as a column-major block, and each domain given its blocks.

use super::accumulate::DomainKey;
use super::fx::Interner;
use rayon::prelude::*;
use std::collections::HashMap;

/// Sums for some PSUs, each PSU once, column-major: one column per base
/// variable, one entry per PSU.
#[derive(Debug, Clone, Default)]
pub struct Block {
    pub psus: Vec<u32>,
    /// The PSUs' strata, as runs of (stratum, length).
    pub runs: Vec<(u32, u32)>,
    /// The layout's width: a column per base variable (a combo whose
    /// households are all excluded has them, with no PSU).
    pub width: usize,
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
    /// Each PSU's stratum (PSUs numbered in the order of their (stratum,
    /// PSU) labels, strata in the order of theirs), and each stratum's name.
    pub psu_stratum: Vec<u32>,
    pub stratum_names: Vec<String>,
}

/// Domains and combos over all batches, numbered in order of first sight,
/// with each combo's counts.
#[derive(Default)]
pub(super) struct Keys {
    pub(super) domains: Interner<DomainKey>,
    pub(super) combos: Interner<Vec<u32>>,
    /// Per combo: the width of its year's layout and where its counts start.
    pub(super) combo_at: Vec<(usize, usize)>,
    pub(super) counts: Vec<u64>,
}

/// A chunk once its domains and combos have global numbers: its PSU
/// labels, its cells as (its PSU, combo), and their sums (its combos'
/// width of values per cell).
pub(super) struct Summed {
    pub(super) psus: Vec<(String, String)>,
    pub(super) cells: Vec<(u32, u32)>,
    pub(super) household: Vec<f64>,
    pub(super) person: Vec<f64>,
}

/// One chunk's cell, by its combo and final PSU id: in this order they sort
/// a combo's cells by PSU, and a PSU's in chunk order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct ChunkCell {
    combo: u32,
    psu: u32,
    chunk: u32,
    cell: u32,
}

/// Number the PSUs in label order; lay each combo's cells out as a block
/// (sorted by PSU, column-major); and give each domain its blocks: its
/// combos' own when no PSU is in two of them (PSUs nested in the groups,
/// the usual design), or else one block of its PSUs' totals. A PSU's sums
/// are added up from its chunks in chunk order; blocks are built in parallel.
pub(super) fn gather(keys: Keys, chunks: &[Summed], census: bool) -> Accumulated {
    // Every chunk's PSU labels, sorted (the first bytes compared first, as
    // one integer): a PSU's id is its label's rank (a census is one PSU).
    let prefix = |s: &str| {
        let mut b = [0u8; 8];
        let n = s.len().min(8);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    type Seen<'s> = ((u64, u64), (&'s str, &'s str), u32, u32);
    let mut seen: Vec<Seen<'_>> = (chunks.iter().enumerate())
        .flat_map(|(n, c)| {
            (c.psus.iter().enumerate()).map(move |(l, (s, p))| {
                let (s, p) = (s.as_str(), p.as_str());
                ((prefix(s), prefix(p)), (s, p), n as u32, l as u32)
            })
        })
        .collect();
    if census {
        seen.push(((0, 0), ("", ""), u32::MAX, 0));
    }
    seen.par_sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut ids: Vec<Vec<u32>> = chunks.iter().map(|c| vec![0; c.psus.len()]).collect();
    let mut labels: Vec<(&str, &str)> = Vec::new();
    for (_, label, n, l) in &seen {
        if labels.last() != Some(label) {
            labels.push(*label);
        }
        if let Some(ids) = ids.get_mut(*n as usize) {
            ids[*l as usize] = labels.len() as u32 - 1;
        }
    }
    drop(seen);
    let (stratum, stratum_names) = super::design::strata_of(&labels);
    let mut cells: Vec<ChunkCell> = (chunks.par_iter().zip(&ids).enumerate())
        .flat_map_iter(|(n, (c, ids))| {
            (c.cells.iter().enumerate()).map(move |(l, &(p, k))| ChunkCell {
                combo: k,
                psu: ids[p as usize],
                chunk: n as u32,
                cell: l as u32,
            })
        })
        .collect();
    cells.par_sort_unstable();
    let mut of_combo: Vec<std::ops::Range<usize>> = vec![0..0; keys.combos.keys.len()];
    for (i, c) in cells.iter().enumerate() {
        let r = &mut of_combo[c.combo as usize];
        if r.end == 0 {
            r.start = i;
        }
        r.end = i + 1;
    }
    let width = |k: u32| keys.combo_at[k as usize].0;
    let block_of = |k: u32, parts: &[ChunkCell]| block(chunks, &stratum, width(k), parts);
    let mut blocks: Vec<Block> = (of_combo.par_iter().enumerate())
        .map(|(k, r)| block_of(k as u32, &cells[r.clone()]))
        .collect();
    // Per domain: its combos, and its counts.
    let mut combos_of: Vec<Vec<u32>> = vec![Vec::new(); keys.domains.keys.len()];
    for (k, doms) in keys.combos.keys.iter().enumerate() {
        for d in doms {
            combos_of[*d as usize].push(k as u32);
        }
    }
    let counts: Vec<Vec<u64>> = (combos_of.iter())
        .map(|combos| {
            let mut counts = vec![0u64; combos.first().map_or(0, |k| width(*k))];
            for k in combos {
                let at = keys.combo_at[*k as usize].1;
                for (a, b) in counts.iter_mut().zip(&keys.counts[at..]) {
                    *a += b;
                }
            }
            counts
        })
        .collect();
    // Domains whose combos share a PSU get a block of PSU totals.
    let mut marked = vec![false; labels.len()];
    let shared: Vec<bool> = (combos_of.iter())
        .map(|combos| {
            // One combo has each PSU once; several may share one.
            let psus = || combos.iter().flat_map(|k| &blocks[*k as usize].psus);
            let shared = combos.len() > 1
                && psus().any(|p| std::mem::replace(&mut marked[*p as usize], true));
            psus().for_each(|p| marked[*p as usize] = false);
            shared
        })
        .collect();
    let totals: Vec<Block> = (combos_of.par_iter().zip(&shared))
        .filter(|(_, shared)| **shared)
        .map(|(combos, _)| {
            // Its combos' cells, by PSU.
            let mut parts: Vec<ChunkCell> = (combos.iter())
                .flat_map(|k| cells[of_combo[*k as usize].clone()].iter().copied())
                .collect();
            parts.sort_unstable_by_key(|c| (c.psu, c.combo, c.chunk, c.cell));
            block_of(combos[0], &parts)
        })
        .collect();
    let mut next = blocks.len() as u32;
    blocks.extend(totals);
    let dense: Vec<Vec<u32>> = (combos_of.into_iter().zip(shared))
        .map(|(combos, shared)| match shared {
            true => {
                next += 1;
                vec![next - 1]
            }
            false => combos,
        })
        .collect();
    let domains = keys.domains.keys;
    Accumulated {
        index: (domains.iter().enumerate())
            .map(|(i, k)| (k.clone(), i as u32))
            .collect(),
        domains,
        blocks,
        dense,
        counts,
        psu_stratum: stratum,
        stratum_names,
    }
}

/// A block of PSU sums from chunk cells sorted by PSU (a PSU's in chunk
/// order), all of one year's width: each PSU's sums are added up from its
/// chunk cells. Transposed in groups of PSUs small enough to stay in cache,
/// each entry written once (fresh pages are never read first).
fn block(chunks: &[Summed], stratum: &[u32], width: usize, parts: &[ChunkCell]) -> Block {
    // Where each part's sums start: (chunk, offset).
    let from: Vec<(u32, usize)> = (parts.iter())
        .map(|c| (c.chunk, c.cell as usize * width))
        .collect();
    // Per PSU, the range of its parts.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
    let mut psus: Vec<u32> = Vec::new();
    for (i, c) in parts.iter().enumerate() {
        if psus.last() != Some(&c.psu) {
            psus.push(c.psu);
            spans.push(i..i);
        }
        if let Some(s) = spans.last_mut() {
            s.end = i + 1;
        }
    }
    let n = psus.len();
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
        width,
        household: vec![0.0; width * n],
        person: vec![0.0; width * n],
    };
    // A PSU's row of sums: its one chunk cell's, or its cells' added up.
    let mut merged: Vec<f64> = Vec::new();
    for (group, rows) in spans.chunks(64).enumerate() {
        let first = group * 64;
        merged.clear();
        for span in rows.iter().filter(|s| s.len() > 1) {
            let start = merged.len();
            merged.resize(start + 2 * width, 0.0);
            for &(chunk, at) in &from[span.clone()] {
                let s = &chunks[chunk as usize];
                let (hh, pp) = merged[start..].split_at_mut(width);
                for (m, v) in hh.iter_mut().zip(&s.household[at..at + width]) {
                    *m += v;
                }
                for (m, v) in pp.iter_mut().zip(&s.person[at..at + width]) {
                    *m += v;
                }
            }
        }
        let mut next = 0;
        let sources: Vec<(&[f64], &[f64])> = (rows.iter())
            .map(|span| match span.len() {
                1 => {
                    let (chunk, at) = from[span.start];
                    let s = &chunks[chunk as usize];
                    (&s.household[at..at + width], &s.person[at..at + width])
                }
                _ => {
                    let row = &merged[next..next + 2 * width];
                    next += 2 * width;
                    row.split_at(width)
                }
            })
            .collect();
        for b in 0..width {
            let at = b * n + first;
            let hh = &mut d.household[at..at + rows.len()];
            for (h, (src, _)) in hh.iter_mut().zip(&sources) {
                *h = src[b];
            }
            let pp = &mut d.person[at..at + rows.len()];
            for (p, (_, src)) in pp.iter_mut().zip(&sources) {
                *p = src[b];
            }
        }
    }
    d
}
