//! `--by COLUMN`: which columns of the scored file a table may group by.
//! Any text column (a kept input column such as a village, an
//! ethnic-minority flag or a researcher's own code; the stratum, the PSU)
//! but those naming people or households, which go only into follow-up
//! lists, and dachieu's own result columns.

use super::Level;
use crate::error::{Error, Result};
use arrow_schema::{DataType, Schema};

/// Columns that name or locate people: never a group of a published table.
pub const PERSONAL_COLUMNS: &[&str] = &["household_id", "head_name", "address"];

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8) || matches!(t, DataType::Dictionary(_, v) if **v == DataType::Utf8)
}

/// The columns a table may group by, of these scored years' schemas.
fn groupable(schemas: &[&Schema]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in schemas {
        for f in s.fields() {
            let name = f.name();
            let ok = is_text(f.data_type())
                && !PERSONAL_COLUMNS.contains(&name.as_str())
                && !crate::schema::RESERVED_NAMES.contains(&name.as_str())
                && !name.starts_with("__")
                && !crate::schema::GROUP_COLUMNS.contains(&name.as_str());
            if ok && !out.contains(name) {
                out.push(name.clone());
            }
        }
    }
    out
}

/// Check each `Level::Column` of `levels` against the scored years'
/// schemas: a text column of at least one year, not one naming people.
pub fn check_columns(levels: &[Level], schemas: &[&Schema]) -> Result<()> {
    let can = groupable(schemas);
    for l in levels {
        let Level::Column(name) = l else { continue };
        if PERSONAL_COLUMNS.contains(name) {
            return Err(Error::Usage(format!(
                "--by {name}: `{name}` identifies households or people; it goes only into the follow-up lists, never into a published table"
            )));
        }
        if !can.iter().any(|c| c == name) {
            let known = if can.is_empty() {
                "none besides the levels (keep a column of your own by adding it to the households file)".to_string()
            } else {
                can.join(", ")
            };
            return Err(Error::Usage(format!(
                "--by {name}: not a level (national, region, province, district, commune, area, unit2025) nor a text column of the scored file; columns you can group by: {known}"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::Field;

    #[test]
    fn text_columns_but_people_and_results() {
        let s = Schema::new(vec![
            Field::new("household_id", DataType::Utf8, true),
            Field::new("village", DataType::Utf8, true),
            Field::new("class", DataType::Utf8, true),
            Field::new("health_access", DataType::Boolean, true),
        ]);
        let by = |n: &str| check_columns(&[Level::parse(n).unwrap()], &[&s]);
        assert!(by("village").is_ok());
        assert!(by("Village").is_ok());
        let e = by("household_id").unwrap_err().to_string();
        assert!(e.contains("follow-up lists"), "{e}");
        let e = by("health_access").unwrap_err().to_string();
        assert!(e.contains("columns you can group by: village"), "{e}");
        assert!(by("class").is_err());
        assert!(by("province").is_ok());
    }
}
