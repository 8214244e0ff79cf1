//! The one integration-test binary (one link of the whole stack, not one per
//! file). Each module mirrors a stage or a subcommand.

mod common;

mod boundaries;
mod compare;
mod ingest_bad;
mod ingest_formats;
mod invariance;
mod mpi;
mod pipeline;
mod report;
mod same_household;
mod sql;
mod standards;
mod stats;
mod synth;
