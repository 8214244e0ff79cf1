//! The report's charts: each as inline SVG, and beside it its numbers as a
//! table, which a narrow screen (a phone) shows in the chart's place (the
//! stylesheet switches them), so that no text is too small to read.

use super::super::markup::{esc, inline_svg};
use super::super::{ReportChart, ReportInput};
use crate::chart::DataTable;
use std::fmt::Write;

pub(super) fn charts_section(h: &mut String, r: &ReportInput) {
    let t = |vi, en| r.lang.t(vi, en);
    let _ = write!(
        h,
        "<section id=\"charts\">\n<h2>{}</h2>\n",
        t("Biểu đồ", "Charts")
    );
    if r.charts.is_empty() && r.skipped_charts.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"notes\">{}</p>",
            t("Không có biểu đồ.", "No charts.")
        );
    }
    if r.charts.iter().any(|c| c.data.is_some()) {
        let _ = writeln!(
            h,
            "<p class=\"notes narrow\">{}</p>",
            t(
                "Trên màn hình hẹp, mỗi biểu đồ được thay bằng bảng số liệu của nó; biểu đồ hiện trên màn hình rộng và khi in.",
                "On a narrow screen each chart is shown as its table of numbers; the charts show on a wide screen and in print.",
            )
        );
    }
    for (i, c) in r.charts.iter().enumerate() {
        figure(h, &format!("chart-{}", i + 1), c);
    }
    if !r.skipped_charts.is_empty() {
        let _ = write!(
            h,
            "<p class=\"notes\">{}</p>\n<ul class=\"notes\">\n",
            t("Biểu đồ không vẽ:", "Charts not drawn:")
        );
        for s in &r.skipped_charts {
            let _ = writeln!(h, "<li>{}</li>", esc(s));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</section>\n");
}

pub(super) fn figure(h: &mut String, id: &str, c: &ReportChart) {
    let _ = write!(
        h,
        "<figure class=\"chart\" id=\"{id}\" data-chart=\"{}\">\n<div class=\"svg\">{}</div>\n",
        esc(&c.stem),
        inline_svg(&c.svg)
    );
    if let Some(d) = &c.data {
        data(h, &format!("{id}-data"), d);
    }
    let _ = write!(
        h,
        "<figcaption>{}</figcaption>\n</figure>\n",
        esc(&c.caption)
    );
}

/// The chart's title, its numbers and its caveats.
fn data(h: &mut String, id: &str, d: &DataTable) {
    let _ = write!(
        h,
        "<div class=\"data\" id=\"{id}\">\n<h3 class=\"caption\" id=\"{id}-title\">{}</h3>\n",
        esc(&d.title)
    );
    if !d.unit.is_empty() {
        let _ = writeln!(h, "<p class=\"unit\">{}</p>", esc(&d.unit));
    }
    let _ = write!(
        h,
        "<div class=\"scroll\"><table aria-labelledby=\"{id}-title\">\n<thead><tr>"
    );
    for (i, name) in d.header.iter().enumerate() {
        let class = if i == 0 { "key" } else { "num" };
        let _ = write!(h, "<th class=\"{class}\" scope=\"col\">{}</th>", esc(name));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in &d.rows {
        h.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            if i == 0 {
                let _ = write!(h, "<th class=\"key\" scope=\"row\">{}</th>", esc(cell));
            } else {
                let _ = write!(h, "<td class=\"num\">{}</td>", esc(cell));
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
    if !d.notes.is_empty() {
        h.push_str("<ul class=\"notes\">\n");
        for n in &d.notes {
            let _ = writeln!(h, "<li>{}</li>", esc(n));
        }
        h.push_str("</ul>\n");
    }
    h.push_str("</div>\n");
}
