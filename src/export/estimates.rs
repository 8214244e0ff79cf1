//! The estimates and their changes as tables: one row per estimate.

use crate::error::Result;
use crate::export::{Column, Frame};
use crate::measure::{Estimated, Measure, Rows, StatsOptions};
use arrow_array::RecordBatch;

/// The estimates' frames (`measure`'s rows, as tables).
#[derive(Debug, Clone)]
pub struct Estimates {
    pub estimates: Frame,
    pub changes: Frame,
    pub census: bool,
}

impl Estimates {
    pub fn of(e: Estimated) -> Estimates {
        Estimates {
            estimates: frame(e.estimates, false),
            changes: frame(e.changes, true),
            census: e.census,
        }
    }
}

/// Estimates of years in memory, as tables.
pub fn estimate(batches: &[RecordBatch], opts: &StatsOptions) -> Result<Estimates> {
    crate::measure::estimate(batches, opts).map(Estimates::of)
}

fn frame(r: Rows, change: bool) -> Frame {
    let mut f = Frame::default();
    if change {
        f.push("standard_from", Column::Str(r.standard_from));
        f.push("standard_to", Column::Str(r.standard));
        f.push("from_year", Column::Int(r.year_from));
        f.push("to_year", Column::Int(r.year));
    } else {
        f.push("standard", Column::Str(r.standard));
        f.push("survey_year", Column::Int(r.year));
    }
    let unit = |person: bool| if person { "person" } else { "household" };
    f.push(
        "unit_of_analysis",
        Column::Str(r.person.iter().map(|p| Some(unit(*p).into())).collect()),
    );
    f.push(
        "level",
        Column::Str(r.grouping.iter().map(|l| Some(l.name().into())).collect()),
    );
    f.push("code", Column::Str(r.group));
    f.push("name", Column::Str(r.name));
    let measures = r.measure.iter().zip(&r.person);
    f.push(
        "measure",
        Column::Str(measures.map(|(m, p)| Some(measure_name(*m, *p))).collect()),
    );
    f.push("indicator", Column::Str(r.indicator));
    f.push(
        "k",
        Column::Str(r.k.iter().map(|k| k.map(|k| k.to_string())).collect()),
    );
    f.push("deprivations", Column::Int(r.deprivations));
    f.push("estimate", Column::Float(r.estimate));
    f.push("se", Column::Float(r.se));
    f.push("ci_low", Column::Float(r.ci_low));
    f.push("ci_high", Column::Float(r.ci_high));
    f.push("n", Column::Int(r.n));
    f.push("weight_sum", Column::Float(r.weight_sum));
    f.push("n_unknown", Column::Int(r.n_unknown));
    f.push("cell_flags", Column::Str(r.flags));
    f
}

/// A measure's name in the estimates: over persons, `Measure::person_name`.
pub fn measure_name(measure: Measure, person: bool) -> String {
    if person {
        measure.person_name()
    } else {
        measure.name().to_string()
    }
}
