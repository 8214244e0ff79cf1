//! One indicator file checked: its id, level, how members combine, its rules
//! compiled with each error placed in the file, its missing-data policy,
//! weight and examples. Split from `load.rs`, which assembles the indicators
//! in the order `standard.toml` lists them.

use super::load::{deserialize, file_stem, report_keys, Problems, SourceFile};
use super::raw::{RawExample, RawIndicator, INDICATOR_KEYS};
use super::weights;
use super::*;
use crate::exact::rational::Ratio;
use crate::schema;

/// An indicator file that parsed; `indicator` is None when a rule failed.
pub(super) struct Parsed {
    pub(super) id: String,
    /// None when the weight was missing or bad (already reported).
    pub(super) weight: Option<Ratio>,
    pub(super) provisional: bool,
    /// Where its id is, for problems found when the standard is assembled.
    pub(super) offset: usize,
    pub(super) file: String,
    pub(super) indicator: Option<Indicator>,
}

pub(super) fn parse_indicator(f: &SourceFile, p: &mut Problems) -> Option<Parsed> {
    report_keys(f, INDICATOR_KEYS, p);
    let r: RawIndicator = deserialize(f, p)?;
    let id = r.id.get_ref().clone();
    check_id(f, &r.id, p);
    if !["confirmed", "secondary", "unconfirmed"].contains(&r.confidence.get_ref().as_str()) {
        p.at(
            f,
            r.confidence.span().start,
            "confidence must be confirmed, secondary or unconfirmed",
        );
    }
    let level = parse_level(f, &r.level, p)?;
    let table = match level {
        Level::Member => schema::TableKind::Members,
        Level::Household => schema::TableKind::Households,
    };
    let combine = parse_combine(f, &r, level, p);
    check_share_above(f, &r.share_above, combine, level, p);
    let eligible = parse_eligible(f, &r.eligible, level, table, p);
    let deprived_if = compile_at(f, &r.deprived_if, table, p);
    let missing = parse_missing(f, &r.missing, p);
    let weight = weights::indicator_weight(f, &r.weight, p);
    let examples = parse_examples(f, &r.example, p);
    let offset = r.id.span().start;
    let provisional = r.provisional;
    let indicator = match (eligible, deprived_if) {
        (Some(eligible), Some(deprived_if)) => Some(Indicator {
            id: id.clone(),
            dimension: r.dimension,
            dimension_vi: r.dimension_vi,
            label_vi: r.label_vi,
            label_en: r.label_en,
            legal_wording_vi: r.legal_wording_vi,
            legal_wording_en: r.legal_wording_en,
            confidence: r.confidence.get_ref().clone(),
            source: r.source,
            notes: r.notes,
            level,
            eligible,
            eligible_src: r.eligible.map(|e| e.get_ref().clone()),
            deprived_if,
            deprived_if_src: r.deprived_if.get_ref().clone(),
            combine,
            missing,
            weight: weight.unwrap_or(Ratio { num: 0, den: 1 }),
            provisional,
            examples,
        }),
        _ => None,
    };
    Some(Parsed {
        id,
        weight,
        provisional,
        offset,
        file: f.name.clone(),
        indicator,
    })
}

/// The id names the file and a column: it must equal the file name and be
/// lower-case letters, digits and `_`.
fn check_id(f: &SourceFile, id: &toml::Spanned<String>, p: &mut Problems) {
    let at = id.span().start;
    let id = id.get_ref();
    if id != file_stem(&f.name) {
        p.at(
            f,
            at,
            format!(
                "id `{id}` must equal the file name `{}`",
                file_stem(&f.name)
            ),
        );
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        || id.is_empty()
    {
        p.at(
            f,
            at,
            "id must be lower-case letters, digits and _ (it names a column)",
        );
    }
}

/// `level`; None (reported) when unknown, since nothing else can be checked.
fn parse_level(f: &SourceFile, level: &toml::Spanned<String>, p: &mut Problems) -> Option<Level> {
    match level.get_ref().as_str() {
        "member" => Some(Level::Member),
        "household" => Some(Level::Household),
        other => {
            p.at(
                f,
                level.span().start,
                format!("unknown level `{other}`; expected member or household"),
            );
            None
        }
    }
}

/// How members' results make the household's (`combine`, with `share_above`
/// for a share); member-level only. A problem is reported and read as any.
fn parse_combine(f: &SourceFile, r: &RawIndicator, level: Level, p: &mut Problems) -> Combine {
    let Some(c) = &r.combine else {
        return Combine::Any;
    };
    if level == Level::Household {
        p.at(
            f,
            c.span().start,
            "combine applies to member-level indicators only",
        );
        return Combine::Any;
    }
    match c.get_ref().as_str() {
        "any" => Combine::Any,
        "all" => Combine::All,
        "share" => share_combine(f, c, &r.share_above, p),
        other => {
            p.at(
                f,
                c.span().start,
                format!("unknown combine `{other}`; expected any, all or share"),
            );
            Combine::Any
        }
    }
}

/// `combine = "share"` with its `share_above`, a share in [0, 1).
fn share_combine(
    f: &SourceFile,
    combine: &toml::Spanned<String>,
    share_above: &Option<toml::Spanned<f64>>,
    p: &mut Problems,
) -> Combine {
    let Some(t) = share_above else {
        p.at(
            f,
            combine.span().start,
            "combine = \"share\" needs share_above (e.g. 0.5: deprived above half of the household)",
        );
        return Combine::Any;
    };
    let v = *t.get_ref();
    match Ratio::from_f64(v) {
        Some(ratio) if (0.0..1.0).contains(&v) => Combine::Share(ratio),
        _ => {
            p.at(
                f,
                t.span().start,
                "share_above must be a share in [0, 1), such as 0.5",
            );
            Combine::Any
        }
    }
}

/// `share_above` without `combine = "share"`, or on a household indicator.
fn check_share_above(
    f: &SourceFile,
    share_above: &Option<toml::Spanned<f64>>,
    combine: Combine,
    level: Level,
    p: &mut Problems,
) {
    let Some(t) = share_above else {
        return;
    };
    if !matches!(combine, Combine::Share(_)) && !matches!(level, Level::Household) {
        p.at(
            f,
            t.span().start,
            "share_above applies only with combine = \"share\"",
        );
    }
    if level == Level::Household {
        p.at(
            f,
            t.span().start,
            "share_above applies to member-level indicators only",
        );
    }
}

/// The `eligible` rule, compiled: Some(None) when there is none (or it is on
/// a household indicator, reported), None when it failed to compile.
fn parse_eligible(
    f: &SourceFile,
    eligible: &Option<toml::Spanned<String>>,
    level: Level,
    table: schema::TableKind,
    p: &mut Problems,
) -> Option<Option<Expr>> {
    match (eligible, level) {
        (Some(e), Level::Member) => compile_at(f, e, table, p).map(Some),
        (Some(e), Level::Household) => {
            p.at(
                f,
                e.span().start,
                "eligible applies to member-level indicators only",
            );
            Some(None)
        }
        (None, _) => Some(None),
    }
}

fn parse_missing(
    f: &SourceFile,
    missing: &Option<toml::Spanned<String>>,
    p: &mut Problems,
) -> MissingPolicy {
    match missing {
        None => MissingPolicy::Unknown,
        Some(m) => MissingPolicy::parse(m.get_ref()).unwrap_or_else(|| {
            p.at(
                f,
                m.span().start,
                "missing must be unknown, not_deprived or deprived",
            );
            MissingPolicy::Unknown
        }),
    }
}

/// The worked examples, each with its `file:line`; one with an unknown
/// `expect` is reported and left out.
fn parse_examples(
    f: &SourceFile,
    raw: &[toml::Spanned<RawExample>],
    p: &mut Problems,
) -> Vec<Example> {
    let mut examples = Vec::new();
    for ex in raw {
        let at = ex.span().start;
        let e = ex.get_ref();
        let expect = match e.expect.get_ref().as_str() {
            "deprived" => Some(true),
            "not_deprived" => Some(false),
            "unknown" => None,
            other => {
                p.at(
                    f,
                    e.expect.span().start,
                    format!("expect `{other}`: use deprived, not_deprived or unknown"),
                );
                continue;
            }
        };
        let (line, _) = expr::line_col(&f.text, at);
        examples.push(Example {
            description: e.description.clone(),
            household: e.household.clone(),
            members: e.members.clone(),
            expect,
            location: format!("{}:{line}", f.name),
        });
    }
    examples
}

/// Where the text of a string value starts, skipping its opening quotes.
fn string_body_offset(text: &str, value_start: usize) -> usize {
    let rest = text.get(value_start..).unwrap_or("");
    for q in ["\"\"\"", "'''"] {
        if let Some(after) = rest.strip_prefix(q) {
            let nl = if after.starts_with("\r\n") {
                2
            } else if after.starts_with('\n') {
                1
            } else {
                0
            };
            return value_start + 3 + nl;
        }
    }
    value_start + 1
}

/// A rule compiled over `table`'s columns; each error placed in the file.
fn compile_at(
    f: &SourceFile,
    src: &toml::Spanned<String>,
    table: schema::TableKind,
    p: &mut Problems,
) -> Option<Expr> {
    match compile_rule(src.get_ref(), table) {
        Ok(e) => Some(e),
        Err(errors) => {
            let base = string_body_offset(&f.text, src.span().start);
            for e in errors {
                p.at(
                    f,
                    base + e.start,
                    format!(
                        "{} (in `{}`, rule over {} columns)",
                        e.message,
                        src.get_ref(),
                        table.name()
                    ),
                );
            }
            None
        }
    }
}
