//! Cell validation: each type, its boundaries and its messages.

use super::*;
use crate::schema::{column, TableKind};

fn hh(name: &str) -> &'static ColumnSpec {
    column(TableKind::Households, name).unwrap()
}
fn t(s: &str) -> RawCell<'_> {
    RawCell::Text(s.into())
}

#[test]
fn integers() {
    let c = hh("income_per_capita_month");
    assert_eq!(cell(c, &t("700000")), Ok(Typed::Int(700_000)));
    assert_eq!(cell(c, &RawCell::Number(700000.0)), Ok(Typed::Int(700_000)));
    assert!(cell(c, &t("700000.5"))
        .unwrap_err()
        .contains("whole number"));
    assert!(cell(c, &t("700.000")).unwrap_err().contains("700000"));
    assert!(cell(c, &t("700,000")).unwrap_err().contains("single `,`"));
    assert_eq!(cell(c, &t("2.808.000")), Ok(Typed::Int(2_808_000)));
    assert_eq!(cell(c, &t("2,808,000")), Ok(Typed::Int(2_808_000)));
    assert_eq!(cell(c, &t("700 000")), Ok(Typed::Int(700_000)));
    assert_eq!(
        cell(c, &t("12.345.678.901")),
        Ok(Typed::Int(12_345_678_901))
    );
    for bad in [
        "2.808,000",
        "2.80.000",
        "2..808",
        ".808.000",
        "2.808.000,5",
        "1.2345.000",
    ] {
        assert!(cell(c, &t(bad)).is_err(), "{bad}");
    }
    assert!(cell(c, &t("abc")).is_err());
    assert!(cell(c, &t("-1")).unwrap_err().contains("at least 0"));
    assert_eq!(cell(c, &t("NA")), Ok(Typed::Null));
    assert_eq!(cell(c, &RawCell::Empty), Ok(Typed::Null));
}

#[test]
fn short_decimals_are_the_numbers_parse_reads() {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let digits = (x % 16) as usize + 1;
        let text = format!("{:0>digits$}", x % 10u64.pow(digits.min(15) as u32));
        let at = (x >> 32) as usize % (digits + 1);
        let s = match at < text.len() && x & 1 == 0 {
            true => format!("{}.{}", &text[..at.max(1)], &text[at.max(1)..]),
            false => text,
        };
        assert_eq!(plain_float(&s), s.parse::<f64>().ok(), "{s}");
    }
    for s in [
        "0.1",
        "23.5",
        "7.99",
        "8.",
        "999999999999999",
        "0.000000000000001",
    ] {
        assert_eq!(plain_float(s), s.parse::<f64>().ok(), "{s}");
    }
    assert_eq!(plain_float("1234567890.1234567"), Some(1234567890.1234567));
}

#[test]
fn floor_area_must_be_positive() {
    let c = hh("floor_area_m2");
    assert!(cell(c, &t("0")).is_err());
    assert!(cell(c, &t("-3")).is_err());
    assert_eq!(cell(c, &t("23,5")), Ok(Typed::Float(23.5)));
    assert_eq!(cell(c, &t("7.99")), Ok(Typed::Float(7.99)));
}

#[test]
fn codes_and_aliases() {
    let c = hh("area");
    assert_eq!(cell(c, &t("Rural")), Ok(Typed::Code("rural")));
    assert_eq!(cell(c, &t("Nông thôn")), Ok(Typed::Code("rural")));
    assert_eq!(cell(c, &RawCell::Number(1.0)), Ok(Typed::Code("urban")));
    assert!(cell(c, &t("suburb")).unwrap_err().contains("urban, rural"));
}

#[test]
fn admin_codes_are_zero_padded_text() {
    let c = hh("province_code");
    assert_eq!(cell(c, &RawCell::Number(1.0)), Ok(Typed::Str("01".into())));
    assert_eq!(cell(c, &t("89")), Ok(Typed::Str("89".into())));
    assert!(cell(c, &t("891")).is_err());
    assert!(cell(c, &t("A1")).is_err());
}

#[test]
fn a_date_cell_is_named_with_what_to_type() {
    let date = |serial| {
        RawCell::Date(Box::new(crate::ingest::read::DateCell {
            cell: "F5".into(),
            text: "2020-06-15".into(),
            serial,
        }))
    };
    assert_eq!(
        cell(hh("survey_year"), &date(Some(43997.0))),
        Err("cell F5 is a date (2020-06-15), but survey_year takes a year: type 2020".into())
    );
    let e = cell(hh("survey_year"), &date(Some(2020.0))).unwrap_err();
    assert!(e.contains("holds 2020 but is formatted as a date"), "{e}");
    let e = cell(hh("income_per_capita_month"), &date(None)).unwrap_err();
    assert!(
        e.contains("is a date (2020-06-15)") && e.contains("format the column"),
        "{e}"
    );
}

#[test]
fn booleans() {
    let c = hh("has_tv");
    for (s, v) in [
        ("1", true),
        ("0", false),
        ("Có", true),
        ("không", false),
        ("TRUE", true),
    ] {
        assert_eq!(cell(c, &t(s)), Ok(Typed::Bool(v)), "{s}");
    }
    assert!(cell(c, &t("maybe")).is_err());
    for (s, v) in [
        ("1.0", true),
        ("0.0", false),
        ("1.00", true),
        ("0.000", false),
    ] {
        assert_eq!(cell(c, &t(s)), Ok(Typed::Bool(v)), "{s}");
    }
    for s in ["0.5", "2.0", "1.", ".0", "1.01", "-1.0"] {
        assert!(cell(c, &t(s)).is_err(), "{s}");
    }
}

#[test]
fn ids_refuse_control_characters_and_huge_values() {
    let c = hh("household_id");
    assert!(cell(c, &t("a\0b")).unwrap_err().contains("U+0000"));
    assert_eq!(
        cell(c, &t("Nguyễn Văn A")),
        Ok(Typed::Str("Nguyễn Văn A".into()))
    );
    assert!(cell(c, &t("b,89,rural\n2020,c"))
        .unwrap_err()
        .contains("line end"));
    let long = "x".repeat(MAX_TEXT_CHARS + 1);
    assert!(cell(c, &t(&long)).unwrap_err().contains("characters long"));
    assert!(cell(hh("area"), &t("rural\u{1}"))
        .unwrap_err()
        .contains("U+0001"));
}
