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
