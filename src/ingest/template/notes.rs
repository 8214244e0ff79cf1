//! The template's explanations: the note on each header cell, the notes
//! sheet (how to fill the workbook, then every column: label, machine
//! name, type, unit, allowed values, required, an example, the contract's
//! description) and the sheet of province codes.

use super::{choices, columns, header, header_format};
use crate::geo::geography;
use crate::i18n::Lang;
use crate::schema::{labels, ColType, ColumnSpec, TableKind};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// The columns' type, in the reader's language.
pub fn type_text(ty: ColType, lang: Lang) -> String {
    match (ty, lang) {
        (ColType::Int, Lang::Vi) => "số nguyên".into(),
        (ColType::Float, Lang::Vi) => "số (có thể có phần thập phân)".into(),
        (ColType::Bool, Lang::Vi) => "có/không (hoặc 1/0)".into(),
        (ColType::Code(_), Lang::Vi) => "mã trong danh sách".into(),
        (ColType::AdminCode(w), Lang::Vi) => format!("mã hành chính {w} chữ số, nhập dạng văn bản"),
        (ColType::Text, Lang::Vi) => "văn bản".into(),
        (ColType::Bool, Lang::En) => "yes/no (or 1/0)".into(),
        (ColType::AdminCode(w), Lang::En) => format!("{w}-digit administrative code, as text"),
        (ColType::Code(_), Lang::En) => "a code from the list".into(),
        (ty, Lang::En) => ty.describe(),
    }
}

/// The allowed values of a column, in the reader's language.
pub fn allowed_text(c: &ColumnSpec, lang: Lang) -> String {
    let range = c.range.map(|r| {
        let lo = r.min.map(|m| match (r.min_inclusive, lang) {
            (true, Lang::Vi) => format!("từ {m}"),
            (false, Lang::Vi) => format!("lớn hơn {m}"),
            (true, Lang::En) => format!("at least {m}"),
            (false, Lang::En) => format!("greater than {m}"),
        });
        let hi = r
            .max
            .map(|m| lang.t("đến ", "at most ").to_string() + &m.to_string());
        [lo, hi]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
    });
    match c.ty {
        ColType::Code(codes) => {
            let vi = choices(c, Lang::Vi).unwrap_or_default();
            let spelled: Vec<String> = (codes.iter().zip(&vi))
                .map(|(code, v)| match *code == v.as_str() {
                    true => code.to_string(),
                    false => format!("{code} ({v})"),
                })
                .collect();
            spelled.join(", ")
        }
        ColType::Bool => lang.t("có, không (hoặc 1, 0)", "yes, no (or 1, 0)").into(),
        ColType::AdminCode(2) => lang
            .t("xem trang Mã tỉnh", "see the Province codes sheet")
            .into(),
        ColType::AdminCode(w) => {
            let mut s = match lang {
                Lang::Vi => {
                    format!("{w} chữ số theo danh mục của Tổng cục Thống kê (giữ số 0 đầu)")
                }
                Lang::En => format!("{w} digits, GSO's list (keep leading zeros)"),
            };
            if c.name == "district_code" {
                s += lang.t(
                    "; để trống với năm khảo sát từ 2025 (34 đơn vị cấp tỉnh, không còn cấp huyện)",
                    "; blank for survey years from 2025 (34 provincial units, no districts)",
                );
            }
            s
        }
        _ => range.unwrap_or_default(),
    }
}

/// An example value of a column (what one filled cell could hold).
pub fn example(c: &ColumnSpec, lang: Lang) -> String {
    let yes = lang.t("có", "yes");
    match (c.name, c.ty) {
        ("survey_year", _) => "2024".into(),
        ("household_id", _) => "01-001-00001".into(),
        ("member_id", _) => "1".into(),
        ("household_size", _) => "4".into(),
        ("income_per_capita_month", _) => "1500000".into(),
        ("income_total_year", _) => "72000000".into(),
        ("score_b1" | "score_a", _) => "150".into(),
        ("floor_area_m2", _) => "32.5".into(),
        ("water_minutes" | "child_deaths_5y", _) => "0".into(),
        ("weight", _) => "1".into(),
        ("age", _) => "35".into(),
        ("birth_year", _) => "1989".into(),
        ("bmi", _) => "21.3".into(),
        ("years_schooling", _) => "9".into(),
        ("village", _) => lang.t("Thôn 3", "Village 3").into(),
        ("head_name", _) => "Nguyễn Văn A".into(),
        ("address", _) => lang
            .t("Số 12 đường Trần Hưng Đạo", "12 Tran Hung Dao street")
            .into(),
        ("admin_scheme", _) => "63".into(),
        ("stratum" | "psu", _) => "1".into(),
        (_, ColType::AdminCode(w)) => format!("{:0>w$}", 1),
        (_, ColType::Bool) => yes.into(),
        (_, ColType::Code(_)) => {
            (choices(c, lang).unwrap_or_default().into_iter().next()).unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// The note on a header cell: machine name, type, unit, required.
pub fn cell_note(c: &ColumnSpec, lang: Lang) -> String {
    let unit = labels::label(c.name).map_or("", |l| l.unit(lang));
    let mut lines = vec![
        format!("{}: {}", lang.t("Tên cột (máy đọc)", "Column name"), c.name),
        format!("{}: {}", lang.t("Kiểu", "Type"), type_text(c.ty, lang)),
    ];
    if !unit.is_empty() {
        lines.push(format!("{}: {unit}", lang.t("Đơn vị", "Unit")));
    }
    lines.push(required_text(c, lang).into());
    lines.join("\n")
}

fn required_text(c: &ColumnSpec, lang: Lang) -> &'static str {
    match c.required {
        true => lang.t("Bắt buộc", "Required"),
        false => lang.t(
            "Không bắt buộc: để trống nếu không có",
            "Optional: leave blank if unknown",
        ),
    }
}

/// How to fill the workbook, a line each.
fn guide(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Vi => &[
            "Mẫu nhập liệu cho dachieu. Trang households: mỗi hộ một dòng; trang members: mỗi thành viên một dòng.",
            "Không đổi tên trang và không sửa dòng tiêu đề. Nhập từ dòng 2; không để dòng ví dụ hay dòng tổng cộng.",
            "Tiêu đề màu cam là cột bắt buộc. Cột nào không có số liệu thì để trống (ô trống là 'chưa biết', không phải 0 hay 'không').",
            "Mã tỉnh, mã huyện, mã xã và mã hộ nhập dạng văn bản, giữ số 0 đầu (01, 001, 00001).",
            "Thu nhập tính bằng đồng, là số nguyên (1500000 hoặc 1.500.000).",
            "Cột có/không: chọn trong danh sách (có, không) hoặc nhập 1/0. Cột mã: chọn trong danh sách.",
            "Một thành viên phải thuộc một hộ có trong trang households cùng năm khảo sát (cùng Mã hộ).",
            "Lưu dưới dạng .xlsx rồi đưa vào dachieu. Dòng không hợp lệ được liệt kê kèm lý do để sửa và nộp lại.",
        ],
        Lang::En => &[
            "Input template for dachieu. Sheet households: one row per household; sheet members: one row per member.",
            "Do not rename the sheets or change the header row. Start on row 2; no example or total rows.",
            "Orange headers are required columns. Leave a cell blank when the value is not known (blank means unknown, not 0 or no).",
            "Province, district, commune and household codes are text: keep leading zeros (01, 001, 00001).",
            "Incomes are in VND, whole numbers (1500000 or 1,500,000).",
            "Yes/no columns: pick from the list (yes, no) or type 1/0. Coded columns: pick from the list.",
            "A member must belong to a household of the households sheet in the same survey year (same Household id).",
            "Save as .xlsx and give it to dachieu. Rows that are not valid are listed with the reason, to fix and submit again.",
        ],
    }
}

/// A notes sheet's title in bold, then its guide a line a row; the row
/// after a blank one (where its table starts).
pub fn title_and_guide(ws: &mut Worksheet, title: &str, guide: &[&str]) -> Result<u32, XlsxError> {
    let bold = Format::new().set_bold().set_font_size(14);
    ws.write_string_with_format(0, 0, title, &bold)?;
    for (i, line) in guide.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, *line)?;
    }
    Ok(guide.len() as u32 + 2)
}

/// The notes sheet: the guide, then a row per column of both sheets.
pub fn notes_sheet(ws: &mut Worksheet, lang: Lang) -> Result<(), XlsxError> {
    let wrap = Format::new().set_text_wrap();
    let title = lang.t("Hướng dẫn nhập liệu", "How to fill in");
    let top = title_and_guide(ws, title, guide(lang))?;
    let heads = [
        lang.t("Trang", "Sheet"),
        lang.t("Tiêu đề cột", "Column header"),
        lang.t("Tên cột (máy đọc)", "Column name"),
        lang.t("Kiểu", "Type"),
        lang.t("Đơn vị", "Unit"),
        lang.t("Giá trị cho phép", "Allowed values"),
        lang.t("Bắt buộc", "Required"),
        lang.t("Ví dụ", "Example"),
        lang.t("Mô tả (tiếng Anh, theo quy ước dữ liệu)", "Description"),
    ];
    let widths = [12.0, 30.0, 24.0, 22.0, 10.0, 40.0, 12.0, 16.0, 70.0];
    for (i, (h, w)) in heads.iter().zip(widths).enumerate() {
        ws.write_string_with_format(top, i as u16, *h, &header_format(false))?;
        ws.set_column_width(i as u16, w)?;
    }
    let mut r = top + 1;
    for kind in [TableKind::Households, TableKind::Members] {
        for c in columns(kind) {
            let unit = labels::label(c.name).map_or("", |l| l.unit(lang));
            let cells = [
                kind.name().to_string(),
                header(c, lang),
                c.name.to_string(),
                type_text(c.ty, lang),
                unit.to_string(),
                allowed_text(c, lang),
                lang.t(
                    if c.required { "có" } else { "không" },
                    if c.required { "yes" } else { "no" },
                )
                .to_string(),
                example(c, lang),
                c.doc.to_string(),
            ];
            for (i, v) in cells.iter().enumerate() {
                ws.write_string_with_format(r, i as u16, v, &wrap)?;
            }
            r += 1;
        }
    }
    ws.set_freeze_panes(top + 1, 0)?;
    Ok(())
}

/// The province codes: the 63 provinces (until 30/06/2025) beside the 34
/// provincial units (from 01/07/2025).
pub fn province_sheet(ws: &mut Worksheet, lang: Lang) -> Result<(), XlsxError> {
    let geo = geography();
    let heads = [
        lang.t(
            "Mã tỉnh (63 tỉnh, đến 30/06/2025)",
            "Code (63 provinces, until 30/06/2025)",
        ),
        lang.t("Tên tỉnh", "Province"),
        "",
        lang.t(
            "Mã (34 đơn vị, từ 01/07/2025)",
            "Code (34 units, from 01/07/2025)",
        ),
        lang.t("Tên đơn vị", "Unit"),
    ];
    for (i, h) in heads.iter().enumerate() {
        if !h.is_empty() {
            ws.write_string_with_format(0, i as u16, *h, &header_format(false))?;
        }
    }
    for (i, w) in [22.0, 28.0, 4.0, 22.0, 28.0].into_iter().enumerate() {
        ws.set_column_width(i as u16, w)?;
    }
    let text = Format::new().set_num_format("@");
    for (r, p) in geo.provinces.values().enumerate() {
        ws.write_string_with_format(1 + r as u32, 0, &p.code, &text)?;
        ws.write_string(1 + r as u32, 1, lang.t(&p.name_vi, &p.name_en))?;
    }
    for (r, u) in geo.units_2025.values().enumerate() {
        ws.write_string_with_format(1 + r as u32, 3, &u.code, &text)?;
        ws.write_string(1 + r as u32, 4, lang.t(&u.name_vi, &u.name_en))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}
