//! Row order and thread count change nothing: same bytes out.

use crate::common::*;
use std::path::Path;

/// The sample replicated `k` times under new ids, so several scoring chunks exist.
fn replicated(k: usize, shuffle: bool) -> (String, String) {
    let mut out = Vec::new();
    for name in ["households.csv", "members.csv"] {
        let text = std::fs::read_to_string(sample_dir().join(name)).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap().to_string();
        let body: Vec<&str> = lines.collect();
        let mut rows = Vec::new();
        for r in 0..k {
            for l in &body {
                let mut f: Vec<String> = l.split(',').map(str::to_string).collect();
                f[1] = format!("r{r}-{}", f[1]);
                rows.push(f.join(","));
            }
        }
        if shuffle {
            // A fixed permutation: reverse, then interleave halves.
            rows.reverse();
            let half = rows.len() / 2;
            let (a, b) = rows.split_at(half);
            rows = b
                .iter()
                .zip(a)
                .flat_map(|(x, y)| [x.clone(), y.clone()])
                .chain(b.iter().skip(a.len()).cloned())
                .collect();
        }
        out.push(format!("{header}\n{}\n", rows.join("\n")));
    }
    (out.remove(0), out.remove(0))
}

fn run(dir: &Path, hh: &str, mem: &str, threads: &str) -> Vec<(String, Vec<u8>)> {
    write(&dir.join("in/households.csv"), hh);
    write(&dir.join("in/members.csv"), mem);
    let out = dir.join("out");
    let o = dachieu(
        dir,
        &[
            "run",
            "--no-report",
            "in",
            "--out",
            "out",
            "--threads",
            threads,
            "--by",
            "province,district,commune,region,area",
        ],
    );
    assert_eq!(o.code, 0, "{}{}", o.stdout, o.stderr);
    let mut t = tree(&out.join("tables"));
    t.extend(tree(&out.join("scored")));
    t.extend(tree(&out.join("dataset")));
    t
}

#[test]
fn thread_count_and_row_order_do_not_change_any_output_byte() {
    let (hh, mem) = replicated(6, false);
    let tmp = tempfile::tempdir().unwrap();
    let one = run(&tmp.path().join("t1"), &hh, &mem, "1");
    let many = run(&tmp.path().join("t3"), &hh, &mem, "3");
    assert!(one.len() > 10);
    assert_eq!(one, many, "1 thread vs 3 threads");
    let (shh, smem) = replicated(6, true);
    assert_ne!(shh, hh);
    let shuffled = run(&tmp.path().join("shuffled"), &shh, &smem, "2");
    assert_eq!(one, shuffled, "shuffled input rows");
}

#[test]
fn duplicates_are_set_aside_whatever_their_order() {
    let tmp = tempfile::tempdir().unwrap();
    let header =
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n";
    let (a, b) = (
        "2020,h1,89,rural,1,500000\n",
        "2020,h1,89,rural,1,5000000\n",
    );
    let other = "2020,h2,89,rural,1,600000\n";
    let mut outs = Vec::new();
    for (name, body) in [
        ("ab", format!("{header}{a}{other}{b}")),
        ("ba", format!("{header}{b}{other}{a}")),
    ] {
        let dir = tmp.path().join(name);
        write(&dir.join("in/households.csv"), &body);
        let o = dachieu(
            &dir,
            &[
                "run",
                "--no-report",
                "in",
                "--out",
                "out",
                "--format",
                "csv",
                "--members",
                "none",
            ],
        );
        assert_eq!(o.code, 1, "duplicates are findings: {}", o.stderr);
        outs.push((
            tree(&dir.join("out/tables")),
            tree(&dir.join("out/dataset")),
        ));
    }
    assert_eq!(outs[0], outs[1]);
}

#[test]
fn scoring_in_slices_gives_the_same_households_as_scoring_at_once() {
    // Slices of 1,000 households (and of 8,192 + a remainder) against the
    // default (the whole sample in one slice).
    let tmp = tempfile::tempdir().unwrap();
    let (hh, mem) = replicated(6, false);
    write(&tmp.path().join("in/households.csv"), &hh);
    write(&tmp.path().join("in/members.csv"), &mem);
    let ds = tmp.path().join("ds");
    dachieu::ingest::ingest(&[tmp.path().join("in")], &ds).unwrap();
    // Each year under its own standard (--standard auto): 2022 is under
    // Decree 07/2021, with its share combine and its score column.
    let st = dachieu::standard::Choice::Auto;
    let score = |name: &str, slice: Option<usize>| {
        let out = tmp.path().join(name);
        let opts = dachieu::score::ScoreOptions {
            slice,
            ..Default::default()
        };
        dachieu::score::files::score_dataset(&st, &ds, &out, &opts, &[]).unwrap();
        let years = dachieu::dataset::years(&out).unwrap();
        assert_eq!(years.len(), 3);
        years
            .iter()
            .map(|y| {
                let dir = dachieu::dataset::year_dir(&out, *y);
                (
                    dachieu::dataset::read_parquet(&dir.join("scored.parquet")).unwrap(),
                    std::fs::read(dir.join("undetermined.csv")).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let whole = score("whole", None);
    assert!(whole[0].0.num_rows() > 8192, "several chunks");
    for slice in [1000, 8192] {
        assert_eq!(
            score(&format!("s{slice}"), Some(slice)),
            whole,
            "slices of {slice}"
        );
    }
}
