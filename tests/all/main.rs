//! The one integration-test binary (one link of the whole stack, not one per
//! file). Each module mirrors a stage or a subcommand.

mod common;

mod book;
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
mod kill;
mod layers;
mod lists;
mod mpi;
mod outputs;
mod pipeline;
mod report;
mod same_household;
mod sample;
mod scheme;
mod scope;
mod sql;
mod standards;
mod stats;
mod synth;
mod tolerance;
mod transaction;
mod trend;
mod workbooks;
