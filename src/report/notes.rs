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
            add("Căn cứ pháp lý", "Legal basis", basis.clone());
        }
    }
    let (y, m, d) = n.date;
    let date = match lang {
        Lang::Vi => format!("{d:02}/{m:02}/{y}"),
        Lang::En => format!("{y}-{m:02}-{d:02}"),
    };
    add("Ngày chạy", "Date of the run", date);
    let manifest: serde_json::Value = serde_json::from_str(n.manifest_json).unwrap_or_default();
    for f in super::provenance::inputs(&manifest) {
        let text = format!(
            "{} — {} {} — SHA-256 {}",
            f.path,
            lang.count(f.bytes),
            lang.t("byte", "bytes"),
            f.sha256
        );
        add("Tệp nguồn", "Source file", text);
    }
    let opts = super::provenance::options(&manifest["options"], lang);
    if !opts.is_empty() {
        let opts: Vec<String> = opts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        add("Tùy chọn", "Options", opts.join("; "));
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

/// How many of the standard's indicators are confirmed from the legal
/// text, from secondary sources, or unconfirmed (those named).
fn confidence(st: &Standard, lang: Lang) -> String {
    use super::Confidence;
    let of = |c: Confidence| {
        (st.indicators.iter())
            .filter(|i| Confidence::of(&i.confidence) == c)
            .count()
    };
    let unconfirmed: Vec<&str> = (st.indicators.iter())
        .filter(|i| Confidence::of(&i.confidence) == Confidence::Unconfirmed)
        .map(|i| lang.t(&i.label_vi, &i.label_en))
        .collect();
    let name = lang.t(&st.name_vi, &st.name_en);
    let mut s = match lang {
        Lang::Vi => format!(
            "{name}: định nghĩa của {} chỉ số đã đối chiếu với văn bản gốc, {} chỉ số theo nguồn thứ cấp, {} chỉ số chưa được đối chiếu với văn bản gốc",
            of(Confidence::Confirmed),
            of(Confidence::Secondary),
            unconfirmed.len()
        ),
        Lang::En => format!(
            "{name}: {} indicator definitions checked against the original text, {} from secondary sources, {} not yet checked against the original text",
            of(Confidence::Confirmed),
            of(Confidence::Secondary),
            unconfirmed.len()
        ),
    };
    if !unconfirmed.is_empty() {
        s += &format!(" ({})", unconfirmed.join("; "));
    }
    s.push('.');
    s
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
    crate::i18n::civil(secs.div_euclid(86_400))
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
    fn dates() {
        assert_eq!(crate::i18n::civil(0), (1970, 1, 1));
        assert_eq!(crate::i18n::civil(20_453), (2025, 12, 31));
        assert_eq!(crate::i18n::civil(11_016), (2000, 2, 29));
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
        assert_eq!(find("Tùy chọn").unwrap(), "Cấp tổng hợp: huyện");
        assert!(find("Chuẩn nghèo")
            .unwrap()
            .starts_with("Chuẩn nghèo đa chiều giai đoạn 2022–2025 (năm 2022)"));
        assert!(find("Căn cứ pháp lý")
            .unwrap()
            .starts_with("Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ"));
        assert!(find("Độ tin cậy của định nghĩa").is_some());
    }
}
