//! Downloads confined to the data folder: a requested path is decoded,
//! refused when it climbs (`..`), is absolute, names a hidden entry (locks,
//! files being written) or leaves the folder through a link, and served
//! only when it is a file under the folder once every link is resolved.

use std::path::{Path, PathBuf};

/// The file under `root` (canonical) that the percent-encoded `rel` names,
/// or `None` when it is refused or missing.
pub fn confine(root: &Path, rel: &str) -> Option<PathBuf> {
    let rel = super::http::percent_decode(rel)?;
    if rel.is_empty() || rel.contains(['\0', '\\', ':']) || rel.starts_with('/') {
        return None;
    }
    let parts: Vec<&str> = rel.split('/').collect();
    if (parts.iter()).any(|p| p.is_empty() || *p == "." || *p == ".." || p.starts_with('.')) {
        return None;
    }
    // Links resolved: the file must still be under the folder.
    let real = root.join(&rel).canonicalize().ok()?;
    (real.starts_with(root) && real.is_file()).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_outside_the_folder_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("data");
        std::fs::create_dir_all(root.join("out")).unwrap();
        std::fs::write(root.join("out/a.csv"), "x").unwrap();
        std::fs::write(root.join(".hidden"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "x").unwrap();
        let root = root.canonicalize().unwrap();
        assert!(confine(&root, "out/a.csv").is_some());
        assert!(confine(&root, "out/%61.csv").is_some());
        for bad in [
            "../secret.txt",
            "out/../../secret.txt",
            "%2e%2e/secret.txt",
            "%2E%2E%2Fsecret.txt",
            "/etc/passwd",
            "%2Fetc%2Fpasswd",
            ".hidden",
            "out//a.csv",
            "out\\a.csv",
            "out",
            "missing.csv",
        ] {
            assert_eq!(confine(&root, bad), None, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("link.txt"))
                .unwrap();
            assert_eq!(confine(&root, "link.txt"), None, "a link out of the folder");
        }
    }
}
