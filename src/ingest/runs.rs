//! Finished runs: each builder's worth of accepted rows (and where each was
//! read) becomes a run sorted by key for the merge (`spill`), written on a
//! thread of its own while the next run is read.
//!
//! Input already in key order (`dachieu synth` output; most exports) is
//! not sorted: while every run comes sorted and starts at or after the
//! previous run's last key, the runs are appended as they are to the
//! in-order prefix: a direct writer (`direct`), which writes them to the
//! dataset's staged files, or (`IngestOptions::no_direct`) one run file.
//! The merge reads the prefix as one run, which is what
//! the runs it holds would have merged into (ties between runs go to the
//! earlier run, and the prefix holds them in the order they were cut). The
//! moment the order breaks, the prefix is closed as the first run, and every
//! later run is sorted and spilled as a run of its own, as before: the
//! merge settles keys (duplicates, members of unknown households) on the
//! same rows in the same order either way.
//!
//! A CSV block whose accepted rows are in key order (`SortedBlock`) is
//! finished into a batch on its worker thread; when nothing waits in the
//! pass's builder and it continues the prefix, the reading thread hands
//! it to the prefix as it is, with no copy into the builder. Otherwise its
//! rows go through the builder as any others.

use super::build::TableBuilder;
use super::direct::{Direct, Shared, Written};
use super::spill::PREFIX_BATCH;
use super::spill::{key_cmp, write_run, Run, RunWriter, SpillDir, LOC_ROW, LOC_TABLE};
use super::stream::Loc;
use crate::error::Result;
use arrow_array::{ArrayRef, RecordBatch, UInt32Array, UInt64Array};
use arrow_schema::{DataType, Field, Fields, SchemaRef};
use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};
use std::sync::Arc;
use std::thread::JoinHandle;

/// A row key: survey year, household id and (members) member id.
pub type Key<'a> = (i64, &'a str, Option<&'a str>);
type OwnedKey = (i64, String, Option<String>);

/// Where the in-order prefix goes: a run file, or straight to the
/// dataset's staged files (`direct`).
pub enum Prefix {
    File(Box<RunWriter>),
    Direct(Box<Direct>),
}

impl Prefix {
    fn schema(&self) -> Option<&SchemaRef> {
        match self {
            Prefix::File(w) => Some(w.schema()),
            Prefix::Direct(d) => d.schema(),
        }
    }

    fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        match self {
            Prefix::File(w) => w.write(batch),
            Prefix::Direct(d) => d.write(batch),
        }
    }
}

/// What the spilling thread gives back.
enum Spilled {
    /// A run of its own.
    Run(Run),
    /// The in-order prefix, one run longer.
    Prefix(Box<Prefix>),
}

/// The thread writing a run, if any; waited for when dropped, so no run
/// file is written after the ingest ends.
struct Spilling(Option<JoinHandle<Result<Spilled>>>);

impl Drop for Spilling {
    fn drop(&mut self) {
        let _ = self.0.take().map(|h| h.join());
    }
}

/// The key of each row of a builder.
struct Keys<'a> {
    years: &'a [Option<i64>],
    ids: Option<&'a super::build::Texts>,
    mids: Option<&'a super::build::Texts>,
}

impl<'a> Keys<'a> {
    fn of(b: &'a TableBuilder) -> Self {
        Keys {
            years: b.ints("survey_year").unwrap_or(&[]),
            ids: b.strings("household_id"),
            mids: b.strings("member_id"),
        }
    }

    fn at(&self, i: usize) -> Key<'a> {
        (
            self.years[i].unwrap_or_default(),
            self.ids.and_then(|t| t.get(i)).unwrap_or(""),
            self.mids.map(|m| m.get(i).unwrap_or("")),
        )
    }

    /// Whether rows are in run order: by key, then where they were read.
    fn sorted(&self, locs: &[Loc]) -> bool {
        (1..locs.len()).all(|i| {
            key_cmp(self.at(i - 1), self.at(i)).then(locs[i - 1].cmp(&locs[i])) != Ordering::Greater
        })
    }
}

/// A block's accepted rows finished as a run's batch, when they are in
/// run order: with their first and last keys, so the reading thread can
/// tell whether they continue the in-order prefix without copying them
/// into the pass's builder first.
pub struct SortedBlock {
    batch: RecordBatch,
    first: OwnedKey,
    last: OwnedKey,
}

impl SortedBlock {
    /// The rows of `b` as a batch, if they are in run order (and any);
    /// `coded`: as a run file holds them (else as the dataset does).
    pub fn of(b: &TableBuilder, locs: &[Loc], coded: bool) -> Option<Self> {
        let keys = Keys::of(b);
        if locs.is_empty() || !keys.sorted(locs) {
            return None;
        }
        let order: Vec<usize> = (0..locs.len()).collect();
        // A batch that cannot be made leaves the rows to the builder's
        // path, which makes it again and reports why.
        Some(SortedBlock {
            batch: finish_run(b, locs, &order, coded).ok()?,
            first: owned(keys.at(0)),
            last: owned(keys.at(locs.len() - 1)),
        })
    }
}

fn owned(k: Key) -> OwnedKey {
    (k.0, k.1.to_string(), k.2.map(str::to_string))
}

fn borrowed(k: &OwnedKey) -> Key<'_> {
    (k.0, &k.1, k.2.as_deref())
}

/// A builder's rows in `order`, with their locations as two hidden columns;
/// `coded`: code columns as keys, small whole numbers in 16 bits (`coded`).
fn finish_run(b: &TableBuilder, locs: &[Loc], order: &[usize], coded: bool) -> Result<RecordBatch> {
    let tables: UInt32Array = order.iter().map(|&i| locs[i].table).collect();
    let rows: UInt64Array = order.iter().map(|&i| locs[i].row).collect();
    b.finish_as(
        order,
        vec![
            (
                Field::new(LOC_TABLE, DataType::UInt32, false),
                Arc::new(tables) as ArrayRef,
            ),
            (
                Field::new(LOC_ROW, DataType::UInt64, false),
                Arc::new(rows) as ArrayRef,
            ),
        ],
        coded,
    )
}

/// A builder's rows sorted by key (and where they were read), with their
/// locations as two hidden columns; `sorted`: they are already; `coded`
/// as `finish_run`.
fn sort_run(b: TableBuilder, locs: Vec<Loc>, sorted: bool, coded: bool) -> Result<RecordBatch> {
    let mut order: Vec<usize> = (0..b.len()).collect();
    if !sorted {
        let keys = Keys::of(&b);
        order.sort_by(|&x, &y| key_cmp(keys.at(x), keys.at(y)).then(locs[x].cmp(&locs[y])));
    }
    finish_run(&b, &locs, &order, coded)
}

/// The runs of one pass.
pub struct Runs {
    /// Where run files go while ingesting, and the pass's folder there.
    pub root: PathBuf,
    pub dir: Option<SpillDir>,
    tag: &'static str,
    spilling: Spilling,
    /// Runs cut, in the order they were cut.
    done: Vec<Run>,
    /// While the runs come in key order: where they are appended (`None`
    /// before the first, and while the thread writes to it; a direct
    /// writer is there from the start).
    prefix: Option<Prefix>,
    /// The direct writer's output once the prefix is closed.
    pub written: Option<Written>,
    shared: Option<Arc<Shared>>,
    in_order: bool,
    /// Whether the in-order prefix may still take blocks: read by the
    /// workers, which finish a sorted block into a batch only while it is.
    open: Arc<AtomicBool>,
    /// The last key of the in-order prefix.
    last: Option<OwnedKey>,
}

impl Runs {
    /// `tag` tells apart the run folders of passes run side by side.
    pub fn new(root: &Path, tag: &'static str, direct: Option<Direct>) -> Self {
        let shared = direct.as_ref().map(|d| d.shared().clone());
        let prefix = direct.map(|d| Prefix::Direct(Box::new(d)));
        Runs {
            root: root.to_path_buf(),
            dir: None,
            tag,
            spilling: Spilling(None),
            done: Vec::new(),
            prefix,
            written: None,
            shared,
            in_order: true,
            open: Arc::new(AtomicBool::new(true)),
            last: None,
        }
    }

    /// Whether every run so far continued the in-order prefix.
    pub fn in_order(&self) -> bool {
        self.in_order
    }

    /// Whether the in-order prefix may still take blocks, as it changes.
    pub fn open(&self) -> Arc<AtomicBool> {
        self.open.clone()
    }

    /// Wait for the run being written, and keep it.
    fn join(&mut self) -> Result<()> {
        let Some(h) = self.spilling.0.take() else {
            return Ok(());
        };
        match h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))? {
            Spilled::Run(run) => self.done.push(run),
            Spilled::Prefix(w) => self.prefix = Some(*w),
        }
        Ok(())
    }

    /// Whether rows from key `first` on, with `fields`, continue the
    /// in-order prefix: it is still open, they start at or after its last
    /// key, and they have its columns.
    fn takes(&self, first: Key, fields: &Fields) -> bool {
        self.in_order
            && (self.last.as_ref()).is_none_or(|l| key_cmp(borrowed(l), first) != Ordering::Greater)
            && (self.prefix.as_ref().and_then(|w| w.schema())).is_none_or(|s| s.fields() == fields)
    }

    /// Whether the builder's rows continue the in-order prefix (they are
    /// sorted, and `takes` them); whether they are sorted at all.
    fn continues(&self, b: &TableBuilder, locs: &[Loc]) -> Result<(bool, bool)> {
        let keys = Keys::of(b);
        let sorted = keys.sorted(locs);
        if !sorted || locs.is_empty() {
            return Ok((false, sorted));
        }
        let fields = finish_run(b, &[], &[], self.prefix_coded())?;
        let fields = fields.schema().fields().clone();
        Ok((self.takes(keys.at(0), &fields), sorted))
    }

    /// The folder of the pass's run files, made when first needed.
    fn dir(&mut self) -> Result<&mut SpillDir> {
        if self.dir.is_none() {
            self.dir = Some(SpillDir::new(&self.root, self.tag)?);
        }
        Ok(self.dir.as_mut().expect("made above"))
    }

    /// Rows up to key `last` after the in-order prefix, on a thread of
    /// their own; `batch` makes them (there).
    fn extend(
        &mut self,
        last: OwnedKey,
        batch: impl FnOnce() -> Result<RecordBatch> + Send + 'static,
    ) -> Result<()> {
        let prefix = self.prefix.take();
        let path = match prefix {
            Some(_) => None,
            None => Some(self.dir()?.next_path()),
        };
        self.last = Some(last);
        self.spilling.0 = Some(std::thread::spawn(move || {
            let batch = batch()?;
            let mut w = match prefix {
                Some(w) => w,
                None => {
                    let path = path.unwrap_or_default();
                    let w = RunWriter::with_batches(path, &batch.schema(), PREFIX_BATCH)?;
                    Prefix::File(Box::new(w))
                }
            };
            w.write(&batch)?;
            Ok(Spilled::Prefix(Box::new(w)))
        }));
        Ok(())
    }

    /// A builder's worth of rows: written as a run on a thread of its own
    /// while the next is read; one at a time, so memory stays bounded.
    pub fn spill(&mut self, b: TableBuilder, locs: Vec<Loc>) -> Result<()> {
        self.join()?;
        let (continues, sorted) = self.continues(&b, &locs)?;
        if continues {
            let last = owned(Keys::of(&b).at(b.len() - 1));
            let coded = self.prefix_coded();
            return self.extend(last, move || sort_run(b, locs, true, coded));
        }
        self.close_prefix(true)?;
        let path = self.dir()?.next_path();
        self.spilling.0 = Some(std::thread::spawn(move || {
            Ok(Spilled::Run(write_run(
                path,
                &sort_run(b, locs, sorted, true)?,
            )?))
        }));
        Ok(())
    }

    /// A sorted block straight onto the in-order prefix, when it continues
    /// it (`takes`); else it is given back, for the pass's builder.
    pub fn append_sorted(&mut self, s: SortedBlock) -> Result<Option<SortedBlock>> {
        self.join()?;
        if !self.takes(borrowed(&s.first), s.batch.schema().fields()) {
            return Ok(Some(s));
        }
        let batch = s.batch;
        self.extend(s.last, move || Ok(batch))?;
        Ok(None)
    }

    /// The order broke (`broke`), or the pass ended: the prefix becomes the
    /// first run (a direct writer's, once the passes are over).
    fn close_prefix(&mut self, broke: bool) -> Result<()> {
        self.in_order = false;
        self.open.store(false, AtomicOrdering::Relaxed);
        if broke {
            if let Some(s) = &self.shared {
                s.surprise();
            }
        }
        match self.prefix.take() {
            Some(Prefix::File(w)) => {
                debug_assert!(self.done.is_empty());
                self.done.push(w.finish()?);
            }
            Some(Prefix::Direct(d)) => self.written = Some(d.finish()?),
            None => {}
        }
        Ok(())
    }

    /// Whether the in-order prefix takes its rows as a run file holds them
    /// (codes as keys), not as the dataset does (a direct writer's).
    pub fn prefix_coded(&self) -> bool {
        self.shared.is_none()
    }

    /// The last key handed to the in-order prefix.
    pub fn last(&self) -> Option<Key<'_>> {
        self.last.as_ref().map(borrowed)
    }

    /// The shared state of a direct writer, while the prefix is open.
    pub fn shared(&self) -> Option<&Arc<Shared>> {
        self.shared.as_ref().filter(|_| self.in_order)
    }

    /// The pass is over: the rows left become the last run, kept in
    /// memory (or, when they continue a direct writer's prefix, go to
    /// it); the pass's runs in the order they were cut.
    pub fn finish(&mut self, b: TableBuilder, locs: Vec<Loc>) -> Result<Vec<Run>> {
        self.join()?;
        let (continues, sorted) = self.continues(&b, &locs)?;
        let in_order = self.in_order && (continues || b.is_empty());
        let direct = matches!(self.prefix, Some(Prefix::Direct(_)));
        let b = if direct && continues {
            let last = owned(Keys::of(&b).at(b.len() - 1));
            self.extend(last, move || sort_run(b, locs, true, false))?;
            self.join()?;
            None
        } else {
            Some((b, locs))
        };
        self.close_prefix(!in_order)?;
        self.in_order = in_order;
        // An empty pass still gives a run, so the merge knows the columns.
        let (b, locs) = match b {
            Some(b) => b,
            None => return Ok(std::mem::take(&mut self.done)),
        };
        if !b.is_empty() || self.done.is_empty() {
            self.done
                .push(Run::memory(sort_run(b, locs, sorted, true)?));
        }
        Ok(std::mem::take(&mut self.done))
    }
}
