//! One row's cells judged: validated (`row`), checked against the survey
//! years that can be scored, and accepted or rejected with every problem.
//! The same judgement whoever takes the row: the ingest itself, row by row
//! (workbooks, Parquet, rows that waited for their column, `grouping`), or
//! a block of a CSV file on a worker thread (`block`).

use super::header::{TableHeader, Target};
use super::read::RawCell;
use super::row::{validate_row, Problem, Row};
use super::stream::{HouseholdKey, Loc};
use super::SurveyYears;
use crate::error::Result;
use crate::schema::TableKind;

/// Where judged rows go.
pub trait Rows {
    /// A valid row with its key: into the table's rows.
    fn accept(&mut self, loc: Loc, row: Row) -> Result<()>;
    /// A rejected row, with every problem (at least one).
    fn reject(&mut self, loc: Loc, problems: Vec<Problem>);
    /// A rejected household row whose key could be read.
    fn rejected_household(&mut self, key: HouseholdKey, loc: Loc);
    /// A rejected member row whose household key could be read.
    fn rejected_member(&mut self, key: HouseholdKey, loc: Loc, member_id: Option<String>);
}

/// Validate one row's cells and accept or reject it; whether accepted.
pub fn judge(
    out: &mut impl Rows,
    table: &TableHeader,
    years: Option<&SurveyYears>,
    loc: Loc,
    cells: &[RawCell],
) -> Result<bool> {
    let kind = table.kind;
    let (row, mut problems) = validate_row(kind, &table.header, &table.targets, cells);
    let year = row.int(kind, "survey_year");
    if let Some((y, why)) = year.zip(years).and_then(|(y, ys)| Some((y, ys.refuse(y)?))) {
        let column = (table.header.iter().zip(&table.targets))
            .find(|(_, t)| matches!(t, Target::Contract(c, _) if c.name == "survey_year"))
            .map_or("survey_year".into(), |(h, _)| h.clone());
        // The year is the row's first problem: what else is wrong with
        // it (its codes' scheme) follows from the year.
        problems.insert(0, (column, y.to_string(), why));
    }
    let id = row.str(kind, "household_id");
    let member_id = row.str(kind, "member_id");
    let has_id = kind == TableKind::Households || member_id.is_some();
    if year.is_some() && id.is_some() && has_id && problems.is_empty() {
        out.accept(loc, row)?;
        return Ok(true);
    }
    if let (Some(y), Some(id)) = (year, id) {
        let k = (y as i32, id.to_string());
        match kind {
            TableKind::Households => out.rejected_household(k, loc),
            TableKind::Members => out.rejected_member(k, loc, member_id.map(str::to_string)),
        }
    }
    out.reject(loc, problems);
    Ok(false)
}
