//! The Excel workbook: one sheet per table, numbers stored as numbers (so a
//! researcher can sort, filter and compute) with a display format per kind
//! of column, sheet names and headers in the workbook's language from the
//! catalogue of outputs (`schema::outputs`; the codebook `docs/outputs.md`
//! maps each label to its machine name in the CSV), and the file written
//! atomically.

use super::labels::{kind, Kind};
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
    write_workbook_with_forms(path, None, sheets, lang, notices)
}

/// As `write_workbook`, with the summary forms (`report::forms`) as the
/// first sheets after the notices.
pub fn write_workbook_with_forms(
    path: &Path,
    forms: Option<&super::forms::FormBook>,
    sheets: &[(&str, &Frame)],
    lang: Lang,
    notices: &[Notice],
) -> Result<()> {
    let bytes = workbook_bytes(sheets, lang, notices, forms).map_err(|e| match e {
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

fn workbook_bytes(
    sheets: &[(&str, &Frame)],
    lang: Lang,
    notices: &[Notice],
    forms: Option<&super::forms::FormBook>,
) -> std::result::Result<Vec<u8>, Problem> {
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
    if !notices.is_empty() {
        write_notices(wb.add_worksheet(), notices, lang)?;
    }
    if let Some(book) = forms {
        super::forms::add_sheets(&mut wb, book, lang)?;
    }
    let titles: Vec<String> = sheets.iter().map(|(n, _)| title(n, lang)).collect();
    let names = sheet_names(titles.iter().map(String::as_str));
    for ((table, frame), name) in sheets.iter().zip(names) {
        let ws = wb.add_worksheet();
        ws.set_name(&name)?;
        write_sheet(ws, (&name, table), frame, lang, &formats)?;
    }
    Ok(wb.save_to_buffer()?)
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
    lang: Lang,
    fm: &Formats,
) -> std::result::Result<(), Problem> {
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
        let header = nfc(&label(table, col_name(f, c), lang));
        ws.write_string_with_format(0, col, clip(&header), &fm.header)?;
        let k = kind(col_name(f, c), f.columns.get(c));
        let whole = k == Kind::Weighted && all_whole(f.columns.get(c));
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
    // Printing: landscape A4, one page wide, header row on every page.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    ws.set_header("&L&A");
    ws.set_footer(lang.t("&RTrang &P / &N", "&RPage &P of &N"));
    Ok(())
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
mod tests {
    use super::*;
    use calamine::{open_workbook_auto, Data, Reader};

    fn sample() -> Frame {
        let mut f = Frame::default();
        f.push(
            "survey_year",
            Column::Int(vec![Some(2020), Some(2021), None]),
        );
        f.push(
            "name",
            Column::Str(vec![
                Some("Điện Biên".into()),
                Some("Thừa Thiên Huế".into()),
                None,
            ]),
        );
        f.push(
            "households",
            Column::Int(vec![Some(27345), Some(-3), Some(0)]),
        );
        f.push(
            "households_weighted",
            Column::Float(vec![Some(27345.125), None, Some(1e9 / 3.0)]),
        );
        f.push(
            "poor_pct",
            Column::Float(vec![Some(25.896_414_342_629_48), Some(0.1 + 0.2), None]),
        );
        f.push(
            "estimate",
            Column::Float(vec![Some(0.044389027431421445), Some(f64::NAN), Some(-0.0)]),
        );
        f.push(
            "note",
            Column::Str(vec![
                Some("=1+1".into()),
                Some("<b>&'\"".into()),
                Some("x\ty".into()),
            ]),
        );
        f
    }

    fn expected(f: &Frame, c: usize, r: usize) -> Data {
        match cell(f, c, r) {
            Cell::Int(v) => Data::Float(v as f64),
            Cell::Float(v) if v.is_finite() => Data::Float(v),
            Cell::Str(s) if !s.is_empty() => Data::String(nfc(s)),
            _ => Data::Empty,
        }
    }

    #[test]
    fn content_round_trips_through_calamine() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/tables.xlsx");
        let f = sample();
        let mut empty = Frame::default();
        empty.push("only_header", Column::Str(vec![]));
        let sheets = [
            ("rates/province: [2020]", &f),
            ("Tỷ lệ hộ nghèo theo tỉnh và theo vùng, 2020–2021", &f),
            ("RATES_PROVINCE_ 2020_", &f),
            ("'quoted'", &empty),
            ("", &empty),
        ];
        write_workbook(&path, &sheets, Lang::Vi, &[]).unwrap();
        // Written atomically: no temporary file left beside it.
        assert_eq!(
            std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
            1
        );

        let mut wb = open_workbook_auto(&path).unwrap();
        let names = wb.sheet_names();
        assert_eq!(
            names,
            [
                "rates_province_ _2020_",
                "Tỷ lệ hộ nghèo theo tỉnh và the",
                "RATES_PROVINCE_ 2020_",
                "quoted",
                "Sheet5",
            ]
        );
        for name in &names[..3] {
            let range = wb.worksheet_range(name).unwrap();
            let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
            assert_eq!(rows.len(), n_rows(&f) + 1, "{name}");
            for (c, h) in f.names.iter().enumerate() {
                assert_eq!(rows[0][c], Data::String(h.clone()));
            }
            assert_eq!(rows[0].len(), n_cols(&f));
            for (r, row) in rows[1..].iter().enumerate() {
                for (c, got) in row.iter().enumerate() {
                    match (expected(&f, c, r), got) {
                        (Data::Float(x), Data::Float(y)) => {
                            assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{x} vs {y}")
                        }
                        (want, got) => assert_eq!(&want, got, "row {r} col {c}"),
                    }
                }
            }
        }
        let header_only = wb.worksheet_range("quoted").unwrap();
        assert_eq!(
            header_only.get((0, 0)),
            Some(&Data::String("only_header".into()))
        );
        assert_eq!(header_only.height(), 1);
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let long = "a".repeat(40);
        let names = sheet_names(
            [
                "Data", "data", "DATA", &long, &long, "History", "x*y?", "''",
            ]
            .into_iter(),
        );
        assert_eq!(names[0], "Data");
        assert_eq!(names[1], "data (2)");
        assert_eq!(names[2], "DATA (3)");
        assert_eq!(names[3], "a".repeat(31));
        assert_eq!(names[4], format!("{} (2)", "a".repeat(27)));
        assert_eq!(names[5], "Sheet6");
        assert_eq!(names[6], "x_y_");
        assert_eq!(names[7], "Sheet8");
        for n in &names {
            assert!(utf16_len(n) <= MAX_SHEET_NAME && !n.is_empty(), "{n}");
        }
        // rust_xlsxwriter accepts them all.
        let mut wb = Workbook::new();
        for n in &names {
            wb.add_worksheet().set_name(n).unwrap();
        }
        wb.save_to_buffer().unwrap();
    }

    #[test]
    fn formats_follow_the_column_kind() {
        assert!(all_whole(Some(&Column::Float(vec![Some(2005.0), None]))));
        assert!(!all_whole(Some(&Column::Float(vec![Some(2005.5)]))));
        assert_eq!(number_len(27345.0, Kind::Count, false), 6);
        assert_eq!(number_len(2020.0, Kind::Year, false), 4);
        assert_eq!(clip(&"é".repeat(40_000)).chars().count(), MAX_STRING);
        // Too many rows is an error, not a panic.
        let mut big = Frame::default();
        big.push("n", Column::Int(vec![None; MAX_ROWS]));
        let dir = tempfile::tempdir().unwrap();
        let e = write_workbook(&dir.path().join("x.xlsx"), &[("big", &big)], Lang::En, &[]);
        assert!(e.is_err());
    }

    #[test]
    fn a_catalogued_table_is_titled_and_headed_in_the_workbook_language() {
        let dir = tempfile::tempdir().unwrap();
        let mut f = Frame::default();
        f.push("survey_year", Column::Int(vec![Some(2022)]));
        f.push("near_poor_pct", Column::Float(vec![Some(4.5)]));
        f.push("af_M0", Column::Float(vec![Some(0.01)]));
        f.push("not_in_the_catalogue", Column::Str(vec![Some("x".into())]));
        for (lang, sheet, headers) in [
            (
                Lang::Vi,
                "Tỷ lệ theo huyện",
                [
                    "Năm khảo sát",
                    "Tỷ lệ hộ cận nghèo (%)",
                    "M0 (chỉ số nghèo đa chiều)",
                ],
            ),
            (
                Lang::En,
                "Rates by district",
                ["Survey year", "Near-poor (%)", "M0 (adjusted headcount)"],
            ),
        ] {
            let path = dir.path().join(format!("{}.xlsx", lang.code()));
            write_workbook(&path, &[("rates_district", &f)], lang, &[]).unwrap();
            let mut wb = open_workbook_auto(&path).unwrap();
            assert_eq!(wb.sheet_names(), [sheet]);
            let range = wb.worksheet_range(sheet).unwrap();
            let got: Vec<String> = range
                .rows()
                .next()
                .unwrap()
                .iter()
                .map(|d| d.to_string())
                .collect();
            assert_eq!(got[..3], headers);
            assert_eq!(got[3], "not_in_the_catalogue");
        }
    }

    #[test]
    fn notices_open_the_workbook_on_a_first_sheet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.xlsx");
        let f = sample();
        let alert = crate::report::notices::quarantine(Lang::En, 759, 720).unwrap();
        write_workbook(
            &path,
            &[("rates_province", &f)],
            Lang::En,
            std::slice::from_ref(&alert),
        )
        .unwrap();
        let mut wb = open_workbook_auto(&path).unwrap();
        assert_eq!(wb.sheet_names(), ["Notices", "Rates by province"]);
        let range = wb.worksheet_range("Notices").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String(alert.text)));
    }
}
