//! Member-level rules over a chunk's member rows, then per household. A
//! member with an age but no birth year (or the reverse) could have been
//! born in either of two years: the rules run under both readings (age
//! y − b − 1 or y − b; birth year y − a − 1 or y − a; the lower clamped at
//! 0) and a member's answer is kept only where the two agree, as
//! `indicator::per_reading` does row by row. Each household's answer then
//! comes from one pass over its members' bits, a member record missing
//! (fewer records than `household_size`) counting as unknown.

use super::{views, Batch};
use crate::score::columns::{ColRef, Columns};
use crate::score::indicator::{and3, share_over, AgeColumns, Tri};
use crate::standard::expr::columnar::{bits, ColumnView, Mask};
use crate::standard::expr::Value;
use crate::standard::Combine;
use std::ops::Range;

/// Age and birth year of a chunk's members under the two readings.
pub(super) struct Readings {
    /// `[lower, upper]` reading: values and validity bits, from the chunk's first member.
    age: [(Vec<f64>, Vec<u64>); 2],
    born: [(Vec<f64>, Vec<u64>); 2],
}

impl Readings {
    pub(super) fn new(mem: &Columns<'_>, ages: AgeColumns, rows: Range<usize>) -> Self {
        let n = rows.len();
        let (y, a, b) = (
            nums(mem, ages.survey_year, rows.clone()),
            nums(mem, ages.age, rows.clone()),
            nums(mem, ages.birth_year, rows),
        );
        let empty = || (vec![0.0; n], vec![0u64; bits::words(n)]);
        let mut age = [empty(), empty()];
        let mut born = [empty(), empty()];
        for r in 0..n {
            // The reading of the missing one, lower then upper; the known one as it is.
            let (a2, b2) = match (y[r], a[r], b[r]) {
                (Some(y), None, Some(b)) => {
                    ([Some((y - b - 1.0).max(0.0)), Some(y - b)], [Some(b); 2])
                }
                (Some(y), Some(a), None) => {
                    ([Some(a); 2], [Some((y - a - 1.0).max(0.0)), Some(y - a)])
                }
                (_, a, b) => ([a; 2], [b; 2]),
            };
            for k in 0..2 {
                set(&mut age[k], r, a2[k]);
                set(&mut born[k], r, b2[k]);
            }
        }
        Readings { age, born }
    }

    /// The member columns under each reading (one set when the rules read
    /// neither age nor birth year: the readings cannot differ).
    pub(super) fn views<'r>(
        &'r self,
        mem: &Columns<'r>,
        ages: AgeColumns,
        two: bool,
    ) -> Vec<Vec<ColumnView<'r>>> {
        let base = views(mem);
        if !two {
            return vec![base];
        }
        (0..2)
            .map(|k| {
                let mut v = base.clone();
                for (col, (vals, ok)) in
                    [(ages.age, &self.age[k]), (ages.birth_year, &self.born[k])]
                {
                    if let Some(slot) = v.get_mut(col) {
                        *slot = ColumnView::Num(vals, ok);
                    }
                }
                v
            })
            .collect()
    }
}

/// Member column `c`'s numbers on `rows` (null where not a number).
fn nums(mem: &Columns<'_>, c: usize, rows: Range<usize>) -> Vec<Option<f64>> {
    use arrow_array::Array;
    match mem.cols.get(c).copied().flatten() {
        Some(ColRef::Int(x)) => rows
            .map(|i| x.is_valid(i).then(|| x.value(i) as f64))
            .collect(),
        Some(col) => rows
            .map(|i| match col.value(i) {
                Value::Num(v) => Some(v),
                _ => None,
            })
            .collect(),
        None => vec![None; rows.len()],
    }
}

fn set(col: &mut (Vec<f64>, Vec<u64>), r: usize, v: Option<f64>) {
    if let Some(v) = v {
        col.0[r] = v;
        col.1[r / 64] |= 1 << (r % 64);
    }
}

/// The masks of every reading folded into one: kept where all agree.
fn agreed(each: impl Iterator<Item = Mask>) -> Mask {
    each.reduce(|a, b| a.agree(&b))
        .unwrap_or_else(|| Mask::splat(None, 0))
}

/// Members in `a..b` of `m`: known true, and unknown.
fn tally(m: &Mask, a: usize, b: usize) -> (usize, usize) {
    let t = bits::count_in(&m.t, a, b);
    (t, b - a - t - bits::count_in(&m.f, a, b))
}

/// Each household of `range` from its members' `(eligible, deprived)`
/// masks under each reading, combined as `combine` says.
pub(super) fn reduce(
    combine: Combine,
    masks: &[(Option<Mask>, Mask)],
    b: &Batch<'_, '_>,
    range: Range<usize>,
) -> Vec<Tri> {
    let m0 = b.offsets[range.start];
    let n = b.offsets[range.end] - m0;
    let counted = || {
        agreed(masks.iter().map(|(e, d)| match e {
            Some(e) => e.and(d),
            None => d.clone(),
        }))
    };
    let each = |f: &dyn Fn(usize, usize, bool, usize) -> Tri| -> Vec<Tri> {
        (range.clone())
            .map(|h| {
                let (a, z) = (b.offsets[h] - m0, b.offsets[h + 1] - m0);
                let size = b.size_of(h);
                f(a, z, z - a < size, size)
            })
            .collect()
    };
    match combine {
        Combine::Any => {
            let v = counted();
            each(&|a, z, missing, _| match tally(&v, a, z) {
                (t, _) if t > 0 => Some(true),
                (_, u) if u > 0 || missing => None,
                _ => Some(false),
            })
        }
        Combine::All => {
            let all = Mask::splat(Some(true), n);
            let e = agreed(
                masks
                    .iter()
                    .map(|(e, _)| e.clone().unwrap_or_else(|| all.clone())),
            );
            let holds = agreed(
                masks
                    .iter()
                    .map(|(e, d)| e.as_ref().unwrap_or(&all).clone().negate().or(d)),
            );
            each(&|a, z, missing, _| {
                let exists = match tally(&e, a, z) {
                    (t, _) if t > 0 => Some(true),
                    (_, u) if u > 0 || missing => None,
                    _ => Some(false),
                };
                let forall = match tally(&holds, a, z) {
                    _ if bits::any_in(&holds.f, a, z) => Some(false),
                    (_, u) if u > 0 || missing => None,
                    _ => Some(true),
                };
                and3(exists, forall)
            })
        }
        Combine::Share(above) => {
            let v = counted();
            each(&|a, z, _, size| {
                let (known, unknown) = tally(&v, a, z);
                share_over(above, known as i64, unknown as i64, z - a, size)
            })
        }
    }
}
