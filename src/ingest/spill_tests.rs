//! Tests of the merge of runs (`spill`).

use super::*;
use arrow_array::types::UInt8Type;
use arrow_array::{DictionaryArray, Int16Array, Int64Array, StringArray, UInt32Array};
use arrow_array::{UInt64Array, UInt8Array};

/// A run of households `ids` of 2020: year and area coded as a run file
/// holds them, or as text (a run of a merge that read staged rows).
fn run(ids: &[&str], coded: bool) -> Run {
    let n = ids.len();
    let (year, area): (ArrayRef, ArrayRef) = match coded {
        true => (
            Arc::new(Int16Array::from(vec![2020; n])),
            Arc::new(DictionaryArray::<UInt8Type>::new(
                UInt8Array::from(vec![1; n]),
                Arc::new(StringArray::from(vec!["urban", "rural"])),
            )),
        ),
        false => (
            Arc::new(Int64Array::from(vec![2020; n])),
            Arc::new(StringArray::from(vec!["rural"; n])),
        ),
    };
    let cols: Vec<ArrayRef> = vec![
        year,
        Arc::new(StringArray::from(ids.to_vec())),
        area,
        Arc::new(UInt32Array::from(vec![0; n])),
        Arc::new(UInt64Array::from_iter_values(0..n as u64)),
    ];
    let fields: Vec<Field> = ["survey_year", "household_id", "area", LOC_TABLE, LOC_ROW]
        .iter()
        .zip(&cols)
        .map(|(name, c)| Field::new(*name, c.data_type().clone(), true))
        .collect();
    Run::memory(RecordBatch::try_new(Arc::new(Schema::new(fields)), cols).unwrap())
}

#[test]
fn runs_holding_a_column_otherwise_are_merged_as_text() {
    let mut m = Merge::new(vec![run(&["a", "c"], true), run(&["b"], false)], false).unwrap();
    let mut picks = Vec::new();
    while let Some(p) = m.pop().unwrap() {
        picks.push(p);
    }
    let b = m.take(&picks).unwrap();
    let ids: Vec<&str> = b.column(1).as_string::<i32>().iter().flatten().collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_eq!(b.column(0).data_type(), &DataType::Int64);
    let areas: Vec<&str> = b.column(2).as_string::<i32>().iter().flatten().collect();
    assert_eq!(areas, ["rural"; 3]);
}
