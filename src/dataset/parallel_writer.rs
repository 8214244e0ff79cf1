//! A Parquet file written as `ArrowWriter` writes it (its schema, its
//! metadata, row groups cut at the same rows), each batch's columns encoded
//! side by side, a rayon task a column: a column writer sees the same
//! slices as in `ArrowWriter`, so the files are the same bytes.

use super::writer_properties;
use crate::error::Result;
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::arrow_writer::{
    compute_leaves, ArrowColumnWriter, ArrowLeafColumn, ArrowRowGroupWriterFactory,
};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use rayon::prelude::*;
use std::io::Write;

/// One Parquet file written as `ArrowWriter` writes it (its schema, its
/// metadata, row groups cut at the same rows), its columns encoded in
/// parallel.
pub struct ParallelWriter<W: Write + Send> {
    file: SerializedFileWriter<W>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    /// The column writers of the row group in progress, a leaf each.
    columns: Option<Vec<ArrowColumnWriter>>,
    buffered: usize,
    max_rows: usize,
    row_groups: usize,
}

impl<W: Write + Send> ParallelWriter<W> {
    /// A file with the dataset's writer properties.
    pub fn try_new(file: W, schema: SchemaRef) -> Result<Self> {
        Self::with_properties(file, schema, writer_properties())
    }

    pub fn with_properties(file: W, schema: SchemaRef, props: WriterProperties) -> Result<Self> {
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

    /// The file's schema.
    pub fn schema(&self) -> &SchemaRef {
        &self.schema
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

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{ArrayRef, Int64Array};
    use arrow_schema::{DataType, Field, Schema};
    use std::fs::File;
    use std::sync::Arc;

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
}
