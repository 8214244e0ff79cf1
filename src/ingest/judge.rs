//! One row's cells judged: validated (`row`), checked against the survey
//! years that can be scored, and accepted or rejected with every problem.
//! The same judgement whoever takes the row: the ingest itself, row by row
//! (workbooks, Parquet, rows that waited for their column, `grouping`), or
//! a block of a CSV file on a worker thread (`block`).
//!
//! A row's values go straight into the builder of the accepted rows as
//! they are validated; a rejected row is then discarded from it, so the
//! builder is as if the row never came.

use super::build::{Storage, TableBuilder};
use super::header::{TableHeader, Target};
use super::read::RawCell;
use super::row::{validate_row, Problem, Row};
use super::stream::{HouseholdKey, Loc};
use super::validate::Typed;
use super::SurveyYears;
use crate::error::Result;
use crate::schema::TableKind;
use std::collections::HashSet;

/// What the judgement keeps from row to row: the flags' and kept
/// columns' buffers, and which kept columns (by their place among the
/// table's) are known to be in `filled`.
#[derive(Default)]
pub struct Spare {
    flags: Vec<(&'static str, Typed<'static>)>,
    extras: Vec<(&'static str, Typed<'static>)>,
    noted: Vec<bool>,
}

impl Spare {
    /// The kept columns, by their place among the table's, known to be
    /// in `filled`.
    pub fn noted(&self) -> &[bool] {
        &self.noted
    }

    /// A new table: its kept columns are other ones.
    pub fn new_table(&mut self) {
        self.noted.clear();
    }
}

/// Where judged rows go.
pub trait Rows {
    /// The builder of the accepted rows (a row is written there as it is
    /// validated), the judgement's spare buffers, and the kept columns
    /// given a value by some accepted row.
    fn parts(&mut self) -> (&mut TableBuilder, &mut Spare, &mut HashSet<String>);
    /// A valid row, already in the builder, with its key.
    fn accept(&mut self, loc: Loc) -> Result<()>;
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
    let (b, spare, filled) = out.parts();
    let mut flags = std::mem::take(&mut spare.flags);
    let mut extras = std::mem::take(&mut spare.extras);
    let th = (&table.header[..], &table.targets[..]);
    let mut problems = validate_row(kind, th, cells, b, &mut flags, &mut extras);
    let row = Row { b, extras: &extras };
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
        end_row(b, &mut flags, &mut extras, &mut spare.noted, filled);
        (spare.flags, spare.extras) = (reuse(flags), reuse(extras));
        out.accept(loc)?;
        return Ok(true);
    }
    let key = year.zip(id).map(|(y, id)| (y as i32, id.to_string()));
    let member_id = member_id.map(str::to_string);
    b.discard_row();
    flags.clear();
    extras.clear();
    (spare.flags, spare.extras) = (reuse(flags), reuse(extras));
    if let Some(k) = key {
        match kind {
            TableKind::Households => out.rejected_household(k, loc),
            TableKind::Members => out.rejected_member(k, loc, member_id),
        }
    }
    out.reject(loc, problems);
    Ok(false)
}

/// An accepted row's flags and kept columns into `b` (their columns added
/// as first seen), and the row ended; the kept columns given a value are
/// noted in `filled`.
fn end_row(
    b: &mut TableBuilder,
    flags: &mut Vec<(&str, Typed)>,
    extras: &mut Vec<(&str, Typed)>,
    noted: &mut Vec<bool>,
    filled: &mut HashSet<String>,
) {
    for (name, v) in flags.drain(..) {
        let i = b.add_column(name, Storage::Bool);
        b.put(i, v);
    }
    if noted.len() < extras.len() {
        noted.resize(extras.len(), false);
    }
    for ((name, v), noted) in extras.drain(..).zip(noted.iter_mut()) {
        if !*noted && !matches!(v, Typed::Null) {
            if !filled.contains(name) {
                filled.insert(name.to_string());
            }
            *noted = true;
        }
        let i = b.add_column(name, Storage::Str);
        b.put(i, v);
    }
    b.end_row();
}

/// An emptied buffer, kept for the next row's values.
fn reuse(v: Vec<(&str, Typed)>) -> Vec<(&'static str, Typed<'static>)> {
    debug_assert!(v.is_empty());
    // Collected in place: the allocation is kept.
    v.into_iter().map(|_| unreachable!()).collect()
}
