//! Both reports of the sample run in headless Chromium, at a desktop width
//! (1,400 px) and a phone's (420 px): laid out without errors, sideways
//! scroll or unreadable text (`report_layout_in_chromium`), and showing
//! what the issue "a report a People's Committee would publish" asks
//! (`report_content_in_chromium`).

use crate::browser::{self, Page};
use crate::common::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The smallest text a reader must be able to read, in CSS px.
const MIN_FONT_PX: f64 = 11.0;
const WIDTHS: [u32; 2] = [1400, 420];
const SAMPLE_YEARS: [i64; 3] = [2020, 2021, 2022];

/// The sample run's two reports, or None when there is no Chromium (skipped).
fn sample_reports(dir: &Path) -> Option<[PathBuf; 2]> {
    browser::chromium_or_skip()?;
    let o = dachieu(dir, &["run", p(&sample_dir()), "--out", "out"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    Some(["vi", "en"].map(|l| dir.join(format!("out/report/report_{l}.html"))))
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn report_layout_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(reports) = sample_reports(tmp.path()) else {
        return;
    };
    for html in &reports {
        for width in WIDTHS {
            let page = browser::open(html, width).unwrap();
            let at = format!("{} at {width} px", name(html));
            assert_eq!(page.inner_width, f64::from(width), "{at}");
            assert!(
                page.console_errors.is_empty(),
                "{at}: console errors {:?}",
                page.console_errors
            );
            assert!(
                page.overflow_px <= 0.5,
                "{at}: the page scrolls sideways by {} px; too wide: {:?}",
                page.overflow_px,
                page.too_wide
            );
            assert!(
                page.min_font_px >= MIN_FONT_PX,
                "{at}: text smaller than {MIN_FONT_PX} px: {}",
                page.min_font_text
            );
        }
    }
}

/// The text inside the element with `id` (tags dropped), if there is one.
fn text_of(dom: &str, id: &str) -> Option<String> {
    let at = dom.find(&format!("id=\"{id}\""))?;
    let open = at + dom[at..].find('>')? + 1;
    let tag_start = dom[..at].rfind('<')? + 1;
    let tag: String = dom[tag_start..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let close = open + dom[open..].find(&format!("</{tag}>"))?;
    let mut text = String::new();
    let mut in_tag = false;
    for c in dom[open..close].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    Some(text.trim().to_string())
}

/// The markup of the figure showing chart `stem`, if the report has it.
fn figure<'a>(dom: &'a str, stem: &str) -> Option<&'a str> {
    let at = dom.find(&format!("data-chart=\"{stem}\""))?;
    let end = at + dom[at..].find("</figure>")?;
    Some(&dom[at..end])
}

/// Each content check of the "Done when", named in its message so
/// that a failure says which: the links between the languages, counts and
/// changes in the key figures, the trend chart with the sample's three
/// years, and no English label or internal id in the Vietnamese page as
/// Chromium renders it.
#[test]
fn report_content_in_chromium() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(reports) = sample_reports(tmp.path()) else {
        return;
    };
    let mut failed = Vec::new();
    // The English report's labels, which the Vietnamese one must not show.
    let en = std::fs::read_to_string(&reports[1]).unwrap();
    let english = crate::language::english_labels(&en);
    for (i, html) in reports.iter().enumerate() {
        let other = name(&reports[1 - i]);
        for width in WIDTHS {
            let page = browser::open(html, width).unwrap();
            let at = format!("{} at {width} px", name(html));
            failed.extend(links_to_the_other_language(&page, &other, &at));
            failed.extend(key_figures_show_counts_and_changes(&page, &at));
            failed.extend(trend_chart_has_the_sample_years(&page, &at));
            if i == 0 {
                failed.extend(no_english_and_no_id(&page, &english, &at));
            }
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

/// The Vietnamese page as Chromium rendered it, without the harness's
/// measurements: no English label, no internal id.
fn no_english_and_no_id(page: &Page, english: &BTreeSet<String>, at: &str) -> Vec<String> {
    use crate::language::{cut_elements, english_in, ids_in, strip_tags, visible_text};
    let dom = cut_elements(&page.dom, "<pre id=\"measure\"", "</pre>");
    let dom = cut_elements(&dom, "<script", "</script>");
    let mut found = english_in(&visible_text(&dom), english);
    found.extend(ids_in(&strip_tags(&cut_elements(
        &dom, "<style", "</style>",
    ))));
    (found.into_iter())
        .map(|f| format!("no English, no id: {at}: {f}"))
        .collect()
}

fn links_to_the_other_language(page: &Page, other: &str, at: &str) -> Option<String> {
    let link = format!("href=\"{other}\"");
    (!page.dom.contains(&link))
        .then(|| format!("links between the languages: {at} has no link to {other}"))
}

fn key_figures_show_counts_and_changes(page: &Page, at: &str) -> Vec<String> {
    let mut failed = Vec::new();
    for (k, year) in SAMPLE_YEARS.iter().enumerate() {
        let mut ids = vec![format!("poor-n-{year}")];
        if k > 0 {
            ids.push(format!("poor-change-n-{year}"));
        }
        for id in ids {
            let text = text_of(&page.dom, &id);
            if !(text.as_deref()).is_some_and(|t| t.chars().any(|c| c.is_ascii_digit())) {
                failed.push(format!(
                    "key figures with counts: {at}: #{id} is {text:?}, not a number of households"
                ));
            }
        }
    }
    failed
}

fn trend_chart_has_the_sample_years(page: &Page, at: &str) -> Vec<String> {
    let Some(trend) = figure(&page.dom, "poor_trend") else {
        return vec![format!("trend chart: {at} has no chart poor_trend")];
    };
    (SAMPLE_YEARS.iter())
        .filter(|y| !trend.contains(&y.to_string()))
        .map(|y| format!("trend chart: {at}: poor_trend does not show {y}"))
        .collect()
}

#[test]
fn element_text_is_read_by_id() {
    let dom = "<p>x</p><dd id=\"poor-n-2020\"><span>1.234</span> hộ</dd><dd id=\"b\"></dd>";
    assert_eq!(text_of(dom, "poor-n-2020").as_deref(), Some("1.234 hộ"));
    assert_eq!(text_of(dom, "b").as_deref(), Some(""));
    assert_eq!(text_of(dom, "c"), None);
    let dom = "<figure class=\"chart\" data-chart=\"poor_trend\"><svg>2020</svg></figure>";
    assert_eq!(
        figure(dom, "poor_trend"),
        Some("data-chart=\"poor_trend\"><svg>2020</svg>")
    );
    assert_eq!(figure(dom, "other"), None);
}
