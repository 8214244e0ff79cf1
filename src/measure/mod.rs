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
mod gather;
mod groups;
mod layout;
mod level;
mod linear;
mod measures;
mod tally;
pub mod transitions;

pub use groups::{unread_group_columns, Groups};
pub use level::{group_name, standards_by_year, Key, Level, YearStandard};
pub use measures::Measure;
pub use tally::{Acc, RowTally, Tallied, Tally};

use crate::error::{Error, Result};
use crate::exact::rational::Ratio;
use crate::score::classify::Class;
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
        estimates_of(&acc, &self.plans, &plan_of_year, self.census, &self.opts)
    }
}

/// Every estimate, and every change between consecutive years, from the
/// summed PSUs.
fn estimates_of(
    acc: &Accumulated,
    plans: &[Plan],
    plan_of_year: &HashMap<i64, usize>,
    census: bool,
    opts: &StatsOptions,
) -> Result<Estimated> {
    let design = if census {
        None
    } else {
        Some(Design::of_strata(
            acc.psu_stratum.clone(),
            acc.stratum_names.clone(),
            opts.lonely,
        )?)
    };
    // Shares of a nation (subgroup contributions) have their denominator
    // there: its strata's parts are worked out once.
    let mut national_dens: Vec<(u32, usize)> = (0..acc.domains.len() as u32)
        .filter(|d| acc.domains[*d as usize].1 == Level::National)
        .flat_map(|d| {
            (plans[plan_of_year[&acc.domains[d as usize].0]].specs.iter())
                .filter(|s| s.den_national)
                .map(move |s| (d, s.den))
        })
        .collect();
    national_dens.sort_unstable();
    national_dens.dedup();
    let ctx = Ctx::new(acc, design, &national_dens);
    let plan_of = |dom: u32| -> &Plan { &plans[plan_of_year[&acc.domains[dom as usize].0]] };

    // Domains in output order: year, grouping (national first), code.
    // Rows outside a `--where` domain are a group of their own at every
    // level: in the design, never in the output.
    let mut order: Vec<u32> = (0..acc.domains.len() as u32)
        .filter(|d| acc.domains[*d as usize].2 != crate::score::domain::OUTSIDE)
        .collect();
    order.sort_by(|a, b| acc.domains[*a as usize].cmp(&acc.domains[*b as usize]));

    let mut est = Rows::default();
    let mut chg = Rows::default();
    let years: Vec<i64> = {
        let mut y: Vec<i64> = acc.domains.iter().map(|d| d.0).collect();
        y.sort_unstable();
        y.dedup();
        y
    };
    // `from`: the earlier year and its plan, for a change.
    let push = |rows: &mut Rows,
                dom: u32,
                from: Option<(i64, &Plan)>,
                person: bool,
                s: &Spec,
                lin: Option<Computed>| {
        let plan = plan_of(dom);
        let (year, level, code) = &acc.domains[dom as usize];
        let counts = &acc.counts[dom as usize];
        let n = counts[s.den] as i64;
        let mut flags: Vec<&str> = Vec::new();
        if census {
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
        let (mut value, mut se) = (None, None);
        let mut weight_sum = None;
        match lin {
            None => flags.push("undefined"),
            Some((v, x, var)) => {
                value = Some(v);
                weight_sum = Some(x);
                match var {
                    None => {}
                    Some((var, lonely)) => {
                        se = Some(var.max(0.0).sqrt());
                        if lonely {
                            flags.push("lonely_psu");
                        }
                    }
                }
            }
        }
        if let Some(min) = opts.min_cell {
            if (n as u64) < min {
                flags.push("small_cell");
                if opts.suppress {
                    flags.push("suppressed");
                    value = None;
                    se = None;
                }
            }
        }
        if s.den_national && *level == Level::National {
            return;
        }
        rows.standard.push(Some(plan.standard.clone()));
        rows.standard_from
            .push(from.map(|(_, p)| p.standard.clone()));
        rows.year.push(Some(*year));
        rows.year_from.push(from.map(|(y, _)| y));
        rows.person.push(person);
        rows.grouping.push(*level);
        rows.group.push(Some(code.clone()));
        rows.name.push(group_name(*level, code));
        rows.measure.push(s.measure);
        rows.indicator
            .push(s.indicator.map(|j| plan.ids[j].clone()));
        rows.k.push(s.k.map(|k| plan.scoring.ks[k]));
        rows.deprivations.push(s.deprivations.map(|d| d as i64));
        rows.estimate.push(value);
        rows.se.push(se);
        rows.ci_low.push(value.zip(se).map(|(v, e)| v - Z95 * e));
        rows.ci_high.push(value.zip(se).map(|(v, e)| v + Z95 * e));
        rows.n.push(Some(n));
        rows.weight_sum.push(weight_sum);
        rows.n_unknown
            .push(s.af.then(|| (counts[Layout::COUNTED] - counts[plan.layout.known()]) as i64));
        rows.flags
            .push((!flags.is_empty()).then(|| flags.join(",")));
    };
    // Estimates are independent: computed in parallel, written in order.
    let cases: Vec<(u32, bool)> = (order.iter())
        .flat_map(|&dom| [(dom, false), (dom, true)])
        .collect();
    let computed: Vec<Vec<Option<Computed>>> = cases
        .par_iter()
        .map_init(Scratch::default, |sc, &(dom, person)| {
            ctx.compute_all(&plan_of(dom).specs, dom, person, sc)
        })
        .collect();
    for (&(dom, person), lins) in cases.iter().zip(computed) {
        for (s, lin) in plan_of(dom).specs.iter().zip(lins) {
            push(&mut est, dom, None, person, s, lin);
        }
    }
    // Changes between consecutive years, for groups present in both. Across
    // standards only the class rates both define compare (the indicators
    // differ, and so do the layouts: each year's rate is read with its own
    // plan's spec of the same measure).
    for pair in years.windows(2) {
        let (y0, y1) = (pair[0], pair[1]);
        let (p0, p1) = (&plans[plan_of_year[&y0]], &plans[plan_of_year[&y1]]);
        let same = std::ptr::eq(p0, p1);
        let specs: Vec<(&Spec, &Spec)> = p1
            .specs
            .iter()
            .filter_map(|s| {
                if same {
                    Some((s, s))
                } else if s.measure.is_class() {
                    p0.specs
                        .iter()
                        .find(|t| t.measure == s.measure)
                        .map(|t| (t, s))
                } else {
                    None
                }
            })
            .collect();
        for &dom1 in order.iter().filter(|d| acc.domains[**d as usize].0 == y1) {
            let (_, level, code) = &acc.domains[dom1 as usize];
            let Some(&dom0) = acc.index.get(&(y0, *level, code.clone())) else {
                continue;
            };
            for person in [false, true] {
                for &(s0, s) in &specs {
                    let lin = match (
                        ctx.linearise(s0, dom0, person),
                        ctx.linearise(s, dom1, person),
                    ) {
                        (Some(a), Some(b)) => {
                            let var = ctx
                                .design
                                .as_ref()
                                .map(|d| d.variance(&difference(&a.z, &b.z)));
                            Some((b.value - a.value, b.weight_sum, var))
                        }
                        _ => None,
                    };
                    push(&mut chg, dom1, Some((y0, p0)), person, s, lin);
                }
            }
        }
    }
    Ok(Estimated {
        estimates: est,
        changes: chg,
        census,
    })
}
