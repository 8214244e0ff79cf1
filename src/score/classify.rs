//! The legal classification rule as pure functions: a living-standard measure
//! (income in integer VND, or a review-form score), the lines of the standard,
//! and whether the deprivation cut-off is met → a class and the path to poor.
//! Inclusive upper bounds everywhere ("từ … trở xuống" = ≤), no rounding.

use crate::standard::{ClassRule, IncomeLines, ScoreLines};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Poor,
    NearPoor,
    Average,
    NotPoor,
}

impl Class {
    pub const ALL: [Class; 4] = [Class::Poor, Class::NearPoor, Class::Average, Class::NotPoor];
    pub fn name(self) -> &'static str {
        match self {
            Class::Poor => "poor",
            Class::NearPoor => "near_poor",
            Class::Average => "average",
            Class::NotPoor => "not_poor",
        }
    }
    pub fn bit(self) -> u8 {
        1 << (self as u8)
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
    }
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
