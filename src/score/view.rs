//! A typed view of a scored batch: the columns later stages read, looked up
//! once, with a clear error when a file is not what `score` writes. Text
//! columns may come plain or dictionary-coded ([`Text`]); indicator columns
//! are read as bit masks, 64 rows at a time.

use crate::dataset::text::Text;
use crate::error::{Error, Result};
use crate::schema::MAX_INDICATORS;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};

pub struct Scored<'a> {
    pub year: &'a Int64Array,
    /// Absent when the reader left it out (census tabulation needs no ids).
    pub household_id: Option<&'a StringArray>,
    pub weight: &'a Float64Array,
    pub size: &'a Int64Array,
    pub class: Text<'a>,
    pub path: Text<'a>,
    pub possible: Text<'a>,
    /// The indicator columns, in the order asked for.
    pub indicators: Vec<&'a BooleanArray>,
    /// Weighted rule with a severe band: in severe poverty (null: unknown).
    pub severe: Option<&'a BooleanArray>,
    /// The design columns, when the records carry them.
    pub stratum: Option<Text<'a>>,
    pub psu: Option<Text<'a>>,
}

/// The positions of the set bits of `m`, lowest first.
pub fn bits(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let j = m.trailing_zeros() as usize;
            m &= m - 1;
            j
        })
    })
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

    /// For each row of `rows`: the indicators it is deprived in (known and
    /// true) as bits of `deprived`, and those it is unknown in as bits of
    /// `unknown` (bit j: the j-th indicator asked for). Read a word of
    /// 64 rows at a time.
    pub fn indicator_bits(
        &self,
        rows: std::ops::Range<usize>,
        deprived: &mut Vec<u64>,
        unknown: &mut Vec<u64>,
    ) {
        let n = rows.len();
        deprived.clear();
        deprived.resize(n, 0);
        unknown.clear();
        unknown.resize(n, 0);
        // Each set bit of a column's words (`flip`: each unset bit) within the rows.
        let each = |buf: &arrow_buffer::BooleanBuffer, flip: bool, f: &mut dyn FnMut(usize)| {
            let chunks = buf.inner().bit_chunks(buf.offset() + rows.start, n);
            for (w, word) in chunks.iter_padded().enumerate() {
                let mut bits = if flip { !word } else { word };
                while bits != 0 {
                    let i = w * 64 + bits.trailing_zeros() as usize;
                    if i >= n {
                        break;
                    }
                    f(i);
                    bits &= bits - 1;
                }
            }
        };
        for (j, a) in self.indicators.iter().enumerate() {
            let bit = 1u64 << j;
            each(a.values(), false, &mut |i| deprived[i] |= bit);
            if let Some(nulls) = a.nulls().filter(|x| x.null_count() > 0) {
                each(nulls.inner(), true, &mut |i| unknown[i] |= bit);
            }
        }
        // A null's value bit means nothing.
        for (d, u) in deprived.iter_mut().zip(unknown.iter()) {
            *d &= !*u;
        }
    }

    pub fn new(b: &'a RecordBatch, indicator_ids: &[String]) -> Result<Self> {
        if indicator_ids.len() > MAX_INDICATORS {
            return Err(Error::Usage(format!(
                "the scored file has {} indicators; at most {MAX_INDICATORS} are supported",
                indicator_ids.len()
            )));
        }
        let int = |n: &str| {
            b.column_by_name(n)
                .and_then(|a| a.as_primitive_opt::<Int64Type>())
                .ok_or_else(|| missing(n))
        };
        let text = |n: &str| {
            b.column_by_name(n)
                .and_then(Text::of)
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
            stratum: b.column_by_name("stratum").and_then(Text::of),
            psu: b.column_by_name("psu").and_then(Text::of),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::ArrayRef;
    use std::sync::Arc;

    /// The word-at-a-time reading agrees with reading each value, for rows
    /// starting anywhere (not at a word), in sliced columns, and whatever
    /// value bit a null carries.
    #[test]
    fn indicator_bits_agree_with_reading_each_row() {
        let n = 300;
        let col = |seed: usize| -> ArrayRef {
            let values: Vec<Option<bool>> = (0..n + 5)
                .map(|i| match (i * 7 + seed * 13) % 11 {
                    0 => None,
                    r => Some(r % 3 == 0),
                })
                .collect();
            // Nulls over set value bits: a null's bit must be ignored.
            let array = BooleanArray::from(values);
            let (vals, nulls) = (array.values().clone(), array.nulls().cloned());
            let ones = arrow_buffer::BooleanBuffer::new_set(vals.len());
            let array = BooleanArray::new(if seed.is_multiple_of(2) { ones } else { vals }, nulls);
            Arc::new(array.slice(5, n))
        };
        let ids: Vec<String> = (0..3).map(|j| format!("i{j}")).collect();
        let mut fields = vec![arrow_schema::Field::new(
            "survey_year",
            arrow_schema::DataType::Int64,
            true,
        )];
        let mut cols: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(vec![2020; n]))];
        for (j, id) in ids.iter().enumerate() {
            fields.push(arrow_schema::Field::new(
                id,
                arrow_schema::DataType::Boolean,
                true,
            ));
            cols.push(col(j));
        }
        let b = RecordBatch::try_new(Arc::new(arrow_schema::Schema::new(fields)), cols).unwrap();
        let inds: Vec<&BooleanArray> = ids
            .iter()
            .map(|id| b.column_by_name(id).unwrap().as_boolean())
            .collect();
        let (mut deprived, mut unknown) = (Vec::new(), Vec::new());
        let empty = StringArray::from(Vec::<&str>::new());
        for rows in [0..n, 3..130, 64..128, 100..101, 7..7] {
            let v = Scored {
                year: b.column(0).as_primitive(),
                household_id: None,
                weight: &Float64Array::from(Vec::<f64>::new()),
                size: &Int64Array::from(Vec::<i64>::new()),
                class: Text::Plain(&empty),
                path: Text::Plain(&empty),
                possible: Text::Plain(&empty),
                indicators: inds.clone(),
                severe: None,
                stratum: None,
                psu: None,
            };
            v.indicator_bits(rows.clone(), &mut deprived, &mut unknown);
            assert_eq!(deprived.len(), rows.len());
            for (r, i) in rows.clone().enumerate() {
                for (j, a) in inds.iter().enumerate() {
                    let bit = 1u64 << j;
                    assert_eq!(unknown[r] & bit != 0, a.is_null(i), "row {i} ind {j}");
                    assert_eq!(
                        deprived[r] & bit != 0,
                        a.is_valid(i) && a.value(i),
                        "row {i} ind {j}"
                    );
                }
            }
        }
        assert_eq!(bits(0b1010_0001).collect::<Vec<_>>(), vec![0, 5, 7]);
        assert_eq!(bits(0).count(), 0);
        assert_eq!(bits(1 << 63).collect::<Vec<_>>(), vec![63]);
    }
}
