//! Streaming validation: rows are validated as the readers produce them and
//! go straight into typed column builders (or the quarantine), so a file is
//! never held as text in memory. Keys are settled after each pass: every
//! copy of a duplicated household or member is set aside, whatever the row
//! order, and members are checked against the settled households.

use super::build::{Storage, TableBuilder};
use super::header::{detect_kind, map_header, Target};
use super::quarantine::Entry;
use super::read::{RawCell, Sink};
use super::row::{validate_row, Problem, Row};
use super::validate::Typed;
use super::TableCount;
use crate::error::Result;
use crate::schema::TableKind;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where a row was read: the input table (index into the counts) and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub table: u32,
    pub row: u64,
}

/// Every place a key was seen, with the builder row of those accepted so far.
struct Copies {
    first: (Loc, Option<u32>),
    more: Vec<(Loc, Option<u32>)>,
}

impl Copies {
    fn new(loc: Loc, row: Option<u32>) -> Self {
        Copies {
            first: (loc, row),
            more: Vec::new(),
        }
    }
    fn all(&self) -> impl Iterator<Item = &(Loc, Option<u32>)> {
        std::iter::once(&self.first).chain(&self.more)
    }
    /// The accepted builder row when the key is unique.
    fn unique_row(&self) -> Option<u32> {
        if self.more.is_empty() {
            self.first.1
        } else {
            None
        }
    }
}

/// One survey year's accepted rows.
pub struct Year {
    pub households: TableBuilder,
    pub members: TableBuilder,
    /// Builder row of each member's household, and where the member was read.
    pub member_hh: Vec<u32>,
    member_locs: Vec<Loc>,
    /// Builder rows set aside after the pass (duplicates).
    pub households_dropped: HashSet<u32>,
    pub members_dropped: HashSet<u32>,
}

impl Year {
    fn new() -> Self {
        Year {
            households: TableBuilder::new(TableKind::Households.columns()),
            members: TableBuilder::new(TableKind::Members.columns()),
            member_hh: Vec::new(),
            member_locs: Vec::new(),
            households_dropped: HashSet::new(),
            members_dropped: HashSet::new(),
        }
    }
}

struct Current {
    table: u32,
    kind: TableKind,
    header: Vec<String>,
    targets: Vec<Target>,
}

type HouseholdKey = (i32, String);

/// A key seen more than once: every copy (place, builder row if accepted),
/// the survey year, the household id and, for members, the member id.
type Duplicate = (Vec<(Loc, Option<u32>)>, i32, String, String);

pub struct Ingestor {
    /// The kind of table this pass reads; the others are skipped.
    pub pass: TableKind,
    pub tables: Vec<TableCount>,
    pub years: BTreeMap<i32, Year>,
    pub warnings: Vec<String>,
    entries: Vec<(Loc, Entry)>,
    cur: Option<Current>,
    households: HashMap<HouseholdKey, Copies>,
    rejected_households: HashMap<HouseholdKey, Loc>,
}

impl Ingestor {
    pub fn new() -> Self {
        Ingestor {
            pass: TableKind::Households,
            tables: Vec::new(),
            years: BTreeMap::new(),
            warnings: Vec::new(),
            entries: Vec::new(),
            cur: None,
            households: HashMap::new(),
            rejected_households: HashMap::new(),
        }
    }

    fn at(&self, loc: Loc) -> String {
        format!("{}:{}", self.tables[loc.table as usize].source, loc.row)
    }

    fn reject(&mut self, loc: Loc, problems: Vec<Problem>) {
        let source = self.tables[loc.table as usize].source.clone();
        for (column, value, reason) in problems {
            self.entries.push((
                loc,
                Entry {
                    source: source.clone(),
                    row: loc.row,
                    column,
                    value,
                    reason,
                },
            ));
        }
    }

    /// Settle the keys of the pass just read: set aside every copy of a key
    /// seen more than once. Sorted, so the quarantine order is stable.
    pub fn settle(&mut self) {
        let kind = self.pass;
        let mut dups: Vec<Duplicate> = Vec::new();
        match kind {
            TableKind::Households => {
                for ((y, id), c) in &self.households {
                    if !c.more.is_empty() {
                        dups.push((c.all().copied().collect(), *y, id.clone(), String::new()));
                    }
                }
            }
            TableKind::Members => {
                // Members need no key map: sorted by household and id,
                // copies of one member are neighbours.
                for (y, year) in &self.years {
                    let mids = year.members.strings("member_id").unwrap_or(&[]);
                    let ids = year.households.strings("household_id").unwrap_or(&[]);
                    let mut order: Vec<usize> = (0..year.member_hh.len()).collect();
                    let key =
                        |i: usize| (year.member_hh[i], mids.get(i).and_then(|m| m.as_deref()));
                    order.sort_by(|&a, &b| key(a).cmp(&key(b)));
                    for group in order.chunk_by(|&a, &b| key(a) == key(b)) {
                        if group.len() > 1 {
                            let (hh, mid) = key(group[0]);
                            let id = ids.get(hh as usize).cloned().flatten().unwrap_or_default();
                            let copies = group
                                .iter()
                                .map(|&i| (year.member_locs[i], Some(i as u32)))
                                .collect();
                            dups.push((copies, *y, id, mid.unwrap_or_default().to_string()));
                        }
                    }
                }
            }
        }
        dups.sort();
        for (copies, y, id, mid) in dups {
            let places: Vec<String> = copies.iter().map(|(l, _)| self.at(*l)).collect();
            let (column, value, what) = match kind {
                TableKind::Households => ("household_id", id.clone(), format!("household `{id}`")),
                TableKind::Members => (
                    "member_id",
                    mid.clone(),
                    format!("member `{mid}` of household `{id}`"),
                ),
            };
            let reason = format!(
                "duplicate: {what} appears {} times for survey year {y} (at {}); every copy is set aside, keep the right one and ingest again",
                copies.len(),
                places.join(", ")
            );
            for (loc, accepted) in &copies {
                self.reject(*loc, vec![(column.into(), value.clone(), reason.clone())]);
                if let Some(r) = accepted {
                    let count = &mut self.tables[loc.table as usize];
                    count.accepted -= 1;
                    count.quarantined += 1;
                    let year = self.years.get_mut(&y);
                    if let Some(year) = year {
                        match kind {
                            TableKind::Households => year.households_dropped.insert(*r),
                            TableKind::Members => year.members_dropped.insert(*r),
                        };
                    }
                }
            }
            if kind == TableKind::Households {
                self.rejected_households
                    .entry((y, id))
                    .or_insert(copies[0].0);
            }
        }
    }

    /// The quarantine, in input order.
    pub fn into_parts(
        mut self,
    ) -> (
        Vec<TableCount>,
        BTreeMap<i32, Year>,
        Vec<String>,
        Vec<Entry>,
    ) {
        self.entries.sort_by_key(|(loc, _)| *loc);
        let entries = self.entries.into_iter().map(|(_, e)| e).collect();
        (self.tables, self.years, self.warnings, entries)
    }

    fn household_row(&mut self, loc: Loc, row: Row, problems: Vec<Problem>) -> bool {
        let kind = TableKind::Households;
        let key = match (row.int(kind, "survey_year"), row.str(kind, "household_id")) {
            (Some(y), Some(id)) => Some((y as i32, id.to_string())),
            _ => None,
        };
        let accepted = match &key {
            Some((y, _)) if problems.is_empty() => {
                let year = self.years.entry(*y).or_insert_with(Year::new);
                Some(push(&mut year.households, row))
            }
            _ => None,
        };
        if let Some(k) = key {
            if accepted.is_none() {
                self.rejected_households.entry(k.clone()).or_insert(loc);
            }
            match self.households.get_mut(&k) {
                Some(c) => c.more.push((loc, accepted)),
                None => {
                    self.households.insert(k, Copies::new(loc, accepted));
                }
            }
        }
        if accepted.is_none() {
            self.reject(loc, problems);
        }
        accepted.is_some()
    }

    fn member_row(&mut self, loc: Loc, row: Row, mut problems: Vec<Problem>) -> bool {
        let kind = TableKind::Members;
        let (Some(y), Some(id)) = (
            row.int(kind, "survey_year").map(|y| y as i32),
            row.str(kind, "household_id"),
        ) else {
            self.reject(loc, problems);
            return false;
        };
        let key = (y, id.to_string());
        let hh = self.households.get(&key).and_then(Copies::unique_row);
        if hh.is_none() {
            let why = match self.rejected_households.get(&key) {
                Some(at) => format!("its household `{id}` (survey year {y}) was quarantined at {}; fix that row first", self.at(*at)),
                None => format!("household `{id}` has no record for survey year {y} in the households input"),
            };
            problems.push(("household_id".into(), id.to_string(), why));
        }
        let accepted = match (hh, problems.is_empty()) {
            (Some(h), true) => {
                let year = self.years.entry(y).or_insert_with(Year::new);
                year.member_hh.push(h);
                year.member_locs.push(loc);
                Some(push(&mut year.members, row))
            }
            _ => None,
        };
        if accepted.is_none() {
            self.reject(loc, problems);
        }
        accepted.is_some()
    }
}

impl Default for Ingestor {
    fn default() -> Self {
        Self::new()
    }
}

/// Append a validated row; returns its builder row.
fn push(builder: &mut TableBuilder, row: Row) -> u32 {
    let mut values: Vec<(usize, Typed)> = row.values.into_iter().enumerate().collect();
    for (name, v) in row.flags {
        values.push((builder.add_column(&name, Storage::Bool), v));
    }
    let index = builder.len() as u32;
    builder.push_row(values);
    index
}

impl Sink for Ingestor {
    fn begin(
        &mut self,
        source: &str,
        kind: Option<TableKind>,
        header: Vec<String>,
    ) -> Result<bool> {
        let kind = kind.unwrap_or_else(|| detect_kind(&header));
        if kind != self.pass {
            return Ok(false);
        }
        let targets = map_header(source, kind, &header, &mut self.warnings)?;
        self.tables.push(TableCount {
            source: source.to_string(),
            table: kind.name().into(),
            ..Default::default()
        });
        self.cur = Some(Current {
            table: (self.tables.len() - 1) as u32,
            kind,
            header,
            targets,
        });
        Ok(true)
    }

    fn row(&mut self, row_no: u64, cells: std::result::Result<Vec<RawCell>, String>) {
        let Some(cur) = self.cur.take() else { return };
        let loc = Loc {
            table: cur.table,
            row: row_no,
        };
        self.tables[cur.table as usize].read += 1;
        let accepted = match cells {
            Err(reason) => {
                self.reject(loc, vec![(String::new(), String::new(), reason)]);
                false
            }
            Ok(cells) => {
                let (row, problems) = validate_row(cur.kind, &cur.header, &cur.targets, &cells);
                match cur.kind {
                    TableKind::Households => self.household_row(loc, row, problems),
                    TableKind::Members => self.member_row(loc, row, problems),
                }
            }
        };
        let count = &mut self.tables[cur.table as usize];
        if accepted {
            count.accepted += 1;
        } else {
            count.quarantined += 1;
        }
        self.cur = Some(cur);
    }
}
