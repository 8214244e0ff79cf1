//! An XLSX sheet read as a stream: calamine's cell reader parses the
//! sheet's XML on a thread of its own and hands rows over in blocks while
//! the sink validates the rows before; cells are converted where they lie
//! (shared strings borrowed from the workbook, numbers as numbers), so a
//! sheet is never held in memory and a sheet the sink does not want is
//! left after its header row. The rows are those the whole-sheet reading
//! (`send_sheet`) gives: the first row with a value is the header, columns
//! run from the header's first column, and a file in which that could
//! differ is either read whole (a used area starting left of the header)
//! or named as damaged (cells out of order, as Excel never writes them).

use super::{
    cell_ref, header_of, raw_cell, send_sheet, source_of, unreadable, unstored_formulas, Cells,
    File, FIX,
};
use crate::error::{Error, Result};
use crate::ingest::read::{RawCell, Sink};
use crate::schema::TableKind;
use calamine::{Data, DataRef};
use std::borrow::Cow;
use std::path::Path;

/// A cell with a value: its (row, column) from 0 and the value.
type Cell<'a> = ((u32, u32), DataRef<'a>);

/// The sheet's cells with a value, in the order of its XML; formula cells
/// without a stored value are set aside (`unstored`).
struct Source<'a, 'p> {
    reader: calamine::XlsxCellReader<'a, File>,
    unstored: Vec<(u32, u32)>,
    path: &'p Path,
    name: &'p str,
}

impl<'a> Source<'a, '_> {
    fn next(&mut self) -> Result<Option<Cell<'a>>> {
        loop {
            let cell = (self.reader.next_cell_with_formula_metadata())
                .map_err(|e| unreadable(self.path, self.name, e.to_string()))?;
            let Some(cell) = cell else { return Ok(None) };
            match (cell.value, cell.formula) {
                (DataRef::Empty, Some(_)) => self.unstored.push(cell.pos),
                (DataRef::Empty, None) => {}
                (v, _) => return Ok(Some((cell.pos, v))),
            }
        }
    }

    /// Once a formula without a stored value is seen, no row is sent: the
    /// rest of the sheet is read to name them all, and that is the error.
    fn check_unstored(&mut self) -> Result<()> {
        if self.unstored.is_empty() {
            return Ok(());
        }
        while self.next()?.is_some() {}
        Err(unstored_formulas(
            self.path,
            self.name,
            std::mem::take(&mut self.unstored),
        ))
    }

    fn damaged(&self, what: String) -> Error {
        let name = self.name;
        Error::input(self.path, format!("sheet `{name}` {what}; {FIX}"))
    }
}

/// Rows already sent, to tell a row met twice.
#[derive(Default)]
struct RowSet(Vec<u64>);

impl RowSet {
    /// Adds `r`; false if it was there.
    fn insert(&mut self, r: u32) -> bool {
        let (w, b) = ((r / 64) as usize, 1u64 << (r % 64));
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        let new = self.0[w] & b == 0;
        self.0[w] |= b;
        new
    }
}

/// Read sheet `name` of an XLSX workbook into the sink.
pub(super) fn stream_sheet(
    path: &Path,
    book: &mut calamine::Xlsx<File>,
    name: &str,
    kind: TableKind,
    sink: &mut dyn Sink,
) -> Result<()> {
    let reader =
        (book.worksheet_cells_reader(name)).map_err(|e| unreadable(path, name, e.to_string()))?;
    let used_from = reader.dimensions().start.1;
    let mut src = Source {
        reader,
        unstored: Vec::new(),
        path,
        name,
    };
    let mut header: Cells = Vec::new();
    let mut pending = None;
    while let Some((pos, v)) = src.next()? {
        if header.first().is_some_and(|((r, _), _)| pos.0 != *r) {
            pending = Some((pos, v));
            break;
        }
        header.push((pos, Data::from(v)));
    }
    src.check_unstored()?;
    let Some(&((header_row, _), _)) = header.first() else {
        // An empty sheet: said as the whole-sheet reading says it.
        return send_sheet(path, name, kind, header, sink);
    };
    let c0 = header.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    if used_from < c0 {
        // Cells may lie left of the header, which moves every column:
        // only the whole sheet tells.
        let mut cells = header;
        let mut next = pending;
        while let Some((pos, v)) = next {
            cells.push((pos, Data::from(v)));
            next = src.next()?;
        }
        src.check_unstored()?;
        cells.sort_by_key(|(pos, _)| *pos);
        return send_sheet(path, name, kind, cells, sink);
    }
    let names = header_of(&header, c0);
    let width = names.len();
    if !sink.begin(&source_of(path, name), Some(kind), names)? {
        return Ok(());
    }
    let rows = Rows {
        src,
        header_row,
        c0,
        width,
    };
    // The sheet's XML is parsed on a thread of its own while the sink
    // validates the rows before, handed over in blocks.
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Block>(4);
        let parser = s.spawn(move || crate::panics::guard(path, FIX, || rows.parse(pending, tx)));
        for block in rx {
            for (r, cells) in block {
                // Excel numbers rows from 1.
                sink.row(r as u64 + 1, Ok(cells));
            }
        }
        parser
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    })
}

/// Rows handed over at a time: (row from 0, cells).
type Block<'a> = Vec<(u32, Vec<RawCell<'a>>)>;

/// Rows in a block.
const BLOCK: usize = 512;

/// The rows after the header, cut into the header's columns.
struct Rows<'a, 'p> {
    src: Source<'a, 'p>,
    header_row: u32,
    /// The header's first column.
    c0: u32,
    width: usize,
}

impl<'a> Rows<'a, '_> {
    /// Every row with a value, from `first` on, to `tx` in blocks; stops
    /// early if the receiver is gone.
    fn parse(
        mut self,
        first: Option<Cell<'a>>,
        tx: std::sync::mpsc::SyncSender<Block<'a>>,
    ) -> Result<()> {
        let (c0, header_row) = (self.c0, self.header_row);
        let mut sent = RowSet::default();
        sent.insert(header_row);
        let mut row: Option<u32> = None;
        let mut out = vec![RawCell::Empty; self.width];
        let mut block: Block = Vec::with_capacity(BLOCK);
        let mut next = first;
        while let Some(((r, c), v)) = next {
            self.src.check_unstored()?;
            if c < c0 {
                return Err(self.src.damaged(format!(
                    "has a value in {} outside the area it records as used",
                    cell_ref(r, c)
                )));
            }
            if row != Some(r) {
                if let Some(done) = row {
                    take_row(&mut block, done, &mut out);
                    if block.len() >= BLOCK && tx.send(std::mem::take(&mut block)).is_err() {
                        return Ok(());
                    }
                }
                if r < header_row || !sent.insert(r) {
                    return Err(self.src.damaged(format!(
                        "has its cells out of order (row {} after row {}), which Excel never writes",
                        r as u64 + 1,
                        row.map_or(header_row, |p| p) as u64 + 1
                    )));
                }
                row = Some(r);
            }
            if let Some(slot) = out.get_mut((c - c0) as usize) {
                *slot = raw_ref(v, (r, c));
            }
            next = self.src.next()?;
        }
        self.src.check_unstored()?;
        if let Some(done) = row {
            take_row(&mut block, done, &mut out);
        }
        let _ = tx.send(block);
        Ok(())
    }
}

/// Row `r` (from 0) into the block unless all its cells are empty; `out`
/// is left empty for the next row.
fn take_row<'a>(block: &mut Block<'a>, r: u32, out: &mut Vec<RawCell<'a>>) {
    if out.iter().all(|c| matches!(c, RawCell::Empty)) {
        return;
    }
    block.push((r, std::mem::replace(out, vec![RawCell::Empty; out.len()])));
}

/// A streamed cell as a raw cell, as `raw_cell` makes it of the same value.
fn raw_ref(v: DataRef<'_>, pos: (u32, u32)) -> RawCell<'_> {
    match v {
        DataRef::Int(n) => RawCell::Number(n as f64),
        DataRef::Float(f) => RawCell::Number(f),
        DataRef::Bool(b) => RawCell::Bool(b),
        DataRef::SharedString(s) => match s.trim() {
            "" => RawCell::Empty,
            t => RawCell::Text(Cow::Borrowed(t)),
        },
        DataRef::String(s) => match s.trim() {
            "" => RawCell::Empty,
            t if t.len() == s.len() => RawCell::Text(Cow::Owned(s)),
            t => RawCell::Text(Cow::Owned(t.to_string())),
        },
        other => raw_cell(&Data::from(other), pos).to_owned_cell(),
    }
}
