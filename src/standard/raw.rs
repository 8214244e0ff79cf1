//! The raw layer of a standard: TOML text → serde structs, plus the key check
//! that reports every unknown key with its line (serde alone stops at the
//! first). Nothing here knows what the values mean; `head.rs` and
//! `indicator_file.rs` check that.

use serde::Deserialize;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

#[derive(Debug, Deserialize)]
pub struct RawStandard {
    pub id: Spanned<String>,
    pub version: String,
    pub name_vi: String,
    pub name_en: String,
    #[serde(default)]
    pub legal_basis: Vec<String>,
    /// The same texts as Vietnamese documents cite them, one per entry of
    /// `legal_basis`, in the same order (optional).
    pub legal_basis_vi: Option<Spanned<Vec<String>>>,
    pub review_years: Spanned<[i32; 2]>,
    pub rule: Spanned<String>,
    /// A whole number (count rules) or a fraction in quotes (weighted rule).
    pub cutoff: Spanned<toml::Value>,
    pub indicators: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub provisional: bool,
    pub income: Option<RawIncome>,
    pub score: Option<RawScore>,
    pub bands: Option<RawBands>,
}

/// The weighted rule's bands around the cut-off, as fractions in quotes.
#[derive(Debug, Deserialize)]
pub struct RawBands {
    pub vulnerable: Option<Spanned<toml::Value>>,
    pub severe: Option<Spanned<toml::Value>>,
}

#[derive(Debug, Deserialize)]
pub struct RawIncome {
    pub rural: Spanned<RawIncomeLines>,
    pub urban: Spanned<RawIncomeLines>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
pub struct RawIncomeLines {
    pub poverty: i64,
    pub near_poverty: Option<i64>,
    pub average: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct RawScore {
    pub column: Spanned<String>,
    pub points_per_indicator: u32,
    pub deprivation_points: u32,
    pub rural: Spanned<RawScoreLines>,
    pub urban: Spanned<RawScoreLines>,
}

#[derive(Debug, Deserialize, Clone, Copy)]
pub struct RawScoreLines {
    pub poverty: f64,
    pub near_poverty: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct RawIndicator {
    pub id: Spanned<String>,
    pub dimension: String,
    #[serde(default)]
    pub dimension_vi: String,
    pub label_vi: String,
    pub label_en: String,
    #[serde(default)]
    pub legal_wording_vi: String,
    #[serde(default)]
    pub legal_wording_en: String,
    pub confidence: Spanned<String>,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub notes: String,
    pub level: Spanned<String>,
    pub eligible: Option<Spanned<String>>,
    pub deprived_if: Spanned<String>,
    pub combine: Option<Spanned<String>>,
    pub share_above: Option<Spanned<f64>>,
    #[serde(default)]
    pub provisional: bool,
    pub missing: Option<Spanned<String>>,
    /// A number or a fraction in quotes (`"1/18"`).
    pub weight: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub example: Vec<Spanned<RawExample>>,
}

#[derive(Debug, Deserialize)]
pub struct RawExample {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub household: toml::Table,
    pub members: Option<Vec<toml::Table>>,
    pub expect: Spanned<String>,
}

/// The keys each table of a standard file may hold. A path is the dotted
/// route to a table (`""` for the top, `income.rural`, `example[]`).
pub const STANDARD_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "id",
            "version",
            "name_vi",
            "name_en",
            "legal_basis",
            "legal_basis_vi",
            "review_years",
            "rule",
            "cutoff",
            "indicators",
            "notes",
            "provisional",
            "income",
            "score",
            "bands",
        ],
    ),
    ("bands", &["vulnerable", "severe"]),
    ("income", &["rural", "urban"]),
    ("income.rural", &["poverty", "near_poverty", "average"]),
    ("income.urban", &["poverty", "near_poverty", "average"]),
    (
        "score",
        &[
            "column",
            "points_per_indicator",
            "deprivation_points",
            "rural",
            "urban",
        ],
    ),
    ("score.rural", &["poverty", "near_poverty"]),
    ("score.urban", &["poverty", "near_poverty"]),
];

pub const INDICATOR_KEYS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "id",
            "dimension",
            "dimension_vi",
            "label_vi",
            "label_en",
            "legal_wording_vi",
            "legal_wording_en",
            "confidence",
            "source",
            "notes",
            "level",
            "eligible",
            "deprived_if",
            "combine",
            "share_above",
            "provisional",
            "missing",
            "weight",
            "example",
        ],
    ),
    (
        "example[]",
        &["description", "household", "members", "expect"],
    ),
];

/// Every unknown key in `text`, as (byte offset, message). Syntax errors are
/// returned the same way. Tables whose keys are free (an example's household
/// and members, which hold data columns) are not descended into.
pub fn unknown_keys(text: &str, allowed: &[(&str, &[&str])]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    match DeTable::parse(text) {
        Err(e) => out.push((
            e.span().map(|s| s.start).unwrap_or(0),
            e.message().to_string(),
        )),
        Ok(table) => walk(table.get_ref(), "", allowed, &mut out),
    }
    out.sort();
    out
}

fn walk(
    table: &DeTable<'_>,
    path: &str,
    allowed: &[(&str, &[&str])],
    out: &mut Vec<(usize, String)>,
) {
    let Some((_, keys)) = allowed.iter().find(|(p, _)| *p == path) else {
        return;
    };
    for (key, value) in table.iter() {
        let name: &str = key.get_ref();
        if !keys.contains(&name) {
            let where_ = if path.is_empty() {
                String::new()
            } else {
                format!(" in [{}]", path.trim_end_matches("[]"))
            };
            out.push((
                key.span().start,
                format!(
                    "unknown key `{name}`{where_}; expected one of: {}",
                    keys.join(", ")
                ),
            ));
            continue;
        }
        let child = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        match value.get_ref() {
            DeValue::Table(t) => walk(t, &child, allowed, out),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(t) = item.get_ref() {
                        walk(t, &format!("{child}[]"), allowed, out);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_unknown_key() {
        let text = "id = \"x\"\nfoo = 1\n[[example]]\nexpect = \"deprived\"\nbar = 2\n";
        let found = unknown_keys(text, INDICATOR_KEYS);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].1.contains("`foo`"));
        assert!(found[1].1.contains("`bar`") && found[1].1.contains("[example]"));
    }
}
