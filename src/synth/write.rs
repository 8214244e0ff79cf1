//! Encoding blocks of rows (in the worker threads) and writing them in order
//! (in one writer thread): CSV as plain bytes, Parquet as Arrow record
//! batches through the same writer settings as the dataset.

use super::record::*;
use crate::error::{Error, Result};
use crate::schema::{ColumnSpec, MEMBER_COLUMNS};
use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::schema::types::ColumnPath;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Parquet,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

/// One block's rows, encoded.
pub enum Chunk {
    Csv(Vec<u8>),
    Arrow(RecordBatch),
}

/// The columns written: all of the contract, the design ones only for a sample.
fn written(columns: &'static [ColumnSpec], households: bool, sample: bool) -> Vec<usize> {
    (0..columns.len())
        .filter(|&i| !households || household_written(i, sample))
        .collect()
}

enum Col {
    Int(Int64Builder),
    Float(Float64Builder),
    Bool(BooleanBuilder),
    Text(StringBuilder),
}

/// Encodes one table of one block.
pub struct Encoder {
    cols: Vec<usize>,
    csv: Option<Vec<u8>>,
    arrow: Vec<Col>,
    specs: &'static [ColumnSpec],
    scratch: Vec<u8>,
}

impl Encoder {
    pub fn new(format: Format, households: bool, sample: bool, rows_hint: usize) -> Encoder {
        let specs = if households {
            household_specs()
        } else {
            MEMBER_COLUMNS
        };
        let cols = written(specs, households, sample);
        let (csv, arrow) = match format {
            Format::Csv => (
                Some(Vec::with_capacity(
                    rows_hint * if households { 160 } else { 100 },
                )),
                Vec::new(),
            ),
            Format::Parquet => (
                None,
                cols.iter()
                    .map(|&i| match arrow_type(&specs[i]) {
                        DataType::Int64 => Col::Int(Int64Builder::with_capacity(rows_hint)),
                        DataType::Float64 => Col::Float(Float64Builder::with_capacity(rows_hint)),
                        DataType::Boolean => Col::Bool(BooleanBuilder::with_capacity(rows_hint)),
                        _ => Col::Text(StringBuilder::with_capacity(rows_hint, rows_hint * 8)),
                    })
                    .collect(),
            ),
        };
        Encoder {
            cols,
            csv,
            arrow,
            specs,
            scratch: Vec::with_capacity(32),
        }
    }

    pub fn push(&mut self, row: &[Cell]) {
        if let Some(buf) = &mut self.csv {
            for (n, &i) in self.cols.iter().enumerate() {
                if n > 0 {
                    buf.push(b',');
                }
                push_cell(buf, &row[i]);
            }
            buf.push(b'\n');
            return;
        }
        for (col, &i) in self.arrow.iter_mut().zip(&self.cols) {
            let c = &row[i];
            match col {
                Col::Int(b) => match c {
                    Cell::Int(v) => b.append_value(*v),
                    _ => b.append_null(),
                },
                Col::Float(b) => match c {
                    Cell::Float(v) => b.append_value(*v),
                    Cell::Tenths(t) => b.append_value(*t as f64 / 10.0),
                    Cell::Int(v) => b.append_value(*v as f64),
                    _ => b.append_null(),
                },
                Col::Bool(b) => match c {
                    Cell::Bool(v) => b.append_value(*v),
                    _ => b.append_null(),
                },
                Col::Text(b) => {
                    if *c == Cell::Null {
                        b.append_null();
                    } else if let Cell::Str(s) = c {
                        b.append_value(s);
                    } else {
                        self.scratch.clear();
                        push_cell(&mut self.scratch, c);
                        // Cells are ASCII digits and codes, or &'static str from this crate.
                        b.append_value(std::str::from_utf8(&self.scratch).unwrap_or_default());
                    }
                }
            }
        }
    }

    pub fn finish(self) -> Result<Chunk> {
        if let Some(buf) = self.csv {
            return Ok(Chunk::Csv(buf));
        }
        let schema = schema(self.specs, &self.cols);
        let arrays: Vec<ArrayRef> = self
            .arrow
            .into_iter()
            .map(|c| -> ArrayRef {
                match c {
                    Col::Int(mut b) => Arc::new(b.finish()),
                    Col::Float(mut b) => Arc::new(b.finish()),
                    Col::Bool(mut b) => Arc::new(b.finish()),
                    Col::Text(mut b) => Arc::new(b.finish()),
                }
            })
            .collect();
        Ok(Chunk::Arrow(RecordBatch::try_new(schema, arrays)?))
    }
}

fn schema(specs: &'static [ColumnSpec], cols: &[usize]) -> SchemaRef {
    Arc::new(Schema::new(
        cols.iter()
            .map(|&i| Field::new(specs[i].name, arrow_type(&specs[i]), true))
            .collect::<Vec<_>>(),
    ))
}

enum Out {
    Csv(std::io::BufWriter<std::fs::File>),
    Parquet(Box<ArrowWriter<std::fs::File>>),
}

/// One output table being written to a temporary file, renamed into place
/// by `finish` (a reader never sees a half-written table).
pub struct TableFile {
    out: Out,
    tmp: PathBuf,
    path: PathBuf,
}

impl TableFile {
    pub fn create(
        path: &Path,
        format: Format,
        households: bool,
        sample: bool,
    ) -> Result<TableFile> {
        let tmp = crate::files::temp_sibling(path);
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let specs = if households {
            household_specs()
        } else {
            MEMBER_COLUMNS
        };
        let cols = written(specs, households, sample);
        let out = match format {
            Format::Csv => {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
                let header: Vec<&str> = cols.iter().map(|&i| specs[i].name).collect();
                writeln!(w, "{}", header.join(",")).map_err(|e| Error::io(&tmp, e))?;
                Out::Csv(w)
            }
            Format::Parquet => Out::Parquet(Box::new(ArrowWriter::try_new(
                file,
                schema(specs, &cols),
                Some(
                    crate::dataset::writer_properties()
                        .into_builder()
                        // Ids are (nearly) unique: a dictionary only costs time.
                        .set_column_dictionary_enabled(ColumnPath::from("household_id"), false)
                        .build(),
                ),
            )?)),
        };
        Ok(TableFile {
            out,
            tmp,
            path: path.to_path_buf(),
        })
    }

    pub fn write(&mut self, chunk: &Chunk) -> Result<()> {
        match (&mut self.out, chunk) {
            (Out::Csv(w), Chunk::Csv(b)) => w.write_all(b).map_err(|e| Error::io(&self.tmp, e)),
            (Out::Parquet(w), Chunk::Arrow(b)) => Ok(w.write(b)?),
            _ => Err(Error::Usage("internal: a block of the wrong format".into())),
        }
    }

    /// Close and move into place. Not synced to disk: the files are made
    /// again from the seed, and syncing gigabytes costs more than it saves.
    pub fn finish(self) -> Result<u64> {
        match self.out {
            Out::Csv(w) => {
                w.into_inner()
                    .map_err(|e| Error::io(&self.tmp, e.into_error()))?;
            }
            Out::Parquet(w) => {
                w.close()?;
            }
        }
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::io(&self.path, e))?;
        Ok(std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0))
    }

    /// Remove the temporary file after a failure.
    pub fn abandon(self) {
        drop(self.out);
        let _ = std::fs::remove_file(&self.tmp);
    }
}
