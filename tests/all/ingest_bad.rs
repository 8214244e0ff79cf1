//! Bad input: every kind of bad row is quarantined with a reason, nothing is
//! lost (accepted + quarantined = read), and unusable files fail clearly.

use crate::common::*;
use proptest::prelude::*;
use std::collections::BTreeSet;

fn quarantine_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn each_kind_of_bad_row_is_quarantined_with_its_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let q = tmp.path().join("q.csv");
    let out = dachieu(
        &repo(),
        &[
            "ingest",
            "data-samples/bad",
            "--dataset",
            p(&tmp.path().join("ds")),
            "--quarantine",
            p(&q),
        ],
    );
    assert_eq!(out.code, 1, "quarantined rows exit 1: {}", out.stderr);
    assert!(
        out.stdout.contains("30 row(s) quarantined"),
        "{}",
        out.stdout
    );
    let rows = quarantine_rows(&q);
    // (file, line, column, words the reason must contain)
    let expected: &[(&str, &str, &str, &str)] = &[
        ("households", "6", "province_code", "not one of the 63"),
        ("households", "7", "area", "urban, rural"),
        ("households", "8", "income_per_capita_month", "whole number"),
        ("households", "9", "income_per_capita_month", "at least 0"),
        (
            "households",
            "10",
            "income_per_capita_month",
            "without decimals",
        ),
        ("households", "11", "floor_area_m2", "greater than 0"),
        ("households", "12", "floor_area_m2", "greater than 0"),
        ("households", "13", "household_size", "at least 1"),
        ("households", "14", "household_size", "required"),
        ("households", "15", "survey_year", "required"),
        ("households", "16", "household_id", "required"),
        // every copy of a duplicate, so the result does not depend on row order
        ("households", "2", "household_id", "appears 2 times"),
        ("households", "17", "household_id", "appears 2 times"),
        ("households", "18", "has_tv", "yes or no"),
        ("households", "19", "water_source", "not a known code"),
        ("households", "20", "", "20 fields but the header has 21"),
        ("households", "21", "", "22 fields"),
        ("households", "22", "score_b1", "at least 0"),
        ("members", "9", "age", "at most 120"),
        ("members", "10", "age", "at least 0"),
        ("members", "11", "age", "whole number"),
        ("members", "12", "birth_year", "after the survey year"),
        (
            "members",
            "13",
            "household_id",
            "no record for survey year 2020",
        ),
        ("members", "14", "household_id", "was quarantined at"),
        ("members", "2", "household_id", "was quarantined at"),
        ("members", "3", "household_id", "was quarantined at"),
        ("members", "4", "household_id", "was quarantined at"),
        ("members", "6", "member_id", "appears 2 times"),
        ("members", "15", "member_id", "appears 2 times"),
        ("members", "16", "education_level", "not a known code"),
    ];
    for (file, line, column, words) in expected {
        let hit = rows.iter().any(|r| {
            r[0].ends_with(&format!("{file}.csv"))
                && r[1] == *line
                && r[2] == *column
                && r[4].contains(words)
        });
        assert!(
            hit,
            "no quarantine line for {file}.csv:{line} {column} «{words}»; got:\n{rows:#?}"
        );
    }
    let distinct: BTreeSet<(String, String)> =
        rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(distinct.len(), expected.len());
}

#[test]
fn unusable_files_fail_with_exit_2_and_say_why() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    let run = |file: &std::path::Path| {
        dachieu(
            tmp.path(),
            &[
                "ingest",
                p(file),
                "--dataset",
                p(&ds),
                "--quarantine",
                p(&tmp.path().join("q.csv")),
            ],
        )
    };
    let empty = tmp.path().join("empty.csv");
    write(&empty, "");
    let o = run(&empty);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("empty.csv") && o.stderr.contains("the file is empty"),
        "{}",
        o.stderr
    );

    let no_area = tmp.path().join("no_area.csv");
    write(
        &no_area,
        "survey_year,household_id,province_code,household_size\n2020,a,89,3\n",
    );
    let o = run(&no_area);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("lacks required column(s) `area`"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("khu_vuc"),
        "aliases are suggested: {}",
        o.stderr
    );

    let garbage = tmp.path().join("book.xlsx");
    write(&garbage, "this is not a workbook");
    let o = run(&garbage);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("book.xlsx") && o.stderr.contains("not an Excel workbook"),
        "{}",
        o.stderr
    );

    let not_parquet = tmp.path().join("x.parquet");
    write(&not_parquet, "PAR1 nope");
    assert_eq!(run(&not_parquet).code, 2);

    let o = run(&tmp.path().join("missing.csv"));
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no such file"), "{}", o.stderr);

    let dup = tmp.path().join("dup.csv");
    write(
        &dup,
        "survey_year,nam,household_id,province_code,area,household_size\n",
    );
    let o = run(&dup);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("both mean `survey_year`"), "{}", o.stderr);
}

/// Ingest one file in `dir`; the outcome and the quarantine rows.
fn ingest_file(dir: &std::path::Path, f: &std::path::Path) -> (Output, Vec<Vec<String>>) {
    let q = dir.join("q.csv");
    let ds = dir.join("ds");
    let o = dachieu(
        dir,
        &["ingest", p(f), "--dataset", p(&ds), "--quarantine", p(&q)],
    );
    let rows = if q.exists() {
        quarantine_rows(&q)
    } else {
        Vec::new()
    };
    (o, rows)
}

#[test]
fn invalid_utf8_row_is_quarantined_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.csv");
    let mut bytes = b"survey_year,household_id,province_code,area,household_size\n2020,a,89,rural,2\n2020,b\xff,89,rural,2\n".to_vec();
    bytes.extend_from_slice(b"2020,c,89,rural,1\n");
    std::fs::write(&f, bytes).unwrap();
    let (o, rows) = ingest_file(tmp.path(), &f);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], "3");
    assert!(rows[0][4].contains("UTF-8"));
}

#[test]
fn an_unclosed_quote_is_reported_with_the_lines_it_swallowed() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.csv");
    // A stray quote on line 3 closed by another on line 5: one record of
    // the wrong width, reported with both lines; line 6 is read as line 6.
    write(&f, "survey_year,household_id,province_code,area,household_size\n2020,a,89,rural,2\n2020,\"b,89,rural,2\n2020,c,89,rural,1\n2020,d,89\",rural,1\n2020,e,89,rural,x\n");
    let (o, rows) = ingest_file(tmp.path(), &f);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0][1], "3");
    assert_eq!(rows[1][1], "6");
    assert!(
        rows[0][4].contains("from line 3 to line 5")
            && rows[0][4].contains("closed only on line 5"),
        "{}",
        rows[0][4]
    );
}

/// Cells a field office might type by mistake.
const JUNK: &[&str] = &[
    "",
    "abc",
    "-1",
    "99",
    "1.5",
    "maybe",
    "0",
    "121",
    "x,y",
    "2030",
    "NA",
    "Nông thôn",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn nothing_is_lost_whatever_the_corruption(edits in proptest::collection::vec((0usize..40, 0usize..21, 0usize..JUNK.len()), 1..30)) {
        let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
        let mem = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
        let mut lines: Vec<Vec<String>> = hh.lines().take(41).map(|l| l.split(',').map(str::to_string).collect()).collect();
        for (row, col, junk) in &edits {
            let r = &mut lines[1 + row];
            let c = col % r.len();
            r[c] = JUNK[*junk].to_string();
        }
        let ids: BTreeSet<String> = lines[1..].iter().filter_map(|r| r.get(1).cloned()).collect();
        let member_lines: Vec<&str> = mem.lines().enumerate()
            .filter(|(i, l)| *i == 0 || l.split(',').nth(1).is_some_and(|id| ids.contains(id)))
            .map(|(_, l)| l).collect();
        let tmp = tempfile::tempdir().unwrap();
        let text: String = lines.iter().map(|r| r.join(",") + "\n").collect();
        write(&tmp.path().join("in/households.csv"), &text);
        write(&tmp.path().join("in/members.csv"), &(member_lines.join("\n") + "\n"));
        let s = dachieu::ingest::ingest(&[tmp.path().join("in")], &tmp.path().join("ds")).unwrap();
        for t in &s.tables {
            prop_assert_eq!(t.read, t.accepted + t.quarantined, "{}", t.source);
        }
        prop_assert_eq!(s.tables[0].read as usize, lines.len() - 1);
        prop_assert_eq!(s.tables[1].read as usize, member_lines.len() - 1);
        let rows: BTreeSet<(String, u64)> = s.quarantine.iter().map(|e| (e.source.clone(), e.row)).collect();
        prop_assert_eq!(rows.len() as u64, s.quarantined);
        let written: usize = s.years.iter().map(|y| y.households + y.members).sum();
        prop_assert_eq!(written as u64, s.accepted);
        // Cut into runs of a few rows, spilled and merged (never written
        // directly): the same dataset and quarantine.
        let opts = dachieu::ingest::IngestOptions { run_rows: Some(4), fan_in: Some(3), no_direct: true, ..Default::default() };
        let t = dachieu::ingest::ingest_with(&[tmp.path().join("in")], &tmp.path().join("ds4"), opts).unwrap();
        prop_assert_eq!(&t.quarantine, &s.quarantine);
        prop_assert_eq!(tree(&tmp.path().join("ds4")), tree(&tmp.path().join("ds")));
    }
}

#[test]
fn spilled_runs_give_the_same_dataset_as_one_run() {
    // The sample and the bad rows (duplicates, orphans, rejected households),
    // cut into runs of 97 and 1000 rows, merged 4 at a time in stages,
    // against the default (one run in memory).
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [sample_dir(), sample_dir().join("bad")];
    let one = dachieu::ingest::ingest(&inputs, &tmp.path().join("one")).unwrap();
    assert!(one.quarantined > 0 && one.accepted > 1000);
    for rows in [97, 1000] {
        let dir = tmp.path().join(format!("runs{rows}"));
        let opts = dachieu::ingest::IngestOptions {
            run_rows: Some(rows),
            fan_in: Some(4),
            ..Default::default()
        };
        let s = dachieu::ingest::ingest_with(&inputs, &dir, opts).unwrap();
        assert_eq!(s.quarantine, one.quarantine, "runs of {rows}");
        assert_eq!(s.accepted, one.accepted);
        assert_eq!(tree(&dir), tree(&tmp.path().join("one")), "runs of {rows}");
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.iter()
                .all(|n| n.to_string_lossy().starts_with("survey_year=")),
            "spill files left: {left:?}"
        );
    }
}

#[test]
fn a_member_copy_rejected_for_another_reason_still_makes_a_duplicate() {
    // As for households: every copy of a duplicated member is set aside,
    // whichever copy was otherwise valid.
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("in/households.csv"), "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n2020,h1,89,rural,2,500000\n");
    write(
        &tmp.path().join("in/members.csv"),
        "survey_year,household_id,member_id,age\n2020,h1,1,30\n2020,h1,1,abc\n2020,h1,2,5\n",
    );
    let s = dachieu::ingest::ingest(&[tmp.path().join("in")], &tmp.path().join("ds")).unwrap();
    let m = &s.tables[1];
    assert_eq!((m.read, m.accepted, m.quarantined), (3, 1, 2));
    let dup: Vec<_> = s
        .quarantine
        .iter()
        .filter(|e| e.reason.contains("appears 2 times"))
        .map(|e| e.row)
        .collect();
    assert_eq!(dup, vec![2, 3]);
}

#[test]
fn run_with_no_accepted_household_fails_and_never_rescores_old_data() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(&t.join("good/households.csv"), "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n2020,h1,89,rural,1,500000\n");
    write(&t.join("bad/households.csv"), "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n2020,h1,99,rural,1,500000\n");
    assert_eq!(
        dachieu(
            t,
            &[
                "run",
                "--no-report",
                "good",
                "--out",
                "out",
                "--members",
                "none"
            ]
        )
        .code,
        0
    );
    let o = dachieu(t, &["run", "--no-report", "bad", "--out", "out"]);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stderr.contains("no household row was accepted") && o.stderr.contains("quarantine.csv"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_row_number_column_is_ignored_not_taken_for_a_member_id() {
    // "STT" (số thứ tự) heads most Vietnamese lists; it is not a member id.
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("households.csv");
    write(&f, "STT,survey_year,household_id,province_code,area,household_size,income_per_capita_month\n1,2020,h1,89,rural,1,500000\n");
    let (o, rows) = ingest_file(tmp.path(), &f);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(rows.is_empty());
    assert!(
        o.stdout
            .contains("column `STT` is not part of the households data contract"),
        "{}",
        o.stdout
    );
}
