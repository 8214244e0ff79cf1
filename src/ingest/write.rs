//! Merge the sorted runs into the dataset: households in (year, id) order,
//! members in (year, household, member id) order, each member with its
//! household's row index. Households and members are merged in lockstep, so
//! a member meets its household's fate (accepted, set aside, absent) without
//! a key map. Each year is written into a staging folder, swapped in at the
//! end (`staging`).

use super::row::Problem;
use super::spill::{key_cmp, output_schema, Merge, Pick};
use super::staging::{member_schema, publish, with_hh_index, Out};
use super::stream::{HouseholdKey, Ingestor, Loc};
use super::YearCount;
use crate::error::Result;
use crate::progress::Progress;
use arrow_schema::Schema;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Rows gathered before they are written.
pub(super) const FLUSH_ROWS: usize = 1 << 16;
/// Batches kept alive for gathered rows before they are written anyway
/// (when most rows of a stretch are set aside, few are gathered).
const KEPT_BATCHES: usize = 64;

/// What became of a household key in the merge.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fate {
    /// Accepted, with its row index in the year's households file.
    Accepted(u32),
    /// Set aside; the first place it was read.
    SetAside(Loc),
}

/// Every copy of a duplicated key set aside, each naming where the others are.
fn duplicate(
    ing: &mut Ingestor,
    what: String,
    year: i32,
    column: &str,
    value: &str,
    copies: &[Loc],
) {
    let places: Vec<String> = copies.iter().map(|l| ing.at(*l)).collect();
    let reason = format!(
        "duplicate: {what} appears {} times for survey year {year} (at {}); every copy is set aside, keep the right one and ingest again",
        copies.len(),
        places.join(", ")
    );
    for l in copies {
        ing.reject(*l, vec![(column.into(), value.into(), reason.clone())]);
    }
}

/// Why a member is set aside when its household was not accepted.
pub(super) fn household_problem(
    ing: &Ingestor,
    key: &HouseholdKey,
    fate: Option<Fate>,
) -> (String, String, String) {
    let (y, id) = key;
    let why = match fate {
        Some(Fate::SetAside(at)) => format!(
            "its household `{id}` (survey year {y}) was quarantined at {}; fix that row first",
            ing.at(at)
        ),
        _ => format!("household `{id}` has no record for survey year {y} in the households input"),
    };
    ("household_id".into(), id.clone(), why)
}

/// After the merge: duplicates among rejected households only (`met`:
/// those that met accepted copies), and the household problem of members
/// rejected for other reasons; `fate`: what became of a household the
/// merge met.
pub(super) fn finish_rejected(
    ing: &mut Ingestor,
    met: &HashSet<HouseholdKey>,
    fate: impl Fn(&HouseholdKey) -> Option<Fate>,
) {
    let mut dups: Vec<(HouseholdKey, Vec<Loc>)> = (ing.rejected_households.iter())
        .filter(|(k, v)| v.len() > 1 && !met.contains(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    dups.sort();
    for ((y, id), copies) in dups {
        duplicate(
            ing,
            format!("household `{id}`"),
            y,
            "household_id",
            &id,
            &copies,
        );
    }
    let mut members: Vec<(HouseholdKey, Vec<Loc>)> = (ing.rejected_members.iter())
        .map(|(k, v)| (k.clone(), v.iter().map(|(l, _)| *l).collect()))
        .collect();
    members.sort();
    for (key, locs) in members {
        let fate = fate(&key)
            .or_else(|| (ing.rejected_households.get(&key)).map(|l| Fate::SetAside(l[0])));
        if !matches!(fate, Some(Fate::Accepted(_))) {
            let problem = household_problem(ing, &key, fate);
            for l in locs {
                ing.reject(l, vec![problem.clone()]);
            }
        }
    }
}

/// Rows picked for one year's output, not yet written.
struct Pending {
    year: i32,
    picks: Vec<Pick>,
    hh_index: Vec<u32>,
}

impl Pending {
    fn new() -> Self {
        Pending {
            year: 0,
            picks: Vec::new(),
            hh_index: Vec::new(),
        }
    }
}

struct Writer<'a> {
    ing: &'a mut Ingestor,
    out: Out,
    households: Merge,
    members: Merge,
    hh_pending: Pending,
    mem_pending: Pending,
    /// The last household key merged and its fate.
    last: Option<(HouseholdKey, Fate)>,
    /// Fates of the households that validation-rejected members point to.
    wanted: HashMap<HouseholdKey, Option<Fate>>,
    /// Keys of validation-rejected households that met accepted copies.
    met: HashSet<HouseholdKey>,
    group: Vec<Pick>,
    bar: Progress,
}

fn loc(p: (u32, u64)) -> Loc {
    Loc {
        table: p.0,
        row: p.1,
    }
}

impl Writer<'_> {
    /// Write queued rows and drop batches no longer needed. Every `Pick`
    /// held outside the queue becomes invalid.
    fn flush(&mut self, members: bool) -> Result<()> {
        self.write_pending(members)?;
        if members {
            self.members.compact();
        } else {
            self.households.compact();
        }
        Ok(())
    }

    fn write_pending(&mut self, members: bool) -> Result<()> {
        let (merge, pending) = if members {
            (&mut self.members, &mut self.mem_pending)
        } else {
            (&mut self.households, &mut self.hh_pending)
        };
        if !pending.picks.is_empty() {
            let mut batch = merge.take(&pending.picks)?;
            if members {
                batch = with_hh_index(batch, std::mem::take(&mut pending.hh_index))?;
            }
            pending.picks.clear();
            let year = pending.year;
            self.out.write(year, members, batch)?;
        }
        Ok(())
    }

    /// Queue an accepted row; write when enough are queued or the year changes.
    fn emit(&mut self, members: bool, year: i32, pick: Pick, hh_index: u32) -> Result<()> {
        let pending = if members {
            &self.mem_pending
        } else {
            &self.hh_pending
        };
        if !pending.picks.is_empty() && pending.year != year {
            self.write_pending(members)?;
        }
        let pending = if members {
            &mut self.mem_pending
        } else {
            &mut self.hh_pending
        };
        pending.year = year;
        pending.picks.push(pick);
        if members {
            pending.hh_index.push(hh_index);
        }
        Ok(())
    }

    /// Keep memory bounded: write queued rows and drop batches no longer needed.
    fn maybe_flush(&mut self, members: bool) -> Result<()> {
        let (merge, pending) = if members {
            (&self.members, &self.mem_pending)
        } else {
            (&self.households, &self.hh_pending)
        };
        // Batches kept for picks are bounded by a number of rows, not by the
        // number of runs: with hundreds of runs open, flushing on the
        // runs' own batches would write a row at a time.
        if pending.picks.len() >= FLUSH_ROWS || merge.kept_batches() > KEPT_BATCHES {
            self.flush(members)?;
        }
        Ok(())
    }

    fn duplicate(&mut self, what: String, year: i32, column: &str, value: &str, copies: &[Loc]) {
        duplicate(self.ing, what, year, column, value, copies);
    }

    /// Merge the next household key; false at the end.
    fn next_household(&mut self) -> Result<bool> {
        let mut group = std::mem::take(&mut self.group);
        if !self.households.group(&mut group)? {
            self.group = group;
            return Ok(false);
        }
        self.bar.inc(group.len() as u64);
        if self.lone_household(&group)? {
            self.group = group;
            self.maybe_flush(false)?;
            return Ok(true);
        }
        let (y, id, _) = self.households.key_of(group[0]);
        let key: HouseholdKey = (y as i32, id.to_string());
        let accepted: Vec<Loc> = group
            .iter()
            .map(|p| loc(self.households.loc_of(*p)))
            .collect();
        let rejected = match self.ing.rejected_households.is_empty() {
            true => None,
            false => self.ing.rejected_households.get(&key).cloned(),
        };
        let fate = if accepted.len() == 1 && rejected.is_none() {
            let yo = self.out.year(key.0)?;
            let index = yo.n_households;
            yo.n_households += 1;
            self.emit(false, key.0, group[0], 0)?;
            Fate::Accepted(index)
        } else {
            let mut copies = accepted.clone();
            copies.extend(rejected.unwrap_or_default());
            copies.sort();
            for l in &accepted {
                self.ing.unaccept(*l);
            }
            self.met.insert(key.clone());
            self.duplicate(
                format!("household `{}`", key.1),
                key.0,
                "household_id",
                &key.1,
                &copies,
            );
            Fate::SetAside(copies[0])
        };
        if !self.wanted.is_empty() {
            if let Some(w) = self.wanted.get_mut(&key) {
                *w = Some(fate);
            }
        }
        self.last = Some((key, fate));
        self.group = group;
        self.maybe_flush(false)?;
        Ok(true)
    }

    /// A household read once, when no rejected row can share its key (the
    /// usual case): accepted without building its key anew; whether it was.
    fn lone_household(&mut self, group: &[Pick]) -> Result<bool> {
        let plain = self.ing.rejected_households.is_empty() && self.wanted.is_empty();
        let (&[pick], true, Some((key, fate))) = (group, plain, self.last.as_mut()) else {
            return Ok(false);
        };
        let (y, id, _) = self.households.key_of(pick);
        let y = y as i32;
        key.0 = y;
        key.1.clear();
        key.1.push_str(id);
        let yo = self.out.year(y)?;
        *fate = Fate::Accepted(yo.n_households);
        yo.n_households += 1;
        self.emit(false, y, pick, 0)?;
        Ok(true)
    }

    /// The fate of a household key once the merge has passed it.
    fn fate(&self, key: &HouseholdKey) -> Option<Fate> {
        match &self.last {
            Some((k, f)) if k == key => Some(*f),
            _ => self
                .ing
                .rejected_households
                .get(key)
                .map(|locs| Fate::SetAside(locs[0])),
        }
    }

    fn household_problem(&self, key: &HouseholdKey, fate: Option<Fate>) -> Problem {
        household_problem(self.ing, key, fate)
    }

    /// Merge the next member key; false at the end.
    fn next_member(&mut self) -> Result<bool> {
        let mut group = std::mem::take(&mut self.group);
        if !self.members.group(&mut group)? {
            self.group = group;
            return Ok(false);
        }
        self.bar.inc(group.len() as u64);
        // Bring the households up to this member's household.
        while let Some(k) = self.households.peek_key() {
            let (y, hh, _) = self.members.key_of(group[0]);
            if key_cmp(k, (y, hh, None)) == Ordering::Greater {
                break;
            }
            self.next_household()?;
        }
        if self.lone_member(&group)? {
            self.group = group;
            self.maybe_flush(true)?;
            return Ok(true);
        }
        let (y, hh, mid) = self.members.key_of(group[0]);
        let key: HouseholdKey = (y as i32, hh.to_string());
        let mid = mid.unwrap_or_default().to_string();
        let from = self.ing.member_tables_from;
        let accepted: Vec<Loc> = (group.iter())
            .map(|p| {
                let (table, row) = self.members.loc_of(*p);
                loc((table + from, row))
            })
            .collect();
        match self.fate(&key) {
            Some(Fate::Accepted(index)) => {
                let rejected: Vec<Loc> = (!self.ing.rejected_members.is_empty())
                    .then(|| self.ing.rejected_members.get(&key))
                    .flatten()
                    .map(|v| {
                        v.iter()
                            .filter(|(_, m)| m.as_deref() == Some(mid.as_str()))
                            .map(|(l, _)| *l)
                            .collect()
                    })
                    .unwrap_or_default();
                if accepted.len() == 1 && rejected.is_empty() {
                    let yo = self.out.year(key.0)?;
                    yo.n_members += 1;
                    self.emit(true, key.0, group[0], index)?;
                } else {
                    let mut copies = accepted.clone();
                    copies.extend(rejected);
                    copies.sort();
                    for l in &accepted {
                        self.ing.unaccept(*l);
                    }
                    self.duplicate(
                        format!("member `{mid}` of household `{}`", key.1),
                        key.0,
                        "member_id",
                        &mid,
                        &copies,
                    );
                }
            }
            fate => {
                let problem = self.household_problem(&key, fate);
                for l in accepted {
                    self.ing.unaccept(l);
                    self.ing.reject(l, vec![problem.clone()]);
                }
            }
        }
        self.group = group;
        self.maybe_flush(true)?;
        Ok(true)
    }

    /// A member read once, of the household just accepted, when no rejected
    /// member row can share its key (the usual case): accepted without
    /// building its key; whether it was.
    fn lone_member(&mut self, group: &[Pick]) -> Result<bool> {
        let (&[pick], true, Some(((ly, lid), Fate::Accepted(index)))) = (
            group,
            self.ing.rejected_members.is_empty(),
            self.last.as_ref(),
        ) else {
            return Ok(false);
        };
        let (y, hh, _) = self.members.key_of(pick);
        if (*ly as i64, lid.as_str()) != (y, hh) {
            return Ok(false);
        }
        let (y, index) = (*ly, *index);
        self.out.year(y)?.n_members += 1;
        self.emit(true, y, pick, index)?;
        Ok(true)
    }

    fn finish_rejected(&mut self) {
        let wanted = std::mem::take(&mut self.wanted);
        finish_rejected(self.ing, &self.met, |k| wanted.get(k).copied().flatten());
    }
}

/// Merge the ingestor's runs and write each year's partition under `root`.
pub fn write_years(ing: &mut Ingestor, root: &Path, bar: &Progress) -> Result<Vec<YearCount>> {
    crate::files::create_dir_all(root)?;
    let households = Merge::new(std::mem::take(&mut ing.household_runs), false)?;
    let members = Merge::new(std::mem::take(&mut ing.member_runs), true)?;
    // A known kept column no accepted row fills is not written.
    let hh_schema = output_schema(households.schema());
    let blank = |name: &String| ing.unfilled(name);
    let hh_schema = match hh_schema.fields().iter().any(|f| blank(f.name())) {
        false => hh_schema,
        true => Arc::new(Schema::new(
            (hh_schema.fields().iter())
                .filter(|f| !blank(f.name()))
                .cloned()
                .collect::<Vec<_>>(),
        )),
    };
    let mem_schema = output_schema(members.schema());
    let wanted = ing
        .rejected_members
        .keys()
        .map(|k| (k.clone(), None))
        .collect();
    let mut w = Writer {
        ing,
        out: Out::with_schemas(root, "", hh_schema, member_schema(&mem_schema)),
        households,
        members,
        hh_pending: Pending::new(),
        mem_pending: Pending::new(),
        last: None,
        wanted,
        met: HashSet::new(),
        group: Vec::new(),
        bar: bar.clone(),
    };
    while w.next_member()? {}
    while w.next_household()? {}
    w.flush(false)?;
    w.flush(true)?;
    w.finish_rejected();
    w.out.finish()?;
    publish(&mut w.out)
}
