//! The form of a list's households by deprivation indicator: per unit,
//! the households on the list, and per indicator (under its dimension)
//! those deprived, their rate and those unknown.

use super::layout::{self, Fmt, Head, Value, XResult};
use super::{cap, no_data, pct, row_head, title_lines, unit_header, words};
use crate::i18n::Lang;
use crate::measure::forms::{DeprivationForm, Forms};
use crate::measure::Names;
use crate::standard::Standard;
use rust_xlsxwriter::Worksheet;

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
            i.map(|i| i.dimension_label(lang)).unwrap_or_default(),
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

pub(super) fn deprivation_sheet(
    ws: &mut Worksheet,
    fm: &Fmt,
    (f, names): (&Forms, &Names),
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
    let top = layout::title_block(ws, fm, &title_lines((f, names), st, title, lang), width)?;
    let mut r = layout::header(ws, fm, top, 3, &deprivation_heads(f, d, st, lang), width)?;
    layout::print_setup(ws, top, r - 1, lang)?;
    layout::widths(ws, width)?;
    let mut n = 0;
    for (k, c) in &d.rows {
        let (head, bold) = row_head((f, names), k, &mut n, lang);
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
