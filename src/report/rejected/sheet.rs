//! The rejected rows' workbook written: a sheet per table, then the notes.

use super::{Book, Found, Table};
use crate::i18n::Lang;
use crate::ingest::template::{header, header_format, title_and_guide, width};
use crate::schema::TableKind;
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet, XlsxError};

/// The explanation columns after the table's own, in the reader's language.
fn tail(lang: Lang) -> [&'static str; 4] {
    match lang {
        Lang::Vi => ["Cột", "Giá trị", "Lý do", "Cách sửa"],
        Lang::En => ["Column", "Value", "Reason", "How to fix"],
    }
}

pub fn workbook(book: &Book, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for t in &book.tables {
        let ws = wb.add_worksheet();
        ws.set_name(t.kind.name())?;
        table_sheet(ws, t, lang)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(lang.t("Hướng dẫn sửa", "How to fix"))?;
    notes_sheet(ws, book, lang)?;
    wb.save_to_buffer()
}

fn table_sheet(ws: &mut Worksheet, t: &Table, lang: Lang) -> Result<(), XlsxError> {
    let info = header_format(false).set_background_color(Color::RGB(0xE2EFDA));
    let first = [
        lang.t("Tệp", "File"),
        lang.t("Dòng trong tệp", "Row in file"),
    ];
    let headers: Vec<String> = (t.columns.iter().map(|c| header(c, lang)))
        .chain(t.others.iter().cloned())
        .collect();
    let explain_at = (2 + headers.len()) as u16;
    for (i, h) in first.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &info)?;
    }
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 10)?;
    for (i, h) in headers.iter().enumerate() {
        let required = t.columns.get(i).is_some_and(|c| c.required);
        ws.write_string_with_format(0, 2 + i as u16, h, &header_format(required))?;
        ws.set_column_width(2 + i as u16, width(h))?;
    }
    for (i, (h, w)) in tail(lang).iter().zip([24.0, 14.0, 50.0, 50.0]).enumerate() {
        ws.write_string_with_format(0, explain_at + i as u16, *h, &info)?;
        ws.set_column_width(explain_at + i as u16, w)?;
    }
    let text = Format::new().set_num_format("@");
    let bad = text
        .clone()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_bold()
        .set_border(FormatBorder::Thin);
    let unknown = text.clone().set_background_color(Color::RGB(0xEDEDED));
    let wrap = Format::new().set_text_wrap();
    for (r, row) in t.rows.iter().enumerate() {
        let r = 1 + r as u32;
        ws.write_string(r, 0, &row.source)?;
        ws.write_number(r, 1, row.row as f64)?;
        for (i, v) in row.cells.iter().enumerate() {
            let f = match (row.bad.contains(&i), row.original) {
                (true, _) => &bad,
                (false, true) => &text,
                (false, false) => &unknown,
            };
            ws.write_string_with_format(r, 2 + i as u16, v, f)?;
        }
        let joined = |f: &dyn Fn(&super::Problem) -> &str| {
            row.problems.iter().map(f).collect::<Vec<_>>().join("\n")
        };
        let cols = [
            joined(&|p| &p.column),
            joined(&|p| &p.value),
            joined(&|p| &p.reason),
            joined(&|p| &p.fix),
        ];
        for (i, v) in cols.iter().enumerate() {
            ws.write_string_with_format(r, explain_at + i as u16, v, &wrap)?;
        }
    }
    ws.set_row_height(0, 48)?;
    ws.set_freeze_panes(1, 2)?;
    if !t.rows.is_empty() {
        ws.autofilter(0, 0, t.rows.len() as u32, explain_at + 3)?;
    }
    Ok(())
}

/// How to fix and submit again, a line each.
fn guide(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Vi => &[
            "Các dòng dưới đây bị loại khi nạp dữ liệu; chúng chưa được tính vào bất kỳ số liệu nào.",
            "Trang households là các dòng của bảng hộ, trang members là các dòng của bảng thành viên. Mỗi dòng bị loại một dòng, ô sai tô đỏ.",
            "Cột Tệp và Dòng trong tệp cho biết dòng nằm ở đâu trong tệp gốc; các cột Cột, Giá trị, Lý do, Cách sửa nói sai gì và cách sửa.",
            "Cách sửa: mở tệp gốc, tìm đúng dòng đó, sửa các ô tô đỏ theo cột Cách sửa, lưu lại rồi nạp lại toàn bộ dữ liệu.",
            "Không nạp tệp này thay cho tệp gốc và không chép các dòng này vào thêm một tệp khác: dòng sai vẫn còn trong tệp gốc sẽ bị loại lại, và một hộ có ở cả hai tệp sẽ bị coi là trùng.",
            "Một thành viên bị loại vì hộ của nó bị loại: chỉ cần sửa dòng của hộ.",
            "Ô màu xám: không đọc lại được giá trị gốc của dòng (xem bảng dưới); chỉ có giá trị bị loại.",
        ],
        Lang::En => &[
            "The rows below were rejected on ingest; they are not counted in any figure.",
            "Sheet households holds rows of the households table, sheet members rows of the members table. One line per rejected row, the bad cells in red.",
            "File and Row in file say where the row is in its original file; Column, Value, Reason and How to fix say what is wrong and what to do.",
            "To fix: open the original file, find that row, correct the red cells as How to fix says, save, and submit all the data again.",
            "Do not submit this workbook instead of the original, nor copy these rows into another file: the bad row still in the original is rejected again, and a household in both files is a duplicate.",
            "A member rejected because its household was: fix the household's row only.",
            "Grey cells: the row's original values could not be read again (see the table below); only the rejected values are shown.",
        ],
    }
}

fn notes_sheet(ws: &mut Worksheet, book: &Book, lang: Lang) -> Result<(), XlsxError> {
    let title = lang.t("Sửa các dòng bị loại", "Fixing the rejected rows");
    let top = title_and_guide(ws, title, guide(lang))?;
    let heads = [
        lang.t("Tệp", "File"),
        lang.t("Bảng", "Table"),
        lang.t("Số dòng bị loại", "Rejected rows"),
        lang.t("Giá trị gốc", "Original values"),
    ];
    for (i, (h, w)) in heads.iter().zip([60.0, 14.0, 16.0, 70.0]).enumerate() {
        ws.write_string_with_format(top, i as u16, *h, &header_format(false))?;
        ws.set_column_width(i as u16, w)?;
    }
    for (r, (source, kind, found)) in book.sources.iter().enumerate() {
        let r = top + 1 + r as u32;
        let t = &book.tables[(*kind == TableKind::Members) as usize];
        let n = t.rows.iter().filter(|row| &row.source == source).count();
        ws.write_string(r, 0, source)?;
        ws.write_string(r, 1, kind.name())?;
        ws.write_number(r, 2, n as f64)?;
        ws.write_string(r, 3, found_text(*found, lang))?;
    }
    Ok(())
}

fn found_text(found: Found, lang: Lang) -> &'static str {
    match found {
        Found::Yes => lang.t("đọc lại được từ tệp gốc", "read again from the original file"),
        Found::Missing => lang.t(
            "không tìm thấy tệp gốc: chỉ có giá trị bị loại",
            "the original file was not found: only the rejected values",
        ),
        Found::Changed => lang.t(
            "tệp gốc không còn giữ các giá trị bị loại ở các dòng đó (đã sửa sau khi nạp, hoặc được đọc với --encoding): chỉ có giá trị bị loại",
            "the original file no longer holds the rejected values at those rows (edited since, or read with --encoding): only the rejected values",
        ),
    }
}
