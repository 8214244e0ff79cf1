//! **Kết quả**: the last run's key figures (from its rate tables), its
//! report in the page, the workbook and summary forms, the follow-up
//! lists per commune, the data files, and this data folder's earlier runs
//! with their manifests.

use super::{esc, file_link, frame};
use crate::i18n::Lang;
use crate::manifest::files_under;
use crate::serve::http::{Reply, Req};
use crate::serve::{runs, State};
use std::path::Path;

pub fn page(state: &State, req: &Req) -> Reply {
    let lang = req.lang();
    let out = &state.layout.out;
    let mut body = String::new();
    if !out.join("manifest.json").is_file() {
        body.push_str(&format!(
            "<section><div class=\"note\" id=\"no-results\">{}</div></section>",
            lang.t(
                "Chưa có kết quả: hãy tải dữ liệu lên rồi chạy rà soát.",
                "No results yet: upload data, then run the review."
            )
        ));
    } else {
        body.push_str(&key_figures(out, lang));
        body.push_str(&report(lang));
        body.push_str(&downloads(state, lang));
    }
    body.push_str(&history(state, lang));
    Reply::html(200, frame(req, "/results", &body, None))
}

/// Each year's total row of the rate tables: households, poor and
/// near-poor, with their shares.
fn key_figures(out: &Path, lang: Lang) -> String {
    let rates = files_under(out, "tables")
        .into_iter()
        .find(|f| f.starts_with("tables/rates_") && f.ends_with(".csv"));
    let Some(rates) = rates else {
        return String::new();
    };
    let mut s = format!(
        "<section><h2>{}</h2><table id=\"key-figures\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("Số liệu chính", "Key figures"),
        lang.t("Năm", "Year"),
        lang.t("Phạm vi", "Scope"),
        lang.t("Số hộ rà soát", "Households reviewed"),
        lang.t("Hộ nghèo", "Poor households"),
        lang.t("Tỷ lệ hộ nghèo", "Poor %"),
        lang.t("Hộ cận nghèo", "Near-poor households"),
        lang.t("Tỷ lệ hộ cận nghèo", "Near-poor %"),
    );
    let Ok(mut r) = csv::Reader::from_path(out.join(&rates)) else {
        return String::new();
    };
    let head = r.headers().cloned().unwrap_or_default();
    let col = |name: &str| head.iter().position(|h| h == name);
    for rec in r.records().flatten() {
        let get = |name: &str| col(name).and_then(|i| rec.get(i)).unwrap_or("");
        if get("level") != "total" {
            continue;
        }
        let num = |name: &str| get(name).parse::<f64>().ok();
        let count = |name: &str| num(name).map(|v| lang.count(v)).unwrap_or_default();
        let pct = |name: &str| num(name).map(|v| lang.pct(v, 2)).unwrap_or_default();
        let y = get("survey_year");
        s.push_str(&format!(
            "<tr><td>{y}</td><td>{}</td><td class=\"n\" id=\"households-{y}\">{}</td><td class=\"n\">{}</td><td class=\"n\" id=\"poor-pct-{y}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(get("name")),
            count("households"),
            count("poor"),
            pct("poor_pct"),
            count("near_poor"),
            pct("near_poor_pct"),
        ));
    }
    s.push_str("</table></section>");
    s
}

fn report(lang: Lang) -> String {
    let rel = format!("out/report/report_{}.html", lang.code());
    format!(
        "<section><h2>{}</h2><p><a href=\"{}\" target=\"_blank\">{}</a></p><iframe id=\"report\" src=\"{}\" title=\"report\"></iframe></section>",
        lang.t("Báo cáo", "Report"),
        file_link(&rel),
        lang.t("Mở báo cáo trong cửa sổ mới (để in)", "Open the report in a new window (to print)"),
        file_link(&rel)
    )
}

/// Links to the run's files, by what they are for.
fn downloads(state: &State, lang: Lang) -> String {
    let out = &state.layout.out;
    let group = |title: &str, id: &str, files: Vec<String>| {
        if files.is_empty() {
            return String::new();
        }
        let items: String = (files.iter())
            .map(|f| {
                let shown = f.split_once('/').map(|(_, r)| r).unwrap_or(f);
                format!(
                    "<li><a href=\"{}\">{}</a></li>",
                    file_link(&format!("out/{f}")),
                    esc(shown)
                )
            })
            .collect();
        format!("<h3>{title}</h3><ul id=\"{id}\">{items}</ul>")
    };
    let report = files_under(out, "report");
    let workbooks: Vec<String> = report
        .iter()
        .filter(|f| f.ends_with(".xlsx"))
        .cloned()
        .collect();
    let tables: Vec<String> = (files_under(out, "tables").into_iter())
        .chain(files_under(out, "compare"))
        .filter(|f| f.ends_with(".csv"))
        .collect();
    let mut record = vec!["manifest.json".to_string()];
    if out.join("quarantine.csv").is_file() {
        record.push("quarantine.csv".into());
    }
    format!(
        "<section><h2>{}</h2>{}{}{}{}</section>",
        lang.t("Tải về", "Downloads"),
        group(
            lang.t(
                "Sổ Excel (bảng tổng hợp và biểu mẫu báo cáo)",
                "Workbooks (tables and summary forms)"
            ),
            "workbooks",
            workbooks
        ),
        group(
            lang.t("Danh sách theo dõi theo xã", "Follow-up lists per commune"),
            "lists",
            files_under(out, "lists")
        ),
        group(
            lang.t("Bảng số liệu (CSV)", "Data tables (CSV)"),
            "tables",
            tables
        ),
        group(
            lang.t("Biên bản lượt chạy", "The run's record"),
            "record",
            record
        ),
    )
}

/// The data folder's finished runs, newest first, with their manifests.
fn history(state: &State, lang: Lang) -> String {
    let past = runs::history(&state.layout);
    if past.is_empty() {
        return String::new();
    }
    let mut s = format!(
        "<section><h2>{}</h2><table id=\"history\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        lang.t("Các lần chạy trước", "Earlier runs"),
        lang.t("Lần", "Run"),
        lang.t("Xong lúc (UTC)", "Finished (UTC)"),
        lang.t("Năm", "Years"),
        lang.t("Số dòng đọc / bị loại", "Rows read / rejected"),
        lang.t("Tuỳ chọn", "Options"),
        lang.t("Biên bản", "Manifest"),
    );
    for r in past {
        let m = &r.json;
        let years: Vec<String> = (m["standards"].as_array().into_iter().flatten())
            .map(|s| format!("{} ({})", s["survey_year"], s["id"].as_str().unwrap_or("")))
            .collect();
        let opts = &m["options"];
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{} / {}</td><td>missing={}, by={}</td><td><a href=\"{}\">manifest.json</a></td></tr>",
            r.number,
            utc(r.finished),
            esc(&years.join(", ")),
            lang.count(m["ingest"]["read"].as_f64().unwrap_or(0.0)),
            lang.count(m["ingest"]["quarantined"].as_f64().unwrap_or(0.0)),
            esc(opts["missing"].as_str().unwrap_or("")),
            esc(&opts["by"].to_string()),
            file_link(&r.manifest),
        ));
    }
    s.push_str("</table></section>");
    s
}

/// Seconds since 1970 as `YYYY-MM-DD HH:MM` (UTC).
fn utc(secs: u64) -> String {
    let (y, mo, d) = crate::i18n::civil((secs / 86_400) as i64);
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_read_as_utc_dates() {
        assert_eq!(super::utc(0), "1970-01-01 00:00");
        assert_eq!(super::utc(1_767_225_600 + 3_661), "2026-01-01 01:01");
    }
}
