//! The scorer: member rules → household indicators → deprivation count (a
//! range when something is unknown) → class under the standard's rule.
//! Households are cut into fixed-size chunks scored in parallel with rayon and
//! joined in order, so the output is byte-identical whatever the thread count.

mod chunk;
pub mod classify;
pub mod columns;
pub mod domain;
pub mod examples;
mod extras;
pub mod files;
pub mod indicator;
mod kernel;
pub mod members;
pub mod meta;
mod output;
mod pipeline;
pub mod reads;
pub mod scheme;
pub mod slices;
pub mod view;
pub mod years;

use crate::error::{Error, Result};
use crate::standard::Standard;
use arrow_array::cast::AsArray;
use arrow_array::types::{Int64Type, UInt32Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use chunk::{Out, Scorer};
use rayon::prelude::*;

/// Households per parallel task. Fixed, so chunk boundaries (and so the
/// output) never depend on the number of threads.
pub const CHUNK: usize = 8192;

/// The user's choice for unknown indicators, overriding each indicator's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingOverride {
    Unknown,
    NotDeprived,
    Deprived,
    /// Households with any unknown indicator are left out of the tables.
    Exclude,
}

impl MissingOverride {
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::NotDeprived => "not_deprived",
            Self::Deprived => "deprived",
            Self::Exclude => "exclude",
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub struct ScoreOptions {
    pub missing: Option<MissingOverride>,
    /// Households scored per slice of a year on disk (`slices::SLICE` when
    /// `None`); the results never depend on it.
    pub slice: Option<usize>,
    /// `--members none`: member records are not used, and every member-level
    /// indicator without a pre-coded flag is unknown.
    pub no_members: bool,
    /// Evaluate the rules with the row interpreter instead of the compiled
    /// column kernels: the reference the kernels are tested against (the
    /// results are the same).
    pub interpret: bool,
}

pub const UNDETERMINED: &str = "undetermined";
pub const EXCLUDED: &str = "excluded";

/// Metadata keys on the scored file, so later stages need not reload the standard.
pub const META_STANDARD: &str = "dachieu.standard";
pub const META_VERSION: &str = "dachieu.standard_version";
pub const META_INDICATORS: &str = "dachieu.indicators";
pub const META_MISSING: &str = "dachieu.missing_policy";
/// Indicator weights as exact fractions (`1/10,1/10,…`), in indicator order.
pub const META_WEIGHTS: &str = "dachieu.indicator_weights";
/// The standard's deprivation cut-off: a count of indicators under the count
/// rules (`3`), a share of the weights under the weighted rule (`1/3`).
pub const META_CUTOFF: &str = "dachieu.cutoff";
/// The classification rule: `union`, `intersection` or `weighted`.
pub const META_RULE: &str = "dachieu.rule";
/// The classes the standard defines, in output order (`poor,vulnerable,not_poor`).
pub const META_CLASSES: &str = "dachieu.classes";
/// Weighted rule: the vulnerability band's lower bound (`1/5`), when defined.
pub const META_VULNERABLE: &str = "dachieu.vulnerable";
/// Weighted rule: the severe-poverty cut-off (`1/2`), when defined; the
/// scored file then has a `severe` column.
pub const META_SEVERE: &str = "dachieu.severe";
/// The `measure` column under the weighted rule: the deprivation score classified the household.
pub const MEASURE_SCORE: &str = "deprivation_score";
/// `sample` when the records carry a weight, stratum or PSU; `census` otherwise.
pub const META_DESIGN: &str = "dachieu.design";
/// Where the standard came from: `bundled:<id>` or a folder, so later stages
/// can load it again (labels, legal basis) without being told.
pub const META_ORIGIN: &str = "dachieu.standard_origin";
/// `true` when the standard is provisional.
pub const META_PROVISIONAL: &str = "dachieu.standard_provisional";

/// The administrative scheme of the year's codes: `63` (the 63 provinces
/// with districts) or `34` (the 34 provincial units from 1 July 2025);
/// files scored before it was recorded are in their survey year's scheme.
pub const META_ADMIN_SCHEME: &str = "dachieu.admin_scheme";

/// Columns copied from the households dataset to the scored file.
pub const PASS_THROUGH: &[&str] = &[
    "survey_year",
    "household_id",
    "province_code",
    "district_code",
    "commune_code",
    "area",
    "stratum",
    "psu",
    "household_size",
];

/// Where each household's members are: `offsets[h]..offsets[h + 1]`.
fn member_offsets(members: &RecordBatch, n_households: usize) -> Result<Vec<usize>> {
    let mut offsets = vec![0usize; n_households + 1];
    let Some(idx) = members.column_by_name(crate::dataset::HH_INDEX) else {
        return Ok(offsets);
    };
    if idx.data_type() != &DataType::UInt32 {
        return Err(Error::Usage(
            "members dataset has a bad hh_index column; re-run `dachieu ingest`".into(),
        ));
    }
    let idx = idx.as_primitive::<UInt32Type>();
    let mut prev = 0u32;
    for (i, h) in idx.values().iter().enumerate() {
        if *h < prev || *h as usize >= n_households {
            return Err(Error::Usage(format!(
                "members dataset is not in household order at row {i}; re-run `dachieu ingest`"
            )));
        }
        prev = *h;
        offsets[*h as usize + 1] += 1;
    }
    for h in 0..n_households {
        offsets[h + 1] += offsets[h];
    }
    Ok(offsets)
}

/// Whether records carry a sampling design (any weight, stratum or PSU).
fn has_design(households: &RecordBatch) -> bool {
    ["weight", "stratum", "psu"].iter().any(|c| {
        households
            .column_by_name(c)
            .is_some_and(|a| a.null_count() < a.len())
    })
}

/// Score one survey year held in memory.
pub fn score_year(
    st: &Standard,
    households: &RecordBatch,
    members: &RecordBatch,
    opts: &ScoreOptions,
) -> Result<RecordBatch> {
    score_slice(st, households, members, opts, has_design(households))
}

/// Score a slice of a survey year; `sample` says whether the year (not
/// just this slice) carries a sampling design, for the file's metadata.
pub fn score_slice(
    st: &Standard,
    households: &RecordBatch,
    members: &RecordBatch,
    opts: &ScoreOptions,
    sample: bool,
) -> Result<RecordBatch> {
    let n = households.num_rows();
    let scorer = Scorer::new(st, households, members, opts)?;
    let chunks: Vec<Out> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| scorer.chunk(c * CHUNK..((c + 1) * CHUNK).min(n)))
        .collect();
    output::build_output(st, households, chunks, opts, sample)
}

/// Read a survey year's values from the scored file's integer column.
/// The administrative scheme of a year's households: their `admin_scheme`
/// column where given (every row that gives it must agree), else the
/// survey year's (`AdminScheme::of_year`).
pub fn admin_scheme_of_households(households: &RecordBatch) -> Result<crate::geo::AdminScheme> {
    use crate::geo::AdminScheme;
    let year = survey_year_of(households).unwrap_or_default();
    let mut given: Option<AdminScheme> = None;
    if let Some(col) = households.column_by_name("admin_scheme") {
        let Some(col) = col.as_string_opt::<i32>() else {
            return Ok(AdminScheme::of_year(year));
        };
        for s in col.iter().flatten().filter_map(AdminScheme::parse) {
            match given {
                Some(g) if g != s => {
                    return Err(Error::Usage(format!(
                        "survey year {year} has rows with admin_scheme 63 and rows with admin_scheme 34: a year's codes must all be of one scheme (63 provinces until 30/06/2025, 34 units from 01/07/2025); convert the codes of one set of rows, or give them another survey year"
                    )))
                }
                _ => given = Some(s),
            }
        }
    }
    Ok(given.unwrap_or(AdminScheme::of_year(year)))
}

/// The administrative scheme a scored batch's codes are in (its metadata;
/// a file scored before it was recorded: its survey year's).
pub fn admin_scheme_of(batch: &RecordBatch) -> crate::geo::AdminScheme {
    let meta = batch.schema_ref().metadata();
    (meta.get(META_ADMIN_SCHEME))
        .and_then(|s| crate::geo::AdminScheme::parse(s))
        .unwrap_or_else(|| {
            crate::geo::AdminScheme::of_year(survey_year_of(batch).unwrap_or_default())
        })
}

pub fn survey_year_of(batch: &RecordBatch) -> Option<i64> {
    let a = batch.column_by_name("survey_year")?;
    if a.data_type() != &DataType::Int64 || a.is_empty() {
        return None;
    }
    let a = a.as_primitive::<Int64Type>();
    a.is_valid(0).then(|| a.value(0))
}
