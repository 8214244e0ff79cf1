//! The rate-table step of the query (`--by`): weighted counts of each class
//! by group and year, with a total row, and the rates over the
//! households not excluded — the counts and rates of `dachieu tables`'s
//! `rates_<level>` file, one row per (year, level, code).

use super::Q;
use crate::measure::Level;
use crate::score::classify::{self, Class};
use crate::standard::{ClassRule, Standard};

/// The group column of a level, or why the SQL cannot group by it.
fn group_column(level: Level) -> Result<Option<&'static str>, String> {
    Ok(match level {
        Level::Total => None,
        Level::Province => Some("province_code"),
        Level::District => Some("district_code"),
        Level::Commune => Some("commune_code"),
        Level::Area => Some("area"),
        Level::Column(name) => {
            return Err(format!(
                "grouping by the column `{name}` is not available in SQL: use `dachieu tables --by {name}`"
            ))
        }
        Level::Region | Level::Unit2025 => {
            return Err(format!(
                "grouping by {} needs the engine's geography tables, which the query does not carry; \
                 group by province in SQL and map provinces to {}s yourself, or use `dachieu tables --by {}`",
                level.name(),
                level.name(),
                level.name()
            ))
        }
    })
}

/// Which columns the standard's tables have: its classes, the poor-path
/// columns (count rules), the severe columns (a severe band), and the class
/// counted beside the poor (near-poor, or vulnerable).
struct Shape {
    defined: Vec<Class>,
    paths: bool,
    severe: bool,
    near: Option<Class>,
}

impl Shape {
    fn of(st: &Standard) -> Shape {
        let defined = classify::defined(st);
        let near = [Class::NearPoor, Class::Vulnerable]
            .into_iter()
            .find(|c| defined.contains(c));
        Shape {
            defined,
            paths: st.rule != ClassRule::Weighted,
            severe: st.weighted.is_some_and(|r| r.severe.is_some()),
            near,
        }
    }
}

/// The `rates` CTE and the final SELECT over it.
pub(super) fn table(q: &Q, st: &Standard, by: &[Level]) -> Result<(String, String), String> {
    let shape = Shape::of(st);
    let sums = sums(q, st, &shape);
    let y = q.id("survey_year");
    let mut levels: Vec<Level> = vec![Level::Total];
    levels.extend(by.iter().copied().filter(|l| *l != Level::Total));
    let mut selects = Vec::new();
    for level in levels {
        let (code, group) = match group_column(level)? {
            None => ("'VN'".to_string(), y.clone()),
            Some(c) => {
                let code = format!("COALESCE({}, '')", q.id(c));
                (code.clone(), format!("{y}, {code}"))
            }
        };
        selects.push(format!(
            "SELECT {y}, '{}' AS {}, {code} AS {},\n  {}\nFROM households_scored\nGROUP BY {group}",
            level.name(),
            q.id("level"),
            q.id("code"),
            sums.join(",\n  ")
        ));
    }
    let rates_cte = format!(
        "-- Step 5: weighted counts by group, a total row for each year.\n{}",
        selects.join("\nUNION ALL\n")
    );
    let select = format!(
        "-- Step 6: rates (%) over the households not excluded; poor_pct_upper counts\n\
         -- every undetermined household that could be poor.\n\
         SELECT\n  {}\nFROM rates\nORDER BY {y}, CASE WHEN {} = 'total' THEN 0 ELSE 1 END, {}, {}",
        rate_columns(q, &shape).join(",\n  "),
        q.id("level"),
        q.id("level"),
        q.id("code")
    );
    Ok((rates_cte, select))
}

/// The weighted counts of one group: households, persons, each class, the
/// poor by path, the severe, the undetermined and excluded, and persons.
fn sums(q: &Q, st: &Standard, shape: &Shape) -> Vec<String> {
    let (w, class, size) = (q.id("weight"), q.id("class"), q.id("household_size"));
    let persons = format!("{w} * {size}");
    let when = |cond: String, x: &str| format!("SUM(CASE WHEN {cond} THEN {x} ELSE 0 END)");
    let is = |c: &str| format!("{class} = '{c}'");
    let mut sums = vec![
        format!("COUNT(*) AS {}", q.id("households")),
        format!("SUM({w}) AS {}", q.id("households_weighted")),
        format!("SUM({persons}) AS {}", q.id("persons_weighted")),
    ];
    for c in &shape.defined {
        sums.push(format!("{} AS {}", when(is(c.name()), &w), q.id(c.name())));
    }
    // Path columns under the count rules, blank under the intersection
    // rule (no household is poor by one path alone there).
    let blank = format!("CAST(NULL AS {})", q.sp.double);
    if shape.paths {
        for p in ["income", "deprivation"] {
            let sum = if st.rule == ClassRule::Union {
                when(format!("{} = '{p}'", q.id("poor_path")), &w)
            } else {
                blank.clone()
            };
            sums.push(format!("{sum} AS {}", q.id(&format!("poor_{p}"))));
        }
    }
    if shape.severe {
        sums.push(format!(
            "{} AS {}",
            when(q.id("severe"), &w),
            q.id("severe")
        ));
        // Unknown severity counts toward the upper bound, excluded households toward nothing.
        let maybe = format!("{} IS NULL AND {class} <> 'excluded'", q.id("severe"));
        sums.push(format!("{} AS {}", when(maybe, &w), q.id("maybe_severe")));
        sums.push(format!(
            "{} AS {}",
            when(q.id("severe"), &persons),
            q.id("severe_persons")
        ));
    }
    for c in ["undetermined", "excluded"] {
        sums.push(format!("{} AS {}", when(is(c), &w), q.id(c)));
    }
    let maybe_poor = format!(
        "{} AND '|' || {} || '|' LIKE '%|poor|%'",
        is("undetermined"),
        q.id("possible_classes")
    );
    sums.push(format!(
        "{} AS {}",
        when(maybe_poor, &w),
        q.id("maybe_poor")
    ));
    sums.push(format!(
        "{} AS {}",
        when(is("poor"), &persons),
        q.id("poor_persons")
    ));
    if let Some(c) = shape.near {
        sums.push(format!(
            "{} AS {}",
            when(is(c.name()), &persons),
            q.id("near_persons")
        ));
    }
    sums.push(format!(
        "{} AS {}",
        when(is("excluded"), &persons),
        q.id("excluded_persons")
    ));
    sums
}

/// The rates (%) over the households (or persons) not excluded, after the
/// counts (`*`).
fn rate_columns(q: &Q, shape: &Shape) -> Vec<String> {
    let den = format!(
        "NULLIF({} - {}, 0)",
        q.id("households_weighted"),
        q.id("excluded")
    );
    let pden = format!(
        "NULLIF({} - {}, 0)",
        q.id("persons_weighted"),
        q.id("excluded_persons")
    );
    let pct = |num: String, name: &str, den: &str| format!("100 * {num} / {den} AS {}", q.id(name));
    let mut cols = vec!["*".to_string()];
    for c in &shape.defined {
        cols.push(pct(q.id(c.name()), &format!("{}_pct", c.name()), &den));
        if *c == Class::Poor {
            if shape.paths {
                cols.push(pct(q.id("poor_income"), "poor_income_pct", &den));
                cols.push(pct(q.id("poor_deprivation"), "poor_deprivation_pct", &den));
            }
            cols.push(pct(
                format!("({} + {})", q.id("poor"), q.id("maybe_poor")),
                "poor_pct_upper",
                &den,
            ));
            if shape.severe {
                cols.push(pct(q.id("severe"), "severe_pct", &den));
                cols.push(pct(
                    format!("({} + {})", q.id("severe"), q.id("maybe_severe")),
                    "severe_pct_upper",
                    &den,
                ));
            }
        }
    }
    cols.push(pct(q.id("undetermined"), "undetermined_pct", &den));
    cols.push(pct(q.id("poor_persons"), "poor_person_pct", &pden));
    if shape.severe {
        cols.push(pct(q.id("severe_persons"), "severe_person_pct", &pden));
    }
    if let Some(c) = shape.near {
        cols.push(pct(
            q.id("near_persons"),
            &format!("{}_person_pct", c.name()),
            &pden,
        ));
    }
    cols
}
