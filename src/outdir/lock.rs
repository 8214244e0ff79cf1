//! An exclusive lock on an output folder, so two dachieu processes never
//! write into one folder at once: the second refuses at once, naming the
//! holder, or waits for it with `--wait`. The lock is the operating
//! system's (`flock` on a hidden `.dachieu.lock` file), so it dies with its
//! process: a killed run never leaves a stale lock behind.

use crate::error::{Error, Result};
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The lock file inside a locked folder. Hidden: readers of the folder
/// (ours, DuckDB, pyarrow) skip names starting with a dot.
pub const LOCK_FILE: &str = ".dachieu.lock";

/// `--wait`: wait for a busy folder instead of refusing.
static WAIT: AtomicBool = AtomicBool::new(false);
/// The folders this process locked, to name the user's folder in errors
/// (kept after the lock is released: the error reaches `main` after that).
static LOCKED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub fn set_wait(wait: bool) {
    WAIT.store(wait, Ordering::Relaxed);
}

/// The output folders this process locked.
pub fn folders() -> Vec<PathBuf> {
    LOCKED.lock().map(|h| h.clone()).unwrap_or_default()
}

/// A held lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct OutLock {
    _file: File,
    dir: PathBuf,
    /// The folder did not exist before this lock made it.
    created: bool,
}

impl Drop for OutLock {
    /// A folder this lock created and nothing was written into (the
    /// command was refused, e.g. for a bad option) is removed, so a refused
    /// command leaves no trace. A folder that was there, or holds anything
    /// but the lock, stays.
    fn drop(&mut self) {
        if !self.created {
            return;
        }
        let only_lock = std::fs::read_dir(&self.dir)
            .is_ok_and(|mut entries| entries.all(|e| e.is_ok_and(|e| e.file_name() == LOCK_FILE)));
        if only_lock {
            let _ = std::fs::remove_file(self.dir.join(LOCK_FILE));
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

impl OutLock {
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Lock the folder a subcommand writes into. A folder inside a run's
/// output folder (`out/tables` beside `out/manifest.json`) takes the run
/// folder's lock, so `tables --out out/tables` and `run --out out` exclude
/// each other.
pub fn lock_for(folder: &Path) -> Result<OutLock> {
    match folder.parent() {
        Some(p)
            if !p.as_os_str().is_empty()
                && (p.join(LOCK_FILE).is_file() || p.join("manifest.json").is_file()) =>
        {
            lock_folder(p)
        }
        _ => lock_folder(folder),
    }
}

/// Lock `dir` (created if missing) for writing: refuse at once when another
/// process holds it, or wait under `--wait`.
pub fn lock_folder(dir: &Path) -> Result<OutLock> {
    let created = !dir.exists();
    std::fs::create_dir_all(dir).map_err(|e| not_writable(dir, e))?;
    let path = dir.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| not_writable(dir, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let holder = holder(&path);
            if !WAIT.load(Ordering::Relaxed) {
                return Err(Error::Usage(format!(
                    "{} is in use by another dachieu process ({holder}); wait until it \
                     finishes, add --wait to wait for it, or choose another output folder",
                    dir.display()
                )));
            }
            eprintln!("waiting for {}: in use by {holder}", dir.display());
            file.lock().map_err(|e| Error::io(&path, e))?;
        }
        Err(TryLockError::Error(e)) => return Err(not_writable(dir, e)),
    }
    // Who holds it, for the message a second process prints.
    let me = format!(
        "pid {}, `{}`, since {}",
        std::process::id(),
        command_line(),
        utc_now()
    );
    let mut record = || -> std::io::Result<()> {
        file.set_len(0)?;
        file.rewind()?;
        file.write_all(me.as_bytes())?;
        file.flush()
    };
    record().map_err(|e| not_writable(dir, e))?;
    if let Ok(mut h) = LOCKED.lock() {
        if !h.contains(&dir.to_path_buf()) {
            h.push(dir.to_path_buf());
        }
    }
    Ok(OutLock {
        _file: file,
        dir: dir.to_path_buf(),
        created,
    })
}

fn holder(path: &Path) -> String {
    match std::fs::read_to_string(path) {
        Ok(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => "a process that has not yet said who it is".into(),
    }
}

/// A folder that cannot be written: say which, why, and what to do,
/// rather than naming an internal file.
pub fn not_writable(dir: &Path, e: std::io::Error) -> Error {
    use std::io::ErrorKind as K;
    let why = match e.kind() {
        K::ReadOnlyFilesystem => "it is on a read-only file system".to_string(),
        K::PermissionDenied => "permission denied".to_string(),
        K::StorageFull => "the disk holding it is full".to_string(),
        _ => e.to_string(),
    };
    Error::Usage(format!(
        "cannot write to the output folder {}: {why}; choose another output folder (--out) or make it writable",
        dir.display()
    ))
}

fn command_line() -> String {
    let args: Vec<String> = std::env::args().collect();
    let mut s = args.join(" ");
    if let Some(first) = args.first() {
        // The program as the user would type it.
        if let Some(name) = Path::new(first).file_name() {
            s = s.replacen(first.as_str(), &name.to_string_lossy(), 1);
        }
    }
    s
}

/// Now, as `YYYY-MM-DD HH:MM:SS UTC` (civil date from the Unix day count).
fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    utc(secs)
}

fn utc(secs: i64) -> String {
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = crate::i18n::civil(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_796_596_869), "2026-12-06 22:41:09 UTC");
    }

    #[test]
    fn a_second_lock_refuses_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_folder(dir.path()).unwrap();
        // A second open file takes its own lock, as another process would.
        let e = lock_folder(dir.path()).unwrap_err().to_string();
        assert!(e.contains("in use by another dachieu process"), "{e}");
        assert!(e.contains(&format!("pid {}", std::process::id())), "{e}");
        drop(first);
        lock_folder(dir.path()).unwrap();
    }

    #[test]
    fn a_folder_the_lock_made_and_nothing_filled_is_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let (empty, filled) = (tmp.path().join("empty"), tmp.path().join("filled"));
        drop(lock_folder(&empty).unwrap());
        assert!(!empty.exists(), "a refused command leaves no folder");
        let lock = lock_folder(&filled).unwrap();
        std::fs::write(filled.join("rates.csv"), "x").unwrap();
        drop(lock);
        assert!(filled.join("rates.csv").exists());
        // A folder that was there before stays, even empty.
        drop(lock_folder(tmp.path()).unwrap());
        assert!(tmp.path().exists());
    }
}
