//! Statistics over scored households: the Alkire–Foster family (H, A, M0,
//! headcounts, contributions, the count distribution, subgroup shares) at
//! several cut-offs, and class rates — each with a design-based standard
//! error and 95 % interval for samples (Taylor linearisation of the ratio
//! with strata and PSUs, as R's `survey`), or labelled census.
//! Output is tidy: one row per estimate.

mod accumulate;
pub mod by;
pub mod cells;
pub mod classes;
mod cutoffs;
pub mod design;
pub mod forms;
mod gather;
mod groups;
mod layout;
mod level;
mod linear;
mod measures;
pub mod movement;
pub mod names;
mod rows;
mod tally;
pub mod transitions;

pub use groups::{unread_group_columns, Groups};
pub use level::{group_name, standards_by_year, Key, Level, YearStandard};
pub use measures::Measure;
pub use names::{Coverage, Names, NotInList};
pub use tally::{Acc, RowTally, Tallied, Tally};

use crate::error::{Error, Result};
use crate::exact::rational::Ratio;
use crate::score::meta::ScoredMeta;
use crate::score::scheme::Scheme;
use crate::score::years::ScoredYear;
use crate::standard::ClassRule;
use accumulate::{Part, Sums};
use arrow_array::RecordBatch;
use design::{Design, LonelyPsu};
use gather::Accumulated;
use layout::{class_measures, specs, ClassIndex, Layout, Scoring, Spec};
use linear::{difference, Computed, Ctx, Scratch};
use rayon::prelude::*;
use rows::Emit;
use std::collections::HashMap;

/// z for a two-sided 95 % normal interval (R's `confint` default).
pub const Z95: f64 = 1.959_963_984_540_054;

#[derive(Debug, Clone)]
pub struct StatsOptions {
    /// Groupings besides the nation.
    pub groupings: Vec<Level>,
    /// Alkire–Foster cut-offs; empty: every j/J and the standard's own.
    pub ks: Vec<Ratio>,
    pub lonely: LonelyPsu,
    /// Flag estimates resting on fewer households than this.
    pub min_cell: Option<u64>,
    /// With `min_cell`: blank those estimates instead of only flagging them.
    pub suppress: bool,
    /// The groups' names: the run's scope for the total row, the bundled
    /// lists and the user's names file (see [`names`]).
    pub names: Names,
}

/// The estimates, and the changes between consecutive survey years.
pub struct Estimated {
    pub estimates: Rows,
    pub changes: Rows,
    pub census: bool,
}

/// Estimates (or changes), a column per field, filled row by row; a change
/// has `standard_from` and `year_from` too.
#[derive(Default)]
pub struct Rows {
    pub standard: Vec<Option<String>>,
    pub standard_from: Vec<Option<String>>,
    pub year: Vec<Option<i64>>,
    pub year_from: Vec<Option<i64>>,
    /// Person-level (weighted by household size), else household-level.
    pub person: Vec<bool>,
    pub grouping: Vec<Level>,
    pub group: Vec<Option<String>>,
    pub name: Vec<Option<String>>,
    pub measure: Vec<Measure>,
    pub indicator: Vec<Option<String>>,
    pub k: Vec<Option<Ratio>>,
    pub deprivations: Vec<Option<i64>>,
    pub estimate: Vec<Option<f64>>,
    pub se: Vec<Option<f64>>,
    pub ci_low: Vec<Option<f64>>,
    pub ci_high: Vec<Option<f64>>,
    pub n: Vec<Option<i64>>,
    pub weight_sum: Vec<Option<f64>>,
    pub n_unknown: Vec<Option<i64>>,
    pub flags: Vec<Option<String>>,
}

/// One standard's estimates: its indicators, exact weights and cut-offs,
/// and the estimates they give. Every year scored under it shares it.
struct Plan {
    standard: String,
    ids: Vec<String>,
    scoring: Scoring,
    layout: Layout,
    /// Which class measures a household of these years counts in: the
    /// classes its standard defines (see `Scheme`).
    class_index: ClassIndex,
    specs: Vec<Spec>,
    rule: ClassRule,
    provisional: bool,
    /// The classes its standard defines.
    scheme: Scheme,
}

/// The plan of each year, and the plans (one per standard in use).
fn plans(
    metas: &[&ScoredMeta],
    years: &[i64],
    opts: &StatsOptions,
) -> Result<(Vec<Plan>, Vec<usize>)> {
    let mut plans: Vec<Plan> = Vec::new();
    // Two years share a plan when everything the estimates read agrees.
    let mut keys: Vec<&ScoredMeta> = Vec::new();
    let mut of_year = Vec::with_capacity(metas.len());
    // What each year's standard offers (per year for the check, per plan to share).
    let (mut offers, mut plan_offers): (Vec<cutoffs::Offer>, Vec<cutoffs::Offer>) =
        (vec![], vec![]);
    for (&m, &year) in metas.iter().zip(years) {
        if let Some(i) = keys.iter().position(|k| k.same_estimates(m)) {
            offers.push(cutoffs::Offer {
                year,
                ..plan_offers[i].clone()
            });
            of_year.push(i);
            continue;
        }
        let weights = m.weights.clone().ok_or_else(|| {
            Error::Usage(
                "the scored files carry no exact indicator weights; re-run `dachieu score`".into(),
            )
        })?;
        // The standard's own cut-off and, under the weighted rule, its bands.
        let own_cutoff = m.own_cutoff();
        let mut own: Vec<Ratio> = own_cutoff.into_iter().collect();
        own.extend(m.bands());
        let offered = cutoffs::offered(&weights, &own);
        let ks = cutoffs::chosen(&opts.ks, &offered, own_cutoff);
        let offer = cutoffs::Offer {
            year,
            standard: m.standard.clone(),
            own: own_cutoff,
            offered,
        };
        offers.push(offer.clone());
        plan_offers.push(offer);
        let scoring = Scoring::new(weights, ks);
        let scheme = Scheme::of_meta(m);
        let measures = class_measures(&scheme);
        let layout = Layout {
            c: measures.len(),
            j: m.indicators.len(),
            k: scoring.ks.len(),
        };
        let specs = specs(&layout, &scoring, &measures);
        plans.push(Plan {
            standard: m.standard.clone(),
            ids: m.indicators.clone(),
            scoring,
            layout,
            class_index: ClassIndex::new(&measures),
            specs,
            rule: m.rule,
            provisional: m.provisional,
            scheme,
        });
        keys.push(m);
        of_year.push(plans.len() - 1);
    }
    cutoffs::check(&opts.ks, &offers)?;
    Ok((plans, of_year))
}

/// Estimates for every scored year, each under its own standard: the
/// Alkire–Foster family over that standard's indicators and cut-offs, class
/// rates for all. Changes between consecutive years scored under different
/// standards are given for the class rates only, flagged `standard_changed`
/// (and `near_poor_definition_changed` where the rules differ: spec §9
/// item 13).
pub fn estimate(batches: &[RecordBatch], opts: &StatsOptions) -> Result<Estimated> {
    let years = ScoredYear::of_batches(batches)?;
    let mut e = Estimator::new(&years, opts)?;
    crate::score::years::each_part(&years, |i, first, b| e.add(i, first, b, None))?;
    e.finish()
}

/// Estimates over scored years whose rows are fed a part at a time.
pub struct Estimator {
    opts: StatsOptions,
    census: bool,
    plans: Vec<Plan>,
    /// Per year, in the order given: the year and its plan.
    years: Vec<(i64, usize)>,
    sums: Sums,
}

impl Estimator {
    /// For these years (their headers say which standard scored each).
    pub fn new(years: &[ScoredYear<'_>], opts: &StatsOptions) -> Result<Estimator> {
        if years.is_empty() {
            return Err(Error::Usage(
                "no scored survey years to estimate from".into(),
            ));
        }
        let metas: Vec<&ScoredMeta> = years.iter().map(|y| &y.meta).collect();
        let census = metas.iter().all(|m| !m.sample);
        let ys: Vec<i64> = years.iter().map(|y| y.year).collect();
        let (plans, of_year) = plans(&metas, &ys, opts)?;
        Ok(Estimator {
            opts: opts.clone(),
            census,
            plans,
            years: years.iter().map(|y| y.year).zip(of_year).collect(),
            sums: Sums::new(&opts.groupings, census),
        })
    }

    /// Add a part of year `year` (an index into the years given; parts in
    /// order) whose first row is row `first` of the year; with `tally`,
    /// into its rate tables too, in the same pass.
    pub fn add(
        &mut self,
        year: usize,
        first: usize,
        b: &RecordBatch,
        tally: Option<&mut Tally>,
    ) -> Result<()> {
        let (y, p) = self.years[year];
        let plan = &self.plans[p];
        let part = Part {
            ids: &plan.ids,
            scoring: &plan.scoring,
            layout: &plan.layout,
            class_index: &plan.class_index,
            scheme: &plan.scheme,
        };
        self.sums.add(y, first, b, &part, tally)
    }

    pub fn finish(self) -> Result<Estimated> {
        let plan_of_year: HashMap<i64, usize> = self.years.into_iter().collect();
        let acc = self.sums.finish();
        let ctx = (&self.plans[..], &plan_of_year);
        estimates_of(&acc, ctx, self.census, &self.opts)
    }
}

/// Every estimate, and every change between consecutive years, from the
/// summed PSUs.
fn estimates_of(
    acc: &Accumulated,
    (plans, plan_of_year): (&[Plan], &HashMap<i64, usize>),
    census: bool,
    opts: &StatsOptions,
) -> Result<Estimated> {
    let emit = Emit {
        acc,
        plans,
        plan_of_year,
        census,
        opts,
    };
    let design = design_of(acc, census, opts)?;
    let ctx = Ctx::new(acc, design, &national_dens(&emit));
    let order = output_order(acc);
    let mut estimates = Rows::default();
    estimate_rows(&ctx, &emit, &order, &mut estimates);
    let mut changes = Rows::default();
    change_rows(&ctx, &emit, &order, &mut changes);
    Ok(Estimated {
        estimates,
        changes,
        census,
    })
}

/// The sampling design of the summed PSUs (None: a census).
fn design_of(acc: &Accumulated, census: bool, opts: &StatsOptions) -> Result<Option<Design>> {
    if census {
        return Ok(None);
    }
    Ok(Some(Design::of_strata(
        acc.psu_stratum.clone(),
        acc.stratum_names.clone(),
        opts.lonely,
    )?))
}

/// The (national domain, base variable) pairs that are the denominator of
/// some share of a nation (subgroup contributions): their strata's parts
/// are worked out once.
fn national_dens(emit: &Emit) -> Vec<(u32, usize)> {
    let acc = emit.acc;
    let mut dens: Vec<(u32, usize)> = (0..acc.domains.len() as u32)
        .filter(|d| acc.domains[*d as usize].1 == Level::Total)
        .flat_map(|d| {
            (emit.plan_of(d).specs.iter())
                .filter(|s| s.den_national)
                .map(move |s| (d, s.den))
        })
        .collect();
    dens.sort_unstable();
    dens.dedup();
    dens
}

/// Domains in output order: year, grouping (national first), code. Rows
/// outside a `--where` domain are a group of their own at every level: in
/// the design, never in the output.
fn output_order(acc: &Accumulated) -> Vec<u32> {
    let mut order: Vec<u32> = (0..acc.domains.len() as u32)
        .filter(|d| acc.domains[*d as usize].2 != crate::score::domain::OUTSIDE)
        .collect();
    order.sort_by(|a, b| acc.domains[*a as usize].cmp(&acc.domains[*b as usize]));
    order
}

/// Every estimate of the domains in `order`, by households then by
/// persons. Estimates are independent: computed in parallel, written in
/// order.
fn estimate_rows(ctx: &Ctx, emit: &Emit, order: &[u32], rows: &mut Rows) {
    let cases: Vec<(u32, bool)> = (order.iter())
        .flat_map(|&dom| [(dom, false), (dom, true)])
        .collect();
    let computed: Vec<Vec<Option<Computed>>> = cases
        .par_iter()
        .map_init(Scratch::default, |sc, &(dom, person)| {
            ctx.compute_all(&emit.plan_of(dom).specs, dom, person, sc)
        })
        .collect();
    for (&(dom, person), lins) in cases.iter().zip(computed) {
        for (s, lin) in emit.plan_of(dom).specs.iter().zip(lins) {
            emit.push(rows, dom, None, person, s, lin);
        }
    }
}

/// Changes between consecutive years, for groups present in both.
fn change_rows(ctx: &Ctx, emit: &Emit, order: &[u32], rows: &mut Rows) {
    let acc = ctx.acc;
    let mut years: Vec<i64> = acc.domains.iter().map(|d| d.0).collect();
    years.sort_unstable();
    years.dedup();
    for pair in years.windows(2) {
        let (y0, y1) = (pair[0], pair[1]);
        let (p0, p1) = (emit.plan_in(y0), emit.plan_in(y1));
        let specs = comparable_specs(p0, p1);
        for &dom1 in order.iter().filter(|d| acc.domains[**d as usize].0 == y1) {
            let (_, level, code) = &acc.domains[dom1 as usize];
            let Some(&dom0) = acc.index.get(&(y0, *level, code.clone())) else {
                continue;
            };
            for person in [false, true] {
                for &(s0, s) in &specs {
                    let lin = change(ctx, (s0, dom0), (s, dom1), person);
                    emit.push(rows, dom1, Some((y0, p0)), person, s, lin);
                }
            }
        }
    }
}

/// The estimates of plan `p1` with their like in `p0`. Under one plan,
/// all; across standards only the class rates both define (the indicators
/// differ, and so do the layouts: each year's rate is read with its own
/// plan's spec of the same measure).
fn comparable_specs<'p>(p0: &'p Plan, p1: &'p Plan) -> Vec<(&'p Spec, &'p Spec)> {
    let same = std::ptr::eq(p0, p1);
    (p1.specs.iter())
        .filter_map(|s| {
            if same {
                Some((s, s))
            } else if s.measure.is_class() {
                (p0.specs.iter())
                    .find(|t| t.measure == s.measure)
                    .map(|t| (t, s))
            } else {
                None
            }
        })
        .collect()
}

/// The change from estimate `s0` of domain `dom0` to `s1` of `dom1`: the
/// difference of the values, the later denominator, and for samples the
/// variance of the difference of their linearised totals (None: either
/// undefined).
fn change(
    ctx: &Ctx,
    (s0, dom0): (&Spec, u32),
    (s1, dom1): (&Spec, u32),
    person: bool,
) -> Option<Computed> {
    let a = ctx.linearise(s0, dom0, person)?;
    let b = ctx.linearise(s1, dom1, person)?;
    let var = (ctx.design.as_ref()).map(|d| d.variance(&difference(&a.z, &b.z)));
    Some((b.value - a.value, b.weight_sum, var))
}
