//! The frame a province's report carries around its figures: the link to
//! the report in the other language, the reporting unit, the reference
//! period and the date the report was made, and at the end a place for the
//! signatures and the seal (the wording of the printed forms: "NGƯỜI LẬP
//! BIỂU", "THỦ TRƯỞNG ĐƠN VỊ (Ký, đóng dấu)").

use super::super::markup::esc;
use super::super::ReportInput;
use crate::i18n::Lang;
use std::fmt::Write;

/// The link to the other language's report, when the run wrote it: its
/// text is in that language and marked so (`lang`, `hreflang`).
pub(super) fn language_link(h: &mut String, r: &ReportInput) {
    let Some(file) = &r.other_report else {
        return;
    };
    let (code, text) = match r.lang {
        Lang::Vi => ("en", "English version"),
        Lang::En => ("vi", "Bản tiếng Việt"),
    };
    let _ = writeln!(
        h,
        "<p class=\"lang-link\"><a href=\"{}\" hreflang=\"{code}\" lang=\"{code}\" id=\"other-language\">{text}</a></p>",
        esc(file)
    );
}

/// The date as the report's language writes it: "06/12/2025" / "2025-12-06".
pub(super) fn date_in(lang: Lang, (y, m, d): (i64, u32, u32)) -> String {
    match lang {
        Lang::Vi => format!("{d:02}/{m:02}/{y}"),
        Lang::En => format!("{y}-{m:02}-{d:02}"),
    }
}

/// The reporting unit, the reference period (the survey years, each the
/// review of that year) and the day the report was made.
pub(super) fn particulars(h: &mut String, r: &ReportInput) {
    let t = |vi, en| r.lang.t(vi, en);
    let years: Vec<String> = r.years.iter().map(i64::to_string).collect();
    let period = match (r.lang, years.len()) {
        (_, 0) => super::DASH.to_string(),
        (Lang::Vi, _) => format!("kết quả rà soát năm {}", years.join(", ")),
        (Lang::En, 1) => format!("the review of {}", years[0]),
        (Lang::En, _) => format!("the reviews of {}", years.join(", ")),
    };
    let _ = writeln!(
        h,
        "<dl class=\"frame\">\n<dt>{}</dt><dd id=\"reporting-unit\">{}</dd>\n\
         <dt>{}</dt><dd id=\"reference-period\">{}</dd>\n\
         <dt>{}</dt><dd id=\"report-date\">{}</dd>\n</dl>",
        t("Đơn vị báo cáo", "Reporting unit"),
        esc(&r.scope),
        t("Số liệu", "Figures of"),
        esc(&period),
        t("Ngày lập báo cáo", "Report date"),
        esc(&date_in(r.lang, r.date)),
    );
}

/// A place for the signatures and the seal, as the printed forms have it:
/// the place and date line, who drew the report up, the head of the unit.
pub(super) fn signatures(h: &mut String, r: &ReportInput) {
    let (y, m, d) = r.date;
    let (dated, maker, maker_how, head, head_how) = match r.lang {
        Lang::Vi => (
            format!("…………, ngày {d:02} tháng {m:02} năm {y}"),
            "NGƯỜI LẬP BIỂU",
            "(Ký, ghi rõ họ tên)",
            "THỦ TRƯỞNG ĐƠN VỊ",
            "(Ký, đóng dấu)",
        ),
        Lang::En => (
            format!("…………, {}", date_in(Lang::En, r.date)),
            "PREPARED BY",
            "(signature and full name)",
            "HEAD OF THE UNIT",
            "(signature and seal)",
        ),
    };
    let _ = write!(
        h,
        "<section class=\"sign\" id=\"signatures\">\n<p class=\"sign-date\">{}</p>\n\
         <div class=\"sign-grid\">\n<div><strong>{maker}</strong><br><em>{maker_how}</em></div>\n\
         <div><strong>{head}</strong><br><em>{head_how}</em></div>\n</div>\n</section>\n",
        esc(&dated)
    );
}
