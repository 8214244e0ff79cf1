//! The classes a scored file's standard defines, read back from its
//! metadata, so that tables, estimates, comparisons and the report show those
//! classes and no others: "vulnerable" and severe poverty for the global
//! MPI, no average-living column for a standard without that band — and the
//! 2016–2020 outputs exactly as before.

use super::classify::Class;
use super::meta::ScoredMeta;
use crate::standard::ClassRule;
use arrow_array::RecordBatch;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    pub rule: ClassRule,
    /// The standard's classes in output order, without `undetermined` and
    /// `excluded` (which every standard can give).
    pub classes: Vec<String>,
    /// The class counted beside the poor in headlines and charts:
    /// `near_poor` under the count rules, `vulnerable` under the weighted rule.
    pub near: Option<Class>,
    /// Poor households carry a severe-poverty flag (a `severe` column).
    pub severe: bool,
    /// Poor households split into two paths (by income, by deprivation):
    /// the union rule only. Under the intersection rule every poor household
    /// is poor by income and deprivation together; the weighted rule has no
    /// income.
    pub paths: bool,
}

impl Scheme {
    pub fn of_batch(b: &RecordBatch) -> Scheme {
        Scheme::of_meta(&ScoredMeta::of(b))
    }

    /// The scheme of files scored before the classes were recorded.
    pub fn legacy() -> Scheme {
        Scheme::of_metadata(&Default::default())
    }

    pub fn of_metadata(meta: &arrow_schema::Metadata) -> Scheme {
        Scheme::of_meta(&ScoredMeta::of_metadata(meta))
    }

    pub fn of_meta(meta: &ScoredMeta) -> Scheme {
        let classes = meta.classes.clone();
        let near = [Class::NearPoor, Class::Vulnerable]
            .into_iter()
            .find(|n| classes.iter().any(|c| c == n.name()));
        Scheme {
            paths: meta.rule == ClassRule::Union,
            severe: meta.severe.is_some(),
            rule: meta.rule,
            classes,
            near,
        }
    }

    pub fn weighted(&self) -> bool {
        self.rule == ClassRule::Weighted
    }

    /// A count rule (union or intersection): income and a count of
    /// deprivations classify, so poor households may carry a path column.
    pub fn counted(&self) -> bool {
        !self.weighted()
    }

    pub fn has(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }

    /// The standard defines this class.
    pub fn defines(&self, class: Class) -> bool {
        self.has(class.name())
    }
}
