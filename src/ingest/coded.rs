//! Code columns (a closed list: `rural`, `piped`, …) carried through the
//! run files as one-byte keys into their code list instead of as text: the
//! runs are written and read back once each, and a household's six codes
//! and a member's three were a quarter of their bytes. The dataset holds
//! them as text, as before: the keys are decoded on the encoder's thread
//! (`decode`), in the file's schema (`text_schema`).

use crate::error::Result;
use arrow_array::types::UInt8Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch, StringArray, UInt8Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use std::sync::Arc;

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
    let mut keys = Vec::with_capacity(order.len());
    for &i in order {
        match v[i] {
            None => keys.push(None),
            Some(s) => match key(s) {
                Some(k) => keys.push(Some(k)),
                None => return Arc::new(StringArray::from_iter(order.iter().map(|&i| v[i]))),
            },
        }
    }
    let values: ArrayRef = Arc::new(StringArray::from(list.to_vec()));
    let keys = UInt8Array::from(keys);
    match DictionaryArray::<UInt8Type>::try_new(keys, values) {
        Ok(d) => Arc::new(d),
        Err(_) => Arc::new(StringArray::from_iter(order.iter().map(|&i| v[i]))),
    }
}

/// `schema` with its coded columns as text: the dataset's schema.
pub fn text_schema(schema: &Schema) -> Schema {
    let fields: Vec<Field> = (schema.fields().iter())
        .map(|f| match f.data_type() {
            DataType::Dictionary(_, value) => f.as_ref().clone().with_data_type(*value.clone()),
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
        .map(
            |c| match c.as_any().downcast_ref::<DictionaryArray<UInt8Type>>() {
                Some(d) => Ok(arrow_select::take::take(d.values(), d.keys(), None)?),
                None => Ok(c.clone()),
            },
        )
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
        // A value outside the list stays text.
        let odd = vec![Some("suburb")];
        assert_eq!(keys(LIST, &odd, &[0]).data_type(), &DataType::Utf8);
    }
}
