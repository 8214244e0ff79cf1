//! The README's main job on the bundled sample: golden tables, the
//! independent oracle, the manifest, exit codes and missing-value policies.

use crate::common::*;
use crate::tolerance::*;
use std::collections::BTreeMap;
use std::path::Path;

fn run_sample(dir: &Path, extra: &[&str]) -> Output {
    let sample = sample_dir();
    let mut args = vec!["run", "--no-report", p(&sample), "--out", "out"];
    args.extend_from_slice(extra);
    dachieu(dir, &args)
}

#[test]
fn sample_tables_match_golden_files() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_sample(tmp.path(), &["--by", "province,region,area,district"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("6 tỉnh, thành phố trong dữ liệu") && o.stdout.contains("An Giang"),
        "{}",
        o.stdout
    );
    let tables = tmp.path().join("out/tables");
    for name in [
        "rates_province",
        "indicators_province",
        "rates_region",
        "rates_area",
        "rates_district",
    ] {
        let bytes = std::fs::read(tables.join(format!("{name}.csv"))).unwrap();
        assert_golden(&format!("sample_{name}.csv"), &bytes);
    }
    assert_golden(
        "sample_rates_province.json",
        &std::fs::read(tables.join("rates_province.json")).unwrap(),
    );
    for y in [2020, 2021, 2022] {
        let list = tmp
            .path()
            .join(format!("out/scored/survey_year={y}/undetermined.csv"));
        assert_golden(
            &format!("sample_undetermined_{y}.csv"),
            &std::fs::read(list).unwrap(),
        );
    }
    // The Parquet table holds the same rows as the CSV.
    let pq = dachieu::dataset::read_parquet(&tables.join("rates_province.parquet")).unwrap();
    let csv_rows = std::fs::read_to_string(tables.join("rates_province.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(pq.num_rows(), csv_rows);
}

/// tests/oracle/d59_oracle.py is an independent implementation (Python,
/// written from the spec and the indicator files only); its committed output
/// must equal our counts for every province, year and indicator.
#[test]
fn sample_counts_equal_the_independent_oracle() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_sample(tmp.path(), &["--format", "csv"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // The oracle implements Decision 59/2015 only: the years it covers.
    let oracle = read_rows(&repo().join("tests/oracle/expected_sample.csv"));
    let years: std::collections::BTreeSet<String> =
        oracle.iter().map(|r| r["survey_year"].clone()).collect();
    assert_eq!(years.len(), 2, "2020 and 2021");
    let rates: Vec<Row> = read_rows(&tmp.path().join("out/tables/rates_province.csv"))
        .into_iter()
        .filter(|r| years.contains(&r["survey_year"]))
        .collect();
    assert!(rates.iter().all(|r| r["standard"] == "vn-2016-2020"));
    let inds = read_rows(&tmp.path().join("out/tables/indicators_province.csv"));
    assert_eq!(
        oracle.len(),
        rates.len(),
        "same number of (year, group) rows"
    );
    for (want, got) in oracle.iter().zip(&rates) {
        assert_eq!(want["survey_year"], got["survey_year"]);
        assert_eq!(want["province_code"], got["code"]);
        for col in [
            "households",
            "poor",
            "poor_income",
            "poor_deprivation",
            "near_poor",
            "average",
            "not_poor",
            "undetermined",
        ] {
            assert_eq!(
                want[col], got[col],
                "{col} for {} {}",
                got["survey_year"], got["code"]
            );
        }
        for ind in inds
            .iter()
            .filter(|r| r["survey_year"] == got["survey_year"] && r["code"] == got["code"])
        {
            let id = &ind["indicator"];
            assert_eq!(
                want[&format!("{id}_deprived")],
                ind["deprived"],
                "{id} deprived, {} {}",
                got["survey_year"],
                got["code"]
            );
            assert_eq!(
                want[&format!("{id}_unknown")],
                ind["unknown"],
                "{id} unknown, {} {}",
                got["survey_year"],
                got["code"]
            );
        }
    }
}

#[test]
fn manifest_names_inputs_standard_and_engine() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_sample(tmp.path(), &["--format", "csv"]);
    assert_eq!(o.code, 0);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out/manifest.json")).unwrap())
            .unwrap();
    // `--standard auto` by default: each year names its standard.
    assert_eq!(m["standard"], "auto");
    let per_year: Vec<(i64, &str, bool)> = m["standards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["survey_year"].as_i64().unwrap(),
                s["id"].as_str().unwrap(),
                s["provisional"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per_year,
        [
            (2020, "vn-2016-2020", false),
            (2021, "vn-2016-2020", false),
            (2022, "vn-2022-2025", false)
        ]
    );
    assert!(m["standards"][2]["origin"] == "bundled:vn-2022-2025");
    assert_eq!(m["score"]["years"][2]["standard"], "vn-2022-2025");
    assert_eq!(m["engine_version"], env!("CARGO_PKG_VERSION"));
    let inputs = m["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 2, "bad/ is a subfolder and is not read");
    assert!(inputs
        .iter()
        .all(|i| i["sha256"].as_str().unwrap().len() == 64));
    assert_eq!(m["ingest"]["read"], m["ingest"]["accepted"]);
    assert_eq!(m["options"]["missing"], "per-indicator");
}

#[test]
fn strict_exits_1_on_undetermined_and_policies_bound_the_answer() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        run_sample(tmp.path(), &["--strict", "--format", "csv"]).code,
        1
    );
    let national = |policy: &str| {
        let dir = tmp.path().join(policy);
        std::fs::create_dir_all(&dir).unwrap();
        let o = run_sample(&dir, &["--missing", policy, "--format", "csv"]);
        assert_eq!(o.code, 0, "{policy}: {}", o.stderr);
        read_rows(&dir.join("out/tables/rates_province.csv"))
            .into_iter()
            .find(|r| r["code"] == "VN")
            .unwrap()
    };
    let f = |r: &BTreeMap<String, String>, c: &str| r[c].parse::<f64>().unwrap();
    let (unknown, low, high, excl) = (
        national("unknown"),
        national("not-deprived"),
        national("deprived"),
        national("exclude"),
    );
    // Pessimistic ≥ determined-poor ≥ … and the optimistic bound is below the pessimistic one.
    assert!(f(&low, "poor") <= f(&high, "poor"));
    assert!(f(&unknown, "poor") <= f(&high, "poor"));
    assert!(f(&unknown, "poor_pct_upper") >= f(&unknown, "poor_pct"));
    assert!(f(&excl, "excluded") > 0.0);
    assert_eq!(f(&excl, "households"), f(&unknown, "households"));
}

/// Survey weights are used when present: weighted counts, weighted rates,
/// and person rates weighted by household size; unweighted n stays the count.
#[test]
fn weights_are_used_when_present() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("in/households.csv"),
        "survey_year,household_id,province_code,area,household_size,weight,income_per_capita_month\n\
         2020,a,89,rural,4,2.5,500000\n\
         2020,b,89,rural,1,1.5,2000000\n\
         2020,c,01,urban,2,1,2000000\n",
    );
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            "--no-report",
            "in",
            "--out",
            "out",
            "--format",
            "csv",
            "--members",
            "none",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let rows = read_rows(&tmp.path().join("out/tables/rates_province.csv"));
    let row = |code: &str| rows.iter().find(|r| r["code"] == code).unwrap().clone();
    let (vn, ag) = (row("VN"), row("89"));
    assert_eq!(vn["households"], "3");
    assert_eq!(vn["households_weighted"], "5");
    assert_eq!(vn["poor"], "2.5");
    assert_eq!(vn["poor_pct"], "50");
    assert_eq!(ag["poor_pct"], "62.5"); // 2.5 / (2.5 + 1.5)
                                        // persons: 2.5×4 = 10 poor of 10 + 1.5 + 2 = 13.5
    let person: f64 = vn["poor_person_pct"].parse().unwrap();
    assert!((person - 100.0 * 10.0 / 13.5).abs() < VS_HAND, "{person}");
}

#[test]
fn no_progress_bar_when_output_is_not_a_terminal() {
    // Scripts and logs get no bar (stderr here is a pipe), with or without --quiet.
    let tmp = tempfile::tempdir().unwrap();
    let o = dachieu(
        tmp.path(),
        &["run", "--no-report", p(&sample_dir()), "--out", "out"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    for label in ["reading households", "writing dataset", "scoring 20", "\r"] {
        assert!(
            !o.stderr.contains(label),
            "progress output in a pipe: {:?}",
            o.stderr
        );
    }
}

#[test]
fn a_damaged_scored_file_is_named_with_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let year = tmp.path().join("scored/survey_year=2020");
    std::fs::create_dir_all(&year).unwrap();
    std::fs::write(year.join("scored.parquet"), "not parquet").unwrap();
    let o = dachieu(tmp.path(), &["tables", "--scored", "scored", "--out", "t"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("survey_year=2020/scored.parquet")
            && o.stderr.contains("cannot be read as Parquet")
            && o.stderr.contains("write it again"),
        "{}",
        o.stderr
    );
}
