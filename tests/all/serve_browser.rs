//! `dachieu serve` in a real browser: headless Chromium (Debian's
//! `chromium`) driven through `chromedriver` (`chromium-driver`, installed
//! by .ci/run) uploads the sample through the page's file input, runs the
//! review, waits for it, and finds on the results page the key figures
//! `dachieu run` gives; the workbook the page links opens in calamine; and
//! an upload of `data-samples/bad/` shows the rejected rows with reasons.
//! Without chromedriver outside CI the test says so and skips.

use crate::common::*;
use crate::serve::{key_figures, Served};
use crate::webdriver::{available, Driver};

#[test]
fn the_review_in_a_browser_upload_run_results() {
    if !available() {
        assert!(
            std::env::var("CI").is_err(),
            "CI must have chromedriver: .ci/run installs chromium-driver"
        );
        eprintln!("skipped: no chromedriver on this machine (apt-get install chromium-driver)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let sample = sample_dir();
    let o = dachieu(tmp.path(), &["run", p(&sample), "--out", "cli"]);
    assert!(o.code <= 1, "{}", o.stderr);
    let expected = key_figures(&tmp.path().join("cli"));

    let s = Served::start(&tmp.path().join("data"), &[]);
    let driver = Driver::start();
    let b = driver.session();
    b.goto(&format!("{}data", s.url));
    let input = b.wait_for("#files", 30);
    let files = format!(
        "{}\n{}",
        p(&sample.join("households.csv")),
        p(&sample.join("members.csv"))
    );
    b.send_keys(&input, &files);
    b.click(&b.wait_for("#upload", 5));
    b.wait_for("#check #tables", 120);
    let read = b.text_of("#check #tables");
    assert!(
        read.contains("households.csv") && read.contains("members.csv"),
        "{read}"
    );

    // Run, and follow the progress until it is done.
    b.click(&b.wait_for("a[href='/run']", 5));
    b.wait_for("#years", 30);
    let years = b.text_of("#years");
    assert!(
        years.contains("vn-2022-2025"),
        "each year's standard: {years}"
    );
    b.click(&b.wait_for("#start", 5));
    b.wait_for("#done", 300);

    b.click(&b.wait_for("#done a", 5));
    b.wait_for("#key-figures", 30);
    for (year, households, poor) in &expected {
        assert_eq!(
            b.text_of(&format!("#households-{year}")),
            *households,
            "{year}"
        );
        assert_eq!(b.text_of(&format!("#poor-pct-{year}")), *poor, "{year}");
    }
    assert!(b.find("iframe#report").is_some(), "the report in the page");
    // The workbook the page links opens.
    let links = b.find_all("#workbooks a");
    let href = links
        .iter()
        .map(|l| b.attr(l, "href"))
        .find(|h| h.ends_with("tables_vi.xlsx"))
        .expect("a link to the Vietnamese workbook");
    let path = href.trim_start_matches(&s.url[..s.url.len() - 1]);
    let r = s.get(path);
    assert_eq!(r.status, 200);
    let xlsx = tmp.path().join("downloaded.xlsx");
    std::fs::write(&xlsx, &r.body).unwrap();
    let book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).expect("the workbook opens");
    assert!(calamine::Reader::sheet_names(&book).len() > 1);

    // The bad sample: the rejected rows, with reasons.
    b.click(&b.wait_for("a[href='/data']", 5));
    b.click(&b.wait_for("#clear", 5));
    // The cleared page, not the old one's file input, before typing paths.
    b.wait_gone("#inputs", 30);
    let input = b.wait_for("#files", 30);
    let bad = sample.join("bad");
    b.send_keys(
        &input,
        &format!(
            "{}\n{}",
            p(&bad.join("households.csv")),
            p(&bad.join("members.csv"))
        ),
    );
    b.click(&b.wait_for("#upload", 5));
    b.wait_for("#rejected", 120);
    let rows = b.find_all("#rejected tr");
    assert!(rows.len() > 2, "rejected rows are listed");
    let table = b.text_of("#rejected");
    assert!(table.contains("households.csv"), "{table}");
    let reasons: Vec<String> = (b.find_all("#rejected td.reason").iter())
        .map(|e| b.text(e))
        .collect();
    assert!(
        !reasons.is_empty() && reasons.iter().all(|r| r.len() > 5),
        "every rejected row has its reason: {reasons:?}"
    );
    // In Vietnamese, each with what to do: none left in ingest's English.
    assert!(
        reasons.iter().all(|r| !r.starts_with("(tiếng Anh)")),
        "{reasons:?}"
    );
    let fixes = b.find_all("#rejected td.fix");
    assert_eq!(fixes.len(), reasons.len());
    assert!(b.find("#rejected-xlsx").is_some() && b.find("#rejected-csv").is_some());
}
