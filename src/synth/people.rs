//! Who lives in a synthetic household: its size, the ages of its members
//! (couples, children, grandparents, old people living alone), and what
//! stays true of a person from year to year (birth year, the age they leave
//! school, how likely they are to use a phone, to be insured, to work for a
//! wage). Regional sizes follow the 2019 census pattern: larger households
//! in the northern mountains and the Central Highlands, smaller in the
//! deltas and the Southeast; 3.6 persons on average nationally.

use super::rng::Rng;
use super::targets::{AVERAGE, NEAR, NOT_POOR, POOR};

/// Weights of household sizes 1..=8 by region (8 stands for 8 to 10).
const SIZE_WEIGHTS: [[f64; 8]; 6] = [
    [11.0, 22.0, 22.0, 25.0, 11.0, 6.0, 2.0, 1.0], // RRD
    [6.0, 15.0, 19.0, 27.0, 17.0, 9.0, 4.0, 3.0],  // NMM
    [9.0, 18.0, 20.0, 26.0, 14.0, 8.0, 3.0, 2.0],  // NCC
    [5.0, 13.0, 19.0, 28.0, 18.0, 10.0, 4.0, 3.0], // CH
    [12.0, 21.0, 23.0, 24.0, 11.0, 5.0, 2.0, 2.0], // SE
    [8.0, 19.0, 23.0, 26.0, 13.0, 7.0, 2.0, 2.0],  // MRD
];

/// Mean household size of a region's distribution (8 counts as 9).
pub fn region_mean_size(region: usize) -> f64 {
    let w = &SIZE_WEIGHTS[region];
    let total: f64 = w.iter().sum();
    w.iter()
        .enumerate()
        .map(|(i, x)| x * if i == 7 { 9.0 } else { (i + 1) as f64 })
        .sum::<f64>()
        / total
}

/// One person, with what persists across survey years.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: u16,
    pub birth_year: i32,
    /// Birthday falls after the survey date: completed age is one less.
    pub late_birthday: bool,
    /// Age at which the person leaves (or left) full-time education.
    pub exit_age: u8,
    /// A child of 3–4 who goes to pre-school.
    pub preschool: bool,
    /// Uniform draws that stay with the person.
    pub u_ins: f32,
    pub u_phone: f32,
    pub u_net: f32,
    pub u_digital: f32,
    pub u_work: f32,
    pub u_contract: f32,
    pub u_allowance: f32,
    pub u_training: f32,
    pub u_stunted: f32,
    pub u_underweight: f32,
    /// BMI in tenths (adults).
    pub bmi: i16,
    // This year's state, set by the household each year.
    pub sick: bool,
    pub sought_care: bool,
    pub insured: bool,
    pub phone: bool,
    pub internet: bool,
}

impl Person {
    pub fn age(&self, year: i32) -> i32 {
        year - self.birth_year - self.late_birthday as i32
    }

    /// Highest level completed by `year`: primary at 11, lower secondary at
    /// 15, upper secondary at 18, college or university at 22.
    pub fn education(&self, year: i32) -> &'static str {
        let done = self.age(year).min(self.exit_age as i32);
        match done {
            ..=10 => "none",
            11..=14 => "primary",
            15..=17 => "lower_secondary",
            18..=21 => "upper_secondary",
            _ => "tertiary",
        }
    }

    pub fn in_school(&self, year: i32) -> bool {
        let a = self.age(year);
        (5..self.exit_age as i32).contains(&a) || ((3..5).contains(&a) && self.preschool)
    }

    pub fn years_schooling(&self, year: i32) -> i64 {
        (self.age(year).min(self.exit_age as i32) - 6).clamp(0, 18) as i64
    }
}

/// Context a person is drawn in: survey year, region, area, household class.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub year: i32,
    pub region: usize,
    pub urban: bool,
    pub class: usize,
}

/// Multiplier of early school leaving by region (RRD, NMM, NCC, CH, SE, MRD).
const EARLY_EXIT_REGION: [f64; 6] = [0.5, 2.0, 0.9, 1.8, 0.8, 1.6];

/// Draw the age a person leaves school: early (9–14, before completing
/// lower secondary) with a probability that falls with the birth cohort and
/// rises with poverty; otherwise after lower secondary, upper secondary or
/// a degree.
fn exit_age(rng: &mut Rng, birth_year: i32, s: Setting) -> u8 {
    let cohort = match birth_year {
        ..=1959 => 0.7,
        1960..=1974 => 0.45,
        1975..=1985 => 0.28,
        1986..=1995 => 0.10,
        1996..=2005 => 0.05,
        _ => 0.022,
    };
    let class = [2.6, 1.8, 1.2, 0.6][s.class];
    let early =
        (cohort * class * EARLY_EXIT_REGION[s.region] * if s.urban { 0.5 } else { 1.0 }).min(0.9);
    if rng.chance(early) {
        return rng.range(9, 14) as u8;
    }
    let degree = ([0.02, 0.04, 0.08, 0.18][s.class] + if s.urban { 0.08 } else { 0.0 })
        * if birth_year < 1975 { 0.5 } else { 1.0 };
    let x = rng.f64();
    if x < degree {
        rng.range(22, 24) as u8
    } else if x < degree + 0.45 {
        rng.range(18, 21) as u8
    } else {
        rng.range(15, 17) as u8
    }
}

/// A new person aged `age` at the survey of `s.year`.
pub fn person(rng: &mut Rng, id: u16, age: i32, s: Setting) -> Person {
    let late_birthday = rng.chance(0.5);
    let birth_year = s.year - age - late_birthday as i32;
    let bmi_mean = [19.8, 20.6, 21.4, 22.3][s.class] + if s.urban { 0.5 } else { 0.0 };
    let bmi = (bmi_mean + 2.6 * rng.normal()).clamp(14.0, 40.0);
    Person {
        id,
        birth_year,
        late_birthday,
        exit_age: exit_age(rng, birth_year, s),
        preschool: rng.chance(if s.urban { 0.92 } else { 0.85 }),
        u_ins: rng.f64() as f32,
        u_phone: rng.f64() as f32,
        u_net: rng.f64() as f32,
        u_digital: rng.f64() as f32,
        u_work: rng.f64() as f32,
        u_contract: rng.f64() as f32,
        u_allowance: rng.f64() as f32,
        u_training: rng.f64() as f32,
        u_stunted: rng.f64() as f32,
        u_underweight: rng.f64() as f32,
        bmi: (bmi * 10.0).round() as i16,
        sick: false,
        sought_care: false,
        insured: true,
        phone: false,
        internet: false,
    }
}

/// Household size for a region and class: the poor somewhat larger (more
/// dependants), the not poor somewhat smaller.
pub fn draw_size(rng: &mut Rng, region: usize, class: usize) -> usize {
    let mut w = SIZE_WEIGHTS[region];
    let big = match class {
        POOR => 1.35,
        NEAR => 1.2,
        AVERAGE => 1.05,
        _ => 0.95,
    };
    for x in &mut w[4..] {
        *x *= big;
    }
    let i = rng.pick(&w);
    if i == 7 {
        rng.range(8, 10) as usize
    } else {
        i + 1
    }
}

/// The ages of a household of `size`: a head and spouse, their children,
/// sometimes grandparents; one- and two-person households are mostly the
/// old or young couples.
pub fn draw_ages(rng: &mut Rng, size: usize, out: &mut Vec<i32>) {
    out.clear();
    match size {
        1 => out.push(if rng.chance(0.55) {
            rng.range(60, 92)
        } else {
            rng.range(20, 59)
        }),
        2 => {
            let x = rng.f64();
            if x < 0.45 {
                let h = rng.range(45, 85);
                out.extend([h, (h + rng.range(-5, 3)).max(40)]);
            } else if x < 0.7 {
                let h = rng.range(21, 35);
                out.extend([h, (h + rng.range(-4, 2)).max(18)]);
            } else {
                let h = rng.range(28, 75);
                out.extend([h, rng.range(0, (h - 19).min(40))]);
            }
        }
        _ => {
            let grand = if size >= 4 && rng.chance(0.35) {
                1 + rng.chance(0.5) as usize
            } else if size == 3 && rng.chance(0.12) {
                1
            } else {
                0
            };
            let grand = grand.min(size - 2);
            let children = size - 2 - grand;
            // The older the head, the older the children can be.
            let head = rng.range(22 + 2 * children.min(6) as i32, 56);
            out.extend([head, (head + rng.range(-6, 2)).max(18)]);
            // The first child born when the parents were 20 to 30.
            let mut eldest = (head - rng.range(20, 30)).max(0);
            for _ in 0..children {
                out.push(eldest.max(0));
                eldest -= rng.range(1, 5);
                if eldest < 0 {
                    eldest = rng.range(0, 2);
                }
            }
            for _ in 0..grand {
                out.push((head + rng.range(22, 32)).min(98));
            }
        }
    }
}

/// Annual probability of death at an age (Vietnam's crude death rate is
/// about 6 per thousand).
pub fn death_rate(age: i32) -> f64 {
    match age {
        0 => 0.012,
        1..=39 => 0.0008,
        40..=59 => 0.003,
        60..=69 => 0.012,
        70..=79 => 0.03,
        _ => 0.10,
    }
}

/// How much more likely a person of this class is to be deprived, used by
/// the person-level characteristics (stunting, no contract…).
pub fn class_factor(class: usize) -> f64 {
    match class {
        POOR => 2.2,
        NEAR => 1.6,
        AVERAGE => 1.1,
        NOT_POOR => 0.7,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_average_about_three_point_six_nationally() {
        // Region means, and the national mean with 2019 population weights
        // roughly as in provinces.csv (RRD 23 %, NMM 13 %, NCC 21 %, CH 6 %, SE 19 %, MRD 18 %).
        let pop = [22.5, 13.1, 20.6, 6.1, 18.7, 18.0];
        let hh: f64 = (0..6).map(|r| pop[r] / region_mean_size(r)).sum();
        let mean = pop.iter().sum::<f64>() / hh;
        assert!((3.5..3.7).contains(&mean), "{mean}");
    }

    #[test]
    fn schooling_follows_the_exit_age() {
        let mut r = Rng::new(1, 1, 1);
        let s = Setting {
            year: 2020,
            region: 0,
            urban: false,
            class: NOT_POOR,
        };
        let mut p = person(&mut r, 1, 30, s);
        p.exit_age = 13;
        assert_eq!(p.education(2020), "primary");
        assert!(!p.in_school(2020));
        p.birth_year = 2010;
        p.late_birthday = false;
        assert!(p.in_school(2020));
        assert_eq!(p.education(2020), "none");
        assert!(!p.in_school(2023), "left school at 13");
        p.exit_age = 16;
        assert_eq!(p.education(2026), "lower_secondary");
        assert!(p.in_school(2025));
        assert_eq!(p.years_schooling(2026), 10);
    }
}
