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
/// carry pre-coded (a `dep_<id>` column filled for every household), so
/// they can only be read from member records.
pub fn read_from_members(st: &Standard, households: &Path) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for ind in st.indicators.iter().filter(|i| i.level == Level::Member) {
        if !super::slices::all_filled(households, &[&ind.flag_column()])? {
            ids.push(ind.id.clone());
        }
    }
    Ok(ids)
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
         pre-coded dep_<id> columns filled for every household need no members",
        st.id
    )))
}
