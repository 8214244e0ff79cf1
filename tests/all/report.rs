//! The human outputs of a run: charts in both languages, the workbook
//! agreeing with the CSV tables, and the report opening in headless
//! Chromium with the key numbers (Chromium is installed by .ci/run; a local
//! run without it says so and skips that part).

use crate::common::*;
use crate::tolerance::*;
use std::path::Path;

fn run_sample(dir: &Path) {
    let sample = sample_dir();
    let o = dachieu(dir, &["run", p(&sample), "--out", "out", "--format", "csv"]);
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
}

#[test]
fn charts_in_both_languages_with_the_sample_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    for lang in ["vi", "en"] {
        let dir = tmp.path().join("out/report/charts").join(lang);
        let mut svgs: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".svg"))
            .collect();
        svgs.sort();
        assert_eq!(svgs.len(), 8, "{lang}: {svgs:?}");
        for svg in &svgs {
            let png = dir.join(svg.replace(".svg", ".png"));
            let bytes = std::fs::read(&png).unwrap();
            assert!(
                bytes.starts_with(b"\x89PNG") && bytes.len() > 5_000,
                "{}",
                png.display()
            );
        }
        let bars = std::fs::read_to_string(dir.join("poor_by_province.svg")).unwrap();
        // The last survey year, 2022: Điện Biên 25.59 % poor in the rates
        // table, drawn with one decimal.
        let (name, value) = if lang == "vi" {
            ("Điện Biên", "25,6 %")
        } else {
            ("Dien Bien", "25.6%")
        };
        assert!(
            bars.contains("2022"),
            "{lang}: the chart is of the last year"
        );
        assert!(
            bars.contains(name) && bars.contains(value),
            "{lang}: poor_by_province lacks {name} {value}"
        );
        // The report names each year's standard and warns about near-poor.
        let html =
            std::fs::read_to_string(tmp.path().join(format!("out/report/report_{lang}.html")))
                .unwrap();
        // By name; ids and versions only in the English report's
        // provenance (tests/all/language.rs scans the Vietnamese one).
        let names = [
            "Chuẩn nghèo tiếp cận đa chiều áp dụng cho giai đoạn 2016–2020",
            "Chuẩn nghèo đa chiều giai đoạn 2022–2025",
        ];
        let names_en = [
            "Multidimensional poverty standard for 2016–2020",
            "Multidimensional poverty standard for 2022–2025",
        ];
        for name in if lang == "vi" { names } else { names_en } {
            assert!(html.contains(name), "{lang}: {name}");
        }
        let ids = html.contains("vn-2016-2020 1.0.0") && html.contains("vn-2022-2025 1.0.0");
        assert_eq!(ids, lang == "en", "{lang}");
        let note = if lang == "vi" {
            "Khái niệm hộ cận nghèo khác nhau giữa hai chuẩn"
        } else {
            "The near-poor are defined differently"
        };
        assert!(html.contains(note), "{lang}: no near-poor note");
    }
}

/// The rate and indicator sheets of both workbooks hold the numbers of
/// their CSV tables: each sheet's columns are CSV columns under the label
/// the catalogue of outputs gives in the workbook's language (the
/// Vietnamese workbook never an English label), each row the CSV row of
/// the same year, unit (and indicator), value for value; the full estimate
/// frame is left to the CSV and Parquet tables (`tests/all/book.rs` scans
/// the workbooks for machine names).
#[test]
fn workbooks_hold_the_csv_tables_under_the_catalogue_labels() {
    use calamine::Reader;
    use dachieu::schema::outputs;
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    for lang in ["vi", "en"] {
        let xlsx = tmp.path().join(format!("out/report/tables_{lang}.xlsx"));
        let mut wb = calamine::open_workbook_auto(xlsx).unwrap();
        let (est_vi, est_en) = outputs::file_by_stem("estimates")
            .unwrap()
            .titles("estimates");
        assert!(!wb
            .sheet_names()
            .iter()
            .any(|n| *n == est_vi || *n == est_en));
        for stem in ["rates_province", "indicators_province"] {
            let file = outputs::file_by_stem(stem).unwrap();
            let (vi, en) = file.titles(stem);
            let title = if lang == "vi" { vi } else { en };
            let sheet = wb
                .worksheet_range(&title)
                .unwrap_or_else(|e| panic!("{lang} {title}: {e}"));
            let csv_path = tmp.path().join(format!("out/tables/{stem}.csv"));
            let mut csv = csv::Reader::from_path(csv_path).unwrap();
            let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
            let rows: Vec<Vec<String>> = csv
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            let cells: Vec<Vec<calamine::Data>> = sheet.rows().map(|r| r.to_vec()).collect();
            // Each sheet column: the CSV column whose label it shows.
            let mut of_sheet = Vec::new();
            for shown in &cells[0] {
                let shown = shown.to_string();
                let c = header.iter().position(|h| {
                    let (vi, en) = file.column(h).unwrap().labels();
                    let want = if lang == "vi" { vi } else { en };
                    // People's counts are headed without "(weighted)".
                    shown == want || shown == want.replace(" (weighted)", "")
                });
                let c = c.unwrap_or_else(|| panic!("{title}: {shown:?} is no column's label"));
                of_sheet.push(c);
            }
            assert_eq!(cells.len(), rows.len() + 1, "{title}");
            let key = |row: &Vec<String>| -> Vec<String> {
                (header.iter().enumerate())
                    .filter(|(_, h)| ["survey_year", "code"].contains(&h.as_str()))
                    .map(|(c, _)| row[c].clone())
                    .collect()
            };
            // Rows of a unit and year, in order: the sheet keeps the CSV's
            // order within a unit (its indicators) and puts totals first.
            let mut by_key: std::collections::BTreeMap<Vec<String>, Vec<&Vec<String>>> =
                Default::default();
            for row in &rows {
                by_key.entry(key(row)).or_default().push(row);
            }
            let mut used: std::collections::BTreeMap<Vec<String>, usize> = Default::default();
            for line in &cells[1..] {
                let as_csv: Vec<String> = {
                    let mut r = vec![String::new(); header.len()];
                    for (i, c) in of_sheet.iter().enumerate() {
                        r[*c] = line.get(i).map(|d| d.to_string()).unwrap_or_default();
                    }
                    r
                };
                let k = key(&as_csv);
                let n = used.entry(k.clone()).or_default();
                let csv_row = by_key
                    .get(&k)
                    .and_then(|v| v.get(*n))
                    .unwrap_or_else(|| panic!("{title}: {k:?}"));
                *n += 1;
                let picked: Vec<String> = of_sheet.iter().map(|c| csv_row[*c].clone()).collect();
                let names: Vec<String> = of_sheet.iter().map(|c| header[*c].clone()).collect();
                // Indicators are shown by label, not id (book.rs checks them).
                let (line, picked, names): (Vec<_>, Vec<_>, Vec<_>) =
                    (line.iter().zip(picked).zip(names))
                        .filter(|(_, n)| n != "indicator")
                        .map(|((d, p), n)| (d.clone(), p, n))
                        .fold((vec![], vec![], vec![]), |mut acc, (d, p, n)| {
                            acc.0.push(d);
                            acc.1.push(p);
                            acc.2.push(n);
                            acc
                        });
                same_numbers(&names, &[picked], &[line]);
            }
        }
    }
}

fn same_numbers(header: &[String], rows: &[Vec<String>], cells: &[Vec<calamine::Data>]) {
    use calamine::Data;
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let cell = cells[r].get(c).unwrap_or(&Data::Empty);
            match (v.parse::<f64>(), cell) {
                (Ok(x), Data::Float(y)) => assert!(
                    (x - y).abs() <= CSV_VS_XLSX_REL * x.abs().max(1.0),
                    "{}: {x} vs {y}",
                    header[c]
                ),
                (Ok(x), Data::Int(y)) => assert_eq!(x, *y as f64),
                (_, Data::Empty) => assert!(v.is_empty(), "{}: {v:?} became empty", header[c]),
                (_, other) => assert_eq!(other.to_string(), *v, "{}", header[c]),
            }
        }
    }
}

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn report_opens_in_headless_chromium_with_the_key_numbers() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have Chromium: .ci/run installs it"
        );
        eprintln!("skipped: no Chromium on this machine (apt-get install chromium)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    for (lang, poor) in [("vi", "4,44 %"), ("en", "4.44%")] {
        let html = tmp.path().join(format!("out/report/report_{lang}.html"));
        let profile = tmp.path().join(format!("profile-{lang}"));
        let out = std::process::Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr",
                &format!("--user-data-dir={}", profile.display()),
                "--dump-dom",
                &format!("file://{}", html.display()),
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let dom = String::from_utf8_lossy(&out.stdout);
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(
            !log.contains("Uncaught") && !log.contains("CONSOLE"),
            "{lang}: console errors:\n{log}"
        );
        assert!(dom.contains(&format!("lang=\"{lang}\"")), "{lang}");
        assert!(
            dom.contains(poor),
            "{lang}: the 2020 national poor rate {poor} is not shown"
        );
        assert!(dom.contains("<svg"), "{lang}: no chart inline");
        assert!(
            dom.contains("Decision 59/2015") || dom.contains("59/2015/QĐ-TTg"),
            "{lang}: legal basis missing"
        );
    }
}
