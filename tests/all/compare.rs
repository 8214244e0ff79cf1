//! Year comparison: transitions account for every household of each year,
//! the poor count's change is explained by exits and entries, a group
//! present in one year only is reported as such, and totals are the same
//! under the 63-province and the 2025 geographies.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn n(r: &Row, c: &str) -> i64 {
    r[c].parse().unwrap()
}

/// run + compare on `input` (a folder) in `dir`.
fn run_compare(dir: &Path, input: &Path, extra: &[&str]) -> Output {
    std::fs::create_dir_all(dir).unwrap();
    let o = dachieu(
        dir,
        &[
            "run",
            "--no-report",
            p(input),
            "--out",
            "out",
            "--format",
            "csv",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let mut args = vec![
        "compare",
        "--scored",
        "out/scored",
        "--out",
        "cmp",
        "--from",
        "2020",
        "--to",
        "2021",
        "--format",
        "csv",
    ];
    args.extend_from_slice(extra);
    dachieu(dir, &args)
}

#[test]
fn transitions_account_for_every_household_and_explain_the_change() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_compare(tmp.path(), &sample_dir(), &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let cmp = tmp.path().join("cmp");
    let matrix = read_rows(&cmp.join("transitions_province.csv"));
    let summary = read_rows(&cmp.join("transitions_summary_province.csv"));
    let rates = read_rows(&tmp.path().join("out/tables/rates_province.csv"));
    for s in &summary {
        let code = &s["code"];
        let cells: Vec<&Row> = matrix.iter().filter(|m| &m["code"] == code).collect();
        let from: i64 = cells
            .iter()
            .filter(|m| m["class_from"] != "absent")
            .map(|m| n(m, "households"))
            .sum();
        let to: i64 = cells
            .iter()
            .filter(|m| m["class_to"] != "absent")
            .map(|m| n(m, "households"))
            .sum();
        // The matrix holds every household of each year, as the rate tables count them.
        let households = |y: &str| {
            rates
                .iter()
                .find(|r| r["survey_year"] == y && &r["code"] == code)
                .map(|r| n(r, "households"))
                .unwrap()
        };
        assert_eq!(from, households("2020"), "{code}");
        assert_eq!(to, households("2021"), "{code}");
        assert_eq!(from, n(s, "households_from"));
        // poor(2021) − poor(2020) = entries + new poor households − exits
        // − poor households gone, with the moves to and from undetermined.
        assert_eq!(
            n(s, "poor_to") - n(s, "poor_from"),
            n(s, "entered_poverty") + n(s, "new_households_poor") + n(s, "undetermined_to_poor")
                - n(s, "exited_poverty")
                - n(s, "poor_households_gone")
                - n(s, "poor_to_undetermined"),
            "{code}"
        );
    }
    let follow = read_rows(&cmp.join("follow_up_2021.csv"));
    let vn = summary.iter().find(|s| s["code"] == "VN").unwrap();
    assert_eq!(
        follow.len() as i64,
        n(vn, "entered_poverty")
            + n(vn, "new_households_poor")
            + n(vn, "undetermined_to_poor")
            + n(vn, "entered_near_poor")
            + n(vn, "undetermined_to_near_poor")
    );
    assert!(follow
        .iter()
        .all(|f| matches!(f["class_to"].as_str(), "poor" | "near_poor")
            && f["class_from"] != "poor"
            && (f["from_year"].as_str(), f["to_year"].as_str()) == ("2020", "2021")));
}

/// Leaving or entering poverty is a move between determined classes: a poor
/// household whose class is undetermined the next year has not been shown
/// to leave (2021 → 2022 on the sample: some poor households of 2021 lack
/// an income in 2022). Checked against the transition matrix.
#[test]
fn exits_and_entries_count_only_determined_classes() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let o = run_compare(t, &sample_dir(), &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = dachieu(
        t,
        &[
            "compare",
            "--scored",
            "out/scored",
            "--out",
            "c22",
            "--from",
            "2021",
            "--to",
            "2022",
            "--format",
            "csv",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let matrix = read_rows(&t.join("c22/transitions_province.csv"));
    let summary = read_rows(&t.join("c22/transitions_summary_province.csv"));
    let unsettled = |c: &str| c == "undetermined" || c == "excluded";
    let cells = |code: &str, from: &dyn Fn(&str) -> bool, to: &dyn Fn(&str) -> bool| -> i64 {
        matrix
            .iter()
            .filter(|m| m["code"] == code && from(&m["class_from"]) && to(&m["class_to"]))
            .map(|m| n(m, "households"))
            .sum()
    };
    let settled = |c: &str| c != "absent" && !unsettled(c);
    let poor = |c: &str| c == "poor";
    for s in &summary {
        let code = s["code"].as_str();
        let other = |c: &str| settled(c) && c != "poor";
        assert_eq!(n(s, "exited_poverty"), cells(code, &poor, &other), "{code}");
        assert_eq!(
            n(s, "entered_poverty"),
            cells(code, &other, &poor),
            "{code}"
        );
        assert_eq!(n(s, "poor_to_undetermined"), cells(code, &poor, &unsettled));
        assert_eq!(n(s, "undetermined_to_poor"), cells(code, &unsettled, &poor));
    }
    let vn = summary.iter().find(|s| s["code"] == "VN").unwrap();
    assert!(
        n(vn, "poor_to_undetermined") > 0,
        "the sample has poor households of 2021 undetermined in 2022"
    );
}

#[test]
fn closed_panel_exits_minus_entries_is_the_fall_in_poor_households() {
    let tmp = tempfile::tempdir().unwrap();
    // Keep only households present in both years.
    let mut ids: BTreeMap<String, u8> = BTreeMap::new();
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    for l in hh.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        *ids.entry(f[1].to_string()).or_default() |= if f[0] == "2020" { 1 } else { 2 };
    }
    for name in ["households.csv", "members.csv"] {
        let text = std::fs::read_to_string(sample_dir().join(name)).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, l)| *i == 0 || ids.get(l.split(',').nth(1).unwrap()) == Some(&3))
            .map(|(_, l)| l)
            .collect();
        write(&tmp.path().join("in").join(name), &(kept.join("\n") + "\n"));
    }
    assert_eq!(run_compare(tmp.path(), &tmp.path().join("in"), &[]).code, 0);
    let summary = read_rows(&tmp.path().join("cmp/transitions_summary_province.csv"));
    for s in &summary {
        assert_eq!((n(s, "appeared"), n(s, "disappeared")), (0, 0));
        assert_eq!(
            n(s, "exited_poverty") - n(s, "entered_poverty") + n(s, "poor_to_undetermined")
                - n(s, "undetermined_to_poor"),
            n(s, "poor_from") - n(s, "poor_to"),
            "{}",
            s["code"]
        );
    }
}

#[test]
fn a_province_in_one_year_only_is_reported_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let mem = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
    // Drop TP HCM (79) from 2020.
    let drop = |l: &&str| !(l.starts_with("2020,79-"));
    write(
        &tmp.path().join("in/households.csv"),
        &(hh.lines().filter(drop).collect::<Vec<_>>().join("\n") + "\n"),
    );
    write(
        &tmp.path().join("in/members.csv"),
        &(mem.lines().filter(drop).collect::<Vec<_>>().join("\n") + "\n"),
    );
    let o = run_compare(tmp.path(), &tmp.path().join("in"), &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rates = read_rows(&tmp.path().join("cmp/rates_change_province.csv"));
    let hcm = rates
        .iter()
        .find(|r| r["code"] == "79" && r["rate"] == "poor_rate")
        .unwrap();
    assert_eq!(hcm["note"], "only in 2021");
    assert_eq!(hcm["change_pp"], "");
    // Long form: the years are values, the rates pct_from and pct_to.
    assert_eq!(
        (hcm["from_year"].as_str(), hcm["to_year"].as_str()),
        ("2020", "2021")
    );
    assert!(
        hcm["pct_from"].is_empty() && hcm["pct_to"].parse::<f64>().is_ok(),
        "{hcm:?}"
    );
}

#[test]
fn totals_agree_under_both_geographies() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_compare(tmp.path(), &sample_dir(), &["--geography", "2025"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let t = tmp.path();
    let o = dachieu(
        t,
        &[
            "tables",
            "--scored",
            "out/scored",
            "--out",
            "t25",
            "--by",
            "unit2025,province",
            "--format",
            "csv",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let units = read_rows(&t.join("t25/rates_unit2025.csv"));
    let provinces = read_rows(&t.join("t25/rates_province.csv"));
    let national = |rows: &[Row], y: &str| {
        rows.iter()
            .find(|r| r["survey_year"] == y && r["code"] == "VN")
            .unwrap()
            .clone()
    };
    for y in ["2020", "2021"] {
        let (a, b) = (national(&units, y), national(&provinces, y));
        for c in [
            "households",
            "poor",
            "near_poor",
            "undetermined",
            "poor_pct",
        ] {
            assert_eq!(a[c], b[c], "{y} {c}");
        }
        // Units add up to the total; An Giang (89) absorbs Kiên Giang (91)
        // under the code 91 (Official Letter 915/CTK-CSCL).
        let sum: i64 = units
            .iter()
            .filter(|r| r["survey_year"] == y && r["level"] == "unit2025")
            .map(|r| n(r, "households"))
            .sum();
        assert_eq!(sum, n(&a, "households"));
        let hh = |rows: &[Row], code: &str| {
            rows.iter()
                .find(|r| r["survey_year"] == y && r["code"] == code)
                .map(|r| n(r, "households"))
                .unwrap_or(0)
        };
        assert_eq!(
            hh(&units, "91"),
            hh(&provinces, "89") + hh(&provinces, "91")
        );
    }
    let summary = read_rows(&t.join("cmp/transitions_summary_unit2025.csv"));
    assert!(summary
        .iter()
        .any(|s| s["code"] == "91" && s["name"] == "An Giang"));
}

/// The same year under two standards: a local variant with a higher rural
/// line and a lower cut-off can only move households towards poor.
#[test]
fn bridge_between_two_standards() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let local = copy_standard("vn-2016-2020", &t.join("local"));
    let st = std::fs::read_to_string(local.join("standard.toml")).unwrap();
    let st = st
        .replacen("id = \"vn-2016-2020\"", "id = \"local-test\"", 1)
        .replacen("cutoff = 3", "cutoff = 2", 1)
        .replacen("poverty = 700000", "poverty = 800000", 1);
    assert!(st.contains("local-test") && st.contains("cutoff = 2") && st.contains("800000"));
    std::fs::write(local.join("standard.toml"), st).unwrap();
    let sample = sample_dir();
    assert_eq!(
        dachieu(
            t,
            &[
                "ingest",
                p(&sample),
                "--dataset",
                "ds",
                "--quarantine",
                "q.csv"
            ]
        )
        .code,
        0
    );
    assert_eq!(
        dachieu(t, &["score", "--dataset", "ds", "--out", "a"]).code,
        0
    );
    let o = dachieu(
        t,
        &[
            "score",
            "--dataset",
            "ds",
            "--out",
            "b",
            "--standard",
            p(&local),
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = dachieu(
        t,
        &[
            "bridge", "--from", "a", "--to", "b", "--year", "2021", "--out", "br", "--format",
            "csv",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let rows = read_rows(&t.join("br/bridge_2021_province.csv"));
    let national: Vec<&Row> = rows.iter().filter(|r| r["code"] == "VN").collect();
    let total: i64 = national.iter().map(|r| n(r, "households")).sum();
    assert_eq!(total, 2016);
    assert!(national
        .iter()
        .all(|r| r["standard_from"] == "vn-2016-2020" && r["standard_to"] == "local-test"));
    let moved = |a: &str, b: &str| {
        national
            .iter()
            .filter(|r| r["class_from"] == a && r["class_to"] == b)
            .map(|r| n(r, "households"))
            .sum::<i64>()
    };
    assert!(
        moved("near_poor", "poor") > 0,
        "a lower cut-off makes some near-poor households poor"
    );
    for to in ["near_poor", "average", "not_poor"] {
        assert_eq!(
            moved("poor", to),
            0,
            "poor under the stricter standard stays poor, not {to}"
        );
    }
}

/// The sample under `--standard auto`: 2020 under Decision 59/2015, 2022
/// under Decree 07/2021, side by side in the same tables, and the change of
/// what near-poor means (spec §9 item 13) visible in the data and flagged
/// wherever the two years are compared.
#[test]
fn auto_over_2020_and_2022_shows_the_near_poor_definition_change() {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    let tmp = tempfile::tempdir().unwrap();
    let o = run_compare(tmp.path(), &sample_dir(), &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let t = tmp.path();
    let rates = read_rows(&t.join("out/tables/rates_province.csv"));
    for r in &rates {
        let want = if r["survey_year"] == "2022" {
            "vn-2022-2025"
        } else {
            "vn-2016-2020"
        };
        assert_eq!(r["standard"], want, "{r:?}");
        // No single path to poor under the intersection rule: left blank.
        assert_eq!(r["poor_income"].is_empty(), r["survey_year"] == "2022");
    }
    let inds = read_rows(&t.join("out/tables/indicators_province.csv"));
    let ids = |y: &str| -> Vec<String> {
        inds.iter()
            .filter(|r| r["survey_year"] == y && r["code"] == "VN")
            .map(|r| r["indicator"].clone())
            .collect()
    };
    assert_eq!(ids("2020").len(), 10);
    assert_eq!(ids("2022").len(), 12);
    assert!(ids("2022").contains(&"dependents".to_string()));

    // Near-poor households: above the poverty line in 2020, at or below it in 2022.
    let near_poor_incomes = |year: i64, line: fn(&str) -> i64| {
        let scored = dachieu::dataset::read_parquet(
            &t.join(format!("out/scored/survey_year={year}/scored.parquet")),
        )
        .unwrap();
        let hh = dachieu::dataset::read_parquet(
            &t.join(format!("out/dataset/survey_year={year}/households.parquet")),
        )
        .unwrap();
        let class = scored.column_by_name("class").unwrap().as_string::<i32>();
        let (sid, hid) = (
            scored
                .column_by_name("household_id")
                .unwrap()
                .as_string::<i32>(),
            hh.column_by_name("household_id")
                .unwrap()
                .as_string::<i32>(),
        );
        let area = hh.column_by_name("area").unwrap().as_string::<i32>();
        let income = hh
            .column_by_name("income_per_capita_month")
            .unwrap()
            .as_primitive::<arrow_array::types::Int64Type>();
        let mut at_or_below = (0, 0);
        for i in (0..scored.num_rows()).filter(|&i| class.value(i) == "near_poor") {
            let j = (0..hh.num_rows())
                .find(|&j| hid.value(j) == sid.value(i))
                .unwrap();
            if income.is_valid(j) {
                if income.value(j) <= line(area.value(j)) {
                    at_or_below.0 += 1;
                } else {
                    at_or_below.1 += 1;
                }
            }
        }
        at_or_below
    };
    let (below_2020, above_2020) =
        near_poor_incomes(2020, |a| if a == "urban" { 900_000 } else { 700_000 });
    let (below_2022, above_2022) =
        near_poor_incomes(2022, |a| if a == "urban" { 2_000_000 } else { 1_500_000 });
    assert_eq!(
        below_2020, 0,
        "no 2020 near-poor household is at or below the poverty line"
    );
    assert!(above_2020 > 50, "{above_2020}");
    assert_eq!(
        above_2022, 0,
        "every 2022 near-poor household is at or below it"
    );
    assert!(below_2022 > 50, "{below_2022}");

    // Compared, the near-poor rates are flagged as not comparable.
    let o = dachieu(
        t,
        &[
            "compare",
            "--scored",
            "out/scored",
            "--out",
            "cmp22",
            "--from",
            "2020",
            "--to",
            "2022",
            "--format",
            "csv",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let change = read_rows(&t.join("cmp22/rates_change_province.csv"));
    let vn = |m: &str| {
        change
            .iter()
            .find(|r| r["code"] == "VN" && r["rate"] == m)
            .unwrap()
            .clone()
    };
    let (near, poor) = (vn("near_poor_rate"), vn("poor_rate"));
    assert_eq!(
        (near["standard_from"].as_str(), near["standard_to"].as_str()),
        ("vn-2016-2020", "vn-2022-2025")
    );
    assert!(near["comparable"].starts_with("no"), "{near:?}");
    assert!(near["note"].contains("spec §9 item 13"), "{near:?}");
    assert!(poor["comparable"].starts_with("with care"), "{poor:?}");
    let summary = read_rows(&t.join("cmp22/transitions_summary_province.csv"));
    assert!(summary
        .iter()
        .all(|r| r["standard_from"] == "vn-2016-2020" && r["standard_to"] == "vn-2022-2025"));
    // run itself compared its last two years, 2021 and 2022, with the same flags.
    let run_change = read_rows(&t.join("out/compare/rates_change_province.csv"));
    assert!(run_change
        .iter()
        .filter(|r| r["rate"] == "near_poor_rate")
        .all(|r| r["comparable"].starts_with("no")));
    let est = read_rows(&t.join("out/tables/estimates_change.csv"));
    let near_change: Vec<&Row> = est
        .iter()
        .filter(|r| r["to_year"] == "2022" && r["measure"] == "near_poor_rate")
        .collect();
    assert!(!near_change.is_empty());
    assert!(near_change
        .iter()
        .all(|r| r["cell_flags"].contains("near_poor_definition_changed")));
    // Across standards only the class rates compare: no AF change rows.
    assert!(est
        .iter()
        .filter(|r| r["to_year"] == "2022")
        .all(|r| r["measure"].ends_with("_rate")));
}
