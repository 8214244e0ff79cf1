//! One pass over the scored households: each household's base values,
//! weighted for households and for persons, summed per (domain, PSU). The
//! domains are the years crossed with each requested grouping, and always
//! the nation. Sums run in input order, so results never depend on threads.

use super::fx::FxHashMap;
use super::layout::{ClassIndex, Deprivations, Layout, Scoring};
use crate::error::Result;
use crate::table::{Groups, Level};
use arrow_array::{Array, RecordBatch, StringArray};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// (survey year, grouping, group code)
pub type DomainKey = (i64, Level, String);

/// Weighted sums of one domain in one PSU, for households and for persons.
#[derive(Debug, Clone)]
pub struct Cell {
    pub household: Vec<f64>,
    pub person: Vec<f64>,
}

/// A domain's sums as dense rows, one per PSU present, in PSU order.
#[derive(Debug, Clone, Default)]
pub struct Dense {
    pub psus: Vec<u32>,
    /// `psus.len()` rows of the layout's width, row-major.
    pub household: Vec<f64>,
    pub person: Vec<f64>,
}

pub struct Accumulated {
    pub domains: Vec<DomainKey>,
    pub index: HashMap<DomainKey, u32>,
    /// Per domain: PSU id → sums (emptied by `densify`).
    pub cells: Vec<FxHashMap<u32, Cell>>,
    /// Per domain: the same sums as dense rows.
    pub dense: Vec<Dense>,
    /// Per domain: households with a non-zero value of each base variable.
    pub counts: Vec<Vec<u64>>,
    /// (stratum, PSU) labels → PSU id, in label order.
    pub psu_labels: BTreeMap<(String, String), u32>,
}

fn opt_text(a: Option<&StringArray>, i: usize) -> Option<&str> {
    a.filter(|a| a.is_valid(i)).map(|a| a.value(i))
}

/// The label of a household's own PSU, for records without a PSU column:
/// each household is then its own PSU.
fn own_psu(stratum: &str, year: i64, id: &str) -> (String, String) {
    (stratum.to_string(), format!("\u{0}{year}:{id}"))
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

/// `parts[i]` says how to read `batches[i]`.
pub fn accumulate(
    batches: &[RecordBatch],
    parts: &[Part<'_>],
    groupings: &[Level],
    census: bool,
) -> Result<Accumulated> {
    // PSU ids follow the order of their labels, over all years.
    let mut seen: FxHashMap<&str, FxHashMap<&str, ()>> = FxHashMap::default();
    // Households without a PSU are their own PSU, under a made-up label.
    let mut own: Vec<(String, String)> = Vec::new();
    for (b, part) in batches.iter().zip(parts).filter(|_| !census) {
        let v = crate::score::view::Scored::new(b, part.ids)?;
        for i in 0..b.num_rows() {
            let st = opt_text(v.stratum, i).unwrap_or("");
            match opt_text(v.psu, i) {
                Some(p) => {
                    seen.entry(st).or_default().insert(p, ());
                }
                None => own.push(own_psu(st, v.year.value(i), v.ids()?.value(i))),
            }
        }
    }
    let mut psu_labels: BTreeMap<(String, String), u32> = seen
        .iter()
        .flat_map(|(st, psus)| {
            psus.keys()
                .map(move |p| ((st.to_string(), p.to_string()), 0))
        })
        .chain(own.into_iter().map(|l| (l, 0)))
        .collect();
    if census {
        psu_labels.insert((String::new(), String::new()), 0);
    }
    for (n, id) in psu_labels.values_mut().enumerate() {
        *id = n as u32;
    }
    let mut psu_ids: FxHashMap<String, FxHashMap<String, u32>> = FxHashMap::default();
    for ((st, p), id) in &psu_labels {
        psu_ids
            .entry(st.clone())
            .or_default()
            .insert(p.clone(), *id);
    }
    let mut levels: Vec<Level> = vec![Level::National];
    levels.extend(groupings.iter().filter(|g| **g != Level::National));
    let mut total = Sums::default();
    for (b, part) in batches.iter().zip(parts) {
        let (ids, scoring, layout, class_index) =
            (part.ids, part.scoring, part.layout, part.class_index);
        let m = layout.width();
        let v = crate::score::view::Scored::new(b, ids)?;
        let (year, weight, size, class, path) = (v.year, v.weight, v.size, v.class, v.path);
        // Ids name the own PSU of a sampled household without one.
        let hid = if census { None } else { Some(v.ids()?) };
        let inds = &v.indicators;
        let groups = Groups::new(b);
        let (stratum, psu_col) = (v.stratum, v.psu);
        let n = b.num_rows();
        // Fixed chunks summed in parallel, merged in chunk order: the same
        // sums whatever the number of threads.
        let sums_of_chunks: Vec<Sums> = (0..n.div_ceil(crate::score::CHUNK))
            .into_par_iter()
            .map(|c| {
                let mut sums = Sums::default();
                let mut vals: Vec<(usize, f64)> = Vec::new();
                let mut slots: Vec<usize> = Vec::new();
                let mut deprived = vec![false; ids.len()];
                for i in c * crate::score::CHUNK..((c + 1) * crate::score::CHUNK).min(n) {
                    let y = year.value(i);
                    let psu = match (census, opt_text(psu_col, i)) {
                        (true, _) => 0,
                        (false, Some(p)) => psu_ids[opt_text(stratum, i).unwrap_or("")][p],
                        (false, None) => {
                            psu_labels[&own_psu(
                                opt_text(stratum, i).unwrap_or(""),
                                y,
                                hid.map_or("", |h| h.value(i)),
                            )]
                        }
                    };
                    let mut known = true;
                    for (j, a) in inds.iter().enumerate() {
                        known &= a.is_valid(i);
                        deprived[j] = a.is_valid(i) && a.value(i);
                    }
                    let d = Deprivations {
                        known,
                        deprived: &deprived,
                        score_num: scoring.score_num(&deprived),
                    };
                    vals.clear();
                    let path_i = path.is_valid(i).then(|| path.value(i));
                    let severe = v.severe.map(|s| s.is_valid(i) && s.value(i));
                    let counted = class_index.fill(class.value(i), path_i, severe, &mut slots);
                    scoring.fill(layout, counted.then_some(slots.as_slice()), &d, &mut vals);
                    if vals.is_empty() {
                        continue;
                    }
                    let w = weight.value(i);
                    let wp = w * size.value(i) as f64;
                    for &level in &levels {
                        let dom = sums.domain(y, level, groups.code(level, i), m);
                        sums.add(dom, psu, m, &vals, w, wp);
                    }
                }
                sums
            })
            .collect();
        for sums in sums_of_chunks {
            total.merge(sums);
        }
    }
    let mut acc = Accumulated {
        index: total
            .domains
            .iter()
            .enumerate()
            .map(|(i, k)| (k.clone(), i as u32))
            .collect(),
        domains: total.domains,
        cells: total.cells,
        dense: Vec::new(),
        counts: total.counts,
        psu_labels,
    };
    densify(&mut acc);
    Ok(acc)
}

/// Sums per domain and PSU over some rows.
#[derive(Default)]
struct Sums {
    domains: Vec<DomainKey>,
    /// Domain ids by (year, grouping) then code, so a row's domain is found
    /// without building a key.
    by_code: FxHashMap<(i64, Level), FxHashMap<String, u32>>,
    cells: Vec<FxHashMap<u32, Cell>>,
    counts: Vec<Vec<u64>>,
}

impl Sums {
    /// The id of a domain, made on first sight.
    fn domain(&mut self, year: i64, level: Level, code: &str, width: usize) -> u32 {
        if let Some(id) = self.by_code.get(&(year, level)).and_then(|m| m.get(code)) {
            return *id;
        }
        let id = self.domains.len() as u32;
        self.by_code
            .entry((year, level))
            .or_default()
            .insert(code.to_string(), id);
        self.domains.push((year, level, code.to_string()));
        self.cells.push(FxHashMap::default());
        self.counts.push(vec![0; width]);
        id
    }

    fn cell(&mut self, dom: u32, psu: u32, width: usize) -> &mut Cell {
        self.cells[dom as usize].entry(psu).or_insert_with(|| Cell {
            household: vec![0.0; width],
            person: vec![0.0; width],
        })
    }

    fn add(&mut self, dom: u32, psu: u32, width: usize, vals: &[(usize, f64)], w: f64, wp: f64) {
        let cell = self.cell(dom, psu, width);
        for &(base, v) in vals {
            cell.household[base] += w * v;
            cell.person[base] += wp * v;
        }
        let counts = &mut self.counts[dom as usize];
        for &(base, _) in vals {
            counts[base] += 1;
        }
    }

    /// Add a later part's sums to these (a domain's width is its year's).
    fn merge(&mut self, part: Sums) {
        for (((year, level, code), cells), counts) in
            part.domains.into_iter().zip(part.cells).zip(part.counts)
        {
            let width = counts.len();
            let dom = self.domain(year, level, &code, width);
            for (psu, c) in cells {
                let cell = self.cell(dom, psu, width);
                for (a, b) in cell.household.iter_mut().zip(&c.household) {
                    *a += b;
                }
                for (a, b) in cell.person.iter_mut().zip(&c.person) {
                    *a += b;
                }
            }
            for (a, b) in self.counts[dom as usize].iter_mut().zip(&counts) {
                *a += b;
            }
        }
    }
}

/// Turn each domain's map of PSU cells into contiguous rows for the many
/// passes of estimation.
fn densify(acc: &mut Accumulated) {
    for cells in acc.cells.iter_mut() {
        let mut d = Dense::default();
        let mut sorted: Vec<(u32, Cell)> = std::mem::take(cells).into_iter().collect();
        sorted.sort_unstable_by_key(|(psu, _)| *psu);
        for (psu, c) in sorted {
            d.psus.push(psu);
            d.household.extend_from_slice(&c.household);
            d.person.extend_from_slice(&c.person);
        }
        acc.dense.push(d);
    }
}
