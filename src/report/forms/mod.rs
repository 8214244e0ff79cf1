//! The official summary forms of a review (biểu tổng hợp), laid out in the
//! workbook as the published templates are: for the poor and for the
//! near-poor list, per unit, rows grouped I. Khu vực thành thị, II. Khu vực
//! nông thôn, then Tổng cộng; and the households on each list by
//! deprivation indicator. The counts are `measure::forms`'s; the same
//! counts go to `tables/form_lists` and `tables/form_deprivations`.
//!
//! The movement form follows the template "Tổng hợp kết quả điều tra, rà
//! soát hộ cận nghèo năm … cấp xã/huyện/tỉnh" (mẫu số 3, as published at
//! <https://luatminhkhue.vn/mau-giay-tong-hop-ket-qua-dieu-tra--ra-soat-ho-ngheo-nam-cap-xa-huyen-tinh-mau-so-3-.aspx>;
//! the poor-household form has the same shape): TT; unit; Tổng số hộ dân
//! cư; households at the start of the year (number, %, of which
//! ethnic-minority households, number and %); diễn biến trong năm (thoát,
//! tái, phát sinh: number and %); at the end of the year (number, %, of
//! which ethnic-minority, number and %). Three columns are added where the
//! template is silent and `measure::movement` must not guess: households of
//! the start list no longer in the records (8), and households moving to
//! (13) and from (14) undetermined or excluded. Columns are numbered A, B,
//! (1) … (18); the identity (15) = (2) − (6) − (8) + (9) + (11) − (13) + (14)
//! holds on every row.
//!
//! Rates: the template puts "Tỷ lệ %" beside each count without a base;
//! here every rate of the list, its start and its movement is of the
//! households of the row (1), as the review states results ("10.232 hộ
//! nghèo, chiếm 1,90 %"), and the ethnic-minority rate, nested under the
//! count it divides in the template, is of the households on the list (2),
//! (15). The notes block under each form says so.
//!
//! The forms are made from census records only (the annual review is a
//! census, each household counting 1): from sample records they would be
//! estimates with no error beside them, so none is written and the
//! workbook's notices say why; likewise with a single survey year.

mod layout;

use crate::error::Result;
use crate::i18n::Lang;
use crate::measure::forms::{all_forms, DeprivationForm, Forms, ListForm, RowKey};
use crate::measure::movement::List;
use crate::measure::{group_name, Level};
use crate::standard::{ByYear, Standard};
use arrow_array::RecordBatch;
use layout::{Fmt, Head, Value, XResult};
use rust_xlsxwriter::{Workbook, Worksheet};

/// The forms of a run, and why there are none when there are none.
pub struct FormBook {
    pub forms: Vec<Forms>,
    pub standards: ByYear,
    pub none_because: Option<NoForms>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoForms {
    OneYear,
    Sample,
}

/// The forms of every review of `scored` that has one before it (units as
/// `measure::forms::form_level` chooses).
pub fn book(scored: &[RecordBatch], standards: &ByYear) -> Result<FormBook> {
    let sample = !crate::measure::forms::census(scored);
    let forms = if sample {
        Vec::new()
    } else {
        all_forms(scored, None)?
    };
    let none_because = match () {
        _ if sample => Some(NoForms::Sample),
        _ if forms.is_empty() => Some(NoForms::OneYear),
        _ => None,
    };
    Ok(FormBook {
        forms,
        standards: standards.clone(),
        none_because,
    })
}

impl FormBook {
    /// What the workbook's notices say when it has no forms.
    pub fn notice(&self, lang: Lang) -> Option<String> {
        self.none_because.map(|why| match why {
            NoForms::OneYear => lang.t(
                "Không lập biểu tổng hợp kết quả rà soát (diễn biến hộ nghèo, hộ cận nghèo trong năm): dữ liệu chỉ có một năm rà soát; cần ít nhất hai năm (đầu kỳ là kết quả năm trước).",
                "No summary forms (the year's movement of poor and near-poor households): the data hold one review year only; the forms need two or more (the start of the year is the previous review).",
            ).to_string(),
            NoForms::Sample => lang.t(
                "Không lập biểu tổng hợp kết quả rà soát: dữ liệu là mẫu có trọng số, không phải rà soát toàn bộ; số hộ trong biểu sẽ là ước lượng. Xem các bảng tỷ lệ và ước lượng (có sai số).",
                "No summary forms: the data are a weighted sample, not a census review, so their counts would be estimates. See the rate tables and the estimates (with their errors).",
            ).to_string(),
        })
    }
}

/// Add the form sheets to `wb`, the latest review first.
pub fn add_sheets(wb: &mut Workbook, book: &FormBook, lang: Lang) -> XResult<()> {
    let fm = Fmt::new();
    for f in book.forms.iter().rev() {
        let Some(st) = book.standards.get(&(f.year as i32)) else {
            continue;
        };
        for l in &f.lists {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(l.list, false, f.year, lang))?;
            list_sheet(ws, &fm, f, l, st, lang)?;
        }
        for d in &f.deprivation {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(d.list, true, f.year, lang))?;
            deprivation_sheet(ws, &fm, f, d, st, lang)?;
        }
    }
    Ok(())
}

fn sheet_name(list: List, deprivation: bool, year: i64, lang: Lang) -> String {
    let l = match (list, lang) {
        (List::Poor, Lang::Vi) => "HN",
        (List::NearPoor, Lang::Vi) => "HCN",
        (List::Poor, Lang::En) => "Poor",
        (List::NearPoor, Lang::En) => "Near-poor",
    };
    match (deprivation, lang) {
        (false, Lang::Vi) => format!("Biểu {l} {year}"),
        (true, Lang::Vi) => format!("{l} thiếu hụt {year}"),
        (false, Lang::En) => format!("Form {l} {year}"),
        (true, Lang::En) => format!("{l} deprivations {year}"),
    }
}

/// The words that name a list: (households, left, fell back, new).
struct Words {
    noun: &'static str,
    left: &'static str,
    back: &'static str,
    new: &'static str,
}

fn words(list: List, lang: Lang) -> Words {
    let w = |a, b, c, d| Words {
        noun: a,
        left: b,
        back: c,
        new: d,
    };
    match (list, lang) {
        (List::Poor, Lang::Vi) => w("hộ nghèo", "thoát nghèo", "tái nghèo", "hộ nghèo phát sinh"),
        (List::NearPoor, Lang::Vi) => w(
            "hộ cận nghèo",
            "thoát cận nghèo",
            "tái cận nghèo",
            "hộ cận nghèo phát sinh",
        ),
        (List::Poor, Lang::En) => w(
            "poor households",
            "left poverty",
            "fell back into poverty",
            "newly poor",
        ),
        (List::NearPoor, Lang::En) => w(
            "near-poor households",
            "left near-poverty",
            "fell back into near-poverty",
            "newly near-poor",
        ),
    }
}

/// The scope of a form: the run's provinces, or its province (and its
/// district when the form is by commune), as the run's total row is named.
fn scope(f: &Forms, lang: Lang) -> String {
    use crate::geo::{AdminScheme, Scope};
    let scope = Scope::of(
        f.provinces.iter().map(String::as_str),
        AdminScheme::of_year(f.year),
    )
    .name(lang);
    match f.districts.as_slice() {
        [d] if f.level == Level::Commune && f.provinces.len() == 1 => {
            let district = group_name(Level::District, d)
                .unwrap_or_else(|| format!("{} {d}", lang.t("Huyện mã", "District")));
            format!("{scope} — {district}")
        }
        _ => scope,
    }
}

/// The title block's lines.
fn title_lines(f: &Forms, st: &Standard, title: String, lang: Lang) -> Vec<String> {
    let (prev, year) = (f.previous, f.year);
    vec![
        title,
        format!("{}: {}", lang.t("Đơn vị", "Unit"), scope(f, lang)),
        match lang {
            Lang::Vi => format!("Đầu kỳ: kết quả rà soát năm {prev} (kỳ rà soát trước có trong dữ liệu); cuối kỳ: kết quả rà soát năm {year}"),
            Lang::En => format!("Start of the year: the {prev} review (the previous review in the data); end of the year: the {year} review"),
        },
        format!(
            "{}: {} ({} {}) — {}: {}",
            lang.t("Chuẩn nghèo", "Standard"),
            lang.t(&st.name_vi, &st.name_en),
            st.id,
            st.version,
            lang.t("căn cứ", "legal basis"),
            documents(st, lang)
        ),
    ]
}

/// The unit column's header.
fn unit_header(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::Province => lang.t("Tỉnh, thành phố", "Province"),
        Level::District => lang.t("Huyện, thị xã, thành phố thuộc tỉnh", "District"),
        _ => lang.t("Xã, phường, thị trấn", "Commune"),
    }
}

/// The first two cells of a row (TT and name) and whether it is bold;
/// `n` numbers the units across sections.
fn row_head(level: Level, k: &RowKey, n: &mut u32, lang: Lang) -> ([Value; 2], bool) {
    use crate::measure::forms::Area;
    let text = |s: &str| Value::Text(s.to_string());
    match (&k.code, k.area) {
        (Some(code), _) => {
            *n += 1;
            let name = group_name(level, code)
                .unwrap_or_else(|| format!("{} {code}", lang.t("Mã", "Code")));
            ([Value::Text(n.to_string()), Value::Text(name)], false)
        }
        (None, Some(Area::Urban)) => (
            [text("I"), text(lang.t("Khu vực thành thị", "Urban areas"))],
            true,
        ),
        (None, Some(Area::Rural)) => (
            [text("II"), text(lang.t("Khu vực nông thôn", "Rural areas"))],
            true,
        ),
        (None, None) => ([text(""), text(lang.t("Tổng cộng", "Total"))], true),
    }
}

/// A rate as official documents write it: rounded to two decimals (the
/// cell holds the rounded value, so what is shown is what adds up).
fn pct(n: u64, of: u64) -> Value {
    Value::Pct(crate::export::forms::pct(n, of).map(|p| (p * 100.0).round() / 100.0))
}

/// The legal documents a standard rests on, by number ("Nghị định
/// 07/2021/NĐ-CP"), from its legal-basis entries (which are in English).
fn documents(st: &Standard, lang: Lang) -> String {
    let kinds = [
        ("Decree", "Nghị định"),
        ("Decision", "Quyết định"),
        ("Circular", "Thông tư"),
        ("Resolution", "Nghị quyết"),
    ];
    let mut out: Vec<String> = Vec::new();
    for entry in &st.legal_basis {
        let words: Vec<&str> = entry.split_whitespace().collect();
        for w in words.windows(2) {
            let Some((en, vi)) = kinds.iter().find(|(en, _)| *en == w[0]) else {
                continue;
            };
            let number = w[1].trim_end_matches([',', ';', ':', '.', ')']);
            if !number.contains('/') {
                continue;
            }
            let doc = format!("{} {number}", lang.t(vi, en));
            if !out.contains(&doc) {
                out.push(doc);
            }
        }
    }
    out.join("; ")
}

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
        lang.t(
            "Số hộ không còn trong dữ liệu (chuyển đi, tách, nhập hộ, chết…)",
            "Households no longer in the records (moved, split, merged, died…)",
        ),
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

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The cells of a row of a list's movement form after TT and name.
fn list_cells(c: &crate::measure::forms::ListCounts) -> Vec<Value> {
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

fn no_data(lang: Lang) -> &'static str {
    lang.t("không có dữ liệu", "no data")
}

fn list_sheet(
    ws: &mut Worksheet,
    fm: &Fmt,
    f: &Forms,
    l: &ListForm,
    st: &Standard,
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
    let top = layout::title_block(ws, fm, &title_lines(f, st, title, lang), LIST_WIDTH)?;
    let mut r = layout::header(ws, fm, top, 3, &list_heads(f, &w, lang), LIST_WIDTH)?;
    layout::print_setup(ws, top, r - 1, lang)?;
    layout::widths(ws, LIST_WIDTH)?;
    let mut n = 0;
    for (k, c) in &l.rows {
        let (head, bold) = row_head(f.level, k, &mut n, lang);
        let mut cells: Vec<Value> = head.into();
        cells.extend(list_cells(c));
        layout::body_row(ws, fm, r, &cells, bold, no_data(lang))?;
        r += 1;
    }
    layout::notes_block(ws, fm, r + 1, &list_notes(f, &w, lang), LIST_WIDTH)
}

/// The notes under a list's movement form.
fn list_notes(f: &Forms, w: &Words, lang: Lang) -> Vec<String> {
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
    if !f.minority_known {
        notes.push(lang.t(
            "Dữ liệu không có cột hộ dân tộc thiểu số (ethnic_minority): các cột (4), (5), (17), (18) ghi \"không có dữ liệu\".",
            "The records have no ethnic-minority column (ethnic_minority): columns (4), (5), (17), (18) say \"no data\".",
        ).to_string());
    }
    notes
}

/// The header of a deprivation form: TT, unit, the list's households, then
/// per indicator (grouped under its dimension) deprived, %, unknown.
fn deprivation_heads(f: &Forms, d: &DeprivationForm, st: &Standard, lang: Lang) -> Vec<Head> {
    let w = words(d.list, lang);
    let mut h = vec![
        Head::new(0, 0, 3, 1, lang.t("TT", "No.")),
        Head::new(0, 1, 3, 1, unit_header(f.level, lang)),
        Head::new(
            0,
            2,
            3,
            1,
            match lang {
                Lang::Vi => format!("Số {} năm {}", w.noun, f.year),
                Lang::En => format!("{} in {}", cap(w.noun), f.year),
            },
        ),
    ];
    let info = |id: &str| {
        let i = st.indicators.iter().find(|i| i.id == id);
        (
            i.map(|i| lang.t(&i.dimension_vi, &i.dimension).to_string())
                .unwrap_or_default(),
            i.map(|i| lang.t(&i.label_vi, &i.label_en).to_string())
                .unwrap_or_else(|| id.to_string()),
        )
    };
    let mut j = 0;
    while j < d.indicators.len() {
        let dim = info(&d.indicators[j]).0;
        let run = (d.indicators[j..].iter())
            .take_while(|id| info(id).0 == dim)
            .count();
        let col = 3 + 3 * j as u16;
        h.push(Head::new(0, col, 1, 3 * run as u16, dim));
        for k in j..j + run {
            let c = 3 + 3 * k as u16;
            h.push(Head::new(1, c, 1, 3, info(&d.indicators[k]).1));
            h.push(Head::new(2, c, 1, 1, lang.t("Số hộ thiếu hụt", "Deprived")));
            h.push(Head::new(2, c + 1, 1, 1, lang.t("Tỷ lệ %", "Rate %")));
            h.push(Head::new(2, c + 2, 1, 1, lang.t("Chưa rõ", "Unknown")));
        }
        j += run;
    }
    h
}

fn deprivation_sheet(
    ws: &mut Worksheet,
    fm: &Fmt,
    f: &Forms,
    d: &DeprivationForm,
    st: &Standard,
    lang: Lang,
) -> XResult<()> {
    let w = words(d.list, lang);
    let width = 3 + 3 * d.indicators.len() as u16;
    let title = match lang {
        Lang::Vi => format!(
            "TỔNG HỢP {} THEO CHỈ SỐ THIẾU HỤT DỊCH VỤ XÃ HỘI CƠ BẢN NĂM {}",
            w.noun.to_uppercase(),
            f.year
        ),
        Lang::En => format!(
            "{} BY DEPRIVATION INDICATOR, {}",
            w.noun.to_uppercase(),
            f.year
        ),
    };
    let top = layout::title_block(ws, fm, &title_lines(f, st, title, lang), width)?;
    let mut r = layout::header(ws, fm, top, 3, &deprivation_heads(f, d, st, lang), width)?;
    layout::print_setup(ws, top, r - 1, lang)?;
    layout::widths(ws, width)?;
    let mut n = 0;
    for (k, c) in &d.rows {
        let (head, bold) = row_head(f.level, k, &mut n, lang);
        let mut cells: Vec<Value> = head.into();
        cells.push(Value::Count(c.households));
        for (dep, unk) in c.deprived.iter().zip(&c.unknown) {
            cells.extend([
                Value::Count(*dep),
                pct(*dep, c.households),
                Value::Count(*unk),
            ]);
        }
        layout::body_row(ws, fm, r, &cells, bold, no_data(lang))?;
        r += 1;
    }
    let notes: Vec<String> = match lang {
        Lang::Vi => vec![
            "Ghi chú:".into(),
            format!("Số hộ thiếu hụt: {} năm {} thiếu hụt chỉ số đó theo chuẩn nghèo; Tỷ lệ % = số hộ thiếu hụt / số {} (1).", w.noun, f.year, w.noun),
            "Chưa rõ: hộ mà dữ liệu không cho biết chỉ số đó (thiếu thông tin); không tính vào số hộ thiếu hụt.".into(),
            "Số liệu là số đếm từ dữ liệu rà soát (điều tra toàn bộ, mỗi hộ tính 1), không phải ước lượng.".into(),
        ],
        Lang::En => vec![
            "Notes:".into(),
            format!("Deprived: {} in {} deprived in the indicator under the standard; Rate % = deprived / {} (1).", w.noun, f.year, w.noun),
            "Unknown: households whose records do not say (missing information); not counted as deprived.".into(),
            "Counts of the review records (a census, each household counting 1), not estimates.".into(),
        ],
    };
    layout::notes_block(ws, fm, r + 1, &notes, width)
}
