//! Rows a direct writer staged (`direct`), read back as a run when the
//! merge must settle their keys after all: the staged Parquet files, a year
//! after the other, with where each row was read (`LocRanges`).

use super::spill::PREFIX_BATCH;
use super::stream::Loc;
use crate::error::{Error, Result};
use arrow_array::{RecordBatch, UInt32Array, UInt64Array};
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ProjectionMask;
use std::path::PathBuf;
use std::sync::Arc;

/// Where the rows of the staged files were read: stretches of rows read
/// one after another, by the staged row they start at.
#[derive(Default)]
pub struct LocRanges {
    starts: Vec<(u64, Loc)>,
    rows: u64,
}

impl LocRanges {
    pub fn push(&mut self, loc: Loc) {
        let next = self.starts.last().map(|&(at, l)| Loc {
            table: l.table,
            row: l.row + (self.rows - at),
        });
        if next != Some(loc) {
            self.starts.push((self.rows, loc));
        }
        self.rows += 1;
    }

    /// Where the staged rows `from..from + n` were read.
    pub fn slice(&self, from: u64, n: usize) -> (Vec<u32>, Vec<u64>) {
        let mut tables = Vec::with_capacity(n);
        let mut rows = Vec::with_capacity(n);
        let mut i = self.starts.partition_point(|&(at, _)| at <= from) - 1;
        for o in from..from + n as u64 {
            while i + 1 < self.starts.len() && self.starts[i + 1].0 <= o {
                i += 1;
            }
            let (at, l) = self.starts[i];
            tables.push(l.table);
            rows.push(l.row + (o - at));
        }
        (tables, rows)
    }
}

/// Reads staged Parquet files back as a run: the files' columns but
/// `hh_index`, and the location columns from `locs`.
pub struct StagedReader {
    files: std::vec::IntoIter<PathBuf>,
    reader: Option<ParquetRecordBatchReader>,
    locs: LocRanges,
    at: u64,
    schema: SchemaRef,
}

impl StagedReader {
    /// The rows of `files`, written from batches of `schema` (with the
    /// location columns), read back in its text schema.
    pub fn new(schema: &SchemaRef, files: Vec<PathBuf>, locs: LocRanges) -> Self {
        StagedReader {
            files: files.into_iter(),
            reader: None,
            locs,
            at: 0,
            schema: Arc::new(super::coded::text_schema(schema)),
        }
    }

    pub fn next(&mut self) -> Result<Option<RecordBatch>> {
        loop {
            if let Some(r) = self.reader.as_mut() {
                if let Some(b) = r.next().transpose()? {
                    let n = b.num_rows();
                    let (tables, rows) = self.locs.slice(self.at, n);
                    self.at += n as u64;
                    let mut cols = b.columns().to_vec();
                    cols.push(Arc::new(UInt32Array::from(tables)));
                    cols.push(Arc::new(UInt64Array::from(rows)));
                    return Ok(Some(RecordBatch::try_new(self.schema.clone(), cols)?));
                }
            }
            let Some(path) = self.files.next() else {
                return Ok(None);
            };
            let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
            let builder = ParquetRecordBatchReaderBuilder::try_new(f)?;
            let keep: Vec<usize> = (builder.schema().fields().iter().enumerate())
                .filter(|(_, f)| f.name() != crate::dataset::HH_INDEX)
                .map(|(i, _)| i)
                .collect();
            let mask = ProjectionMask::roots(builder.parquet_schema(), keep);
            let reader = builder
                .with_projection(mask)
                .with_batch_size(PREFIX_BATCH)
                .build()?;
            self.reader = Some(reader);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_come_back_across_gaps_and_tables() {
        let locs: Vec<Loc> = [
            (0, 2),
            (0, 3),
            (0, 4),
            (0, 7),
            (0, 8),
            (1, 2),
            (1, 3),
            (2, 9),
        ]
        .iter()
        .map(|&(table, row)| Loc { table, row })
        .collect();
        let mut r = LocRanges::default();
        for l in &locs {
            r.push(*l);
        }
        assert_eq!(
            r.starts.len(),
            4,
            "one stretch per run of neighbouring rows"
        );
        for from in 0..locs.len() {
            for n in 0..=locs.len() - from {
                let (tables, rows) = r.slice(from as u64, n);
                let want = &locs[from..from + n];
                assert_eq!(tables, want.iter().map(|l| l.table).collect::<Vec<_>>());
                assert_eq!(rows, want.iter().map(|l| l.row).collect::<Vec<_>>());
            }
        }
    }
}
