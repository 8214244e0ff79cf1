//! `dachieu compare`: two survey years side by side — rates and their
//! change, household transitions, and the follow-up list.

use super::Outcome;
use crate::export::Format;
use crate::measure::design::LonelyPsu;
use crate::measure::Level;
use crate::measure::StatsOptions;
use crate::out;
use crate::pipeline::compare_years;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Geography {
    /// The 63 provinces in force until 30 June 2025.
    #[value(name = "63")]
    Provinces63,
    /// The 34 units from 1 July 2025 (Resolution 202/2025/QH15).
    #[value(name = "2025")]
    Units2025,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder written by `dachieu score` (both years scored).
    #[arg(long, default_value = "out/scored")]
    pub scored: PathBuf,
    /// Folder for the comparison tables.
    #[arg(long, default_value = "out/compare")]
    pub out: PathBuf,
    /// The earlier survey year.
    #[arg(long)]
    pub from: i64,
    /// The later survey year.
    #[arg(long)]
    pub to: i64,
    /// Grouping: province, district, commune, region, area or a text column, as for `tables`; default: the data's (district for one province).
    #[arg(long, value_parser = Level::parse)]
    pub by: Option<Level>,
    #[command(flatten)]
    pub names: super::tables::UnitNamesFlag,
    /// Provincial geography: the 63 former provinces or the 34 units of 2025
    /// (applies when grouping by province).
    #[arg(long, value_enum, default_value = "63")]
    pub geography: Geography,
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv,json,parquet"
    )]
    pub format: Vec<Format>,
    /// Strata with a single PSU (samples only), as for `tables`.
    #[arg(long, value_enum, default_value = "fail")]
    pub lonely_psu: LonelyPsu,
    /// Flag figures resting on fewer than N households, as for `tables`.
    #[arg(long, value_name = "N")]
    pub min_cell: Option<u64>,
    /// With --min-cell: blank those figures instead of only flagging them.
    #[arg(long, requires = "min_cell")]
    pub suppress: bool,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let user = a.names.load()?;
    let _lock = crate::outdir::begin(&a.out)?;
    let scored = crate::score::files::read_scored(&a.scored)?;
    let coverage = crate::measure::Coverage::of_batches(&scored)?;
    let by = (a.by).unwrap_or_else(|| coverage.default_levels()[0]);
    let level = match (by, a.geography) {
        (Level::Province, Geography::Units2025) => Level::Unit2025,
        (l, _) => l,
    };
    let schemas: Vec<&arrow_schema::Schema> =
        scored.iter().map(|b| b.schema_ref().as_ref()).collect();
    crate::measure::by::check_columns(&[level], &schemas)?;
    let opts = StatsOptions {
        groupings: vec![level],
        ks: Vec::new(),
        lonely: a.lonely_psu,
        min_cell: a.min_cell,
        suppress: a.suppress,
        names: crate::measure::Names::of(&coverage, user),
    };
    let (c, files) = compare_years(&scored, (a.from, a.to), level, &opts, &a.out, &a.format)?;
    if !a.quiet {
        out!(
            "{} → {}: {} household(s) newly poor or near-poor listed for follow-up",
            a.from,
            a.to,
            c.follow_up.rows()
        );
        out!("wrote {} file(s) to {}", files.len(), a.out.display());
    }
    Ok(Outcome::Success)
}
