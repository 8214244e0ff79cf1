//! The quarantine: every rejected row with its file, row, column, value and
//! the reason in plain words. One line per problem; a row with three problems
//! has three lines, and counts once as a quarantined row.

use crate::error::Result;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub source: String,
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

pub const HEADER: [&str; 5] = ["source_file", "row", "column", "value", "reason"];

pub fn write_csv(path: &Path, entries: &[Entry]) -> Result<()> {
    let mut buf = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        let mut write = || -> std::result::Result<(), csv::Error> {
            w.write_record(HEADER)?;
            for e in entries {
                w.write_record([
                    e.source.as_str(),
                    &e.row.to_string(),
                    &e.column,
                    &e.value,
                    &e.reason,
                ])?;
            }
            w.flush()?;
            Ok(())
        };
        write().map_err(|e| crate::error::Error::input(path, e.to_string()))?;
    }
    crate::files::write_atomic(path, &buf)
}
