//! The on-disk dataset and scored output: where files live and how they are
//! read and written. Hive-style partitions (`survey_year=2020/`) of plain
//! Parquet, so DuckDB, Polars, R and pandas read them directly.

mod bools;
mod parallel_writer;
pub use parallel_writer::ParallelWriter;
pub mod text;

use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ParquetRecordBatchReaderBuilder};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Members carry their household's row index within the year's households file.
pub const HH_INDEX: &str = "hh_index";
pub const HOUSEHOLDS_FILE: &str = "households.parquet";
pub const MEMBERS_FILE: &str = "members.parquet";
pub const SCORED_FILE: &str = "scored.parquet";

pub fn year_dir(root: &Path, year: i32) -> PathBuf {
    root.join(format!("survey_year={year}"))
}

/// Survey years present under `root`, ascending. Recovers any partition left
/// moved aside by an interrupted replace first.
pub fn years(root: &Path) -> Result<Vec<i32>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(root) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(Error::io(root, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(root, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    for name in &names {
        if let Some(y) = name
            .strip_prefix(".old-survey_year=")
            .and_then(|y| y.parse::<i32>().ok())
        {
            crate::files::recover_dir(&year_dir(root, y))?;
            out.push(y);
        }
        if let Some(y) = name
            .strip_prefix("survey_year=")
            .and_then(|y| y.parse::<i32>().ok())
        {
            out.push(y);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(1).unwrap_or_default()))
        .set_max_row_group_row_count(Some(1 << 20))
        .set_created_by(format!("dachieu {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Write a file with a schema and no rows.
pub fn write_parquet_empty(path: &Path, schema: &arrow_schema::SchemaRef) -> Result<()> {
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    ArrowWriter::try_new(file, schema.clone(), Some(writer_properties()))?.close()?;
    Ok(())
}

/// Write batches (all of one schema) to `path` (not atomically: callers write
/// into a staging location and rename).
pub fn write_parquet(path: &Path, batches: &[RecordBatch]) -> Result<()> {
    let Some(first) = batches.first() else {
        return Err(Error::Usage(format!(
            "nothing to write to {}",
            path.display()
        )));
    };
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut w = ArrowWriter::try_new(file, first.schema(), Some(writer_properties()))?;
    for b in batches {
        w.write(b)?;
    }
    w.close()?;
    Ok(())
}

/// The key-value metadata of a Parquet file's Arrow schema.
pub fn schema_metadata(path: &Path) -> Result<std::collections::HashMap<String, String>> {
    let footer = parquet_footer(path)?;
    Ok(footer
        .schema()
        .metadata()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

/// A Parquet file's footer (its schema, with the key-value metadata later
/// stages rely on, and its row groups), read once for all its reads, after
/// the file has been checked (see [`crate::parquet_check`]).
pub fn parquet_footer(path: &Path) -> Result<ArrowReaderMetadata> {
    crate::parquet_check::open(path, rewrite_advice(path))
}

/// What to do about a damaged file of the dataset or the scored output:
/// make it again with the step that wrote it.
pub fn rewrite_advice(path: &Path) -> &'static str {
    match path.file_name().and_then(|n| n.to_str()) {
        Some(SCORED_FILE) => "write it again: run `dachieu score` (or `dachieu run`) again",
        _ => "write it again: run `dachieu ingest` (or `dachieu run`) again on the input files",
    }
}

/// Read a whole Parquet file into one batch, with the file's schema
/// (including its key-value metadata, which later stages rely on).
pub fn read_parquet(path: &Path) -> Result<RecordBatch> {
    read_columns(path, &parquet_footer(path)?, &[], None, &[]).map_err(reading(path))
}

/// Read a whole Parquet file another program wrote; `fix` says what to do
/// when it is damaged.
pub fn read_parquet_from(path: &Path, fix: &str) -> Result<RecordBatch> {
    read_columns(
        path,
        &crate::parquet_check::open(path, fix)?,
        &[],
        None,
        &[],
    )
    .map_err(reading(path))
}

/// One array from its pieces in order (the piece itself when alone).
fn join(parts: &[&arrow_array::ArrayRef]) -> Result<arrow_array::ArrayRef> {
    if let [one] = parts {
        return Ok((*one).clone());
    }
    let parts: Vec<&dyn arrow_array::Array> = parts.iter().map(|a| a.as_ref()).collect();
    Ok(arrow_select::concat::concat(&parts)?)
}

/// Name the file in a Parquet or Arrow error met while reading it.
pub fn reading(path: &Path) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Parquet(_) | Error::Arrow(_) => Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "{}; {}",
                crate::parquet_check::described(&e.to_string()),
                rewrite_advice(path)
            ),
        },
        other => other,
    }
}

/// Row group `g` of a Parquet file whose footer is `footer`, without the
/// named columns (never decoded, so they cost no memory), with the text
/// columns `coded` read dictionary-coded (`Dictionary(Int32, Utf8)`: a key
/// per row into the row group's dictionary, no string per row).
pub fn read_row_group(
    path: &Path,
    footer: &ArrowReaderMetadata,
    g: usize,
    skip: &[&str],
    coded: &[&str],
) -> Result<RecordBatch> {
    read_columns(path, footer, skip, Some(g), coded).map_err(reading(path))
}

/// Read some columns of a whole file, or of one row group (`only`), each
/// decoded on its own in parallel (every task opens the file: a shared
/// handle would share its offset), in one batch (growing buffers are moved,
/// never copied). Within one row group the `coded` text columns that hold
/// a value are read dictionary-coded (an all-blank one stays plain: there
/// is nothing to code).
fn read_columns(
    path: &Path,
    meta: &ArrowReaderMetadata,
    skip: &[&str],
    only: Option<usize>,
    coded: &[&str],
) -> Result<RecordBatch> {
    use parquet::arrow::arrow_reader::ArrowReaderOptions;
    use rayon::prelude::*;
    let full = meta.schema().clone();
    let keep: Vec<usize> = (0..full.fields().len())
        .filter(|&i| !skip.contains(&full.field(i).name().as_str()))
        .collect();
    let row_groups = row_groups_of(meta, only)?;
    let hinted = coding_hints(meta, only, coded);
    let meta = ArrowReaderMetadata::try_new(
        meta.metadata().clone(),
        ArrowReaderOptions::new().with_schema(hinted.clone()),
    )?;
    let schema = Arc::new(hinted.project(&keep)?);
    let rows: i64 = (row_groups.iter())
        .map(|g| meta.metadata().row_group(*g).num_rows())
        .sum();
    if row_groups.is_empty() {
        return Ok(RecordBatch::new_empty(schema));
    }
    let reader = ColumnReader {
        path,
        meta,
        full,
        hinted,
        only,
        row_groups,
        rows,
    };
    // The file was checked when its footer was read; the guard is for the
    // decoder's own bugs on damage the checks could not foresee.
    let columns: Vec<arrow_array::ArrayRef> = keep
        .par_iter()
        .map(|&c| crate::panics::guard(path, rewrite_advice(path), || reader.read(c)))
        .collect::<Result<_>>()?;
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// The row groups to read: all, or `only` (which must exist).
fn row_groups_of(meta: &ArrowReaderMetadata, only: Option<usize>) -> Result<Vec<usize>> {
    let groups = meta.metadata().num_row_groups();
    Ok(match only {
        Some(g) if g >= groups => {
            return Err(arrow_schema::ArrowError::InvalidArgumentError(format!(
                "no row group {g}: the file has {groups} (was it rewritten while being read?)"
            ))
            .into())
        }
        Some(g) => vec![g],
        None => (0..groups).collect(),
    })
}

/// The Parquet leaf of top-level column `name` (flat columns only).
fn leaf(meta: &ArrowReaderMetadata, name: &str) -> Option<usize> {
    let leaves = meta.metadata().file_metadata().schema_descr().columns();
    leaves.iter().position(|l| l.path().parts() == [name])
}

/// The file's schema with the `coded` text columns of row group `only`
/// that hold a value read as `Dictionary(Int32, Utf8)`; the whole file
/// (`only` None) is read plain.
fn coding_hints(
    meta: &ArrowReaderMetadata,
    only: Option<usize>,
    coded: &[&str],
) -> arrow_schema::SchemaRef {
    use arrow_schema::DataType;
    let full = meta.schema();
    let blank = |name: &str, g: usize| {
        leaf(meta, name).is_some_and(|l| {
            let col = meta.metadata().row_group(g).column(l);
            col.statistics()
                .and_then(|s| s.null_count_opt())
                .is_some_and(|n| n as i64 == col.num_values())
        })
    };
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let fields: Vec<arrow_schema::Field> = (0..full.fields().len())
        .map(|c| {
            let f = full.field(c).clone();
            match only {
                Some(g)
                    if coded.contains(&f.name().as_str())
                        && f.data_type() == &DataType::Utf8
                        && !blank(f.name(), g) =>
                {
                    f.with_data_type(dict.clone())
                }
                _ => f,
            }
        })
        .collect();
    Arc::new(arrow_schema::Schema::new_with_metadata(
        fields,
        full.metadata().clone(),
    ))
}

/// Reads one column of the chosen row groups at a time, each with its own
/// file handle.
struct ColumnReader<'a> {
    path: &'a Path,
    /// The footer, with the coding hints.
    meta: ArrowReaderMetadata,
    /// The file's own schema, and with the hints.
    full: arrow_schema::SchemaRef,
    hinted: arrow_schema::SchemaRef,
    only: Option<usize>,
    row_groups: Vec<usize>,
    rows: i64,
}

impl ColumnReader<'_> {
    /// Column `c`: a boolean column of one row group has its bits moved as
    /// they are; any other column goes through arrow-rs.
    fn read(&self, c: usize) -> Result<arrow_array::ArrayRef> {
        use arrow_array::ArrayRef;
        use arrow_schema::DataType;
        let open = || std::fs::File::open(self.path).map_err(|e| Error::io(self.path, e));
        let field = self.full.field(c);
        if let (Some(g), Some(l), DataType::Boolean) =
            (self.only, leaf(&self.meta, field.name()), field.data_type())
        {
            let file = Arc::new(open()?);
            if let Some(a) = bools::read_bool_chunk(&file, self.meta.metadata(), g, l)? {
                return Ok(Arc::new(a));
            }
        }
        let builder =
            ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, self.meta.clone());
        let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), [c]);
        let batches = builder
            .with_row_groups(self.row_groups.clone())
            .with_projection(mask)
            .with_batch_size(self.rows.max(1) as usize)
            .build()?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let parts: Vec<&ArrayRef> = batches.iter().map(|b| b.column(0)).collect();
        match parts.as_slice() {
            [] => Ok(arrow_array::new_empty_array(
                self.hinted.field(c).data_type(),
            )),
            _ => join(&parts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::text::Text;
    use super::*;
    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    /// Each row group read with its text coded reads as the plain file
    /// does, row for row; rows compare equal exactly when their text does;
    /// an all-blank column stays plain; the layout names the row groups.
    #[test]
    fn coded_row_groups_read_as_plain() {
        let n = 100;
        let psu: Vec<Option<String>> = (0..n)
            .map(|i| (i % 13 != 5).then(|| format!("p{}", (i * 7) % 23)))
            .collect();
        let class: Vec<&str> = (0..n)
            .map(|i| ["poor", "near_poor", "average"][(i / 9) % 3])
            .collect();
        let schema = Arc::new(Schema::new(vec![
            Field::new("n", DataType::Int64, false),
            Field::new("psu", DataType::Utf8, true),
            Field::new("class", DataType::Utf8, false),
            Field::new("blank", DataType::Utf8, true),
        ]));
        let cols: Vec<ArrayRef> = vec![
            Arc::new(Int64Array::from_iter_values(0..n as i64)),
            Arc::new(StringArray::from(psu.clone())),
            Arc::new(StringArray::from(class)),
            Arc::new(StringArray::from(vec![None::<&str>; n])),
        ];
        let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(17))
            .build();
        let mut w =
            ArrowWriter::try_new(std::fs::File::create(&path).unwrap(), schema, Some(props))
                .unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let plain = read_parquet(&path).unwrap();
        assert_eq!(
            plain.column(1).as_ref(),
            &StringArray::from(psu) as &dyn arrow_array::Array
        );
        let footer = parquet_footer(&path).unwrap();
        let groups = footer.metadata().num_row_groups();
        assert_eq!(groups, 6);
        let mut first = 0;
        for g in 0..groups {
            let part =
                read_row_group(&path, &footer, g, &["n"], &["psu", "class", "blank"]).unwrap();
            assert!(matches!(
                part.column(0).data_type(),
                DataType::Dictionary(_, _)
            ));
            assert_eq!(
                part.column(2).data_type(),
                &DataType::Utf8,
                "an all-blank column stays plain"
            );
            for name in ["psu", "class", "blank"] {
                let p = Text::of(plain.column_by_name(name).unwrap()).unwrap();
                let c = Text::of(part.column_by_name(name).unwrap()).unwrap();
                // A function of the text, worked out per value or per row.
                let f =
                    |t: Option<&str>| t.map_or(99, |t| t.len() * 2 + t.starts_with('p') as usize);
                let (pm, cm) = (p.memo(f), c.memo(f));
                for i in 0..part.num_rows() {
                    assert_eq!(c.get(i), p.get(first + i), "{name} row {}", first + i);
                    assert_eq!(cm.get(i), pm.get(first + i), "{name} row {}", first + i);
                    assert_eq!(cm.get(i), f(c.get(i)));
                    for j in [0, i / 2, part.num_rows() - 1] {
                        assert_eq!(c.same(i, j), c.get(i) == c.get(j), "{name} rows {i} {j}");
                    }
                }
                // Changes from the row before, over ranges starting anywhere:
                // each marked (these dictionaries repeat no value, so no
                // mark is spurious), the first row left as it was.
                for rows in [0..part.num_rows(), 3..part.num_rows() / 2, 5..6] {
                    let (mut marks, mut plain_marks) =
                        (vec![false; rows.len()], vec![false; rows.len()]);
                    c.mark_changes(rows.clone(), &mut marks);
                    p.mark_changes(first + rows.start..first + rows.end, &mut plain_marks);
                    assert_eq!(marks, plain_marks, "{name}");
                    for (k, i) in rows.clone().enumerate().skip(1) {
                        assert_eq!(marks[k], c.get(i) != c.get(i - 1), "{name} row {i}");
                    }
                    assert!(!marks.first().copied().unwrap_or(false));
                }
            }
            first += part.num_rows();
        }
        assert_eq!(first, n);
    }
}
