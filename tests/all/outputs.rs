//! The catalogue of output columns (`dachieu::schema::outputs`) against
//! the files runs really write: every column of every output file is in
//! the catalogue with the type its values have, every catalogue entry
//! appears in some output, the Parquet fields carry the catalogue's
//! description, and `docs/outputs.md` is what the catalogue generates.
//!
//! The runs: the bundled sample (census, three years), the synthetic sample
//! of the hashes test (a design with strata and PSUs), the sample's tables
//! by every level with small cells flagged, both samples' last year under
//! the global MPI (weighted rule: vulnerable, severe, person measures), and
//! a bridge of 2022 between the national standard and the global MPI.

use crate::common::*;
use dachieu::schema::outputs::{self, OutType, Var, FILES};
use std::collections::BTreeSet;
use std::path::Path;

#[test]
fn codebook_is_what_the_catalogue_generates() {
    let path = repo().join("docs/outputs.md");
    let generated = outputs::codebook();
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let first = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b);
    assert!(
        committed == generated,
        "docs/outputs.md differs from the catalogue (first at line {}); \
         run UPDATE_GOLDEN=1 cargo test --test all codebook",
        first.map_or(
            committed.lines().count().min(generated.lines().count()),
            |l| l
        ) + 1
    );
}

/// What the checks found: (file pattern, column pattern) pairs seen.
#[derive(Default)]
struct Seen(BTreeSet<(&'static str, &'static str)>);

/// Run `dachieu args` in `cwd`; it must succeed.
fn ok(cwd: &Path, args: &[&str]) {
    let o = dachieu(cwd, args);
    assert_eq!(o.code, 0, "{args:?}: {}{}", o.stdout, o.stderr);
}

#[test]
fn every_output_column_is_catalogued_with_its_type_and_every_entry_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    ok(t, &["run", p(&sample_dir()), "--out", "out", "--quiet"]);
    let by = "district,commune,region,area";
    ok(
        t,
        &[
            "tables",
            "--scored",
            "out/scored",
            "--by",
            by,
            "--min-cell",
            "30",
            "--out",
            "levels",
            "--quiet",
        ],
    );
    ok(
        t,
        &[
            "score",
            "--dataset",
            "out/dataset",
            "--years",
            "2022",
            "--standard",
            "global-mpi",
            "--out",
            "mpi/scored",
            "--quiet",
        ],
    );
    ok(
        t,
        &[
            "tables",
            "--scored",
            "mpi/scored",
            "--out",
            "mpi/tables",
            "--quiet",
        ],
    );
    ok(
        t,
        &[
            "bridge",
            "--from",
            "out/scored",
            "--to",
            "mpi/scored",
            "--year",
            "2022",
            "--out",
            "bridge",
            "--quiet",
        ],
    );
    let synth = synth_run();
    ok(
        synth,
        &[
            "score",
            "--dataset",
            "out/dataset",
            "--years",
            "2021",
            "--standard",
            "global-mpi",
            "--out",
            "mpi/scored",
            "--quiet",
        ],
    );
    ok(
        synth,
        &[
            "tables",
            "--scored",
            "mpi/scored",
            "--out",
            "mpi/tables",
            "--quiet",
        ],
    );

    // Across the reform of 1 July 2025: the comparability columns.
    let reform = tempfile::tempdir().unwrap();
    write(
        &reform.path().join("in/households.csv"),
        "survey_year,household_id,province_code,commune_code,area,household_size,income_per_capita_month\n\
         2024,h1,89,30280,rural,1,500000\n2024,h2,91,31150,rural,1,5000000\n\
         2026,h1,91,30280,rural,1,500000\n2026,h2,91,31150,rural,1,500000\n",
    );
    ok(
        reform.path(),
        &[
            "run",
            "in",
            "--out",
            "out",
            "--members",
            "none",
            "--no-report",
            "--quiet",
        ],
    );
    let scored = reform.path().join("out/scored");
    for by in ["province", "commune"] {
        let out = t.join("reform").join(by);
        let args = [
            "compare",
            "--scored",
            p(&scored),
            "--out",
            p(&out),
            "--from",
            "2024",
            "--to",
            "2026",
            "--by",
            by,
            "--quiet",
        ];
        ok(t, &args);
    }

    let mut seen = Seen::default();
    for root in [t, synth] {
        for (rel, bytes) in tree(root) {
            let rel = rel.replace('\\', "/");
            let Some((stem_path, ext)) = rel.rsplit_once('.') else {
                continue;
            };
            if rel.starts_with("out/lists/") && ext == "xlsx" {
                check_list(&root.join(&rel), &rel, &mut seen);
                continue;
            }
            let skip = ["synth/", "out/dataset/", "out/report/"];
            if skip.iter().any(|s| rel.starts_with(s))
                || rel.ends_with("manifest.json")
                || !["csv", "json", "parquet"].contains(&ext)
            {
                continue;
            }
            let stem_path = stem_path
                .trim_start_matches("mpi/")
                .trim_start_matches("out/");
            let stem = stem_path.rsplit('/').next().unwrap();
            let file = outputs::file(stem_path)
                .or_else(|| outputs::file_by_stem(stem))
                .unwrap_or_else(|| panic!("{rel}: no file of the catalogue"));
            assert!(
                file.formats.contains(&ext),
                "{rel}: the catalogue does not list .{ext}"
            );
            let path = root.join(&rel);
            match ext {
                "parquet" => check_parquet(&path, &rel, file, &mut seen),
                "csv" => check_csv(&bytes, &rel, file, &mut seen),
                _ => check_json(&bytes, &rel, file, &mut seen),
            }
        }
    }
    let missing: Vec<String> = FILES
        .iter()
        .flat_map(|f| f.columns.iter().map(move |c| (f.path, c.name)))
        .filter(|k| !seen.0.contains(k))
        .map(|(f, c)| format!("{f}: {c}"))
        .collect();
    assert!(
        missing.is_empty(),
        "catalogue entries no output has:\n{}",
        missing.join("\n")
    );
}

/// The catalogue's column for `name` in `file`, recorded as seen.
fn entry(
    file: &'static outputs::OutFile,
    name: &str,
    rel: &str,
    seen: &mut Seen,
) -> (OutType, Vec<(Var, String)>) {
    let found = file.column(name).unwrap_or_else(|| {
        panic!(
            "{rel}: column `{name}` is not in the catalogue of {}",
            file.path
        )
    });
    seen.0.insert((file.path, found.column.name));
    (found.column.ty, found.vars)
}

fn check_parquet(path: &Path, rel: &str, file: &'static outputs::OutFile, seen: &mut Seen) {
    let batch = dachieu::dataset::read_parquet(path).unwrap();
    let schema = batch.schema();
    // A scored file's indicator columns are the indicators of its standard.
    let indicators: Vec<String> = schema
        .metadata()
        .get(dachieu::score::META_INDICATORS)
        .map(|s| s.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    for field in schema.fields() {
        let (ty, vars) = entry(file, field.name(), rel, seen);
        assert!(
            ty.stored_as(field.data_type()),
            "{rel}: `{}` is {} but catalogued {}",
            field.name(),
            field.data_type(),
            ty.name()
        );
        for (var, value) in &vars {
            if *var == Var::Indicator {
                assert!(
                    indicators.contains(value),
                    "{rel}: `{}` is no indicator of the file's standard",
                    field.name()
                );
            }
        }
        if !rel.contains("scored/") {
            let found = file.column(field.name()).unwrap();
            assert_eq!(
                field.metadata().get("description").map(String::as_str),
                Some(found.column.about),
                "{rel}: `{}` has no description in its Parquet field",
                field.name()
            );
            assert_eq!(field.metadata().get("label_vi"), Some(&found.labels().0));
        }
    }
}

fn check_csv(bytes: &[u8], rel: &str, file: &'static outputs::OutFile, seen: &mut Seen) {
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().unwrap().clone();
    let types: Vec<OutType> = header.iter().map(|h| entry(file, h, rel, seen).0).collect();
    for (i, row) in r.records().enumerate() {
        let row = row.unwrap();
        for ((cell, ty), name) in row.iter().zip(&types).zip(header.iter()) {
            assert!(
                cell.is_empty() || ty.parses(cell),
                "{rel} row {}: `{name}` = {cell:?} is not {}",
                i + 2,
                ty.name()
            );
        }
    }
}

fn check_json(bytes: &[u8], rel: &str, file: &'static outputs::OutFile, seen: &mut Seen) {
    let rows: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(bytes).unwrap();
    for row in &rows {
        for (name, v) in row {
            let (ty, _) = entry(file, name, rel, seen);
            let fits = match (ty, v) {
                (_, serde_json::Value::Null) => true,
                (OutType::Text, v) => v.is_string(),
                (OutType::Int, v) => v.is_i64() || v.is_u64(),
                (OutType::Bool, v) => v.is_boolean(),
                (_, v) => v.is_number(),
            };
            assert!(fits, "{rel}: `{name}` = {v} is not {}", ty.name());
        }
    }
}

/// A follow-up workbook: every header cell of every sheet is a catalogued
/// column of `lists/…` (its Vietnamese label, `<year>` a year).
fn check_list(path: &Path, rel: &str, seen: &mut Seen) {
    use calamine::Reader;
    let file = FILES
        .iter()
        .find(|f| f.path.starts_with("lists/"))
        .expect("the lists in the catalogue");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    for name in wb.sheet_names().to_vec() {
        let range = wb.worksheet_range(&name).unwrap();
        let header = range
            .rows()
            .find(|r| r.first().is_some_and(|c| *c == "STT"))
            .unwrap_or_else(|| panic!("{rel} {name}: no header row"));
        for cell in header {
            let h = cell.to_string();
            // Two columns may share a label (Loại hộ năm <year>, the year
            // telling them apart): the header is each of them.
            let cols: Vec<_> = (file.columns.iter())
                .filter(|c| match c.vi.split_once("<year>") {
                    Some((head, tail)) => h
                        .strip_prefix(head)
                        .and_then(|y| y.strip_suffix(tail))
                        .is_some_and(|y| Var::Year.admits(y)),
                    None => c.vi == h,
                })
                .collect();
            assert!(
                !cols.is_empty(),
                "{rel} {name}: header {h:?} is not in the catalogue"
            );
            for col in cols {
                seen.0.insert((file.path, col.name));
            }
        }
    }
}
