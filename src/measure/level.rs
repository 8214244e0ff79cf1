//! Where a figure is tabulated: the grouping level, the year's standard,
//! and a group's name.

use crate::geo::AdminScheme;
use crate::score;
use crate::score::meta::ScoredMeta;
use crate::score::scheme::Scheme;
use crate::standard::ClassRule;
use arrow_array::RecordBatch;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Total,
    Region,
    Province,
    District,
    Commune,
    Area,
    /// The 34 provincial units from 1 July 2025, through the crosswalk.
    Unit2025,
    /// Any text column of the scored file (a kept input column such as a
    /// village or an ethnic-minority flag, or stratum, …): one group per
    /// distinct value, blank as its own group. Named by the user, so not a
    /// value of the enum on the command line (see `Level::parse`).
    Column(&'static str),
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Total => "total",
            Level::Region => "region",
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
            Level::Area => "area",
            Level::Unit2025 => "unit2025",
            Level::Column(name) => name,
        }
    }

    /// The levels with a name of their own (every one but a column's).
    pub const NAMED: [Level; 7] = [
        Level::Total,
        Level::Region,
        Level::Province,
        Level::District,
        Level::Commune,
        Level::Area,
        Level::Unit2025,
    ];

    /// A `--by` value: a named level, or else a column of the scored file
    /// (checked against the files when they are read, `by_column_check`).
    pub fn parse(s: &str) -> std::result::Result<Level, String> {
        let s = s.trim();
        if let Some(l) = Level::NAMED
            .iter()
            .find(|l| l.name().eq_ignore_ascii_case(s))
        {
            return Ok(*l);
        }
        // The total's name before the scope named it (issue 16).
        if s.eq_ignore_ascii_case("national") {
            return Ok(Level::Total);
        }
        let name = crate::schema::normalise_header(s);
        if name.is_empty() {
            return Err("an empty grouping; give a level (province, district, commune, area, region, unit2025) or a column of the scored file".into());
        }
        // A name given on the command line lives as long as the run: leaked
        // once, so levels stay `Copy`.
        Ok(Level::Column(Box::leak(name.into_boxed_str())))
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
    /// The administrative scheme of the year's codes (how its provinces
    /// are named).
    pub admin: AdminScheme,
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
            admin: meta.admin,
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

/// A group's name from the bundled lists alone (Vietnamese), under the
/// 63-province scheme. The total row has none here: it is named for what
/// the run's records cover, and a unit for its year's scheme and the user's
/// names file — see [`super::names::Names`], which the tables use.
pub fn group_name(level: Level, code: &str) -> Option<String> {
    let geo = crate::geo::geography();
    match level {
        Level::Total => None,
        Level::Province => geo.province(code).map(|p| p.name_vi.clone()),
        Level::Region => geo.region(code).map(|r| r.name_vi.clone()),
        Level::Area => match code {
            "urban" => Some("Thành thị".into()),
            "rural" => Some("Nông thôn".into()),
            _ => None,
        },
        Level::Unit2025 => geo.units_2025.get(code).map(|u| u.name_vi.clone()),
        // Codes not in the list of 01/03/2025 (merged earlier) keep no name.
        Level::District => geo.district(code).map(|d| d.name.clone()),
        Level::Commune => geo.commune(code).map(|c| c.name.clone()),
        // A column's values are their own names; blank is a group too.
        Level::Column(_) if code.is_empty() => Some("(không có)".into()),
        Level::Column(_) => None,
    }
}

/// The English name of a region, urban/rural area, 2025 unit or blank
/// column value (other levels: [`super::names::Names::name_in`]).
pub(super) fn group_name_en(level: Level, code: &str) -> Option<String> {
    let geo = crate::geo::geography();
    match level {
        Level::Region => geo.region(code).map(|r| r.name_en.clone()),
        Level::Area => match code {
            "urban" => Some("Urban".into()),
            "rural" => Some("Rural".into()),
            _ => None,
        },
        Level::Unit2025 => geo.units_2025.get(code).map(|u| u.name_en.clone()),
        Level::Column(_) if code.is_empty() => Some("(none)".into()),
        _ => group_name(level, code),
    }
}
