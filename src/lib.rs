//! dachieu: household multidimensional-poverty analytics. Ingest survey and
//! review records, score them against an official standard defined as data,
//! classify every household exactly as the legal rule says, and tabulate.
//!
//! Data flows one way: ingest → dataset → score → scored → tables.

pub mod chart;
pub mod cmd;

pub mod dataset;
pub mod error;
pub mod exact;
pub mod export;
pub mod files;
pub mod geo;
pub mod i18n;
pub mod ingest;
pub mod manifest;
pub mod measure;
pub mod outdir;
pub mod panics;
pub mod parquet_check;
pub mod progress;
pub mod report;
pub mod schema;
pub mod score;
pub mod sql;
pub mod standard;
pub mod synth;
