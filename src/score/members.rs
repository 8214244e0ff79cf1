//! A year with households but no member records, under a standard that
//! reads members: without a check, every member-level indicator reads as
//! "no eligible member, not deprived" (or unknown, household by household)
//! and the poor rate comes out a third of the truth with exit 0. So such a
//! year is an error naming the indicators and the two ways out: add the
//! members, or say `--members none` to score them as unknown.

use crate::error::{Error, Result};
use crate::standard::{Level, Standard};
use std::path::Path;

/// The member-level indicators of `st` that this year's households do not
/// carry pre-coded (no `dep_<id>` column), so they can only be read from
/// member records. A flag column with gaps counts as pre-coded: its blanks
/// are unknown values, scored as such.
pub fn read_from_members(st: &Standard, households: &Path) -> Result<Vec<String>> {
    let f = std::fs::File::open(households).map_err(|e| Error::io(households, e))?;
    let schema = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(f)?
        .schema()
        .clone();
    Ok((st.indicators.iter())
        .filter(|i| i.level == Level::Member && schema.index_of(&i.flag_column()).is_err())
        .map(|i| i.id.clone())
        .collect())
}

/// The number of member rows of a year (0 when the file is absent).
fn member_rows(members: &Path) -> Result<i64> {
    if !members.exists() {
        return Ok(0);
    }
    Ok(crate::dataset::parquet_footer(members)?
        .metadata()
        .file_metadata()
        .num_rows())
}

/// Check year `year` before it is scored: an error when its standard reads
/// members and it has none, unless `no_members` (`--members none`), which
/// gives a warning saying which indicators are unknown for every household.
pub fn check(
    st: &Standard,
    year: i32,
    households: &Path,
    members: &Path,
    no_members: bool,
) -> Result<Option<String>> {
    if member_rows(members)? > 0 && !no_members {
        return Ok(None);
    }
    let ids = read_from_members(st, households)?;
    if ids.is_empty() {
        return Ok(None);
    }
    let list = ids.join(", ");
    if no_members {
        return Ok(Some(format!(
            "survey year {year}: --members none: {list} of standard {} are unknown for every household without a pre-coded dep_<id> flag; classes are ranges, undetermined where it matters",
            st.id
        )));
    }
    Err(Error::Usage(format!(
        "survey year {year} has households but no member records, and standard {}'s indicators {list} are read from members: \
         add the members file (members.csv, or a `members` sheet) to the inputs, \
         or pass --members none to score them as unknown (households then become ranges or undetermined); \
         pre-coded dep_<id> columns need no members",
        st.id
    )))
}
