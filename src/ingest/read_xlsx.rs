//! Workbooks (XLSX, and legacy XLS) → the `households` and `members`
//! sheets' rows, with the row number Excel shows. A workbook is read as
//! Excel shows it, so what Excel would show differently from what is
//! stored is an error, never a silent blank or a wrong number: a formula
//! whose value was never stored (files written by openpyxl or pandas) stops
//! the file; a date cell reaches validation as a date, to be named as one.
//! A file that is not a workbook at all is named as such.

mod stream;

use super::read::{DateCell, RawCell, Sink};
use crate::error::{Error, Result};
use crate::schema::TableKind;
use calamine::{Data, Reader};
use std::path::Path;

/// Sheet names accepted for each table.
const HOUSEHOLD_SHEETS: &[&str] = &["households", "ho_gia_dinh", "hộ_gia_đình", "hộ gia đình"];
const MEMBER_SHEETS: &[&str] = &["members", "thanh_vien", "thành_viên", "thành viên"];

/// What to do about a workbook that cannot be read.
const FIX: &str = "open it in Excel or LibreOffice and save it again as .xlsx";

/// Formula cells without a stored value named in the error, at most.
const SHOWN: usize = 5;

type File = std::io::BufReader<std::fs::File>;

enum Book {
    Xlsx(calamine::Xlsx<File>),
    Xls(calamine::Xls<File>),
}

/// A sheet's non-empty cells, (row, column) from 0, in row order.
type Cells = Vec<((u32, u32), Data)>;

pub fn read_workbook(path: &Path, sink: &mut dyn Sink) -> Result<()> {
    let mut book = crate::panics::guard(path, FIX, || open(path))?;
    let names = match &book {
        Book::Xlsx(b) => b.sheet_names(),
        Book::Xls(b) => b.sheet_names(),
    };
    let pick = |accepted: &[&str]| {
        names
            .iter()
            .find(|n| accepted.contains(&n.trim().to_lowercase().as_str()))
            .cloned()
    };
    let sheets: Vec<(TableKind, String)> = [
        (TableKind::Households, pick(HOUSEHOLD_SHEETS)),
        (TableKind::Members, pick(MEMBER_SHEETS)),
    ]
    .into_iter()
    .filter_map(|(k, n)| n.map(|n| (k, n)))
    .collect();
    if sheets.is_empty() {
        return Err(Error::input(
            path,
            format!(
                "no sheet named `households` or `members` (found: {}); rename the sheets",
                names.join(", ")
            ),
        ));
    }
    for (kind, name) in sheets {
        match &mut book {
            Book::Xlsx(b) => {
                let read = || stream::stream_sheet(path, b, &name, kind, sink);
                crate::panics::guard(path, FIX, read)?
            }
            Book::Xls(b) => {
                let cells = crate::panics::guard(path, FIX, || xls_cells(path, b, &name))?;
                send_sheet(path, &name, kind, cells, sink)?;
            }
        }
    }
    Ok(())
}

/// Open the workbook, or say what the file is instead.
fn open(path: &Path) -> Result<Book> {
    let mut head = [0u8; 8];
    let n = {
        use std::io::Read;
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        f.read(&mut head).map_err(|e| Error::io(path, e))?
    };
    let head = &head[..n];
    let legacy = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xls"));
    // Old .xls workbooks, and password-protected .xlsx ones, are OLE containers.
    let ole = head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let not_book = |why: String| {
        Error::input(
            path,
            format!("not an Excel workbook ({why}); save it as .xlsx from Excel or LibreOffice"),
        )
    };
    if legacy || ole {
        if !ole {
            return Err(not_book("it is not an .xls file inside".into()));
        }
        return match calamine::open_workbook::<calamine::Xls<_>, _>(path) {
            Ok(b) => Ok(Book::Xls(b)),
            Err(calamine::XlsError::Password) => Err(Error::input(
                path,
                "the workbook is password-protected; remove the password in Excel (File > Info > Protect Workbook) and save it again",
            )),
            Err(e) if legacy => Err(not_book(format!("cannot read it as an old .xls workbook: {e}"))),
            Err(_) => Err(Error::input(
                path,
                "the workbook is password-protected or in an old format; remove any password and save it as .xlsx from Excel",
            )),
        };
    }
    if !head.starts_with(b"PK") {
        let text = !head.is_empty()
            && head
                .iter()
                .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || *b >= 0x80);
        return Err(not_book(match (head.is_empty(), text) {
            (true, _) => "the file is empty".into(),
            (_, true) => "it holds text: if it is a CSV file, give it a .csv name".into(),
            _ => "it is not a zip archive, as every .xlsx file is".into(),
        }));
    }
    calamine::open_workbook::<calamine::Xlsx<_>, _>(path)
        .map(Book::Xlsx)
        .map_err(|e| not_book(format!("a zip archive, but not a readable workbook: {e}")))
}

/// The non-empty cells of sheet `name` of a legacy workbook (which stores
/// every formula's last value).
fn xls_cells(path: &Path, book: &mut calamine::Xls<File>, name: &str) -> Result<Cells> {
    let range = (book.worksheet_range(name)).map_err(|e| unreadable(path, name, e.to_string()))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells: Cells = (range.used_cells())
        .map(|(r, c, v)| ((r0 + r as u32, c0 + c as u32), v.clone()))
        .collect();
    cells.sort_by_key(|(pos, _)| *pos);
    Ok(cells)
}

/// A sheet that calamine cannot read.
pub(super) fn unreadable(path: &Path, name: &str, e: String) -> Error {
    Error::input(path, format!("sheet `{name}` cannot be read ({e}); {FIX}"))
}

/// The error for formula cells without a stored value (`unstored`: every
/// one in the sheet).
pub(super) fn unstored_formulas(path: &Path, name: &str, mut unstored: Vec<(u32, u32)>) -> Error {
    unstored.sort_unstable();
    let shown: Vec<String> = (unstored.iter().take(SHOWN))
        .map(|&(r, c)| format!("{name}!{}", cell_ref(r, c)))
        .collect();
    let more = match unstored.len() - shown.len() {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    Error::input(
        path,
        format!(
            "{} formula cell(s) have no stored value ({}{more}), so their values cannot be read (the file was written by a program that stores formulas without computing them, such as openpyxl or pandas); open the file in Excel or LibreOffice and save it, so the values are stored",
            unstored.len(),
            shown.join(", ")
        ),
    )
}

/// The header and rows of one sheet to the sink. Columns run from the
/// sheet's first used column to the header's last named one: a value with
/// no header above it belongs to no column (and a stray cell far to the
/// right costs no memory).
fn send_sheet(
    path: &Path,
    name: &str,
    kind: TableKind,
    cells: Cells,
    sink: &mut dyn Sink,
) -> Result<()> {
    let Some(&((header_row, _), _)) = cells.first() else {
        return Err(Error::input(
            path,
            format!("sheet `{name}` is empty; it needs a header row"),
        ));
    };
    let c0 = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let in_header = cells
        .iter()
        .take_while(|((r, _), _)| *r == header_row)
        .count();
    let header = header_of(&cells[..in_header], c0);
    let width = header.len();
    if !sink.begin(&source_of(path, name), Some(kind), header)? {
        return Ok(());
    }
    let rest = &cells[in_header..];
    for row in rest.chunk_by(|((a, _), _), ((b, _), _)| a == b) {
        let r = row[0].0 .0;
        let mut out = vec![RawCell::Empty; width];
        for ((_, c), v) in row {
            if let Some(slot) = out.get_mut((c - c0) as usize) {
                *slot = raw_cell(v, (r, *c));
            }
        }
        if out.iter().all(|c| matches!(c, RawCell::Empty)) {
            continue;
        }
        // Excel numbers rows from 1.
        sink.row(r as u64 + 1, Ok(out));
    }
    Ok(())
}

/// A sheet as the quarantine names it.
fn source_of(path: &Path, name: &str) -> String {
    format!("{}[{name}]", path.display())
}

/// The header row's names, from column `c0` to its last named column.
fn header_of(cells: &[((u32, u32), Data)], c0: u32) -> Vec<String> {
    let width = (cells.iter())
        .filter(|(_, v)| !v.to_string().trim().is_empty())
        .map(|((_, c), _)| (c - c0) as usize + 1)
        .max()
        .unwrap_or(0);
    let mut header = vec![String::new(); width];
    for ((_, c), v) in cells {
        if let Some(h) = header.get_mut((c - c0) as usize) {
            *h = v.to_string().trim().to_string();
        }
    }
    header
}

/// A workbook cell as a raw cell; `pos` names it if it is a date.
fn raw_cell(v: &Data, pos: (u32, u32)) -> RawCell<'_> {
    match v {
        Data::Empty => RawCell::Empty,
        Data::Int(n) => RawCell::Number(*n as f64),
        Data::Float(f) => RawCell::Number(*f),
        Data::Bool(b) => RawCell::Bool(*b),
        Data::String(s) if s.trim().is_empty() => RawCell::Empty,
        Data::String(s) => RawCell::Text(s.trim().into()),
        Data::DateTime(d) if d.is_datetime() => RawCell::Date(Box::new(DateCell {
            cell: cell_ref(pos.0, pos.1),
            text: date_text(d.to_ymd_hms_milli()),
            serial: Some(d.as_f64()),
        })),
        Data::DateTimeIso(s) => RawCell::Date(Box::new(DateCell {
            cell: cell_ref(pos.0, pos.1),
            text: s.replace('T', " "),
            serial: None,
        })),
        other => RawCell::Text(other.to_string().into()),
    }
}

/// A date as Excel shows it by default: the time only when there is one.
fn date_text((y, mo, d, h, mi, s, _): (u16, u8, u8, u8, u8, u8, u16)) -> String {
    match (h, mi, s) {
        (0, 0, 0) => format!("{y:04}-{mo:02}-{d:02}"),
        _ => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}"),
    }
}

/// The A1-style name of the cell at (row, column), both from 0: (4, 5) → F5.
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        letters.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{}", String::from_utf8_lossy(&letters), row as u64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names() {
        assert_eq!(cell_ref(4, 5), "F5");
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(11, 25), "Z12");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn dates_show_as_excel_shows_them() {
        assert_eq!(date_text((2020, 6, 15, 0, 0, 0, 0)), "2020-06-15");
        assert_eq!(date_text((2020, 6, 15, 13, 5, 0, 0)), "2020-06-15 13:05");
    }
}
