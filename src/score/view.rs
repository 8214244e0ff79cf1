//! A typed view of a scored batch: the columns later stages read, looked up
//! once, with a clear error when a file is not what `score` writes.

use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};

pub struct Scored<'a> {
    pub year: &'a Int64Array,
    /// Absent when the reader left it out (census tabulation needs no ids).
    pub household_id: Option<&'a StringArray>,
    pub weight: &'a Float64Array,
    pub size: &'a Int64Array,
    pub class: &'a StringArray,
    pub path: &'a StringArray,
    pub possible: &'a StringArray,
    /// The indicator columns, in the order asked for.
    pub indicators: Vec<&'a BooleanArray>,
    /// Weighted rule with a severe band: in severe poverty (null: unknown).
    pub severe: Option<&'a BooleanArray>,
    /// The design columns, when the records carry them.
    pub stratum: Option<&'a StringArray>,
    pub psu: Option<&'a StringArray>,
}

fn missing(name: &str) -> Error {
    Error::Usage(format!(
        "the scored file lacks column `{name}`; re-run `dachieu score`"
    ))
}

impl<'a> Scored<'a> {
    /// The household ids, which some uses (matching across years, a sample
    /// without PSUs) cannot do without.
    pub fn ids(&self) -> Result<&'a StringArray> {
        self.household_id.ok_or_else(|| missing("household_id"))
    }

    pub fn new(b: &'a RecordBatch, indicator_ids: &[String]) -> Result<Self> {
        let int = |n: &str| {
            b.column_by_name(n)
                .and_then(|a| a.as_primitive_opt::<Int64Type>())
                .ok_or_else(|| missing(n))
        };
        let text = |n: &str| {
            b.column_by_name(n)
                .and_then(|a| a.as_string_opt::<i32>())
                .ok_or_else(|| missing(n))
        };
        Ok(Scored {
            year: int("survey_year")?,
            household_id: b
                .column_by_name("household_id")
                .and_then(|a| a.as_string_opt::<i32>()),
            weight: b
                .column_by_name("weight")
                .and_then(|a| a.as_primitive_opt::<Float64Type>())
                .ok_or_else(|| missing("weight"))?,
            size: int("household_size")?,
            class: text("class")?,
            path: text("poor_path")?,
            possible: text("possible_classes")?,
            indicators: indicator_ids
                .iter()
                .map(|id| {
                    b.column_by_name(id)
                        .and_then(|a| a.as_boolean_opt())
                        .ok_or_else(|| missing(id))
                })
                .collect::<Result<_>>()?,
            severe: b.column_by_name("severe").and_then(|a| a.as_boolean_opt()),
            stratum: b
                .column_by_name("stratum")
                .and_then(|a| a.as_string_opt::<i32>()),
            psu: b
                .column_by_name("psu")
                .and_then(|a| a.as_string_opt::<i32>()),
        })
    }
}
