//! Workbooks read as Excel shows them: a formula without a stored value
//! (as openpyxl and pandas write them) stops the file naming its cells, a
//! date cell is named as a date, a file that is not a workbook says so,
//! and a damaged workbook never panics (fuzzed as zip bytes and as sheet
//! XML inside a sound zip). Workbooks are made here byte by byte (an
//! uncompressed zip of the few parts a reader needs), so a test can hold
//! exactly what a given writer leaves in a file.

use crate::common::*;
use crate::fuzz::{cases, fuzz, sample_subset, Seed};
use std::path::Path;

fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// A zip archive of `files`, stored without compression.
fn zip_stored(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let u16le = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let u32le = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, data) in files {
        let (offset, crc, n) = (out.len() as u32, crc32(data), data.len() as u32);
        u32le(&mut out, 0x0403_4b50);
        for x in [20, 0, 0, 0, 0x21] {
            u16le(&mut out, x); // version, flags, stored, time, date (1980-01-01)
        }
        for x in [crc, n, n] {
            u32le(&mut out, x);
        }
        u16le(&mut out, name.len() as u16);
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        u32le(&mut central, 0x0201_4b50);
        for x in [20, 20, 0, 0, 0, 0x21] {
            u16le(&mut central, x);
        }
        for x in [crc, n, n] {
            u32le(&mut central, x);
        }
        for x in [name.len() as u16, 0, 0, 0, 0] {
            u16le(&mut central, x);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let (cd_offset, cd_len, count) = (out.len() as u32, central.len() as u32, files.len() as u16);
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    for x in [0, 0, count, count] {
        u16le(&mut out, x);
    }
    u32le(&mut out, cd_len);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A workbook whose sheets hold the given `<sheetData>` XML.
fn workbook(sheets: &[(&str, String)]) -> Vec<u8> {
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let (mut list, mut rels) = (String::new(), String::new());
    let mut parts = Vec::new();
    for (i, (name, data)) in sheets.iter().enumerate() {
        let n = i + 1;
        types += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        list += &format!(r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#);
        rels += &format!(
            r#"<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        );
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{data}</sheetData></worksheet>"#
        );
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes()));
    }
    types += "</Types>";
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), types.into_bytes()),
        ("_rels/.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes()),
        ("xl/workbook.xml".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{list}</sheets></workbook>"#).into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#).into_bytes()),
    ];
    files.extend(parts);
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    zip_stored(&files)
}

fn column_letter(c: usize) -> String {
    let (mut n, mut s) = (c + 1, Vec::new());
    while n > 0 {
        s.push(b'A' + ((n - 1) % 26) as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// `<sheetData>` rows for CSV text: numbers as numbers (ids as text),
/// other values as inline strings; `cell(row, col, value)` may replace
/// any cell's XML (rows and columns from 0).
fn sheet_data(csv_text: &str, cell: impl Fn(usize, usize, &str) -> Option<String>) -> String {
    let mut out = String::new();
    for (r, line) in csv_text.lines().enumerate() {
        out += &format!(r#"<row r="{}">"#, r + 1);
        for (c, v) in line.split(',').enumerate() {
            let at = format!("{}{}", column_letter(c), r + 1);
            if let Some(xml) = cell(r, c, v) {
                out += &xml.replace("{at}", &at);
            } else if v.is_empty() {
            } else if r > 0 && c > 2 && v.parse::<f64>().is_ok() {
                out += &format!(r#"<c r="{at}"><v>{v}</v></c>"#);
            } else {
                out += &format!(r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#);
            }
        }
        out += "</row>";
    }
    out
}

fn ingest(dir: &Path, input: &Path) -> Output {
    let ds = dir.join("ds");
    ingest_into(dir, input, &ds, &dir.join("q.csv"), &[])
}

#[test]
fn formulas_without_a_stored_value_stop_the_file_naming_their_cells() {
    let (hh, mem) = sample_subset(8);
    let income = hh
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "income_per_capita_month")
        .unwrap();
    // As openpyxl writes `=650000*1`: the formula, no value.
    let formula = |r: usize, c: usize, _: &str| {
        (r >= 2 && c == income).then(|| r#"<c r="{at}"><f>650000*1</f></c>"#.to_string())
    };
    let book = workbook(&[
        ("households", sheet_data(&hh, formula)),
        ("members", sheet_data(&mem, |_, _, _| None)),
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("book.xlsx");
    std::fs::write(&f, &book).unwrap();
    let o = ingest(tmp.path(), &f);
    assert_error_snapshot("xlsx-formulas-without-values", &o, tmp.path());
    let col = column_letter(income);
    for want in [
        "book.xlsx",
        "7 formula cell(s) have no stored value",
        &format!("households!{col}3"),
        &format!("households!{col}7"),
        "and 2 more",
        "open the file in Excel or LibreOffice and save it",
    ] {
        assert!(o.stderr.contains(want), "`{want}` missing: {}", o.stderr);
    }
    // With the values stored (as Excel saves them), the same book is read.
    let stored = |r: usize, c: usize, _: &str| {
        (r >= 2 && c == income)
            .then(|| r#"<c r="{at}"><f>650000*1</f><v>650000</v></c>"#.to_string())
    };
    let book = workbook(&[
        ("households", sheet_data(&hh, stored)),
        ("members", sheet_data(&mem, |_, _, _| None)),
    ]);
    std::fs::write(&f, &book).unwrap();
    let o = ingest(tmp.path(), &f);
    assert!(o.code < 2, "{}", o.stderr);
}

#[test]
fn a_date_cell_is_named_as_a_date_with_what_to_type() {
    let (hh, mem) = sample_subset(3);
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("dates.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (name, text) in [("households", &hh), ("members", &mem)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for (r, line) in text.lines().enumerate() {
            for (c, v) in line.split(',').enumerate() {
                let (r, c) = (r as u32, c as u16);
                if name == "households" && r == 2 && c == 0 {
                    // survey_year typed as a date: 2020-06-15 (serial 43997).
                    let d = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 6, 15).unwrap();
                    ws.write_datetime_with_format(r, c, &d, &date).unwrap();
                } else if r > 0 && c > 2 && v.parse::<f64>().is_ok() {
                    ws.write_number(r, c, v.parse::<f64>().unwrap()).unwrap();
                } else if !v.is_empty() {
                    ws.write_string(r, c, v).unwrap();
                }
            }
        }
    }
    wb.save(&f).unwrap();
    let o = ingest(tmp.path(), &f);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let q = std::fs::read_to_string(tmp.path().join("q.csv")).unwrap();
    assert!(
        q.contains("cell A3 is a date (2020-06-15), but survey_year takes a year: type 2020"),
        "{q}"
    );
    assert!(!q.contains("43997"), "{q}");
}

#[test]
fn a_file_that_is_not_a_workbook_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let zip_not_book = zip_stored(&[("hello.txt", b"hi".to_vec())]);
    for (name, bytes, why) in [
        (
            "text.xlsx",
            b"survey_year,household_id\n2020,a\n".to_vec(),
            "if it is a CSV file, give it a .csv name",
        ),
        (
            "binary.xlsx",
            vec![0u8, 159, 146, 150, 1, 2, 3, 4, 5],
            "not a zip archive",
        ),
        (
            "zip.xlsx",
            zip_not_book,
            "a zip archive, but not a readable workbook",
        ),
        (
            "fake.xls",
            b"not an old workbook".to_vec(),
            "not an .xls file",
        ),
    ] {
        let f = tmp.path().join(name);
        std::fs::write(&f, bytes).unwrap();
        let o = ingest(tmp.path(), &f);
        let wants = [
            name,
            "not an Excel workbook",
            why,
            "save it as .xlsx from Excel",
        ];
        crate::fuzz_parquet::fails_saying(&o, name, &wants);
        assert_error_snapshot(&format!("xlsx-not-a-workbook-{name}"), &o, tmp.path());
    }
}

/// A workbook without a `households` or `members` sheet, one whose
/// `households` sheet is cut short, one where it is empty: each stops the
/// file, saying what to do.
#[test]
fn a_workbook_without_the_sheets_says_which_it_found() {
    let (hh, mem) = sample_subset(3);
    let tmp = tempfile::tempdir().unwrap();
    for (name, sheets) in [
        (
            "xlsx-no-households-sheet",
            vec![("Sheet1", sheet_data(&hh, |_, _, _| None))],
        ),
        (
            "xlsx-households-sheet-not-xml",
            vec![
                (
                    "households",
                    "<worksheet><sheetData><row r=\"1\"><c".to_string(),
                ),
                ("members", sheet_data(&mem, |_, _, _| None)),
            ],
        ),
        (
            "xlsx-empty-households-sheet",
            vec![
                ("households", sheet_data("", |_, _, _| None)),
                ("members", sheet_data(&mem, |_, _, _| None)),
            ],
        ),
    ] {
        let f = tmp.path().join(format!("{name}.xlsx"));
        std::fs::write(&f, workbook(&sheets)).unwrap();
        assert_error_snapshot(name, &ingest(tmp.path(), &f), tmp.path());
    }
}

#[test]
fn damaged_workbooks_never_panic() {
    let (hh, mem) = sample_subset(12);
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("book.xlsx");
    crate::ingest_formats::write_xlsx(&f, &hh, &mem);
    let zipped = Seed {
        bytes: std::fs::read(&f).unwrap(),
        hot: vec![],
    };
    let ds = tmp.path().join("ds");
    let read = |bytes: &[u8]| {
        std::fs::write(&f, bytes).unwrap();
        let _ = std::fs::remove_dir_all(&ds);
        if let Ok(s) = dachieu::ingest::ingest(std::slice::from_ref(&f), &ds) {
            for t in &s.tables {
                assert_eq!(t.read, t.accepted + t.quarantined, "{}", t.source);
            }
        }
    };
    fuzz("xlsx", cases(150), &[zipped], read);
    // The sheet's XML damaged inside a sound zip: the XML and cell parsers.
    let members = sheet_data(&mem, |_, _, _| None);
    let sheet = Seed {
        bytes: sheet_data(&hh, |_, _, _| None).into_bytes(),
        hot: vec![],
    };
    fuzz("xlsx-sheet", cases(200), &[sheet], |xml| {
        let xml = String::from_utf8_lossy(xml).into_owned();
        read(&workbook(&[
            ("households", xml),
            ("members", members.clone()),
        ]));
    });
}

#[test]
fn a_legacy_xls_workbook_reads_as_its_csv_does() {
    // tests/fixtures/legacy.xls (made by make_legacy_xls.py beside it)
    // holds the sample's first 6 households and their members.
    let (hh, mem) = sample_subset(6);
    let tmp = tempfile::tempdir().unwrap();
    write(&tmp.path().join("csv/households.csv"), &hh);
    write(&tmp.path().join("csv/members.csv"), &mem);
    let from_csv =
        dachieu::ingest::ingest(&[tmp.path().join("csv")], &tmp.path().join("a")).unwrap();
    let xls = repo().join("tests/fixtures/legacy.xls");
    let from_xls = dachieu::ingest::ingest(&[xls], &tmp.path().join("b")).unwrap();
    assert_eq!(from_xls.quarantined, 0, "{:?}", from_xls.quarantine);
    assert_eq!(from_xls.accepted, from_csv.accepted);
    assert_eq!(tree(&tmp.path().join("b")), tree(&tmp.path().join("a")));
}
