//! Guards against a confident wrong answer (issue 18): a thread count that
//! would stall the machine, households scored without the members their
//! standard reads, a `--k` no standard has, a headline resting on a
//! minority of the rows, small cells shown in one table and hidden in
//! another, and float noise on the console.

use crate::common::{dachieu, read_rows, sample_dir, write, Output, Row};
use std::path::{Path, PathBuf};

/// The member-level indicators of vn-2022-2025, in its order.
fn member_indicators_2022() -> Vec<String> {
    let st = dachieu::standard::resolve("vn-2022-2025").unwrap();
    (st.indicators.iter())
        .filter(|i| i.level == dachieu::standard::Level::Member)
        .map(|i| i.id.clone())
        .collect()
}

/// Fails unless the command stopped with exit 2 saying every one of `needles`.
fn refused(o: &Output, needles: &[&str]) {
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    for needle in needles {
        says(&o.stderr, needle);
    }
}

/// Fails unless `text` contains `needle`, showing `text`.
fn says(text: &str, needle: &str) {
    assert!(text.contains(needle), "no `{needle}` in:\n{text}");
}

/// Edits a household row (its index, its cells, the header).
type Edit<'a> = &'a dyn Fn(usize, &mut Vec<String>, &[String]);

/// The sample's rows of `years` in province `province` (both tables, or
/// households only), under `dir/in`, each household row passed to `edit`.
fn subset(dir: &Path, province: &str, years: &[&str], members: bool, edit: Edit<'_>) -> PathBuf {
    let keep = |line: &str| {
        let mut f = line.split(',');
        let (y, id) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
        years.contains(&y) && id.starts_with(&format!("{province}-"))
    };
    let input = dir.join("in");
    let text = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let mut out = vec![header.join(",")];
    for (i, line) in lines.filter(|l| keep(l)).enumerate() {
        let mut cells: Vec<String> = line.split(',').map(String::from).collect();
        edit(i, &mut cells, &header);
        out.push(cells.join(","));
    }
    write(&input.join("households.csv"), &(out.join("\n") + "\n"));
    if members {
        let text = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
        let mut lines = text.lines();
        let mut out = vec![lines.next().unwrap().to_string()];
        out.extend(lines.filter(|l| keep(l)).map(String::from));
        write(&input.join("members.csv"), &(out.join("\n") + "\n"));
    }
    input
}

fn unchanged(_: usize, _: &mut Vec<String>, _: &[String]) {}

fn run(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["run", "in", "--out", "out", "--by", "province"];
    args.extend(extra);
    dachieu(dir, &args)
}

fn row<'a>(rows: &'a [Row], year: &str, code: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["survey_year"] == year && r["code"] == code)
        .unwrap_or_else(|| panic!("no row {year} {code}"))
}

fn num(r: &Row, c: &str) -> f64 {
    r[c].parse()
        .unwrap_or_else(|_| panic!("{c} = {:?} is not a number", r[c]))
}

#[test]
fn a_huge_thread_count_is_capped_with_a_warning_naming_the_count_used() {
    let tmp = tempfile::tempdir().unwrap();
    subset(tmp.path(), "11", &["2022"], true, &unchanged);
    let o = run(tmp.path(), &["--no-report", "--threads", "100000"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    says(
        &o.stderr,
        "--threads 100000 is more than this machine can use; using ",
    );
    let o = run(tmp.path(), &["--no-report", "--threads", "0"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
}

#[test]
fn households_without_members_stop_the_run_unless_members_none_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let (full, bare) = (tmp.path().join("full"), tmp.path().join("bare"));
    subset(&full, "11", &["2022"], true, &unchanged);
    subset(&bare, "11", &["2022"], false, &unchanged);
    let o = run(&bare, &["--no-report"]);
    refused(
        &o,
        &[
        "survey year 2022 has households but no member records",
        "indicators employment, dependents, nutrition, health_insurance, adult_education, child_schooling, telecom are read from members",
        "add the members file (members.csv",
        "or pass --members none to score them as unknown",
        ],
    );
    assert!(
        !bare.join("out/tables").exists(),
        "no table from a refused run"
    );

    // Explicitly without members: every member indicator unknown, so the
    // poor rate is a range holding the rate the members give.
    let o = run(&bare, &["--no-report", "--members", "none"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    says(
        &o.stdout,
        "warning: survey year 2022: --members none: employment,",
    );
    let o = run(&full, &["--no-report"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let truth = num(
        row(
            &read_rows(&full.join("out/tables/rates_province.csv")),
            "2022",
            "11",
        ),
        "poor_pct",
    );
    let rates = read_rows(&bare.join("out/tables/rates_province.csv"));
    let r = row(&rates, "2022", "11");
    assert!(num(r, "undetermined") > 0.0);
    assert!(
        num(r, "poor_pct") <= truth && truth <= num(r, "poor_pct_upper"),
        "{} ≤ {truth} ≤ {}",
        r["poor_pct"],
        r["poor_pct_upper"]
    );
}

#[test]
fn pre_coded_flags_for_every_member_indicator_need_no_members() {
    let tmp = tempfile::tempdir().unwrap();
    // `dep_<id>` for the first `n` member indicators: not deprived, one
    // household's left blank (an unknown value, not a missing column).
    let precoded = |dir: &Path, n: usize| {
        let ids: Vec<String> = member_indicators_2022().into_iter().take(n).collect();
        let flags = |i: usize, cells: &mut Vec<String>, _: &[String]| {
            cells.extend((0..n).map(|j| if i == 3 && j == 0 { "" } else { "0" }.to_string()));
        };
        subset(dir, "11", &["2022"], false, &flags);
        let path = dir.join("in/households.csv");
        let text = std::fs::read_to_string(&path).unwrap();
        let (head, rest) = text.split_once('\n').unwrap();
        let cols: Vec<String> = ids.iter().map(|i| format!("dep_{i}")).collect();
        write(&path, &format!("{head},{}\n{rest}", cols.join(",")));
        run(dir, &["--no-report"])
    };
    let all = member_indicators_2022().len();
    let o = precoded(&tmp.path().join("all"), all);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let o = precoded(&tmp.path().join("one_short"), all - 1);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    says(&o.stderr, "indicators telecom are read from members");
}

#[test]
fn a_k_no_standard_can_use_is_an_error_and_the_own_cutoff_is_always_filled() {
    let tmp = tempfile::tempdir().unwrap();
    subset(tmp.path(), "11", &["2021", "2022"], true, &unchanged);
    let o = run(tmp.path(), &["--no-report"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let tables = |years: &str, k: &str, out: &str| {
        let args = format!("score --dataset out/dataset --out {out} --years {years} -q");
        let o = dachieu(tmp.path(), &args.split(' ').collect::<Vec<_>>());
        assert_eq!(o.code, 0, "{}", o.stderr);
        let args = format!("tables --scored {out} --out {out}-t --k {k} --by province");
        dachieu(tmp.path(), &args.split(' ').collect::<Vec<_>>())
    };
    // "3 deprivations" is not a share of the weights: no household could be poor.
    let o = tables("2021,2022", "3", "bad");
    refused(
        &o,
        &[
            "--k 3: no survey year's standard has this cut-off",
            "2021 (vn-2016-2020): 1/10, 1/5, 3/10 (its own),",
            "2022 (vn-2022-2025): 1/12, 1/6, 1/4 (its own), 1/3,",
            "(e.g. --k 3/10), or leave --k out",
        ],
    );
    assert!(!tmp.path().join("bad-t").exists(), "no table written");
    // 2022 alone at 0.3 (poor with 4 of 12): measured, and the af_* columns
    // filled at the standard's own 1/4 beside it, not left blank.
    let o = tables("2022", "0.3", "s22");
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let rates = read_rows(&tmp.path().join("s22-t/rates_province.csv"));
    assert!(rates
        .iter()
        .all(|r| r["af_k"] == "1/4" && !r["af_H"].is_empty() && !r["af_M0"].is_empty()));
    let est = read_rows(&tmp.path().join("s22-t/estimates.csv"));
    let ks: std::collections::BTreeSet<&str> = est.iter().map(|r| r["k"].as_str()).collect();
    assert_eq!(ks, ["", "1/4", "3/10"].into());
    // Two years under two standards: each year's own cut-off fills its row.
    let o = tables("2021,2022", "1/3", "s2");
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let rates = read_rows(&tmp.path().join("s2-t/rates_province.csv"));
    assert!(rates.iter().all(|r| !r["af_H"].is_empty()), "{rates:?}");
}

/// Households whose income cannot be read, every `every`-th row.
fn bad_income(every: usize) -> impl Fn(usize, &mut Vec<String>, &[String]) {
    move |i, cells, header| {
        let c = header
            .iter()
            .position(|h| h == "income_per_capita_month")
            .unwrap();
        if i % every == 0 {
            cells[c] = "lots".into();
        }
    }
}

#[test]
fn a_quarantine_above_the_threshold_is_an_alert_on_console_report_and_workbook() {
    use calamine::{open_workbook_auto, Data, Reader};
    let tmp = tempfile::tempdir().unwrap();
    subset(tmp.path(), "11", &["2022"], true, &bad_income(2));
    let o = run(tmp.path(), &[]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains(
            "were quarantined, more than 5 %: every rate rests on the accepted rows only"
        ),
        "{}",
        o.stderr
    );
    let report = tmp.path().join("out/report");
    for (lang, words, sheet) in [
        ("vi", "Cảnh báo: ", "Lưu ý"),
        ("en", "Warning: ", "Notices"),
    ] {
        let html = std::fs::read_to_string(report.join(format!("report_{lang}.html"))).unwrap();
        let banner = html.find("class=\"notice alert\"").expect("a red banner");
        assert!(
            banner < html.find("id=\"key\"").unwrap(),
            "before the figures"
        );
        assert!(html[banner..].contains(words));
        let mut wb = open_workbook_auto(report.join(format!("tables_{lang}.xlsx"))).unwrap();
        assert_eq!(wb.sheet_names()[0], sheet);
        let first = wb.worksheet_range(sheet).unwrap();
        let Some(Data::String(text)) = first.get((0, 0)) else {
            panic!("no notice in the first row")
        };
        assert!(text.starts_with(words), "{text}");
    }

    // One household in 254: a note, no alert.
    let tmp = tempfile::tempdir().unwrap();
    subset(tmp.path(), "11", &["2022"], true, &bad_income(1000));
    let o = run(tmp.path(), &["--lang", "en"]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(!o.stderr.contains("more than 5 %"), "{}", o.stderr);
    let html = std::fs::read_to_string(tmp.path().join("out/report/report_en.html")).unwrap();
    assert!(!html.contains("notice alert"));
    assert!(html.contains("class=\"notice\""));
    assert!(
        html.contains("were quarantined as invalid; the figures rest on the accepted rows only")
    );
}

#[test]
fn small_cells_are_flagged_and_blank_in_every_table() {
    let tmp = tempfile::tempdir().unwrap();
    subset(tmp.path(), "11", &["2021", "2022"], true, &unchanged);
    let o = run(
        tmp.path(),
        &[
            "--by",
            "province,commune",
            "--min-cell",
            "50",
            "--suppress",
            "--lang",
            "en",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let out = tmp.path().join("out");
    let rates = read_rows(&out.join("tables/rates_commune.csv"));
    let small: Vec<&Row> = rates
        .iter()
        .filter(|r| num(r, "households") < 50.0)
        .collect();
    assert!(!small.is_empty() && small.len() < rates.len());
    for r in &rates {
        let is_small = num(r, "households") < 50.0;
        assert_eq!(
            r["cell_flags"] == "small_cell,suppressed",
            is_small,
            "{r:?}"
        );
        assert_eq!(r["poor_pct"].is_empty(), is_small, "{r:?}");
        assert_eq!(r["poor"].is_empty(), is_small, "{r:?}");
    }
    let ind = read_rows(&out.join("tables/indicators_commune.csv"));
    assert!(ind
        .iter()
        .all(|r| r["deprived_pct"].is_empty() == (r["cell_flags"] == "small_cell,suppressed")));
    assert!(ind
        .iter()
        .any(|r| r["cell_flags"] == "small_cell,suppressed"));
    let html = std::fs::read_to_string(out.join("report/report_en.html")).unwrap();
    says(
        &html,
        "figures rest on fewer than 50 households and are left blank",
    );

    // The comparison tables by commune, the same rule.
    let args = "compare --scored out/scored --out cmp --from 2021 --to 2022 --by commune \
                --format csv --min-cell 50 --suppress";
    let o = dachieu(tmp.path(), &args.split_whitespace().collect::<Vec<_>>());
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    for table in [
        "transitions_commune",
        "transitions_summary_commune",
        "rates_change_commune",
    ] {
        let rows = read_rows(&tmp.path().join(format!("cmp/{table}.csv")));
        let flagged = rows
            .iter()
            .filter(|r| r["cell_flags"] == "small_cell,suppressed")
            .count();
        assert!(flagged > 0 && flagged < rows.len(), "{table}: {flagged}");
        let value = match table {
            "transitions_commune" => "households",
            "transitions_summary_commune" => "poor_to",
            _ => "change_pp",
        };
        assert!(rows
            .iter()
            .filter(|r| r["cell_flags"] == "small_cell,suppressed")
            .all(|r| r[value].is_empty()));
    }
}

#[test]
fn weighted_counts_print_without_float_noise() {
    let tmp = tempfile::tempdir().unwrap();
    let weights = |i: usize, cells: &mut Vec<String>, _: &[String]| {
        cells.push(["0.1", "0.2", "0.7"][i % 3].into());
    };
    let input = subset(tmp.path(), "11", &["2022"], true, &weights);
    let path = input.join("households.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let (head, rest) = text.split_once('\n').unwrap();
    write(&path, &format!("{head},weight\n{rest}"));
    let o = run(tmp.path(), &["--no-report", "--lonely-psu", "certainty"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let line = o
        .stdout
        .lines()
        .find(|l| l.starts_with("2022") && l.contains("Tỉnh Điện Biên"))
        .unwrap_or_else(|| panic!("{}", o.stdout));
    // Weights of a tenth: one decimal, not the sum's float noise (the
    // total row, named for the province: "2022 Tỉnh Điện Biên 254.0").
    let households = line.split_whitespace().nth(4).unwrap();
    let (whole, tenth) = households.split_once('.').expect("one decimal");
    assert!(whole.parse::<u64>().is_ok() && tenth.len() == 1, "{line}");
}
