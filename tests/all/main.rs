//! The one integration-test binary (one link of the whole stack, not one per
//! file). Each module mirrors a stage or a subcommand.

mod common;

mod book;
mod browser;
mod cases;
mod charts;
mod compare;
mod domains;
mod error_sites;
mod error_snapshots;
mod forms;
mod fuzz;
mod fuzz_parquet;
mod guards;
mod hashes;
mod ingest_bad;
mod ingest_formats;
mod ingest_text;
mod invariance;
mod key_figures;
mod kill;
mod language;
mod layers;
mod lists;
mod mpi;
mod outputs;
mod pipeline;
mod report;
mod report_chromium;
mod same_household;
mod sample;
mod scheme;
mod scope;
mod serve;
mod serve_browser;
mod sql;
mod standards;
mod stats;
mod synth;
mod template;
mod tolerance;
mod transaction;
mod trend;
mod webdriver;
mod workbooks;
