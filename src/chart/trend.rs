//! Trends over the survey years: a line per class in its colour, each
//! year's rate and count written by its dot, 95 % error bars where the
//! interval is known, and a dashed, labelled rule where the standard
//! changes (the lines stop at it: the years on either side measure
//! different things).

use super::layout::*;
use super::style::*;
use super::{Trend, TrendPoint};
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::{RGBColor, WHITE};

const MAX_YEARS: usize = 60;
const MAX_SERIES: usize = 8;
/// The labels' font (rate and count at a point, a break's label).
const LABEL: Font = Font::new(14.0);
/// Lines of a break's label at most.
const BREAK_LINES: usize = 3;

pub(crate) fn trend(c: &Trend, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    let hi = check(c, &name)?;
    let dec = decimals(hi);
    let mut s = Scene::new(W, H);
    let items: Vec<(String, Swatch)> = (c.series.iter().enumerate())
        .map(|(i, t)| (t.name.clone(), Swatch::Line(color(c, i))))
        .collect();
    let top = heading(&mut s, &c.title, &items)?;
    axis_title_above(&mut s, &c.axis, top)?;
    let yaxis = nice_axis(0.0, hi * 1.15, 6);
    let x0 = MARGIN + tick_w(&yaxis, lang)? + 10.0;
    let x1 = f64::from(W) - MARGIN - 10.0;
    let breaks = break_labels(c, (x1 - x0) * 0.6)?;
    let band = breaks.iter().map(|b| b.1.len()).max().unwrap_or(0) as f64 * LABEL.line();
    let plot = Plot {
        x0,
        y0: top + 36.0 + band + if band > 0.0 { 8.0 } else { 0.0 },
        x1,
        y1: f64::from(H) - 58.0,
    };
    let y = value_axis_y(&mut s, plot, &yaxis, lang);
    let x = x_axis(&mut s, plot, &year_axis(&c.years), lang, &c.x_axis, false)?;
    for (i, lines) in &breaks {
        let bx = (x.at(c.years[*i] as f64) + x.at(c.years[*i + 1] as f64)) / 2.0;
        s.dashed((bx, top + 32.0), (bx, plot.y1), CAVEAT, 2);
        let w = widest(lines, LABEL)?;
        let cx = bx.clamp(MARGIN + w / 2.0, f64::from(W) - MARGIN - w / 2.0);
        for (k, l) in lines.iter().enumerate() {
            let at = (cx, top + 30.0 + k as f64 * LABEL.line());
            s.text_on_white(l, at, LABEL, HPos::Center, VPos::Top)?;
        }
    }
    for (i, t) in c.series.iter().enumerate() {
        let x = Lin {
            p0: x.p0 + dodge(c, i),
            p1: x.p1 + dodge(c, i),
            ..x
        };
        lines(&mut s, c, &t.points, (x, y), color(c, i));
    }
    labels(&mut s, c, (x, y, plot), (lang, dec))?;
    Ok(s)
}

/// The colour of series `i`: its class's, else the series palette.
fn color(c: &Trend, i: usize) -> RGBColor {
    match c.series.get(i).and_then(|t| t.class) {
        Some(class) => class_color(class),
        None => series_color(i),
    }
}

/// How far series `i` is moved right (left if negative), so that the
/// error bars of two series in one year stand apart; 0 without any.
fn dodge(c: &Trend, i: usize) -> f64 {
    let bars = (c.series.iter())
        .flat_map(|t| t.points.iter().filter_map(drawn))
        .any(|p| interval(p).is_some());
    let mid = (c.series.len() as f64 - 1.0) / 2.0;
    if bars {
        (i as f64 - mid) * 10.0
    } else {
        0.0
    }
}

/// A label's colour: its line's, darkened where too light to read on
/// white (the near-poor orange), so that a label is matched to its line.
fn readable(c: RGBColor) -> RGBColor {
    if ink_on(c) == INK {
        let dark = |v: u8| (f64::from(v) * 0.62).round() as u8;
        RGBColor(dark(c.0), dark(c.1), dark(c.2))
    } else {
        c
    }
}

/// A point that can be drawn: a finite rate.
fn drawn(p: &Option<TrendPoint>) -> Option<&TrendPoint> {
    p.as_ref().filter(|p| p.pct.is_finite())
}

/// A finite interval, low before high.
fn interval(p: &TrendPoint) -> Option<(f64, f64)> {
    p.ci.filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (a.min(b), a.max(b)))
}

/// Years ascending, not too many, each series a point per year, a point
/// that can be drawn, breaks between two years; returns the highest value
/// (rates and interval ends, at least 1).
fn check(c: &Trend, name: &str) -> Result<f64> {
    if c.years.is_empty() || c.series.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no years or no series to draw"
        )));
    }
    check_count(name, c.years.len(), "years", MAX_YEARS)?;
    check_count(name, c.series.len(), "series", MAX_SERIES)?;
    if c.years.windows(2).any(|w| w[0] >= w[1]) {
        return Err(usage(format!(
            "chart \"{name}\": the years are not ascending"
        )));
    }
    if let Some(t) = c.series.iter().find(|t| t.points.len() != c.years.len()) {
        return Err(usage(format!(
            "chart \"{name}\": series \"{}\" has {} points for {} years",
            t.name,
            t.points.len(),
            c.years.len()
        )));
    }
    if let Some((i, _)) = c.breaks.iter().find(|(i, _)| i + 1 >= c.years.len()) {
        return Err(usage(format!(
            "chart \"{name}\": a break after year {} of {}",
            i + 1,
            c.years.len()
        )));
    }
    let values: Vec<f64> = (c.series.iter())
        .flat_map(|t| t.points.iter().filter_map(drawn))
        .flat_map(|p| [Some(p.pct), interval(p).map(|i| i.1)])
        .flatten()
        .collect();
    if values.is_empty() {
        return Err(usage(format!("chart \"{name}\": no rate is a number")));
    }
    Ok(values.iter().copied().fold(1.0, f64::max))
}

/// The year axis: a tick at each survey year, half the smallest gap
/// between years left and right of the first and last.
fn year_axis(years: &[i64]) -> Axis {
    let gap = (years.windows(2).map(|w| w[1] - w[0]).min().unwrap_or(1)) as f64;
    let (first, last) = (years[0] as f64, years[years.len() - 1] as f64);
    Axis {
        lo: first - gap / 2.0,
        hi: last + gap / 2.0,
        step: 1.0,
        ticks: years.iter().map(|y| *y as f64).collect(),
    }
}

/// Each break's label wrapped within `max_w`.
fn break_labels(c: &Trend, max_w: f64) -> Result<Vec<(usize, Vec<String>)>> {
    let mut out = Vec::new();
    for (i, label) in &c.breaks {
        out.push((*i, wrap(label, max_w, LABEL, BREAK_LINES)?));
    }
    Ok(out)
}

/// A series' line, joined between consecutive years that both have a
/// value and no break between them; its error bars; a dot at every value.
fn lines(
    s: &mut Scene,
    c: &Trend,
    pts: &[Option<TrendPoint>],
    (x, y): (Lin, Lin),
    color: RGBColor,
) {
    let at = |j: usize, v: f64| (x.at(c.years[j] as f64), y.at(v));
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (j, p) in pts.iter().enumerate() {
        let broken = c.breaks.iter().any(|(i, _)| *i + 1 == j);
        if broken || drawn(p).is_none() {
            if run.len() > 1 {
                s.line(&run, color, 3);
            }
            run.clear();
        }
        if let Some(p) = drawn(p) {
            run.push(at(j, p.pct));
        }
    }
    if run.len() > 1 {
        s.line(&run, color, 3);
    }
    for (j, p) in pts.iter().enumerate() {
        let Some(p) = drawn(p) else { continue };
        if let Some((lo, hi)) = interval(p) {
            let (cx, _) = at(j, p.pct);
            s.line(&[(cx, y.at(lo)), (cx, y.at(hi))], color, 2);
            for v in [lo, hi] {
                s.line(&[(cx - 6.0, y.at(v)), (cx + 6.0, y.at(v))], color, 2);
            }
        }
        s.circle(at(j, p.pct), 6, color, true);
    }
}

/// A point's label: the rate and, if known, the count ("4,44 % (1.234 hộ)"),
/// on one line or, where years are close, on two.
fn label(p: &TrendPoint, unit: &str, (lang, dec): (Lang, usize), two: bool) -> Vec<String> {
    let rate = lang.pct(p.pct, dec);
    match p.count.filter(|n| n.is_finite()) {
        Some(n) if two => vec![rate, format!("({} {unit})", lang.count(n))],
        Some(n) => vec![format!("{rate} ({} {unit})", lang.count(n))],
        None => vec![rate],
    }
}

/// The labels of every year: the highest value's above its dot (and
/// interval), the others below theirs, moved apart so that none overlaps,
/// on white so that a line behind stays readable. Where the years are too
/// close for the labels, the count goes under the rate; closer still, only
/// every few years (and the last) are labelled.
fn labels(
    s: &mut Scene,
    c: &Trend,
    (x, y, plot): (Lin, Lin, Plot),
    fmt: (Lang, usize),
) -> Result<()> {
    let n = c.years.len();
    let room = if n > 1 {
        (plot.x1 - plot.x0) / n as f64 - 8.0
    } else {
        plot.x1 - plot.x0
    };
    let all = |two: bool| -> Vec<Vec<String>> {
        (c.series.iter())
            .flat_map(|t| t.points.iter().filter_map(drawn))
            .map(|p| label(p, &c.unit, fmt, two))
            .collect()
    };
    let wide = |ls: Vec<Vec<String>>| -> Result<f64> {
        let flat: Vec<String> = ls.into_iter().flatten().collect();
        widest(&flat, LABEL)
    };
    let two = wide(all(false))? > room;
    let every = (wide(all(two))? / room.max(1.0)).ceil().max(1.0) as usize;
    for j in (0..n).filter(|j| j % every == 0 || *j == n - 1) {
        let cx = x.at(c.years[j] as f64);
        let mut at: Vec<(f64, f64, usize)> = (c.series.iter().enumerate())
            .filter_map(|(i, t)| {
                let p = drawn(t.points.get(j)?)?;
                let (lo, hi) = interval(p).unwrap_or((p.pct, p.pct));
                Some((y.at(hi.max(p.pct)) - 9.0, y.at(lo.min(p.pct)) + 9.0, i))
            })
            .collect();
        at.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut floor = plot.y0;
        for (k, (above, below, i)) in at.into_iter().enumerate() {
            let Some(p) = c.series[i].points.get(j).and_then(drawn) else {
                continue;
            };
            let text = label(p, &c.unit, fmt, two);
            let h = text.len() as f64 * LABEL.line();
            let w = widest(&text, LABEL)?;
            let top = if k == 0 {
                (above - h).max(plot.y0)
            } else {
                below.max(floor)
            };
            let top = top.min(plot.y1 - h);
            floor = top + h + 2.0;
            let cx = cx + dodge(c, i);
            let lx = cx.clamp(plot.x0 + w / 2.0 + 2.0, plot.x1 - w / 2.0 - 2.0);
            let ink = readable(color(c, i));
            s.rect(lx - w / 2.0 - 2.0, top, lx + w / 2.0 + 2.0, top + h, WHITE);
            for (m, l) in text.iter().enumerate() {
                let ly = top + m as f64 * LABEL.line();
                s.text(l, (lx, ly), LABEL, ink, HPos::Center, VPos::Top);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use crate::i18n::Lang;

    fn point(pct: f64, count: f64) -> Option<TrendPoint> {
        Some(TrendPoint {
            pct,
            count: Some(count),
            ci: None,
        })
    }

    /// Three years, the standard changing between the second and third.
    pub(crate) fn three_years() -> Trend {
        Trend {
            title: "Tỷ lệ hộ nghèo và cận nghèo qua các năm, Tỉnh Điện Biên".into(),
            axis: "Tỷ lệ hộ (%)".into(),
            x_axis: "Năm khảo sát".into(),
            years: vec![2020, 2021, 2022],
            series: vec![
                TrendSeries {
                    name: "Hộ nghèo".into(),
                    class: Some(Class::Poor),
                    points: vec![point(4.44, 1234.0), point(3.9, 1100.0), point(6.1, 1700.0)],
                },
                TrendSeries {
                    name: "Hộ cận nghèo".into(),
                    class: Some(Class::NearPoor),
                    points: vec![point(2.5, 700.0), None, point(3.0, 840.0)],
                },
            ],
            unit: "hộ".into(),
            breaks: vec![(1, "Đổi chuẩn nghèo (QĐ 59/2015 → NĐ 07/2021)".into())],
            caveats: Caveats::default(),
        }
    }

    /// The `<polyline>`s (plotters' paths) drawn in `color`.
    fn polylines(svg: &str, color: &str) -> usize {
        let stroke = format!("stroke=\"{color}\"");
        svg.lines()
            .filter(|l| l.trim_start().starts_with("<polyline") && l.contains(&stroke))
            .count()
    }

    #[test]
    fn a_break_stops_the_lines_and_is_labelled() {
        let c = three_years();
        let vi = svg(&Chart::Trend(c.clone()), Lang::Vi).unwrap();
        assert!(
            has(&vi, "Đổi chuẩn nghèo (QĐ 59/2015 → NĐ 07/2021)"),
            "{vi}"
        );
        for year in ["2020", "2021", "2022"] {
            assert!(has(&vi, year), "{year}");
        }
        assert!(has(&vi, "4,44 % (1.234 hộ)"), "rate and count at a point");
        assert!(has(&vi, "6,10 % (1.700 hộ)"));
        // A dot per value, in the class's colour: 3 poor, 2 near-poor.
        assert_eq!(count(&vi, "circle", "#D55E00"), 3);
        assert_eq!(count(&vi, "circle", "#E69F00"), 2);
        // The poor line is joined 2020–2021 only (the legend's swatch is the
        // other path); near-poor has no two consecutive years on one side.
        assert_eq!(polylines(&vi, "#D55E00"), 2);
        assert_eq!(polylines(&vi, "#E69F00"), 1);
        let mut joined = c.clone();
        joined.breaks.clear();
        let vi = svg(&Chart::Trend(joined), Lang::Vi).unwrap();
        assert_eq!(polylines(&vi, "#D55E00"), 2, "one line of three points");
        assert!(!vi.contains("Đổi chuẩn"));
        let en = svg(&Chart::Trend(c.clone()), Lang::En).unwrap();
        assert!(has(&en, "4.44% (1,234 hộ)"));
        assert!(is_png(&png(&Chart::Trend(c), Lang::Vi).unwrap()));
    }

    #[test]
    fn error_bars_where_an_interval_is_known() {
        let mut c = three_years();
        c.series[0].points[0] = Some(TrendPoint {
            pct: 4.44,
            count: Some(1234.0),
            ci: Some((3.9, 5.0)),
        });
        c.series[0].points[2] = Some(TrendPoint {
            pct: 6.1,
            count: None,
            ci: Some((f64::NAN, 7.0)),
        });
        let with = svg(&Chart::Trend(c), Lang::Vi).unwrap();
        let without = svg(&Chart::Trend(three_years()), Lang::Vi).unwrap();
        // One bar and its two caps; a broken interval draws none.
        assert_eq!(
            polylines(&with, "#D55E00"),
            polylines(&without, "#D55E00") + 3
        );
        assert!(has(&with, "6,10 %"), "no count: the rate alone");
    }

    #[test]
    fn many_years_and_bad_input() {
        let mut c = three_years();
        c.years = (2001..=2030).collect();
        c.breaks = vec![(20, "Đổi chuẩn".into())];
        for t in &mut c.series {
            t.points = (0..30)
                .map(|i| point(1.0 + i as f64 * 0.7, 123_456.0))
                .collect();
        }
        let out = svg(&Chart::Trend(c.clone()), Lang::Vi).unwrap();
        assert!(well_formed(&out).is_ok());
        assert!(
            has(&out, "(123.456 hộ)"),
            "crowded: the count under the rate"
        );
        let mut bad = c.clone();
        bad.series[0].points.pop();
        let e = svg(&Chart::Trend(bad), Lang::Vi).unwrap_err().to_string();
        assert!(e.contains("29 points for 30 years"), "{e}");
        let mut bad = c.clone();
        bad.breaks = vec![(29, "x".into())];
        assert!(svg(&Chart::Trend(bad), Lang::Vi).is_err());
        let mut bad = c.clone();
        bad.years.swap(0, 1);
        assert!(svg(&Chart::Trend(bad), Lang::Vi).is_err());
        let mut bad = c;
        bad.series
            .iter_mut()
            .for_each(|t| t.points = vec![None; 30]);
        assert!(svg(&Chart::Trend(bad), Lang::Vi).is_err());
        // One year: a dot, no line.
        let mut one = three_years();
        one.years = vec![2022];
        one.breaks.clear();
        one.series.iter_mut().for_each(|t| t.points.truncate(1));
        let out = svg(&Chart::Trend(one), Lang::Vi).unwrap();
        assert_eq!(tags(&out, "circle"), 2);
    }
}
