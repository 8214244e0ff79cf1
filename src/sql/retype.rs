//! A column of the query's household output, as the warehouse typed it,
//! turned into the type the engine's scored file has. DuckDB and Spark
//! write a count as a 32-bit integer (or a DECIMAL with no decimals) where
//! the engine writes a byte, and text as large or view strings: those mean
//! the same and are converted exactly. Anything that would need rounding or
//! parsing (a fraction into a count, text into a number) is refused.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Float32Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt8Type,
};
use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, StringArray, UInt8Array};
use arrow_schema::DataType;
use std::sync::Arc;

/// Why a column could not be converted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// Its type does not carry the meaning the scored file needs.
    WrongType,
    /// Its value at this row does not fit (a negative or too large count).
    OutOfRange(usize),
}

/// The values of an integer column (or a DECIMAL with no decimals) as i64;
/// None when the column holds no whole numbers.
fn whole(a: &dyn Array) -> Option<Result<Vec<Option<i64>>, Refused>> {
    macro_rules! widen {
        ($t:ty) => {
            a.as_primitive::<$t>()
                .iter()
                .map(|v| v.map(i64::from))
                .collect()
        };
    }
    Some(Ok(match a.data_type() {
        DataType::Int8 => widen!(Int8Type),
        DataType::Int16 => widen!(Int16Type),
        DataType::Int32 => widen!(Int32Type),
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().collect(),
        DataType::UInt8 => widen!(UInt8Type),
        DataType::UInt16 => widen!(UInt16Type),
        DataType::UInt32 => widen!(UInt32Type),
        DataType::Decimal128(_, 0) => {
            let d = a.as_primitive::<Decimal128Type>();
            let mut out = Vec::with_capacity(d.len());
            for (i, v) in d.iter().enumerate() {
                match v.map(i64::try_from).transpose() {
                    Ok(v) => out.push(v),
                    Err(_) => return Some(Err(Refused::OutOfRange(i))),
                }
            }
            out
        }
        _ => return None,
    }))
}

/// `a` as type `to`, or why not.
pub fn retype(a: &ArrayRef, to: &DataType) -> Result<ArrayRef, Refused> {
    if a.data_type() == to {
        return Ok(a.clone());
    }
    let out: ArrayRef = match to {
        DataType::Int64 => {
            let v = whole(a.as_ref()).ok_or(Refused::WrongType)??;
            Arc::new(Int64Array::from(v))
        }
        DataType::UInt8 => {
            let v = whole(a.as_ref()).ok_or(Refused::WrongType)??;
            let mut out = Vec::with_capacity(v.len());
            for (i, x) in v.into_iter().enumerate() {
                match x.map(u8::try_from).transpose() {
                    Ok(x) => out.push(x),
                    Err(_) => return Err(Refused::OutOfRange(i)),
                }
            }
            Arc::new(UInt8Array::from(out))
        }
        // Widening a 32-bit float is exact; a whole number below 2^53 too.
        DataType::Float64 => match a.data_type() {
            DataType::Float32 => Arc::new(
                a.as_primitive::<Float32Type>()
                    .iter()
                    .map(|v| v.map(f64::from))
                    .collect::<Float64Array>(),
            ),
            _ => {
                let v = whole(a.as_ref()).ok_or(Refused::WrongType)??;
                let mut out = Vec::with_capacity(v.len());
                for (i, x) in v.into_iter().enumerate() {
                    match x {
                        Some(x) if x.unsigned_abs() > 1 << 53 => {
                            return Err(Refused::OutOfRange(i))
                        }
                        x => out.push(x.map(|x| x as f64)),
                    }
                }
                Arc::new(Float64Array::from(out))
            }
        },
        DataType::Utf8 => match a.data_type() {
            DataType::LargeUtf8 => Arc::new(a.as_string::<i64>().iter().collect::<StringArray>()),
            DataType::Utf8View => Arc::new(a.as_string_view().iter().collect::<StringArray>()),
            _ => return Err(Refused::WrongType),
        },
        _ => return Err(Refused::WrongType),
    };
    Ok(out)
}

/// The type's name for a statistics officer.
pub fn described(t: &DataType) -> &'static str {
    match t {
        DataType::Int64 => "whole number",
        DataType::UInt8 => "count (0–255)",
        DataType::Float64 => "number",
        DataType::Utf8 => "text",
        DataType::Boolean => "true/false",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{BooleanArray, Int32Array, LargeStringArray};

    #[test]
    fn warehouse_types_become_the_scored_files() {
        let counts: ArrayRef = Arc::new(Int32Array::from(vec![Some(3), None, Some(0)]));
        let got = retype(&counts, &DataType::UInt8).unwrap();
        assert_eq!(
            got.as_primitive::<UInt8Type>().iter().collect::<Vec<_>>(),
            [Some(3), None, Some(0)]
        );
        let text: ArrayRef = Arc::new(LargeStringArray::from(vec![Some("poor"), None]));
        let got = retype(&text, &DataType::Utf8).unwrap();
        assert_eq!(got.as_string::<i32>().value(0), "poor");
        assert!(got.is_null(1));
        let year: ArrayRef = Arc::new(Int32Array::from(vec![2024]));
        assert_eq!(
            retype(&year, &DataType::Int64).unwrap().data_type(),
            &DataType::Int64
        );
    }

    #[test]
    fn a_different_meaning_or_a_value_that_does_not_fit_is_refused() {
        let negative: ArrayRef = Arc::new(Int32Array::from(vec![Some(1), Some(-1)]));
        assert_eq!(
            retype(&negative, &DataType::UInt8).unwrap_err(),
            Refused::OutOfRange(1)
        );
        let flags: ArrayRef = Arc::new(BooleanArray::from(vec![true]));
        assert_eq!(
            retype(&flags, &DataType::UInt8).unwrap_err(),
            Refused::WrongType
        );
        let text: ArrayRef = Arc::new(StringArray::from(vec!["3"]));
        assert_eq!(
            retype(&text, &DataType::Int64).unwrap_err(),
            Refused::WrongType
        );
        let fraction: ArrayRef = Arc::new(Float64Array::from(vec![1.0]));
        assert_eq!(
            retype(&fraction, &DataType::Int64).unwrap_err(),
            Refused::WrongType
        );
    }
}
