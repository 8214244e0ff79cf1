//! Every output file, byte for byte: the hash of each file the full `run`
//! writes (report, charts and workbooks included) on the bundled sample and
//! on a synthetic sample with 2 % of optional cells blank, against the list
//! committed in `tests/golden/output_hashes_*.txt`. A restructuring that
//! changes no output keeps these lists; a deliberate change of an output
//! rewrites them with `UPDATE_GOLDEN=1`, and the diff of the list names every
//! file that changed. The manifest is hashed without the fields that record
//! when and on what machine the run happened; inputs are named by relative
//! paths, so the lists hold wherever the repository is checked out.

use crate::common::*;
use sha2::{Digest, Sha256};
use std::path::Path;

/// `path  sha256` for every file under `out`, sorted; the manifest with its
/// run-specific fields blanked.
fn hash_list(out: &Path) -> String {
    let mut lines = String::new();
    for (rel, bytes) in tree(out) {
        let rel = rel.replace('\\', "/");
        let bytes = if rel == "manifest.json" {
            stable_manifest(&bytes)
        } else {
            bytes
        };
        let hash = Sha256::digest(&bytes);
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        lines.push_str(&format!("{rel}  {hex}\n"));
    }
    lines
}

/// The manifest without what differs between two runs of the same inputs:
/// timestamps, durations, the engine's build, absolute paths and the thread
/// count.
fn stable_manifest(bytes: &[u8]) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).expect("manifest is JSON");
    blank(&mut v);
    serde_json::to_vec_pretty(&v).unwrap()
}

fn blank(v: &mut serde_json::Value) {
    const VOLATILE: [&str; 8] = [
        "started", "finished", "seconds", "elapsed", "created", "engine", "threads", "path",
    ];
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if VOLATILE.iter().any(|w| k.contains(w)) {
                    *x = serde_json::Value::Null;
                } else {
                    blank(x);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(blank),
        _ => {}
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let path = e.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

#[test]
fn hashes_of_every_sample_output_are_as_committed() {
    let tmp = tempfile::tempdir().unwrap();
    // A copy beside the output, named by a relative path: the manifest (and
    // the report that embeds it) records input paths as given, and the
    // hashes must not depend on where the repository is checked out.
    copy_dir(&sample_dir(), &tmp.path().join("data-samples"));
    let o = dachieu(
        tmp.path(),
        &["run", "data-samples", "--out", "out", "--quiet"],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    assert_golden(
        "output_hashes_sample.txt",
        hash_list(&tmp.path().join("out")).as_bytes(),
    );
}

#[test]
fn hashes_of_every_output_of_a_synth_run_with_blanks_are_as_committed() {
    assert_golden(
        "output_hashes_synth.txt",
        hash_list(&synth_run().join("out")).as_bytes(),
    );
}

/// The README's gallery is the sample's charts as the run draws them now:
/// each `docs/img/<lang>_<chart>.png` has the hash the sample list records
/// for `report/charts/<lang>/<chart>.png`. A chart changed on purpose
/// fails here until `sh docs/img/make_gallery.sh` is run again.
#[test]
fn the_readme_gallery_is_the_samples_charts() {
    let list =
        std::fs::read_to_string(repo().join("tests/golden/output_hashes_sample.txt")).unwrap();
    let mut checked = 0;
    for e in std::fs::read_dir(repo().join("docs/img")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some((lang, chart)) = name.strip_suffix(".png").and_then(|n| n.split_once('_')) else {
            continue;
        };
        let rel = format!("report/charts/{lang}/{chart}.png  ");
        let Some(line) = list.lines().find(|l| l.starts_with(&rel)) else {
            continue; // a screenshot, not a chart
        };
        let hash = Sha256::digest(std::fs::read(&path).unwrap());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            &line[rel.len()..],
            hex,
            "{name} is stale: sh docs/img/make_gallery.sh"
        );
        checked += 1;
    }
    assert!(checked >= 7, "only {checked} gallery charts found");
}
