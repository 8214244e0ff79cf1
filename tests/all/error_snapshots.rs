//! Snapshots of exit-2 messages whose inputs a case file cannot hold as
//! text: Parquet files a warehouse wrote wrongly (`sql import`), bytes that
//! are not UTF-8 (those in `ingest_text.rs`). Each compares the whole stderr with
//! `tests/golden/errors/<name>.stderr` (`UPDATE_GOLDEN=1` rewrites it).

use crate::common::*;
use arrow_array::{Array, ArrayRef, Int32Array, Int64Array, RecordBatch, StringArray};
use std::path::Path;
use std::sync::Arc;

/// A scored file of 2020 for two households, as `run` writes it: the shape
/// of a warehouse query's output, to be spoiled one way at a time.
fn scored(dir: &Path) -> RecordBatch {
    write(
        &dir.join("in/households.csv"),
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n\
         2020,h1,89,rural,1,500000\n2020,h2,89,urban,1,5000000\n",
    );
    let o = dachieu(
        dir,
        &[
            "run",
            "--no-report",
            "-q",
            "in",
            "--out",
            "out",
            "--members",
            "none",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    dachieu::dataset::read_parquet(&dir.join("out/scored/survey_year=2020/scored.parquet")).unwrap()
}

/// Write `b` as dachieu does: its schema's metadata also as the file's
/// key-value metadata (where dachieu reads it).
fn write_parquet(path: &Path, b: &RecordBatch) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let f = std::fs::File::create(path).unwrap();
    let kv = (b.schema().metadata().iter())
        .map(|(k, v)| parquet::file::metadata::KeyValue::new(k.clone(), v.clone()))
        .collect();
    let props = parquet::file::properties::WriterProperties::builder()
        .set_key_value_metadata(Some(kv))
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, b.schema(), Some(props)).unwrap();
    w.write(b).unwrap();
    w.close().unwrap();
}

/// `b` with column `name` replaced by `a` (its field made nullable), or
/// dropped when `a` is `None`; the metadata kept.
fn with_column(b: &RecordBatch, name: &str, a: Option<ArrayRef>) -> RecordBatch {
    let mut fields = Vec::new();
    let mut cols = Vec::new();
    for (f, c) in b.schema().fields().iter().zip(b.columns()) {
        if f.name() != name {
            fields.push(f.as_ref().clone());
            cols.push(c.clone());
        } else if let Some(a) = &a {
            fields.push(arrow_schema::Field::new(name, a.data_type().clone(), true));
            cols.push(a.clone());
        }
    }
    let schema = arrow_schema::Schema::new_with_metadata(fields, b.schema().metadata().clone());
    RecordBatch::try_new(Arc::new(schema), cols).unwrap()
}

fn import(dir: &Path, from: &str) -> Output {
    dachieu(
        dir,
        &[
            "sql",
            "import",
            "--standard",
            "vn-2016-2020",
            "--from",
            from,
            "--out",
            "imported",
        ],
    )
}

/// Every way a warehouse's rows can fail `sql import`, each refused with
/// exit 2, the file named, and nothing written.
#[test]
fn sql_import_refusals() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let b = scored(dir);
    let n = b.num_rows();
    let spoiled: Vec<(&str, RecordBatch)> = vec![
        (
            "import-lacks-a-column-and-one-of-another-type",
            with_column(
                &with_column(&b, "deprivations_max", None),
                "area",
                Some(Arc::new(Int32Array::from(vec![1; n]))),
            ),
        ),
        (
            "import-blank-household-id",
            with_column(
                &b,
                "household_id",
                Some(Arc::new(StringArray::from(vec![Some("h1"), None]))),
            ),
        ),
        (
            "import-class-the-standard-does-not-have",
            with_column(
                &b,
                "class",
                Some(Arc::new(StringArray::from(vec!["rich"; n]))),
            ),
        ),
        (
            "import-year-that-is-not-a-year",
            with_column(
                &b,
                "survey_year",
                Some(Arc::new(Int64Array::from(vec![1i64 << 40; n]))),
            ),
        ),
        ("import-no-household", b.slice(0, 0)),
        (
            "import-blank-class",
            with_column(
                &b,
                "class",
                Some(Arc::new(StringArray::from(vec![Some("poor"), None]))),
            ),
        ),
    ];
    for (name, batch) in &spoiled {
        let from = format!("{name}.parquet");
        write_parquet(&dir.join(&from), batch);
        let o = import(dir, &from);
        assert_error_snapshot(name, &o, dir);
        assert!(!dir.join("imported/survey_year=2020").exists(), "{name}");
    }
    // The same rows twice (a folder written into twice).
    for f in ["a", "b"] {
        write_parquet(&dir.join(format!("twice/{f}.parquet")), &b);
    }
    assert_error_snapshot("import-household-twice", &import(dir, "twice"), dir);
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    assert_error_snapshot("import-folder-without-parquet", &import(dir, "empty"), dir);
}

/// A Parquet input with a column of a type ingest does not read (a date).
#[test]
fn ingest_refuses_a_parquet_column_type() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let year = Arc::new(arrow_array::Date32Array::from(vec![18000])) as ArrayRef;
    let b = RecordBatch::try_from_iter([
        ("survey_year", year),
        (
            "household_id",
            Arc::new(StringArray::from(vec!["h1"])) as ArrayRef,
        ),
    ])
    .unwrap();
    let f = dir.join("households.parquet");
    write_parquet(&f, &b);
    let o = ingest_into(dir, &f, &dir.join("ds"), &dir.join("q.csv"), &[]);
    assert_error_snapshot("ingest-parquet-date-column", &o, dir);
    assert!(b.column(0).len() == 1);
}

/// Two households of 2020 with two members each, ingested into `ds`.
fn dataset(dir: &Path) {
    write(
        &dir.join("in/households.csv"),
        "survey_year,household_id,province_code,area,household_size,income_per_capita_month\n\
         2020,h1,89,rural,2,500000\n2020,h2,89,urban,2,5000000\n",
    );
    write(
        &dir.join("in/members.csv"),
        "survey_year,household_id,member_id,age,education_level,in_school,sick_last_12m,has_health_insurance,uses_phone,uses_internet\n\
         2020,h1,1,40,primary,0,0,1,1,1\n2020,h1,2,38,primary,0,0,1,1,1\n\
         2020,h2,1,40,primary,0,0,1,1,1\n2020,h2,2,38,primary,0,0,1,1,1\n",
    );
    let o = ingest_into(
        dir,
        &dir.join("in"),
        &dir.join("ds"),
        &dir.join("q.csv"),
        &["-q"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
}

/// A dataset file changed by another program after ingest: `score` names
/// the file and says to ingest again.
#[test]
fn score_refuses_a_dataset_changed_after_ingest() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    dataset(dir);
    let year = dir.join("ds/survey_year=2020");
    let (hh, mem) = (
        year.join("households.parquet"),
        year.join("members.parquet"),
    );
    let (hh0, mem0) = (
        dachieu::dataset::read_parquet(&hh).unwrap(),
        dachieu::dataset::read_parquet(&mem).unwrap(),
    );
    let index = |v: Vec<i64>| Some(Arc::new(Int64Array::from(v)) as ArrayRef);
    let spoiled: Vec<(&str, &Path, RecordBatch)> = vec![
        (
            "dataset-household-size-as-text",
            &hh,
            with_column(
                &hh0,
                "household_size",
                Some(Arc::new(StringArray::from(vec!["2"; 2]))),
            ),
        ),
        (
            "dataset-household-size-as-int32",
            &hh,
            with_column(
                &hh0,
                "household_size",
                Some(Arc::new(Int32Array::from(vec![2; 2]))),
            ),
        ),
        (
            "dataset-members-without-hh-index",
            &mem,
            with_column(&mem0, "hh_index", None),
        ),
        (
            "dataset-members-hh-index-of-another-type",
            &mem,
            with_column(&mem0, "hh_index", index(vec![0, 0, 1, 1])),
        ),
        (
            "dataset-members-out-of-household-order",
            &mem,
            arrow_select::take::take_record_batch(
                &mem0,
                &arrow_array::UInt32Array::from(vec![2, 3, 0, 1]),
            )
            .unwrap(),
        ),
    ];
    for (name, file, batch) in spoiled {
        write_parquet(file, &batch);
        let o = dachieu(dir, &["score", "--dataset", "ds", "--out", "scored", "-q"]);
        assert_error_snapshot(name, &o, dir);
        write_parquet(&hh, &hh0);
        write_parquet(&mem, &mem0);
    }
}

/// A scored file changed by another program: `tables` names what is wrong
/// and says to score again.
#[test]
fn tables_refuse_a_scored_file_changed_after_scoring() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let b = scored(dir);
    let file = dir.join("out/scored/survey_year=2020/scored.parquet");
    let mut meta = b.schema().metadata().clone();
    meta.remove(dachieu::score::META_WEIGHTS);
    let no_weights = RecordBatch::try_new(
        Arc::new(b.schema().as_ref().clone().with_metadata(meta)),
        b.columns().to_vec(),
    )
    .unwrap();
    let spoiled = [
        ("scored-without-class", with_column(&b, "class", None)),
        ("scored-without-weights", no_weights),
    ];
    for (name, batch) in spoiled {
        write_parquet(&file, &batch);
        let o = dachieu(
            dir,
            &["tables", "--scored", "out/scored", "--out", "t", "-q"],
        );
        assert_error_snapshot(name, &o, dir);
    }
}
