//! The classes a scored file's standard defines, read back from its
//! metadata, so that tables, estimates, comparisons and the report show those
//! classes and no others: "vulnerable" and severe poverty for the global
//! MPI, no average-living column for a standard without that band — and the
//! 2016–2020 outputs exactly as before.

use super::{META_CLASSES, META_RULE, META_SEVERE};
use arrow_array::RecordBatch;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// `union`, `intersection` or `weighted`.
    pub rule: String,
    /// The standard's classes in output order, without `undetermined` and
    /// `excluded` (which every standard can give).
    pub classes: Vec<String>,
    /// The class counted beside the poor in headlines and charts:
    /// `near_poor` under the count rules, `vulnerable` under the weighted rule.
    pub near: Option<String>,
    /// Poor households carry a severe-poverty flag (a `severe` column).
    pub severe: bool,
    /// Poor households split into two paths (by income, by deprivation):
    /// the union rule only. Under the intersection rule every poor household
    /// is poor by income and deprivation together; the weighted rule has no
    /// income.
    pub paths: bool,
}

/// Files scored before the classes were recorded had these four.
const LEGACY: [&str; 4] = ["poor", "near_poor", "average", "not_poor"];

impl Scheme {
    pub fn of_batch(b: &RecordBatch) -> Scheme {
        Scheme::of_metadata(b.schema_ref().metadata())
    }

    /// The scheme of files scored before the classes were recorded.
    pub fn legacy() -> Scheme {
        Scheme::of_metadata(&Default::default())
    }

    pub fn of_metadata(meta: &arrow_schema::Metadata) -> Scheme {
        let rule = meta
            .get(META_RULE)
            .cloned()
            .unwrap_or_else(|| "union".into());
        let classes: Vec<String> = match meta.get(META_CLASSES) {
            Some(c) => c
                .split(',')
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect(),
            None => LEGACY.iter().map(|c| c.to_string()).collect(),
        };
        let near = ["near_poor", "vulnerable"]
            .iter()
            .find(|n| classes.iter().any(|c| c == *n))
            .map(|n| n.to_string());
        Scheme {
            paths: rule == "union",
            severe: meta.contains_key(META_SEVERE),
            rule,
            classes,
            near,
        }
    }

    pub fn weighted(&self) -> bool {
        self.rule == "weighted"
    }

    /// A count rule (union or intersection): income and a count of
    /// deprivations classify, so poor households may carry a path column.
    pub fn counted(&self) -> bool {
        !self.weighted()
    }

    pub fn has(&self, class: &str) -> bool {
        self.classes.iter().any(|c| c == class)
    }
}
