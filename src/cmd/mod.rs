//! The subcommands, one file each. Each is a thin layer over the library:
//! options in, a library call, a short report on stdout, an outcome out.

pub mod bridge;
pub mod compare;
pub mod ingest;
pub mod report;
pub mod run;
pub mod score;
pub mod serve;
pub mod sql;
pub mod sql_import;
pub mod standards;
pub mod synth;
pub mod tables;
pub mod template;
pub mod threads;
mod values;

use clap::{Parser, Subcommand};

/// What a successful command found: nothing to act on, or findings
/// (quarantined rows; undetermined households under `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
}

impl Outcome {
    pub fn or(self, other: Outcome) -> Outcome {
        if self == Outcome::Findings || other == Outcome::Findings {
            Outcome::Findings
        } else {
            Outcome::Success
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "dachieu",
    version,
    about = "Household multidimensional-poverty analytics: ingest, score against Vietnam's official standards, tabulate.",
    long_about = "dachieu reads household and member records (CSV, XLSX, Parquet), validates them into a Parquet \
dataset (rejected rows go to a quarantine file with reasons), scores every household against a poverty \
standard defined as data in indicators/, classifies it exactly as the legal rule says, and writes rate tables.\n\n\
Exit codes: 0 success, 1 findings (rows quarantined; undetermined households with --strict), 2 error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When another dachieu process is writing into the output folder,
    /// wait for it to finish instead of refusing.
    #[arg(long, global = true)]
    pub wait: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate input files into a Parquet dataset, quarantining bad rows.
    Ingest(ingest::Args),
    /// Score and classify every household of a dataset.
    Score(score::Args),
    /// Rate tables by province (district, commune, region, area) from scored households.
    Tables(tables::Args),
    /// One survey year under two standards: how classifications move.
    Bridge(bridge::Args),
    /// Two survey years: rates and their change, transitions, follow-up list.
    Compare(compare::Args),
    /// Charts, an HTML report and an Excel workbook from scored households.
    Report(report::Args),
    /// The whole job: ingest → score → tables → report on a folder, with a manifest.
    Run(run::Args),
    /// The review in the computer's own browser: upload, run, results (local only).
    Serve(serve::Args),
    /// A standard as one SQL query (DuckDB, Spark) over the dataset's Parquet files.
    Sql(sql::Args),
    /// List, show and check poverty standards.
    Standards(standards::Args),
    /// Write a synthetic population of Vietnam, calibrated to the published poverty rates.
    Synth(synth::Args),
    /// Write the Excel input template (sheets households and members, with notes).
    Template(template::Args),
}

pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    threads::init(cli.command.threads());
    crate::outdir::set_wait(cli.wait);
    let result = match cli.command {
        Command::Ingest(a) => ingest::run(&a),
        Command::Score(a) => score::run(&a),
        Command::Tables(a) => tables::run(&a),
        Command::Bridge(a) => bridge::run(&a),
        Command::Compare(a) => compare::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Run(a) => run::run(&a),
        Command::Serve(a) => serve::run(&a),
        Command::Sql(a) => sql::run(&a),
        Command::Standards(a) => standards::run(&a),
        Command::Synth(a) => synth::run(&a),
        Command::Template(a) => template::run(&a),
    };
    result.map_err(crate::outdir::explain)
}

/// Print to stdout, turning a closed pipe into an error main() treats as success.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout(), $($arg)*)?;
    }};
}
