//! One synthetic household through the survey years.
//!
//! Calibration works backwards from the class: a household's class (poor,
//! near-poor, average, not poor) is drawn from its province's targets in the
//! first year and from a transition matrix after that; its income is drawn
//! inside that class's income interval, and its ten Decision 59/2015
//! deprivations are drawn with probabilities that rise with poverty and then
//! made consistent with the class under the union rule: a household poor by
//! deprivation gets at least three, a near-poor one at most two. Only then
//! are the inputs written that produce exactly those deprivations (a sick
//! member who did not seek care, an uninsured adult, two non-durable parts
//! of the dwelling, …). Scored by the real pipeline, every household lands
//! in the class it was drawn in, so the rates are the targets up to sampling
//! noise.
//!
//! What can persist does: dwellings, water, latrine and assets are kept from
//! year to year unless the deprivation they decide changes; people keep
//! their birth year, schooling and habits; incomes move along an AR(1) path.

use super::frame::Frame;
use super::people::{self, class_factor, Person, Setting};
use super::rng::{mix3, norm_cdf, Rng};
use super::targets::{Targets, AVERAGE, LINES, NEAR, NOT_POOR, POOR, SCORE_LINES};

mod inputs;
pub use inputs::pick_u;

/// Indicator positions, in the order of the standard's `indicators` list.
pub const HEALTH_ACCESS: usize = 0;
pub const INSURANCE: usize = 1;
pub const ADULT_EDUCATION: usize = 2;
pub const CHILD_SCHOOLING: usize = 3;
pub const HOUSING: usize = 4;
pub const FLOOR: usize = 5;
pub const WATER: usize = 6;
pub const LATRINE: usize = 7;
pub const TELECOM: usize = 8;
pub const ASSETS: usize = 9;
/// The deprivations drawn per household and adjusted to the class; the two
/// education ones follow from the members' schooling.
const ADJUSTABLE: [usize; 8] = [
    HEALTH_ACCESS,
    INSURANCE,
    HOUSING,
    FLOOR,
    WATER,
    LATRINE,
    TELECOM,
    ASSETS,
];

/// Probability of each deprivation by class (poor, near-poor, average, not
/// poor). Insurance is the exception to "poorer, more deprived": the poor
/// receive free health insurance cards, the near-poor only a subsidy.
const BASE: [[f64; 10]; 4] = [
    [0.07, 0.10, 0.0, 0.0, 0.30, 0.20, 0.22, 0.50, 0.10, 0.15],
    [0.05, 0.14, 0.0, 0.0, 0.15, 0.12, 0.12, 0.32, 0.04, 0.07],
    [0.035, 0.13, 0.0, 0.0, 0.07, 0.07, 0.07, 0.20, 0.02, 0.035],
    [0.02, 0.08, 0.0, 0.0, 0.02, 0.03, 0.025, 0.07, 0.004, 0.01],
];
/// By region (RRD, NMM, NCC, CH, SE, MRD) and indicator.
const REGION: [[f64; 10]; 6] = [
    [0.8, 0.8, 1.0, 1.0, 0.5, 0.8, 0.6, 0.5, 0.6, 0.6],
    [1.4, 0.6, 1.0, 1.0, 1.6, 1.3, 1.6, 1.6, 1.8, 1.6],
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    [1.3, 0.8, 1.0, 1.0, 1.4, 1.3, 1.4, 1.4, 1.5, 1.4],
    [0.8, 1.3, 1.0, 1.0, 0.6, 1.1, 0.6, 0.6, 0.6, 0.7],
    [1.0, 1.3, 1.0, 1.0, 1.3, 1.1, 1.2, 1.6, 1.0, 1.1],
];
const URBAN: [f64; 10] = [0.9, 0.9, 1.0, 1.0, 0.4, 1.3, 0.3, 0.3, 0.5, 0.5];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    PerCapita,
    Total,
    /// A review-form score B1, with the per-capita income it stands for.
    ScoreAndIncome,
}

/// The class the scorer will give, with the path to poor.
pub const OUT_POOR_INCOME: usize = 0;
pub const OUT_POOR_DEPRIVATION: usize = 1;
pub const OUT_NEAR: usize = 2;
pub const OUT_AVERAGE: usize = 3;
pub const OUT_NOT_POOR: usize = 4;

/// What every household needs to know about the run.
pub struct Ctx<'a> {
    pub seed: u64,
    pub frame: &'a Frame,
    pub targets: &'a Targets,
}

#[derive(Debug, Clone)]
pub struct Household {
    pub key: u64,
    pub commune: usize,
    pub seq: u64,
    pub region: usize,
    pub urban: bool,
    pub class: usize,
    pub dep_path: bool,
    z_income: f64,
    u_dep: f64,
    pub measure: Measure,
    u: [f32; 10],
    pub members: Vec<Person>,
    next_id: u16,
    pub income: i64,
    pub deprived: [bool; 10],
    pub durable: [bool; 3],
    pub dwelling: &'static str,
    pub floor_tenths: i64,
    pub water: &'static str,
    pub water_minutes: i64,
    pub latrine: &'static str,
    pub latrine_shared: bool,
    pub info: [bool; 4],
    u_assets: [f32; 12],
    pub alive: bool,
    /// The year index the household last refreshed to.
    pub year_index: usize,
}

impl Household {
    /// Household `index` of the national list, in the first survey year.
    pub fn base(ctx: &Ctx, index: u64) -> Household {
        let ci = ctx.frame.commune_of(index);
        let c = &ctx.frame.communes[ci];
        Household::new(ctx, index, ci, index - c.start, 0, None)
    }

    /// A household appearing in year `yi` (0 = first year): drawn from that
    /// year's targets, with `members` when it splits off another household.
    fn new(
        ctx: &Ctx,
        key: u64,
        commune: usize,
        seq: u64,
        yi: usize,
        members: Option<Vec<Person>>,
    ) -> Household {
        let mut rng = Rng::new(ctx.seed, key, 1000 + yi as u64);
        let c = &ctx.frame.communes[commune];
        let region = ctx.frame.provinces[c.province].region;
        let dist = &ctx.targets.dists[yi][c.province][c.urban as usize];
        let class = rng.pick(&dist.probs);
        let year = ctx.targets.years[yi];
        let setting = Setting {
            year,
            region,
            urban: c.urban,
            class,
        };
        let members = members.unwrap_or_else(|| {
            let size = people::draw_size(&mut rng, region, class);
            let mut ages = Vec::with_capacity(size);
            people::draw_ages(&mut rng, size, &mut ages);
            ages.iter()
                .enumerate()
                .map(|(i, &a)| people::person(&mut rng, i as u16 + 1, a, setting))
                .collect()
        });
        let m = rng.f64();
        let mut u = [0f32; 10];
        for x in &mut u {
            *x = rng.f64() as f32;
        }
        let mut u_assets = [0f32; 12];
        for x in &mut u_assets {
            *x = rng.f64() as f32;
        }
        let mut h = Household {
            key,
            commune,
            seq,
            region,
            urban: c.urban,
            class,
            dep_path: false,
            z_income: rng.normal(),
            u_dep: rng.f64(),
            measure: if m < 0.04 {
                Measure::ScoreAndIncome
            } else if m < 0.12 {
                Measure::Total
            } else {
                Measure::PerCapita
            },
            u,
            next_id: members.iter().map(|p| p.id).max().unwrap_or(0) + 1,
            members,
            income: 0,
            deprived: [false; 10],
            durable: [true; 3],
            dwelling: "permanent",
            floor_tenths: 0,
            water: "piped",
            water_minutes: 0,
            latrine: "septic_tank",
            latrine_shared: false,
            info: [true, false, false, false],
            u_assets,
            alive: true,
            year_index: yi,
        };
        h.refresh(ctx, yi, &mut rng, true);
        h
    }

    fn province(&self, ctx: &Ctx) -> usize {
        ctx.frame.communes[self.commune].province
    }

    /// Move to year index `yi` (the previous one + 1): people die, are born
    /// and leave to start households; the household may dissolve; its class
    /// moves by the transition matrix. Returns a household that split off.
    pub fn step(&mut self, ctx: &Ctx, yi: usize) -> Option<Household> {
        let mut rng = Rng::new(ctx.seed, self.key, yi as u64);
        let year = ctx.targets.years[yi];
        let gap = (year - ctx.targets.years[yi - 1]).max(1);
        let mut spawned = None;
        for g in 0..gap {
            let y = year - gap + 1 + g;
            self.members
                .retain(|p| !rng.chance(people::death_rate(p.age(y))));
            if self.members.is_empty() || rng.chance(0.006) {
                self.alive = false;
                return None;
            }
            let n = self.members.len();
            if spawned.is_none() && n >= 3 && rng.chance(0.05) {
                let parent = self.members.iter().any(|p| p.age(y) >= 40);
                let young = self
                    .members
                    .iter()
                    .position(|p| (20..=34).contains(&p.age(y)));
                if let (true, Some(i)) = (parent, young) {
                    let leaver = self.members.remove(i);
                    spawned = Some(self.split(ctx, yi, leaver, &mut rng));
                }
            }
            let mothers = self.members.iter().any(|p| (20..=40).contains(&p.age(y)));
            let small = self.members.iter().filter(|p| p.age(y) < 6).count();
            let birth = if self.urban {
                0.055
            } else if matches!(self.region, 1 | 3) {
                0.09
            } else {
                0.07
            };
            if mothers && small <= 1 && self.members.len() < 12 && rng.chance(birth) {
                let s = Setting {
                    year: y,
                    region: self.region,
                    urban: self.urban,
                    class: self.class,
                };
                let mut baby = people::person(&mut rng, self.next_id, 0, s);
                baby.birth_year = y - baby.late_birthday as i32;
                self.members.push(baby);
                self.next_id += 1;
            }
        }
        let p = self.province(ctx);
        let row = &ctx.targets.transitions[yi - 1][p][self.urban as usize][self.class];
        self.class = rng.pick(row);
        self.z_income = 0.8 * self.z_income + 0.6 * rng.normal();
        self.refresh(ctx, yi, &mut rng, false);
        self.year_index = yi;
        spawned
    }

    /// A young member leaves (with a spouse, sometimes a baby) and starts a
    /// household in the same commune.
    fn split(&self, ctx: &Ctx, yi: usize, mut leaver: Person, rng: &mut Rng) -> Household {
        let year = ctx.targets.years[yi];
        let c = &ctx.frame.communes[self.commune];
        let s = Setting {
            year,
            region: self.region,
            urban: self.urban,
            class: self.class,
        };
        let age = leaver.age(year);
        leaver.id = 1;
        let mut members = vec![leaver];
        if rng.chance(0.6) {
            let spouse = (age + rng.range(-4, 3)).max(18);
            members.push(people::person(rng, 2, spouse, s));
            if rng.chance(0.25) {
                let baby = rng.range(0, 2);
                members.push(people::person(rng, 3, baby, s));
            }
        }
        // Unique in the commune: original households are 0..len, splits of
        // year index yi are yi × len + the parent's number.
        let seq = yi as u64 * c.len + self.seq;
        let key = mix3(self.key, yi as u64, 0x0053_504c_4954);
        Household::new(ctx, key, self.commune, seq, yi, Some(members))
    }

    fn prob(&self, j: usize, year: i32) -> f64 {
        let trend = 0.95f64.powi(year - 2020);
        (BASE[self.class][j]
            * REGION[self.region][j]
            * if self.urban { URBAN[j] } else { 1.0 }
            * trend)
            .min(0.9)
    }

    /// Set this year's income, deprivations and the inputs that produce them.
    fn refresh(&mut self, ctx: &Ctx, yi: usize, rng: &mut Rng, first: bool) {
        let year = ctx.targets.years[yi];
        let c = &ctx.frame.communes[self.commune];
        let dist = &ctx.targets.dists[yi][c.province][self.urban as usize];
        self.dep_path = self.class == POOR && self.u_dep < dist.dep_share;
        let band = if self.dep_path { NEAR } else { self.class };
        self.income = dist.income(band, norm_cdf(self.z_income));

        let mut d = [false; 10];
        d[ADULT_EDUCATION] = self.members.iter().any(|p| {
            p.age(year) >= 15
                && p.birth_year >= 1986
                && matches!(p.education(year), "none" | "primary")
                && !p.in_school(year)
        });
        d[CHILD_SCHOOLING] = self
            .members
            .iter()
            .any(|p| (5..=14).contains(&p.age(year)) && !p.in_school(year));
        let can_insure = self.members.iter().any(|p| p.age(year) >= 6);
        let mut ratio = [f64::INFINITY; 10];
        for j in ADJUSTABLE {
            let p = if j == INSURANCE && !can_insure {
                0.0
            } else {
                self.prob(j, year)
            };
            d[j] = (self.u[j] as f64) < p;
            ratio[j] = self.u[j] as f64 / p.max(1e-9);
        }
        let count = |d: &[bool; 10]| d.iter().filter(|x| **x).count();
        let feasible = |j: usize| j != INSURANCE || can_insure;
        if self.dep_path {
            // Poor by deprivation: at least three, the likeliest ones first.
            while count(&d) < 3 {
                let j = ADJUSTABLE
                    .into_iter()
                    .filter(|&j| !d[j] && feasible(j))
                    .min_by(|&a, &b| ratio[a].total_cmp(&ratio[b]))
                    .expect("eight adjustable indicators");
                d[j] = true;
            }
        } else if self.class == NEAR {
            // Near-poor: at most two, dropping the least likely first.
            while count(&d) > 2 {
                let j = ADJUSTABLE
                    .into_iter()
                    .filter(|&j| d[j])
                    .max_by(|&a, &b| ratio[a].total_cmp(&ratio[b]))
                    .expect("the education pair alone is at most two");
                d[j] = false;
            }
        }
        self.deprived = d;
        self.apply(year, rng, first);
    }

    /// The class the pipeline will find (a score has no average band).
    pub fn outcome(&self) -> usize {
        match self.class {
            POOR if self.dep_path => OUT_POOR_DEPRIVATION,
            POOR => OUT_POOR_INCOME,
            NEAR => OUT_NEAR,
            AVERAGE if self.measure == Measure::ScoreAndIncome => OUT_NOT_POOR,
            AVERAGE => OUT_AVERAGE,
            _ => OUT_NOT_POOR,
        }
    }

    /// Review-form score B1 standing for the income, on the same side of
    /// every line (Circular 14/2018: rural 120/150, urban 140/175).
    pub fn score(&self) -> i64 {
        let [p, n, m] = LINES[self.urban as usize];
        let [sp, sn] = SCORE_LINES[self.urban as usize];
        let inc = self.income;
        if inc <= p {
            ((sp as f64 * inc as f64 / p as f64).round() as i64).clamp(40, sp)
        } else if inc <= n {
            (sp + ((sn - sp) as f64 * (inc - p) as f64 / (n - p) as f64).ceil() as i64)
                .clamp(sp + 1, sn)
        } else {
            (sn + (25.0 * (inc - n) as f64 / (m - n) as f64).ceil() as i64).clamp(sn + 1, 300)
        }
    }

    /// Total income over 12 months: per capita × 12 × size, rounded down to
    /// 10,000 đồng when that keeps it above the line below it.
    pub fn income_total(&self) -> i64 {
        let size = self.members.len() as i64;
        let exact = self.income * 12 * size;
        let [p, n, m] = LINES[self.urban as usize];
        let below = [0, p, n, m]
            .into_iter()
            .filter(|l| *l < self.income)
            .max()
            .unwrap_or(0);
        let rounded = exact / 10_000 * 10_000;
        if rounded > below * 12 * size {
            rounded
        } else {
            exact
        }
    }

    pub fn asset_uniform(&self, i: usize) -> f32 {
        self.u_assets[i]
    }

    pub fn class_factor(&self) -> f64 {
        class_factor(self.class)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::targets::TARGETS_CSV;
    use inputs::{hygienic_latrine, hygienic_water};

    #[test]
    fn households_look_like_the_census_and_keep_their_class_rules() {
        let frame = Frame::build(200_000).unwrap();
        let targets = Targets::load(TARGETS_CSV, "t", &[2020, 2021], &frame).unwrap();
        let ctx = Ctx {
            seed: 1,
            frame: &frame,
            targets: &targets,
        };
        let (mut n, mut people, mut kids, mut old) = (0usize, 0usize, 0usize, 0usize);
        for g in (0..200_000).step_by(20) {
            let mut h = Household::base(&ctx, g);
            for yi in [0, 1] {
                if yi == 1 && (h.step(&ctx, 1).is_some() || !h.alive) {
                    continue;
                }
                let year = targets.years[yi];
                let count = h.deprived.iter().filter(|d| **d).count();
                if h.dep_path {
                    assert!(count >= 3);
                } else if h.class == NEAR {
                    assert!(count <= 2);
                }
                let [p, nl, _] = LINES[h.urban as usize];
                match h.outcome() {
                    OUT_POOR_INCOME => assert!(h.income <= p),
                    OUT_POOR_DEPRIVATION | OUT_NEAR => assert!(h.income > p && h.income <= nl),
                    _ => assert!(h.income > nl),
                }
                // Floor area and the parts of the dwelling say what `deprived` says.
                let size = h.members.len() as i64;
                assert_eq!(h.floor_tenths < 80 * size, h.deprived[FLOOR]);
                assert_eq!(
                    h.durable.iter().filter(|x| !**x).count() >= 2,
                    h.deprived[HOUSING]
                );
                assert_eq!(!hygienic_water(h.water), h.deprived[WATER]);
                assert_eq!(!hygienic_latrine(h.latrine), h.deprived[LATRINE]);
                if yi == 0 {
                    n += 1;
                    people += h.members.len();
                    kids += h.members.iter().filter(|m| m.age(year) < 15).count();
                    old += h.members.iter().filter(|m| m.age(year) >= 65).count();
                }
            }
        }
        let mean = people as f64 / n as f64;
        assert!((3.45..3.75).contains(&mean), "mean household size {mean}");
        let (k, o) = (kids as f64 / people as f64, old as f64 / people as f64);
        assert!((0.18..0.28).contains(&k), "aged 0-14: {k}");
        assert!((0.06..0.11).contains(&o), "aged 65+: {o}");
    }
}
