//! Atomic file output: write to a temporary sibling, then rename, so a crash
//! or Ctrl-C never leaves a half-written file where a reader expects a whole one.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A temporary path next to `path` that a rename moves into place.
pub fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

pub fn create_dir_all(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))
}

/// Write `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes).map_err(|e| Error::io(path, e)))
}

/// Write through `f` to a temporary file, then rename it to `path`.
pub fn write_atomic_with(
    path: &Path,
    f: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<()>,
) -> Result<()> {
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            create_dir_all(dir)?;
        }
    }
    let tmp = TempFile(temp_sibling(path));
    let file = std::fs::File::create(&tmp.0).map_err(|e| Error::io(&tmp.0, e))?;
    let mut w = std::io::BufWriter::new(file);
    f(&mut w)?;
    let file = w
        .into_inner()
        .map_err(|e| Error::io(&tmp.0, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(&tmp.0, e))?;
    std::fs::rename(&tmp.0, path).map_err(|e| Error::io(path, e))
}

/// A temporary file removed when dropped: on an error, and on a panic in
/// the writer too (a rename that succeeded leaves nothing to remove).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Replace directory `target` by the fully written directory `staged`.
///
/// The old directory is first moved aside to `.old-<name>`, then `staged` is
/// renamed into place, then the old copy is removed. A crash between the two
/// renames leaves the old copy intact under `.old-<name>`, and
/// [`recover_dir`] puts it back: a reader never sees a half-written directory.
pub fn replace_dir(staged: &Path, target: &Path) -> Result<()> {
    let aside = aside_path(target);
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(|e| Error::io(&aside, e))?;
    }
    if target.exists() {
        std::fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
    }
    std::fs::rename(staged, target).map_err(|e| Error::io(target, e))?;
    if aside.exists() {
        std::fs::remove_dir_all(&aside).map_err(|e| Error::io(&aside, e))?;
    }
    Ok(())
}

/// Undo an interrupted [`replace_dir`]: if the target is missing but its
/// moved-aside copy exists, move the copy back.
pub fn recover_dir(target: &Path) -> Result<()> {
    let aside = aside_path(target);
    if aside.exists() {
        if target.exists() {
            std::fs::remove_dir_all(&aside).map_err(|e| Error::io(&aside, e))?;
        } else {
            std::fs::rename(&aside, target).map_err(|e| Error::io(target, e))?;
        }
    }
    Ok(())
}

fn aside_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".old-{name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replace_and_recover() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("survey_year=2020");
        let staged = dir.path().join(".staged");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("a"), "old").unwrap();
        std::fs::create_dir_all(&staged).unwrap();
        std::fs::write(staged.join("a"), "new").unwrap();
        replace_dir(&staged, &target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("a")).unwrap(), "new");
        // Simulate a crash after the first rename.
        std::fs::rename(&target, aside_path(&target)).unwrap();
        recover_dir(&target).unwrap();
        assert_eq!(std::fs::read_to_string(target.join("a")).unwrap(), "new");
    }

    #[test]
    fn a_writer_that_panics_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("scored.parquet");
        let r = std::panic::catch_unwind(|| {
            write_atomic_with(&p, |w| {
                w.write_all(b"half").unwrap();
                panic!("a decoder panicked")
            })
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn atomic_write_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        write_atomic(&p, b"hello").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
