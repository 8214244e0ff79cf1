//! Parquet encoding on a thread of its own: the merge hands each batch of
//! picked rows over and goes on picking, so merging and encoding share the
//! cores. Each file receives its batches in the order they were handed
//! over, and each batch's columns are encoded side by side
//! ([`ParallelWriter`]).

use crate::dataset::ParallelWriter;
use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
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

pub struct Encoder {
    tx: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<Result<()>>>,
}

impl Encoder {
    pub fn new() -> Self {
        let (tx, rx) = sync_channel::<Job>(QUEUED);
        let thread = std::thread::spawn(move || {
            let mut files: BTreeMap<PathBuf, ParallelWriter<File>> = BTreeMap::new();
            for (path, schema, batch) in rx {
                let w = match files.entry(path) {
                    std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::btree_map::Entry::Vacant(e) => {
                        let f = File::create(e.key()).map_err(|err| Error::io(e.key(), err))?;
                        e.insert(ParallelWriter::try_new(f, schema)?)
                    }
                };
                w.write(&super::coded::decode(batch, w.schema())?)?;
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
