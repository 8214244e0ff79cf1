//! One indicator for one household, in three-valued logic: deprived
//! (`Some(true)`), not deprived (`Some(false)`) or unknown (`None`).
//! Nothing is guessed: a member record that is missing (fewer records than
//! `household_size`) is a member whose answer is unknown.

use super::columns::{Columns, RowRef};
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

/// Everything needed to evaluate one indicator, resolved once per batch.
pub struct Plan<'a> {
    pub ind: &'a Indicator,
    pub flag: Option<&'a BooleanArray>,
}

/// Evaluate before the missing-value policy.
#[inline]
pub fn evaluate(
    plan: &Plan<'_>,
    hh: &Columns<'_>,
    h: usize,
    members: &Columns<'_>,
    member_range: std::ops::Range<usize>,
    missing_members: bool,
) -> Tri {
    if let Some(flag) = plan.flag {
        if flag.is_valid(h) {
            return Some(flag.value(h));
        }
    }
    let ind = plan.ind;
    match ind.level {
        Level::Household => ind.deprived_if.truth(&hh.row(h)),
        Level::Member => {
            let unknown_rest: Tri = if missing_members { None } else { Some(false) };
            let eligible = |m: &RowRef<'_, '_>| match &ind.eligible {
                Some(e) => e.truth(m),
                None => Some(true),
            };
            match ind.combine {
                Combine::Any => {
                    let mut acc = Some(false);
                    for m in member_range {
                        let row = members.row(m);
                        acc = or3(acc, and3(eligible(&row), ind.deprived_if.truth(&row)));
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
                        let row = members.row(m);
                        let e = eligible(&row);
                        exists = or3(exists, e);
                        forall = and3(forall, or3(not3(e), ind.deprived_if.truth(&row)));
                    }
                    if missing_members {
                        exists = or3(exists, None);
                        forall = and3(forall, None);
                    }
                    and3(exists, forall)
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
