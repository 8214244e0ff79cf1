//! The on-disk dataset and scored output: where files live and how they are
//! read and written. Hive-style partitions (`survey_year=2020/`) of plain
//! Parquet, so DuckDB, Polars, R and pandas read them directly.

use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Members carry their household's row index within the year's households file.
pub const HH_INDEX: &str = "hh_index";
pub const HOUSEHOLDS_FILE: &str = "households.parquet";
pub const MEMBERS_FILE: &str = "members.parquet";
pub const SCORED_FILE: &str = "scored.parquet";

pub fn year_dir(root: &Path, year: i32) -> PathBuf {
    root.join(format!("survey_year={year}"))
}

/// Survey years present under `root`, ascending. Recovers any partition left
/// moved aside by an interrupted replace first.
pub fn years(root: &Path) -> Result<Vec<i32>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(root, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(root, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    for name in &names {
        if let Some(y) = name
            .strip_prefix(".old-survey_year=")
            .and_then(|y| y.parse::<i32>().ok())
        {
            crate::fsx::recover_dir(&year_dir(root, y))?;
            out.push(y);
        }
        if let Some(y) = name
            .strip_prefix("survey_year=")
            .and_then(|y| y.parse::<i32>().ok())
        {
            out.push(y);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).unwrap_or_default()))
        .set_max_row_group_row_count(Some(1 << 20))
        .set_created_by(format!("dachieu {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Write a file with a schema and no rows.
pub fn write_parquet_empty(path: &Path, schema: &arrow_schema::SchemaRef) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    ArrowWriter::try_new(file, schema.clone(), Some(writer_properties()))?.close()?;
    Ok(())
}

/// Write batches (all of one schema) to `path` (not atomically: callers write
/// into a staging location and rename).
pub fn write_parquet(path: &Path, batches: &[RecordBatch]) -> Result<()> {
    let Some(first) = batches.first() else {
        return Err(Error::Usage(format!(
            "nothing to write to {}",
            path.display()
        )));
    };
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = ArrowWriter::try_new(file, first.schema(), Some(writer_properties()))?;
    for b in batches {
        w.write(b)?;
    }
    w.close()?;
    Ok(())
}

/// The key-value metadata of a Parquet file's Arrow schema.
pub fn schema_metadata(path: &Path) -> Result<std::collections::HashMap<String, String>> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| reading(path)(e.into()))?;
    Ok(builder
        .schema()
        .metadata()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

/// Read a whole Parquet file into one batch, with the file's schema
/// (including its key-value metadata, which later stages rely on).
pub fn read_parquet(path: &Path) -> Result<RecordBatch> {
    read_parquet_without(path, &[])
}

/// One array from its pieces in order (the piece itself when alone).
fn join(parts: &[&arrow_array::ArrayRef]) -> Result<arrow_array::ArrayRef> {
    if let [one] = parts {
        return Ok((*one).clone());
    }
    let parts: Vec<&dyn arrow_array::Array> = parts.iter().map(|a| a.as_ref()).collect();
    Ok(arrow_select::concat::concat(&parts)?)
}

/// Name the file in a Parquet or Arrow error met while reading it.
fn reading(path: &Path) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Parquet(_) | Error::Arrow(_) => Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "cannot be read as Parquet ({e}); write it again with the dachieu step that made it"
            ),
        },
        other => other,
    }
}

/// Read a whole Parquet file into one batch, leaving out the named columns
/// (never decoded, so they cost no memory).
pub fn read_parquet_without(path: &Path, skip: &[&str]) -> Result<RecordBatch> {
    read_columns(path, skip).map_err(reading(path))
}

fn read_columns(path: &Path, skip: &[&str]) -> Result<RecordBatch> {
    use arrow_array::ArrayRef;
    use parquet::arrow::arrow_reader::ArrowReaderMetadata;
    use rayon::prelude::*;
    let open = || std::fs::File::open(path).map_err(|e| Error::io(path, e));
    let meta = ArrowReaderMetadata::load(&open()?, Default::default())?;
    let full = meta.schema().clone();
    let keep: Vec<usize> = (0..full.fields().len())
        .filter(|&i| !skip.contains(&full.field(i).name().as_str()))
        .collect();
    let schema = Arc::new(full.project(&keep)?);
    let groups = meta.metadata().num_row_groups();
    if groups == 0 {
        return Ok(RecordBatch::new_empty(schema));
    }
    // Each column is decoded on its own, in parallel (every task opens the
    // file: a shared handle would share its offset), in one batch of all
    // rows: growing buffers are moved, never copied.
    let rows = meta.metadata().file_metadata().num_rows().max(1) as usize;
    let columns: Vec<ArrayRef> = keep
        .par_iter()
        .map(|&c| -> Result<ArrayRef> {
            let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, meta.clone());
            let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), [c]);
            let batches = builder
                .with_projection(mask)
                .with_batch_size(rows)
                .build()?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            let parts: Vec<&ArrayRef> = batches.iter().map(|b| b.column(0)).collect();
            match parts.as_slice() {
                [] => Ok(arrow_array::new_empty_array(full.field(c).data_type())),
                _ => join(&parts),
            }
        })
        .collect::<Result<_>>()?;
    Ok(RecordBatch::try_new(schema, columns)?)
}
