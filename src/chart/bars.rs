//! Horizontal stacked bars (provinces) and vertical grouped bars (indicators).

use super::style::*;
use super::{GroupedBars, StackedBars};
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};

fn check_value(chart: &str, what: &str, v: f64) -> Result<()> {
    if !v.is_finite() {
        return Err(usage(format!(
            "chart \"{chart}\": {what} is not a finite number ({v})"
        )));
    }
    if v < 0.0 {
        return Err(usage(format!(
            "chart \"{chart}\": {what} is negative ({v}); bars need values ≥ 0"
        )));
    }
    Ok(())
}

/// Fewest letters left on either side of a hyphen: "Employme-nt" reads
/// worse than "Employm-ent".
const MIN_PIECE: usize = 3;

/// Words wider than `max_w` broken with a hyphen ("Telecommu- nications"),
/// so that wrapping can put the pieces on separate lines; a break leaves at
/// least `MIN_PIECE` letters on each side where the word allows.
fn hyphenate(s: &str, max_w: f64, font: Font) -> Result<String> {
    let mut out: Vec<String> = Vec::new();
    for word in clean(s).split_whitespace() {
        let mut rest: Vec<char> = word.chars().collect();
        while rest.len() > 1 && text_w(&rest.iter().collect::<String>(), font)? > max_w {
            // Longest piece that fits with its hyphen (at least one character).
            let (mut lo, mut hi) = (1usize, rest.len() - 1);
            while lo < hi {
                let mid = (lo + hi).div_ceil(2);
                if text_w(&(rest[..mid].iter().collect::<String>() + "-"), font)? <= max_w {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            // Not too few letters after the break (nor, moving it, before).
            if rest.len() - lo < MIN_PIECE {
                lo = (rest.len().saturating_sub(MIN_PIECE)).max(lo.min(MIN_PIECE));
            }
            out.push(rest[..lo].iter().collect::<String>() + "-");
            rest.drain(..lo);
        }
        out.push(rest.into_iter().collect());
    }
    Ok(out.join(" "))
}

/// Height for `n` rows: 600, or 22 px a row plus the frame.
pub(crate) fn height_for(n: usize, frame: f64) -> u32 {
    (frame + ROW_PX * n as f64).max(f64::from(H)).ceil() as u32
}

pub(crate) fn stacked(c: &StackedBars, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    if c.bars.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no bars to draw (the data has no rows)"
        )));
    }
    if c.series.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no series: name at least one series"
        )));
    }
    if c.bars.len() > MAX_ROWS {
        return Err(usage(format!(
            "chart \"{name}\": {} bars is too many (at most {MAX_ROWS})",
            c.bars.len()
        )));
    }
    for (label, vals) in &c.bars {
        if vals.len() != c.series.len() {
            return Err(usage(format!(
                "chart \"{name}\": bar \"{label}\" has {} values for {} series",
                vals.len(),
                c.series.len()
            )));
        }
        for (v, s) in vals.iter().zip(&c.series) {
            check_value(&name, &format!("bar \"{label}\", series \"{s}\""), *v)?;
        }
    }
    if let Some((label, v)) = &c.reference {
        check_value(&name, &format!("reference \"{label}\""), *v)?;
    }

    let n = c.bars.len();
    let totals: Vec<f64> = c.bars.iter().map(|(_, v)| v.iter().sum()).collect();
    let max = totals
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(c.reference.as_ref().map_or(0.0, |r| r.1));
    let dec = decimals(max);

    // Frame: everything but the bars, computed on a 600-high canvas first.
    let mut probe = Scene::new(W, H);
    let top0 = title(&mut probe, &c.title)?;
    let legend_items: Vec<(String, Swatch)> = c
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| (s.clone(), Swatch::Square(series_color(i))))
        .collect();
    let wide = f64::from(W) - 2.0 * MARGIN;
    let top1 = legend(&mut probe, &legend_items, MARGIN, top0, wide)?;
    let plot_top = top1 + if c.reference.is_some() { 26.0 } else { 10.0 };
    let bottom = 58.0;
    let h = height_for(n, plot_top + bottom);

    let mut s = Scene::new(W, h);
    title(&mut s, &c.title)?;
    legend(&mut s, &legend_items, MARGIN, top0, wide)?;

    let band = (f64::from(h) - plot_top - bottom) / n as f64;
    let thick = (band * 0.72).min(34.0);
    let name_font = Font::new(if band >= 20.0 { 12.0 } else { 11.0 });
    let val_font = Font::new(if band >= 20.0 { 12.0 } else { 11.0 });

    let mut names = Vec::with_capacity(n);
    let mut name_w: f64 = 0.0;
    let cap = f64::from(W) * 0.32;
    for (label, _) in &c.bars {
        let t = fit(label, cap, name_font)?;
        name_w = name_w.max(text_w(&t, name_font)?);
        names.push(t);
    }
    let labels: Vec<String> = totals.iter().map(|t| lang.pct(*t, dec)).collect();
    let mut val_w: f64 = 0.0;
    for l in &labels {
        val_w = val_w.max(text_w(l, val_font)?);
    }
    let plot = Plot {
        x0: MARGIN + name_w + 10.0,
        y0: plot_top,
        x1: f64::from(W) - MARGIN - val_w - 8.0,
        y1: f64::from(h) - bottom,
    };
    let axis = nice_axis(0.0, max, 6);
    let x = value_axis_x(&mut s, plot, &axis, lang, &c.axis)?;

    // The reference line behind the bars, labelled above the plot.
    if let Some((label, v)) = &c.reference {
        let rx = x.at(*v);
        s.dashed((rx, plot.y0 - 4.0), (rx, plot.y1), INK, 1);
        let font = Font::new(12.0);
        let text = fit(
            &format!("{}: {}", clean(label), lang.pct(*v, dec)),
            wide,
            font,
        )?;
        let tw = text_w(&text, font)?;
        let (at, hp) = if rx - tw / 2.0 < MARGIN {
            (MARGIN, HPos::Left)
        } else if rx + tw / 2.0 > f64::from(W) - MARGIN {
            (f64::from(W) - MARGIN, HPos::Right)
        } else {
            (rx, HPos::Center)
        };
        s.text(&text, (at, plot.y0 - 7.0), font, INK, hp, VPos::Bottom);
    }
    let seg_font = Font::new(10.0);
    for (i, ((_, vals), total)) in c.bars.iter().zip(&totals).enumerate() {
        let cy = plot.y0 + band * (i as f64 + 0.5);
        s.text(
            &names[i],
            (plot.x0 - 8.0, cy),
            name_font,
            INK,
            HPos::Right,
            VPos::Center,
        );
        let mut acc = 0.0;
        for (k, v) in vals.iter().enumerate() {
            if *v <= 0.0 {
                continue;
            }
            let (a, b) = (x.at(acc), x.at(acc + v));
            let color = series_color(k);
            s.rect(a, cy - thick / 2.0, b, cy + thick / 2.0, color);
            if c.series.len() > 1 && thick >= 12.0 {
                let l = lang.pct(*v, dec);
                if text_w(&l, seg_font)? + 6.0 <= b - a {
                    s.text(
                        &l,
                        ((a + b) / 2.0, cy),
                        seg_font,
                        ink_on(color),
                        HPos::Center,
                        VPos::Center,
                    );
                }
            }
            acc += v;
        }
        s.text_on_white(
            &labels[i],
            (x.at(*total) + 5.0, cy),
            val_font,
            HPos::Left,
            VPos::Center,
        )?;
    }

    Ok(s)
}

pub(crate) fn grouped(c: &GroupedBars, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    let (ns, nc) = (c.series.len(), c.categories.len());
    if nc == 0 || ns == 0 {
        return Err(usage(format!(
            "chart \"{name}\": no bars to draw ({nc} categories, {ns} series)"
        )));
    }
    if nc * ns > MAX_ROWS {
        return Err(usage(format!(
            "chart \"{name}\": {} bars is too many (at most {MAX_ROWS})",
            nc * ns
        )));
    }
    if c.values.len() != ns {
        return Err(usage(format!(
            "chart \"{name}\": {} value rows for {ns} series",
            c.values.len()
        )));
    }
    for (row, sname) in c.values.iter().zip(&c.series) {
        if row.len() != nc {
            return Err(usage(format!(
                "chart \"{name}\": series \"{sname}\" has {} values for {nc} categories",
                row.len()
            )));
        }
        // NaN is undefined (no bar, a dash); other values must be bars.
        for (v, cat) in row.iter().zip(&c.categories).filter(|(v, _)| !v.is_nan()) {
            check_value(
                &name,
                &format!("series \"{sname}\", category \"{cat}\""),
                *v,
            )?;
        }
    }
    let max = c.values.iter().flatten().copied().fold(0.0, f64::max);
    let dec = decimals(max);

    let mut s = Scene::new(W, H);
    let top0 = title(&mut s, &c.title)?;
    let items: Vec<(String, Swatch)> = c
        .series
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), Swatch::Square(series_color(i))))
        .collect();
    let wide = f64::from(W) - 2.0 * MARGIN;
    let top1 = legend(&mut s, &items, MARGIN, top0, wide)?;
    let axis_font = Font::new(13.0);
    s.text(
        &fit(&c.axis, wide, axis_font)?,
        (MARGIN, top1 + 8.0),
        axis_font,
        INK,
        HPos::Left,
        VPos::Top,
    );
    let plot_top = top1 + 34.0;

    // Left edge from the widest tick label of a first guess at the axis.
    let guess = nice_axis(0.0, max * 1.15, 6);
    let x0 = MARGIN + tick_w(&guess, lang)? + 10.0;
    let x1 = f64::from(W) - MARGIN;
    let band = (x1 - x0) / nc as f64;

    // Category labels: wrapped under each group, the largest size at which
    // all fit; if a word never fits, 11 px with that word cut.
    let wrap_at = |size: f64| -> Result<(Vec<Vec<String>>, bool)> {
        let f = Font::new(size);
        let cats: Vec<Vec<String>> = c
            .categories
            .iter()
            .map(|t| wrap_even(&hyphenate(t, band - 6.0, f)?, band - 6.0, f, 3))
            .collect::<Result<_>>()?;
        let mut ok = true;
        for l in &cats {
            ok &= all_fit(l, band - 6.0, f)?;
        }
        Ok((cats, ok))
    };
    let mut chosen = None;
    for size in [12.0, 11.0, 10.0] {
        let (cats, ok) = wrap_at(size)?;
        if ok {
            chosen = Some((cats, Font::new(size)));
            break;
        }
    }
    let (cats, cat_font) = match chosen {
        Some(c) => c,
        None => (wrap_at(11.0)?.0, Font::new(11.0)),
    };
    let n_lines = cats.iter().map(Vec::len).max().unwrap_or(1) as f64;
    let plot = Plot {
        x0,
        y0: plot_top,
        x1,
        y1: f64::from(H) - MARGIN - n_lines * cat_font.line() - 8.0,
    };

    // Value labels: horizontal above the bar if they fit its width, else read upwards.
    let group = band * 0.8;
    let bar_w = group / ns as f64;
    let labels: Vec<Vec<String>> = c
        .values
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| match v.is_nan() {
                    true => "–".to_string(),
                    false => lang.pct(*v, dec),
                })
                .collect()
        })
        .collect();
    let mut val_font = Font::new(11.0);
    let mut widest: f64 = 0.0;
    let mut vertical = true;
    for size in [11.0, 10.0, 9.0] {
        val_font = Font::new(size);
        widest = 0.0;
        for l in labels.iter().flatten() {
            widest = widest.max(text_w(l, val_font)?);
        }
        if widest <= band / ns as f64 - 2.0 {
            vertical = false;
            break;
        }
    }
    let plot_h = (plot.y1 - plot.y0).max(1.0);
    let need = if vertical {
        widest + 8.0
    } else {
        val_font.line() + 4.0
    };
    let hi = if plot_h > need * 1.5 {
        max * plot_h / (plot_h - need)
    } else {
        max * 2.0
    };
    let axis = nice_axis(0.0, hi, 6);
    let y = value_axis_y(&mut s, plot, &axis, lang);

    for (j, lines) in cats.iter().enumerate() {
        let cx = plot.x0 + band * (j as f64 + 0.5);
        for (k, l) in lines.iter().enumerate() {
            let ly = plot.y1 + 6.0 + k as f64 * cat_font.line();
            s.text(l, (cx, ly), cat_font, INK, HPos::Center, VPos::Top);
        }
    }
    for (i, row) in c.values.iter().enumerate() {
        let color = series_color(i);
        for (j, v) in row.iter().enumerate() {
            let left = plot.x0 + band * j as f64 + (band - group) / 2.0 + bar_w * i as f64;
            let (a, b) = (left + 1.0, left + bar_w - 1.0);
            let top = y.at(if v.is_nan() { 0.0 } else { *v });
            if *v > 0.0 {
                s.rect(a, top, b.max(a + 1.0), y.at(0.0), color);
            }
            let cx = (a + b) / 2.0;
            if vertical {
                s.vtext(&labels[i][j], (cx, top - 4.0), val_font, INK, HPos::Left);
            } else {
                s.text(
                    &labels[i][j],
                    (cx, top - 3.0),
                    val_font,
                    INK,
                    HPos::Center,
                    VPos::Bottom,
                );
            }
        }
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use crate::i18n::Lang;

    fn provinces() -> StackedBars {
        StackedBars {
            title: "Tỷ lệ hộ nghèo theo tỉnh, 2020".into(),
            axis: "Tỷ lệ hộ (%)".into(),
            series: vec!["Hộ nghèo".into(), "Hộ cận nghèo".into()],
            bars: vec![
                ("Hà Giang".into(), vec![25.5, 8.3]),
                ("Bà Rịa – Vũng Tàu".into(), vec![1.9, 0.0]),
                ("Thừa Thiên Huế".into(), vec![3.1, 4.0]),
            ],
            reference: Some(("Cả nước".into(), 2.8)),
        }
    }

    #[test]
    fn hyphens_leave_three_letters_on_each_side() {
        let f = super::super::text::Font::new(11.0);
        let w = |s: &str| super::super::text::text_w(s, f).unwrap();
        // Room for "Employme-" but not "Employment": the break moves back.
        let room = w("Employme-");
        assert!(room < w("Employment"));
        assert_eq!(
            super::hyphenate("Employment", room, f).unwrap(),
            "Employm- ent"
        );
        // A long word is cut where it must, each piece but the last filling its room.
        let out = super::hyphenate("Telecommunications", w("Telecommu-"), f).unwrap();
        assert_eq!(out.replace("- ", ""), "Telecommunications");
        assert!(
            out.split(' ')
                .all(|p| p.trim_end_matches('-').chars().count() >= 3),
            "{out}"
        );
        // Short words and narrow rooms never loop or lose letters.
        for (word, room) in [("ab", 1.0), ("abcd", w("a-")), ("Nutrition", w("Nu-"))] {
            let out = super::hyphenate(word, room, f).unwrap();
            assert_eq!(out.replace("- ", ""), word, "{word}");
        }
    }

    #[test]
    fn stacked_bars_count_values_and_language() {
        let chart = Chart::Stacked(provinces());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Tỷ lệ hộ nghèo theo tỉnh, 2020"));
        // One rect per positive segment, plus the legend swatch of the series.
        assert_eq!(count(&vi, "rect", "#0072B2"), 3 + 1);
        assert_eq!(count(&vi, "rect", "#E69F00"), 2 + 1);
        // Totals at the bar ends (max ≥ 10 → one decimal), the reference labelled.
        assert!(has(&vi, "33,8 %") && has(&vi, "1,9 %") && has(&vi, "7,1 %"));
        assert!(vi.contains("Cả nước: 2,8 %"));
        assert!(vi.contains("Bà Rịa – Vũng Tàu"));
        let en = svg(&chart, Lang::En).unwrap();
        assert!(has(&en, "33.8%") && en.contains("Cả nước: 2.8%"));
        let png = png(&chart, Lang::Vi).unwrap();
        assert!(is_png(&png), "{} bytes", png.len());
        keep("stacked.png", &png);
    }

    #[test]
    fn stacked_bars_two_decimals_below_ten_and_tall_for_many_bars() {
        let mut c = provinces();
        c.series.truncate(1);
        c.bars = (0..63)
            .map(|i| (format!("Tỉnh {i}"), vec![1.9 + i as f64 * 0.1]))
            .collect();
        c.reference = Some(("Cả nước".into(), 1.9));
        let out = svg(&Chart::Stacked(c), Lang::Vi).unwrap();
        assert_eq!(count(&out, "rect", "#0072B2"), 63 + 1);
        assert!(has(&out, "1,90 %"));
        assert!(out.contains("Cả nước: 1,90 %"));
        let h: f64 = out
            .split("height=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(h >= 63.0 * 22.0, "height {h}");
    }

    #[test]
    fn stacked_bars_reject_bad_input_with_a_message() {
        let mut c = provinces();
        c.bars.clear();
        let e = svg(&Chart::Stacked(c), Lang::Vi).unwrap_err().to_string();
        assert!(e.contains("no bars"), "{e}");
        let mut c = provinces();
        c.bars[1].1[0] = f64::NAN;
        let e = svg(&Chart::Stacked(c), Lang::Vi).unwrap_err().to_string();
        assert!(
            e.contains("Bà Rịa – Vũng Tàu") && e.contains("not a finite number"),
            "{e}"
        );
        let mut c = provinces();
        c.bars[0].1.pop();
        assert!(png(&Chart::Stacked(c), Lang::En).is_err());
        let mut c = provinces();
        c.bars[0].1[0] = -1.0;
        assert!(svg(&Chart::Stacked(c), Lang::En).is_err());
    }

    #[test]
    fn stacked_bars_edge_cases_draw() {
        // All zeros, a single bar, a very long name, decomposed text.
        let c = StackedBars {
            title: "Tha\u{300}nh pho\u{302}\u{301} ".repeat(30),
            axis: String::new(),
            series: vec!["x".into()],
            bars: vec![("Tỉnh có tên rất dài ".repeat(40), vec![0.0])],
            reference: None,
        };
        let out = svg(&Chart::Stacked(c.clone()), Lang::Vi).unwrap();
        assert_eq!(
            count(&out, "rect", "#0072B2"),
            1,
            "legend only, no zero-width bar"
        );
        assert!(has(&out, "0,00 %"));
        assert!(out.contains("Thành phố"), "title is NFC");
        assert!(out.contains('…'), "long texts are cut");
        assert!(is_png(&png(&Chart::Stacked(c), Lang::Vi).unwrap()));
    }

    fn indicators() -> GroupedBars {
        GroupedBars {
            title: "Tỷ lệ hộ thiếu hụt theo chỉ số, 2023".into(),
            axis: "Tỷ lệ hộ (%)".into(),
            series: vec!["Tất cả các hộ".into(), "Hộ nghèo".into()],
            categories: vec![
                "Việc làm".into(),
                "Người phụ thuộc".into(),
                "Dinh dưỡng".into(),
                "Bảo hiểm y tế".into(),
                "Trình độ giáo dục của người lớn".into(),
                "Tình trạng đi học của trẻ em".into(),
                "Chất lượng nhà ở".into(),
                "Diện tích nhà ở bình quân đầu người".into(),
                "Nguồn nước sinh hoạt".into(),
                "Nhà tiêu hợp vệ sinh".into(),
                "Sử dụng dịch vụ viễn thông".into(),
                "Phương tiện phục vụ tiếp cận thông tin".into(),
            ],
            values: vec![
                vec![4.2, 6.1, 1.9, 7.5, 12.3, 0.8, 3.3, 2.4, 5.6, 9.9, 1.2, 2.2],
                vec![
                    38.0, 44.5, 20.1, 41.0, 66.7, 9.5, 31.2, 25.0, 47.3, 72.4, 15.8, 28.9,
                ],
            ],
        }
    }

    #[test]
    fn grouped_bars_count_values_and_language() {
        let chart = Chart::Grouped(indicators());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Tỷ lệ hộ thiếu hụt theo chỉ số, 2023"));
        assert_eq!(count(&vi, "rect", "#0072B2"), 12 + 1);
        assert_eq!(count(&vi, "rect", "#E69F00"), 12 + 1);
        assert!(has(&vi, "72,4 %") && has(&vi, "1,9 %"));
        let en = svg(&chart, Lang::En).unwrap();
        assert!(has(&en, "72.4%") && has(&en, "1.9%"));
        let png = png(&chart, Lang::Vi).unwrap();
        assert!(is_png(&png));
        keep("grouped.png", &png);
    }

    #[test]
    fn grouped_bars_edge_cases() {
        let mut c = indicators();
        c.categories.clear();
        c.values = vec![vec![], vec![]];
        let e = svg(&Chart::Grouped(c), Lang::Vi).unwrap_err().to_string();
        assert!(e.contains("no bars"), "{e}");
        let mut c = indicators();
        c.values[1][3] = f64::INFINITY;
        assert!(svg(&Chart::Grouped(c), Lang::Vi)
            .unwrap_err()
            .to_string()
            .contains("Bảo hiểm y tế"));
        let mut c = indicators();
        c.values.pop();
        assert!(svg(&Chart::Grouped(c), Lang::Vi).is_err());
        // All zeros and a single bar still draw (values shown, no bars).
        let c = GroupedBars {
            title: "t".into(),
            axis: "a".into(),
            series: vec!["s".into()],
            categories: vec!["c".into()],
            values: vec![vec![0.0]],
        };
        let out = svg(&Chart::Grouped(c), Lang::En).unwrap();
        assert!(has(&out, "0.00%"));
        assert_eq!(count(&out, "rect", "#0072B2"), 1);
    }

    /// An undefined value (no poor household to be deprived among) is a
    /// dash with no bar, not a bar of 0 %.
    #[test]
    fn grouped_bars_draw_undefined_as_a_dash() {
        let mut c = indicators();
        c.values[1][3] = f64::NAN;
        let out = svg(&Chart::Grouped(c), Lang::En).unwrap();
        assert_eq!(count(&out, "rect", "#E69F00"), 11 + 1, "one bar fewer");
        assert!(has(&out, "–"));
        let all = count(
            &svg(&Chart::Grouped(indicators()), Lang::En).unwrap(),
            "rect",
            "#0072B2",
        );
        assert_eq!(
            count(&out, "rect", "#0072B2"),
            all,
            "the other series is untouched"
        );
    }
}
