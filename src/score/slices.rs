//! A survey year read in slices of households with their members, so
//! scoring holds one slice in memory however large the year. Members are
//! stored in household order with their household's row index, so each
//! slice's members are the next run of member rows.

use super::reads::Reads;
use crate::dataset::HH_INDEX;
use crate::error::{Error, Result};
use crate::schema::TableKind;
use arrow_array::cast::AsArray;
use arrow_array::types::UInt32Type;
use arrow_array::{Array, ArrayRef, RecordBatch, RecordBatchReader, UInt32Array};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReader,
    ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use std::path::Path;
use std::sync::Arc;

/// Households per slice: a whole number of scoring chunks, so chunk
/// boundaries, and so the output, are those of scoring the year at once.
pub const SLICE: usize = super::CHUNK * 32;

/// Slices decoded and scored per `SLICE` written: smaller slices keep the
/// three stages of the pipeline busier and the memory they touch smaller,
/// and the writer joins them back into `SLICE`s, as the Parquet writer's
/// pages depend on the rows it is given per call.
const PARTS: usize = 4;

/// A builder of readers of the file, given its checked footer (checked
/// once per file: the check walks every page header).
fn builder(
    path: &Path,
    meta: &ArrowReaderMetadata,
) -> Result<ParquetRecordBatchReaderBuilder<std::fs::File>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    Ok(ParquetRecordBatchReaderBuilder::new_with_metadata(
        f,
        meta.clone(),
    ))
}

/// A reader of the file's columns named `keep` in batches, and the file's row count.
fn open(
    path: &Path,
    meta: &ArrowReaderMetadata,
    batch: usize,
    keep: &dyn Fn(&str) -> bool,
) -> Result<(Batches, u64)> {
    let b = builder(path, meta)?;
    let rows = b.metadata().file_metadata().num_rows().max(0) as u64;
    // Top-level fields are the Parquet schema's roots, in the same order.
    let roots: Vec<usize> = (b.schema().fields().iter().enumerate())
        .filter(|(_, f)| keep(f.name()))
        .map(|(i, _)| i)
        .collect();
    let mask = ProjectionMask::roots(b.parquet_schema(), roots);
    let b = b.with_projection(mask);
    let reader =
        (b.with_batch_size(batch).build()).map_err(|e| crate::dataset::reading(path)(e.into()))?;
    Ok((Batches::new(path, reader), rows))
}

/// The checked footer with the text columns `reads` reads dictionary-coded
/// (`Reads::coded`) typed as dictionaries, so they decode to their
/// dictionary pages' values and a key per row.
fn coded(
    path: &Path,
    meta: &ArrowReaderMetadata,
    reads: &Reads,
    table: TableKind,
) -> Result<ArrowReaderMetadata> {
    let schema = meta.schema();
    let recode = |f: &arrow_schema::FieldRef| {
        f.data_type() == &DataType::Utf8 && reads.coded(table, f.name())
    };
    if !schema.fields().iter().any(recode) {
        return Ok(meta.clone());
    }
    let fields: Vec<arrow_schema::FieldRef> = (schema.fields().iter())
        .map(|f| match recode(f) {
            true => Arc::new(f.as_ref().clone().with_data_type(DataType::Dictionary(
                Box::new(DataType::Int32),
                Box::new(DataType::Utf8),
            ))),
            false => f.clone(),
        })
        .collect();
    let schema = arrow_schema::Schema::new_with_metadata(fields, schema.metadata().clone());
    let options = ArrowReaderOptions::new().with_schema(Arc::new(schema));
    ArrowReaderMetadata::try_new(meta.metadata().clone(), options)
        .map_err(|e| crate::dataset::reading(path)(e.into()))
}

/// Batches of a checked file, each decoded under the guard that names the
/// file should the decoder fail on damage the checks could not foresee.
struct Batches {
    path: std::path::PathBuf,
    reader: ParquetRecordBatchReader,
}

impl Batches {
    fn new(path: &Path, reader: ParquetRecordBatchReader) -> Self {
        Batches {
            path: path.to_path_buf(),
            reader,
        }
    }

    fn schema(&self) -> arrow_schema::SchemaRef {
        self.reader.schema()
    }

    fn next(&mut self) -> Result<Option<RecordBatch>> {
        let path = &self.path;
        let reader = &mut self.reader;
        crate::panics::guard(path, crate::dataset::rewrite_advice(path), || {
            (reader.next().transpose()).map_err(|e| crate::dataset::reading(path)(e.into()))
        })
    }
}

/// Whether any row of the file has a value in one of `columns` (absent
/// columns count as empty): only those columns are read. Scoring asks it of
/// the design columns (weight, stratum, PSU: is the year a sample?) and of a
/// review-form score column the standard does not read.
fn any_filled(path: &Path, meta: &ArrowReaderMetadata, columns: &[&str]) -> Result<bool> {
    let b = builder(path, meta)?;
    let schema = b.schema().clone();
    let roots: Vec<usize> = columns
        .iter()
        .filter_map(|c| schema.index_of(c).ok())
        .collect();
    if roots.is_empty() {
        return Ok(false);
    }
    let mask = ProjectionMask::roots(b.parquet_schema(), roots);
    let reader = (b.with_projection(mask).with_batch_size(1 << 16).build())
        .map_err(|e| crate::dataset::reading(path)(e.into()))?;
    let mut batches = Batches::new(path, reader);
    while let Some(batch) = batches.next()? {
        if batch.columns().iter().any(|a| a.null_count() < a.len()) {
            return Ok(true);
        }
    }
    Ok(false)
}

pub struct Slices {
    hh_path: std::path::PathBuf,
    hh_meta: ArrowReaderMetadata,
    households: Batches,
    members: Batches,
    /// Household rows read but not yet sliced, and member rows not yet given out.
    hh_buf: Vec<RecordBatch>,
    mem_buf: Vec<RecordBatch>,
    hh_schema: arrow_schema::SchemaRef,
    mem_schema: arrow_schema::SchemaRef,
    /// Row index of the next slice's first household.
    start: usize,
    slice: usize,
    /// Slices joined into one batch for the writer (`PARTS`, or 1).
    group: usize,
    total: u64,
    hh_done: bool,
    mem_done: bool,
}

fn rows(b: &[RecordBatch]) -> usize {
    b.iter().map(RecordBatch::num_rows).sum()
}

impl Slices {
    /// `slice`: households per slice (`SLICE` when `None`); only the
    /// columns scoring `reads` are decoded.
    pub fn open(
        households: &Path,
        members: &Path,
        slice: Option<usize>,
        reads: &Reads,
    ) -> Result<Self> {
        let (slice, group) = match slice {
            Some(s) => (s.max(1), 1),
            None => (SLICE / PARTS, PARTS),
        };
        let hh_meta = crate::dataset::parquet_footer(households)?;
        let keep_hh = |c: &str| reads.reads(TableKind::Households, c);
        let coded_hh = coded(households, &hh_meta, reads, TableKind::Households)?;
        let (h, total) = open(households, &coded_hh, slice, &keep_hh)?;
        let keep_mem = |c: &str| reads.reads(TableKind::Members, c);
        let mem_meta = crate::dataset::parquet_footer(members)?;
        let mem_meta = coded(members, &mem_meta, reads, TableKind::Members)?;
        let (m, _) = open(members, &mem_meta, 1 << 16, &keep_mem)?;
        Ok(Slices {
            hh_path: households.to_path_buf(),
            hh_meta,
            hh_schema: h.schema(),
            mem_schema: m.schema(),
            households: h,
            members: m,
            hh_buf: Vec::new(),
            mem_buf: Vec::new(),
            start: 0,
            slice,
            group,
            total,
            hh_done: false,
            mem_done: false,
        })
    }

    /// Whether any household has a value in one of `columns` (see
    /// [`any_filled`]), read from the file already checked.
    pub fn households_filled(&self, columns: &[&str]) -> Result<bool> {
        any_filled(&self.hh_path, &self.hh_meta, columns)
    }

    /// Slices the writer joins into one batch, so it writes the batches
    /// slices of `SLICE` households would give.
    pub fn group(&self) -> usize {
        self.group
    }

    /// Households in the year.
    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn household_schema(&self) -> &arrow_schema::SchemaRef {
        &self.hh_schema
    }

    pub fn empty_households(&self) -> RecordBatch {
        RecordBatch::new_empty(self.hh_schema.clone())
    }

    pub fn empty_members(&self) -> RecordBatch {
        RecordBatch::new_empty(self.mem_schema.clone())
    }

    /// The next `slice` households (fewer at the end) and their members, with
    /// `hh_index` counted from the slice's first household.
    pub fn next_slice(&mut self) -> Result<Option<(RecordBatch, RecordBatch)>> {
        while !self.hh_done && rows(&self.hh_buf) < self.slice {
            match self.households.next()? {
                Some(b) => self.hh_buf.push(b),
                None => self.hh_done = true,
            }
        }
        let all = concat(&self.hh_schema, std::mem::take(&mut self.hh_buf))?;
        if all.num_rows() == 0 {
            return Ok(None);
        }
        let n = all.num_rows().min(self.slice);
        let hh = all.slice(0, n);
        if all.num_rows() > n {
            self.hh_buf.push(all.slice(n, all.num_rows() - n));
        }
        let (start, end) = (self.start, self.start + n);
        self.start = end;
        let members = self.members_before(end)?;
        Ok(Some((hh, rebase(&members, start)?)))
    }

    /// Member rows whose household index is below `end`.
    fn members_before(&mut self, end: usize) -> Result<RecordBatch> {
        let mut out = Vec::new();
        loop {
            if self.mem_buf.is_empty() {
                if self.mem_done {
                    break;
                }
                match self.members.next()? {
                    Some(b) => self.mem_buf.push(b),
                    None => {
                        self.mem_done = true;
                        break;
                    }
                }
            }
            let b = self.mem_buf.remove(0);
            let idx = hh_index(&b)?;
            // Members are in household order: split at the first index >= end.
            let cut = idx.values().partition_point(|&h| (h as usize) < end);
            out.push(b.slice(0, cut));
            if cut < b.num_rows() {
                self.mem_buf.insert(0, b.slice(cut, b.num_rows() - cut));
                break;
            }
        }
        concat(&self.mem_schema, out)
    }
}

/// One batch of all rows; a single batch is passed on without a copy.
pub(super) fn concat(
    schema: &arrow_schema::SchemaRef,
    mut batches: Vec<RecordBatch>,
) -> Result<RecordBatch> {
    if batches.len() == 1 {
        return Ok(batches.remove(0));
    }
    Ok(arrow_select::concat::concat_batches(schema, &batches)?)
}

fn hh_index(b: &RecordBatch) -> Result<&UInt32Array> {
    b.column_by_name(HH_INDEX)
        .and_then(|a| a.as_primitive_opt::<UInt32Type>())
        .ok_or_else(|| {
            Error::Usage("members dataset has no hh_index column; re-run `dachieu ingest`".into())
        })
}

/// Count `hh_index` from the slice's first household.
fn rebase(members: &RecordBatch, start: usize) -> Result<RecordBatch> {
    if start == 0 || members.num_rows() == 0 {
        return Ok(members.clone());
    }
    let i = members
        .schema()
        .index_of(HH_INDEX)
        .map_err(|_| Error::Usage("members dataset has no hh_index column".into()))?;
    let old = hh_index(members)?;
    let new: UInt32Array = old
        .values()
        .iter()
        .map(|&h| h.checked_sub(start as u32))
        .collect();
    if new.null_count() > 0 {
        return Err(Error::Usage(
            "members dataset is not in household order; re-run `dachieu ingest`".into(),
        ));
    }
    let mut cols: Vec<ArrayRef> = members.columns().to_vec();
    cols[i] = Arc::new(new);
    Ok(RecordBatch::try_new(members.schema(), cols)?)
}
