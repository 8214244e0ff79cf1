//! What a CSV file's text holds beyond its values: a quote left open, line
//! endings, number and yes/no spellings of other tools and locales, the
//! encoding and delimiter, years no standard covers, bytes no person types,
//! and files of a folder that are not read. Each is read right or named.

use crate::common::*;
use std::path::Path;

const HEAD: &str =
    "survey_year,household_id,province_code,area,household_size,income_per_capita_month";

fn quarantine_rows(path: &Path) -> Vec<Vec<String>> {
    if !path.exists() {
        return Vec::new();
    }
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A dataset's files and their bytes.
type Files = Vec<(String, Vec<u8>)>;

/// `dachieu ingest` of `input` into `dir/<name>`: the outcome, the
/// quarantine rows and the dataset's files.
fn ingest(
    dir: &Path,
    name: &str,
    input: &Path,
    extra: &[&str],
) -> (Output, Vec<Vec<String>>, Files) {
    let ds = dir.join(name);
    let q = dir.join(format!("{name}.q.csv"));
    let o = ingest_into(dir, input, &ds, &q, extra);
    let t = if ds.exists() { tree(&ds) } else { Vec::new() };
    (o, quarantine_rows(&q), t)
}

#[test]
fn a_quote_left_open_to_the_end_stops_the_file_naming_its_line() {
    // The issue's case: a stray `"` on line 101 of the sample.
    let tmp = tempfile::tempdir().unwrap();
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let mut lines: Vec<String> = hh.lines().map(str::to_string).collect();
    lines[100] = lines[100].replacen(',', ",\"", 1);
    write(
        &tmp.path().join("in/households.csv"),
        &(lines.join("\n") + "\n"),
    );
    std::fs::copy(
        sample_dir().join("members.csv"),
        tmp.path().join("in/members.csv"),
    )
    .unwrap();
    let (o, _, _) = ingest(tmp.path(), "ds", &tmp.path().join("in"), &[]);
    assert_eq!(o.code, 2, "{}{}", o.stdout, o.stderr);
    for part in [
        "line 101",
        "lines 101 to 6038",
        "5938 line(s)",
        "never closed",
        "doubled",
    ] {
        assert!(o.stderr.contains(part), "{part}: {}", o.stderr);
    }
    assert!(!o.stderr.contains("panicked"));
    // The same behind a byte-order mark and CRLF, and in UTF-16.
    let text = format!("\u{feff}{HEAD}\r\n2020,a,89,rural,2,800000\r\n2020,\"b,89,rural,2,800000\r\n2020,c,89,rural,2,800000\r\n");
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text[3..].encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    for (name, bytes) in [("bom", text.into_bytes()), ("utf16", utf16)] {
        let f = tmp.path().join(format!("{name}.csv"));
        std::fs::write(&f, bytes).unwrap();
        let (o, _, _) = ingest(tmp.path(), name, &f, &[]);
        assert_eq!(o.code, 2, "{name}: {}", o.stderr);
        assert!(
            o.stderr.contains("line 3: a `\"`") && o.stderr.contains("lines 3 to 4"),
            "{name}: {}",
            o.stderr
        );
    }
}

#[test]
fn quoted_line_ends_inside_a_value_still_work() {
    // A note over two lines in a column outside the contract is read, and
    // the rows after it keep their line numbers.
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.csv");
    write(&f, &format!("{HEAD},note\n2020,a,89,rural,2,800000,\"số 12 Lê Lợi\nPhường 3\"\n2020,b,89,suburb,2,800000,x\n2020,c,89,rural,1,900000,\"ends with \"\"\n\"\"\"\n"));
    let (o, rows, _) = ingest(tmp.path(), "ds", &f, &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][1], "4");
}

#[test]
fn a_quote_closed_lines_later_never_makes_one_id_of_two_rows() {
    // The right number of fields, but the id holds a line end: rejected.
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.csv");
    write(
        &f,
        &format!(
            "{HEAD}\n2020,\"b,89,rural,2,800000\n2020,c\",89,rural,1,900000\n2020,d,89,rural,1,x\n"
        ),
    );
    let (o, rows, _) = ingest(tmp.path(), "ds", &f, &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let got: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[2].as_str()))
        .collect();
    assert_eq!(
        got,
        [("2", "household_id"), ("4", "income_per_capita_month")],
        "{rows:?}"
    );
    assert!(rows[0][4].contains("line end"), "{}", rows[0][4]);
}

#[test]
fn row_numbers_are_physical_lines_whatever_the_line_ending() {
    let tmp = tempfile::tempdir().unwrap();
    let lf = format!("{HEAD},note\n2020,a,89,rural,2,800000,\n2020,b,89,rural,2,800000,\"two\nlines\"\n2020,c,89,rural,2,800000,\n2020,d,89,suburb,2,800000,\n2020,e,89,rural,1,x,\n");
    let cases = [
        ("lf", lf.clone(), ["6", "7"]),
        ("crlf", lf.replace('\n', "\r\n"), ["6", "7"]),
        (
            "blank",
            lf.replacen("\n2020,c", "\n\n\r\n2020,c", 1),
            ["8", "9"],
        ),
        ("no-final-eol", lf.trim_end().to_string(), ["6", "7"]),
        // The last row after blank lines, without a line end of its own,
        // is on its own line, not on the first blank one.
        (
            "blank-then-last-no-eol",
            lf.replacen("\n2020,e", "\n\n\n2020,e", 1)
                .trim_end()
                .to_string(),
            ["6", "9"],
        ),
        (
            "crlf-blank-then-last-no-eol",
            (lf.replace('\n', "\r\n"))
                .replacen("\r\n2020,e", "\r\n\r\n\r\n2020,e", 1)
                .trim_end()
                .to_string(),
            ["6", "9"],
        ),
    ];
    for (name, text, want) in cases {
        let f = tmp.path().join(format!("{name}.csv"));
        write(&f, &text);
        let (o, rows, _) = ingest(tmp.path(), name, &f, &[]);
        assert_eq!(o.code, 1, "{name}: {}", o.stderr);
        let got: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
        assert_eq!(got, want, "{name}: {rows:?}");
    }
}

#[test]
fn thousands_separators_read_only_when_the_column_shows_them() {
    let tmp = tempfile::tempdir().unwrap();
    let head = format!("{HEAD},income_total_year");
    let rows = |a: &str, b: &str, c: &str, t: &str| {
        format!(
            "{head}\n2020,a,89,rural,2,{a},\n2020,b,89,rural,2,{b},\n2020,c,89,urban,3,{c},{t}\n"
        )
    };
    let plain = rows("700000", "2808000", "850000", "30600000");
    // Vietnamese spreadsheets: `.` groups thousands, the one-group values
    // first (the decision never depends on the order); English ones: `,`.
    let vi = rows("700.000", "2.808.000", "850.000", "30.600.000");
    let en = rows(
        "\"700,000\"",
        "\"2,808,000\"",
        "\"850,000\"",
        "\"30,600,000\"",
    );
    let spaced = rows("700 000", "2 808 000", "850 000", "30 600 000");
    let mut trees = Vec::new();
    for (name, text) in [("plain", plain), ("vi", vi), ("en", en), ("spaced", spaced)] {
        let f = tmp.path().join(format!("{name}.csv"));
        write(&f, &text);
        let (o, q, t) = ingest(tmp.path(), name, &f, &[]);
        assert_eq!(o.code, 0, "{name}: {}{q:?}", o.stderr);
        trees.push(t);
    }
    assert!(trees.windows(2).all(|w| w[0] == w[1]));
    // Nothing in the file shows what `700.000` means: quarantined, saying how to write it.
    let f = tmp.path().join("unsure.csv");
    write(&f, &rows("700.000", "2808000", "850.000", ""));
    let (o, q, _) = ingest(tmp.path(), "unsure", &f, &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(q.len(), 2, "{q:?}");
    assert!(
        q[0][4].contains("700000") && q[0][4].contains("700 ("),
        "{}",
        q[0][4]
    );
    // The column also writes `.` as a decimal point: never thousands.
    let f = tmp.path().join("decimal.csv");
    write(&f, &rows("700.000", "2.808.000", "850000.5", ""));
    let (_, q, _) = ingest(tmp.path(), "decimal", &f, &[]);
    let bad: Vec<&str> = q.iter().map(|r| r[3].as_str()).collect();
    assert_eq!(bad, ["700.000", "850000.5"], "{q:?}");
}

#[test]
fn yes_no_flags_written_as_floats_are_read() {
    let tmp = tempfile::tempdir().unwrap();
    let text = |y: &str, n: &str| {
        format!("{HEAD},has_tv,dep_health_insurance\n2020,a,89,rural,2,800000,{y},{n}\n2020,b,89,rural,2,800000,{n},\n2020,c,89,rural,2,800000,,{y}\n")
    };
    let mut trees = Vec::new();
    for (name, y, n) in [("ints", "1", "0"), ("floats", "1.0", "0.0")] {
        let f = tmp.path().join(format!("{name}.csv"));
        write(&f, &text(y, n));
        let (o, q, t) = ingest(tmp.path(), name, &f, &[]);
        assert_eq!(o.code, 0, "{name}: {}{q:?}", o.stderr);
        trees.push(t);
    }
    assert_eq!(trees[0], trees[1]);
    let f = tmp.path().join("half.csv");
    write(&f, &text("0.5", "2.0"));
    let (o, q, _) = ingest(tmp.path(), "half", &f, &[]);
    assert_eq!((o.code, q.len()), (1, 4), "{q:?}");
}

#[test]
fn encodings_and_delimiters_are_read_or_named() {
    use unicode_normalization::UnicodeNormalization;
    let tmp = tempfile::tempdir().unwrap();
    let text = "năm,ma_ho,ma_tinh,khu_vuc,so_nhan_khau\n2020,a,89,Nông thôn,2\n2020,b,89,1,3\n";
    let reference = tmp.path().join("utf8.csv");
    write(&reference, text);
    let (o, _, want) = ingest(tmp.path(), "utf8", &reference, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let tsv = text.replace(',', "\t");
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend(tsv.encode_utf16().flat_map(u16::to_le_bytes));
    let (cp1258, _, unmappable) = encoding_rs::WINDOWS_1258.encode(text);
    assert!(!unmappable);
    let cases: [(&str, Vec<u8>, &[&str]); 5] = [
        ("nfd", text.nfd().collect::<String>().into_bytes(), &[]),
        ("tsv", tsv.clone().into_bytes(), &[]),
        ("semicolon", text.replace(',', ";").into_bytes(), &[]),
        ("utf16", utf16, &[]),
        ("cp1258", cp1258.to_vec(), &["--encoding", "cp1258"]),
    ];
    for (name, bytes, flags) in cases {
        let f = tmp.path().join(format!("{name}.csv"));
        std::fs::write(&f, bytes).unwrap();
        let (o, _, got) = ingest(tmp.path(), name, &f, flags);
        assert_eq!(o.code, 0, "{name}: {}", o.stderr);
        assert!(got == want, "{name}: not the same dataset");
    }
    // Without the flag, the Windows-1258 file is named, with the fix.
    let (o, _, _) = ingest(tmp.path(), "cp", &tmp.path().join("cp1258.csv"), &[]);
    assert_error_snapshot("ingest-cp1258-without-encoding", &o, tmp.path());
    assert!(
        o.stderr.contains("Windows-1258") && o.stderr.contains("--encoding cp1258"),
        "{}",
        o.stderr
    );
    let unusable: [(&str, &[u8], &str); 4] = [
        (
            "binary",
            b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0>\0",
            "not a text file",
        ),
        ("zip", b"PK\x03\x04\x14\0\0\0\x08\0", "zip archive"),
        (
            "pipes",
            b"survey_year|household_id|area\n2020|a|rural\n",
            "commas (`,`)",
        ),
        (
            "nobom",
            &b"s\0u\0r\0v\0e\0y\0\n\0"[..],
            "--encoding utf-16le",
        ),
    ];
    for (name, bytes, says) in unusable {
        let f = tmp.path().join(format!("{name}.csv"));
        std::fs::write(&f, bytes).unwrap();
        let (o, _, _) = ingest(tmp.path(), name, &f, &[]);
        assert_error_snapshot(&format!("ingest-unusable-{name}"), &o, tmp.path());
        assert!(o.stderr.contains(says), "{name}: {}", o.stderr);
    }
}

#[test]
fn a_year_no_standard_covers_is_quarantined_not_fatal() {
    let tmp = tempfile::tempdir().unwrap();
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let mem = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
    let mut lines: Vec<String> = hh.lines().take(31).map(str::to_string).collect();
    lines[30] = lines[30].replacen("2020", "2099", 1);
    // A year from 2025 is in the 34-unit scheme, which has no districts:
    // the row's district code is blanked so that its year is its only problem.
    let mut cells: Vec<&str> = lines[30].split(',').collect();
    cells[3] = "";
    lines[30] = cells.join(",");
    let ids: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let members: Vec<String> = (mem.lines().enumerate())
        .filter(|(i, l)| {
            *i == 0 || (l.starts_with("2020,") && ids.contains(&l.split(',').nth(1).unwrap()))
        })
        .map(|(_, l)| l.to_string())
        .collect();
    write(
        &tmp.path().join("in/households.csv"),
        &(lines.join("\n") + "\n"),
    );
    write(
        &tmp.path().join("in/members.csv"),
        &(members.join("\n") + "\n"),
    );
    let out = tmp.path().join("out");
    let o = dachieu(
        tmp.path(),
        &[
            "run",
            "--no-report",
            p(&tmp.path().join("in")),
            "--out",
            p(&out),
        ],
    );
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    let q = quarantine_rows(&out.join("quarantine.csv"));
    let bad: Vec<&Vec<String>> = q
        .iter()
        .filter(|r| r[0].ends_with("households.csv"))
        .collect();
    assert_eq!(bad.len(), 1, "{q:?}");
    assert_eq!(bad[0][1], "31");
    let year = &bad;
    assert_eq!(year[0][3], "2099");
    assert!(
        year[0][4].contains("no standard covers survey year 2099")
            && year[0][4].contains("--standard"),
        "{}",
        year[0][4]
    );
    assert!(out.join("scored/survey_year=2020").exists());
    // `ingest` alone knows no standard: it keeps the year.
    // (Its members, of year 2020, have no household that year: quarantined.)
    let (o, q, _) = ingest(tmp.path(), "ds", &tmp.path().join("in"), &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(q.iter().all(|r| r[0].ends_with("members.csv")), "{q:?}");
    assert!(
        o.stdout.contains("survey year 2099: 1 households"),
        "{}",
        o.stdout
    );
}

#[test]
fn advice_names_only_flags_that_exist() {
    // Every `--flag` the sources advise is one some subcommand accepts.
    let mut help = String::new();
    for cmd in [
        "ingest",
        "score",
        "tables",
        "compare",
        "report",
        "run",
        "serve",
        "synth",
        "standards",
    ] {
        help += &dachieu(&repo(), &[cmd, "--help"]).stdout;
    }
    let mut unknown = std::collections::BTreeSet::new();
    let mut stack = vec![repo().join("src")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Unit tests (at the end of a file) run the test harness, whose
            // flags are not advice to a user.
            let src = text.split("#[cfg(test)]").next().unwrap_or_default();
            for (i, _) in src.match_indices("--") {
                let flag: String = src[i + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                    .collect();
                let flag = flag.trim_end_matches('-');
                // CSS custom properties (`--ink: …`, `var(--ink)`) are not flags.
                let css = src[i + 2 + flag.len()..].starts_with([':', ')']);
                if !css && flag.len() > 1 && !help.contains(&format!("--{flag}")) {
                    unknown.insert(format!("--{flag} ({})", path.display()));
                }
            }
        }
    }
    assert!(
        unknown.is_empty(),
        "advice names flags no subcommand has: {unknown:?}"
    );
}

#[test]
fn control_characters_and_huge_ids_are_quarantined() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("h.csv");
    let huge = "x".repeat(5_000_000);
    write(&f, &format!("{HEAD}\n2020,a\0b,89,rural,2,800000\n2020,{huge},89,rural,2,800000\n2020,c,89,rural,2,800000\n"));
    let (o, q, _) = ingest(tmp.path(), "ds", &f, &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(q.len(), 2);
    assert!(q[0][4].contains("U+0000"), "{}", q[0][4]);
    assert!(q[1][4].contains("5000000 characters"), "{}", &q[1][4]);
    assert!(q[1][3].len() < 1000 && q[1][3].ends_with("(5000000 characters)"));
}

#[test]
fn files_of_a_folder_that_are_not_read_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("in");
    write(
        &dir.join("households.csv"),
        &format!("{HEAD}\n2020,a,89,rural,2,800000\n"),
    );
    write(&dir.join("report.pdf"), "binary");
    write(&dir.join("notes.txt"), "x");
    let (o, _, _) = ingest(tmp.path(), "ds", &dir, &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("2 entries not read"), "{}", o.stdout);
    assert!(
        o.stdout.contains(
            "report.pdf (not a table format; inputs are .csv, .xlsx, .xlsm, .xls and .parquet files)"
        ),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("notes.txt (a text file"), "{}", o.stdout);
}
