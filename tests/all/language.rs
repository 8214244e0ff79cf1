//! The Vietnamese report speaks Vietnamese: no word of the English report's
//! own headings and labels appears in `report_vi.html` (its text and its
//! charts' SVG text) nor in the Vietnamese charts, and no internal id (a
//! bundled standard's id, an "x.y.z" version). The two reports link to each
//! other and to the manifest, and the methods section counts each
//! standard's indicator definitions as the standard's files label them.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::Path;

/// Words the same in both languages (names of formats, of the software,
/// of the method), never a reason to fail.
const SAME: &[&str] = &[
    "csv", "json", "xlsx", "parquet", "html", "svg", "png", "sha", "dachieu", "alkire", "foster",
    "mpi", "psu", "excel",
];

/// The text of an HTML document as a reader sees it: without the style,
/// without text marked as English on purpose (`lang="en"`: the link to the
/// English report) or as machine text (`<code>`: file names, hashes), tags
/// removed (SVG text stays), entities read.
pub(crate) fn visible_text(html: &str) -> String {
    let mut s = cut_elements(html, "<style", "</style>");
    s = cut_elements(&s, "<a href=\"report_en.html\"", "</a>");
    s = cut_elements(&s, "<code", "</code>");
    strip_tags(&s)
}

pub(crate) fn cut_elements(s: &str, open: &str, close: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

pub(crate) fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for ch in s.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(ch),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// The text of the elements that carry the English report's labels:
/// headings, table headers, terms, captions, the contents, badges.
pub(crate) fn english_labels(html: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for tag in [
        "h1",
        "h2",
        "h3",
        "th",
        "dt",
        "caption",
        "figcaption",
        "strong",
        "nav",
        "summary",
        "span class=\"badge",
    ] {
        let open = format!("<{tag}");
        let name = tag.split(' ').next().unwrap();
        let close = if name == "span" {
            "</span>".to_string()
        } else {
            format!("</{name}>")
        };
        let mut rest = html;
        while let Some(i) = rest.find(&open) {
            let after = &rest[i + open.len()..];
            // `<th` is not `<thead`, `<h1` is not `<h1x`.
            if !after.starts_with(['>', ' ', '"']) && name != "span" {
                rest = after;
                continue;
            }
            let end = after.find(&close).unwrap_or(after.len());
            // A row header names a unit (data, "Ha Giang"), not a label.
            let attrs = &after[..after.find('>').unwrap_or(0)];
            if attrs.contains("scope=\"row\"") {
                rest = &after[end..];
                continue;
            }
            for w in ascii_words(&strip_tags(&format!("<{}", &after[..end]))) {
                words.insert(w);
            }
            rest = &after[end..];
        }
    }
    words.retain(|w| w.len() >= 3 && !SAME.contains(&w.as_str()));
    words
}

/// The words of `text` made of ASCII letters only, lower-cased (a
/// Vietnamese word with a diacritic is one word, never split).
fn ascii_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
        .map(str::to_lowercase)
        .collect()
}

/// What in `text` betrays English or an internal id.
fn findings(text: &str, english: &BTreeSet<String>) -> Vec<String> {
    let mut found = english_in(text, english);
    found.extend(ids_in(text));
    found
}

/// The words of `english` in `text`.
pub(crate) fn english_in(text: &str, english: &BTreeSet<String>) -> Vec<String> {
    let found: BTreeSet<String> = (ascii_words(text).into_iter())
        .filter(|w| english.contains(w))
        .map(|w| format!("English word {w:?}"))
        .collect();
    found.into_iter().collect()
}

/// Bundled standard ids and "x.y.z" versions in `text` (the software's own
/// name and version, "dachieu 0.1.0", is allowed).
pub(crate) fn ids_in(text: &str) -> Vec<String> {
    let text = text.replace(&format!("dachieu {}", env!("CARGO_PKG_VERSION")), "dachieu");
    let mut found: Vec<String> = (dachieu::standard::bundled::ids().into_iter())
        .filter(|id| text.contains(id))
        .map(|id| format!("standard id {id}"))
        .collect();
    found.extend(versions(&text).into_iter().map(|v| format!("version {v}")));
    found
}

/// "1.0.0", "0.1.0": digits, then two groups of one or two digits (a
/// Vietnamese count, "1.044.707", has groups of three).
fn versions(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let digits = |from: usize| {
        (from..b.len())
            .take_while(|&i| b[i].is_ascii_digit())
            .count()
    };
    let mut i = 0;
    while i < b.len() {
        let starts = b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit());
        if !starts {
            i += 1;
            continue;
        }
        let a = digits(i);
        let mut j = i + a;
        let mut groups = 0;
        while groups < 2 && j < b.len() && b[j] == b'.' {
            let n = digits(j + 1);
            if !(1..=2).contains(&n) {
                break;
            }
            j += 1 + n;
            groups += 1;
        }
        if groups == 2 && a <= 2 {
            out.push(text[i..j].to_string());
        }
        i += a.max(1);
    }
    out
}

fn run(dir: &Path, langs: &str) {
    let sample = sample_dir();
    let o = dachieu(
        dir,
        &[
            "run",
            p(&sample),
            "--out",
            "out",
            "--format",
            "csv",
            "--lang",
            langs,
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
}

#[test]
fn the_vietnamese_report_has_no_english_and_no_internal_id() {
    let tmp = tempfile::tempdir().unwrap();
    run(tmp.path(), "vi,en");
    let report = tmp.path().join("out/report");
    let en = std::fs::read_to_string(report.join("report_en.html")).unwrap();
    let vi = std::fs::read_to_string(report.join("report_vi.html")).unwrap();
    let english = english_labels(&en);
    for w in ["key", "figures", "methods", "provenance", "households"] {
        assert!(english.contains(w), "the label list lacks {w}: {english:?}");
    }
    let mut found = english_in(&visible_text(&vi), &english);
    // Ids are looked for in machine text (`<code>`) too.
    found.extend(ids_in(&strip_tags(&cut_elements(
        &vi, "<style", "</style>",
    ))));
    assert!(found.is_empty(), "report_vi.html: {found:?}");
    // Each Vietnamese chart's text too.
    for e in std::fs::read_dir(report.join("charts/vi")).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "svg") {
            let svg = std::fs::read_to_string(&path).unwrap();
            let found = findings(&strip_tags(&svg), &english);
            assert!(found.is_empty(), "{}: {found:?}", path.display());
        }
    }
    // The two reports link to each other, and to the manifest, by files
    // that exist.
    for (html, other) in [(&vi, "report_en.html"), (&en, "report_vi.html")] {
        let link = format!("<a href=\"{other}\"");
        assert!(html.contains(&link), "no link to {other}");
        assert!(report.join(other).is_file());
        assert!(html.contains("href=\"../manifest.json\""));
    }
    assert!(report.join("../manifest.json").is_file());
    // The methods count each standard's definitions as its files label them.
    for id in ["vn-2016-2020", "vn-2022-2025"] {
        let st = dachieu::standard::resolve(id).unwrap();
        let head = format!("Định nghĩa các chỉ số ({})", st.name_vi);
        let at = vi.find(&head).unwrap_or_else(|| panic!("no {head}"));
        let list = &vi[at..at + vi[at..].find("</ul>").unwrap()];
        let n = st.indicators.len();
        for label in ["confirmed", "secondary", "unconfirmed"] {
            let want = st
                .indicators
                .iter()
                .filter(|i| i.confidence == label)
                .count();
            let key = format!("data-confidence=\"{label}\"><span class=\"count\">");
            let shown = list.find(&key).map(|i| {
                let s = &list[i + key.len()..];
                s[..s.find('<').unwrap()].to_string()
            });
            let expect = (want > 0).then(|| format!("{want}/{n}"));
            assert_eq!(shown, expect, "{id} {label}");
            if want > 0 {
                let first = st
                    .indicators
                    .iter()
                    .find(|i| i.confidence == label)
                    .unwrap();
                assert!(list.contains(&first.label_vi), "{id}: {}", first.label_vi);
            }
        }
    }
    // The line by the key figures says it in brief.
    let key = &vi[vi.find("id=\"key\"").unwrap()..vi.find("id=\"charts\"").unwrap()];
    assert!(
        key.contains("10/10 định nghĩa chỉ số chưa được đối chiếu với văn bản gốc"),
        "no definitions note by the key figures"
    );
}

/// The scan fails on English and on ids: fed an English heading, an id
/// and a version, it finds each; a Vietnamese count is no version.
#[test]
fn the_scan_can_fail() {
    let english: BTreeSet<String> = ["key", "figures"].iter().map(|s| s.to_string()).collect();
    let found = findings("Số liệu chính — Key figures", &english);
    assert_eq!(found, ["English word \"figures\"", "English word \"key\""]);
    let found = findings("theo chuẩn vn-2016-2020 1.0.0", &english);
    assert_eq!(found, ["standard id vn-2016-2020", "version 1.0.0"]);
    assert!(findings("1.044.707 byte, 4,44 %, 06/12/2025", &english).is_empty());
    assert!(findings(&format!("dachieu {}", env!("CARGO_PKG_VERSION")), &english).is_empty());
    assert_eq!(
        visible_text("<p>Tệp <code>households.csv</code> <a href=\"report_en.html\" lang=\"en\">English version</a></p>").trim(),
        "Tệp"
    );
}
