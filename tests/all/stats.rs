//! Alkire–Foster measures and design-based standard errors against R's
//! `survey` package (tests/stats/expected.R, values committed beside the
//! fixture) and a hand computation (tests/stats/hand/README.md): points to
//! `ESTIMATE_VS_R`, standard errors to `SE_VS_R_REL` (see tolerance.rs).
//! Plus the AF identities.

use crate::common::*;
use crate::tolerance::*;
use std::collections::BTreeMap;
use std::path::Path;

const KEY: [&str; 7] = [
    "level",
    "grouping",
    "group",
    "measure",
    "indicator",
    "k",
    "deprivations",
];

fn key(r: &Row, year_cols: &[&str]) -> String {
    year_cols
        .iter()
        .chain(KEY.iter())
        .map(|c| r.get(*c).cloned().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("|")
}

fn close(ours: &str, theirs: &str, rel: f64, abs: f64) -> bool {
    match (ours.parse::<f64>(), theirs.parse::<f64>()) {
        (Ok(a), Ok(b)) => (a - b).abs() <= abs.max(rel * b.abs()),
        _ => ours.is_empty() && theirs.is_empty(),
    }
}

/// Our estimates row in the reference files' words (written by
/// tests/stats/*.R before issue 21's renames): `level` the unit of
/// analysis, `grouping` and `group` the level and code, years as
/// `year_from`, `year_to`, and a person measure without its `_person`.
/// A row already in those words (R's) is returned as it is.
fn in_r_terms(r: &Row) -> Row {
    let mut t = r.clone();
    if !r.contains_key("unit_of_analysis") {
        return t;
    }
    for (theirs, ours) in [
        ("level", "unit_of_analysis"),
        ("grouping", "level"),
        ("group", "code"),
        ("year_from", "from_year"),
        ("year_to", "to_year"),
    ] {
        if let Some(v) = r.get(ours) {
            t.insert(theirs.to_string(), v.clone());
        }
    }
    // The total's level, `national` in R's files (before issue 16 named
    // it for what the data cover).
    if t.get("grouping").is_some_and(|g| g == "total") {
        t.insert("grouping".to_string(), "national".to_string());
    }
    let m = &r["measure"];
    let base = match m.strip_suffix("_person_rate") {
        Some(class) => format!("{class}_rate"),
        None => m.strip_suffix("_person").unwrap_or(m).to_string(),
    };
    assert_eq!(measure_of(&r["unit_of_analysis"], &base), *m, "{r:?}");
    t.insert("measure".to_string(), base);
    t
}

/// Every expected row has our row with the same key, estimate and se.
fn compare(ours: &[Row], expected: &[Row], year_cols: &[&str]) {
    let ours: Vec<Row> = ours.iter().map(in_r_terms).collect();
    let expected: Vec<Row> = expected.iter().map(in_r_terms).collect();
    let index: BTreeMap<String, &Row> = ours.iter().map(|r| (key(r, year_cols), r)).collect();
    assert!(!expected.is_empty());
    for e in &expected {
        let k = key(e, year_cols);
        let o = index
            .get(&k)
            .unwrap_or_else(|| panic!("no estimate for {k}"));
        assert!(
            close(&o["estimate"], &e["estimate"], 0.0, ESTIMATE_VS_R),
            "{k}: estimate {} vs R {}",
            o["estimate"],
            e["estimate"]
        );
        assert!(
            close(&o["se"], &e["se"], SE_VS_R_REL, SE_VS_R_ABS),
            "{k}: se {} vs R {}",
            o["se"],
            e["se"]
        );
    }
}

/// The tables every statistics run here asks for.
const TABLES: [&str; 6] = ["--format", "csv", "--by", "province", "--k", "3/10,1/3"];

fn run_stats(dir: &Path, input: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", "--no-report", p(input), "--out", "out"];
    args.extend_from_slice(&TABLES);
    args.extend_from_slice(extra);
    std::fs::create_dir_all(dir).unwrap();
    dachieu(dir, &args)
}

/// `run_stats`, which must succeed.
fn run_stats_ok(dir: &Path, input: &Path, extra: &[&str]) {
    let o = run_stats(dir, input, extra);
    assert_eq!(o.code, 0, "{}: {}{}", dir.display(), o.stdout, o.stderr);
}

#[test]
fn sample_estimates_match_r_survey_under_each_lonely_psu_policy() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/stats/fixture");
    for policy in ["adjust", "remove", "certainty"] {
        let dir = tmp.path().join(policy);
        run_stats_ok(&dir, &fixture, &["--lonely-psu", policy]);
        let ours = read_rows(&dir.join("out/tables/estimates.csv"));
        compare(
            &ours,
            &read_rows(&repo().join(format!("tests/stats/expected_{policy}.csv"))),
            &["survey_year"],
        );
        let changes = read_rows(&dir.join("out/tables/estimates_change.csv"));
        compare(
            &changes,
            &read_rows(&repo().join(format!("tests/stats/expected_change_{policy}.csv"))),
            &["year_from", "year_to"],
        );
        // Undefined, not NaN: province 79 has no AF-poor household in 2020.
        let a79 = ours
            .iter()
            .find(|r| {
                r["survey_year"] == "2020"
                    && r["code"] == "79"
                    && r["measure"] == "A"
                    && r["unit_of_analysis"] == "household"
            })
            .unwrap();
        assert_eq!(a79["estimate"], "");
        assert!(a79["cell_flags"].contains("undefined"));
    }
}

#[test]
fn a_lonely_psu_fails_by_default_and_says_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let o = run_stats(tmp.path(), &repo().join("tests/stats/fixture"), &[]);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(
        o.stderr.contains("01-rural") && o.stderr.contains("--lonely-psu"),
        "{}",
        o.stderr
    );
}

/// Domains (`tables --where`, `--province`) against R's `subset(design, …)`
/// (tests/stats/domain.R): households outside keep their PSU, so a PSU
/// with none of the domain still counts in its stratum. Every estimate R
/// gives is ours, and ours has no group R lacks (nothing outside leaks).
#[test]
fn domain_estimates_match_r_survey_subset() {
    let tmp = tempfile::tempdir().unwrap();
    run_stats_ok(
        tmp.path(),
        &repo().join("tests/stats/fixture"),
        &["--lonely-psu", "adjust"],
    );
    for (name, flags) in [
        (
            "where",
            ["--where", "household_size=1", "--by", "province,stratum"],
        ),
        ("province", ["--province", "11,79", "--by", "area"]),
    ] {
        let out = tmp.path().join(name);
        let mut args = vec![
            "tables",
            "--scored",
            "out/scored",
            "--out",
            p(&out),
            "--format",
            "csv",
            "--k",
            "3/10,1/3",
            "--lonely-psu",
            "adjust",
        ];
        args.extend(flags);
        let o = dachieu(tmp.path(), &args);
        assert_eq!(o.code, 0, "{name}: {}{}", o.stdout, o.stderr);
        let ours = read_rows(&out.join("estimates.csv"));
        let expected = read_rows(&repo().join(format!("tests/stats/expected_domain_{name}.csv")));
        compare(&ours, &expected, &["survey_year"]);
        let groups =
            |rows: &[Row], level: &str, code: &str| -> std::collections::BTreeSet<String> {
                rows.iter()
                    .map(|r| {
                        // R's files name the total's level `national`.
                        let l = match r[level].as_str() {
                            "total" => "national",
                            l => l,
                        };
                        format!("{}|{l}|{}", r["survey_year"], r[code])
                    })
                    .collect()
            };
        assert_eq!(
            groups(&ours, "level", "code"),
            groups(&expected, "grouping", "group"),
            "{name}"
        );
    }
}

#[test]
fn hand_computed_example() {
    let tmp = tempfile::tempdir().unwrap();
    run_stats_ok(
        tmp.path(),
        &repo().join("tests/stats/hand"),
        &["--lonely-psu", "adjust"],
    );
    compare(
        &read_rows(&tmp.path().join("out/tables/estimates.csv")),
        &read_rows(&repo().join("tests/stats/expected_hand.csv")),
        &["survey_year"],
    );
}

fn f(r: &Row) -> f64 {
    r["estimate"].parse().unwrap_or(f64::NAN)
}

/// M0 = H·A; Σ contributions = 1; Σ w_j·h_j(k) = M0; a census has no
/// sampling error; scaling every weight changes no estimate.
#[test]
fn alkire_foster_identities_and_census_labels() {
    let tmp = tempfile::tempdir().unwrap();
    run_stats_ok(&tmp.path().join("a"), &sample_dir(), &[]);
    let rows = read_rows(&tmp.path().join("a/out/tables/estimates.csv"));
    let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        assert!(
            r["se"].is_empty() && r["cell_flags"].contains("census"),
            "a census has no SE: {r:?}"
        );
        if !r["k"].is_empty() {
            groups
                .entry(format!(
                    "{}|{}|{}|{}|{}",
                    r["survey_year"], r["unit_of_analysis"], r["level"], r["code"], r["k"]
                ))
                .or_default()
                .push(r);
        }
    }
    let mut checked = 0;
    for (g, rs) in &groups {
        // The measure's name for the group's unit (H, or H_person).
        let is = |r: &Row, m: &str| r["measure"] == measure_of(&r["unit_of_analysis"], m);
        let one = |m: &str| rs.iter().find(|r| is(r, m)).map(|r| f(r)).unwrap();
        let (h, a, m0) = (one("H"), one("A"), one("M0"));
        // Equal weights 1/J, J the year's own number of indicators (10 under
        // Decision 59/2015, 12 under Decree 07/2021).
        let j = rs.iter().filter(|r| is(r, "censored_headcount")).count() as f64;
        let censored: f64 = rs
            .iter()
            .filter(|r| is(r, "censored_headcount"))
            .map(|r| f(r) / j)
            .sum();
        if h > 0.0 {
            assert!(
                (m0 - h * a).abs() < AF_IDENTITY,
                "{g}: M0 {m0} ≠ H·A {}",
                h * a
            );
            let contributions: f64 = rs
                .iter()
                .filter(|r| is(r, "contribution"))
                .map(|r| f(r))
                .sum();
            assert!(
                (contributions - 1.0).abs() < AF_IDENTITY,
                "{g}: contributions sum to {contributions}"
            );
            checked += 1;
        } else {
            assert!(a.is_nan(), "{g}: A is undefined when H = 0");
        }
        assert!(
            (censored - m0).abs() < AF_IDENTITY,
            "{g}: Σ w_j h_j(k) = {censored} ≠ M0 {m0}"
        );
    }
    assert!(checked > 20);
    // Each year under its own standard, with that standard's indicators.
    let indicators = |y: &str| -> std::collections::BTreeSet<String> {
        rows.iter()
            .filter(|r| r["survey_year"] == y && r["measure"] == "uncensored_headcount")
            .map(|r| format!("{} {}", r["standard"], r["indicator"]))
            .collect()
    };
    assert_eq!(indicators("2021").len(), 10);
    assert!(indicators("2021").contains("vn-2016-2020 info_assets"));
    assert_eq!(indicators("2022").len(), 12);
    assert!(indicators("2022").contains("vn-2022-2025 dependents"));
}

#[test]
fn scaling_weights_and_min_cell() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture =
        std::fs::read_to_string(repo().join("tests/stats/fixture/households.csv")).unwrap();
    // Every weight × 3: the same estimates and standard errors.
    let mut lines = fixture.lines();
    let header = lines.next().unwrap();
    let wcol = header.split(',').position(|c| c == "weight").unwrap();
    let scaled: Vec<String> = lines
        .map(|l| {
            let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
            f[wcol] = (f[wcol].parse::<f64>().unwrap() * 3.0).to_string();
            f.join(",")
        })
        .collect();
    write(
        &tmp.path().join("in/households.csv"),
        &format!("{header}\n{}\n", scaled.join("\n")),
    );
    run_stats_ok(
        &tmp.path().join("s"),
        &tmp.path().join("in"),
        &["--lonely-psu", "adjust", "--min-cell", "200", "--suppress"],
    );
    let ours = read_rows(&tmp.path().join("s/out/tables/estimates.csv"));
    let expected = read_rows(&repo().join("tests/stats/expected_adjust.csv"));
    let index: BTreeMap<String, &Row> = ours
        .iter()
        .map(|r| (key(&in_r_terms(r), &["survey_year"]), r))
        .collect();
    let mut suppressed = 0;
    for e in &expected {
        let o = index[&key(e, &["survey_year"])];
        if o["cell_flags"].contains("suppressed") {
            assert!(o["n"].parse::<u64>().unwrap() < 200 && o["estimate"].is_empty());
            suppressed += 1;
            continue;
        }
        assert!(
            close(&o["estimate"], &e["estimate"], ESTIMATE_VS_R, ESTIMATE_VS_R),
            "{:?}",
            o
        );
        assert!(
            close(&o["se"], &e["se"], SE_VS_R_REL, SE_VS_R_ABS),
            "{:?}",
            o
        );
    }
    assert!(
        suppressed > 0,
        "some province cells rest on fewer than 200 households"
    );
}

/// A PSU whose households lie in two provinces: the nation's sums for that
/// PSU are gathered from both, so the national estimates and their
/// standard errors are the same whether or not provinces are tabulated too.
#[test]
fn a_psu_across_provinces_counts_once_in_the_nation() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    let text = std::fs::read_to_string(repo().join("tests/stats/fixture/households.csv")).unwrap();
    let mut moved = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            // Every other household of PSU c01 in stratum 01-rural moves to province 11.
            if l.starts_with("2020,") && l.contains(",01-rural,c01,") {
                moved += 1;
                if moved % 2 == 0 {
                    return l.replacen(",01,", ",11,", 1);
                }
            }
            l.to_string()
        })
        .collect();
    assert!(moved > 2);
    std::fs::write(input.join("households.csv"), lines.join("\n") + "\n").unwrap();
    let national = |by: &str| {
        let dir = tmp.path().join(by.replace(',', "-"));
        std::fs::create_dir_all(&dir).unwrap();
        let o = dachieu(
            &dir,
            &[
                "run",
                "--no-report",
                p(&input),
                "--out",
                "out",
                "--format",
                "csv",
                "--by",
                by,
                "--k",
                "3/10",
                "--lonely-psu",
                "adjust",
            ],
        );
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        read_rows(&dir.join("out/tables/estimates.csv"))
            .into_iter()
            .filter(|r| r["level"] == "total")
            .collect::<Vec<Row>>()
    };
    let (alone, with_provinces) = (national("total"), national("province"));
    assert!(alone.len() > 50);
    compare(&with_provinces, &alone, &["survey_year"]);
    compare(&alone, &with_provinces, &["survey_year"]);
}

/// Rewrite every scored file under `root` in row groups of `rows` rows
/// (schema and metadata kept), as a writer of large files would.
fn split_row_groups(root: &Path, rows: usize) {
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path().join("scored.parquet");
        let file = std::fs::File::open(&path).unwrap();
        let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = reader.schema().clone();
        let batches: Vec<_> = reader.build().unwrap().map(|b| b.unwrap()).collect();
        let props = parquet::file::properties::WriterProperties::builder()
            .set_max_row_group_row_count(Some(rows))
            .build();
        let out = std::fs::File::create(&path).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(out, schema, Some(props)).unwrap();
        for b in &batches {
            w.write(b).unwrap();
        }
        w.close().unwrap();
    }
}

/// `tables` reads a scored file a row group at a time: the same sample
/// split into row groups of 7 households gives R's values, and the same
/// estimates as whole files — also with no PSU column, where each
/// household is its own PSU named by its row.
#[test]
fn tables_read_in_row_groups_give_the_same_estimates() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = repo().join("tests/stats/fixture");
    let text = std::fs::read_to_string(fixture.join("households.csv")).unwrap();
    // The same sample without its PSU column.
    let no_psu = tmp.path().join("no-psu");
    std::fs::create_dir_all(&no_psu).unwrap();
    let psu_at = text
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == "psu")
        .unwrap();
    let dropped: Vec<String> = text
        .lines()
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            cells.remove(psu_at);
            cells.join(",")
        })
        .collect();
    std::fs::write(no_psu.join("households.csv"), dropped.join("\n") + "\n").unwrap();
    for (name, input) in [("psu", fixture.clone()), ("no-psu", no_psu.clone())] {
        let dir = tmp.path().join(format!("run-{name}"));
        run_stats_ok(&dir, &input, &["--lonely-psu", "adjust"]);
        let whole = read_rows(&dir.join("out/tables/estimates.csv"));
        split_row_groups(&dir.join("out/scored"), 7);
        let mut args = vec!["tables", "--scored", "out/scored", "--out", "split"];
        args.extend_from_slice(&TABLES);
        args.extend_from_slice(&["--lonely-psu", "adjust"]);
        let o = dachieu(&dir, &args);
        assert_eq!(o.code, 0, "{name}: {}{}", o.stdout, o.stderr);
        let split = read_rows(&dir.join("split/estimates.csv"));
        assert_eq!(split.len(), whole.len(), "{name}");
        compare(&split, &whole, &["survey_year"]);
        if name == "psu" {
            compare(
                &split,
                &read_rows(&repo().join("tests/stats/expected_adjust.csv")),
                &["survey_year"],
            );
        }
    }
}

/// `tables` sums the rate tables in the estimates' pass over the rows: its
/// tables are those the rate-table tally gives alone, at every level, on
/// the R-checked sample (two years, unknown indicators, three levels).
#[test]
fn rate_tables_summed_with_the_estimates_match_the_tally_alone() {
    use dachieu::measure::Level;
    use dachieu::measure::{design::LonelyPsu, StatsOptions};
    let tmp = tempfile::tempdir().unwrap();
    run_stats_ok(
        tmp.path(),
        &repo().join("tests/stats/fixture"),
        &["--lonely-psu", "adjust"],
    );
    let batches = dachieu::score::files::read_scored(&tmp.path().join("out/scored")).unwrap();
    let levels = [Level::Region, Level::Province, Level::Area];
    let alone = dachieu::export::tables::tables(&batches, &levels, &Default::default()).unwrap();
    let opts = StatsOptions {
        groupings: levels.to_vec(),
        ks: Vec::new(),
        lonely: LonelyPsu::Adjust,
        min_cell: None,
        suppress: false,
        names: Default::default(),
    };
    let (fused, _) = dachieu::export::publish::publish_in_memory(&batches, &levels, &opts).unwrap();
    assert_eq!(alone.len(), fused.len());
    for (a, f) in alone.iter().zip(&fused) {
        assert_eq!(a.level, f.level);
        assert!(a.rates.rows() > 1, "{:?}", a.level);
        assert_eq!(a.indicators, f.indicators, "{:?}", a.level);
        // The published rates add the AF columns after the tally's own.
        for (name, col) in a.rates.names.iter().zip(&a.rates.columns) {
            assert_eq!(Some(col), f.rates.column(name), "{:?} {name}", a.level);
        }
    }
}

/// A province whose every household is excluded (an unknown indicator
/// under `--missing exclude`) has no PSU in the design: its estimates are
/// undefined with n = 0 (its share of the nation's M0 is 0), not a crash,
/// and the other provinces keep theirs.
#[test]
fn a_province_with_every_household_excluded_is_undefined() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("tests/stats/fixture/households.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let cols: Vec<&str> = header.split(',').collect();
    let (prov, dep) = (
        cols.iter().position(|c| *c == "province_code").unwrap(),
        cols.iter().position(|c| *c == "dep_health_access").unwrap(),
    );
    let mut out = vec![header.to_string()];
    for l in lines {
        let mut cells: Vec<&str> = l.split(',').collect();
        if cells[prov] == "01" {
            cells[dep] = "";
        }
        out.push(cells.join(","));
    }
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("households.csv"), out.join("\n") + "\n").unwrap();
    run_stats_ok(
        tmp.path(),
        &input,
        &["--lonely-psu", "adjust", "--missing", "exclude"],
    );
    let rows = read_rows(&tmp.path().join("out/tables/estimates.csv"));
    let hanoi: Vec<_> = rows
        .iter()
        .filter(|r| r["level"] == "province" && r["code"] == "01")
        .collect();
    assert!(!hanoi.is_empty());
    for r in &hanoi {
        assert_eq!(r["n"], "0", "{r:?}");
        if r["measure"].starts_with("subgroup_contribution") {
            // A share of the nation's M0: none of it.
            assert_eq!(
                (r["estimate"].as_str(), r["se"].as_str()),
                ("0", "0"),
                "{r:?}"
            );
        } else {
            assert_eq!(r["estimate"], "", "{r:?}");
            assert!(r["cell_flags"].contains("undefined"), "{r:?}");
        }
    }
    let others = rows
        .iter()
        .filter(|r| r["level"] == "province" && r["code"] != "01");
    assert!(others
        .filter(|r| r["measure"] == "poor_rate")
        .all(|r| !r["se"].is_empty()));
}
