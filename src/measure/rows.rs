//! Each computed estimate as a row of [`Rows`]: the domain and plan it
//! belongs to, its interval, and its flags (census, provisional or changed
//! standard, undefined, lonely PSU, small cell).

use super::gather::Accumulated;
use super::layout::{Layout, Spec};
use super::linear::Computed;
use super::{Level, Measure, Plan, Rows, StatsOptions, Z95};
use crate::score::classify::Class;
use std::collections::HashMap;

/// What every row reads besides its own estimate: the summed domains,
/// the plan of each year, and the options.
pub(super) struct Emit<'a> {
    pub acc: &'a Accumulated,
    pub plans: &'a [Plan],
    pub plan_of_year: &'a HashMap<i64, usize>,
    pub census: bool,
    pub opts: &'a StatsOptions,
}

/// An estimate's value, standard error and weighted denominator, as given.
#[derive(Default)]
struct Value {
    estimate: Option<f64>,
    se: Option<f64>,
    weight_sum: Option<f64>,
}

impl<'a> Emit<'a> {
    /// The plan of year `year`.
    pub fn plan_in(&self, year: i64) -> &'a Plan {
        &self.plans[self.plan_of_year[&year]]
    }

    /// The plan of domain `dom`'s year.
    pub fn plan_of(&self, dom: u32) -> &'a Plan {
        self.plan_in(self.acc.domains[dom as usize].0)
    }

    /// The row of estimate `s` of domain `dom` (weighted by persons or by
    /// households), as computed (`lin`; None: undefined); `from`: the
    /// earlier year and its plan, for a change. Shares of a nation in the
    /// nation itself are no row.
    pub fn push(
        &self,
        rows: &mut Rows,
        dom: u32,
        from: Option<(i64, &Plan)>,
        person: bool,
        s: &Spec,
        lin: Option<Computed>,
    ) {
        let plan = self.plan_of(dom);
        let (year, level, code) = &self.acc.domains[dom as usize];
        if s.den_national && *level == Level::Total {
            return;
        }
        let counts = &self.acc.counts[dom as usize];
        let n = counts[s.den] as i64;
        let mut flags = self.standard_flags(plan, from, s);
        let mut v = Value::of(lin, &mut flags);
        self.small_cell(n, &mut v, &mut flags);
        rows.standard.push(Some(plan.standard.clone()));
        rows.standard_from
            .push(from.map(|(_, p)| p.standard.clone()));
        rows.year.push(Some(*year));
        rows.year_from.push(from.map(|(y, _)| y));
        rows.person.push(person);
        rows.grouping.push(*level);
        rows.group.push(Some(code.clone()));
        rows.name.push(self.opts.names.name(*level, *year, code));
        rows.measure.push(s.measure);
        rows.indicator
            .push(s.indicator.map(|j| plan.ids[j].clone()));
        rows.k.push(s.k.map(|k| plan.scoring.ks[k]));
        rows.deprivations.push(s.deprivations.map(|d| d as i64));
        rows.estimate.push(v.estimate);
        rows.se.push(v.se);
        rows.ci_low
            .push(v.estimate.zip(v.se).map(|(v, e)| v - Z95 * e));
        rows.ci_high
            .push(v.estimate.zip(v.se).map(|(v, e)| v + Z95 * e));
        rows.n.push(Some(n));
        rows.weight_sum.push(v.weight_sum);
        rows.n_unknown
            .push(s.af.then(|| (counts[Layout::COUNTED] - counts[plan.layout.known()]) as i64));
        rows.flags
            .push((!flags.is_empty()).then(|| flags.join(",")));
    }

    /// The flags of the data and the standards behind an estimate: census,
    /// a provisional standard (either year's, for a change), and for a
    /// change across standards `standard_changed` — with
    /// `near_poor_definition_changed` for the near-poor rate when the class
    /// rules differ (spec §9 item 13).
    fn standard_flags(
        &self,
        plan: &Plan,
        from: Option<(i64, &Plan)>,
        s: &Spec,
    ) -> Vec<&'static str> {
        let mut flags: Vec<&str> = Vec::new();
        if self.census {
            flags.push("census");
        }
        if plan.provisional || from.is_some_and(|(_, p)| p.provisional) {
            flags.push("provisional_standard");
        }
        if let Some((_, p0)) = from {
            if p0.standard != plan.standard {
                flags.push("standard_changed");
                if p0.rule != plan.rule && s.measure == Measure::Rate(Class::NearPoor) {
                    flags.push("near_poor_definition_changed");
                }
            }
        }
        flags
    }

    /// With `--min-cell`: flags an estimate resting on fewer households,
    /// and with `--suppress` blanks its value and standard error.
    fn small_cell(&self, n: i64, v: &mut Value, flags: &mut Vec<&'static str>) {
        let Some(min) = self.opts.min_cell else {
            return;
        };
        if (n as u64) < min {
            flags.push("small_cell");
            if self.opts.suppress {
                flags.push("suppressed");
                v.estimate = None;
                v.se = None;
            }
        }
    }
}

impl Value {
    /// The value of an estimate as computed, flagging it `undefined` (a
    /// zero denominator) or `lonely_psu` (a lonely PSU in its variance).
    fn of(lin: Option<Computed>, flags: &mut Vec<&'static str>) -> Value {
        let Some((v, x, var)) = lin else {
            flags.push("undefined");
            return Value::default();
        };
        let se = var.map(|(var, lonely)| {
            if lonely {
                flags.push("lonely_psu");
            }
            var.max(0.0).sqrt()
        });
        Value {
            estimate: Some(v),
            se,
            weight_sum: Some(x),
        }
    }
}
