//! Fuzz: damaged Parquet files, as an input to ingest and as a partition
//! of the dataset or the scored output. Seeds are files dachieu wrote
//! (zstd, as the dataset is) and the same rows rewritten uncompressed with
//! v1 and v2 data pages, so mutations reach the page decoders and not only
//! the decompressor; edits aim at the footer and the page headers.
//! Nothing may panic; an unreadable file is a clean error naming it.

use crate::common::*;
use crate::fuzz::{fuzz, sample_subset, Seed};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::{WriterProperties, WriterVersion};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The footer and the first bytes of every page header of the file.
fn hot(path: &Path) -> Vec<Range<usize>> {
    let len = std::fs::metadata(path).unwrap().len() as usize;
    let bytes = std::fs::read(path).unwrap();
    let footer = u32::from_le_bytes(bytes[len - 8..len - 4].try_into().unwrap()) as usize;
    let mut out = Vec::new();
    out.push(len.saturating_sub(footer + 8)..len);
    let meta = dachieu::dataset::parquet_footer(path).unwrap();
    for rg in meta.metadata().row_groups() {
        for c in rg.columns() {
            for at in [Some(c.data_page_offset()), c.dictionary_page_offset()]
                .into_iter()
                .flatten()
            {
                out.push(at as usize..at as usize + 24);
            }
        }
    }
    out
}

/// `path`'s rows rewritten uncompressed, with data pages of `version`,
/// small pages and row groups (more headers to damage).
fn rewrite(path: &Path, to: &Path, version: WriterVersion) {
    let batch = dachieu::dataset::read_parquet(path).unwrap();
    let props = WriterProperties::builder()
        .set_compression(Compression::UNCOMPRESSED)
        .set_writer_version(version)
        .set_data_page_row_count_limit(7)
        .set_write_batch_size(7)
        .set_max_row_group_row_count(Some(16))
        .build();
    let mut w = ArrowWriter::try_new(
        std::fs::File::create(to).unwrap(),
        batch.schema(),
        Some(props),
    )
    .unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

/// A dataset and its scored output for 30 households of 2020, in `dir`.
fn made(dir: &Path) -> (PathBuf, PathBuf) {
    let (hh, mem) = sample_subset(30);
    write(&dir.join("in/households.csv"), &hh);
    write(&dir.join("in/members.csv"), &mem);
    let (ds, scored) = (dir.join("ds"), dir.join("scored"));
    dachieu::ingest::ingest(&[dir.join("in")], &ds).unwrap();
    score(&ds, &scored).unwrap();
    (ds, scored)
}

fn score(ds: &Path, out: &Path) -> dachieu::error::Result<()> {
    let opts = dachieu::score::ScoreOptions::default();
    let choice = dachieu::standard::Choice::Auto;
    dachieu::score::files::score_dataset(&choice, ds, out, &opts, &[]).map(|_| ())
}

/// The seeds: each file as written, and rewritten uncompressed (v1, v2).
fn seeds(files: &[PathBuf], scratch: &Path) -> Vec<Seed> {
    let mut out = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let v1 = scratch.join(format!("v1-{i}.parquet"));
        let v2 = scratch.join(format!("v2-{i}.parquet"));
        rewrite(f, &v1, WriterVersion::PARQUET_1_0);
        rewrite(f, &v2, WriterVersion::PARQUET_2_0);
        for p in [f, &v1, &v2] {
            out.push(Seed {
                bytes: std::fs::read(p).unwrap(),
                hot: hot(p),
            });
        }
    }
    out
}

/// An error from reading a damaged `name` must name it.
fn names_file(r: Result<(), String>, name: &str) {
    if let Err(e) = r {
        assert!(e.contains(name), "the error does not name {name}: {e}");
    }
}

#[test]
fn damaged_parquet_inputs_are_clean_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let (ds, _) = made(tmp.path());
    let year = ds.join("survey_year=2020");
    let seeds = seeds(
        &[
            year.join("households.parquet"),
            year.join("members.parquet"),
        ],
        tmp.path(),
    );
    let input = tmp.path().join("input.parquet");
    fuzz("parquet-input", crate::fuzz::cases(400), &seeds, |bytes| {
        std::fs::write(&input, bytes).unwrap();
        let out = tmp.path().join("ds-in");
        let _ = std::fs::remove_dir_all(&out);
        match dachieu::ingest::ingest(std::slice::from_ref(&input), &out) {
            Ok(s) => {
                for t in &s.tables {
                    assert_eq!(t.read, t.accepted + t.quarantined, "{}", t.source);
                }
            }
            Err(e) => names_file(Err(e.to_string()), "input.parquet"),
        }
    });
}

#[test]
fn damaged_dataset_and_scored_files_are_clean_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let (ds, scored) = made(tmp.path());
    let year = ds.join("survey_year=2020");
    let scored_file = scored.join("survey_year=2020/scored.parquet");
    let hh = year.join("households.parquet");
    let originals = [
        (hh.clone(), std::fs::read(&hh).unwrap()),
        (scored_file.clone(), std::fs::read(&scored_file).unwrap()),
    ];
    let seeds = seeds(&[hh.clone(), scored_file.clone()], tmp.path());
    let out = tmp.path().join("rescored");
    fuzz(
        "parquet-dataset",
        crate::fuzz::cases(250),
        &seeds,
        |bytes| {
            for (p, b) in &originals {
                std::fs::write(p, b).unwrap();
            }
            // The same damage in a households partition and in a scored file.
            for (path, name) in [
                (&hh, "households.parquet"),
                (&scored_file, "scored.parquet"),
            ] {
                std::fs::write(path, bytes).unwrap();
                names_file(read_every_way(path), name);
            }
            // Score may also find a column of the wrong type in the damaged
            // footer: then it says to rebuild the dataset.
            std::fs::write(&hh, bytes).unwrap();
            if let Err(e) = score(&ds, &out) {
                let e = e.to_string();
                assert!(
                    e.contains("households.parquet") || e.contains("re-run `dachieu ingest`"),
                    "neither names the file nor says to rebuild it: {e}"
                );
            }
        },
    );
}

/// Read a file as every stage does: whole, and row group by row group
/// with text columns dictionary-coded (booleans through their fast path).
fn read_every_way(path: &Path) -> Result<(), String> {
    let e = |e: dachieu::error::Error| e.to_string();
    dachieu::dataset::read_parquet(path).map_err(e)?;
    let footer = dachieu::dataset::parquet_footer(path).map_err(e)?;
    let text: Vec<String> = (footer.schema().fields().iter())
        .filter(|f| f.data_type() == &arrow_schema::DataType::Utf8)
        .map(|f| f.name().clone())
        .collect();
    let text: Vec<&str> = text.iter().map(String::as_str).collect();
    for g in 0..footer.metadata().num_row_groups() {
        dachieu::dataset::read_row_group(path, &footer, g, &[], &text).map_err(e)?;
    }
    Ok(())
}

/// Exit 2 with every one of `wants` in the message.
pub fn fails_saying(o: &Output, case: &str, wants: &[&str]) {
    assert_eq!(o.code, 2, "{case}: {}", o.stderr);
    for want in wants {
        assert!(
            o.stderr.contains(want),
            "{case}: `{want}` missing: {}",
            o.stderr
        );
    }
}

/// The damaged files the fuzzer found (each panicked the decoder before
/// the checks), through the real binary: exit 2, the file named, the fix.
#[test]
fn a_damaged_parquet_file_is_exit_2_naming_it_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let (ds, _) = made(tmp.path());
    let cases = repo().join("tests/fuzz-cases");
    for case in ["dict-decoder-not-set", "range-end-out-of-bounds"] {
        let input = tmp.path().join("survey.parquet");
        std::fs::copy(cases.join(format!("parquet-input/{case}.parquet")), &input).unwrap();
        let o = dachieu(
            tmp.path(),
            &["ingest", "survey.parquet", "--dataset", "ds-in"],
        );
        let wants = [
            "survey.parquet",
            "cannot be read as Parquet",
            "export it again",
        ];
        fails_saying(&o, case, &wants);
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
    }
    let hh = ds.join("survey_year=2020/households.parquet");
    for case in [
        "bit-chunk-offset-len-out-of-bounds",
        "byte-array-divide-by-zero",
        "negative-column-start",
    ] {
        std::fs::copy(cases.join(format!("parquet-dataset/{case}.parquet")), &hh).unwrap();
        let o = dachieu(
            tmp.path(),
            &["score", "--dataset", "ds", "--out", "scored2"],
        );
        let wants = [
            "survey_year=2020/households.parquet",
            "cannot be read as Parquet",
            "run `dachieu ingest`",
        ];
        fails_saying(&o, case, &wants);
    }
}
