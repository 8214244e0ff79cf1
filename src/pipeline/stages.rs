//! The steps of [`super::run`], each one function: where the outputs go,
//! ingest, score, tabulate once, write the tables, compare two years,
//! write the report.

use super::Plan;
use crate::export::compare::Comparison;
use crate::export::publish::{tabulate as tally_and_estimate, write_tables as write_frames};
use crate::export::{Column, Estimates, Format, Frame, LevelTables};
use crate::ingest::{self, IngestOptions, IngestSummary};
use crate::manifest::Manifest;
use crate::measure::StatsOptions;
use crate::measure::{Coverage, Level, Names};
use crate::score::files::{read_scored, score_dataset, ScoreSummary, UNDETERMINED_FILE};
use crate::standard::{ByYear, Choice};
use anyhow::Context;
use arrow_array::RecordBatch;
use std::path::{Path, PathBuf};

/// Where a run writes each output, under its folder.
pub struct Paths {
    pub dataset: PathBuf,
    pub scored: PathBuf,
    pub tables: PathBuf,
    pub compare: PathBuf,
    pub report: PathBuf,
    /// The follow-up lists for commune officers (danh sách).
    pub lists: PathBuf,
    pub quarantine: PathBuf,
}

impl Paths {
    pub fn of(out: &Path) -> Paths {
        Paths {
            dataset: out.join("dataset"),
            scored: out.join("scored"),
            tables: out.join("tables"),
            compare: out.join("compare"),
            report: out.join("report"),
            lists: out.join("lists"),
            quarantine: out.join("quarantine.csv"),
        }
    }
}

/// The ingest options for `choice`: under `auto`, rows of a survey year no
/// bundled standard covers are quarantined with the reason, not fatal.
pub fn ingest_options(
    encoding: Option<&'static encoding_rs::Encoding>,
    choice: Option<&Choice>,
) -> crate::error::Result<IngestOptions> {
    let years = match choice {
        Some(Choice::Auto) => {
            let national = crate::standard::select::national()?;
            let covers: Vec<String> = (national.iter())
                .map(|st| {
                    format!(
                        "{} covers {}–{}",
                        st.id, st.review_years.0, st.review_years.1
                    )
                })
                .collect();
            Some(ingest::SurveyYears {
                covered: national.iter().map(|st| st.review_years).collect(),
                reason: format!(
                    "no standard covers survey year {{year}} ({}); check the year, or pass --standard ID or FOLDER to score it with a standard you choose",
                    covers.join(", ")
                ),
            })
        }
        _ => None,
    };
    Ok(IngestOptions {
        encoding,
        years,
        ..Default::default()
    })
}

/// Ingest and write the quarantine; warn on stderr when the rates about to
/// be made rest on a minority of the rows read.
pub fn ingest_to(
    inputs: &[PathBuf],
    dataset: &Path,
    quarantine: &Path,
    opts: IngestOptions,
) -> anyhow::Result<IngestSummary> {
    let summary = ingest::ingest_with(inputs, dataset, opts).context("ingest failed")?;
    ingest::quarantine::write_csv(quarantine, &summary.quarantine)?;
    if let Some(w) = crate::report::notices::console_warning(summary.read, summary.quarantined) {
        eprintln!("{w} ({})", quarantine.display());
    }
    Ok(summary)
}

/// No household row was accepted: nothing to score. Carries the ingest
/// summary, which the caller shows before the error.
#[derive(Debug)]
pub struct NothingAccepted {
    pub ingest: IngestSummary,
    pub quarantine: PathBuf,
}

impl std::fmt::Display for NothingAccepted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "no household row was accepted from the inputs, so there is nothing to score"
        )?;
        if self.ingest.quarantined > 0 {
            write!(f, "; see {} for the reasons", self.quarantine.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for NothingAccepted {}

pub fn nothing_accepted(ingest: IngestSummary, quarantine: &Path) -> anyhow::Error {
    NothingAccepted {
        ingest,
        quarantine: quarantine.to_path_buf(),
    }
    .into()
}

/// The scored years of this run, in memory, and what scoring found.
pub struct Scored {
    pub batches: Vec<RecordBatch>,
    pub summary: ScoreSummary,
}

pub fn score(plan: &Plan, paths: &Paths, years: &[i32]) -> anyhow::Result<Scored> {
    let summary = score_dataset(
        &plan.standard,
        &paths.dataset,
        &paths.scored,
        &plan.score,
        years,
    )?;
    let batches = read_scored(&paths.scored)?
        .into_iter()
        .filter(|b| crate::score::survey_year_of(b).is_some_and(|y| years.contains(&(y as i32))))
        .collect();
    Ok(Scored { batches, summary })
}

/// The tallies and estimates of every level any output needs, from one
/// pass over the scored rows.
pub struct Tabulated {
    pub tables: Vec<LevelTables>,
    pub estimates: Estimates,
}

impl Tabulated {
    /// The tables of `levels`, in that order.
    pub fn for_levels(&self, levels: &[Level]) -> Vec<LevelTables> {
        (levels.iter())
            .filter_map(|l| self.tables.iter().find(|t| t.level == *l).cloned())
            .collect()
    }

    /// The estimates of the nation and `levels` only, in their order.
    pub fn estimates_for(&self, levels: &[Level]) -> Estimates {
        let wanted = |g: &str| g == Level::Total.name() || levels.iter().any(|l| l.name() == g);
        // The `level` column looked up once, its text compared in place.
        let keep = |f: &Frame| match f.column("level") {
            Some(Column::Str(v)) => f.filter_rows(|r| v[r].as_deref().is_some_and(wanted)),
            _ => f.filter_rows(|_| false),
        };
        Estimates {
            estimates: keep(&self.estimates.estimates),
            changes: keep(&self.estimates.changes),
            census: self.estimates.census,
        }
    }
}

/// What the run's records cover, and what follows from it: the levels of
/// its tables (the plan's, or the breakdown the data call for) and the
/// options with the groups' names.
pub struct Scoped {
    pub coverage: Coverage,
    pub levels: Vec<Level>,
    pub stats: StatsOptions,
}

impl Scoped {
    pub fn of(plan: &Plan, scored: &[RecordBatch]) -> anyhow::Result<Scoped> {
        let coverage = Coverage::of_batches(scored)?;
        let levels = match plan.tables.levels.as_slice() {
            [] => coverage.default_levels(),
            given => given.to_vec(),
        };
        let mut stats = plan.tables.stats.clone();
        stats.names = Names::of(&coverage, stats.names.user.clone());
        stats.groupings = levels.clone();
        Ok(Scoped {
            coverage,
            levels,
            stats,
        })
    }

    /// The level years `y0` and `y1` are compared at: the breakdown's
    /// first, except that districts, which ended on 1 July 2025, give way
    /// to communes (through the crosswalk) when the years are on both
    /// sides of the reform.
    pub fn compare_level(&self, (y0, y1): (i64, i64)) -> Level {
        let level = (self.levels.iter().copied())
            .find(|l| *l != Level::Total)
            .unwrap_or(Level::Province);
        let scheme = |y: i64| self.coverage.years.get(&y).map(|u| u.scheme);
        match level {
            Level::District if scheme(y0) != scheme(y1) => Level::Commune,
            l => l,
        }
    }

    /// The levels the report shows.
    pub fn report_levels(&self) -> Vec<Level> {
        crate::report::write::report_levels(&self.levels)
    }
}

/// The levels the run's tables and its report need, each once.
fn levels_needed(plan: &Plan, scope: &Scoped) -> Vec<Level> {
    let mut levels = scope.levels.clone();
    if plan.report {
        for l in scope.report_levels() {
            if !levels.contains(&l) {
                levels.push(l);
            }
        }
    }
    levels
}

/// Tabulate once, at every level the run's outputs need. A `--by` column
/// the scored files lack (or one naming people) is refused, never a table
/// of one blank group.
pub fn tabulate(plan: &Plan, scope: &Scoped, scored: &[RecordBatch]) -> anyhow::Result<Tabulated> {
    let schemas: Vec<&arrow_schema::Schema> =
        scored.iter().map(|b| b.schema_ref().as_ref()).collect();
    crate::measure::by::check_columns(&scope.levels, &schemas)?;
    let levels = levels_needed(plan, scope);
    let years = crate::score::years::ScoredYear::of_batches(scored)?;
    let (tables, estimates) = tally_and_estimate(&years, &levels, &scope.stats)?;
    Ok(Tabulated { tables, estimates })
}

/// The run's tables (its levels only, with `est`, their estimates) in the
/// plan's formats.
pub fn write_tables(
    plan: &Plan,
    scope: &Scoped,
    tab: &Tabulated,
    est: &Estimates,
    scored: &[RecordBatch],
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    let (levels, names) = (&scope.levels, &scope.stats.names);
    // The summary forms of a census of two or more years, for tools.
    let forms = match crate::measure::forms::census(scored) {
        true => crate::measure::forms::all_forms(scored, None)?,
        false => Vec::new(),
    };
    let frames = (!forms.is_empty()).then(|| {
        use crate::export::forms::{deprivations_frame, lists_frame};
        [
            lists_frame(&forms, names),
            deprivations_frame(&forms, names),
        ]
    });
    let extra: Vec<(&Frame, &str)> = (frames.iter())
        .flat_map(|[l, d]| [(l, "form_lists"), (d, "form_deprivations")])
        .collect();
    Ok(write_frames(
        &tab.for_levels(levels),
        est,
        &extra,
        dir,
        &plan.tables.formats,
    )?)
}

/// Two survey years compared at `level` (rates and their change,
/// transitions, the follow-up list), written under `dir`.
pub fn compare_years(
    scored: &[RecordBatch],
    (from, to): (i64, i64),
    level: Level,
    stats: &StatsOptions,
    dir: &Path,
    formats: &[Format],
) -> anyhow::Result<(Comparison, Vec<PathBuf>)> {
    let opts = StatsOptions {
        groupings: vec![level],
        ..stats.clone()
    };
    let c = crate::export::compare::compare(scored, from, to, level, &opts)?;
    let files =
        crate::export::compare::files::write_comparison(&c, dir, level.name(), to, formats)?;
    Ok((c, files))
}

/// The last two survey years compared, at the level the scope calls for
/// (commune across the 2025 reform); the files written.
pub fn compare_last(
    plan: &Plan,
    scope: &Scoped,
    scored: &[RecordBatch],
    pair: (i64, i64),
    paths: &Paths,
) -> anyhow::Result<Vec<PathBuf>> {
    let (_, files) = compare_years(
        scored,
        pair,
        scope.compare_level(pair),
        &scope.stats,
        &paths.compare,
        &plan.tables.formats,
    )?;
    Ok(files)
}

/// The follow-up lists of the latest year (against the one before), one
/// workbook per commune, written into a staging folder and swapped in
/// whole: `lists/` holds nothing but this run's lists.
pub fn write_lists(
    scored: &[RecordBatch],
    standards: &ByYear,
    names: &crate::measure::Names,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    Ok(crate::outdir::stage::write_staged(dir, &[""], |d| {
        crate::report::lists::write_lists(scored, standards, names, d)
    })?)
}

/// Every output the manifest lists before the report's: the tables and
/// comparison, the quarantine, each year's scored file and follow-up list.
pub fn output_list(written: &[PathBuf], paths: &Paths, years: &[i32]) -> Vec<String> {
    let mut outputs: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    outputs.push(paths.quarantine.display().to_string());
    for y in years {
        let dir = crate::dataset::year_dir(&paths.scored, *y);
        outputs.push(dir.join(crate::dataset::SCORED_FILE).display().to_string());
        outputs.push(dir.join(UNDETERMINED_FILE).display().to_string());
    }
    outputs
}

/// The charts, HTML report and workbook, from the run's one tabulation;
/// they carry the manifest as it stands before their own files are added.
pub fn write_report(
    (tab, scope): (&Tabulated, &Scoped),
    scored: &[RecordBatch],
    standards: &ByYear,
    manifest: &Manifest,
    plan: &Plan,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    use crate::report::write::{write_tabulated, Provenance, Tables};
    let prov = Provenance {
        read: manifest.ingest.read,
        quarantined: manifest.ingest.quarantined,
        undetermined: manifest.score.undetermined,
        manifest_json: serde_json::to_string_pretty(manifest).unwrap_or_default(),
    };
    let levels = scope.report_levels();
    let tables = tab.for_levels(&levels);
    let est = tab.estimates_for(&levels);
    let t = Tables {
        tables: &tables,
        estimates: &est,
        min_cell: plan.tables.stats.min_cell,
        suppress: plan.tables.stats.suppress,
        names: &scope.stats.names,
        not_in_list: &scope.coverage.not_in_list(&scope.stats.names.user),
    };
    Ok(write_tabulated(
        &t,
        scored,
        standards,
        dir,
        &plan.langs,
        &prov,
    )?)
}
