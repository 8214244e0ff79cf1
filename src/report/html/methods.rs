//! The methods section: the standard applied to each year and its legal
//! basis, how households are classified, how sure each indicator's
//! definition is and where to correct it, comparing years, missing values,
//! precision and rates. Standards are named, never by their internal id
//! (the provenance section of the English report gives ids).

use super::super::markup::esc;
use super::super::{Confidence, ReportInput, ReportStandard};
use super::{code_files, provisional_badge, years_of};
use crate::i18n::Lang;
use std::fmt::Write;

pub(super) fn methods_section(h: &mut String, r: &ReportInput) {
    let t = |vi, en| r.lang.t(vi, en);
    let _ = write!(
        h,
        "<section id=\"methods\">\n<h2>{}</h2>\n",
        t("Phương pháp", "Methods")
    );
    for st in &r.standards {
        standard(h, r.lang, st);
        legal_basis(h, r.lang, st);
        classification(h, r, st);
        definitions(h, r.lang, st);
    }
    comparability(h, r);
    for (vi_head, en_head, vi, en) in notes(r) {
        let _ = writeln!(
            h,
            "<p><strong>{}.</strong> {}</p>",
            t(vi_head, en_head),
            code_files(&esc(t(vi, en)))
        );
    }
    h.push_str("</section>\n");
}

/// Which standard applies, to which years and reviews; a provisional
/// standard's warning.
fn standard(h: &mut String, lang: Lang, st: &ReportStandard) {
    let t = |vi, en| lang.t(vi, en);
    let (y0, y1) = st.review_years;
    // A research measure (the global MPI) has no review years and no legal basis.
    let applies = if st.research {
        String::new()
    } else {
        format!(
            ", {} {y0}–{y1}",
            t("áp dụng cho các kỳ rà soát", "applicable to the reviews of")
        )
    };
    let _ = writeln!(
        h,
        "<p>{} <strong>{}</strong>{applies}; {}.{}</p>",
        t("Chuẩn áp dụng:", "Standard:"),
        esc(&st.name),
        esc(&format!(
            "{} {}",
            t("dùng cho", "used for"),
            years_of(lang, &st.years)
        )),
        provisional_badge(lang, st.provisional),
    );
    if st.provisional {
        let _ = writeln!(
            h,
            "<p class=\"notes\">{}</p>",
            esc(t(
                "Chuẩn này là tạm thời: văn bản pháp luật chưa được đối chiếu; danh mục chỉ số và định nghĩa của chúng dựa trên các nguồn tin đã đưa và có thể thay đổi. Các kết quả theo chuẩn này là ước tính, không phải kết quả rà soát chính thức.",
                "This standard is provisional: the legal text has not been checked; its indicator list and their definitions follow published reports and may change. Results under it are projections, not official review results.",
            ))
        );
    }
}

/// The legal texts of a standard, or the references of a research measure.
fn legal_basis(h: &mut String, lang: Lang, st: &ReportStandard) {
    let t = |vi, en| lang.t(vi, en);
    if !st.legal_basis.is_empty() {
        let basis = if st.research {
            t("Tài liệu tham khảo:", "References:")
        } else {
            t("Căn cứ pháp lý:", "Legal basis:")
        };
        let _ = write!(h, "<p>{basis}</p>\n<ul>\n");
        for l in &st.legal_basis {
            let _ = writeln!(h, "<li>{}</li>", esc(l));
        }
        h.push_str("</ul>\n");
    }
}

/// How a standard classifies households, in its own words.
fn classification(h: &mut String, r: &ReportInput, st: &ReportStandard) {
    let t = |vi, en| r.lang.t(vi, en);
    let heading = if r.standards.len() > 1 {
        format!("{} ({})", t("Phân loại hộ", "Classification"), st.name)
    } else {
        t("Phân loại hộ", "Classification").to_string()
    };
    let _ = writeln!(
        h,
        "<p><strong>{}.</strong> {}</p>",
        esc(&heading),
        esc(&st.classification)
    );
}

/// What to keep in mind when comparing years, if anything.
fn comparability(h: &mut String, r: &ReportInput) {
    let t = |vi, en| r.lang.t(vi, en);
    if !r.comparability.is_empty() {
        let _ = write!(
            h,
            "<p id=\"comparability\"><strong>{}.</strong></p>\n<ul class=\"notes\">\n",
            t("So sánh giữa các năm", "Comparing years")
        );
        for c in &r.comparability {
            let _ = writeln!(h, "<li>{}</li>", esc(c));
        }
        h.push_str("</ul>\n");
    }
}

/// The notes on missing values, precision and rates, headings and texts in
/// Vietnamese and English: (heading vi, heading en, text vi, text en).
fn notes(r: &ReportInput) -> [(&'static str, &'static str, &'static str, &'static str); 3] {
    [
    (
        "Giá trị thiếu",
        "Missing values",
        "Giá trị thiếu không bao giờ được đoán hay điền thay. Chỉ số thiếu câu trả lời được ghi là chưa rõ. Hộ mà kết \
         quả phân loại còn tuỳ thuộc vào các giá trị chưa rõ là hộ chưa xác định: hộ vẫn nằm trong mẫu số của các tỷ lệ \
         nhưng không thuộc nhóm nào, và được liệt kê để xác minh lại trong các tệp undetermined.csv. Cột “Tỷ lệ hộ nghèo, \
         cận trên” tính thêm các hộ chưa xác định có thể là hộ nghèo.",
        "Missing values are never guessed or imputed. An indicator whose answer is missing is unknown. A household \
         whose class depends on its unknown values is undetermined: it stays in the denominator of the rates but is \
         counted in no class, and it is listed for follow-up in the undetermined.csv files. The column “Poor, upper \
         bound” also counts the undetermined households that could be poor.",
    ),
    if r.census {
        (
            "Sai số",
            "Precision",
            "Số liệu bao gồm toàn bộ các hộ, không chọn mẫu: các con số không có sai số chọn mẫu.",
            "The data cover every household (a full count, not a sample): the figures have no sampling error.",
        )
    } else {
        (
            "Sai số",
            "Precision",
            "Số liệu là một mẫu: sai số chuẩn được ước lượng bằng phương pháp tuyến tính hoá Taylor, có tính đến các \
             tầng và đơn vị mẫu cấp một (PSU) của thiết kế mẫu; khoảng tin cậy 95 % theo phân phối chuẩn.",
            "The data are a sample: standard errors are estimated by Taylor linearisation, taking the strata and \
             primary sampling units (PSUs) of the design into account; confidence intervals are 95% normal intervals.",
        )
    },
    if r.headline.iter().any(|hl| hl.mpi.is_some()) {
        (
            "Tỷ lệ",
            "Rates",
            "H, A và MPI (M0) tính trên những người (hoặc hộ) mà mọi chỉ số đều đã biết: mỗi người mang các thiếu hụt của hộ mình, nên tỷ lệ theo người là tỷ lệ hộ gia quyền theo số nhân khẩu. Các tỷ lệ nhóm trong bảng (nghèo, dễ bị tổn thương, nghiêm trọng) là phần trăm số hộ (gia quyền nếu là mẫu) và có thêm các hộ chưa xác định trong mẫu số.",
            "H, A and MPI (M0) are computed over the persons (or households) whose indicators are all known: every person carries the household's deprivations, so person rates are household rates weighted by household size. The class shares in the tables (poor, vulnerable, severe) are percentages of households (weighted for a sample) whose denominator also counts the undetermined households.",
        )
    } else {
        (
            "Tỷ lệ",
            "Rates",
            "Tỷ lệ là phần trăm số hộ (gia quyền nếu là mẫu), không kể các hộ nằm ngoài phạm vi rà soát.",
            "Rates are percentages of households (weighted for a sample), leaving out households outside the review's scope.",
        )
    },
]
}

/// How sure each indicator's definition of a standard is: how many are
/// checked against the legal text, from secondary sources, not checked —
/// each group's indicators named — and where to correct them.
fn definitions(h: &mut String, lang: crate::i18n::Lang, st: &ReportStandard) {
    let t = |vi, en| lang.t(vi, en);
    if st.indicators.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<p><strong>{}.</strong></p>\n<ul class=\"definitions\">\n",
        esc(&format!(
            "{} ({})",
            t("Định nghĩa các chỉ số", "Indicator definitions"),
            st.name
        ))
    );
    for c in [
        Confidence::Confirmed,
        Confidence::Secondary,
        Confidence::Unconfirmed,
    ] {
        let names: Vec<&str> = (st.indicators.iter())
            .filter(|(_, ic)| *ic == c)
            .map(|(n, _)| n.as_str())
            .collect();
        if names.is_empty() {
            continue;
        }
        let _ = writeln!(
            h,
            "<li data-confidence=\"{}\"><span class=\"count\">{}/{}</span> {}: {}.</li>",
            confidence_key(c),
            names.len(),
            st.indicators.len(),
            esc(c.words(lang)),
            esc(&names.join("; "))
        );
    }
    h.push_str("</ul>\n");
    let _ = writeln!(h, "<p class=\"notes\">{}</p>", where_to_correct(lang, st));
}

/// Where a standard's definitions are and how to correct them (markup:
/// folders and commands as code). A bundled standard's folder is named by
/// its id, which the Vietnamese report does not show: it points to the
/// manifest instead.
fn where_to_correct(lang: crate::i18n::Lang, st: &ReportStandard) -> String {
    use crate::i18n::Lang;
    let folder = format!("<code>{}</code>", esc(&st.files));
    let check = "<code>dachieu standards check</code>";
    let again = "<code>--standard</code>";
    match (lang, st.files.starts_with("indicators/")) {
        (Lang::Vi, true) => format!("Định nghĩa của mỗi chỉ số nằm trong một tệp riêng trong thư mục <code>indicators/</code> của dachieu (thư mục con mang mã của chuẩn, ghi trong <code>manifest.json</code>). Nếu văn bản gốc quy định khác, hãy sao chép thư mục đó, sửa quy tắc và ví dụ trong tệp của chỉ số, kiểm tra bằng lệnh {check} rồi chạy lại với {again} và thư mục đã sửa."),
        (Lang::Vi, false) => format!("Định nghĩa của mỗi chỉ số nằm trong một tệp riêng trong thư mục {folder}. Nếu văn bản gốc quy định khác, sửa quy tắc và ví dụ trong tệp của chỉ số, kiểm tra bằng lệnh {check} rồi chạy lại."),
        (Lang::En, true) => format!("Each indicator's definition is a file of its own in {folder} of dachieu's sources. If the original text says otherwise, copy that folder, correct the rule and the examples in the indicator's file, check them with {check} and run again with {again} and the corrected folder."),
        (Lang::En, false) => format!("Each indicator's definition is a file of its own in {folder}. If the original text says otherwise, correct the rule and the examples in the indicator's file, check them with {check} and run again."),
    }
}

fn confidence_key(c: Confidence) -> &'static str {
    match c {
        Confidence::Confirmed => "confirmed",
        Confidence::Secondary => "secondary",
        Confidence::Unconfirmed => "unconfirmed",
    }
}

/// One line for the key figures: how many of the indicator definitions of
/// the standards in use are not checked against the legal text (or only
/// from secondary sources), pointing to the methods. None when all are
/// checked.
pub(crate) fn definitions_note(r: &ReportInput) -> Option<String> {
    let lang = r.lang;
    let what = lang.t("định nghĩa chỉ số", "indicator definitions");
    let mut parts = Vec::new();
    for st in r.standards.iter().filter(|s| !s.indicators.is_empty()) {
        let n = st.indicators.len();
        let said: Vec<String> = [Confidence::Unconfirmed, Confidence::Secondary]
            .into_iter()
            .filter_map(|c| {
                let k = st.indicators.iter().filter(|(_, ic)| *ic == c).count();
                (k > 0).then(|| format!("{k}/{n} {what} {}", c.words(lang)))
            })
            .collect();
        if said.is_empty() {
            continue;
        }
        let named = if r.standards.len() > 1 {
            format!(" ({})", st.name)
        } else {
            String::new()
        };
        parts.push(format!("{}{named}", said.join(", ")));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "{} — {}",
            parts.join("; "),
            lang.t("xem Phương pháp", "see Methods")
        )
    })
}

/// The definitions note as a line under the key figures, linked to the
/// methods (nothing when every definition is checked).
pub(super) fn push_definitions_note(h: &mut String, r: &ReportInput) {
    if let Some(note) = definitions_note(r) {
        let _ = writeln!(
            h,
            "<p class=\"notes definitions-note\" id=\"definitions-note\"><a href=\"#methods\">{}</a></p>",
            esc(&note)
        );
    }
}
