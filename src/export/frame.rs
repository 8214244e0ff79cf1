//! A small column-oriented result table. Every table dachieu writes is one
//! of these, handed to a writer (`super::writer`), so number formatting and
//! missing values are the same in every format: a rate with no denominator
//! is empty / null, never NaN.

use crate::error::Result;
use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
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

    /// The rows for which `keep(row)` holds, in order.
    pub fn filter_rows(&self, keep: impl Fn(usize) -> bool) -> Frame {
        let rows: Vec<usize> = (0..self.rows()).filter(|&r| keep(r)).collect();
        let pick = |c: &Column| match c {
            Column::Int(v) => Column::Int(rows.iter().map(|&r| v[r]).collect()),
            Column::Float(v) => Column::Float(rows.iter().map(|&r| v[r]).collect()),
            Column::Str(v) => Column::Str(rows.iter().map(|&r| v[r].clone()).collect()),
        };
        Frame {
            names: self.names.clone(),
            columns: self.columns.iter().map(pick).collect(),
        }
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

    /// A float cell of the column named `name` (None when missing, not a
    /// float column, absent or not finite).
    pub fn float(&self, name: &str, row: usize) -> Option<f64> {
        match self.column(name)? {
            Column::Float(v) => v[row].filter(|x| x.is_finite()),
            _ => None,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_missing_cells() {
        let mut f = Frame::default();
        f.push("name", Column::Str(vec![Some("Hà Nội".into()), None]));
        f.push("rate", Column::Float(vec![Some(1.5), Some(f64::NAN)]));
        f.push("n", Column::Int(vec![Some(3), Some(0)]));
        assert_eq!(fmt_f64(2.0), "2");
        assert_eq!(fmt_f64(-0.0), "0");
        assert_eq!(f.cell_named("name", 1), "");
        assert_eq!(f.cell_named("n", 0), "3");
        assert_eq!(f.float("rate", 0), Some(1.5));
        assert_eq!(f.float("rate", 1), None);
        assert_eq!(f.float("n", 0), None);
        assert_eq!(f.to_batch().unwrap().num_rows(), 2);
    }
}
