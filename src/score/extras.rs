//! Household columns kept from the input as text (outside the data
//! contract: a head's name, a village, a researcher's own code) carried
//! into the scored file, after its own columns, so a file without them is
//! laid out as before and tables can group and filter by them.

use arrow_array::ArrayRef;
use arrow_array::RecordBatch;
use arrow_schema::{DataType, Field};

/// Append `households`' kept text columns to the scored file's columns.
/// One named as a column the scored file already has (an indicator) is
/// not carried; scoring warns about it (`files.rs`).
pub(super) fn carry(households: &RecordBatch, fields: &mut Vec<Field>, arrays: &mut Vec<ArrayRef>) {
    let schema = households.schema();
    for (f, a) in schema.fields().iter().zip(households.columns()) {
        let name = f.name();
        if crate::schema::is_extra_column(name)
            && a.data_type() == &DataType::Utf8
            && !fields.iter().any(|g| g.name() == name)
        {
            fields.push(Field::new(name, DataType::Utf8, true));
            arrays.push(a.clone());
        }
    }
}
