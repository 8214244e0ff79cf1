//! What a run was made from, as a reader is told it in the report's
//! language: the input files with their SHA-256, and the options with
//! their meaning (`--by province` is "Cấp tổng hợp: tỉnh"), read from the
//! run's manifest. The HTML report shows them as a table, the workbook in
//! its notes; the manifest itself keeps the machine's keys.

use crate::i18n::Lang;
use serde_json::Value;

/// One input file: its path as given, its size in bytes, its SHA-256.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFile {
    pub path: String,
    pub bytes: f64,
    pub sha256: String,
}

/// The input files the manifest records.
pub fn inputs(manifest: &Value) -> Vec<InputFile> {
    (manifest["inputs"].as_array().into_iter().flatten())
        .map(|f| InputFile {
            path: f["path"].as_str().unwrap_or("").to_string(),
            bytes: f["bytes"].as_f64().unwrap_or(0.0),
            sha256: f["sha256"].as_str().unwrap_or("").to_string(),
        })
        .collect()
}

/// The options the manifest records, each as (what it is, its value), in
/// `lang`; an option left at nothing (no cut-off asked, no small-cell rule)
/// is left out, an option this list does not know keeps its key.
pub fn options(opts: &Value, lang: Lang) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some(map) = opts.as_object() else {
        return out;
    };
    for (key, v) in map {
        let values: Vec<String> = match v {
            Value::Null => continue,
            Value::Array(a) if a.is_empty() => continue,
            Value::Array(a) => a.iter().map(|x| value(key, x, lang)).collect(),
            other => vec![value(key, other, lang)],
        };
        let label = match label(key) {
            Some((vi, en)) => lang.t(vi, en).to_string(),
            None => key.clone(),
        };
        out.push((label, values.join(", ")));
    }
    out
}

/// What an option is.
fn label(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "by" => ("Cấp tổng hợp", "Breakdown"),
        "formats" => ("Định dạng tệp bảng", "Table file formats"),
        "k" => ("Ngưỡng k thêm (nghiên cứu)", "Extra cut-offs k (research)"),
        "lang" => ("Ngôn ngữ báo cáo", "Report languages"),
        "lonely_psu" => (
            "Tầng chỉ có một đơn vị mẫu cấp một",
            "Strata with a single PSU",
        ),
        "min_cell" => ("Ngưỡng ô nhỏ (số hộ)", "Small-cell threshold (households)"),
        "missing" => ("Xử lý giá trị thiếu", "Missing values"),
        "report" => ("Lập báo cáo", "Report written"),
        "strict" => ("Chế độ nghiêm ngặt", "Strict mode"),
        "suppress" => ("Ẩn ô nhỏ", "Small cells blanked"),
        _ => return None,
    })
}

/// A value in words where it is a word; numbers, file formats and names
/// as they are.
fn value(key: &str, v: &Value, lang: Lang) -> String {
    let t = |vi: &'static str, en: &'static str| lang.t(vi, en).to_string();
    match (key, v) {
        (_, Value::Bool(true)) => t("có", "yes"),
        (_, Value::Bool(false)) => t("không", "no"),
        ("by", Value::String(s)) => match super::labels::level_value(s, lang) {
            name if name == *s => s.clone(),
            name => name.to_lowercase(),
        },
        ("lang", Value::String(s)) => match s.as_str() {
            "vi" => t("tiếng Việt", "Vietnamese"),
            "en" => t("tiếng Anh", "English"),
            _ => s.clone(),
        },
        ("lonely_psu", Value::String(s)) => match s.as_str() {
            "fail" => t("dừng và báo lỗi", "stop with an error"),
            "adjust" => t(
                "điều chỉnh về trung bình chung",
                "centred on the grand mean",
            ),
            "remove" => t("bỏ qua khi tính sai số", "left out of the variance"),
            "certainty" => t("coi là chắc chắn được chọn", "treated as certainty units"),
            _ => s.clone(),
        },
        ("missing", Value::String(s)) => match s.as_str() {
            "per-indicator" => t("theo quy định của từng chỉ số", "as each indicator says"),
            "unknown" => t("ghi là chưa rõ", "unknown"),
            "not_deprived" => t("coi là không thiếu hụt", "not deprived"),
            "deprived" => t("coi là thiếu hụt", "deprived"),
            "exclude" => t("loại hộ khỏi phạm vi", "household excluded"),
            _ => s.clone(),
        },
        ("formats", Value::String(s)) => s.to_uppercase(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_in_words() {
        let opts = serde_json::json!({
            "by": ["province"], "k": [], "lang": ["vi", "en"], "lonely_psu": "fail",
            "min_cell": null, "missing": "per-indicator", "report": true, "formats": ["csv"]
        });
        let vi = options(&opts, Lang::Vi);
        let find = |k: &str| vi.iter().find(|(l, _)| l == k).map(|(_, v)| v.as_str());
        assert_eq!(find("Cấp tổng hợp"), Some("tỉnh"));
        assert_eq!(find("Ngôn ngữ báo cáo"), Some("tiếng Việt, tiếng Anh"));
        assert_eq!(find("Lập báo cáo"), Some("có"));
        assert_eq!(find("Định dạng tệp bảng"), Some("CSV"));
        assert_eq!(
            find("Xử lý giá trị thiếu"),
            Some("theo quy định của từng chỉ số")
        );
        assert!(find("Ngưỡng ô nhỏ (số hộ)").is_none(), "null is left out");
        assert_eq!(vi.len(), 6, "{vi:?}");
        let en = options(&serde_json::json!({"by": ["district"], "new": 3}), Lang::En);
        assert_eq!(
            en,
            [
                ("Breakdown".to_string(), "district".to_string()),
                ("new".to_string(), "3".to_string())
            ]
        );
    }
}
