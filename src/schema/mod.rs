//! The input data contract: every column dachieu knows, its type, its codes and
//! its Vietnamese aliases. Ingest validates against it, the standard loader
//! type-checks rules against it, and `data-samples/README.md` documents it.
//! One table of facts, so the three can never disagree.

mod columns;
pub mod labels;
pub mod outputs;

pub use columns::{HOUSEHOLD_COLUMNS, MEMBER_COLUMNS};

/// The most indicators a standard may have: a household's deprivations
/// are read as the bits of one word.
pub const MAX_INDICATORS: usize = 64;

/// The household columns that place a household in a unit: the grouping
/// columns every scored file carries.
pub const GROUP_COLUMNS: [&str; 4] = ["province_code", "district_code", "commune_code", "area"];

/// Which of the two input tables a column belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    Households,
    Members,
}

impl TableKind {
    pub fn name(self) -> &'static str {
        match self {
            TableKind::Households => "households",
            TableKind::Members => "members",
        }
    }
    pub fn columns(self) -> &'static [ColumnSpec] {
        match self {
            TableKind::Households => HOUSEHOLD_COLUMNS,
            TableKind::Members => MEMBER_COLUMNS,
        }
    }
}

/// The storage and expression type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Whole number (VND, years, counts). Stored as Int64.
    Int,
    /// Real number (floor area, weight, score). Stored as Float64.
    Float,
    /// Yes/no. Accepts 1/0, true/false, yes/no, có/không, x/blank-is-missing.
    Bool,
    /// One of a closed list of codes. Stored as Utf8, always the canonical code.
    Code(&'static [&'static str]),
    /// An administrative code: digits only, zero-padded to the given width.
    AdminCode(usize),
    /// Free text (identifiers, strata, PSUs).
    Text,
}

impl ColType {
    pub fn describe(self) -> String {
        match self {
            ColType::Int => "whole number".into(),
            ColType::Float => "number".into(),
            ColType::Bool => "yes/no (1/0, true/false, yes/no, có/không)".into(),
            ColType::Code(codes) => format!("one of: {}", codes.join(", ")),
            ColType::AdminCode(w) => format!("{w}-digit administrative code"),
            ColType::Text => "text".into(),
        }
    }
    /// Whether values compare as numbers in rules.
    pub fn is_numeric(self) -> bool {
        matches!(self, ColType::Int | ColType::Float)
    }
}

/// A range check on a numeric column: what is impossible, in plain words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Range {
    pub min: Option<f64>,
    /// Whether `min` itself is allowed.
    pub min_inclusive: bool,
    pub max: Option<f64>,
}

impl Range {
    pub const NON_NEGATIVE: Range = Range {
        min: Some(0.0),
        min_inclusive: true,
        max: None,
    };
    pub const POSITIVE: Range = Range {
        min: Some(0.0),
        min_inclusive: false,
        max: None,
    };

    /// Whether `v` is allowed: exactly when `check` gives no reason.
    #[inline]
    pub fn allows(&self, v: f64) -> bool {
        let low = match self.min {
            Some(min) if self.min_inclusive => v < min,
            Some(min) => v <= min,
            None => false,
        };
        !low && !self.max.is_some_and(|max| v > max)
    }

    /// `None` when `v` is allowed, otherwise the reason in plain words.
    pub fn check(&self, v: f64) -> Option<String> {
        if let Some(min) = self.min {
            if self.min_inclusive && v < min {
                return Some(format!("must be at least {min}"));
            }
            if !self.min_inclusive && v <= min {
                return Some(format!("must be greater than {min}"));
            }
        }
        if let Some(max) = self.max {
            if v > max {
                return Some(format!("must be at most {max}"));
            }
        }
        None
    }
}

/// One column of the contract.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub name: &'static str,
    pub ty: ColType,
    pub required: bool,
    /// Other accepted header names (Vietnamese, with and without diacritics).
    pub aliases: &'static [&'static str],
    pub range: Option<Range>,
    /// For `Code` columns: accepted spellings mapped to canonical codes.
    pub code_aliases: &'static [(&'static str, &'static str)],
    /// One line for the data dictionary and for error messages.
    pub doc: &'static str,
}

/// Position of a column in `table`'s contract. The handful of key columns
/// looked up for every row are answered without a search.
#[inline]
pub fn position(table: TableKind, name: &str) -> Option<usize> {
    use std::sync::OnceLock;
    static KEYS: OnceLock<[[Option<usize>; 5]; 2]> = OnceLock::new();
    const NAMES: [&str; 5] = [
        "survey_year",
        "household_id",
        "member_id",
        "province_code",
        "birth_year",
    ];
    let keys = KEYS.get_or_init(|| {
        [TableKind::Households, TableKind::Members]
            .map(|t| NAMES.map(|n| t.columns().iter().position(|c| c.name == n)))
    });
    let t = match table {
        TableKind::Households => 0,
        TableKind::Members => 1,
    };
    match NAMES.iter().position(|n| *n == name) {
        Some(k) => keys[t][k],
        None => table.columns().iter().position(|c| c.name == name),
    }
}

/// Find a column of `table` by its canonical name.
pub fn column(table: TableKind, name: &str) -> Option<&'static ColumnSpec> {
    table.columns().iter().find(|c| c.name == name)
}

/// Normalise a header for matching: trim, lower-case, spaces and dashes to
/// underscores, so `Mã tỉnh`, `ma_tinh` and `MA TINH` compare sensibly.
pub fn normalise_header(h: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Decomposed text (NFD: a Mac, a Windows-1258 file) is composed first,
    // so `năm` matches `năm` however its tone marks were typed.
    h.trim()
        .trim_start_matches('\u{feff}')
        .nfc()
        .flat_map(char::to_lowercase)
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Resolve an input header to a contract column (canonical name, alias,
/// or the template's label in either language, `labels::LABELS`).
pub fn resolve_header(table: TableKind, header: &str) -> Option<&'static ColumnSpec> {
    let h = normalise_header(header);
    table.columns().iter().find(|c| means(c, &h))
}

/// Whether the normalised header `h` names `c`.
fn means(c: &ColumnSpec, h: &str) -> bool {
    c.name == h
        || c.aliases.iter().any(|a| normalise_header(a) == h)
        || labels::is_label_of(c.name, h)
}

/// Names the scored file gives its own columns: a household column outside
/// the contract is not kept under one of them (nor under a name starting
/// with `__`, which marks ingest's internal columns).
pub const RESERVED_NAMES: &[&str] = &[
    "hh_index",
    "class",
    "poor_path",
    "measure",
    "possible_classes",
    "unknown_indicators",
    "deprivations_min",
    "deprivations_max",
    "deprivation_score_min",
    "deprivation_score_max",
    "severe",
];

/// Household columns the review knows but rules never read, kept (as
/// text) only when the input has them: so they are not in the contract's
/// fixed list, which every dataset stores in full and rules may read.
/// Their Vietnamese headers map to one name each; `ethnic_minority` is
/// checked as yes/no and kept as `yes` / `no`. The names of people
/// (`head_name`) and addresses go only into follow-up lists: `--by`
/// refuses them (`table::by`).
pub static KEPT_COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        name: "ethnic_minority",
        ty: ColType::Bool,
        required: false,
        aliases: &["dan_toc_thieu_so", "dân_tộc_thiểu_số", "dtts", "ho_dtts", "hộ_dtts"],
        range: None,
        code_aliases: &[],
        doc: "The household is an ethnic-minority household (hộ dân tộc thiểu số, DTTS): its head is of one of the 53 ethnic groups other than Kinh. Yes/no.",
    },
    ColumnSpec {
        name: "village",
        ty: ColType::Text,
        required: false,
        aliases: &["thon", "thôn", "ap", "ấp", "ban", "bản", "to_dan_pho", "tổ_dân_phố", "thon_ban", "thôn_bản"],
        range: None,
        code_aliases: &[],
        doc: "Village or residential group below the commune (thôn, ấp, bản, tổ dân phố), as written.",
    },
    ColumnSpec {
        name: "head_name",
        ty: ColType::Text,
        required: false,
        aliases: &["ho_ten_chu_ho", "họ_tên_chủ_hộ", "chu_ho", "chủ_hộ", "ten_chu_ho", "tên_chủ_hộ"],
        range: None,
        code_aliases: &[],
        doc: "Full name of the household head. For follow-up lists only: never in a table, chart or report.",
    },
    ColumnSpec {
        name: "address",
        ty: ColType::Text,
        required: false,
        aliases: &["dia_chi", "địa_chỉ"],
        range: None,
        code_aliases: &[],
        doc: "Address of the household. For follow-up lists only: never in a table, chart or report.",
    },
    ColumnSpec {
        name: "admin_scheme",
        ty: ColType::Code(ADMIN_SCHEMES),
        required: false,
        aliases: &["he_don_vi_hanh_chinh", "hệ_đơn_vị_hành_chính", "don_vi_hanh_chinh", "đơn_vị_hành_chính"],
        range: None,
        code_aliases: &[
            ("63_tinh", "63"),
            ("63_tỉnh", "63"),
            ("truoc_sap_nhap", "63"),
            ("trước_sáp_nhập", "63"),
            ("34_tinh", "34"),
            ("34_tỉnh", "34"),
            ("sau_sap_nhap", "34"),
            ("sau_sáp_nhập", "34"),
        ],
        doc: "Which administrative units the row's codes are in: 63 (the 63 provinces with districts, until 30/06/2025) or 34 (the 34 provincial units and their communes, no districts, from 01/07/2025). Blank or absent: by survey year, 2025 and later in the 34-unit scheme. All rows of a year must agree.",
    },
];

/// The `admin_scheme` codes: the 63-province and the 34-unit scheme.
pub const ADMIN_SCHEMES: &[&str] = &["63", "34"];

/// A known kept column (`KEPT_COLUMNS`) by its name or an alias.
pub fn resolve_kept(header: &str) -> Option<&'static ColumnSpec> {
    let h = normalise_header(header);
    KEPT_COLUMNS.iter().find(|c| means(c, &h))
}

/// Why a household column outside the contract, its header normalised
/// (`normalise_header`), cannot be kept; `None` when it is kept as text
/// (an "extra" column, carried into the scored file for `--by`, `--where`
/// and the follow-up lists).
pub fn extra_column_refusal(norm: &str) -> Option<String> {
    if norm.is_empty() {
        return Some("it has no name".into());
    }
    if ["stt", "số_thứ_tự", "so_thu_tu"].contains(&norm) {
        return Some("it is a row number (số thứ tự), not a fact about the household".into());
    }
    if norm.starts_with("__") || RESERVED_NAMES.contains(&norm) {
        return Some(format!(
            "`{norm}` is a name dachieu gives a column of its own outputs; rename it (e.g. `my_{}`) to keep it",
            norm.trim_start_matches('_')
        ));
    }
    if norm
        .chars()
        .any(|c| c.is_control() || ",=\"'/\\:*?<>|()!".contains(c))
    {
        return Some(format!(
            "its name `{}` holds a control character or one of , = \" ' / \\ : * ? < > | ( ) !; rename it to keep it",
            norm.escape_debug()
        ));
    }
    None
}

/// Whether a household dataset or scored-file column is an extra column
/// kept from the input (not the contract's, not a `dep_*` flag, not one
/// of dachieu's own).
pub fn is_extra_column(name: &str) -> bool {
    column(TableKind::Households, name).is_none()
        && !name.starts_with(DEP_FLAG_PREFIX)
        && extra_column_refusal(name).is_none()
}

/// Names of the pre-coded deprivation flag columns (`dep_<indicator>`):
/// these are accepted for any indicator id, so they are not in the fixed list.
pub const DEP_FLAG_PREFIX: &str = "dep_";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_aliases_and_labels_are_unique_per_table() {
        let kept = KEPT_COLUMNS.iter();
        let households = HOUSEHOLD_COLUMNS.iter().chain(kept);
        let tables: [Vec<&ColumnSpec>; 2] = [households.collect(), MEMBER_COLUMNS.iter().collect()];
        for t in tables {
            // Each header a column answers to belongs to it alone.
            let mut owner = std::collections::HashMap::new();
            for c in t {
                let label =
                    labels::label(c.name).unwrap_or_else(|| panic!("{} has no label", c.name));
                let mut own = std::collections::HashSet::new();
                let headers = (std::iter::once(c.name.to_string()))
                    .chain(c.aliases.iter().map(|a| a.to_string()))
                    .chain(label.headers());
                for h in headers {
                    let n = normalise_header(&h);
                    if own.insert(n.clone()) {
                        assert_eq!(owner.insert(n, c.name), None, "{h} means two columns");
                    }
                }
            }
        }
        // And no label is left over from a column that is gone.
        for l in labels::LABELS {
            let known = column(TableKind::Households, l.name)
                .or_else(|| column(TableKind::Members, l.name))
                .or_else(|| KEPT_COLUMNS.iter().find(|c| c.name == l.name));
            assert!(known.is_some(), "label of unknown column {}", l.name);
        }
    }

    #[test]
    fn template_labels_resolve_with_and_without_unit() {
        let c = resolve_header(
            TableKind::Households,
            "Thu nhập bình quân đầu người/tháng (đồng)",
        );
        assert_eq!(c.map(|c| c.name), Some("income_per_capita_month"));
        let c = resolve_header(TableKind::Households, "thu nhập bình quân đầu người/tháng");
        assert_eq!(c.map(|c| c.name), Some("income_per_capita_month"));
        let c = resolve_header(TableKind::Members, "Years of schooling (years)");
        assert_eq!(c.map(|c| c.name), Some("years_schooling"));
        assert_eq!(
            resolve_kept("Họ tên chủ hộ").map(|c| c.name),
            Some("head_name")
        );
        assert!(resolve_header(TableKind::Households, "Thu nhập (đồng)").is_none());
    }

    #[test]
    fn resolves_vietnamese_alias() {
        let c = resolve_header(TableKind::Households, " Ma_Tinh ").unwrap();
        assert_eq!(c.name, "province_code");
        assert!(resolve_header(TableKind::Households, "\u{feff}survey_year").is_some());
        // `năm` decomposed (a + combining breve, as NFD writes it).
        let nfd = "na\u{306}m";
        assert_eq!(
            resolve_header(TableKind::Households, nfd).map(|c| c.name),
            Some("survey_year")
        );
        assert_eq!(
            normalise_header("Nông Thôn"),
            normalise_header("No\u{302}ng Tho\u{302}n")
        );
    }

    #[test]
    fn kept_columns_never_shadow_the_contract() {
        // A kept column's name or alias is no contract header, so a file
        // with both keeps each; and it is kept, not refused.
        for c in KEPT_COLUMNS {
            for h in std::iter::once(&c.name).chain(c.aliases) {
                assert!(resolve_header(TableKind::Households, h).is_none(), "{h}");
                assert_eq!(resolve_kept(h).map(|k| k.name), Some(c.name), "{h}");
            }
            assert!(extra_column_refusal(c.name).is_none() && is_extra_column(c.name));
        }
        assert_eq!(resolve_kept("Thôn").map(|c| c.name), Some("village"));
        assert!(extra_column_refusal("class").is_some());
        assert!(extra_column_refusal("__x").is_some());
        assert!(extra_column_refusal("a/b").is_some());
        assert!(extra_column_refusal("mã_riêng").is_none());
        assert!(!is_extra_column("dep_latrine") && !is_extra_column("weight"));
    }

    #[test]
    fn range_boundaries() {
        assert!(Range::POSITIVE.check(0.0).is_some());
        assert!(Range::POSITIVE.check(0.01).is_none());
        assert!(Range::NON_NEGATIVE.check(0.0).is_none());
        assert!(Range::NON_NEGATIVE.check(-1.0).is_some());
        let ranges = [
            Range::NON_NEGATIVE,
            Range::POSITIVE,
            Range {
                min: Some(1.0),
                min_inclusive: true,
                max: Some(120.0),
            },
            Range {
                min: None,
                min_inclusive: false,
                max: Some(5.0),
            },
        ];
        for r in ranges {
            for v in [-1.0, 0.0, 0.5, 1.0, 5.0, 5.5, 120.0, 121.0, f64::NAN] {
                assert_eq!(r.allows(v), r.check(v).is_none(), "{r:?} {v}");
            }
        }
    }
}
