//! `run` killed (SIGKILL) at random moments on a 200,000-household
//! synthetic input: after each kill the folder is either a complete run
//! (every file matches the manifest: the previous run's, or the new one's)
//! or marked incomplete; the next run leaves no temporary file and a
//! manifest that matches every file.
//!
//! `DACHIEU_KILLS=N` sets the number of kills (default 2, for CI time),
//! `DACHIEU_KILL_SEED=S` the seed of the delays.

use crate::common::*;
use crate::transaction::{check_manifest, leftovers};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// xorshift64*: seeded delays, the same on every machine.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn run_cmd(input: &Path, out: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_dachieu"));
    c.args([
        "run",
        p(input),
        "--out",
        p(out),
        "--no-report",
        "--format",
        "csv",
        "-q",
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    c
}

fn synth(dir: &Path, households: &str, years: &str, seed: &str) {
    let o = dachieu(
        dir.parent().expect("a folder in the test's temp folder"),
        &[
            "synth",
            "--households",
            households,
            "--years",
            years,
            "--seed",
            seed,
            "--format",
            "parquet",
            "--out",
            p(dir),
            "-q",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
}

#[test]
fn a_run_killed_at_random_moments_leaves_a_whole_or_a_marked_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, out) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("out"),
    );
    synth(&a, "200000", "2020,2021", "1");
    // The other input: other households, one year (its runs also remove
    // the year 2020 of the runs on `a`).
    synth(&b, "20000", "2021", "2");
    let kills = env_u64("DACHIEU_KILLS", 2);
    let mut rng = Rng(env_u64("DACHIEU_KILL_SEED", 18).max(1));

    let start = Instant::now();
    assert_eq!(run_cmd(&a, &out).status().unwrap().code(), Some(0));
    let length = start.elapsed();
    assert_eq!(
        check_manifest(&out).unwrap(),
        [
            p(&a.join("households.parquet")),
            p(&a.join("members.parquet"))
        ]
    );
    let mut torn = 0;
    for i in 0..kills {
        // `b` has a twentieth of the rows: its kills land within its
        // (shorter) length, most of which is the fixed start-up.
        let (input, span) = match i % 2 {
            0 => (&b, length / 8),
            _ => (&a, length),
        };
        let delay = Duration::from_millis(rng.next() % span.as_millis().max(1) as u64);
        let mut child = run_cmd(input, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let state = match check_manifest(&out) {
            Ok(inputs) => {
                assert!(
                    [&a, &b]
                        .iter()
                        .any(|d| inputs.iter().all(|i| i.starts_with(p(d)))),
                    "{inputs:?}"
                );
                "whole".to_string()
            }
            Err(why) => {
                torn += 1;
                why
            }
        };
        eprintln!("kill {i} after {delay:?} of up to {span:?}: {state}");
    }
    assert_eq!(run_cmd(&a, &out).status().unwrap().code(), Some(0));
    assert_eq!(leftovers(&out), Vec::<String>::new());
    check_manifest(&out).unwrap();
    eprintln!(
        "{kills} kills, {torn} left the folder marked incomplete; {:?} in all",
        start.elapsed()
    );
}
