//! **Dữ liệu**: upload CSV / Excel files or a folder; what ingest read of
//! each (rows read, accepted, rejected), the years found, what to fix, the
//! rejected rows with their reasons, and the downloads (rejected rows as
//! CSV and Excel, the input template).

use super::{action, esc, file_link, frame, problem_html, Flash};
use crate::i18n::Lang;
use crate::serve::check::{input_files, Check, SHOWN};
use crate::serve::http::{Reply, Req};
use crate::serve::upload::Why;
use crate::serve::{lock, State};

pub fn page(state: &State, req: &Req) -> Reply {
    let lang = req.lang();
    let mut body = String::new();
    if let Some(Flash::Uploaded(got)) = lock(&state.flash).take() {
        body.push_str(&uploaded(&got, lang));
    }
    body.push_str(&upload_form(state, req));
    body.push_str(&inputs(state, req));
    match lock(&state.check).as_ref() {
        Some(c) => body.push_str(&checked(c, lang)),
        None if !input_files(state).is_empty() => body.push_str(&format!(
            "<section><p>{}</p></section>",
            lang.t(
                "Đang kiểm tra dữ liệu… tải lại trang sau ít giây.",
                "Checking the data… reload the page in a few seconds."
            )
        )),
        None => {}
    }
    Reply::html(200, frame(req, "/data", &body, None))
}

/// What the last upload saved and left out.
fn uploaded(got: &crate::serve::upload::Received, lang: Lang) -> String {
    let mut s = String::from("<section id=\"uploaded\">");
    if got.files.is_empty() {
        s.push_str(&format!(
            "<div class=\"alert\">{}</div>",
            lang.t(
                "Không có tệp dữ liệu nào được lưu: chỉ nhận tệp CSV (.csv), Excel (.xlsx, .xls) hoặc Parquet. Hãy chọn lại đúng tệp.",
                "No data file was saved: only CSV (.csv), Excel (.xlsx, .xls) or Parquet files are taken. Pick the right files again."
            )
        ));
    } else {
        let names: Vec<String> = got.files.iter().map(|(n, _)| esc(n)).collect();
        s.push_str(&format!(
            "<div class=\"ok\">{}: {}</div>",
            lang.t("Đã lưu", "Saved"),
            names.join(", ")
        ));
    }
    for (name, why) in &got.skipped {
        let why = match why {
            Why::NotATable => lang.t(
                "không phải tệp dữ liệu (CSV, Excel, Parquet) — bỏ qua",
                "not a data file (CSV, Excel, Parquet) — left out",
            ),
            Why::InSubfolder => lang.t(
                "nằm trong thư mục con — không đọc (như dòng lệnh); hãy tải thư mục đó riêng",
                "in a sub-folder — not read (as on the command line); upload that folder on its own",
            ),
        };
        s.push_str(&format!("<div class=\"note\">{}: {why}</div>", esc(name)));
    }
    s.push_str("</section>");
    s
}

fn upload_form(state: &State, req: &Req) -> String {
    let lang = req.lang();
    format!(
        "<section><h2>{}</h2><p>{}</p>\
<form method=\"post\" enctype=\"multipart/form-data\" action=\"{}\">\
<p><label>{} <input type=\"file\" id=\"files\" name=\"files\" multiple accept=\".csv,.xlsx,.xlsm,.xls,.parquet\"></label></p>\
<p><label>{} <input type=\"file\" id=\"folder\" name=\"folder\" webkitdirectory multiple></label></p>\
<p><label><input type=\"checkbox\" name=\"keep\"> {}</label></p>\
<p><button type=\"submit\" id=\"upload\">{}</button></p></form>\
<p><a id=\"template\" href=\"{}\">{}</a></p></section>",
        lang.t("Tải dữ liệu lên", "Upload data"),
        lang.t(
            "Chọn tệp hộ gia đình và tệp thành viên (CSV hoặc Excel), hoặc cả thư mục chứa chúng. Dữ liệu chỉ được lưu trên máy này.",
            "Pick the households and members files (CSV or Excel), or the whole folder holding them. The data stay on this computer."
        ),
        action(state, req, "/upload"),
        lang.t("Tệp:", "Files:"),
        lang.t("Hoặc thư mục:", "Or a folder:"),
        lang.t("Giữ các tệp đã tải lên trước (thêm vào)", "Keep the files uploaded before (add to them)"),
        lang.t("Tải lên và kiểm tra", "Upload and check"),
        super::link(req, "/template.xlsx"),
        lang.t("Tải mẫu nhập liệu Excel (hộ gia đình, thành viên, bảng mã)", "Download the Excel input template (households, members, codes)"),
    )
}

/// The files in `inputs/`, with a button to remove them all.
fn inputs(state: &State, req: &Req) -> String {
    let lang = req.lang();
    let files = input_files(state);
    if files.is_empty() {
        return format!(
            "<section><p>{}</p></section>",
            lang.t("Chưa có dữ liệu nào được tải lên.", "No data uploaded yet.")
        );
    }
    let rows: String = (files.iter())
        .map(|f| {
            let bytes = std::fs::metadata(f).map(|m| m.len()).unwrap_or(0);
            format!(
                "<tr><td>{}</td><td class=\"n\">{} {}</td></tr>",
                esc(&f.file_name().unwrap_or_default().to_string_lossy()),
                lang.count(bytes as f64),
                lang.t("byte", "bytes")
            )
        })
        .collect();
    format!(
        "<section><h2>{}</h2><table id=\"inputs\">{rows}</table>\
<form method=\"post\" action=\"{}\"><button type=\"submit\" id=\"clear\">{}</button></form></section>",
        lang.t("Tệp đã tải lên", "Uploaded files"),
        action(state, req, "/clear"),
        lang.t("Xoá tất cả tệp đã tải lên", "Remove all uploaded files")
    )
}

/// What ingest read: problems first, then per file, years, rejected rows.
fn checked(c: &Check, lang: Lang) -> String {
    let mut s = String::from("<section id=\"check\">");
    s.push_str(&format!(
        "<h2>{}</h2>",
        lang.t("Kết quả đọc dữ liệu", "What was read")
    ));
    for p in c.problems(lang) {
        s.push_str(&problem_html(&p, lang));
    }
    let Some(sum) = &c.summary else {
        s.push_str("</section>");
        return s;
    };
    let n = |v: u64| lang.count(v as f64);
    s.push_str(&format!(
        "<table id=\"tables\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("Tệp", "File"),
        lang.t("Bảng", "Table"),
        lang.t("Số dòng đọc", "Rows read"),
        lang.t("Hợp lệ", "Accepted"),
        lang.t("Bị loại", "Rejected")
    ));
    for t in &sum.tables {
        let table = match t.table.as_str() {
            "households" => lang.t("hộ gia đình", "households"),
            "members" => lang.t("thành viên", "members"),
            other => other,
        };
        let source = std::path::Path::new(&t.source)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| t.source.clone());
        s.push_str(&format!(
            "<tr><td>{}</td><td>{table}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&source),
            n(t.read),
            n(t.accepted),
            n(t.quarantined)
        ));
    }
    s.push_str(&format!(
        "<tr><th colspan=\"2\">{}</th><th class=\"n\" id=\"total-read\">{}</th><th class=\"n\" id=\"total-accepted\">{}</th><th class=\"n\" id=\"total-rejected\">{}</th></tr></table>",
        lang.t("Tổng", "Total"),
        n(sum.read),
        n(sum.accepted),
        n(sum.quarantined)
    ));
    for y in &sum.years {
        s.push_str(&format!(
            "<p>{} {}: {} {}, {} {}</p>",
            lang.t("Năm khảo sát", "Survey year"),
            y.survey_year,
            lang.count(y.households as f64),
            lang.t("hộ", "households"),
            lang.count(y.members as f64),
            lang.t("thành viên", "members")
        ));
    }
    for w in &sum.warnings {
        s.push_str(&format!("<div class=\"note detail\">{}</div>", esc(w)));
    }
    if sum.quarantined > 0 {
        s.push_str(&rejected(c, sum.quarantined, lang));
    }
    s.push_str("</section>");
    s
}

/// The first rejected rows with their reasons, and the downloads.
fn rejected(c: &Check, total: u64, lang: Lang) -> String {
    let mut s = format!(
        "<h3>{}</h3><p>{} <a id=\"rejected-csv\" href=\"{}\">quarantine.csv</a> · <a id=\"rejected-xlsx\" href=\"{}\">{}</a></p>",
        lang.t("Các dòng bị loại và lý do", "Rejected rows and why"),
        lang.t("Tải về để sửa:", "Download to fix:"),
        file_link("check/quarantine.csv"),
        file_link("check/quarantine.xlsx"),
        lang.t("Excel (.xlsx)", "Excel (.xlsx)"),
    );
    if total as usize > c.rejected.len() || c.rejected.len() >= SHOWN {
        s.push_str(&format!(
            "<p class=\"detail\">{} {}</p>",
            lang.t(
                "Chỉ hiện các vấn đề đầu tiên:",
                "Only the first problems shown:"
            ),
            c.rejected.len()
        ));
    }
    s.push_str(&format!(
        "<table id=\"rejected\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("Tệp", "File"),
        lang.t("Dòng", "Row"),
        lang.t("Cột", "Column"),
        lang.t("Giá trị", "Value"),
        lang.t("Lý do", "Reason"),
        lang.t("Cách sửa", "What to do"),
    ));
    for e in &c.rejected {
        // The reason and its fix in the page's language, the column by its
        // label in the input template (as the rejected-rows workbook has them).
        let (reason, fix) = crate::report::rejected::explain(&e.reason, lang);
        let column = (crate::schema::labels::label(&e.column))
            .map_or(e.column.clone(), |l| l.text(lang).to_string());
        s.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"reason\">{}</td><td class=\"fix\">{}</td></tr>",
            esc(&e.source),
            e.row,
            esc(&column),
            esc(&e.value),
            esc(&reason),
            esc(&fix)
        ));
    }
    s.push_str("</table>");
    s
}
