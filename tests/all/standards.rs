//! Standards: every bundled example passes through the real engine; a broken
//! standard reports all its problems at once, each with file and line.

use crate::common::*;

#[test]
fn bundled_standard_examples_all_pass() {
    for (id, indicators, at_least) in [
        ("vn-2016-2020", 10, 40),
        ("vn-2022-2025", 12, 70),
        ("vn-2027-2030", 12, 70),
    ] {
        let st = dachieu::standard::resolve(id).unwrap();
        assert_eq!(st.indicators.len(), indicators, "{id}");
        let (failures, n) = dachieu::score::examples::run_examples(&st);
        assert!(
            n >= at_least,
            "{id}: each indicator carries worked examples ({n})"
        );
        assert!(failures.is_empty(), "{id}: {failures:#?}");
        let o = dachieu(&repo(), &["standards", "check", id]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(o.stdout.contains("examples pass"));
    }
}

/// Decree 351/2025's indicator list is only reported: the standard and every
/// indicator say so; Decree 07/2021's is confirmed, its definitions are not.
#[test]
fn provisional_marks_follow_the_spec() {
    let st = dachieu::standard::resolve("vn-2027-2030").unwrap();
    assert!(st.provisional && st.indicators.iter().all(|i| i.provisional));
    assert!(st.indicators.iter().all(|i| i.confidence == "unconfirmed"));
    assert!(st.rural.average.is_none() && st.score.is_none());
    let st = dachieu::standard::resolve("vn-2022-2025").unwrap();
    assert!(!st.provisional && st.indicators.iter().all(|i| !i.provisional));
    let confidence = |id: &str| {
        st.indicators
            .iter()
            .find(|i| i.id == id)
            .unwrap()
            .confidence
            .clone()
    };
    // Spec §4.3: rows 1–10 SECONDARY, 11–12 UNCONFIRMED.
    assert_eq!(confidence("dependents"), "secondary");
    assert_eq!(confidence("latrine"), "secondary");
    assert_eq!(confidence("telecom"), "unconfirmed");
    assert_eq!(confidence("info_access"), "unconfirmed");
    assert_eq!(st.score.as_ref().unwrap().column, "score_a");
    assert_eq!(st.review_years, (2022, 2026));
}

#[test]
fn list_and_show() {
    let o = dachieu(&repo(), &["standards", "list"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("vn-2016-2020"));
    let line = |id: &str| {
        o.stdout
            .lines()
            .find(|l| l.starts_with(id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{}", o.stdout))
            .to_string()
    };
    assert!(
        line("vn-2022-2025").contains("2022–2026") && line("vn-2022-2025").contains("confirmed")
    );
    assert!(
        line("vn-2027-2030").contains("2027–2030") && line("vn-2027-2030").contains("provisional")
    );
    // A research measure is not tied to review years (its file says 2000–2100).
    assert!(line("global-mpi").contains("any year") && !line("global-mpi").contains("2100"));
    let o = dachieu(&repo(), &["standards", "show", "vn-2027-2030"]);
    assert!(o.stdout.contains("status: PROVISIONAL"), "{}", o.stdout);
    assert!(o.stdout.contains("waste_treatment") && o.stdout.contains("; provisional]"));
    let o = dachieu(&repo(), &["standards", "show", "vn-2022-2025"]);
    assert!(o.stdout.contains("share > 1/2"), "{}", o.stdout);
    assert!(o
        .stdout
        .contains("score from column score_a: rural poverty ≤ 140; urban poverty ≤ 175"));
    let o = dachieu(&repo(), &["standards", "show", "vn-2016-2020", "--sql"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("poverty ≤ 700000"), "{}", o.stdout);
    assert!(o.stdout.contains("SQL:"));
    let o = dachieu(&repo(), &["standards", "show", "no-such-standard"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("unknown standard"), "{}", o.stderr);
}

#[test]
fn a_broken_standard_reports_every_problem_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_standard("vn-2016-2020", &tmp.path().join("broken"));
    let edit = |file: &str, from: &str, to: &str| edit_file(&dir, file, from, to);
    // 1. unknown key; 2. unknown column in a rule; 3. bad rule syntax;
    // 4. weights not summing to one; 5. an indicator listed twice.
    edit("telecom.toml", "level =", "colour = \"red\"\nlevel =");
    edit(
        "floor_area.toml",
        "deprived_if = \"floor_area_m2 <",
        "deprived_if = \"floor_areaa_m2 <",
    );
    edit("latrine.toml", "latrine not in", "latrine not in (");
    edit("info_assets.toml", "weight = 0.1", "weight = 0.3");
    edit(
        "standard.toml",
        "\"health_access\",",
        "\"health_access\", \"health_access\",",
    );
    let o = dachieu(tmp.path(), &["standards", "check", p(&dir)]);
    assert_error_snapshot("standards-broken-2016", &o, tmp.path());
    let err = &o.stderr;
    let has = |file: &str, words: &str| {
        err.lines().any(|l| {
            l.contains(file)
                && l.contains(words)
                && l.split(':')
                    .nth(1)
                    .is_some_and(|n| n.trim().parse::<u32>().is_ok())
        })
    };
    assert!(has("telecom.toml", "unknown key `colour`"), "{err}");
    assert!(has("floor_area.toml", "floor_areaa_m2"), "{err}");
    assert!(err.contains("did you mean `floor_area_m2`"), "{err}");
    assert!(has("latrine.toml", "latrine"), "{err}");
    assert!(err.contains("weights sum to"), "{err}");
    assert!(has("standard.toml", "listed twice"), "{err}");
}

/// A broken copy of the 2022–2025 standard: every problem at once, each
/// with its file and line — unknown column, a duplicate indicator (listed
/// twice, and a second file with the same id), weights not summing to one,
/// bad rule syntax, an unknown key, a share without its threshold, a
/// provisional indicator in a standard that is not, an unlisted file.
#[test]
fn a_malformed_custom_standard_reports_all_its_errors_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_standard("vn-2022-2025", &tmp.path().join("broken-2022"));
    let edit = |file: &str, from: &str, to: &str| edit_file(&dir, file, from, to);
    edit(
        "employment.toml",
        "not has_labour_contract",
        "not has_labor_contract",
    );
    edit(
        "standard.toml",
        "\"nutrition\",",
        "\"nutrition\", \"nutrition\",",
    );
    std::fs::copy(
        dir.join("floor_area.toml"),
        dir.join("floor_area_copy.toml"),
    )
    .unwrap();
    edit(
        "health_insurance.toml",
        "weight = 0.08333333333333333",
        "weight = 0.5",
    );
    edit("latrine.toml", "latrine not in [", "latrine not in [[");
    edit("telecom.toml", "level =", "colour = \"red\"\nlevel =");
    edit("dependents.toml", "share_above = 0.5\n", "");
    edit("info_access.toml", "level =", "provisional = true\nlevel =");
    std::fs::write(
        dir.join("extra.toml"),
        std::fs::read_to_string(dir.join("water_source.toml"))
            .unwrap()
            .replacen("id = \"water_source\"", "id = \"extra\"", 1),
    )
    .unwrap();
    let o = dachieu(tmp.path(), &["standards", "check", p(&dir)]);
    assert_error_snapshot("standards-broken-2022", &o, tmp.path());
    let err = &o.stderr;
    // Every problem line names a file and a line (and a column).
    let problems: Vec<&str> = err
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .collect();
    for l in &problems {
        let mut parts = l.splitn(4, ':');
        let (file, line, col) = (parts.next(), parts.next(), parts.next());
        assert!(
            file.is_some_and(|f| f.ends_with(".toml"))
                && line.is_some_and(|n| n.parse::<u32>().is_ok())
                && col.is_some_and(|n| n.parse::<u32>().is_ok()),
            "not file:line:col: {l}"
        );
    }
    let has = |file: &str, words: &str| {
        problems
            .iter()
            .any(|l| l.contains(file) && l.contains(words))
    };
    assert!(has("employment.toml", "has_labor_contract"), "{err}");
    assert!(err.contains("did you mean `has_labour_contract`"), "{err}");
    assert!(has("standard.toml", "`nutrition` is listed twice"), "{err}");
    assert!(
        has("floor_area_copy.toml", "must equal the file name"),
        "{err}"
    );
    assert!(
        has(
            "floor_area_copy.toml",
            "duplicate indicator id `floor_area`"
        ),
        "{err}"
    );
    assert!(has("standard.toml", "indicator weights sum to"), "{err}");
    assert!(has("standard.toml", "health_insurance 1/2"), "{err}");
    assert!(has("latrine.toml", "latrine"), "{err}");
    assert!(has("telecom.toml", "unknown key `colour`"), "{err}");
    assert!(has("dependents.toml", "needs share_above"), "{err}");
    assert!(
        has("info_access.toml", "provisional but the standard is not"),
        "{err}"
    );
    assert!(has("extra.toml", "not listed"), "{err}");
    assert_eq!(problems.len(), 10, "{err}");
}

/// The worked local standard of indicators/README.md passes the checker,
/// and classifies a household otherwise than the national standard (the
/// full table is in same_household.rs).
#[test]
fn the_dong_nai_example_checks() {
    let dir = repo().join("indicators/examples/dong-nai-2022-2025");
    let o = dachieu(&repo(), &["standards", "check", p(&dir)]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout
            .contains("ok: dong-nai-2022-2025 (12 indicators, 80 examples pass)"),
        "{}",
        o.stdout
    );
    let local = dachieu::standard::load_dir(&dir).unwrap();
    let national = dachieu::standard::resolve("vn-2022-2025").unwrap();
    assert_eq!((local.cutoff, national.cutoff), (2, 3));
    assert_eq!(
        (local.rural.poverty, local.urban.poverty),
        (2_000_000, 2_500_000)
    );
    assert_eq!(
        (local.rural.average, local.urban.average),
        (Some(3_000_000), Some(3_750_000))
    );
    use dachieu::score::classify::{by_income, Class, Measure};
    let class = |st: &dachieu::standard::Standard, income: i64, d: u32| {
        by_income(
            st.rule,
            &st.rural,
            Measure::IncomePerCapita(income),
            d,
            st.cutoff,
        )
        .0
    };
    assert_eq!(class(&national, 1_800_000, 2), Class::Average);
    assert_eq!(class(&local, 1_800_000, 2), Class::Poor);
    assert_eq!(class(&national, 1_400_000, 2), Class::NearPoor);
    assert_eq!(class(&local, 1_400_000, 1), Class::NearPoor);
    assert_eq!(class(&local, 2_000_001, 12), Class::Average);
}

/// Results under the provisional 2027–2030 standard say so: the console,
/// the manifest, the estimates and the report.
#[test]
fn a_provisional_standard_is_named_so_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        &tmp.path().join("in/households.csv"),
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month,floor_area_m2\n\
         2027,a,75,rural,2,2100000,10\n2027,b,75,urban,1,5000000,30\n",
    );
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            "in",
            "--out",
            "out",
            "--format",
            "csv",
            "--lang",
            "en",
            "--members",
            "none",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(o.stdout.contains("PROVISIONAL"), "{}", o.stdout);
    let m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(m["standards"][0]["id"], "vn-2027-2030");
    assert_eq!(m["standards"][0]["provisional"], true);
    let est = read_rows(&tmp.path().join("out/tables/estimates.csv"));
    assert!(est.iter().all(
        |r| r["standard"] == "vn-2027-2030" && r["cell_flags"].contains("provisional_standard")
    ));
    let html = std::fs::read_to_string(tmp.path().join("out/report/report_en.html")).unwrap();
    assert!(
        html.contains("badge provisional") && html.contains("Results under it are projections")
    );
}

/// Deprivations are read as the bits of one word: a standard listing more
/// than 64 indicators is refused when it is checked, with where and why.
#[test]
fn a_standard_with_more_than_64_indicators_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_standard("vn-2016-2020", &tmp.path().join("wide"));
    let water = std::fs::read_to_string(dir.join("water_source.toml")).unwrap();
    let ids: Vec<String> = (0..65).map(|i| format!("water_{i}")).collect();
    for id in &ids {
        let text = water
            .replacen("id = \"water_source\"", &format!("id = \"{id}\""), 1)
            .replacen("weight = 0.1", "weight = 0.015384615384615385", 1);
        std::fs::write(dir.join(format!("{id}.toml")), text).unwrap();
    }
    let std_toml = std::fs::read_to_string(dir.join("standard.toml")).unwrap();
    let (head, rest) = std_toml.split_once("indicators = [").unwrap();
    let (_, tail) = rest.split_once(']').unwrap();
    let list: Vec<String> = ids.iter().map(|i| format!("\"{i}\"")).collect();
    std::fs::write(
        dir.join("standard.toml"),
        format!("{head}indicators = [{}]{tail}", list.join(", ")),
    )
    .unwrap();
    let o = dachieu(tmp.path(), &["standards", "check", p(&dir)]);
    assert_error_snapshot("standards-65-indicators", &o, tmp.path());
    assert!(
        o.stderr.lines().any(|l| l.contains("standard.toml:")
            && l.contains("65 indicators are listed; a standard has at most 64")),
        "{}",
        o.stderr
    );
}
