//! The tables section: each table with its caption, numbers formatted for
//! the language, wide tables on landscape pages.

use super::super::labels::{decimal, header, kind, level_value, Kind, DASH};
use super::super::markup::esc;
use super::super::{cell, col_name, n_cols, n_rows, text_at, Cell, ReportInput};
use crate::export::{Column, Frame};
use crate::i18n::{nfc, Lang};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Tables with more columns than this print on a landscape page.
const WIDE: usize = 12;
/// Text cells longer than this may wrap; shorter ones (names) stay on one line.
const LONG: usize = 40;

pub(super) fn tables_section(h: &mut String, r: &ReportInput) {
    let t = |vi, en| r.lang.t(vi, en);
    // A section holding a wide table prints on landscape pages as a whole,
    // so its heading does not stay behind on a portrait page.
    let wide = r.tables.iter().any(|(_, f)| n_cols(f) > WIDE);
    let _ = write!(
        h,
        "<section id=\"tables\"{}>\n<h2>{}</h2>\n",
        if wide { " class=\"wide\"" } else { "" },
        t("Bảng số liệu", "Tables")
    );
    if r.tables.is_empty() {
        let _ = writeln!(
            h,
            "<p class=\"notes\">{}</p>",
            t("Không có bảng.", "No tables.")
        );
    }
    for (i, (caption, frame)) in r.tables.iter().enumerate() {
        let size = match n_cols(frame) {
            n if n > 2 * WIDE => " wide xwide",
            n if n > WIDE => " wide",
            _ => "",
        };
        let _ = writeln!(h, "<div class=\"table{size}\" id=\"table-{}\">", i + 1);
        table(h, &format!("table-{}", i + 1), caption, frame, r.lang);
        h.push_str("</div>\n");
    }
    let _ = write!(
        h,
        "<p class=\"notes\">{}</p>\n</section>\n",
        t(
            "Đầy đủ các cột và chữ số có trong các tệp CSV, Parquet và Excel; tên cột gốc hiện khi rê chuột lên tiêu đề.",
            "All columns and digits are in the CSV, Parquet and Excel files; hover over a header to see the column's machine name.",
        )
    );
}

/// An HTML table of `f`, numbers formatted for `lang`. The caption sits
/// above the scrolling box so that it stays in view on a phone.
fn table(h: &mut String, id: &str, caption: &str, f: &Frame, lang: Lang) {
    let (rows, cols) = (n_rows(f), n_cols(f));
    // The level marks the total row and names the units' header; it is
    // not shown (the total row stands out, first).
    let shown: Vec<usize> = (0..cols).filter(|&c| col_name(f, c) != "level").collect();
    let kinds: Vec<Kind> = (0..cols)
        .map(|c| kind(col_name(f, c), f.columns.get(c)))
        .collect();
    let coarse: Vec<bool> = (0..cols)
        .map(|c| coarse_weights(f.columns.get(c)))
        .collect();
    let _ = write!(
        h,
        "<h3 class=\"caption\" id=\"{id}-title\">{}</h3>\n\
         <div class=\"scroll\"><table aria-labelledby=\"{id}-title\">\n<thead><tr>",
        esc(caption)
    );
    header_row(h, f, (&shown, &kinds), lang);
    h.push_str("</tr></thead>\n<tbody>\n");
    for row in 0..rows {
        let national = text_at(f, "level", row) == Some("total");
        h.push_str(if national {
            "<tr class=\"total\">"
        } else {
            "<tr>"
        });
        for (&c, k) in shown.iter().map(|c| (c, kinds[*c])) {
            let coarse = coarse.get(c).copied().unwrap_or(true);
            let text = cell_text(f, (c, row), k, coarse, lang);
            let class = match (k, col_name(f, c)) {
                (Kind::Text, "name") => " class=\"key\"",
                (Kind::Text, _) if text.as_ref().is_some_and(|s| s.chars().count() > LONG) => {
                    " class=\"long\""
                }
                (Kind::Text, _) => "",
                _ => " class=\"num\"",
            };
            match text {
                Some(s) => {
                    let _ = write!(h, "<td{class}>{}</td>", esc(&s));
                }
                None => {
                    let _ = write!(h, "<td class=\"num missing\">{DASH}</td>");
                }
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table></div>\n");
}

/// The headers of the `shown` columns: the name in `lang` (for the
/// table's one area level, if it has one), the machine name on hover.
fn header_row(h: &mut String, f: &Frame, (shown, kinds): (&[usize], &[Kind]), lang: Lang) {
    let area = single_area(f);
    for (&c, k) in shown.iter().map(|c| (c, kinds[*c])) {
        let name = col_name(f, c);
        let num = match (k, name) {
            (Kind::Text, "name") => " class=\"key\"",
            (Kind::Text, _) => "",
            _ => " class=\"num\"",
        };
        let _ = write!(
            h,
            "<th scope=\"col\"{num} title=\"{}\">{}</th>",
            esc(name),
            esc(&header(name, area.as_deref(), lang))
        );
    }
}

/// A cell as shown, formatted for its kind; None if missing or not finite.
/// `coarse`: weighted counts without decimals.
fn cell_text(
    f: &Frame,
    (c, row): (usize, usize),
    k: Kind,
    coarse: bool,
    lang: Lang,
) -> Option<String> {
    match cell(f, c, row) {
        Cell::Missing => None,
        Cell::Int(v) => Some(match k {
            Kind::Year => v.to_string(),
            _ => lang.count(v as f64),
        }),
        Cell::Float(v) if !v.is_finite() => None,
        Cell::Float(v) => Some(match k {
            Kind::Pct => lang.pct(v, 2),
            Kind::Ratio => decimal(lang, v, 4),
            Kind::Year => decimal(lang, v, 0).replace(['.', ','], ""),
            _ if coarse => lang.count(v),
            _ => decimal(lang, v, 2),
        }),
        Cell::Str(s) => Some(text_value(col_name(f, c), s, lang)),
    }
}

/// A text cell as shown: level names in `lang` (the total row's name is
/// the run's scope, named in the report's language by `write`).
fn text_value(column: &str, s: &str, lang: Lang) -> String {
    match column {
        "level" => level_value(s, lang),
        _ => nfc(s),
    }
}

/// The one sub-national level of a table's rows, if there is exactly one.
fn single_area(f: &Frame) -> Option<String> {
    let levels: BTreeSet<&str> = (0..n_rows(f))
        .filter_map(|r| text_at(f, "level", r))
        .filter(|l| *l != "total")
        .collect();
    match levels.len() {
        1 => levels.into_iter().next().map(str::to_string),
        _ => None,
    }
}

/// Weighted counts show without decimals when they are whole or large.
fn coarse_weights(col: Option<&Column>) -> bool {
    match col {
        Some(Column::Float(v)) => {
            let finite = || v.iter().flatten().filter(|x| x.is_finite());
            finite().all(|x| x.fract() == 0.0) || finite().any(|x| x.abs() >= 100.0)
        }
        _ => true,
    }
}
