//! Small cells in the comparison tables (see `export::cells`): a group's
//! transitions rest on the households it has in either year, and a rate
//! change on both years' estimates, so a change is blank when either year's
//! rate is.

use crate::export::cells::{ints, CellRule};
use crate::export::Frame;
use std::collections::HashMap;

/// Columns of the transition tables that name a row, never blanked.
const KEYS: [&str; 9] = [
    "from_year",
    "to_year",
    "level",
    "code",
    "name",
    "class_from",
    "class_to",
    "standard_from",
    "standard_to",
];

/// Flag (and blank) the groups of the transition tables with fewer
/// households, in either year, than the minimum.
pub fn apply_transitions(rule: &CellRule, matrix: &mut Frame, summary: &mut Frame) {
    let [both, appeared, gone] =
        ["in_both_years", "appeared", "disappeared"].map(|c| ints(summary, c));
    let base: Vec<Option<i64>> = (0..summary.rows())
        .map(|r| Some(both[r]? + appeared[r]? + gone[r]?))
        .collect();
    let code = |f: &Frame, r: usize| f.cell_named("code", r);
    let of_group: HashMap<String, Option<i64>> = (0..summary.rows())
        .map(|r| (code(summary, r), base[r]))
        .collect();
    let matrix_base: Vec<Option<i64>> = (0..matrix.rows())
        .map(|r| of_group.get(&code(matrix, r)).copied().flatten())
        .collect();
    rule.apply(summary, &base, &KEYS);
    rule.apply(matrix, &matrix_base, &KEYS);
}

/// Flag (and blank) the rows of the rate-change table marked small.
pub fn apply_rates(rule: &CellRule, rates: &mut Frame, small: &[bool]) {
    let mut keep = KEYS.to_vec();
    keep.extend(["rate", "comparable", "note"]);
    rule.apply_rows(rates, small, &keep);
}
