//! The standards in use, in words: each one's classification rule with
//! its own lines and cut-off, its legal basis and how sure each indicator's
//! definition is, in the report's language; the years it scored, and what
//! a reader must know when consecutive years were scored under different
//! standards.

use super::{Confidence, ReportStandard};
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
        legal_basis: legal_basis(st, lang),
        review_years: st.review_years,
        classification: st.rule_in_words(lang),
        provisional: st.provisional,
        research: st.rule == ClassRule::Weighted,
        indicators: (st.indicators.iter())
            .map(|i| {
                let label = lang.t(&i.label_vi, &i.label_en).to_string();
                (label, Confidence::of(&i.confidence))
            })
            .collect(),
        files: files_of(st),
    }
}

/// Where a standard's files are: `indicators/<id>/` for a bundled one (the
/// folder of that name in dachieu's sources), else the folder it was read
/// from.
fn files_of(st: &Standard) -> String {
    match st.origin.strip_prefix("bundled:") {
        Some(id) => format!("indicators/{id}/"),
        None => st.origin.clone(),
    }
}

/// The legal basis in `lang`: in Vietnamese the standard's own Vietnamese
/// citations (`legal_basis_vi`), or, when it gives none, each document named
/// by its number and date as Vietnamese documents cite it.
fn legal_basis(st: &Standard, lang: Lang) -> Vec<String> {
    match lang {
        Lang::En => st.legal_basis.clone(),
        Lang::Vi if !st.legal_basis_vi.is_empty() => st.legal_basis_vi.clone(),
        Lang::Vi => st.legal_basis.iter().map(|b| citation_vi(b)).collect(),
    }
}

/// An English citation as Vietnamese documents cite it ("Nghị định
/// 07/2021/NĐ-CP ngày 27/01/2021"); a text that is not such a citation is
/// kept as written.
pub(super) fn citation_vi(basis: &str) -> String {
    const KINDS: [(&str, &str); 5] = [
        ("Decree", "Nghị định"),
        ("Decision", "Quyết định"),
        ("Circular", "Thông tư"),
        ("Resolution", "Nghị quyết"),
        ("Law", "Luật"),
    ];
    let mut words = basis.split_whitespace();
    let kind = words
        .next()
        .and_then(|w| KINDS.iter().find(|(en, _)| *en == w));
    let number = words.next().map(|w| w.trim_end_matches([',', ':', ';']));
    let (Some((_, vi)), Some(number)) = (kind, number) else {
        return basis.to_string();
    };
    if !number.contains('/') {
        return basis.to_string();
    }
    let date = match (words.next(), words.next()) {
        (Some("of"), Some(d)) => Some(d.trim_end_matches([',', ':', ';', ')'])),
        _ => None,
    };
    match date {
        Some(d) if d.len() == 10 && d.matches('/').count() == 2 => {
            format!("{vi} số {number} ngày {d}")
        }
        _ => format!("{vi} số {number}"),
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
                "Năm {y0} được phân loại theo {}, năm {y1} theo {}: thay đổi giữa hai năm gồm cả thay đổi do đổi chuẩn nghèo, không chỉ do thay đổi mức sống.",
                a.name_in_sentence(lang), b.name_in_sentence(lang)
            ),
            Lang::En => format!(
                "{y0} was classified under the {} and {y1} under the {}: the change between them includes the change of standard, not only changes in living standards.",
                a.name_in_sentence(lang), b.name_in_sentence(lang)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_read_as_vietnamese_documents_cite() {
        let d =
            "Decree 07/2021/NĐ-CP of 27/01/2021 on the multidimensional poverty standard, Art. 3";
        assert_eq!(citation_vi(d), "Nghị định số 07/2021/NĐ-CP ngày 27/01/2021");
        assert_eq!(
            citation_vi("Decree 30/2025/NĐ-CP amending Decree 07/2021/NĐ-CP"),
            "Nghị định số 30/2025/NĐ-CP"
        );
        let other = "Decision of the Provincial People's Committee";
        assert_eq!(citation_vi(other), other);
    }

    /// The bundled national standards cite every document in Vietnamese:
    /// the Vietnamese report shows no English citation.
    #[test]
    fn bundled_standards_cite_in_vietnamese() {
        for id in crate::standard::bundled::ids() {
            let st = crate::standard::resolve(id).unwrap();
            let rs = report_standard(&[2022], &st, Lang::Vi);
            assert_eq!(rs.legal_basis.len(), st.legal_basis.len(), "{id}");
            for b in &rs.legal_basis {
                for en in ["Decree", "Decision", "Circular", "UNCONFIRMED", " of "] {
                    assert!(!b.contains(en), "{id}: {b}");
                }
            }
            let en = report_standard(&[2022], &st, Lang::En);
            assert!(
                en.legal_basis.iter().all(|b| !b.contains("UNCONFIRMED")),
                "{id}"
            );
        }
    }
}
