//! Streaming validation: rows are validated as the readers produce them and
//! go straight into typed column builders (or the quarantine), so a file is
//! never held as text in memory. Accepted rows are cut into sorted runs
//! (`spill`); keys are settled when the runs are merged (`write`): every
//! copy of a duplicated household or member is set aside, whatever the row
//! order, and members are checked against the settled households.

use super::build::TableBuilder;
use super::grouping::Grouping;
use super::header::{detect_kind, map_header, TableHeader, Target};
use super::judge::{judge, Rows, Spare};
use super::quarantine::Entry;
use super::read::{BlockSink, Done, RawCell, Sink};
use super::row::Problem;
use super::runs::{Runs, SortedBlock};
use super::spill::{reduce, Run, SpillDir};
use super::TableCount;
use crate::error::{Error, Result};
use crate::schema::TableKind;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Where a row was read: the input table (index into the counts) and row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    pub table: u32,
    pub row: u64,
}

/// A household key: survey year and household id.
pub type HouseholdKey = (i32, String);

/// The table being read: its number, and its header.
#[derive(Clone)]
pub(super) struct Current {
    pub table: u32,
    pub th: Arc<TableHeader>,
}

/// Rows per sorted run, by table: bounded memory whatever the input size.
pub const RUN_ROWS: [usize; 2] = [1 << 18, 1 << 19];

pub struct Ingestor {
    /// The kind of table this pass reads; the others are skipped.
    pub pass: TableKind,
    pub tables: Vec<TableCount>,
    pub warnings: Vec<String>,
    pub(super) entries: Vec<(Loc, Entry)>,
    pub(super) cur: Option<Current>,
    /// Accepted rows of the pass not yet in a run, with where each was read.
    pub(super) builder: TableBuilder,
    pub(super) locs: Vec<Loc>,
    pub(super) run_rows: usize,
    /// The pass's runs, cut and written as rows come (`runs`).
    runs: Runs,
    /// The members pass's run files, once its ingestor is absorbed.
    member_spill: Option<SpillDir>,
    pub household_runs: Vec<Run>,
    pub member_runs: Vec<Run>,
    /// Keyed rows rejected by validation: they still count as copies of
    /// their key, so a duplicate is set aside whichever copy was valid.
    pub rejected_households: HashMap<HouseholdKey, Vec<Loc>>,
    /// Members rejected by validation, by household, with their member id.
    pub rejected_members: HashMap<HouseholdKey, Vec<(Loc, Option<String>)>>,
    /// A run that could not be written: the ingest stops with this error.
    pub failure: Option<Error>,
    /// Rows waiting for their table's columns to settle `700.000`.
    pub(super) grouping: Grouping,
    /// How CSV rows are validated on worker threads (`block`): the pool
    /// (`None`: rayon's global one) and the bytes per block.
    pub pool: Option<Arc<rayon::ThreadPool>>,
    pub block_bytes: usize,
    /// CSV rows validated one by one on the reading thread instead.
    pub one_by_one: bool,
    /// The survey years accepted (`None`: any the contract allows).
    pub years: Option<super::SurveyYears>,
    /// The number of the first members table: the table numbers in the
    /// members' runs count from there.
    pub member_tables_from: u32,
    /// Household columns outside the contract kept as text, in order of
    /// first sight.
    pub kept: Vec<String>,
    /// The kept columns with a value in some accepted row (see `unfilled`).
    pub filled: HashSet<String>,
    /// What judging a row keeps for the next (`judge`).
    spare: Spare,
    /// What the pass's direct writer wrote (`direct`), once it is over.
    pub written: Option<super::direct::Written>,
}

impl Ingestor {
    /// Whether `name` is a column dachieu knows by name
    /// (`schema::KEPT_COLUMNS`, in every input template) that no accepted
    /// row fills: it is not kept, so a blank `ethnic_minority` never reads
    /// as "known, and no". A column of the user's own is kept even blank.
    pub fn unfilled(&self, name: &str) -> bool {
        crate::schema::KEPT_COLUMNS.iter().any(|c| c.name == name)
            && self.kept.iter().any(|k| k == name)
            && !self.filled.contains(name)
    }

    /// `spill_root`: where run files go while ingesting (removed after).
    pub fn new(spill_root: &Path) -> Self {
        Ingestor {
            pass: TableKind::Households,
            tables: Vec::new(),
            warnings: Vec::new(),
            entries: Vec::new(),
            cur: None,
            builder: TableBuilder::new(TableKind::Households.columns()),
            locs: Vec::new(),
            run_rows: RUN_ROWS[0],
            runs: Runs::new(spill_root, TableKind::Households.name(), None),
            member_spill: None,
            household_runs: Vec::new(),
            member_runs: Vec::new(),
            rejected_households: HashMap::new(),
            rejected_members: HashMap::new(),
            failure: None,
            grouping: Grouping::default(),
            pool: None,
            block_bytes: super::read_csv::BLOCK_BYTES,
            one_by_one: false,
            years: None,
            member_tables_from: 0,
            kept: Vec::new(),
            filled: HashSet::new(),
            spare: Spare::default(),
            written: None,
        }
    }

    /// Start a pass over one kind of table; `run_rows`: rows per run,
    /// `None` for the table's default; `direct`: the writer input in key
    /// order goes to (`None`: a run file).
    pub fn begin_pass(
        &mut self,
        kind: TableKind,
        run_rows: Option<usize>,
        direct: Option<super::direct::Direct>,
    ) {
        self.pass = kind;
        self.builder = TableBuilder::new(kind.columns());
        self.locs.clear();
        self.runs = Runs::new(&self.runs.root, kind.name(), direct);
        self.run_rows = run_rows
            .unwrap_or(match kind {
                TableKind::Households => RUN_ROWS[0],
                TableKind::Members => RUN_ROWS[1],
            })
            .max(1);
    }

    /// End the pass: what is left becomes the last run, kept in memory.
    pub fn end_pass(&mut self) -> Result<()> {
        self.finish_table()?;
        let (b, locs) = self.take_rows();
        let runs = self.runs.finish(b, locs)?;
        self.written = self.runs.written.take();
        match self.pass {
            TableKind::Households => self.household_runs = runs,
            TableKind::Members => self.member_runs = runs,
        }
        Ok(())
    }

    /// Whether the pass's accepted rows came in key order (and were not sorted).
    pub fn in_order(&self) -> bool {
        self.runs.in_order()
    }

    fn take_rows(&mut self) -> (TableBuilder, Vec<Loc>) {
        let b = std::mem::replace(&mut self.builder, TableBuilder::new(self.pass.columns()));
        (b, std::mem::take(&mut self.locs))
    }

    /// Once the builder holds a run's worth of rows, they become a run
    /// (`runs`), written on a thread of their own while the next is read.
    pub(super) fn maybe_spill(&mut self) -> Result<()> {
        if self.builder.len() < self.run_rows {
            return Ok(());
        }
        let (b, locs) = self.take_rows();
        self.runs.spill(b, locs)
    }

    /// A block's sorted rows onto the in-order prefix, when no rows wait
    /// in the builder before them and they continue it; else given back.
    pub(super) fn append_sorted(&mut self, s: SortedBlock) -> Result<Option<SortedBlock>> {
        match self.builder.is_empty() {
            true => self.runs.append_sorted(s),
            false => Ok(Some(s)),
        }
    }

    /// A rejected row's key, noted for the direct writer before the
    /// accepted rows read after it reach it (`direct::watch`).
    pub(super) fn watch(&self, key: &HouseholdKey, member_id: Option<&str>) {
        if let Some(shared) = self.runs.shared() {
            let members = self.pass == TableKind::Members;
            super::direct::watch(shared, self.runs.last(), key, member_id, members);
        }
    }

    pub fn at(&self, loc: Loc) -> String {
        format!("{}:{}", self.tables[loc.table as usize].source, loc.row)
    }

    pub fn reject(&mut self, loc: Loc, problems: Vec<Problem>) {
        let source = &self.tables[loc.table as usize].source;
        self.entries.extend(entries(source, loc, problems));
    }

    /// A row accepted in its pass, set aside when the runs are merged.
    pub fn unaccept(&mut self, loc: Loc) {
        let count = &mut self.tables[loc.table as usize];
        count.accepted -= 1;
        count.quarantined += 1;
    }

    /// The counts, the warnings and the quarantine in input order.
    pub fn into_parts(mut self) -> (Vec<TableCount>, Vec<String>, Vec<Entry>) {
        self.entries.sort_by_key(|(loc, _)| *loc);
        let entries = self.entries.into_iter().map(|(_, e)| e).collect();
        (self.tables, self.warnings, entries)
    }

    /// Merge runs down to at most `fan_in` per table before the final merge.
    pub fn reduce_runs(&mut self, fan_in: usize) -> Result<()> {
        for members in [false, true] {
            let runs = std::mem::take(if members {
                &mut self.member_runs
            } else {
                &mut self.household_runs
            });
            let runs = reduce(runs, members, fan_in, &mut self.runs.dir, &self.runs.root)?;
            *(if members {
                &mut self.member_runs
            } else {
                &mut self.household_runs
            }) = runs;
        }
        Ok(())
    }

    /// The spill folders, kept alive until the merge is done.
    pub fn take_spill(&mut self) -> Vec<SpillDir> {
        (self.runs.dir.take().into_iter())
            .chain(self.member_spill.take())
            .collect()
    }

    /// Take in the members pass `m`, read beside this households pass: its
    /// tables are numbered after this one's, so every location (its
    /// quarantine entries, its rejected members, the rows of its runs, see
    /// `member_tables_from`) is as if the passes had run one after the other.
    pub fn absorb(&mut self, mut m: Ingestor) {
        debug_assert!(m.household_runs.is_empty() && m.rejected_households.is_empty());
        let from = self.tables.len() as u32;
        let shift = |l: Loc| Loc {
            table: l.table + from,
            row: l.row,
        };
        self.tables.append(&mut m.tables);
        self.warnings.append(&mut m.warnings);
        (self.entries).extend(m.entries.drain(..).map(|(l, e)| (shift(l), e)));
        for (key, rows) in m.rejected_members.drain() {
            let rows = rows.into_iter().map(|(l, id)| (shift(l), id)).collect();
            self.rejected_members.insert(key, rows);
        }
        self.member_runs = std::mem::take(&mut m.member_runs);
        self.member_tables_from = from;
        self.member_spill = m.runs.dir.take();
    }
}

/// The quarantine's lines for one rejected row of `source`.
pub(super) fn entries(
    source: &str,
    loc: Loc,
    problems: Vec<Problem>,
) -> impl Iterator<Item = (Loc, Entry)> + '_ {
    problems.into_iter().map(move |(column, value, reason)| {
        let entry = Entry {
            source: source.to_string(),
            row: loc.row,
            column,
            value,
            reason,
        };
        (loc, entry)
    })
}

impl Rows for Ingestor {
    fn parts(&mut self) -> (&mut TableBuilder, &mut Spare, &mut HashSet<String>) {
        (&mut self.builder, &mut self.spare, &mut self.filled)
    }

    fn accept(&mut self, loc: Loc) -> Result<()> {
        self.locs.push(loc);
        self.maybe_spill()
    }

    fn reject(&mut self, loc: Loc, problems: Vec<Problem>) {
        Ingestor::reject(self, loc, problems);
    }

    fn rejected_household(&mut self, key: HouseholdKey, loc: Loc) {
        self.watch(&key, None);
        self.rejected_households.entry(key).or_default().push(loc);
    }

    fn rejected_member(&mut self, key: HouseholdKey, loc: Loc, member_id: Option<String>) {
        self.watch(&key, member_id.as_deref());
        let rows = self.rejected_members.entry(key).or_default();
        rows.push((loc, member_id));
    }
}

impl Sink for Ingestor {
    fn begin(
        &mut self,
        source: &str,
        kind: Option<TableKind>,
        header: Vec<String>,
    ) -> Result<bool> {
        self.finish_table()?;
        self.spare.new_table();
        let kind = kind.unwrap_or_else(|| detect_kind(&header));
        if kind != self.pass {
            return Ok(false);
        }
        let targets = map_header(source, kind, &header, &mut self.warnings)?;
        for t in &targets {
            if let Target::Extra(name, _) = t {
                if !self.kept.contains(name) {
                    self.kept.push(name.clone());
                }
            }
        }
        self.tables.push(TableCount {
            source: source.to_string(),
            table: kind.name().into(),
            ..Default::default()
        });
        self.grouping.reset(header.len());
        self.cur = Some(Current {
            table: (self.tables.len() - 1) as u32,
            th: Arc::new(TableHeader {
                kind,
                header,
                targets,
            }),
        });
        Ok(true)
    }

    fn blocks(&mut self) -> Option<Arc<dyn BlockSink>> {
        let cur = self.cur.clone().filter(|_| !self.one_by_one)?;
        Some(Arc::new(super::block::Validator {
            source: self.tables[cur.table as usize].source.clone(),
            cur,
            years: self.years.clone(),
            pool: self.pool.clone(),
            block_bytes: self.block_bytes,
            sizes: Default::default(),
            in_order: self.runs.open(),
            coded: self.runs.prefix_coded(),
        }))
    }

    fn take_block(&mut self, done: Done) {
        super::block::take_block(self, done);
    }

    fn row(&mut self, row_no: u64, cells: std::result::Result<Vec<RawCell>, String>) {
        if self.failure.is_some() {
            return; // a run could not be written; the ingest stops after this file
        }
        let Some(cur) = self.cur.take() else { return };
        let loc = Loc {
            table: cur.table,
            row: row_no,
        };
        self.tables[cur.table as usize].read += 1;
        let accepted = match cells {
            Err(reason) => {
                self.reject(loc, vec![(String::new(), String::new(), reason)]);
                Some(false)
            }
            Ok(mut cells) => {
                if self.grouping.hold(&cur.th.targets, row_no, &mut cells) {
                    None // counted when its table ends
                } else {
                    Some(self.take_cells(&cur, loc, &cells))
                }
            }
        };
        if let Some(accepted) = accepted {
            self.count(cur.table, accepted);
        }
        self.cur = Some(cur);
    }
}

impl Ingestor {
    /// Validate one row's cells and accept or reject it; whether accepted.
    pub(super) fn take_cells(&mut self, cur: &Current, loc: Loc, cells: &[RawCell]) -> bool {
        let years = self.years.take();
        let r = judge(self, &cur.th, years.as_ref(), loc, cells);
        self.years = years;
        r.unwrap_or_else(|e| {
            // A run could not be written: remembered, the ingest stops.
            self.failure.get_or_insert(e);
            false
        })
    }

    pub(super) fn count(&mut self, table: u32, accepted: bool) {
        let count = &mut self.tables[table as usize];
        if accepted {
            count.accepted += 1;
        } else {
            count.quarantined += 1;
        }
    }

    /// The current table is read: the rows that waited for its whole
    /// columns (see `grouping`) are taken now.
    fn finish_table(&mut self) -> Result<()> {
        let Some(cur) = self.cur.take() else {
            return Ok(());
        };
        for (row, cells) in self.grouping.take_held(&cur.th.targets) {
            let loc = Loc {
                table: cur.table,
                row,
            };
            let accepted = self.take_cells(&cur, loc, &cells);
            self.count(cur.table, accepted);
        }
        match self.failure.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
}
