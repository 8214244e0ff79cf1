//! Row keys: households by survey year and household id, members by year,
//! household id and member id (numbers numerically, then text), compared
//! in place in a batch's key columns.

use crate::error::{Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use arrow_array::{Int64Array, RecordBatch, StringArray};
use std::cmp::Ordering;

/// Order for member ids: numbers numerically, then text.
pub fn natural_key(s: &str) -> (u8, u64, &str) {
    match s.parse::<u64>() {
        Ok(n) => (0, n, s),
        Err(_) => (1, 0, s),
    }
}

/// Compare two row keys: year, household id, then (members) member id.
pub fn key_cmp(a: (i64, &str, Option<&str>), b: (i64, &str, Option<&str>)) -> Ordering {
    a.0.cmp(&b.0)
        .then_with(|| a.1.cmp(b.1))
        .then_with(|| match (a.2, b.2) {
            (Some(x), Some(y)) => natural_key(x).cmp(&natural_key(y)),
            (x, y) => x.is_some().cmp(&y.is_some()),
        })
}

/// The key columns of a batch, for comparing rows in place.
#[derive(Clone)]
pub(super) struct Keys {
    year: Int64Array,
    hh: StringArray,
    member: Option<StringArray>,
}

impl Keys {
    pub fn of(b: &RecordBatch, members: bool) -> Result<Self> {
        let col = |name: &str| {
            b.column_by_name(name)
                .cloned()
                .ok_or_else(|| Error::Usage(format!("ingest run lost its `{name}` column")))
        };
        let year = col("survey_year")?;
        let year = match year.as_any().downcast_ref::<arrow_array::Int16Array>() {
            Some(small) => super::coded::widen(small),
            None => year.as_primitive::<Int64Type>().clone(),
        };
        let hh = col("household_id")?.as_string::<i32>().clone();
        let member = if members {
            Some(col("member_id")?.as_string::<i32>().clone())
        } else {
            None
        };
        Ok(Keys { year, hh, member })
    }
    pub fn at(&self, i: usize) -> (i64, &str, Option<&str>) {
        (
            self.year.value(i),
            self.hh.value(i),
            self.member.as_ref().map(|m| m.value(i)),
        )
    }
}
