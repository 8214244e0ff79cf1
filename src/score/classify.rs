//! The legal classification rule as pure functions: a living-standard measure
//! (income in integer VND, or a review-form score), the lines of the standard,
//! and whether the deprivation cut-off is met → a class and the path to poor.
//! Inclusive upper bounds everywhere ("từ … trở xuống" = ≤), no rounding.

use crate::exact::rational::Ratio;
use crate::standard::{ClassRule, IncomeLines, ScoreLines, Standard, WeightedRule};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Poor,
    NearPoor,
    /// Weighted rule: deprived in a share of the weights between the
    /// vulnerability band and the cut-off (the global MPI's "vulnerable to
    /// multidimensional poverty"). Not near-poor: no income is involved.
    Vulnerable,
    Average,
    NotPoor,
}

impl Class {
    /// In output order; also the order of `possible_classes`.
    pub const ALL: [Class; 5] = [
        Class::Poor,
        Class::NearPoor,
        Class::Vulnerable,
        Class::Average,
        Class::NotPoor,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Class::Poor => "poor",
            Class::NearPoor => "near_poor",
            Class::Vulnerable => "vulnerable",
            Class::Average => "average",
            Class::NotPoor => "not_poor",
        }
    }
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The classes a standard can give, in output order: the count rules give
/// poor, near-poor, average (only when an average band is defined) and not
/// poor; the weighted rule gives poor, vulnerable (with that band) and not
/// poor. Tables, estimates and the report show these and no others.
pub fn defined(st: &Standard) -> Vec<Class> {
    match (st.rule, &st.weighted) {
        (ClassRule::Weighted, w) => {
            let mut c = vec![Class::Poor];
            if w.is_some_and(|w| w.vulnerable.is_some()) {
                c.push(Class::Vulnerable);
            }
            c.push(Class::NotPoor);
            c
        }
        _ => {
            let mut c = vec![Class::Poor, Class::NearPoor];
            if st.rural.average.is_some() || st.urban.average.is_some() {
                c.push(Class::Average);
            }
            c.push(Class::NotPoor);
            c
        }
    }
}

/// The weighted rule over scores held as integer numerators of a common
/// denominator (the weights' least common multiple): every comparison is
/// `num × k.den ≥ k.num × den` in integers, so a score of exactly 1/3
/// (1/6 + 3 × 1/18 = 6/18) is never missed by rounding.
#[derive(Debug, Clone, Copy)]
pub struct Shares {
    pub den: i64,
    pub rule: WeightedRule,
}

impl Shares {
    fn at_least(&self, num: i64, k: Ratio) -> bool {
        (num as i128) * (k.den as i128) >= (k.num as i128) * (self.den as i128)
    }

    pub fn class(&self, num: i64) -> Class {
        if self.at_least(num, self.rule.cutoff) {
            Class::Poor
        } else if self.rule.vulnerable.is_some_and(|v| self.at_least(num, v)) {
            Class::Vulnerable
        } else {
            Class::NotPoor
        }
    }

    /// In severe poverty (None when the standard defines no severe band).
    pub fn severe(&self, num: i64) -> Option<bool> {
        self.rule.severe.map(|s| self.at_least(num, s))
    }
}

/// Why a poor household is poor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PoorPath {
    /// Union rule: at or below the poverty line, whatever the deprivations.
    Income,
    /// Union rule: in the near-poor band with deprivations at or above the cut-off.
    Deprivation,
    /// Intersection rule: at or below the line and deprived at the cut-off.
    IncomeAndDeprivation,
}

impl PoorPath {
    pub fn name(self) -> &'static str {
        match self {
            PoorPath::Income => "income",
            PoorPath::Deprivation => "deprivation",
            PoorPath::IncomeAndDeprivation => "income_and_deprivation",
        }
    }
}

/// Which measure of living standard classified the household.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    Score(f64),
    IncomePerCapita(i64),
    /// Total income over 12 months and household size.
    IncomeTotal {
        total: i64,
        size: i64,
    },
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Score(_) => "score",
            Measure::IncomePerCapita(_) => "income_per_capita",
            Measure::IncomeTotal { .. } => "income_total",
        }
    }
}

/// Where a measure sits against the lines: is it ≤ each line?
#[derive(Debug, Clone, Copy)]
struct Position {
    le_poverty: bool,
    le_near: Option<bool>,
    le_average: Option<bool>,
}

fn income_le(m: Measure, line: i64) -> bool {
    match m {
        Measure::IncomePerCapita(i) => i <= line,
        // total ≤ line × 12 × size, in integers wide enough never to overflow.
        Measure::IncomeTotal { total, size } => {
            (total as i128) <= (line as i128) * 12 * (size as i128)
        }
        Measure::Score(s) => s <= line as f64,
    }
}

fn position_income(m: Measure, l: &IncomeLines) -> Position {
    Position {
        le_poverty: income_le(m, l.poverty),
        le_near: l.near_poverty.map(|n| income_le(m, n)),
        le_average: l.average.map(|a| income_le(m, a)),
    }
}

fn position_score(score: f64, l: &ScoreLines) -> Position {
    Position {
        le_poverty: score <= l.poverty,
        le_near: l.near_poverty.map(|n| score <= n),
        // Score tables define no average-living band.
        le_average: None,
    }
}

fn classify_position(rule: ClassRule, p: Position, deprived: bool) -> (Class, Option<PoorPath>) {
    match rule {
        ClassRule::Union => {
            if p.le_poverty {
                (Class::Poor, Some(PoorPath::Income))
            } else if p.le_near == Some(true) {
                if deprived {
                    (Class::Poor, Some(PoorPath::Deprivation))
                } else {
                    (Class::NearPoor, None)
                }
            } else if p.le_average == Some(true) {
                (Class::Average, None)
            } else {
                (Class::NotPoor, None)
            }
        }
        ClassRule::Intersection => {
            if p.le_poverty {
                if deprived {
                    (Class::Poor, Some(PoorPath::IncomeAndDeprivation))
                } else {
                    (Class::NearPoor, None)
                }
            } else if p.le_average == Some(true) {
                (Class::Average, None)
            } else {
                (Class::NotPoor, None)
            }
        }
        // The weighted rule never reaches the income classifier (see
        // `Shares`); if it did, the deprivation condition alone decides.
        ClassRule::Weighted => {
            if deprived {
                (Class::Poor, None)
            } else {
                (Class::NotPoor, None)
            }
        }
    }
}

/// The bands a measure can fall in against a set of lines (each a position),
/// lowest first: at or below the poverty line, then each higher line's own
/// band where it is not empty, then above every line.
fn bands(poverty: f64, near: Option<f64>, average: Option<f64>) -> Vec<Position> {
    let at = |v: Option<f64>, x: f64| v.map(|l| x <= l);
    // A representative value in each band: the line itself (bounds are
    // inclusive), and anything above the highest line.
    let mut values = vec![poverty];
    for l in [near, average].into_iter().flatten() {
        if l > *values.last().unwrap_or(&poverty) {
            values.push(l);
        }
    }
    let top = values.last().copied().unwrap_or(poverty);
    values.push(top + 1.0);
    values
        .into_iter()
        .map(|x| Position {
            le_poverty: x <= poverty,
            le_near: at(near, x),
            le_average: at(average, x),
        })
        .collect()
}

/// Every class a household can get when its living standard is unknown
/// (no income, no score), as class bits: each band of the lines at both ends
/// of its deprivation range `d` (deprivation decides monotonically within a
/// band, so the two ends are enough). Under Decree 07/2021's intersection
/// rule a household known to have no deprivation can never be poor, and one
/// with four can never be near-poor; under the union rule any household can
/// be income-poor. With a score rule, the score's bands count too.
pub fn without_measure(st: &Standard, urban: bool, d: (u32, u32)) -> u8 {
    let l = st.lines(urban);
    let mut bits = 0u8;
    for p in bands(
        l.poverty as f64,
        l.near_poverty.map(|v| v as f64),
        l.average.map(|v| v as f64),
    ) {
        for dep in [d.0, d.1] {
            bits |= classify_position(st.rule, p, dep >= st.cutoff).0.bit();
        }
    }
    if let Some(rule) = &st.score {
        let lines = if urban { &rule.urban } else { &rule.rural };
        for p in bands(lines.poverty, lines.near_poverty, None) {
            for dep in [d.0, d.1] {
                let points = dep.saturating_mul(rule.points_per_indicator);
                bits |= classify_position(st.rule, p, points >= rule.deprivation_points)
                    .0
                    .bit();
            }
        }
    }
    bits
}

/// Classify by income (per capita or total).
pub fn by_income(
    rule: ClassRule,
    lines: &IncomeLines,
    m: Measure,
    deprivations: u32,
    cutoff: u32,
) -> (Class, Option<PoorPath>) {
    classify_position(rule, position_income(m, lines), deprivations >= cutoff)
}

/// Classify by review-form score: deprivation points = points × count,
/// compared with the score rule's threshold (B2 ≥ 30).
pub fn by_score(
    rule: ClassRule,
    lines: &ScoreLines,
    score: f64,
    deprivations: u32,
    points_per_indicator: u32,
    deprivation_points: u32,
) -> (Class, Option<PoorPath>) {
    let points = deprivations.saturating_mul(points_per_indicator);
    classify_position(
        rule,
        position_score(score, lines),
        points >= deprivation_points,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const RURAL: IncomeLines = IncomeLines {
        poverty: 700_000,
        near_poverty: Some(1_000_000),
        average: Some(1_500_000),
    };
    const URBAN: IncomeLines = IncomeLines {
        poverty: 900_000,
        near_poverty: Some(1_300_000),
        average: Some(1_950_000),
    };

    fn inc(l: &IncomeLines, i: i64, d: u32) -> (Class, Option<PoorPath>) {
        by_income(ClassRule::Union, l, Measure::IncomePerCapita(i), d, 3)
    }

    #[test]
    fn spec_section_8_vectors_d59() {
        use Class::*;
        assert_eq!(inc(&RURAL, 700_000, 0), (Poor, Some(PoorPath::Income)));
        assert_eq!(inc(&RURAL, 700_001, 3), (Poor, Some(PoorPath::Deprivation)));
        assert_eq!(inc(&RURAL, 1_000_000, 2), (NearPoor, None));
        assert_eq!(inc(&RURAL, 1_000_001, 5), (Average, None));
        assert_eq!(inc(&URBAN, 900_000, 0), (Poor, Some(PoorPath::Income)));
        assert_eq!(
            inc(&URBAN, 1_300_000, 3),
            (Poor, Some(PoorPath::Deprivation))
        );
        assert_eq!(inc(&URBAN, 1_950_001, 0), (NotPoor, None));
    }

    #[test]
    fn every_line_exactly_and_one_above() {
        use Class::*;
        for (l, p, n, m) in [
            (&RURAL, 700_000, 1_000_000, 1_500_000),
            (&URBAN, 900_000, 1_300_000, 1_950_000),
        ] {
            assert_eq!(inc(l, p, 10).0, Poor);
            assert_eq!(inc(l, p + 1, 2).0, NearPoor);
            assert_eq!(inc(l, n, 2).0, NearPoor);
            assert_eq!(inc(l, n, 3).0, Poor);
            assert_eq!(inc(l, n + 1, 10).0, Average);
            assert_eq!(inc(l, m, 0).0, Average);
            assert_eq!(inc(l, m + 1, 0).0, NotPoor);
            assert_eq!(inc(l, 0, 0).0, Poor);
        }
    }

    #[test]
    fn total_income_compares_in_integers() {
        // 700,000 × 12 × 3 = 25,200,000 exactly at the line; one dong more is above.
        let at = Measure::IncomeTotal {
            total: 25_200_000,
            size: 3,
        };
        let above = Measure::IncomeTotal {
            total: 25_200_001,
            size: 3,
        };
        assert_eq!(by_income(ClassRule::Union, &RURAL, at, 0, 3).0, Class::Poor);
        assert_eq!(
            by_income(ClassRule::Union, &RURAL, above, 0, 3).0,
            Class::NearPoor
        );
        // Per-capita rounding would call 25,200,001 / 36 = 700,000.03 "700,000": we don't.
    }

    #[test]
    fn score_vectors_circular_14_2018() {
        let rural = ScoreLines {
            poverty: 120.0,
            near_poverty: Some(150.0),
        };
        let urban = ScoreLines {
            poverty: 140.0,
            near_poverty: Some(175.0),
        };
        let s = |l: &ScoreLines, b1: f64, d: u32| by_score(ClassRule::Union, l, b1, d, 10, 30);
        assert_eq!(
            s(&rural, 150.0, 3),
            (Class::Poor, Some(PoorPath::Deprivation))
        );
        assert_eq!(s(&urban, 140.0, 0), (Class::Poor, Some(PoorPath::Income)));
        assert_eq!(s(&rural, 120.0, 0).0, Class::Poor);
        assert_eq!(s(&rural, 121.0, 2).0, Class::NearPoor);
        assert_eq!(s(&rural, 150.0, 2).0, Class::NearPoor);
        assert_eq!(s(&rural, 151.0, 9).0, Class::NotPoor);
        assert_eq!(s(&urban, 175.0, 2).0, Class::NearPoor);
        assert_eq!(s(&urban, 176.0, 0).0, Class::NotPoor);
    }

    #[test]
    fn weighted_rule_exact_at_every_band() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        let sh = Shares {
            den: 18,
            rule: WeightedRule {
                cutoff: r(1, 3),
                vulnerable: Some(r(1, 5)),
                severe: Some(r(1, 2)),
            },
        };
        // 1/6 + 3 × 1/18 = 6/18 = 1/3 exactly: poor.
        assert_eq!(sh.class(3 + 3), Class::Poor);
        // 1/3 − 1/18 = 5/18: vulnerable (5/18 ≥ 1/5).
        assert_eq!(sh.class(5), Class::Vulnerable);
        // 4/18 = 0.222 ≥ 1/5; 3/18 = 0.1667 < 1/5.
        assert_eq!(sh.class(4), Class::Vulnerable);
        assert_eq!(sh.class(3), Class::NotPoor);
        assert_eq!(sh.severe(9), Some(true), "9/18 = 1/2 exactly is severe");
        assert_eq!(sh.severe(8), Some(false));
        // 1/5 exactly over a denominator of 10.
        let tenths = Shares { den: 10, ..sh };
        assert_eq!(tenths.class(2), Class::Vulnerable);
        assert_eq!(tenths.class(1), Class::NotPoor);
    }

    /// Households with no income and no score: the classes each band of
    /// the lines gives at both ends of the deprivation range, and no other.
    #[test]
    fn without_measure_follows_the_rule_and_the_known_deprivations() {
        let national = crate::standard::select::national().unwrap();
        let st = |id: &str| national.iter().find(|s| s.id == id).unwrap().clone();
        let names = |bits: u8| -> Vec<&str> {
            Class::ALL
                .iter()
                .filter(|c| bits & c.bit() != 0)
                .map(|c| c.name())
                .collect()
        };
        let d07 = st("vn-2022-2025");
        for urban in [false, true] {
            // Intersection: no deprivation can never be poor; four can never be near-poor.
            assert_eq!(
                names(without_measure(&d07, urban, (0, 0))),
                ["near_poor", "average", "not_poor"]
            );
            assert_eq!(
                names(without_measure(&d07, urban, (4, 4))),
                ["poor", "average", "not_poor"]
            );
            assert_eq!(
                names(without_measure(&d07, urban, (2, 3))),
                ["poor", "near_poor", "average", "not_poor"]
            );
        }
        let d59 = st("vn-2016-2020");
        let above_near = if d59.rural.average.is_some() {
            "average"
        } else {
            "not_poor"
        };
        // Union: income-poor whatever the deprivations; near-poor only below the cut-off.
        let zero = names(without_measure(&d59, false, (0, 0)));
        assert!(zero.starts_with(&["poor", "near_poor"]) && zero.contains(&above_near));
        let four = names(without_measure(&d59, false, (4, 4)));
        assert!(four[0] == "poor" && !four.contains(&"near_poor") && four.contains(&above_near));
    }

    #[test]
    fn intersection_rule_d07_vectors() {
        let rural = IncomeLines {
            poverty: 1_500_000,
            near_poverty: None,
            average: Some(2_250_000),
        };
        let urban = IncomeLines {
            poverty: 2_000_000,
            near_poverty: None,
            average: Some(3_000_000),
        };
        let f = |l: &IncomeLines, i: i64, d: u32| {
            by_income(
                ClassRule::Intersection,
                l,
                Measure::IncomePerCapita(i),
                d,
                3,
            )
            .0
        };
        assert_eq!(f(&rural, 1_500_000, 2), Class::NearPoor);
        assert_eq!(f(&rural, 1_500_000, 3), Class::Poor);
        assert_eq!(f(&urban, 2_000_001, 12), Class::Average);
        assert_eq!(f(&rural, 1_000_000, 0), Class::NearPoor);
    }
}
