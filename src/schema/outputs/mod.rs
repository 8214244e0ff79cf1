//! The catalogue of output columns: for every file dachieu writes, each
//! column's name, type, Vietnamese and English label, unit and meaning.
//! One table of facts that the Parquet writer (field descriptions), the
//! workbooks (sheet names and headers) and the codebook `docs/outputs.md`
//! all read, and that a test holds against the files a run really writes.
//!
//! A name may hold a variable part in angle brackets, named after what it
//! stands for: `<class>_pct` is `poor_pct`, `near_poor_pct`, …; `<level>` in
//! a file name is the grouping (`rates_province`). Each variable has a
//! domain (`Var`), so a pattern matches only the names it describes.
//!
//! ## Renames (issue 21)
//!
//! No output column should carry a word SQL or pandas reserves (`group`,
//! `class`, `flags`) or a name with two meanings; household and person
//! estimates never share a measure name; changes are in long form. Done:
//!
//! | file | old | new | why |
//! |---|---|---|---|
//! | estimates, estimates_change | `level` (household / person) | `unit_of_analysis` | `level` means the grouping level in every other file |
//! | estimates, estimates_change | `grouping` | `level` | the grouping level, as in the rate tables |
//! | estimates, estimates_change | `group` | `code` | reserved word; it is the unit's code, as in the rate tables |
//! | estimates, estimates_change | `flags` | `cell_flags` | reserved word in pandas; one name across files |
//! | estimates, estimates_change | `measure` = `poor_rate`, `H` … for persons too | person measures carry `_person`: `poor_person_rate`, `H_person` | household and person estimates never under one measure name |
//! | estimates_change, rates_change_`<level>`, transitions_*, transitions_summary_* | `year_from`, `year_to` | `from_year`, `to_year` | one spelling of the pair in every file (as follow_up) |
//! | rates_change_`<level>` | `pct_<year>` (`pct_2021`, `pct_2022`) | `pct_from`, `pct_to` | years in values, not in names: files for different years stack |
//! | rates_change_`<level>` | `measure` (`poor_rate`) | `rate` | `measure` is the living-standard measure in the scored file |
//! | bridge_`<year>`_`<level>` | `class_standard_from`, `class_standard_to` | `class_from`, `class_to` | as in transitions |
//! | follow_up_`<year>` | `class_<year>` ×2, `standard_<year>` | `from_year`, `to_year`, `class_from`, `class_to`, `standard_to` | long form |
//!
//! Still to come: the scored file, which tables, compare, the report,
//! bridge, `sql` and `sql import` read back and `sql` queries write, so
//! all of them (and tests/sql/*.py) must change at once:
//!
//! | file | old | new | why |
//! |---|---|---|---|
//! | scored | `class` | `household_class` | reserved word |
//! | scored, undetermined, follow_up | `measure` | `living_standard_measure` | `measure` is an estimate's measure in other files |
//! | scored | `water_source` (indicator flag) | `dep_water_source` | the input code column `water_source` has the same name |
//! | scored | `<indicator>` flags | `dep_<indicator>` | as the input's pre-coded flags, and no clash with input columns |

#[rustfmt::skip]
mod catalogue;
mod codebook;

pub use catalogue::FILES;
pub use codebook::codebook;

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutType {
    Text,
    /// A whole number.
    Int,
    /// A real number: a weighted count, a proportion, an index.
    Float,
    Bool,
    /// A percentage, 0–100.
    Percent,
    /// A difference of two percentages, in percentage points.
    PercentagePoints,
}

impl OutType {
    pub fn name(self) -> &'static str {
        match self {
            OutType::Text => "text",
            OutType::Int => "int",
            OutType::Float => "float",
            OutType::Bool => "bool",
            OutType::Percent => "percent",
            OutType::PercentagePoints => "percentage points",
        }
    }

    /// Whether an Arrow column of type `dt` holds values of this type.
    pub fn stored_as(self, dt: &arrow_schema::DataType) -> bool {
        use arrow_schema::DataType as D;
        match self {
            OutType::Text => matches!(dt, D::Utf8 | D::LargeUtf8),
            OutType::Int => dt.is_integer(),
            OutType::Float | OutType::Percent | OutType::PercentagePoints => {
                matches!(dt, D::Float64 | D::Float32)
            }
            OutType::Bool => dt == &D::Boolean,
        }
    }

    /// Whether a CSV cell (not empty) holds a value of this type.
    pub fn parses(self, cell: &str) -> bool {
        match self {
            OutType::Text => true,
            OutType::Int => cell.parse::<i64>().is_ok(),
            OutType::Float | OutType::Percent | OutType::PercentagePoints => {
                cell.parse::<f64>().is_ok()
            }
            OutType::Bool => matches!(cell, "true" | "false"),
        }
    }
}

/// A variable part of a file or column name, and the values it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Var {
    /// A class a standard defines.
    Class,
    /// A grouping level of the tables.
    Level,
    /// A survey year (four digits).
    Year,
    /// An Alkire–Foster measure: H, A or M0.
    Af,
    /// An indicator id of the standard (lower-case letters, digits, `_`).
    Indicator,
}

/// The classes standards define, with their labels: (name, vi, en).
pub const CLASSES: &[(&str, &str, &str)] = &[
    ("poor", "hộ nghèo", "poor"),
    ("near_poor", "hộ cận nghèo", "near-poor"),
    ("vulnerable", "hộ dễ bị tổn thương", "vulnerable"),
    (
        "average",
        "hộ có mức sống trung bình",
        "average living standard",
    ),
    ("not_poor", "hộ không nghèo", "not poor"),
];

/// The levels a table may be grouped by: (name, vi, en).
pub const LEVELS: &[(&str, &str, &str)] = &[
    ("region", "vùng", "region"),
    ("province", "tỉnh", "province"),
    ("district", "huyện", "district"),
    ("commune", "xã", "commune"),
    ("area", "khu vực", "area"),
];

/// The Alkire–Foster measures: (name, vi, en).
pub const AF: &[(&str, &str, &str)] = &[
    ("H", "H (tỷ lệ nghèo đa chiều)", "H (headcount ratio)"),
    ("A", "A (mức độ thiếu hụt)", "A (intensity)"),
    (
        "M0",
        "M0 (chỉ số nghèo đa chiều)",
        "M0 (adjusted headcount)",
    ),
];

impl Var {
    pub fn name(self) -> &'static str {
        match self {
            Var::Class => "class",
            Var::Level => "level",
            Var::Year => "year",
            Var::Af => "af",
            Var::Indicator => "indicator",
        }
    }

    fn of(name: &str) -> Option<Var> {
        [Var::Class, Var::Level, Var::Year, Var::Af, Var::Indicator]
            .into_iter()
            .find(|v| v.name() == name)
    }

    /// The closed list of values with labels, or None for an open domain.
    pub fn values(self) -> Option<&'static [(&'static str, &'static str, &'static str)]> {
        match self {
            Var::Class => Some(CLASSES),
            Var::Level => Some(LEVELS),
            Var::Af => Some(AF),
            Var::Year | Var::Indicator => None,
        }
    }

    /// Whether `v` is a value of this variable.
    pub fn admits(self, v: &str) -> bool {
        match self.values() {
            Some(list) => list.iter().any(|(n, _, _)| *n == v),
            None if self == Var::Year => v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()),
            None => {
                v.starts_with(|c: char| c.is_ascii_lowercase())
                    && v.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            }
        }
    }

    /// The (vi, en) label of the value `v` (the value itself when the
    /// domain has no labels).
    fn label(self, v: &str) -> (String, String) {
        self.values()
            .and_then(|l| l.iter().find(|(n, _, _)| *n == v))
            .map(|(_, vi, en)| (vi.to_string(), en.to_string()))
            .unwrap_or_else(|| (v.to_string(), v.to_string()))
    }
}

/// One column of an output file.
#[derive(Debug, Clone, Copy)]
pub struct OutColumn {
    /// The name, or a pattern with `<var>` parts.
    pub name: &'static str,
    pub ty: OutType,
    /// The unit of a number ("" for text and codes).
    pub unit: &'static str,
    /// Header labels; `<var>` parts are replaced by the value's label.
    pub vi: &'static str,
    pub en: &'static str,
    /// One sentence a researcher can use.
    pub about: &'static str,
}

/// One output file (in every format it is written in).
#[derive(Debug)]
pub struct OutFile {
    /// Its path under the output folder without extension, possibly a
    /// pattern: `tables/rates_<level>`.
    pub path: &'static str,
    /// The formats it is written in.
    pub formats: &'static [&'static str],
    /// The subcommands that write it.
    pub written_by: &'static str,
    /// Sheet titles (≤ 31 characters, `<var>` parts replaced).
    pub vi: &'static str,
    pub en: &'static str,
    pub about: &'static str,
    pub columns: &'static [OutColumn],
}

/// A column of the catalogue found for a real name, with the values its
/// variable parts took.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    pub column: &'a OutColumn,
    pub vars: Vec<(Var, String)>,
}

impl Found<'_> {
    /// The header labels (vi, en) of this column.
    pub fn labels(&self) -> (String, String) {
        let c = self.column;
        (fill(c.vi, &self.vars, true), fill(c.en, &self.vars, false))
    }
}

/// `template` with each `<var>` replaced by the label of its value, the
/// first letter upper case.
pub fn fill(template: &str, vars: &[(Var, String)], vi: bool) -> String {
    let mut out = template.to_string();
    for (var, value) in vars {
        let (lvi, len) = var.label(value);
        out = out.replacen(
            &format!("<{}>", var.name()),
            if vi { &lvi } else { &len },
            1,
        );
    }
    let mut chars = out.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => out,
    }
}

/// Match `name` against `pattern`; the values of its `<var>` parts.
pub fn match_name(pattern: &str, name: &str) -> Option<Vec<(Var, String)>> {
    let Some(open) = pattern.find('<') else {
        return (pattern == name).then(Vec::new);
    };
    let close = open + pattern[open..].find('>')?;
    let var = Var::of(&pattern[open + 1..close])?;
    let (head, rest) = (&pattern[..open], &pattern[close + 1..]);
    let tail = name.strip_prefix(head)?;
    // Shortest value first, so `<class>_pct` reads `near_poor_pct` whole.
    for end in (1..=tail.len()).filter(|e| tail.is_char_boundary(*e)) {
        let value = &tail[..end];
        if !var.admits(value) {
            continue;
        }
        if let Some(mut more) = match_name(rest, &tail[end..]) {
            more.insert(0, (var, value.to_string()));
            return Some(more);
        }
    }
    None
}

impl OutFile {
    /// The catalogue's entry for the column `name` of this file: a name
    /// written out first, then the patterns in order.
    pub fn column(&self, name: &str) -> Option<Found<'_>> {
        let exact = self.columns.iter().find(|c| c.name == name);
        exact
            .map(|c| Found {
                column: c,
                vars: Vec::new(),
            })
            .or_else(|| {
                self.columns.iter().find_map(|c| {
                    let vars = match_name(c.name, name)?;
                    Some(Found { column: c, vars })
                })
            })
    }

    /// The file's name without folder, possibly a pattern.
    pub fn stem(&self) -> &'static str {
        self.path.rsplit('/').next().unwrap_or(self.path)
    }

    /// The sheet titles (vi, en) of the file whose stem is `stem`.
    pub fn titles(&self, stem: &str) -> (String, String) {
        let vars = match_name(self.stem(), stem).unwrap_or_default();
        (fill(self.vi, &vars, true), fill(self.en, &vars, false))
    }
}

/// The catalogue entry of the file at `path` (relative to the output
/// folder, `/`-separated, without extension), e.g. `tables/rates_district`.
pub fn file(path: &str) -> Option<&'static OutFile> {
    FILES.iter().find(|f| match_name(f.path, path).is_some())
}

/// The catalogue entry of a file by its stem alone (`rates_district`,
/// `estimates`): the writers know the stem, not the folder.
pub fn file_by_stem(stem: &str) -> Option<&'static OutFile> {
    FILES.iter().find(|f| match_name(f.stem(), stem).is_some())
}

/// Arrow field metadata for the column `name` of the file `stem`:
/// description, labels and unit; empty when the catalogue lacks it.
pub fn field_metadata(stem: &str, name: &str) -> std::collections::HashMap<String, String> {
    let Some(found) = file_by_stem(stem).and_then(|f| f.column(name)) else {
        return Default::default();
    };
    let (vi, en) = found.labels();
    let c = found.column;
    [
        ("description", c.about.to_string()),
        ("label_vi", vi),
        ("label_en", en),
        ("unit", c.unit.to_string()),
        ("type", c.ty.name().to_string()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// `batch` with each column's catalogue metadata on its field.
pub fn describe(
    stem: &str,
    batch: arrow_array::RecordBatch,
) -> std::result::Result<arrow_array::RecordBatch, arrow_schema::ArrowError> {
    let schema = batch.schema();
    let fields: Vec<arrow_schema::Field> = schema
        .fields()
        .iter()
        .map(|f| {
            f.as_ref()
                .clone()
                .with_metadata(field_metadata(stem, f.name()))
        })
        .collect();
    let described = arrow_schema::Schema::new_with_metadata(fields, schema.metadata().clone());
    batch.with_schema(std::sync::Arc::new(described))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_only_their_domain() {
        let v = match_name("<class>_pct", "near_poor_pct").unwrap();
        assert_eq!(v, [(Var::Class, "near_poor".to_string())]);
        assert!(match_name("<class>_pct", "poor_income_pct").is_none());
        assert!(match_name("<class>_pct", "rich_pct").is_none());
        assert_eq!(
            match_name("bridge_<year>_<level>", "bridge_2021_province").unwrap(),
            [
                (Var::Year, "2021".to_string()),
                (Var::Level, "province".to_string())
            ]
        );
        assert!(match_name("rates_<level>", "rates_change_province").is_none());
        assert!(match_name("pct_<year>", "pct_20221").is_none());
        assert!(match_name("af_<af>_se", "af_M0_se").is_some());
    }

    #[test]
    fn labels_take_the_value_and_files_resolve_by_stem() {
        let f = file_by_stem("rates_district").unwrap();
        assert_eq!(f.path, "tables/rates_<level>");
        let (vi, en) = f.column("near_poor_pct").unwrap().labels();
        assert_eq!(
            (vi.as_str(), en.as_str()),
            ("Tỷ lệ hộ cận nghèo (%)", "Near-poor (%)")
        );
        assert_eq!(f.column("poor_income").unwrap().column.name, "poor_income");
        assert!(f.column("no_such_column").is_none());
        assert_eq!(
            file_by_stem("rates_change_province").unwrap().path,
            "compare/rates_change_<level>"
        );
        assert_eq!(
            file_by_stem("transitions_summary_commune").unwrap().path,
            "compare/transitions_summary_<level>"
        );
        assert_eq!(
            file("scored/survey_year=2021/scored").unwrap().stem(),
            "scored"
        );
        assert!(field_metadata("estimates", "se")["description"].contains("standard error"));
    }

    #[test]
    fn every_entry_is_complete_and_every_title_fits_a_sheet() {
        for f in FILES {
            assert!(!f.about.is_empty() && !f.columns.is_empty(), "{}", f.path);
            for (var, value) in [
                (Var::Level, "commune"),
                (Var::Level, "area"),
                (Var::Year, "2021"),
            ] {
                let stem = f.stem().replacen(&format!("<{}>", var.name()), value, 1);
                let (vi, en) = f.titles(&stem);
                for t in [&vi, &en] {
                    assert!(t.chars().count() <= 31, "{t}");
                    assert!(!t.contains(|c| "[]:*?/\\".contains(c)), "{t}");
                }
            }
            let mut seen = std::collections::HashSet::new();
            for c in f.columns {
                assert!(seen.insert(c.name), "{}: {} twice", f.path, c.name);
                assert!(
                    !c.vi.is_empty() && !c.en.is_empty() && c.about.ends_with('.'),
                    "{}: {}",
                    f.path,
                    c.name
                );
                assert!(
                    c.vi != c.name,
                    "{}: {} has no Vietnamese label",
                    f.path,
                    c.name
                );
                let numeric = !matches!(c.ty, OutType::Text | OutType::Bool);
                assert_eq!(numeric, !c.unit.is_empty(), "{}: {} unit", f.path, c.name);
            }
        }
    }
}
