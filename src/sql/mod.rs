//! A standard as one SQL query, for warehouses where the data already is
//! (DuckDB over a folder of Parquet, Spark): generated from the same checked
//! rule trees the engine evaluates, never written by hand per standard, and
//! checked against the engine household by household in the tests.
//!
//! The query reads two relations the user binds, `households` and
//! `members`, with the columns `dachieu ingest` writes, and gives either
//! the scored households (the columns of `scored.parquet`) or, with `--by`,
//! the rate table. One CTE per step: members → their answers → counts per
//! household → household indicators → deprivation range → class → table.

mod classes;
mod households;
pub mod import;
mod members;
mod retype;
mod table;

use crate::measure::Level;
use crate::score::MissingOverride;
use crate::standard::expr::dialect::{Dialect, Spelling};
use crate::standard::Standard;
use std::path::Path;

/// What the query computes.
#[derive(Debug, Clone)]
pub struct Options {
    pub dialect: Dialect,
    /// Grouping levels of the rate table; empty: the scored households.
    pub by: Vec<Level>,
    /// The standard-wide policy for unknown indicators (`--missing`).
    pub missing: Option<MissingOverride>,
    /// Pre-coded flag columns (`dep_<indicator>`) the households relation
    /// carries; the query reads only these (SQL cannot test for a column).
    pub flags: Vec<String>,
}

/// A dialect's spellings, with the quoting helper every step uses.
pub(crate) struct Q {
    pub sp: Spelling,
}

impl Q {
    pub fn id(&self, name: &str) -> String {
        self.sp.ident(name)
    }
}

/// Text as `-- ` comment lines (never closing a comment early, whatever it holds).
pub(crate) fn comment_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("-- {l}"))
        .collect()
}

/// The `dep_<indicator>` columns of the standard that a dataset's
/// households files carry (in any survey year).
pub fn flags_in_dataset(st: &Standard, dataset: &Path) -> crate::error::Result<Vec<String>> {
    let mut found = Vec::new();
    for year in crate::dataset::years(dataset)? {
        let path = crate::dataset::year_dir(dataset, year).join(crate::dataset::HOUSEHOLDS_FILE);
        let file = std::fs::File::open(&path).map_err(|e| crate::error::Error::io(&path, e))?;
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)?;
        for ind in &st.indicators {
            let flag = ind.flag_column();
            if reader.schema().field_with_name(&flag).is_ok() && !found.contains(&flag) {
                found.push(flag);
            }
        }
    }
    Ok(found)
}

fn header(st: &Standard, opts: &Options) -> String {
    let d = opts.dialect;
    let bind = match d {
        Dialect::Duckdb => "--   CREATE VIEW households AS SELECT * FROM read_parquet(\n\
             --     'out/dataset/*/households.parquet', hive_partitioning = true, union_by_name = true);\n\
             --   CREATE VIEW members AS SELECT * FROM read_parquet(\n\
             --     'out/dataset/*/members.parquet', hive_partitioning = true, union_by_name = true);"
            .to_string(),
        Dialect::Spark => "--   spark.read.option(\"mergeSchema\", \"true\").parquet(\"out/dataset\")  -- reads survey_year=…/ partitions\n\
             --   then keep the households files and the members files apart, e.g. with\n\
             --   spark.read.option(\"pathGlobFilter\", \"households.parquet\").option(\"mergeSchema\", \"true\")\n\
             --        .parquet(\"out/dataset\").createOrReplaceTempView(\"households\")  (and members.parquet)"
            .to_string(),
        Dialect::Ansi => "--   views or tables named households and members with the dataset's columns".to_string(),
    };
    let mut lines = vec![
        format!(
            "-- dachieu {}: standard {} — {}",
            env!("CARGO_PKG_VERSION"),
            st.label(),
            st.name_en
        ),
        format!("-- {}", st.name_vi),
    ];
    lines.extend(comment_lines(&format!(
        "Legal basis: {}",
        st.legal_basis.join("; ")
    )));
    if st.provisional {
        lines.push("-- PROVISIONAL: this standard is not confirmed from the legal text.".into());
    }
    lines.extend([
        format!(
            "-- Loaded from {}; rule: {}; dialect: {}.",
            st.origin,
            st.rule.name(),
            d.name()
        ),
        "--".into(),
        "-- Reads two relations you bind first, `households` and `members`, with the columns"
            .into(),
        "-- `dachieu ingest` writes (out/dataset/survey_year=YYYY/{households,members}.parquet):"
            .into(),
        bind,
        "-- Every survey year in them is scored under this one standard.".into(),
        format!(
            "-- Pre-coded flags read: {}.",
            if opts.flags.is_empty() {
                "none (pass `--dataset` to read the dep_* columns your data carries)".to_string()
            } else {
                opts.flags.join(", ")
            }
        ),
        format!(
            "-- Unknown indicators: {}.",
            opts.missing
                .map_or("each indicator's own policy", MissingOverride::name)
        ),
        if opts.by.is_empty() {
            "-- Gives one row per household with the columns of the engine's scored.parquet.".into()
        } else {
            format!(
                "-- Gives the rate table by {} (a total row per year), as `dachieu tables`.",
                opts.by
                    .iter()
                    .map(|l| l.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        },
        "-- Three-valued logic throughout: NULL is unknown, never guessed.".into(),
    ]);
    lines.join("\n")
}

/// The whole query for a standard.
pub fn query(st: &Standard, opts: &Options) -> Result<String, String> {
    let q = Q {
        sp: opts.dialect.spelling(),
    };
    let inds: Vec<&crate::standard::Indicator> = st.indicators.iter().collect();
    let member_inds = members::member_indicators(&inds);
    let mut ctes: Vec<(String, String)> = Vec::new();
    if !member_inds.is_empty() {
        ctes.extend(members::ctes(&q, &member_inds));
    }
    ctes.push(("households_read".into(), households::read(&q, st)));
    ctes.push((
        "household_indicators".into(),
        households::indicators(&q, st, opts),
    ));
    ctes.push(("household_counts".into(), households::counts(&q, st)));
    ctes.extend(classes::ctes(&q, st, opts));
    let last = if opts.by.is_empty() {
        format!(
            "SELECT * FROM households_scored\nORDER BY {}, {}",
            q.id("survey_year"),
            q.id("household_id")
        )
    } else {
        let (rates, select) = table::table(&q, st, &opts.by)?;
        ctes.push(("rates".into(), rates));
        select
    };
    let body: Vec<String> = ctes
        .iter()
        .map(|(name, sql)| format!("{name} AS (\n{}\n)", indent(sql)))
        .collect();
    Ok(format!(
        "{}\n\nWITH\n{}\n{last}\n",
        header(st, opts),
        body.join(",\n\n")
    ))
}

fn indent(sql: &str) -> String {
    sql.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("  {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(dialect: Dialect, by: Vec<Level>) -> Options {
        Options {
            dialect,
            by,
            missing: None,
            flags: Vec::new(),
        }
    }

    /// One CTE per step, in pipeline order, for every bundled standard and
    /// dialect; every line of text the standard supplies stays in a comment.
    #[test]
    fn every_bundled_standard_gives_the_steps_in_order() {
        for id in crate::standard::bundled::ids() {
            let st = crate::standard::resolve(id).unwrap();
            for d in [Dialect::Duckdb, Dialect::Spark, Dialect::Ansi] {
                let sql = query(&st, &opts(d, vec![Level::Province])).unwrap();
                let at = |cte: &str| sql.find(&format!("\n{cte} AS (")).unwrap_or(usize::MAX);
                let steps = [
                    "member_readings",
                    "member_answers",
                    "member_counts",
                    "households_read",
                    "household_indicators",
                    "household_counts",
                    "household_classes",
                    "households_scored",
                    "rates",
                ];
                let found: Vec<usize> = steps.iter().map(|s| at(s)).collect();
                assert!(
                    found.windows(2).all(|w| w[0] < w[1]),
                    "{id} {d:?}: {found:?}"
                );
                for ind in &st.indicators {
                    let wording = ind.legal_wording_vi.lines().next().unwrap_or("").trim();
                    assert!(
                        sql.contains(&format!("-- Legal wording: {wording}")),
                        "{id}/{}",
                        ind.id
                    );
                }
            }
        }
    }

    #[test]
    fn identifiers_are_quoted_per_dialect_and_levels_without_sql_are_refused() {
        let sp = Dialect::Spark.spelling();
        assert_eq!(sp.ident("a`b"), "`a``b`");
        assert_eq!(Dialect::Ansi.spelling().ident("a\"b"), "\"a\"\"b\"");
        let st = crate::standard::resolve("vn-2022-2025").unwrap();
        let err = query(&st, &opts(Dialect::Duckdb, vec![Level::Unit2025])).unwrap_err();
        assert!(err.contains("dachieu tables --by unit2025"), "{err}");
    }
}
