//! External sort for ingest: accepted rows are cut into runs sorted by key
//! (households by survey year and id; members by year, household id and
//! member id), spilled to Arrow IPC files beside the dataset, then merged back
//! in key order. Memory stays bounded by the run size and one batch per run,
//! however many rows the inputs hold; copies of a key meet as neighbours in
//! the merge, so duplicates are found exactly without a key map.

pub use super::keys::key_cmp;
use super::keys::Keys;
use super::staged::{LocRanges, StagedReader};
use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::{new_null_array, ArrayRef, RecordBatch};
use arrow_ipc::reader::StreamReader;
use arrow_ipc::writer::{IpcWriteOptions, StreamWriter};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::cmp::Ordering;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Hidden columns carrying where each row was read (input table, row).
pub const LOC_TABLE: &str = "__loc_table";
pub const LOC_ROW: &str = "__loc_row";

/// Rows read back from a run at a time.
const READ_BATCH: usize = 4096;
/// Rows read back at a time from the in-order prefix (`runs`): the one
/// run file of input in key order, so a longer batch costs little memory,
/// and compresses better and faster.
pub const PREFIX_BATCH: usize = 1 << 15;

/// A folder for run files, removed when dropped (on success or error).
pub struct SpillDir {
    path: PathBuf,
    next: usize,
}

impl SpillDir {
    /// `tag` tells apart the folders of one ingest (its passes run side by side).
    pub fn new(root: &Path, tag: &str) -> Result<Self> {
        crate::files::create_dir_all(root)?;
        let path = root.join(format!(".spill-{}-{tag}", std::process::id()));
        if path.exists() {
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        crate::files::create_dir_all(&path)?;
        Ok(SpillDir { path, next: 0 })
    }

    /// The path of the next run file.
    pub fn next_path(&mut self) -> PathBuf {
        self.next += 1;
        self.path.join(format!("run-{:05}.arrows", self.next - 1))
    }

    fn create(&mut self, schema: &SchemaRef) -> Result<RunWriter> {
        RunWriter::create(self.next_path(), schema)
    }
}

/// Write a sorted batch as the run file `path`.
pub fn write_run(path: PathBuf, batch: &RecordBatch) -> Result<Run> {
    let mut w = RunWriter::create(path, &batch.schema())?;
    w.write(batch)?;
    w.finish()
}

pub(crate) struct RunWriter {
    writer: StreamWriter<BufWriter<std::fs::File>>,
    schema: SchemaRef,
    path: PathBuf,
    batch_rows: usize,
}

impl RunWriter {
    /// Start a run file: Arrow IPC, batch after batch, so reading a run
    /// back holds one batch and costs no decoding beyond decompression.
    pub fn create(path: PathBuf, schema: &SchemaRef) -> Result<RunWriter> {
        Self::with_batches(path, schema, READ_BATCH)
    }

    /// A run file read back `batch_rows` at a time.
    pub fn with_batches(path: PathBuf, schema: &SchemaRef, batch_rows: usize) -> Result<RunWriter> {
        let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        // Not compressed: a run file is read back once, soon after it is
        // written (mostly from the page cache), and zstd's fastest level
        // cost a tenth of the ingest's CPU for files a third the size
        // (benches/README.md, issue 19).
        Ok(RunWriter {
            writer: StreamWriter::try_new_with_options(
                BufWriter::new(file),
                schema,
                IpcWriteOptions::default(),
            )?,
            schema: schema.clone(),
            path,
            batch_rows,
        })
    }

    /// Append rows, in batches of the size the merge reads.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let mut off = 0;
        while off < batch.num_rows() {
            let n = self.batch_rows.min(batch.num_rows() - off);
            self.writer.write(&batch.slice(off, n))?;
            off += n;
        }
        Ok(())
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    pub fn finish(mut self) -> Result<Run> {
        self.writer.finish()?;
        let path = self.path;
        self.writer
            .into_inner()?
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        Ok(Run {
            schema: self.schema,
            source: Source::File(path),
        })
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

enum Source {
    Memory(RecordBatch),
    File(PathBuf),
    /// Rows a direct writer staged as Parquet (`direct`), a year after the
    /// other, with where each was read.
    Staged(Vec<PathBuf>, LocRanges),
}

/// One sorted run: in memory (the last, partial one) or spilled to a file.
pub struct Run {
    schema: SchemaRef,
    source: Source,
}

impl Run {
    pub fn memory(batch: RecordBatch) -> Self {
        Run {
            schema: batch.schema(),
            source: Source::Memory(batch),
        }
    }

    /// The rows of staged Parquet `files`, written from batches of
    /// `schema` (a run's, with its locations): read back in the run's
    /// text schema (`coded::text_schema`), so a merge with such a run
    /// decodes every run's codes as it reads them.
    pub fn staged(schema: SchemaRef, files: Vec<PathBuf>, locs: LocRanges) -> Self {
        Run {
            schema,
            source: Source::Staged(files, locs),
        }
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Whether the run is held in memory and has no rows.
    pub fn is_empty(&self) -> bool {
        matches!(&self.source, Source::Memory(b) if b.num_rows() == 0)
    }
}

enum Reader {
    Memory(RecordBatch, usize),
    File(StreamReader<BufReader<std::fs::File>>),
    Staged(Box<StagedReader>),
}

struct Cursor {
    reader: Reader,
    /// Slot in `live` of the current batch, and the row within it.
    slot: usize,
    row: usize,
    len: usize,
    done: bool,
}

/// A row picked from the merge: its batch slot and row.
#[derive(Debug, Clone, Copy)]
pub struct Pick {
    pub slot: usize,
    pub row: usize,
}

/// k-way merge of sorted runs. Rows come out in key order; `group` returns
/// every row sharing the next key. Batches stay alive in `live` until
/// `compact`, so picks can be gathered into output batches.
pub struct Merge {
    members: bool,
    /// Codes decoded as batches are read (a run is staged Parquet).
    text: bool,
    schema: SchemaRef,
    cursors: Vec<Cursor>,
    live: Vec<(RecordBatch, Keys)>,
    /// Min-heap of cursor indices by current key.
    heap: Vec<usize>,
}

/// The union of runs' schemas, fields in order of first appearance, with
/// the two location columns last.
pub fn union_of<'a>(schemas: impl Iterator<Item = &'a SchemaRef>) -> SchemaRef {
    let mut fields: Vec<Arc<Field>> = Vec::new();
    let mut locs: Vec<Arc<Field>> = Vec::new();
    for schema in schemas {
        for f in schema.fields() {
            let target = if f.name() == LOC_TABLE || f.name() == LOC_ROW {
                &mut locs
            } else {
                &mut fields
            };
            if !target.iter().any(|g| g.name() == f.name()) {
                target.push(f.clone());
            }
        }
    }
    fields.extend(locs);
    Arc::new(Schema::new(fields))
}

/// Whether some column is of one type in a run and another in another.
fn mixed_types(runs: &[Run]) -> bool {
    let mut seen: std::collections::HashMap<&str, &DataType> = Default::default();
    (runs.iter().flat_map(|r| r.schema.fields().iter()))
        .any(|f| *seen.entry(f.name()).or_insert(f.data_type()) != f.data_type())
}

/// Give a batch the union schema: columns it lacks become nulls.
fn conform(b: &RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    if b.schema().fields() == schema.fields() {
        return Ok(b.clone());
    }
    let cols: Vec<ArrayRef> = schema
        .fields()
        .iter()
        .map(|f| match b.column_by_name(f.name()) {
            Some(a) => a.clone(),
            None => new_null_array(f.data_type(), b.num_rows()),
        })
        .collect();
    Ok(RecordBatch::try_new(schema.clone(), cols)?)
}

impl Merge {
    pub fn new(runs: Vec<Run>, members: bool) -> Result<Self> {
        // Staged rows come back as text; so do runs that hold a column
        // otherwise than the others (a run of a merge that read staged
        // rows): then every run's codes are decoded as they are read.
        let text =
            (runs.iter()).any(|r| matches!(r.source, Source::Staged(..))) || mixed_types(&runs);
        let schemas = runs.iter().map(|r| &r.schema);
        let schema = match text {
            true => Arc::new(super::coded::text_schema(&union_of(schemas))),
            false => union_of(schemas),
        };
        let mut m = Merge {
            members,
            text,
            schema,
            cursors: Vec::new(),
            live: Vec::new(),
            heap: Vec::new(),
        };
        for run in runs {
            let reader = match run.source {
                Source::Memory(b) => Reader::Memory(b, 0),
                Source::File(p) => {
                    let f = std::fs::File::open(&p).map_err(|e| Error::io(&p, e))?;
                    Reader::File(StreamReader::try_new(BufReader::new(f), None)?)
                }
                Source::Staged(files, locs) => {
                    Reader::Staged(Box::new(StagedReader::new(&run.schema, files, locs)))
                }
            };
            m.cursors.push(Cursor {
                reader,
                slot: 0,
                row: 0,
                len: 0,
                done: false,
            });
            let c = m.cursors.len() - 1;
            if m.load(c)? {
                m.push_heap(c);
            }
        }
        Ok(m)
    }

    pub fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Load the cursor's next non-empty batch; false when the run is done.
    fn load(&mut self, c: usize) -> Result<bool> {
        loop {
            let next = match &mut self.cursors[c].reader {
                Reader::Memory(b, off) => {
                    if *off >= b.num_rows() {
                        None
                    } else {
                        let n = READ_BATCH.min(b.num_rows() - *off);
                        let s = b.slice(*off, n);
                        *off += n;
                        Some(s)
                    }
                }
                Reader::File(r) => r.next().transpose()?,
                Reader::Staged(r) => r.next()?,
            };
            let Some(b) = next else {
                self.cursors[c].done = true;
                return Ok(false);
            };
            if b.num_rows() == 0 {
                continue;
            }
            let b = match self.text {
                true => {
                    let text = Arc::new(super::coded::text_schema(&b.schema()));
                    super::coded::decode(b, &text)?
                }
                false => b,
            };
            let b = conform(&b, &self.schema)?;
            let keys = Keys::of(&b, self.members)?;
            let cur = &mut self.cursors[c];
            cur.len = b.num_rows();
            cur.row = 0;
            cur.slot = self.live.len();
            self.live.push((b, keys));
            return Ok(true);
        }
    }

    fn key(&self, c: usize) -> (i64, &str, Option<&str>) {
        let cur = &self.cursors[c];
        self.live[cur.slot].1.at(cur.row)
    }

    fn less(&self, a: usize, b: usize) -> bool {
        // Ties go to the earlier run: runs are cut in reading order.
        match key_cmp(self.key(a), self.key(b)) {
            Ordering::Less => true,
            Ordering::Equal => a < b,
            Ordering::Greater => false,
        }
    }

    fn push_heap(&mut self, c: usize) {
        self.heap.push(c);
        let mut i = self.heap.len() - 1;
        while i > 0 {
            let p = (i - 1) / 2;
            if self.less(self.heap[i], self.heap[p]) {
                self.heap.swap(i, p);
                i = p;
            } else {
                break;
            }
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        let n = self.heap.len();
        loop {
            let (l, r) = (2 * i + 1, 2 * i + 2);
            let mut m = i;
            if l < n && self.less(self.heap[l], self.heap[m]) {
                m = l;
            }
            if r < n && self.less(self.heap[r], self.heap[m]) {
                m = r;
            }
            if m == i {
                return;
            }
            self.heap.swap(i, m);
            i = m;
        }
    }

    /// The key of a picked row.
    pub fn key_of(&self, p: Pick) -> (i64, &str, Option<&str>) {
        self.live[p.slot].1.at(p.row)
    }

    /// Where a picked row was read: (input table, row).
    pub fn loc_of(&self, p: Pick) -> (u32, u64) {
        let b = &self.live[p.slot].0;
        let n = b.num_columns();
        let t = b
            .column(n - 2)
            .as_primitive::<arrow_array::types::UInt32Type>();
        let r = b
            .column(n - 1)
            .as_primitive::<arrow_array::types::UInt64Type>();
        (t.value(p.row), r.value(p.row))
    }

    pub fn pop(&mut self) -> Result<Option<Pick>> {
        let Some(&c) = self.heap.first() else {
            return Ok(None);
        };
        let cur = &self.cursors[c];
        let pick = Pick {
            slot: cur.slot,
            row: cur.row,
        };
        let cur = &mut self.cursors[c];
        cur.row += 1;
        let more = cur.row < cur.len || self.load(c)?;
        if more {
            self.sift_down(0);
        } else {
            let last = self.heap.len() - 1;
            self.heap.swap(0, last);
            self.heap.pop();
            self.sift_down(0);
        }
        Ok(Some(pick))
    }

    /// The key at the front of the merge, if any.
    pub fn peek_key(&self) -> Option<(i64, &str, Option<&str>)> {
        self.heap.first().map(|&c| self.key(c))
    }

    /// Every row with the next key (in reading order), or none at the end.
    pub fn group(&mut self, out: &mut Vec<Pick>) -> Result<bool> {
        out.clear();
        let Some(first) = self.pop()? else {
            return Ok(false);
        };
        out.push(first);
        while let Some(&c) = self.heap.first() {
            if key_cmp(self.key(c), self.key_of(first)) != Ordering::Equal {
                break;
            }
            if let Some(p) = self.pop()? {
                out.push(p);
            }
        }
        Ok(true)
    }

    /// Gather picked rows into one batch, without the location columns.
    pub fn take(&self, picks: &[Pick]) -> Result<RecordBatch> {
        let b = self.take_with_locs(picks)?;
        let keep: Vec<usize> = (0..b.num_columns() - 2).collect();
        Ok(b.project(&keep)?)
    }

    /// The picked rows: stretches of neighbouring rows of a batch (most of
    /// them, when the input came in order) as slices of it, joined; picks
    /// scattered over many batches gathered row by row.
    fn take_with_locs(&self, picks: &[Pick]) -> Result<RecordBatch> {
        let mut stretches: Vec<(usize, usize, usize)> = Vec::new();
        for p in picks {
            match stretches.last_mut() {
                Some((slot, from, n)) if *slot == p.slot && *from + *n == p.row => *n += 1,
                _ => stretches.push((p.slot, p.row, 1)),
            }
        }
        if stretches.len() * 64 <= picks.len() {
            let slices: Vec<RecordBatch> = (stretches.iter())
                .map(|&(slot, from, n)| self.live[slot].0.slice(from, n))
                .collect();
            return match slices.as_slice() {
                [one] => Ok(one.clone()),
                _ => Ok(arrow_select::concat::concat_batches(&self.schema, &slices)?),
            };
        }
        let batches: Vec<&RecordBatch> = self.live.iter().map(|(b, _)| b).collect();
        let idx: Vec<(usize, usize)> = picks.iter().map(|p| (p.slot, p.row)).collect();
        Ok(arrow_select::interleave::interleave_record_batch(
            &batches, &idx,
        )?)
    }

    /// Forget batches no cursor is on. Every earlier `Pick` becomes invalid.
    pub fn compact(&mut self) {
        let mut live = Vec::with_capacity(self.cursors.len());
        for cur in &mut self.cursors {
            if !cur.done {
                live.push(self.live[cur.slot].clone());
                cur.slot = live.len() - 1;
            }
        }
        self.live = live;
    }

    /// Batches held besides the ones the cursors are on (kept for picks).
    pub fn kept_batches(&self) -> usize {
        let on = self.cursors.iter().filter(|c| !c.done).count();
        self.live.len().saturating_sub(on)
    }
}

/// Merge runs into fewer, longer runs until at most `fan_in` are left, so
/// the final merge never holds more files open than that.
pub fn reduce(
    mut runs: Vec<Run>,
    members: bool,
    fan_in: usize,
    spill: &mut Option<SpillDir>,
    root: &Path,
) -> Result<Vec<Run>> {
    let fan_in = fan_in.max(2);
    while runs.len() > fan_in {
        let rest = runs.split_off(fan_in);
        let mut merge = Merge::new(runs, members)?;
        if spill.is_none() {
            *spill = Some(SpillDir::new(root, "merge")?);
        }
        let dir = spill.as_mut().expect("created above");
        let mut w = dir.create(merge.schema())?;
        let mut picks = Vec::new();
        while let Some(p) = merge.pop()? {
            picks.push(p);
            if picks.len() >= READ_BATCH * 4 {
                w.write(&merge.take_with_locs(&picks)?)?;
                picks.clear();
                merge.compact();
            }
        }
        if !picks.is_empty() {
            w.write(&merge.take_with_locs(&picks)?)?;
        }
        runs = rest;
        runs.push(w.finish()?);
    }
    Ok(runs)
}

/// The output schema of a merge: the union schema without the location columns.
pub fn output_schema(schema: &SchemaRef) -> SchemaRef {
    let n = schema.fields().len();
    let fields: Vec<_> = schema.fields().iter().take(n - 2).cloned().collect();
    Arc::new(super::coded::text_schema(&Schema::new(fields)))
}

#[cfg(test)]
#[path = "spill_tests.rs"]
mod tests;
