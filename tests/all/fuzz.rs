//! Fuzz tests on stable Rust: valid files (the sample's CSV, Parquet files
//! written by ingest and by score, a workbook, the bundled standards' TOML)
//! mutated by a small seeded mutator and fed to the library in-process.
//! Nothing may panic; a file that is read keeps accepted + quarantined =
//! read, and one that cannot be read is a clean error naming it.
//!
//! CI runs a bounded number of cases per target; `DACHIEU_FUZZ_CASES=N`
//! runs N per target, `DACHIEU_FUZZ_SEED=S` draws other cases. A case that
//! fails is written to `target/fuzz-failures/` and named in the failure;
//! once fixed, it is kept under `tests/fuzz-cases/<target>/`, where every
//! file is replayed before new cases are drawn.

use crate::common::*;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A seeded generator (splitmix64): the same seed, the same cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Bytes a mutation writes where lengths, counts, delimiters and quotes are.
const INTERESTING: &[u8] = &[
    0, 1, 0x7f, 0x80, 0xff, b'"', b',', b';', b'\n', b'\r', b'<', 0x15,
];

/// `seed` with one to four edits: bit flips, interesting bytes, cuts,
/// insertions, duplicated and removed ranges, zeroed or maxed runs (lengths
/// and offsets). Half the edits land in `hot` (footers, page headers),
/// where a few bytes reach the most code.
pub fn mutate(rng: &mut Rng, seed: &[u8], hot: &[Range<usize>]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = b.len().max(1);
        let pos = match hot.get(rng.below(hot.len() * 2)) {
            Some(r) if r.start < b.len() => (r.start + rng.below(r.len().max(1))).min(b.len() - 1),
            _ => rng.below(len),
        };
        let n = 1 + rng.below(8);
        let end = (pos + n).min(b.len());
        match rng.below(9) {
            0 => {
                if let Some(x) = b.get_mut(pos) {
                    *x ^= 1 << rng.below(8);
                }
            }
            1 => {
                if let Some(x) = b.get_mut(pos) {
                    *x = INTERESTING[rng.below(INTERESTING.len())];
                }
            }
            2 => b.truncate(pos),
            3 => {
                let junk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                b.splice(pos.min(b.len())..pos.min(b.len()), junk);
            }
            4 => {
                let from = rng.below(len);
                let piece: Vec<u8> = b
                    .get(from..(from + 1 + rng.below(64)).min(b.len()))
                    .unwrap_or(&[])
                    .to_vec();
                b.splice(pos.min(b.len())..pos.min(b.len()), piece);
            }
            5 => b
                .get_mut(pos..end)
                .into_iter()
                .flatten()
                .for_each(|x| *x = 0),
            6 => b
                .get_mut(pos..end)
                .into_iter()
                .flatten()
                .for_each(|x| *x = 0xff),
            7 => {
                b.drain(pos.min(b.len())..end.max(pos.min(b.len())));
            }
            _ => {
                // A line or a record repeated: duplicated keys, doubled rows.
                let from = rng.below(len);
                let piece: Vec<u8> = b
                    .get(from..(from + 200).min(b.len()))
                    .unwrap_or(&[])
                    .to_vec();
                b.extend_from_slice(&piece);
            }
        }
    }
    b
}

/// Cases per target: `DACHIEU_FUZZ_CASES`, or the CI default.
pub fn cases(default: usize) -> usize {
    std::env::var("DACHIEU_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A file to mutate, with the byte ranges worth aiming at.
pub struct Seed {
    pub bytes: Vec<u8>,
    pub hot: Vec<Range<usize>>,
}

/// Replay the kept cases of `target`, then run `n` new ones drawn from
/// `seeds`, each through `check` (which panics on a failure). A panic is
/// reported with the input saved to a file.
pub fn fuzz(target: &str, n: usize, seeds: &[Seed], check: impl Fn(&[u8])) {
    let kept = repo().join("tests/fuzz-cases").join(target);
    let mut inputs: Vec<(String, Vec<u8>)> = std::fs::read_dir(&kept)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
                .collect()
        })
        .unwrap_or_default();
    inputs.sort();
    let base: u64 = std::env::var("DACHIEU_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(18);
    let run = |name: &str, input: &[u8]| {
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(input)));
        if let Err(p) = out {
            let dir = repo().join("target/fuzz-failures");
            std::fs::create_dir_all(&dir).unwrap();
            let file = dir.join(format!("{target}-{}", name.replace(['/', '\\'], "_")));
            std::fs::write(&file, input).unwrap();
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "{target}: case {name} failed ({msg}); input kept in {}",
                file.display()
            );
        }
    };
    for (name, input) in &inputs {
        run(name, input);
    }
    for i in 0..n {
        let mut rng = Rng::new(base.wrapping_mul(0x1000_0001).wrapping_add(i as u64));
        let seed = &seeds[rng.below(seeds.len())];
        run(
            &format!("{base}-{i}"),
            &mutate(&mut rng, &seed.bytes, &seed.hot),
        );
    }
}

/// The first `n` households of the sample and their members, as CSV text.
pub fn sample_subset(n: usize) -> (String, String) {
    let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
    let mem = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
    let lines: Vec<&str> = hh.lines().take(n + 1).collect();
    let ids: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    let mlines: Vec<&str> = (mem.lines().enumerate())
        .filter(|(i, l)| *i == 0 || l.split(',').nth(1).is_some_and(|id| ids.contains(id)))
        .map(|(_, l)| l)
        .collect();
    (lines.join("\n") + "\n", mlines.join("\n") + "\n")
}

/// Ingest `files`; no panic, and either a clean error or every table's
/// rows accounted for.
fn ingest_accounts_for_every_row(files: &[PathBuf], ds: &Path) {
    let _ = std::fs::remove_dir_all(ds);
    if let Ok(s) = dachieu::ingest::ingest(files, ds) {
        for t in &s.tables {
            assert_eq!(t.read, t.accepted + t.quarantined, "{}", t.source);
        }
        let written: usize = s.years.iter().map(|y| y.households + y.members).sum();
        assert_eq!(written as u64, s.accepted);
    }
}

#[test]
fn csv_inputs_never_panic_and_lose_no_row() {
    let (hh, mem) = sample_subset(30);
    let seeds = [Seed {
        bytes: hh.into_bytes(),
        hot: vec![],
    }];
    let tmp = tempfile::tempdir().unwrap();
    let (h, m) = (
        tmp.path().join("households.csv"),
        tmp.path().join("members.csv"),
    );
    write(&m, &mem);
    fuzz("csv", cases(200), &seeds, |bytes| {
        std::fs::write(&h, bytes).unwrap();
        ingest_accounts_for_every_row(&[h.clone(), m.clone()], &tmp.path().join("ds"));
    });
}

#[test]
fn standards_never_panic() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = copy_standard("vn-2022-2025", &tmp.path().join("std"));
    let names: Vec<String> = (std::fs::read_dir(&dir).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let originals: Vec<(String, Vec<u8>)> = (names.iter())
        .map(|n| (n.clone(), std::fs::read(dir.join(n)).unwrap()))
        .collect();
    let seeds: Vec<Seed> = (originals.iter())
        .map(|(_, b)| Seed {
            bytes: b.clone(),
            hot: vec![],
        })
        .collect();
    fuzz("toml", cases(400), &seeds, |bytes| {
        // The mutated text replaces the file it most resembles.
        for (n, b) in &originals {
            std::fs::write(dir.join(n), b).unwrap();
        }
        let target = (originals.iter())
            .max_by_key(|(_, b)| b.iter().zip(bytes).take_while(|(x, y)| x == y).count())
            .map(|(n, _)| n.clone())
            .unwrap();
        std::fs::write(dir.join(target), bytes).unwrap();
        let _ = dachieu::standard::load_dir(&dir);
    });
}
