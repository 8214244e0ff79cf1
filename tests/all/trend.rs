//! The trend over the survey years and the tables people read, on the
//! bundled sample (2020 and 2021 under Decision 59/2015, 2022 under Decree
//! 07/2021): the trend chart shows the three years, each year's number of
//! poor households, and the change of standard between 2021 and 2022; the
//! report's tables put the total row first and the units by poor rate,
//! highest first, the years as columns holding the rates table's values.

use crate::common::*;

/// The lines of an SVG's text elements (plotters writes each on its own).
fn texts(svg: &str) -> Vec<&str> {
    svg.lines()
        .filter(|l| !l.trim_start().starts_with('<'))
        .collect()
}

/// The header and body cells of the report's table `id`, as text.
fn table(html: &str, id: &str) -> (Vec<String>, Vec<(bool, Vec<String>)>) {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id}"));
    let end = start + html[start..].find("</table>").unwrap();
    let t = &html[start..end];
    let inner = |cell: &str| -> String {
        let a = cell.find('>').map_or(0, |i| i + 1);
        let b = cell.find("</").unwrap_or(cell.len());
        cell[a..b].to_string()
    };
    let (head, body) = t.split_once("<tbody>").unwrap();
    let header = head.split("<th ").skip(1).map(inner).collect();
    let rows = (body.split("<tr").skip(1))
        .map(|r| {
            let total = r.starts_with(" class=\"total\"");
            (total, r.split("<td").skip(1).map(inner).collect())
        })
        .collect();
    (header, rows)
}

/// "25,59 %" → 25.59; a dash → None.
fn pct(s: &str) -> Option<f64> {
    s.trim_end_matches('%')
        .trim()
        .replace('.', "")
        .replace(',', ".")
        .parse()
        .ok()
}

#[test]
fn the_trend_and_the_tables_people_read() {
    let tmp = tempfile::tempdir().unwrap();
    let o = dachieu(
        tmp.path(),
        &["run", p(&sample_dir()), "--out", "out", "--quiet"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let out = tmp.path().join("out");
    let rates = read_rows(&out.join("tables/rates_province.csv"));
    let total = |y: &str| {
        (rates.iter())
            .find(|r| r["level"] == "total" && r["survey_year"] == y)
            .unwrap()
    };
    for (lang, label, unit) in [
        ("vi", "Đổi chuẩn nghèo (QĐ 59/2015 → NĐ 07/2021)", "hộ"),
        (
            "en",
            "Change of standard (Decision 59/2015 → Decree 07/2021)",
            "households",
        ),
    ] {
        let dir = out.join("report/charts").join(lang);
        let svg = std::fs::read_to_string(dir.join("poor_trend.svg")).unwrap();
        assert!(dir.join("poor_trend.png").exists());
        let t = texts(&svg);
        assert!(t.contains(&label), "{lang}: no break label in {t:?}");
        for y in ["2020", "2021", "2022"] {
            assert!(t.contains(&y), "{lang}: no year {y}");
            // Each year's number of poor households, by its dot.
            let poor: f64 = total(y)["poor"].parse().unwrap();
            let n = if lang == "vi" {
                dachieu::i18n::Lang::Vi.count(poor)
            } else {
                dachieu::i18n::Lang::En.count(poor)
            };
            let want = format!("({n} {unit})");
            assert!(
                t.iter().any(|l| l.ends_with(&want)),
                "{lang} {y}: no {want} in {t:?}"
            );
        }
    }

    let html = std::fs::read_to_string(out.join("report/report_vi.html")).unwrap();
    // The years as columns: the total first, then the provinces by the
    // 2022 poor rate, highest first; every value the rates table's.
    let (header, rows) = table(&html, "table-1");
    let col = |h: &str| {
        header
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("{h}: {header:?}"))
    };
    let last = col("2022 · %");
    assert!(rows[0].0, "the total row first");
    assert!(rows[1..].iter().all(|r| !r.0));
    assert!(rows.len() > 2);
    let values: Vec<f64> = rows[1..].iter().filter_map(|r| pct(&r.1[last])).collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    for (_, cells) in &rows {
        let name = &cells[col("Tỉnh")];
        for y in ["2020", "2021", "2022"] {
            let row = rates.iter().find(|r| {
                r["survey_year"] == y
                    && (&r["name"] == name || (r["level"] == "total" && cells == &rows[0].1))
            });
            let shown = pct(&cells[col(&format!("{y} · %"))]);
            let want: Option<f64> = row.and_then(|r| r["poor_pct"].parse().ok());
            match (shown, want) {
                (Some(s), Some(w)) => assert!((s - w).abs() < 0.006, "{name} {y}: {s} vs {w}"),
                (s, w) => assert_eq!(s.is_some(), w.is_some(), "{name} {y}"),
            }
        }
    }
    // The last year's table: total first, then by poor rate.
    let (header, rows) = table(&html, "table-2");
    let poor = header
        .iter()
        .position(|h| h == "Tỷ lệ hộ nghèo (%)")
        .unwrap_or_else(|| panic!("{header:?}"));
    assert!(rows[0].0 && rows[1..].iter().all(|r| !r.0));
    let values: Vec<f64> = rows[1..].iter().filter_map(|r| pct(&r.1[poor])).collect();
    assert_eq!(values.len(), rows.len() - 1);
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    assert!(
        html.contains("năm 2022 (NĐ 07/2021)"),
        "the year and its standard in the caption"
    );
}
