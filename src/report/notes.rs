//! The notes sheet of the people's workbook ("Ghi chú" / "Notes"): which
//! standard and legal basis, the date of the run, the source files with
//! their SHA-256 (the manifest's input hashes: the workbook is written
//! before the manifest's own list of outputs is final), the options, what
//! "undetermined" means, whether counts are counted or estimated, and how
//! sure each standard's indicator definitions are. All in the workbook's
//! language.
//!
//! The date is today's (UTC), or the day of `SOURCE_DATE_EPOCH` (seconds
//! since 1970) when that variable is set, so a run can be reproduced byte
//! for byte (the reproducible-builds convention).

use super::ReportStandard;
use crate::i18n::{nfc, Lang};
use crate::standard::Standard;
use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use std::sync::Arc;

/// One line of the notes: a topic and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub topic: String,
    pub text: String,
}

/// What the notes are made from.
pub struct NotesInput<'a> {
    pub lang: Lang,
    /// The standards in use, as the report names them.
    pub standards: &'a [ReportStandard],
    /// The same standards, for their indicators' confidence.
    pub in_use: &'a [(Vec<i32>, Arc<Standard>)],
    pub manifest_json: &'a str,
    pub census: bool,
    /// (year, month, day) of the run.
    pub date: (i64, u32, u32),
}

/// The notes, in order.
pub fn notes(n: &NotesInput<'_>) -> Vec<Note> {
    let lang = n.lang;
    let mut out = Vec::new();
    let mut add = |vi: &str, en: &str, text: String| {
        out.push(Note {
            topic: lang.t(vi, en).to_string(),
            text,
        })
    };
    for st in n.standards {
        add("Chuẩn nghèo", "Standard", standard_line(st, lang));
        for basis in &st.legal_basis {
            add("Căn cứ pháp lý", "Legal basis", citation(basis, lang));
        }
    }
    let (y, m, d) = n.date;
    let date = match lang {
        Lang::Vi => format!("{d:02}/{m:02}/{y}"),
        Lang::En => format!("{y}-{m:02}-{d:02}"),
    };
    add("Ngày chạy", "Date of the run", date);
    let manifest: serde_json::Value = serde_json::from_str(n.manifest_json).unwrap_or_default();
    for f in manifest["inputs"].as_array().into_iter().flatten() {
        let text = format!(
            "{} — {} {} — SHA-256 {}",
            f["path"].as_str().unwrap_or(""),
            lang.count(f["bytes"].as_f64().unwrap_or(0.0)),
            lang.t("byte", "bytes"),
            f["sha256"].as_str().unwrap_or("")
        );
        add("Tệp nguồn", "Source file", text);
    }
    if let Some(opts) = options(&manifest["options"]) {
        add("Tùy chọn", "Options", opts);
    }
    let (counts_vi, counts_en) = counts(n.census);
    add(
        "Số hộ",
        "Household counts",
        lang.t(counts_vi, counts_en).into(),
    );
    add(
        "Hộ chưa xác định",
        "Undetermined",
        lang.t(UNDETERMINED_VI, UNDETERMINED_EN).into(),
    );
    for (_, st) in n.in_use {
        add(
            "Độ tin cậy của định nghĩa",
            "Confidence of definitions",
            confidence(st, lang),
        );
    }
    add(
        "Số liệu đầy đủ",
        "Full estimates",
        lang.t(FULL_VI, FULL_EN).into(),
    );
    out
}

const UNDETERMINED_VI: &str = "Hộ chưa xác định là hộ thiếu thông tin về một hoặc nhiều chỉ số nên \
chưa thể xếp loại: tùy giá trị còn thiếu, hộ có thể là hộ nghèo hoặc không. Hộ này được tính vào tổng \
số hộ nhưng không tính vào số hộ nghèo hay cận nghèo; danh sách các hộ và chỉ số còn thiếu ở tệp \
undetermined.csv của từng năm để rà soát bổ sung.";
const UNDETERMINED_EN: &str = "An undetermined household lacks the value of one or more indicators, \
so it cannot be classed: depending on the missing values it may or may not be poor. It counts in the \
total of households but in neither the poor nor the near-poor; the households and their missing \
indicators are listed in each year's undetermined.csv for follow-up.";
const FULL_VI: &str =
    "Bảng này chỉ gồm số hộ và tỷ lệ. Ước lượng đầy đủ (sai số chuẩn, khoảng tin \
cậy 95 %, tỷ lệ theo người, các chỉ số Alkire–Foster) ở các tệp CSV, JSON và Parquet trong thư mục \
tables (tables/estimates, tables/rates_…).";
const FULL_EN: &str = "This workbook holds household counts and rates. The full estimates (standard \
errors, 95 % confidence intervals, person rates, the Alkire–Foster measures) are in the CSV, JSON and \
Parquet files of the tables folder (tables/estimates, tables/rates_…).";

fn counts(census: bool) -> (&'static str, &'static str) {
    if census {
        (
            "Số hộ là số hộ có trong dữ liệu (rà soát toàn bộ các hộ).",
            "Household counts are the households in the data (a full review).",
        )
    } else {
        (
            "Dữ liệu là một mẫu: các số hộ là số hộ ước tính theo quyền số mẫu (làm tròn khi hiển thị), \
             không phải số hộ đếm được.",
            "The data are a sample: household counts are estimated with the sampling weights \
             (rounded for display), not households counted.",
        )
    }
}

/// "Chuẩn … (năm 2020, 2021)", with a warning when it is provisional.
fn standard_line(st: &ReportStandard, lang: Lang) -> String {
    let years: Vec<String> = st.years.iter().map(|y| y.to_string()).collect();
    let mut s = match lang {
        Lang::Vi => format!("{} (năm {})", st.name, years.join(", ")),
        Lang::En => format!("{} ({})", st.name, years.join(", ")),
    };
    if st.provisional {
        s += lang.t(
            " — tạm thời: chưa đối chiếu đầy đủ với văn bản pháp lý",
            " — provisional: not yet checked in full against the legal text",
        );
    }
    if st.research {
        s += lang.t(
            " — chuẩn nghiên cứu, không phải chuẩn nghèo chính thức",
            " — a research measure, not an official standard",
        );
    }
    s
}

/// A legal basis in `lang`. The standards cite in English; in Vietnamese
/// the document is named as Vietnamese documents cite it ("Nghị định
/// 07/2021/NĐ-CP ngày 27/01/2021"), and a text that is not such a citation
/// is kept as written.
fn citation(basis: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return basis.to_string();
    }
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
            format!("{vi} {number} ngày {d}")
        }
        _ => format!("{vi} {number}"),
    }
}

/// How many of the standard's indicators are confirmed from the legal
/// text, from secondary sources, or unconfirmed (those named).
fn confidence(st: &Standard, lang: Lang) -> String {
    let of = |c: &str| st.indicators.iter().filter(|i| i.confidence == c).count();
    let unconfirmed: Vec<&str> = (st.indicators.iter())
        .filter(|i| i.confidence == "unconfirmed")
        .map(|i| lang.t(&i.label_vi, &i.label_en))
        .collect();
    let name = lang.t(&st.name_vi, &st.name_en);
    let mut s = match lang {
        Lang::Vi => format!(
            "{name}: {} chỉ số đã đối chiếu với văn bản pháp lý, {} theo nguồn thứ cấp, {} chưa xác nhận",
            of("confirmed"),
            of("secondary"),
            unconfirmed.len()
        ),
        Lang::En => format!(
            "{name}: {} indicators checked against the legal text, {} from secondary sources, {} unconfirmed",
            of("confirmed"),
            of("secondary"),
            unconfirmed.len()
        ),
    };
    if !unconfirmed.is_empty() {
        s += &format!(" ({})", unconfirmed.join("; "));
    }
    s.push('.');
    s
}

/// The run's options as a user types them (`--by province --lang vi,en`).
fn options(opts: &serde_json::Value) -> Option<String> {
    let mut parts = Vec::new();
    for (key, v) in opts.as_object()? {
        let flag = format!("--{}", key.replace('_', "-"));
        match v {
            serde_json::Value::Null | serde_json::Value::Bool(false) => {}
            // Whether a report was asked for: this workbook is part of it.
            serde_json::Value::Bool(true) if key == "report" => {}
            serde_json::Value::Bool(true) => parts.push(flag),
            serde_json::Value::Array(a) if a.is_empty() => {}
            serde_json::Value::Array(a) => {
                let vals: Vec<String> = a.iter().map(plain).collect();
                parts.push(format!("{flag} {}", vals.join(",")));
            }
            other => parts.push(format!("{flag} {}", plain(other))),
        }
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The day of the run: `SOURCE_DATE_EPOCH` when set, else today (UTC).
pub fn run_date() -> (i64, u32, u32) {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH))
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    civil(secs.div_euclid(86_400))
}

/// The proleptic Gregorian date of `days` since 1970-01-01 (H. Hinnant's
/// algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Write `notes` to `ws`: a title row, then one note a row (topic, text),
/// the text wrapped.
pub fn write_notes(ws: &mut Worksheet, notes: &[Note], lang: Lang) -> Result<(), XlsxError> {
    ws.set_name(lang.t("Ghi chú", "Notes"))?;
    let bold = Format::new().set_bold();
    let topic = Format::new()
        .set_bold()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    ws.write_string_with_format(
        0,
        0,
        lang.t("Ghi chú về bảng số liệu", "Notes on the tables"),
        &bold,
    )?;
    ws.set_column_width(0, 28)?;
    ws.set_column_width(1, 110)?;
    for (i, n) in notes.iter().enumerate() {
        let row = (i + 2) as u32;
        ws.write_string_with_format(row, 0, nfc(&n.topic), &topic)?;
        ws.write_string_with_format(row, 1, nfc(&n.text), &wrap)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_read_as_vietnamese_documents_cite() {
        let d =
            "Decree 07/2021/NĐ-CP of 27/01/2021 on the multidimensional poverty standard, Art. 3";
        assert_eq!(
            citation(d, Lang::Vi),
            "Nghị định 07/2021/NĐ-CP ngày 27/01/2021"
        );
        assert_eq!(citation(d, Lang::En), d);
        assert_eq!(
            citation(
                "Decree 30/2025/NĐ-CP amending Decree 07/2021/NĐ-CP",
                Lang::Vi
            ),
            "Nghị định 30/2025/NĐ-CP"
        );
        assert_eq!(
            citation(
                "Circular 17/2016/TT-BLĐTBXH of 28/06/2016 (effective)",
                Lang::Vi
            ),
            "Thông tư 17/2016/TT-BLĐTBXH ngày 28/06/2016"
        );
        let other = "Decision of the Provincial People's Committee";
        assert_eq!(citation(other, Lang::Vi), other);
    }

    #[test]
    fn dates_and_options() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(20_453), (2025, 12, 31));
        assert_eq!(civil(11_016), (2000, 2, 29));
        let opts = serde_json::json!({
            "by": ["province"], "k": [], "lonely_psu": "fail", "min_cell": null,
            "report": true, "strict": true, "suppress": false
        });
        assert_eq!(
            options(&opts).unwrap(),
            "--by province --lonely-psu fail --strict"
        );
    }

    #[test]
    fn the_notes_name_inputs_options_and_date() {
        let manifest = r#"{"options": {"by": ["district"]},
            "inputs": [{"path": "d/households.csv", "bytes": 1234, "sha256": "ab12"}]}"#;
        let st = crate::standard::resolve("vn-2022-2025").unwrap();
        let rs = super::super::standards::report_standard(&[2022], &st, Lang::Vi);
        let in_use = vec![(vec![2022], Arc::new(st))];
        let n = notes(&NotesInput {
            lang: Lang::Vi,
            standards: std::slice::from_ref(&rs),
            in_use: &in_use,
            manifest_json: manifest,
            census: true,
            date: (2026, 12, 7),
        });
        let find = |t: &str| n.iter().find(|x| x.topic == t).map(|x| x.text.clone());
        assert_eq!(find("Ngày chạy").unwrap(), "07/12/2026");
        assert_eq!(
            find("Tệp nguồn").unwrap(),
            "d/households.csv — 1.234 byte — SHA-256 ab12"
        );
        assert_eq!(find("Tùy chọn").unwrap(), "--by district");
        assert!(find("Chuẩn nghèo")
            .unwrap()
            .starts_with("Chuẩn nghèo đa chiều giai đoạn 2022–2025 (năm 2022)"));
        assert!(find("Căn cứ pháp lý")
            .unwrap()
            .starts_with("Nghị định 07/2021/NĐ-CP"));
        assert!(find("Độ tin cậy của định nghĩa").is_some());
    }
}
