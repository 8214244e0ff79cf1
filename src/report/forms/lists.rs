//! The movement form of a list (hộ nghèo, hộ cận nghèo): header, rows and
//! notes (see the parent module for the template it follows).

use super::layout::{self, Fmt, Head, Value, XResult};
use super::{cap, no_data, pct, row_head, title_lines, unit_header, words, Words};
use crate::i18n::Lang;
use crate::measure::forms::{Forms, ListCounts, ListForm};
use crate::measure::Names;
use crate::standard::Standard;
use rust_xlsxwriter::Worksheet;

/// The header of a list's movement form (3 rows, 20 columns).
fn list_heads(f: &Forms, w: &Words, lang: Lang) -> Vec<Head> {
    let (n, r) = (lang.t("Số hộ", "Households"), lang.t("Tỷ lệ %", "Rate %"));
    let dtts = lang.t("Trong đó hộ DTTS", "Of which ethnic-minority");
    let n_dtts = lang.t("Số hộ DTTS", "Ethnic-minority households");
    let mut h = vec![
        Head::new(0, 0, 3, 1, lang.t("TT", "No.")),
        Head::new(0, 1, 3, 1, unit_header(f.level, lang)),
        Head::new(0, 2, 3, 1, lang.t("Tổng số hộ dân cư", "Total households")),
    ];
    let period = |h: &mut Vec<Head>, col: u16, title: String| {
        h.push(Head::new(0, col, 1, 4, title));
        h.push(Head::new(1, col, 2, 1, n));
        h.push(Head::new(1, col + 1, 2, 1, r));
        h.push(Head::new(1, col + 2, 1, 2, dtts));
        h.push(Head::new(2, col + 2, 1, 1, n_dtts));
        h.push(Head::new(2, col + 3, 1, 1, r));
    };
    let (prev, year) = (f.previous, f.year);
    period(
        &mut h,
        3,
        match lang {
            Lang::Vi => format!("Số {} đầu năm (theo kết quả rà soát năm {prev})", w.noun),
            Lang::En => format!(
                "{} at the start of the year (the {prev} review)",
                cap(w.noun)
            ),
        },
    );
    h.push(Head::new(
        0,
        7,
        1,
        9,
        match lang {
            Lang::Vi => format!("Diễn biến {} trong năm", w.noun),
            Lang::En => format!("Movement of {} during the year", w.noun),
        },
    ));
    let pair = |h: &mut Vec<Head>, col: u16, title: String| {
        h.push(Head::new(1, col, 1, 2, title));
        h.push(Head::new(2, col, 1, 1, n));
        h.push(Head::new(2, col + 1, 1, 1, r));
    };
    let hh = lang.t("Số hộ", "Households");
    pair(&mut h, 7, format!("{hh} {}", w.left));
    h.push(Head::new(
        1,
        9,
        2,
        1,
        lang.t("Số hộ không còn trong dữ liệu", "No longer in the records"),
    ));
    pair(&mut h, 10, format!("{hh} {}", w.back));
    pair(
        &mut h,
        12,
        match lang {
            Lang::Vi => format!("Số {}", w.new),
            Lang::En => format!("Households {}", w.new),
        },
    );
    h.push(Head::new(
        1,
        14,
        1,
        2,
        lang.t(
            "Hộ chưa xác định được hoặc loại trừ",
            "Undetermined or excluded households",
        ),
    ));
    h.push(Head::new(
        2,
        14,
        1,
        1,
        lang.t("Đầu năm chuyển sang", "From the start list"),
    ));
    h.push(Head::new(
        2,
        15,
        1,
        1,
        lang.t("Chuyển vào cuối năm", "Into the end list"),
    ));
    period(
        &mut h,
        16,
        match lang {
            Lang::Vi => format!("Số {} cuối năm (kết quả rà soát năm {year})", w.noun),
            Lang::En => format!("{} at the end of the year (the {year} review)", cap(w.noun)),
        },
    );
    h
}

/// The cells of a row of a list's movement form after TT and name.
fn list_cells(c: &ListCounts) -> Vec<Value> {
    let (t, hh) = (&c.tally, c.households);
    let minority = |m: Option<u64>, of: u64| match m {
        Some(m) => [Value::Count(m), pct(m, of)],
        None => [Value::NoData, Value::NoData],
    };
    let mut v = vec![Value::Count(hh), Value::Count(t.start), pct(t.start, hh)];
    v.extend(minority(c.start_minority, t.start));
    v.extend([
        Value::Count(t.left),
        pct(t.left, hh),
        Value::Count(t.gone),
        Value::Count(t.fell_back),
        pct(t.fell_back, hh),
        Value::Count(t.new),
        pct(t.new, hh),
        Value::Count(t.to_undetermined),
        Value::Count(t.from_undetermined),
        Value::Count(t.end),
        pct(t.end, hh),
    ]);
    v.extend(minority(c.end_minority, t.end));
    v
}

const LIST_WIDTH: u16 = 20;

pub(super) fn list_sheet(
    ws: &mut Worksheet,
    fm: &Fmt,
    (f, names): (&Forms, &Names),
    l: &ListForm,
    (prev, st): (Option<&Standard>, &Standard),
    lang: Lang,
) -> XResult<()> {
    let w = words(l.list, lang);
    let title = match lang {
        Lang::Vi => format!(
            "TỔNG HỢP KẾT QUẢ ĐIỀU TRA, RÀ SOÁT {} NĂM {}",
            w.noun.to_uppercase(),
            f.year
        ),
        Lang::En => format!(
            "SUMMARY OF THE REVIEW OF {}, {}",
            w.noun.to_uppercase(),
            f.year
        ),
    };
    let top = layout::title_block(
        ws,
        fm,
        &title_lines((f, names), st, title, lang),
        LIST_WIDTH,
    )?;
    let mut r = layout::header(ws, fm, top, 3, &list_heads(f, &w, lang), LIST_WIDTH)?;
    layout::print_setup(ws, top, r - 1, lang)?;
    layout::widths(ws, LIST_WIDTH)?;
    let mut n = 0;
    for (k, c) in &l.rows {
        let (head, bold) = row_head((f, names), k, &mut n, lang);
        let mut cells: Vec<Value> = head.into();
        cells.extend(list_cells(c));
        layout::body_row(ws, fm, r, &cells, bold, no_data(lang))?;
        r += 1;
    }
    layout::notes_block(
        ws,
        fm,
        r + 1,
        &list_notes(f, &w, prev.filter(|p| p.id != st.id).map(|p| (p, st)), lang),
        LIST_WIDTH,
    )
}

/// The notes under a list's movement form.
fn list_notes(
    f: &Forms,
    w: &Words,
    changed: Option<(&Standard, &Standard)>,
    lang: Lang,
) -> Vec<String> {
    let (p, t) = (f.previous, f.year);
    let mut notes: Vec<String> = match lang {
        Lang::Vi => vec![
            "Ghi chú:".into(),
            format!("(6) {}: {} đầu năm, năm {t} được xếp loại khác (không còn là {}).", cap(w.left), w.noun, w.noun),
            format!("(8) Hộ đầu năm không còn trong dữ liệu năm {t} (chuyển đi, tách, nhập hộ, chết…): giảm, nhưng không phải {}.", w.left),
            format!("(9) {}: là {} năm {t}, không là {} năm {p} (hoặc không có trong dữ liệu năm {p}), đã là {} ở một kỳ rà soát trước đó có trong dữ liệu.", cap(w.back), w.noun, w.noun, w.noun),
            format!("(11) {}: là {} năm {t}, không là {} (hoặc chưa có trong dữ liệu) năm {p}, chưa từng là {} ở kỳ rà soát nào trước đó có trong dữ liệu.", cap(w.new), w.noun, w.noun, w.noun),
            format!("(13), (14) Hộ chưa xác định được (thiếu thông tin để phân loại) hoặc loại trừ khỏi rà soát: không tính là {} hay phát sinh. (13): {} đầu năm, năm {t} chưa xác định hoặc loại trừ; (14): {} cuối năm, năm {p} chưa xác định hoặc loại trừ.", w.left, w.noun, w.noun),
            "Kiểm tra trên mọi dòng: (15) = (2) − (6) − (8) + (9) + (11) − (13) + (14).".into(),
            "Tỷ lệ %: (3), (7), (10), (12), (16) tính trên tổng số hộ dân cư (1) của dòng; (5), (18): tỷ lệ hộ DTTS trong số hộ của danh sách, (2) và (15).".into(),
            format!("Hộ được tính vào đơn vị và khu vực theo dữ liệu năm {t}; hộ không còn trong dữ liệu năm {t} theo dữ liệu năm {p}."),
            "Số liệu là số đếm từ dữ liệu rà soát (điều tra toàn bộ, mỗi hộ tính 1), không phải ước lượng. Bố cục theo mẫu \"Tổng hợp kết quả điều tra, rà soát hộ cận nghèo năm … cấp xã/huyện/tỉnh\" (mẫu số 3), thêm các cột (8), (13), (14).".into(),
        ],
        Lang::En => vec![
            "Notes:".into(),
            format!("(6) Households that {}: {} at the start of the year classed otherwise in {t}.", w.left, w.noun),
            format!("(8) Households of the start list no longer in the {t} records (moved, split, merged, died…): a decrease, but not households that {}.", w.left),
            format!("(9) Households that {}: {} in {t}, not in {p} (or not in the {p} records), and on the list in an earlier review in the data.", w.back, w.noun),
            format!("(11) Households {}: {} in {t}, not (or not recorded) in {p}, never on the list in an earlier review in the data.", w.new, w.noun),
            format!("(13), (14) Households the records cannot classify (undetermined) or excluded from the review: never counted as leaving or entering. (13): on the start list, undetermined or excluded in {t}; (14): on the end list, undetermined or excluded in {p}."),
            "Check on every row: (15) = (2) − (6) − (8) + (9) + (11) − (13) + (14).".into(),
            "Rates: (3), (7), (10), (12), (16) are of the row's total households (1); (5), (18) are the ethnic-minority share of the list, (2) and (15).".into(),
            format!("A household counts in its unit and area of the {t} records; one no longer in the {t} records in those of {p}."),
            "Counts of the review records (a census, each household counting 1), not estimates. Laid out as the template \"Tổng hợp kết quả điều tra, rà soát hộ cận nghèo năm … cấp xã/huyện/tỉnh\" (form 3), with columns (8), (13), (14) added.".into(),
        ],
    };
    if let Some((a, b)) = changed {
        let (p, t) = (f.previous, f.year);
        notes.push(match lang {
            Lang::Vi => format!("Năm {p} được phân loại theo {}, năm {t} theo {}: diễn biến trong năm gồm cả thay đổi do đổi chuẩn nghèo, không chỉ do thay đổi mức sống của hộ.", a.name_vi, b.name_vi),
            Lang::En => format!("{p} was classified under the {} and {t} under the {}: the year's movement includes the change of standard, not only changes in households' living standards.", a.name_in_sentence(lang), b.name_in_sentence(lang)),
        });
    }
    if !f.minority_known {
        notes.push(lang.t(
            "Dữ liệu không có cột hộ dân tộc thiểu số (ethnic_minority): các cột (4), (5), (17), (18) ghi \"không có dữ liệu\".",
            "The records have no ethnic-minority column (ethnic_minority): columns (4), (5), (17), (18) say \"no data\".",
        ).to_string());
    }
    notes
}
