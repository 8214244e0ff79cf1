//! How a summary form sits on a worksheet, as the printed templates do: a
//! title block, a header of merged cells over several rows, a row of column
//! numbers, the body (section rows and the total in bold), a notes block,
//! and the print set-up (A4 landscape, one page wide, header repeated).

use crate::i18n::{nfc, Lang};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

pub type XResult<T> = std::result::Result<T, XlsxError>;

/// The formats of a form.
pub struct Fmt {
    title: Format,
    subtitle: Format,
    header: Format,
    number_row: Format,
    note: Format,
    cells: [[Format; 4]; 2],
}

/// What a body cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    /// A whole number of households.
    Count(u64),
    /// A percentage, two decimals (None: no base, left empty).
    Pct(Option<f64>),
    /// The records do not say ("không có dữ liệu").
    NoData,
}

impl Fmt {
    pub fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_font_size(10);
        let kinds = |bold: bool| {
            let c = if bold {
                cell.clone().set_bold()
            } else {
                cell.clone()
            };
            [
                c.clone().set_text_wrap(),
                c.clone().set_num_format("#,##0"),
                c.clone().set_num_format("0.00"),
                c.clone().set_italic().set_align(FormatAlign::Center),
            ]
        };
        Fmt {
            title: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            subtitle: Format::new()
                .set_italic()
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            header: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            number_row: cell.clone().set_italic().set_align(FormatAlign::Center),
            note: Format::new()
                .set_text_wrap()
                .set_align(FormatAlign::Top)
                .set_font_size(10),
            cells: [kinds(false), kinds(true)],
        }
    }
}

/// A header cell: its top row (from the header's first), its column, and
/// how many rows and columns it spans.
pub struct Head {
    pub row: u32,
    pub col: u16,
    pub rows: u32,
    pub cols: u16,
    pub text: String,
}

impl Head {
    pub fn new(row: u32, col: u16, rows: u32, cols: u16, text: impl Into<String>) -> Head {
        Head {
            row,
            col,
            rows,
            cols,
            text: text.into(),
        }
    }
}

/// Write `text` over the cells from (r, c) spanning `rows` × `cols`.
fn put(
    ws: &mut Worksheet,
    (r, c): (u32, u16),
    (rows, cols): (u32, u16),
    text: &str,
    f: &Format,
) -> XResult<()> {
    let text = nfc(text);
    if rows > 1 || cols > 1 {
        ws.merge_range(r, c, r + rows - 1, c + cols - 1, &text, f)?;
    } else {
        ws.write_string_with_format(r, c, &text, f)?;
    }
    Ok(())
}

/// The title lines, each merged across the form's `width` columns, from
/// row 0; returns the next free row (after a blank one).
pub fn title_block(ws: &mut Worksheet, fm: &Fmt, lines: &[String], width: u16) -> XResult<u32> {
    for (i, line) in lines.iter().enumerate() {
        let f = if i == 0 { &fm.title } else { &fm.subtitle };
        put(ws, (i as u32, 0), (1, width), line, f)?;
        let chars = line.chars().count() as f64;
        // Room for a wrapped line on a page-wide merge.
        let lines = (chars / (width as f64 * 9.0)).ceil().max(1.0);
        ws.set_row_height(i as u32, 16.0 * lines + if i == 0 { 6.0 } else { 0.0 })?;
    }
    Ok(lines.len() as u32 + 1)
}

/// The header from row `top` (`depth` rows), then the row of column
/// numbers: `A`, `B` for the first two, `(1)`, `(2)`, … for the others.
/// Returns the first row of the body.
pub fn header(
    ws: &mut Worksheet,
    fm: &Fmt,
    top: u32,
    depth: u32,
    heads: &[Head],
    width: u16,
) -> XResult<u32> {
    for h in heads {
        put(
            ws,
            (top + h.row, h.col),
            (h.rows, h.cols),
            &h.text,
            &fm.header,
        )?;
    }
    for r in top..top + depth {
        ws.set_row_height(r, 42.0)?;
    }
    let numbers = top + depth;
    for c in 0..width {
        let n = match c {
            0 => "A".to_string(),
            1 => "B".to_string(),
            _ => format!("({})", c - 1),
        };
        ws.write_string_with_format(numbers, c, &n, &fm.number_row)?;
    }
    Ok(numbers + 1)
}

/// One body row at `r`; bold for sections and the total. `no_data` is the
/// text a `Value::NoData` cell shows.
pub fn body_row(
    ws: &mut Worksheet,
    fm: &Fmt,
    r: u32,
    cells: &[Value],
    bold: bool,
    no_data: &str,
) -> XResult<()> {
    let f = &fm.cells[usize::from(bold)];
    for (c, v) in cells.iter().enumerate() {
        let c = c as u16;
        match v {
            Value::Text(s) => put(ws, (r, c), (1, 1), s, &f[0])?,
            Value::Count(n) => {
                ws.write_number_with_format(r, c, *n as f64, &f[1])?;
            }
            Value::Pct(Some(p)) => {
                ws.write_number_with_format(r, c, *p, &f[2])?;
            }
            Value::Pct(None) => {
                ws.write_blank(r, c, &f[2])?;
            }
            Value::NoData => put(ws, (r, c), (1, 1), no_data, &f[3])?,
        }
    }
    Ok(())
}

/// The notes below the body from row `r`, each merged across the form.
pub fn notes_block(
    ws: &mut Worksheet,
    fm: &Fmt,
    r: u32,
    notes: &[String],
    width: u16,
) -> XResult<()> {
    for (i, n) in notes.iter().enumerate() {
        let row = r + i as u32;
        put(ws, (row, 0), (1, width), n, &fm.note)?;
        let lines = (n.chars().count() as f64 / (width as f64 * 9.0)).ceil();
        ws.set_row_height(row, 14.0 * lines.max(1.0))?;
    }
    Ok(())
}

/// Column widths: the unit's name wide, numbers narrow.
pub fn widths(ws: &mut Worksheet, width: u16) -> XResult<()> {
    ws.set_column_width(0, 5)?;
    ws.set_column_width(1, 28)?;
    for c in 2..width {
        ws.set_column_width(c, 9)?;
    }
    Ok(())
}

/// Print on A4 landscape, one page wide, the header rows (from `top` to
/// the column numbers at `last`) on every page; freeze them on screen.
pub fn print_setup(ws: &mut Worksheet, top: u32, last: u32, lang: Lang) -> XResult<()> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(top, last)?;
    ws.set_freeze_panes(last + 1, 2)?;
    ws.set_footer(lang.t("&RTrang &P / &N", "&RPage &P of &N"));
    Ok(())
}
