//! Exact arithmetic at the bottom of every stage: fractions compared in
//! integers (cut-offs, weights) and a small deterministic hasher for the
//! keys summed per row.

pub mod fx;
pub mod rational;
