//! Horizontal stacked bars: one bar per province (rows in the caller's
//! order), a segment per series, the total after each bar and an optional
//! dashed reference line (the national rate) labelled above the plot.

use super::layout::*;
use super::style::*;
use super::StackedBars;
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};

/// Room under the bars for the tick labels and the axis title.
const BOTTOM: f64 = 58.0;

pub(crate) fn stacked(c: &StackedBars, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    check(c, &name)?;
    let totals: Vec<f64> = c.bars.iter().map(|(_, v)| v.iter().sum()).collect();
    let max = totals
        .iter()
        .copied()
        .fold(0.0, f64::max)
        .max(c.reference.as_ref().map_or(0.0, |r| r.1));
    let dec = decimals(max);

    let items = series_legend(&c.series, &c.classes, Swatch::Square);
    // Room above the plot for the reference line's label.
    let gap = if c.reference.is_some() { 26.0 } else { 10.0 };
    let (mut s, plot_top) = row_canvas(&c.title, &items, gap, BOTTOM, c.bars.len())?;
    let totals: Vec<(f64, String)> = totals.into_iter().map(|t| (t, lang.pct(t, dec))).collect();
    let rows = Rows::lay_out(c, &s, plot_top, &totals)?;
    let x = value_axis_x(&mut s, rows.plot, &nice_axis(0.0, max, 6), lang, &c.axis)?;
    if let Some((label, v)) = &c.reference {
        let text = format!("{}: {}", clean(label), lang.pct(*v, dec));
        reference_line(&mut s, &text, x.at(*v), rows.plot)?;
    }
    // Segments are labelled only when there are several series and room.
    let seg_labels = c.series.len() > 1 && rows.thick >= 12.0;
    for (i, (_, vals)) in c.bars.iter().enumerate() {
        let cy = rows.plot.y0 + rows.band * (i as f64 + 0.5);
        row_name(&mut s, &rows.names[i], rows.plot, cy, rows.font);
        segments(
            &mut s,
            (vals, &c.classes),
            x,
            (cy, rows.thick),
            seg_labels.then_some((lang, dec)),
        )?;
        let (total, label) = &totals[i];
        s.text_on_white(
            label,
            (x.at(*total) + 5.0, cy),
            rows.font,
            HPos::Left,
            VPos::Center,
        )?;
    }
    Ok(s)
}

/// Bars to draw, as many values as series, each finite and ≥ 0.
fn check(c: &StackedBars, name: &str) -> Result<()> {
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
    check_count(name, c.bars.len(), "bars", MAX_ROWS)?;
    for (label, vals) in &c.bars {
        if vals.len() != c.series.len() {
            return Err(usage(format!(
                "chart \"{name}\": bar \"{label}\" has {} values for {} series",
                vals.len(),
                c.series.len()
            )));
        }
        for (v, s) in vals.iter().zip(&c.series) {
            check_value(name, &format!("bar \"{label}\", series \"{s}\""), *v)?;
        }
    }
    if let Some((label, v)) = &c.reference {
        check_value(name, &format!("reference \"{label}\""), *v)?;
    }
    Ok(())
}

/// Where the rows go: the plot between the names and the totals, the
/// distance between rows and the bars' thickness.
struct Rows {
    plot: Plot,
    band: f64,
    thick: f64,
    font: Font,
    names: Vec<String>,
}

impl Rows {
    fn lay_out(c: &StackedBars, s: &Scene, top: f64, totals: &[(f64, String)]) -> Result<Rows> {
        let h = f64::from(s.h);
        let band = (h - top - BOTTOM) / c.bars.len() as f64;
        let font = row_font(band);
        let (names, name_w) = row_names(c.bars.iter().map(|(l, _)| l), font)?;
        let labels: Vec<&str> = totals.iter().map(|(_, l)| l.as_str()).collect();
        let val_w = widest(&labels, font)?;
        let plot = Plot {
            x0: MARGIN + name_w + 10.0,
            y0: top,
            x1: f64::from(W) - MARGIN - val_w - 8.0,
            y1: h - BOTTOM,
        };
        Ok(Rows {
            plot,
            band,
            thick: (band * 0.72).min(34.0),
            font,
            names,
        })
    }
}

/// The dashed reference line at `rx`, behind the bars, with `text` above
/// the plot: centred on the line, or against a margin it would cross.
fn reference_line(s: &mut Scene, text: &str, rx: f64, plot: Plot) -> Result<()> {
    s.dashed((rx, plot.y0 - 4.0), (rx, plot.y1), INK, 1);
    let font = Font::new(14.0);
    let text = fit(text, WIDE, font)?;
    let tw = text_w(&text, font)?;
    let (at, hp) = if rx - tw / 2.0 < MARGIN {
        (MARGIN, HPos::Left)
    } else if rx + tw / 2.0 > f64::from(W) - MARGIN {
        (f64::from(W) - MARGIN, HPos::Right)
    } else {
        (rx, HPos::Center)
    };
    s.text(&text, (at, plot.y0 - 7.0), font, INK, hp, VPos::Bottom);
    Ok(())
}

/// One bar's segments end to end, `thick` high around `cy`; with `labels`,
/// each segment wide enough shows its value.
fn segments(
    s: &mut Scene,
    (vals, classes): (&[f64], &[Option<super::Class>]),
    x: Lin,
    (cy, thick): (f64, f64),
    labels: Option<(Lang, usize)>,
) -> Result<()> {
    let font = Font::new(14.0);
    let mut acc = 0.0;
    for (k, v) in vals.iter().enumerate() {
        if *v <= 0.0 {
            continue;
        }
        let (a, b) = (x.at(acc), x.at(acc + v));
        let color = color_of(classes, k);
        s.rect(a, cy - thick / 2.0, b, cy + thick / 2.0, color);
        if let Some((lang, dec)) = labels {
            let l = lang.pct(*v, dec);
            if text_w(&l, font)? + 6.0 <= b - a {
                let at = ((a + b) / 2.0, cy);
                s.text(&l, at, font, ink_on(color), HPos::Center, VPos::Center);
            }
        }
        acc += v;
    }
    Ok(())
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
            classes: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        }
    }

    #[test]
    fn stacked_bars_count_values_and_language() {
        let chart = Chart::Stacked(provinces());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Tỷ lệ hộ nghèo theo tỉnh, 2020"));
        // One rect per positive segment, plus the legend swatch of the series.
        assert_eq!(count(&vi, "rect", "#0072B2"), 3 + 1);
        assert_eq!(count(&vi, "rect", "#56B4E9"), 2 + 1);
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
        let h = svg_size(&out).unwrap().1;
        assert!(h >= 63 * 22, "height {h}");
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
            classes: Vec::new(),
            caveats: crate::chart::Caveats::default(),
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
}
