//! Tests of the HTML report, kept apart from `html.rs` so that file stays
//! short: language, number formats, escaping, and the no-external-URL rule.

use super::*;
use crate::export::Column;
use crate::report::{Headline, ReportStandard};

const SVG: &str = "<?xml version=\"1.0\"?>\n<svg width=\"200\" height=\"100\" viewBox=\"0 0 200 100\" \
                   xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink='https://www.w3.org/1999/xlink'>\
                   <rect x=\"0\" y=\"0\" width=\"10\" height=\"10\"/><text x=\"5\" y=\"50\">Điện Biên</text></svg>";

fn chart(caption: &str, svg: &str) -> crate::report::ReportChart {
    crate::report::ReportChart {
        stem: "poor_by_province".into(),
        caption: caption.into(),
        svg: svg.into(),
        data: None,
    }
}

fn frame() -> Frame {
    let mut f = Frame::default();
    f.push(
        "survey_year",
        Column::Int(vec![Some(2020), Some(2020), Some(2020)]),
    );
    f.push(
        "level",
        Column::Str(vec![
            Some("total".into()),
            Some("province".into()),
            Some("province".into()),
        ]),
    );
    f.push(
        "name",
        Column::Str(vec![
            Some("Toàn quốc".into()),
            Some("Điện Biên".into()),
            Some("<script>alert(1)</script> https://x.example".into()),
        ]),
    );
    f.push(
        "households",
        Column::Int(vec![Some(27345), Some(251), None]),
    );
    f.push(
        "households_weighted",
        Column::Float(vec![Some(27345.0), Some(251.0), Some(f64::NAN)]),
    );
    f.push(
        "poor_pct",
        Column::Float(vec![Some(4.438902743142145), Some(25.89641434262948), None]),
    );
    f.push(
        "af_M0",
        Column::Float(vec![Some(0.01185101580135441), Some(0.0773), None]),
    );
    f
}

fn input(lang: Lang, f: &Frame) -> ReportInput<'_> {
    ReportInput {
        lang,
        title: lang
            .t(
                "Kết quả rà soát hộ nghèo, hộ cận nghèo",
                "Poverty review results",
            )
            .into(),
        standards: vec![ReportStandard {
            years: vec![2020, 2021],
            id: "vn-2016-2020".into(),
            version: "1.0.0".into(),
            name: "Chuẩn nghèo <2016–2020>".into(),
            legal_basis: vec!["Decision 59/2015/QĐ-TTg & more".into()],
            review_years: (2016, 2021),
            classification: "Union rule in words.".into(),
            provisional: false,
            research: false,
            indicators: vec![
                ("Y tế <1>".into(), crate::report::Confidence::Unconfirmed),
                ("Nhà ở".into(), crate::report::Confidence::Secondary),
            ],
            files: "indicators/vn-2016-2020/".into(),
        }],
        years: vec![2020, 2021],
        scope: lang.t("Toàn quốc", "Whole country").into(),
        headline: vec![
            Headline {
                year: 2020,
                standard: Some("vn-2016-2020".into()),
                households: 27345.0,
                poor_pct: Some(4.438902743142145),
                poor_income_pct: Some(3.9401496259351623),
                poor_deprivation_pct: Some(0.49875311720698257),
                near_poor_pct: Some(4.239401496259352),
                poor: Some(1214.0),
                near_poor: Some(1159.0),
                undetermined: 8.0,
                mpi: None,
                ..Headline::default()
            },
            Headline {
                year: 2021,
                households: f64::INFINITY,
                poor_pct: None,
                ..Headline::default()
            },
        ],
        charts: vec![
            chart("Tỷ lệ hộ nghèo <theo tỉnh>", SVG),
            chart(
                "Second chart",
                "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
            ),
        ],
        skipped_charts: vec!["chart X skipped: only one survey year".into()],
        tables: vec![("Bảng <1> \"quoted\"".into(), f)],
        undetermined: 13,
        quarantined: 2,
        read: 18859,
        census: true,
        manifest_json: r#"{"options": {"by": ["province"], "note": "https://evil.example/"},
            "inputs": [{"path": "/data/<hộ>.csv", "bytes": 1234, "sha256": "ab12"}]}"#
            .into(),
        comparability: Vec::new(),
        notices: Vec::new(),
        research_charts: Vec::new(),
        other_report: None,
        date: (2026, 12, 7),
    }
}

/// The text of the element with `id`, up to the next tag.
fn by_id<'a>(html: &'a str, id: &str) -> &'a str {
    let key = format!("id=\"{id}\">");
    let start = html.find(&key).unwrap_or_else(|| panic!("no id {id}")) + key.len();
    let end = start + html[start..].find('<').unwrap();
    &html[start..end]
}

#[test]
fn vietnamese_report() {
    let f = frame();
    let html = render_html(&input(Lang::Vi, &f));
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
    assert!(html.contains("<meta charset=\"utf-8\">"));
    assert_eq!(by_id(&html, "poor-pct-2020"), "4,44 %");
    assert_eq!(by_id(&html, "poor-income-pct-2020"), "3,94 %");
    assert_eq!(by_id(&html, "poor-deprivation-pct-2020"), "0,50 %");
    assert_eq!(by_id(&html, "near-poor-pct-2020"), "4,24 %");
    assert_eq!(by_id(&html, "households-2020"), "27.345");
    assert_eq!(by_id(&html, "undetermined-2020"), "8");
    assert_eq!(by_id(&html, "poor-pct-2021"), DASH);
    assert_eq!(by_id(&html, "households-2021"), DASH);
    assert_eq!(by_id(&html, "rows-read"), "18.859");
    assert_eq!(by_id(&html, "undetermined-total"), "13");
    // Table: human headers, machine names as titles, numbers per language.
    assert!(html.contains("title=\"poor_pct\">Tỷ lệ hộ nghèo (%)</th>"));
    assert!(html.contains(">Tỉnh</th>"));
    assert!(html.contains("<td class=\"num\">25,90 %</td>"));
    assert!(html.contains("<td class=\"num\">0,0119</td>"));
    assert!(html.contains(
        "<tr class=\"total\"><td class=\"num\">2020</td><td class=\"key\">Toàn quốc</td>"
    ));
    assert!(!html.contains("Tổng cộng</td>"), "the level is not shown");
    assert!(html.contains("Phương pháp") && html.contains("không có sai số chọn mẫu"));
    assert!(html.contains("Decision 59/2015/QĐ-TTg &amp; more"));
}

#[test]
fn english_report() {
    let f = frame();
    let mut r = input(Lang::En, &f);
    r.census = false;
    let html = render_html(&r);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert_eq!(by_id(&html, "poor-pct-2020"), "4.44%");
    assert_eq!(by_id(&html, "poor-income-pct-2020"), "3.94%");
    assert_eq!(by_id(&html, "near-poor-pct-2020"), "4.24%");
    assert_eq!(by_id(&html, "households-2020"), "27,345");
    assert!(html.contains("title=\"poor_pct\">Poor (%)</th>"));
    assert!(html.contains(">Province</th>"));
    assert!(html.contains("<td class=\"num\">25.90%</td>"));
    assert!(html.contains(
        "<tr class=\"total\"><td class=\"num\">2020</td><td class=\"key\">Toàn quốc</td>"
    ));
    assert!(html.contains("Taylor linearisation") && html.contains("PSU"));
    assert!(!html.contains("Phương pháp"));
}

#[test]
fn everything_is_escaped_and_nothing_is_fetched() {
    let f = frame();
    for lang in [Lang::Vi, Lang::En] {
        let html = render_html(&input(lang, &f));
        assert!(!html.contains("<script"), "{lang:?}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("Bảng &lt;1&gt; &quot;quoted&quot;"));
        assert!(html.contains("Chuẩn nghèo &lt;2016–2020&gt;"));
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{lang:?}"
        );
        assert!(!html.contains("<?xml"));
        assert!(!html.contains(" src=") && !html.contains("@import") && !html.contains("url("));
        // Every chart inline with its caption.
        assert_eq!(html.matches("<figure class=\"chart\"").count(), 2);
        assert!(html.contains("<figcaption>Tỷ lệ hộ nghèo &lt;theo tỉnh&gt;</figcaption>"));
        assert!(html.contains("<figcaption>Second chart</figcaption>"));
        assert!(html.contains("<svg width=\"200\" height=\"100\" viewBox=\"0 0 200 100\"><rect"));
        assert!(html.contains("<li>chart X skipped: only one survey year</li>"));
        // The provenance: the inputs and options in words, escaped, and a
        // link to the manifest; none of the manifest's keys.
        assert!(
            html.contains("<code>/data/&lt;hộ&gt;.csv</code>"),
            "{lang:?}"
        );
        assert!(html.contains("<code class=\"hash\">ab12</code>"));
        assert!(html.contains("href=\"../manifest.json\""));
        assert!(!html.contains("sha256") && !html.contains("&quot;inputs&quot;"));
        assert!(html.contains(lang.t("Cấp tổng hợp", "Breakdown")));
        // The signature block, at the end.
        assert!(html.find("id=\"signatures\"") > html.find("id=\"manifest\""));
        // Well-formed enough: tags balance.
        for tag in ["section", "table", "figure", "dl", "article", "div", "code"] {
            let open = html.matches(&format!("<{tag}>")).count()
                + html.matches(&format!("<{tag} ")).count();
            let close = html.matches(&format!("</{tag}>")).count();
            assert_eq!(open, close, "{tag}");
        }
    }
}

#[test]
fn odd_inputs_do_not_panic() {
    let mut ragged = Frame::default();
    ragged.push("poor_pct", Column::Float(vec![Some(f64::INFINITY)]));
    ragged.push("name", Column::Str(vec![None, Some("x".into())]));
    ragged.names.push("nameless".into());
    let empty = Frame::default();
    let mut r = input(Lang::En, &ragged);
    r.tables.push((String::new(), &empty));
    r.headline.push(r.headline[0].clone()); // a repeated year keeps ids unique
    r.charts.push(chart("bad", "<?xml unterminated"));
    r.charts.push(chart("x", "<svg xmlns=\"http://a\" xmlns="));
    r.years.clear();
    r.read = 0;
    let html = render_html(&r);
    assert!(html.contains("id=\"poor-pct-2020-2\""));
    assert!(html.ends_with("</html>\n"));
    assert_eq!(inline_svg("<?xml unterminated"), "");
    assert_eq!(inline_svg("<svg xmlns=\"http://a\" xmlns="), "<svg xmlns=");
    assert_eq!(esc("a://b"), "a:&#47;&#47;b");
    assert_eq!(esc("Hu\u{65}\u{302}\u{301}"), "Huế");
}

#[test]
fn two_standards_each_named_with_their_years_and_the_near_poor_note() {
    let f = frame();
    for lang in [Lang::Vi, Lang::En] {
        let mut r = input(lang, &f);
        r.standards[0].years = vec![2021];
        r.standards.push(ReportStandard {
            years: vec![2022],
            id: "vn-2022-2025".into(),
            version: "1.0.0".into(),
            name: "Chuẩn nghèo 2022–2025".into(),
            legal_basis: vec!["Decree 07/2021/NĐ-CP".into()],
            review_years: (2022, 2026),
            classification: "Intersection rule in words.".into(),
            provisional: true,
            research: false,
            indicators: Vec::new(),
            files: "/data/my-standard".into(),
        });
        r.comparability = vec!["Near-poor <differs>.".into()];
        let html = render_html(&r);
        // Ids and versions only in the English report's provenance.
        let ids = html.contains("vn-2016-2020 1.0.0") && html.contains("vn-2022-2025 1.0.0");
        assert_eq!(ids, lang == Lang::En, "{lang:?}");
        if lang == Lang::En {
            assert!(html.find("vn-2016-2020 1.0.0") > html.find("id=\"manifest\""));
        }
        assert!(html.contains("badge provisional"), "{lang:?}");
        assert!(html.contains("(Chuẩn nghèo 2022–2025).</strong> Intersection rule in words."));
        assert!(html.contains("<li>Near-poor &lt;differs&gt;.</li>"));
        assert!(html.contains("id=\"comparability\""));
        assert!(html.contains("<h3>2020 <span class=\"std\">vn-2016-2020</span></h3>"));
    }
}

#[test]
fn a_quarantine_alert_is_a_red_banner_before_any_figure() {
    let f = frame();
    for lang in [Lang::Vi, Lang::En] {
        let mut r = input(lang, &f);
        let plain = render_html(&r);
        assert!(!plain.contains("class=\"notice"));
        r.notices = crate::report::notices::quarantine(lang, 759, 720)
            .into_iter()
            .collect();
        let html = render_html(&r);
        let banner = html
            .find("class=\"notice alert\" role=\"alert\"")
            .expect("banner");
        assert!(banner < html.find("id=\"key\"").unwrap(), "{lang:?}");
        assert!(html[banner..].contains("94,9") || html[banner..].contains("94.9"));
    }
}

/// A chart with numbers carries them as a table (escaped, the caveats
/// under it), which the stylesheet shows in the chart's place on a narrow
/// screen and hides elsewhere; a chart without numbers has no table.
#[test]
fn a_chart_carries_its_numbers_for_narrow_screens() {
    let f = frame();
    let mut r = input(Lang::Vi, &f);
    let plain = render_html(&r);
    assert!(!plain.contains("class=\"data\"") && !plain.contains("notes narrow"));
    r.charts[0].data = Some(crate::chart::DataTable {
        title: "Tỷ lệ <nghèo>".into(),
        unit: "Tỷ lệ (%)".into(),
        header: vec![String::new(), "Nghèo".into()],
        rows: vec![vec!["Điện Biên".into(), "25,6 %".into()]],
        notes: vec!["Chuẩn nghèo thay đổi giữa 2021 & 2022".into()],
    });
    let html = render_html(&r);
    assert!(
        html.contains("<figure class=\"chart\" id=\"chart-1\" data-chart=\"poor_by_province\">")
    );
    let at = html
        .find("<div class=\"data\" id=\"chart-1-data\">")
        .expect("table");
    let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
    for part in [
        "<h3 class=\"caption\" id=\"chart-1-data-title\">Tỷ lệ &lt;nghèo&gt;</h3>",
        "<p class=\"unit\">Tỷ lệ (%)</p>",
        "<th class=\"num\" scope=\"col\">Nghèo</th>",
        "<th class=\"key\" scope=\"row\">Điện Biên</th><td class=\"num\">25,6 %</td>",
        "<li>Chuẩn nghèo thay đổi giữa 2021 &amp; 2022</li>",
    ] {
        assert!(figure.contains(part), "{part} not in {figure}");
    }
    assert!(html.contains("<p class=\"notes narrow\">Trên màn hình hẹp"));
    assert!(html.contains("@media screen and (max-width:600px){\nfigure.chart .svg{display:none}"));
}

/// The frame: the other language's report linked only when it is written;
/// unit, period and date; the research charts in their own section; the
/// definitions note by the key figures, counting the standard's labels.
#[test]
fn frame_links_research_and_the_definitions_note() {
    let f = frame();
    for lang in [Lang::Vi, Lang::En] {
        let mut r = input(lang, &f);
        let alone = render_html(&r);
        assert!(!alone.contains("id=\"other-language\""), "{lang:?}");
        let other = match lang {
            Lang::Vi => "report_en.html",
            Lang::En => "report_vi.html",
        };
        r.other_report = Some(other.into());
        r.research_charts = vec![chart("Độ nhạy", SVG)];
        let html = render_html(&r);
        assert!(html.contains(&format!("<a href=\"{other}\"")), "{lang:?}");
        assert!(html.find("id=\"other-language\"") < html.find("<h1>"));
        assert_eq!(by_id(&html, "reporting-unit"), esc(&r.scope));
        let date = lang.t("07/12/2026", "2026-12-07");
        assert_eq!(by_id(&html, "report-date"), date);
        let research = html.find("id=\"research\"").unwrap();
        assert!(html.find("id=\"research-chart-1\"").unwrap() > research);
        assert!(html.find("id=\"charts\"").unwrap() < research);
        let note = methods::definitions_note(&r).unwrap();
        let want = lang.t(
            "1/2 định nghĩa chỉ số chưa được đối chiếu với văn bản gốc, 1/2 định nghĩa chỉ số theo nguồn thứ cấp — xem Phương pháp",
            "1/2 indicator definitions not yet checked against the original text, 1/2 indicator definitions from secondary sources — see Methods",
        );
        assert_eq!(note, want);
        let key_end = html.find("id=\"charts\"").unwrap();
        assert!(html[..key_end].contains(&esc(&note)));
        let folder = lang.t(
            "<code>indicators/</code>",
            "<code>indicators/vn-2016-2020/</code>",
        );
        assert!(html.contains(folder), "{lang:?}");
        // Every definition checked: nothing to say.
        for (_, c) in &mut r.standards[0].indicators {
            *c = crate::report::Confidence::Confirmed;
        }
        assert_eq!(methods::definitions_note(&r), None);
    }
}
