//! `dachieu bridge`: one survey year scored under two standards, and how
//! each household's class moves between them (a bridge table).

use super::Outcome;
use crate::export::compare::bridge;
use crate::export::{self, Format};
use crate::measure::Level;
use crate::out;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scored folder under the first standard (`dachieu score --out A`).
    #[arg(long)]
    pub from: PathBuf,
    /// Scored folder of the same records under the second standard.
    #[arg(long)]
    pub to: PathBuf,
    /// The survey year to bridge.
    #[arg(long)]
    pub year: i32,
    /// Grouping besides the nation.
    #[arg(long, value_enum, default_value = "province")]
    pub by: Level,
    #[arg(long, default_value = "out/bridge")]
    pub out: PathBuf,
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv,json,parquet"
    )]
    pub format: Vec<Format>,
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let read = |dir: &PathBuf| {
        crate::dataset::read_parquet(
            &crate::dataset::year_dir(dir, a.year).join(crate::dataset::SCORED_FILE),
        )
    };
    let f = bridge(&read(&a.from)?, &read(&a.to)?, a.by)?;
    let _lock = crate::outdir::begin(&a.out)?;
    let stem = format!("bridge_{}_{}", a.year, a.by.name());
    let files = crate::outdir::write_staged(&a.out, crate::outdir::BRIDGE_FILES, |d| {
        export::write(&f, d, &stem, &a.format)
    })?;
    if !a.quiet {
        out!("wrote {} file(s) to {}", files.len(), a.out.display());
    }
    Ok(Outcome::Success)
}
