//! Vertical grouped bars: one group per category (indicator), a bar per
//! series, the value above each bar and the category's name under its
//! group, wrapped at spaces only; where a word does not fit the group's
//! width, every name is written upwards instead (never split inside a word).

use super::layout::*;
use super::style::*;
use super::GroupedBars;
use crate::error::Result;
use crate::i18n::Lang;
use plotters::style::text_anchor::{HPos, VPos};

pub(crate) fn grouped(c: &GroupedBars, lang: Lang) -> Result<Scene> {
    let name = clean(&c.title);
    check(c, &name)?;
    let (ns, nc) = (c.series.len(), c.categories.len());
    let max = c.values.iter().flatten().copied().fold(0.0, f64::max);
    let dec = decimals(max);

    let mut s = Scene::new(W, H);
    let top = heading(
        &mut s,
        &c.title,
        &series_legend(&c.series, &c.classes, Swatch::Square),
    )?;
    axis_title_above(&mut s, &c.axis, top)?;
    // Left edge from the widest tick label of a first guess at the axis.
    let guess = nice_axis(0.0, max * 1.15, 6);
    let x0 = MARGIN + tick_w(&guess, lang)? + 10.0;
    let x1 = f64::from(W) - MARGIN;
    let band = (x1 - x0) / nc as f64;
    let cats = Categories::lay_out(&c.categories, band)?;
    let plot = Plot {
        x0,
        y0: top + 34.0,
        x1,
        y1: f64::from(H) - MARGIN - cats.height - 8.0,
    };

    let labels = value_labels(c, lang, dec);
    let vals = ValueFont::choose(&labels, band / ns as f64 - 2.0)?;
    let axis = nice_axis(0.0, axis_top(max, plot, vals.need()), 6);
    let y = value_axis_y(&mut s, plot, &axis, lang);
    for (j, lines) in cats.lines.iter().enumerate() {
        cats.draw(
            &mut s,
            lines,
            plot.x0 + band * (j as f64 + 0.5),
            plot.y1 + 6.0,
        );
    }
    let group = band * 0.8;
    let bar_w = group / ns as f64;
    for (i, row) in c.values.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            let left = plot.x0 + band * j as f64 + (band - group) / 2.0 + bar_w * i as f64;
            let (a, b) = (left + 1.0, left + bar_w - 1.0);
            bar(&mut s, (a, b), *v, color_of(&c.classes, i), y);
            let top = y.at(if v.is_nan() { 0.0 } else { *v });
            vals.draw(&mut s, &labels[i][j], (a + b) / 2.0, top);
        }
    }
    Ok(s)
}

/// Bars to draw, a row of values per series and a value per category, each
/// finite and ≥ 0 or NaN (undefined).
fn check(c: &GroupedBars, name: &str) -> Result<()> {
    let (ns, nc) = (c.series.len(), c.categories.len());
    if nc == 0 || ns == 0 {
        return Err(usage(format!(
            "chart \"{name}\": no bars to draw ({nc} categories, {ns} series)"
        )));
    }
    check_count(name, nc * ns, "bars", MAX_ROWS)?;
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
            check_value(name, &format!("series \"{sname}\", category \"{cat}\""), *v)?;
        }
    }
    Ok(())
}

/// The category names under the groups: wrapped at spaces, across (at 14
/// px, on up to 3 lines) when every word fits the group's width, else
/// upwards (lines side by side, as many as the width holds).
struct Categories {
    lines: Vec<Vec<String>>,
    font: Font,
    upwards: bool,
    /// Height the names take under the plot.
    height: f64,
}

impl Categories {
    fn lay_out(categories: &[String], band: f64) -> Result<Categories> {
        let font = Font::new(14.0);
        let room = band - 6.0;
        let mut words_fit = true;
        for w in categories.iter().flat_map(|c| c.split_whitespace()) {
            words_fit &= text_w(w, font)? <= room;
        }
        if words_fit {
            let lines: Vec<Vec<String>> = (categories.iter())
                .map(|t| wrap_even(t, room, font, 3))
                .collect::<Result<_>>()?;
            let n = lines.iter().map(Vec::len).max().unwrap_or(1) as f64;
            return Ok(Categories {
                lines,
                font,
                upwards: false,
                height: n * font.line(),
            });
        }
        // Upwards: as many lines as fit side by side, each up to 150 px long.
        let per = ((room / font.line()).floor() as usize).clamp(1, 3);
        let lines: Vec<Vec<String>> = (categories.iter())
            .map(|t| wrap_even(t, 150.0, font, per))
            .collect::<Result<_>>()?;
        let mut height: f64 = 0.0;
        for l in &lines {
            height = height.max(widest(l, font)?);
        }
        Ok(Categories {
            lines,
            font,
            upwards: true,
            height: height + 4.0,
        })
    }

    /// One category's lines centred on `cx`, from `top` down.
    fn draw(&self, s: &mut Scene, lines: &[String], cx: f64, top: f64) {
        let f = self.font;
        let n = lines.len() as f64;
        for (k, l) in lines.iter().enumerate() {
            if self.upwards {
                // Read bottom to top, ending at the plot; the lines side by side.
                let x = cx + (k as f64 - (n - 1.0) / 2.0) * f.line();
                s.vtext(l, (x, top), f, INK, HPos::Right);
            } else {
                let y = top + k as f64 * f.line();
                s.text(l, (cx, y), f, INK, HPos::Center, VPos::Top);
            }
        }
    }
}

/// `labels[series][category]`: the value, or "–" where it is undefined.
fn value_labels(c: &GroupedBars, lang: Lang, dec: usize) -> Vec<Vec<String>> {
    c.values
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| match v.is_nan() {
                    true => "–".to_string(),
                    false => lang.pct(*v, dec),
                })
                .collect()
        })
        .collect()
}

/// How the value labels are written: horizontal above the bar at 14 px
/// if they fit the bar's `room`, else read upwards.
struct ValueFont {
    font: Font,
    widest: f64,
    vertical: bool,
}

impl ValueFont {
    fn choose(labels: &[Vec<String>], room: f64) -> Result<ValueFont> {
        let all: Vec<&String> = labels.iter().flatten().collect();
        let mut v = ValueFont {
            font: Font::new(14.0),
            widest: 0.0,
            vertical: true,
        };
        for size in [14.0] {
            v.font = Font::new(size);
            v.widest = widest(&all, v.font)?;
            if v.widest <= room {
                v.vertical = false;
                break;
            }
        }
        Ok(v)
    }

    /// Height the labels need above the tallest bar.
    fn need(&self) -> f64 {
        if self.vertical {
            self.widest + 8.0
        } else {
            self.font.line() + 4.0
        }
    }

    /// A bar's label centred on `cx`, just above `top`.
    fn draw(&self, s: &mut Scene, label: &str, cx: f64, top: f64) {
        if self.vertical {
            s.vtext(label, (cx, top - 4.0), self.font, INK, HPos::Left);
        } else {
            let at = (cx, top - 3.0);
            s.text(label, at, self.font, INK, HPos::Center, VPos::Bottom);
        }
    }
}

/// The top of the value axis: `max`, raised so that `need` px of the plot
/// stay free above the tallest bar for its label.
fn axis_top(max: f64, plot: Plot, need: f64) -> f64 {
    let plot_h = (plot.y1 - plot.y0).max(1.0);
    if plot_h > need * 1.5 {
        max * plot_h / (plot_h - need)
    } else {
        max * 2.0
    }
}

/// A bar from `a` to `b` rising to `v` (none for 0 or an undefined value).
fn bar(s: &mut Scene, (a, b): (f64, f64), v: f64, color: plotters::style::RGBColor, y: Lin) {
    if v > 0.0 {
        let top = y.at(v);
        s.rect(a, top, b.max(a + 1.0), y.at(0.0), color);
    }
}
#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::super::*;
    use crate::i18n::Lang;

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
            classes: Vec::new(),
            caveats: crate::chart::Caveats::default(),
        }
    }

    #[test]
    fn grouped_bars_count_values_and_language() {
        let chart = Chart::Grouped(indicators());
        let vi = svg(&chart, Lang::Vi).unwrap();
        assert!(vi.contains("Tỷ lệ hộ thiếu hụt theo chỉ số, 2023"));
        assert_eq!(count(&vi, "rect", "#0072B2"), 12 + 1);
        assert_eq!(count(&vi, "rect", "#56B4E9"), 12 + 1);
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
            classes: Vec::new(),
            caveats: crate::chart::Caveats::default(),
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
        assert_eq!(count(&out, "rect", "#56B4E9"), 11 + 1, "one bar fewer");
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
