//! `dachieu sql import`: the household rows a warehouse computed with the
//! query from `dachieu sql` → the engine's scored folder (see
//! `crate::sql::import`), so `tables`, `report` and `compare` run on them.

use super::score::Missing;
use super::Outcome;
use crate::out;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The standard the query was written for: a bundled id or a folder.
    #[arg(long)]
    pub standard: String,
    /// The `--missing` the query was written with (default: each indicator's own).
    #[arg(long, value_enum)]
    pub missing: Option<Missing>,
    /// The query's households (written without `--by`): a Parquet file, or
    /// a folder of them (as Spark writes).
    #[arg(long)]
    pub from: PathBuf,
    /// The scored folder to write (`survey_year=Y/scored.parquet`, as `dachieu score` writes).
    #[arg(long)]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let st = crate::standard::resolve(&a.standard)?;
    let _lock = crate::outdir::begin(&a.out)?;
    let missing = a.missing.map(Missing::to_override);
    let got = crate::sql::import::import(&st, missing, &a.from, &a.out)?;
    if !a.quiet {
        out!("standard {} ({})", st.label(), st.origin);
        for (y, n) in &got.years {
            out!("survey year {y}: {n} households imported");
        }
        if !got.ignored.is_empty() {
            out!(
                "not imported (the scored file has no such column): {}",
                got.ignored.join(", ")
            );
        }
        if got.undetermined > 0 {
            out!(
                "{} household(s) undetermined; see the follow-up lists survey_year=*/{}",
                got.undetermined,
                crate::score::files::UNDETERMINED_FILE
            );
        }
    }
    Ok(Outcome::Success)
}
