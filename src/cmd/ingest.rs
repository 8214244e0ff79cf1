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

impl ReadFlags {
    /// The ingest options these flags ask for; under `--standard auto`
    /// (`choice`), rows of a year no bundled standard covers are
    /// quarantined rather than stopping the run.
    pub fn options(
        &self,
        choice: Option<&crate::standard::Choice>,
    ) -> anyhow::Result<ingest::IngestOptions> {
        let years = match choice {
            Some(crate::standard::Choice::Auto) => {
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
        Ok(ingest::IngestOptions {
            encoding: self.encoding,
            years,
            ..Default::default()
        })
    }
}

/// Ingest and write the quarantine; shared with `run`.
pub fn ingest_to(
    inputs: &[PathBuf],
    dataset: &Path,
    quarantine: &Path,
    opts: ingest::IngestOptions,
) -> anyhow::Result<IngestSummary> {
    let summary = ingest::ingest_with(inputs, dataset, opts).context("ingest failed")?;
    ingest::quarantine::write_csv(quarantine, &summary.quarantine)?;
    // On stderr, even with --quiet: the rates about to be made rest on a minority.
    if let Some(w) = crate::report::notices::console_warning(summary.read, summary.quarantined) {
        eprintln!("{w} ({})", quarantine.display());
    }
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
    let s = ingest_to(&a.inputs, &a.dataset, &a.quarantine, a.read.options(None)?)?;
    if !a.quiet {
        print_summary(&s, &a.quarantine)?;
    }
    Ok(if s.quarantined > 0 {
        Outcome::Findings
    } else {
        Outcome::Success
    })
}
