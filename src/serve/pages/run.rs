//! **Chạy rà soát**: the years the data hold, the standard each will be
//! scored under with how sure its definitions are, the options that matter
//! (missing values, breakdown), and the run: a progress bar fed by the
//! pipeline's stages, cancellable; the page reloads itself while a run
//! goes on (no script needed).

use super::{action, esc, frame, link, problem_html};
use crate::i18n::Lang;
use crate::serve::http::{Reply, Req};
use crate::serve::runs::{Phase, STAGES};
use crate::serve::{lock, State};
use crate::standard::{Choice, ClassRule, Standard};

pub fn page(state: &State, req: &Req) -> Reply {
    let lang = req.lang();
    let (phase, progress) = {
        let run = lock(&state.run);
        (run.phase.clone(), run.job.as_ref().map(|j| j.progress()))
    };
    let mut body = String::new();
    let running = phase == Phase::Running;
    match (&phase, progress) {
        (Phase::Running, Some(p)) => body.push_str(&format!(
            "<section id=\"running\"><h2>{}</h2><p><progress id=\"bar\" max=\"100\" value=\"{:.0}\"></progress> <span id=\"pct\">{}</span></p>\
<p id=\"stage\">{} {}/{}: {}</p><form method=\"post\" action=\"{}\"><button type=\"submit\" id=\"cancel\">{}</button></form></section>",
            lang.t("Đang chạy rà soát…", "The review is running…"),
            p.pct,
            lang.pct(p.pct, 0),
            lang.t("Bước", "Step"),
            p.step + 1,
            STAGES.len(),
            esc(&stage_words(&p.stage, lang)),
            action(state, req, "/cancel"),
            lang.t("Huỷ", "Cancel")
        )),
        (Phase::Done, _) => body.push_str(&format!(
            "<section><div class=\"ok\" id=\"done\">{} <a href=\"{}\">{}</a></div></section>",
            lang.t("Rà soát đã xong.", "The review is done."),
            link(req, "/results"),
            lang.t("Xem kết quả", "See the results")
        )),
        (Phase::Cancelled, _) => body.push_str(&format!(
            "<section><div class=\"note\" id=\"cancelled\">{}</div></section>",
            lang.t(
                "Đã huỷ lượt chạy. Kết quả của lần chạy trước vẫn giữ nguyên.",
                "The run was cancelled. The previous results are kept as they were."
            )
        )),
        (Phase::Failed(p), _) => body.push_str(&format!(
            "<section id=\"failed\">{}</section>",
            problem_html(p, lang)
        )),
        _ => {}
    }
    body.push_str(&years(state, lang));
    if !running {
        body.push_str(&options(state, req));
    }
    Reply::html(200, frame(req, "/run", &body, running.then_some(2)))
}

/// A stage's label in words.
fn stage_words(stage: &str, lang: Lang) -> String {
    let year = stage.strip_prefix("scoring ").unwrap_or("");
    let (vi, en) = match STAGES.iter().find(|s| stage.starts_with(*s)).copied() {
        Some("reading") => ("đọc tệp dữ liệu", "reading the data files"),
        Some("writing dataset") => ("ghi bộ dữ liệu đã kiểm tra", "writing the checked dataset"),
        Some("scoring") => (
            "chấm điểm và phân loại hộ",
            "scoring and classifying households",
        ),
        Some("tables") => ("lập bảng tỷ lệ", "making the rate tables"),
        Some("comparison") => ("so sánh hai năm", "comparing the two years"),
        Some("lists") => ("lập danh sách theo xã", "making the commune lists"),
        Some("report") => (
            "vẽ biểu đồ, báo cáo và sổ Excel",
            "charts, report and workbook",
        ),
        Some("manifest") => ("ghi biên bản lượt chạy", "writing the run's manifest"),
        _ => ("chuẩn bị", "starting"),
    };
    match year {
        "" => lang.t(vi, en).to_string(),
        y => format!("{} {y}", lang.t(vi, en)),
    }
}

/// The years found by the last check and the standard of each.
fn years(state: &State, lang: Lang) -> String {
    let found: Vec<(i32, usize)> = (lock(&state.check).as_ref())
        .and_then(|c| c.summary.as_ref())
        .map(|s| {
            s.years
                .iter()
                .map(|y| (y.survey_year, y.households))
                .collect()
        })
        .unwrap_or_default();
    if found.is_empty() {
        return format!(
            "<section><div class=\"note\" id=\"no-data\">{}</div></section>",
            lang.t(
                "Chưa có dữ liệu hợp lệ để rà soát: hãy tải dữ liệu lên ở trang Dữ liệu.",
                "No valid data to review yet: upload data on the Data page."
            )
        );
    }
    let ys: Vec<i32> = found.iter().map(|(y, _)| *y).collect();
    let by_year = Choice::Auto
        .for_years(&ys)
        .map(|(b, _)| b)
        .unwrap_or_default();
    let mut s = format!(
        "<section><h2>{}</h2><table id=\"years\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("Các năm trong dữ liệu", "The years in the data"),
        lang.t("Năm khảo sát", "Survey year"),
        lang.t("Số hộ", "Households"),
        lang.t("Chuẩn nghèo áp dụng", "Standard applied"),
        lang.t("Mức độ chắc chắn", "Confidence")
    );
    for (y, n) in &found {
        let (name, note) = match by_year.get(y) {
            Some(st) => (
                format!("{} — {}", st.label(), lang.t(&st.name_vi, &st.name_en)),
                confidence(st, lang),
            ),
            None => (
                lang.t("không có chuẩn", "no standard").to_string(),
                String::new(),
            ),
        };
        s.push_str(&format!(
            "<tr><td>{y}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
            lang.count(*n as f64),
            esc(&name),
            esc(&note)
        ));
    }
    s.push_str("</table></section>");
    s
}

/// How sure the standard's definitions are, as `dachieu standards show`
/// says it: provisional or confirmed, and its indicators by confidence.
pub fn confidence(st: &Standard, lang: Lang) -> String {
    let count = |c: &str| st.indicators.iter().filter(|i| i.confidence == c).count();
    let status = if st.provisional {
        lang.t(
            "TẠM THỜI — bộ chỉ tiêu, chuẩn hoặc quy tắc chưa được đối chiếu với văn bản pháp luật",
            "PROVISIONAL — the indicator set, lines or rule are not confirmed from the legal text",
        )
    } else if st.rule == ClassRule::Weighted {
        lang.t(
            "đã xác nhận — thước đo nghiên cứu, không phải chuẩn pháp lý",
            "confirmed — a research measure, not a legal standard",
        )
    } else {
        lang.t(
            "đã xác nhận — chuẩn, quy tắc và bộ chỉ tiêu đúng như văn bản pháp luật",
            "confirmed — the lines, the rule and the indicator set are as in the legal text",
        )
    };
    format!(
        "{status}; {}: {} {}, {} {}, {} {}",
        lang.t("định nghĩa chỉ tiêu", "indicator definitions"),
        count("confirmed"),
        lang.t("đã xác nhận", "confirmed"),
        count("secondary"),
        lang.t("theo nguồn thứ cấp", "secondary"),
        count("unconfirmed"),
        lang.t("chưa xác nhận", "unconfirmed"),
    )
}

/// The run form: missing-value policy and breakdown.
fn options(state: &State, req: &Req) -> String {
    let lang = req.lang();
    let opt =
        |v: &str, vi: &str, en: &str| format!("<option value=\"{v}\">{}</option>", lang.t(vi, en));
    format!(
        "<section><h2>{}</h2><form method=\"post\" action=\"{}\">\
<p><label>{} <select name=\"missing\" id=\"missing\">{}{}{}{}{}</select></label></p>\
<p><label>{} <select name=\"by\" id=\"by\">{}{}{}{}{}{}</select></label></p>\
<p><button type=\"submit\" id=\"start\">{}</button></p></form></section>",
        lang.t("Chạy rà soát", "Run the review"),
        action(state, req, "/run"),
        lang.t("Chỉ tiêu thiếu thông tin:", "Indicators with missing data:"),
        opt(
            "",
            "theo quy định của từng chỉ tiêu (mặc định)",
            "each indicator's own rule (default)"
        ),
        opt("unknown", "để là chưa xác định", "leave unknown"),
        opt(
            "not-deprived",
            "coi là không thiếu hụt",
            "count as not deprived"
        ),
        opt("deprived", "coi là thiếu hụt", "count as deprived"),
        opt(
            "exclude",
            "bỏ hộ có chỉ tiêu thiếu khỏi bảng",
            "leave such households out of the tables"
        ),
        lang.t("Chia theo:", "Break down by:"),
        opt(
            "",
            "tự chọn theo dữ liệu (mặc định)",
            "what the data call for (default)"
        ),
        opt("province", "tỉnh", "province"),
        opt("district", "huyện", "district"),
        opt("commune", "xã", "commune"),
        opt("region", "vùng", "region"),
        opt("area", "thành thị / nông thôn", "urban / rural"),
        lang.t("Chạy rà soát", "Run the review"),
    )
}
