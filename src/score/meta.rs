//! What a scored file says about the standard that scored it, read once
//! from its metadata (the `META_*` keys `score` writes) into one typed
//! `ScoredMeta`: tables, estimates, comparisons and the report read this,
//! never the keys.

use super::{
    META_ADMIN_SCHEME, META_CLASSES, META_CUTOFF, META_DESIGN, META_INDICATORS, META_MISSING,
    META_ORIGIN, META_PROVISIONAL, META_RULE, META_SEVERE, META_STANDARD, META_VERSION,
    META_VULNERABLE, META_WEIGHTS,
};
use crate::exact::rational::Ratio;
use crate::geo::AdminScheme;
use crate::standard::ClassRule;
use arrow_array::RecordBatch;

/// Files scored before the classes were recorded had these four.
const LEGACY: [&str; 4] = ["poor", "near_poor", "average", "not_poor"];

/// The standard's deprivation cut-off as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cutoff {
    /// Count rules: poor with at least this many deprivations.
    Count(i64),
    /// Weighted rule: poor with a deprivation score of at least this share.
    Share(Ratio),
}

/// The metadata of a scored file (one survey year).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredMeta {
    /// The standard's id (`vn-2022-2025`); empty when not recorded.
    pub standard: String,
    pub version: String,
    /// Indicator ids, in the scored file's order.
    pub indicators: Vec<String>,
    pub missing: String,
    /// Exact weights in indicator order; None when not recorded (files
    /// scored before they were) or not one per indicator.
    pub weights: Option<Vec<Ratio>>,
    pub cutoff: Option<Cutoff>,
    /// The classification rule; files scored before it was recorded were
    /// scored under the union rule.
    pub rule: ClassRule,
    /// The standard's classes in output order, without `undetermined` and
    /// `excluded` (which every standard can give).
    pub classes: Vec<String>,
    /// Weighted rule: the vulnerability band's lower bound.
    pub vulnerable: Option<Ratio>,
    /// Weighted rule: the severe-poverty cut-off (the file then has a
    /// `severe` column).
    pub severe: Option<Ratio>,
    /// The records carry a weight, stratum or PSU.
    pub sample: bool,
    /// `bundled:<id>` or the standard's folder.
    pub origin: String,
    pub provisional: bool,
    /// The administrative scheme of the year's codes (63 provinces, or the
    /// 34 units from 1 July 2025): how its provinces are named.
    pub admin: AdminScheme,
}

impl ScoredMeta {
    /// The metadata of a scored batch; a file scored before the scheme was
    /// recorded is in its survey year's.
    pub fn of(batch: &RecordBatch) -> ScoredMeta {
        ScoredMeta {
            admin: super::admin_scheme_of(batch),
            ..ScoredMeta::of_metadata(batch.schema_ref().metadata())
        }
    }

    /// The metadata of a scored file of survey year `year` (a file scored
    /// before the scheme was recorded is in the year's).
    pub fn of_year_metadata(meta: &arrow_schema::Metadata, year: i64) -> ScoredMeta {
        ScoredMeta {
            admin: (meta.get(META_ADMIN_SCHEME))
                .and_then(|s| AdminScheme::parse(s))
                .unwrap_or(AdminScheme::of_year(year)),
            ..ScoredMeta::of_metadata(meta)
        }
    }

    pub fn of_metadata(meta: &arrow_schema::Metadata) -> ScoredMeta {
        let get = |k: &str| meta.get(k).cloned().unwrap_or_default();
        let list = |s: &str| -> Vec<String> {
            (s.split(','))
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect()
        };
        let indicators = list(&get(META_INDICATORS));
        let rule = match get(META_RULE).as_str() {
            "intersection" => ClassRule::Intersection,
            "weighted" => ClassRule::Weighted,
            _ => ClassRule::Union,
        };
        let weights = (get(META_WEIGHTS).split(','))
            .map(Ratio::parse)
            .collect::<Option<Vec<Ratio>>>()
            .filter(|w| w.len() == indicators.len());
        let cutoff = match rule {
            ClassRule::Weighted => Ratio::parse(&get(META_CUTOFF)).map(Cutoff::Share),
            _ => get(META_CUTOFF).parse().ok().map(Cutoff::Count),
        };
        let classes = match meta.get(META_CLASSES) {
            Some(c) => list(c),
            None => LEGACY.iter().map(|c| c.to_string()).collect(),
        };
        ScoredMeta {
            standard: get(META_STANDARD),
            version: get(META_VERSION),
            indicators,
            missing: get(META_MISSING),
            weights,
            cutoff,
            rule,
            classes,
            vulnerable: Ratio::parse(&get(META_VULNERABLE)),
            severe: Ratio::parse(&get(META_SEVERE)),
            sample: get(META_DESIGN) == "sample",
            origin: get(META_ORIGIN),
            provisional: get(META_PROVISIONAL) == "true",
            admin: AdminScheme::parse(&get(META_ADMIN_SCHEME)).unwrap_or_default(),
        }
    }

    /// The standard's own cut-off as a share of the weights: the weighted
    /// rule's (1/3), or a count rule's when the weights are equal (3 of ten
    /// indicators weighted 1/10: 3/10).
    pub fn own_cutoff(&self) -> Option<Ratio> {
        match self.cutoff? {
            Cutoff::Share(k) => Some(k),
            Cutoff::Count(c) => {
                let weights = self.weights.as_ref()?;
                let w = weights.first()?;
                if weights.iter().all(|x| x == w) {
                    Ratio::new(c * w.num, w.den)
                } else {
                    None
                }
            }
        }
    }

    /// The weighted rule's bands (vulnerable, severe), as cut-offs of their own.
    pub fn bands(&self) -> Vec<Ratio> {
        self.vulnerable.into_iter().chain(self.severe).collect()
    }

    /// Whether two years' estimates can share one plan: everything the
    /// estimates read agrees.
    pub fn same_estimates(&self, other: &ScoredMeta) -> bool {
        (self.standard == other.standard)
            && self.indicators == other.indicators
            && self.weights == other.weights
            && self.cutoff == other.cutoff
            && self.rule == other.rule
            && self.provisional == other.provisional
            && self.classes == other.classes
            && self.vulnerable == other.vulnerable
            && self.severe == other.severe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(pairs: &[(&str, &str)]) -> ScoredMeta {
        let m = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ScoredMeta::of_metadata(&m)
    }

    #[test]
    fn count_rule_cutoff_is_a_share_when_the_weights_are_equal() {
        let m = meta(&[
            (META_INDICATORS, "a,b,c,d"),
            (META_WEIGHTS, "1/4,1/4,1/4,1/4"),
            (META_CUTOFF, "3"),
            (META_RULE, "intersection"),
            (META_DESIGN, "sample"),
        ]);
        assert_eq!(m.rule, ClassRule::Intersection);
        assert_eq!(m.cutoff, Some(Cutoff::Count(3)));
        assert_eq!(m.own_cutoff(), Ratio::new(3, 4));
        assert!(m.sample && m.bands().is_empty());
        let unequal = meta(&[
            (META_INDICATORS, "a,b"),
            (META_WEIGHTS, "1/3,2/3"),
            (META_CUTOFF, "1"),
        ]);
        assert_eq!(unequal.own_cutoff(), None);
    }

    #[test]
    fn weighted_rule_reads_its_bands() {
        let m = meta(&[
            (META_INDICATORS, "a,b,c"),
            (META_WEIGHTS, "1/3,1/3,1/3"),
            (META_CUTOFF, "1/3"),
            (META_RULE, "weighted"),
            (META_VULNERABLE, "1/5"),
            (META_SEVERE, "1/2"),
            (META_PROVISIONAL, "true"),
        ]);
        assert_eq!(m.own_cutoff(), Ratio::new(1, 3));
        assert_eq!(
            m.bands(),
            vec![Ratio { num: 1, den: 5 }, Ratio { num: 1, den: 2 }]
        );
        assert!(m.provisional);
    }

    #[test]
    fn files_scored_before_the_rule_was_recorded_are_union_with_four_classes() {
        let m = meta(&[(META_INDICATORS, "a"), (META_WEIGHTS, "1/2,1/2")]);
        assert_eq!(m.rule, ClassRule::Union);
        assert_eq!(m.classes, LEGACY.map(String::from).to_vec());
        // Weights must be one per indicator.
        assert_eq!(m.weights, None);
        assert!(!m.same_estimates(&meta(&[(META_INDICATORS, "b")])));
    }
}
