//! The standard's indicators over a chunk of households, a column at a
//! time: each rule is compiled once per slice ([`Kernel`]) and run over the
//! chunk's household rows, or its member rows (both readings of an age or
//! birth year that is missing, `members`) then reduced per household over
//! the member offsets. The answers are exactly `indicator::evaluate`'s,
//! household by household (tests/all/kernels.rs scores every bundled
//! standard both ways); an indicator whose rules do not compile is
//! evaluated by that interpreter instead.

mod members;

use super::columns::{ColRef, Columns};
use super::indicator::{self, AgeColumns, Plan, Tri};
use crate::schema::TableKind;
use crate::standard::expr::columnar::{ColumnView, Kernel, Mask};
use crate::standard::expr::ColKind;
use crate::standard::{col_kind, Indicator, Level};
use std::ops::Range;

/// One indicator's rules compiled.
enum Compiled {
    Household(Kernel),
    Member {
        eligible: Option<Kernel>,
        deprived: Kernel,
        /// Whether the rules read age or birth year, so a member missing
        /// one of them is evaluated under both readings.
        readings: bool,
    },
    /// A rule shape the kernels do not handle: interpreted row by row.
    Interpreted,
}

/// The kind of contract column `i` of `table`.
fn kind_in(table: TableKind) -> impl Fn(usize) -> Option<ColKind> {
    move |i| table.columns().get(i).map(|c| col_kind(c.ty))
}

fn compile(ind: &Indicator, ages: AgeColumns) -> Compiled {
    match ind.level {
        Level::Household => Kernel::compile(&ind.deprived_if, &kind_in(TableKind::Households))
            .map_or(Compiled::Interpreted, Compiled::Household),
        Level::Member => {
            let kind = kind_in(TableKind::Members);
            let eligible = match &ind.eligible {
                Some(e) => match Kernel::compile(e, &kind) {
                    Some(k) => Some(k),
                    None => return Compiled::Interpreted,
                },
                None => None,
            };
            let Some(deprived) = Kernel::compile(&ind.deprived_if, &kind) else {
                return Compiled::Interpreted;
            };
            let reads = |c: usize| {
                ind.deprived_if.columns().contains(&c)
                    || ind
                        .eligible
                        .as_ref()
                        .is_some_and(|e| e.columns().contains(&c))
            };
            Compiled::Member {
                eligible,
                deprived,
                readings: reads(ages.age) || reads(ages.birth_year),
            }
        }
    }
}

/// Every indicator of a standard, compiled for one slice.
pub(super) struct Kernels {
    compiled: Vec<Compiled>,
}

/// What the kernels read of a slice.
pub(super) struct Batch<'s, 'a> {
    pub hh: &'s Columns<'a>,
    pub mem: &'s Columns<'a>,
    pub offsets: &'s [usize],
    pub size: Option<ColRef<'a>>,
    pub ages: AgeColumns,
}

impl Batch<'_, '_> {
    /// Household `h`'s size as scoring reads it (missing: 0).
    fn size_of(&self, h: usize) -> usize {
        match self.size {
            Some(ColRef::Int(a)) if arrow_array::Array::is_valid(a, h) => {
                a.value(h).max(0) as usize
            }
            _ => 0,
        }
    }
}

/// A table's columns as the kernels read them.
fn views<'a>(cols: &Columns<'a>) -> Vec<ColumnView<'a>> {
    (cols.cols.iter())
        .map(|c| match c {
            None => ColumnView::Absent,
            Some(ColRef::Int(a)) => ColumnView::Int(a),
            Some(ColRef::Float(a)) => ColumnView::Float(a),
            Some(ColRef::Bool(a)) => ColumnView::Bool(a),
            Some(ColRef::Str(a)) => ColumnView::Str(a),
            Some(ColRef::Dict(k, v)) => ColumnView::Dict(k, v),
        })
        .collect()
}

impl Kernels {
    /// Compile `plans`' rules; with `interpret`, none is (the reference path).
    pub(super) fn new(plans: &[Plan<'_>], ages: AgeColumns, interpret: bool) -> Self {
        let compiled = (plans.iter())
            .map(|p| match interpret {
                true => Compiled::Interpreted,
                false => compile(p.ind, ages),
            })
            .collect();
        Kernels { compiled }
    }

    /// Each indicator of the households in `range`, before the
    /// missing-value policy: `out[k][h - range.start]`.
    pub(super) fn indicators(
        &self,
        plans: &[Plan<'_>],
        b: &Batch<'_, '_>,
        range: Range<usize>,
    ) -> Vec<Vec<Tri>> {
        let hh_views = views(b.hh);
        let mut readings = None;
        let members = b.offsets[range.start]..b.offsets[range.end];
        (plans.iter().zip(&self.compiled))
            .map(|(plan, c)| {
                let mut v = match c {
                    Compiled::Interpreted => interpret(plan, b, range.clone()),
                    Compiled::Household(k) => {
                        let m = k.truth(&hh_views, range.start, range.len());
                        (0..range.len()).map(|i| m.at(i)).collect()
                    }
                    Compiled::Member { .. } if !plan.members => vec![None; range.len()],
                    Compiled::Member {
                        eligible,
                        deprived,
                        readings: two,
                    } => {
                        let r = readings.get_or_insert_with(|| {
                            members::Readings::new(b.mem, b.ages, members.clone())
                        });
                        let views = r.views(b.mem, b.ages, *two);
                        let masks = (views.iter())
                            .map(|v| {
                                (
                                    eligible
                                        .as_ref()
                                        .map(|e| e.truth(v, members.start, members.len())),
                                    deprived.truth(v, members.start, members.len()),
                                )
                            })
                            .collect::<Vec<(Option<Mask>, Mask)>>();
                        members::reduce(plan.ind.combine, &masks, b, range.clone())
                    }
                };
                // A pre-coded flag, where given, is the answer.
                if let Some(flag) = plan.flag {
                    for (i, h) in range.clone().enumerate() {
                        if arrow_array::Array::is_valid(flag, h) {
                            v[i] = Some(flag.value(h));
                        }
                    }
                }
                v
            })
            .collect()
    }
}

/// The interpreter, household by household.
fn interpret(plan: &Plan<'_>, b: &Batch<'_, '_>, range: Range<usize>) -> Vec<Tri> {
    range
        .map(|h| {
            let members = b.offsets[h]..b.offsets[h + 1];
            indicator::evaluate(plan, b.hh, h, b.mem, members, b.size_of(h), b.ages)
        })
        .collect()
}
