//! A tile map's colour scale: class bounds from the data's range (up to 5
//! classes, as many as there are distinct values), the colour of each class
//! and the reason a map has no honest scale.

use super::style::*;
use super::TileMap;
use crate::i18n::Lang;
use plotters::style::RGBColor;

fn round_to(v: f64, d: usize, f: fn(f64) -> f64) -> f64 {
    let m = 10f64.powi(d as i32);
    f(v * m) / m
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    let next = sorted[(i + 1).min(sorted.len() - 1)];
    sorted[i] + (next - sorted[i]) * frac
}

/// The distinct finite values (to the value labels' `d` decimals).
fn distinct(values: &[f64], d: usize) -> usize {
    let mut v: Vec<f64> = values
        .iter()
        .filter(|x| x.is_finite())
        .map(|x| round_to(*x, d, f64::round))
        .collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v.len()
}

/// Strictly increasing class bounds for the finite values: as many classes
/// as distinct values, at most 5 (quintiles, rounded), at least 2 (a single
/// value gets two, but such a map is not drawn: see [`no_scale`]).
pub(crate) fn breaks(values: &[f64], d: usize) -> Vec<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        v.push(0.0);
    }
    let k = distinct(&v, d).clamp(2, 5);
    let unit = 10f64.powi(-(d as i32));
    let lo = round_to(v[0], d, f64::floor);
    let hi = round_to(v[v.len() - 1], d, f64::ceil);
    let mut b: Vec<f64> = (0..=k)
        .map(|i| match i {
            0 => lo,
            i if i == k => hi,
            i => round_to(quantile(&v, i as f64 / k as f64), d, f64::round),
        })
        .collect();
    if b.windows(2).all(|w| w[1] > w[0]) {
        return b;
    }
    // Quantiles that coincide: equal steps of at least one unit.
    let step = round_to(((hi - lo) / k as f64).max(unit), d, f64::ceil).max(unit);
    b = (0..=k).map(|i| lo + step * i as f64).collect();
    b
}

/// The colour of class `k` of `n`: spread over the 5-step scale.
pub(crate) fn class_color(k: usize, n: usize) -> RGBColor {
    let at = if n <= 1 {
        4
    } else {
        (k * 4 + (n - 1) / 2) / (n - 1)
    };
    SEQ5[at.min(4)]
}

pub(crate) fn class_of(v: f64, b: &[f64]) -> usize {
    let n = b.len() - 1;
    (1..n).filter(|&k| v >= b[k]).max().unwrap_or(0)
}

/// Why the map has no honest scale (fewer than two distinct values among
/// the units with data), in the language; None when it has one.
pub(crate) fn no_scale(c: &TileMap, lang: Lang) -> Option<String> {
    let finite: Vec<f64> = c.tiles.iter().filter_map(value).collect();
    let dec = decimals(finite.iter().fold(0.0f64, |a, v| a.max(v.abs())));
    if distinct(&finite, dec) >= 2 {
        return None;
    }
    let n = finite.len();
    let name = clean(&c.title);
    Some(match (lang, finite.first()) {
        (Lang::Vi, None) => format!("Bản đồ \"{name}\" không được vẽ: không đơn vị nào có số liệu."),
        (Lang::En, None) => format!("The map \"{name}\" is not drawn: no unit has data."),
        (Lang::Vi, Some(v)) => format!(
            "Bản đồ \"{name}\" không được vẽ: {n} đơn vị có số liệu, cùng một giá trị ({}); thang màu sẽ gây hiểu nhầm.",
            lang.pct(*v, dec)
        ),
        (Lang::En, Some(v)) => format!(
            "The map \"{name}\" is not drawn: {n} unit(s) with data, all of one value ({}); a colour scale would mislead.",
            lang.pct(*v, dec)
        ),
    })
}

/// A tile's value, if it has a finite one.
pub(crate) fn value(t: &super::Tile) -> Option<f64> {
    t.value.filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_many_classes_as_distinct_values_up_to_five() {
        let b = breaks(&[5.0, 5.0, 5.0], 2);
        assert!(b.windows(2).all(|w| w[1] > w[0]), "{b:?}");
        let b = breaks(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 1);
        assert_eq!(b.len(), 6);
        assert_eq!((b[0], b[5]), (1.0, 10.0));
        assert_eq!(class_of(1.0, &b), 0);
        assert_eq!(class_of(10.0, &b), 4);
        // Two values: two classes, the lower light and the higher dark.
        let b = breaks(&[1.5, 3.25], 2);
        assert_eq!(b.len(), 3, "{b:?}");
        assert_eq!((b[0], b[2]), (1.5, 3.25));
        assert_eq!((class_of(1.5, &b), class_of(3.25, &b)), (0, 1));
        assert_eq!((class_color(0, 2), class_color(1, 2)), (SEQ5[0], SEQ5[4]));
        let b = breaks(&[1.0, 2.0, 2.0, 9.0], 2);
        assert_eq!(b.len(), 4, "three values, three classes: {b:?}");
        assert_eq!(
            (0..3).map(|k| class_color(k, 3)).collect::<Vec<_>>(),
            [SEQ5[0], SEQ5[2], SEQ5[4]]
        );
    }
}
