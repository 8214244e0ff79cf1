//! One pass over the scored households: each household's base values,
//! weighted for households and for persons, summed per (domain, PSU). The
//! domains are the years crossed with each requested grouping, and always
//! the nation. Sums run in input order, so results never depend on threads.

use super::layout::{Deprivations, Layout, Scoring};
use crate::error::{Error, Result};
use crate::table::{group_code, Level};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, BooleanArray, RecordBatch, StringArray};
use std::collections::{BTreeMap, HashMap};

/// (survey year, grouping, group code)
pub type DomainKey = (i64, Level, String);

/// Weighted sums of one domain in one PSU, for households and for persons.
#[derive(Debug, Clone)]
pub struct Cell {
    pub household: Vec<f64>,
    pub person: Vec<f64>,
}

pub struct Accumulated {
    pub domains: Vec<DomainKey>,
    pub index: HashMap<DomainKey, u32>,
    /// Per domain: PSU id → sums, in PSU order.
    pub cells: Vec<BTreeMap<u32, Cell>>,
    /// Per domain: households with a non-zero value of each base variable.
    pub counts: Vec<Vec<u64>>,
    /// (stratum, PSU) labels → PSU id, in label order.
    pub psu_labels: BTreeMap<(String, String), u32>,
}

fn strings<'a>(b: &'a RecordBatch, name: &str) -> Result<&'a StringArray> {
    b.column_by_name(name)
        .and_then(|a| a.as_string_opt::<i32>())
        .ok_or_else(|| {
            Error::Usage(format!(
                "scored file lacks `{name}`; re-run `dachieu score`"
            ))
        })
}

fn opt_text(a: Option<&StringArray>, i: usize) -> Option<&str> {
    a.filter(|a| a.is_valid(i)).map(|a| a.value(i))
}

/// The (stratum, PSU) label of each household. Without a PSU column each
/// household is its own PSU; without strata there is one stratum.
fn psu_label(b: &RecordBatch, year: i64, id: &str, i: usize) -> (String, String) {
    let stratum = opt_text(
        b.column_by_name("stratum")
            .and_then(|a| a.as_string_opt::<i32>()),
        i,
    )
    .unwrap_or("");
    match opt_text(
        b.column_by_name("psu")
            .and_then(|a| a.as_string_opt::<i32>()),
        i,
    ) {
        Some(p) => (stratum.to_string(), p.to_string()),
        None => (stratum.to_string(), format!("\u{0}{year}:{id}")),
    }
}

/// The class measures a household counts in (see `layout::CLASS_MEASURES`).
fn class_slots(class: &str, path: Option<&str>) -> Option<&'static [usize]> {
    Some(match (class, path) {
        ("poor", Some("income")) => &[0, 1],
        ("poor", Some("deprivation")) => &[0, 2],
        ("poor", _) => &[0],
        ("near_poor", _) => &[3],
        ("average", _) => &[4],
        ("not_poor", _) => &[5],
        ("undetermined", _) => &[6],
        _ => return None,
    })
}

/// A census has no sampling error, so its households need no PSU of their own.
fn label(census: bool, b: &RecordBatch, year: i64, id: &str, i: usize) -> (String, String) {
    if census {
        (String::new(), String::new())
    } else {
        psu_label(b, year, id, i)
    }
}

pub fn accumulate(
    batches: &[RecordBatch],
    ids: &[String],
    groupings: &[Level],
    scoring: &Scoring,
    layout: &Layout,
    census: bool,
) -> Result<Accumulated> {
    // PSU ids follow the order of their labels, over all years.
    let mut psu_labels: BTreeMap<(String, String), u32> = BTreeMap::new();
    for b in batches.iter().filter(|_| !census) {
        let year = b
            .column_by_name("survey_year")
            .and_then(|a| a.as_primitive_opt::<Int64Type>());
        let hid = strings(b, "household_id")?;
        for i in 0..b.num_rows() {
            let y = year.map(|a| a.value(i)).unwrap_or_default();
            psu_labels
                .entry(label(census, b, y, hid.value(i), i))
                .or_insert(0);
        }
    }
    if census {
        psu_labels.insert((String::new(), String::new()), 0);
    }
    for (n, id) in psu_labels.values_mut().enumerate() {
        *id = n as u32;
    }
    let m = layout.width();
    let mut acc = Accumulated {
        domains: Vec::new(),
        index: HashMap::new(),
        cells: Vec::new(),
        counts: Vec::new(),
        psu_labels,
    };
    let mut levels: Vec<Level> = vec![Level::National];
    levels.extend(groupings.iter().filter(|g| **g != Level::National));
    let mut vals: Vec<(usize, f64)> = Vec::new();
    let mut deprived = vec![false; ids.len()];
    for b in batches {
        let year = b
            .column_by_name("survey_year")
            .and_then(|a| a.as_primitive_opt::<Int64Type>())
            .ok_or_else(|| Error::Usage("scored file lacks survey_year".into()))?;
        let weight = b
            .column_by_name("weight")
            .and_then(|a| a.as_primitive_opt::<Float64Type>())
            .ok_or_else(|| Error::Usage("scored file lacks weight".into()))?;
        let size = b
            .column_by_name("household_size")
            .and_then(|a| a.as_primitive_opt::<Int64Type>())
            .ok_or_else(|| Error::Usage("scored file lacks household_size".into()))?;
        let (class, path, hid) = (
            strings(b, "class")?,
            strings(b, "poor_path")?,
            strings(b, "household_id")?,
        );
        let inds: Vec<&BooleanArray> = ids
            .iter()
            .map(|id| {
                b.column_by_name(id)
                    .and_then(|a| a.as_boolean_opt())
                    .ok_or_else(|| Error::Usage(format!("scored file lacks indicator `{id}`")))
            })
            .collect::<Result<_>>()?;
        for i in 0..b.num_rows() {
            let y = year.value(i);
            let psu = if census {
                0
            } else {
                acc.psu_labels[&psu_label(b, y, hid.value(i), i)]
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
            scoring.fill(layout, class_slots(class.value(i), path_i), &d, &mut vals);
            if vals.is_empty() {
                continue;
            }
            let w = weight.value(i);
            let wp = w * size.value(i) as f64;
            for &level in &levels {
                let key = (y, level, group_code(level, b, i));
                let n = acc.domains.len() as u32;
                let dom = *acc.index.entry(key.clone()).or_insert(n);
                if dom == n {
                    acc.domains.push(key);
                    acc.cells.push(BTreeMap::new());
                    acc.counts.push(vec![0; m]);
                }
                let cell = acc.cells[dom as usize].entry(psu).or_insert_with(|| Cell {
                    household: vec![0.0; m],
                    person: vec![0.0; m],
                });
                let counts = &mut acc.counts[dom as usize];
                for &(base, v) in &vals {
                    cell.household[base] += w * v;
                    cell.person[base] += wp * v;
                    counts[base] += 1;
                }
            }
        }
    }
    Ok(acc)
}
