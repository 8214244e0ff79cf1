//! The counts of the official summary forms of a review (biểu tổng hợp kết
//! quả rà soát hộ nghèo, hộ cận nghèo): per unit, in urban and in rural
//! areas, the households, the list at the start of the year (the previous
//! review), its movement during the year (`movement`) and the list at the
//! end, with the ethnic-minority households among them; and the households
//! on each list by deprivation indicator. No I/O: scored batches in,
//! counts out; `report::forms` lays them out, `export::forms` writes them
//! for tools.
//!
//! Rows come in the forms' order: I. urban (the area's total, then each
//! unit with urban households), II. rural (likewise), then the total. A
//! household is counted in the unit and area of its record this year, or,
//! for one on the start list without a record this year, of its record
//! the year before (see `movement`).

use super::movement::{movements, List, Movement, Tally};
use super::{Groups, Level};
use crate::dataset::text::Text;
use crate::error::Result;
use crate::score::meta::ScoredMeta;
use crate::score::view::Scored;
use arrow_array::{Array, RecordBatch};
use std::collections::BTreeMap;

/// The kept column saying whether a household is an ethnic-minority one.
pub const MINORITY_COLUMN: &str = "ethnic_minority";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    Urban,
    Rural,
}

impl Area {
    pub const ALL: [Area; 2] = [Area::Urban, Area::Rural];

    fn of(code: &str) -> Area {
        if code == "urban" {
            Area::Urban
        } else {
            Area::Rural
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Area::Urban => "urban",
            Area::Rural => "rural",
        }
    }
}

/// A row of a form: a unit in an area (`code`), an area's total (no
/// code), or the total of the run (neither).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    pub area: Option<Area>,
    pub code: Option<String>,
}

/// One row of the movement form of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCounts {
    /// Households with a record this year (tổng số hộ dân cư).
    pub households: u64,
    pub tally: Tally,
    /// Ethnic-minority households on the list at the start (by their
    /// record the year before) and at the end; None when the records do
    /// not say (no `ethnic_minority` column).
    pub start_minority: Option<u64>,
    pub end_minority: Option<u64>,
}

/// One row of the deprivation form of a list: the households on the list
/// this year, and how many of them are deprived in, and unknown in, each
/// indicator (in the order of `DeprivationForm::indicators`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndicatorCounts {
    pub households: u64,
    pub deprived: Vec<u64>,
    pub unknown: Vec<u64>,
}

#[derive(Debug, Clone)]
pub struct ListForm {
    pub list: List,
    pub rows: Vec<(RowKey, ListCounts)>,
}

#[derive(Debug, Clone)]
pub struct DeprivationForm {
    pub list: List,
    /// The standard's indicator ids, in its order.
    pub indicators: Vec<String>,
    pub rows: Vec<(RowKey, IndicatorCounts)>,
}

/// The forms of one review.
#[derive(Debug, Clone)]
pub struct Forms {
    pub year: i64,
    pub previous: i64,
    /// The level of the units.
    pub level: Level,
    /// The province and district codes of this year's records, each once
    /// (the scope a form's title names).
    pub provinces: Vec<String>,
    pub districts: Vec<String>,
    /// The records say which households are ethnic-minority ones.
    pub minority_known: bool,
    pub lists: Vec<ListForm>,
    pub deprivation: Vec<DeprivationForm>,
}

/// The distinct values of a text column, in order.
fn distinct(b: &RecordBatch, name: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    if let Some(t) = b.column_by_name(name).and_then(Text::of) {
        for i in 0..b.num_rows() {
            seen.insert(t.value(i));
        }
    }
    seen.into_iter().map(str::to_string).collect()
}

/// The units a form of these records is by: provinces when there are
/// several, else districts when there are several, else communes.
pub fn form_level(b: &RecordBatch) -> Level {
    let distinct = |name: &str| {
        let mut seen = std::collections::BTreeSet::new();
        if let Some(t) = b.column_by_name(name).and_then(Text::of) {
            for i in 0..b.num_rows() {
                seen.insert(t.value(i));
                if seen.len() > 1 {
                    break;
                }
            }
        }
        seen.len()
    };
    if distinct("province_code") > 1 {
        Level::Province
    } else if distinct("district_code") > 1 {
        Level::District
    } else {
        Level::Commune
    }
}

/// The lists a standard's classes allow: the poor list always, the
/// near-poor list when this year's standard defines near-poor.
fn lists_of(b: &RecordBatch) -> Vec<List> {
    let scheme = crate::score::scheme::Scheme::of_batch(b);
    (List::ALL.into_iter())
        .filter(|l| scheme.defines(l.class()))
        .collect()
}

/// The batch of survey year `year`.
fn batch_of(batches: &[RecordBatch], year: i64) -> Option<&RecordBatch> {
    (batches.iter()).find(|b| crate::score::survey_year_of(b) == Some(year))
}

/// The forms of review `year` by units of `level` (None: `form_level`),
/// from the scored batches of every survey year up to it; None when it
/// has no batch or no review before it.
pub fn forms(batches: &[RecordBatch], year: i64, level: Option<Level>) -> Result<Option<Forms>> {
    let Some(bt) = batch_of(batches, year) else {
        return Ok(None);
    };
    let level = level.unwrap_or_else(|| form_level(bt));
    let mut lists = Vec::new();
    let mut deprivation = Vec::new();
    let mut previous = None;
    let mut minority_known = false;
    for list in lists_of(bt) {
        let Some(m) = movements(batches, year, list)? else {
            return Ok(None);
        };
        let bp = batch_of(batches, m.previous).unwrap_or(bt);
        previous = Some(m.previous);
        let place = (Place::new(bt, level), Place::new(bp, level));
        minority_known = place.0.minority.is_some() && place.1.minority.is_some();
        lists.push(ListForm {
            list,
            rows: list_rows(&m, &place, minority_known),
        });
        deprivation.push(deprivation_form(bt, &m, &place.0)?);
    }
    Ok(previous.map(|previous| Forms {
        year,
        previous,
        level,
        provinces: distinct(bt, "province_code"),
        districts: distinct(bt, "district_code"),
        minority_known,
        lists,
        deprivation,
    }))
}

/// Whether the batches are census records (no sampling weights): the
/// forms are counts of a census only.
pub fn census(batches: &[RecordBatch]) -> bool {
    !batches.iter().any(|b| ScoredMeta::of(b).sample)
}

/// The forms of every review of the batches that has one before it, in
/// order of year.
pub fn all_forms(batches: &[RecordBatch], level: Option<Level>) -> Result<Vec<Forms>> {
    let mut years: Vec<i64> = (batches.iter())
        .filter_map(crate::score::survey_year_of)
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut out = Vec::new();
    for &y in years.iter().skip(1) {
        out.extend(forms(batches, y, level)?);
    }
    Ok(out)
}

/// Where each row of a batch counts: its unit, its area, and whether it is
/// an ethnic-minority household.
struct Place<'a> {
    groups: Groups<'a>,
    level: Level,
    area: Option<Text<'a>>,
    minority: Option<Text<'a>>,
}

impl<'a> Place<'a> {
    fn new(b: &'a RecordBatch, level: Level) -> Self {
        Place {
            groups: Groups::new(b),
            level,
            area: b.column_by_name("area").and_then(Text::of),
            minority: b.column_by_name(MINORITY_COLUMN).and_then(Text::of),
        }
    }
    /// The rows a household of row `i` counts in: its unit in its area,
    /// its area, the total.
    fn keys(&self, i: usize) -> [RowKey; 3] {
        let area = Area::of(self.area.map(|a| a.value(i)).unwrap_or(""));
        let code = self.groups.code(self.level, i).to_string();
        [
            RowKey {
                area: Some(area),
                code: Some(code),
            },
            RowKey {
                area: Some(area),
                code: None,
            },
            RowKey {
                area: None,
                code: None,
            },
        ]
    }
    fn minority(&self, i: usize) -> bool {
        self.minority.is_some_and(|m| m.value(i) == "yes")
    }
}

/// Rows in the forms' order, every area's total present even when empty.
fn ordered<T: Default>(mut rows: BTreeMap<RowKey, T>) -> Vec<(RowKey, T)> {
    for area in Area::ALL.map(Some).into_iter().chain([None]) {
        rows.entry(RowKey { area, code: None }).or_default();
    }
    let mut out: Vec<(RowKey, T)> = rows.into_iter().collect();
    // By area (urban, rural, then the total), the area's total first.
    out.sort_by(|(a, _), (b, _)| {
        let rank = |k: &RowKey| (k.area.is_none(), k.area, k.code.is_some(), k.code.clone());
        rank(a).cmp(&rank(b))
    });
    out
}

fn list_rows(
    m: &super::movement::Movements,
    (now, before): &(Place, Place),
    minority_known: bool,
) -> Vec<(RowKey, ListCounts)> {
    let blank = ListCounts {
        start_minority: minority_known.then_some(0),
        end_minority: minority_known.then_some(0),
        ..Default::default()
    };
    let mut rows: BTreeMap<RowKey, ListCounts> = BTreeMap::new();
    let mut add = |keys: [RowKey; 3], f: &dyn Fn(&mut ListCounts)| {
        for k in keys {
            f(rows.entry(k).or_insert_with(|| blank.clone()));
        }
    };
    for (i, &(mv, prev)) in m.rows.iter().enumerate() {
        let start_min = mv.at_start() && prev.is_some_and(|r| before.minority(r));
        let end_min = mv.at_end() && now.minority(i);
        add(now.keys(i), &|c: &mut ListCounts| {
            c.households += 1;
            c.tally.add(mv);
            if let Some(s) = c.start_minority.as_mut() {
                *s += start_min as u64;
            }
            if let Some(e) = c.end_minority.as_mut() {
                *e += end_min as u64;
            }
        });
    }
    for &r in &m.gone {
        let start_min = before.minority(r);
        add(before.keys(r), &|c: &mut ListCounts| {
            c.tally.add(Movement::Gone);
            if let Some(s) = c.start_minority.as_mut() {
                *s += start_min as u64;
            }
        });
    }
    let mut out = ordered(rows);
    for (_, c) in out.iter_mut() {
        if c.start_minority.is_none() && minority_known {
            *c = blank.clone();
        }
    }
    out
}

/// The households on the list this year by deprivation indicator.
fn deprivation_form(
    b: &RecordBatch,
    m: &super::movement::Movements,
    now: &Place,
) -> Result<DeprivationForm> {
    let ids = ScoredMeta::of(b).indicators;
    let v = Scored::new(b, &ids)?;
    let blank = IndicatorCounts {
        households: 0,
        deprived: vec![0; ids.len()],
        unknown: vec![0; ids.len()],
    };
    let mut rows: BTreeMap<RowKey, IndicatorCounts> = BTreeMap::new();
    for (i, &(mv, _)) in m.rows.iter().enumerate() {
        if !mv.at_end() {
            continue;
        }
        for k in now.keys(i) {
            let c = rows.entry(k).or_insert_with(|| blank.clone());
            c.households += 1;
            for (j, a) in v.indicators.iter().enumerate() {
                if a.is_null(i) {
                    c.unknown[j] += 1;
                } else if a.value(i) {
                    c.deprived[j] += 1;
                }
            }
        }
    }
    let mut out = ordered(rows);
    for (_, c) in out.iter_mut() {
        if c.deprived.len() != ids.len() {
            *c = blank.clone();
        }
    }
    Ok(DeprivationForm {
        list: m.list,
        indicators: ids,
        rows: out,
    })
}
