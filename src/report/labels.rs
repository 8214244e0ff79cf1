//! What each common table column means to a reader: the kind of number it
//! holds (so the report and the workbook format it alike) and a human
//! header label in Vietnamese and English. Unknown columns fall back to
//! their machine name and a kind read from their type.

use crate::export::Column;
use crate::i18n::Lang;

/// How a column's values are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A year: digits only, no thousands separator.
    Year,
    /// An integer count: thousands separators.
    Count,
    /// Already a percentage: two decimals and a % sign.
    Pct,
    /// A proportion, standard error or index (estimate, se, AF measures):
    /// four decimals.
    Ratio,
    /// A weighted count: separators, decimals only if needed.
    Weighted,
    Text,
}

pub(crate) fn kind(name: &str, col: Option<&Column>) -> Kind {
    match col {
        Some(Column::Int(_)) => {
            if is_year(name) {
                Kind::Year
            } else {
                Kind::Count
            }
        }
        Some(Column::Float(_)) => {
            if is_ratio(name) {
                Kind::Ratio
            } else if is_pct(name) {
                Kind::Pct
            } else {
                Kind::Weighted
            }
        }
        Some(Column::Str(_)) | None => Kind::Text,
    }
}

fn is_year(name: &str) -> bool {
    name == "year" || name.starts_with("year_") || name.ends_with("_year")
}

/// A percentage: a machine name `…_pct…`, or a header that ends with "%"
/// ("2022 · %", `report::by_year`).
fn is_pct(name: &str) -> bool {
    name.ends_with("_pct") || name.contains("_pct_") || name.ends_with('%')
}

fn is_ratio(name: &str) -> bool {
    matches!(name, "estimate" | "se" | "ci_low" | "ci_high")
        || name.ends_with("_se")
        || (name.starts_with("af_") && name != "af_k")
}

/// The header label of a column in `lang`; `area` names what the rows'
/// `name` column holds (province, district, …).
pub(crate) fn header(name: &str, area: Option<&str>, lang: Lang) -> String {
    if name == "name" {
        let (vi, en) = area
            .and_then(level_pair)
            .filter(|_| area != Some("total"))
            .unwrap_or(("Tỉnh", "Province"));
        return lang.t(vi, en).to_string();
    }
    if let Some(base) = name.strip_suffix("_se") {
        if let Some((vi, en)) = known(base) {
            return format!("{} – {}", lang.t(vi, en), lang.t("sai số chuẩn", "s.e."));
        }
    }
    match known(name) {
        Some((vi, en)) => lang.t(vi, en).to_string(),
        None => name.to_string(),
    }
}

fn known(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "standard" => ("Chuẩn nghèo", "Standard"),
        "survey_year" => ("Năm", "Year"),
        "from_year" => ("Từ năm", "From year"),
        "to_year" => ("Đến năm", "To year"),
        "level" => ("Cấp", "Level"),
        "unit_of_analysis" => ("Đơn vị phân tích", "Unit of analysis"),
        "code" => ("Mã", "Code"),
        "measure" => ("Chỉ tiêu", "Measure"),
        "indicator" => ("Chỉ số", "Indicator"),
        "k" => ("Ngưỡng k", "Cut-off k"),
        "deprivations" => ("Số chỉ số thiếu hụt", "Deprivations"),
        "estimate" => ("Ước lượng", "Estimate"),
        "se" => ("Sai số chuẩn", "Std. error"),
        "ci_low" => ("KTC 95 % – cận dưới", "95% CI low"),
        "ci_high" => ("KTC 95 % – cận trên", "95% CI high"),
        "n" => ("Số hộ quan sát", "Observations"),
        "weight_sum" => ("Tổng quyền số", "Sum of weights"),
        "n_unknown" => ("Số chưa rõ", "Unknown"),
        "households" => ("Số hộ", "Households"),
        "households_weighted" => ("Số hộ (gia quyền)", "Households (weighted)"),
        "persons_weighted" => ("Số người (gia quyền)", "Persons (weighted)"),
        "poor" => ("Hộ nghèo", "Poor"),
        "poor_income" => ("Nghèo theo thu nhập", "Poor by income"),
        "poor_deprivation" => ("Nghèo theo thiếu hụt", "Poor by deprivation"),
        "near_poor" => ("Hộ cận nghèo", "Near-poor"),
        "average" => ("Hộ có mức sống trung bình", "Average living standard"),
        "not_poor" => ("Không nghèo", "Not poor"),
        "undetermined" => ("Chưa xác định", "Undetermined"),
        "excluded" => ("Loại trừ", "Excluded"),
        "poor_pct" => ("Tỷ lệ hộ nghèo (%)", "Poor (%)"),
        "poor_income_pct" => ("Nghèo theo thu nhập (%)", "Poor by income (%)"),
        "poor_deprivation_pct" => ("Nghèo theo thiếu hụt (%)", "Poor by deprivation (%)"),
        "poor_pct_upper" => ("Tỷ lệ hộ nghèo, cận trên (%)", "Poor, upper bound (%)"),
        "near_poor_pct" => ("Tỷ lệ hộ cận nghèo (%)", "Near-poor (%)"),
        "average_pct" => ("Mức sống trung bình (%)", "Average (%)"),
        "not_poor_pct" => ("Không nghèo (%)", "Not poor (%)"),
        "undetermined_pct" => ("Chưa xác định (%)", "Undetermined (%)"),
        "poor_person_pct" => ("Người trong hộ nghèo (%)", "Persons in poor households (%)"),
        "near_poor_person_pct" => (
            "Người trong hộ cận nghèo (%)",
            "Persons in near-poor households (%)",
        ),
        "vulnerable" => ("Dễ bị tổn thương", "Vulnerable"),
        "severe" => ("Nghèo nghiêm trọng", "Severe poverty"),
        "vulnerable_pct" => ("Dễ bị tổn thương (%)", "Vulnerable (%)"),
        "severe_pct" => ("Nghèo nghiêm trọng (%)", "Severe poverty (%)"),
        "severe_pct_upper" => (
            "Nghèo nghiêm trọng, cận trên (%)",
            "Severe poverty, upper bound (%)",
        ),
        "vulnerable_person_pct" => (
            "Người trong hộ dễ bị tổn thương (%)",
            "Persons in vulnerable households (%)",
        ),
        "severe_person_pct" => (
            "Người trong hộ nghèo nghiêm trọng (%)",
            "Persons in severe poverty (%)",
        ),
        "af_H_person" => ("H theo người", "H, persons"),
        "af_A_person" => ("A theo người", "A, persons"),
        "af_M0_person" => ("MPI (M0) theo người", "MPI (M0), persons"),
        "af_k" => ("Ngưỡng k (AF)", "AF cut-off k"),
        "af_H" => ("H (tỷ lệ nghèo đa chiều)", "H (headcount ratio)"),
        "af_A" => ("A (mức độ thiếu hụt)", "A (intensity)"),
        "af_M0" => ("M0 (chỉ số nghèo đa chiều)", "M0 (adjusted headcount)"),
        "deprived" => ("Hộ thiếu hụt", "Deprived"),
        "unknown" => ("Chưa rõ", "Unknown"),
        "deprived_pct" => ("Tỷ lệ thiếu hụt (%)", "Deprived (%)"),
        "unknown_pct" => ("Tỷ lệ chưa rõ (%)", "Unknown (%)"),
        "poor_deprived" => ("Hộ nghèo có thiếu hụt", "Poor and deprived"),
        "poor_deprived_pct" => (
            "Thiếu hụt trong hộ nghèo (%)",
            "Deprived among the poor (%)",
        ),
        _ => return None,
    })
}

fn level_pair(level: &str) -> Option<(&'static str, &'static str)> {
    Some(match level {
        "total" => ("Tổng cộng", "Total"),
        "region" => ("Vùng", "Region"),
        "province" => ("Tỉnh", "Province"),
        "district" => ("Huyện", "District"),
        "commune" => ("Xã", "Commune"),
        "area" => ("Thành thị/nông thôn", "Urban/rural"),
        _ => return None,
    })
}

/// A value of the `level` column in `lang` (unknown values as is).
pub(crate) fn level_value(v: &str, lang: Lang) -> String {
    match level_pair(v) {
        Some((vi, en)) => lang.t(vi, en).to_string(),
        None => v.to_string(),
    }
}

/// `v` with `decimals` decimals and the language's separators
/// (1234.5 → "1.234,50" / "1,234.50"). Never "-0,00".
pub(crate) fn decimal(lang: Lang, v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return DASH.to_string();
    }
    let s = format!("{:.decimals$}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((s.as_str(), ""));
    let (tsep, dsep) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::with_capacity(s.len() + s.len() / 3 + 1);
    let zero = s.bytes().all(|b| b == b'0' || b == b'.');
    if v < 0.0 && !zero {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(tsep);
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push(dsep);
        out.push_str(frac);
    }
    out
}

/// What a missing or non-finite value shows as.
pub(crate) const DASH: &str = "–";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_labels() {
        let f = Column::Float(vec![]);
        let i = Column::Int(vec![]);
        assert_eq!(kind("poor_pct", Some(&f)), Kind::Pct);
        assert_eq!(kind("poor_pct_upper", Some(&f)), Kind::Pct);
        assert_eq!(kind("af_M0_se", Some(&f)), Kind::Ratio);
        assert_eq!(kind("estimate", Some(&f)), Kind::Ratio);
        assert_eq!(kind("households_weighted", Some(&f)), Kind::Weighted);
        assert_eq!(kind("survey_year", Some(&i)), Kind::Year);
        assert_eq!(kind("households", Some(&i)), Kind::Count);
        assert_eq!(header("poor_pct", None, Lang::Vi), "Tỷ lệ hộ nghèo (%)");
        assert_eq!(header("poor_pct", None, Lang::En), "Poor (%)");
        assert_eq!(header("name", None, Lang::Vi), "Tỉnh");
        assert_eq!(header("name", Some("district"), Lang::En), "District");
        assert_eq!(
            header("af_H_se", None, Lang::En),
            "H (headcount ratio) – s.e."
        );
        assert_eq!(header("mystery", None, Lang::En), "mystery");
        assert_eq!(decimal(Lang::Vi, 1234.5, 2), "1.234,50");
        assert_eq!(decimal(Lang::En, -1234567.26, 1), "-1,234,567.3");
        assert_eq!(decimal(Lang::En, -0.00001, 4), "0.0000");
        assert_eq!(decimal(Lang::En, f64::NAN, 4), DASH);
        assert_eq!(decimal(Lang::Vi, 3.0, 0), "3");
    }
}
