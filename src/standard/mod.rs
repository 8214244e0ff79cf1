//! Poverty standards as data: a folder under `indicators/` with a
//! `standard.toml` and one file per indicator. This module holds the checked
//! model; `raw` parses the TOML, `load` validates and compiles it (with
//! `head` for `standard.toml` and `indicator_file` for each indicator),
//! `bundled` carries the standards shipped inside the binary.

pub mod bundled;
pub mod expr;
mod head;
mod indicator_file;
mod load;
mod raw;
pub mod select;
mod weights;
mod words;

pub use load::{load_dir, load_files, SourceFile};
pub use select::{ByYear, Choice};

use crate::exact::rational::Ratio;
use crate::schema::{ColType, TableKind};
use expr::{ColKind, Expr};

/// How income (or score) and the deprivations combine into a class. The
/// rule is said in words once, with a standard's own lines and cut-off, by
/// [`Standard::rule_in_words`]; it is computed in `score::classify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassRule {
    /// Decision 59/2015.
    Union,
    /// Decree 07/2021 and later.
    Intersection,
    /// The global MPI, on the weighted deprivation score alone: see
    /// [`WeightedRule`].
    Weighted,
}

impl ClassRule {
    /// As written in `standard.toml`.
    pub fn name(self) -> &'static str {
        match self {
            ClassRule::Union => "union",
            ClassRule::Intersection => "intersection",
            ClassRule::Weighted => "weighted",
        }
    }
}

/// The weighted rule's cut-offs on the deprivation score c = Σ w_j g_j,
/// all exact fractions: poor iff c ≥ `cutoff`; vulnerable iff
/// `vulnerable` ≤ c < `cutoff`; in severe poverty iff c ≥ `severe`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeightedRule {
    pub cutoff: Ratio,
    pub vulnerable: Option<Ratio>,
    pub severe: Option<Ratio>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomeLines {
    pub poverty: i64,
    pub near_poverty: Option<i64>,
    pub average: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreLines {
    pub poverty: f64,
    pub near_poverty: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRule {
    pub column: String,
    pub points_per_indicator: u32,
    pub deprivation_points: u32,
    pub rural: ScoreLines,
    pub urban: ScoreLines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Household,
    Member,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Combine {
    /// Deprived if at least one eligible member meets the condition.
    Any,
    /// Deprived if there is an eligible member and every eligible member meets it.
    All,
    /// Deprived if the members who are eligible and meet the condition are
    /// more than this share of the household's size (the 2022–2025
    /// dependents indicator: dependents above 50 % of household members).
    /// Compared exactly: count × den > num × size.
    Share(Ratio),
}

impl Combine {
    /// As written in an indicator file: `any`, `all`, `share > 1/2`.
    pub fn describe(self) -> String {
        match self {
            Combine::Any => "any".into(),
            Combine::All => "all".into(),
            Combine::Share(r) => format!("share > {r}"),
        }
    }
}

/// What an unknown indicator result becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingPolicy {
    Unknown,
    NotDeprived,
    Deprived,
}

impl MissingPolicy {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "unknown" => Some(Self::Unknown),
            "not_deprived" => Some(Self::NotDeprived),
            "deprived" => Some(Self::Deprived),
            _ => None,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::NotDeprived => "not_deprived",
            Self::Deprived => "deprived",
        }
    }
}

/// A worked case from an indicator file, run by the tests and by `standards check`.
#[derive(Debug, Clone)]
pub struct Example {
    pub description: String,
    pub household: toml::Table,
    pub members: Option<Vec<toml::Table>>,
    /// `Some(true)` deprived, `Some(false)` not deprived, `None` unknown.
    pub expect: Option<bool>,
    /// Where the example is, `file:line`, for failure messages.
    pub location: String,
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub dimension: String,
    pub dimension_vi: String,
    pub label_vi: String,
    pub label_en: String,
    pub legal_wording_vi: String,
    pub legal_wording_en: String,
    pub confidence: String,
    pub source: String,
    pub notes: String,
    pub level: Level,
    /// Member level only: which members the rule looks at.
    pub eligible: Option<Expr>,
    pub eligible_src: Option<String>,
    pub deprived_if: Expr,
    pub deprived_if_src: String,
    pub combine: Combine,
    pub missing: MissingPolicy,
    /// Exact weight in the deprivation score; the weights of a standard sum to 1.
    pub weight: Ratio,
    /// The indicator belongs to a standard whose indicator set is not
    /// confirmed: its inclusion or its definition is a placeholder.
    pub provisional: bool,
    pub examples: Vec<Example>,
}

impl Indicator {
    /// The indicator's dimension as a reader names it: the standard's
    /// Vietnamese name, or in English from its id ("water_sanitation" →
    /// "Water and sanitation").
    pub fn dimension_label(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::Vi {
            return self.dimension_vi.clone();
        }
        match self.dimension.as_str() {
            "water_sanitation" => "Water and sanitation".into(),
            id => {
                let words = id.replace('_', " ");
                let mut c = words.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect())
                    .unwrap_or_default()
            }
        }
    }

    /// The pre-coded flag column that overrides the rule when present.
    pub fn flag_column(&self) -> String {
        format!("{}{}", crate::schema::DEP_FLAG_PREFIX, self.id)
    }
}

#[derive(Debug, Clone)]
pub struct Standard {
    pub id: String,
    pub version: String,
    pub name_vi: String,
    pub name_en: String,
    pub legal_basis: Vec<String>,
    /// The legal texts as Vietnamese documents cite them, one per entry of
    /// `legal_basis` (empty when the standard gives none).
    pub legal_basis_vi: Vec<String>,
    pub review_years: (i32, i32),
    pub rule: ClassRule,
    /// Count rules: the number of deprived indicators that makes a household
    /// deprivation-poor. 0 under the weighted rule, whose cut-off is a share.
    pub cutoff: u32,
    /// The weighted rule's cut-offs (`rule = "weighted"` only).
    pub weighted: Option<WeightedRule>,
    /// Income lines; all zero and unused under the weighted rule.
    pub rural: IncomeLines,
    pub urban: IncomeLines,
    pub score: Option<ScoreRule>,
    pub notes: String,
    /// The standard itself (its indicator set, lines or rule) is not
    /// confirmed from the legal text; every output that uses it says so.
    pub provisional: bool,
    pub indicators: Vec<Indicator>,
    /// Where it was loaded from: `bundled:<id>` or a folder path.
    pub origin: String,
}

impl Standard {
    /// `vn-2027-2030 1.0.0`, with `(provisional)` when it is.
    pub fn label(&self) -> String {
        format!(
            "{} {}{}",
            self.id,
            self.version,
            if self.provisional {
                " (provisional)"
            } else {
                ""
            }
        )
    }

    pub fn lines(&self, urban: bool) -> &IncomeLines {
        if urban {
            &self.urban
        } else {
            &self.rural
        }
    }
}

/// How a contract column looks to the rule checker.
pub fn col_kind(ty: ColType) -> ColKind {
    match ty {
        ColType::Int | ColType::Float => ColKind::Num,
        ColType::Bool => ColKind::Bool,
        ColType::Code(codes) => ColKind::Code(codes),
        ColType::AdminCode(_) | ColType::Text => ColKind::Str,
    }
}

/// Compile a rule over the columns of `table`; column indices are positions
/// in the contract's column list.
pub fn compile_rule(src: &str, table: TableKind) -> Result<Expr, Vec<expr::ExprError>> {
    let cols = table.columns();
    let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
    let resolve = |name: &str| {
        cols.iter()
            .position(|c| c.name == name)
            .map(|i| (i, col_kind(cols[i].ty)))
    };
    Expr::compile(src, &resolve, &names, true)
}

/// Resolve a standard by bundled id first, then as a folder path.
pub fn resolve(name_or_path: &str) -> crate::error::Result<Standard> {
    if let Some(files) = bundled::files(name_or_path) {
        return load_files(&format!("bundled:{name_or_path}"), &files);
    }
    let path = std::path::Path::new(name_or_path);
    if path.is_dir() {
        return load_dir(path);
    }
    Err(crate::error::Error::Usage(format!(
        "unknown standard `{name_or_path}`: not a bundled standard ({}) and not a folder; \
         run `dachieu standards list` to see the bundled ones",
        bundled::ids().join(", ")
    )))
}
