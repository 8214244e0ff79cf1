//! An output folder written as a transaction: locked against a second
//! writer, cleaned of what killed processes left, its old manifest marked
//! incomplete before anything is replaced, each sub-folder swapped in whole,
//! outputs of years not in this run removed, and the manifest written last,
//! naming every output file with its hash and what it was made from. A
//! reader tells a consistent folder (`"status": "complete"`, every hash
//! matches) from a torn one (`"status": "incomplete"`).

pub mod clean;
mod explain;
pub mod lock;
mod record;
pub mod stage;

pub use explain::explain;
pub use lock::{lock_folder, lock_for, set_wait, OutLock, LOCK_FILE};
pub use record::{finish_run, scored_warnings, COMPLETE, INCOMPLETE};
pub use stage::write_staged;

use crate::error::Result;
use std::path::Path;

/// Take the lock of the folder a subcommand writes into and clean what
/// dead processes left there. Hold the returned lock until done.
pub fn begin(folder: &Path) -> Result<OutLock> {
    let lock = lock_for(folder)?;
    clean::clean_stale(lock.dir())?;
    Ok(lock)
}

/// Start a `run` into `out`: lock, clean, and mark the old manifest
/// incomplete before any output is replaced.
pub fn begin_run(out: &Path) -> Result<OutLock> {
    let lock = lock_folder(out)?;
    clean::clean_stale(out)?;
    record::mark_incomplete(&out.join(record::MANIFEST))?;
    Ok(lock)
}

/// Names of the files each output folder holds (for removing stale ones).
pub const TABLE_FILES: &[&str] = &["rates_", "indicators_", "estimates"];
pub const COMPARE_FILES: &[&str] = &["rates_change_", "transitions_", "follow_up_"];
pub const REPORT_FILES: &[&str] = &["charts", "report_", "tables_"];
pub const BRIDGE_FILES: &[&str] = &["bridge_"];

/// Tell the reader of a scored folder that it may be torn or stale.
pub fn print_scored_warnings(scored: &Path) {
    for w in scored_warnings(scored) {
        eprintln!("warning: {w}");
    }
}
