//! The inputs that make each deprivation come out as drawn: who was ill and
//! whether they sought care, who lacks a health insurance card, the parts of
//! the dwelling, its floor area, the water source and latrine (codes by
//! region and area), the information assets, who uses a phone or the
//! internet. What already gives the drawn answer is kept from last year.

use super::*;

/// Water sources by area and region (RRD, NMM, NCC, CH, SE, MRD): those
/// `indicators/vn-2016-2020/water_source.toml` counts as hygienic (good) and
/// the others (bad); weights, not percentages.
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

pub(super) fn hygienic_water(code: &str) -> bool {
    matches!(
        code,
        "piped" | "protected_well" | "protected_spring" | "rainwater" | "bottled"
    )
}

pub(super) fn hygienic_latrine(code: &str) -> bool {
    matches!(
        code,
        "septic_tank" | "sewer" | "double_vault" | "biogas" | "ventilated_pit"
    )
}

impl Household {
    /// Write the inputs that make the indicators come out as `self.deprived`.
    /// What already gives the drawn answer is kept (unless `first`); the
    /// steps draw from `rng` in this order.
    pub(super) fn apply(&mut self, year: i32, rng: &mut Rng, first: bool) {
        self.illness_and_care(year, rng);
        self.insurance(year);
        self.dwelling_parts(rng, first);
        self.floor_area(rng, first);
        self.water_source(rng, first);
        self.sanitation(rng, first);
        self.info_assets(rng, first);
        self.telecom(year);
    }

    /// Health: who was ill this year, and whether they sought care; when
    /// deprived, at least one ill member did not.
    fn illness_and_care(&mut self, year: i32, rng: &mut Rng) {
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
        if !self.deprived[HEALTH_ACCESS] {
            return;
        }
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

    /// Health insurance (children under 6 have free cards; a few lack one);
    /// when deprived, at least one member of 6 or over has no card.
    fn insurance(&mut self, year: i32) {
        let eligible: Vec<usize> = (0..self.members.len())
            .filter(|&i| self.members[i].age(year) >= 6)
            .collect();
        for p in &mut self.members {
            p.insured = p.age(year) >= 6 || p.u_ins >= 0.03;
        }
        if !self.deprived[INSURANCE] || eligible.is_empty() {
            return;
        }
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

    /// Dwelling: at least two of walls, columns, roof non-durable when
    /// deprived; the dwelling type follows from them.
    fn dwelling_parts(&mut self, rng: &mut Rng, first: bool) {
        let deprived = self.deprived[HOUSING];
        let class = self.class;
        let nondurable = self.durable.iter().filter(|x| !**x).count();
        if !first && (nondurable >= 2) == deprived {
            return;
        }
        self.durable = if deprived {
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
            0 if self.urban && rng.chance(0.5) => "permanent",
            0 | 1 => "semi_permanent",
            2 => "less_permanent",
            _ => "simple",
        };
    }

    /// Floor area: under 8 m² per person exactly when deprived, drawn from
    /// a log-normal around the class's median.
    fn floor_area(&mut self, rng: &mut Rng, first: bool) {
        let deprived = self.deprived[FLOOR];
        let size = self.members.len() as i64;
        if !first && (self.floor_tenths < 80 * size) == deprived {
            return;
        }
        let median: f64 = [11.0, 13.0, 16.0, 22.0][self.class] * if self.urban { 0.9 } else { 1.0 };
        // Per person between 4 and 8 m² when deprived, 8 and 80 when not.
        let (lo, hi) = if deprived {
            (4.0f64, 8.0f64)
        } else {
            (8.0, 80.0)
        };
        let (a, b) = (
            norm_cdf((lo.ln() - median.ln()) / 0.45),
            norm_cdf((hi.ln() - median.ln()) / 0.45),
        );
        let z = crate::synth::rng::norm_ppf(a + rng.f64() * (b - a));
        let per_person = (median.ln() + 0.45 * z).exp();
        let t = (per_person * size as f64 * 10.0).round() as i64;
        self.floor_tenths = if deprived {
            t.clamp(40 * size, 80 * size - 1)
        } else {
            t.max(80 * size)
        };
    }

    /// Water source (hygienic or not as drawn, by area and region) and the
    /// minutes to fetch it.
    fn water_source(&mut self, rng: &mut Rng, first: bool) {
        let deprived = self.deprived[WATER];
        let region = self.region;
        if !first && hygienic_water(self.water) != deprived {
            return;
        }
        self.water = if deprived {
            pick(rng, &WATER_BAD[region])
        } else if self.urban {
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

    /// Latrine (hygienic or not as drawn) and whether it is shared.
    fn sanitation(&mut self, rng: &mut Rng, first: bool) {
        let deprived = self.deprived[LATRINE];
        let urban = self.urban;
        if !first && hygienic_latrine(self.latrine) != deprived {
            return;
        }
        self.latrine = if deprived {
            pick(
                rng,
                &LATRINE_BAD[match self.region {
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
            && rng.chance([0.08, 0.06, 0.04, 0.02][self.class] + if urban { 0.03 } else { 0.0 });
    }

    /// Information assets: none of TV, radio, computer, loudspeaker when
    /// deprived, at least one when not.
    fn info_assets(&mut self, rng: &mut Rng, first: bool) {
        let deprived = self.deprived[ASSETS];
        let (class, urban) = (self.class, self.urban);
        let has_info = self.info.iter().any(|x| *x);
        if !first && has_info != deprived {
            return;
        }
        self.info = if deprived {
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

    /// Telecom: nobody uses a phone or the internet when deprived; when not,
    /// by age, with at least one phone user (the oldest member).
    fn telecom(&mut self, year: i32) {
        let deprived = self.deprived[TELECOM];
        let no_net_p = [0.45, 0.35, 0.22, 0.08][self.class]
            * if self.urban { 0.5 } else { 1.0 }
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
            p.phone = !deprived && (p.u_phone as f64) < pp;
            p.internet = !deprived && !no_internet && (p.u_net as f64) < pn;
        }
        if !deprived && !self.members.iter().any(|p| p.phone || p.internet) {
            let i = (0..self.members.len())
                .max_by_key(|&i| self.members[i].age(year))
                .expect("a household has members");
            self.members[i].phone = true;
        }
    }
}
