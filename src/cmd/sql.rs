//! `dachieu sql`: a standard as one SQL query over the dataset's two
//! tables, for DuckDB, Spark or another engine (see `crate::sql`).

use super::score::Missing;
use super::Outcome;
use crate::measure::Level;
use crate::standard::expr::dialect::Dialect;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Sub>,
    /// Standard: a bundled id (see `dachieu standards list`) or a folder.
    #[arg(long, required = true)]
    pub standard: Option<String>,
    /// The SQL engine the query is written for.
    #[arg(long, value_enum, default_value = "duckdb")]
    pub dialect: Dialect,
    /// Give the rate table by these levels (comma-separated; total,
    /// province, district, commune, area) instead of the scored households.
    #[arg(long, value_enum, value_delimiter = ',')]
    pub by: Vec<Level>,
    /// Policy for unknown indicators (default: each indicator's own).
    #[arg(long, value_enum)]
    pub missing: Option<Missing>,
    /// Dataset folder written by `dachieu ingest`: the query then reads the
    /// pre-coded `dep_*` flag columns it carries (without it, none).
    #[arg(long)]
    pub dataset: Option<PathBuf>,
    /// Write the query to this file instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Subcommand)]
pub enum Sub {
    /// Bring the query's households back from a warehouse (a Parquet file or
    /// folder) as a scored folder for `tables`, `report` and `compare`.
    Import(super::sql_import::Args),
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let standard = match (&a.command, &a.standard) {
        (Some(Sub::Import(i)), _) => return super::sql_import::run(i),
        (None, Some(s)) => s,
        (None, None) => return Err(crate::error::Error::Usage("give --standard".into()).into()),
    };
    if standard == crate::standard::select::AUTO {
        return Err(crate::error::Error::Usage(
            "`--standard auto` picks a standard for each survey year, but a query applies one \
             standard to every year it reads: write one query per standard (vn-2016-2020 for \
             2016–2021, vn-2022-2025 for 2022–2026, vn-2027-2030 for 2027–2030) and bind each \
             to its years"
                .into(),
        )
        .into());
    }
    let st = crate::standard::resolve(standard)?;
    let flags = match &a.dataset {
        Some(d) => crate::sql::flags_in_dataset(&st, d)?,
        None => Vec::new(),
    };
    let opts = crate::sql::Options {
        dialect: a.dialect,
        by: a.by.clone(),
        missing: a.missing.map(Missing::to_override),
        flags,
    };
    let sql = crate::sql::query(&st, &opts).map_err(crate::error::Error::Usage)?;
    match &a.out {
        Some(path) => crate::files::write_atomic(path, sql.as_bytes())?,
        None => {
            use std::io::Write as _;
            std::io::stdout().write_all(sql.as_bytes())?;
        }
    }
    Ok(Outcome::Success)
}
