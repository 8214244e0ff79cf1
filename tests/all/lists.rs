//! The follow-up lists for commune officers (`lists/`): on a copy of the
//! sample with made-up head names, villages and addresses, the lists hold
//! exactly the households the movement rules pick from the scored files,
//! sorted by village then household id, with Vietnamese headers and the
//! pass-through columns; and none of those names reaches any file under
//! tables/, report/ or compare/.

use crate::common::*;
use calamine::{open_workbook, Data, Reader, Xlsx};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Markers in every made-up name: a leak shows as one of them.
const MARKERS: [&str; 3] = ["Xyzzy", "Quux", "Plugh"];

/// Row `i`'s head name, village and address (deterministic).
fn people(i: usize) -> [String; 3] {
    [
        format!("Lò Thị Xyzzy{i}"),
        format!("Bản Plugh {}", (i * 7) % 12 + 1),
        format!("Số {i} đường Quux"),
    ]
}

/// A copy of the sample whose households carry head_name, village and
/// address; returns the folder and id → (year, [head, village, address]).
fn sample_with_people(dir: &Path) -> HashMap<(String, String), [String; 3]> {
    std::fs::create_dir_all(dir).unwrap();
    let src = sample_dir();
    std::fs::copy(src.join("members.csv"), dir.join("members.csv")).unwrap();
    let mut r = csv::Reader::from_path(src.join("households.csv")).unwrap();
    let mut w = csv::Writer::from_path(dir.join("households.csv")).unwrap();
    // The sample's own people columns are replaced by marked ones.
    const PEOPLE: [&str; 3] = ["head_name", "village", "address"];
    let old = r.headers().unwrap().clone();
    let keep: Vec<usize> = (0..old.len())
        .filter(|&i| !PEOPLE.contains(&&old[i]))
        .collect();
    let mut header: csv::StringRecord = keep.iter().map(|&i| &old[i]).collect();
    for h in PEOPLE {
        header.push_field(h);
    }
    w.write_record(&header).unwrap();
    let mut by_id = HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.unwrap();
        let mut out: csv::StringRecord = keep.iter().map(|&i| &rec[i]).collect();
        let p = people(i);
        by_id.insert((rec[0].to_string(), rec[1].to_string()), p.clone());
        for v in &p {
            out.push_field(v);
        }
        w.write_record(&out).unwrap();
    }
    w.flush().unwrap();
    by_id
}

struct Run {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    people: HashMap<(String, String), [String; 3]>,
}

/// One run on the copy, shared by the tests of this file.
fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("input");
        let people = sample_with_people(&input);
        let o = dachieu(
            tmp.path(),
            &[
                "run",
                p(&input),
                "--out",
                "out",
                "--by",
                "province,district,commune,area",
                "--quiet",
            ],
        );
        assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
        Run {
            out: tmp.path().join("out"),
            _tmp: tmp,
            people,
        }
    })
}

/// Every sheet of a workbook: name → rows of cell texts.
fn sheets(path: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let names = wb.sheet_names().to_vec();
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
                            Data::Float(f) => format!("{f}"),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect();
            (n, rows)
        })
        .collect()
}

/// The text of a file as a person or tool could read it: CSV, JSON, HTML,
/// SVG as they are; Parquet's string values and metadata; every cell and
/// sheet name of a workbook. PNG: its bytes (charts draw text as pixels).
fn readable(path: &Path) -> String {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext {
        "parquet" => {
            let b = dachieu::dataset::read_parquet(path).unwrap();
            let mut s = format!("{:?}", b.schema());
            for c in b.columns() {
                if let Some(a) = arrow_cast_string(c) {
                    s.push_str(&a);
                }
            }
            s
        }
        "xlsx" => sheets(path)
            .into_iter()
            .map(|(n, rows)| {
                let cells: Vec<String> = rows.into_iter().flatten().collect();
                format!("{n}\n{}", cells.join("\n"))
            })
            .collect(),
        _ => String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned(),
    }
}

/// A text column's values, joined (plain or dictionary-coded).
fn arrow_cast_string(a: &arrow_array::ArrayRef) -> Option<String> {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    let s = a.as_string_opt::<i32>().cloned().or_else(|| {
        let d = a.as_dictionary_opt::<arrow_array::types::Int32Type>()?;
        d.values().as_string_opt::<i32>().cloned()
    })?;
    Some(
        (0..s.len())
            .filter(|i| s.is_valid(*i))
            .map(|i| s.value(i))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    tree(dir)
        .into_iter()
        .map(|(rel, _)| dir.join(rel))
        .collect()
}

#[test]
fn names_in_the_lists_never_reach_tables_report_or_compare() {
    let r = run();
    let lists = files_under(&r.out.join("lists"));
    assert!(!lists.is_empty());
    // The lists do carry the names (so this test can fail).
    let all: String = lists.iter().map(|f| readable(f)).collect();
    for m in MARKERS {
        assert!(all.contains(m), "no {m} in the lists");
    }
    let mut scanned = 0;
    for part in ["tables", "report", "compare"] {
        for f in files_under(&r.out.join(part)) {
            let text = readable(&f);
            for m in MARKERS {
                assert!(!text.contains(m), "{} carries a name ({m})", f.display());
            }
            scanned += 1;
        }
    }
    assert!(scanned > 40, "{scanned} files scanned");
}

/// Each year's class by household id, from the scored files.
fn classes(out: &Path, year: i64) -> HashMap<String, (String, [String; 3])> {
    let b = dachieu::dataset::read_parquet(
        &out.join(format!("scored/survey_year={year}/scored.parquet")),
    )
    .unwrap();
    let col = |n: &str| arrow_cast_values(&b, n);
    let (ids, class) = (col("household_id"), col("class"));
    let unit = [
        col("province_code"),
        col("district_code"),
        col("commune_code"),
    ];
    (0..b.num_rows())
        .map(|i| {
            let u = [unit[0][i].clone(), unit[1][i].clone(), unit[2][i].clone()];
            (ids[i].clone(), (class[i].clone(), u))
        })
        .collect()
}

fn arrow_cast_values(b: &arrow_array::RecordBatch, name: &str) -> Vec<String> {
    use arrow_array::cast::AsArray;
    use arrow_array::Array;
    let a = b.column_by_name(name).unwrap();
    if let Some(s) = a.as_string_opt::<i32>() {
        return (0..s.len()).map(|i| s.value(i).to_string()).collect();
    }
    let d = a.as_dictionary::<arrow_array::types::Int32Type>();
    let v = d.values().as_string::<i32>();
    (0..d.len())
        .map(|i| match d.keys().is_valid(i) {
            true => v.value(d.keys().value(i) as usize).to_string(),
            false => String::new(),
        })
        .collect()
}

/// The lists the forms' rules give, computed here from the scored files:
/// (commune, sheet) → household ids.
fn expected(out: &Path) -> BTreeMap<(String, &'static str), BTreeSet<String>> {
    let (y0, y1, y2) = (classes(out, 2020), classes(out, 2021), classes(out, 2022));
    let settled = |c: &str| c != "undetermined" && c != "excluded";
    let mut want: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
    for (id, (now, unit)) in &y2 {
        let before = y1.get(id).map_or("absent", |x| x.0.as_str());
        let earlier = |c: &str| y0.get(id).is_some_and(|x| x.0 == c);
        let mut sheets = Vec::new();
        if !settled(now) {
            sheets.push("Chưa xác định");
        }
        if settled(before) {
            if now == "poor" && before != "poor" {
                sheets.push(if earlier("poor") {
                    "Tái nghèo"
                } else {
                    "Nghèo mới phát sinh"
                });
            }
            if before == "poor" && now != "poor" && settled(now) {
                sheets.push("Thoát nghèo");
            }
            if now == "near_poor" && before != "near_poor" {
                sheets.push(if earlier("near_poor") {
                    "Tái cận nghèo"
                } else {
                    "Cận nghèo mới phát sinh"
                });
            }
        }
        for sheet in sheets {
            want.entry((unit[2].clone(), sheet))
                .or_default()
                .insert(id.clone());
        }
    }
    want
}

#[test]
fn each_commune_has_its_lists_sorted_with_vietnamese_headers_and_the_people() {
    let r = run();
    let want = expected(&r.out);
    let mut got: BTreeMap<(String, &'static str), BTreeSet<String>> = BTreeMap::new();
    let sheet_names = [
        "Chưa xác định",
        "Nghèo mới phát sinh",
        "Cận nghèo mới phát sinh",
        "Tái nghèo",
        "Tái cận nghèo",
        "Thoát nghèo",
    ];
    let (mut empty_seen, mut workbooks) = (false, 0);
    for f in files_under(&r.out.join("lists")) {
        let rel = f
            .strip_prefix(r.out.join("lists"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        assert!(rel.starts_with("2022/") && rel.ends_with(".xlsx"), "{rel}");
        assert!(
            rel.is_ascii() && !rel.contains(' '),
            "{rel}: not a plain file name"
        );
        let commune = f.file_stem().unwrap().to_string_lossy()[..5].to_string();
        workbooks += 1;
        let book = sheets(&f);
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, sheet_names, "{rel}");
        for ((_, rows), name) in book.iter().zip(sheet_names) {
            assert!(
                rows[0][0].starts_with("DANH SÁCH HỘ") && rows[0][0].ends_with("NĂM 2022"),
                "{rel}: {:?}",
                rows[0]
            );
            assert!(rows[1][0].contains(&commune), "{rel}: {:?}", rows[1]);
            let h = rows
                .iter()
                .position(|r| r[0] == "STT")
                .expect("a header row");
            let header = &rows[h];
            assert_eq!(
                &header[..7],
                [
                    "STT",
                    "Mã hộ",
                    "Họ và tên chủ hộ",
                    "Thôn, ấp, bản, tổ dân phố",
                    "Địa chỉ",
                    "Hộ DTTS",
                    "Khu vực"
                ],
                "{rel}"
            );
            if name == "Chưa xác định" {
                assert_eq!(
                    &header[7..],
                    ["Có thể là", "Chỉ số chưa rõ", "Thông tin cần thu thập"]
                );
            } else {
                assert_eq!(
                    &header[7..],
                    [
                        "Loại hộ năm 2021",
                        "Loại hộ năm 2022",
                        "Các chỉ số thiếu hụt"
                    ]
                );
            }
            let body: Vec<&Vec<String>> = rows[h + 1..]
                .iter()
                .take_while(|r| !r[0].is_empty())
                .collect();
            if body.len() == 1 && body[0][0].starts_with("Không có hộ nào") {
                empty_seen = true;
                continue;
            }
            let mut keys = Vec::new();
            for (n, row) in body.iter().enumerate() {
                assert_eq!(row[0], (n + 1).to_string(), "{rel} {name}");
                let id = row[1].clone();
                let person = &r.people[&("2022".to_string(), id.clone())];
                assert_eq!(&row[2..5], &person[..], "{rel} {name} {id}");
                assert!(
                    ["Thành thị", "Nông thôn"].contains(&row[6].as_str()),
                    "{row:?}"
                );
                if name == "Chưa xác định" {
                    assert!(!row[8].is_empty() && !row[9].is_empty(), "{row:?}");
                    assert!(!row[8].contains('_'), "indicator in words: {row:?}");
                } else {
                    assert!(
                        row[7].starts_with("hộ ") || row[7] == "chưa có trong danh sách",
                        "{row:?}"
                    );
                }
                let num: u32 = row[3].rsplit(' ').next().unwrap().parse().unwrap();
                keys.push((num, id.clone()));
                got.entry((commune.clone(), name)).or_default().insert(id);
            }
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "{rel} {name}: by village, then household");
        }
    }
    assert!(workbooks > 10 && empty_seen);
    assert_eq!(got, want);
    let kinds: BTreeSet<&str> = want.keys().map(|k| k.1).collect();
    assert!(
        kinds.len() >= 4,
        "the sample exercises the lists: {kinds:?}"
    );
}
