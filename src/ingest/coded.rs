//! The run files' columns made smaller than the dataset's: the runs are
//! written and read back once each, and at millions of households the
//! kernel's work on them grows faster than their size. Code columns (a
//! closed list: `rural`, `piped`, …) go as one-byte keys into their code
//! list instead of as text (a household's six codes and a member's three
//! were a quarter of the runs' bytes), and whole numbers whose range fits
//! 16 bits (years, ages, household sizes) as 16-bit numbers. The dataset
//! holds them as before: they are decoded on the encoder's thread
//! (`decode`), in the file's schema (`text_schema`).

use crate::error::{Error, Result};
use crate::schema::{ColType, ColumnSpec};
use arrow_array::types::UInt8Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Int16Array, Int64Array, RecordBatch, StringArray, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

/// Whether a contract column is whole numbers in a range that fits 16 bits
/// (every value of it has passed its range check).
pub fn small(spec: &ColumnSpec) -> bool {
    let fits = |v: Option<f64>| v.is_some_and(|v| (i16::MIN as f64..=i16::MAX as f64).contains(&v));
    matches!(spec.ty, ColType::Int) && spec.range.is_some_and(|r| fits(r.min) && fits(r.max))
}

/// A small whole-number column's values in `order`, in 16 bits; a value
/// that does not fit (its range check failed to hold) is an error, never
/// a changed number.
pub fn small_ints(v: &[Option<i64>], order: &[usize]) -> Result<ArrayRef> {
    let mut values = Vec::with_capacity(order.len());
    for &i in order {
        let n = v[i].unwrap_or_default();
        let n = i16::try_from(n).map_err(|_| {
            Error::Usage(format!(
                "internal: {n} passed a range check of at most 16 bits"
            ))
        })?;
        values.push(n);
    }
    Ok(Arc::new(Int16Array::new(
        values.into(),
        super::build::nulls(v, order),
    )))
}

/// A code column's values in `order` as keys into `list`; as text when
/// the list is too long for a byte or a value is not in it (a code column
/// holds only its list's codes: `validate`).
pub fn keys(
    list: &'static [&'static str],
    v: &[Option<&'static str>],
    order: &[usize],
) -> ArrayRef {
    let key = |s: &str| {
        // The codes are the list's own: found by address, else spelled alike.
        let at = (list
            .iter()
            .position(|c| std::ptr::eq(c.as_ptr(), s.as_ptr()) && c.len() == s.len()))
        .or_else(|| list.iter().position(|c| *c == s));
        at.and_then(|k| u8::try_from(k).ok())
    };
    // Text, as the dataset holds it, should a value not be in the list.
    let text = || Arc::new(super::build::codes(v, order)) as ArrayRef;
    let mut keys = Vec::with_capacity(order.len());
    for &i in order {
        match v[i].map(key) {
            None => keys.push(None),
            Some(Some(k)) => keys.push(Some(k)),
            Some(None) => return text(),
        }
    }
    let values: ArrayRef = Arc::new(StringArray::from(list.to_vec()));
    match DictionaryArray::<UInt8Type>::try_new(UInt8Array::from(keys), values) {
        Ok(d) => Arc::new(d),
        Err(_) => text(),
    }
}

/// Small whole numbers as the dataset's 64-bit ones.
pub fn widen(n: &Int16Array) -> Int64Array {
    let wide = n.values().iter().map(|&v| v as i64).collect();
    Int64Array::new(wide, n.nulls().cloned())
}

/// `schema` with its coded columns as text: the dataset's schema.
pub fn text_schema(schema: &Schema) -> Schema {
    let fields: Vec<Field> = (schema.fields().iter())
        .map(|f| match f.data_type() {
            DataType::Dictionary(_, value) => f.as_ref().clone().with_data_type(*value.clone()),
            DataType::Int16 => f.as_ref().clone().with_data_type(DataType::Int64),
            _ => f.as_ref().clone(),
        })
        .collect();
    Schema::new_with_metadata(fields, schema.metadata().clone())
}

/// `batch` in `schema` (its `text_schema`): coded columns decoded to text.
pub fn decode(batch: RecordBatch, schema: &SchemaRef) -> Result<RecordBatch> {
    if batch.schema().fields() == schema.fields() {
        return Ok(batch);
    }
    let columns = (batch.columns().iter())
        .map(|c| {
            let any = c.as_any();
            if let Some(d) = any.downcast_ref::<DictionaryArray<UInt8Type>>() {
                return Ok(arrow_select::take::take(d.values(), d.keys(), None)?);
            }
            match any.downcast_ref::<Int16Array>() {
                Some(n) => Ok(Arc::new(widen(n)) as ArrayRef),
                None => Ok(c.clone()),
            }
        })
        .collect::<Result<Vec<ArrayRef>>>()?;
    Ok(RecordBatch::try_new(schema.clone(), columns)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_go_through_as_keys_and_come_back_as_the_same_text() {
        static LIST: &[&str] = &["urban", "rural"];
        // The second `rural` is spelled alike at another address.
        let other = String::from("rural").leak();
        let v = vec![Some(LIST[1]), None, Some(LIST[0]), Some(&*other)];
        for order in [vec![0, 1, 2, 3], vec![3, 3, 1], vec![]] {
            let coded = keys(LIST, &v, &order);
            assert!(matches!(coded.data_type(), DataType::Dictionary(_, _)));
            let text: StringArray = order.iter().map(|&i| v[i]).collect();
            let schema = Arc::new(Schema::new(vec![Field::new("c", DataType::Utf8, true)]));
            let coded_schema = Arc::new(Schema::new(vec![Field::new(
                "c",
                coded.data_type().clone(),
                true,
            )]));
            assert_eq!(text_schema(&coded_schema), *schema);
            let batch = RecordBatch::try_new(coded_schema, vec![coded]).unwrap();
            let back = decode(batch, &schema).unwrap();
            assert_eq!(back.column(0).to_data(), text.to_data(), "{order:?}");
        }
        // Small whole numbers go as 16 bits and come back as they were.
        let ints = vec![Some(2020), None, Some(-3), Some(120)];
        let narrow = small_ints(&ints, &[3, 1, 0, 2]).unwrap();
        let schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int64, true)]));
        let small_schema = Arc::new(Schema::new(vec![Field::new("n", DataType::Int16, true)]));
        assert_eq!(text_schema(&small_schema), *schema);
        let back = decode(
            RecordBatch::try_new(small_schema, vec![narrow]).unwrap(),
            &schema,
        )
        .unwrap();
        let want: Int64Array = [3, 1, 0, 2].iter().map(|&i| ints[i]).collect();
        assert_eq!(back.column(0).to_data(), want.to_data());
        assert!(small_ints(&[Some(40_000)], &[0]).is_err());
        let spec = |name| crate::schema::column(crate::schema::TableKind::Members, name).unwrap();
        assert!(small(spec("age")) && small(spec("birth_year")) && small(spec("survey_year")));
        assert!(!small(spec("bmi")) && !small(spec("member_id")));
        let hh = |name| crate::schema::column(crate::schema::TableKind::Households, name).unwrap();
        assert!(!small(hh("income_per_capita_month")) && small(hh("household_size")));
        // A value outside the list stays text.
        let odd = vec![Some("suburb")];
        assert_eq!(keys(LIST, &odd, &[0]).data_type(), &DataType::Utf8);
    }
}
