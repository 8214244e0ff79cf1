//! The classification rule in words, Vietnamese and English, with a
//! standard's own lines and cut-off: written once here, for the report's
//! methods section, its notes on comparing years, and `standards show`.

use super::{ClassRule, Standard};
use crate::i18n::Lang;

impl Standard {
    /// The standard's classification rule in words, with its own lines and
    /// cut-off, so a local standard's report describes that standard.
    pub fn rule_in_words(&self, lang: Lang) -> String {
        let vnd = |v: Option<i64>| {
            v.map(|x| lang.count(x as f64))
                .unwrap_or_else(|| "–".into())
        };
        let (r, u) = (&self.rural, &self.urban);
        let (k, n) = (self.cutoff, self.indicators.len());
        let score = if self.score.is_some() {
            lang.t(
                " (hoặc điểm chấm theo phiếu rà soát, khi hộ có điểm)",
                " (or its review-form score, when the record has one)",
            )
        } else {
            ""
        };
        let text = match (self.rule, lang) {
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
            (ClassRule::Weighted, lang) => self.weighted_in_words(lang),
        };
        // One space between words, however the source lines were wrapped.
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// Who is near-poor under this standard, named by its id: what a
    /// reader comparing it with a standard under another rule must know
    /// (spec §9 item 13).
    pub fn near_poor_in_words(&self, lang: Lang) -> String {
        let name = self.name_in_sentence(lang);
        match (self.rule, lang) {
            (ClassRule::Union, Lang::Vi) => format!(
                "theo {} hộ cận nghèo có thu nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt dưới {} chỉ số",
                name, self.cutoff
            ),
            (ClassRule::Union, Lang::En) => format!(
                "under the {} a near-poor household has an income above the poverty line up to the near-poverty line and fewer than {} deprivations",
                name, self.cutoff
            ),
            (ClassRule::Intersection, Lang::Vi) => format!(
                "theo {} hộ cận nghèo có thu nhập từ chuẩn nghèo trở xuống và thiếu hụt dưới {} chỉ số",
                name, self.cutoff
            ),
            (ClassRule::Intersection, Lang::En) => format!(
                "under the {} a near-poor household has an income at or below the poverty line and fewer than {} deprivations",
                name, self.cutoff
            ),
            (ClassRule::Weighted, Lang::Vi) => format!(
                "theo {} không có hộ cận nghèo: hộ được phân loại chỉ theo điểm thiếu hụt, không theo thu nhập",
                name
            ),
            (ClassRule::Weighted, Lang::En) => format!(
                "under the {} there are no near-poor households: households are classified on the deprivation score alone, not on income",
                name
            ),
        }
    }

    /// The standard's name inside a sentence: its first letter lower-case
    /// ("chuẩn nghèo …", "multidimensional poverty standard …"), a name
    /// that starts with an acronym ("MPI") as it is. Outputs name a
    /// standard so; its id is for machines.
    pub fn name_in_sentence(&self, lang: Lang) -> String {
        let name = lang.t(&self.name_vi, &self.name_en);
        let mut c = name.chars();
        match (c.next(), c.next()) {
            (Some(f), Some(s)) if f.is_uppercase() && s.is_lowercase() => f
                .to_lowercase()
                .chain(std::iter::once(s))
                .chain(c)
                .collect(),
            _ => name.to_string(),
        }
    }

    /// The weighted rule in words: no income, the weighted score and its
    /// bands, and the person as the unit of the headline.
    fn weighted_in_words(&self, lang: Lang) -> String {
        let Some(w) = &self.weighted else {
            return String::new();
        };
        let pct = |r: crate::exact::rational::Ratio| lang.pct(100.0 * r.value(), 1);
        let n = self.indicators.len();
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::{bundled, load_files};

    fn each_bundled() -> Vec<Standard> {
        (bundled::ids().into_iter())
            .map(|id| load_files(&format!("bundled:{id}"), &bundled::files(id).unwrap()).unwrap())
            .collect()
    }

    #[test]
    fn the_words_carry_each_standard_s_own_lines_and_cut_off() {
        for st in each_bundled() {
            for lang in [Lang::Vi, Lang::En] {
                let text = st.rule_in_words(lang);
                assert!(
                    !text.contains("  ") && !text.is_empty(),
                    "{}: {text}",
                    st.id
                );
                let (k, n) = (st.cutoff, st.indicators.len());
                let said = match (st.rule, lang) {
                    (ClassRule::Weighted, _) => {
                        vec![format!("c ≥ {}", st.weighted.unwrap().cutoff)]
                    }
                    (_, Lang::Vi) => vec![
                        format!("từ {k} trở lên trong {n} chỉ số"),
                        lang.count(st.rural.poverty as f64),
                        lang.count(st.urban.poverty as f64),
                    ],
                    (_, Lang::En) => vec![
                        format!("at least {k} of the {n} deprivations"),
                        lang.count(st.rural.poverty as f64),
                        lang.count(st.urban.poverty as f64),
                    ],
                };
                for s in said {
                    assert!(
                        text.contains(&s),
                        "{} ({lang:?}) lacks {s:?}: {text}",
                        st.id
                    );
                }
                let words = st.near_poor_in_words(lang);
                assert!(!words.contains(&st.id), "{words}");
                assert!(words.contains(&st.name_in_sentence(lang)), "{words}");
            }
        }
    }
}
