//! `standard.toml` checked: the rule, review years, cut-off, income and score
//! lines and the list of indicators — every problem reported with its place,
//! each step in its own function. Split from `load.rs`, which assembles the
//! head with the indicator files.

use super::load::{deserialize, report_keys, Problems, SourceFile};
use super::raw::{self, RawStandard, STANDARD_KEYS};
use super::weights;
use super::*;
use crate::schema;
use std::collections::BTreeSet;

/// `standard.toml` checked: the standard (without indicators), the listed
/// indicator ids with their offsets, and where the cut-off and the list are.
pub(super) struct Head {
    pub(super) st: Standard,
    pub(super) listed: Vec<(String, usize)>,
    /// Offset of a count cut-off that parsed (None when already reported).
    pub(super) cutoff_at: Option<usize>,
    pub(super) indicators_at: usize,
}

/// Parse and check `standard.toml`.
pub(super) fn parse_standard(f: &SourceFile, p: &mut Problems) -> Option<Head> {
    // Unknown keys are reported; the rest is still checked.
    report_keys(f, STANDARD_KEYS, p);
    let r: RawStandard = deserialize(f, p)?;
    let rule = parse_rule(f, &r.rule, p);
    legal_basis_vi(f, &r, p);
    let review_years = review_years(f, &r.review_years, p);
    let cutoff = parse_cutoff(f, &r, rule, p);
    if rule != ClassRule::Weighted {
        weights::no_bands(f, &r, p);
    }
    let (rural, urban) = income_lines(f, &r, rule, p);
    let score = score_rule(f, r.score, rule, p);
    let listed = listed_indicators(f, &r.indicators, p);
    let st = Standard {
        id: r.id.get_ref().clone(),
        version: r.version,
        name_vi: r.name_vi,
        name_en: r.name_en,
        legal_basis: r.legal_basis,
        legal_basis_vi: r.legal_basis_vi.map(|v| v.into_inner()).unwrap_or_default(),
        review_years,
        rule,
        cutoff: cutoff.count,
        weighted: cutoff.weighted,
        rural,
        urban,
        score,
        notes: r.notes,
        provisional: r.provisional,
        indicators: Vec::new(),
        origin: String::new(),
    };
    Some(Head {
        st,
        listed,
        cutoff_at: cutoff.count_at,
        indicators_at: r.indicators.span().start,
    })
}

/// `rule = "…"`; an unknown rule is reported and read as union.
fn parse_rule(f: &SourceFile, rule: &toml::Spanned<String>, p: &mut Problems) -> ClassRule {
    match rule.get_ref().as_str() {
        "union" => ClassRule::Union,
        "intersection" => ClassRule::Intersection,
        "weighted" => ClassRule::Weighted,
        other => {
            p.at(
                f,
                rule.span().start,
                format!("unknown rule `{other}`; expected union, intersection or weighted"),
            );
            ClassRule::Union
        }
    }
}

/// `legal_basis_vi`, when given, cites each entry of `legal_basis` in
/// Vietnamese: as many entries, in the same order.
fn legal_basis_vi(f: &SourceFile, r: &RawStandard, p: &mut Problems) {
    let Some(given) = &r.legal_basis_vi else {
        return;
    };
    let (vi, en) = (given.get_ref().len(), r.legal_basis.len());
    if vi != en {
        p.at(
            f,
            given.span().start,
            format!(
                "legal_basis_vi has {vi} entries but legal_basis has {en}: give one Vietnamese citation for each entry of legal_basis, in the same order (or leave legal_basis_vi out)"
            ),
        );
    }
}

/// `review_years = [first, last]`, with first <= last.
fn review_years(f: &SourceFile, years: &toml::Spanned<[i32; 2]>, p: &mut Problems) -> (i32, i32) {
    let [first, last] = *years.get_ref();
    if first > last {
        p.at(
            f,
            years.span().start,
            "review_years must be [first, last] with first <= last",
        );
    }
    (first, last)
}

/// The cut-off as the rule reads it: a count of deprived indicators, or the
/// weighted rule's shares.
struct Cutoff {
    count: u32,
    /// Where a count that parsed is, to check it against the list later.
    count_at: Option<usize>,
    weighted: Option<WeightedRule>,
}

fn parse_cutoff(f: &SourceFile, r: &RawStandard, rule: ClassRule, p: &mut Problems) -> Cutoff {
    let at = r.cutoff.span().start;
    match (rule, r.cutoff.get_ref()) {
        (ClassRule::Weighted, _) => Cutoff {
            count: 0,
            count_at: None,
            weighted: weights::weighted_rule(f, r, p),
        },
        (_, toml::Value::Integer(i)) if (0..=u32::MAX as i64).contains(i) => Cutoff {
            count: *i as u32,
            count_at: Some(at),
            weighted: None,
        },
        (_, other) => {
            p.at(
                f,
                at,
                format!(
                    "cutoff {other} must be a whole number of deprived indicators under rule = \"{}\" (e.g. cutoff = 3); a share such as \"1/3\" goes with rule = \"weighted\"",
                    rule.name()
                ),
            );
            Cutoff {
                count: 0,
                count_at: None,
                weighted: None,
            }
        }
    }
}

const NO_LINES: IncomeLines = IncomeLines {
    poverty: 0,
    near_poverty: None,
    average: None,
};

/// The rural and urban income lines: required by the count rules, refused by
/// the weighted rule (which classifies on the score alone).
fn income_lines(
    f: &SourceFile,
    r: &RawStandard,
    rule: ClassRule,
    p: &mut Problems,
) -> (IncomeLines, IncomeLines) {
    match (&r.income, rule) {
        (Some(inc), ClassRule::Weighted) => {
            p.at(
                f,
                inc.rural.span().start.min(inc.urban.span().start),
                "rule = \"weighted\" classifies on the deprivation score alone: remove the [income.*] tables",
            );
            (NO_LINES, NO_LINES)
        }
        (None, ClassRule::Weighted) => (NO_LINES, NO_LINES),
        (Some(inc), _) => {
            let rural = area_income_lines(f, &inc.rural, "rural", rule, p);
            let urban = area_income_lines(f, &inc.urban, "urban", rule, p);
            (rural, urban)
        }
        (None, _) => {
            p.at(
                f,
                r.rule.span().start,
                format!(
                    "rule = \"{}\" needs income lines: add [income.rural] and [income.urban]",
                    rule.name()
                ),
            );
            (NO_LINES, NO_LINES)
        }
    }
}

/// One area's income lines: poverty not negative, each line set below the
/// next (poverty < near_poverty < average), near_poverty under union.
fn area_income_lines(
    f: &SourceFile,
    spanned: &toml::Spanned<raw::RawIncomeLines>,
    area: &str,
    rule: ClassRule,
    p: &mut Problems,
) -> IncomeLines {
    let l = *spanned.get_ref();
    let at = spanned.span().start;
    if rule == ClassRule::Union && l.near_poverty.is_none() {
        p.at(
            f,
            at,
            format!("income.{area}: the union rule needs near_poverty"),
        );
    }
    if l.poverty < 0 {
        p.at(
            f,
            at,
            format!("income.{area}: poverty must not be negative"),
        );
    }
    let chain = [
        ("poverty", Some(l.poverty)),
        ("near_poverty", l.near_poverty),
        ("average", l.average),
    ];
    let set: Vec<(&str, i64)> = chain
        .into_iter()
        .filter_map(|(n, v)| v.map(|v| (n, v)))
        .collect();
    for w in set.windows(2) {
        if w[0].1 >= w[1].1 {
            p.at(
                f,
                at,
                format!(
                    "income.{area}: {} ({}) must be below {} ({})",
                    w[0].0, w[0].1, w[1].0, w[1].1
                ),
            );
        }
    }
    IncomeLines {
        poverty: l.poverty,
        near_poverty: l.near_poverty,
        average: l.average,
    }
}

/// The review-form score path (`[score]`), checked: refused under the
/// weighted rule, its column a numeric household column, its lines ordered.
fn score_rule(
    f: &SourceFile,
    score: Option<raw::RawScore>,
    rule: ClassRule,
    p: &mut Problems,
) -> Option<ScoreRule> {
    let s = score?;
    if rule == ClassRule::Weighted {
        p.at(
            f,
            s.column.span().start,
            "rule = \"weighted\" has no review-form score path: remove the [score] tables",
        );
    }
    match schema::column(schema::TableKind::Households, s.column.get_ref()) {
        Some(c) if c.ty.is_numeric() => {}
        _ => p.at(
            f,
            s.column.span().start,
            format!(
                "score column `{}` is not a numeric household column of the data contract",
                s.column.get_ref()
            ),
        ),
    }
    let rural = area_score_lines(f, &s.rural, "rural", rule, p);
    let urban = area_score_lines(f, &s.urban, "urban", rule, p);
    if s.points_per_indicator == 0 {
        p.at(f, 0, "score.points_per_indicator must be at least 1");
    }
    Some(ScoreRule {
        column: s.column.get_ref().clone(),
        points_per_indicator: s.points_per_indicator,
        deprivation_points: s.deprivation_points,
        rural,
        urban,
    })
}

/// One area's score lines: near_poverty above poverty, and set under union.
fn area_score_lines(
    f: &SourceFile,
    x: &toml::Spanned<raw::RawScoreLines>,
    area: &str,
    rule: ClassRule,
    p: &mut Problems,
) -> ScoreLines {
    let v = *x.get_ref();
    if rule == ClassRule::Union && v.near_poverty.is_none() {
        p.at(
            f,
            x.span().start,
            format!("score.{area}: the union rule needs near_poverty"),
        );
    }
    if let Some(n) = v.near_poverty {
        if n <= v.poverty {
            p.at(
                f,
                x.span().start,
                format!("score.{area}: near_poverty must be above poverty"),
            );
        }
    }
    ScoreLines {
        poverty: v.poverty,
        near_poverty: v.near_poverty,
    }
}

/// The listed indicator ids with their offsets: at most
/// [`MAX_INDICATORS`](crate::schema::MAX_INDICATORS), none twice.
fn listed_indicators(
    f: &SourceFile,
    list: &toml::Spanned<Vec<toml::Spanned<String>>>,
    p: &mut Problems,
) -> Vec<(String, usize)> {
    let listed: Vec<(String, usize)> = list
        .get_ref()
        .iter()
        .map(|s| (s.get_ref().clone(), s.span().start))
        .collect();
    if listed.len() > crate::schema::MAX_INDICATORS {
        p.at(
            f,
            list.span().start,
            format!(
                "{} indicators are listed; a standard has at most {}",
                listed.len(),
                crate::schema::MAX_INDICATORS
            ),
        );
    }
    let mut uniq = BTreeSet::new();
    for (name, offset) in &listed {
        if !uniq.insert(name) {
            p.at(f, *offset, format!("indicator `{name}` is listed twice"));
        }
    }
    listed
}

#[cfg(test)]
mod tests {
    /// A Vietnamese legal basis must cite every English entry, in order:
    /// one entry short is reported with the file and line.
    #[test]
    fn legal_basis_vi_matches_legal_basis() {
        let mut files = super::super::bundled::files("vn-2016-2020").unwrap();
        let head = files
            .iter_mut()
            .find(|f| f.name.ends_with("standard.toml"))
            .unwrap();
        let last = head.text.find("    \"Nghị định số 07/2021").unwrap();
        let end = last + head.text[last..].find('\n').unwrap() + 1;
        head.text.replace_range(last..end, "");
        let err = super::super::load::load_files("test", &files)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("legal_basis_vi has 2 entries but legal_basis has 3")
                && err.contains("standard.toml:"),
            "{err}"
        );
    }
}
