//! The compiled rule kernels against the row interpreter they replace:
//! every bundled standard, the Đồng Nai example standard, each missing-value
//! policy and `--members none`, on the sample data and on synthetic data
//! with blank cells (members with only an age or only a birth year, missing
//! member records), scored both ways in slices of 1,000 households; the
//! scored files must be the same bytes.

use crate::common::{dachieu, repo, sample_dir};
use dachieu::score::{MissingOverride, ScoreOptions};
use dachieu::standard::Choice;
use std::path::{Path, PathBuf};

/// Every scored file under `out`, by path, as bytes.
fn scored(out: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    dachieu::dataset::years(out)
        .unwrap()
        .iter()
        .map(|y| {
            let f = dachieu::score::files::scored_file(out, *y);
            let bytes = std::fs::read(&f).unwrap();
            (f.strip_prefix(out).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

/// Score `ds` under each standard and option both ways; the files must match.
fn compiled_equals_interpreted(ds: &Path, tmp: &Path) {
    let standards = ["vn-2016-2020", "vn-2022-2025", "vn-2027-2030", "global-mpi"]
        .map(String::from)
        .into_iter()
        .chain([repo()
            .join("indicators/examples/dong-nai-2022-2025")
            .display()
            .to_string()]);
    let policies = [
        None,
        Some(MissingOverride::Exclude),
        Some(MissingOverride::Deprived),
    ];
    let mut compared = 0;
    for (s, st) in standards.enumerate() {
        let choice = Choice::parse(&st).unwrap();
        for (p, missing) in policies.iter().enumerate() {
            for no_members in [false, true] {
                let run = |interpret: bool| {
                    let out = tmp.join(format!("s{s}-p{p}-{no_members}-{interpret}"));
                    let opts = ScoreOptions {
                        missing: *missing,
                        no_members,
                        slice: Some(1000),
                        interpret,
                    };
                    dachieu::score::files::score_dataset(&choice, ds, &out, &opts, &[]).unwrap();
                    scored(&out)
                };
                let (compiled, interpreted) = (run(false), run(true));
                assert!(!compiled.is_empty());
                for ((f, a), (_, b)) in compiled.iter().zip(&interpreted) {
                    assert!(
                        a == b,
                        "{st}, missing {missing:?}, members none {no_members}: {} differs between the compiled kernels and the interpreter",
                        f.display()
                    );
                    compared += 1;
                }
            }
        }
    }
    assert!(compared >= 30, "{compared} files compared");
}

#[test]
fn compiled_rules_score_the_sample_as_the_interpreter_does() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    dachieu::ingest::ingest(&[sample_dir()], &ds).unwrap();
    compiled_equals_interpreted(&ds, tmp.path());
}

#[test]
fn compiled_rules_score_synthetic_blanks_as_the_interpreter_does() {
    let tmp = tempfile::tempdir().unwrap();
    // A fifth of the optional cells blank: ages without birth years and the
    // reverse, rosters shorter than household_size, unknown answers.
    let o = dachieu(
        tmp.path(),
        &[
            "synth",
            "--households",
            "6000",
            "--years",
            "2020,2021",
            "--missing-rate",
            "0.2",
            "--seed",
            "7",
            "--out",
            "synth",
            "--quiet",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let ds = tmp.path().join("ds");
    dachieu::ingest::ingest(&[tmp.path().join("synth")], &ds).unwrap();
    compiled_equals_interpreted(&ds, tmp.path());
}
