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
        assert_eq!(svgs.len(), 7, "{lang}: {svgs:?}");
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
        assert!(html.contains("vn-2016-2020 1.0.0") && html.contains("vn-2022-2025 1.0.0"));
        let note = if lang == "vi" {
            "Khái niệm hộ cận nghèo khác nhau giữa hai chuẩn"
        } else {
            "The near-poor are defined differently"
        };
        assert!(html.contains(note), "{lang}: no near-poor note");
    }
}

#[test]
fn workbook_holds_the_same_numbers_as_the_csv_tables() {
    use calamine::{Data, Reader};
    let tmp = tempfile::tempdir().unwrap();
    run_sample(tmp.path());
    let mut wb =
        calamine::open_workbook_auto(tmp.path().join("out/report/tables_vi.xlsx")).unwrap();
    let sheet = wb.worksheet_range("rates_province").unwrap();
    let mut csv = csv::Reader::from_path(tmp.path().join("out/tables/rates_province.csv")).unwrap();
    let header: Vec<String> = csv.headers().unwrap().iter().map(str::to_string).collect();
    let rows: Vec<Vec<String>> = csv
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let cells: Vec<Vec<Data>> = sheet.rows().map(|r| r.to_vec()).collect();
    assert_eq!(cells.len(), rows.len() + 1);
    for (c, h) in header.iter().enumerate() {
        assert_eq!(cells[0][c].to_string(), *h);
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let cell = &cells[r + 1][c];
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
