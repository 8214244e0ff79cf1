//! A CSV file's rows validated a block at a time on worker threads: each
//! block's accepted rows go into typed columns of its own (`Block`), with
//! its rejected rows and counts; the blocks are then taken in input order
//! (`take_block`), their rows appended to the pass's runs at the places the
//! row-by-row ingest would cut them, so the runs, the row numbers and the
//! quarantine are the same whatever the threads and the block size.
//!
//! A row with a value such as `700.000` waits for its column's evidence
//! (`grouping`): a block keeps it aside with what its column had shown up
//! to it in the block, and the ingest decides, in input order, whether it
//! waits for the end of the table or (past the most rows held) is settled
//! in place with what the table had shown up to it.

use super::build::TableBuilder;
use super::fast::Plan;
use super::grouping::{observe, settle, Seen};
use super::judge::{judge, Rows, Spare};
use super::quarantine::Entry;
use super::read::{BlockSink, Done, Each, Line, RawCell};
use super::row::Problem;
use super::runs::SortedBlock;
use super::stream::{entries, Current, HouseholdKey, Ingestor, Loc};
use super::SurveyYears;
use crate::error::Result;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Validates the current table's rows on worker threads.
pub struct Validator {
    pub cur: Current,
    pub source: String,
    pub years: Option<SurveyYears>,
    /// `None`: rayon's global pool.
    pub pool: Option<Arc<rayon::ThreadPool>>,
    pub block_bytes: usize,
    /// The rows a block accepted and its text columns' bytes, for the
    /// next block to reserve (its builder then does not grow by doubling).
    pub sizes: Mutex<(usize, Vec<usize>)>,
    /// Whether the pass's in-order run may still take blocks (`runs`):
    /// while it may, a block in key order is finished into a run batch.
    pub in_order: Arc<AtomicBool>,
    /// Whether that run's batches are coded as a run file's (`runs`).
    pub coded: bool,
}

/// A row that waits for its column's evidence: the accepted rows of its
/// block before it, its number and cells, and what its block had shown
/// up to it (itself included).
struct Held {
    at: usize,
    row: u64,
    cells: Vec<RawCell<'static>>,
    seen: Vec<Seen>,
}

/// One block's rows, validated.
struct Block {
    table: u32,
    source: String,
    builder: TableBuilder,
    locs: Vec<Loc>,
    entries: Vec<(Loc, Entry)>,
    rejected_households: Vec<(HouseholdKey, Loc)>,
    rejected_members: Vec<(HouseholdKey, Loc, Option<String>)>,
    counts: [u64; 3],
    filled: HashSet<String>,
    seen: Vec<Seen>,
    held: Vec<Held>,
    spare: Spare,
    /// The accepted rows as a run's batch, when they are in key order and
    /// none waits: finished here, on the worker thread.
    sorted: Option<SortedBlock>,
    /// How plain lines are taken whole (`fast`), when they can be.
    plan: Option<Plan>,
}

impl Rows for Block {
    fn parts(&mut self) -> (&mut TableBuilder, &mut Spare, &mut HashSet<String>) {
        (&mut self.builder, &mut self.spare, &mut self.filled)
    }

    fn accept(&mut self, loc: Loc) -> Result<()> {
        self.locs.push(loc);
        Ok(())
    }

    fn reject(&mut self, loc: Loc, problems: Vec<Problem>) {
        self.entries.extend(entries(&self.source, loc, problems));
    }

    fn rejected_household(&mut self, key: HouseholdKey, loc: Loc) {
        self.rejected_households.push((key, loc));
    }

    fn rejected_member(&mut self, key: HouseholdKey, loc: Loc, member_id: Option<String>) {
        self.rejected_members.push((key, loc, member_id));
    }
}

impl Block {
    /// A plain line taken whole, as `take` would take its cells; whether
    /// it was (else its cells come to `take`).
    fn take_line(&mut self, v: &Validator, row: u64, line: (&str, u8)) -> bool {
        let Some(plan) = self.plan.as_mut() else {
            return false;
        };
        let (b, noted) = (&mut self.builder, self.spare.noted());
        if !plan.take(b, noted, v.years.as_ref(), line) {
            return false;
        }
        self.counts[0] += 1;
        self.counts[1] += 1;
        self.locs.push(Loc {
            table: self.table,
            row,
        });
        true
    }

    /// One row as `Ingestor::row` takes it, but for the rows that wait.
    fn take(&mut self, v: &Validator, row: u64, cells: std::result::Result<&[RawCell], String>) {
        let loc = Loc {
            table: self.table,
            row,
        };
        self.counts[0] += 1;
        let cells = match cells {
            Ok(cells) => cells,
            Err(reason) => {
                self.reject(loc, vec![(String::new(), String::new(), reason)]);
                self.counts[2] += 1;
                return;
            }
        };
        let th = &v.cur.th;
        if observe(&th.targets, cells, &mut self.seen) {
            self.held.push(Held {
                at: self.locs.len(),
                row,
                cells: cells.iter().map(RawCell::to_owned_cell).collect(),
                seen: self.seen.clone(),
            });
            return;
        }
        // A block's rows go to memory: accepting one never fails.
        let accepted = judge(self, th, v.years.as_ref(), loc, cells).unwrap_or(false);
        self.counts[1 + !accepted as usize] += 1;
    }
}

impl BlockSink for Validator {
    fn block(&self, feed: &mut dyn FnMut(&mut Each, &mut Line)) -> Done {
        let th = &self.cur.th;
        let mut b = Block {
            table: self.cur.table,
            source: self.source.clone(),
            builder: TableBuilder::new(th.kind.columns()),
            locs: Vec::new(),
            entries: Vec::new(),
            rejected_households: Vec::new(),
            rejected_members: Vec::new(),
            counts: [0; 3],
            filled: HashSet::new(),
            seen: vec![Seen::default(); th.header.len()],
            held: Vec::new(),
            spare: Spare::default(),
            sorted: None,
            plan: Plan::new(th),
        };
        if let Ok(sizes) = self.sizes.lock() {
            // A little more than the last block's: blocks differ a little.
            let rows = sizes.0 + sizes.0 / 8;
            let bytes: Vec<usize> = sizes.1.iter().map(|n| n + n / 8).collect();
            b.builder.reserve(rows, &bytes);
            b.locs.reserve(rows);
        }
        // Both ways in take the block's rows, one row at a time.
        let cell = std::cell::RefCell::new(b);
        feed(
            &mut |row, cells| cell.borrow_mut().take(self, row, cells),
            &mut |row, line, d| cell.borrow_mut().take_line(self, row, (line, d)),
        );
        let mut b = cell.into_inner();
        if let Ok(mut sizes) = self.sizes.lock() {
            *sizes = (b.builder.len(), b.builder.text_bytes());
        }
        if b.held.is_empty() && self.in_order.load(Ordering::Relaxed) {
            b.sorted = SortedBlock::of(&b.builder, &b.locs, self.coded);
        }
        Box::new(b)
    }

    fn spawn(&self, job: Box<dyn FnOnce() + Send>) {
        match &self.pool {
            Some(pool) => pool.spawn(job),
            None => rayon::spawn(job),
        }
    }

    fn block_bytes(&self) -> usize {
        self.block_bytes
    }

    fn threads(&self) -> usize {
        (self.pool.as_ref()).map_or_else(rayon::current_num_threads, |p| p.current_num_threads())
    }
}

/// A block's rows into the ingest, in input order (see the module's notes).
pub fn take_block(ing: &mut Ingestor, done: Done) {
    let Ok(b) = done.downcast::<Block>() else {
        return;
    };
    let Some(cur) = ing.cur.clone().filter(|_| ing.failure.is_none()) else {
        return; // a run could not be written; the ingest stops after this file
    };
    let mut b = *b;
    let count = &mut ing.tables[b.table as usize];
    count.read += b.counts[0];
    count.accepted += b.counts[1];
    count.quarantined += b.counts[2];
    ing.entries.extend(b.entries);
    ing.filled.extend(b.filled);
    let before = match b.held.is_empty() {
        true => Vec::new(),
        false => ing.grouping.seen().to_vec(),
    };
    // The block's rejected keys are noted before its accepted rows go on.
    for (key, _) in &b.rejected_households {
        ing.watch(key, None);
    }
    for (key, _, id) in &b.rejected_members {
        ing.watch(key, id.as_deref());
    }
    let mut households = b.rejected_households.into_iter().peekable();
    let mut members = b.rejected_members.into_iter().peekable();
    let mut from = 0;
    let mut result = Ok(());
    // Rows in key order that continue the in-order prefix go to it as the
    // worker finished them, without a copy into the pass's builder.
    if let Some(sorted) = b.sorted.take() {
        match ing.append_sorted(sorted) {
            Ok(None) => from = b.locs.len(),
            Ok(Some(_)) => {}
            Err(e) => result = Err(e),
        }
    }
    for held in b.held.into_iter().map(Some).chain([None]) {
        // The block's rows before the held one (all, after the last).
        let until = held.as_ref().map_or(u64::MAX, |h| h.row);
        while let Some((key, loc)) = households.next_if(|(_, l)| l.row < until) {
            ing.rejected_households.entry(key).or_default().push(loc);
        }
        while let Some((key, loc, id)) = members.next_if(|(_, l, _)| l.row < until) {
            ing.rejected_members.entry(key).or_default().push((loc, id));
        }
        let at = held.as_ref().map_or(b.locs.len(), |h| h.at);
        result = result.and_then(|_| append(ing, &b.builder, &b.locs, from..at));
        from = at;
        if let Some(h) = held {
            take_held(ing, &cur, h, &before);
        }
    }
    ing.grouping.merge(&b.seen);
    if let Err(e) = result {
        ing.failure.get_or_insert(e);
    }
}

/// A row that waits: kept until the table ends, or, past the most rows
/// held, settled in place with what the table had shown up to it.
fn take_held(ing: &mut Ingestor, cur: &Current, h: Held, before: &[Seen]) {
    if !ing.grouping.is_full() {
        return ing.grouping.push_held(h.row, h.cells);
    }
    let seen: Vec<Seen> = (before.iter().zip(&h.seen))
        .map(|(a, b)| a.or(*b))
        .collect();
    let mut cells = h.cells;
    settle(&seen, &cur.th.targets, &mut cells);
    let loc = Loc {
        table: cur.table,
        row: h.row,
    };
    let accepted = ing.take_cells(cur, loc, &cells);
    ing.count(cur.table, accepted);
}

/// Rows `r` of a block into the pass's runs, a run cut whenever it is full.
fn append(
    ing: &mut Ingestor,
    b: &TableBuilder,
    locs: &[Loc],
    r: std::ops::Range<usize>,
) -> Result<()> {
    let mut at = r.start;
    while at < r.end {
        let room = ing.run_rows.saturating_sub(ing.builder.len()).max(1);
        let n = room.min(r.end - at);
        ing.builder.append(b, at..at + n);
        ing.locs.extend_from_slice(&locs[at..at + n]);
        at += n;
        ing.maybe_spill()?;
    }
    Ok(())
}
