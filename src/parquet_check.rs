//! Parquet files checked before they are decoded. The decoder (arrow-rs)
//! trusts a file's footer and page headers: a damaged file can make it
//! panic deep inside (`offset + len out of bounds`) instead of returning an
//! error. So every Parquet file dachieu reads — an input to ingest, a
//! dataset partition, a scored file — is opened here: its footer is parsed,
//! its schema, row groups, column chunks and page headers are checked to
//! lie within the file and agree with each other, and only then is it
//! decoded. Whatever still goes wrong while decoding is turned into an
//! error naming the file (see [`crate::panics::guard`]).

use crate::error::{Error, Result};
use parquet::arrow::arrow_reader::ArrowReaderMetadata;
use parquet::column::page::PageReader;
use parquet::file::metadata::ParquetMetaData;
use parquet::file::serialized_reader::SerializedPageReader;
use std::path::Path;
use std::sync::Arc;

/// The footer of the Parquet file at `path`, once the file has passed the
/// checks. `fix` says what the user should do when it has not (it ends
/// the message: "…; {fix}").
pub fn open(path: &Path, fix: &str) -> Result<ArrowReaderMetadata> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let damaged = |why: String| Error::input(path, format!("{}; {fix}", described(&why)));
    crate::panics::guard(path, fix, || {
        let meta = ArrowReaderMetadata::load(&file, Default::default())
            .map_err(|e| damaged(e.to_string()))?;
        check_footer(meta.metadata(), len).map_err(&damaged)?;
        check_pages(
            &Arc::new(file.try_clone().map_err(|e| Error::io(path, e))?),
            meta.metadata(),
        )
        .map_err(&damaged)?;
        Ok(meta)
    })
}

/// "cannot be read as Parquet (why)", in the words both a damaged file and
/// a file that is not Parquet at all deserve.
pub fn described(why: &str) -> String {
    format!("cannot be read as Parquet (the file is damaged or not a Parquet file: {why})")
}

/// Row groups, column chunks and their byte ranges: within the file (after
/// the leading `PAR1`, before the footer), non-negative, consistent counts.
fn check_footer(meta: &ParquetMetaData, len: u64) -> std::result::Result<(), String> {
    let fm = meta.file_metadata();
    let leaves = fm.schema_descr().columns();
    // Column data lies between the leading magic and the footer's last 8 bytes.
    let end = len.saturating_sub(8);
    let mut rows: i64 = 0;
    for (g, rg) in meta.row_groups().iter().enumerate() {
        let at = |what: String| format!("row group {g}: {what}");
        if rg.num_rows() < 0 {
            return Err(at(format!("a negative row count ({})", rg.num_rows())));
        }
        rows = rows
            .checked_add(rg.num_rows())
            .ok_or_else(|| at("an impossible row count".into()))?;
        if rg.num_columns() != leaves.len() {
            return Err(at(format!(
                "{} column chunks for {} columns",
                rg.num_columns(),
                leaves.len()
            )));
        }
        for (c, col) in rg.columns().iter().enumerate() {
            let name = leaves[c].path().string();
            let at = |what: String| format!("row group {g}, column `{name}`: {what}");
            if col.file_path().is_some() {
                return Err(at("its data is in another file".into()));
            }
            let start = col
                .dictionary_page_offset()
                .unwrap_or(col.data_page_offset());
            let size = col.compressed_size();
            let bounds = [start, col.data_page_offset(), size, col.uncompressed_size()];
            if bounds.iter().any(|v| *v < 0) || col.num_values() < 0 {
                return Err(at("a negative offset, size or count".into()));
            }
            let (start, size) = (start as u64, size as u64);
            let data = col.data_page_offset() as u64;
            if start < 4 || data < start || start.saturating_add(size) > end || data >= end {
                return Err(at(format!(
                    "its data (bytes {start} to {}) lies outside the file ({len} bytes); the file may be cut short",
                    start.saturating_add(size)
                )));
            }
            // Flat columns (all dachieu reads) hold one value or null per row.
            if leaves[c].max_rep_level() == 0 && col.num_values() != rg.num_rows() {
                return Err(at(format!(
                    "{} values for {} rows",
                    col.num_values(),
                    rg.num_rows()
                )));
            }
        }
    }
    if rows != fm.num_rows() {
        return Err(format!(
            "the footer counts {} rows but its row groups hold {rows}",
            fm.num_rows()
        ));
    }
    Ok(())
}

/// Every page header of every column chunk: readable, within its chunk,
/// and together holding the chunk's number of values.
fn check_pages(
    file: &Arc<std::fs::File>,
    meta: &ParquetMetaData,
) -> std::result::Result<(), String> {
    let leaves = meta.file_metadata().schema_descr().columns();
    for (g, rg) in meta.row_groups().iter().enumerate() {
        let rows = usize::try_from(rg.num_rows()).map_err(|e| e.to_string())?;
        for (c, col) in rg.columns().iter().enumerate() {
            let at = |what: String| {
                format!(
                    "row group {g}, column `{}`: {what}",
                    leaves[c].path().string()
                )
            };
            let mut pages = SerializedPageReader::new(file.clone(), col, rows, None)
                .map_err(|e| at(e.to_string()))?;
            let mut values: u64 = 0;
            while let Some(page) = pages.peek_next_page().map_err(|e| at(e.to_string()))? {
                if !page.is_dict {
                    let n = page.num_levels.or(page.num_rows).unwrap_or(0) as u64;
                    values = values.saturating_add(n);
                    if values > col.num_values() as u64 {
                        break;
                    }
                }
                pages.skip_next_page().map_err(|e| at(e.to_string()))?;
            }
            if values != col.num_values() as u64 {
                return Err(at(format!(
                    "its pages hold {values} values, its header says {}",
                    col.num_values()
                )));
            }
        }
    }
    Ok(())
}
