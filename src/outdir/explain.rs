//! A full disk or a read-only folder met in the middle of writing, said in
//! the user's terms: which of their folders, and what to do. The library
//! error names an internal temporary file, or no path at all (the Arrow
//! and Parquet writers drop it).

use super::lock;
use std::path::{Path, PathBuf};

/// The error as it should reach the user.
pub fn explain(e: anyhow::Error) -> anyhow::Error {
    let folders = lock::folders();
    let Some(kind) = kind_of(&e) else {
        return e;
    };
    let text = format!("{e:#}");
    // The folder the failing path is in, else the one the command writes.
    let Some(folder) = folders
        .iter()
        .find(|f| text.contains(&*f.to_string_lossy()))
        .or(folders.first())
    else {
        return e;
    };
    match kind {
        std::io::ErrorKind::StorageFull => {
            let need = size_mb(folder);
            let free = if need >= 1 {
                format!("free at least {need} MB (what its outputs take now)")
            } else {
                "free some space".into()
            };
            anyhow::anyhow!(
                "the disk holding {} is full: {free}, or choose another output folder (--out); \
                 nothing half-written was put in place",
                folder.display()
            )
        }
        _ => anyhow::anyhow!(
            "cannot write to the output folder {}: it is on a read-only file system; \
             choose another output folder (--out) or make it writable",
            folder.display()
        ),
    }
}

/// Disk full or read-only, wherever in the chain (by kind when an
/// `io::Error` is kept, by message when a writer kept only its text).
fn kind_of(e: &anyhow::Error) -> Option<std::io::ErrorKind> {
    use std::io::ErrorKind as K;
    for c in e.chain() {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if matches!(io.kind(), K::StorageFull | K::QuotaExceeded) {
                return Some(K::StorageFull);
            }
            if io.kind() == K::ReadOnlyFilesystem {
                return Some(K::ReadOnlyFilesystem);
            }
        }
        let s = c.to_string();
        if s.contains("No space left on device") || s.contains("os error 28") {
            return Some(K::StorageFull);
        }
        if s.contains("Read-only file system") || s.contains("os error 30") {
            return Some(K::ReadOnlyFilesystem);
        }
    }
    None
}

/// Megabytes of the files under `dir`.
fn size_mb(dir: &Path) -> u64 {
    let mut total = 0u64;
    let mut stack: Vec<PathBuf> = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total.div_ceil(1 << 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_names_the_folder_not_the_temp_file() {
        let tmp = tempfile::tempdir().unwrap();
        let _l = lock::lock_folder(tmp.path()).unwrap();
        let io = std::io::Error::from(std::io::ErrorKind::StorageFull);
        let e = anyhow::Error::new(crate::error::Error::io(
            tmp.path().join(".staging-tables-1/rates.csv"),
            io,
        ));
        let m = explain(e).to_string();
        assert!(
            m.contains(&format!(
                "the disk holding {} is full",
                tmp.path().display()
            )),
            "{m}"
        );
        assert!(!m.contains(".staging"), "{m}");
        // Arrow's writer keeps only the text.
        let e = anyhow::anyhow!("arrow: Io error: No space left on device (os error 28)");
        assert!(explain(e).to_string().contains("is full"));
        let e = anyhow::anyhow!("households.csv: no such file");
        assert_eq!(explain(e).to_string(), "households.csv: no such file");
    }
}
