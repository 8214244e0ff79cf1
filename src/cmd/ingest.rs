//! `dachieu ingest`: input files → validated dataset + quarantine.

use super::Outcome;
use crate::ingest::{self, IngestSummary};
use crate::out;
use anyhow::Context;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Input files or folders (CSV, XLSX with sheets `households`/`members`, Parquet).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Dataset folder to write (`survey_year=YYYY/` partitions).
    #[arg(long, default_value = "out/dataset")]
    pub dataset: PathBuf,
    /// Where to write the rejected rows.
    #[arg(long, default_value = "out/quarantine.csv")]
    pub quarantine: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Ingest and write the quarantine; shared with `run`.
pub fn ingest_to(
    inputs: &[PathBuf],
    dataset: &Path,
    quarantine: &Path,
) -> anyhow::Result<IngestSummary> {
    let summary = ingest::ingest(inputs, dataset).context("ingest failed")?;
    ingest::quarantine::write_csv(quarantine, &summary.quarantine)?;
    Ok(summary)
}

pub fn print_summary(s: &IngestSummary, quarantine: &Path) -> anyhow::Result<()> {
    out!(
        "{:<48} {:>10} {:>9} {:>9} {:>12}",
        "input",
        "table",
        "read",
        "accepted",
        "quarantined"
    );
    for t in &s.tables {
        out!(
            "{:<48} {:>10} {:>9} {:>9} {:>12}",
            t.source,
            t.table,
            t.read,
            t.accepted,
            t.quarantined
        );
    }
    out!(
        "{:<48} {:>10} {:>9} {:>9} {:>12}",
        "total",
        "",
        s.read,
        s.accepted,
        s.quarantined
    );
    for y in &s.years {
        out!(
            "survey year {}: {} households, {} members",
            y.survey_year,
            y.households,
            y.members
        );
    }
    for w in &s.warnings {
        out!("warning: {w}");
    }
    if s.quarantined > 0 {
        out!(
            "{} row(s) quarantined, {} problem(s): see {}",
            s.quarantined,
            s.quarantine.len(),
            quarantine.display()
        );
    }
    Ok(())
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    crate::progress::init(a.quiet);
    let _lock = crate::outdir::begin(&a.dataset)?;
    let s = ingest_to(&a.inputs, &a.dataset, &a.quarantine)?;
    if !a.quiet {
        print_summary(&s, &a.quarantine)?;
    }
    Ok(if s.quarantined > 0 {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
