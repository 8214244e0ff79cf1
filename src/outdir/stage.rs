//! A folder of outputs written beside its target and swapped in only once
//! every file is whole: a full disk or an error while writing `tables/`
//! leaves the old tables as they were, never half new, half old.
//!
//! The swap renames the staging folder to `.commit-<name>-<pid>` first, so
//! a swap cut short by a kill is told apart from a staging folder still
//! being written: the next start finishes the first and removes the second
//! (see `clean`).

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Prefix of a folder being written.
pub const STAGING: &str = ".staging-";
/// Prefix of a fully written folder being moved into place.
pub const COMMIT: &str = ".commit-";

/// A staging folder for `target`; removed when dropped uncommitted (on an
/// error or a panic), so no error path leaves it behind.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    target: PathBuf,
    done: bool,
}

fn sibling(target: &Path, prefix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!("{prefix}{name}-{}", std::process::id()))
}

impl Staged {
    pub fn new(target: &Path) -> Result<Self> {
        let dir = sibling(target, STAGING);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        crate::files::create_dir_all(&dir)?;
        Ok(Staged {
            dir,
            target: target.to_path_buf(),
            done: false,
        })
    }

    /// Where to write.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Move the written files into the target folder, replacing files of the
    /// same name and removing the target's entries whose names start with
    /// one of `ours` that this write did not produce (stale outputs of an
    /// earlier run). Other entries of the target are left alone: it may be
    /// a folder the user also keeps other files in. Returns `files` (paths
    /// under the staging folder) as paths under the target.
    pub fn commit(mut self, files: Vec<PathBuf>, ours: &[&str]) -> Result<Vec<PathBuf>> {
        let commit = sibling(&self.target, COMMIT);
        std::fs::rename(&self.dir, &commit).map_err(|e| Error::io(&self.target, e))?;
        self.done = true;
        move_into(&commit, &self.target, ours)?;
        Ok(files
            .into_iter()
            .map(|f| match f.strip_prefix(&self.dir) {
                Ok(rel) => self.target.join(rel),
                Err(_) => f,
            })
            .collect())
    }
}

impl Staged {
    /// Replace the target folder whole by the written one (a year's
    /// partition, which holds nothing but our files).
    pub fn commit_whole(mut self) -> Result<()> {
        crate::files::replace_dir(&self.dir, &self.target)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Move every entry of the fully written folder `from` into `target`
/// (a file by one rename, a sub-folder such as `charts/` replaced whole),
/// remove stale entries named by `ours`, then remove `from`. Run again on
/// the same folders after a kill, it finishes the job.
pub fn move_into(from: &Path, target: &Path, ours: &[&str]) -> Result<()> {
    crate::files::create_dir_all(target)?;
    let mut names = Vec::new();
    for e in std::fs::read_dir(from).map_err(|e| Error::io(from, e))? {
        let e = e.map_err(|e| Error::io(from, e))?;
        names.push(e.file_name());
    }
    for name in &names {
        let (src, dst) = (from.join(name), target.join(name));
        if src.is_dir() {
            crate::files::replace_dir(&src, &dst)?;
        } else {
            std::fs::rename(&src, &dst).map_err(|e| Error::io(&dst, e))?;
        }
    }
    // Stale outputs: ours by name, not written this time.
    if let Ok(entries) = std::fs::read_dir(target) {
        for e in entries.flatten() {
            let name = e.file_name();
            let s = name.to_string_lossy();
            if !names.contains(&name) && ours.iter().any(|p| s.starts_with(p)) {
                let p = e.path();
                let r = if p.is_dir() {
                    std::fs::remove_dir_all(&p)
                } else {
                    std::fs::remove_file(&p)
                };
                r.map_err(|e| Error::io(&p, e))?;
            }
        }
    }
    std::fs::remove_dir_all(from).map_err(|e| Error::io(from, e))
}

/// Write into a staging folder through `f` (given the folder, returning the
/// files it wrote there), then swap it into `target`.
pub fn write_staged(
    target: &Path,
    ours: &[&str],
    f: impl FnOnce(&Path) -> Result<Vec<PathBuf>>,
) -> Result<Vec<PathBuf>> {
    let staged = Staged::new(target)?;
    let files = f(staged.path())?;
    staged.commit(files, ours)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_folder_and_no_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path().join("tables");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join("rates_province.csv"), "old").unwrap();
        std::fs::write(t.join("rates_district.csv"), "old").unwrap();
        std::fs::write(t.join("notes.txt"), "the user's").unwrap();
        let r = write_staged(&t, &["rates_"], |d| {
            std::fs::write(d.join("rates_province.csv"), "new").unwrap();
            Err(Error::Usage("disk full".into()))
        });
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
        assert_eq!(
            std::fs::read_to_string(t.join("rates_province.csv")).unwrap(),
            "old"
        );
        // A whole write replaces ours, drops our stale file, keeps the user's.
        let files = write_staged(&t, &["rates_"], |d| {
            std::fs::write(d.join("rates_province.csv"), "new").unwrap();
            Ok(vec![d.join("rates_province.csv")])
        })
        .unwrap();
        assert_eq!(files, vec![t.join("rates_province.csv")]);
        assert_eq!(std::fs::read_to_string(&files[0]).unwrap(), "new");
        assert!(!t.join("rates_district.csv").exists());
        assert!(t.join("notes.txt").exists());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
