//! A comparison's four tables written as one folder, swapped in whole, for
//! `compare` and `run` alike: the follow-up list (household ids) never
//! outlives the comparison it belongs to.

use super::Comparison;
use crate::error::Result;
use crate::export::{self, Format};
use std::path::{Path, PathBuf};

/// Write `c` (grouped by `level`, ending in year `to`) into `dir`.
pub fn write_comparison(
    c: &Comparison,
    dir: &Path,
    level: &str,
    to: i64,
    formats: &[Format],
) -> Result<Vec<PathBuf>> {
    crate::outdir::write_staged(dir, crate::outdir::COMPARE_FILES, |d| {
        let tables = [
            (&c.rates, format!("rates_change_{level}"), formats),
            (&c.matrix, format!("transitions_{level}"), formats),
            (&c.summary, format!("transitions_summary_{level}"), formats),
            (&c.follow_up, format!("follow_up_{to}"), &[Format::Csv][..]),
        ];
        let mut files = Vec::new();
        for (frame, stem, formats) in tables {
            files.extend(export::write(frame, d, &stem, formats)?);
        }
        Ok(files)
    })
}
