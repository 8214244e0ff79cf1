//! Every legal boundary of Decision 59/2015 and Circular 14/2018, end to end
//! through CSV → ingest → score: incomes exactly at each line and one dong
//! above, total income at line × 12 × size, score lines, the cut-off of 3,
//! and the range of a count with unknowns. Deprivation counts are set with
//! pre-coded `dep_*` flags (as review forms record them).

use crate::common::*;
use arrow_array::cast::AsArray;
use arrow_array::Array;

const IDS: [&str; 10] = [
    "health_access",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "floor_area",
    "water_source",
    "latrine",
    "telecom",
    "info_assets",
];

/// (id, area, income per capita, total income, size, score, deprived count, unknown count, class, path)
#[rustfmt::skip]
type Case = (&'static str, &'static str, &'static str, &'static str, u32, &'static str, usize, usize, &'static str, &'static str);

#[rustfmt::skip]
const CASES: &[Case] = &[
    // spec §8 vectors (D59)
    ("s8-1", "rural", "700000", "", 1, "", 0, 0, "poor", "income"),
    ("s8-2", "rural", "700001", "", 1, "", 3, 0, "poor", "deprivation"),
    ("s8-3", "rural", "1000000", "", 1, "", 2, 0, "near_poor", ""),
    ("s8-4", "rural", "1000001", "", 1, "", 5, 0, "average", ""),
    ("s8-5", "urban", "900000", "", 1, "", 0, 0, "poor", "income"),
    ("s8-6", "urban", "1300000", "", 1, "", 3, 0, "poor", "deprivation"),
    ("s8-7", "urban", "1950001", "", 1, "", 0, 0, "not_poor", ""),
    // each line exactly, and one dong above
    ("r-p+1", "rural", "700001", "", 1, "", 2, 0, "near_poor", ""),
    ("r-n+1", "rural", "1000001", "", 1, "", 10, 0, "average", ""),
    ("r-m", "rural", "1500000", "", 1, "", 0, 0, "average", ""),
    ("r-m+1", "rural", "1500001", "", 1, "", 0, 0, "not_poor", ""),
    ("u-p+1", "urban", "900001", "", 1, "", 2, 0, "near_poor", ""),
    ("u-n", "urban", "1300000", "", 1, "", 2, 0, "near_poor", ""),
    ("u-n+1", "urban", "1300001", "", 1, "", 3, 0, "average", ""),
    ("u-m", "urban", "1950000", "", 1, "", 0, 0, "average", ""),
    ("zero", "rural", "0", "", 1, "", 0, 0, "poor", "income"),
    // total income: line × 12 × size, compared in integers
    ("t-at", "rural", "", "25200000", 3, "", 0, 0, "poor", "income"),
    ("t-above", "rural", "", "25200001", 3, "", 0, 0, "near_poor", ""),
    ("t-near", "urban", "", "62400000", 4, "", 3, 0, "poor", "deprivation"),
    // review-form score (Circular 14/2018); the score wins over income when both are given
    ("b-r150", "rural", "", "", 1, "150", 3, 0, "poor", "deprivation"),
    ("b-u140", "urban", "", "", 1, "140", 0, 0, "poor", "income"),
    ("b-r151", "rural", "500000", "", 1, "151", 9, 0, "not_poor", ""),
    ("b-u175", "urban", "", "", 1, "175", 2, 0, "near_poor", ""),
    // unknowns: the count is a range; the class is kept only when the range cannot change it
    ("u-band", "rural", "800000", "", 1, "", 2, 1, "undetermined", ""),
    ("u-safe-low", "rural", "600000", "", 1, "", 0, 10, "poor", "income"),
    ("u-safe-high", "rural", "1200000", "", 1, "", 0, 10, "average", ""),
    ("u-already", "rural", "800000", "", 1, "", 3, 7, "poor", "deprivation"),
    ("no-measure", "rural", "", "", 1, "", 0, 0, "undetermined", ""),
];

/// `dachieu run in --out out` in `dir`; the scored households of 2020.
fn run_and_read_scored(dir: &std::path::Path) -> arrow_array::RecordBatch {
    let o = dachieu(dir, &["run", "--no-report", "in", "--out", "out"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    dachieu::dataset::read_parquet(&dir.join("out/scored/survey_year=2020/scored.parquet")).unwrap()
}

#[test]
fn legal_boundaries_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let mut csv = String::from("survey_year,household_id,province_code,area,household_size,income_per_capita_month,income_total_year,score_b1");
    for id in IDS {
        csv.push_str(&format!(",dep_{id}"));
    }
    csv.push('\n');
    for (id, area, ipc, tot, size, score, dep, unk, _, _) in CASES {
        csv.push_str(&format!("2020,{id},89,{area},{size},{ipc},{tot},{score}"));
        for k in 0..IDS.len() {
            // deprived flags first, then blanks (unknown: no data to evaluate the rule), then not deprived
            let v = if k < *dep {
                "1"
            } else if k < dep + unk {
                ""
            } else {
                "0"
            };
            csv.push_str(&format!(",{v}"));
        }
        csv.push('\n');
    }
    write(&tmp.path().join("in/households.csv"), &csv);
    let scored = run_and_read_scored(tmp.path());
    let col = |n: &str| scored.column_by_name(n).unwrap().as_string::<i32>().clone();
    let (ids, class, path) = (col("household_id"), col("class"), col("poor_path"));
    let mut checked = 0;
    for (id, _, _, _, _, _, dep, unk, want_class, want_path) in CASES {
        let i = (0..scored.num_rows())
            .find(|&i| ids.value(i) == *id)
            .expect(id);
        let got_path = if path.is_valid(i) { path.value(i) } else { "" };
        assert_eq!(
            (class.value(i), got_path),
            (*want_class, *want_path),
            "case {id} ({dep} deprived, {unk} unknown)"
        );
        checked += 1;
    }
    assert_eq!(checked, CASES.len());
    let possible = col("possible_classes");
    let i = (0..scored.num_rows())
        .find(|&i| ids.value(i) == "u-band")
        .unwrap();
    assert_eq!(possible.value(i), "poor|near_poor");
}

/// Age given without birth year (or the reverse) is read both ways: born
/// 1985 or 1986? aged 14 or 15? The answer stands only where both agree.
#[test]
fn an_age_without_birth_year_is_not_guessed_at_the_boundaries() {
    // (household, age, birth_year, education, in_school, expected class)
    // Each household: rural, 800,000 VND (near-poor band), 2 deprivations
    // pre-coded, so the third decides between near-poor and poor.
    let cases = [
        ("a34", "34", "", "primary", "0", "undetermined"), // born 1985 or 1986
        ("a33", "33", "", "primary", "0", "poor"),         // born 1986 or 1987: both eligible
        ("a35", "35", "", "primary", "0", "near_poor"),    // born 1984 or 1985: neither
        ("b1986", "", "1986", "primary", "0", "poor"),     // aged 33 or 34: eligible either way
        ("a34ok", "34", "", "upper_secondary", "0", "near_poor"), // schooling settles it
        ("c2005", "", "2005", "primary", "0", "undetermined"), // aged 14 or 15: child or adult rule
        ("c2006", "", "2006", "primary", "0", "poor"),     // aged 13 or 14: a child out of school
    ];
    let tmp = tempfile::tempdir().unwrap();
    let mut hh = String::from(
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month",
    );
    let mut mem = String::from("survey_year,household_id,member_id,age,birth_year,education_level,in_school,sick_last_12m,has_health_insurance,uses_phone,uses_internet\n");
    for id in IDS {
        if id != "adult_education" && id != "child_schooling" {
            hh.push_str(&format!(",dep_{id}"));
        }
    }
    hh.push('\n');
    for (id, age, born, edu, school, _) in cases {
        hh.push_str(&format!("2020,{id},89,rural,1,800000,1,1,0,0,0,0,0,0\n"));
        mem.push_str(&format!(
            "2020,{id},1,{age},{born},{edu},{school},0,1,1,1\n"
        ));
    }
    write(&tmp.path().join("in/households.csv"), &hh);
    write(&tmp.path().join("in/members.csv"), &mem);
    let scored = run_and_read_scored(tmp.path());
    let ids = scored
        .column_by_name("household_id")
        .unwrap()
        .as_string::<i32>()
        .clone();
    let class = scored
        .column_by_name("class")
        .unwrap()
        .as_string::<i32>()
        .clone();
    for (id, .., want) in cases {
        let i = (0..scored.num_rows())
            .find(|&i| ids.value(i) == id)
            .unwrap();
        assert_eq!(class.value(i), want, "household {id}");
    }
}

/// The 2022–2025 and 2027–2030 standards' ids, as their standard.toml list them.
const IDS_07: [&str; 12] = [
    "employment",
    "dependents",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "floor_area",
    "water_source",
    "latrine",
    "telecom",
    "info_access",
];
const IDS_351: [&str; 12] = [
    "employment",
    "dependents",
    "health_insurance",
    "nutrition",
    "adult_education",
    "child_schooling",
    "floor_area",
    "housing_quality",
    "digital_services",
    "water_source",
    "latrine",
    "waste_treatment",
];

/// (year, id, area, income per capita, total income, size, score A, deprived, unknown, class, path)
#[rustfmt::skip]
type Case2 = (u32, &'static str, &'static str, &'static str, &'static str, u32, &'static str, usize, usize, &'static str, &'static str);

#[rustfmt::skip]
const CASES_07_351: &[Case2] = &[
    // spec §8 vectors (D07, reviews 2022–2026)
    (2022, "s8-d07-1", "rural", "1500000", "", 1, "", 2, 0, "near_poor", ""),
    (2022, "s8-d07-2", "rural", "1500000", "", 1, "", 3, 0, "poor", "income_and_deprivation"),
    (2022, "s8-d07-3", "urban", "2000001", "", 1, "", 12, 0, "average", ""),
    (2022, "s8-d07-4", "rural", "1000000", "", 1, "", 0, 0, "near_poor", ""),
    // each line exactly and one dong above; d = 2 vs 3
    (2022, "d07-r-p+1", "rural", "1500001", "", 1, "", 12, 0, "average", ""),
    (2022, "d07-u-p-d2", "urban", "2000000", "", 1, "", 2, 0, "near_poor", ""),
    (2022, "d07-u-p-d3", "urban", "2000000", "", 1, "", 3, 0, "poor", "income_and_deprivation"),
    (2022, "d07-r-avg", "rural", "2250000", "", 1, "", 0, 0, "average", ""),
    (2022, "d07-r-avg+1", "rural", "2250001", "", 1, "", 0, 0, "not_poor", ""),
    (2022, "d07-u-avg", "urban", "3000000", "", 1, "", 0, 0, "average", ""),
    (2022, "d07-u-avg+1", "urban", "3000001", "", 1, "", 5, 0, "not_poor", ""),
    (2022, "d07-zero-d0", "rural", "0", "", 1, "", 0, 0, "near_poor", ""),
    // total income: 1,500,000 × 12 × 3 = 54,000,000 at the line
    (2022, "d07-t-at", "rural", "", "54000000", 3, "", 3, 0, "poor", "income_and_deprivation"),
    (2022, "d07-t-above", "rural", "", "54000001", 3, "", 3, 0, "average", ""),
    // review-form score A (Circular 07/2021): B = 10 × d, poor at B >= 30
    (2022, "tt07-u175-b20", "urban", "", "", 1, "175", 2, 0, "near_poor", ""),
    (2022, "tt07-u175-b30", "urban", "", "", 1, "175", 3, 0, "poor", "income_and_deprivation"),
    (2022, "tt07-u176", "urban", "", "", 1, "176", 12, 0, "not_poor", ""),
    (2022, "tt07-r140-b30", "rural", "", "", 1, "140", 3, 0, "poor", "income_and_deprivation"),
    (2022, "tt07-r141", "rural", "1000000", "", 1, "141", 12, 0, "not_poor", ""),
    // the score wins over income when both are given
    (2022, "tt07-r140-inc", "rural", "5000000", "", 1, "140", 0, 0, "near_poor", ""),
    // unknowns: the count is a range
    (2022, "d07-unk-band", "rural", "1400000", "", 1, "", 2, 1, "undetermined", ""),
    (2022, "d07-unk-above", "rural", "1600000", "", 1, "", 0, 12, "average", ""),
    (2022, "d07-unk-already", "urban", "1900000", "", 1, "", 3, 9, "poor", "income_and_deprivation"),
    (2022, "d07-unk-low", "urban", "1900000", "", 1, "", 0, 2, "near_poor", ""),
    // no income, no score: undetermined, but the known deprivations still bound it
    (2022, "d07-none-d0", "rural", "", "", 1, "", 0, 0, "undetermined", ""),
    (2022, "d07-none-d4", "urban", "", "", 1, "", 4, 0, "undetermined", ""),
    (2022, "d07-none-d2u1", "rural", "", "", 1, "", 2, 1, "undetermined", ""),
    // 2026 still under Decree 07/2021 (Decree 351/2025): the 2022–2025 lines
    (2026, "d07-2026", "rural", "1600000", "", 1, "", 3, 0, "average", ""),
    // spec §8 vector (D351, reviews 2027–2030) and its lines
    (2027, "s8-d351-1", "urban", "2800000", "", 1, "", 3, 0, "poor", "income_and_deprivation"),
    (2027, "d351-u-p+1", "urban", "2800001", "", 1, "", 3, 0, "not_poor", ""),
    (2027, "d351-r-p-d2", "rural", "2200000", "", 1, "", 2, 0, "near_poor", ""),
    (2027, "d351-r-p-d3", "rural", "2200000", "", 1, "", 3, 0, "poor", "income_and_deprivation"),
    // no average band under Decree 351/2025 (unconfirmed): above the line is not poor
    (2027, "d351-r-p+1", "rural", "2200001", "", 1, "", 0, 0, "not_poor", ""),
    (2027, "d351-t-at", "urban", "", "67200000", 2, "", 3, 0, "poor", "income_and_deprivation"),
    // no score path under Decree 351/2025: a score alone classifies nothing
    (2030, "d351-score-only", "urban", "", "", 1, "100", 5, 0, "undetermined", ""),
];

/// Decree 07/2021 and Decree 351/2025 at every line, through `run` with the
/// default `--standard auto`: 2022 and 2026 under vn-2022-2025, 2027 and
/// 2030 under vn-2027-2030, in one input file.
#[test]
fn decree_07_and_351_boundaries_end_to_end_under_auto() {
    let tmp = tempfile::tempdir().unwrap();
    let mut all_ids: Vec<&str> = IDS_07.to_vec();
    all_ids.extend(IDS_351.iter().filter(|i| !IDS_07.contains(i)));
    let mut csv = String::from("survey_year,household_id,province_code,area,household_size,income_per_capita_month,income_total_year,score_a");
    for id in &all_ids {
        csv.push_str(&format!(",dep_{id}"));
    }
    csv.push('\n');
    for (year, id, area, ipc, tot, size, score, dep, unk, _, _) in CASES_07_351 {
        let ids: &[&str] = if *year >= 2027 { &IDS_351 } else { &IDS_07 };
        csv.push_str(&format!("{year},{id},75,{area},{size},{ipc},{tot},{score}"));
        for flag in &all_ids {
            // This year's indicators: deprived first, then unknown, then not deprived.
            let v = match ids.iter().position(|i| i == flag) {
                Some(k) if k < *dep => "1",
                Some(k) if k < dep + unk => "",
                Some(_) => "0",
                None => "",
            };
            csv.push_str(&format!(",{v}"));
        }
        csv.push('\n');
    }
    write(&tmp.path().join("in/households.csv"), &csv);
    let o = dachieu(tmp.path(), &["run", "--no-report", "in", "--out", "out"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains("vn-2027-2030 0.1.0 (provisional)")
            && o.stdout
                .contains("survey year 2027 (vn-2027-2030 0.1.0, PROVISIONAL)"),
        "{}",
        o.stdout
    );
    let mut checked = 0;
    for year in [2022, 2026, 2027, 2030] {
        let scored = dachieu::dataset::read_parquet(
            &tmp.path()
                .join(format!("out/scored/survey_year={year}/scored.parquet")),
        )
        .unwrap();
        let want_standard = if year >= 2027 {
            "vn-2027-2030"
        } else {
            "vn-2022-2025"
        };
        let meta = scored.schema().metadata().clone();
        assert_eq!(meta[dachieu::score::META_STANDARD], want_standard);
        assert_eq!(
            meta[dachieu::score::META_PROVISIONAL],
            (year >= 2027).to_string()
        );
        let col = |n: &str| scored.column_by_name(n).unwrap().as_string::<i32>().clone();
        let (ids, class, path) = (col("household_id"), col("class"), col("poor_path"));
        for (y, id, _, _, _, _, _, dep, unk, want_class, want_path) in CASES_07_351 {
            if *y != year {
                continue;
            }
            let i = (0..scored.num_rows())
                .find(|&i| ids.value(i) == *id)
                .expect(id);
            let got_path = if path.is_valid(i) { path.value(i) } else { "" };
            assert_eq!(
                (class.value(i), got_path),
                (*want_class, *want_path),
                "case {id} ({year}: {dep} deprived, {unk} unknown)"
            );
            checked += 1;
        }
        if year == 2022 {
            // Under the intersection rule a household known to have no
            // deprivation can never be poor, nor one with four near-poor.
            let possible = col("possible_classes");
            for (id, want) in [
                ("d07-none-d0", "near_poor|average|not_poor"),
                ("d07-none-d4", "poor|average|not_poor"),
                ("d07-none-d2u1", "poor|near_poor|average|not_poor"),
            ] {
                let i = (0..scored.num_rows())
                    .find(|&i| ids.value(i) == id)
                    .unwrap();
                assert_eq!(possible.value(i), want, "{id}");
            }
        }
    }
    assert_eq!(checked, CASES_07_351.len());
}

/// Under `--standard auto` the rows of a year no national standard covers
/// are quarantined with the reason and the other years are scored; a named
/// standard scores that year with a warning.
#[test]
fn auto_quarantines_a_year_no_standard_covers() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("in/households.csv"),
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n\
         2015,a,89,rural,1,500000\n2020,b,89,rural,1,500000\n",
    );
    // The row of 2015 is quarantined with the reason (issue 18: one bad
    // year no longer stops the run); 2020 is scored.
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            "--no-report",
            "in",
            "--out",
            "out",
            "--members",
            "none",
        ],
    );
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    let q = std::fs::read_to_string(tmp.path().join("out/quarantine.csv")).unwrap();
    assert!(
        q.contains("no standard covers survey year 2015")
            && q.contains("vn-2016-2020 covers 2016–2021"),
        "{q}"
    );
    assert!(tmp.path().join("out/scored/survey_year=2020").exists());
    assert!(!tmp.path().join("out/scored/survey_year=2015").exists());
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            "--no-report",
            "in",
            "--out",
            "out",
            "--standard",
            "vn-2016-2020",
            "--members",
            "none",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout
            .contains("survey year 2015 is outside the review years 2016–2021"),
        "{}",
        o.stdout
    );
}
