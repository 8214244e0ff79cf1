//! Tests of the workbook writer (`xlsx.rs`).

use super::*;
use calamine::{open_workbook_auto, Data, Reader};

fn sample() -> Frame {
    let mut f = Frame::default();
    f.push(
        "survey_year",
        Column::Int(vec![Some(2020), Some(2021), None]),
    );
    f.push(
        "name",
        Column::Str(vec![
            Some("Điện Biên".into()),
            Some("Thừa Thiên Huế".into()),
            None,
        ]),
    );
    f.push(
        "households",
        Column::Int(vec![Some(27345), Some(-3), Some(0)]),
    );
    f.push(
        "households_weighted",
        Column::Float(vec![Some(27345.125), None, Some(1e9 / 3.0)]),
    );
    f.push(
        "poor_pct",
        Column::Float(vec![Some(25.896_414_342_629_48), Some(0.1 + 0.2), None]),
    );
    f.push(
        "estimate",
        Column::Float(vec![Some(0.044389027431421445), Some(f64::NAN), Some(-0.0)]),
    );
    f.push(
        "note",
        Column::Str(vec![
            Some("=1+1".into()),
            Some("<b>&'\"".into()),
            Some("x\ty".into()),
        ]),
    );
    f
}

fn expected(f: &Frame, c: usize, r: usize) -> Data {
    match cell(f, c, r) {
        Cell::Int(v) => Data::Float(v as f64),
        Cell::Float(v) if v.is_finite() => Data::Float(v),
        Cell::Str(s) if !s.is_empty() => Data::String(nfc(s)),
        _ => Data::Empty,
    }
}

#[test]
fn content_round_trips_through_calamine() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/tables.xlsx");
    let f = sample();
    let mut empty = Frame::default();
    empty.push("only_header", Column::Str(vec![]));
    let sheets = [
        ("rates/province: [2020]", &f),
        ("Tỷ lệ hộ nghèo theo tỉnh và theo vùng, 2020–2021", &f),
        ("RATES_PROVINCE_ 2020_", &f),
        ("'quoted'", &empty),
        ("", &empty),
    ];
    write_workbook(&path, &sheets, Lang::Vi, &[]).unwrap();
    // Written atomically: no temporary file left beside it.
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );

    let mut wb = open_workbook_auto(&path).unwrap();
    let names = wb.sheet_names();
    assert_eq!(
        names,
        [
            "rates_province_ _2020_",
            "Tỷ lệ hộ nghèo theo tỉnh và the",
            "RATES_PROVINCE_ 2020_",
            "quoted",
            "Sheet5",
        ]
    );
    for name in &names[..3] {
        let range = wb.worksheet_range(name).unwrap();
        let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
        assert_eq!(rows.len(), n_rows(&f) + 1, "{name}");
        for (c, h) in f.names.iter().enumerate() {
            assert_eq!(rows[0][c], Data::String(h.clone()));
        }
        assert_eq!(rows[0].len(), n_cols(&f));
        for (r, row) in rows[1..].iter().enumerate() {
            for (c, got) in row.iter().enumerate() {
                match (expected(&f, c, r), got) {
                    (Data::Float(x), Data::Float(y)) => {
                        assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{x} vs {y}")
                    }
                    (want, got) => assert_eq!(&want, got, "row {r} col {c}"),
                }
            }
        }
    }
    let header_only = wb.worksheet_range("quoted").unwrap();
    assert_eq!(
        header_only.get((0, 0)),
        Some(&Data::String("only_header".into()))
    );
    assert_eq!(header_only.height(), 1);
}

#[test]
fn sheet_names_are_valid_and_unique() {
    let long = "a".repeat(40);
    let names = sheet_names(
        [
            "Data", "data", "DATA", &long, &long, "History", "x*y?", "''",
        ]
        .into_iter(),
    );
    assert_eq!(names[0], "Data");
    assert_eq!(names[1], "data (2)");
    assert_eq!(names[2], "DATA (3)");
    assert_eq!(names[3], "a".repeat(31));
    assert_eq!(names[4], format!("{} (2)", "a".repeat(27)));
    assert_eq!(names[5], "Sheet6");
    assert_eq!(names[6], "x_y_");
    assert_eq!(names[7], "Sheet8");
    for n in &names {
        assert!(utf16_len(n) <= MAX_SHEET_NAME && !n.is_empty(), "{n}");
    }
    // rust_xlsxwriter accepts them all.
    let mut wb = Workbook::new();
    for n in &names {
        wb.add_worksheet().set_name(n).unwrap();
    }
    wb.save_to_buffer().unwrap();
}

#[test]
fn formats_follow_the_column_kind() {
    assert!(all_whole(Some(&Column::Float(vec![Some(2005.0), None]))));
    assert!(!all_whole(Some(&Column::Float(vec![Some(2005.5)]))));
    assert_eq!(number_len(27345.0, Kind::Count, false), 6);
    assert_eq!(number_len(2020.0, Kind::Year, false), 4);
    assert_eq!(clip(&"é".repeat(40_000)).chars().count(), MAX_STRING);
    // Too many rows is an error, not a panic.
    let mut big = Frame::default();
    big.push("n", Column::Int(vec![None; MAX_ROWS]));
    let dir = tempfile::tempdir().unwrap();
    let e = write_workbook(&dir.path().join("x.xlsx"), &[("big", &big)], Lang::En, &[]);
    assert!(e.is_err());
}

#[test]
fn a_catalogued_table_is_titled_and_headed_in_the_workbook_language() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Frame::default();
    f.push("survey_year", Column::Int(vec![Some(2022)]));
    f.push("near_poor_pct", Column::Float(vec![Some(4.5)]));
    f.push("af_M0", Column::Float(vec![Some(0.01)]));
    f.push("not_in_the_catalogue", Column::Str(vec![Some("x".into())]));
    for (lang, sheet, headers) in [
        (
            Lang::Vi,
            "Tỷ lệ theo huyện",
            [
                "Năm khảo sát",
                "Tỷ lệ hộ cận nghèo (%)",
                "M0 (chỉ số nghèo đa chiều)",
            ],
        ),
        (
            Lang::En,
            "Rates by district",
            ["Survey year", "Near-poor (%)", "M0 (adjusted headcount)"],
        ),
    ] {
        let path = dir.path().join(format!("{}.xlsx", lang.code()));
        write_workbook(&path, &[("rates_district", &f)], lang, &[]).unwrap();
        let mut wb = open_workbook_auto(&path).unwrap();
        assert_eq!(wb.sheet_names(), [sheet]);
        let range = wb.worksheet_range(sheet).unwrap();
        let got: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(got[..3], headers);
        assert_eq!(got[3], "not_in_the_catalogue");
    }
}

#[test]
fn notices_open_the_workbook_on_a_first_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    let f = sample();
    let alert = crate::report::notices::quarantine(Lang::En, 759, 720).unwrap();
    write_workbook(
        &path,
        &[("rates_province", &f)],
        Lang::En,
        std::slice::from_ref(&alert),
    )
    .unwrap();
    let mut wb = open_workbook_auto(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["Notices", "Rates by province"]);
    let range = wb.worksheet_range("Notices").unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String(alert.text)));
}

#[test]
fn a_peoples_book_says_its_counts_are_estimated_and_ends_with_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Frame::default();
    f.push("households_weighted", Column::Float(vec![Some(1234.56)]));
    f.push("poor_pct", Column::Float(vec![Some(4.5)]));
    let notes = [Note {
        topic: "Ngày chạy".into(),
        text: "07/12/2026".into(),
    }];
    for (lang, want, last) in [
        (
            Lang::Vi,
            ["Tổng số hộ (ước tính)", "Tỷ lệ hộ nghèo (%)"],
            "Ghi chú",
        ),
        (Lang::En, ["Households (estimated)", "Poor (%)"], "Notes"),
    ] {
        let path = dir.path().join(format!("{}.xlsx", lang.code()));
        let book = Book {
            lang,
            notices: &[],
            sheets: &[("rates_province", &f)],
            estimated: true,
            whole_counts: true,
            notes: &notes,
            forms: None,
        };
        write_book(&path, &book).unwrap();
        let mut wb = open_workbook_auto(&path).unwrap();
        assert_eq!(wb.sheet_names().last().map(String::as_str), Some(last));
        let names = wb.sheet_names();
        let range = wb.worksheet_range(&names[0]).unwrap();
        let got: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(got, want);
        let notes = wb.worksheet_range(last).unwrap();
        assert_eq!(notes.get((2, 1)), Some(&Data::String("07/12/2026".into())));
    }
}
