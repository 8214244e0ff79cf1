//! `dachieu tables`: scored households → rate and indicator tables.

use super::Outcome;
use crate::out;
use crate::table::frame::{Column, Format, Frame};
use crate::table::{self, Level, LevelTables};
use std::path::PathBuf;

/// Options shared by `tables` and `run`.
#[derive(Debug, Clone, clap::Args)]
pub struct TableFlags {
    /// Grouping levels (comma-separated); every table also has national rows.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "province")]
    pub by: Vec<Level>,
    /// Output formats (comma-separated).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "csv,json,parquet"
    )]
    pub format: Vec<Format>,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder written by `dachieu score`.
    #[arg(long, default_value = "out/scored")]
    pub scored: PathBuf,
    /// Folder for the tables.
    #[arg(long, default_value = "out/tables")]
    pub out: PathBuf,
    #[command(flatten)]
    pub flags: TableFlags,
    #[arg(long, short)]
    pub quiet: bool,
}

fn float(f: &Frame, name: &str, r: usize) -> Option<f64> {
    match f.column(name) {
        Some(Column::Float(v)) => v[r],
        _ => None,
    }
}

fn text(f: &Frame, name: &str, r: usize) -> String {
    match f.column(name) {
        Some(Column::Str(v)) => v[r].clone().unwrap_or_default(),
        Some(Column::Int(v)) => v[r].map(|x| x.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "–".into())
}

/// The short human summary: one line per group of the first level.
pub fn print_rates(t: &LevelTables) -> anyhow::Result<()> {
    let f = &t.rates;
    out!(
        "{:<6} {:<24} {:>10} {:>8} {:>11} {:>11} {:>8}",
        "year",
        t.level.name(),
        "households",
        "poor %",
        "depr.poor %",
        "near-poor %",
        "undet."
    );
    for r in 0..f.rows() {
        let name = match text(f, "name", r) {
            n if n.is_empty() => text(f, "code", r),
            n => n,
        };
        out!(
            "{:<6} {:<24} {:>10} {:>8} {:>11} {:>11} {:>8}",
            text(f, "survey_year", r),
            name,
            float(f, "households_weighted", r)
                .map(crate::table::frame::fmt_f64)
                .unwrap_or_default(),
            pct(float(f, "poor_pct", r)),
            pct(float(f, "poor_deprivation_pct", r)),
            pct(float(f, "near_poor_pct", r)),
            float(f, "undetermined", r)
                .map(crate::table::frame::fmt_f64)
                .unwrap_or_default(),
        );
    }
    Ok(())
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    let scored = crate::score::files::read_scored(&a.scored)?;
    let (built, files) = table::write_tables(&scored, &a.out, &a.flags.by, &a.flags.format)?;
    if !a.quiet {
        if let Some(first) = built.first() {
            print_rates(first)?;
        }
        out!("wrote {} table file(s) to {}", files.len(), a.out.display());
    }
    Ok(Outcome::Success)
}
