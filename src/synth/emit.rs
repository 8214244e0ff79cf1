//! A household's rows for one survey year: the contract's columns filled
//! from its state, the characteristics no 2016–2020 indicator reads (the
//! ones the 2022–2025 standard and the global MPI need: work, contracts,
//! allowances, nutrition, assets, fuel, waste…) derived consistently with
//! its class, and `--missing-rate` applied last.

use super::household::{pick_u, Ctx, Household, Measure, HOUSING};
use super::people::Person;
use super::record::*;
use super::rng::Rng;
use super::targets::{NOT_POOR, POOR};

/// Survey design values of a sampled household.
#[derive(Debug, Clone, Copy)]
pub struct Design {
    pub weight: f64,
}

const MISSING_STREAM: u64 = 0x006d_6973_7369_6e67;

/// The household row for year index `yi`.
pub fn household_row(h: &Household, ctx: &Ctx, yi: usize, design: Option<Design>) -> HhRow {
    let mut r = [Cell::Null; NHK];
    identity_cells(&mut r, h, ctx, yi, design);
    super::kept::kept_cells(&mut r, h, ctx);
    dwelling_cells(&mut r, h);
    asset_cells(&mut r, h);
    r[H_COOKING] = Cell::Str(pick_u(h.asset_uniform(6), cooking_fuels(h.urban, h.class)));
    r[H_WASTE] = Cell::Str(pick_u(h.asset_uniform(7), waste_disposal(h.urban, h.class)));
    let mountain = matches!(h.region, 1 | 3);
    let death = [0.03, 0.02, 0.01, 0.004][h.class] * if mountain { 1.5 } else { 1.0 };
    r[H_CHILD_DEATHS] = Cell::Int(((h.asset_uniform(9) as f64) < death) as i64);
    r
}

/// Year, id, place, survey design, size and income (or score) of the row.
fn identity_cells(r: &mut HhRow, h: &Household, ctx: &Ctx, yi: usize, design: Option<Design>) {
    let year = ctx.targets.years[yi];
    let c = &ctx.frame.communes[h.commune];
    let p = &ctx.frame.provinces[c.province];
    r[H_YEAR] = Cell::Int(year as i64);
    r[H_ID] = Cell::HhId {
        commune: c.code,
        seq: h.seq,
    };
    // Real units: the 63 provinces with districts before 1 July 2025, the
    // 34 units' communes (no district) from the 2025 review on.
    let real = ctx.frame.real[h.commune];
    let after = (crate::geo::AdminScheme::of_year(year as i64) == crate::geo::AdminScheme::Units34)
        .then(|| super::units::after_reform(real.commune, h.seq))
        .flatten();
    match after {
        Some((commune, unit)) => {
            r[H_PROVINCE] = Cell::Str(unit);
            r[H_COMMUNE] = Cell::Str(commune);
        }
        None => {
            r[H_PROVINCE] = Cell::Str(p.code);
            r[H_DISTRICT] = Cell::Str(real.district);
            r[H_COMMUNE] = Cell::Str(real.commune);
        }
    }
    r[H_AREA] = Cell::Str(if h.urban { "urban" } else { "rural" });
    if let Some(d) = design {
        r[H_WEIGHT] = Cell::Float(d.weight);
        r[H_STRATUM] = Cell::Stratum {
            province: p.code,
            urban: h.urban,
        };
        r[H_PSU] = Cell::Digits {
            v: c.code as u64,
            width: 5,
        };
    }
    r[H_SIZE] = Cell::Int(h.members.len() as i64);
    match h.measure {
        Measure::PerCapita => r[H_INCOME_PC] = Cell::Int(h.income),
        Measure::Total => r[H_INCOME_TOTAL] = Cell::Int(h.income_total()),
        Measure::ScoreAndIncome => {
            r[H_INCOME_PC] = Cell::Int(h.income);
            r[H_SCORE] = Cell::Int(h.score());
        }
    }
}

/// The dwelling, water and latrine as `apply` left them, and a finished
/// floor (rarer where the dwelling is deprived).
fn dwelling_cells(r: &mut HhRow, h: &Household) {
    r[H_WALLS] = Cell::Bool(h.durable[0]);
    r[H_COLUMNS] = Cell::Bool(h.durable[1]);
    r[H_ROOF] = Cell::Bool(h.durable[2]);
    r[H_DWELLING] = Cell::Str(h.dwelling);
    r[H_FLOOR] = Cell::Tenths(h.floor_tenths);
    r[H_WATER] = Cell::Str(h.water);
    r[H_LATRINE] = Cell::Str(h.latrine);
    let u_floor = h.asset_uniform(8) as f64;
    r[H_FLOOR_FINISHED] = Cell::Bool(if h.deprived[HOUSING] {
        u_floor < 0.45
    } else {
        u_floor < [0.9, 0.95, 0.98, 0.995][h.class]
    });
    r[H_WATER_MINUTES] = Cell::Int(h.water_minutes);
    r[H_LATRINE_SHARED] = Cell::Bool(h.latrine_shared);
}

/// Information assets as drawn, and the other assets and electricity by
/// class, area and region from the household's persistent uniforms.
fn asset_cells(r: &mut HhRow, h: &Household) {
    let (class, urban) = (h.class, h.urban);
    let mountain = matches!(h.region, 1 | 3);
    let u = |i: usize| h.asset_uniform(i) as f64;
    r[H_TV] = Cell::Bool(h.info[0]);
    r[H_RADIO] = Cell::Bool(h.info[1]);
    r[H_COMPUTER] = Cell::Bool(h.info[2]);
    r[H_LOUDSPEAKER] = Cell::Bool(h.info[3]);
    let any_phone = h.members.iter().any(|m| m.phone);
    r[H_PHONE] = Cell::Bool(any_phone || u(10) < 0.05);
    let up = if urban { 0.1 } else { 0.0 };
    r[H_FRIDGE] = Cell::Bool(u(0) < [0.12, 0.3, 0.55, 0.85][class] + up);
    r[H_BICYCLE] = Cell::Bool(u(1) < [0.4, 0.45, 0.45, 0.4][class]);
    r[H_MOTORBIKE] = Cell::Bool(u(2) < [0.55, 0.75, 0.88, 0.95][class]);
    r[H_CAR] = Cell::Bool(
        u(3) < [0.0, 0.003, 0.01, 0.06][class] + if class == NOT_POOR { up / 3.0 } else { 0.0 },
    );
    r[H_CART] = Cell::Bool(
        u(4) < if !urban && mountain {
            [0.05, 0.03, 0.02, 0.01][class]
        } else {
            0.003
        },
    );
    r[H_ELECTRICITY] = Cell::Bool(
        u(5) < if mountain && class == POOR {
            0.9
        } else {
            [0.96, 0.985, 0.995, 0.999][class]
        },
    );
}

/// Main cooking fuels by area and class; weights, not percentages.
fn cooking_fuels(urban: bool, class: usize) -> &'static [(&'static str, f64)] {
    match (urban, class) {
        (true, POOR) => &[
            ("gas", 45.0),
            ("wood", 30.0),
            ("electricity", 10.0),
            ("coal", 10.0),
            ("charcoal", 5.0),
        ],
        (true, _) => &[
            ("gas", 70.0),
            ("electricity", 22.0),
            ("wood", 5.0),
            ("coal", 2.0),
            ("charcoal", 1.0),
        ],
        (false, POOR) => &[
            ("wood", 70.0),
            ("gas", 15.0),
            ("straw_dung", 10.0),
            ("coal", 3.0),
            ("kerosene", 2.0),
        ],
        (false, NOT_POOR) => &[
            ("gas", 55.0),
            ("wood", 25.0),
            ("electricity", 12.0),
            ("biogas", 4.0),
            ("straw_dung", 4.0),
        ],
        (false, _) => &[
            ("gas", 40.0),
            ("wood", 45.0),
            ("electricity", 6.0),
            ("biogas", 3.0),
            ("straw_dung", 6.0),
        ],
    }
}

/// Waste disposal by area and class; weights, not percentages.
fn waste_disposal(urban: bool, class: usize) -> &'static [(&'static str, f64)] {
    match (urban, class) {
        (true, POOR) => &[
            ("collected", 75.0),
            ("burned_buried", 15.0),
            ("dumped", 10.0),
        ],
        (true, _) => &[("collected", 90.0), ("burned_buried", 7.0), ("dumped", 3.0)],
        (false, NOT_POOR) => &[
            ("collected", 55.0),
            ("burned_buried", 35.0),
            ("composted", 5.0),
            ("dumped", 5.0),
        ],
        (false, _) => &[
            ("collected", 25.0),
            ("burned_buried", 50.0),
            ("composted", 8.0),
            ("dumped", 17.0),
        ],
    }
}

/// The member rows of year index `yi`, in member order, passed to `f`.
pub fn member_rows(h: &Household, ctx: &Ctx, yi: usize, mut f: impl FnMut(&mut MemberRow)) {
    let year = ctx.targets.years[yi];
    let commune = ctx.frame.communes[h.commune].code;
    for p in &h.members {
        let mut r = [Cell::Null; NM];
        r[M_YEAR] = Cell::Int(year as i64);
        r[M_HH] = Cell::HhId {
            commune,
            seq: h.seq,
        };
        r[M_ID] = Cell::Digits {
            v: p.id as u64,
            width: 0,
        };
        r[M_AGE] = Cell::Int(p.age(year) as i64);
        r[M_BIRTH_YEAR] = Cell::Int(p.birth_year as i64);
        r[M_SICK] = Cell::Bool(p.sick);
        if p.sick {
            r[M_SOUGHT] = Cell::Bool(p.sought_care);
        }
        r[M_INSURED] = Cell::Bool(p.insured);
        r[M_PHONE] = Cell::Bool(p.phone);
        r[M_INTERNET] = Cell::Bool(p.internet);
        derived_member_cells(&mut r, h, p, year);
        f(&mut r);
    }
}

/// The member's characteristics no 2016–2020 indicator reads: schooling,
/// work, contract, allowance, nutrition, training, digital skills.
fn derived_member_cells(r: &mut MemberRow, h: &Household, p: &Person, year: i32) {
    let (class, urban) = (h.class, h.urban);
    let a = p.age(year);
    let school = p.in_school(year);
    let level = p.education(year);
    r[M_EDUCATION] = Cell::Str(level);
    r[M_IN_SCHOOL] = Cell::Bool(school);
    let status = employment(a, school, p.u_work as f64, urban, class);
    r[M_EMPLOYMENT] = Cell::Str(status);
    r[M_CONTRACT] = Cell::Bool(
        status == "wage_employee"
            && (p.u_contract as f64)
                < [0.25, 0.35, 0.55, 0.75][class] + if urban { 0.1 } else { 0.0 },
    );
    let ua = p.u_allowance as f64;
    r[M_ALLOWANCE] = Cell::Bool(if a >= 80 {
        ua < 0.85
    } else if a >= 60 && class == POOR {
        ua < 0.25
    } else {
        ua < 0.01
    });
    if a < 16 {
        let reg = if matches!(h.region, 1 | 3) { 1.5 } else { 1.0 };
        let cf = h.class_factor();
        let (s, w) = if a < 5 { (0.16, 0.11) } else { (0.05, 0.04) };
        r[M_STUNTED] = Cell::Bool((p.u_stunted as f64) < s * cf * reg);
        r[M_UNDERWEIGHT] = Cell::Bool((p.u_underweight as f64) < w * cf * reg);
    }
    if a >= 15 {
        r[M_BMI] = Cell::Tenths(p.bmi as i64);
    }
    r[M_YEARS_SCHOOLING] = Cell::Int(p.years_schooling(year));
    r[M_TRAINING] = Cell::Str(if a < 15 || school {
        "none"
    } else {
        training(level, p.u_training as f64)
    });
    r[M_DIGITAL] = Cell::Bool(
        a >= 15
            && p.internet
            && (p.u_digital as f64) < [0.2, 0.25, 0.35, 0.5][class] + if urban { 0.1 } else { 0.0 },
    );
}

/// Employment status from age, schooling and the member's uniform `uw`.
fn employment(a: i32, school: bool, uw: f64, urban: bool, class: usize) -> &'static str {
    if a < 15 || school {
        "inactive"
    } else if a >= 60 {
        if uw < if a >= 65 { 0.75 } else { 0.55 } {
            "inactive"
        } else if uw < 0.93 {
            "self_employed"
        } else {
            "family_worker"
        }
    } else {
        let unemployed = if urban { 0.035 } else { 0.02 };
        let wage = [0.15, 0.25, 0.35, 0.5][class] + if urban { 0.15 } else { 0.0 };
        if uw < unemployed {
            "unemployed"
        } else if uw < unemployed + 0.07 {
            "inactive"
        } else if uw < unemployed + 0.07 + wage {
            "wage_employee"
        } else if uw < unemployed + 0.17 + wage {
            "family_worker"
        } else {
            "self_employed"
        }
    }
}

/// Vocational training of an adult out of school, from their education
/// level and uniform `ut`.
fn training(level: &str, ut: f64) -> &'static str {
    match level {
        "tertiary" => {
            if ut < 0.7 {
                "university"
            } else {
                "college"
            }
        }
        "upper_secondary" if ut < 0.12 => "intermediate",
        "upper_secondary" if ut < 0.22 => "elementary",
        "lower_secondary" if ut < 0.08 => "elementary",
        _ => "none",
    }
}

/// Blank each blankable, non-empty cell with probability `rate`, from the
/// household's own stream: the same cells whatever else is generated.
pub struct Blanker {
    rng: Rng,
    rate: f64,
}

impl Blanker {
    pub fn new(seed: u64, key: u64, yi: usize, rate: f64) -> Blanker {
        Blanker {
            rng: Rng::new(seed ^ MISSING_STREAM, key, yi as u64),
            rate,
        }
    }

    pub fn household(&mut self, r: &mut HhRow) {
        if self.rate <= 0.0 {
            return;
        }
        for (i, c) in r.iter_mut().enumerate() {
            if household_blankable(i) && *c != Cell::Null && self.rng.chance(self.rate) {
                *c = Cell::Null;
            }
        }
    }

    pub fn member(&mut self, r: &mut MemberRow) {
        if self.rate <= 0.0 {
            return;
        }
        for (i, c) in r.iter_mut().enumerate() {
            if member_blankable(i) && *c != Cell::Null && self.rng.chance(self.rate) {
                *c = Cell::Null;
            }
        }
    }
}
