//! Small cells, in the tables: `--min-cell N` flags every published figure resting on fewer
//! than N households, and `--suppress` blanks it, in every table the same
//! way — rates, indicators, estimates, comparisons, the report, the
//! workbook and the charts — so a commune of 6 households with 1 poor
//! cannot be read off one table when another hides it. A flag column says
//! why a cell is blank. (Households listed for follow-up are not a
//! statistical table: that list is for the commune officer.)

use crate::export::{Column, Frame};
pub use crate::measure::cells::{CellRule, SMALL, SUPPRESSED};

/// The column saying why a row's figures are flagged or blank.
pub const FLAG_COLUMN: &str = "cell_flags";

impl CellRule {
    /// Flag the rows whose households (`base`; None: not a cell) are fewer
    /// than the minimum and, with `suppress`, blank every column not in
    /// `keep` there. Adds the flag column; returns the rows flagged.
    pub fn apply(&self, f: &mut Frame, base: &[Option<i64>], keep: &[&str]) -> usize {
        let small: Vec<bool> = base
            .iter()
            .map(|n| n.is_some_and(|n| self.is_small(n)))
            .collect();
        self.apply_rows(f, &small, keep)
    }

    /// As `apply`, for rows already known small.
    pub fn apply_rows(&self, f: &mut Frame, small: &[bool], keep: &[&str]) -> usize {
        let flag = if self.suppress {
            format!("{SMALL},{SUPPRESSED}")
        } else {
            SMALL.to_string()
        };
        if self.suppress {
            for (name, col) in f.names.iter().zip(f.columns.iter_mut()) {
                if keep.contains(&name.as_str()) {
                    continue;
                }
                for (r, _) in small.iter().enumerate().filter(|(_, s)| **s) {
                    match col {
                        Column::Int(v) => v[r] = None,
                        Column::Float(v) => v[r] = None,
                        Column::Str(v) => v[r] = None,
                    }
                }
            }
        }
        let flags: Vec<Option<String>> = small.iter().map(|s| s.then(|| flag.clone())).collect();
        f.push(FLAG_COLUMN, Column::Str(flags));
        small.iter().filter(|s| **s).count()
    }
}

/// The key columns of the rate and indicator tables, never blanked.
const KEYS: [&str; 5] = ["survey_year", "standard", "level", "code", "name"];
/// The columns naming a group (its name follows from them).
const GROUP: [&str; 4] = ["survey_year", "standard", "level", "code"];

/// Flag (and blank) the small cells of a level's rate and indicator
/// tables: a group's figures rest on its `households`. Returns the rows flagged.
pub fn apply_level(rule: &CellRule, t: &mut super::tables::LevelTables) -> usize {
    let base = ints(&t.rates, "households");
    let key = |f: &Frame, r: usize| GROUP.map(|c| f.cell_named(c, r));
    let of_group: std::collections::HashMap<[String; 4], Option<i64>> = (0..t.rates.rows())
        .map(|r| (key(&t.rates, r), base[r]))
        .collect();
    let ind_base: Vec<Option<i64>> = (0..t.indicators.rows())
        .map(|r| of_group.get(&key(&t.indicators, r)).copied().flatten())
        .collect();
    let mut keep = KEYS.to_vec();
    keep.extend(["households", "af_k"]);
    let n = rule.apply(&mut t.rates, &base, &keep);
    keep.push("indicator");
    n + rule.apply(&mut t.indicators, &ind_base, &keep)
}

/// Whether row `r` is flagged small (in the flag column, which the
/// estimates share).
pub fn is_small(f: &Frame, r: usize) -> bool {
    match f.column(FLAG_COLUMN) {
        Some(Column::Str(v)) => v[r]
            .as_deref()
            .is_some_and(|s| s.split(',').any(|x| x == SMALL)),
        _ => false,
    }
}

/// The rows of a table flagged small.
pub fn count_small(f: &Frame) -> usize {
    (0..f.rows()).filter(|&r| is_small(f, r)).count()
}

/// An integer column's values (None where absent or not integers).
pub fn ints(f: &Frame, name: &str) -> Vec<Option<i64>> {
    match f.column(name) {
        Some(Column::Int(v)) => v.clone(),
        _ => vec![None; f.rows()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Frame {
        let mut f = Frame::default();
        f.push(
            "code",
            Column::Str(vec![Some("a".into()), Some("b".into())]),
        );
        f.push("households", Column::Int(vec![Some(6), Some(80)]));
        f.push("poor_pct", Column::Float(vec![Some(16.67), Some(2.5)]));
        f
    }

    #[test]
    fn suppress_blanks_every_figure_of_a_small_row_and_says_why() {
        let mut f = table();
        let rule = CellRule::of(Some(50), true).unwrap();
        let base = ints(&f, "households");
        let n = rule.apply(&mut f, &base, &["code", "households"]);
        assert_eq!(n, 1);
        assert_eq!(
            f.column("poor_pct"),
            Some(&Column::Float(vec![None, Some(2.5)]))
        );
        assert_eq!(
            f.column("households"),
            Some(&Column::Int(vec![Some(6), Some(80)]))
        );
        assert_eq!(
            f.column(FLAG_COLUMN),
            Some(&Column::Str(vec![
                Some("small_cell,suppressed".into()),
                None
            ]))
        );
        assert_eq!(count_small(&f), 1);
    }

    #[test]
    fn without_suppress_figures_stay_and_are_flagged() {
        let mut f = table();
        let rule = CellRule::of(Some(50), false).unwrap();
        let base = ints(&f, "households");
        rule.apply(&mut f, &base, &[]);
        assert_eq!(f.column("poor_pct"), table().column("poor_pct"));
        assert_eq!(count_small(&f), 1);
    }
}
