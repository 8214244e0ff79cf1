//! Bring a warehouse's classification back: the household rows the query
//! from `dachieu sql` gave (without `--by`), written to Parquet by DuckDB or
//! Spark, become the engine's scored folder, so `tables`, `report` and
//! `compare` (standard errors, charts, forms) run on them.
//!
//! Nothing of the scorer is redone here. The schema and its metadata
//! (standard, indicators, weights, rule, cut-offs, policy, design) come
//! from the scorer itself, asked to score no household; the rows are only
//! checked against that schema, put in the dataset's order and written a
//! year at a time the way `score` writes one.

use super::retype::{described, retype, Refused};
use crate::dataset;
use crate::error::{Error, Result};
use crate::schema::TableKind;
use crate::score::{self, files, MissingOverride, ScoreOptions, EXCLUDED, UNDETERMINED};
use crate::standard::Standard;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch, UInt32Array};
use arrow_schema::{Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What was imported.
#[derive(Debug, Default)]
pub struct Imported {
    /// Each survey year and its households.
    pub years: Vec<(i32, usize)>,
    pub undetermined: usize,
    /// Columns of the input the scored file has no place for.
    pub ignored: Vec<String>,
}

const FIX: &str = "write it again from the query (COPY … TO 'file.parquet' in DuckDB, \
                   .write.parquet(…) in Spark)";

/// The scored file's schema for `st`, from the scorer asked to score an
/// empty year: the same columns, types and metadata `dachieu score` writes.
fn scored_schema(
    st: &Standard,
    missing: Option<MissingOverride>,
    sample: bool,
) -> Result<SchemaRef> {
    let fields: Vec<Field> = score::PASS_THROUGH
        .iter()
        .filter_map(|n| {
            TableKind::Households
                .columns()
                .iter()
                .find(|c| c.name == *n)
        })
        .map(|c| Field::new(c.name, crate::synth::record::arrow_type(c), true))
        .collect();
    let households = RecordBatch::new_empty(Arc::new(Schema::new(fields)));
    let members = RecordBatch::new_empty(Arc::new(Schema::empty()));
    let opts = ScoreOptions {
        missing,
        ..Default::default()
    };
    Ok(score::score_slice(st, &households, &members, &opts, sample)?.schema())
}

/// The Parquet files of `from`: the file itself, or every `*.parquet`
/// under the folder (Spark writes one per task), in name order.
fn parquet_files(from: &Path) -> Result<Vec<PathBuf>> {
    if from.is_file() {
        return Ok(vec![from.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![from.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let path = e.map_err(|e| Error::io(&dir, e))?.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|x| x == "parquet") {
                files.push(path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no Parquet file in {}; give the file or folder the query's households were written to",
            from.display()
        )));
    }
    Ok(files)
}

/// One file's rows in the scored schema, or every column it lacks or has
/// with another meaning.
fn conform(
    path: &Path,
    b: &RecordBatch,
    schema: &SchemaRef,
    ignored: &mut Vec<String>,
) -> Result<RecordBatch> {
    let mut columns: Vec<ArrayRef> = Vec::new();
    let (mut lacks, mut wrong) = (Vec::new(), Vec::new());
    for f in schema.fields() {
        let Some(a) = b.column_by_name(f.name()) else {
            lacks.push(f.name().as_str());
            continue;
        };
        match retype(a, f.data_type()) {
            Ok(a) if !f.is_nullable() && a.null_count() > 0 => {
                let row = (0..a.len()).find(|&i| a.is_null(i)).unwrap_or(0);
                return Err(Error::input(
                    path,
                    format!(
                        "column `{}` is blank at row {}; every household has one",
                        f.name(),
                        row + 1
                    ),
                ));
            }
            Ok(a) => columns.push(a),
            Err(Refused::WrongType) => wrong.push(format!(
                "`{}` holds {} where the scored file needs {}",
                f.name(),
                a.data_type(),
                described(f.data_type())
            )),
            Err(Refused::OutOfRange(i)) => {
                return Err(Error::input(
                    path,
                    format!(
                        "column `{}` at row {} does not fit a {}",
                        f.name(),
                        i + 1,
                        described(f.data_type())
                    ),
                ))
            }
        }
    }
    if !lacks.is_empty() || !wrong.is_empty() {
        let mut why = Vec::new();
        if !lacks.is_empty() {
            why.push(format!("it lacks the column(s) {}", lacks.join(", ")));
        }
        why.extend(wrong);
        return Err(Error::input(
            path,
            format!(
                "these are not the households the query for this standard gives: {}; write the \
                 query with `dachieu sql` for the same standard (without --by) and run it again",
                why.join("; ")
            ),
        ));
    }
    for f in b.schema().fields() {
        if schema.field_with_name(f.name()).is_err() && !ignored.contains(f.name()) {
            ignored.push(f.name().clone());
        }
    }
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

/// The rows in the dataset's order (year, household id: see
/// `ingest::spill::key_cmp`), each household once, every class one the
/// standard defines.
fn in_order(
    all: RecordBatch,
    st: &Standard,
    missing: Option<MissingOverride>,
) -> Result<RecordBatch> {
    let year = all.column(0).as_primitive::<Int64Type>();
    let id = all.column(1).as_string::<i32>();
    if let Some(i) = (0..all.num_rows()).find(|&i| year.is_null(i) || id.is_null(i)) {
        return Err(Error::Usage(format!(
            "household {} of the query's output has no survey year or household id",
            i + 1
        )));
    }
    let key = |i: usize| (year.value(i), id.value(i), None);
    let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
    order.sort_by(|a, b| crate::ingest::spill::key_cmp(key(*a as usize), key(*b as usize)));
    if let Some(w) = order
        .windows(2)
        .find(|w| key(w[0] as usize) == key(w[1] as usize))
    {
        let (y, h, _) = key(w[0] as usize);
        return Err(Error::Usage(format!(
            "household {h} of {y} is in the query's output twice; was it written into a folder \
             that already held an earlier run? Empty the folder and write it again"
        )));
    }
    let mut classes: Vec<&str> = score::classify::defined(st)
        .iter()
        .map(|c| c.name())
        .collect();
    classes.push(UNDETERMINED);
    if missing == Some(MissingOverride::Exclude) {
        classes.push(EXCLUDED);
    }
    let class = all
        .column_by_name("class")
        .and_then(|a| a.as_string_opt::<i32>())
        .ok_or_else(|| Error::Usage("the scored schema has no class column".into()))?;
    if let Some(i) = (0..all.num_rows()).find(|&i| !classes.contains(&class.value(i))) {
        return Err(Error::Usage(format!(
            "household {} of {} has class `{}`, which is not one of the classes standard {} \
             gives here ({}); give the standard and the --missing the query was written with",
            id.value(i),
            year.value(i),
            class.value(i),
            st.id,
            classes.join(", ")
        )));
    }
    Ok(arrow_select::take::take_record_batch(
        &all,
        &UInt32Array::from(order),
    )?)
}

/// Whether the households carry a sampling design: a stratum or PSU, or a
/// weight other than the 1 the query gives a census household.
fn sampled(b: &RecordBatch) -> bool {
    let filled = |c: &str| {
        b.column_by_name(c)
            .is_some_and(|a| a.null_count() < a.len())
    };
    let weighted = b
        .column_by_name("weight")
        .and_then(|a| a.as_primitive_opt::<Float64Type>())
        .is_some_and(|w| w.iter().any(|w| w != Some(1.0)));
    filled("stratum") || filled("psu") || weighted
}

/// Import the query's households at `from` into the scored folder `out`
/// (the caller holds its lock), one `survey_year=Y` folder per year.
pub fn import(
    st: &Standard,
    missing: Option<MissingOverride>,
    from: &Path,
    out: &Path,
) -> Result<Imported> {
    let mut imported = Imported::default();
    let schema = scored_schema(st, missing, false)?;
    let mut batches = Vec::new();
    for path in parquet_files(from)? {
        let b = dataset::read_parquet_from(&path, FIX)?;
        batches.push(conform(&path, &b, &schema, &mut imported.ignored)?);
    }
    let all = arrow_select::concat::concat_batches(&schema, &batches)?;
    drop(batches);
    let all = in_order(all, st, missing)?;
    let schema = scored_schema(st, missing, sampled(&all))?;
    let all = all.with_schema(schema.clone())?;
    let year = all.column(0).as_primitive::<Int64Type>().clone();
    let mut start = 0;
    while start < all.num_rows() {
        let y = year.value(start);
        let end = (start..all.num_rows())
            .find(|&i| year.value(i) != y)
            .unwrap_or(all.num_rows());
        let y = i32::try_from(y).map_err(|_| {
            Error::Usage(format!(
                "survey year {y} of the query's output is not a year"
            ))
        })?;
        let rows = all.slice(start, end - start);
        let staged = crate::outdir::stage::Staged::new(&dataset::year_dir(out, y))?;
        crate::files::write_atomic_with(&staged.path().join(dataset::SCORED_FILE), |w| {
            let mut pw =
                ArrowWriter::try_new(w, schema.clone(), Some(dataset::writer_properties()))?;
            pw.write(&rows)?;
            pw.close()?;
            Ok(())
        })?;
        let mut follow_up = files::follow_up_list()?;
        files::tally(
            &rows,
            y,
            &mut Default::default(),
            &mut follow_up,
            &mut imported.undetermined,
        )?;
        let bytes = follow_up
            .into_inner()
            .map_err(|e| Error::Usage(e.to_string()))?;
        crate::files::write_atomic(&staged.path().join(files::UNDETERMINED_FILE), &bytes)?;
        staged.commit_whole()?;
        imported.years.push((y, rows.num_rows()));
        start = end;
    }
    if imported.years.is_empty() {
        return Err(Error::Usage(format!(
            "{} holds no household; nothing was imported",
            from.display()
        )));
    }
    Ok(imported)
}
