//! Years in the 34-unit scheme (from 1 July 2025): they ingest with their
//! own province codes, a code of the other scheme is quarantined with the
//! reason, provinces are named by the year's scheme, and a comparison
//! across the reform — on `dachieu synth` data, which writes the new scheme
//! for years from 2025 — gives per-commune rates through the crosswalk,
//! split communes in one group with all their parts, every household of
//! the earlier year counted once.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn run_ok(dir: &Path, args: &[&str]) {
    let o = dachieu(dir, args);
    assert_eq!(o.code, 0, "{args:?}\n{}{}", o.stdout, o.stderr);
}

#[test]
fn a_34_unit_year_ingests_and_names_its_provinces_by_its_scheme() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write(
        &d.join("in/households.csv"),
        "survey_year,household_id,province_code,district_code,area,household_size,income_per_capita_month\n\
         2024,a1,91,,rural,2,500000\n\
         2024,a2,89,,rural,2,5000000\n\
         2026,b1,91,,rural,2,500000\n\
         2026,b2,89,,rural,2,5000000\n\
         2026,b3,91,883,rural,2,500000\n\
         2026,b4,91,,rural,2,5000000\n",
    );
    let o = dachieu(
        d,
        &[
            "run",
            "in",
            "--out",
            "out",
            "--members",
            "none",
            "--no-report",
            "--format",
            "csv",
        ],
    );
    // Two rows of six quarantined: the run warns (exit 1) and goes on.
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(o.stderr.contains("2 of the 6 rows read"), "{}", o.stderr);
    let q = std::fs::read_to_string(d.join("out/quarantine.csv")).unwrap();
    assert!(
        q.contains(
            "`province_code` 89 is not one of the 34 provincial units in force from 01/07/2025"
        ) && q.contains("(An Giang is 91 since then)"),
        "{q}"
    );
    assert!(
        q.contains("`district_code` 883 is given for survey year 2026"),
        "{q}"
    );
    assert_eq!(q.lines().count(), 3, "two rows quarantined:\n{q}");
    // Province 91 is Kiên Giang in 2024 and An Giang in 2026.
    let rates = read_rows(&d.join("out/tables/rates_province.csv"));
    let name = |y: &str| {
        (rates.iter())
            .find(|r| r["survey_year"] == y && r["code"] == "91")
            .map(|r| r["name"].clone())
    };
    assert_eq!(name("2024").as_deref(), Some("Kiên Giang"));
    assert_eq!(name("2026").as_deref(), Some("An Giang"));
    // So do the summary forms and the follow-up lists of 2026.
    let forms = read_rows(&d.join("out/tables/form_lists.csv"));
    let unit = (forms.iter())
        .find(|r| r["to_year"] == "2026" && r["level"] == "total")
        .expect("the total row of the 2026 forms");
    assert_eq!(unit["name"], "Tỉnh An Giang");
    assert!(
        d.join("out/lists/2026/91_An_Giang").is_dir(),
        "{:?}",
        std::fs::read_dir(d.join("out/lists/2026")).map(|r| r.count())
    );
    // Across the reform by province: 89 and 91 of 2024 are unit 91.
    let o = dachieu(
        d,
        &[
            "compare",
            "--scored",
            "out/scored",
            "--out",
            "cmp",
            "--from",
            "2024",
            "--to",
            "2026",
            "--format",
            "csv",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let summary = read_rows(&d.join("cmp/transitions_summary_province.csv"));
    let unit = summary.iter().find(|r| r["code"] == "91").unwrap();
    assert_eq!(unit["level"], "unit2025");
    assert_eq!(unit["name"], "An Giang");
    assert_eq!(unit["comparability"], "merged");
    assert_eq!(unit["codes_from"], "89,91");
    assert_eq!(
        (
            unit["households_from"].as_str(),
            unit["households_to"].as_str()
        ),
        ("2", "2")
    );
}

/// The bundled targets' 2020 and 2021 rows as 2024 and 2026.
fn targets_2024_2026(dir: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(repo().join("data/synth/targets.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let year = line.split(',').nth(1).unwrap_or_default();
        match (i, year) {
            (0, _) => out.push_str(line),
            (_, "2020") => out.push_str(&line.replacen(",2020,", ",2024,", 1)),
            (_, "2021") => out.push_str(&line.replacen(",2021,", ",2026,", 1)),
            _ => continue,
        }
        out.push('\n');
    }
    let path = dir.join("targets.csv");
    std::fs::write(&path, out).unwrap();
    path
}

#[test]
fn synth_2024_to_2026_compares_per_commune_through_the_crosswalk() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let targets = targets_2024_2026(d);
    run_ok(
        d,
        &[
            "synth",
            "--households",
            "3000",
            "--years",
            "2024,2026",
            "--targets",
            p(&targets),
            "--out",
            "s",
            "-q",
        ],
    );
    // 2024 in the 63-province scheme, 2026 in the 34 units with no district.
    let hh = read_rows(&d.join("s/households.csv"));
    let of = |y: &'static str| hh.iter().filter(move |r| r["survey_year"] == y);
    assert!(of("2024").all(|r| !r["district_code"].is_empty()));
    assert!(of("2026").all(|r| r["district_code"].is_empty()));
    assert!(of("2026").any(|r| r["province_code"] == "91"));
    assert!(
        of("2026").all(|r| r["province_code"] != "89"),
        "An Giang is 91 from 2025"
    );
    assert!(of("2024").all(|r| !r["head_name"].is_empty() && !r["village"].is_empty()));
    let n2024 = of("2024").count();
    run_ok(
        d,
        &["run", "s", "--out", "out", "--no-report", "--format", "csv"],
    );
    let q = std::fs::read_to_string(d.join("out/quarantine.csv")).unwrap();
    assert_eq!(q.lines().count(), 1, "nothing quarantined:\n{q}");
    run_ok(
        d,
        &[
            "compare",
            "--scored",
            "out/scored",
            "--out",
            "cmp",
            "--by",
            "commune",
            "--from",
            "2024",
            "--to",
            "2026",
            "--format",
            "csv",
        ],
    );
    let summary = read_rows(&d.join("cmp/transitions_summary_commune.csv"));
    let units: Vec<&Row> = summary.iter().filter(|r| r["level"] == "commune").collect();
    // Every household of 2024 is counted once, in one unit.
    let from: i64 = units
        .iter()
        .map(|r| r["households_from"].parse::<i64>().unwrap())
        .sum();
    assert_eq!(from, n2024 as i64);
    let national = summary.iter().find(|r| r["level"] == "total").unwrap();
    assert_eq!(national["households_from"], n2024.to_string());
    // Each former commune is in one unit only.
    let mut seen = BTreeSet::new();
    for r in &units {
        for c in r["codes_from"].split(',').filter(|c| !c.is_empty()) {
            assert!(seen.insert(c.to_string()), "{c} in two units");
        }
    }
    // Every split commune of 2024 is in a unit with all its parts (or, in
    // a chain too large to compare, shown alone and said so).
    let crosswalk = std::fs::read_to_string(repo().join("data/geo/commune_crosswalk.csv")).unwrap();
    let mut parts: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for line in crosswalk.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[2] == "no" {
            parts.entry(f[0]).or_default().push(f[1]);
        }
    }
    let communes_2024: BTreeSet<&str> = of("2024").map(|r| r["commune_code"].as_str()).collect();
    let mut checked = 0;
    for (old, new) in parts.iter().filter(|(c, _)| communes_2024.contains(*c)) {
        let unit = units
            .iter()
            .find(|r| r["codes_from"].split(',').any(|c| c == *old))
            .unwrap_or_else(|| panic!("split commune {old} is in no unit"));
        match unit["comparability"].as_str() {
            "split_group" => {
                let to: BTreeSet<&str> = unit["codes_to"].split(',').collect();
                assert!(
                    new.iter().all(|n| to.contains(n)),
                    "{old}: {new:?} not all in {to:?}"
                );
                assert_eq!(unit["code"], unit["codes_to"].replace(',', "+"));
                checked += 1;
            }
            "not_comparable" => assert_eq!(unit["code"], format!("63:{old}")),
            other => panic!("split commune {old} compared as {other}"),
        }
    }
    assert!(checked > 0, "no split commune in the synthetic 2024");
    // Rates of both years and the change, per comparable commune unit.
    let rates = read_rows(&d.join("cmp/rates_change_commune.csv"));
    let merged = (rates.iter())
        .find(|r| r["comparability"] == "merged" && r["rate"] == "poor_rate")
        .expect("a merged commune");
    assert!(
        !merged["pct_from"].is_empty() && !merged["pct_to"].is_empty(),
        "{merged:?}"
    );
    assert!(!merged["name"].is_empty() && !merged["change_pp"].is_empty());
}
