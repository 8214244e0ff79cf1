//! The global MPI (`indicators/global-mpi`) and the weighted rule end to end:
//! its examples, exact identification at 1/3 and at the 1/5 and 1/2 bands,
//! a six-household fixture computed by hand (tests/mpi/hand.py) for persons
//! and households, malformed weighted standards, one household under each
//! standard, and years under the MPI and a national standard side by side.

use crate::common::*;
use crate::tolerance::*;
use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use std::path::Path;

/// The global MPI's indicators, in its order (nested weights 1/6 ×4, 1/18 ×6).
const IDS: [&str; 10] = [
    "nutrition",
    "child_mortality",
    "years_schooling",
    "school_attendance",
    "cooking_fuel",
    "sanitation",
    "drinking_water",
    "electricity",
    "housing",
    "assets",
];

/// `dachieu run --no-report in --out out --standard <standard>` in `dir`;
/// the scored households of `year`.
fn run_scored(dir: &Path, standard: &str, year: i32) -> RecordBatch {
    let o = dachieu(
        dir,
        &[
            "run",
            "--no-report",
            "in",
            "--out",
            "out",
            "--by",
            "province",
            "--format",
            "csv",
            "--standard",
            standard,
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    dachieu::dataset::read_parquet(
        &dir.join(format!("out/scored/survey_year={year}/scored.parquet")),
    )
    .unwrap()
}

/// Row `i`'s text in column `name` ("" when null).
fn text(b: &RecordBatch, name: &str, i: usize) -> String {
    let a = b
        .column_by_name(name)
        .unwrap_or_else(|| panic!("no {name}"));
    if let Some(s) = a.as_string_opt::<i32>() {
        return if s.is_valid(i) {
            s.value(i).to_string()
        } else {
            String::new()
        };
    }
    let b = a.as_boolean();
    if b.is_valid(i) {
        b.value(i).to_string()
    } else {
        String::new()
    }
}

fn row_of(b: &RecordBatch, id: &str) -> usize {
    (0..b.num_rows())
        .find(|&i| text(b, "household_id", i) == id)
        .unwrap_or_else(|| panic!("household {id} not scored"))
}

/// Households given by pre-coded `dep_*` flags: `1` deprived, `0` not,
/// `u` unknown (blank: nothing to evaluate the rule on).
fn flag_households(dir: &Path, ids: &[&str], cases: &[(&str, &str)]) {
    let mut csv = String::from("survey_year,household_id,province_code,area,household_size");
    for id in ids {
        csv.push_str(&format!(",dep_{id}"));
    }
    csv.push('\n');
    for (hid, flags) in cases {
        assert_eq!(flags.len(), ids.len(), "{hid}");
        csv.push_str(&format!("2024,{hid},01,rural,1"));
        for f in flags.chars() {
            csv.push(',');
            match f {
                '1' => csv.push('1'),
                '0' => csv.push('0'),
                _ => {}
            }
        }
        csv.push('\n');
    }
    write(&dir.join("in/households.csv"), &csv);
}

#[test]
fn every_global_mpi_example_passes_and_the_weights_are_nested() {
    let st = dachieu::standard::resolve("global-mpi").unwrap();
    let ids: Vec<&str> = st.indicators.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, IDS);
    let w: Vec<String> = st.indicators.iter().map(|i| i.weight.to_string()).collect();
    assert_eq!(
        w,
        ["1/6", "1/6", "1/6", "1/6", "1/18", "1/18", "1/18", "1/18", "1/18", "1/18"]
    );
    let dims: Vec<&str> = st.indicators.iter().map(|i| i.dimension.as_str()).collect();
    assert_eq!(&dims[..4], ["health", "health", "education", "education"]);
    assert!(dims[4..].iter().all(|d| *d == "living_standards"));
    let (failures, n) = dachieu::score::examples::run_examples(&st);
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(n >= 70, "every boundary has its example ({n})");
    for ind in &st.indicators {
        assert!(ind.examples.len() >= 3, "{} has too few examples", ind.id);
    }
    let o = dachieu(&repo(), &["standards", "check", "global-mpi"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("examples pass"), "{}", o.stdout);
    let o = dachieu(&repo(), &["standards", "show", "global-mpi"]);
    assert!(
        o.stdout.contains("rule: weighted: ")
            && o.stdout.contains("multidimensionally poor if c ≥ 1/3")
            && o.stdout.contains("Vulnerable to poverty if 1/5 ≤ c < 1/3"),
        "{}",
        o.stdout
    );
    let o = dachieu(&repo(), &["standards", "list"]);
    assert!(o.stdout.contains("global-mpi"), "{}", o.stdout);
}

/// (household, flags in IDS order, class, severe, possible classes)
#[rustfmt::skip]
const WEIGHTED_CASES: &[(&str, &str, &str, &str, &str)] = &[
    // exactly 1/3, three ways: never missed by rounding
    ("third-a", "1000111000", "poor", "false", ""),        // 1/6 + 3 × 1/18
    ("third-b", "1001000000", "poor", "false", ""),        // 1/6 + 1/6
    ("third-c", "0000111111", "poor", "false", ""),        // 6 × 1/18
    ("third-minus", "1000110000", "vulnerable", "false", ""), // 1/3 − 1/18 = 5/18
    ("vuln-low", "1000100000", "vulnerable", "false", ""), // 4/18 = 0.222 ≥ 1/5
    ("below-fifth", "1000000000", "not_poor", "false", ""), // 3/18 = 0.167 < 1/5
    ("zero", "0000000000", "not_poor", "false", ""),
    ("half", "1100111000", "poor", "true", ""),            // 9/18 = 1/2 exactly: severe
    ("half-minus", "1100110000", "poor", "false", ""),     // 8/18
    ("all", "1111111111", "poor", "true", ""),
    // unknowns: the score is a range; only reachable classes are possible
    ("u-jump", "1u00000000", "undetermined", "false", "poor|not_poor"), // 3/18 or 6/18, never vulnerable
    ("u-vuln", "1000uu0000", "undetermined", "false", "vulnerable|not_poor"), // 3, 4 or 5 /18
    ("u-safe", "11u1000000", "poor", "true", ""),          // 9/18 or 12/18: poor and severe either way
    ("u-severe", "1100110u00", "poor", "", ""),            // 8/18 or 9/18: poor; severe unknown
];

#[test]
fn one_third_is_poor_exactly_and_the_bands_hold() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, &str)> = WEIGHTED_CASES.iter().map(|c| (c.0, c.1)).collect();
    flag_households(tmp.path(), &IDS, &cases);
    let b = run_scored(tmp.path(), "global-mpi", 2024);
    for (hid, _, class, severe, possible) in WEIGHTED_CASES {
        let i = row_of(&b, hid);
        assert_eq!(
            (
                text(&b, "class", i),
                text(&b, "severe", i),
                text(&b, "possible_classes", i)
            ),
            (class.to_string(), severe.to_string(), possible.to_string()),
            "household {hid}"
        );
        assert_eq!(text(&b, "measure", i), "deprivation_score");
        assert_eq!(
            text(&b, "poor_path", i),
            "",
            "no income path under the weighted rule"
        );
    }
    // The score range of a household with unknowns, as the exact fractions read.
    let lo = b.column_by_name("deprivation_score_min").unwrap();
    let hi = b.column_by_name("deprivation_score_max").unwrap();
    let (lo, hi) = (
        lo.as_primitive::<arrow_array::types::Float64Type>(),
        hi.as_primitive::<arrow_array::types::Float64Type>(),
    );
    let i = row_of(&b, "u-jump");
    assert_eq!((lo.value(i), hi.value(i)), (1.0 / 6.0, 1.0 / 3.0));
    let i = row_of(&b, "third-a");
    assert_eq!(lo.value(i), 1.0 / 3.0, "6/18 reads as 1/3");
    // The scored file names the standard's classes honestly.
    let meta = b.schema_ref().metadata().clone();
    assert_eq!(meta["dachieu.rule"], "weighted");
    assert_eq!(meta["dachieu.classes"], "poor,vulnerable,not_poor");
    assert_eq!(meta["dachieu.cutoff"], "1/3");
    assert_eq!(meta["dachieu.severe"], "1/2");
    assert_eq!(meta["dachieu.vulnerable"], "1/5");
    // The rates table has columns for those classes only.
    let rates = read_rows(&tmp.path().join("out/tables/rates_province.csv"));
    let vn = &rates[0];
    for col in [
        "poor",
        "vulnerable",
        "severe",
        "severe_pct",
        "vulnerable_pct",
        "af_H_person",
    ] {
        assert!(vn.contains_key(col), "rates lack {col}");
    }
    for col in ["near_poor", "average", "poor_income", "near_poor_pct"] {
        assert!(!vn.contains_key(col), "rates of the MPI have {col}");
    }
    assert_eq!(vn["undetermined"], "2");
    assert_eq!(vn["poor"], "8");
    assert_eq!(vn["vulnerable"], "2");
}

#[test]
fn bands_at_exactly_one_fifth_and_one_half() {
    // The global MPI's indicators, re-weighted 1/10 each: 1/5 and 1/2 are
    // reachable exactly (2 and 5 deprivations).
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("tenths");
    std::fs::create_dir_all(&dir).unwrap();
    for e in std::fs::read_dir(repo().join("indicators/global-mpi")).unwrap() {
        let e = e.unwrap();
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text = text
            .replace("weight = \"1/6\"", "weight = \"1/10\"")
            .replace("weight = \"1/18\"", "weight = \"1/10\"")
            .replace("id = \"global-mpi\"", "id = \"mpi-tenths\"");
        std::fs::write(dir.join(e.file_name()), text).unwrap();
    }
    let cases = [
        ("one", "1000000000", "not_poor", "false"),
        ("fifth", "1100000000", "vulnerable", "false"), // 2/10 = 1/5 exactly
        ("three", "1110000000", "vulnerable", "false"), // 3/10 < 1/3: not rounded up
        ("four", "1111000000", "poor", "false"),        // 4/10 ≥ 1/3, < 1/2
        ("half", "1111100000", "poor", "true"),         // 5/10 = 1/2 exactly
    ];
    flag_households(tmp.path(), &IDS, &cases.map(|c| (c.0, c.1)));
    let b = run_scored(tmp.path(), dir.to_str().unwrap(), 2024);
    for (hid, _, class, severe) in cases {
        let i = row_of(&b, hid);
        assert_eq!(
            (text(&b, "class", i), text(&b, "severe", i)),
            (class.to_string(), severe.to_string()),
            "household {hid}"
        );
    }
}

fn float(s: &str) -> f64 {
    s.parse()
        .unwrap_or_else(|_| panic!("`{s}` is not a number"))
}

/// tests/mpi/input: six households with sizes and weights, every indicator
/// evaluated from the raw columns; tests/mpi/hand.py computed each
/// household's score and H, A, M0 for households and persons with exact
/// fractions. The CLI's scored file, estimates, rates table and report agree.
#[test]
fn hand_computed_six_households_for_persons_and_households() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/mpi");
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            p(&fixture.join("input")),
            "--out",
            "out",
            "--standard",
            "global-mpi",
            "--format",
            "csv",
            "--lang",
            "vi,en",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("poor 3 (severe 2)"), "{}", o.stdout);
    let out = tmp.path().join("out");

    let scored =
        dachieu::dataset::read_parquet(&out.join("scored/survey_year=2024/scored.parquet"))
            .unwrap();
    let score = scored
        .column_by_name("deprivation_score_min")
        .unwrap()
        .as_primitive::<arrow_array::types::Float64Type>()
        .clone();
    for want in read_rows(&fixture.join("expected_households.csv")) {
        let i = row_of(&scored, &want["household_id"]);
        let id = &want["household_id"];
        assert_eq!(text(&scored, "class", i), want["class"], "{id}");
        assert_eq!(text(&scored, "severe", i), want["severe"], "{id}");
        let exact = dachieu::exact::rational::Ratio::parse(&want["score"]).unwrap();
        assert_eq!(score.value(i), exact.value(), "{id} score");
        for ind in IDS {
            assert!(!text(&scored, ind, i).is_empty(), "{id}: {ind} unknown");
        }
    }

    let est = read_rows(&out.join("tables/estimates.csv"));
    let national = |level: &str, measure: &str, k: &str| -> f64 {
        let r = est
            .iter()
            .find(|r| {
                r["level"] == "total"
                    && r["unit_of_analysis"] == level
                    && r["measure"] == measure_of(level, measure)
                    && r["k"] == k
            })
            .unwrap_or_else(|| panic!("no national {level} {measure} at k = {k}"));
        float(&r["estimate"])
    };
    let want = read_rows(&fixture.join("expected_measures.csv"));
    assert_eq!(want.len(), 2 * 13);
    for w in &want {
        let got = national(&w["level"], &w["measure"], &w["k"]);
        let e = float(&w["estimate"]);
        assert!(
            (got - e).abs() < VS_HAND,
            "{} {} at k = {}: engine {got}, by hand {e}",
            w["level"],
            w["measure"],
            w["k"]
        );
    }
    let expect = |level: &str, measure: &str, k: &str| {
        want.iter()
            .find(|w| w["level"] == level && w["measure"] == measure && w["k"] == k)
            .map(|w| float(&w["estimate"]))
            .unwrap()
    };

    // The rates table's headline columns: H, A, M0 for persons and households.
    let rates = read_rows(&out.join("tables/rates_province.csv"));
    let vn = rates.iter().find(|r| r["code"] == "VN").unwrap();
    assert_eq!(vn["af_k"], "1/3");
    for (col, level, m) in [
        ("af_H", "household", "H"),
        ("af_A", "household", "A"),
        ("af_M0", "household", "M0"),
        ("af_H_person", "person", "H"),
        ("af_A_person", "person", "A"),
        ("af_M0_person", "person", "M0"),
    ] {
        assert!(
            (float(&vn[col]) - expect(level, m, "1/3")).abs() < VS_HAND,
            "{col}"
        );
    }
    for (col, level, m) in [
        ("poor_pct", "household", "poor_rate"),
        ("vulnerable_pct", "household", "vulnerable_rate"),
        ("severe_pct", "household", "severe_rate"),
        ("poor_person_pct", "person", "poor_rate"),
        ("vulnerable_person_pct", "person", "vulnerable_rate"),
        ("severe_person_pct", "person", "severe_rate"),
    ] {
        assert!(
            (float(&vn[col]) - 100.0 * expect(level, m, "")).abs() < PERCENT_VS_HAND,
            "{col}"
        );
    }

    // The report: the person headline first, households beside it, and no
    // income-based class anywhere.
    let en = std::fs::read_to_string(out.join("report/report_en.html")).unwrap();
    let vi = std::fs::read_to_string(out.join("report/report_vi.html")).unwrap();
    assert!(
        en.contains("id=\"mpi-h-person-2024\">49.12%"),
        "person H in the report"
    );
    assert!(en.contains("id=\"mpi-h-household-2024\">28.57%"));
    assert!(en.contains("id=\"mpi-m0-person-2024\">0.269"));
    assert!(en.contains("id=\"mpi-vulnerable-person-2024\">21.05%"));
    assert!(en.contains("id=\"mpi-severe-person-2024\">28.07%"));
    assert!(en.contains("Vulnerable to multidimensional poverty"));
    assert!(
        vi.contains("id=\"mpi-h-person-2024\">49,12"),
        "Vietnamese decimals"
    );
    assert!(
        !en.to_lowercase().contains("near-poor"),
        "MPI report says near-poor"
    );
    assert!(!vi.contains("cận nghèo"), "MPI report says cận nghèo");
}

#[test]
fn a_malformed_weighted_standard_reports_every_problem_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = |name: &str| copy_standard("global-mpi", &tmp.path().join(name));
    let edit = edit_file;
    let has = |err: &str, file: &str, words: &str| {
        err.lines().any(|l| {
            l.contains(file)
                && l.contains(words)
                && l.split(':')
                    .nth(1)
                    .is_some_and(|n| n.trim().parse::<u32>().is_ok())
        })
    };

    // 1. weights summing to 0.99; 2. a cut-off written as a decimal number;
    // 3. the severe band as a decimal number; 4. an unknown band; 5. income
    // lines under the weighted rule; 6. bad rule syntax.
    let a = copy("a");
    edit(
        &a,
        "assets.toml",
        "weight = \"1/18\"",
        "weight = \"41/900\"",
    );
    edit(&a, "standard.toml", "cutoff = \"1/3\"", "cutoff = 0.333");
    edit(
        &a,
        "standard.toml",
        "severe = \"1/2\"",
        "severe = 0.5\nmoderate = \"1/4\"",
    );
    edit(
        &a,
        "standard.toml",
        "[bands]",
        "[income.rural]\npoverty = 1\n[income.urban]\npoverty = 1\n\n[bands]",
    );
    edit(
        &a,
        "electricity.toml",
        "deprived_if = \"not has_electricity\"",
        "deprived_if = \"has_electricity ==\"",
    );
    let o = dachieu(tmp.path(), &["standards", "check", p(&a)]);
    assert_error_snapshot("standards-weighted-broken-a", &o, tmp.path());
    let err = &o.stderr;
    assert!(
        has(err, "standard.toml", "weights sum to 99/100"),
        "weights: {err}"
    );
    assert!(err.contains("must sum to exactly 1"), "{err}");
    assert!(has(err, "standard.toml", "cutoff = 0.333"), "cutoff: {err}");
    assert!(
        has(err, "standard.toml", "bands.severe = 0.5"),
        "severe: {err}"
    );
    assert!(
        has(err, "standard.toml", "unknown key `moderate`"),
        "band: {err}"
    );
    assert!(
        has(err, "standard.toml", "remove the [income.*] tables"),
        "income: {err}"
    );
    assert!(
        has(err, "electricity.toml", "has_electricity"),
        "rule: {err}"
    );

    // 7. bands on the wrong side of the cut-off; 8. a cut-off above 1;
    // 9. a count cut-off under a count rule written as a share.
    let b = copy("b");
    edit(
        &b,
        "standard.toml",
        "vulnerable = \"1/5\"",
        "vulnerable = \"1/2\"",
    );
    edit(&b, "standard.toml", "severe = \"1/2\"", "severe = \"1/4\"");
    let o = dachieu(tmp.path(), &["standards", "check", p(&b)]);
    assert_error_snapshot("standards-weighted-broken-b", &o, tmp.path());
    assert!(
        has(
            &o.stderr,
            "standard.toml",
            "bands.vulnerable (1/2) must be below the cut-off (1/3)"
        ),
        "{}",
        o.stderr
    );
    assert!(
        has(
            &o.stderr,
            "standard.toml",
            "bands.severe (1/4) must be above the cut-off (1/3)"
        ),
        "{}",
        o.stderr
    );
    let c = copy("c");
    edit(&c, "standard.toml", "cutoff = \"1/3\"", "cutoff = \"4/3\"");
    let o = dachieu(tmp.path(), &["standards", "check", p(&c)]);
    assert!(
        has(
            &o.stderr,
            "standard.toml",
            "cutoff 4/3 must be a share of the weights above 0 and at most 1"
        ),
        "{}",
        o.stderr
    );
    let d = copy("d");
    edit(
        &d,
        "standard.toml",
        "rule = \"weighted\"",
        "rule = \"union\"",
    );
    let o = dachieu(tmp.path(), &["standards", "check", p(&d)]);
    let err = &o.stderr;
    assert!(has(err, "standard.toml", "must be a whole number"), "{err}");
    assert!(has(err, "standard.toml", "needs income lines"), "{err}");
    assert!(
        has(err, "standard.toml", "go with rule = \"weighted\" only"),
        "{err}"
    );
}

/// The same household under each standard, and the class its documentation
/// gives. Income decides the 2016–2020 classes here; deprivations decide the
/// MPI's, which uses no income.
#[rustfmt::skip]
const SAME_HOUSEHOLD: &[(&str, &str, &str, &str)] = &[
    // (household, what it is, vn-2016-2020, global-mpi)
    ("A", "income 500,000 (poor by income), no MPI deprivation", "poor", "not_poor"),
    ("B", "income 2,000,000 (above the average band), a thin adult and a child out of school: 1/6 + 1/6 = 1/3", "not_poor", "poor"),
    ("C", "income 1,200,000 (average band), a thin adult, wood fuel, no electricity: 5/18", "average", "vulnerable"),
];

#[test]
fn the_same_household_under_each_standard_gives_the_documented_class() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("in/households.csv"),
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month,child_deaths_5y,cooking_fuel,latrine,latrine_shared,water_source,water_minutes,has_electricity,floor_finished,roof_durable,walls_durable,has_radio,has_tv,has_phone,has_computer,has_animal_cart,has_bicycle,has_motorbike,has_fridge,has_car\n\
         2020,A,01,rural,2,500000,0,gas,septic_tank,0,piped,0,1,1,1,1,0,1,1,0,0,0,1,0,0\n\
         2020,B,01,rural,2,2000000,0,gas,septic_tank,0,piped,0,1,1,1,1,0,1,1,0,0,0,1,0,0\n\
         2020,C,01,rural,2,1200000,0,wood,septic_tank,0,piped,0,0,1,1,1,0,1,1,0,0,0,1,0,0\n",
    );
    write(
        &tmp.path().join("in/members.csv"),
        "survey_year,household_id,member_id,age,bmi,years_schooling,in_school\n\
         2020,A,1,40,22.0,9,0\n2020,A,2,12,,6,1\n\
         2020,B,1,40,17.0,9,0\n2020,B,2,12,,6,0\n\
         2020,C,1,40,17.0,9,0\n2020,C,2,12,,6,1\n",
    );
    for (k, standard) in ["vn-2016-2020", "global-mpi"].iter().enumerate() {
        let dir = tmp.path().join(standard);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(dir.join("in")).unwrap();
        for f in ["households.csv", "members.csv"] {
            std::fs::copy(tmp.path().join("in").join(f), dir.join("in").join(f)).unwrap();
        }
        let b = run_scored(&dir, standard, 2020);
        for case in SAME_HOUSEHOLD {
            let want = if k == 0 { case.2 } else { case.3 };
            let i = row_of(&b, case.0);
            assert_eq!(
                text(&b, "class", i),
                want,
                "household {} ({}) under {standard}",
                case.0,
                case.1
            );
        }
    }
}

/// Years scored under standards with different classes — the global MPI for
/// 2020 and 2021, Decree 07/2021 for 2022 — tabulate side by side: the class
/// columns are those of both standards, a year's row leaves blank the
/// classes its standard lacks, each year's numbers are those of tabulating
/// it alone, and the changes across the two standards are the class rates
/// both define, flagged.
#[test]
fn years_under_a_weighted_and_a_count_standard_tabulate_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let run = |args: &[&str]| {
        let o = dachieu(t, args);
        assert_eq!(o.code, 0, "{args:?}: {}{}", o.stdout, o.stderr);
    };
    run(&[
        "ingest",
        p(&sample_dir()),
        "--dataset",
        "ds",
        "--quarantine",
        "q.csv",
    ]);
    let score = |out: &str, years: &str, standard: &str| {
        run(&[
            "score",
            "--dataset",
            "ds",
            "--out",
            out,
            "--years",
            years,
            "--standard",
            standard,
        ])
    };
    score("mixed", "2020,2021", "global-mpi");
    score("mixed", "2022", "auto");
    score("mpi", "2020,2021", "global-mpi");
    score("d07", "2022", "auto");
    for name in ["mixed", "mpi", "d07"] {
        run(&[
            "tables",
            "--scored",
            name,
            "--out",
            &format!("tables_{name}"),
            "--format",
            "csv",
        ]);
    }
    let rows = |name: &str, file: &str| read_rows(&t.join(format!("tables_{name}/{file}.csv")));
    let mixed = rows("mixed", "rates_province");
    let cols: Vec<&String> = mixed[0].keys().collect();
    for c in [
        "poor",
        "severe",
        "vulnerable",
        "near_poor",
        "average",
        "not_poor",
        "poor_income",
        "af_H_person",
    ] {
        assert!(cols.iter().any(|x| *x == c), "no column {c}: {cols:?}");
    }
    // Each year's row is the row of tabulating that year alone; a column its
    // standard's table does not have is blank.
    for (single, years) in [("mpi", ["2020", "2021"].as_slice()), ("d07", &["2022"])] {
        let alone = rows(single, "rates_province");
        for want in &alone {
            assert!(years.contains(&want["survey_year"].as_str()));
            let got = mixed
                .iter()
                .find(|r| {
                    ["survey_year", "level", "code"]
                        .iter()
                        .all(|k| r[*k] == want[*k])
                })
                .unwrap_or_else(|| panic!("{want:?} not in the mixed table"));
            for (k, v) in got {
                match want.get(k) {
                    Some(w) => assert_eq!(v, w, "{k} of {want:?}"),
                    None if k.starts_with("af_") => {}
                    None => assert_eq!(v, "", "{k} is not a column of {single}: blank"),
                }
            }
        }
    }
    let national = |year: &str| {
        mixed
            .iter()
            .find(|r| r["survey_year"] == year && r["level"] == "total")
            .unwrap()
    };
    let (a, b) = (national("2021"), national("2022"));
    assert_eq!(
        (a["standard"].as_str(), b["standard"].as_str()),
        ("global-mpi", "vn-2022-2025")
    );
    assert!(!a["vulnerable"].is_empty() && !a["severe"].is_empty());
    assert!(a["near_poor"].is_empty() && a["average"].is_empty() && a["poor_income"].is_empty());
    assert!(!b["near_poor"].is_empty() && !b["average"].is_empty());
    assert!(b["vulnerable"].is_empty() && b["severe"].is_empty());
    // Decree 07/2021's intersection rule has no paths to poor.
    assert!(b["poor_income"].is_empty() && b["poor_deprivation_pct"].is_empty());
    assert_eq!((a["af_k"].as_str(), b["af_k"].as_str()), ("1/3", "1/4"));
    // Every household is in one class column of its year (or undetermined, excluded).
    for r in [a, b] {
        let sum: f64 = [
            "poor",
            "vulnerable",
            "near_poor",
            "average",
            "not_poor",
            "undetermined",
            "excluded",
        ]
        .iter()
        .filter_map(|c| r[*c].parse::<f64>().ok())
        .sum();
        assert_eq!(sum.to_string(), r["households_weighted"], "{r:?}");
    }
    // Estimates: each year under its own standard's layout, as when alone.
    let key = |r: &Row| {
        [
            "survey_year",
            "unit_of_analysis",
            "level",
            "code",
            "measure",
            "indicator",
            "k",
            "deprivations",
        ]
        .map(|k| r[k].clone())
    };
    let est = rows("mixed", "estimates");
    let by_key: std::collections::HashMap<_, &Row> = est.iter().map(|r| (key(r), r)).collect();
    for single in ["mpi", "d07"] {
        for want in rows(single, "estimates") {
            let got = by_key.get(&key(&want));
            let got = got.unwrap_or_else(|| panic!("{:?} not in the mixed estimates", key(&want)));
            assert_eq!(got["estimate"], want["estimate"], "{:?}", key(&want));
        }
    }
    assert!(est
        .iter()
        .any(|r| r["survey_year"] == "2021" && r["measure"] == "vulnerable_rate"));
    assert!(!est
        .iter()
        .any(|r| r["survey_year"] == "2022" && r["measure"] == "vulnerable_rate"));
    assert!(!est
        .iter()
        .any(|r| r["survey_year"] == "2022" && r["measure"] == "poor_income_rate"));
    // Changes 2021 → 2022: only class rates both standards define, flagged.
    let changes: Vec<Row> = rows("mixed", "estimates_change")
        .into_iter()
        .filter(|r| r["from_year"] == "2021")
        .collect();
    assert!(!changes.is_empty());
    for r in &changes {
        assert!(
            ["poor_rate", "not_poor_rate", "undetermined_rate"]
                .iter()
                .any(|m| r["measure"] == measure_of(&r["unit_of_analysis"], m)),
            "{r:?}"
        );
        assert!(r["cell_flags"].contains("standard_changed"), "{r:?}");
        assert_eq!(
            (r["standard_from"].as_str(), r["standard_to"].as_str()),
            ("global-mpi", "vn-2022-2025")
        );
    }
    // 2020 → 2021, one standard: every estimate changes, unflagged by it.
    assert!(rows("mixed", "estimates_change")
        .iter()
        .any(|r| r["from_year"] == "2020" && r["measure"] == "M0"));
}
