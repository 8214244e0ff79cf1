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

/// Probability of each deprivation by class (poor, near-poor, average, not poor).
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

/// Water sources: D59-hygienic ones first.
const WATER_GOOD_URBAN: [(&str, f64); 4] = [
    ("piped", 88.0),
    ("protected_well", 6.0),
    ("bottled", 5.0),
    ("rainwater", 1.0),
];
const WATER_GOOD_RURAL: [[(&str, f64); 4]; 6] = [
    [
        ("piped", 55.0),
        ("protected_well", 40.0),
        ("rainwater", 3.0),
        ("bottled", 2.0),
    ],
    [
        ("piped", 35.0),
        ("protected_spring", 35.0),
        ("protected_well", 25.0),
        ("rainwater", 5.0),
    ],
    [
        ("piped", 40.0),
        ("protected_well", 55.0),
        ("protected_spring", 3.0),
        ("bottled", 2.0),
    ],
    [
        ("piped", 20.0),
        ("protected_well", 75.0),
        ("protected_spring", 5.0),
        ("bottled", 0.0),
    ],
    [
        ("piped", 50.0),
        ("protected_well", 45.0),
        ("bottled", 5.0),
        ("rainwater", 0.0),
    ],
    [
        ("piped", 70.0),
        ("rainwater", 15.0),
        ("protected_well", 10.0),
        ("bottled", 5.0),
    ],
];
const WATER_BAD: [[(&str, f64); 4]; 6] = [
    [
        ("unprotected_well", 60.0),
        ("surface", 25.0),
        ("other", 15.0),
        ("tanker", 0.0),
    ],
    [
        ("unprotected_spring", 55.0),
        ("surface", 30.0),
        ("unprotected_well", 15.0),
        ("other", 0.0),
    ],
    [
        ("unprotected_well", 60.0),
        ("surface", 30.0),
        ("other", 10.0),
        ("tanker", 0.0),
    ],
    [
        ("unprotected_well", 55.0),
        ("unprotected_spring", 25.0),
        ("surface", 20.0),
        ("other", 0.0),
    ],
    [
        ("unprotected_well", 60.0),
        ("tanker", 30.0),
        ("other", 10.0),
        ("surface", 0.0),
    ],
    [
        ("surface", 60.0),
        ("unprotected_well", 25.0),
        ("tanker", 10.0),
        ("other", 5.0),
    ],
];
const LATRINE_GOOD_URBAN: [(&str, f64); 4] = [
    ("septic_tank", 85.0),
    ("sewer", 13.0),
    ("ventilated_pit", 2.0),
    ("double_vault", 0.0),
];
const LATRINE_GOOD_RURAL: [(&str, f64); 4] = [
    ("septic_tank", 80.0),
    ("double_vault", 8.0),
    ("ventilated_pit", 6.0),
    ("biogas", 6.0),
];
const LATRINE_BAD: [[(&str, f64); 5]; 3] = [
    [
        ("single_pit", 60.0),
        ("bucket", 15.0),
        ("none", 15.0),
        ("other", 10.0),
        ("over_water", 0.0),
    ],
    [
        ("single_pit", 55.0),
        ("none", 30.0),
        ("bucket", 10.0),
        ("other", 5.0),
        ("over_water", 0.0),
    ],
    [
        ("over_water", 55.0),
        ("single_pit", 20.0),
        ("none", 15.0),
        ("bucket", 5.0),
        ("other", 5.0),
    ],
];

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

fn pick<'a>(rng: &mut Rng, items: &[(&'a str, f64)]) -> &'a str {
    pick_u(rng.f64() as f32, items)
}

/// `pick` with a given uniform (persistent choices).
pub fn pick_u<'a>(u: f32, items: &[(&'a str, f64)]) -> &'a str {
    let total: f64 = items.iter().map(|x| x.1).sum();
    let mut x = u as f64 * total;
    for (s, w) in items {
        if x < *w {
            return s;
        }
        x -= w;
    }
    items
        .iter()
        .rev()
        .find(|x| x.1 > 0.0)
        .map_or(items[0].0, |x| x.0)
}

fn hygienic_water(code: &str) -> bool {
    matches!(
        code,
        "piped" | "protected_well" | "protected_spring" | "rainwater" | "bottled"
    )
}

fn hygienic_latrine(code: &str) -> bool {
    matches!(
        code,
        "septic_tank" | "sewer" | "double_vault" | "biogas" | "ventilated_pit"
    )
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

    /// Write the inputs that make the indicators come out as `self.deprived`.
    fn apply(&mut self, year: i32, rng: &mut Rng, first: bool) {
        let d = self.deprived;
        let (class, urban, region) = (self.class, self.urban, self.region);
        // Health: who was ill this year, and whether they sought care.
        for p in &mut self.members {
            let a = p.age(year);
            let ps = match a {
                ..=5 => 0.08,
                6..=59 => 0.05,
                60..=74 => 0.15,
                _ => 0.25,
            };
            p.sick = rng.chance(ps);
            p.sought_care = true;
        }
        if d[HEALTH_ACCESS] {
            let sick: Vec<usize> = (0..self.members.len())
                .filter(|&i| self.members[i].sick)
                .collect();
            let i = if sick.is_empty() {
                let i = rng.below(self.members.len() as u32) as usize;
                self.members[i].sick = true;
                i
            } else {
                sick[rng.below(sick.len() as u32) as usize]
            };
            self.members[i].sought_care = false;
            for &k in &sick {
                if k != i && rng.chance(0.3) {
                    self.members[k].sought_care = false;
                }
            }
        }
        // Health insurance (children under 6 have free cards; a few lack one).
        let eligible: Vec<usize> = (0..self.members.len())
            .filter(|&i| self.members[i].age(year) >= 6)
            .collect();
        for p in &mut self.members {
            p.insured = p.age(year) >= 6 || p.u_ins >= 0.03;
        }
        if d[INSURANCE] && !eligible.is_empty() {
            let mut any = false;
            for &i in &eligible {
                if self.members[i].u_ins < 0.35 {
                    self.members[i].insured = false;
                    any = true;
                }
            }
            if !any {
                let &i = eligible
                    .iter()
                    .min_by(|&&a, &&b| self.members[a].u_ins.total_cmp(&self.members[b].u_ins))
                    .expect("not empty");
                self.members[i].insured = false;
            }
        }
        // Dwelling: at least two of walls, columns, roof non-durable when deprived.
        let nondurable = self.durable.iter().filter(|x| !**x).count();
        if first || (nondurable >= 2) != d[HOUSING] {
            self.durable = if d[HOUSING] {
                match rng.f64() {
                    x if x < 0.4 => [false; 3],
                    x if x < 0.7 => [false, true, false],
                    x if x < 0.88 => [true, false, false],
                    _ => [false, false, true],
                }
            } else if rng.chance([0.25, 0.18, 0.10, 0.03][class]) {
                match rng.f64() {
                    x if x < 0.7 => [true, true, false],
                    x if x < 0.9 => [false, true, true],
                    _ => [true, false, true],
                }
            } else {
                [true; 3]
            };
            let nd = self.durable.iter().filter(|x| !**x).count();
            self.dwelling = match nd {
                0 if class == NOT_POOR && rng.chance(0.6) => "permanent",
                0 if urban && rng.chance(0.5) => "permanent",
                0 | 1 => "semi_permanent",
                2 => "less_permanent",
                _ => "simple",
            };
        }
        // Floor area: under 8 m² per person exactly when deprived.
        let size = self.members.len() as i64;
        if first || (self.floor_tenths < 80 * size) != d[FLOOR] {
            let median: f64 = [11.0, 13.0, 16.0, 22.0][class] * if urban { 0.9 } else { 1.0 };
            let z = if d[FLOOR] {
                // Per person between 4 and 8 m².
                let (a, b) = (
                    norm_cdf((4.0f64.ln() - median.ln()) / 0.45),
                    norm_cdf((8.0f64.ln() - median.ln()) / 0.45),
                );
                super::rng::norm_ppf(a + rng.f64() * (b - a))
            } else {
                let (a, b) = (
                    norm_cdf((8.0f64.ln() - median.ln()) / 0.45),
                    norm_cdf((80.0f64.ln() - median.ln()) / 0.45),
                );
                super::rng::norm_ppf(a + rng.f64() * (b - a))
            };
            let per_person = (median.ln() + 0.45 * z).exp();
            let t = (per_person * size as f64 * 10.0).round() as i64;
            self.floor_tenths = if d[FLOOR] {
                t.clamp(40 * size, 80 * size - 1)
            } else {
                t.max(80 * size)
            };
        }
        // Water and latrine.
        if first || hygienic_water(self.water) == d[WATER] {
            self.water = if d[WATER] {
                pick(rng, &WATER_BAD[region])
            } else if urban {
                pick(rng, &WATER_GOOD_URBAN)
            } else {
                pick(rng, &WATER_GOOD_RURAL[region])
            };
            self.water_minutes = match self.water {
                "piped" | "bottled" | "tanker" => 0,
                "protected_well" | "rainwater" => {
                    if rng.chance(0.85) {
                        0
                    } else {
                        rng.range(5, 15) as i64
                    }
                }
                "unprotected_well" => {
                    if rng.chance(0.6) {
                        0
                    } else {
                        rng.range(5, 25) as i64
                    }
                }
                _ => rng.range(10, if matches!(region, 1 | 3) { 75 } else { 45 }) as i64,
            };
        }
        if first || hygienic_latrine(self.latrine) == d[LATRINE] {
            self.latrine = if d[LATRINE] {
                pick(
                    rng,
                    &LATRINE_BAD[match region {
                        5 => 2,
                        1 | 3 => 1,
                        _ => 0,
                    }],
                )
            } else if urban {
                pick(rng, &LATRINE_GOOD_URBAN)
            } else {
                pick(rng, &LATRINE_GOOD_RURAL)
            };
            self.latrine_shared = self.latrine != "none"
                && rng.chance([0.08, 0.06, 0.04, 0.02][class] + if urban { 0.03 } else { 0.0 });
        }
        // Information assets: none of TV, radio, computer, loudspeaker when deprived.
        let has_info = self.info.iter().any(|x| *x);
        if first || has_info == d[ASSETS] {
            self.info = if d[ASSETS] {
                [false; 4]
            } else {
                let mut i = [
                    rng.chance([0.75, 0.85, 0.92, 0.95][class]),
                    rng.chance(0.08),
                    rng.chance([0.02, 0.04, 0.08, 0.22][class] + if urban { 0.12 } else { 0.0 }),
                    rng.chance(if urban { 0.3 } else { 0.6 }),
                ];
                if !i.iter().any(|x| *x) {
                    i[if rng.chance(0.7) { 0 } else { 3 }] = true;
                }
                i
            };
        }
        // Telecom: nobody uses a phone or the internet when deprived.
        let no_net_p = [0.45, 0.35, 0.22, 0.08][class]
            * if urban { 0.5 } else { 1.0 }
            * 0.85f64.powi(year - 2020);
        let no_internet = (self.u_assets[11] as f64) < no_net_p;
        for p in &mut self.members {
            let a = p.age(year);
            let pp = match a {
                ..=9 => 0.0,
                10..=14 => 0.35,
                15..=65 => 0.92,
                _ => 0.5,
            };
            let pn = match a {
                ..=7 => 0.0,
                8..=14 => 0.5,
                15..=29 => 0.9,
                30..=54 => 0.7,
                _ => 0.25,
            };
            p.phone = !d[TELECOM] && (p.u_phone as f64) < pp;
            p.internet = !d[TELECOM] && !no_internet && (p.u_net as f64) < pn;
        }
        if !d[TELECOM] && !self.members.iter().any(|p| p.phone || p.internet) {
            let i = (0..self.members.len())
                .max_by_key(|&i| self.members[i].age(year))
                .expect("a household has members");
            self.members[i].phone = true;
        }
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
