//! One chunk of households scored: each indicator evaluated (then the
//! missing-value policy), the deprivation count — or, under the weighted
//! rule, the score — as a range when something is unknown, and the class, or
//! every class still possible.

use super::classify::{self, Class, Measure, PoorPath, Shares};
use super::columns::{bool_column, ColRef, Columns};
use super::indicator::{AgeColumns, Plan, Tri};
use super::kernel::{Batch, Kernels};
use super::{member_offsets, MissingOverride, ScoreOptions, EXCLUDED, MEASURE_SCORE, UNDETERMINED};
use crate::error::Result;
use crate::schema::TableKind;
use crate::standard::{MissingPolicy, Standard};
use arrow_array::{Array, RecordBatch};
use std::ops::Range;

/// Scored results of one chunk of households.
#[derive(Default)]
pub(super) struct Out {
    pub(super) indicators: Vec<Vec<Tri>>,
    pub(super) d_min: Vec<u8>,
    pub(super) d_max: Vec<u8>,
    /// Weighted rule only (empty otherwise): score range as numerators over
    /// the weights' denominator, and the severe flag.
    pub(super) s_min: Vec<i64>,
    pub(super) s_max: Vec<i64>,
    pub(super) severe: Vec<Option<bool>>,
    pub(super) class: Vec<&'static str>,
    pub(super) path: Vec<Option<&'static str>>,
    pub(super) measure: Vec<Option<&'static str>>,
    pub(super) possible: Vec<Option<String>>,
    pub(super) unknown: Vec<Option<String>>,
}

/// The household columns the class reads besides the indicators.
struct Inputs<'a> {
    score: Option<ColRef<'a>>,
    income_pc: Option<ColRef<'a>>,
    income_total: Option<ColRef<'a>>,
    size: Option<ColRef<'a>>,
    area: Option<ColRef<'a>>,
}

/// Everything scoring a household needs, resolved once per slice.
pub(super) struct Scorer<'a> {
    st: &'a Standard,
    hh: Columns<'a>,
    mem: Columns<'a>,
    /// Where each household's members are: `offsets[h]..offsets[h + 1]`.
    offsets: Vec<usize>,
    plans: Vec<Plan<'a>>,
    /// The plans' rules compiled to column kernels.
    kernels: Kernels,
    policies: Vec<MissingPolicy>,
    exclude: bool,
    ages: AgeColumns,
    inputs: Inputs<'a>,
    /// Weighted rule: the weights' common denominator and the rule.
    shares: Option<Shares>,
    /// Each weight as a numerator over `shares.den` (0 under the count rules).
    scaled: Vec<i64>,
}

/// One household's indicators counted: deprived for sure, and unknown.
struct Tally<'a> {
    d_min: u32,
    s_min: i64,
    n_unknown: u32,
    unknown_ids: Vec<&'a str>,
}

impl<'a> Scorer<'a> {
    pub(super) fn new(
        st: &'a Standard,
        households: &'a RecordBatch,
        members: &'a RecordBatch,
        opts: &ScoreOptions,
    ) -> Result<Self> {
        let hh = Columns::new(households, TableKind::Households)?;
        let mem = Columns::new(members, TableKind::Members)?;
        let offsets = member_offsets(members, households.num_rows())?;
        let plans: Vec<Plan<'a>> = st
            .indicators
            .iter()
            .map(|ind| Plan {
                ind,
                flag: bool_column(households, &ind.flag_column()),
                members: !opts.no_members,
            })
            .collect();
        let policies = st
            .indicators
            .iter()
            .map(|ind| match opts.missing {
                None | Some(MissingOverride::Exclude) => ind.missing,
                Some(MissingOverride::Unknown) => MissingPolicy::Unknown,
                Some(MissingOverride::NotDeprived) => MissingPolicy::NotDeprived,
                Some(MissingOverride::Deprived) => MissingPolicy::Deprived,
            })
            .collect();
        let col = |name: &str| hh.get(TableKind::Households, name);
        let inputs = Inputs {
            score: st.score.as_ref().and_then(|s| col(&s.column)),
            income_pc: col("income_per_capita_month"),
            income_total: col("income_total_year"),
            size: col("household_size"),
            area: col("area"),
        };
        // Weighted rule: each weight as a numerator over the common denominator.
        let shares = st.weighted.map(|rule| Shares {
            den: st
                .indicators
                .iter()
                .fold(1i64, |l, i| crate::exact::rational::lcm(l, i.weight.den)),
            rule,
        });
        let scaled = st
            .indicators
            .iter()
            .map(|i| shares.map_or(0, |s| i.weight.num * (s.den / i.weight.den)))
            .collect();
        let ages = AgeColumns::new();
        Ok(Scorer {
            st,
            hh,
            mem,
            offsets,
            kernels: Kernels::new(&plans, ages, opts.interpret),
            plans,
            policies,
            exclude: opts.missing == Some(MissingOverride::Exclude),
            ages,
            inputs,
            shares,
            scaled,
        })
    }

    /// Score the households in `range`.
    pub(super) fn chunk(&self, range: Range<usize>) -> Out {
        let mut out = Out {
            indicators: vec![Vec::with_capacity(range.len()); self.plans.len()],
            ..Default::default()
        };
        let batch = Batch {
            hh: &self.hh,
            mem: &self.mem,
            offsets: &self.offsets,
            size: self.inputs.size,
            ages: self.ages,
        };
        let raw = self.kernels.indicators(&self.plans, &batch, range.clone());
        let mut unknown_w: Vec<i64> = Vec::new();
        for (i, h) in range.enumerate() {
            self.household(h, (&raw, i), &mut out, &mut unknown_w);
        }
        out
    }

    /// Score household `h` into `out` from its indicators `raw.0[k][raw.1]`
    /// (before the missing-value policy); `unknown_w` is a reused buffer.
    fn household(
        &self,
        h: usize,
        raw: (&[Vec<Tri>], usize),
        out: &mut Out,
        unknown_w: &mut Vec<i64>,
    ) {
        let hh_size = int_at(self.inputs.size, h).unwrap_or(0).max(0) as usize;
        unknown_w.clear();
        let t = self.indicators(raw, out, unknown_w);
        let d_max = t.d_min + t.n_unknown;
        let urban = matches!(
            self.inputs.area.map(|a| a.value(h)),
            Some(crate::standard::expr::Value::Str("urban"))
        );
        let measure = self.measure(h, hh_size);
        let s_max = t.s_min + unknown_w.iter().sum::<i64>();
        let mut severe = None;
        let (class, path, possible) = if self.exclude && t.n_unknown > 0 {
            (EXCLUDED, None, None)
        } else if let Some(sh) = &self.shares {
            severe = severe_at(sh, t.s_min, s_max);
            by_weighted_score(sh, t.s_min, s_max, unknown_w)
        } else {
            by_count(self.st, urban, measure, (t.d_min, d_max))
        };
        if self.shares.is_some() {
            out.s_min.push(t.s_min);
            out.s_max.push(s_max);
            out.severe.push(severe);
        }
        out.d_min.push(t.d_min as u8);
        out.d_max.push(d_max as u8);
        out.class.push(class);
        out.path.push(path);
        out.measure.push(if self.shares.is_some() {
            Some(MEASURE_SCORE)
        } else {
            measure.map(Measure::name)
        });
        out.possible.push(possible);
        out.unknown.push(if t.unknown_ids.is_empty() {
            None
        } else {
            Some(t.unknown_ids.join(";"))
        });
    }

    /// Apply each indicator's missing-value policy to the household's
    /// answers `raw.0[k][raw.1]`, into `out`, and count them; unknown
    /// weights go to `unknown_w`.
    fn indicators(
        &self,
        raw: (&[Vec<Tri>], usize),
        out: &mut Out,
        unknown_w: &mut Vec<i64>,
    ) -> Tally<'a> {
        let mut t = Tally {
            d_min: 0,
            s_min: 0,
            n_unknown: 0,
            unknown_ids: Vec::new(),
        };
        for (k, plan) in self.plans.iter().enumerate() {
            let mut v = raw.0[k][raw.1];
            if v.is_none() {
                v = match self.policies[k] {
                    MissingPolicy::Unknown => None,
                    MissingPolicy::NotDeprived => Some(false),
                    MissingPolicy::Deprived => Some(true),
                };
            }
            match v {
                Some(true) => {
                    t.d_min += 1;
                    t.s_min += self.scaled[k];
                }
                None => {
                    t.n_unknown += 1;
                    unknown_w.push(self.scaled[k]);
                    t.unknown_ids.push(plan.ind.id.as_str());
                }
                Some(false) => {}
            }
            out.indicators[k].push(v);
        }
        t
    }

    /// The review-form score when the standard has one and the household
    /// carries it, else income per capita, else total income over size.
    fn measure(&self, h: usize, hh_size: usize) -> Option<Measure> {
        match float_at(self.inputs.score, h) {
            Some(s) if self.st.score.is_some() => Some(Measure::Score(s)),
            _ => match (
                int_at(self.inputs.income_pc, h),
                int_at(self.inputs.income_total, h),
            ) {
                (Some(i), _) => Some(Measure::IncomePerCapita(i)),
                (None, Some(t)) => Some(Measure::IncomeTotal {
                    total: t,
                    size: hh_size as i64,
                }),
                _ => None,
            },
        }
    }
}

/// A class, its poor path, and the possible classes when undetermined.
type Classified = (&'static str, Option<&'static str>, Option<String>);

/// Severe is a threshold on the score: known at both ends or unknown.
fn severe_at(sh: &Shares, s_min: i64, s_max: i64) -> Option<bool> {
    match (sh.severe(s_min), sh.severe(s_max)) {
        (Some(true), _) => Some(true),
        (_, Some(false)) => Some(false),
        _ => None,
    }
}

/// Class under the weighted rule from the score range.
fn by_weighted_score(sh: &Shares, s_min: i64, s_max: i64, unknown_w: &[i64]) -> Classified {
    let (lo, hi) = (sh.class(s_min), sh.class(s_max));
    if lo == hi {
        (lo.name(), None, None)
    } else {
        let bits = reachable(sh, s_min, unknown_w);
        (UNDETERMINED, None, Some(class_names(bits)))
    }
}

/// Class under a count rule from the measure and the deprivation range.
fn by_count(st: &Standard, urban: bool, measure: Option<Measure>, d: (u32, u32)) -> Classified {
    let (d_min, d_max) = d;
    match measure {
        None => {
            let bits = classify::without_measure(st, urban, (d_min, d_max));
            (UNDETERMINED, None, Some(class_names(bits)))
        }
        Some(m) => {
            let lo = class_at(st, urban, m, d_min);
            let hi = class_at(st, urban, m, d_max);
            if lo == hi {
                (lo.0.name(), lo.1.map(PoorPath::name), None)
            } else {
                let bits = (d_min..=d_max).fold(0u8, |b, d| b | class_at(st, urban, m, d).0.bit());
                (UNDETERMINED, None, Some(class_names(bits)))
            }
        }
    }
}

fn int_at(c: Option<ColRef<'_>>, i: usize) -> Option<i64> {
    match c {
        Some(ColRef::Int(a)) if a.is_valid(i) => Some(a.value(i)),
        _ => None,
    }
}

fn float_at(c: Option<ColRef<'_>>, i: usize) -> Option<f64> {
    match c {
        Some(ColRef::Float(a)) if a.is_valid(i) => Some(a.value(i)),
        Some(ColRef::Int(a)) if a.is_valid(i) => Some(a.value(i) as f64),
        _ => None,
    }
}

/// Class of a household given its measure and a deprivation count.
fn class_at(st: &Standard, urban: bool, m: Measure, d: u32) -> (Class, Option<PoorPath>) {
    match (m, &st.score) {
        (Measure::Score(s), Some(rule)) => {
            let lines = if urban { &rule.urban } else { &rule.rural };
            classify::by_score(
                st.rule,
                lines,
                s,
                d,
                rule.points_per_indicator,
                rule.deprivation_points,
            )
        }
        _ => classify::by_income(st.rule, st.lines(urban), m, d, st.cutoff),
    }
}

/// Every class a weighted score can reach from `lo` by adding any subset of
/// the unknown indicators' weights, as class bits. A class lying between
/// the two ends can still be unreachable (1/6 known, 1/6 unknown: 1/6 or
/// 1/3, never vulnerable), so the sums are enumerated; past 12 unknowns the
/// classes between the ends are taken (the class is monotone in the score).
fn reachable(sh: &Shares, lo: i64, unknown: &[i64]) -> u8 {
    if unknown.len() > 12 {
        let (top, bottom) = (sh.class(lo + unknown.iter().sum::<i64>()), sh.class(lo));
        return Class::ALL
            .iter()
            .filter(|c| **c >= top && **c <= bottom)
            .filter(|c| match c {
                Class::Poor | Class::NotPoor => true,
                Class::Vulnerable => sh.rule.vulnerable.is_some(),
                _ => false,
            })
            .fold(0, |b, c| b | c.bit());
    }
    let mut sums = vec![lo];
    for w in unknown {
        for i in 0..sums.len() {
            sums.push(sums[i] + w);
        }
    }
    sums.iter().fold(0, |b, s| b | sh.class(*s).bit())
}

fn class_names(bits: u8) -> String {
    Class::ALL
        .iter()
        .filter(|c| bits & c.bit() != 0)
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join("|")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::rational::Ratio;
    use crate::standard::WeightedRule;

    #[test]
    fn reachable_classes_are_enumerated_not_interpolated() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        let sh = Shares {
            den: 18,
            rule: WeightedRule {
                cutoff: r(1, 3),
                vulnerable: Some(r(1, 5)),
                severe: Some(r(1, 2)),
            },
        };
        // 3/18 known and one unknown 3/18: 3/18 or 6/18; vulnerable lies
        // between the two but no combination reaches it.
        assert_eq!(class_names(reachable(&sh, 3, &[3])), "poor|not_poor");
        assert_eq!(
            class_names(reachable(&sh, 3, &[1, 1])),
            "vulnerable|not_poor"
        );
        // Past 12 unknowns: the classes between the two ends.
        assert_eq!(
            class_names(reachable(&sh, 0, &[1; 13])),
            "poor|vulnerable|not_poor"
        );
        let no_band = Shares {
            rule: WeightedRule {
                vulnerable: None,
                ..sh.rule
            },
            ..sh
        };
        assert_eq!(
            class_names(reachable(&no_band, 0, &[1; 13])),
            "poor|not_poor"
        );
    }
}
