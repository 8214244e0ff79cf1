//! The grouping columns of a scored batch: each row's code at each level.

use super::Level;
use crate::dataset::text::Text;
use crate::geo::AdminScheme;
use crate::schema::GROUP_COLUMNS;
use crate::score::domain::{DOMAIN_COLUMN, OUTSIDE};
use arrow_array::{Int64Array, RecordBatch};

/// The grouping columns of a scored batch, looked up once.
pub struct Groups<'a> {
    province: Option<Text<'a>>,
    district: Option<Text<'a>>,
    commune: Option<Text<'a>>,
    area: Option<Text<'a>>,
    /// The batch's text columns a `Level::Column` may name.
    columns: Vec<(&'a str, Text<'a>)>,
    /// Rows outside the domain, when there is one (non-null: outside):
    /// their group is `OUTSIDE` at every level.
    outside: Option<Text<'a>>,
    /// The scheme of the batch's codes: a province code of the 34-unit
    /// scheme is its own unit of 2025, and its region is its former
    /// province's (`geo::reform::region_34`).
    units34: bool,
}

/// The grouping columns that no level of `levels` reads (a `Column`
/// level's column is never skipped: only `GROUP_COLUMNS` are).
pub fn unread_group_columns(levels: &[Level]) -> Vec<&'static str> {
    let read = |c: &str| {
        levels.iter().any(|l| match l {
            Level::Total => false,
            Level::Province | Level::Unit2025 => c == "province_code",
            // In a year of the 34-unit scheme a region follows the commune.
            Level::Region => c == "province_code" || c == "commune_code",
            Level::District => c == "district_code",
            Level::Commune => c == "commune_code",
            Level::Area => c == "area",
            Level::Column(name) => c == *name,
        })
    };
    GROUP_COLUMNS.into_iter().filter(|c| !read(c)).collect()
}

impl<'a> Groups<'a> {
    pub fn new(b: &'a RecordBatch) -> Self {
        let col = |name: &str| b.column_by_name(name).and_then(Text::of);
        let schema = b.schema_ref();
        Groups {
            province: col("province_code"),
            district: col("district_code"),
            commune: col("commune_code"),
            area: col("area"),
            columns: (schema.fields().iter().zip(b.columns()))
                .filter_map(|(f, a)| Some((f.name().as_str(), Text::of(a)?)))
                .collect(),
            outside: col(DOMAIN_COLUMN),
            units34: crate::score::admin_scheme_of(b) == AdminScheme::Units34,
        }
    }

    /// The column a level's code comes from (none for the nation).
    fn source(&self, level: Level) -> Option<Text<'a>> {
        match level {
            Level::Total => None,
            Level::Province | Level::Region | Level::Unit2025 => self.province,
            Level::District => self.district,
            Level::Commune => self.commune,
            Level::Area => self.area,
            Level::Column(name) => self.column(name),
        }
    }

    fn column(&self, name: &str) -> Option<Text<'a>> {
        (self.columns.iter()).find_map(|(n, t)| (*n == name).then_some(*t))
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
        if self.units34 && levels.contains(&Level::Region) {
            if let Some(t) = self.commune {
                t.mark_changes(rows.clone(), &mut out);
            }
        }
        if let Some(t) = self.outside {
            t.mark_changes(rows.clone(), &mut out);
        }
        out
    }

    /// The group code of row `i` at `level` ("" when the column is blank).
    pub fn code(&self, level: Level, i: usize) -> &'a str {
        if self.outside.is_some_and(|t| t.is_valid(i)) {
            return OUTSIDE;
        }
        let s = |a: Option<Text<'a>>| a.map_or("", |a| a.value(i));
        match level {
            Level::Total => "VN",
            Level::Province => s(self.province),
            Level::Region if self.units34 => {
                crate::geo::reform::region_34(s(self.province), s(self.commune)).unwrap_or("")
            }
            Level::Unit2025 if self.units34 => s(self.province),
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
            Level::Column(name) => s(self.column(name)),
        }
    }
}
