//! The common CSV line taken whole: its fields split from the line's text
//! and written straight into the block's builder, without cells, typed
//! values or problems in between. A line is taken only when every field is
//! one of the commonest values (`validate::plain_*`) and the row passes the
//! row's own checks; then the builder holds exactly what `judge` would
//! have written. Any other line is left, the builder as before it, for the
//! general path, which finds and words what is wrong with it.

use super::build::{Storage, TableBuilder};
use super::header::{TableHeader, Target};
use super::read_csv::trimmed;
use super::row::{cross_checks, kept_yes_no, Row, EXTRA};
use super::validate::{
    plain_bool, plain_code, plain_digits, plain_float, plain_int, plain_text, within,
};
use super::SurveyYears;
use crate::schema::{self, ColType, ColumnSpec, TableKind};

/// Where a field goes.
enum Step {
    /// A contract column: its spec and its place in the builder.
    Contract(&'static ColumnSpec, usize),
    /// A `dep_*` flag: its name and, once the builder has it, its place.
    Flag(String, Option<usize>),
    /// A kept column: its spec, its place among the row's kept columns
    /// (`Spare::noted`), its name and, once the builder has it, its place.
    Extra(&'static ColumnSpec, usize, String, Option<usize>),
    Ignored,
}

/// A table's lines as the fast path takes them; `None` where it never can
/// (see `Plan::new`).
pub struct Plan {
    kind: TableKind,
    steps: Vec<Step>,
}

impl Plan {
    /// `None` when some column's values must go the general way: two flags
    /// of one name (the builder takes the first's value only) or a kept
    /// `admin_scheme` (the row's checks read it).
    pub fn new(th: &TableHeader) -> Option<Plan> {
        let mut steps = Vec::with_capacity(th.targets.len());
        let mut flags = std::collections::HashSet::new();
        let mut extras = 0;
        for t in &th.targets {
            steps.push(match t {
                Target::Contract(spec, i) => Step::Contract(spec, *i),
                Target::Flag(name) if flags.insert(name.as_str()) => Step::Flag(name.clone(), None),
                Target::Extra(name, _) if name == "admin_scheme" => return None,
                Target::Extra(name, spec) => {
                    extras += 1;
                    let spec = spec.unwrap_or(&EXTRA);
                    if !matches!(spec.ty, ColType::Bool | ColType::Code(_) | ColType::Text) {
                        return None;
                    }
                    Step::Extra(spec, extras - 1, name.clone(), None)
                }
                Target::Flag(_) => return None,
                Target::Ignored => Step::Ignored,
            });
        }
        Some(Plan {
            kind: th.kind,
            steps,
        })
    }

    /// One line (its line end left off, its fields between `d`s) into `b`
    /// as an accepted row; whether it was taken. `noted`: the kept
    /// columns, by place, already known to have a value (`Spare::noted`).
    pub fn take(
        &mut self,
        b: &mut TableBuilder,
        noted: &[bool],
        years: Option<&SurveyYears>,
        (line, d): (&str, u8),
    ) -> bool {
        let taken = self.fields(b, noted, (line, d)) && row_passes(self.kind, b, years);
        match taken {
            true => b.end_row(),
            false => b.discard_row(),
        }
        taken
    }

    /// The line's fields into the row being pushed; false at the first
    /// that is not plain, or when the line has another number of fields.
    fn fields(&mut self, b: &mut TableBuilder, noted: &[bool], (line, d): (&str, u8)) -> bool {
        let bytes = line.as_bytes();
        let last = self.steps.len().saturating_sub(1);
        let mut start = 0;
        for (k, step) in self.steps.iter_mut().enumerate() {
            // Fields are short: a plain search beats `memchr`'s set-up.
            let rest = &bytes[start..];
            let end = match (rest.iter().position(|&b| b == d), k == last) {
                (Some(n), false) => start + n,
                (None, true) => bytes.len(),
                _ => return false,
            };
            // The delimiter is one ASCII byte: fields start and end
            // between characters.
            let Some(field) = line.get(start..end) else {
                return false;
            };
            if !step.put(b, noted, trimmed(field)) {
                return false;
            }
            start = end + 1;
        }
        true
    }
}

impl Step {
    /// A field's value into its column; false when it is not plain.
    fn put(&mut self, b: &mut TableBuilder, noted: &[bool], s: &str) -> bool {
        match self {
            Step::Contract(spec, i) if s.is_empty() => {
                b.push_null(*i);
                !spec.required
            }
            Step::Contract(spec, i) => contract(b, spec, *i, s),
            Step::Flag(name, at) => {
                let Some(i) = place(b, name, at, Storage::Bool) else {
                    return false;
                };
                match s.is_empty() {
                    true => b.push_null(i),
                    false => match plain_bool(s) {
                        Some(v) => b.push_bool(i, v),
                        None => return false,
                    },
                }
                true
            }
            Step::Extra(spec, k, name, at) => {
                let Some(i) = place(b, name, at, Storage::Str) else {
                    return false;
                };
                if s.is_empty() {
                    b.push_null(i);
                    return true;
                }
                // The first value of a kept column is noted the general way.
                if !noted.get(*k).copied().unwrap_or(false) {
                    return false;
                }
                let v = match spec.ty {
                    ColType::Bool => plain_bool(s).map(kept_yes_no),
                    ColType::Code(codes) => plain_code(codes, s),
                    _ => {
                        let Some(t) = plain_text(s) else {
                            return false;
                        };
                        b.push_str(i, t);
                        return true;
                    }
                };
                v.map(|v| b.push_code(i, v)).is_some()
            }
            Step::Ignored => true,
        }
    }
}

/// A contract column's plain value (not blank) into its column, as
/// `validate::cell` reads it; false when it is not plain or out of range.
#[inline]
fn contract(b: &mut TableBuilder, spec: &ColumnSpec, i: usize, s: &str) -> bool {
    match spec.ty {
        ColType::Int => match plain_int(s) {
            Some(n) if within(spec, n as f64) => b.push_int(i, n),
            _ => return false,
        },
        ColType::Float => match plain_float(s) {
            Some(f) if within(spec, f) => b.push_float(i, f),
            _ => return false,
        },
        ColType::Bool => match plain_bool(s) {
            Some(v) => b.push_bool(i, v),
            None => return false,
        },
        ColType::Code(codes) => match plain_code(codes, s) {
            Some(c) => b.push_code(i, c),
            None => return false,
        },
        ColType::AdminCode(width) => match plain_digits(width, s) {
            Some(t) => b.push_str(i, t),
            None => return false,
        },
        ColType::Text => match plain_text(s) {
            Some(t) => b.push_str(i, t),
            None => return false,
        },
    }
    true
}

/// The builder's column `name`, looked up once it has it (the general path
/// adds it at a row that has it), when it is stored as `storage`.
fn place(b: &TableBuilder, name: &str, at: &mut Option<usize>, storage: Storage) -> Option<usize> {
    if at.is_none() {
        *at = b.find(name).filter(|&(_, s)| s == storage).map(|(i, _)| i);
    }
    *at
}

/// The row's own checks (`judge`, `cross_checks`) pass on its pending values.
fn row_passes(kind: TableKind, b: &TableBuilder, years: Option<&SurveyYears>) -> bool {
    let pending_int = |name| schema::position(kind, name).and_then(|i| b.pending_int(i));
    let pending_str = |name| schema::position(kind, name).and_then(|i| b.pending_str(i));
    let Some(year) = pending_int("survey_year") else {
        return false;
    };
    if years.is_some_and(|ys| ys.refuse(year).is_some())
        || pending_str("household_id").is_none()
        || (kind == TableKind::Members && pending_str("member_id").is_none())
    {
        return false;
    }
    let mut problems = Vec::new();
    cross_checks(kind, &Row { b, extras: &[] }, &mut problems);
    problems.is_empty()
}

#[cfg(test)]
#[path = "fast_tests.rs"]
mod tests;
