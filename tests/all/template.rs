//! The Excel input template and the rejected rows' workbook, read back as
//! a person opens them (calamine). The template holds every column of the
//! contract under its label, never its machine name in Vietnamese; filled
//! with the bundled sample in Excel's way (numbers as numbers, yes/no and
//! codes as the drop-downs offer them) it ingests to the very dataset the
//! CSV files give. The rejected rows of `data-samples/bad/` come out one
//! line each, with their values read again from the files and the reasons
//! in Vietnamese.

use crate::common::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use dachieu::i18n::Lang;
use dachieu::ingest::template;
use dachieu::schema::{self, ColType, ColumnSpec, TableKind};
use std::collections::BTreeMap;
use std::path::Path;

const TABLES: [TableKind; 2] = [TableKind::Households, TableKind::Members];

/// Every sheet of a workbook as rows of cells shown as text.
fn sheets(path: &Path) -> BTreeMap<String, Vec<Vec<String>>> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let names = wb.sheet_names();
    names
        .into_iter()
        .map(|n| {
            let range = wb.worksheet_range(&n).unwrap();
            let rows = range
                .rows()
                .map(|r| {
                    r.iter()
                        .map(|c| match c {
                            Data::Empty => String::new(),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

/// A column of the households (contract or kept) or members table.
fn spec(kind: TableKind, name: &str) -> &'static ColumnSpec {
    schema::column(kind, name)
        .or_else(|| schema::KEPT_COLUMNS.iter().find(|c| c.name == name))
        .unwrap_or_else(|| panic!("{name} is no column of {}", kind.name()))
}

#[test]
fn the_template_holds_every_column_under_its_label_and_in_the_notes() {
    let tmp = tempfile::tempdir().unwrap();
    for (lang, notes) in [(Lang::Vi, "Ghi chú"), (Lang::En, "Notes")] {
        let path = tmp.path().join(format!("t_{}.xlsx", lang.code()));
        template::write_template(&path, lang).unwrap();
        let book = sheets(&path);
        let notes = &book[notes];
        for kind in TABLES {
            let header = &book[kind.name()][0];
            // Every column of the contract (and, for households, the kept
            // ones) is under a header that ingest reads as that column.
            let mut wanted: Vec<&str> = kind.columns().iter().map(|c| c.name).collect();
            if kind == TableKind::Households {
                wanted.extend(schema::KEPT_COLUMNS.iter().map(|c| c.name));
            }
            let mut got: Vec<&str> = (header.iter())
                .map(|h| {
                    schema::resolve_header(kind, h)
                        .or_else(|| {
                            schema::resolve_kept(h).filter(|_| kind == TableKind::Households)
                        })
                        .unwrap_or_else(|| panic!("header `{h}` is not read as a column"))
                        .name
                })
                .collect();
            got.sort_unstable();
            wanted.sort_unstable();
            assert_eq!(got, wanted, "{} columns ({lang:?})", kind.name());
            for (h, name) in header.iter().zip(template::columns(kind)) {
                // In Vietnamese no header is a machine name; and the notes
                // sheet has a line for the column, under the same header.
                if lang == Lang::Vi {
                    assert_ne!(
                        schema::normalise_header(h),
                        name.name,
                        "machine name as header"
                    );
                    assert!(!h.is_ascii(), "`{h}` is not Vietnamese");
                }
                let line = notes
                    .iter()
                    .find(|r| r.len() > 2 && r[0] == kind.name() && r[2] == name.name);
                let line =
                    line.unwrap_or_else(|| panic!("{} not in the notes ({lang:?})", name.name));
                assert_eq!(&line[1], h);
            }
        }
        let codes = &book[lang.t("Mã tỉnh", "Province codes")];
        let hanoi = codes
            .iter()
            .find(|r| r[0] == "01")
            .expect("province 01 listed");
        assert_eq!(hanoi[1], lang.t("Hà Nội", "Ha Noi"), "{hanoi:?}");
    }
}

/// The template's header rows, filled with the rows of a CSV file each, as
/// a person would in Excel: numbers as numbers, yes/no as có/không, codes
/// as the drop-down spells them, identifiers and codes as text.
fn fill(template_path: &Path, out: &Path) {
    let book = sheets(template_path);
    let mut wb = rust_xlsxwriter::Workbook::new();
    for kind in TABLES {
        let header = &book[kind.name()][0];
        let names: Vec<&str> = template::columns(kind).iter().map(|c| c.name).collect();
        let ws = wb.add_worksheet().set_name(kind.name()).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, h).unwrap();
        }
        let csv_path = sample_dir().join(format!("{}.csv", kind.name()));
        for (r, row) in read_rows(&csv_path).iter().enumerate() {
            for (c, name) in names.iter().enumerate() {
                let Some(v) = row.get(*name).filter(|v| !v.is_empty()) else {
                    continue;
                };
                let (r, c) = (r as u32 + 1, c as u16);
                match spec(kind, name).ty {
                    ColType::Int | ColType::Float => {
                        ws.write_number(r, c, v.parse::<f64>().unwrap())
                    }
                    ColType::Bool => ws.write_string(r, c, if v == "1" { "có" } else { "không" }),
                    ColType::Code(_) => {
                        let shown = template::vi_spelling(spec(kind, name), v);
                        ws.write_string(r, c, shown.as_deref().unwrap_or(v))
                    }
                    ColType::AdminCode(_) | ColType::Text => ws.write_string(r, c, v),
                }
                .unwrap();
            }
        }
    }
    wb.save(out).unwrap();
}

#[test]
fn a_template_filled_with_the_sample_ingests_as_the_csv_files_do() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    template::write_template(&t.join("mau.xlsx"), Lang::Vi).unwrap();
    fill(&t.join("mau.xlsx"), &t.join("filled.xlsx"));
    let from_csv = dachieu::ingest::ingest(&[sample_dir()], &t.join("csv")).unwrap();
    let from_xlsx = dachieu::ingest::ingest(&[t.join("filled.xlsx")], &t.join("xlsx")).unwrap();
    assert!(from_xlsx.warnings.is_empty(), "{:?}", from_xlsx.warnings);
    let counts = |s: &dachieu::ingest::IngestSummary| {
        let years: Vec<_> = s
            .years
            .iter()
            .map(|y| (y.survey_year, y.households, y.members))
            .collect();
        (
            s.read,
            s.accepted,
            s.quarantined,
            s.quarantine.len(),
            years,
            s.kept_columns.clone(),
        )
    };
    assert_eq!(counts(&from_xlsx), counts(&from_csv));
    assert_eq!(from_csv.quarantined, 0);
    // The template's column the sample does not fill is not kept: blank
    // throughout, it would read as known.
    assert!(!from_xlsx.kept_columns.iter().any(|c| c == "admin_scheme"));
    assert!(from_csv.accepted > 28_000, "{}", from_csv.accepted);
    // The same dataset, byte for byte.
    assert_eq!(tree(&t.join("xlsx")), tree(&t.join("csv")));
}

/// A cell of a sheet by its header.
fn at<'a>(rows: &'a [Vec<String>], row: usize, header: &str) -> &'a str {
    let c = rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header}"));
    &rows[row][c]
}

#[test]
fn the_rejected_rows_of_the_bad_sample_come_out_to_fix_in_excel() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // A copy of the bad sample, to take away afterwards.
    for f in ["households.csv", "members.csv"] {
        std::fs::create_dir_all(t.join("in")).unwrap();
        std::fs::copy(sample_dir().join("bad").join(f), t.join("in").join(f)).unwrap();
    }
    let o = ingest_into(t, Path::new("in"), Path::new("ds"), Path::new("q.csv"), &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let q = t.join("q.csv");
    let out = t.join("rejected.xlsx");
    let n = dachieu::report::rejected::write_rejected_xlsx(&q, &out, Lang::Vi).unwrap();
    assert_eq!(n, 30);
    let book = sheets(&out);
    let (hh, mem) = (&book["households"], &book["members"]);
    assert_eq!((hh.len() - 1, mem.len() - 1), (18, 12));
    for h in [
        "Tệp",
        "Dòng trong tệp",
        "Mã hộ",
        "Cột",
        "Giá trị",
        "Lý do",
        "Cách sửa",
    ] {
        assert!(hh[0].iter().any(|x| x == h), "{h} in {:?}", hh[0]);
    }
    // Line 8: the row read again from the file, the bad value in its place.
    let r = (1..hh.len())
        .find(|&r| at(hh, r, "Dòng trong tệp") == "8")
        .unwrap();
    assert_eq!(at(hh, r, "Mã hộ"), "89-886-00007");
    assert_eq!(
        at(hh, r, "Thu nhập bình quân đầu người/tháng (đồng)"),
        "abc"
    );
    assert_eq!(
        at(hh, r, "Lý do"),
        "Thu nhập bình quân đầu người/tháng: phải là số nguyên"
    );
    assert_eq!(at(hh, r, "Cột"), "Thu nhập bình quân đầu người/tháng");
    // Every reason said in Vietnamese, with something to do.
    for rows in [hh, mem] {
        for r in 1..rows.len() {
            let why = at(rows, r, "Lý do");
            assert!(!why.is_empty() && !why.starts_with("(tiếng Anh)"), "{why}");
            assert!(!at(rows, r, "Cách sửa").is_empty());
        }
    }
    let r = (1..mem.len())
        .find(|&r| at(mem, r, "Dòng trong tệp") == "13")
        .unwrap();
    assert_eq!(
        at(mem, r, "Lý do"),
        "Hộ 89-883-09999 không có trong bảng hộ của năm khảo sát 2020"
    );
    assert_eq!(at(mem, r, "Mã thành viên"), "1");
    let notes = &book["Hướng dẫn sửa"];
    assert!(notes
        .iter()
        .any(|r| r.iter().any(|c| c == "đọc lại được từ tệp gốc")));

    // A file edited since: its rows are not taken for the rejected ones.
    edit_file(&t.join("in"), "households.csv", ",abc,", ",123,");
    dachieu::report::rejected::write_rejected_xlsx(&q, &out, Lang::Vi).unwrap();
    let book = sheets(&out);
    let hh = &book["households"];
    let r = (1..hh.len())
        .find(|&r| at(hh, r, "Dòng trong tệp") == "8")
        .unwrap();
    assert_eq!(at(hh, r, "Mã hộ"), "");
    let notes = &book["Hướng dẫn sửa"];
    assert!(notes
        .iter()
        .any(|r| r.iter().any(|c| c.starts_with("tệp gốc không còn giữ"))));
    let members_found = notes
        .iter()
        .filter(|r| r.iter().any(|c| c == "đọc lại được từ tệp gốc"));
    assert_eq!(members_found.count(), 1, "the members file is as it was");

    // In English; and with the input files gone, the rejected values only.
    std::fs::remove_dir_all(t.join("in")).unwrap();
    let n = dachieu::report::rejected::write_rejected_xlsx(&q, &out, Lang::En).unwrap();
    assert_eq!(n, 30);
    let book = sheets(&out);
    let hh = &book["households"];
    let r = (1..hh.len())
        .find(|&r| at(hh, r, "Row in file") == "8")
        .unwrap();
    assert_eq!(at(hh, r, "Household id"), "");
    assert_eq!(at(hh, r, "Income per person per month (VND)"), "abc");
    assert_eq!(
        at(hh, r, "Reason"),
        "`income_per_capita_month` must be a whole number"
    );
    let notes = &book["How to fix"];
    assert!(notes.iter().any(|r| r
        .iter()
        .any(|c| c.starts_with("the original file was not found"))));
}

#[test]
fn dachieu_template_writes_the_workbook_in_the_language_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let o = dachieu(tmp.path(), &["template"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let book = sheets(&tmp.path().join("dachieu_mau_nhap_lieu.xlsx"));
    assert_eq!(book["households"][0][1], "Mã hộ");
    let o = dachieu(tmp.path(), &["template", "--lang", "en", "--out", "t.xlsx"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let book = sheets(&tmp.path().join("t.xlsx"));
    assert_eq!(book["members"][0][2], "Member id");
    assert!(book.contains_key("Notes") && book.contains_key("Province codes"));
}

#[test]
fn a_known_kept_column_left_blank_is_not_kept_but_ones_own_is() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    write(
        &t.join("in/households.csv"),
        "Năm khảo sát,Mã hộ,Mã tỉnh,Khu vực,Số nhân khẩu (người),Hộ dân tộc thiểu số,Thôn/ấp/bản/tổ dân phố,ghi chú\n\
         2020,h1,89,nông thôn,2,,Ấp 1,\n\
         2020,h2,89,thành thị,3,,,\n",
    );
    let s = dachieu::ingest::ingest(&[t.join("in")], &t.join("ds")).unwrap();
    assert_eq!(s.accepted, 2);
    // ethnic_minority, blank throughout, would read as "no" in the forms.
    assert_eq!(s.kept_columns, ["village", "ghi_chú"]);
    let ds = std::fs::read(t.join("ds/survey_year=2020/households.parquet")).unwrap();
    let text = String::from_utf8_lossy(&ds);
    assert!(text.contains("ghi_chú") && !text.contains("ethnic_minority"));
}
