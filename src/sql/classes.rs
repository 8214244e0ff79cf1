//! The class steps of the query, after `score::classify`: where the measure
//! sits against the lines, the class at both ends of the deprivation range,
//! and the class itself — `undetermined` with its possible classes when the
//! two ends differ. Count rules (union, intersection) and the weighted rule
//! each have their own steps; both end in `households_scored`, with the
//! scored file's columns.

use super::households::{carried, scaled, Scaled};
use super::{Options, Q};
use crate::exact::rational::Ratio;
use crate::score::classify::{self, Class};
use crate::score::MissingOverride;
use crate::standard::{ClassRule, IncomeLines, ScoreLines, Standard, WeightedRule};

/// `CASE WHEN urban THEN a ELSE b END`, or one of them when they are equal.
fn by_area(q: &Q, urban: String, rural: String) -> String {
    if urban == rural {
        urban
    } else {
        format!(
            "CASE WHEN {} = 'urban' THEN {urban} ELSE {rural} END",
            q.id("area")
        )
    }
}

/// A score line as an exact DOUBLE literal (`1.2e2`), in every dialect.
fn double(x: f64) -> String {
    format!("{x:e}")
}

/// Picks one line (poverty, near-poverty) from a score rule's lines.
type ScoreLine<'a> = &'a dyn Fn(&ScoreLines) -> Option<f64>;

/// Count rules: `household_position` (is the measure ≤ each line, is the
/// household deprived at each end of its range), then the two classes.
fn position(q: &Q, st: &Standard) -> String {
    let m = q.id("measure");
    let size = q.id("size_read");
    let le = |pick: &dyn Fn(&IncomeLines) -> Option<i64>, score_pick: Option<ScoreLine<'_>>| {
        let mut arms = Vec::new();
        if let (Some(s), Some(sp)) = (&st.score, score_pick) {
            let line = by_area(
                q,
                sp(&s.urban).map_or("NULL".into(), double),
                sp(&s.rural).map_or("NULL".into(), double),
            );
            arms.push(format!(
                "WHEN {m} = 'score' THEN {} <= {line}",
                q.id(&s.column)
            ));
        }
        let lit = |v: Option<i64>| v.map_or("NULL".to_string(), |v| v.to_string());
        let line = by_area(q, lit(pick(&st.urban)), lit(pick(&st.rural)));
        arms.push(format!(
            "WHEN {m} = 'income_per_capita' THEN {} <= {line}",
            q.id("income_per_capita_month")
        ));
        // total ≤ line × 12 × size, in integers too wide to overflow.
        arms.push(format!(
            "WHEN {m} = 'income_total' THEN CAST({} AS DECIMAL(38, 0)) <= CAST({line} AS DECIMAL(38, 0)) * 12 * {size}",
            q.id("income_total_year")
        ));
        format!("CASE {} END", arms.join("\n    "))
    };
    let deprived = |d: &str| {
        let d = q.id(d);
        match &st.score {
            Some(s) => format!(
                "CASE WHEN {m} = 'score' THEN {d} * {} >= {} ELSE {d} >= {} END",
                s.points_per_indicator, s.deprivation_points, st.cutoff
            ),
            None => format!("{d} >= {}", st.cutoff),
        }
    };
    let score_poverty = |l: &ScoreLines| Some(l.poverty);
    let score_near = |l: &ScoreLines| l.near_poverty;
    format!(
        "-- Step 4a: where the measure sits against the lines (inclusive: at the line is below it),\n\
         -- and whether the household meets the deprivation cut-off ({}{}) at each end of its range.\n\
         SELECT *,\n  \
         {} AS {},\n  {} AS {},\n  {} AS {},\n  {} AS {},\n  {} AS {}\n\
         FROM household_counts",
        st.cutoff,
        st.score.as_ref().map_or(String::new(), |s| format!(
            " indicators; {} points each against {} on the score path",
            s.points_per_indicator, s.deprivation_points
        )),
        le(&|l| Some(l.poverty), Some(&score_poverty)),
        q.id("le_poverty"),
        le(&|l| l.near_poverty, Some(&score_near)),
        q.id("le_near"),
        le(&|l| l.average, None),
        q.id("le_average"),
        deprived("deprivations_min"),
        q.id("deprived_low"),
        deprived("deprivations_max"),
        q.id("deprived_high"),
    )
}

/// The class (and path to poor) from a position and a deprivation flag,
/// as `classify::classify_position`.
fn class_case(q: &Q, rule: ClassRule, dep: &str) -> (String, String) {
    let (p, n, a) = (q.id("le_poverty"), q.id("le_near"), q.id("le_average"));
    let dep = q.id(dep);
    match rule {
        ClassRule::Union => (
            format!(
                "CASE WHEN {p} THEN 'poor'\n    WHEN {n} THEN CASE WHEN {dep} THEN 'poor' ELSE 'near_poor' END\n    \
                 WHEN {a} THEN 'average' ELSE 'not_poor' END"
            ),
            format!("CASE WHEN {p} THEN 'income' WHEN {n} AND {dep} THEN 'deprivation' END"),
        ),
        _ => (
            format!(
                "CASE WHEN {p} THEN CASE WHEN {dep} THEN 'poor' ELSE 'near_poor' END\n    \
                 WHEN {a} THEN 'average' ELSE 'not_poor' END"
            ),
            format!("CASE WHEN {p} AND {dep} THEN 'income_and_deprivation' END"),
        ),
    }
}

/// For a household with no measure: the condition that class `c` is among
/// its possible classes, from `classify::without_measure` at each count
/// (it depends on the count only through the cut-offs).
fn without_measure(q: &Q, st: &Standard, c: Class) -> String {
    let n = st.indicators.len() as u32;
    let cond = |urban: bool| {
        let at: Vec<String> = (0..=n)
            .filter(|&d| classify::without_measure(st, urban, (d, d)) & c.bit() != 0)
            .map(|d| d.to_string())
            .collect();
        if at.is_empty() {
            "FALSE".to_string()
        } else if at.len() == n as usize + 1 {
            "TRUE".to_string()
        } else {
            let list = at.join(", ");
            format!(
                "({} IN ({list}) OR {} IN ({list}))",
                q.id("deprivations_min"),
                q.id("deprivations_max")
            )
        }
    };
    by_area(q, cond(true), cond(false))
}

/// The `possible_classes` text from one condition per class, in the order of `Class::ALL`.
fn possible_text(q: &Q, conds: &[(Class, String)]) -> String {
    let parts: Vec<String> = conds
        .iter()
        .map(|(c, cond)| format!("CASE WHEN {cond} THEN '|{}' ELSE '' END", c.name()))
        .collect();
    q.sp.from_second(&format!("({})", parts.join("\n      || ")))
}

fn excluded(q: &Q, opts: &Options) -> String {
    if opts.missing == Some(MissingOverride::Exclude) {
        format!("{} > 0", q.id("unknown_count"))
    } else {
        "FALSE".into()
    }
}

/// The scored file's columns, in its order, from the last step's.
fn output(q: &Q, st: &Standard, class_cols: &[String]) -> String {
    let mut cols: Vec<String> = carried(q, st)[..crate::score::PASS_THROUGH.len()]
        .iter()
        .map(|c| format!("  {c}"))
        .collect();
    cols.push(format!(
        "  CAST(COALESCE({}, 1) AS {}) AS {}",
        q.id("weight"),
        q.sp.double,
        q.id("weight")
    ));
    cols.extend(st.indicators.iter().map(|i| format!("  {}", q.id(&i.id))));
    cols.push(format!("  {}", q.id("deprivations_min")));
    cols.push(format!("  {}", q.id("deprivations_max")));
    cols.extend(class_cols.iter().cloned());
    cols.push(format!("  {}", q.id("unknown_indicators")));
    cols.join(",\n")
}

/// The class CTEs of a count rule, ending in `households_scored`.
fn counted(q: &Q, st: &Standard, opts: &Options) -> Vec<(String, String)> {
    let (lo, path_lo) = class_case(q, st.rule, "deprived_low");
    let (hi, _) = class_case(q, st.rule, "deprived_high");
    let classes = format!(
        "-- Step 4b: the class at each end of the deprivation range.\n\
         SELECT *,\n  {lo} AS {},\n  {hi} AS {},\n  {path_lo} AS {}\nFROM household_position",
        q.id("class_low"),
        q.id("class_high"),
        q.id("path_low")
    );
    let (cl, ch, m) = (q.id("class_low"), q.id("class_high"), q.id("measure"));
    let ex = excluded(q, opts);
    let conds: Vec<(Class, String)> = classify::defined(st)
        .into_iter()
        .map(|c| {
            let n = c.name();
            let wm = without_measure(q, st, c);
            (
                c,
                format!("(CASE WHEN {m} IS NULL THEN {wm} ELSE {cl} = '{n}' OR {ch} = '{n}' END)"),
            )
        })
        .collect();
    let decided = format!("NOT ({ex}) AND {m} IS NOT NULL AND {cl} = {ch}");
    let class_cols = vec![
        format!(
            "  CASE WHEN {ex} THEN 'excluded' WHEN {decided} THEN {cl} ELSE 'undetermined' END AS {}",
            q.id("class")
        ),
        format!("  CASE WHEN {decided} THEN {} END AS {}", q.id("path_low"), q.id("poor_path")),
        format!("  {m}"),
        format!(
            "  CASE WHEN NOT ({ex}) AND NOT ({decided}) THEN\n    {} END AS {}",
            possible_text(q, &conds),
            q.id("possible_classes")
        ),
    ];
    vec![
        ("household_position".into(), position(q, st)),
        ("household_classes".into(), classes),
        (
            "households_scored".into(),
            format!(
                "-- Step 4c: the class: the same at both ends, else undetermined with the classes\n\
                 -- it could take (a household with no income and no score can take those its\n\
                 -- deprivations allow in any income band).\n\
                 SELECT\n{}\nFROM household_classes",
                output(q, st, &class_cols)
            ),
        ),
    ]
}

/// `s × k.den ≥ k.num × den`: score column `s` at least share `k`, in integers.
fn at_least(q: &Q, s: &str, k: Ratio, den: i64) -> String {
    format!("{} * {} >= {} * {den}", q.id(s), k.den, k.num)
}

/// The class CTEs of the weighted rule, ending in `households_scored`.
fn weighted(q: &Q, st: &Standard, opts: &Options) -> Vec<(String, String)> {
    let Some(rule) = st.weighted else {
        return Vec::new();
    };
    let sc = scaled(st);
    let den = sc.den;
    let (cl, ch) = (q.id("class_low"), q.id("class_high"));
    let mut ctes = vec![(
        "household_classes".to_string(),
        weighted_ends(q, &rule, den),
    )];
    let mut conds = vec![(Class::Poor, format!("{ch} = 'poor'"))];
    if let Some(v) = rule.vulnerable {
        ctes.push(("unknown_weight_sums".into(), unknown_weight_sums(&sc)));
        ctes.push((
            "vulnerable_reach".into(),
            vulnerable_reach(q, &sc, &rule, v),
        ));
        conds.push((
            Class::Vulnerable,
            format!(
                "({cl} = 'vulnerable' OR {ch} = 'vulnerable' OR {} > 12 OR {})",
                q.id("unknown_count"),
                q.id("reaches_vulnerable")
            ),
        ));
    }
    conds.push((Class::NotPoor, format!("{cl} = 'not_poor'")));
    let class_cols = weighted_class_cols(q, &rule, den, &excluded(q, opts), &conds);
    let from = if ctes.len() > 1 {
        let (y, id) = (q.id("survey_year"), q.id("household_id"));
        ctes.push((
            "household_reach".into(),
            format!(
                "-- Step 4d: whether the vulnerability band is within reach.\n\
                 SELECT c.*, CASE WHEN v.{id} IS NULL THEN FALSE ELSE TRUE END AS {}\n\
                 FROM household_classes c\n\
                 LEFT JOIN vulnerable_reach v ON v.{y} = c.{y} AND v.{id} = c.{id}",
                q.id("reaches_vulnerable")
            ),
        ));
        "household_reach"
    } else {
        "household_classes"
    };
    ctes.push((
        "households_scored".into(),
        format!(
            "-- Step 4e: the class: the same at both ends, else undetermined with the classes\n\
             -- some choice of the unknowns reaches.\n\
             SELECT\n{}\nFROM {from}",
            output(q, st, &class_cols)
        ),
    ));
    ctes
}

/// Weighted rule, step 4a: the class at each end of the score range.
fn weighted_ends(q: &Q, rule: &WeightedRule, den: i64) -> String {
    let class_of = |s: &str| {
        let mut arms = vec![format!(
            "WHEN {} THEN 'poor'",
            at_least(q, s, rule.cutoff, den)
        )];
        if let Some(v) = rule.vulnerable {
            arms.push(format!("WHEN {} THEN 'vulnerable'", at_least(q, s, v, den)));
        }
        format!("CASE {} ELSE 'not_poor' END", arms.join(" "))
    };
    format!(
        "-- Step 4a: the class at each end of the score range; every comparison is\n\
         -- score × k.den ≥ k.num × {den} in integers (poor at {}{}).\n\
         SELECT *,\n  {} AS {},\n  {} AS {}\nFROM household_counts",
        rule.cutoff,
        rule.vulnerable
            .map_or(String::new(), |v| format!(", vulnerable from {v}")),
        class_of("score_min"),
        q.id("class_low"),
        class_of("score_max"),
        q.id("class_high"),
    )
}

/// Weighted rule, step 4b: a table of every score that taking some unknowns
/// as deprived adds, by how many of each distinct weight are taken.
fn unknown_weight_sums(sc: &Scaled) -> String {
    let den = sc.den;
    let groups: Vec<String> = (1..=sc.distinct.len()).map(|g| format!("k{g}")).collect();
    let mut rows = vec![(vec![], 0i64)];
    for (w, n) in &sc.distinct {
        rows = rows
            .into_iter()
            .flat_map(|(ks, s): (Vec<usize>, i64)| {
                (0..=*n).map(move |k| {
                    let mut ks = ks.clone();
                    ks.push(k);
                    (ks, s + k as i64 * w)
                })
            })
            .collect();
    }
    let values: Vec<String> = rows
        .iter()
        .map(|(ks, s)| {
            let ks: Vec<String> = ks.iter().map(|k| k.to_string()).collect();
            format!("({}, {s})", ks.join(", "))
        })
        .collect();
    format!(
        "-- Step 4b: every score a household can add by taking some of its unknown\n\
         -- indicators as deprived, taking {} ({added} over {den}).\n\
         SELECT * FROM (VALUES\n  {}\n) AS s({}, added)",
        sc.distinct
            .iter()
            .enumerate()
            .map(|(g, (w, _))| format!("k{} unknowns of weight {w}/{den}", g + 1))
            .collect::<Vec<_>>()
            .join(" and "),
        values.join(",\n  "),
        groups.join(", "),
        added = "added",
    )
}

/// Weighted rule, step 4c: the households that some choice of their
/// unknowns puts in the vulnerability band (from `v` to the cut-off).
fn vulnerable_reach(q: &Q, sc: &Scaled, rule: &WeightedRule, v: Ratio) -> String {
    let den = sc.den;
    let (cl, ch) = (q.id("class_low"), q.id("class_high"));
    let fits: Vec<String> = (1..=sc.distinct.len())
        .map(|g| format!("s.k{g} <= c.{}", q.id(&format!("unknown_w{g}"))))
        .collect();
    let smin = q.id("score_min");
    let (y, id) = (q.id("survey_year"), q.id("household_id"));
    format!(
        "-- Step 4c: households poor at one end and not poor at the other that some\n\
         -- choice of their unknowns puts in the vulnerability band (it may lie between\n\
         -- the two ends and still be out of reach: 1/6 known and 1/6 unknown gives 1/6 or 1/3).\n\
         SELECT DISTINCT c.{y}, c.{id}\nFROM household_classes c\n\
         JOIN unknown_weight_sums s ON {}\n\
         WHERE c.{cl} = 'not_poor' AND c.{ch} = 'poor'\n  \
         AND (c.{smin} + s.added) * {} >= {} * {den}\n  \
         AND (c.{smin} + s.added) * {} < {} * {den}",
        fits.join(" AND "),
        v.den,
        v.num,
        rule.cutoff.den,
        rule.cutoff.num
    )
}

/// Weighted rule: the score range, severe flag and class columns of the
/// scored file; `ex` is the exclusion condition, `conds` one per class.
fn weighted_class_cols(
    q: &Q,
    rule: &WeightedRule,
    den: i64,
    ex: &str,
    conds: &[(Class, String)],
) -> Vec<String> {
    let (cl, ch) = (q.id("class_low"), q.id("class_high"));
    let score = |s: &str, name: &str| {
        format!(
            "  CAST({} AS {}) / {den} AS {}",
            q.id(s),
            q.sp.double,
            q.id(name)
        )
    };
    let mut cols = vec![
        score("score_min", "deprivation_score_min"),
        score("score_max", "deprivation_score_max"),
    ];
    if let Some(s) = rule.severe {
        cols.push(format!(
            "  CASE WHEN {ex} THEN NULL WHEN {} THEN TRUE WHEN {} THEN NULL ELSE FALSE END AS {}",
            at_least(q, "score_min", s, den),
            at_least(q, "score_max", s, den),
            q.id("severe")
        ));
    }
    cols.extend([
        format!(
            "  CASE WHEN {ex} THEN 'excluded' WHEN {cl} = {ch} THEN {cl} ELSE 'undetermined' END AS {}",
            q.id("class")
        ),
        format!("  CAST(NULL AS {}) AS {}", q.sp.text, q.id("poor_path")),
        format!("  {}", q.id("measure")),
        format!(
            "  CASE WHEN NOT ({ex}) AND {cl} <> {ch} THEN\n    {} END AS {}",
            possible_text(q, conds),
            q.id("possible_classes")
        ),
    ]);
    cols
}

/// The class steps of the standard's rule.
pub(super) fn ctes(q: &Q, st: &Standard, opts: &Options) -> Vec<(String, String)> {
    match st.rule {
        ClassRule::Weighted => weighted(q, st, opts),
        _ => counted(q, st, opts),
    }
}
