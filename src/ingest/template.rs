//! The Excel input template: a workbook a person fills in Excel and ingest
//! reads as it is. Sheets `households` and `members` (the names ingest
//! looks for) with the columns' labels as the header row — Vietnamese or
//! English, both accepted by ingest as aliases (`schema::labels`) — a note
//! on each header cell with the machine name, type and unit, codes and
//! identifiers formatted as text (so `01` stays `01`), drop-down lists
//! where the codes are few, and a frozen header. No example row in the data
//! sheets (ingest would read it as data); the notes sheet gives an example
//! value per column, and a sheet lists the province codes.

mod notes;
pub use notes::title_and_guide;

use crate::i18n::Lang;
use crate::schema::{self, labels, ColType, ColumnSpec, TableKind};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatBorder, Note, Workbook,
    Worksheet, XlsxError,
};
use std::path::Path;

/// The file `dachieu template` writes when no `--out` is given.
pub const DEFAULT_FILE: &str = "dachieu_mau_nhap_lieu.xlsx";

/// Rows the drop-down lists and formats cover below the header.
const LAST_ROW: u32 = 1_048_575;

/// Where the kept columns go among the contract's: after the column named.
const KEPT_AFTER: &[(&str, &str)] = &[
    ("village", "commune_code"),
    ("head_name", "village"),
    ("address", "head_name"),
    ("ethnic_minority", "area"),
];

/// The columns of a table's sheet, in order: the contract's, and for
/// households the kept columns placed beside the columns they go with
/// (`admin_scheme`, rarely needed, last).
pub fn columns(kind: TableKind) -> Vec<&'static ColumnSpec> {
    let mut out: Vec<&'static ColumnSpec> = kind.columns().iter().collect();
    if kind == TableKind::Households {
        for kept in schema::KEPT_COLUMNS {
            let after = KEPT_AFTER.iter().find(|(k, _)| *k == kept.name);
            let at = after
                .and_then(|(_, a)| out.iter().position(|c| c.name == *a))
                .map_or(out.len(), |i| i + 1);
            out.insert(at, kept);
        }
    }
    out
}

/// The header a sheet of the template gives `c` (its label and unit).
pub fn header(c: &ColumnSpec, lang: Lang) -> String {
    labels::label(c.name).map_or_else(|| c.name.to_string(), |l| l.header(lang))
}

/// Write the input template to `path` (`lang`: the headers' and notes'
/// language; ingest reads either).
pub fn write_template(path: &Path, lang: Lang) -> anyhow::Result<()> {
    let bytes = workbook(lang)?;
    crate::files::write_atomic(path, &bytes)?;
    Ok(())
}

/// The template as the bytes of an .xlsx file.
pub fn workbook(lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    for kind in [TableKind::Households, TableKind::Members] {
        let ws = wb.add_worksheet();
        ws.set_name(kind.name())?;
        data_sheet(ws, kind, lang)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name(lang.t("Ghi chú", "Notes"))?;
    notes::notes_sheet(ws, lang)?;
    let ws = wb.add_worksheet();
    ws.set_name(lang.t("Mã tỉnh", "Province codes"))?;
    notes::province_sheet(ws, lang)?;
    wb.save_to_buffer()
}

/// The header cell's format: bold, wrapped, filled (darker when the
/// column is required).
pub fn header_format(required: bool) -> Format {
    let fill = if required { 0xF4B183 } else { 0xDDEBF7 };
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(fill))
        .set_border(FormatBorder::Thin)
}

/// The width a column gets for its header.
pub fn width(header: &str) -> f64 {
    (header.chars().count() as f64 * 0.6).clamp(10.0, 24.0)
}

fn data_sheet(ws: &mut Worksheet, kind: TableKind, lang: Lang) -> Result<(), XlsxError> {
    let text = Format::new().set_num_format("@");
    for (i, c) in columns(kind).into_iter().enumerate() {
        let col = i as u16;
        let h = header(c, lang);
        if matches!(c.ty, ColType::Text | ColType::AdminCode(_)) {
            ws.set_column_format(col, &text)?;
        }
        ws.write_string_with_format(0, col, &h, &header_format(c.required))?;
        ws.set_column_width(col, width(&h))?;
        let note = Note::new(notes::cell_note(c, lang))
            .add_author_prefix(false)
            .set_width(300)
            .set_height(130);
        ws.insert_note(0, col, &note)?;
        if let Some(list) = choices(c, lang) {
            let dv = DataValidation::new()
                .allow_list_strings(&list)?
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title(lang.t("Giá trị ngoài danh sách", "Value not in the list"))?
                .set_error_message(lang.t(
                    "Giá trị này không có trong danh sách; xem trang Ghi chú. Chọn Có (Yes) để giữ nếu chắc chắn.",
                    "This value is not in the list; see the Notes sheet. Choose Yes to keep it if you are sure.",
                ))?;
            ws.add_data_validation(1, col, LAST_ROW, col, &dv)?;
        }
    }
    ws.set_row_height(0, 48)?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

/// The drop-down list of a yes/no or coded column: Vietnamese spellings in
/// a Vietnamese template when every code has one, else the codes.
pub fn choices(c: &ColumnSpec, lang: Lang) -> Option<Vec<String>> {
    match c.ty {
        ColType::Bool => Some(match lang {
            Lang::Vi => vec!["có".into(), "không".into()],
            Lang::En => vec!["yes".into(), "no".into()],
        }),
        ColType::Code(codes) => {
            let vi: Option<Vec<String>> = match lang {
                Lang::Vi => codes.iter().map(|code| vi_spelling(c, code)).collect(),
                Lang::En => None,
            };
            Some(vi.unwrap_or_else(|| codes.iter().map(|s| s.to_string()).collect()))
        }
        _ => None,
    }
}

/// The Vietnamese spelling of `code` among the column's accepted ones (the
/// one with diacritics, else the first), written with spaces.
pub fn vi_spelling(c: &ColumnSpec, code: &str) -> Option<String> {
    let spellings: Vec<&str> = (c.code_aliases.iter())
        .filter(|(a, to)| *to == code && a.parse::<f64>().is_err())
        .map(|(a, _)| *a)
        .collect();
    let pick = (spellings.iter().find(|a| !a.is_ascii()))
        .or(spellings.first())
        .copied()?;
    Some(pick.replace('_', " "))
}
