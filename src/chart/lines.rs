//! Line charts: numeric x, one line per series, a dot at every point and the
//! last value written at the end of each line.

use super::layout::*;
use super::style::*;
use super::Lines;
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::RGBColor;

const MAX_SERIES: usize = 16;
const MAX_POINTS: usize = 5_000;

/// A point that can be drawn.
fn ok(p: &&(f64, f64)) -> bool {
    p.0.is_finite() && p.1.is_finite()
}

pub(crate) fn lines(c: &Lines, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    let pts = check(c, &name)?;
    let (xmin, xmax) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
        (a.0.min(p.0), a.1.max(p.0))
    });
    let (ymin, ymax) = pts
        .iter()
        .fold((0.0f64, 0.0f64), |a, p| (a.0.min(p.1), a.1.max(p.1)));
    let dec = decimals(ymin.abs().max(ymax.abs()));

    let mut s = Scene::new(W, H);
    let items = series_legend(c.series.iter().map(|(n, _)| n), &[], Swatch::Line);
    let top = heading(&mut s, &c.title, &items)?;
    axis_title_above(&mut s, &c.y_axis, top)?;
    let yaxis = nice_axis(ymin, ymax + (ymax - ymin) * 0.05, 6);
    let mut xaxis = nice_axis(xmin, xmax, 8);
    if xaxis.step < 1.0 && xmax > xmin && pts.iter().all(|p| p.0.fract() == 0.0) {
        // Whole-number x (years): whole-number ticks.
        xaxis = nice_axis(xmin, xmax, ((xmax - xmin) as usize).clamp(1, 8));
    }
    let ends = EndLabels::of(c, lang, dec)?;
    let plot = Plot {
        x0: MARGIN + tick_w(&yaxis, lang)? + 10.0,
        y0: top + 36.0,
        x1: f64::from(W) - MARGIN - ends.width - 14.0,
        y1: f64::from(H) - 58.0,
    };
    let y = value_axis_y(&mut s, plot, &yaxis, lang);
    let x = x_axis(&mut s, plot, &xaxis, lang, &c.x_axis, false)?;
    let total: usize = c.series.iter().map(|(_, p)| p.len()).sum();
    let r = match total {
        t if t > 200 => 2,
        t if t > 60 => 3,
        _ => 4,
    };
    for (i, (_, p)) in c.series.iter().enumerate() {
        series(&mut s, p, (x, y), series_color(i), r);
    }
    ends.draw(&mut s, (x, y), plot);
    Ok(s)
}

/// Some series, not too many nor too long, with at least one point that can
/// be drawn; returns the points that can.
fn check(c: &Lines, name: &str) -> Result<Vec<(f64, f64)>> {
    if c.series.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no lines to draw (no series)"
        )));
    }
    check_count(name, c.series.len(), "series", MAX_SERIES)?;
    if let Some((s, p)) = c.series.iter().find(|(_, p)| p.len() > MAX_POINTS) {
        return Err(usage(format!(
            "chart \"{name}\": series \"{s}\" has {} points (at most {MAX_POINTS})",
            p.len()
        )));
    }
    let pts: Vec<(f64, f64)> = c
        .series
        .iter()
        .flat_map(|(_, p)| p.iter().filter(ok).copied())
        .collect();
    if pts.is_empty() {
        return Err(usage(format!(
            "chart \"{name}\": no point has finite x and y"
        )));
    }
    Ok(pts)
}

/// One series: runs of finite points joined, in the caller's order (a bad
/// point breaks the line), then a dot of radius `r` at every finite point.
fn series(s: &mut Scene, p: &[(f64, f64)], (x, y): (Lin, Lin), color: RGBColor, r: u32) {
    let mut run: Vec<(f64, f64)> = Vec::new();
    for q in p.iter().map(Some).chain(std::iter::once(None)) {
        match q.filter(ok) {
            Some(q) => run.push((x.at(q.0), y.at(q.1))),
            None => {
                if run.len() > 1 {
                    s.line(&run, color, 2);
                }
                run.clear();
            }
        }
    }
    for q in p.iter().filter(ok) {
        s.circle((x.at(q.0), y.at(q.1)), r, color, true);
    }
}

/// The last value of each line written after its last finite point.
struct EndLabels {
    font: Font,
    /// (series, last point, label)
    ends: Vec<(usize, (f64, f64), String)>,
    /// The widest label.
    width: f64,
}

impl EndLabels {
    fn of(c: &Lines, lang: Lang, dec: usize) -> Result<EndLabels> {
        let font = Font::new(14.0);
        let mut ends = Vec::new();
        for (i, (_, p)) in c.series.iter().enumerate() {
            if let Some(last) = p.iter().filter(ok).max_by(|a, b| a.0.total_cmp(&b.0)) {
                ends.push((i, *last, lang.pct(last.1, dec)));
            }
        }
        let labels: Vec<&str> = ends.iter().map(|e| e.2.as_str()).collect();
        let width = widest(&labels, font)?;
        Ok(EndLabels { font, ends, width })
    }

    /// The labels, moved apart so they do not overlap, then kept in the plot.
    fn draw(self, s: &mut Scene, (x, y): (Lin, Lin), plot: Plot) {
        let gap = self.font.line();
        let mut placed: Vec<(f64, usize, String, f64)> = self
            .ends
            .into_iter()
            .map(|(i, (px, py), l)| (y.at(py), i, l, x.at(px)))
            .collect();
        placed.sort_by(|a, b| a.0.total_cmp(&b.0));
        for k in 1..placed.len() {
            if placed[k].0 < placed[k - 1].0 + gap {
                placed[k].0 = placed[k - 1].0 + gap;
            }
        }
        if let Some(last) = placed.last() {
            let over = last.0 - plot.y1;
            if over > 0.0 {
                for p in &mut placed {
                    p.0 -= over;
                }
            }
        }
        for (ly, i, l, px) in placed {
            let color = series_color(i);
            let ink = if ink_on(color) == INK { INK } else { color };
            let at = (px + 8.0, ly);
            s.text(&l, at, self.font, ink, HPos::Left, VPos::Center);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use crate::i18n::Lang;

    fn sensitivity() -> Lines {
        let k = [10.0, 20.0, 30.0, 40.0, 50.0];
        Lines {
            title: "Độ nhạy theo ngưỡng k: tỷ lệ nghèo đa chiều H".into(),
            x_axis: "Ngưỡng k (% tổng trọng số)".into(),
            y_axis: "H (%)".into(),
            series: vec![
                (
                    "2020".into(),
                    k.iter()
                        .zip([24.0, 15.5, 8.2, 3.1, 1.0])
                        .map(|(a, b)| (*a, b))
                        .collect(),
                ),
                (
                    "2023".into(),
                    k.iter()
                        .zip([20.5, 12.0, 6.4, 2.3, 1.9])
                        .map(|(a, b)| (*a, b))
                        .collect(),
                ),
            ],
            caveats: crate::chart::Caveats::default(),
        }
    }

    #[test]
    fn lines_count_points_values_and_language() {
        let chart = Chart::Lines(sensitivity());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Độ nhạy theo ngưỡng k: tỷ lệ nghèo đa chiều H"));
        // One filled circle per point; the legend uses short lines, not circles.
        assert_eq!(tags(&vi, "circle"), 10);
        assert_eq!(count(&vi, "circle", "#0072B2"), 5);
        // Last values at the ends of the lines (max ≥ 10 → one decimal).
        assert!(has(&vi, "1,0 %") && has(&vi, "1,9 %"));
        let en = svg(&chart, Lang::En).unwrap();
        assert!(has(&en, "1.0%") && has(&en, "1.9%"));
        let png = png(&chart, Lang::Vi).unwrap();
        assert!(is_png(&png));
        keep("lines.png", &png);
    }

    #[test]
    fn lines_skip_nan_and_reject_empty() {
        let mut c = sensitivity();
        c.series[0].1[2].1 = f64::NAN;
        c.series[1].1[4].0 = f64::INFINITY;
        let out = svg(&Chart::Lines(c.clone()), Lang::Vi).unwrap();
        assert_eq!(tags(&out, "circle"), 8);
        assert!(
            has(&out, "2,3 %"),
            "the last finite point of 2023 is labelled"
        );
        assert!(is_png(&png(&Chart::Lines(c), Lang::Vi).unwrap()));
        let mut c = sensitivity();
        c.series.clear();
        let e = svg(&Chart::Lines(c), Lang::Vi).unwrap_err().to_string();
        assert!(e.contains("no lines"), "{e}");
        let mut c = sensitivity();
        c.series = vec![("x".into(), vec![(f64::NAN, 1.0)])];
        assert!(svg(&Chart::Lines(c), Lang::Vi).is_err());
        // A single point, all zeros.
        let mut c = sensitivity();
        c.series = vec![("x".into(), vec![(5.0, 0.0)])];
        let out = svg(&Chart::Lines(c), Lang::En).unwrap();
        assert_eq!(tags(&out, "circle"), 1);
        assert!(has(&out, "0.00%"));
    }
}
