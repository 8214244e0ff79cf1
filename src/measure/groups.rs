//! The grouping columns of a scored batch: each row's code at each level.

use super::Level;
use crate::dataset::text::Text;
use crate::schema::GROUP_COLUMNS;
use arrow_array::{Int64Array, RecordBatch};

/// The grouping columns of a scored batch, looked up once.
pub struct Groups<'a> {
    province: Option<Text<'a>>,
    district: Option<Text<'a>>,
    commune: Option<Text<'a>>,
    area: Option<Text<'a>>,
}

/// The grouping columns that no level of `levels` reads.
pub fn unread_group_columns(levels: &[Level]) -> Vec<&'static str> {
    let read = |c: &str| {
        levels.iter().any(|l| match l {
            Level::National => false,
            Level::Province | Level::Region | Level::Unit2025 => c == "province_code",
            Level::District => c == "district_code",
            Level::Commune => c == "commune_code",
            Level::Area => c == "area",
        })
    };
    GROUP_COLUMNS.into_iter().filter(|c| !read(c)).collect()
}

impl<'a> Groups<'a> {
    pub fn new(b: &'a RecordBatch) -> Self {
        let col = |name: &str| b.column_by_name(name).and_then(Text::of);
        Groups {
            province: col("province_code"),
            district: col("district_code"),
            commune: col("commune_code"),
            area: col("area"),
        }
    }

    /// The column a level's code comes from (none for the nation).
    fn source(&self, level: Level) -> Option<Text<'a>> {
        match level {
            Level::National => None,
            Level::Province | Level::Region | Level::Unit2025 => self.province,
            Level::District => self.district,
            Level::Commune => self.commune,
            Level::Area => self.area,
        }
    }

    /// One flag per row of `rows`: whether the row may start a run of rows
    /// in the same year and group at every level (the first row does; a
    /// row whose year or a group differs from the row before's does).
    pub fn run_starts(
        &self,
        year: &Int64Array,
        levels: &[Level],
        rows: std::ops::Range<usize>,
    ) -> Vec<bool> {
        let mut out = vec![false; rows.len()];
        if let Some(first) = out.first_mut() {
            *first = true;
        }
        let years = year.values()[rows.clone()].windows(2);
        for (o, pair) in out.iter_mut().skip(1).zip(years) {
            *o |= pair[0] != pair[1];
        }
        for t in levels.iter().filter_map(|l| self.source(*l)) {
            t.mark_changes(rows.clone(), &mut out);
        }
        out
    }

    /// The group code of row `i` at `level` ("" when the column is blank).
    pub fn code(&self, level: Level, i: usize) -> &'a str {
        let s = |a: Option<Text<'a>>| a.map_or("", |a| a.value(i));
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
