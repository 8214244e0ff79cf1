//! The run's manifest as the commit record of its folder: marked
//! incomplete before anything is replaced, written complete last, with
//! every output file's hash and what it was made from; and the checks a
//! reader of a scored folder makes against it.

use super::{hash_file, Manifest, OutputFile};
use crate::dataset;
use crate::error::Result;
use crate::outdir::{clean, lock_folder, OutLock};
use std::path::Path;

pub const MANIFEST: &str = "manifest.json";
pub const COMPLETE: &str = "complete";
pub const INCOMPLETE: &str = "incomplete";

/// The run's output folders and files, in the order the manifest lists them.
const OUTPUTS: &[&str] = &["dataset", "scored", "tables", "compare", "lists", "report"];
const QUARANTINE: &str = "quarantine.csv";

/// Start a `run` into `out`: lock, clean, and mark the old manifest
/// incomplete before any output is replaced.
pub fn begin_run(out: &Path) -> Result<OutLock> {
    let lock = lock_folder(out)?;
    clean::clean_stale(out)?;
    mark_incomplete(&out.join(MANIFEST))?;
    Ok(lock)
}

/// Tell the reader of a scored folder that it may be torn or stale.
pub fn print_scored_warnings(scored: &Path) {
    for w in scored_warnings(scored) {
        eprintln!("warning: {w}");
    }
}

/// Before a run replaces anything: the old manifest says its folder is
/// being rewritten, so a kill from here on leaves a folder marked torn.
pub fn mark_incomplete(path: &Path) -> Result<()> {
    let old = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let mut m = serde_json::Map::new();
    m.insert("status".into(), INCOMPLETE.into());
    m.insert(
        "note".into(),
        "a run into this folder started and has not finished (or was killed): its files may \
         mix two runs; run `dachieu run` again"
            .into(),
    );
    if let Some(serde_json::Value::Object(old)) = old {
        for (k, v) in old {
            m.entry(k).or_insert(v);
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&serde_json::Value::Object(m))
        .map_err(|e| crate::error::Error::Usage(e.to_string()))?;
    bytes.push(b'\n');
    crate::files::write_atomic(path, &bytes)
}

/// End a run: remove outputs this run did not make (years not in it, a
/// comparison or report it did not write), hash every output, and write
/// the manifest, complete, last.
pub fn finish_run(out: &Path, manifest: &mut Manifest, years: &[i32]) -> Result<()> {
    for part in ["dataset", "scored"] {
        let root = out.join(part);
        for y in dataset::years(&root)? {
            if !years.contains(&y) {
                remove(&dataset::year_dir(&root, y))?;
            }
        }
    }
    if years.len() < 2 {
        remove(&out.join("compare"))?;
    }
    if manifest.options["report"].as_bool() == Some(false) {
        remove(&out.join("report"))?;
    }
    let scored = |ys: &[i32]| -> Vec<String> {
        ys.iter()
            .map(|y| format!("scored/survey_year={y}/{}", dataset::SCORED_FILE))
            .collect()
    };
    let inputs: Vec<String> = manifest.inputs.iter().map(|i| i.path.clone()).collect();
    let mut files = Vec::new();
    let mut rels = vec![QUARANTINE.to_string()];
    for part in OUTPUTS {
        rels.extend(files_under(out, part));
    }
    for rel in rels {
        let path = out.join(&rel);
        if !path.is_file() {
            continue;
        }
        let year = |r: &str| {
            r.split('/')
                .nth(1)
                .and_then(|d| d.strip_prefix("survey_year="))
                .map(str::to_string)
        };
        let made_from = match rel.split('/').next().unwrap_or_default() {
            "scored" => match year(&rel) {
                Some(y) => [dataset::HOUSEHOLDS_FILE, dataset::MEMBERS_FILE]
                    .iter()
                    .map(|f| format!("dataset/survey_year={y}/{f}"))
                    .collect(),
                None => Vec::new(),
            },
            "tables" | "report" | "lists" => scored(years),
            "compare" => scored(&years[years.len().saturating_sub(2)..]),
            _ => inputs.clone(),
        };
        let h = hash_file(&path)?;
        files.push(OutputFile {
            path: rel,
            bytes: h.bytes,
            sha256: h.sha256,
            made_from,
        });
    }
    manifest.files = files;
    manifest.status = Some(COMPLETE.into());
    manifest.write(&out.join(MANIFEST))
}

fn remove(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(crate::error::Error::io(path, e)),
        _ => Ok(()),
    }
}

/// Files under `out/part`, as sorted `/`-separated paths relative to
/// `out`, hidden names (locks, temporary files) left out.
pub(crate) fn files_under(out: &Path, part: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![part.to_string()];
    while let Some(rel) = stack.pop() {
        for e in std::fs::read_dir(out.join(&rel))
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let r = format!("{rel}/{name}");
            if e.path().is_dir() {
                stack.push(r);
            } else {
                found.push(r);
            }
        }
    }
    found.sort();
    found
}

/// Warnings for a reader of the scored folder `scored`: the run folder it
/// is in did not finish, or a year was scored before its dataset was last
/// written (a kill between ingest and score). Cheap: one manifest read
/// and two file times per year.
pub fn scored_warnings(scored: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let Some(root) = scored.parent() else {
        return out;
    };
    let status = std::fs::read_to_string(root.join(MANIFEST))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|m| m["status"].as_str().map(str::to_string));
    if status.as_deref() == Some(INCOMPLETE) {
        out.push(format!(
            "the last run into {} did not finish (killed or failed): its files may mix two runs; run `dachieu run` again",
            root.display()
        ));
    }
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    for y in dataset::years(scored).unwrap_or_default() {
        let ds = dataset::year_dir(&root.join("dataset"), y).join(dataset::HOUSEHOLDS_FILE);
        let sc = crate::score::files::scored_file(scored, y);
        if let (Some(d), Some(s)) = (modified(&ds), modified(&sc)) {
            if d > s {
                out.push(format!(
                    "{} is older than {}: the dataset was written again after scoring; run `dachieu score` again",
                    sc.display(),
                    ds.display()
                ));
            }
        }
    }
    out
}
