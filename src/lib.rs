//! dachieu: household multidimensional-poverty analytics. Ingest survey and
//! review records, score them against an official standard defined as data,
//! classify every household exactly as the legal rule says, and tabulate.
//!
//! Data flows one way: ingest → dataset → score → scored → tables. The
//! modules are layers, each importing only from the layers listed before it
//! (and within a line, only from the modules before it on the line); the
//! test `tests/all/layers.rs` reads this list and every `crate::` path in
//! `src/` and fails on one that points up:
//!
//! 1. `error`, `panics`, `progress` — errors users read, the panic guard, progress bars
//! 2. `exact`, `files` — exact fractions and hashing; atomic file writing
//! 3. `i18n`, `geo` — Vietnamese/English wording; provinces, regions, units
//! 4. `schema` — the data contract: input columns, shared constants, output columns
//! 5. `parquet_check`, `dataset` — checked Parquet reading; the validated dataset
//! 6. `outdir` — an output folder written as a transaction
//! 7. `ingest` — CSV, Excel, Parquet records into the validated dataset
//! 8. `standard` — standards as data: indicators, rules, thresholds
//! 9. `score` — indicators and classes per household, the scored files
//! 10. `manifest` — the run's record: inputs, standards, options, output hashes
//! 11. `measure` — the arithmetic, no I/O: tallies, rates, Alkire–Foster, design-based errors, transitions
//! 12. `export` — results as frames and files: the CSV, JSON and Parquet writers, tables, estimates, comparisons
//! 13. `chart`, `report` — charts, the HTML report and the workbook
//! 14. `synth`, `sql` — synthetic populations; a standard as one SQL query
//! 15. `pipeline` — `run` as a library: a plan in, every output and a run report out
//! 16. `serve` — the local web page: upload, run, results in the office's own browser
//! 17. `cmd` — the command line: arguments to plans, results to the console

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
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod schema;
pub mod score;
pub mod serve;
pub mod sql;
pub mod standard;
pub mod synth;
