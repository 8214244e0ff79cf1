//! `dachieu standards list | show ID | check PATH`.

use super::Outcome;
use crate::i18n::Lang;
use crate::out;
use crate::score::examples::run_examples;
use crate::standard::{self, bundled, ClassRule, Level, Standard};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// The bundled standards.
    List,
    /// A standard's lines, rule and indicators.
    Show {
        /// Bundled id or folder.
        id: String,
        /// Also print each indicator's rule as SQL.
        #[arg(long)]
        sql: bool,
    },
    /// Validate a standard folder and run its indicators' examples.
    Check {
        /// Folder (or bundled id).
        path: String,
    },
}

/// The review years a standard applies to; a research measure (the
/// weighted rule: the global MPI) to any survey year.
fn reviews(st: &Standard) -> String {
    match st.rule {
        ClassRule::Weighted => "any year".into(),
        _ => format!("{}–{}", st.review_years.0, st.review_years.1),
    }
}

fn show(st: &Standard, sql: bool) -> anyhow::Result<()> {
    show_header(st)?;
    show_rule(st)?;
    for ind in &st.indicators {
        show_indicator(ind, sql)?;
    }
    Ok(())
}

/// Id, names, legal basis, review years, status, and how many definitions
/// are confirmed.
fn show_header(st: &Standard) -> anyhow::Result<()> {
    out!("{} {} ({})", st.id, st.version, st.origin);
    out!("  {}", st.name_vi);
    out!("  {}", st.name_en);
    for b in &st.legal_basis {
        out!("  legal basis: {b}");
    }
    out!("  review years: {}", reviews(st));
    if st.provisional {
        out!("  status: PROVISIONAL — the indicator set, lines or rule are not confirmed from the legal text; see notes");
    } else if st.rule == ClassRule::Weighted {
        out!("  status: confirmed — a research measure, not a legal standard: the rule and the indicator set are as its sources define them (each definition's confidence is below)");
    } else {
        out!("  status: confirmed — the lines, the rule and the indicator set are as in the legal text (each definition's confidence is below)");
    }
    let count = |c: &str| st.indicators.iter().filter(|i| i.confidence == c).count();
    out!(
        "  indicator definitions: {} confirmed, {} secondary, {} unconfirmed",
        count("confirmed"),
        count("secondary"),
        count("unconfirmed")
    );
    Ok(())
}

/// The rule in words (`Standard::rule_in_words`, as the report says it),
/// each area's income lines in full (the average line too), the score path.
fn show_rule(st: &Standard) -> anyhow::Result<()> {
    out!("  rule: {}: {}", st.rule.name(), st.rule_in_words(Lang::En));
    if st.rule != ClassRule::Weighted {
        for (area, l) in [("rural", &st.rural), ("urban", &st.urban)] {
            let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_else(|| "–".into());
            out!(
                "  income lines {area}: poverty ≤ {}, near-poverty ≤ {}, average ≤ {} VND/person/month",
                l.poverty,
                opt(l.near_poverty),
                opt(l.average)
            );
        }
    }
    if let Some(s) = &st.score {
        let lines = |l: &standard::ScoreLines| match l.near_poverty {
            Some(n) => format!("poverty ≤ {}, near-poverty ≤ {}", l.poverty, n),
            None => format!("poverty ≤ {}", l.poverty),
        };
        out!(
            "  score from column {}: rural {}; urban {}; {} points per deprived indicator, deprived at ≥ {} points",
            s.column,
            lines(&s.rural),
            lines(&s.urban),
            s.points_per_indicator,
            s.deprivation_points
        );
    }
    Ok(())
}

/// One indicator: id, dimension, weight, level, confidence, label, its
/// rule (and the rule as SQL when asked).
fn show_indicator(ind: &standard::Indicator, sql: bool) -> anyhow::Result<()> {
    let level = match ind.level {
        Level::Household => "household".to_string(),
        Level::Member => format!(
            "member ({} of eligible: {})",
            ind.combine.describe(),
            ind.eligible_src
                .as_deref()
                .unwrap_or("true")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ),
    };
    out!(
        "  - {} [{}; weight {}; {}; {}{}] {}",
        ind.id,
        ind.dimension,
        ind.weight,
        level,
        ind.confidence,
        if ind.provisional { "; provisional" } else { "" },
        ind.label_en
    );
    out!(
        "      deprived if: {}",
        ind.deprived_if_src
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
    if sql {
        let cols = match ind.level {
            Level::Household => crate::schema::HOUSEHOLD_COLUMNS,
            Level::Member => crate::schema::MEMBER_COLUMNS,
        };
        let name = |i: usize| cols.get(i).map(|c| c.name.to_string()).unwrap_or_default();
        out!("      SQL: {}", ind.deprived_if.to_sql(&name));
    }
    Ok(())
}

pub fn run(a: &Args) -> anyhow::Result<Outcome> {
    match &a.action {
        Action::List => {
            out!(
                "{:<16} {:<8} {:<9} {:<11} {:<12} {}",
                "id",
                "version",
                "reviews",
                "status",
                "indicators",
                "name"
            );
            for id in bundled::ids() {
                let st = standard::resolve(id)?;
                out!(
                    "{:<16} {:<8} {:<9} {:<11} {:<12} {}",
                    st.id,
                    st.version,
                    reviews(&st),
                    if st.provisional {
                        "provisional"
                    } else {
                        "confirmed"
                    },
                    st.indicators.len(),
                    st.name_en
                );
            }
            out!(
                "`--standard auto` (the default of score and run) scores each survey year with the national standard ({}) whose review years contain it; the others are used when named.",
                bundled::NATIONAL.join(", ")
            );
            Ok(Outcome::Success)
        }
        Action::Show { id, sql } => {
            show(&standard::resolve(id)?, *sql)?;
            Ok(Outcome::Success)
        }
        Action::Check { path } => {
            let st = standard::resolve(path)?;
            let (failures, n) = run_examples(&st);
            for f in &failures {
                out!("{}: [{}] {}", f.location, f.indicator, f.message);
            }
            if failures.is_empty() {
                out!(
                    "ok: {} ({} indicators, {} examples pass)",
                    st.id,
                    st.indicators.len(),
                    n
                );
                Ok(Outcome::Success)
            } else {
                anyhow::bail!("{} of {} examples fail", failures.len(), n)
            }
        }
    }
}
