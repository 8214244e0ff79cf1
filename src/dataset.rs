//! The on-disk dataset and scored output: where files live and how they are
//! read and written. Hive-style partitions (`survey_year=2020/`) of plain
//! Parquet, so DuckDB, Polars, R and pandas read them directly.

use crate::error::{Error, Result};
use arrow_array::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
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
            crate::fsx::recover_dir(&year_dir(root, y))?;
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
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| reading(path)(e.into()))?;
    Ok(builder
        .schema()
        .metadata()
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect())
}

/// Read a whole Parquet file into one batch, with the file's schema
/// (including its key-value metadata, which later stages rely on).
pub fn read_parquet(path: &Path) -> Result<RecordBatch> {
    read_parquet_without(path, &[])
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
fn reading(path: &Path) -> impl Fn(Error) -> Error + '_ {
    move |e| match e {
        Error::Parquet(_) | Error::Arrow(_) => Error::Input {
            path: path.to_path_buf(),
            message: format!(
                "cannot be read as Parquet ({e}); write it again with the dachieu step that made it"
            ),
        },
        other => other,
    }
}

/// Read a whole Parquet file into one batch, leaving out the named columns
/// (never decoded, so they cost no memory).
pub fn read_parquet_without(path: &Path, skip: &[&str]) -> Result<RecordBatch> {
    read_columns(path, skip, &[]).map_err(reading(path))
}

/// As [`read_parquet_without`], with the named text columns read as
/// dictionary-coded (`Dictionary(Int32, Utf8)`, distinct values): their
/// strings are never materialised per row, so they cost a key per row.
pub fn read_parquet_coded(path: &Path, skip: &[&str], coded: &[&str]) -> Result<RecordBatch> {
    read_columns(path, skip, coded).map_err(reading(path))
}

fn read_columns(path: &Path, skip: &[&str], coded: &[&str]) -> Result<RecordBatch> {
    use arrow_array::ArrayRef;
    use arrow_schema::DataType;
    use parquet::arrow::arrow_reader::{ArrowReaderMetadata, ArrowReaderOptions};
    use rayon::prelude::*;
    let open = || std::fs::File::open(path).map_err(|e| Error::io(path, e));
    let meta = ArrowReaderMetadata::load(&open()?, Default::default())?;
    let full = meta.schema().clone();
    let keep: Vec<usize> = (0..full.fields().len())
        .filter(|&i| !skip.contains(&full.field(i).name().as_str()))
        .collect();
    let groups = meta.metadata().num_row_groups();
    // Coded: the text columns asked for that hold a value (an all-blank
    // column stays plain: there is nothing to code).
    let parquet_schema = meta.metadata().file_metadata().schema_descr_ptr();
    let blank = |c: usize| {
        let leaf = parquet_schema.columns().iter().position(|l| {
            l.path().parts().len() == 1 && l.path().parts()[0] == *full.field(c).name()
        });
        leaf.is_some_and(|l| {
            (0..groups).all(|g| {
                let col = meta.metadata().row_group(g).column(l);
                col.statistics()
                    .and_then(|s| s.null_count_opt())
                    .is_some_and(|n| n as i64 == col.num_values())
            })
        })
    };
    let code: Vec<bool> = (0..full.fields().len())
        .map(|c| {
            coded.contains(&full.field(c).name().as_str())
                && full.field(c).data_type() == &DataType::Utf8
                && !blank(c)
        })
        .collect();
    let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let hinted = Arc::new(arrow_schema::Schema::new_with_metadata(
        (0..full.fields().len())
            .map(|c| match code[c] {
                true => full.field(c).clone().with_data_type(dict.clone()),
                false => full.field(c).clone(),
            })
            .collect::<Vec<_>>(),
        full.metadata().clone(),
    ));
    let coded_meta = ArrowReaderMetadata::try_new(
        meta.metadata().clone(),
        ArrowReaderOptions::new().with_schema(hinted.clone()),
    )?;
    let schema = Arc::new(hinted.project(&keep)?);
    if groups == 0 {
        return Ok(RecordBatch::new_empty(schema));
    }
    // One column (of some row groups) in one batch.
    let decode =
        |c: usize, meta: &ArrowReaderMetadata, row_groups: Vec<usize>| -> Result<Vec<ArrayRef>> {
            let rows: i64 = (row_groups.iter())
                .map(|g| meta.metadata().row_group(*g).num_rows())
                .sum();
            let builder = ParquetRecordBatchReaderBuilder::new_with_metadata(open()?, meta.clone());
            let mask = parquet::arrow::ProjectionMask::roots(builder.parquet_schema(), [c]);
            let batches = builder
                .with_row_groups(row_groups)
                .with_projection(mask)
                .with_batch_size(rows.max(1) as usize)
                .build()?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(batches.iter().map(|b| b.column(0).clone()).collect())
        };
    // Each column is decoded on its own, in parallel (every task opens the
    // file: a shared handle would share its offset). A plain column is read
    // in one batch of all rows (growing buffers are moved, never copied); a
    // coded one a row group at a time, each with its own dictionary, and
    // the dictionaries are then merged.
    let columns: Vec<ArrayRef> = keep
        .par_iter()
        .map(|&c| -> Result<ArrayRef> {
            let parts = match code[c] {
                false => decode(c, &meta, (0..groups).collect())?,
                true => (0..groups)
                    .map(|g| decode(c, &coded_meta, vec![g]))
                    .collect::<Result<Vec<_>>>()?
                    .concat(),
            };
            match parts.as_slice() {
                [] => Ok(arrow_array::new_empty_array(hinted.field(c).data_type())),
                [one] => Ok(one.clone()),
                _ if code[c] => merge_coded(&parts),
                _ => join(&parts.iter().collect::<Vec<_>>()),
            }
        })
        .collect::<Result<_>>()?;
    Ok(RecordBatch::try_new(schema, columns)?)
}

/// Dictionary-coded text pieces as one, over their distinct values (in
/// order of first sight).
fn merge_coded(parts: &[arrow_array::ArrayRef]) -> Result<arrow_array::ArrayRef> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::Int32Type;
    use arrow_array::{Array, DictionaryArray, Int32Array, StringArray};
    let mut values: crate::measure::fx::Interner<&str> = Default::default();
    let rows: usize = parts.iter().map(|p| p.len()).sum();
    let mut keys: Vec<i32> = Vec::with_capacity(rows);
    let mut valid = arrow_buffer::BooleanBufferBuilder::new(rows);
    // Named with the file by the caller, as any decoding error.
    let odd =
        |what: &str| arrow_schema::ArrowError::SchemaError(format!("a coded text column {what}"));
    for p in parts {
        let d = (p.as_dictionary_opt::<Int32Type>()).ok_or_else(|| odd("came back uncoded"))?;
        let text = (d.values().as_string_opt::<i32>()).ok_or_else(|| odd("holds no text"))?;
        let map: Vec<i32> = (0..text.len())
            .map(|k| values.id(text.value(k)).0 as i32)
            .collect();
        // A blank row's key means nothing (it may even be out of range).
        keys.extend((d.keys().values().iter()).map(|k| map.get(*k as usize).copied().unwrap_or(0)));
        match d.nulls() {
            Some(n) => valid.append_buffer(n.inner()),
            None => valid.append_n(d.len(), true),
        }
    }
    let nulls = arrow_buffer::NullBuffer::new(valid.finish());
    let keys = Int32Array::new(keys.into(), Some(nulls).filter(|n| n.null_count() > 0));
    let values = StringArray::from(values.keys);
    Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
        keys,
        Arc::new(values),
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::view::Text;
    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    /// Text read coded over several row groups (each with its own
    /// dictionary, merged) reads as the plain column does, row for row;
    /// rows compare equal exactly when their text is; an all-blank column
    /// stays plain.
    #[test]
    fn coded_text_reads_as_plain_across_row_groups() {
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
            Arc::new(StringArray::from(class.clone())),
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
        let coded = read_parquet_coded(&path, &["n"], &["psu", "class", "blank"]).unwrap();
        assert_eq!(coded.num_columns(), 3);
        assert!(matches!(
            coded.column(0).data_type(),
            DataType::Dictionary(_, _)
        ));
        assert_eq!(
            coded.column(2).data_type(),
            &DataType::Utf8,
            "an all-blank column stays plain"
        );
        for name in ["psu", "class", "blank"] {
            let p = Text::of(plain.column_by_name(name).unwrap()).unwrap();
            let c = Text::of(coded.column_by_name(name).unwrap()).unwrap();
            for i in 0..n {
                assert_eq!(c.get(i), p.get(i), "{name} row {i}");
                for j in [0, i / 2, n - 1] {
                    assert_eq!(c.same(i, j), c.get(i) == c.get(j), "{name} rows {i} {j}");
                }
            }
        }
        assert_eq!(
            plain.column(1).as_ref(),
            &StringArray::from(psu) as &dyn arrow_array::Array
        );
    }
}
