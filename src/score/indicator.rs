//! One indicator for one household, in three-valued logic: deprived
//! (`Some(true)`), not deprived (`Some(false)`) or unknown (`None`).
//! Nothing is guessed: a member record that is missing (fewer records than
//! `household_size`) is a member whose answer is unknown; a member with an
//! age but no birth year (or the reverse) could have been born in either of
//! two years, and the rule is evaluated for both — when they disagree (age 14
//! or 15? born 1985 or 1986?) the member's answer is unknown.

use super::columns::{Columns, RowRef};
use crate::standard::expr::{Row, Value};
use crate::standard::{Combine, Indicator, Level};
use arrow_array::{Array, BooleanArray};

pub type Tri = Option<bool>;

#[inline]
pub fn and3(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

#[inline]
pub fn or3(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), Some(false)) => Some(false),
        _ => None,
    }
}

#[inline]
pub fn not3(a: Tri) -> Tri {
    a.map(|b| !b)
}

/// The same answer under both readings, or unknown.
#[inline]
fn agree(a: Tri, b: Tri) -> Tri {
    if a == b {
        a
    } else {
        None
    }
}

/// Positions of the age columns in the members contract.
#[derive(Debug, Clone, Copy)]
pub struct AgeColumns {
    pub survey_year: usize,
    pub age: usize,
    pub birth_year: usize,
}

impl AgeColumns {
    pub fn new() -> Self {
        let pos = |n: &str| {
            crate::schema::MEMBER_COLUMNS
                .iter()
                .position(|c| c.name == n)
                .unwrap_or(usize::MAX)
        };
        AgeColumns {
            survey_year: pos("survey_year"),
            age: pos("age"),
            birth_year: pos("birth_year"),
        }
    }
}

impl Default for AgeColumns {
    fn default() -> Self {
        Self::new()
    }
}

/// A member row with one column read as another value.
struct Override<'r, 'c, 'a> {
    base: &'r RowRef<'c, 'a>,
    col: usize,
    value: f64,
}

impl Row for Override<'_, '_, '_> {
    fn get(&self, col: usize) -> Value<'_> {
        if col == self.col {
            Value::Num(self.value)
        } else {
            self.base.get(col)
        }
    }
}

/// Evaluate `f` on a member, once per possible reading of its age: with
/// both age and birth year known (or neither) once; with one of them, for the
/// two values the other can take, keeping the answer only where they agree.
#[inline]
fn per_reading(
    row: &RowRef<'_, '_>,
    ages: AgeColumns,
    f: &dyn Fn(&dyn Row) -> (Tri, Tri),
) -> (Tri, Tri) {
    let num = |c| match row.get(c) {
        Value::Num(v) => Some(v),
        _ => None,
    };
    let (year, age, born) = (num(ages.survey_year), num(ages.age), num(ages.birth_year));
    let (col, values) = match (year, age, born) {
        // Age y − b − 1 before the birthday, y − b after it.
        (Some(y), None, Some(b)) => (ages.age, [y - b - 1.0, y - b]),
        (Some(y), Some(a), None) => (ages.birth_year, [y - a - 1.0, y - a]),
        _ => return f(row),
    };
    let lo = f(&Override {
        base: row,
        col,
        value: values[0].max(0.0),
    });
    let hi = f(&Override {
        base: row,
        col,
        value: values[1],
    });
    (agree(lo.0, hi.0), agree(lo.1, hi.1))
}

/// A `Share` rule's answer for a household: deprived when the members known
/// to count are over the share, not deprived when even with every member
/// who might (`maybe`: unknown answers) and every member without a record
/// (fewer records, `listed`, than `household_size`) they are not, else
/// unknown. The share of the larger of size and records, in integers.
pub fn share_over(
    above: crate::exact::rational::Ratio,
    known: i64,
    maybe: i64,
    listed: usize,
    household_size: usize,
) -> Tri {
    let size = household_size.max(listed) as i64;
    let maybe = maybe + size - listed as i64;
    // count / size > num / den, in integers.
    let over =
        |count: i64| (count as i128) * (above.den as i128) > (above.num as i128) * (size as i128);
    if over(known) {
        Some(true)
    } else if !over(known + maybe) {
        Some(false)
    } else {
        None
    }
}

/// Everything needed to evaluate one indicator, resolved once per batch.
pub struct Plan<'a> {
    pub ind: &'a Indicator,
    pub flag: Option<&'a BooleanArray>,
    /// Whether member records are read (not under `--members none`).
    pub members: bool,
}

/// Evaluate before the missing-value policy.
#[inline]
pub fn evaluate(
    plan: &Plan<'_>,
    hh: &Columns<'_>,
    h: usize,
    members: &Columns<'_>,
    member_range: std::ops::Range<usize>,
    household_size: usize,
    ages: AgeColumns,
) -> Tri {
    let listed = member_range.len();
    let missing_members = listed < household_size;
    if let Some(flag) = plan.flag {
        if flag.is_valid(h) {
            return Some(flag.value(h));
        }
    }
    let ind = plan.ind;
    match ind.level {
        Level::Household => ind.deprived_if.truth(&hh.row(h)),
        Level::Member if !plan.members => None,
        Level::Member => {
            let unknown_rest: Tri = if missing_members { None } else { Some(false) };
            let eligible = |m: &dyn Row| match &ind.eligible {
                Some(e) => e.truth(m),
                None => Some(true),
            };
            match ind.combine {
                Combine::Any => {
                    let mut acc = Some(false);
                    for m in member_range {
                        let (v, _) = per_reading(&members.row(m), ages, &|row| {
                            (and3(eligible(row), ind.deprived_if.truth(row)), None)
                        });
                        acc = or3(acc, v);
                        if acc == Some(true) {
                            return acc;
                        }
                    }
                    or3(acc, unknown_rest)
                }
                Combine::All => {
                    let mut exists = Some(false);
                    let mut forall = Some(true);
                    for m in member_range {
                        let (e, holds) = per_reading(&members.row(m), ages, &|row| {
                            let e = eligible(row);
                            (e, or3(not3(e), ind.deprived_if.truth(row)))
                        });
                        exists = or3(exists, e);
                        forall = and3(forall, holds);
                    }
                    if missing_members {
                        exists = or3(exists, None);
                        forall = and3(forall, None);
                    }
                    and3(exists, forall)
                }
                Combine::Share(above) => {
                    // Members known to count, and members who might (unknown
                    // answers and members without a record).
                    let (mut known, mut maybe) = (0i64, 0i64);
                    for m in member_range {
                        let (v, _) = per_reading(&members.row(m), ages, &|row| {
                            (and3(eligible(row), ind.deprived_if.truth(row)), None)
                        });
                        match v {
                            Some(true) => known += 1,
                            None => maybe += 1,
                            Some(false) => {}
                        }
                    }
                    share_over(above, known, maybe, listed, household_size)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kleene_tables() {
        let v = [Some(true), Some(false), None];
        for a in v {
            for b in v {
                // De Morgan holds in Kleene logic.
                assert_eq!(not3(and3(a, b)), or3(not3(a), not3(b)));
                assert_eq!(and3(a, b), and3(b, a));
            }
        }
        assert_eq!(and3(Some(false), None), Some(false));
        assert_eq!(or3(Some(true), None), Some(true));
        assert_eq!(and3(Some(true), None), None);
    }
}
