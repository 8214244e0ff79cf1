//! The standards in use, in words: each one's classification rule with
//! its own lines and cut-off, the years it scored, and what a reader must
//! know when consecutive years were scored under different standards.

use super::ReportStandard;
use crate::i18n::Lang;
use crate::standard::{ByYear, ClassRule, Standard};
use std::sync::Arc;

/// How the report names a standard in use and the years it scored.
pub(super) fn report_standard(years: &[i32], st: &Standard, lang: Lang) -> ReportStandard {
    ReportStandard {
        years: years.iter().map(|y| *y as i64).collect(),
        id: st.id.clone(),
        version: st.version.clone(),
        name: lang.t(&st.name_vi, &st.name_en).into(),
        legal_basis: st.legal_basis.clone(),
        review_years: st.review_years,
        classification: st.rule_in_words(lang),
        provisional: st.provisional,
        research: st.rule == ClassRule::Weighted,
    }
}

/// The standards in use, each with the survey years it scored, in order of
/// their first year.
pub fn standards_in_use(by: &ByYear) -> Vec<(Vec<i32>, Arc<Standard>)> {
    let mut out: Vec<(Vec<i32>, Arc<Standard>)> = Vec::new();
    for (y, st) in by {
        match out
            .iter_mut()
            .find(|(_, s)| s.id == st.id && s.origin == st.origin && s.version == st.version)
        {
            Some((years, _)) => years.push(*y),
            None => out.push((vec![*y], st.clone())),
        }
    }
    out
}

/// What a reader must know when consecutive survey years were scored under
/// different standards: the change mixes a change of standard with a change
/// in living standards, and where one rule is a union and the other an
/// intersection, "near-poor" means different households (spec §9 item 13).
pub fn comparability_notes(by: &ByYear, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let years: Vec<(&i32, &Arc<Standard>)> = by.iter().collect();
    for w in years.windows(2) {
        let ((y0, a), (y1, b)) = (w[0], w[1]);
        if a.id == b.id && a.origin == b.origin {
            continue;
        }
        out.push(match lang {
            Lang::Vi => format!(
                "Năm {y0} được phân loại theo chuẩn {}, năm {y1} theo chuẩn {}: thay đổi giữa hai năm gồm cả thay đổi do đổi chuẩn nghèo, không chỉ do thay đổi mức sống.",
                a.id, b.id
            ),
            Lang::En => format!(
                "{y0} was classified under {} and {y1} under {}: the change between them includes the change of standard, not only changes in living standards.",
                a.id, b.id
            ),
        });
        if a.rule != b.rule {
            out.push(match lang {
                Lang::Vi => format!(
                    "Khái niệm hộ cận nghèo khác nhau giữa hai chuẩn: {}; {}. Số hộ cận nghèo năm {y0} và năm {y1} không so sánh được với nhau.",
                    a.near_poor_in_words(lang),
                    b.near_poor_in_words(lang)
                ),
                Lang::En => format!(
                    "The near-poor are defined differently: {}; {}. Near-poor counts of {y0} and {y1} are not comparable.",
                    a.near_poor_in_words(lang),
                    b.near_poor_in_words(lang)
                ),
            });
        }
    }
    out
}
