//! Tables as people read them, from a level's rates table: one year's
//! rows with the total first and the units by poor rate, highest first;
//! and the years as columns (units down, each year's poor rate and number
//! of poor households across). The long table of every year and unit,
//! stacked, stays in the data files (`out/tables`).

use crate::export::{Column, Frame};
use crate::i18n::Lang;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// Is row `r` a total row (`level` = `total`, the run's whole scope)?
pub fn is_total(f: &Frame, r: usize) -> bool {
    f.cell_named("level", r) == crate::measure::Level::Total.name()
}

/// The order people read rows in: each year's (ascending) total row
/// first, then its units by poor rate, highest first (a unit without a
/// rate last), then by code; rows of no year keep their place after.
pub fn reading_order(f: &Frame) -> Vec<usize> {
    let mut order: Vec<usize> = (0..f.rows()).collect();
    let year = |r: usize| match f.column("survey_year") {
        Some(Column::Int(v)) => v.get(r).copied().flatten(),
        _ => None,
    };
    order.sort_by(|&a, &b| {
        (year(a).is_none(), year(a))
            .cmp(&(year(b).is_none(), year(b)))
            .then(is_total(f, b).cmp(&is_total(f, a)))
            .then(by_rate(f.float("poor_pct", a), f.float("poor_pct", b)))
            .then(f.cell_named("code", a).cmp(&f.cell_named("code", b)))
    });
    order
}

/// Highest rate first, no rate last.
fn by_rate(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The rows of `f` in the order given.
pub fn take(f: &Frame, order: &[usize]) -> Frame {
    let pick = |c: &Column| match c {
        Column::Int(v) => Column::Int(order.iter().map(|&r| v.get(r).copied().flatten()).collect()),
        Column::Float(v) => {
            Column::Float(order.iter().map(|&r| v.get(r).copied().flatten()).collect())
        }
        Column::Str(v) => Column::Str(order.iter().map(|&r| v.get(r).cloned().flatten()).collect()),
    };
    Frame {
        names: f.names.clone(),
        columns: f.columns.iter().map(pick).collect(),
    }
}

/// `f` without the columns that hold no value (a class or path the
/// year's standard does not define).
pub fn without_empty(f: &Frame) -> Frame {
    let mut out = Frame::default();
    for (name, col) in f.names.iter().zip(&f.columns) {
        let any = match col {
            Column::Int(v) => v.iter().any(Option::is_some),
            Column::Float(v) => v.iter().any(|x| x.is_some_and(f64::is_finite)),
            Column::Str(v) => v.iter().any(Option::is_some),
        };
        if any {
            out.push(name, col.clone());
        }
    }
    out
}

/// One year's rows of `rates`, in reading order.
pub fn one_year(rates: &Frame, year: i64) -> Frame {
    let y = year.to_string();
    let f = rates.filter_rows(|r| rates.cell_named("survey_year", r) == y);
    take(&f, &reading_order(&f))
}

/// The headers of a year's columns: its poor rate, its number of poor
/// households ("2022 · %", "2022 · hộ"). The rate's ends with "%", which
/// makes it a percentage to the report and the workbook (`labels::kind`).
pub fn year_headers(year: i64, lang: Lang) -> (String, String) {
    (
        format!("{year} · %"),
        format!("{year} · {}", lang.t("hộ", "households")),
    )
}

/// A unit of the years-as-columns table: not the total (the total sorts
/// first), and its code.
type Key = (bool, String);
/// A year's poor rate and number of poor households.
type Values = (Option<f64>, Option<f64>);
/// A unit's level, name and each year's values.
type Unit = (String, String, BTreeMap<i64, Values>);

/// The years as columns: a row per unit of `rates` (its `level`, `code`
/// and `name`, the name as the last year has it), each of `years` as two
/// columns, poor rate and number of poor households (see
/// [`year_headers`]); a unit without a row in a year has no value there.
/// The total row first, then the units by the last year's poor rate,
/// highest first.
pub fn years_across(rates: &Frame, years: &[i64], lang: Lang) -> Frame {
    let mut units: BTreeMap<Key, Unit> = BTreeMap::new();
    for r in 0..rates.rows() {
        let Ok(year) = rates.cell_named("survey_year", r).parse::<i64>() else {
            continue;
        };
        if !years.contains(&year) {
            continue;
        }
        let key = (!is_total(rates, r), rates.cell_named("code", r));
        let u = units.entry(key).or_default();
        // Years come in any order: the name of the latest wins.
        if u.2.keys().all(|y| *y < year) {
            u.0 = rates.cell_named("level", r);
            u.1 = rates.cell_named("name", r);
        }
        let values = (rates.float("poor_pct", r), rates.float("poor", r));
        u.2.insert(year, values);
    }
    let last = years.iter().max().copied();
    let rate = |u: &Unit| last.and_then(|y| u.2.get(&y)).and_then(|v| v.0);
    let mut rows: Vec<(Key, Unit)> = units.into_iter().collect();
    rows.sort_by(|(ka, a), (kb, b)| {
        (ka.0.cmp(&kb.0))
            .then(by_rate(rate(a), rate(b)))
            .then(ka.1.cmp(&kb.1))
    });
    let text = |get: &dyn Fn(&(Key, Unit)) -> String| {
        Column::Str(rows.iter().map(|u| Some(get(u))).collect())
    };
    let mut out = Frame::default();
    out.push("level", text(&|u| u.1 .0.clone()));
    out.push("code", text(&|u| u.0 .1.clone()));
    out.push("name", text(&|u| u.1 .1.clone()));
    for &y in years {
        let (pct, count) = year_headers(y, lang);
        let value = |k: fn(&Values) -> Option<f64>| {
            Column::Float(rows.iter().map(|u| u.1 .2.get(&y).and_then(k)).collect())
        };
        out.push(&pct, value(|v| v.0));
        out.push(&count, value(|v| v.1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two years of a total and three provinces, the rows in code order.
    fn rates() -> Frame {
        let mut f = Frame::default();
        let years = [2021, 2021, 2021, 2021, 2022, 2022, 2022, 2022];
        f.push(
            "survey_year",
            Column::Int(years.iter().map(|y| Some(*y)).collect()),
        );
        let level = ["province", "province", "total", "province"];
        f.push(
            "level",
            Column::Str(
                level
                    .iter()
                    .chain(&level)
                    .map(|l| Some(l.to_string()))
                    .collect(),
            ),
        );
        let code = ["01", "02", "VN", "03"];
        f.push(
            "code",
            Column::Str(
                code.iter()
                    .chain(&code)
                    .map(|c| Some(c.to_string()))
                    .collect(),
            ),
        );
        let name = ["Hà Nội", "Hà Giang", "Tổng", "Cao Bằng"];
        f.push(
            "name",
            Column::Str(
                name.iter()
                    .chain(&name)
                    .map(|n| Some(n.to_string()))
                    .collect(),
            ),
        );
        let pct = [1.0, 9.5, 4.0, 9.5, 0.5, 12.0, 5.0, f64::NAN];
        f.push(
            "poor_pct",
            Column::Float(pct.iter().map(|v| Some(*v)).collect()),
        );
        f.push(
            "poor",
            Column::Float(pct.iter().map(|v| Some(v * 10.0)).collect()),
        );
        f
    }

    fn names(f: &Frame) -> Vec<String> {
        (0..f.rows()).map(|r| f.cell_named("name", r)).collect()
    }

    #[test]
    fn a_year_reads_total_first_then_by_poor_rate() {
        let f = one_year(&rates(), 2021);
        // 9,5 % twice: by code; then 1 %.
        assert_eq!(names(&f), ["Tổng", "Hà Giang", "Cao Bằng", "Hà Nội"]);
        let f = one_year(&rates(), 2022);
        assert_eq!(
            names(&f),
            ["Tổng", "Hà Giang", "Hà Nội", "Cao Bằng"],
            "a unit without a rate (NaN) last"
        );
        let all = take(&rates(), &reading_order(&rates()));
        assert_eq!(all.cell_named("name", 0), "Tổng");
        assert_eq!(all.cell_named("survey_year", 0), "2021");
        assert_eq!(all.cell_named("name", 4), "Tổng");
        assert_eq!(all.cell_named("survey_year", 4), "2022");
    }

    #[test]
    fn years_across_hold_the_rates_tables_values() {
        let r = rates();
        let f = years_across(&r, &[2021, 2022], Lang::Vi);
        assert_eq!(
            f.names,
            [
                "level",
                "code",
                "name",
                "2021 · %",
                "2021 · hộ",
                "2022 · %",
                "2022 · hộ"
            ]
        );
        assert_eq!(names(&f), ["Tổng", "Hà Giang", "Hà Nội", "Cao Bằng"]);
        // Every value is the rates table's, at its year and code.
        for row in 0..f.rows() {
            let code = f.cell_named("code", row);
            for y in [2021, 2022] {
                let src = (0..r.rows())
                    .find(|&i| {
                        r.cell_named("code", i) == code
                            && r.cell_named("survey_year", i) == y.to_string()
                    })
                    .unwrap();
                let (pct, count) = year_headers(y, Lang::Vi);
                assert_eq!(f.float(&pct, row), r.float("poor_pct", src), "{code} {y}");
                assert_eq!(f.float(&count, row), r.float("poor", src), "{code} {y}");
            }
        }
        let mut g = r.clone();
        g.push("poor_income_pct", Column::Float(vec![None; 8]));
        assert_eq!(without_empty(&g).names, r.names);
        let en = years_across(&r, &[2022], Lang::En);
        assert_eq!(en.names[3..], ["2022 · %", "2022 · households"]);
    }
}
