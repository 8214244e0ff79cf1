//! The member steps of the query: each member's answer to each member-level
//! indicator (under both readings of an age given without a birth year, or
//! a birth year without an age), then those answers counted per household.
//! The household step turns the counts into the indicator with the engine's
//! three-valued rules (`score::indicator::evaluate`).

use super::{comment_lines, Q};
use crate::standard::{Combine, Indicator, Level};

/// Member columns whose value the second reading replaces.
const AGE: &str = "age";
const BIRTH_YEAR: &str = "birth_year";

pub(super) fn member_indicators<'a>(inds: &[&'a Indicator]) -> Vec<&'a Indicator> {
    inds.iter()
        .copied()
        .filter(|i| i.level == Level::Member)
        .collect()
}

/// Whether a member rule reads the age or the birth year (then it is
/// evaluated under both readings; otherwise once).
fn reads_age(ind: &Indicator) -> bool {
    let cols = crate::schema::MEMBER_COLUMNS;
    let mut used = ind.deprived_if.columns();
    if let Some(e) = &ind.eligible {
        used.extend(e.columns());
    }
    used.iter()
        .filter_map(|&i| cols.get(i))
        .any(|c| c.name == AGE || c.name == BIRTH_YEAR)
}

/// A member rule rendered under reading 1 or 2 (0: the columns as given).
fn rule(q: &Q, e: &crate::standard::expr::Expr, reading: u8) -> String {
    let cols = crate::schema::MEMBER_COLUMNS;
    e.to_sql_in(&q.sp, &|i| {
        let name = cols.get(i).map_or("", |c| c.name);
        if reading > 0 && (name == AGE || name == BIRTH_YEAR) {
            q.id(&format!("reading{reading}_{name}"))
        } else {
            q.id(name)
        }
    })
}

/// Both readings' answers when they agree, unknown when they differ
/// (`CASE WHEN a = b` is NULL when either is, as the engine's `agree`).
fn agree(ind: &Indicator, f: &dyn Fn(u8) -> String) -> String {
    if reads_age(ind) {
        let (a, b) = (f(1), f(2));
        format!("CASE WHEN {a} = {b} THEN {a} END")
    } else {
        f(0)
    }
}

fn eligible(q: &Q, ind: &Indicator, reading: u8) -> String {
    ind.eligible
        .as_ref()
        .map_or("TRUE".to_string(), |e| rule(q, e, reading))
}

/// The `member_readings`, `member_answers` and `member_counts` CTEs.
pub(super) fn ctes(q: &Q, inds: &[&Indicator]) -> Vec<(String, String)> {
    let y = q.id("survey_year");
    let mut answers = vec![format!("  {y}"), format!("  {}", q.id("household_id"))];
    let mut counts = vec![
        format!("  {y}"),
        format!("  {}", q.id("household_id")),
        format!("  COUNT(*) AS {}", q.id("members_listed")),
    ];
    for ind in inds {
        indicator_columns(q, ind, &mut answers, &mut counts);
    }
    vec![
        ("member_readings".into(), readings(q)),
        (
            "member_answers".into(),
            format!(
                "-- Step 1b: each member's answer to each member-level indicator:\n\
                 -- TRUE (eligible and deprived), FALSE, or NULL (unknown).\n\
                 SELECT\n{}\nFROM member_readings",
                answers.join(",\n")
            ),
        ),
        (
            "member_counts".into(),
            format!(
                "-- Step 1c: per household, how many members answered yes, no or unknown.\n\
                 SELECT\n{}\nFROM member_answers\nGROUP BY {y}, {}",
                counts.join(",\n"),
                q.id("household_id")
            ),
        ),
    ]
}

/// Step 1a: each member with two readings of its age and birth year.
fn readings(q: &Q) -> String {
    let (y, a, b) = (q.id("survey_year"), q.id(AGE), q.id(BIRTH_YEAR));
    let clamp = |x: String| format!("CASE WHEN {x} < 0 THEN 0 ELSE {x} END");
    let only_birth = format!("{y} IS NOT NULL AND {a} IS NULL AND {b} IS NOT NULL");
    let only_age = format!("{y} IS NOT NULL AND {a} IS NOT NULL AND {b} IS NULL");
    format!(
        "-- Step 1a: members, each with two readings of its age. Someone with a birth year\n\
         -- but no age is {y} − birth − 1 (before the birthday) or {y} − birth (after it);\n\
         -- someone with an age but no birth year was born in {y} − age − 1 or {y} − age.\n\
         -- A rule that gives different answers under the two readings is unknown.\n\
         SELECT m.*,\n  \
         CASE WHEN {only_birth} THEN {} ELSE {a} END AS {},\n  \
         CASE WHEN {only_birth} THEN {y} - {b} ELSE {a} END AS {},\n  \
         CASE WHEN {only_age} THEN {} ELSE {b} END AS {},\n  \
         CASE WHEN {only_age} THEN {y} - {a} ELSE {b} END AS {}\n\
         FROM members m",
        clamp(format!("{y} - {b} - 1")),
        q.id("reading1_age"),
        q.id("reading2_age"),
        clamp(format!("{y} - {a} - 1")),
        q.id("reading1_birth_year"),
        q.id("reading2_birth_year"),
    )
}

/// One member-level indicator's answer columns (with a comment saying what
/// it reads) and its per-household count columns.
fn indicator_columns(q: &Q, ind: &Indicator, answers: &mut Vec<String>, counts: &mut Vec<String>) {
    let yes = |c: &str| format!("COUNT(CASE WHEN {c} THEN 1 END)");
    let no = |c: &str| format!("COUNT(CASE WHEN NOT {c} THEN 1 END)");
    let unknown = |c: &str| format!("COUNT(CASE WHEN {c} IS NULL THEN 1 END)");
    let mut head = comment_lines(&format!(
        "{}: {} — eligible: {}; deprived if: {}; combined: {}",
        ind.id,
        ind.label_en,
        ind.eligible_src.as_deref().unwrap_or("every member"),
        ind.deprived_if_src
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        ind.combine.describe()
    ));
    head.insert(0, String::new());
    let head = head.join("\n  ");
    match ind.combine {
        Combine::Any | Combine::Share(_) => {
            let deprived = |r: u8| {
                format!(
                    "({} AND {})",
                    eligible(q, ind, r),
                    rule(q, &ind.deprived_if, r)
                )
            };
            let col = q.id(&format!("{}_member", ind.id));
            answers.push(format!("{head}\n  {} AS {col}", agree(ind, &deprived)));
            counts.push(format!(
                "  {} AS {}",
                yes(&col),
                q.id(&format!("{}_yes", ind.id))
            ));
            counts.push(format!(
                "  {} AS {}",
                unknown(&col),
                q.id(&format!("{}_unknown", ind.id))
            ));
        }
        Combine::All => {
            let (e, h) = (
                q.id(&format!("{}_eligible", ind.id)),
                q.id(&format!("{}_holds", ind.id)),
            );
            let holds = |r: u8| {
                format!(
                    "((NOT {}) OR {})",
                    eligible(q, ind, r),
                    rule(q, &ind.deprived_if, r)
                )
            };
            answers.push(format!(
                "{head}\n  {} AS {e},\n  {} AS {h}",
                agree(ind, &|r| eligible(q, ind, r)),
                agree(ind, &holds)
            ));
            for (expr, name) in [
                (yes(&e), "eligible_yes"),
                (unknown(&e), "eligible_unknown"),
                (no(&h), "holds_no"),
                (unknown(&h), "holds_unknown"),
            ] {
                counts.push(format!(
                    "  {expr} AS {}",
                    q.id(&format!("{}_{name}", ind.id))
                ));
            }
        }
    }
}

/// The names of the count columns `member_counts` gives for an indicator.
pub(super) fn count_columns(ind: &Indicator) -> Vec<String> {
    let names: &[&str] = match ind.combine {
        Combine::Any | Combine::Share(_) => &["yes", "unknown"],
        Combine::All => &[
            "eligible_yes",
            "eligible_unknown",
            "holds_no",
            "holds_unknown",
        ],
    };
    names.iter().map(|n| format!("{}_{n}", ind.id)).collect()
}

/// The indicator from its member counts, read from `households_read` as
/// `r`, with the engine's rules: members without a record (fewer records
/// than `household_size`) are unknown answers; `all` needs an eligible
/// member; `share` compares count × den with num × size in integers.
pub(super) fn household_value(q: &Q, ind: &Indicator) -> String {
    let c = |n: &str| format!("r.{}", q.id(&format!("{}_{n}", ind.id)));
    let (listed, size) = (
        format!("r.{}", q.id("members_listed")),
        format!("r.{}", q.id("size_read")),
    );
    let missing = format!("{listed} < {size}");
    match ind.combine {
        Combine::Any => format!(
            "CASE WHEN {} > 0 THEN TRUE WHEN {} > 0 OR {missing} THEN NULL ELSE FALSE END",
            c("yes"),
            c("unknown")
        ),
        Combine::All => format!(
            "(CASE WHEN {} > 0 THEN TRUE WHEN {} > 0 OR {missing} THEN NULL ELSE FALSE END)\n    \
             AND (CASE WHEN {} > 0 THEN FALSE WHEN {} > 0 OR {missing} THEN NULL ELSE TRUE END)",
            c("eligible_yes"),
            c("eligible_unknown"),
            c("holds_no"),
            c("holds_unknown")
        ),
        Combine::Share(r) => {
            let s = format!("(CASE WHEN {size} > {listed} THEN {size} ELSE {listed} END)");
            format!(
                "CASE WHEN {yes} * {den} > {num} * {s} THEN TRUE\n    \
                 WHEN ({yes} + {unk} + {s} - {listed}) * {den} <= {num} * {s} THEN FALSE END",
                yes = c("yes"),
                unk = c("unknown"),
                den = r.den,
                num = r.num
            )
        }
    }
}
