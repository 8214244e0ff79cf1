//! Leftovers of processes that died (killed, out of power) removed at the
//! start of the next write: under the folder's lock no other process is
//! writing there, so every temporary file in it is stale. A swap that was
//! cut short is finished, a folder moved aside is put back.

use super::lock::LOCK_FILE;
use super::stage::{move_into, COMMIT, STAGING};
use crate::error::{Error, Result};
use std::fs::TryLockError;
use std::path::{Path, PathBuf};

/// How deep the output tree goes (`report/charts/vi/x.svg`): folders
/// below are not looked into.
const MAX_DEPTH: usize = 3;

/// What a hidden name is.
#[derive(Debug, PartialEq, Eq)]
enum Leftover {
    /// A temporary file or folder: removed.
    Temp,
    /// `.commit-<name>-<pid>`: a swap to finish into `<name>`.
    Commit(String),
    /// `.old-<name>`: a folder moved aside by an interrupted replace.
    Aside(String),
}

fn classify(name: &str) -> Option<Leftover> {
    if name.starts_with(STAGING) || name.starts_with(".spill-") {
        return Some(Leftover::Temp);
    }
    if let Some(rest) = name.strip_prefix(COMMIT) {
        return rest
            .rsplit_once('-')
            .map(|(target, _pid)| Leftover::Commit(target.to_string()));
    }
    // Only the folders `files::replace_dir` moves aside: a user's own
    // `.old-notes` is not ours to touch.
    if let Some(target) = name.strip_prefix(".old-") {
        if target.starts_with("survey_year=") || target == "charts" {
            return Some(Leftover::Aside(target.to_string()));
        }
    }
    // `.<file>.tmp-<pid>`, as `files::temp_sibling` names them.
    let (_, pid) = name.strip_prefix('.')?.rsplit_once(".tmp-")?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then_some(Leftover::Temp)
}

/// Whether a hidden name is a temporary file of dachieu's.
pub fn is_temp(name: &str) -> bool {
    classify(name).is_some()
}

/// Clean `root` (whose lock the caller holds) and the folders under it,
/// except a folder whose own lock another process holds. Returns what
/// was removed or repaired.
pub fn clean_stale(root: &Path) -> Result<Vec<PathBuf>> {
    let mut done = Vec::new();
    clean(root, 0, &mut done)?;
    Ok(done)
}

fn clean(dir: &Path, depth: usize, done: &mut Vec<PathBuf>) -> Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // Leftovers first, so a finished swap's folder is then looked into.
    for name in &names {
        let path = dir.join(name);
        match classify(name) {
            Some(Leftover::Temp) => {
                let r = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                r.map_err(|e| Error::io(&path, e))?;
            }
            Some(Leftover::Commit(target)) => move_into(&path, &dir.join(target), &[])?,
            Some(Leftover::Aside(target)) => crate::files::recover_dir(&dir.join(target))?,
            None => continue,
        }
        done.push(path);
    }
    if depth >= MAX_DEPTH {
        return Ok(());
    }
    for name in &names {
        let path = dir.join(name);
        if classify(name).is_none() && path.is_dir() && !busy(&path) {
            clean(&path, depth + 1, done)?;
        }
    }
    Ok(())
}

/// A folder another process is writing into under its own lock.
fn busy(dir: &Path) -> bool {
    let Ok(f) = std::fs::File::open(dir.join(LOCK_FILE)) else {
        return false;
    };
    matches!(f.try_lock(), Err(TryLockError::WouldBlock))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(classify(".rates.csv.tmp-123"), Some(Leftover::Temp));
        assert_eq!(classify(".spill-9-merge"), Some(Leftover::Temp));
        assert_eq!(
            classify(".staging-survey_year=2020-9"),
            Some(Leftover::Temp)
        );
        assert_eq!(
            classify(".commit-survey_year=2020-9"),
            Some(Leftover::Commit("survey_year=2020".into()))
        );
        assert_eq!(
            classify(".old-charts"),
            Some(Leftover::Aside("charts".into()))
        );
        assert_eq!(classify(".old-notes"), None);
        assert_eq!(classify(".dachieu.lock"), None);
        assert_eq!(classify(".synth.json"), None);
        assert_eq!(classify(".notes.tmp-x"), None);
        assert_eq!(classify("rates.csv"), None);
    }

    #[test]
    fn stale_files_go_a_cut_short_swap_is_finished() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let t = root.join("tables");
        std::fs::create_dir_all(&t).unwrap();
        std::fs::write(t.join(".rates.csv.tmp-99"), "x").unwrap();
        std::fs::create_dir_all(root.join("dataset/.spill-99-hh")).unwrap();
        std::fs::create_dir_all(root.join(".staging-report-99")).unwrap();
        let c = root.join(".commit-compare-99");
        std::fs::create_dir_all(&c).unwrap();
        std::fs::write(c.join("follow_up_2021.csv"), "new").unwrap();
        std::fs::write(root.join(".synth.json"), "{}").unwrap();
        clean_stale(root).unwrap();
        assert_eq!(
            std::fs::read_to_string(root.join("compare/follow_up_2021.csv")).unwrap(),
            "new"
        );
        let mut left: Vec<String> = Vec::new();
        for d in [root.to_path_buf(), t, root.join("dataset")] {
            for e in std::fs::read_dir(d).unwrap() {
                left.push(e.unwrap().file_name().to_string_lossy().into_owned());
            }
        }
        left.sort();
        assert_eq!(left, [".synth.json", "compare", "dataset", "tables"]);
    }
}
