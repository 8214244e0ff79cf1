//! The grouping columns of a scored batch: each row's code at each level.

use super::Level;
use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch, StringArray};

/// Whether rows `i` and `p` of a text column hold the same value (both
/// blank counts as the same; a missing column as always the same).
pub fn same_text(a: Option<&StringArray>, i: usize, p: usize) -> bool {
    match a {
        None => true,
        Some(a) => match (a.is_valid(i), a.is_valid(p)) {
            (true, true) => a.value(i) == a.value(p),
            (false, false) => true,
            _ => false,
        },
    }
}

/// The grouping columns of a scored batch, looked up once.
pub struct Groups<'a> {
    province: Option<&'a StringArray>,
    district: Option<&'a StringArray>,
    commune: Option<&'a StringArray>,
    area: Option<&'a StringArray>,
}

impl<'a> Groups<'a> {
    pub fn new(b: &'a RecordBatch) -> Self {
        let col = |name: &str| {
            b.column_by_name(name)
                .and_then(|a| a.as_string_opt::<i32>())
        };
        Groups {
            province: col("province_code"),
            district: col("district_code"),
            commune: col("commune_code"),
            area: col("area"),
        }
    }

    /// The column a level's code comes from (none for the nation).
    fn source(&self, level: Level) -> Option<&'a StringArray> {
        match level {
            Level::National => None,
            Level::Province | Level::Region | Level::Unit2025 => self.province,
            Level::District => self.district,
            Level::Commune => self.commune,
            Level::Area => self.area,
        }
    }

    /// Whether rows `i` and `p` surely fall in the same group at every
    /// level (false may still be the same group).
    pub fn same(&self, levels: &[Level], i: usize, p: usize) -> bool {
        levels.iter().all(|l| same_text(self.source(*l), i, p))
    }

    /// The group code of row `i` at `level` ("" when the column is blank).
    pub fn code(&self, level: Level, i: usize) -> &'a str {
        let s = |a: Option<&'a StringArray>| match a {
            Some(a) if a.is_valid(i) => a.value(i),
            _ => "",
        };
        match level {
            Level::National => "VN",
            Level::Province => s(self.province),
            Level::Region => crate::geo::geography()
                .province(s(self.province))
                .map(|p| p.region.as_str())
                .unwrap_or(""),
            Level::District => s(self.district),
            Level::Commune => s(self.commune),
            Level::Area => s(self.area),
            Level::Unit2025 => crate::geo::geography()
                .crosswalk_2025
                .get(s(self.province))
                .map(String::as_str)
                .unwrap_or(""),
        }
    }
}
