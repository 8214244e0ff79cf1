//! Row access over Arrow batches for the rule evaluator: contract column i of
//! the table → the batch's array of that name, typed once, read per row.

use crate::error::{Error, Result};
use crate::schema::{ColType, TableKind};
use crate::standard::expr::columnar::dict_text;
use crate::standard::expr::{Row, Value};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type};
use arrow_array::{
    Array, BooleanArray, Float64Array, Int32Array, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::DataType;

#[derive(Clone, Copy)]
pub enum ColRef<'a> {
    Int(&'a Int64Array),
    Float(&'a Float64Array),
    Bool(&'a BooleanArray),
    Str(&'a StringArray),
    /// Text read dictionary-coded (code columns only rules read,
    /// `reads.rs`): each row's key into the values.
    Dict(&'a Int32Array, &'a StringArray),
}

impl<'a> ColRef<'a> {
    #[inline]
    pub fn value(&self, i: usize) -> Value<'a> {
        match *self {
            ColRef::Int(a) if a.is_valid(i) => Value::Num(a.value(i) as f64),
            ColRef::Float(a) if a.is_valid(i) => Value::Num(a.value(i)),
            ColRef::Bool(a) if a.is_valid(i) => Value::Bool(a.value(i)),
            ColRef::Str(a) if a.is_valid(i) => Value::Str(a.value(i)),
            ColRef::Dict(k, v) => dict_text(k, v, i).map_or(Value::Null, Value::Str),
            _ => Value::Null,
        }
    }
}

/// The contract's columns of one table, looked up in a batch. A column the
/// batch lacks reads as null.
pub struct Columns<'a> {
    pub cols: Vec<Option<ColRef<'a>>>,
}

fn col_ref<'a>(batch: &'a RecordBatch, name: &str) -> Result<Option<ColRef<'a>>> {
    let Some(a) = batch.column_by_name(name) else {
        return Ok(None);
    };
    Ok(Some(match a.data_type() {
        DataType::Int64 => ColRef::Int(a.as_primitive::<Int64Type>()),
        DataType::Float64 => ColRef::Float(a.as_primitive::<Float64Type>()),
        DataType::Boolean => ColRef::Bool(a.as_boolean()),
        DataType::Utf8 => ColRef::Str(a.as_string::<i32>()),
        DataType::Dictionary(k, v) if **k == DataType::Int32 && **v == DataType::Utf8 => {
            let d = a.as_dictionary::<Int32Type>();
            ColRef::Dict(d.keys(), d.values().as_string::<i32>())
        }
        other => {
            return Err(Error::Usage(format!(
                "column `{name}` has type {other} in the dataset; re-run `dachieu ingest` to rebuild it"
            )))
        }
    }))
}

impl<'a> Columns<'a> {
    pub fn new(batch: &'a RecordBatch, table: TableKind) -> Result<Self> {
        let cols = table
            .columns()
            .iter()
            .map(|c| col_ref(batch, c.name))
            .collect::<Result<Vec<_>>>()?;
        // Types must match the contract, or rules would compare the wrong things.
        for (spec, c) in table.columns().iter().zip(&cols) {
            let ok = matches!(
                (spec.ty, c),
                (_, None)
                    | (ColType::Int, Some(ColRef::Int(_)))
                    | (ColType::Float, Some(ColRef::Float(_)))
                    | (ColType::Bool, Some(ColRef::Bool(_)))
                    | (
                        ColType::Code(_) | ColType::AdminCode(_) | ColType::Text,
                        Some(ColRef::Str(_) | ColRef::Dict(..))
                    )
            );
            if !ok {
                return Err(Error::Usage(format!(
                    "column `{}` of the {} dataset has the wrong type; re-run `dachieu ingest`",
                    spec.name,
                    table.name()
                )));
            }
        }
        Ok(Columns { cols })
    }

    pub fn row(&self, i: usize) -> RowRef<'_, 'a> {
        RowRef {
            cols: &self.cols,
            i,
        }
    }

    pub fn get(&self, table: TableKind, name: &str) -> Option<ColRef<'a>> {
        let i = table.columns().iter().position(|c| c.name == name)?;
        self.cols[i]
    }
}

pub struct RowRef<'c, 'a> {
    cols: &'c [Option<ColRef<'a>>],
    i: usize,
}

impl Row for RowRef<'_, '_> {
    #[inline]
    fn get(&self, col: usize) -> Value<'_> {
        match self.cols.get(col) {
            Some(Some(c)) => c.value(self.i),
            _ => Value::Null,
        }
    }
}

/// Optional boolean column by name (pre-coded `dep_*` flags).
pub fn bool_column<'a>(batch: &'a RecordBatch, name: &str) -> Option<&'a BooleanArray> {
    batch
        .column_by_name(name)
        .filter(|a| a.data_type() == &DataType::Boolean)
        .map(|a| a.as_boolean())
}
