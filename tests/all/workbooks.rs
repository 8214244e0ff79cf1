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
        // A `<dimension>` element, if any, goes before the sheet's data.
        let (dimension, data) = match data.strip_prefix("<dimension") {
            Some(rest) => data.split_at(data.len() - rest.len() + rest.find("/>").unwrap() + 2),
            None => ("", data.as_str()),
        };
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension}<sheetData>{data}</sheetData></worksheet>"#
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

/// `csv_text` with cells replaced: (line from 0, column name, new value).
fn with_cells(csv_text: &str, changes: &[(usize, &str, &str)]) -> String {
    let mut lines: Vec<Vec<String>> = (csv_text.lines())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    for &(r, name, v) in changes {
        let c = lines[0].iter().position(|h| h == name).unwrap();
        lines[r][c] = v.to_string();
    }
    lines.iter().map(|l| l.join(",") + "\n").collect()
}

/// A workbook of the two tables with every cell as text (shared strings,
/// as Excel writes text): the workbook holds exactly the CSV's values.
fn text_workbook(path: &Path, hh: &str, mem: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, text) in [("households", hh), ("members", mem)] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for (r, line) in text.lines().enumerate() {
            for (c, v) in line.split(',').enumerate().filter(|(_, v)| !v.is_empty()) {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

/// The quarantine with each source named by its table (`households.csv`
/// and `book.xlsx[households]` alike, in reasons too), for comparing formats.
fn by_table(
    q: &[dachieu::ingest::quarantine::Entry],
    dir: &Path,
) -> Vec<(String, u64, String, String, String)> {
    let sources = [
        "households.csv",
        "members.csv",
        "book.xlsx[households]",
        "book.xlsx[members]",
    ]
    .map(|f| {
        let table = if f.contains("households") {
            "households"
        } else {
            "members"
        };
        (dir.join(f).display().to_string(), table)
    });
    let named =
        |text: &str| (sources.iter()).fold(text.to_string(), |t, (from, to)| t.replace(from, to));
    (q.iter())
        .map(|e| {
            (
                named(&e.source),
                e.row,
                e.column.clone(),
                e.value.clone(),
                named(&e.reason),
            )
        })
        .collect()
}

#[test]
fn a_workbook_gives_the_dataset_and_quarantine_its_csv_gives() {
    let (hh, mem) = sample_subset(40);
    let id4 = hh
        .lines()
        .nth(4)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    // Bad cells of several kinds, a code with its leading zero, a blank
    // made of spaces, a duplicated household and a member of none.
    let hh = with_cells(
        &hh,
        &[
            (2, "province_code", "99"),
            (3, "household_size", "abc"),
            (4, "income_per_capita_month", "   "),
            (5, "household_id", &id4),
            (6, "district_code", "7.5"),
            (7, "area", " rural "),
            (8, "survey_year", "1890"),
        ],
    );
    let mem = with_cells(
        &mem,
        &[
            (2, "age", "-3"),
            (3, "household_id", "no-such-household"),
            (5, "age", "40.0"),
        ],
    );
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(&t.join("csv/households.csv"), &hh);
    write(&t.join("csv/members.csv"), &mem);
    let csv = dachieu::ingest::ingest(&[t.join("csv")], &t.join("a")).unwrap();
    assert!(csv.quarantined >= 8, "{:?}", csv.quarantine);
    std::fs::create_dir_all(t.join("text")).unwrap();
    text_workbook(&t.join("text/book.xlsx"), &hh, &mem);
    // Numbers as numbers, text as inline strings (as other programs write).
    let typed = workbook(&[
        ("households", sheet_data(&hh, |_, _, _| None)),
        ("members", sheet_data(&mem, |_, _, _| None)),
    ]);
    write_bytes(&t.join("typed/book.xlsx"), &typed);
    for (dir, out) in [("text", "b"), ("typed", "c")] {
        let book = dachieu::ingest::ingest(&[t.join(dir)], &t.join(out)).unwrap();
        assert_eq!(tree(&t.join(out)), tree(&t.join("a")), "{dir}: dataset");
        let (got, want) = (
            by_table(&book.quarantine, &t.join(dir)),
            by_table(&csv.quarantine, &t.join("csv")),
        );
        if dir == "text" {
            assert_eq!(got, want, "{dir}");
        } else {
            // A number cell is judged as a number (`7.5` is no 3-digit
            // code either way, said differently): the same cells rejected.
            let cells = |q: &[(String, u64, String, String, String)]| -> Vec<_> {
                q.iter()
                    .map(|e| (e.0.clone(), e.1, e.2.clone(), e.3.clone()))
                    .collect()
            };
            assert_eq!(cells(&got), cells(&want), "{dir}");
        }
        for table in &book.tables {
            assert_eq!(table.read, table.accepted + table.quarantined, "{dir}");
        }
        assert_eq!(
            (book.read, book.accepted),
            (csv.read, csv.accepted),
            "{dir}"
        );
    }
}

fn write_bytes(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A sheet's `<row>` elements for CSV text, every column moved `shift`
/// columns right; `extra(r)` adds cells to row `r`.
fn rows_of(csv_text: &str, shift: usize, extra: impl Fn(usize) -> String) -> Vec<String> {
    (csv_text.lines().enumerate())
        .map(|(r, line)| {
            let cells: String = (line.split(',').enumerate())
                .filter(|(_, v)| !v.is_empty())
                .map(|(c, v)| {
                    let at = format!("{}{}", column_letter(c + shift), r + 1);
                    format!(r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#)
                })
                .collect();
            format!(r#"<row r="{}">{cells}{}</row>"#, r + 1, extra(r))
        })
        .collect()
}

#[test]
fn rows_in_any_order_styled_blanks_and_a_table_right_of_column_a_read_as_the_csv() {
    let (hh, mem) = sample_subset(6);
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(&t.join("csv/households.csv"), &hh);
    write(&t.join("csv/members.csv"), &mem);
    dachieu::ingest::ingest(&[t.join("csv")], &t.join("ref")).unwrap();
    let reference = tree(&t.join("ref"));
    let members = rows_of(&mem, 0, |_| String::new()).concat();
    let n = hh.lines().count();
    // Data rows in reverse order (the header first): rows are read as they come.
    let mut reversed = rows_of(&hh, 0, |_| String::new());
    reversed[1..].reverse();
    // Styled cells without a value (a border, a fill) beside the data and
    // a styled row below it.
    let styled = rows_of(&hh, 0, |r| format!(r#"<c r="AZ{}" s="0"/>"#, r + 1)).concat()
        + &format!(
            r#"<row r="{}"><c r="A{0}" s="0"/><c r="B{0}" s="0"/></row>"#,
            n + 3
        );
    let shifted = rows_of(&hh, 1, |_| String::new()).concat();
    let width = column_letter(hh.lines().next().unwrap().split(',').count());
    let cases = [
        ("reversed", reversed.concat()),
        ("styled", styled),
        // Header in column B: the used area the sheet records says whether
        // anything lies left of it (read as a whole) or not (streamed).
        ("shifted", shifted.clone()),
        (
            "shifted-dim-A",
            format!(r#"<dimension ref="A1:{width}{n}"/>{shifted}"#),
        ),
        (
            "shifted-dim-B",
            format!(r#"<dimension ref="B1:{width}{n}"/>{shifted}"#),
        ),
    ];
    for (name, households) in cases {
        let book = workbook(&[("households", households), ("members", members.clone())]);
        write_bytes(&t.join(format!("{name}/book.xlsx")), &book);
        dachieu::ingest::ingest(&[t.join(name)], &t.join(format!("{name}-out"))).unwrap();
        assert_eq!(tree(&t.join(format!("{name}-out"))), reference, "{name}");
    }
}

#[test]
fn a_row_met_twice_or_a_cell_outside_the_recorded_area_is_named_as_damaged() {
    let (hh, mem) = sample_subset(4);
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let members = rows_of(&mem, 0, |_| String::new()).concat();
    // Row 2's cells in two places, as no spreadsheet program writes them.
    let rows = rows_of(&hh, 0, |_| String::new());
    let split = format!(
        "{}{}{}<row r=\"2\"><c r=\"A2\"><v>2020</v></c></row>",
        rows[0], rows[1], rows[2]
    );
    let book = workbook(&[("households", split), ("members", members.clone())]);
    write_bytes(&t.join("split.xlsx"), &book);
    let o = ingest(t, &t.join("split.xlsx"));
    assert_error_snapshot("xlsx-row-met-twice", &o, t);
    assert!(o.stderr.contains("row 2 after row 3"), "{}", o.stderr);
    // The sheet says its cells start in column B, and one lies in A.
    let n = hh.lines().count();
    let shifted = rows_of(&hh, 1, |r| match r {
        3 => r#"<c r="A4" t="inlineStr"><is><t>note</t></is></c>"#.into(),
        _ => String::new(),
    });
    let households = format!(r#"<dimension ref="B1:AZ{n}"/>{}"#, shifted.concat());
    let book = workbook(&[("households", households), ("members", members)]);
    write_bytes(&t.join("outside.xlsx"), &book);
    let o = ingest(t, &t.join("outside.xlsx"));
    assert_error_snapshot("xlsx-cell-outside-the-used-area", &o, t);
    assert!(o.stderr.contains("A4"), "{}", o.stderr);
}
