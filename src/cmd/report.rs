//! `dachieu report`: charts (SVG, PNG), a self-contained HTML report and an
//! Excel workbook from scored households, in Vietnamese and/or English.

use super::Outcome;
use crate::i18n::Lang;
use crate::measure::design::LonelyPsu;
use crate::out;
use std::path::PathBuf;

/// Options shared by `report` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportFlags {
    /// Languages of the charts, report and workbook (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "vi,en")]
    pub lang: Vec<Lang>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder written by `dachieu score`.
    #[arg(long, default_value = "out/scored")]
    pub scored: PathBuf,
    /// Folder for the charts, report and workbook.
    #[arg(long, default_value = "out/report")]
    pub out: PathBuf,
    /// The standard the households were scored with, for its labels
    /// (default: each year's standard as recorded in the scored files).
    #[arg(long)]
    pub standard: Option<String>,
    /// Strata with a single PSU (samples only), as for `tables`.
    #[arg(long, value_enum, default_value = "fail")]
    pub lonely_psu: LonelyPsu,
    /// Grouping of the report's tables and charts, as for `tables`; default: the data's (district for one province).
    #[arg(long, value_delimiter = ',', value_parser = crate::measure::Level::parse)]
    pub by: Vec<crate::measure::Level>,
    #[command(flatten)]
    pub names: super::tables::UnitNamesFlag,
    #[command(flatten)]
    pub flags: ReportFlags,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let files = crate::pipeline::report(&crate::pipeline::ReportPlan {
        scored: &a.scored,
        out: &a.out,
        standard: a.standard.as_deref(),
        langs: &a.flags.lang,
        lonely: a.lonely_psu,
        by: &a.by,
        user: a.names.load()?,
    })?;
    if !a.quiet {
        out!("wrote {} file(s) to {}", files.len(), a.out.display());
    }
    Ok(Outcome::Success)
}
