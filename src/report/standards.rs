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
        classification: Some(rule_in_words(st, lang)),
        provisional: st.provisional,
        research: st.rule == ClassRule::Weighted,
    }
}

/// The standard's classification rule in words, with its own lines and
/// cut-off, so a local standard's report describes that standard.
fn rule_in_words(st: &Standard, lang: Lang) -> String {
    use crate::standard::ClassRule;
    let vnd = |v: Option<i64>| {
        v.map(|x| lang.count(x as f64))
            .unwrap_or_else(|| "–".into())
    };
    let (r, u) = (&st.rural, &st.urban);
    let (k, n) = (st.cutoff, st.indicators.len());
    let score = if st.score.is_some() {
        lang.t(
            " (hoặc điểm chấm theo phiếu rà soát, khi hộ có điểm)",
            " (or its review-form score, when the record has one)",
        )
    } else {
        ""
    };
    let text = match (st.rule, lang) {
        (ClassRule::Union, Lang::Vi) => format!(
            "Thu nhập bình quân đầu người một tháng của hộ{score} được so với chuẩn nghèo ({} đồng ở nông thôn, {} đồng ở thành thị) và chuẩn cận nghèo ({} / {} đồng). Hộ nghèo là hộ có thu nhập từ chuẩn nghèo trở xuống (nghèo theo thu nhập), hoặc có thu nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt từ {k} trở lên trong {n} chỉ số (nghèo theo thiếu hụt đa chiều). Hộ có thu nhập trong khoảng đó nhưng thiếu hụt dưới {k} chỉ số là hộ cận nghèo.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty)), vnd(r.near_poverty), vnd(u.near_poverty)
        ),
        (ClassRule::Union, Lang::En) => format!(
            "A household's monthly income per person{score} is compared with the poverty line ({} VND rural, {} VND urban) and the near-poverty line ({} / {} VND). A household is poor if its income is at or below the poverty line (poor by income), or above it but at or below the near-poverty line with at least {k} of the {n} deprivations (poor by deprivation). In that band with fewer than {k} deprivations it is near-poor.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty)), vnd(r.near_poverty), vnd(u.near_poverty)
        ),
        (ClassRule::Intersection, Lang::Vi) => format!(
            "Thu nhập bình quân đầu người một tháng của hộ{score} được so với chuẩn nghèo ({} đồng ở nông thôn, {} đồng ở thành thị). Hộ có thu nhập từ chuẩn nghèo trở xuống là hộ nghèo nếu thiếu hụt từ {k} trở lên trong {n} chỉ số, là hộ cận nghèo nếu thiếu hụt dưới {k} chỉ số.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty))
        ),
        (ClassRule::Intersection, Lang::En) => format!(
            "A household's monthly income per person{score} is compared with the poverty line ({} VND rural, {} VND urban). At or below it, a household with at least {k} of the {n} deprivations is poor, one with fewer is near-poor.",
            vnd(Some(r.poverty)), vnd(Some(u.poverty))
        ),
        (ClassRule::Weighted, lang) => weighted_in_words(st, lang),
    };
    // One space between words, however the source lines were wrapped.
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The weighted rule in words: no income, the weighted score and its bands,
/// and the person as the unit of the headline.
fn weighted_in_words(st: &Standard, lang: Lang) -> String {
    let Some(w) = &st.weighted else {
        return String::new();
    };
    let pct = |r: crate::exact::rational::Ratio| lang.pct(100.0 * r.value(), 1);
    let n = st.indicators.len();
    let mut text = match lang {
        Lang::Vi => format!(
            "Không dùng thu nhập. Mỗi hộ có điểm thiếu hụt c là tổng trọng số của các chỉ số mà hộ thiếu hụt ({n} chỉ số, trọng số lồng nhau theo chiều, tổng bằng 1). Hộ — và mọi thành viên của hộ — là nghèo đa chiều nếu c ≥ {} ({}); phép so sánh dùng phân số chính xác.",
            w.cutoff,
            pct(w.cutoff)
        ),
        Lang::En => format!(
            "No income is used. Each household has a deprivation score c, the sum of the weights of the indicators it is deprived in ({n} indicators, weights nested by dimension, summing to 1). A household — and every member of it — is multidimensionally poor if c ≥ {} ({}); comparisons use exact fractions.",
            w.cutoff,
            pct(w.cutoff)
        ),
    };
    if let Some(v) = w.vulnerable {
        text.push_str(&match lang {
            Lang::Vi => format!(
                " Dễ bị tổn thương trước nghèo đa chiều nếu {v} ≤ c < {}.",
                w.cutoff
            ),
            Lang::En => format!(" Vulnerable to poverty if {v} ≤ c < {}.", w.cutoff),
        });
    }
    if let Some(s) = w.severe {
        text.push_str(&match lang {
            Lang::Vi => format!(" Nghèo đa chiều nghiêm trọng nếu c ≥ {s} ({}).", pct(s)),
            Lang::En => format!(" In severe poverty if c ≥ {s} ({}).", pct(s)),
        });
    }
    text.push_str(match lang {
        Lang::Vi => " Số liệu chính tính theo người: mỗi thành viên mang điểm thiếu hụt của hộ mình, nên mỗi hộ được tính bằng quyền số × số nhân khẩu; số liệu theo hộ cũng được báo cáo.",
        Lang::En => " The headline counts persons: every member carries the household's score, so each household counts as its weight × its size; household figures are reported too.",
    });
    text
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
        let meaning = |st: &Standard| {
            match (st.rule, lang) {
            (ClassRule::Union, Lang::Vi) => format!(
                "theo {} hộ cận nghèo có thu nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt dưới {} chỉ số",
                st.id, st.cutoff
            ),
            (ClassRule::Union, Lang::En) => format!(
                "under {} a near-poor household has an income above the poverty line up to the near-poverty line and fewer than {} deprivations",
                st.id, st.cutoff
            ),
            (ClassRule::Intersection, Lang::Vi) => format!(
                "theo {} hộ cận nghèo có thu nhập từ chuẩn nghèo trở xuống và thiếu hụt dưới {} chỉ số",
                st.id, st.cutoff
            ),
            (ClassRule::Intersection, Lang::En) => format!(
                "under {} a near-poor household has an income at or below the poverty line and fewer than {} deprivations",
                st.id, st.cutoff
            ),
            (ClassRule::Weighted, Lang::Vi) => format!(
                "theo {} không có hộ cận nghèo: hộ được phân loại chỉ theo điểm thiếu hụt, không theo thu nhập",
                st.id
            ),
            (ClassRule::Weighted, Lang::En) => format!(
                "under {} there are no near-poor households: households are classified on the deprivation score alone, not on income",
                st.id
            ),
        }
        };
        if a.rule != b.rule {
            out.push(match lang {
                Lang::Vi => format!(
                    "Khái niệm hộ cận nghèo khác nhau giữa hai chuẩn: {}; {}. Số hộ cận nghèo năm {y0} và năm {y1} không so sánh được với nhau.",
                    meaning(a),
                    meaning(b)
                ),
                Lang::En => format!(
                    "The near-poor are defined differently: {}; {}. Near-poor counts of {y0} and {y1} are not comparable.",
                    meaning(a),
                    meaning(b)
                ),
            });
        }
    }
    out
}
