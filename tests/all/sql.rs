//! `dachieu sql` against the engine: the generated query runs in DuckDB and
//! must give, household by household, the class, path, measure, deprivation
//! range, possible classes and indicators of `scored.parquet`, and with
//! `--by` the rate table cell for cell — for every bundled standard and the
//! Đồng Nai example, on the sample, on synthetic data with missing cells,
//! and on data with absent members and pre-coded flags.
//!
//! DuckDB comes from PyPI (`.ci/run` installs it into a venv and names its
//! Python in `DACHIEU_DUCKDB_PYTHON`). Without it the test says so and
//! skips, except in CI (`CI=true`), where it fails.

use crate::common::{dachieu, p, repo, sample_dir, write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python that imports duckdb, or None.
fn duckdb_python() -> Option<String> {
    let candidates = [
        std::env::var("DACHIEU_DUCKDB_PYTHON").ok(),
        Some("python3".into()),
    ];
    candidates.into_iter().flatten().find(|py| {
        Command::new(py)
            .args(["-c", "import duckdb"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn need_duckdb() -> Option<String> {
    let py = duckdb_python();
    if py.is_none() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "DuckDB is not installed, and CI must run the SQL check: install it with \
             `python3 -m venv V && V/bin/pip install duckdb`, then set DACHIEU_DUCKDB_PYTHON=V/bin/python"
        );
        eprintln!(
            "SKIPPED: the SQL check needs DuckDB (`pip install duckdb`, or set DACHIEU_DUCKDB_PYTHON \
             to a Python that has it); nothing was compared"
        );
    }
    py
}

fn standards() -> Vec<String> {
    let mut v: Vec<String> = dachieu::standard::bundled::ids()
        .into_iter()
        .map(String::from)
        .collect();
    v.push(p(&repo().join("indicators/examples/dong-nai-2022-2025")).to_string());
    v
}

fn ok(o: &crate::common::Output, what: &str) {
    assert!(
        o.code == 0 || o.code == 1,
        "{what} failed ({}): {}",
        o.code,
        o.stderr
    );
}

/// Score `dataset` under `standard` with the engine and with the query;
/// the comparison's report, or None when it found no difference.
fn check(py: &str, dataset: &Path, work: &Path, standard: &str, extra: &[&str]) -> Option<String> {
    let (scored, tables) = (work.join("scored"), work.join("tables"));
    let (q, t) = (work.join("households.sql"), work.join("rates.sql"));
    ok(
        &dachieu(
            work,
            &[
                &[
                    "score",
                    "--dataset",
                    p(dataset),
                    "--out",
                    p(&scored),
                    "--standard",
                    standard,
                    "-q",
                ][..],
                extra,
            ]
            .concat(),
        ),
        "score",
    );
    ok(
        &dachieu(
            work,
            &[
                "tables",
                "--scored",
                p(&scored),
                "--out",
                p(&tables),
                "--by",
                "province,area",
                "--format",
                "csv",
                "-q",
            ],
        ),
        "tables",
    );
    let sql =
        |out: &Path, by: &[&str]| write_query(work, standard, dataset, out, &[by, extra].concat());
    sql(&q, &[]);
    sql(&t, &["--by", "province,area"]);
    let rates = format!("{}/rates_*.csv", p(&tables));
    let out = Command::new(py)
        .arg(repo().join("tests/sql/check.py"))
        .args([p(dataset), p(&q), p(&scored), p(&t), &rates])
        .output()
        .expect("python runs");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    eprintln!(
        "{standard} {extra:?}: {}",
        report.lines().next().unwrap_or("")
    );
    (!out.status.success()).then(|| {
        format!(
            "{standard} {extra:?}:\n{report}{}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `dachieu sql` for `standard` over `dataset`, with `more` options, into `out`.
fn write_query(work: &Path, standard: &str, dataset: &Path, out: &Path, more: &[&str]) {
    let args = [
        "sql",
        "--standard",
        standard,
        "--dataset",
        p(dataset),
        "--out",
        p(out),
    ];
    ok(&dachieu(work, &[&args[..], more].concat()), "sql");
}

fn ingest(dir: &Path, inputs: &Path) -> PathBuf {
    let dataset = dir.join("dataset");
    let o = dachieu(
        dir,
        &[
            "ingest",
            p(inputs),
            "--dataset",
            p(&dataset),
            "--quarantine",
            p(&dir.join("q.csv")),
            "-q",
        ],
    );
    ok(&o, "ingest");
    dataset
}

fn check_all(py: &str, dataset: &Path, dir: &Path, runs: &[(String, Vec<&str>)]) {
    let mut failures = Vec::new();
    for (i, (standard, extra)) in runs.iter().enumerate() {
        let work = dir.join(format!("run{i}"));
        std::fs::create_dir_all(&work).unwrap();
        failures.extend(check(py, dataset, &work, standard, extra));
    }
    assert!(
        failures.is_empty(),
        "the query and the engine differ:\n{}",
        failures.join("\n")
    );
}

/// Synthetic records with 3 % of optional cells blank, in `dir/synth`.
fn synth(dir: &Path, args: &[&str]) -> PathBuf {
    let out = dir.join("synth");
    let common = ["synth", "--missing-rate", "0.03", "--out", p(&out), "-q"];
    ok(&dachieu(dir, &[&common[..], args].concat()), "synth");
    out
}

#[test]
fn query_matches_engine_on_the_sample() {
    let Some(py) = need_duckdb() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = ingest(tmp.path(), &sample_dir());
    let mut runs: Vec<(String, Vec<&str>)> = standards().into_iter().map(|s| (s, vec![])).collect();
    // Each standard-wide policy for unknowns, under a count rule and the weighted rule.
    for policy in ["not-deprived", "deprived", "exclude"] {
        for st in ["vn-2022-2025", "global-mpi"] {
            runs.push((st.to_string(), vec!["--missing", policy]));
        }
    }
    check_all(&py, &dataset, tmp.path(), &runs);
}

#[test]
fn query_matches_engine_on_synthetic_data_with_missing_cells() {
    let Some(py) = need_duckdb() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let synth = synth(
        tmp.path(),
        &[
            "--households",
            "20000",
            "--years",
            "2020,2021",
            "--format",
            "parquet",
        ],
    );
    let dataset = ingest(tmp.path(), &synth);
    let runs: Vec<(String, Vec<&str>)> = standards().into_iter().map(|s| (s, vec![])).collect();
    check_all(&py, &dataset, tmp.path(), &runs);
}

/// Members without a record (fewer rows than `household_size`) and
/// pre-coded `dep_*` flags, blank in some households: neither occurs in
/// the sample or in synth's output, so they are made here from synth's CSV.
#[test]
fn query_matches_engine_with_absent_members_and_precoded_flags() {
    let Some(py) = need_duckdb() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let synth = synth(tmp.path(), &["--households", "3000"]);
    let read = |f: &str| std::fs::read_to_string(synth.join(f)).unwrap();
    let (households, members) = (read("households.csv"), read("members.csv"));
    assert!(
        !households.contains('"') && !members.contains('"'),
        "plain CSV expected"
    );
    let edited = tmp.path().join("edited");
    // Every 7th member row dropped: its household has an absent member.
    let kept: Vec<&str> = members
        .lines()
        .enumerate()
        .filter(|(i, _)| *i == 0 || i % 7 != 0)
        .map(|(_, l)| l)
        .collect();
    write(&edited.join("members.csv"), &(kept.join("\n") + "\n"));
    // Flags for household- and member-level indicators: blank, ticked, not ticked.
    let flags = [
        "dep_water_source",
        "dep_health_insurance",
        "dep_child_schooling",
        "dep_nutrition",
    ];
    let mut rows = Vec::new();
    for (i, line) in households.lines().enumerate() {
        let extra: Vec<&str> = if i == 0 {
            flags.to_vec()
        } else {
            (0..flags.len())
                .map(|k| ["", "1", "0", ""][(i + k) % 4])
                .collect()
        };
        rows.push(format!("{line},{}", extra.join(",")));
    }
    write(&edited.join("households.csv"), &(rows.join("\n") + "\n"));
    let dataset = ingest(tmp.path(), &edited);
    let header = dachieu(
        tmp.path(),
        &[
            "sql",
            "--standard",
            "vn-2022-2025",
            "--dataset",
            p(&dataset),
        ],
    );
    assert!(
        header
            .stdout
            .contains("Pre-coded flags read: dep_nutrition, dep_health_insurance"),
        "the query must read the flags the dataset carries"
    );
    let runs: Vec<(String, Vec<&str>)> = standards().into_iter().map(|s| (s, vec![])).collect();
    check_all(&py, &dataset, tmp.path(), &runs);
}

/// The header tells how to bind the two tables; Spark quotes with backticks;
/// a level the query cannot group by, and `auto`, are refused with what to do instead.
#[test]
fn query_header_says_how_to_bind_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let o = dachieu(tmp.path(), &["sql", "--standard", "vn-2022-2025"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o
        .stdout
        .contains("CREATE VIEW households AS SELECT * FROM read_parquet("));
    assert!(o.stdout.contains("household_indicators AS ("));
    let spark = dachieu(
        tmp.path(),
        &[
            "sql",
            "--standard",
            "global-mpi",
            "--dialect",
            "spark",
            "--by",
            "province",
        ],
    );
    assert_eq!(spark.code, 0, "{}", spark.stderr);
    assert!(spark.stdout.contains("`household_id`") && !spark.stdout.contains("\"household_id\""));
    let region = dachieu(
        tmp.path(),
        &["sql", "--standard", "vn-2022-2025", "--by", "region"],
    );
    assert_eq!(region.code, 2);
    assert!(
        region.stderr.contains("dachieu tables --by region"),
        "{}",
        region.stderr
    );
}

/// Files of two folders that differ in bytes (the lock file aside), or a
/// file only one of them has.
fn differing_files(a: &Path, b: &Path) -> Vec<String> {
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = walk(d)
            .into_iter()
            .filter(|f| f.file_name().is_some_and(|n| n != ".dachieu.lock"))
            .map(|f| f.strip_prefix(d).unwrap().to_path_buf())
            .collect();
        v.sort();
        v
    };
    let (la, lb) = (list(a), list(b));
    if la != lb {
        return vec![format!("files differ: {la:?} / {lb:?}")];
    }
    la.into_iter()
        .filter(|f| std::fs::read(a.join(f)).unwrap() != std::fs::read(b.join(f)).unwrap())
        .map(|f| f.display().to_string())
        .collect()
}

fn walk(d: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap() {
        let path = e.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Write the query for `standard`, run it in DuckDB and export its rows to
/// `out` with `export.py` (a folder when `out` ends in `/`).
fn export(py: &str, dataset: &Path, work: &Path, standard: &str, out: &str, select: &str) {
    let q = work.join(format!("{}.sql", standard.replace('/', "_")));
    write_query(work, standard, dataset, &q, &[]);
    let o = Command::new(py)
        .arg(repo().join("tests/sql/export.py"))
        .args([p(dataset), p(&q), out, select])
        .output()
        .expect("python runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `dachieu sql import` of `from` into `out` under `standard`.
fn import(cwd: &Path, standard: &str, from: &str, out: &Path) -> crate::common::Output {
    let args = [
        "sql",
        "import",
        "--standard",
        standard,
        "--from",
        from,
        "--out",
        p(out),
    ];
    dachieu(cwd, &args)
}

/// A copy of the sample whose households lack the kept (pass-through)
/// columns of the data contract.
fn sample_without_kept_columns(dir: &Path) -> PathBuf {
    let out = dir.join("sample-contract-only");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::copy(sample_dir().join("members.csv"), out.join("members.csv")).unwrap();
    let mut r = csv::Reader::from_path(sample_dir().join("households.csv")).unwrap();
    let keep: Vec<usize> = (r.headers().unwrap().iter().enumerate())
        .filter(|(_, h)| !dachieu::schema::KEPT_COLUMNS.iter().any(|k| k.name == *h))
        .map(|(i, _)| i)
        .collect();
    let mut w = csv::Writer::from_path(out.join("households.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    w.write_record(keep.iter().map(|&i| &header[i])).unwrap();
    for rec in r.records() {
        let rec = rec.unwrap();
        w.write_record(keep.iter().map(|&i| &rec[i])).unwrap();
    }
    w.flush().unwrap();
    out
}

/// The command failed with exit 2 and its message says each of `says`.
fn refused(o: &crate::common::Output, says: &[&str]) {
    assert_eq!(o.code, 2, "{}", o.stderr);
    for s in says {
        assert!(o.stderr.contains(s), "expected {s:?} in: {}", o.stderr);
    }
}

/// A warehouse's classification brought back with `dachieu sql import`
/// gives, under `dachieu tables`, byte-identical rate, indicator and
/// estimate tables to the engine's own scored folder — and the imported
/// scored files and follow-up lists are byte-identical to the engine's too
/// — under a count rule and the weighted rule, from one file and from a
/// folder of one file per year. The query classifies; it does not carry
/// the input's pass-through columns (a head's name, a village) that the
/// engine keeps in its scored file, so the sample is used without them.
#[test]
fn imported_warehouse_result_gives_the_engines_tables() {
    let Some(py) = need_duckdb() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = ingest(tmp.path(), &sample_without_kept_columns(tmp.path()));
    for (standard, file) in [("vn-2022-2025", "rows.parquet"), ("global-mpi", "rows/")] {
        let work = tmp.path().join(standard);
        std::fs::create_dir_all(&work).unwrap();
        let (scored, imported) = (work.join("scored"), work.join("imported"));
        let from = format!("{}/{file}", p(&work));
        export(&py, &dataset, &work, standard, &from, "*");
        let o = import(&work, standard, &from, &imported);
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            o.stdout
                .contains("survey year 2022: 2016 households imported"),
            "{}",
            o.stdout
        );
        let o = dachieu(
            &work,
            &[
                "score",
                "--dataset",
                p(&dataset),
                "--out",
                p(&scored),
                "--standard",
                standard,
                "-q",
            ],
        );
        ok(&o, "score");
        for (dir, tables) in [(&scored, "t-engine"), (&imported, "t-imported")] {
            let o = dachieu(
                &work,
                &[
                    "tables",
                    "--scored",
                    p(dir),
                    "--out",
                    p(&work.join(tables)),
                    "--by",
                    "province,area",
                    "--format",
                    "csv",
                    "-q",
                ],
            );
            ok(&o, "tables");
        }
        let (te, ti) = (work.join("t-engine"), work.join("t-imported"));
        assert!(te.join("estimates.csv").is_file() && te.join("rates_province.csv").is_file());
        assert_eq!(
            differing_files(&te, &ti),
            Vec::<String>::new(),
            "{standard}: tables"
        );
        assert_eq!(
            differing_files(&scored, &imported),
            Vec::<String>::new(),
            "{standard}: scored"
        );
        if file == "rows.parquet" {
            // The same rows twice (a folder written into twice): refused.
            let twice = work.join("twice");
            std::fs::create_dir_all(&twice).unwrap();
            for n in ["a", "b"] {
                std::fs::copy(&from, twice.join(format!("{n}.parquet"))).unwrap();
            }
            refused(
                &import(&work, standard, p(&twice), &work.join("again")),
                &["is in the query's output twice"],
            );
        }
    }
}

/// Rows that are not the query's households for the standard are refused
/// with exit 2, naming each missing column and each column of another
/// type, and nothing is written.
#[test]
fn import_refuses_rows_lacking_a_column_naming_it() {
    let Some(py) = need_duckdb() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dataset = ingest(tmp.path(), &sample_dir());
    let from = tmp.path().join("bad.parquet");
    let select =
        "* EXCLUDE (deprivations_max) REPLACE (CAST(household_size > 3 AS INTEGER) AS area)";
    export(&py, &dataset, tmp.path(), "vn-2022-2025", p(&from), select);
    let out = tmp.path().join("imported");
    let o = import(tmp.path(), "vn-2022-2025", p(&from), &out);
    refused(
        &o,
        &[
            "bad.parquet",
            "lacks the column(s) deprivations_max",
            "`area` holds Int32 where the scored file needs text",
        ],
    );
    assert!(!out.join("survey_year=2022").exists());
    // The same rows for another standard: its indicators are missing.
    let o = import(tmp.path(), "global-mpi", p(&from), &out);
    refused(&o, &["child_mortality, years_schooling"]);
}
