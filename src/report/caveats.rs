//! What each chart must carry inside its image (`chart::Caveats`): a
//! subtitle when the years it shows were classified under different
//! standards, and notes when near-poor is defined differently between
//! them, when a standard is provisional, and when the data are a sample.
//! The words are the standards' own names, never their ids.

use crate::chart::Caveats;
use crate::i18n::Lang;
use crate::standard::{ByYear, Standard};
use std::sync::Arc;

/// A standard's name to write inside a sentence ("chuẩn nghèo …").
fn name_in_sentence(st: &Standard, lang: Lang) -> String {
    let name = lang.t(&st.name_vi, &st.name_en);
    match lang {
        Lang::Vi => {
            let mut c = name.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect())
                .unwrap_or_default()
        }
        Lang::En => {
            let lower = name.starts_with("Multidimensional") || name.starts_with("National");
            if lower {
                format!("the {}", name[..1].to_lowercase() + &name[1..])
            } else {
                name.to_string()
            }
        }
    }
}

fn same(a: &Standard, b: &Standard) -> bool {
    a.id == b.id && a.origin == b.origin && a.version == b.version
}

/// The caveats of a chart of the survey `years`: `near_poor` when it shows
/// near-poor households, `sample` when the data are a sample (rates are
/// estimates with 95 % intervals).
pub fn for_years(by: &ByYear, years: &[i64], near_poor: bool, sample: bool, lang: Lang) -> Caveats {
    let standards: Vec<(i64, &Arc<Standard>)> = (years.iter())
        .filter_map(|y| by.get(&(*y as i32)).map(|st| (*y, st)))
        .collect();
    let mut out = Caveats::default();
    let mut changes = Vec::new();
    for w in standards.windows(2) {
        let ((y0, a), (y1, b)) = (w[0], w[1]);
        if same(a, b) {
            continue;
        }
        let (na, nb) = (name_in_sentence(a, lang), name_in_sentence(b, lang));
        changes.push(match lang {
            Lang::Vi => format!("năm {y0} phân loại theo {na}, năm {y1} theo {nb}"),
            Lang::En => format!("{y0} classified under {na}, {y1} under {nb}"),
        });
        if near_poor && a.rule != b.rule {
            out.notes.push(match lang {
                Lang::Vi => format!("Hộ cận nghèo được xác định khác nhau giữa hai chuẩn ({}; {}): số hộ cận nghèo năm {y0} và năm {y1} không so sánh được.", a.near_poor_in_words(lang), b.near_poor_in_words(lang)),
                Lang::En => format!("Near-poor is defined differently under the two standards ({}; {}): near-poor counts of {y0} and {y1} are not comparable.", a.near_poor_in_words(lang), b.near_poor_in_words(lang)),
            });
        }
    }
    if !changes.is_empty() {
        let joined = changes.join("; ");
        out.subtitle = Some(match lang {
            Lang::Vi => format!("Đổi chuẩn nghèo: {joined}. Thay đổi giữa các năm gồm cả tác động của việc đổi chuẩn, không chỉ do mức sống thay đổi."),
            Lang::En => format!("Change of standard: {joined}. The change between the years includes the change of standard, not only changes in living standards."),
        });
    }
    let mut seen: Vec<&Arc<Standard>> = Vec::new();
    for (_, st) in &standards {
        if st.provisional && !seen.iter().any(|s| same(s, st)) {
            seen.push(st);
            let name = name_in_sentence(st, lang);
            out.notes.push(match lang {
                Lang::Vi => format!("Chuẩn tạm thời: {name} chưa được đối chiếu với văn bản pháp lý chính thức; kết quả có thể thay đổi."),
                Lang::En => format!("Provisional standard: {name} is not yet confirmed against the legal text; results may change."),
            });
        }
    }
    if sample {
        out.notes.push(lang.t(
            "Số liệu mẫu: các tỷ lệ là ước lượng; khoảng tin cậy 95 % có trong các bảng số liệu (và là thanh sai số nơi biểu đồ vẽ được).",
            "Sample data: the rates are estimates; their 95 % confidence intervals are in the data tables (and drawn as error bars where the chart allows).",
        ).to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::standard::resolve;

    fn by(pairs: &[(i32, &str)]) -> ByYear {
        pairs
            .iter()
            .map(|(y, id)| (*y, Arc::new(resolve(id).unwrap())))
            .collect()
    }

    #[test]
    fn a_change_of_standard_is_the_subtitle_in_words() {
        let b = by(&[(2021, "vn-2016-2020"), (2022, "vn-2022-2025")]);
        let vi = for_years(&b, &[2021, 2022], true, false, Lang::Vi);
        let sub = vi.subtitle.unwrap();
        assert!(sub.starts_with("Đổi chuẩn nghèo: năm 2021 phân loại theo chuẩn nghèo tiếp cận đa chiều áp dụng cho giai đoạn 2016–2020, năm 2022 theo chuẩn nghèo đa chiều giai đoạn 2022–2025."), "{sub}");
        assert!(!sub.contains("vn-20"), "no internal id: {sub}");
        assert!(
            vi.notes
                .iter()
                .any(|n| n.starts_with("Hộ cận nghèo được xác định khác nhau")),
            "{:?}",
            vi.notes
        );
        let en = for_years(&b, &[2021, 2022], false, true, Lang::En);
        assert!(en.subtitle.unwrap().starts_with("Change of standard: 2021 classified under the multidimensional poverty standard for 2016–2020"));
        assert_eq!(en.notes.len(), 1, "no near-poor note, one sample note");
        assert!(en.notes[0].starts_with("Sample data"));
        let same = for_years(&b, &[2022], true, false, Lang::Vi);
        assert_eq!(
            same,
            Caveats::default(),
            "one year, one standard: nothing to say"
        );
    }

    #[test]
    fn a_provisional_standard_is_said_once() {
        let b = by(&[(2027, "vn-2027-2030"), (2028, "vn-2027-2030")]);
        let vi = for_years(&b, &[2027, 2028], true, false, Lang::Vi);
        assert_eq!(vi.subtitle, None);
        assert_eq!(vi.notes.len(), 1, "{:?}", vi.notes);
        assert!(vi.notes[0].starts_with("Chuẩn tạm thời: chuẩn nghèo đa chiều quốc gia"));
    }
}
