//! CSV rows are validated in blocks on worker threads and taken in input
//! order: the dataset and the quarantine are the same bytes whatever the
//! thread count and the block size (records cut across blocks: quoted
//! values over several lines, CRLF, a byte-order mark, ragged rows, bytes
//! that are not UTF-8, values waiting for their column such as `700.000`),
//! the same as rows validated one by one; and accepted + quarantined = read.

use crate::common::*;
use dachieu::ingest::{ingest_with, IngestOptions, IngestSummary};
use proptest::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Values put into cells: what a field office, a spreadsheet or a damaged
/// file may leave there.
const JUNK: &[&[u8]] = &[
    b"",
    b"abc",
    b"-1",
    b"700.000",
    b"2.808.000",
    b"700,000",
    b"\"quoted, with a comma\"",
    b"\"two\nlines\"",
    b"\"a \"\"quote\"\" inside\"",
    b"\"\r\n\"",
    b"x\"y",
    b"N\xf4ng",
    b"a\0b",
    "Nông thôn".as_bytes(),
    b"NA",
    b"x,y",
    b"  01  ",
];

/// How one line of a file is damaged.
#[derive(Debug, Clone)]
enum Edit {
    Cell(usize, usize),
    DropField,
    ExtraField,
    BlankLineAfter,
}

fn edit() -> impl Strategy<Value = (usize, Edit)> {
    let e = prop_oneof![
        4 => (0usize..40, 0..JUNK.len()).prop_map(|(c, j)| Edit::Cell(c, j)),
        1 => Just(Edit::DropField),
        1 => Just(Edit::ExtraField),
        1 => Just(Edit::BlankLineAfter),
    ];
    (0usize..60, e)
}

/// `lines` (a header and rows) damaged by `edits`, as file bytes.
fn damaged(lines: &[&str], edits: &[(usize, Edit)], crlf: bool, bom: bool) -> Vec<u8> {
    let mut rows: Vec<Vec<Vec<u8>>> = (lines.iter())
        .map(|l| l.split(',').map(|c| c.as_bytes().to_vec()).collect())
        .collect();
    let mut blank = vec![false; rows.len()];
    for (row, e) in edits {
        let r = 1 + row % (rows.len() - 1);
        match e {
            Edit::Cell(c, j) => {
                let c = c % rows[r].len();
                rows[r][c] = JUNK[*j].to_vec();
            }
            Edit::DropField => drop(rows[r].pop()),
            Edit::ExtraField => rows[r].push(b"9".to_vec()),
            Edit::BlankLineAfter => blank[r] = true,
        }
    }
    let end: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    let mut out = if bom {
        b"\xef\xbb\xbf".to_vec()
    } else {
        Vec::new()
    };
    for (r, cells) in rows.iter().enumerate() {
        out.extend(cells.join(&b","[..]));
        out.extend(end);
        if blank[r] {
            out.extend(end);
        }
    }
    out
}

/// A dataset's files and their bytes.
type Tree = Vec<(String, Vec<u8>)>;

/// The summary and the dataset's files, or the error (a file too damaged
/// to read, which must be the same error whatever the blocks).
fn run(input: &Path, out: &Path, opts: IngestOptions) -> Result<(IngestSummary, Tree), String> {
    let s = ingest_with(&[input.to_path_buf()], out, opts).map_err(|e| e.to_string())?;
    Ok((s, tree(out)))
}

fn pool(threads: usize) -> Option<Arc<rayon::ThreadPool>> {
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads);
    Some(Arc::new(pool.build().unwrap()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    #[test]
    fn same_bytes_whatever_the_threads_and_the_block_size(
        hh_edits in proptest::collection::vec(edit(), 0..25),
        mem_edits in proptest::collection::vec(edit(), 0..25),
        crlf in any::<bool>(),
        bom in any::<bool>(),
        blocks in proptest::collection::vec((1usize..4, prop_oneof![Just(1usize), 2usize..400, Just(1usize << 20)]), 2),
        run_rows in prop_oneof![Just(None), (3usize..40).prop_map(Some)],
    ) {
        let hh = std::fs::read_to_string(sample_dir().join("households.csv")).unwrap();
        let mem = std::fs::read_to_string(sample_dir().join("members.csv")).unwrap();
        let hh_lines: Vec<&str> = hh.lines().take(61).collect();
        let ids: Vec<&str> = hh_lines[1..].iter().filter_map(|l| l.split(',').nth(1)).collect();
        let mem_lines: Vec<&str> = mem.lines().enumerate()
            .filter(|(i, l)| *i == 0 || l.split(',').nth(1).is_some_and(|id| ids.contains(&id)))
            .map(|(_, l)| l).collect();
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("in");
        std::fs::create_dir_all(&input).unwrap();
        std::fs::write(input.join("households.csv"), damaged(&hh_lines, &hh_edits, crlf, bom)).unwrap();
        std::fs::write(input.join("members.csv"), damaged(&mem_lines, &mem_edits, crlf, bom)).unwrap();
        // The reference: every row validated one by one on the reading
        // thread, and merged from a run file (never written directly).
        let one_by_one = IngestOptions { csv_rows_one_by_one: true, run_rows, no_direct: true, ..Default::default() };
        let reference = run(&input, &tmp.path().join("ref"), one_by_one);
        let (want, want_tree) = match reference {
            Ok(r) => r,
            Err(error) => {
                for (i, (threads, bytes)) in blocks.into_iter().enumerate() {
                    let opts = IngestOptions { csv_block_bytes: Some(bytes), pool: pool(threads), run_rows, ..Default::default() };
                    let got = run(&input, &tmp.path().join(format!("ds{i}")), opts);
                    prop_assert_eq!(got.err(), Some(error.clone()));
                }
                return Ok(());
            }
        };
        for t in &want.tables {
            prop_assert_eq!(t.read, t.accepted + t.quarantined, "{}", t.source);
        }
        let written: usize = want.years.iter().map(|y| y.households + y.members).sum();
        prop_assert_eq!(written as u64, want.accepted);
        for (i, (threads, bytes)) in blocks.into_iter().enumerate() {
            let opts = IngestOptions {
                csv_block_bytes: Some(bytes),
                pool: pool(threads),
                run_rows,
                ..Default::default()
            };
            let (got, got_tree) = run(&input, &tmp.path().join(format!("ds{i}")), opts).unwrap();
            prop_assert_eq!(&got.quarantine, &want.quarantine, "{} threads, blocks of {} bytes", threads, bytes);
            let counts = |s: &IngestSummary| s.tables.iter().map(|t| (t.read, t.accepted, t.quarantined)).collect::<Vec<_>>();
            prop_assert_eq!(counts(&got), counts(&want));
            prop_assert_eq!(&got.kept_columns, &want.kept_columns);
            prop_assert!(got_tree == want_tree, "dataset differs: {} threads, blocks of {} bytes", threads, bytes);
        }
    }
}

#[test]
fn the_bad_sample_is_the_same_in_blocks_of_one_byte_on_three_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = [sample_dir(), sample_dir().join("bad")];
    let one_by_one = IngestOptions {
        csv_rows_one_by_one: true,
        ..Default::default()
    };
    let want = ingest_with(&inputs, &tmp.path().join("ref"), one_by_one).unwrap();
    assert!(want.quarantined > 0 && want.accepted > 1000);
    let opts = IngestOptions {
        csv_block_bytes: Some(1),
        pool: pool(3),
        run_rows: Some(1000),
        ..Default::default()
    };
    let got = ingest_with(&inputs, &tmp.path().join("ds"), opts).unwrap();
    assert_eq!(got.quarantine, want.quarantine);
    assert!(tree(&tmp.path().join("ds")) == tree(&tmp.path().join("ref")));
}
