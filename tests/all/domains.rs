//! Columns of the user's own kept through ingest and scoring, `tables --by`
//! any of them, and `--where` / `--province` domains: the edge cases (a
//! column with one value, one all blank, values with diacritics typed
//! composed or decomposed, a domain that selects nothing, conditions the
//! syntax does not have, names that clash) and their exit codes.

use crate::common::*;
use std::path::Path;

/// The statistics fixture (households with pre-coded flags, a sample
/// design) with kept columns added: a village (diacritics, every seventh
/// blank), an ethnic-minority flag in Vietnamese, a code of one value, a
/// column left blank, and the head's name.
fn fixture_with_kept_columns(dir: &Path) -> std::path::PathBuf {
    let src = std::fs::read_to_string(repo().join("tests/stats/fixture/households.csv")).unwrap();
    let mut out = String::new();
    for (i, line) in src.lines().enumerate() {
        if i == 0 {
            out += &format!("{line},Thôn,Dân tộc thiểu số,Mã riêng,Ghi chú,Họ tên chủ hộ\n");
            continue;
        }
        let village = match i % 7 {
            0 => "",
            1 | 2 => "Bản Phủ",
            3 | 4 => "Thôn Nà Nhạn",
            _ => "Tổ 3",
        };
        let dtts = if i % 4 == 0 { "có" } else { "không" };
        out += &format!("{line},{village},{dtts},X1,,Nguyễn Văn {i}\n");
    }
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("households.csv"), out).unwrap();
    input
}

fn run_ok(dir: &Path, args: &[&str]) -> Output {
    let o = dachieu(dir, args);
    assert_eq!(o.code, 0, "{args:?}: {}{}", o.stdout, o.stderr);
    o
}

fn tables(dir: &Path, out: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "tables",
        "--scored",
        "out/scored",
        "--out",
        out,
        "--format",
        "csv",
        "--lonely-psu",
        "adjust",
        "-q",
    ];
    args.extend_from_slice(extra);
    dachieu(dir, &args)
}

/// (code, name, households) of the rates rows of `year` in a table.
fn rows_of(path: &Path, year: &str) -> Vec<(String, String, i64)> {
    read_rows(path)
        .iter()
        .filter(|r| r["survey_year"] == year)
        .map(|r| {
            (
                r["code"].clone(),
                r["name"].clone(),
                r["households"].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn kept_columns_group_and_restrict_the_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let input = fixture_with_kept_columns(dir);
    let o = run_ok(
        dir,
        &[
            "run",
            "--no-report",
            p(&input),
            "--out",
            "out",
            "--lonely-psu",
            "adjust",
        ],
    );
    assert!(
        o.stdout
            .contains("kept as text (not in the data contract): village, ethnic_minority, mã_riêng, ghi_chú, head_name"),
        "{}",
        o.stdout
    );
    let manifest = std::fs::read_to_string(dir.join("out/manifest.json")).unwrap();
    assert!(manifest.contains("\"kept_columns\""), "{manifest}");

    // One row per value, the blank one its own group, none dropped.
    let o = tables(
        dir,
        "by",
        &["--by", "village,ethnic_minority,mã_riêng,ghi_chú"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let village = rows_of(&dir.join("by/rates_village.csv"), "2020");
    let names: Vec<&str> = village.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        names,
        ["4 tỉnh, thành phố trong dữ liệu", "(không có)", "", "", ""],
        "{village:?}"
    );
    let codes: Vec<&str> = village.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(codes, ["VN", "", "Bản Phủ", "Thôn Nà Nhạn", "Tổ 3"]);
    let total = village[0].2;
    assert_eq!(village[1..].iter().map(|r| r.2).sum::<i64>(), total);
    let dtts = rows_of(&dir.join("by/rates_ethnic_minority.csv"), "2020");
    let codes: Vec<&str> = dtts.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(codes, ["VN", "no", "yes"]);
    // One value, and all blank: one group each, the whole year.
    for (file, code) in [("rates_mã_riêng.csv", "X1"), ("rates_ghi_chú.csv", "")] {
        let r = rows_of(&dir.join("by").join(file), "2020");
        assert_eq!(r.len(), 2, "{file}: {r:?}");
        assert_eq!((r[1].0.as_str(), r[1].2), (code, total), "{file}");
    }
    // Estimates by a kept column carry standard errors, as for provinces.
    let est = read_rows(&dir.join("by/estimates.csv"));
    let se = est
        .iter()
        .find(|r| r["level"] == "village" && r["code"] == "Bản Phủ" && r["measure"] == "poor_rate")
        .unwrap();
    assert!(se["se"].parse::<f64>().unwrap() > 0.0, "{se:?}");

    // A domain typed decomposed (NFD) is the composed one.
    let o = tables(
        dir,
        "nfd",
        &[
            "--where",
            "village=Ba\u{309}n Phu\u{309}",
            "--by",
            "province",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let nfd = rows_of(&dir.join("nfd/rates_province.csv"), "2020");
    let bp = village.iter().find(|r| r.0 == "Bản Phủ").unwrap().2;
    assert_eq!(
        nfd[0],
        ("VN".into(), "4 tỉnh, thành phố trong dữ liệu".into(), bp)
    );
    // `!=` and `in`: complements and unions of the same counts.
    let o = tables(dir, "ne", &["--where", "village!=Bản Phủ"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let ne = rows_of(&dir.join("ne/rates_province.csv"), "2020");
    assert_eq!(ne[0].2, total - bp);
    let o = tables(dir, "in", &["--where", "village in ('Bản Phủ', '')"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let blank = village[1].2;
    assert_eq!(
        rows_of(&dir.join("in/rates_province.csv"), "2020")[0].2,
        bp + blank
    );
}

#[test]
fn domains_and_groupings_refused_with_a_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let input = fixture_with_kept_columns(dir);
    run_ok(
        dir,
        &[
            "run",
            "--no-report",
            p(&input),
            "--out",
            "out",
            "--lonely-psu",
            "adjust",
        ],
    );
    let cases: &[(&[&str], &str)] = &[
        (
            &["--where", "village=Nowhere"],
            "no household of the scored years (2020, 2021) is in the domain village=Nowhere",
        ),
        (
            &["--where", "household_size > 3"],
            "`household_size > 3` is not a condition dachieu reads: `--where` takes COLUMN=VALUE",
        ),
        (
            &["--where", "a=1 and b=2"],
            "give `--where` once per condition",
        ),
        (
            &["--where", "nowhere=1"],
            "survey year 2020 has no column `nowhere`",
        ),
        (&["--where", "weight=1"], "column `weight` is Float64"),
        (
            &["--province", "99"],
            "--province 99: not one of the 63 GSO province codes",
        ),
        (&["--by", "head_name"], "identifies households or people"),
        (&["--by", "household_id"], "identifies households or people"),
        (
            &["--by", "nowhere"],
            "columns you can group by: stratum, psu, village",
        ),
        (&["--by", "class"], "not a level"),
    ];
    for (i, (args, message)) in cases.iter().enumerate() {
        let o = tables(dir, &format!("bad{i}"), args);
        assert_eq!(o.code, 2, "{args:?}: {}", o.stdout);
        assert!(o.stderr.contains(message), "{args:?}: {}", o.stderr);
        assert!(
            !dir.join(format!("bad{i}/estimates.csv")).exists(),
            "{args:?}"
        );
    }
    // `run` writes its report and comparisons for all its data: a domain
    // there is refused before anything is written.
    let o = dachieu(
        dir,
        &[
            "run",
            "--no-report",
            p(&input),
            "--out",
            "out2",
            "--province",
            "11",
        ],
    );
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("dachieu tables"), "{}", o.stderr);
    assert!(!dir.join("out2/manifest.json").exists());
}

#[test]
fn kept_columns_are_checked_at_ingest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let ds = dir.join("ds");
    let q = dir.join("q.csv");
    let head = "survey_year,household_id,province_code,area,household_size";
    // Two headers meaning the village: the file is refused.
    let f = dir.join("two.csv");
    std::fs::write(&f, format!("{head},thôn,Bản\n2020,h1,11,rural,3,a,b\n")).unwrap();
    let o = ingest_into(dir, &f, &ds, &q, &[]);
    assert_eq!(o.code, 2, "{}", o.stdout);
    assert!(o.stderr.contains("both mean `village`"), "{}", o.stderr);
    // A name of dachieu's own outputs is not kept (a warning); a bad yes/no
    // and a control character in kept text quarantine their rows.
    let f = dir.join("ok.csv");
    std::fs::write(
        &f,
        format!(
            "{head},class,dtts,note\n2020,h1,11,rural,3,x,có,fine\n2020,h2,11,rural,3,x,maybe,fine\n2020,h3,11,rural,3,x,no,bad\u{7}\n"
        ),
    )
    .unwrap();
    let o = ingest_into(dir, &f, &ds, &q, &[]);
    assert_eq!(o.code, 1, "{}{}", o.stdout, o.stderr);
    assert!(
        o.stdout.contains(
            "column `class` is not part of the households data contract and was not kept"
        ),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("kept as text (not in the data contract): ethnic_minority, note"),
        "{}",
        o.stdout
    );
    let quarantine = read_rows(&q);
    let cols: Vec<&str> = quarantine.iter().map(|r| r["column"].as_str()).collect();
    assert_eq!(cols, ["dtts", "note"], "{quarantine:?}");
}
