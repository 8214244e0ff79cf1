//! Dumbbells: one row per province, a dot for each year joined by a bar,
//! and both values written after the row ("2,10 % → 1,90 %").

use super::layout::height_for;
use super::style::*;
use super::Dumbbell;
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};

const FROM: usize = 1; // Okabe–Ito orange
const TO: usize = 0; // Okabe–Ito blue
const BAR: plotters::style::RGBColor = plotters::style::RGBColor(0xBB, 0xBB, 0xBB);

pub(crate) fn dumbbell(c: &Dumbbell, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    if c.rows.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no rows to draw (the data has no rows)"
        )));
    }
    if c.rows.len() > MAX_ROWS {
        return Err(usage(format!(
            "chart \"{name}\": {} rows is too many (at most {MAX_ROWS})",
            c.rows.len()
        )));
    }
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
    let dec = decimals(lo.abs().max(hi.abs()));
    let val = |v: f64| {
        if v.is_finite() {
            lang.pct(v, dec)
        } else {
            "–".to_string()
        }
    };

    let wide = f64::from(W) - 2.0 * MARGIN;
    let items = [
        (c.from_label.clone(), Swatch::Dot(series_color(FROM))),
        (c.to_label.clone(), Swatch::Dot(series_color(TO))),
    ];
    let mut probe = Scene::new(W, H);
    let top0 = title(&mut probe, &c.title)?;
    let plot_top = legend(&mut probe, &items, MARGIN, top0, wide)? + 10.0;
    let bottom = 58.0;
    let n = c.rows.len();
    let h = height_for(n, plot_top + bottom);
    let mut s = Scene::new(W, h);
    title(&mut s, &c.title)?;
    legend(&mut s, &items, MARGIN, top0, wide)?;

    let band = (f64::from(h) - plot_top - bottom) / n as f64;
    let font = Font::new(if band >= 20.0 { 12.0 } else { 11.0 });
    let cap = f64::from(W) * 0.32;
    let mut names = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    let (mut name_w, mut val_w): (f64, f64) = (0.0, 0.0);
    for (label, a, b) in &c.rows {
        let t = fit(label, cap, font)?;
        name_w = name_w.max(text_w(&t, font)?);
        names.push(t);
        let l = format!("{} → {}", val(*a), val(*b));
        val_w = val_w.max(text_w(&l, font)?);
        labels.push(l);
    }
    let plot = Plot {
        x0: MARGIN + name_w + 10.0,
        y0: plot_top,
        x1: f64::from(W) - MARGIN - val_w - 14.0,
        y1: f64::from(h) - bottom,
    };
    let axis = nice_axis(lo, hi, 6);
    let x = value_axis_x(&mut s, plot, &axis, lang, &c.axis)?;
    let r = if band >= 14.0 { 5 } else { 4 };
    for (i, (_, a, b)) in c.rows.iter().enumerate() {
        let cy = plot.y0 + band * (i as f64 + 0.5);
        s.line(&[(plot.x0, cy), (plot.x1, cy)], GRID, 1);
        s.text(
            &names[i],
            (plot.x0 - 8.0, cy),
            font,
            INK,
            HPos::Right,
            VPos::Center,
        );
        let (pa, pb) = (
            a.is_finite().then(|| x.at(*a)),
            b.is_finite().then(|| x.at(*b)),
        );
        if let (Some(pa), Some(pb)) = (pa, pb) {
            s.line(&[(pa, cy), (pb, cy)], BAR, 3);
        }
        if let Some(pa) = pa {
            s.circle((pa, cy), r, series_color(FROM), true);
        }
        if let Some(pb) = pb {
            s.circle((pb, cy), r, series_color(TO), true);
        }
        let end = pa.into_iter().chain(pb).fold(plot.x0, f64::max);
        s.text(
            &labels[i],
            (end + f64::from(r) + 6.0, cy),
            font,
            INK,
            HPos::Left,
            VPos::Center,
        );
    }
    Ok(s)
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
        }
    }

    #[test]
    fn dumbbell_counts_values_and_language() {
        let chart = Chart::Dumbbell(change());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Thay đổi tỷ lệ hộ nghèo theo tỉnh, 2020–2023"));
        // One dot per finite value, plus one in the legend for each year.
        assert_eq!(count(&vi, "circle", "#E69F00"), 4 + 1);
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
