//! `dachieu ingest`: input files → validated dataset + quarantine.

use super::Outcome;
use crate::ingest::{self, IngestSummary};
use crate::out;
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
    #[command(flatten)]
    pub read: ReadFlags,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How input files are read; shared with `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReadFlags {
    /// Encoding of CSV files that are not UTF-8 and have no byte-order mark:
    /// `cp1258` (Vietnamese Windows), `utf-16le`, `utf-16be`, …
    #[arg(long, value_parser = parse_encoding)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
}

fn parse_encoding(s: &str) -> Result<&'static encoding_rs::Encoding, String> {
    ingest::text::encoding_for_label(s)
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
    if !s.kept_columns.is_empty() {
        out!(
            "kept as text (not in the data contract): {}",
            s.kept_columns.join(", ")
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
    let opts = crate::pipeline::ingest_options(a.read.encoding, None)?;
    let s = crate::pipeline::ingest_to(&a.inputs, &a.dataset, &a.quarantine, opts)?;
    if !a.quiet {
        print_summary(&s, &a.quarantine)?;
    }
    Ok(if s.quarantined > 0 {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
