//! Dumbbells: one row per province, a dot for each year joined by a bar,
//! and both values written after the row ("2,10 % → 1,90 %").

use super::layout::*;
use super::style::*;
use super::Dumbbell;
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};

const FROM: usize = 1; // Okabe–Ito sky blue (no class has it)
const TO: usize = 0; // Okabe–Ito blue
const BAR: plotters::style::RGBColor = plotters::style::RGBColor(0xBB, 0xBB, 0xBB);
/// Room under the rows for the tick labels and the axis title.
const BOTTOM: f64 = 58.0;

pub(crate) fn dumbbell(c: &Dumbbell, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    let (lo, hi) = check(c, &name)?;
    let dec = decimals(lo.abs().max(hi.abs()));
    let items = [
        (c.from_label.clone(), Swatch::Dot(series_color(FROM))),
        (c.to_label.clone(), Swatch::Dot(series_color(TO))),
    ];
    let n = c.rows.len();
    let (mut s, plot_top) = row_canvas(&c.title, &items, 10.0, BOTTOM, n)?;
    let band = (f64::from(s.h) - plot_top - BOTTOM) / n as f64;
    let font = row_font(band);
    let (names, name_w) = row_names(c.rows.iter().map(|r| &r.0), font)?;
    let val = |v: f64| match v.is_finite() {
        true => lang.pct(v, dec),
        false => "–".to_string(),
    };
    let labels: Vec<String> = c
        .rows
        .iter()
        .map(|(_, a, b)| format!("{} → {}", val(*a), val(*b)))
        .collect();
    let plot = Plot {
        x0: MARGIN + name_w + 10.0,
        y0: plot_top,
        x1: f64::from(W) - MARGIN - widest(&labels, font)? - 14.0,
        y1: f64::from(s.h) - BOTTOM,
    };
    let x = value_axis_x(&mut s, plot, &nice_axis(lo, hi, 6), lang, &c.axis)?;
    let r = if band >= 14.0 { 5 } else { 4 };
    for (i, (_, a, b)) in c.rows.iter().enumerate() {
        let cy = plot.y0 + band * (i as f64 + 0.5);
        s.line(&[(plot.x0, cy), (plot.x1, cy)], GRID, 1);
        row_name(&mut s, &names[i], plot, cy, font);
        let end = bell(&mut s, (*a, *b), x, cy, r).unwrap_or(plot.x0);
        let at = (end.max(plot.x0) + f64::from(r) + 6.0, cy);
        s.text(&labels[i], at, font, INK, HPos::Left, VPos::Center);
    }
    Ok(s)
}

/// Rows to draw, at most `MAX_ROWS`, with at least one finite value;
/// returns the range of the axis: the finite values and 0.
fn check(c: &Dumbbell, name: &str) -> Result<(f64, f64)> {
    if c.rows.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no rows to draw (the data has no rows)"
        )));
    }
    check_count(name, c.rows.len(), "rows", MAX_ROWS)?;
    let finite: Vec<f64> = c
        .rows
        .iter()
        .flat_map(|r| [r.1, r.2])
        .filter(|v| v.is_finite())
        .collect();
    if finite.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no value is a finite number"
        )));
    }
    let lo = finite.iter().copied().fold(0.0, f64::min);
    let hi = finite.iter().copied().fold(0.0, f64::max);
    Ok((lo, hi))
}

/// One row's dumbbell on `cy`: a dot (radius `r`) for each finite value,
/// joined by a bar when both are; returns the x of the rightmost dot.
fn bell(s: &mut Scene, (a, b): (f64, f64), x: Lin, cy: f64, r: u32) -> Option<f64> {
    let pa = a.is_finite().then(|| x.at(a));
    let pb = b.is_finite().then(|| x.at(b));
    if let (Some(pa), Some(pb)) = (pa, pb) {
        s.line(&[(pa, cy), (pb, cy)], BAR, 3);
    }
    if let Some(pa) = pa {
        s.circle((pa, cy), r, series_color(FROM), true);
    }
    if let Some(pb) = pb {
        s.circle((pb, cy), r, series_color(TO), true);
    }
    pa.into_iter().chain(pb).reduce(f64::max)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use crate::i18n::Lang;

    fn change() -> Dumbbell {
        Dumbbell {
            title: "Thay đổi tỷ lệ hộ nghèo theo tỉnh, 2020–2023".into(),
            axis: "Tỷ lệ hộ nghèo (%)".into(),
            from_label: "2020".into(),
            to_label: "2023".into(),
            rows: vec![
                ("Hà Giang".into(), 8.4, 5.2),
                ("Điện Biên".into(), 6.1, 6.9),
                ("Bà Rịa – Vũng Tàu".into(), 2.1, 1.9),
                ("Thừa Thiên Huế".into(), 3.05, f64::NAN),
            ],
            caveats: crate::chart::Caveats::default(),
        }
    }

    #[test]
    fn dumbbell_counts_values_and_language() {
        let chart = Chart::Dumbbell(change());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Thay đổi tỷ lệ hộ nghèo theo tỉnh, 2020–2023"));
        // One dot per finite value, plus one in the legend for each year.
        assert_eq!(count(&vi, "circle", "#56B4E9"), 4 + 1);
        assert_eq!(count(&vi, "circle", "#0072B2"), 3 + 1);
        assert!(vi.contains("2,10 % → 1,90 %"));
        assert!(vi.contains("3,05 % → –"), "a missing end is a dash");
        let en = svg(&chart, Lang::En).unwrap();
        assert!(en.contains("2.10% → 1.90%"));
        let png = png(&chart, Lang::Vi).unwrap();
        assert!(is_png(&png));
        keep("dumbbell.png", &png);
    }

    #[test]
    fn dumbbell_edge_cases() {
        let mut c = change();
        c.rows.clear();
        let e = svg(&Chart::Dumbbell(c), Lang::Vi).unwrap_err().to_string();
        assert!(e.contains("no rows"), "{e}");
        let mut c = change();
        c.rows = vec![("x".into(), f64::NAN, f64::INFINITY)];
        assert!(svg(&Chart::Dumbbell(c), Lang::En)
            .unwrap_err()
            .to_string()
            .contains("finite"));
        let mut c = change();
        c.rows = vec![("Một tỉnh".into(), 0.0, 0.0)];
        let out = svg(&Chart::Dumbbell(c.clone()), Lang::Vi).unwrap();
        assert!(out.contains("0,00 % → 0,00 %"));
        assert!(is_png(&png(&Chart::Dumbbell(c), Lang::Vi).unwrap()));
        // Many rows make a taller image.
        let mut c = change();
        c.rows = (0..63)
            .map(|i| (format!("Tỉnh {i}"), i as f64, i as f64 / 2.0))
            .collect();
        let out = svg(&Chart::Dumbbell(c), Lang::Vi).unwrap();
        assert_eq!(count(&out, "circle", "#0072B2"), 63 + 1);
    }
}
