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
pub mod stage;

pub use explain::explain;
pub use lock::{lock_folder, lock_for, set_wait, OutLock, LOCK_FILE};
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

/// Names of the files each output folder holds (for removing stale ones).
pub const TABLE_FILES: &[&str] = &["rates_", "indicators_", "estimates", "form_"];
pub const COMPARE_FILES: &[&str] = &["rates_change_", "transitions_", "follow_up_"];
pub const REPORT_FILES: &[&str] = &["charts", "report_", "tables_"];
pub const BRIDGE_FILES: &[&str] = &["bridge_"];
