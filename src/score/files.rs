//! Score a dataset on disk: each survey year's households and members →
//! `survey_year=Y/scored.parquet`, plus a follow-up list of undetermined
//! households for commune officers.

use super::slices::Slices;
use super::{score_slice, ScoreOptions, UNDETERMINED};
use crate::dataset;
use crate::error::{Error, Result};
use crate::progress::{Progress, Unit};
use crate::standard::{ByYear, Choice, Standard};
use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch};
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, serde::Serialize)]
pub struct YearScore {
    pub survey_year: i32,
    /// The standard this year was scored with.
    pub standard: String,
    pub standard_version: String,
    /// `bundled:<id>` or the folder it was loaded from.
    pub standard_origin: String,
    pub standard_provisional: bool,
    pub households: usize,
    /// Households per class (poor, near_poor, average, not_poor, undetermined, excluded).
    pub classes: BTreeMap<String, usize>,
    /// Weighted rule with a severe band: households in severe poverty.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severe: Option<usize>,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ScoreSummary {
    pub years: Vec<YearScore>,
    pub undetermined: usize,
    pub warnings: Vec<String>,
}

pub const UNDETERMINED_FILE: &str = "undetermined.csv";

fn text(b: &RecordBatch, name: &str, i: usize) -> String {
    b.column_by_name(name)
        .and_then(|a| a.as_string_opt::<i32>())
        .filter(|a| a.is_valid(i))
        .map(|a| a.value(i).to_string())
        .unwrap_or_default()
}

/// The columns of the follow-up list of undetermined households.
const FOLLOW_UP_HEADER: [&str; 8] = [
    "survey_year",
    "household_id",
    "province_code",
    "district_code",
    "commune_code",
    "possible_classes",
    "unknown_indicators",
    "measure",
];

/// A year's follow-up list, its header written, for [`tally`] to fill.
pub(crate) fn follow_up_list() -> Result<csv::Writer<Vec<u8>>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(FOLLOW_UP_HEADER)
        .map_err(|e| Error::Usage(e.to_string()))?;
    Ok(w)
}

/// Count a scored slice's classes and list its undetermined households.
pub(crate) fn tally(
    scored: &RecordBatch,
    y: i32,
    classes: &mut BTreeMap<String, usize>,
    follow_up: &mut csv::Writer<Vec<u8>>,
    undetermined: &mut usize,
) -> Result<()> {
    let class = scored
        .column_by_name("class")
        .and_then(|a| a.as_string_opt::<i32>())
        .ok_or_else(|| Error::Usage("scorer produced no class column".into()))?;
    // Counted by name in this slice first: a handful of classes, no
    // allocation per household.
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for i in 0..scored.num_rows() {
        let c = class.value(i);
        match counts.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => counts.push((c, 1)),
        }
        if c == UNDETERMINED {
            *undetermined += 1;
            let measure = text(scored, "measure", i);
            let row = [
                y.to_string(),
                text(scored, "household_id", i),
                text(scored, "province_code", i),
                text(scored, "district_code", i),
                text(scored, "commune_code", i),
                text(scored, "possible_classes", i),
                text(scored, "unknown_indicators", i),
                if measure.is_empty() {
                    "none: no income or score".into()
                } else {
                    measure
                },
            ];
            follow_up
                .write_record(&row)
                .map_err(|e| Error::Usage(e.to_string()))?;
        }
    }
    for (c, n) in counts {
        *classes.entry(c.to_string()).or_insert(0) += n;
    }
    Ok(())
}

/// Score the given years (all years of the dataset when empty), each with
/// the standard `choice` gives it. Every year's standard is settled before
/// anything is written.
pub fn score_dataset(
    choice: &Choice,
    dataset_root: &Path,
    out_root: &Path,
    opts: &ScoreOptions,
    only: &[i32],
) -> Result<ScoreSummary> {
    let years = select_years(dataset_root, only)?;
    let (standards, warnings): (ByYear, Vec<String>) = choice.for_years(&years)?;
    let mut summary = ScoreSummary {
        warnings,
        ..Default::default()
    };
    // Every year checked before any is scored: one without the member
    // records its standard reads stops the run with nothing written.
    for y in &years {
        let dir = dataset::year_dir(dataset_root, *y);
        summary.warnings.extend(super::members::check(
            &standards[y],
            *y,
            &dir.join(dataset::HOUSEHOLDS_FILE),
            &dir.join(dataset::MEMBERS_FILE),
            opts.no_members,
        )?);
    }
    for y in years {
        let year = score_year_to(
            &standards[&y],
            y,
            dataset_root,
            out_root,
            opts,
            &mut summary,
        )?;
        summary.years.push(year);
    }
    Ok(summary)
}

/// The dataset's survey years, or those of `only` (each must be there).
fn select_years(dataset_root: &Path, only: &[i32]) -> Result<Vec<i32>> {
    let mut years = dataset::years(dataset_root)?;
    if years.is_empty() {
        return Err(Error::Usage(format!(
            "no survey years in {}; run `dachieu ingest` first",
            dataset_root.display()
        )));
    }
    if !only.is_empty() {
        for y in only {
            if !years.contains(y) {
                return Err(Error::Usage(format!(
                    "survey year {y} is not in {}",
                    dataset_root.display()
                )));
            }
        }
        years.retain(|y| only.contains(y));
    }
    Ok(years)
}

/// Score survey year `y` with `st` into `out_root`: the scored file and the
/// follow-up list, swapped in together once both are whole. Warnings and
/// undetermined households are added to `summary`.
fn score_year_to(
    st: &Standard,
    y: i32,
    dataset_root: &Path,
    out_root: &Path,
    opts: &ScoreOptions,
    summary: &mut ScoreSummary,
) -> Result<YearScore> {
    // One follow-up list per year, beside that year's scores, so scoring
    // some years never leaves another year's list stale.
    let mut follow_up = follow_up_list()?;
    let dir = dataset::year_dir(dataset_root, y);
    let hh_path = dir.join(dataset::HOUSEHOLDS_FILE);
    let reads = super::reads::Reads::of(st, opts);
    let slices = Slices::open(
        &hh_path,
        &dir.join(dataset::MEMBERS_FILE),
        opts.slice,
        &reads,
    )?;
    unused_column_warnings(st, y, &slices, &mut summary.warnings)?;
    let sample = slices.households_filled(&["weight", "stratum", "psu"])?;
    let bar = Progress::new(slices.total(), Unit::Rows, &format!("scoring {y}"));
    let staged = crate::outdir::stage::Staged::new(&dataset::year_dir(out_root, y))?;
    let path = staged.path().join(dataset::SCORED_FILE);
    let mut classes = BTreeMap::new();
    let mut households = 0;
    let mut severe: Option<usize> = None;
    // Slice by slice: a few slices of households and members in memory,
    // decoded, scored and written in a pipeline.
    crate::files::write_atomic_with(&path, |w| {
        super::pipeline::score_to(
            w,
            slices,
            |hh, mem| score_slice(st, hh, mem, opts, sample),
            |batch| {
                households += batch.num_rows();
                bar.inc(batch.num_rows() as u64);
                if let Some(a) = batch
                    .column_by_name("severe")
                    .and_then(|a| a.as_boolean_opt())
                {
                    *severe.get_or_insert(0) += a.iter().filter(|v| *v == Some(true)).count();
                }
                tally(
                    batch,
                    y,
                    &mut classes,
                    &mut follow_up,
                    &mut summary.undetermined,
                )
            },
        )?;
        bar.finish();
        Ok(())
    })?;
    let bytes = follow_up
        .into_inner()
        .map_err(|e| Error::Usage(e.to_string()))?;
    crate::files::write_atomic(&staged.path().join(UNDETERMINED_FILE), &bytes)?;
    staged.commit_whole()?;
    Ok(YearScore {
        survey_year: y,
        standard: st.id.clone(),
        standard_version: st.version.clone(),
        standard_origin: st.origin.clone(),
        standard_provisional: st.provisional,
        households,
        classes,
        severe,
    })
}

/// Columns the data fills that `st` does not read: a `dep_<id>` flag of no
/// indicator of it, or a review-form score on another scale (score_b1
/// under the 2022–2025 standard, or the reverse). Neither is used, and the
/// user should know.
fn unused_column_warnings(
    st: &Standard,
    y: i32,
    slices: &Slices,
    warnings: &mut Vec<String>,
) -> Result<()> {
    for f in slices.household_schema().fields() {
        let name = f.name();
        if name.starts_with(crate::schema::DEP_FLAG_PREFIX)
            && !st.indicators.iter().any(|i| &i.flag_column() == name)
        {
            warnings.push(format!(
                "survey year {y}: column `{name}` matches no indicator of {} and was not used (flags are dep_<id> for: {})",
                st.id,
                st.indicators.iter().map(|i| i.id.as_str()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for f in slices.household_schema().fields() {
        let name = f.name();
        if crate::schema::is_extra_column(name) && st.indicators.iter().any(|i| &i.id == name) {
            warnings.push(format!(
                "survey year {y}: kept column `{name}` has the name of an indicator of {}, so it is not carried into the scored file; rename it in the input to keep it",
                st.id
            ));
        }
    }
    for other in ["score_b1", "score_a"] {
        let reads = st.score.as_ref().is_some_and(|s| s.column == other);
        if !reads && slices.households_filled(&[other])? {
            warnings.push(format!(
                "survey year {y}: column `{other}` is filled but standard {} {}; those scores were not used",
                st.id,
                match &st.score {
                    Some(s) => format!("reads its review-form score from `{}`", s.column),
                    None => "has no review-form score path".to_string(),
                }
            ));
        }
    }
    Ok(())
}

/// Read every scored year under `root` (ascending).
pub fn read_scored(root: &Path) -> Result<Vec<RecordBatch>> {
    scored_years(root)?
        .iter()
        .map(|y| dataset::read_parquet(&scored_file(root, *y)))
        .collect()
}

/// The scored years under `root`, ascending; an error when there are none.
pub fn scored_years(root: &Path) -> Result<Vec<i32>> {
    let years = dataset::years(root)?;
    if years.is_empty() {
        return Err(Error::Usage(format!(
            "no scored survey years in {}; run `dachieu score` first",
            root.display()
        )));
    }
    Ok(years)
}

/// Where year `year`'s scored households are under `root`.
pub fn scored_file(root: &Path, year: i32) -> std::path::PathBuf {
    dataset::year_dir(root, year).join(dataset::SCORED_FILE)
}
