//! The provenance section: what the results were made from, in the
//! report's language — the software, the standards, the input files with
//! their SHA-256, the options — and a link to the run's manifest, the file
//! a machine reads (`../manifest.json`: the report sits in `report/`, the
//! manifest one folder up). The manifest's own keys are not shown.

use super::super::markup::esc;
use super::super::provenance::{inputs, options};
use super::super::ReportInput;
use super::frame::date_in;
use crate::i18n::Lang;
use std::fmt::Write;

/// Where the manifest is, from the report.
pub(crate) const MANIFEST_LINK: &str = "../manifest.json";

/// The provenance section; closes `<main>`.
pub(super) fn provenance_section(h: &mut String, r: &ReportInput) {
    let lang = r.lang;
    let t = |vi, en| lang.t(vi, en);
    let manifest: serde_json::Value = serde_json::from_str(&r.manifest_json).unwrap_or_default();
    let _ = write!(
        h,
        "<section id=\"manifest\">\n<h2>{}</h2>\n<table class=\"provenance\">\n<tbody>\n",
        t("Nguồn gốc kết quả", "Provenance"),
    );
    let row = |h: &mut String, what: &str, value: &str| {
        let _ = writeln!(
            h,
            "<tr><th scope=\"row\">{}</th><td>{value}</td></tr>",
            esc(what)
        );
    };
    row(
        h,
        t("Phần mềm", "Software"),
        &format!("<code>dachieu {}</code>", env!("CARGO_PKG_VERSION")),
    );
    row(
        h,
        t("Ngày lập báo cáo", "Report date"),
        &esc(&date_in(lang, r.date)),
    );
    for st in &r.standards {
        // The English report names the standard's id and version too; the
        // Vietnamese one its name only (the manifest records both).
        let name = match lang {
            Lang::Vi => esc(&st.name),
            Lang::En => format!(
                "{} (<code>{} {}</code>)",
                esc(&st.name),
                esc(&st.id),
                esc(&st.version)
            ),
        };
        row(h, t("Chuẩn nghèo", "Standard"), &name);
    }
    for (what, value) in options(&manifest["options"], lang) {
        row(h, &what, &esc(&value));
    }
    h.push_str("</tbody>\n</table>\n");
    input_files(h, lang, &manifest);
    let _ = write!(
        h,
        "<p class=\"notes\">{} <a href=\"{MANIFEST_LINK}\" id=\"manifest-link\"><code>manifest.json</code></a>.</p>\n</section>\n</main>\n",
        esc(t(
            "Danh sách đầy đủ các tệp kết quả và các thông số của lần chạy, dạng máy đọc, ở tệp kê khai",
            "The full list of output files and the run's settings, for machines, are in the manifest",
        )),
    );
}

/// The input files: name, size and SHA-256, one row each.
fn input_files(h: &mut String, lang: Lang, manifest: &serde_json::Value) {
    let files = inputs(manifest);
    if files.is_empty() {
        return;
    }
    let t = |vi, en| lang.t(vi, en);
    let _ = write!(
        h,
        "<table class=\"provenance inputs\">\n<caption>{}</caption>\n<thead><tr><th>{}</th><th class=\"num\">{}</th><th>SHA-256</th></tr></thead>\n<tbody>\n",
        t("Dữ liệu đầu vào", "Input files"),
        t("Tệp", "File"),
        t("Dung lượng (byte)", "Size (bytes)"),
    );
    for f in files {
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td><code class=\"hash\">{}</code></td></tr>",
            esc(&f.path),
            esc(&lang.count(f.bytes)),
            esc(&f.sha256)
        );
    }
    h.push_str("</tbody>\n</table>\n");
}
