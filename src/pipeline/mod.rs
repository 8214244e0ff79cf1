//! `run` as a library: one [`Plan`] (inputs, output folder, standard,
//! options) in, one [`RunReport`] out. [`run`] ingests, scores, tabulates
//! once — the tables, the year comparison and the report all read the same
//! tallies and estimates — writes every output under the plan's folder as a
//! transaction, and writes the manifest last. The command line (`dachieu
//! run`) only maps its arguments to a plan and prints the report; a notebook
//! or the local web page calls the same function:
//!
//! ```no_run
//! use dachieu::pipeline::{self, Plan, TablePlan};
//! use dachieu::measure::{design::LonelyPsu, Level, StatsOptions};
//!
//! let plan = Plan {
//!     inputs: vec!["data-samples".into()],
//!     out: "out".into(),
//!     standard: dachieu::standard::Choice::parse("auto")?,
//!     encoding: None,
//!     score: Default::default(),
//!     strict: false,
//!     tables: TablePlan {
//!         levels: vec![Level::Province],
//!         formats: vec![dachieu::export::Format::Csv],
//!         stats: StatsOptions {
//!             groupings: vec![Level::Province],
//!             ks: Vec::new(),
//!             lonely: LonelyPsu::Fail,
//!             min_cell: None,
//!             suppress: false,
//!             names: Default::default(),
//!         },
//!     },
//!     report: true,
//!     langs: vec![dachieu::i18n::Lang::Vi],
//! };
//! let report = pipeline::run(&plan)?;
//! println!("{} households read", report.ingest().read);
//! # Ok::<(), anyhow::Error>(())
//! ```

mod plan;
mod report;
mod stages;

pub use plan::{Plan, TablePlan};
pub use report::{report, ReportPlan};
pub use stages::{compare_years, ingest_options, ingest_to, NothingAccepted};

use crate::export::Estimates;
use crate::export::LevelTables;
use crate::ingest::IngestSummary;
use crate::manifest::{hash_file, Manifest, StandardRef};
use crate::progress::checkpoint;
use crate::score::files::ScoreSummary;
use crate::standard::ByYear;
use anyhow::Result;
use std::path::PathBuf;

/// What a run did: its manifest (ingest and score summaries, inputs,
/// outputs), the standard of each year, and the tables it made.
pub struct RunReport {
    /// The run's output folder, as the plan gave it.
    pub out: PathBuf,
    pub manifest: Manifest,
    pub manifest_path: PathBuf,
    pub quarantine: PathBuf,
    pub years: Vec<i32>,
    pub standards: ByYear,
    /// The tables of the plan's levels, in the plan's order.
    pub tables: Vec<LevelTables>,
    pub estimates: Estimates,
    /// The follow-up workbooks for commune officers, one per commune.
    pub lists: Vec<PathBuf>,
}

impl RunReport {
    pub fn ingest(&self) -> &IngestSummary {
        &self.manifest.ingest
    }
    pub fn score(&self) -> &ScoreSummary {
        &self.manifest.score
    }
}

/// The whole job: ingest → score → tabulate once → tables, comparison,
/// report → manifest. Nothing is replaced before the standard is checked
/// and the output folder is locked; the folder's manifest says
/// `incomplete` until the last file is in place. Between stages the run
/// tells the progress observer, if any, and stops when it asks
/// ([`crate::progress::Cancelled`]).
pub fn run(plan: &Plan) -> Result<RunReport> {
    // Check the inputs before touching any output.
    let files = crate::ingest::input_files(&plan.inputs)?;
    checkpoint("reading")?;
    let _lock = crate::manifest::begin_run(&plan.out)?;
    let paths = stages::Paths::of(&plan.out);
    let ing = ingest_to(
        &files,
        &paths.dataset,
        &paths.quarantine,
        plan.ingest_options()?,
    )?;
    let years: Vec<i32> = ing.years.iter().map(|y| y.survey_year).collect();
    if years.is_empty() {
        // Never fall back to "all years": the dataset folder may hold an
        // earlier run's data, which these inputs did not produce.
        return Err(stages::nothing_accepted(ing, &paths.quarantine));
    }
    let (standards, _) = plan.standard.for_years(&years)?;
    checkpoint("scoring")?;
    let scored = stages::score(plan, &paths, &years)?;
    // What the records cover names the total row and sets the breakdown.
    checkpoint("tables")?;
    let scope = stages::Scoped::of(plan, &scored.batches)?;
    let tab = stages::tabulate(plan, &scope, &scored.batches)?;
    // The estimates of the run's levels: written, and returned to the caller.
    let estimates = tab.estimates_for(&scope.levels);
    let mut written = stages::write_tables(
        plan,
        &scope,
        &tab,
        &estimates,
        &scored.batches,
        &paths.tables,
    )?;
    if let [.., y0, y1] = years.as_slice() {
        checkpoint("comparison")?;
        let pair = (*y0 as i64, *y1 as i64);
        written.extend(stages::compare_last(
            plan,
            &scope,
            &scored.batches,
            pair,
            &paths,
        )?);
    }
    checkpoint("lists")?;
    let lists = stages::write_lists(
        &scored.batches,
        &standards,
        &scope.stats.names,
        &paths.lists,
    )?;
    written.extend(lists.iter().cloned());
    let outputs = stages::output_list(&written, &paths, &years);
    let mut manifest = manifest_of(
        plan,
        &files,
        (&standards, &scope),
        ing,
        scored.summary,
        outputs,
    )?;
    if plan.report {
        checkpoint("report")?;
        let files = stages::write_report(
            (&tab, &scope),
            &scored.batches,
            &standards,
            &manifest,
            plan,
            &paths.report,
        )?;
        manifest
            .outputs
            .extend(files.iter().map(|p| p.display().to_string()));
    }
    checkpoint("manifest")?;
    crate::manifest::finish_run(&plan.out, &mut manifest, &years)?;
    Ok(RunReport {
        out: plan.out.clone(),
        manifest,
        manifest_path: plan.out.join("manifest.json"),
        quarantine: paths.quarantine,
        years,
        standards,
        tables: tab.for_levels(&scope.levels),
        estimates,
        lists,
    })
}

/// The run's record before the report: standards, options, the inputs'
/// hashes, the scope, the ingest and score summaries, the outputs so far.
fn manifest_of(
    plan: &Plan,
    files: &[PathBuf],
    (standards, scope): (&ByYear, &stages::Scoped),
    ing: IngestSummary,
    score: ScoreSummary,
    outputs: Vec<String>,
) -> Result<Manifest> {
    Ok(Manifest {
        status: None,
        engine: "dachieu".into(),
        engine_version: env!("CARGO_PKG_VERSION").into(),
        standard: plan.standard.name(),
        standards: standards
            .iter()
            .map(|(y, st)| StandardRef::of(*y, st))
            .collect(),
        options: plan.options_json(&scope.levels),
        inputs: files
            .iter()
            .map(|f| hash_file(f))
            .collect::<Result<_, _>>()?,
        scope: Some(scope.coverage.record(&scope.stats.names.user)?),
        ingest: ing,
        score,
        outputs,
        files: Vec::new(),
    })
}
