//! A small column-oriented result table and its exporters (CSV, JSON,
//! Parquet). Every table dachieu writes goes through here, so number
//! formatting and missing values are the same in every format: a rate with
//! no denominator is empty / null, never NaN.

use crate::error::{Error, Result};
use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use std::path::Path;
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq)]
pub enum Column {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Str(Vec<Option<String>>),
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    pub names: Vec<String>,
    pub columns: Vec<Column>,
}

/// Shortest round-trip text of a float; integers print without a decimal point.
pub fn fmt_f64(v: f64) -> String {
    if v == 0.0 {
        return "0".into(); // also turns -0 into 0
    }
    format!("{v}")
}

impl Frame {
    pub fn push(&mut self, name: &str, col: Column) {
        self.names.push(name.to_string());
        self.columns.push(col);
    }

    pub fn rows(&self) -> usize {
        match self.columns.first() {
            Some(Column::Int(v)) => v.len(),
            Some(Column::Float(v)) => v.len(),
            Some(Column::Str(v)) => v.len(),
            None => 0,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| &self.columns[i])
    }

    /// Cell as text ("" for missing).
    pub fn cell(&self, col: usize, row: usize) -> String {
        match &self.columns[col] {
            Column::Int(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            Column::Float(v) => v[row].map(fmt_f64).unwrap_or_default(),
            Column::Str(v) => v[row].clone().unwrap_or_default(),
        }
    }

    /// Cell of the column named `name` as text ("" for missing, or when
    /// the table has no such column).
    pub fn cell_named(&self, name: &str, row: usize) -> String {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|c| self.cell(c, row))
            .unwrap_or_default()
    }

    pub fn to_csv(&self) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&self.names);
        for r in 0..self.rows() {
            let _ = w.write_record((0..self.columns.len()).map(|c| self.cell(c, r)));
        }
        w.into_inner().unwrap_or_default()
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut rows = Vec::with_capacity(self.rows());
        for r in 0..self.rows() {
            let mut obj = serde_json::Map::new();
            for (name, col) in self.names.iter().zip(&self.columns) {
                let v = match col {
                    Column::Int(v) => v[r]
                        .map(serde_json::Value::from)
                        .unwrap_or(serde_json::Value::Null),
                    Column::Float(v) => v[r]
                        .and_then(serde_json::Number::from_f64)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null),
                    Column::Str(v) => v[r]
                        .clone()
                        .map(serde_json::Value::String)
                        .unwrap_or(serde_json::Value::Null),
                };
                obj.insert(name.clone(), v);
            }
            rows.push(serde_json::Value::Object(obj));
        }
        let mut out = serde_json::to_vec_pretty(&rows).unwrap_or_default();
        out.push(b'\n');
        out
    }

    pub fn to_batch(&self) -> Result<RecordBatch> {
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        for (name, col) in self.names.iter().zip(&self.columns) {
            let (dt, a): (DataType, ArrayRef) = match col {
                Column::Int(v) => (DataType::Int64, Arc::new(Int64Array::from(v.clone()))),
                Column::Float(v) => (DataType::Float64, Arc::new(Float64Array::from(v.clone()))),
                Column::Str(v) => (
                    DataType::Utf8,
                    Arc::new(v.iter().map(|s| s.as_deref()).collect::<StringArray>()),
                ),
            };
            fields.push(Field::new(name, dt, true));
            arrays.push(a);
        }
        Ok(RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)?)
    }
}

/// Output formats for tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Parquet,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Parquet => "parquet",
        }
    }
}

/// Write `frame` as `<stem>.<ext>` in each format, atomically.
pub fn write(
    frame: &Frame,
    dir: &Path,
    stem: &str,
    formats: &[Format],
) -> Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    for f in formats {
        let path = dir.join(format!("{stem}.{}", f.ext()));
        match f {
            Format::Csv => crate::files::write_atomic(&path, &frame.to_csv())?,
            Format::Json => crate::files::write_atomic(&path, &frame.to_json())?,
            Format::Parquet => {
                // Each field carries its catalogue description and labels.
                let batch = crate::schema::outputs::describe(stem, frame.to_batch()?)?;
                crate::files::write_atomic_with(&path, |w| {
                    let mut pw = parquet::arrow::ArrowWriter::try_new(
                        w,
                        batch.schema(),
                        Some(crate::dataset::writer_properties()),
                    )
                    .map_err(Error::from)?;
                    pw.write(&batch)?;
                    pw.close()?;
                    Ok(())
                })?
            }
        }
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_agree_on_missing_and_numbers() {
        let mut f = Frame::default();
        f.push("name", Column::Str(vec![Some("Hà Nội".into()), None]));
        f.push("rate", Column::Float(vec![Some(1.5), None]));
        f.push("n", Column::Int(vec![Some(3), Some(0)]));
        assert_eq!(
            String::from_utf8(f.to_csv()).unwrap(),
            "name,rate,n\nHà Nội,1.5,3\n,,0\n"
        );
        let json: serde_json::Value = serde_json::from_slice(&f.to_json()).unwrap();
        assert_eq!(json[1]["rate"], serde_json::Value::Null);
        assert_eq!(json[0]["name"], "Hà Nội");
        assert_eq!(fmt_f64(2.0), "2");
        assert_eq!(fmt_f64(-0.0), "0");
        assert_eq!(f.to_batch().unwrap().num_rows(), 2);
    }
}
