//! CSV files, read in blocks of whole records: one thread reads the text
//! and cuts it where records end (quotes followed as the CSV reader follows
//! them, so a quoted line end never cuts a record); the blocks are split
//! into cells and, when the sink can (`Sink::blocks`), validated on worker
//! threads, and their results taken in input order, so every row keeps the
//! number it has when the file is read from start to end.

use super::csv_cut::{Scan, Syntax};
use super::read::{BlockSink, Each, Line, RawCell, Sink, CSV_BUFFER};
use super::text;
use crate::error::{Error, Result};
use crate::progress::{Counting, Progress};
use std::io::{BufRead, Read};
use std::path::Path;
use std::sync::{mpsc, Arc};

/// Text a block holds, about (a block ends where a record ends).
pub const BLOCK_BYTES: usize = 4 << 20;

/// Whole records of the text, from line `line` and byte `byte` of it; or
/// the last bytes before the text could not be read further (`error`).
pub struct Block {
    bytes: Vec<u8>,
    line: u64,
    byte: u64,
    error: Option<String>,
}

/// Bytes from `reader` onto `buf` until it holds a whole record past
/// `want` bytes or the text ends; whether it ended.
fn fill(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    scan: &mut Scan,
    syn: Syntax,
    want: usize,
) -> std::io::Result<bool> {
    while buf.len() < want || scan.cut == 0 {
        let len = buf.len();
        // Past `want`, a record is still open: read on in steps.
        let room = match len < want {
            true => want - len,
            false => want.min(CSV_BUFFER),
        };
        buf.resize(len + room, 0);
        let got = reader.read(&mut buf[len..]);
        buf.truncate(len + *got.as_ref().unwrap_or(&0));
        match got {
            Ok(0) => return Ok(true),
            Ok(_) => scan.run(buf, syn),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// The records after the header, cut into blocks of about `want` bytes,
/// to `blocks`; a block's buffer is one `spent` sends back, or a new one
/// while fewer than `buffers` exist. Stops at the end of the text, at an
/// I/O error (sent with the block), or when no one takes the blocks.
fn split(
    mut reader: Box<dyn BufRead + Send>,
    syn: Syntax,
    (mut line, mut byte): (u64, u64),
    want: usize,
    buffers: usize,
    blocks: &mpsc::SyncSender<Block>,
    spent: &mpsc::Receiver<Vec<u8>>,
) {
    let (mut scan, mut carry, mut made) = (Scan::new(), Vec::new(), 0);
    loop {
        let mut buf = match made < buffers {
            true => {
                made += 1;
                Vec::new()
            }
            false => match spent.recv() {
                Ok(b) => b,
                Err(_) => return,
            },
        };
        buf.clear();
        buf.append(&mut carry);
        let (ended, error) = match fill(&mut *reader, &mut buf, &mut scan, syn, want) {
            Ok(ended) => (ended, None),
            Err(e) => (true, Some(format!("cannot read the row: {e}"))),
        };
        if !ended {
            carry.extend_from_slice(&buf[scan.cut..]);
            buf.truncate(scan.cut);
            scan.taken(scan.cut);
        }
        let lines = memchr::memchr_iter(b'\n', &buf).count() as u64;
        let len = buf.len() as u64;
        let block = Block {
            bytes: buf,
            line,
            byte,
            error,
        };
        if blocks.send(block).is_err() || ended {
            return;
        }
        (line, byte) = (line + lines, byte + len);
    }
}

/// The first and last physical line of a record read from line `from`
/// (where the reader stood: blank lines before the record are skipped)
/// until the reader stood at line `after`. Lines end at `\n`, and the line
/// ends inside quoted values are kept in the record, so they are counted
/// there; `after` is one past the last line (`line_after`).
fn physical_lines(record: &csv::ByteRecord, from: u64, after: u64) -> (u64, u64) {
    let inside = memchr::memchr_iter(b'\n', record.as_slice()).count() as u64;
    let line = from.max(after.saturating_sub(inside + 1));
    (line, line + inside)
}

/// The line the reader stands on at `p` in `text`, one past the last
/// line when the text ended without a line end (as if it had one), so
/// that `physical_lines` finds a last record after blank lines.
fn line_after(text: &[u8], p: &csv::Position, syn: Syntax) -> u64 {
    // (Files whose lines end with a lone `\r` are counted as before.)
    let open = !syn.crlf && p.byte() as usize == text.len() && text.last() != Some(&b'\n');
    p.line() + open as u64
}

/// Where the last record of a block starts (text byte and line) when it
/// runs over several lines: `None` when the block has no record,
/// `Some(None)` when its last record is on one line.
type Last = Option<Option<(u64, u64)>>;

/// The block's rows to `each`, in order. A line without a `"` is one
/// record on one line, its fields between the delimiters: split straight
/// from the block's bytes. A line with a `"` (a quoted value, perhaps over
/// several lines) is read by the CSV reader from where it starts, and the
/// lines after that record are split again. Files whose lines end with a
/// lone `\r` are read by the CSV reader throughout. A line without a `"`
/// in a block of UTF-8 text is first offered whole to `whole`.
fn parse_block(
    block: &Block,
    syn: Syntax,
    width: usize,
    each: &mut Each,
    mut whole: Option<&mut Line>,
) -> Last {
    let bytes = &block.bytes[..];
    // Checked as one text when it is one (a line starts and ends between
    // characters), rather than line by line; with SIMD, the text being
    // mostly ASCII with Vietnamese letters throughout.
    let text = simdutf8::basic::from_utf8(bytes).ok();
    let mut spare: Vec<RawCell<'static>> = Vec::with_capacity(width);
    let mut last = None;
    // Where the line at `at` is, 1 for the block's first; the next `"`.
    let (mut at, mut line) = (0usize, 1u64);
    let mut quote = memchr::memchr(b'"', bytes).unwrap_or(usize::MAX);
    while at < bytes.len() {
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n);
        if quote < at {
            quote = memchr::memchr(b'"', &bytes[at..]).map_or(usize::MAX, |n| at + n);
        }
        if syn.crlf || quote < end {
            let (read, lines, l) = parse_records(block, at, line, syn, width, each);
            (at, line) = (at + read, line + lines);
            last = l.or(last);
            continue;
        }
        // The reader skips blank lines: a line end where a record starts.
        if end > at {
            let row = line + block.line - 1;
            let known = text.and_then(|t| t.get(at..end));
            let taken = match (known, whole.as_deref_mut()) {
                (Some(t), Some(w)) => w(row, t, syn.delimiter),
                _ => false,
            };
            if !taken {
                let mut cells: Vec<RawCell<'_>> = std::mem::take(&mut spare);
                take_line((&bytes[at..end], known), row, width, syn, &mut cells, each);
                cells.clear();
                spare = cells.into_iter().map(|c| c.to_owned_cell()).collect();
            }
            last = Some(None);
        }
        (at, line) = (end + 1, line + 1);
    }
    if let Some(message) = &block.error {
        let lines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        each(block.line + lines, Err(message.clone()));
    }
    last
}

/// The block's records from byte `from` (line `first` of the block) as
/// the CSV reader reads them: to the end of the block when lines end with
/// a lone `\r`, else one record (the one with a `"`). The bytes and lines
/// read, and where the last record starts (`Last`).
fn parse_records(
    block: &Block,
    from: usize,
    first: u64,
    syn: Syntax,
    width: usize,
    each: &mut Each,
) -> (usize, u64, Last) {
    let mut rdr = syn.reader(&block.bytes[from..]);
    let mut rec = csv::ByteRecord::new();
    let mut spare: Vec<RawCell<'static>> = Vec::with_capacity(width);
    let mut last = None;
    // The reader's lines and bytes count from `from`, its line 1.
    let line_of = |l: u64| l + first - 1 + block.line - 1;
    loop {
        let before = rdr.position().line();
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            // Never from bytes in memory; said as the reader would say it.
            Err(e) => {
                each(line_of(before), Err(format!("cannot read the row: {e}")));
                return (block.bytes.len() - from, 0, last);
            }
            Ok(true) => {
                let after = line_after(&block.bytes[from..], rdr.position(), syn);
                let (line, end) = physical_lines(&rec, before, after);
                last = Some((end > line).then(|| {
                    let p = rec.position();
                    let at = block.byte + from as u64 + p.map_or(0, |p| p.byte());
                    (at, line_of(p.map_or(line, |p| p.line())))
                }));
                let lines = (line_of(line), line_of(end));
                let mut cells: Vec<RawCell<'_>> = std::mem::take(&mut spare);
                take_record(&rec, lines, width, syn, &mut cells, each);
                cells.clear();
                spare = cells.into_iter().map(|c| c.to_owned_cell()).collect();
                if !syn.crlf {
                    break;
                }
            }
        }
    }
    let p = rdr.position();
    (p.byte() as usize, p.line() - 1, last)
}

/// One line without a `"` (its line end left off), read from line `line`:
/// as `take_record` takes the record the CSV reader makes of it. Its text
/// is given when it is known to be UTF-8.
fn take_line<'r>(
    (text, known): (&'r [u8], Option<&'r str>),
    line: u64,
    width: usize,
    syn: Syntax,
    cells: &mut Vec<RawCell<'r>>,
    each: &mut Each,
) {
    let d = syn.delimiter;
    if text == b"\r" {
        return;
    }
    let fields = |t: &[u8]| t.iter().filter(|&&b| b == d).count() + 1;
    let Some(s) = known.or_else(|| std::str::from_utf8(text).ok()) else {
        if fields(text) != width {
            return each(
                line,
                Err(width_error(fields(text), width, (line, line), syn)),
            );
        }
        let i = (text.split(|b| *b == d))
            .position(|f| std::str::from_utf8(f).is_err())
            .unwrap_or_default();
        return each(line, Err(not_utf8(i)));
    };
    // The delimiter is one ASCII byte: a field starts after one and ends
    // before the next, between characters.
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == d {
            push_field(cells, &s[start..i]);
            start = i + 1;
        }
    }
    push_field(cells, &s[start..]);
    if cells.len() != width {
        let n = cells.len();
        cells.clear();
        return each(line, Err(width_error(n, width, (line, line), syn)));
    }
    each(line, Ok(cells))
}

/// A field's cell: empty, or its text trimmed.
fn push_field<'r>(cells: &mut Vec<RawCell<'r>>, f: &'r str) {
    match trimmed(f) {
        "" => cells.push(RawCell::Empty),
        s => cells.push(RawCell::Text(s.into())),
    }
}

/// A record with `fields` fields where the header has `width`; read from
/// line `line` to `end`.
fn width_error(fields: usize, width: usize, (line, end): (u64, u64), syn: Syntax) -> String {
    // A record that ran over several lines usually means an unclosed quote.
    let span = if end > line {
        format!(" (it runs from line {line} to line {end}: a `\"` at the start of a value on line {line} is closed only on line {end}, joining the lines in between into this row; double a `\"` inside a value (`\"\"`) or remove it)")
    } else {
        String::new()
    };
    format!(
        "the row has {fields} fields but the header has {width}{span}; check for a missing or extra delimiter, or an unquoted `{}` inside a value",
        syn.delimiter as char
    )
}

/// Field `i` (from 0) is not UTF-8.
fn not_utf8(i: usize) -> String {
    format!("field {} is not valid UTF-8; save the file as \"CSV UTF-8\" (or, if it was saved in Vietnamese Windows encoding, pass --encoding cp1258)", i + 1)
}

/// One CSV record (read from line `line` to `end`) to `each`: its cells,
/// or why it is not a row of the table. A blank line is not a row.
fn take_record<'r>(
    rec: &'r csv::ByteRecord,
    (line, end): (u64, u64),
    width: usize,
    syn: Syntax,
    cells: &mut Vec<RawCell<'r>>,
    each: &mut Each,
) {
    if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty() || f == b"\r") {
        return;
    }
    if rec.len() != width {
        return each(line, Err(width_error(rec.len(), width, (line, end), syn)));
    }
    // Checked as one text when it is one: each field is then valid where
    // it starts and ends between characters.
    let text = std::str::from_utf8(rec.as_slice()).unwrap_or_default();
    for (i, f) in rec.iter().enumerate() {
        let field = match text.is_empty() {
            true => std::str::from_utf8(f).ok(),
            false => rec.range(i).and_then(|r| text.get(r)),
        };
        match field.map(trimmed) {
            Some("") => cells.push(RawCell::Empty),
            Some(s) => cells.push(RawCell::Text(s.into())),
            None => return each(line, Err(not_utf8(i))),
        }
    }
    each(line, Ok(cells))
}

/// `s.trim()`; without looking up what is white space when both ends are
/// plain ASCII characters other than white space.
pub(super) fn trimmed(s: &str) -> &str {
    let plain = |b: &u8| b.is_ascii() && !matches!(b, b' ' | b'\t'..=b'\r');
    let b = s.as_bytes();
    match b.first().is_some_and(plain) && b.last().is_some_and(plain) {
        true => s,
        false => s.trim(),
    }
}

/// Read a CSV file into the sink: a block at a time on worker threads
/// when the sink takes blocks (`Sink::blocks`, which sets their size),
/// else row by row.
pub fn read_csv(
    path: &Path,
    sink: &mut dyn Sink,
    bar: &Progress,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> Result<()> {
    let enc = text::sniff_encoding(path, encoding)?;
    let (mut reader, syn) = open_csv(path, bar, enc)?;
    let (header, at, rest) = read_header(&mut *reader, syn, path)?;
    let width = header.len();
    if !begin_csv(sink, path, header, enc, syn.delimiter)? {
        return Ok(());
    }
    // The bytes read past the header go in front of the rest.
    let reader = Box::new(std::io::Cursor::new(rest).chain(reader));
    let last = take_blocks(sink, reader, syn, at, width);
    // A quote still open at the end of the file is found by reading the
    // last record again from its start.
    let open_quote = |(byte, line): (u64, u64)| -> Option<String> {
        let r = text::open_at(path, enc, byte).ok()?;
        let (opened, last) = text::open_quote(r, line, syn.delimiter).ok()??;
        Some(format!(
            "line {opened}: a `\"` opens a quoted value that is never closed, so lines {opened} to {last} (the rest of the file, {} line(s)) would be read as one value; \
             a `\"` inside a value must be doubled (`\"\"`), or removed",
            last - opened + 1
        ))
    };
    match last.and_then(open_quote) {
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
) -> Result<(Box<dyn BufRead + Send>, Syntax)> {
    let io = |e| Error::io(path, e);
    // Streamed: only the first block is looked at to find the delimiter.
    let counted = bar.clone();
    let mut reader = text::open(path, enc, move |f| Counting::new(f, counted))?;
    let head = reader.fill_buf().map_err(io)?;
    if head.iter().all(|b| b.is_ascii_whitespace()) && head.len() < CSV_BUFFER {
        return Err(Error::input(
            path,
            "the file is empty; it needs a header row naming the columns (see data-samples/README.md)",
        ));
    }
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    // Lines end at `\n` whatever comes before it, so a CRLF line counts
    // as one line like any other (a lone `\r` ends a line only in files
    // without any `\n`, as old Mac files were).
    let syn = Syntax {
        delimiter: text::sniff_delimiter(first_line),
        crlf: !head.contains(&b'\n'),
    };
    Ok((reader, syn))
}

/// The header row's names, trimmed, and where the reader stands after it
/// (line, byte of the text), and the bytes read past it: the file is read
/// only as far as its first buffer holds the header, so a file of the
/// other table is not read further.
fn read_header(reader: &mut dyn BufRead, syn: Syntax, path: &Path) -> Result<Header> {
    let mut buf = Vec::new();
    let mut scan = Scan::new();
    let io = |e| Error::io(path, e);
    while scan.cut == 0 {
        let got = reader.fill_buf().map_err(io)?;
        if got.is_empty() {
            break;
        }
        let n = got.len();
        buf.extend_from_slice(got);
        reader.consume(n);
        scan.run(&buf, syn);
    }
    // `buf` holds whole records up to `scan.cut` (or the whole file).
    let whole = if scan.cut == 0 { buf.len() } else { scan.cut };
    let mut rdr = syn.reader(&buf[..whole]);
    let mut rec = csv::ByteRecord::new();
    if !rdr.read_byte_record(&mut rec).unwrap_or(false) {
        return Err(Error::input(path, "the file has no header row"));
    }
    let header = (rec.iter())
        .map(|f| String::from_utf8_lossy(f).trim().to_string())
        .collect();
    // The bytes past the header's record go back in front of the rest.
    let (line, cut) = (rdr.position().line(), rdr.position().byte());
    let rest = buf.split_off(cut as usize);
    Ok((header, (line, cut), rest))
}

/// A CSV file's header names, the line and byte after it, and the text
/// read past it.
type Header = (Vec<String>, (u64, u64), Vec<u8>);

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

/// What a worker sends back: the block's place, its result (or the panic)
/// and its buffer.
type Finished = (
    usize,
    std::thread::Result<(super::read::Done, Last)>,
    Vec<u8>,
);

/// Every record after the header to the sink, block by block; where the
/// file's last record starts when it runs over several lines.
fn take_blocks(
    sink: &mut dyn Sink,
    reader: Box<dyn BufRead + Send>,
    syn: Syntax,
    at: (u64, u64),
    width: usize,
) -> Option<(u64, u64)> {
    let par = sink.blocks();
    let want = par.as_ref().map_or(BLOCK_BYTES, |p| p.block_bytes()).max(1);
    // Blocks being validated at once, and buffers: each block in flight
    // holds one, the reader fills one and one waits to be taken.
    let ahead = par.as_ref().map_or(1, |p| p.threads() + 1);
    let mut last: Last = None;
    std::thread::scope(|scope| {
        let (blocks_tx, blocks) = mpsc::sync_channel::<Block>(1);
        let (spent_tx, spent) = mpsc::channel::<Vec<u8>>();
        scope.spawn(move || split(reader, syn, at, want, ahead + 2, &blocks_tx, &spent));
        let mut note = |l: Last| last = l.or(last.take());
        let Some(par) = par else {
            for block in blocks {
                let mut each = |row, cells: std::result::Result<&[RawCell], String>| {
                    sink.row(row, cells.map(<[RawCell]>::to_vec))
                };
                note(parse_block(&block, syn, width, &mut each, None));
                let _ = spent_tx.send(block.bytes);
            }
            return;
        };
        let (done_tx, done) = mpsc::channel::<Finished>();
        let (mut sent, mut taken) = (0usize, 0usize);
        let mut waiting = std::collections::BTreeMap::new();
        loop {
            while sent - taken < ahead {
                let Ok(block) = blocks.recv() else { break };
                spawn_block(&par, block, sent, syn, width, done_tx.clone());
                sent += 1;
            }
            if sent == taken {
                break;
            }
            let (i, result, bytes) = done.recv().expect("every block sends its result");
            waiting.insert(i, result);
            let _ = spent_tx.send(bytes);
            while let Some(result) = waiting.remove(&taken) {
                let (out, l) = result.unwrap_or_else(|p| std::panic::resume_unwind(p));
                sink.take_block(out);
                note(l);
                taken += 1;
            }
        }
    });
    last.flatten()
}

/// Split and validate a block on a worker; the result goes to `done`.
fn spawn_block(
    par: &Arc<dyn BlockSink>,
    block: Block,
    i: usize,
    syn: Syntax,
    width: usize,
    done: mpsc::Sender<Finished>,
) {
    let p = Arc::clone(par);
    par.spawn(Box::new(move || {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut last = None;
            let out = p.block(&mut |each, whole| {
                last = parse_block(&block, syn, width, each, Some(whole))
            });
            (out, last)
        }));
        let _ = done.send((i, result, block.bytes));
    }));
}

#[cfg(test)]
#[path = "read_csv_tests.rs"]
mod tests;
