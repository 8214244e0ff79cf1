//! Readers: CSV, XLSX and Parquet files → header + raw cells, row by row, with
//! the row number a person would look up (CSV line, Excel row, Parquet row).
//! Readers never judge values; they only report rows they cannot split into
//! cells (wrong field count, invalid UTF-8) so those rows are quarantined too.

use super::text;
use crate::error::{Error, Result};
use crate::progress::{Counting, Progress};
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
    Date {
        cell: String,
        text: String,
        serial: Option<f64>,
    },
}

impl RawCell<'_> {
    /// The same cell, holding its own text (for rows held past the buffer).
    pub fn to_owned_cell(&self) -> RawCell<'static> {
        match self {
            RawCell::Text(s) => RawCell::Text(s.to_string().into()),
            RawCell::Empty => RawCell::Empty,
            RawCell::Number(n) => RawCell::Number(*n),
            RawCell::Bool(b) => RawCell::Bool(*b),
            RawCell::Date { cell, text, serial } => RawCell::Date {
                cell: cell.clone(),
                text: text.clone(),
                serial: *serial,
            },
        }
    }
    /// The value as a person would see it in the file (for the quarantine).
    pub fn display(&self) -> String {
        match self {
            RawCell::Empty => String::new(),
            RawCell::Text(s) => s.to_string(),
            RawCell::Number(n) => format!("{n}"),
            RawCell::Bool(b) => b.to_string(),
            RawCell::Date { text, .. } => text.clone(),
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
        Some(Format::Csv) => read_csv(path, sink, bar, encoding),
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

fn read_csv(
    path: &Path,
    sink: &mut dyn Sink,
    bar: &Progress,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<()> {
    let enc = text::sniff_encoding(path, encoding)?;
    let (mut rdr, delimiter) = open_csv(path, bar, enc)?;
    let header = read_header(&mut rdr, path)?;
    let width = header.len();
    if !begin_csv(sink, path, header, enc, delimiter)? {
        return Ok(());
    }
    // A quote still open at the end of the file is found by reading the
    // last record again from its start.
    let open_quote = |byte: u64, line: u64| -> Option<String> {
        let r = text::open_at(path, enc, byte).ok()?;
        let (opened, last) = text::open_quote(r, line, delimiter).ok()??;
        Some(format!(
            "line {opened}: a `\"` opens a quoted value that is never closed, so lines {opened} to {last} (the rest of the file, {} line(s)) would be read as one value; \
             a `\"` inside a value must be doubled (`\"\"`), or removed",
            last - opened + 1
        ))
    };
    match take_records(sink, rdr, width, delimiter, &open_quote) {
        Some(message) => Err(Error::input(path, message)),
        None => Ok(()),
    }
}

/// A CSV file opened as text (decoded from `enc`, counted on `bar`), with
/// the delimiter and line ends its first block shows. An empty file is an
/// error.
fn open_csv(
    path: &Path,
    bar: &Progress,
    enc: Option<&'static encoding_rs::Encoding>,
) -> Result<(CsvReader, u8)> {
    use std::io::BufRead;
    let io = |e| Error::io(path, e);
    // Streamed: only the first block is looked at to find the delimiter.
    let counted = bar.clone();
    let mut reader = text::open(path, enc, move |f| Counting::new(f, counted))?;
    let capacity = CSV_BUFFER;
    let head = reader.fill_buf().map_err(io)?;
    if head.iter().all(|b| b.is_ascii_whitespace()) && head.len() < capacity {
        return Err(Error::input(
            path,
            "the file is empty; it needs a header row naming the columns (see data-samples/README.md)",
        ));
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    let delimiter = text::sniff_delimiter(first_line);
    // Lines end at `\n` whatever comes before it, so a CRLF line counts
    // as one line like any other (a lone `\r` ends a line only in files
    // without any `\n`, as old Mac files were).
    let terminator = match head.contains(&b'\n') {
        true => csv::Terminator::Any(b'\n'),
        false => csv::Terminator::CRLF,
    };
    let rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .terminator(terminator)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    Ok((rdr, delimiter))
}

/// A CSV file's reader, over its decoded text.
type CsvReader = csv::Reader<Box<dyn std::io::BufRead + Send>>;

/// The header row's names, trimmed.
fn read_header(rdr: &mut CsvReader, path: &Path) -> Result<Vec<String>> {
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => return Err(Error::input(path, "the file has no header row")),
        Err(e) => {
            return Err(Error::input(
                path,
                format!("cannot read the header row: {e}"),
            ))
        }
    }
    Ok(rec
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect())
}

/// Hand the header to the sink; a problem with it says how the file was
/// read (encoding, delimiter, columns), the usual cause.
fn begin_csv(
    sink: &mut dyn Sink,
    path: &Path,
    header: Vec<String>,
    enc: Option<&'static encoding_rs::Encoding>,
    delimiter: u8,
) -> Result<bool> {
    let width = header.len();
    let read_as = format!(
        "read as {} text with {} between columns, which gives {width} column(s) in the header",
        text::encoding_name(enc),
        text::delimiter_name(delimiter)
    );
    sink.begin(&path.display().to_string(), None, header)
        .map_err(|e| match e {
            Error::Input { path, message } => {
                Error::input(path, format!("{message} (the file was {read_as})"))
            }
            other => other,
        })
}

/// Every record to the sink. Records are split on a thread of their own
/// and handed over in blocks; their buffers come back to be filled again.
/// Returns why the file cannot be read further, if it cannot.
fn take_records(
    sink: &mut dyn Sink,
    rdr: CsvReader,
    width: usize,
    delimiter: u8,
    open_quote: &(dyn Fn(u64, u64) -> Option<String> + Sync),
) -> Option<String> {
    std::thread::scope(|scope| {
        let (blocks, rx) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(BLOCKS_AHEAD);
        let (spent_tx, spent) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
        scope.spawn(move || split_records(rdr, &blocks, &spent, open_quote));
        let mut fatal = None;
        for block in rx {
            let mut records = Vec::with_capacity(block.len());
            for parsed in block {
                match parsed {
                    Parsed::Failed { line, message } => sink.row(line, Err(message)),
                    Parsed::Record { line, end, record } => {
                        take_record(sink, &record, line, end, width, delimiter);
                        records.push(record);
                    }
                    Parsed::Fatal(message) => fatal = Some(message),
                }
            }
            let _ = spent_tx.send(records);
        }
        fatal
    })
}

/// Records split from a CSV file at a time.
const BLOCK: usize = 1024;
/// Blocks split ahead of the ones taken.
const BLOCKS_AHEAD: usize = 4;

/// A record as split, with the line it starts on and the line it ends on;
/// or why it could not be split; or why the file cannot be read.
enum Parsed {
    Record {
        line: u64,
        end: u64,
        record: csv::ByteRecord,
    },
    Failed {
        line: u64,
        message: String,
    },
    Fatal(String),
}

/// Split the records of `rdr` into blocks, reusing the buffers of the
/// records `spent` sends back, until the file ends, an I/O error stops it,
/// or no one takes the blocks. The last record, when it runs over several
/// lines, is checked with `open_quote` (from its byte and line).
fn split_records<R: std::io::Read>(
    mut rdr: csv::Reader<R>,
    blocks: &std::sync::mpsc::SyncSender<Vec<Parsed>>,
    spent: &std::sync::mpsc::Receiver<Vec<csv::ByteRecord>>,
    open_quote: &(dyn Fn(u64, u64) -> Option<String> + Sync),
) {
    let mut spare: Vec<csv::ByteRecord> = Vec::new();
    let mut block = Vec::with_capacity(BLOCK);
    let mut last_multiline = None;
    loop {
        if spare.is_empty() {
            spare.extend(spent.try_iter().flatten());
        }
        let mut record = spare.pop().unwrap_or_default();
        let line = rdr.position().line();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                let fatal = !matches!(
                    e.kind(),
                    csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }
                );
                let message = format!("cannot read the row: {e}");
                block.push(Parsed::Failed { line, message });
                if fatal {
                    break; // an I/O error: nothing more can be read
                }
            }
            Ok(true) => {
                let (line, end) = physical_lines(&record, line, rdr.position().line());
                last_multiline = (end > line).then(|| {
                    let at = record.position().map_or(0, |p| p.byte());
                    (at, record.position().map_or(line, |p| p.line()))
                });
                block.push(Parsed::Record { line, end, record });
            }
        }
        if block.len() == BLOCK {
            let full = std::mem::replace(&mut block, Vec::with_capacity(BLOCK));
            if blocks.send(full).is_err() {
                return; // no one takes them
            }
        }
    }
    if let Some(message) = last_multiline.and_then(|(byte, line)| open_quote(byte, line)) {
        block.push(Parsed::Fatal(message));
    }
    if !block.is_empty() {
        let _ = blocks.send(block);
    }
}

/// The first and last physical line of a record read from line `from`
/// (where the reader stood: blank lines before the record are skipped)
/// until the reader stood at line `after`. Lines end at `\n`, and the line
/// ends inside quoted values are kept in the record, so they are counted
/// there; `after` is one past the last line when the record ended with a
/// line end, the last line itself at the end of a file without one.
fn physical_lines(record: &csv::ByteRecord, from: u64, after: u64) -> (u64, u64) {
    let inside = record.as_slice().iter().filter(|&&b| b == b'\n').count() as u64;
    let line = from.max(after.saturating_sub(inside + 1));
    (line, line + inside)
}

/// One CSV record (read from `line` to `end`) to the sink: its cells, or
/// why it is not a row of the table. A blank line is not a row.
fn take_record(
    sink: &mut dyn Sink,
    rec: &csv::ByteRecord,
    line: u64,
    end: u64,
    width: usize,
    delimiter: u8,
) {
    if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty() || f == b"\r") {
        return;
    }
    if rec.len() != width {
        // A record that ran over several lines usually means an unclosed quote.
        let span = if end > line {
            format!(" (it runs from line {line} to line {end}: a `\"` at the start of a value on line {line} is closed only on line {end}, joining the lines in between into this row; double a `\"` inside a value (`\"\"`) or remove it)")
        } else {
            String::new()
        };
        sink.row(
            line,
            Err(format!(
                "the row has {} fields but the header has {width}{span}; check for a missing or extra delimiter, or an unquoted `{}` inside a value",
                rec.len(),
                delimiter as char
            )),
        );
        return;
    }
    let mut cells = Vec::with_capacity(width);
    for (i, f) in rec.iter().enumerate() {
        match std::str::from_utf8(f) {
            Ok(s) if s.trim().is_empty() => cells.push(RawCell::Empty),
            Ok(s) => cells.push(RawCell::Text(s.trim().into())),
            Err(_) => {
                let reason = format!("field {} is not valid UTF-8; save the file as \"CSV UTF-8\" (or, if it was saved in Vietnamese Windows encoding, pass --encoding cp1258)", i + 1);
                return sink.row(line, Err(reason));
            }
        }
    }
    sink.row(line, Ok(cells))
}

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
