//! The report's key figures on the sample (three survey years, census
//! records): every count is the scored file's, every change the difference
//! of two years' counts, and the households that left, fell back into and
//! are new to each list are the households' own movements — for the last
//! pair of years, `compare`'s transitions. On a weighted sample (the synth
//! run) the report says in words that there are no such counts.

use crate::common::*;
use dachieu::dataset::text::Text;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

/// The sample's run (once per test process, shared by the tests here).
fn run() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let sample = sample_dir();
        let o = dachieu(
            tmp.path(),
            &["run", p(&sample), "--out", "out", "--format", "csv"],
        );
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        tmp
    })
    .path()
}

/// Each year's households: id → class, from the scored files.
fn scored() -> BTreeMap<i64, HashMap<String, String>> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(run().join("out/scored")).unwrap() {
        let dir = e.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let year: i64 = name.strip_prefix("survey_year=").unwrap().parse().unwrap();
        let b = dachieu::dataset::read_parquet(&dir.join("scored.parquet")).unwrap();
        let col = |n: &str| Text::of(b.column_by_name(n).unwrap()).unwrap();
        let (ids, class) = (col("household_id"), col("class"));
        let classes = (0..b.num_rows())
            .map(|i| (ids.value(i).to_string(), class.value(i).to_string()))
            .collect();
        out.insert(year, classes);
    }
    out
}

fn report(lang: &str) -> String {
    std::fs::read_to_string(run().join(format!("out/report/report_{lang}.html"))).unwrap()
}

/// The text of the element with `id`, up to the next tag.
fn by_id<'a>(html: &'a str, id: &str) -> &'a str {
    let key = format!("id=\"{id}\">");
    let start = html.find(&key).unwrap_or_else(|| panic!("no id {id}")) + key.len();
    let end = start + html[start..].find('<').unwrap();
    &html[start..end]
}

/// A number as the report writes it ("+1.234", "−0,52", "27,345"), read back.
fn number(lang: &str, text: &str) -> f64 {
    let (thousands, decimal) = if lang == "vi" { ('.', ',') } else { (',', '.') };
    let s: String = (text.trim().trim_end_matches('%').trim().chars())
        .filter(|c| *c != thousands && *c != '+')
        .map(|c| match c {
            '\u{2212}' => '-',
            c if c == decimal => '.',
            c => c,
        })
        .collect();
    s.parse()
        .unwrap_or_else(|e| panic!("{lang}: {text:?} is not a number: {e}"))
}

/// Per year: households reviewed (not excluded), poor, near-poor, undetermined.
fn counts(classes: &HashMap<String, String>) -> [f64; 4] {
    let n = |f: &dyn Fn(&str) -> bool| classes.values().filter(|c| f(c)).count() as f64;
    [
        n(&|c| c != "excluded"),
        n(&|c| c == "poor"),
        n(&|c| c == "near_poor"),
        n(&|c| c == "undetermined"),
    ]
}

#[test]
fn key_figures_count_what_the_scored_files_hold() {
    let years = scored();
    assert_eq!(years.len(), 3, "the sample has three survey years");
    for lang in ["vi", "en"] {
        let html = report(lang);
        let mut previous: Option<[f64; 4]> = None;
        for (year, classes) in &years {
            let [households, poor, near, undetermined] = counts(classes);
            let get = |id: &str| number(lang, by_id(&html, &format!("{id}-{year}")));
            assert_eq!(get("households"), households, "{lang} {year}");
            assert_eq!(get("poor-n"), poor, "{lang} {year}");
            assert_eq!(get("near-poor-n"), near, "{lang} {year}");
            assert_eq!(get("undetermined"), undetermined, "{lang} {year}");
            let pct = |n: f64| 100.0 * n / households;
            assert!((get("poor-pct") - pct(poor)).abs() < 0.005, "{lang} {year}");
            assert!((get("near-poor-pct") - pct(near)).abs() < 0.005);
            match previous {
                None => {
                    let first = if lang == "vi" {
                        "năm đầu tiên trong dữ liệu"
                    } else {
                        "first year in the data"
                    };
                    assert!(html.contains(first), "{lang}");
                    assert!(!html.contains(&format!("id=\"poor-change-n-{year}\"")));
                    assert!(!html.contains(&format!("id=\"left-{year}\"")));
                }
                Some([h0, p0, n0, _]) => {
                    assert_eq!(get("poor-change-n"), poor - p0, "{lang} {year}");
                    assert_eq!(get("near-poor-change-n"), near - n0, "{lang} {year}");
                    let pp = 100.0 * poor / households - 100.0 * p0 / h0;
                    assert!((get("poor-change-pp") - pp).abs() < 0.005, "{lang} {year}");
                    let pp = 100.0 * near / households - 100.0 * n0 / h0;
                    assert!((get("near-poor-change-pp") - pp).abs() < 0.005);
                }
            }
            previous = Some([households, poor, near, undetermined]);
        }
    }
}

/// The standards of the sample: 2020 and 2021 under Decision 59/2015,
/// 2022 under Decree 07/2021; only 2022's changes are flagged, in words.
#[test]
fn a_change_of_standard_is_flagged_beside_the_change() {
    for (lang, flag) in [
        ("vi", "đổi chuẩn nghèo: không so sánh trực tiếp được"),
        ("en", "standard changed: not directly comparable"),
    ] {
        let html = report(lang);
        let year = |y: i64| {
            let start = html.find(&format!("id=\"year-{y}\"")).unwrap();
            let end = start + html[start..].find("</article>").unwrap();
            &html[start..end]
        };
        assert!(
            !year(2021).contains(flag),
            "{lang}: 2021 is under 2020's standard"
        );
        assert!(year(2022).contains(flag), "{lang}: 2022 changed standard");
        // Under the figures, why: the charts' own caveat, in words.
        let why = if lang == "vi" {
            "class=\"notes\">Đổi chuẩn nghèo: năm 2021 phân loại theo"
        } else {
            "class=\"notes\">Change of standard: 2021 classified under"
        };
        assert!(year(2022).contains(why), "{lang}: {}", year(2022));
        assert!(!year(2021).contains("class=\"notes\""), "{lang}");
    }
}

/// The movement on `list` ("poor", "near_poor") into `year` from the one
/// before, from the scored files: (left, fell back, new).
fn movement(years: &BTreeMap<i64, HashMap<String, String>>, year: i64, list: &str) -> [f64; 3] {
    let before: Vec<&HashMap<String, String>> = years.range(..year).map(|(_, c)| c).collect();
    let (prev, earlier) = before.split_last().unwrap();
    let now = &years[&year];
    let undetermined = |c: &str| c == "undetermined" || c == "excluded";
    let left = (prev.iter())
        .filter(|(_, c)| *c == list)
        .filter(|(id, _)| now.get(*id).is_some_and(|c| c != list && !undetermined(c)))
        .count();
    let (mut back, mut new) = (0, 0);
    for (id, _) in now.iter().filter(|(_, c)| *c == list) {
        let then = prev.get(id).map(String::as_str);
        if then.is_some_and(|t| t == list || undetermined(t)) {
            continue;
        }
        if earlier.iter().any(|e| e.get(id).is_some_and(|x| x == list)) {
            back += 1;
        } else {
            new += 1;
        }
    }
    [left as f64, back as f64, new as f64]
}

/// Left, fell back and new of every year after the first are the
/// households' own movements; for the last pair, their sums are those of
/// `compare`'s transitions (total row), and left is its `exited_poverty`.
#[test]
fn households_that_moved_are_the_comparisons() {
    let years = scored();
    let last = *years.keys().last().unwrap();
    for lang in ["vi", "en"] {
        let html = report(lang);
        for &year in years.keys().skip(1) {
            for (list, ids) in [
                ("poor", ["left", "fell-back", "new-poor"]),
                (
                    "near_poor",
                    ["near-poor-left", "near-poor-fell-back", "near-poor-new"],
                ),
            ] {
                let shown = ids.map(|id| number(lang, by_id(&html, &format!("{id}-{year}"))));
                assert_eq!(shown, movement(&years, year, list), "{lang} {year} {list}");
            }
        }
    }
    // compare/transitions_<level>.csv: households by (class_from, class_to).
    let dir = run().join("out/compare");
    let file = |summary: bool| {
        (std::fs::read_dir(&dir).unwrap())
            .map(|e| e.unwrap().path())
            .find(|p| {
                let n = p.file_name().unwrap().to_string_lossy().into_owned();
                n.starts_with("transitions_")
                    && n.ends_with(".csv")
                    && n.starts_with("transitions_summary_") == summary
            })
            .unwrap_or_else(|| panic!("no transitions in {}", dir.display()))
    };
    let rows = read_rows(&file(false));
    let total: Vec<&Row> = (rows.iter())
        .filter(|r| r["level"] == "total" && r["to_year"] == last.to_string())
        .collect();
    assert!(!total.is_empty(), "no total rows of {last}");
    let html = report("vi");
    let shown = |id: &str| number("vi", by_id(&html, &format!("{id}-{last}")));
    let off = |c: &str, list: &str| c != list && !["undetermined", "excluded"].contains(&c);
    for (list, [left, back, new]) in [
        ("poor", ["left", "fell-back", "new-poor"]),
        (
            "near_poor",
            ["near-poor-left", "near-poor-fell-back", "near-poor-new"],
        ),
    ] {
        let sum = |f: &dyn Fn(&str, &str) -> bool| -> f64 {
            (total.iter())
                .filter(|r| f(&r["class_from"], &r["class_to"]))
                .map(|r| r["households"].parse::<f64>().unwrap())
                .sum()
        };
        let exits = sum(&|a, b| a == list && off(b, list) && b != "absent");
        let entries = sum(&|a, b| b == list && off(a, list));
        assert_eq!(shown(left), exits, "{list}: left");
        assert_eq!(shown(back) + shown(new), entries, "{list}: fell back + new");
        assert!(exits > 0.0 && entries > 0.0, "{list}: the sample moves");
    }
    let summary = read_rows(&file(true));
    let row = (summary.iter())
        .find(|r| r["level"] == "total" && r["to_year"] == last.to_string())
        .unwrap();
    let col = |c: &str| row[c].parse::<f64>().unwrap();
    assert_eq!(shown("left"), col("exited_poverty"));
    assert_eq!(
        shown("fell-back") + shown("new-poor"),
        col("entered_poverty") + col("new_households_poor")
    );
}

/// A weighted sample follows no household: the report says so in words,
/// with no movement numbers, and still shows the change in rates.
#[test]
fn a_sample_says_there_are_no_movements() {
    let dir = synth_run();
    for (lang, words) in [
        ("vi", "Dữ liệu mẫu có trọng số: không theo dõi cùng các hộ"),
        (
            "en",
            "Weighted sample data: the same households are not followed",
        ),
    ] {
        let html =
            std::fs::read_to_string(dir.join(format!("out/report/report_{lang}.html"))).unwrap();
        assert!(html.contains(words), "{lang}");
        assert!(!html.contains("id=\"left-"), "{lang}: no movement numbers");
        assert!(html.contains("id=\"poor-change-pp-2021\""), "{lang}");
    }
}
