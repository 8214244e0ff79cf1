//! Run the worked `[[example]]` cases of a standard's indicators through the
//! same validator and scorer as real data, so an example can never pass by a
//! path the engine does not take.

use super::{score_year, ScoreOptions};
use crate::ingest::build::{hh_index_column, TableBuilder};
use crate::ingest::read::RawCell;
use crate::ingest::validate::{self, Typed};
use crate::schema::{self, TableKind};
use crate::standard::{Example, Standard};
use arrow_array::cast::AsArray;
use arrow_array::Array;

/// A failed example: where it is and what happened.
#[derive(Debug, Clone)]
pub struct Failure {
    pub location: String,
    pub indicator: String,
    pub message: String,
}

fn raw(v: &toml::Value) -> Result<RawCell<'_>, String> {
    Ok(match v {
        toml::Value::String(s) => RawCell::Text(s.as_str().into()),
        toml::Value::Integer(i) => RawCell::Number(*i as f64),
        toml::Value::Float(f) => RawCell::Number(*f),
        toml::Value::Boolean(b) => RawCell::Bool(*b),
        other => return Err(format!("value {other} is not a plain value")),
    })
}

/// Contract-ordered values for one example row, starting from `defaults`.
fn row(
    kind: TableKind,
    table: &toml::Table,
    defaults: &[(&str, Typed<'static>)],
) -> Result<Vec<(usize, Typed<'static>)>, String> {
    let cols = kind.columns();
    let mut values = vec![Typed::Null; cols.len()];
    for (name, v) in defaults {
        if let Some(i) = cols.iter().position(|c| c.name == *name) {
            values[i] = v.clone();
        }
    }
    for (key, v) in table {
        let Some(i) = cols.iter().position(|c| c.name == key) else {
            return Err(format!(
                "`{key}` is not a {} column of the data contract",
                kind.name()
            ));
        };
        values[i] = validate::cell(&cols[i], &raw(v)?)
            .map(Typed::into_owned)
            .map_err(|e| format!("`{key}` {e}"))?;
    }
    Ok(values.into_iter().enumerate().collect())
}

fn run_one(st: &Standard, k: usize, ex: &Example) -> Result<Option<bool>, String> {
    let members = ex.members.clone().unwrap_or_default();
    let year = ex
        .household
        .get("survey_year")
        .and_then(|v| v.as_integer())
        .unwrap_or(2020);
    let size = if ex.members.is_some() {
        members.len().max(1)
    } else {
        1
    };
    let hh_defaults = [
        ("survey_year", Typed::Int(year)),
        ("household_id", Typed::Str("example".into())),
        ("province_code", Typed::Str("01".into())),
        ("area", Typed::Str("rural".into())),
        ("household_size", Typed::Int(size as i64)),
    ];
    let mut hh = TableBuilder::new(schema::HOUSEHOLD_COLUMNS);
    hh.push_row(row(TableKind::Households, &ex.household, &hh_defaults)?);
    let mut mem = TableBuilder::new(schema::MEMBER_COLUMNS);
    for (i, m) in members.iter().enumerate() {
        let defaults = [
            ("survey_year", Typed::Int(year)),
            ("household_id", Typed::Str("example".into())),
            ("member_id", Typed::Str((i + 1).to_string().into())),
        ];
        mem.push_row(row(TableKind::Members, m, &defaults)?);
    }
    let hh_batch = hh.finish(&[0], Vec::new()).map_err(|e| e.to_string())?;
    let order: Vec<usize> = (0..mem.len()).collect();
    let m_batch = mem
        .finish(&order, vec![hh_index_column(vec![0; mem.len()])])
        .map_err(|e| e.to_string())?;
    let scored =
        score_year(st, &hh_batch, &m_batch, &ScoreOptions::default()).map_err(|e| e.to_string())?;
    let col = scored
        .column_by_name(&st.indicators[k].id)
        .and_then(|a| a.as_boolean_opt())
        .ok_or("scorer produced no column for the indicator")?;
    Ok(col.is_valid(0).then(|| col.value(0)))
}

fn word(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "deprived",
        Some(false) => "not_deprived",
        None => "unknown",
    }
}

/// Run every example of every indicator; returns the failures and the count run.
pub fn run_examples(st: &Standard) -> (Vec<Failure>, usize) {
    let mut failures = Vec::new();
    let mut count = 0;
    for (k, ind) in st.indicators.iter().enumerate() {
        for ex in &ind.examples {
            count += 1;
            let message = match run_one(st, k, ex) {
                Ok(got) if got == ex.expect => continue,
                Ok(got) => format!(
                    "example \"{}\": expected {}, the rule gives {}",
                    ex.description,
                    word(ex.expect),
                    word(got)
                ),
                Err(e) => format!("example \"{}\": {e}", ex.description),
            };
            failures.push(Failure {
                location: ex.location.clone(),
                indicator: ind.id.clone(),
                message,
            });
        }
    }
    (failures, count)
}
