//! The Excel workbook: one sheet per table, numbers stored as numbers (so a
//! researcher can sort, filter and compute) with a display format per kind
//! of column, sheet names and headers in the workbook's language from the
//! catalogue of outputs (`schema::outputs`; the codebook `docs/outputs.md`
//! maps each label to its machine name in the CSV), and the file written
//! atomically.

use super::labels::{kind, Kind};
use super::notes::Note;
use super::notices::{Notice, Tone};
use super::{cell, col_name, n_cols, n_rows, Cell};
use crate::error::{Error, Result};
use crate::export::{Column, Frame};
use crate::i18n::{nfc, Lang};
use crate::schema::outputs;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::path::Path;

/// Excel's limits.
const MAX_ROWS: usize = 1_048_576;
const MAX_COLS: usize = 16_384;
const MAX_SHEET_NAME: usize = 31; // UTF-16 code units
const MAX_STRING: usize = 32_767; // UTF-16 code units
const MAX_WIDTH: f64 = 50.0;
const MIN_WIDTH: f64 = 6.0;

/// What a weighted count's header adds when the counts are estimated
/// (a sample): (vi, en).
pub const ESTIMATED: (&str, &str) = (" (ước tính)", " (estimated)");

/// Write `sheets` (name, table) to the workbook `path`, one worksheet each.
///
/// A table the catalogue of outputs knows by its name (`rates_province`,
/// `estimates`) gets the catalogue's title as sheet name and its column
/// labels as headers, in `lang`; another keeps its name and machine column
/// names. Sheet names are made valid for Excel (no `[]:*?/\`, at most 31
/// characters, unique ignoring case). Headers are bold, frozen and
/// filterable. Missing values are empty cells.
/// With `notices` (see `notices`), a first sheet says them in its first
/// rows, an alert in red, before any table.
pub fn write_workbook(
    path: &Path,
    sheets: &[(&str, &Frame)],
    lang: Lang,
    notices: &[Notice],
) -> Result<()> {
    write_book(
        path,
        &Book {
            lang,
            notices,
            sheets,
            estimated: false,
            whole_counts: false,
            notes: &[],
            forms: None,
        },
    )
}

/// A workbook: its notices first, then its tables, then its notes.
pub struct Book<'a> {
    pub lang: Lang,
    pub notices: &'a [Notice],
    /// (catalogue stem or sheet name, table).
    pub sheets: &'a [(&'a str, &'a Frame)],
    /// The weighted counts are estimated households (a sample): their
    /// headers say so.
    pub estimated: bool,
    /// Weighted counts shown as whole numbers (as official documents write
    /// households), whatever their decimals, and headed without "weighted".
    pub whole_counts: bool,
    /// The notes sheet, last (none when empty).
    pub notes: &'a [Note],
    /// The summary forms (`report::forms`), first after the notices.
    pub forms: Option<&'a super::forms::FormBook>,
}

/// Write `book` to the workbook `path`, atomically.
pub fn write_book(path: &Path, book: &Book<'_>) -> Result<()> {
    let bytes = workbook_bytes(book).map_err(|e| match e {
        Problem::Xlsx(e) => Error::input(path, format!("cannot build the Excel workbook: {e}")),
        Problem::TooBig(m) => Error::input(path, m),
    })?;
    crate::files::write_atomic(path, &bytes)
}

enum Problem {
    Xlsx(XlsxError),
    TooBig(String),
}

impl From<XlsxError> for Problem {
    fn from(e: XlsxError) -> Self {
        Problem::Xlsx(e)
    }
}

struct Formats {
    header: Format,
    year: Format,
    count: Format,
    pct: Format,
    ratio: Format,
    weighted_whole: Format,
    weighted: Format,
    text: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0xE8EEF4))
                .set_border_bottom(FormatBorder::Thin),
            year: Format::new().set_num_format("0"),
            count: Format::new().set_num_format("#,##0"),
            pct: Format::new().set_num_format("0.00"),
            ratio: Format::new().set_num_format("0.0000"),
            weighted_whole: Format::new().set_num_format("#,##0"),
            weighted: Format::new().set_num_format("#,##0.00"),
            text: Format::new(),
        }
    }
}

fn workbook_bytes(book: &Book<'_>) -> std::result::Result<Vec<u8>, Problem> {
    let lang = book.lang;
    let mut wb = Workbook::new();
    // A fixed creation date: the same tables give the same bytes.
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(lang.t(
                "Kết quả rà soát hộ nghèo, hộ cận nghèo — bảng số liệu",
                "Poverty review results — tables",
            ))
            .set_author("dachieu")
            .set_creation_datetime(&created),
    );
    let formats = Formats::new();
    if !book.notices.is_empty() {
        let ws = wb.add_worksheet();
        write_notices(ws, book.notices, lang)?;
        print_setup(ws, lang, false)?;
    }
    if let Some(forms) = book.forms {
        super::forms::add_sheets(&mut wb, forms, lang)?;
    }
    let titles: Vec<String> = (book.sheets.iter()).map(|(n, _)| title(n, lang)).collect();
    let names = sheet_names(titles.iter().map(String::as_str));
    for ((table, frame), name) in book.sheets.iter().zip(names) {
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        write_sheet(ws, (&name, table), frame, book, &formats)?;
    }
    if !book.notes.is_empty() {
        let ws = wb.add_worksheet();
        super::notes::write_notes(ws, book.notes, lang)?;
        print_setup(ws, lang, false)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// Printing: landscape A4, one page wide, the sheet's name atop each page
/// and its page number below; with `header`, the header row on every page.
fn print_setup(ws: &mut Worksheet, lang: Lang, header: bool) -> std::result::Result<(), Problem> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    if header {
        ws.set_repeat_rows(0, 0)?;
    }
    ws.set_header("&L&A");
    ws.set_footer(lang.t("&RTrang &P / &N", "&RPage &P of &N"));
    Ok(())
}

/// The notices sheet: one notice a row, wrapped, an alert red and bold.
fn write_notices(
    ws: &mut Worksheet,
    notices: &[Notice],
    lang: Lang,
) -> std::result::Result<(), Problem> {
    ws.set_name(lang.t("Lưu ý", "Notices"))?;
    ws.set_column_width(0, 120)?;
    let note = Format::new().set_text_wrap();
    let alert = Format::new()
        .set_text_wrap()
        .set_bold()
        .set_font_color(Color::RGB(0xB3261E))
        .set_background_color(Color::RGB(0xFDECEA));
    for (r, n) in notices.iter().enumerate() {
        let format = if n.tone == Tone::Alert { &alert } else { &note };
        ws.write_string_with_format(r as u32, 0, clip(&nfc(&n.text)), format)?;
    }
    Ok(())
}

/// The sheet title of the table `table` in `lang`: the catalogue's, or
/// the table's own name.
fn title(table: &str, lang: Lang) -> String {
    match outputs::file_by_stem(table) {
        Some(file) => {
            let (vi, en) = file.titles(table);
            lang.t(&vi, &en).to_string()
        }
        None => table.to_string(),
    }
}

/// The header of the column `column` of the table `table` in `lang`: the
/// catalogue's label, or the machine name.
fn label(table: &str, column: &str, lang: Lang) -> String {
    match outputs::file_by_stem(table).and_then(|f| f.column(column)) {
        Some(found) => {
            let (vi, en) = found.labels();
            lang.t(&vi, &en).to_string()
        }
        None => column.to_string(),
    }
}

/// Write the table `f` to `ws`; `(name, table)` are the sheet's name and
/// the table's machine name.
fn write_sheet(
    ws: &mut Worksheet,
    (name, table): (&str, &str),
    f: &Frame,
    book: &Book<'_>,
    fm: &Formats,
) -> std::result::Result<(), Problem> {
    let lang = book.lang;
    let (rows, cols) = (n_rows(f), n_cols(f));
    if rows + 1 > MAX_ROWS || cols > MAX_COLS {
        return Err(Problem::TooBig(format!(
            "sheet {name:?} would have {rows} rows and {cols} columns, more than Excel's \
             {} rows or {MAX_COLS} columns; use the CSV or Parquet tables instead",
            MAX_ROWS - 1
        )));
    }
    for c in 0..cols {
        let col = c as u16; // < MAX_COLS, checked above
        let k = kind(col_name(f, c), f.columns.get(c));
        let mut header = nfc(&label(table, col_name(f, c), lang));
        if book.whole_counts {
            // People count households: "weighted" is for tools (a census's
            // weights are 1; a sample's counts are said to be estimated).
            header = header.replace(" (weighted)", "");
        }
        if book.estimated && k == Kind::Weighted {
            header += lang.t(ESTIMATED.0, ESTIMATED.1);
        }
        ws.write_string_with_format(0, col, clip(&header), &fm.header)?;
        let whole = k == Kind::Weighted && (book.whole_counts || all_whole(f.columns.get(c)));
        let format = match k {
            Kind::Year => &fm.year,
            Kind::Count => &fm.count,
            Kind::Pct => &fm.pct,
            Kind::Ratio => &fm.ratio,
            Kind::Weighted if whole => &fm.weighted_whole,
            Kind::Weighted => &fm.weighted,
            Kind::Text => &fm.text,
        };
        let mut width = display_len(&header) as f64 + 3.0; // room for the filter button
        for r in 0..rows {
            let row = (r + 1) as u32; // < MAX_ROWS, checked above
            let shown = match cell(f, c, r) {
                Cell::Missing => 0,
                Cell::Int(v) => {
                    ws.write_number_with_format(row, col, v as f64, format)?;
                    number_len(v as f64, k, whole)
                }
                // NaN and infinities have no Excel number: empty, like missing.
                Cell::Float(v) if !v.is_finite() => 0,
                Cell::Float(v) => {
                    ws.write_number_with_format(row, col, v, format)?;
                    number_len(v, k, whole)
                }
                Cell::Str(s) => {
                    let s = nfc(s);
                    let len = display_len(&s);
                    if !s.is_empty() {
                        ws.write_string_with_format(row, col, clip(&s), format)?;
                    }
                    len
                }
            };
            width = width.max(shown as f64 + 2.0);
        }
        ws.set_column_width(col, width.clamp(MIN_WIDTH, MAX_WIDTH))?;
    }
    ws.set_freeze_panes(1, 0)?;
    if cols > 0 {
        ws.autofilter(0, 0, rows as u32, (cols - 1) as u16)?;
    }
    print_setup(ws, lang, true)
}

fn all_whole(col: Option<&Column>) -> bool {
    match col {
        Some(Column::Float(v)) => v
            .iter()
            .flatten()
            .filter(|x| x.is_finite())
            .all(|x| x.fract() == 0.0 && x.abs() < 1e15),
        _ => true,
    }
}

/// Roughly how many characters a number shows with its format.
fn number_len(v: f64, k: Kind, whole: bool) -> usize {
    let int_digits = format!("{:.0}", v.abs().trunc()).len();
    let seps = (int_digits.saturating_sub(1)) / 3;
    let sign = usize::from(v < 0.0);
    sign + match k {
        Kind::Year => int_digits,
        Kind::Count => int_digits + seps,
        Kind::Pct => int_digits + 3,
        Kind::Ratio => int_digits + 5,
        Kind::Weighted if whole => int_digits + seps,
        Kind::Weighted => int_digits + seps + 3,
        Kind::Text => int_digits,
    }
}

fn display_len(s: &str) -> usize {
    s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// The longest prefix of `s` within `max` UTF-16 units.
fn prefix_utf16(s: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, ch) in s.char_indices() {
        used += ch.len_utf16();
        if used > max {
            return &s[..i];
        }
    }
    s
}

/// A text within Excel's cell limit (a longer one ends with "…").
fn clip(s: &str) -> String {
    if utf16_len(s) <= MAX_STRING {
        s.to_string()
    } else {
        format!("{}…", prefix_utf16(s, MAX_STRING - 1))
    }
}

/// Valid, unique worksheet names for the requested ones, in order.
fn sheet_names<'a>(wanted: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, w) in wanted.enumerate() {
        let cleaned: String = nfc(w)
            .chars()
            .map(|c| {
                if "[]:*?/\\".contains(c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let mut base = tidy(prefix_utf16(&cleaned, MAX_SHEET_NAME));
        if base.is_empty() || base.eq_ignore_ascii_case("history") {
            base = format!("Sheet{}", i + 1);
        }
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let room = MAX_SHEET_NAME.saturating_sub(utf16_len(&suffix));
            name = format!("{}{suffix}", tidy(prefix_utf16(&base, room)));
            n += 1;
        }
        taken.push(name.to_lowercase());
        out.push(name);
    }
    out
}

/// Excel refuses a sheet name that starts or ends with an apostrophe.
fn tidy(s: &str) -> String {
    s.trim().trim_matches('\'').trim().to_string()
}

#[cfg(test)]
#[path = "xlsx_tests.rs"]
mod tests;
