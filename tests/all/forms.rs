//! The official summary forms on the sample's Điện Biên households (with
//! an `ethnic_minority` column added here, deterministically, so the test
//! does not depend on the sample carrying one): the identity of the
//! movement holds on every row of every review, the end-of-year counts are
//! the scored file's per district, area and ethnic minority, and the
//! workbooks' form sheets are held cell by cell against a golden file.

use crate::common::*;
use dachieu::dataset::text::Text;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Whether a household is marked ethnic-minority in the test's copy: a
/// fixed function of its id.
fn minority(id: &str) -> bool {
    id.bytes().map(u32::from).sum::<u32>() % 3 == 0
}

/// A copy of the sample holding the households of province 11 (Điện Biên)
/// of `years`, with an `ethnic_minority` column when it has none.
fn dien_bien(dir: &Path, years: &[&str]) -> PathBuf {
    let input = dir.join("input");
    let keep = |row: &csv::StringRecord, h: &csv::StringRecord| {
        let col = |n: &str| h.iter().position(|x| x == n).map(|i| &row[i]);
        years.contains(&col("survey_year").unwrap())
            && col("household_id").unwrap().starts_with("11-")
    };
    for file in ["households.csv", "members.csv"] {
        let mut r = csv::Reader::from_path(sample_dir().join(file)).unwrap();
        let h = r.headers().unwrap().clone();
        let add = file == "households.csv" && !h.iter().any(|x| x == "ethnic_minority");
        std::fs::create_dir_all(&input).unwrap();
        let mut w = csv::Writer::from_path(input.join(file)).unwrap();
        let mut head: Vec<&str> = h.iter().collect();
        if add {
            head.push("ethnic_minority");
        }
        w.write_record(&head).unwrap();
        let id = h.iter().position(|x| x == "household_id").unwrap();
        for row in r.records() {
            let row = row.unwrap();
            if !keep(&row, &h) {
                continue;
            }
            let mut cells: Vec<String> = row.iter().map(str::to_string).collect();
            if add {
                cells.push(if minority(&row[id]) { "1" } else { "0" }.into());
            }
            w.write_record(&cells).unwrap();
        }
        w.flush().unwrap();
    }
    input
}

/// One run on the Điện Biên households of 2020–2022, shared by the tests.
fn run() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let input = dien_bien(tmp.path(), &["2020", "2021", "2022"]);
        let o = dachieu(
            tmp.path(),
            &[
                "run",
                p(&input),
                "--out",
                "out",
                "--format",
                "csv",
                "--quiet",
            ],
        );
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        tmp
    })
    .path()
}

fn num(row: &Row, col: &str) -> i64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?} in {row:?}", row[col]))
}

/// start − left − gone − to_undetermined + fell_back + new +
/// from_undetermined = end on every row (unit, area, total) of both
/// reviews and both lists; the rows of the units add up to their area's,
/// the areas' to the total.
#[test]
fn forms_balance_on_every_row() {
    let rows = read_rows(&run().join("out/tables/form_lists.csv"));
    let mut seen = BTreeSet::new();
    for r in &rows {
        let lhs = num(r, "start") - num(r, "left") - num(r, "gone") - num(r, "to_undetermined")
            + num(r, "fell_back")
            + num(r, "new")
            + num(r, "from_undetermined");
        assert_eq!(lhs, num(r, "end"), "{r:?}");
        seen.insert((
            r["from_year"].clone(),
            r["to_year"].clone(),
            r["list"].clone(),
        ));
    }
    let want: BTreeSet<(String, String, String)> = [("2020", "2021"), ("2021", "2022")]
        .iter()
        .flat_map(|(a, b)| ["poor", "near_poor"].map(|l| (a.to_string(), b.to_string(), l.into())))
        .collect();
    assert_eq!(seen, want);
    // Units add up to their area, areas to the total, column by column.
    let cols = [
        "households",
        "start",
        "left",
        "gone",
        "fell_back",
        "new",
        "end",
    ];
    let mut sums: BTreeMap<(String, String, String, String), [i64; 7]> = BTreeMap::new();
    for r in &rows {
        let (y, l) = (r["to_year"].clone(), r["list"].clone());
        // A district row into its area's sum, an area row into the total's.
        let key = match r["level"].as_str() {
            "district" => (y, l, "area".into(), r["area"].clone()),
            "area" => (y, l, "total".into(), String::new()),
            _ => continue,
        };
        let s = sums.entry(key).or_default();
        for (i, c) in cols.iter().enumerate() {
            s[i] += num(r, c);
        }
    }
    assert_eq!(sums.len(), 2 * 2 * 3, "{sums:?}");
    for r in rows
        .iter()
        .filter(|r| ["area", "total"].contains(&r["level"].as_str()))
    {
        let key = (
            r["to_year"].clone(),
            r["list"].clone(),
            r["level"].clone(),
            r["area"].clone(),
        );
        let want: Vec<i64> = cols.iter().map(|c| num(r, c)).collect();
        assert_eq!(sums[&key].to_vec(), want, "{key:?}");
    }
}

/// The end-of-year counts of the forms are the scored file's: per
/// district and area the households, the poor and near-poor, and the
/// ethnic-minority ones among them; the start of the year is the previous
/// year's list.
#[test]
fn forms_count_what_the_scored_file_holds() {
    let rows = read_rows(&run().join("out/tables/form_lists.csv"));
    let scored = |year: &str| {
        let path = run().join(format!("out/scored/survey_year={year}/scored.parquet"));
        let b = dachieu::dataset::read_parquet(&path).unwrap();
        let col = |n: &str| -> Vec<String> {
            let t = Text::of(b.column_by_name(n).unwrap()).unwrap();
            (0..b.num_rows()).map(|i| t.value(i).to_string()).collect()
        };
        let (d, a, c, m) = (
            col("district_code"),
            col("area"),
            col("class"),
            col("ethnic_minority"),
        );
        // (district, area, class) → (households, ethnic-minority)
        let mut out: BTreeMap<(String, String, String), (i64, i64)> = BTreeMap::new();
        for i in 0..b.num_rows() {
            for key in [
                (d[i].clone(), a[i].clone(), c[i].clone()),
                (d[i].clone(), a[i].clone(), "*".into()),
            ] {
                let e = out.entry(key).or_default();
                e.0 += 1;
                e.1 += i64::from(m[i] == "yes");
            }
        }
        out
    };
    let mut checked = 0;
    for year in ["2021", "2022"] {
        let s = scored(year);
        let prev = scored(if year == "2021" { "2020" } else { "2021" });
        let get = |s: &BTreeMap<_, (i64, i64)>, d: &str, a: &str, c: &str| {
            s.get(&(d.to_string(), a.to_string(), c.to_string()))
                .copied()
                .unwrap_or_default()
        };
        for r in rows.iter().filter(|r| r["to_year"] == year) {
            let class = r["list"].as_str();
            match r["level"].as_str() {
                "district" => {
                    let (d, a) = (r["code"].as_str(), r["area"].as_str());
                    assert_eq!(num(r, "households"), get(&s, d, a, "*").0, "{r:?}");
                    let (end, minority) = get(&s, d, a, class);
                    assert_eq!(
                        (num(r, "end"), num(r, "end_minority")),
                        (end, minority),
                        "{r:?}"
                    );
                    checked += 1;
                }
                "total" => {
                    let total = |s: &BTreeMap<(String, String, String), (i64, i64)>| {
                        s.iter()
                            .filter(|(k, _)| k.2 == class)
                            .map(|(_, v)| v.0)
                            .sum::<i64>()
                    };
                    assert_eq!(num(r, "end"), total(&s), "{r:?}");
                    assert_eq!(num(r, "start"), total(&prev), "{r:?}");
                }
                _ => {}
            }
        }
    }
    // Four districts, urban and rural where they have households, two
    // lists, two reviews.
    assert!(checked >= 16, "{checked} district rows");
}

/// The workbooks' form sheets, cell by cell, as Excel shows them; and the
/// form sheets come first.
#[test]
fn form_sheets_golden() {
    use calamine::Reader;
    let mut text = String::new();
    for lang in ["vi", "en"] {
        let path = run().join(format!("out/report/tables_{lang}.xlsx"));
        let mut wb = calamine::open_workbook_auto(&path).unwrap();
        let names = wb.sheet_names().to_vec();
        let forms: Vec<&String> = names
            .iter()
            .take_while(|n| {
                ["Biểu", "HN", "HCN", "Form", "Poor", "Near-poor"]
                    .iter()
                    .any(|p| n.starts_with(p))
            })
            .collect();
        assert_eq!(forms.len(), 8, "{lang}: {names:?}");
        for name in forms {
            let range = wb.worksheet_range(name).unwrap();
            text.push_str(&format!("== {lang} / {name}\n"));
            for (r, row) in range.rows().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    let s = cell.to_string();
                    if !s.is_empty() {
                        text.push_str(&format!("R{}C{}: {s}\n", r + 1, c + 1));
                    }
                }
            }
        }
    }
    assert_golden("forms_dien_bien.txt", text.as_bytes());
}

/// With one survey year there is no form: the workbook says why, and no
/// form table is written.
#[test]
fn one_year_no_forms() {
    use calamine::Reader;
    let tmp = tempfile::tempdir().unwrap();
    let input = dien_bien(tmp.path(), &["2022"]);
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            p(&input),
            "--out",
            "out",
            "--format",
            "csv",
            "--quiet",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(!tmp.path().join("out/tables/form_lists.csv").exists());
    let mut wb =
        calamine::open_workbook_auto(tmp.path().join("out/report/tables_vi.xlsx")).unwrap();
    let names = wb.sheet_names().to_vec();
    assert!(!names.iter().any(|n| n.starts_with("Biểu")), "{names:?}");
    let first = wb.worksheet_range(&names[0]).unwrap();
    let said = first
        .rows()
        .flatten()
        .any(|c| c.to_string().contains("chỉ có một năm rà soát"));
    assert!(said, "{names:?}");
}
