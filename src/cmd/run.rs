//! `dachieu run [DIR]`: the main job. Maps its arguments to a
//! [`pipeline::Plan`], runs it (ingest, score, tabulate, compare, report,
//! manifest under `out/`) and prints a summary.

use super::report::ReportFlags;
use super::score::ScoreFlags;
use super::tables::TableFlags;
use super::Outcome;
use crate::out;
use crate::pipeline::{self, NothingAccepted, Plan, RunReport, TablePlan};
use crate::standard::Choice;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder (or files) of input records.
    #[arg(default_value = "data-samples")]
    pub inputs: Vec<PathBuf>,
    /// Output folder: dataset/, scored/, tables/, report/, quarantine.csv, manifest.json.
    #[arg(long, default_value = "out")]
    pub out: PathBuf,
    #[command(flatten)]
    pub score: ScoreFlags,
    #[command(flatten)]
    pub tables: TableFlags,
    #[command(flatten)]
    pub report: ReportFlags,
    #[command(flatten)]
    pub read: super::ingest::ReadFlags,
    /// Skip the charts, HTML report and workbook.
    #[arg(long)]
    pub no_report: bool,
    #[arg(long, short)]
    pub quiet: bool,
}

impl Args {
    /// The plan these arguments ask for; the standard is checked here,
    /// before any output is touched.
    pub fn plan(&self) -> anyhow::Result<Plan> {
        Ok(Plan {
            inputs: self.inputs.clone(),
            out: self.out.clone(),
            standard: Choice::parse(&self.score.standard)?,
            encoding: self.read.encoding,
            score: self.score.options(),
            strict: self.score.strict,
            tables: TablePlan {
                levels: self.tables.by.clone(),
                formats: self.tables.format.clone(),
                stats: self.tables.stats()?,
            },
            report: !self.no_report,
            langs: self.report.lang.clone(),
        })
    }
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    crate::progress::init(a.quiet);
    let plan = a.plan()?;
    if a.tables.domain()?.is_some() {
        anyhow::bail!(crate::error::Error::Usage(
            "--province and --where restrict the estimates of `dachieu tables`; `run` writes a report and comparisons for all its data, so run it without them, then `dachieu tables --scored OUT/scored --out OUT/tables-domain --where …`".into()
        ));
    }
    let report = match pipeline::run(&plan) {
        Ok(r) => r,
        Err(e) => {
            if let (Some(n), false) = (e.downcast_ref::<NothingAccepted>(), a.quiet) {
                super::ingest::print_summary(&n.ingest, &n.quarantine)?;
            }
            return Err(e);
        }
    };
    if !a.quiet {
        print(&report)?;
    }
    let mut outcome = a.score.outcome(report.score());
    if report.ingest().quarantined > 0 {
        outcome = outcome.or(Outcome::Findings);
    }
    Ok(outcome)
}

/// The console summary of a run: ingest counts, the standard of each year,
/// the notes on comparing them, the classes, the first table, where it went.
fn print(r: &RunReport) -> anyhow::Result<()> {
    use crate::report::standards::{comparability_notes, standards_in_use};
    super::ingest::print_summary(r.ingest(), &r.quarantine)?;
    for (years, st) in standards_in_use(&r.standards) {
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        out!(
            "standard for {}: {} — {}",
            years.join(", "),
            st.label(),
            st.name_vi
        );
    }
    for note in comparability_notes(&r.standards, crate::i18n::Lang::En) {
        out!("note: {note}");
    }
    super::score::print_summary(r.score())?;
    if let Some(s) = &r.manifest.scope {
        out!("scope: {} ({})", s.name_vi, s.name_en);
        let line = crate::measure::names::not_in_list_line(
            s.districts_not_in_list,
            s.communes_not_in_list,
            crate::i18n::Lang::En,
        );
        if let Some(line) = line {
            out!("note: {line}");
        }
    }
    if let Some(first) = r.tables.first() {
        super::tables::print_rates(first)?;
    }
    if let Some(first) = r.lists.first() {
        let year_dir = first.ancestors().nth(3).unwrap_or(first);
        out!(
            "follow-up lists for commune officers: {} workbook(s), one per commune, in {}",
            r.lists.len(),
            year_dir.display()
        );
    }
    out!(
        "outputs in {} (manifest: {})",
        r.out.display(),
        r.manifest_path.display()
    );
    Ok(())
}
