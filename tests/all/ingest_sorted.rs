//! Input already in key order is merged as it comes, unsorted (see
//! `ingest::runs`): the dataset and the quarantine are the same bytes as
//! when the rows are cut into sorted runs and merged, whether the input is
//! in order, shuffled, or in order but for a row; and the dataset is the
//! same whatever the row order (the quarantine then names other rows).

use crate::common::*;
use dachieu::ingest::{ingest_with, IngestOptions, IngestSummary};
use proptest::prelude::*;
use std::path::Path;

const HH_HEADER: &str =
    "survey_year,household_id,province_code,area,household_size,income_per_capita_month";
const MEM_HEADER: &str = "survey_year,household_id,member_id,age";

/// Households h000…h039 of 2020 (and h000…h004 of 2022), two or three
/// members each, in key order: `(households, members)` lines.
fn rows() -> (Vec<String>, Vec<String>) {
    let (mut hh, mut mem) = (Vec::new(), Vec::new());
    for (year, n) in [(2020, 40), (2022, 5)] {
        for i in 0..n {
            let id = format!("h{i:03}");
            hh.push(format!("{year},{id},89,rural,3,{}", 500_000 + 1000 * i));
            for m in 1..=(2 + i % 2) {
                mem.push(format!("{year},{id},{m},{}", 20 + m + i % 50));
            }
        }
    }
    (hh, mem)
}

/// The rows with their bad ones: copies of households and members (an
/// identical copy, a copy validation rejects), a household validation
/// rejects whose members are valid, members of a household that does not
/// exist; each put beside the row it copies, so the input stays in order.
fn with_bad_rows(dups: &[(bool, usize, u8)]) -> (Vec<String>, Vec<String>) {
    let (mut hh, mut mem) = rows();
    // h005 rejected (its valid members then are set aside too); a member
    // of h0095, which has no household row.
    hh[5] = hh[5].replace(",3,", ",abc,");
    mem.insert(25, "2020,h0095,1,30".into());
    for &(member, at, how) in dups.iter().rev() {
        let rows = if member { &mut mem } else { &mut hh };
        let at = at % rows.len();
        let copy = match how % 3 {
            0 => rows[at].clone(),
            // A copy rejected for another reason still counts as a copy.
            1 => match member {
                true => format!("{},abc", rows[at].rsplit_once(',').unwrap().0),
                false => rows[at].replacen(",rural,", ",nowhere,", 1),
            },
            _ => {
                let (head, _) = rows[at].rsplit_once(',').unwrap();
                format!("{head},7")
            }
        };
        rows.insert(at + 1, copy);
    }
    (hh, mem)
}

/// Ingest `tmp/in` into `tmp/<out>`, CSV text validated in blocks of
/// `block_bytes` (`None`: the default, one block for these files).
fn ingest(
    tmp: &Path,
    out: &str,
    run_rows: Option<usize>,
    block_bytes: Option<usize>,
) -> IngestSummary {
    let opts = IngestOptions {
        run_rows,
        csv_block_bytes: block_bytes,
        ..Default::default()
    };
    ingest_as(tmp, out, opts)
}

/// `ingest` with other options (at most three runs merged at once).
fn ingest_as(tmp: &Path, out: &str, opts: IngestOptions) -> IngestSummary {
    let opts = IngestOptions {
        fan_in: Some(3),
        ..opts
    };
    ingest_with(&[tmp.join("in")], &tmp.join(out), opts).unwrap()
}

/// The rows as `tmp/in`, ingested in one run (nothing spilled), in runs
/// of a few rows, and in blocks of one row (the blocks in key order
/// written to the in-order run as they come, the others through the
/// pass's rows): the same dataset and quarantine; the summary of the runs
/// of a few rows and the dataset.
fn same_in_runs(
    tmp: &Path,
    name: &str,
    hh: &[String],
    mem: &[String],
) -> (IngestSummary, Vec<(String, Vec<u8>)>) {
    let body = |header: &str, rows: &[String]| format!("{header}\n{}\n", rows.join("\n"));
    write(&tmp.join("in/households.csv"), &body(HH_HEADER, hh));
    write(&tmp.join("in/members.csv"), &body(MEM_HEADER, mem));
    let one = ingest(tmp, &format!("{name}-one"), None, None);
    let runs = ingest(tmp, &format!("{name}-runs"), Some(3), None);
    let blocks = ingest(tmp, &format!("{name}-blocks"), None, Some(1));
    // Blocks of one row in runs of three: once the order breaks, the rows
    // written as read come back beside many runs, merged three at a time.
    let block_runs = ingest(tmp, &format!("{name}-block-runs"), Some(3), Some(1));
    // Through a run file and the merge, never written directly; and rows
    // validated one by one (the last of them handed over when the pass ends).
    let no_direct = IngestOptions {
        run_rows: Some(3),
        no_direct: true,
        ..Default::default()
    };
    let merged = ingest_as(tmp, &format!("{name}-merged"), no_direct);
    assert!(!merged.written_directly, "{name}");
    let by_rows = IngestOptions {
        csv_rows_one_by_one: true,
        ..Default::default()
    };
    let rows = ingest_as(tmp, &format!("{name}-rows"), by_rows);
    assert_eq!(rows.written_directly, one.written_directly, "{name}");
    for s in [&runs, &blocks, &block_runs, &merged, &rows] {
        assert_eq!(s.quarantine, one.quarantine, "{name}");
        assert_eq!(s.tables, one.tables, "{name}");
        assert_eq!(s.in_key_order, runs.in_key_order, "{name}");
    }
    assert_eq!(blocks.written_directly, one.written_directly, "{name}");
    let tree_one = tree(&tmp.join(format!("{name}-one")));
    for other in ["runs", "blocks", "block-runs", "merged", "rows"] {
        assert!(
            tree(&tmp.join(format!("{name}-{other}"))) == tree_one,
            "{name}: the datasets of one run and of {other} differ"
        );
    }
    (runs, tree_one)
}

/// The quarantine without row numbers (`file.csv:12` → `file.csv:#`), as a
/// sorted list: what rows of which content were set aside and why.
fn unplaced(s: &IngestSummary, hh: &[String], mem: &[String]) -> Vec<String> {
    let mut out: Vec<String> = (s.quarantine.iter())
        .map(|e| {
            let rows = if e.source.ends_with("members.csv") {
                mem
            } else {
                hh
            };
            let line = &rows[e.row as usize - 2];
            let mut reason = String::new();
            for (i, part) in e.reason.split(".csv:").enumerate() {
                if i > 0 {
                    reason.push_str(".csv:#");
                }
                reason.push_str(if i > 0 {
                    part.trim_start_matches(|c: char| c.is_ascii_digit())
                } else {
                    part
                });
            }
            format!("{}|{line}|{}|{}|{reason}", e.source, e.column, e.value)
        })
        .collect();
    out.sort();
    out
}

/// A permutation of `rows`: `how` 0 keeps them, 1 moves one row
/// elsewhere, 2 shuffles them (`seed` picks which).
fn permute(rows: &[String], how: u8, seed: u64) -> Vec<String> {
    let mut rows = rows.to_vec();
    let n = rows.len();
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    match how {
        1 => {
            let r = rows.remove(next() as usize % n);
            rows.insert(next() as usize % n, r);
        }
        2 => {
            for i in (1..n).rev() {
                rows.swap(i, next() as usize % (i + 1));
            }
        }
        _ => {}
    }
    rows
}

#[test]
fn input_in_key_order_is_merged_unsorted_to_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let dups = [
        (false, 3, 0),
        (false, 11, 1),
        (true, 30, 0),
        (true, 41, 1),
        (false, 42, 2),
    ];
    let (hh, mem) = with_bad_rows(&dups);
    let (sorted, ds) = same_in_runs(tmp.path(), "sorted", &hh, &mem);
    assert_eq!(sorted.in_key_order, [true, true]);
    assert!(sorted.quarantined >= 12, "{:?}", sorted.quarantine);
    let reasons = unplaced(&sorted, &hh, &mem);
    // A row out of order in the middle, a row out of order at the end, all
    // shuffled: runs sorted and merged; the same dataset and (but for row
    // numbers) the same quarantine.
    let cases: Vec<(&str, Vec<String>, Vec<String>)> = vec![
        (
            "middle",
            [&hh[..10], &hh[11..30], &hh[10..11], &hh[30..]].concat(),
            mem.clone(),
        ),
        (
            "end",
            [&hh[..10], &hh[11..], &hh[10..11]].concat(),
            [&mem[1..], &mem[..1]].concat(),
        ),
        ("shuffled", permute(&hh, 2, 7), permute(&mem, 2, 9)),
    ];
    for (name, h, m) in cases {
        let (s, tree) = same_in_runs(tmp.path(), name, &h, &m);
        assert_eq!(s.in_key_order, [false, name == "middle"], "{name}");
        assert!(tree == ds, "{name}: the dataset differs");
        assert_eq!(unplaced(&s, &h, &m), reasons, "{name}");
    }
}

/// Input in key order with rows set aside but no copies (a household
/// rejected with valid members, a member of no household, a member
/// rejected): written as read, with no run file, to the dataset and
/// quarantine of the merge; with a copy, merged.
#[test]
fn input_in_key_order_without_copies_is_written_as_read() {
    let tmp = tempfile::tempdir().unwrap();
    let (hh, mut mem) = with_bad_rows(&[]);
    mem[40] = format!("{},abc", mem[40].rsplit_once(',').unwrap().0);
    let (s, ds) = same_in_runs(tmp.path(), "clean", &hh, &mem);
    assert!(s.written_directly);
    assert_eq!(s.in_key_order, [true, true]);
    assert!(s.quarantined >= 5, "{:?}", s.quarantine);
    // Every member set aside: their households are of another year.
    let (hh, mem) = rows();
    let mem: Vec<String> = mem
        .iter()
        .map(|m| m.replacen("2020,", "2021,", 1))
        .collect();
    let (s, _) = same_in_runs(tmp.path(), "no-member", &hh[..40], &mem[..100]);
    assert!(s.written_directly);
    assert_eq!(s.quarantined, 100);
    // A copy of a member, a copy of a household validation rejects, a
    // copy of a member validation rejects: each settled by the merge.
    for (i, dup) in [(true, 30, 0), (false, 11, 1), (true, 41, 1)]
        .into_iter()
        .enumerate()
    {
        let (hh, mem) = with_bad_rows(&[dup]);
        let (s, copied) = same_in_runs(tmp.path(), &format!("copied{i}"), &hh, &mem);
        assert!(!s.written_directly, "{dup:?}");
        assert!(copied != ds);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn any_order_and_copies_give_the_dataset_of_the_sorted_input(
        dups in proptest::collection::vec((any::<bool>(), 0usize..200, 0u8..3), 0..8),
        how in (0u8..3, 0u8..3),
        seed in any::<u64>(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let (hh, mem) = with_bad_rows(&dups);
        let (sorted, ds) = same_in_runs(tmp.path(), "sorted", &hh, &mem);
        prop_assert_eq!(sorted.in_key_order, [true, true]);
        let (h, m) = (permute(&hh, how.0, seed), permute(&mem, how.1, seed / 3));
        let (s, tree) = same_in_runs(tmp.path(), "permuted", &h, &m);
        prop_assert!(tree == ds, "the dataset differs");
        prop_assert_eq!(unplaced(&s, &h, &m), unplaced(&sorted, &hh, &mem));
        prop_assert_eq!(s.read, sorted.read);
    }
}
