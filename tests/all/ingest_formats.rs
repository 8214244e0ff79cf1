//! The same records as CSV, semicolon CSV with a BOM, XLSX and Parquet give
//! the same tables; re-ingesting a year replaces it and leaves others alone.

use crate::common::*;
use std::path::Path;

/// The first `n` households of 2020 in the sample, and their members, as CSV text.
fn subset(n: usize) -> (String, String) {
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let mem = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
    let lines: Vec<&str> = hh.lines().take(n + 1).collect();
    let ids: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let mlines: Vec<&str> = mem
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            let f: Vec<&str> = l.split(',').collect();
            *i == 0 || (f[0] == "2020" && ids.contains(f[1]))
        })
        .map(|(_, l)| l)
        .collect();
    (lines.join("\n") + "\n", mlines.join("\n") + "\n")
}

fn tables_of(dir: &Path, input: &Path) -> Vec<(String, Vec<u8>)> {
    let out = dir.join("out");
    std::fs::create_dir_all(dir).unwrap();
    let o = dachieu(
        dir,
        &[
            "run",
            "--no-report",
            p(input),
            "--out",
            p(&out),
            "--format",
            "csv",
            "--by",
            "province,district",
        ],
    );
    assert!(
        o.code == 0,
        "run failed ({}): {}{}",
        o.code,
        o.stdout,
        o.stderr
    );
    tree(&out.join("tables"))
}

pub fn write_xlsx(path: &Path, hh: &str, mem: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, text) in [("households", hh), ("members", mem)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for (r, rec) in rdr.records().enumerate() {
            let rec = rec.unwrap();
            for (c, v) in rec.iter().enumerate() {
                let is_id = r > 0 && (c == 1 || (name == "members" && c == 2));
                // Numbers as Excel numbers (codes like 01 lose their zero, as in real files).
                match v.parse::<f64>() {
                    Ok(x) if r > 0 && !is_id => ws.write_number(r as u32, c as u16, x).map(|_| ()),
                    _ if v.is_empty() => Ok(()),
                    _ => ws.write_string(r as u32, c as u16, v).map(|_| ()),
                }
                .unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn csv_semicolon_bom_xlsx_and_parquet_agree() {
    let (hh, mem) = subset(150);
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(&t.join("csv/households.csv"), &hh);
    write(&t.join("csv/members.csv"), &mem);
    let reference = tables_of(&t.join("a"), &t.join("csv"));
    assert!(!reference.is_empty());

    let semi = |s: &str| format!("\u{feff}{}", s.replace(',', ";"));
    write(&t.join("semi/households.csv"), &semi(&hh));
    write(&t.join("semi/members.csv"), &semi(&mem));
    assert_eq!(
        tables_of(&t.join("b"), &t.join("semi")),
        reference,
        "semicolon + BOM"
    );

    std::fs::create_dir_all(t.join("xlsx")).unwrap();
    write_xlsx(&t.join("xlsx/review.xlsx"), &hh, &mem);
    assert_eq!(tables_of(&t.join("c"), &t.join("xlsx")), reference, "xlsx");

    // The dataset written by ingest is itself valid Parquet input.
    let ds = t.join("a/out/dataset/survey_year=2020");
    std::fs::create_dir_all(t.join("pq")).unwrap();
    std::fs::copy(
        ds.join("households.parquet"),
        t.join("pq/households.parquet"),
    )
    .unwrap();
    std::fs::copy(ds.join("members.parquet"), t.join("pq/members.parquet")).unwrap();
    assert_eq!(tables_of(&t.join("d"), &t.join("pq")), reference, "parquet");
}

#[test]
fn reingest_replaces_only_the_years_given() {
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let ds = t.join("ds");
    let ingest = |f: &Path| {
        dachieu(
            t,
            &[
                "ingest",
                p(f),
                "--dataset",
                p(&ds),
                "--quarantine",
                p(&t.join("q.csv")),
            ],
        )
    };
    let y2020: Vec<&str> = hh
        .lines()
        .filter(|l| l.starts_with("survey_year") || l.starts_with("2020"))
        .collect();
    let y2021: Vec<&str> = hh
        .lines()
        .filter(|l| l.starts_with("survey_year") || l.starts_with("2021"))
        .collect();
    write(&t.join("a/households.csv"), &(y2020.join("\n") + "\n"));
    write(&t.join("b/households.csv"), &(y2021.join("\n") + "\n"));
    write(
        &t.join("c/households.csv"),
        &(y2020[..11].join("\n") + "\n"),
    );
    assert_eq!(ingest(&t.join("a/households.csv")).code, 0);
    assert_eq!(ingest(&t.join("b/households.csv")).code, 0);
    let o = ingest(&t.join("c/households.csv"));
    assert_eq!(o.code, 0);
    assert!(
        o.stdout.contains("survey year 2020: 10 households"),
        "{}",
        o.stdout
    );
    assert_eq!(dachieu::dataset::years(&ds).unwrap(), vec![2020, 2021]);
    let n = |y| {
        dachieu::dataset::read_parquet(
            &dachieu::dataset::year_dir(&ds, y).join("households.parquet"),
        )
        .unwrap()
        .num_rows()
    };
    assert_eq!(n(2020), 10);
    assert_eq!(n(2021), y2021.len() - 1);
    // No staging or moved-aside folders are left behind (the lock of the
    // folder stays, hidden).
    let names: Vec<String> = std::fs::read_dir(&ds)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != dachieu::outdir::LOCK_FILE)
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with("survey_year=")),
        "{names:?}"
    );
}
