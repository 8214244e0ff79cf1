//! Full-size examples with realistic data, one per kind and language, and
//! extreme inputs; with CHART_OUT set the examples are written to
//! /tmp/charts for looking at.

use super::testutil::*;
use super::*;

fn rate(i: usize) -> f64 {
    0.3 + ((i * 37) % 63) as f64 * 0.42
}

fn provinces(lang: Lang) -> Vec<(String, String)> {
    let geo = crate::geo::geography();
    geo.provinces
        .values()
        .map(|p| (p.code.clone(), lang.t(&p.name_vi, &p.name_en).to_string()))
        .collect()
}

fn all(lang: Lang) -> Vec<(&'static str, Chart)> {
    vec![
        ("stacked63", stacked(lang)),
        ("grouped", grouped(lang)),
        ("dumbbell63", dumbbell(lang)),
        ("map63", map63(lang)),
        ("map34", map34(lang)),
        ("lines", lines(lang)),
    ]
}

/// Poor and near-poor rates of the 63 provinces, largest first.
fn stacked(lang: Lang) -> Chart {
    let mut bars: Vec<(String, Vec<f64>)> = provinces(lang)
        .into_iter()
        .enumerate()
        .map(|(i, (_, n))| (n, vec![rate(i), rate(i + 5) / 3.0]))
        .collect();
    bars.sort_by(|a, b| (b.1[0] + b.1[1]).total_cmp(&(a.1[0] + a.1[1])));
    Chart::Stacked(StackedBars {
        title: lang
            .t(
                "Tỷ lệ hộ nghèo và cận nghèo theo tỉnh, 2023",
                "Poor and near-poor households by province, 2023",
            )
            .into(),
        axis: lang.t("Tỷ lệ hộ (%)", "Share of households (%)").into(),
        series: vec![
            lang.t("Hộ nghèo", "Poor").into(),
            lang.t("Hộ cận nghèo", "Near-poor").into(),
        ],
        bars,
        reference: Some((lang.t("Cả nước (hộ nghèo)", "National (poor)").into(), 1.9)),
        classes: vec![Some(Class::Poor), Some(Class::NearPoor)],
        caveats: crate::chart::Caveats::default(),
    })
}

/// The 12 indicators of 2022–2025, all households and the poor.
fn grouped(lang: Lang) -> Chart {
    let cats = [
        ("Việc làm", "Employment"),
        ("Người phụ thuộc", "Dependants"),
        ("Dinh dưỡng", "Nutrition"),
        ("Bảo hiểm y tế", "Health insurance"),
        ("Trình độ giáo dục của người lớn", "Adult education"),
        ("Tình trạng đi học của trẻ em", "School attendance"),
        ("Chất lượng nhà ở", "Housing quality"),
        (
            "Diện tích nhà ở bình quân đầu người",
            "Floor area per person",
        ),
        ("Nguồn nước sinh hoạt", "Drinking water"),
        ("Nhà tiêu hợp vệ sinh", "Sanitation"),
        ("Sử dụng dịch vụ viễn thông", "Telecommunications"),
        (
            "Phương tiện phục vụ tiếp cận thông tin",
            "Access to information",
        ),
    ];
    Chart::Grouped(GroupedBars {
        title: lang
            .t(
                "Tỷ lệ hộ thiếu hụt theo chỉ số, 2023",
                "Households deprived by indicator, 2023",
            )
            .into(),
        axis: lang.t("Tỷ lệ hộ (%)", "Share of households (%)").into(),
        series: vec![
            lang.t("Tất cả các hộ", "All households").into(),
            lang.t("Hộ nghèo", "Poor households").into(),
        ],
        categories: cats.iter().map(|c| lang.t(c.0, c.1).to_string()).collect(),
        values: vec![
            vec![4.2, 6.1, 1.9, 7.5, 12.3, 0.8, 3.3, 2.4, 5.6, 9.9, 1.2, 2.2],
            vec![
                38.0, 44.5, 20.1, 41.0, 66.7, 9.5, 31.2, 25.0, 47.3, 72.4, 15.8, 28.9,
            ],
        ],
        classes: Vec::new(),
        caveats: crate::chart::Caveats::default(),
    })
}

/// The change of the 63 provinces' poor rates, largest fall first.
fn dumbbell(lang: Lang) -> Chart {
    let mut rows: Vec<(String, f64, f64)> = provinces(lang)
        .into_iter()
        .enumerate()
        .map(|(i, (_, n))| (n, rate(i) + 1.0, rate(i) * 0.7))
        .collect();
    rows.sort_by(|a, b| (b.2 - b.1).total_cmp(&(a.2 - a.1)));
    Chart::Dumbbell(Dumbbell {
        title: lang
            .t(
                "Thay đổi tỷ lệ hộ nghèo theo tỉnh, 2022–2023",
                "Change in the poor rate by province, 2022–2023",
            )
            .into(),
        axis: lang.t("Tỷ lệ hộ nghèo (%)", "Poor households (%)").into(),
        from_label: "2022".into(),
        to_label: "2023".into(),
        rows,
        caveats: crate::chart::Caveats::default(),
    })
}

/// The 63 provinces, one (code 77) without data.
fn map63(lang: Lang) -> Chart {
    let geo = crate::geo::geography();
    let tiles = tile_grid(Scheme::Provinces63)
        .into_iter()
        .enumerate()
        .map(|(i, (code, row, col))| Tile {
            label: geo
                .province(&code)
                .map(|p| lang.t(&p.name_vi, &p.name_en).to_string())
                .unwrap_or_default(),
            value: (code != "77").then(|| rate(i)),
            code,
            row,
            col,
        })
        .collect();
    Chart::TileMap(TileMap {
        title: lang
            .t(
                "Tỷ lệ hộ nghèo, 63 tỉnh, 2023",
                "Poor households, 63 provinces, 2023",
            )
            .into(),
        legend: lang.t("Tỷ lệ hộ nghèo (%)", "Poor households (%)").into(),
        tiles,
        islands: islands(Scheme::Provinces63, lang),
        caveats: crate::chart::Caveats {
            subtitle: Some(lang.t("Số liệu minh hoạ", "Illustrative data").into()),
            notes: vec![lang.t("Ô xám: không có số liệu.", "Grey: no data.").into()],
        },
    })
}

/// The 34 units after the 2025 merger.
fn map34(lang: Lang) -> Chart {
    let tiles = tile_grid(Scheme::Units34)
        .into_iter()
        .enumerate()
        .map(|(i, (code, row, col))| Tile {
            label: unit34_name(&code, lang).unwrap_or_default(),
            value: Some(rate(i * 2)),
            code,
            row,
            col,
        })
        .collect();
    Chart::TileMap(TileMap {
        title: lang
            .t(
                "Tỷ lệ hộ nghèo theo 34 đơn vị sau sáp nhập 2025, 2023",
                "Poor households, 34 units after the 2025 merger, 2023",
            )
            .into(),
        legend: lang.t("Tỷ lệ hộ nghèo (%)", "Poor households (%)").into(),
        tiles,
        islands: islands(Scheme::Units34, lang),
        caveats: crate::chart::Caveats::default(),
    })
}

/// H against the cut-off k for three years.
fn lines(lang: Lang) -> Chart {
    let ks = [10.0, 20.0, 30.0, 33.3, 40.0, 50.0, 60.0, 70.0];
    let h = |a: f64| {
        ks.iter()
            .map(|&k: &f64| (k, a * (-k / 18.0).exp()))
            .collect::<Vec<_>>()
    };
    Chart::Lines(Lines {
        title: lang
            .t(
                "Độ nhạy theo ngưỡng k: tỷ lệ nghèo đa chiều H",
                "Cut-off sensitivity: multidimensional headcount H",
            )
            .into(),
        x_axis: lang
            .t("Ngưỡng k (% tổng trọng số)", "Cut-off k (% of weights)")
            .into(),
        y_axis: "H (%)".into(),
        series: vec![
            ("2021".into(), h(60.0)),
            ("2022".into(), h(52.0)),
            ("2023".into(), h(47.0)),
        ],
        caveats: crate::chart::Caveats::default(),
    })
}

/// One chart of each kind with every value `v` (or ±`v`), empty or
/// control-character titles, 20 series and very long labels.
fn extremes(v: f64) -> [Chart; 5] {
    [
        Chart::Stacked(StackedBars {
            title: "\u{0}\n\t".into(),
            axis: "".into(),
            series: vec!["".into(); 20],
            bars: vec![("".into(), vec![v; 20])],
            reference: Some(("".into(), v)),
            classes: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        }),
        Chart::Grouped(GroupedBars {
            title: "".into(),
            axis: "".into(),
            series: vec!["s".into()],
            categories: vec!["x".repeat(500)],
            values: vec![vec![v]],
            classes: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        }),
        Chart::Dumbbell(Dumbbell {
            title: "".into(),
            axis: "".into(),
            from_label: "".into(),
            to_label: "".into(),
            rows: vec![("a".into(), -v, v)],
            caveats: crate::chart::Caveats::default(),
        }),
        Chart::Lines(Lines {
            title: "".into(),
            x_axis: "".into(),
            y_axis: "".into(),
            series: vec![("a".into(), vec![(v, -v), (-v, v), (0.0, f64::NAN)])],
            caveats: crate::chart::Caveats::default(),
        }),
        Chart::TileMap(TileMap {
            title: "".into(),
            legend: "".into(),
            tiles: vec![
                Tile {
                    code: "".into(),
                    label: "".into(),
                    row: 0,
                    col: 0,
                    value: Some(v),
                },
                Tile {
                    code: "b".into(),
                    label: "x".repeat(300),
                    row: 59,
                    col: 59,
                    value: Some(-v),
                },
            ],
            islands: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        }),
    ]
}

/// The chart drawn both ways: a well-formed SVG with more than its white
/// background that scales with the page, and a PNG that decodes to
/// `PNG_SCALE` times the size of the SVG's drawing.
fn renders(c: &Chart, lang: Lang, what: &str) -> (String, Vec<u8>) {
    let s = svg(c, lang).unwrap_or_else(|e| panic!("{what}: no SVG: {e}"));
    let elements = well_formed(&s).unwrap_or_else(|e| panic!("{what}: bad SVG: {e}"));
    assert!(elements > 2, "{what}: {elements} elements");
    let (w, h) = svg_size(&s).unwrap_or_else(|| panic!("{what}: no size on the SVG"));
    assert!(w > 0 && h > 0, "{what}: {w}×{h}");
    assert!(
        s.starts_with("<svg width=\"100%\""),
        "{what}: a fixed width"
    );
    let p = png(c, lang).unwrap_or_else(|e| panic!("{what}: no PNG: {e}"));
    let size = png_size(&p).unwrap_or_else(|e| panic!("{what}: bad PNG: {e}"));
    assert_eq!(
        size,
        (w * PNG_SCALE, h * PNG_SCALE),
        "{what}: the PNG is not twice the SVG's size"
    );
    (s, p)
}

#[test]
fn extreme_values_render() {
    for v in [1e300, 1e-300, 0.0, 123456789.0, f64::MIN_POSITIVE, 1e15] {
        for (k, c) in extremes(v).iter().enumerate() {
            for lang in [Lang::Vi, Lang::En] {
                let what = format!("chart {k} with {v:e}, {}", lang.code());
                // A map of values that round to one (±0, ±1e-300) has no
                // scale: it is refused with the reason, not drawn.
                if let Some(why) = why_not_drawn(c, lang) {
                    assert!(v.abs() < 0.005, "{what}: {why}");
                    assert_eq!(svg(c, lang).unwrap_err().to_string(), why);
                    continue;
                }
                renders(c, lang, &what);
            }
        }
    }
}

#[test]
fn the_checks_catch_what_they_should() {
    let s = svg(&lines(Lang::En), Lang::En).unwrap();
    assert!(well_formed(&s).is_ok());
    assert!(well_formed(&s.replace("</text>", "")).is_err(), "unclosed");
    assert!(
        well_formed(&s.replacen("2021", "a & b", 1)).is_err(),
        "bare &"
    );
    assert!(
        well_formed(&format!("{s}<svg></svg>")).is_err(),
        "two roots"
    );
    let p = png(&lines(Lang::En), Lang::En).unwrap();
    // Twice the 900 × 600 of before, for print.
    assert_eq!(png_size(&p), Ok((1800, 1200)));
    let mut bad = p.clone();
    let mid = bad.len() / 2;
    bad[mid] ^= 0x10;
    assert!(png_size(&bad).is_err(), "a flipped bit");
    assert!(png_size(&p[..p.len() - 12]).is_err(), "no IEND");
}

#[test]
fn every_kind_renders_at_full_size_in_both_languages() {
    for lang in [Lang::Vi, Lang::En] {
        for (name, chart) in all(lang) {
            let (s, p) = renders(&chart, lang, name);
            assert!(is_png(&p), "{name}");
            keep(&format!("example_{name}_{}.png", lang.code()), &p);
            if std::env::var_os("CHART_OUT").is_some() {
                let _ = std::fs::write(
                    format!("/tmp/charts/example_{name}_{}.svg", lang.code()),
                    &s,
                );
            }
        }
    }
}

/// A class is drawn in one colour whatever the chart kind or the series'
/// place in the legend: poor households are the same vermillion as a
/// stacked bar's first segment and a grouped bar's second series.
#[test]
fn a_class_has_one_colour_in_every_kind() {
    use super::style::class_color;
    let hex = |c: plotters::style::RGBColor| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
    let poor = hex(class_color(Class::Poor));
    let near = hex(class_color(Class::NearPoor));
    let Chart::Stacked(mut st) = stacked(Lang::Vi) else {
        unreachable!()
    };
    st.series = vec!["Hộ nghèo".into(), "Hộ cận nghèo".into()];
    st.bars.iter_mut().for_each(|b| b.1.truncate(2));
    st.classes = vec![Some(Class::Poor), Some(Class::NearPoor)];
    let Chart::Grouped(mut gr) = grouped(Lang::Vi) else {
        unreachable!()
    };
    gr.classes = vec![Some(Class::All), Some(Class::Poor)];
    let (a, b) = (
        svg(&Chart::Stacked(st.clone()), Lang::Vi).unwrap(),
        svg(&Chart::Grouped(gr.clone()), Lang::Vi).unwrap(),
    );
    assert_eq!(
        count(&a, "rect", &poor),
        st.bars.len() + 1,
        "a bar each and the legend"
    );
    assert_eq!(count(&b, "rect", &poor), gr.categories.len() + 1);
    assert!(count(&a, "rect", &near) > 1 && count(&b, "rect", &near) == 0);
    // The five classes differ, and no series palette colour of the first
    // three series is a class's.
    let classes = [
        Class::Poor,
        Class::NearPoor,
        Class::Average,
        Class::NotPoor,
        Class::Undetermined,
    ];
    let all: std::collections::BTreeSet<String> =
        classes.iter().map(|c| hex(class_color(*c))).collect();
    assert_eq!(all.len(), 5);
    for i in 0..3 {
        assert!(
            !all.contains(&hex(super::style::series_color(i))),
            "series {i}"
        );
    }
}

/// Every text of every kind is at least `min_font` of its chart's width
/// (1/64: 14 px on a 900-wide chart, 11 px on a 700-wide map), so that a
/// chart shown 420 px wide keeps text of 6.5 px or more.
#[test]
fn no_text_is_smaller_than_the_width_allows() {
    for lang in [Lang::Vi, Lang::En] {
        for (name, chart) in all(lang) {
            let s = scene(&chart, lang).unwrap();
            let min = super::style::min_font(s.w);
            for op in &s.ops {
                if let super::scene::Op::Text { s: text, font, .. } = op {
                    assert!(font.size >= min, "{name}: \"{text}\" at {} px", font.size);
                }
            }
        }
    }
}
