//! One commune's workbook: a sheet per list, each with title rows naming
//! the list, the commune, district, province and year, a header row the
//! catalogue labels, the households, and a signature block; printed on
//! A4 landscape, one page wide, the header row on every page. An empty
//! list says so in words.

use super::names::{self, area_vi, class_vi, indicator_vi, to_collect, yes_no_vi};
use super::{Entry, Kind, Lists, Unit};
use crate::i18n::nfc;
use crate::measure::Level;
use crate::schema::outputs::{self, Var};
use crate::standard::Standard;
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// The catalogue's entry for the lists.
pub const CATALOGUE_PATH: &str = "lists/<year>/danh_sach_xa";

/// The columns every list has, then each list's own (catalogue names).
const COMMON: [&str; 7] = [
    "row_number",
    "household_id",
    "head_name",
    "village",
    "address",
    "ethnic_minority",
    "area",
];
const MOVED: [&str; 3] = ["class_from", "class_to", "deprived_indicators"];
const UNDETERMINED: [&str; 3] = ["possible_classes", "unknown_indicators", "to_collect"];

/// The columns of a list.
pub fn columns(kind: Kind) -> Vec<&'static str> {
    let own: &[&str] = match kind {
        Kind::Undetermined => &UNDETERMINED,
        _ => &MOVED,
    };
    COMMON.iter().chain(own).copied().collect()
}

/// Column widths (characters), by name.
fn width(name: &str) -> f64 {
    match name {
        "row_number" => 5.0,
        "household_id" => 14.0,
        "head_name" => 22.0,
        "village" | "area" | "class_from" | "class_to" => 14.0,
        "address" => 24.0,
        "ethnic_minority" => 7.0,
        "possible_classes" => 16.0,
        _ => 36.0,
    }
}

/// The header of `name`, in Vietnamese, with the year the column is of.
fn header(name: &str, l: &Lists) -> String {
    let file = outputs::FILES.iter().find(|f| f.path == CATALOGUE_PATH);
    let Some(found) = file.and_then(|f| f.column(name)) else {
        return name.to_string();
    };
    let year = match name {
        "class_from" => l.from.unwrap_or(l.year),
        _ => l.year,
    };
    outputs::fill(found.column.vi, &[(Var::Year, year.to_string())], true)
}

/// A cell of `e` in column `name`.
fn value(name: &str, n: usize, e: &Entry, st: Option<&Standard>) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let words = |ids: &[String]| {
        (ids.iter())
            .map(|i| indicator_vi(st, i))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match name {
        "row_number" => n.to_string(),
        "household_id" => e.household_id.clone(),
        "head_name" => opt(&e.head_name),
        "village" => opt(&e.village),
        "address" => opt(&e.address),
        "ethnic_minority" => yes_no_vi(&opt(&e.ethnic_minority)).to_string(),
        "area" => area_vi(&opt(&e.area)).to_string(),
        "class_from" => e.class_from.as_deref().map(class_vi).unwrap_or_default(),
        "class_to" => class_vi(&e.class_to),
        "deprived_indicators" => words(&e.deprived),
        "possible_classes" => (e.possible.iter())
            .map(|c| class_vi(c))
            .collect::<Vec<_>>()
            .join(" hoặc "),
        "unknown_indicators" => words(&e.unknown),
        "to_collect" if e.unknown.is_empty() => {
            "Thu nhập hoặc điểm rà soát của hộ (chưa đủ để xếp loại)".into()
        }
        "to_collect" => (e.unknown.iter())
            .map(|i| to_collect(st, i))
            .collect::<Vec<_>>()
            .join("; "),
        _ => String::new(),
    }
}

struct Formats {
    title: Format,
    line: Format,
    header: Format,
    cell: Format,
    empty: Format,
    sign: Format,
}

impl Formats {
    fn new() -> Self {
        let border = |f: Format| f.set_border(FormatBorder::Thin).set_text_wrap();
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(14)
                .set_align(FormatAlign::Center),
            line: Format::new().set_align(FormatAlign::Center).set_text_wrap(),
            header: border(
                Format::new()
                    .set_bold()
                    .set_align(FormatAlign::Center)
                    .set_align(FormatAlign::VerticalCenter)
                    .set_background_color(Color::RGB(0xE8EEF4)),
            ),
            cell: border(Format::new().set_align(FormatAlign::Top)),
            empty: border(Format::new().set_italic().set_align(FormatAlign::Center)),
            sign: Format::new().set_bold().set_align(FormatAlign::Center),
        }
    }
}

/// The workbook of one commune's lists, as bytes.
pub fn workbook(
    l: &Lists,
    unit: &Unit,
    lists: &[(Kind, Vec<Entry>)],
    st: Option<&Standard>,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date: the same lists give the same bytes.
    wb.set_properties(
        &DocProperties::new()
            .set_title("Danh sách hộ cần theo dõi")
            .set_author("dachieu")
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );
    let fm = Formats::new();
    for (kind, entries) in lists {
        let ws = wb.add_worksheet();
        ws.set_name(kind.sheet())?;
        write_list(ws, l, unit, (*kind, entries), st, &fm)?;
    }
    wb.save_to_buffer()
}

/// The title rows; returns the row after them.
fn title_rows(
    ws: &mut Worksheet,
    (l, unit, kind): (&Lists, &Unit, Kind),
    st: Option<&Standard>,
    last: u16,
    fm: &Formats,
) -> Result<u32, XlsxError> {
    let place = names::place(&l.names, l.year, unit);
    let mut lines = vec![
        (kind.title(l.year), &fm.title),
        (place[0].clone(), &fm.line),
        (place[1..].join(" – "), &fm.line),
        (kind.rule(l.year, l.from), &fm.line),
    ];
    let standard = match st {
        // The standard's Vietnamese name (its legal basis is in the
        // report and the workbook's notes, in English in the bundled data).
        Some(s) => format!("Chuẩn nghèo: {}", s.name_vi),
        None => format!("Chuẩn nghèo: {}", l.standard),
    };
    if st.is_some() || !l.standard.is_empty() {
        lines.push((standard, &fm.line));
    }
    for (r, (text, f)) in lines.iter().enumerate() {
        ws.merge_range(r as u32, 0, r as u32, last, &nfc(text), f)?;
    }
    ws.set_row_height(3, 30)?;
    Ok(lines.len() as u32 + 1)
}

fn write_list(
    ws: &mut Worksheet,
    l: &Lists,
    unit: &Unit,
    (kind, entries): (Kind, &[Entry]),
    st: Option<&Standard>,
    fm: &Formats,
) -> Result<(), XlsxError> {
    let cols = columns(kind);
    let last = (cols.len() - 1) as u16;
    let head = title_rows(ws, (l, unit, kind), st, last, fm)?;
    ws.write_string(
        head - 1,
        0,
        format!("Số hộ trong danh sách: {}", entries.len()),
    )?;
    for (c, name) in cols.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, nfc(&header(name, l)), &fm.header)?;
        ws.set_column_width(c as u16, width(name))?;
    }
    let mut row = head + 1;
    if entries.is_empty() {
        let why = match (kind, l.from) {
            (Kind::Undetermined, _) | (_, Some(_)) => {
                "Không có hộ nào trong danh sách này.".to_string()
            }
            (_, None) => format!(
                "Chỉ có số liệu năm {}: danh sách này cần kết quả rà soát năm trước để so sánh.",
                l.year
            ),
        };
        ws.merge_range(row, 0, row, last, &why, &fm.empty)?;
        row += 1;
    }
    for (n, e) in entries.iter().enumerate() {
        for (c, name) in cols.iter().enumerate() {
            let v = nfc(&value(name, n + 1, e, st));
            if *name == "row_number" {
                ws.write_number_with_format(row, c as u16, (n + 1) as f64, &fm.cell)?;
            } else {
                ws.write_string_with_format(row, c as u16, &v, &fm.cell)?;
            }
        }
        row += 1;
    }
    // Signature block: who drew the list up, who approves it.
    row += 1;
    ws.merge_range(row, 0, row, 3, "Người lập danh sách", &fm.sign)?;
    let commune = l.names.name(Level::Commune, l.year, &unit.commune);
    let council = format!(
        "TM. Ủy ban nhân dân {}",
        names::commune_kind(commune.as_deref())
    );
    ws.merge_range(row, 5, row, last, &council, &fm.sign)?;
    ws.set_freeze_panes(head + 1, 0)?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(head, head)?;
    ws.set_footer("&L&A&RTrang &P / &N");
    Ok(())
}
