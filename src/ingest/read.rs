//! Readers: CSV, XLSX and Parquet files → header + raw cells, row by row, with
//! the row number a person would look up (CSV line, Excel row, Parquet row).
//! Readers never judge values; they only report rows they cannot split into
//! cells (wrong field count, invalid UTF-8) so those rows are quarantined too.

use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::schema::TableKind;
use std::path::Path;

/// One cell as read, before validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawCell<'a> {
    Empty,
    /// Borrowed from the reader's buffer where it can be: no copy per cell.
    Text(std::borrow::Cow<'a, str>),
    Number(f64),
    Bool(bool),
    /// A spreadsheet cell holding a date: `cell` names it (`F5`), `text`
    /// is the date as shown (`2020-06-15`), `serial` the number Excel
    /// stores for it. No column takes a date, so validation names it.
    /// Boxed: a rare cell, and every other cell is the smaller for it.
    Date(Box<DateCell>),
}

/// A spreadsheet cell holding a date (`RawCell::Date`).
#[derive(Debug, Clone, PartialEq)]
pub struct DateCell {
    pub cell: String,
    pub text: String,
    pub serial: Option<f64>,
}

impl RawCell<'_> {
    /// The same cell, holding its own text (for rows held past the buffer).
    pub fn to_owned_cell(&self) -> RawCell<'static> {
        match self {
            RawCell::Text(s) => RawCell::Text(s.to_string().into()),
            RawCell::Empty => RawCell::Empty,
            RawCell::Number(n) => RawCell::Number(*n),
            RawCell::Bool(b) => RawCell::Bool(*b),
            RawCell::Date(d) => RawCell::Date(d.clone()),
        }
    }
    /// The value as a person would see it in the file (for the quarantine).
    pub fn display(&self) -> String {
        match self {
            RawCell::Empty => String::new(),
            RawCell::Text(s) => s.to_string(),
            RawCell::Number(n) => format!("{n}"),
            RawCell::Bool(b) => b.to_string(),
            RawCell::Date(d) => d.text.clone(),
        }
    }
}

/// Receives the tables of a file. `begin` is called once per table
/// (an XLSX file has two), then `row` for each data row.
pub trait Sink {
    /// `kind` is known for XLSX sheets; for CSV and Parquet the sink decides
    /// from the header. Returns whether the sink wants this table's rows.
    fn begin(&mut self, source: &str, kind: Option<TableKind>, header: Vec<String>)
        -> Result<bool>;
    /// `cells` is `Err(reason)` when the row could not be read into cells.
    fn row(&mut self, row_no: u64, cells: std::result::Result<Vec<RawCell<'_>>, String>);
    /// For CSV files: a way to take the current table's rows a block at a
    /// time on worker threads, each block's result then given to
    /// `take_block` in input order. `None` (the default): row by row.
    fn blocks(&mut self) -> Option<std::sync::Arc<dyn BlockSink>> {
        None
    }
    /// A block's result from `BlockSink::block`, blocks in input order.
    fn take_block(&mut self, _done: Done) {}
}

/// A row as a reader gives it: its number, and its cells or why it has none.
pub type Each<'e> = dyn FnMut(u64, std::result::Result<&[RawCell<'_>], String>) + 'e;

/// A line of a block offered whole, before it is split into cells: its
/// row number, its text (its line end left off) and the delimiter between
/// its fields; whether the sink took it (else it comes again as cells).
pub type Line<'l> = dyn FnMut(u64, &str, u8) -> bool + 'l;

/// What `BlockSink::block` makes of a block, for `Sink::take_block`.
pub type Done = Box<dyn std::any::Any + Send>;

/// Takes a table's rows a block at a time, on worker threads.
pub trait BlockSink: Send + Sync {
    /// One block's rows: `feed` gives them, in order, to the functions it
    /// is called with, a plain line to the second first. Blocks are taken
    /// on several threads at once.
    fn block(&self, feed: &mut dyn FnMut(&mut Each, &mut Line)) -> Done;
    /// Run `job` on a worker thread.
    fn spawn(&self, job: Box<dyn FnOnce() + Send>);
    /// Bytes of text per block, about.
    fn block_bytes(&self) -> usize;
    /// Worker threads: blocks are read this far ahead of the one taken.
    fn threads(&self) -> usize;
}

/// The formats ingest reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    /// XLSX (and XLSM), or a legacy XLS workbook.
    Workbook,
    Parquet,
}

/// The one place that says which extensions are read, and as what.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Csv),
        "xlsx" | "xlsm" | "xls" => Some(Format::Workbook),
        "parquet" => Some(Format::Parquet),
        _ => None,
    }
}

/// The readable extensions, as messages name them (see [`format_of`]).
pub const READABLE: &str = ".csv, .xlsx, .xlsm, .xls and .parquet";

/// Input formats, by extension.
pub fn is_input_file(path: &Path) -> bool {
    format_of(path).is_some()
}

/// Read one input file into the sink, moving `bar` by the bytes read.
/// `encoding`: what a CSV file without a byte-order mark is written in,
/// when not UTF-8 (`--encoding`).
pub fn read_file(
    path: &Path,
    sink: &mut dyn Sink,
    bar: &Progress,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<()> {
    let whole = || bar.inc(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    match format_of(path) {
        Some(Format::Csv) => super::read_csv::read_csv(path, sink, bar, encoding),
        Some(Format::Workbook) => super::read_xlsx::read_workbook(path, sink).inspect(|_| whole()),
        Some(Format::Parquet) => read_parquet(path, sink).inspect(|_| whole()),
        None => Err(Error::input(
            path,
            format!("unsupported file type; use {READABLE}"),
        )),
    }
}

/// Bytes read from a CSV file at a time.
pub const CSV_BUFFER: usize = 1 << 16;

/// What to do about a Parquet input that cannot be read.
const PARQUET_FIX: &str =
    "export it again from the program that made it (or save the table as CSV or XLSX)";

fn read_parquet(path: &Path, sink: &mut dyn Sink) -> Result<()> {
    // Checked before decoding: a damaged file is an error naming it.
    let meta = crate::parquet_check::open(path, PARQUET_FIX)?;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::new_with_metadata(
        file, meta,
    );
    let schema = builder.schema().clone();
    check_parquet_types(path, &schema)?;
    let header = schema.fields().iter().map(|f| f.name().clone()).collect();
    if !sink.begin(&path.display().to_string(), None, header)? {
        return Ok(());
    }
    let damaged = |e: String| {
        let why = crate::parquet_check::described(&e);
        Error::input(path, format!("{why}; {PARQUET_FIX}"))
    };
    let mut reader = builder.build().map_err(|e| damaged(e.to_string()))?;
    let mut row_no = 0u64;
    // The guard is for the decoder's own bugs on damage the checks could
    // not foresee: still an error naming the file, never a panic.
    let mut next = || {
        crate::panics::guard(path, PARQUET_FIX, || {
            (reader.next().transpose()).map_err(|e| damaged(e.to_string()))
        })
    };
    while let Some(batch) = next()? {
        let cols = batch.columns();
        for r in 0..batch.num_rows() {
            row_no += 1;
            let cells = cols.iter().map(|a| parquet_cell(a.as_ref(), r)).collect();
            sink.row(row_no, Ok(cells));
        }
    }
    Ok(())
}

/// Every column must be of a type ingest reads: integer, float, boolean,
/// text (or all null).
fn check_parquet_types(path: &Path, schema: &arrow_schema::Schema) -> Result<()> {
    use arrow_schema::DataType;
    for f in schema.fields() {
        let ok = matches!(
            f.data_type(),
            DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32
                | DataType::UInt64
                | DataType::Float32
                | DataType::Float64
                | DataType::Boolean
                | DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Null
        );
        if !ok {
            return Err(Error::input(
                path,
                format!(
                    "column `{}` has Parquet/Arrow type {} which ingest does not read; store it as text, integer, float or boolean",
                    f.name(),
                    f.data_type()
                ),
            ));
        }
    }
    Ok(())
}

/// Row `r` of a Parquet column as a cell.
fn parquet_cell(a: &dyn arrow_array::Array, r: usize) -> RawCell<'_> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::*;
    use arrow_schema::DataType;
    if a.is_null(r) {
        return RawCell::Empty;
    }
    match a.data_type() {
        DataType::Int8 => RawCell::Number(a.as_primitive::<Int8Type>().value(r) as f64),
        DataType::Int16 => RawCell::Number(a.as_primitive::<Int16Type>().value(r) as f64),
        DataType::Int32 => RawCell::Number(a.as_primitive::<Int32Type>().value(r) as f64),
        // i64 beyond 2^53 would lose precision as f64: only those go as text.
        DataType::Int64 => exact_int(a.as_primitive::<Int64Type>().value(r) as i128),
        DataType::UInt8 => RawCell::Number(a.as_primitive::<UInt8Type>().value(r) as f64),
        DataType::UInt16 => RawCell::Number(a.as_primitive::<UInt16Type>().value(r) as f64),
        DataType::UInt32 => RawCell::Number(a.as_primitive::<UInt32Type>().value(r) as f64),
        DataType::UInt64 => exact_int(a.as_primitive::<UInt64Type>().value(r) as i128),
        DataType::Float32 => RawCell::Number(a.as_primitive::<Float32Type>().value(r) as f64),
        DataType::Float64 => RawCell::Number(a.as_primitive::<Float64Type>().value(r)),
        DataType::Boolean => RawCell::Bool(a.as_boolean().value(r)),
        DataType::Utf8 => text_cell(a.as_string::<i32>().value(r)),
        DataType::LargeUtf8 => text_cell(a.as_string::<i64>().value(r)),
        _ => RawCell::Empty,
    }
}

/// A whole number as a cell: a number when f64 holds it exactly.
fn exact_int(v: i128) -> RawCell<'static> {
    if v.abs() <= 1 << 53 {
        RawCell::Number(v as f64)
    } else {
        RawCell::Text(v.to_string().into())
    }
}

fn text_cell(s: &str) -> RawCell<'_> {
    let t = s.trim();
    if t.is_empty() {
        RawCell::Empty
    } else {
        RawCell::Text(t.into())
    }
}
