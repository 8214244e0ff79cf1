//! The pages, rendered on the server: a shared frame (tabs, language
//! switch, styles), HTML escaping, and the error page every refusal and
//! caught panic shows, in the reader's language — never a stack trace.

pub mod data;
pub mod results;
pub mod run;

use super::http::{Reply, Req};
use super::State;
use crate::i18n::Lang;

/// A note for the next page: what an upload brought.
#[derive(Debug)]
pub enum Flash {
    Uploaded(super::upload::Received),
}

/// Text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A link to `path` in the reader's language.
pub fn link(req: &Req, path: &str) -> String {
    match req.lang() {
        Lang::En => format!("{path}?lang=en"),
        Lang::Vi => path.to_string(),
    }
}

/// A form action to `path`: carries the session token and the language.
pub fn action(state: &State, req: &Req, path: &str) -> String {
    format!(
        "{path}?token={}&amp;lang={}",
        state.token,
        req.lang().code()
    )
}

/// A link to a file under the data folder.
pub fn file_link(rel: &str) -> String {
    format!("/files/{}", super::http::percent_encode(rel))
}

const STYLE: &str = "body{font-family:system-ui,'Segoe UI',Arial,sans-serif;margin:0;color:#222;background:#f6f7f9}\
header{background:#a50e0e;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}\
header a{color:#fff;text-decoration:none;padding:6px 10px;border-radius:4px}\
header a.on{background:#fff;color:#a50e0e;font-weight:600}\
header .lang{margin-left:auto}\
main{padding:16px 24px;max-width:1200px}\
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 18px;margin:12px 0}\
table{border-collapse:collapse;margin:6px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}\
td.n{text-align:right}th{background:#eee}\
.alert{background:#fde8e8;border:1px solid #c00;padding:8px 12px;border-radius:4px;margin:8px 0}\
.note{background:#fff8e1;border:1px solid #e0b000;padding:8px 12px;border-radius:4px;margin:8px 0}\
.ok{background:#e8f5e9;border:1px solid #2e7d32;padding:8px 12px;border-radius:4px;margin:8px 0}\
.detail{color:#555;font-size:90%}\
button{font-size:100%;padding:6px 14px}progress{width:420px;height:22px}\
iframe{width:100%;height:900px;border:1px solid #ccc;background:#fff}";

/// The frame of every page: tabs, language switch, `body`. `refresh`:
/// reload every so many seconds (a run's progress, without script).
pub fn frame(req: &Req, active: &str, body: &str, refresh: Option<u32>) -> String {
    let lang = req.lang();
    let tab = |path: &str, vi: &str, en: &str| {
        let on = if path == active { " class=\"on\"" } else { "" };
        format!("<a href=\"{}\"{on}>{}</a>", link(req, path), lang.t(vi, en))
    };
    let other = match lang {
        Lang::Vi => format!("<a class=\"lang\" href=\"{active}?lang=en\">English</a>"),
        Lang::En => format!("<a class=\"lang\" href=\"{active}\">Tiếng Việt</a>"),
    };
    let refresh = refresh
        .map(|s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">"))
        .unwrap_or_default();
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">{refresh}\
<meta name=\"viewport\" content=\"width=device-width\"><title>dachieu — {}</title>\
<style>{STYLE}</style></head><body><header><strong>dachieu</strong>{}{}{}{other}</header>\
<main>{body}</main></body></html>",
        lang.code(),
        lang.t("Rà soát hộ nghèo", "Poverty review"),
        tab("/data", "1. Dữ liệu", "1. Data"),
        tab("/run", "2. Chạy rà soát", "2. Run the review"),
        tab("/results", "3. Kết quả", "3. Results"),
    )
}

/// A refusal or failure, as a page a person can act on.
pub fn error_page(req: &Req, status: u16, what: &str) -> Reply {
    let lang = req.lang();
    let (vi, en) = match (status, what) {
        (403, "token") => (
            "Yêu cầu bị từ chối: trang này đã cũ hoặc không phải do chương trình mở (mã phiên không khớp). Hãy mở lại trang Dữ liệu rồi làm lại.",
            "Request refused: this page is stale or was not opened by the program (the session token does not match). Open the Data page again and retry.",
        ),
        (403, _) => (
            "Yêu cầu bị từ chối: hãy mở trang bằng địa chỉ chương trình đã in ra (http://127.0.0.1:…).",
            "Request refused: open the page at the address the program printed (http://127.0.0.1:…).",
        ),
        (404, _) => (
            "Không tìm thấy trang hoặc tệp này (chỉ các tệp trong thư mục dữ liệu mới được tải về).",
            "No such page or file (only files in the data folder can be downloaded).",
        ),
        (413, _) => (
            "Tệp tải lên quá lớn, vượt giới hạn của chương trình. Hãy chia nhỏ tệp, hoặc khởi động lại với giới hạn lớn hơn (dachieu serve --max-upload 4G). Không có gì được lưu.",
            "The upload is too large, over the program's limit. Split the file, or start again with a larger limit (dachieu serve --max-upload 4G). Nothing was saved.",
        ),
        (409, _) => (
            "Đang có một lượt kiểm tra dữ liệu hoặc rà soát chạy. Hãy chờ lượt đó xong rồi làm lại.",
            "A data check or review run is going on. Wait for it to finish, then retry.",
        ),
        (400, _) => (
            "Yêu cầu không hợp lệ: hãy dùng nút chọn tệp trên trang Dữ liệu để tải lên.",
            "Bad request: use the file picker of the Data page to upload.",
        ),
        _ => (
            "Lỗi nội bộ của chương trình (chương trình vẫn chạy). Hãy thử lại; nếu lỗi lặp lại, hãy báo lỗi kèm mô tả việc vừa làm.",
            "Internal error (the program is still running). Retry; if it happens again, please report it with what you did.",
        ),
    };
    let detail = match what {
        "" | "token" | "host" => String::new(),
        d => format!("<p class=\"detail\">{}</p>", esc(d)),
    };
    let body = format!(
        "<section><div class=\"alert\" id=\"error\">{}</div>{detail}<p><a href=\"{}\">{}</a></p></section>",
        esc(lang.t(vi, en)),
        link(req, "/data"),
        lang.t("Về trang Dữ liệu", "Back to the Data page")
    );
    Reply::html(status, frame(req, "/data", &body, None))
}

/// A problem box.
pub fn problem_html(p: &super::check::Problem, lang: Lang) -> String {
    let detail = match p.detail.as_str() {
        "" => String::new(),
        d => format!(
            "<div class=\"detail\">{}: {}</div>",
            lang.t("Chi tiết (tiếng Anh)", "Detail"),
            esc(d)
        ),
    };
    format!(
        "<div class=\"{}\">{}{detail}</div>",
        if p.alert { "alert" } else { "note" },
        esc(p.text(lang))
    )
}
