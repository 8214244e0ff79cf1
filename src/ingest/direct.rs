//! Input in key order written as it is read, with no run file: the
//! in-order prefix (`runs`) goes straight to each year's Parquet files in
//! a staging folder of its own, households and members side by side, the
//! members meeting their households' row indices through a channel from
//! the households pass (both come in key order, so it is a merge join).
//!
//! What the merge (`write`) settles from the whole input is settled here
//! as the rows come, when it can be, and otherwise noted as a surprise:
//! - a key read twice in a row (a duplicate), or a key a rejected row of
//!   the pass shares (`watch`: rejected keys are registered before the
//!   accepted rows read after them reach the writer, and a rejected key at
//!   or before the last key written is a surprise at once);
//! - the order breaking in either pass;
//! - a rejected member whose household passed before it was registered;
//! - a known kept column no accepted row filled.
//!
//! Members whose household was not accepted (absent, or rejected) are set
//! aside, their reason given once every rejected household is known; they
//! go to a run file of their own, and every other row of the prefix is in
//! the staged files, its location kept in `LocRanges`. Without a surprise
//! the staged files are the dataset (`adopt`). With one, nothing of this is
//! used but the rows: the staged files are read back as the pass's first
//! run (`spill::Source::Staged`), the set-aside members as its second, and
//! the merge settles every key as it does for any input. The dataset and
//! the quarantine are the same bytes either way.

use super::keys::{key_cmp, Keys};
use super::spill::{Run, RunWriter, SpillDir, LOC_ROW, LOC_TABLE};
use super::staged::LocRanges;
use super::staging::{with_hh_index, Out};
use super::stream::{HouseholdKey, Loc};
use super::write::FLUSH_ROWS;
use crate::error::Result;
use arrow_array::cast::AsArray;
use arrow_array::types::{UInt32Type, UInt64Type};
use arrow_array::{RecordBatch, UInt32Array};
use arrow_schema::SchemaRef;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};

/// Household key batches in flight from the households pass to the
/// members pass: the households pass runs ahead by at most this many.
const LINKED: usize = 8;

/// A batch of accepted households, in key order: keys and row indices.
type KeyBatch = (Keys, Vec<u32>);

/// Keys of a table's rejected rows: year, household id and member id
/// (`""` for households), and their household ids, which rows are
/// looked up by first (without building a key).
#[derive(Default)]
struct Rejected {
    ids: HashSet<String>,
    keys: HashSet<(i32, String, String)>,
}

impl Rejected {
    fn insert(&mut self, key: &HouseholdKey, member_id: &str) {
        self.ids.insert(key.1.clone());
        (self.keys).insert((key.0, key.1.clone(), member_id.to_string()));
    }

    /// Which rows of a batch share a rejected row's key (none when empty).
    fn hits(&self, keys: &Keys, n: usize) -> Vec<bool> {
        if self.ids.is_empty() {
            return Vec::new();
        }
        (0..n)
            .map(|i| {
                let (y, id, mid) = keys.at(i);
                self.ids.contains(id) && {
                    let key = (
                        y as i32,
                        id.to_string(),
                        mid.unwrap_or_default().to_string(),
                    );
                    self.keys.contains(&key)
                }
            })
            .collect()
    }
}

/// What the passes of one ingest share.
#[derive(Default)]
pub struct Shared {
    surprise: AtomicBool,
    /// Keys of rejected rows, by table (households, members).
    rejected: [Mutex<Rejected>; 2],
    /// Households of rejected members, whose fate the members pass notes.
    wanted: Mutex<Vec<HouseholdKey>>,
}

impl Shared {
    pub fn surprise(&self) {
        self.surprise.store(true, AtomicOrdering::Relaxed);
    }

    pub fn surprised(&self) -> bool {
        self.surprise.load(AtomicOrdering::Relaxed)
    }
}

/// The two ends of the households-to-members channel, one per pass.
pub enum Link {
    Households(SyncSender<KeyBatch>),
    Members(Receiver<KeyBatch>),
}

/// The two passes' direct writers, before their first row: their staged
/// files and set-aside members go under `root` (the dataset's folder).
pub fn pair(shared: &Arc<Shared>, root: &Path) -> (Direct, Direct) {
    let (tx, rx) = sync_channel(LINKED);
    let make = |link: Link| Direct {
        members: matches!(link, Link::Members(_)),
        shared: shared.clone(),
        link: Some(link),
        out: None,
        run_schema: None,
        pending: Vec::new(),
        pending_batches: Vec::new(),
        batch_no: 0,
        pending_rows: 0,
        pending_year: 0,
        hh_index: Vec::new(),
        locs: LocRanges::default(),
        last: None,
        current: None,
        previous: None,
        batch: None,
        wanted: HashMap::new(),
        wanted_ids: HashSet::new(),
        orphans: None,
        orphan_keys: Vec::new(),
        root: root.to_path_buf(),
    };
    (make(Link::Households(tx)), make(Link::Members(rx)))
}

/// One pass's writer of the in-order prefix.
pub struct Direct {
    members: bool,
    shared: Arc<Shared>,
    link: Option<Link>,
    out: Option<Out>,
    /// The prefix's batches' schema (codes as keys, with locations).
    run_schema: Option<SchemaRef>,
    /// Rows queued: stretches (batch number, first row, rows) of the
    /// batches kept for them.
    pending: Vec<(u64, usize, usize)>,
    pending_batches: Vec<(u64, RecordBatch)>,
    batch_no: u64,
    pending_rows: usize,
    pending_year: i32,
    hh_index: Vec<u32>,
    locs: LocRanges,
    /// The last key written (members: with the member id).
    last: Option<(i64, String, Option<String>)>,
    /// Members: the household the join stands on, with its row index,
    /// and the one before it.
    current: Option<(i64, String, u32)>,
    previous: Option<(i64, String, u32)>,
    /// Members: the households batch being joined, and the row in it.
    batch: Option<(KeyBatch, usize)>,
    /// Members: households of rejected members, and their row index once
    /// met; their ids.
    wanted: HashMap<HouseholdKey, Option<u32>>,
    wanted_ids: HashSet<String>,
    /// Members: those whose household was not accepted, and their keys.
    orphans: Option<(SpillDir, RunWriter)>,
    orphan_keys: Vec<(Loc, HouseholdKey)>,
    root: PathBuf,
}

/// A pass's direct writer, finished.
pub struct Written {
    pub out: Option<Out>,
    pub run_schema: Option<SchemaRef>,
    pub locs: LocRanges,
    /// Members: the set-aside members' run, its folder, and their keys.
    pub orphans: Option<Run>,
    _orphan_dir: Option<SpillDir>,
    pub orphan_keys: Vec<(Loc, HouseholdKey)>,
    /// Members: the row index of each rejected member's household, if accepted.
    pub wanted: HashMap<HouseholdKey, Option<u32>>,
}

impl Written {
    /// The staged rows as the pass's first runs, for the merge.
    pub fn take_runs(&mut self) -> Vec<Run> {
        let mut runs = Vec::new();
        if let (Some(out), Some(schema)) = (&self.out, &self.run_schema) {
            let files = out.files();
            let locs = std::mem::take(&mut self.locs);
            runs.push(Run::staged(schema.clone(), files, locs));
        }
        runs.extend(self.orphans.take());
        runs
    }
}

impl Direct {
    pub fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    pub fn members(&self) -> bool {
        self.members
    }

    pub fn schema(&self) -> Option<&SchemaRef> {
        self.run_schema.as_ref()
    }

    /// Write a batch of the prefix (its rows after the last written).
    pub fn write(&mut self, b: &RecordBatch) -> Result<()> {
        if self.run_schema.is_none() {
            self.run_schema = Some(b.schema());
        }
        self.batch_no += 1;
        if self.out.is_none() {
            let tag = if self.members() { "m" } else { "h" };
            self.out = Some(Out::new(&self.root, &b.schema(), self.members(), tag)?);
        }
        match self.members() {
            false => self.households(b),
            true => self.members_batch(b),
        }
    }

    /// Notes a duplicate of the last key, or a key a rejected row shares.
    fn check(&mut self, key: (i64, &str, Option<&str>), rejected: bool) {
        let again = (self.last.as_ref())
            .is_some_and(|l| key_cmp((l.0, &l.1, l.2.as_deref()), key) == Ordering::Equal);
        if again || rejected {
            self.shared.surprise();
        }
        // The last key's text is reused for the next.
        let copy = |to: &mut String, from: &str| {
            to.clear();
            to.push_str(from);
        };
        match &mut self.last {
            Some(l) => {
                l.0 = key.0;
                copy(&mut l.1, key.1);
                match (&mut l.2, key.2) {
                    (Some(to), Some(from)) => copy(to, from),
                    (to, from) => *to = from.map(str::to_string),
                }
            }
            None => self.last = Some((key.0, key.1.into(), key.2.map(str::to_string))),
        }
    }

    fn households(&mut self, b: &RecordBatch) -> Result<()> {
        let keys = Keys::of(b, false)?;
        let (tables, rows) = locs_of(b);
        let hits = self.shared.rejected[0]
            .lock()
            .expect("lock")
            .hits(&keys, b.num_rows());
        let mut index = Vec::with_capacity(b.num_rows());
        for i in 0..b.num_rows() {
            let key = keys.at(i);
            self.check(key, hits.get(i).copied().unwrap_or(false));
            let y = key.0 as i32;
            let yo = self.out.as_mut().expect("made").year(y)?;
            index.push(yo.n_households);
            yo.n_households += 1;
            self.locs.push(Loc {
                table: tables[i],
                row: rows[i],
            });
            self.emit(y, b, i, 0)?;
        }
        if let Some(Link::Households(tx)) = &self.link {
            if tx.send((keys, index)).is_err() {
                self.link = None; // the members pass is over
            }
        }
        Ok(())
    }

    /// The next household from the households pass; false at its end.
    fn next_household(&mut self) -> bool {
        loop {
            if let Some(((keys, index), at)) = &mut self.batch {
                if *at < index.len() {
                    let (y, id, _) = keys.at(*at);
                    // Looked up by household id first, without building a key.
                    let hit = match self.wanted_ids.contains(id) {
                        false => None,
                        true => self.wanted.get_mut(&(y as i32, id.to_string())),
                    };
                    if let Some(w) = hit {
                        *w = Some(index[*at]);
                    }
                    // The previous household's text is reused for the next.
                    std::mem::swap(&mut self.previous, &mut self.current);
                    match &mut self.current {
                        Some(c) => {
                            c.0 = y;
                            c.1.clear();
                            c.1.push_str(id);
                            c.2 = index[*at];
                        }
                        None => self.current = Some((y, id.into(), index[*at])),
                    }
                    *at += 1;
                    return true;
                }
            }
            let Some(Link::Members(rx)) = &self.link else {
                return false;
            };
            match rx.recv() {
                Ok(kb) => self.batch = Some((kb, 0)),
                Err(_) => {
                    self.link = None;
                    self.batch = None;
                    return false;
                }
            }
        }
    }

    /// Rejected members' households registered since the last batch: the
    /// current or the previous household (met), one to come, or one passed
    /// between them (not accepted); one passed before them is a surprise.
    fn take_wanted(&mut self) {
        let new = std::mem::take(&mut *self.shared.wanted.lock().expect("lock"));
        for key in new {
            let k = (key.0 as i64, key.1.as_str(), None);
            let cmp = |h: &Option<(i64, String, u32)>| {
                h.as_ref()
                    .map(|(y, id, i)| (key_cmp((*y, id, None), k), *i))
            };
            let fate = match (cmp(&self.current), cmp(&self.previous)) {
                (Some((Ordering::Equal, i)), _) | (_, Some((Ordering::Equal, i))) => Some(i),
                (_, Some((Ordering::Greater, _))) => {
                    self.shared.surprise();
                    None
                }
                _ => None,
            };
            self.wanted_ids.insert(key.1.clone());
            let w = self.wanted.entry(key).or_insert(None);
            *w = w.or(fate);
        }
    }

    /// The row index of household (`y`, `id`) if it was accepted.
    fn household(&mut self, y: i64, id: &str) -> Option<u32> {
        loop {
            if let Some((cy, cid, index)) = &self.current {
                match key_cmp((*cy, cid, None), (y, id, None)) {
                    Ordering::Equal => return Some(*index),
                    Ordering::Greater => return None,
                    Ordering::Less => {}
                }
            }
            if !self.next_household() {
                return None;
            }
        }
    }

    fn members_batch(&mut self, b: &RecordBatch) -> Result<()> {
        self.take_wanted();
        let keys = Keys::of(b, true)?;
        let (tables, rows) = locs_of(b);
        let hits = self.shared.rejected[1]
            .lock()
            .expect("lock")
            .hits(&keys, b.num_rows());
        let mut orphans: Vec<u32> = Vec::new();
        for i in 0..b.num_rows() {
            let key = keys.at(i);
            self.check(key, hits.get(i).copied().unwrap_or(false));
            let loc = Loc {
                table: tables[i],
                row: rows[i],
            };
            let y = key.0 as i32;
            let index = match self.shared.surprised() {
                true => Some(0), // the merge settles it: its index is not used
                false => self.household(key.0, key.1),
            };
            match index {
                Some(index) => {
                    self.out.as_mut().expect("made").year(y)?.n_members += 1;
                    self.locs.push(loc);
                    self.emit(y, b, i, index)?;
                }
                None => {
                    self.orphan_keys.push((loc, (y, key.1.to_string())));
                    orphans.push(i as u32);
                }
            }
        }
        self.orphans(b, orphans)
    }

    /// Rows `at` of `b`, members whose household was not accepted, to
    /// their run file.
    fn orphans(&mut self, b: &RecordBatch, at: Vec<u32>) -> Result<()> {
        if at.is_empty() {
            return Ok(());
        }
        let rows = arrow_select::take::take_record_batch(b, &UInt32Array::from(at))?;
        if self.orphans.is_none() {
            let mut dir = SpillDir::new(&self.root, "orphans")?;
            let w = RunWriter::create(dir.next_path(), &rows.schema())?;
            self.orphans = Some((dir, w));
        }
        self.orphans.as_mut().expect("made").1.write(&rows)
    }

    /// Queue row `i` of `b`; written 65,536 rows at a time, and when the
    /// year changes, as the merge writes.
    fn emit(&mut self, year: i32, b: &RecordBatch, i: usize, hh_index: u32) -> Result<()> {
        if self.pending_rows > 0 && self.pending_year != year {
            self.flush()?;
        }
        self.pending_year = year;
        // Neighbouring rows of one batch make one slice.
        match self.pending.last_mut() {
            Some((no, from, n)) if *no == self.batch_no && *from + *n == i => *n += 1,
            _ => self.pending.push((self.batch_no, i, 1)),
        }
        if self
            .pending_batches
            .last()
            .is_none_or(|(no, _)| *no != self.batch_no)
        {
            self.pending_batches.push((self.batch_no, b.clone()));
        }
        self.pending_rows += 1;
        if self.members() {
            self.hh_index.push(hh_index);
        }
        if self.pending_rows >= FLUSH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.pending_rows == 0 {
            return Ok(());
        }
        let schema = self.run_schema.clone().expect("set on the first batch");
        let batch_of = |no: u64| {
            &self
                .pending_batches
                .iter()
                .find(|(n, _)| *n == no)
                .expect("kept")
                .1
        };
        let slices: Vec<RecordBatch> = (self.pending.iter())
            .map(|&(no, from, n)| batch_of(no).slice(from, n))
            .collect();
        let batch = match slices.as_slice() {
            [one] => one.clone(),
            _ => arrow_select::concat::concat_batches(&schema, &slices)?,
        };
        self.pending.clear();
        self.pending_rows = 0;
        // The batch being written stays: its next rows may follow.
        self.pending_batches.retain(|(no, _)| *no == self.batch_no);
        let batch = match self.members() {
            true => with_hh_index(batch, std::mem::take(&mut self.hh_index))?,
            false => batch,
        };
        let members = self.members();
        (self.out.as_mut().expect("made")).write(self.pending_year, members, batch)
    }

    /// The pass is over: the last rows written, the files closed. The
    /// members pass then notes the fates of the households it wants.
    pub fn finish(mut self) -> Result<Written> {
        self.flush()?;
        if self.members() {
            self.take_wanted();
            if !self.wanted.is_empty() && !self.shared.surprised() {
                while self.next_household() {}
            }
        }
        self.link = None;
        if let Some(out) = self.out.as_mut() {
            out.finish()?;
        }
        let (orphan_dir, orphans) = match self.orphans.take() {
            Some((dir, w)) => (Some(dir), Some(w.finish()?)),
            None => (None, None),
        };
        Ok(Written {
            out: self.out.take(),
            run_schema: self.run_schema.take(),
            locs: std::mem::take(&mut self.locs),
            orphans,
            _orphan_dir: orphan_dir,
            orphan_keys: std::mem::take(&mut self.orphan_keys),
            wanted: std::mem::take(&mut self.wanted),
        })
    }
}

/// The location columns of a prefix batch.
fn locs_of(b: &RecordBatch) -> (&[u32], &[u64]) {
    let t = b.column_by_name(LOC_TABLE).expect("runs carry locations");
    let r = b.column_by_name(LOC_ROW).expect("runs carry locations");
    (
        t.as_primitive::<UInt32Type>().values(),
        r.as_primitive::<UInt64Type>().values(),
    )
}

/// Register a rejected row's key before the accepted rows read after it
/// reach the writer; `last`: the last key handed to it. A key at or before
/// it may have been written already: a surprise.
pub fn watch(
    shared: &Shared,
    last: Option<(i64, &str, Option<&str>)>,
    key: &HouseholdKey,
    member_id: Option<&str>,
    members: bool,
) {
    let k = (key.0 as i64, key.1.as_str(), member_id);
    if members {
        shared.wanted.lock().expect("lock").push(key.clone());
    }
    // A member without its id copies no other.
    if members && member_id.is_none() {
        return;
    }
    if last.is_some_and(|l| key_cmp(l, k) != Ordering::Less) {
        shared.surprise();
    }
    let rejected = &shared.rejected[members as usize];
    rejected
        .lock()
        .expect("lock")
        .insert(key, member_id.unwrap_or_default());
}
