//! The official summary forms of a review (biểu tổng hợp), laid out in the
//! workbook as the published templates are: for the poor and for the
//! near-poor list, per unit, rows grouped I. Khu vực thành thị, II. Khu vực
//! nông thôn, then Tổng cộng; and the households on each list by
//! deprivation indicator. The counts are `measure::forms`'s; the same
//! counts go to `tables/form_lists` and `tables/form_deprivations`.
//!
//! The movement form follows the template "Tổng hợp kết quả điều tra, rà
//! soát hộ cận nghèo năm … cấp xã/huyện/tỉnh" (mẫu số 3, as published by
//! luatminhkhue.vn, "Mẫu giấy tổng hợp kết quả điều tra, rà soát hộ nghèo
//! năm cấp xã/huyện/tỉnh (mẫu số 3)";
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

mod deprivations;
mod layout;
mod lists;

use crate::error::Result;
use crate::i18n::Lang;
use crate::measure::forms::{all_forms, Forms, RowKey};
use crate::measure::movement::List;
use crate::measure::{Level, Names};
use crate::standard::{ByYear, Standard};
use arrow_array::RecordBatch;
use layout::{Fmt, Value, XResult};
use rust_xlsxwriter::Workbook;

/// The forms of a run, and why there are none when there are none.
pub struct FormBook {
    pub forms: Vec<Forms>,
    pub standards: ByYear,
    pub none_because: Option<NoForms>,
    /// The run's names of units (each year's scheme, the user's file).
    pub names: Names,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoForms {
    OneYear,
    Sample,
}

/// The forms of every review of `scored` that has one before it (units as
/// `measure::forms::form_level` chooses).
pub fn book(scored: &[RecordBatch], standards: &ByYear, names: &Names) -> Result<FormBook> {
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
        names: names.clone(),
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
            let prev = book.standards.get(&(f.previous as i32)).map(|p| &**p);
            lists::list_sheet(ws, &fm, (f, &book.names), l, (prev, st), lang)?;
        }
        for d in &f.deprivation {
            let ws = wb.add_worksheet();
            ws.set_name(sheet_name(d.list, true, f.year, lang))?;
            deprivations::deprivation_sheet(ws, &fm, (f, &book.names), d, st, lang)?;
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
pub(super) struct Words {
    noun: &'static str,
    left: &'static str,
    back: &'static str,
    new: &'static str,
}

pub(super) fn words(list: List, lang: Lang) -> Words {
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
fn scope(f: &Forms, names: &Names, lang: Lang) -> String {
    use crate::geo::{AdminScheme, Scope};
    let scope = Scope::of(
        f.provinces.iter().map(String::as_str),
        AdminScheme::of_year(f.year),
    )
    .name(lang);
    match f.districts.as_slice() {
        [d] if f.level == Level::Commune && f.provinces.len() == 1 => {
            let district = (names.name_in(Level::District, f.year, d, lang))
                .unwrap_or_else(|| format!("{} {d}", lang.t("Huyện mã", "District")));
            format!("{scope} — {district}")
        }
        _ => scope,
    }
}

/// The title block's lines.
pub(super) fn title_lines(
    (f, names): (&Forms, &Names),
    st: &Standard,
    title: String,
    lang: Lang,
) -> Vec<String> {
    let (prev, year) = (f.previous, f.year);
    vec![
        title,
        format!("{}: {}", lang.t("Đơn vị", "Unit"), scope(f, names, lang)),
        match lang {
            Lang::Vi => format!("Đầu kỳ: kết quả rà soát năm {prev} (kỳ rà soát trước có trong dữ liệu); cuối kỳ: kết quả rà soát năm {year}"),
            Lang::En => format!("Start of the year: the {prev} review (the previous review in the data); end of the year: the {year} review"),
        },
        format!(
            "{}: {} — {}: {}",
            lang.t("Chuẩn nghèo", "Standard"),
            lang.t(&st.name_vi, &st.name_en),
            lang.t("căn cứ", "legal basis"),
            documents(st, lang)
        ),
    ]
}

/// The unit column's header.
pub(super) fn unit_header(level: Level, lang: Lang) -> &'static str {
    match level {
        Level::Province => lang.t("Tỉnh, thành phố", "Province"),
        Level::District => lang.t("Huyện, thị xã, thành phố thuộc tỉnh", "District"),
        _ => lang.t("Xã, phường, thị trấn", "Commune"),
    }
}

/// The first two cells of a row (TT and name) and whether it is bold;
/// `n` numbers the units across sections.
pub(super) fn row_head(
    (f, names): (&Forms, &Names),
    k: &RowKey,
    n: &mut u32,
    lang: Lang,
) -> ([Value; 2], bool) {
    use crate::measure::forms::Area;
    let text = |s: &str| Value::Text(s.to_string());
    match (&k.code, k.area) {
        (Some(code), _) => {
            *n += 1;
            let name = (names.name_in(f.level, f.year, code, lang))
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
pub(super) fn pct(n: u64, of: u64) -> Value {
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

pub(super) fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn no_data(lang: Lang) -> &'static str {
    lang.t("không có dữ liệu", "no data")
}
