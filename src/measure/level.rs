//! Where a figure is tabulated: the grouping level, the year's standard,
//! and a group's name.

use crate::score;
use crate::score::meta::ScoredMeta;
use crate::score::scheme::Scheme;
use crate::standard::ClassRule;
use arrow_array::RecordBatch;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Level {
    National,
    Region,
    Province,
    District,
    Commune,
    Area,
    /// The 34 provincial units from 1 July 2025, through the crosswalk.
    Unit2025,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::National => "national",
            Level::Region => "region",
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
            Level::Area => "area",
            Level::Unit2025 => "unit2025",
        }
    }
}

/// (level, survey year, group code)
pub type Key = (Level, i64, String);

/// What a scored year says about the standard that scored it.
#[derive(Debug, Clone, PartialEq)]
pub struct YearStandard {
    pub id: String,
    pub ids: Vec<String>,
    /// Under the intersection rule no household is poor by one path alone,
    /// so the path columns do not apply; the weighted rule has no income.
    pub rule: ClassRule,
    pub provisional: bool,
    /// The classes the standard defines.
    pub scheme: Scheme,
}

impl YearStandard {
    pub fn of(batch: &RecordBatch) -> YearStandard {
        YearStandard::of_meta(&ScoredMeta::of(batch))
    }

    pub fn of_meta(meta: &ScoredMeta) -> YearStandard {
        YearStandard {
            id: meta.standard.clone(),
            ids: meta.indicators.clone(),
            rule: meta.rule,
            provisional: meta.provisional,
            scheme: Scheme::of_meta(meta),
        }
    }

    /// Whether poor households split into an income and a deprivation path.
    pub fn has_paths(&self) -> bool {
        self.scheme.paths
    }
}

/// The standard of each scored year (one batch per year).
pub fn standards_by_year(batches: &[RecordBatch]) -> BTreeMap<i64, YearStandard> {
    batches
        .iter()
        .filter_map(|b| score::survey_year_of(b).map(|y| (y, YearStandard::of(b))))
        .collect()
}

pub fn group_name(level: Level, code: &str) -> Option<String> {
    let geo = crate::geo::geography();
    match level {
        Level::National => Some("Toàn quốc".into()),
        Level::Province => geo.province(code).map(|p| p.name_vi.clone()),
        Level::Region => geo.region(code).map(|r| r.name_vi.clone()),
        Level::Area => match code {
            "urban" => Some("Thành thị".into()),
            "rural" => Some("Nông thôn".into()),
            _ => None,
        },
        Level::Unit2025 => geo.units_2025.get(code).map(|u| u.name_vi.clone()),
        Level::District | Level::Commune => None,
    }
}
