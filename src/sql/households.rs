//! The household steps of the query: the records joined to their member
//! counts, each indicator (a pre-coded `dep_*` flag as given, else the rule,
//! then the missing-value policy), the deprivation count range and the
//! measure of living standard. Classes are in `classes`.

use super::members::{count_columns, household_value, member_indicators};
use super::{comment_lines, Options, Q};
use crate::score::{MissingOverride, PASS_THROUGH};
use crate::standard::{Indicator, Level, MissingPolicy, Standard};

/// `households_read`: each household with its member counts and its size
/// as the engine reads it (a negative or blank size counts as 0).
pub(super) fn read(q: &Q, st: &Standard) -> String {
    let inds: Vec<&Indicator> = st.indicators.iter().collect();
    let members = member_indicators(&inds);
    let size = q.id("household_size");
    let mut cols = vec![
        "  h.*".to_string(),
        format!(
            "  CASE WHEN h.{size} IS NULL OR h.{size} < 0 THEN 0 ELSE h.{size} END AS {}",
            q.id("size_read")
        ),
    ];
    if members.is_empty() {
        return format!(
            "-- Step 2a: the households (no indicator of this standard reads members).\n\
             SELECT\n{}\nFROM households h",
            cols.join(",\n")
        );
    }
    let listed = q.id("members_listed");
    cols.push(format!("  COALESCE(c.{listed}, 0) AS {listed}"));
    for ind in &members {
        for c in count_columns(ind) {
            let c = q.id(&c);
            cols.push(format!("  COALESCE(c.{c}, 0) AS {c}"));
        }
    }
    let (y, id) = (q.id("survey_year"), q.id("household_id"));
    format!(
        "-- Step 2a: each household with its members' answers counted.\n\
         SELECT\n{}\nFROM households h\n\
         LEFT JOIN member_counts c ON c.{y} = h.{y} AND c.{id} = h.{id}",
        cols.join(",\n")
    )
}

fn policy(ind: &Indicator, opts: &Options) -> MissingPolicy {
    match opts.missing {
        None | Some(MissingOverride::Exclude) => ind.missing,
        Some(MissingOverride::Unknown) => MissingPolicy::Unknown,
        Some(MissingOverride::NotDeprived) => MissingPolicy::NotDeprived,
        Some(MissingOverride::Deprived) => MissingPolicy::Deprived,
    }
}

/// The columns every later step carries along.
pub(super) fn carried(q: &Q, st: &Standard) -> Vec<String> {
    let mut c: Vec<String> = PASS_THROUGH.iter().map(|n| q.id(n)).collect();
    c.push(q.id("size_read"));
    for n in measure_inputs(st) {
        c.push(q.id(n));
    }
    c
}

/// Household columns the measure of living standard reads.
fn measure_inputs(st: &Standard) -> Vec<&str> {
    let mut v = vec!["weight", "income_per_capita_month", "income_total_year"];
    if let Some(s) = &st.score {
        if !v.contains(&s.column.as_str()) {
            v.push(s.column.as_str());
        }
    }
    v
}

/// `household_indicators`: one TRUE / FALSE / NULL column per indicator.
pub(super) fn indicators(q: &Q, st: &Standard, opts: &Options) -> String {
    let hcols = crate::schema::HOUSEHOLD_COLUMNS;
    let mut cols: Vec<String> = carried(q, st).iter().map(|c| format!("  r.{c}")).collect();
    for ind in &st.indicators {
        let mut value = match ind.level {
            Level::Household => ind.deprived_if.to_sql_in(&q.sp, &|i| {
                format!("r.{}", q.id(hcols.get(i).map_or("", |c| c.name)))
            }),
            Level::Member => household_value(q, ind),
        };
        let flag = ind.flag_column();
        if opts.flags.contains(&flag) {
            let f = format!("r.{}", q.id(&flag));
            value = format!("CASE WHEN {f} IS NOT NULL THEN {f} ELSE {value} END");
        }
        let pol = policy(ind, opts);
        value = match pol {
            MissingPolicy::Unknown => value,
            MissingPolicy::NotDeprived => format!("COALESCE({value}, FALSE)"),
            MissingPolicy::Deprived => format!("COALESCE({value}, TRUE)"),
        };
        let mut head = vec![String::new()];
        head.extend(comment_lines(&format!(
            "{} ({}, {}): {} / {}",
            ind.id, ind.dimension, ind.label_vi, ind.label_en, ind.weight
        )));
        head.extend(comment_lines(&format!(
            "Legal wording: {}",
            ind.legal_wording_vi
        )));
        if !ind.legal_wording_en.is_empty() {
            head.extend(comment_lines(&format!(
                "In English: {}",
                ind.legal_wording_en
            )));
        }
        if ind.level == Level::Household {
            head.extend(comment_lines(&format!(
                "Deprived if: {}",
                ind.deprived_if_src
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            )));
        }
        let mut notes = Vec::new();
        if opts.flags.contains(&flag) {
            notes.push(format!("a pre-coded {flag} is used as given"));
        }
        if pol != MissingPolicy::Unknown {
            notes.push(format!("unknown counts as {}", pol.name()));
        }
        if !notes.is_empty() {
            head.extend(comment_lines(&notes.join("; ")));
        }
        cols.push(format!(
            "{}\n  {value} AS {}",
            head.join("\n  "),
            q.id(&ind.id)
        ));
    }
    format!(
        "-- Step 2b: the household's indicators: TRUE deprived, FALSE not, NULL unknown.\n\
         SELECT\n{}\nFROM households_read r",
        cols.join(",\n")
    )
}

/// The weights of a weighted standard as numerators over their common
/// denominator, and the distinct values among them (the reachability of a
/// score depends only on how many unknowns of each value a household has).
pub(super) struct Scaled {
    pub den: i64,
    pub each: Vec<i64>,
    pub distinct: Vec<(i64, usize)>,
}

pub(super) fn scaled(st: &Standard) -> Scaled {
    let den = st
        .indicators
        .iter()
        .fold(1i64, |l, i| crate::exact::rational::lcm(l, i.weight.den));
    let each: Vec<i64> = st
        .indicators
        .iter()
        .map(|i| i.weight.num * (den / i.weight.den))
        .collect();
    let mut distinct: Vec<(i64, usize)> = Vec::new();
    for w in &each {
        match distinct.iter_mut().find(|(v, _)| v == w) {
            Some(d) => d.1 += 1,
            None => distinct.push((*w, 1)),
        }
    }
    Scaled {
        den,
        each,
        distinct,
    }
}

/// `household_counts`: the deprivation count range, the unknown indicators,
/// (weighted rule) the score range as numerators, and the measure.
pub(super) fn counts(q: &Q, st: &Standard) -> String {
    let ids: Vec<String> = st.indicators.iter().map(|i| q.id(&i.id)).collect();
    let sum =
        |f: &dyn Fn(&String) -> String| ids.iter().map(f).collect::<Vec<_>>().join("\n    + ");
    let mut cols: Vec<String> = carried(q, st).iter().map(|c| format!("  {c}")).collect();
    cols.extend(ids.iter().map(|c| format!("  {c}")));
    cols.push(format!(
        "  -- deprived for certain, and deprived if every unknown were\n  \
         {} AS {},\n  {} AS {}",
        sum(&|c| format!("CASE WHEN {c} THEN 1 ELSE 0 END")),
        q.id("deprivations_min"),
        sum(&|c| format!("CASE WHEN NOT {c} THEN 0 ELSE 1 END")),
        q.id("deprivations_max")
    ));
    cols.push(format!(
        "  {} AS {}",
        sum(&|c| format!("CASE WHEN {c} IS NULL THEN 1 ELSE 0 END")),
        q.id("unknown_count")
    ));
    let names = st
        .indicators
        .iter()
        .zip(&ids)
        .map(|(i, c)| {
            let lit = format!("';{}'", i.id.replace('\'', "''"));
            format!("CASE WHEN {c} IS NULL THEN {lit} ELSE '' END")
        })
        .collect::<Vec<_>>()
        .join("\n    || ");
    cols.push(format!(
        "  NULLIF({}, '') AS {}",
        q.sp.from_second(&format!("({names})")),
        q.id("unknown_indicators")
    ));
    let measure = if st.weighted.is_some() {
        let sc = scaled(st);
        let w = |f: &dyn Fn(&String) -> String| {
            ids.iter()
                .zip(&sc.each)
                .map(|(c, w)| format!("{w} * {}", f(c)))
                .collect::<Vec<_>>()
                .join("\n    + ")
        };
        cols.push(format!(
            "  -- the weighted score range, as numerators over {}\n  {} AS {},\n  {} AS {}",
            sc.den,
            w(&|c| format!("(CASE WHEN {c} THEN 1 ELSE 0 END)")),
            q.id("score_min"),
            w(&|c| format!("(CASE WHEN NOT {c} THEN 0 ELSE 1 END)")),
            q.id("score_max")
        ));
        for (g, (value, _)) in sc.distinct.iter().enumerate() {
            let n = ids
                .iter()
                .zip(&sc.each)
                .filter(|(_, w)| *w == value)
                .map(|(c, _)| format!("CASE WHEN {c} IS NULL THEN 1 ELSE 0 END"))
                .collect::<Vec<_>>()
                .join(" + ");
            cols.push(format!(
                "  -- unknown indicators of weight {value}/{}\n  {n} AS {}",
                sc.den,
                q.id(&format!("unknown_w{}", g + 1))
            ));
        }
        format!("'{}'", crate::score::MEASURE_SCORE)
    } else {
        let mut arms = Vec::new();
        if let Some(s) = &st.score {
            arms.push(format!("WHEN {} IS NOT NULL THEN 'score'", q.id(&s.column)));
        }
        arms.push(format!(
            "WHEN {} IS NOT NULL THEN 'income_per_capita'",
            q.id("income_per_capita_month")
        ));
        arms.push(format!(
            "WHEN {} IS NOT NULL THEN 'income_total'",
            q.id("income_total_year")
        ));
        format!("CASE {} END", arms.join("\n    "))
    };
    cols.push(format!(
        "  -- the review-form score when the standard has one and the record carries it,\n  \
         -- else income per capita, else total income\n  {measure} AS {}",
        q.id("measure")
    ));
    format!(
        "-- Step 3: the deprivation count: a range when indicators are unknown.\n\
         SELECT\n{}\nFROM household_indicators",
        cols.join(",\n")
    )
}
