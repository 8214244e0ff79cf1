//! Parquet encoding on a thread of its own: the merge hands each batch of
//! picked rows over and goes on picking, so merging and encoding share the
//! cores. Each file receives its batches in the order they were handed
//! over, and each batch's columns are encoded side by side (a rayon task a
//! column): a column writer sees the same slices as in `ArrowWriter`, so the
//! files are the same bytes as when written by it in line.

use crate::dataset;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_writer::{
    compute_leaves, ArrowColumnWriter, ArrowLeafColumn, ArrowRowGroupWriterFactory,
};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fs::File;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

/// A batch for the Parquet file at a path (created with the schema on first use).
type Job = (PathBuf, SchemaRef, RecordBatch);

/// Batches waiting for the encoder: enough to keep it busy, few enough to
/// keep memory bounded.
const QUEUED: usize = 2;

/// One Parquet file written as `ArrowWriter` writes it (its schema, its
/// metadata, row groups cut at the same rows), its columns encoded in
/// parallel.
pub struct ParallelWriter {
    file: SerializedFileWriter<File>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    /// The column writers of the row group in progress, a leaf each.
    columns: Option<Vec<ArrowColumnWriter>>,
    buffered: usize,
    max_rows: usize,
    row_groups: usize,
}

impl ParallelWriter {
    pub fn try_new(file: File, schema: SchemaRef) -> Result<Self> {
        Self::with_properties(file, schema, dataset::writer_properties())
    }

    fn with_properties(file: File, schema: SchemaRef, props: WriterProperties) -> Result<Self> {
        // A byte limit per row group would cut row groups where `ArrowWriter`'s
        // estimate says so; the dataset's properties set none.
        debug_assert!(props.max_row_group_bytes().is_none());
        let max_rows = props.max_row_group_row_count().unwrap_or(usize::MAX).max(1);
        // `ArrowWriter` with nothing written yet: its file writer (the
        // schema, the Arrow schema in the metadata) and its column factory.
        let (file, factory) =
            ArrowWriter::try_new(file, schema.clone(), Some(props))?.into_serialized_writer()?;
        Ok(ParallelWriter {
            file,
            factory,
            schema,
            columns: None,
            buffered: 0,
            max_rows,
            row_groups: 0,
        })
    }

    /// Append rows, cutting row groups at `max_rows` as `ArrowWriter::write` does.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let mut rest = batch.clone();
        while rest.num_rows() > 0 {
            let room = self.max_rows - self.buffered;
            let now = rest.slice(0, room.min(rest.num_rows()));
            rest = rest.slice(now.num_rows(), rest.num_rows() - now.num_rows());
            self.encode(&now)?;
            if self.buffered >= self.max_rows {
                self.flush()?;
            }
        }
        Ok(())
    }

    /// Encode a slice into the row group in progress, a column per task.
    fn encode(&mut self, batch: &RecordBatch) -> Result<()> {
        if self.columns.is_none() {
            self.columns = Some(self.factory.create_column_writers(self.row_groups)?);
        }
        let mut leaves: Vec<ArrowLeafColumn> = Vec::with_capacity(batch.num_columns());
        for (field, column) in self.schema.fields().iter().zip(batch.columns()) {
            leaves.extend(compute_leaves(field, column)?);
        }
        let columns = self.columns.as_mut().expect("created above");
        (columns.par_iter_mut())
            .zip(leaves.par_iter())
            .try_for_each(|(w, leaf)| w.write(leaf))?;
        self.buffered += batch.num_rows();
        Ok(())
    }

    /// Close the row group in progress: its chunks, in column order.
    fn flush(&mut self) -> Result<()> {
        let Some(columns) = self.columns.take() else {
            return Ok(());
        };
        let chunks = (columns.into_par_iter())
            .map(|w| w.close())
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let mut rg = self.file.next_row_group()?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut rg)?;
        }
        rg.close()?;
        self.row_groups += 1;
        self.buffered = 0;
        Ok(())
    }

    pub fn close(mut self) -> Result<()> {
        self.flush()?;
        self.file.close()?;
        Ok(())
    }
}

pub struct Encoder {
    tx: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl Encoder {
    pub fn new() -> Self {
        let (tx, rx) = sync_channel::<Job>(QUEUED);
        let thread = std::thread::spawn(move || {
            let mut files: BTreeMap<PathBuf, ParallelWriter> = BTreeMap::new();
            for (path, schema, batch) in rx {
                let w = match files.entry(path) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        let f = File::create(e.key()).map_err(|err| Error::io(e.key(), err))?;
                        e.insert(ParallelWriter::try_new(f, schema)?)
                    }
                };
                w.write(&batch)?;
            }
            for w in files.into_values() {
                w.close()?;
            }
            Ok(())
        });
        Encoder {
            tx: Some(tx),
            thread: Some(thread),
        }
    }

    /// Append `batch` to the Parquet file `path`.
    pub fn write(&mut self, path: PathBuf, schema: SchemaRef, batch: RecordBatch) -> Result<()> {
        let sent = (self.tx.as_ref()).is_some_and(|tx| tx.send((path, schema, batch)).is_ok());
        if sent {
            return Ok(());
        }
        // The encoder stopped early: only an error stops it.
        self.finish()?;
        Err(Error::Usage("the Parquet encoder stopped".into()))
    }

    /// Close every file; the first error of any write.
    pub fn finish(&mut self) -> Result<()> {
        drop(self.tx.take());
        match self.thread.take() {
            Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            None => Ok(()),
        }
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;

    fn batch(n: i64) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Int64, false)]));
        let col: ArrayRef = Arc::new(Int64Array::from_iter_values(0..n));
        RecordBatch::try_new(schema, vec![col]).unwrap()
    }

    #[test]
    fn batches_reach_their_files_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
        let mut e = Encoder::new();
        for n in [3, 1, 4, 1, 5] {
            let b1 = batch(n);
            e.write(a.clone(), b1.schema(), b1.clone()).unwrap();
            e.write(b.clone(), b1.schema(), batch(2 * n)).unwrap();
        }
        e.finish().unwrap();
        let read = |p: &PathBuf| -> Vec<i64> {
            let f = File::open(p).unwrap();
            let r =
                parquet::arrow::arrow_reader::ParquetRecordBatchReader::try_new(f, 1024).unwrap();
            r.flat_map(|b| {
                let b = b.unwrap();
                let c = b
                    .column(0)
                    .as_any()
                    .downcast_ref::<Int64Array>()
                    .unwrap()
                    .clone();
                c.values().to_vec()
            })
            .collect()
        };
        let want = |k: i64| -> Vec<i64> { [3, 1, 4, 1, 5].iter().flat_map(|n| 0..k * n).collect() };
        assert_eq!(read(&a), want(1));
        assert_eq!(read(&b), want(2));
    }

    /// Batches of every size, strings with repeats (dictionary pages) and
    /// nulls, over several row groups: the same bytes as `ArrowWriter`.
    #[test]
    fn parallel_columns_write_the_bytes_arrow_writer_writes() {
        use arrow_array::{BooleanArray, Float64Array, StringArray};
        let schema = Arc::new(Schema::new(vec![
            Field::new("i", DataType::Int64, false),
            Field::new("s", DataType::Utf8, true),
            Field::new("b", DataType::Boolean, true),
            Field::new("f", DataType::Float64, true),
            Field::new("u", DataType::Utf8, true),
        ]));
        let batch = |from: i64, n: i64| {
            let r = from..from + n;
            let cols: Vec<ArrayRef> = vec![
                Arc::new(Int64Array::from_iter_values(r.clone())),
                Arc::new(StringArray::from_iter(
                    r.clone()
                        .map(|i| (i % 7 != 0).then(|| format!("h{}", i % 50))),
                )),
                Arc::new(BooleanArray::from_iter(
                    r.clone().map(|i| (i % 5 != 0).then_some(i % 3 == 0)),
                )),
                Arc::new(Float64Array::from_iter(
                    r.clone().map(|i| (i % 11 != 0).then_some(i as f64 / 3.0)),
                )),
                Arc::new(StringArray::from_iter(
                    r.map(|i| Some(format!("{}", i * 7919))),
                )),
            ];
            RecordBatch::try_new(schema.clone(), cols).unwrap()
        };
        let props = || {
            let zstd = parquet::basic::ZstdLevel::try_new(1).unwrap();
            WriterProperties::builder()
                .set_compression(parquet::basic::Compression::ZSTD(zstd))
                .set_max_row_group_row_count(Some(1000))
                .set_data_page_row_count_limit(300)
                .build()
        };
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.parquet"), dir.path().join("b.parquet"));
        let mut old =
            ArrowWriter::try_new(File::create(&a).unwrap(), schema.clone(), Some(props())).unwrap();
        let mut new =
            ParallelWriter::with_properties(File::create(&b).unwrap(), schema.clone(), props())
                .unwrap();
        let mut from = 0;
        for n in [1, 999, 1, 2500, 0, 17, 1000, 3, 4000, 480] {
            let x = batch(from, n);
            old.write(&x).unwrap();
            new.write(&x).unwrap();
            from += n;
        }
        old.close().unwrap();
        new.close().unwrap();
        let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
        assert!(a.len() > 10_000);
        assert!(
            a == b,
            "the files differ ({} and {} bytes)",
            a.len(),
            b.len()
        );
    }

    #[test]
    fn a_write_that_fails_is_reported_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("no-such-folder").join("households.parquet");
        let mut e = Encoder::new();
        let b = batch(10);
        // The encoder may take a batch or two before it fails; a later write
        // or the finish reports the failure.
        let r = (0..10)
            .try_for_each(|_| e.write(bad.clone(), b.schema(), b.clone()))
            .and_then(|_| e.finish());
        let msg = r.expect_err("the write must fail").to_string();
        assert!(msg.contains("no-such-folder"), "{msg}");
    }
}
