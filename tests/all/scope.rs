//! A run is named for what its records cover (issue 16 §1): one province's
//! records give a run that says "Tỉnh Điện Biên" everywhere and breaks
//! down by district with names; several provinces name themselves so; all
//! 63 are "Toàn quốc". Codes the bundled list lacks are counted and can be
//! named with `--unit-names`.

use crate::common::{dachieu, read_rows, repo, synth_run, write, Row};
use calamine::{open_workbook_auto, Data, Reader};
use std::path::Path;

/// The sample's households and members of province `code`, with
/// `edit(household row)` applied to each household row, written to `dir`.
fn one_province(dir: &Path, code: &str, edit: impl Fn(&mut csv::StringRecord, &csv::StringRecord)) {
    std::fs::create_dir_all(dir).unwrap();
    let sample = repo().join("data-samples");
    let mut keep = std::collections::BTreeSet::new();
    let mut rd = csv::Reader::from_path(sample.join("households.csv")).unwrap();
    let head = rd.headers().unwrap().clone();
    let col = |h: &csv::StringRecord, n: &str| h.iter().position(|c| c == n).unwrap();
    let (pc, hc, yc) = (
        col(&head, "province_code"),
        col(&head, "household_id"),
        col(&head, "survey_year"),
    );
    let mut w = csv::Writer::from_path(dir.join("households.csv")).unwrap();
    w.write_record(&head).unwrap();
    for r in rd.records() {
        let mut r = r.unwrap();
        if &r[pc] == code {
            keep.insert((r[yc].to_string(), r[hc].to_string()));
            edit(&mut r, &head);
            w.write_record(&r).unwrap();
        }
    }
    w.flush().unwrap();
    let mut rd = csv::Reader::from_path(sample.join("members.csv")).unwrap();
    let head = rd.headers().unwrap().clone();
    let (hc, yc) = (col(&head, "household_id"), col(&head, "survey_year"));
    let mut w = csv::Writer::from_path(dir.join("members.csv")).unwrap();
    w.write_record(&head).unwrap();
    for r in rd.records() {
        let r = r.unwrap();
        if keep.contains(&(r[yc].to_string(), r[hc].to_string())) {
            w.write_record(&r).unwrap();
        }
    }
    w.flush().unwrap();
    assert!(
        !keep.is_empty(),
        "no household of province {code} in the sample"
    );
}

/// Every text of every sheet of a workbook.
fn workbook_text(path: &Path) -> String {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut text = String::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            if let Data::String(s) = cell.2 {
                text.push_str(s);
                text.push('\n');
            }
        }
    }
    text
}

fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

fn totals(rows: &[Row]) -> Vec<&Row> {
    rows.iter().filter(|r| r["level"] == "total").collect()
}

#[test]
fn one_province_is_named_for_itself_everywhere_and_broken_down_by_district() {
    let dir = tempfile::tempdir().unwrap();
    one_province(&dir.path().join("in"), "11", |_, _| {});
    let o = dachieu(dir.path(), &["run", "in", "--out", "out"]);
    assert!(o.code <= 1, "{}{}", o.stdout, o.stderr);
    let out = dir.path().join("out");
    // The console: the scope, and the total row of the first table.
    assert!(o.stdout.contains("scope: Tỉnh Điện Biên"), "{}", o.stdout);
    assert!(o.stdout.contains("2022   Tỉnh Điện Biên"), "{}", o.stdout);
    // Tables: by district by default, every district named, the total
    // row named for the province.
    let rates = read_rows(&out.join("tables/rates_district.csv"));
    assert!(!out.join("tables/rates_province.csv").exists());
    assert_eq!(totals(&rates).len(), 3);
    assert!(totals(&rates).iter().all(|r| r["name"] == "Tỉnh Điện Biên"));
    let districts: Vec<&Row> = rates.iter().filter(|r| r["level"] == "district").collect();
    assert!(districts.len() > 3);
    assert!(
        districts.iter().all(|r| !r["name"].is_empty()),
        "{districts:?}"
    );
    assert!(districts.iter().any(|r| r["name"].starts_with("Huyện ")));
    // The comparison follows the breakdown.
    assert!(out.join("compare/rates_change_district.csv").exists());
    // The manifest.
    let m = manifest(&out);
    assert_eq!(m["scope"]["id"], "province:11");
    assert_eq!(m["scope"]["name_vi"], "Tỉnh Điện Biên");
    assert_eq!(m["options"]["by"], serde_json::json!(["district"]));
    // The report: headed by the province, a district chart, no maps of
    // grey tiles; counts beside rates.
    let html = std::fs::read_to_string(out.join("report/report_vi.html")).unwrap();
    assert!(html.contains("Số liệu chính (Tỉnh Điện Biên)"));
    assert!(html.contains("id=\"poor-count-2022\""));
    assert!(out.join("report/charts/vi/poor_by_district.svg").exists());
    assert!(!out.join("report/charts/vi/map_provinces_63.svg").exists());
    let en = std::fs::read_to_string(out.join("report/report_en.html")).unwrap();
    assert!(en.contains("Key figures (Dien Bien province)"));
    // The workbook's total rows.
    let book = workbook_text(&out.join("report/tables_vi.xlsx"));
    assert!(book.contains("Tỉnh Điện Biên"));
    // Never the whole country, in any file a person reads.
    let mut texts = vec![o.stdout.clone(), html, en, book];
    texts.push(workbook_text(&out.join("report/tables_en.xlsx")));
    for sub in ["tables", "compare"] {
        for e in std::fs::read_dir(out.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "csv" || x == "json") {
                texts.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    texts.push(std::fs::read_to_string(out.join("manifest.json")).unwrap());
    for t in &texts {
        for word in ["Toàn quốc", "toàn quốc", "national", "National", "cả nước"] {
            assert!(!t.contains(word), "`{word}` in a one-province run's output");
        }
    }
}

#[test]
fn one_province_breaks_down_as_asked_when_by_is_given() {
    let dir = tempfile::tempdir().unwrap();
    one_province(&dir.path().join("in"), "11", |_, _| {});
    let o = dachieu(
        dir.path(),
        &[
            "run",
            "in",
            "--out",
            "out",
            "--no-report",
            "--by",
            "province",
            "-q",
        ],
    );
    assert!(o.code <= 1, "{}{}", o.stdout, o.stderr);
    let rates = read_rows(&dir.path().join("out/tables/rates_province.csv"));
    assert!(totals(&rates).iter().all(|r| r["name"] == "Tỉnh Điện Biên"));
    // `report` and `compare` take --by too.
    let o = dachieu(
        dir.path(),
        &[
            "report",
            "--scored",
            "out/scored",
            "--out",
            "rep",
            "--by",
            "commune",
            "--lang",
            "vi",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert!(dir
        .path()
        .join("rep/charts/vi/poor_by_commune.svg")
        .exists());
    let o = dachieu(
        dir.path(),
        &[
            "compare",
            "--scored",
            "out/scored",
            "--out",
            "cmp",
            "--from",
            "2021",
            "--to",
            "2022",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let change = read_rows(&dir.path().join("cmp/rates_change_district.csv"));
    assert!(totals(&change)
        .iter()
        .all(|r| r["name"] == "Tỉnh Điện Biên"));
}

#[test]
fn several_provinces_name_themselves_and_all_63_are_the_whole_country() {
    let dir = tempfile::tempdir().unwrap();
    let o = dachieu(
        dir.path(),
        &[
            "run",
            repo().join("data-samples").to_str().unwrap(),
            "--out",
            "out",
            "--no-report",
            "-q",
        ],
    );
    assert!(o.code <= 1, "{}{}", o.stdout, o.stderr);
    let rates = read_rows(&dir.path().join("out/tables/rates_province.csv"));
    let provinces: std::collections::BTreeSet<&str> = (rates.iter())
        .filter(|r| r["level"] == "province")
        .map(|r| r["code"].as_str())
        .collect();
    let name = format!("{} tỉnh, thành phố trong dữ liệu", provinces.len());
    assert!(provinces.len() > 1 && provinces.len() < 63);
    assert!(totals(&rates).iter().all(|r| r["name"] == name), "{name}");
    assert_eq!(manifest(&dir.path().join("out"))["scope"]["name_vi"], name);
    // A synthetic population of the whole country.
    let synth = synth_run().join("out");
    let rates = read_rows(&synth.join("tables/rates_province.csv"));
    let m = manifest(&synth);
    assert_eq!(m["scope"]["id"], "country");
    assert!(totals(&rates).iter().all(|r| r["name"] == "Toàn quốc"));
    let html = std::fs::read_to_string(synth.join("report/report_vi.html")).unwrap();
    assert!(html.contains("Số liệu chính (Toàn quốc)"));
}

/// A commune code no list has: counted, kept under its code without a
/// name, and named by a names file.
#[test]
fn codes_not_in_the_list_are_counted_and_named_by_the_users_file() {
    let dir = tempfile::tempdir().unwrap();
    one_province(&dir.path().join("in"), "11", |r, head| {
        let c = head.iter().position(|h| h == "commune_code").unwrap();
        let id = head.iter().position(|h| h == "household_id").unwrap();
        // Every third household, in a commune merged away long ago.
        if r[id].bytes().map(u32::from).sum::<u32>() % 3 == 0 {
            let mut v: Vec<String> = r.iter().map(str::to_string).collect();
            v[c] = "99991".into();
            *r = csv::StringRecord::from(v);
        }
    });
    let run = |extra: &[&str]| {
        let mut args = vec![
            "run",
            "in",
            "--out",
            "out",
            "--no-report",
            "--by",
            "commune",
        ];
        args.extend_from_slice(extra);
        let o = dachieu(dir.path(), &args);
        assert!(o.code <= 1, "{}{}", o.stdout, o.stderr);
        let m = manifest(&dir.path().join("out"));
        let rates = read_rows(&dir.path().join("out/tables/rates_commune.csv"));
        let row = rates.into_iter().find(|r| r["code"] == "99991").unwrap();
        (o.stdout, m, row)
    };
    let (stdout, m, row) = run(&[]);
    let missing = m["scope"]["communes_not_in_list"].as_u64().unwrap();
    assert!(missing >= 1);
    assert!(m["scope"]["codes_not_in_list"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!("99991")));
    assert!(
        stdout.contains(&format!("note: {missing} commune")),
        "{stdout}"
    );
    assert!(stdout.contains("not in the list of 01/03/2025"), "{stdout}");
    assert_eq!(row["name"], "", "no invented name");
    write(
        &dir.path().join("names.csv"),
        "level,code,name,name_en\ncommune,99991,Xã Cũ Trước Sáp Nhập,Old commune\n",
    );
    assert_eq!(lists_named(dir.path(), "99991"), ["99991.xlsx"]);
    let (_, m, row) = run(&["--unit-names", "names.csv"]);
    assert_eq!(row["name"], "Xã Cũ Trước Sáp Nhập");
    // The commune's follow-up list is named by the file too.
    assert_eq!(
        lists_named(dir.path(), "99991"),
        ["99991_Xa_Cu_Truoc_Sap_Nhap.xlsx"]
    );
    assert_eq!(
        m["scope"]["communes_not_in_list"].as_u64().unwrap(),
        missing - 1
    );
    assert!(m["scope"]["unit_names"]["sha256"].as_str().unwrap().len() == 64);
}

/// The names of the follow-up list files under `dir/out/lists` whose name
/// starts with `code` (once each: the code may be in several districts).
fn lists_named(dir: &Path, code: &str) -> Vec<String> {
    fn walk(p: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(p).unwrap().flatten() {
            match e.path() {
                d if d.is_dir() => walk(&d, out),
                f => out.push(f),
            }
        }
    }
    let mut files = Vec::new();
    walk(&dir.join("out/lists"), &mut files);
    (files.iter())
        .filter_map(|f| f.file_name()?.to_str().map(str::to_string))
        .filter(|n| n.starts_with(code))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}
